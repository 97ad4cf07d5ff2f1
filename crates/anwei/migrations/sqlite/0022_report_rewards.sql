-- 举报奖励 (《安全生产领域举报奖励办法》安监总财〔2018〕19号) and the links from a verified report
-- to what it produced.
--
-- One reward per report: proposed by rule (`rule`, `rule_text` keep the rule and its figures),
-- then approved as proposed or adjusted with a reason by another office account. Approval
-- issues a payout code for the reporter: kept only as `payout_index` (HMAC-SM3 under a key the
-- database does not hold, like the receipt code) and `payout_sealed` (the vault's envelope
-- encryption), which only the reporter's follow-up by receipt code opens. The payout is
-- recorded against the code the reporter presents; no identity is kept or needed. Amounts in
-- fen.
CREATE TABLE report_reward (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    region_id           BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    basis               TEXT NOT NULL,
    fine_fen            BIGINT,
    grade               TEXT,
    deaths              BIGINT,
    rule                TEXT NOT NULL,
    rule_text           TEXT NOT NULL,
    proposed_fen        BIGINT NOT NULL,
    proposed_by         BIGINT NOT NULL,
    proposed_at         BIGINT NOT NULL,
    status              TEXT NOT NULL,
    approved_fen        BIGINT,
    decision_reason     TEXT NOT NULL DEFAULT '',
    decided_by          BIGINT,
    decided_on          TEXT,
    payout_index        TEXT,
    payout_sealed       TEXT NOT NULL DEFAULT '',
    paid_on             TEXT,
    paid_fen            BIGINT,
    voucher_no          TEXT NOT NULL DEFAULT '',
    paid_by             BIGINT,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT report_reward_report_uq UNIQUE (report_id),
    CONSTRAINT report_reward_payout_uq UNIQUE (payout_index),
    CONSTRAINT report_reward_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT report_reward_region_fk FOREIGN KEY (region_id) REFERENCES region (id),
    CONSTRAINT report_reward_proposed_by_fk FOREIGN KEY (proposed_by) REFERENCES account (id),
    CONSTRAINT report_reward_decided_by_fk FOREIGN KEY (decided_by) REFERENCES account (id),
    CONSTRAINT report_reward_paid_by_fk FOREIGN KEY (paid_by) REFERENCES account (id)
);
CREATE INDEX report_reward_region_idx ON report_reward (region_path, decided_on);

-- 举报奖励资金: the budget line per year and territory, set by the office.
CREATE TABLE reward_budget (
    region_id           BIGINT NOT NULL,
    year                BIGINT NOT NULL,
    amount_fen          BIGINT NOT NULL,
    set_by              BIGINT NOT NULL,
    set_at              BIGINT NOT NULL,
    CONSTRAINT reward_budget_pk PRIMARY KEY (region_id, year),
    CONSTRAINT reward_budget_region_fk FOREIGN KEY (region_id) REFERENCES region (id),
    CONSTRAINT reward_budget_set_by_fk FOREIGN KEY (set_by) REFERENCES account (id)
);

-- What a verified report produced: `kind` is `hazard` or `inspection` today (a
-- `concealment_case` kind is meant to follow without a schema change), `target_id` that
-- object's id; no foreign key, since the target's table depends on the kind.
CREATE TABLE report_link (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    kind                TEXT NOT NULL,
    target_id           BIGINT NOT NULL,
    created_by          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT report_link_uq UNIQUE (report_id, kind, target_id),
    CONSTRAINT report_link_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT report_link_created_by_fk FOREIGN KEY (created_by) REFERENCES account (id)
);
