-- 安全生产举报 (articles 三十六 to 三十八 of 通安委〔2022〕10号): reports from the public and from
-- employees (吹哨人), their handling, and the messages exchanged with the reporter.
--
-- A report is found by its receipt code only through `receipt_index`, HMAC-SM3 of the code
-- under a key derived from the vault's master key (held outside the database): a stolen
-- database cannot be searched for codes. The reporter's identity and contact details are
-- sealed (`identity_sealed`, the vault's envelope encryption) and empty for an anonymous
-- report. No IP address is kept with a report.
CREATE TABLE report (
    id                  INTEGER PRIMARY KEY,
    receipt_index       TEXT NOT NULL,
    channel             TEXT NOT NULL,
    category            TEXT NOT NULL,
    region_id           BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    address             TEXT NOT NULL DEFAULT '',
    unit_name           TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL,
    occurred_on         TEXT NOT NULL DEFAULT '',
    employee            BOOLEAN NOT NULL DEFAULT FALSE,
    anonymous           BOOLEAN NOT NULL,
    identity_sealed     TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    handler_org_id      BIGINT,
    verify_due          TEXT,
    finding             TEXT NOT NULL DEFAULT '',
    answer              TEXT NOT NULL DEFAULT '',
    answer_due          TEXT,
    received_on         TEXT NOT NULL,
    entered_by          BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT report_receipt_uq UNIQUE (receipt_index),
    CONSTRAINT report_region_fk FOREIGN KEY (region_id) REFERENCES region (id),
    CONSTRAINT report_handler_fk FOREIGN KEY (handler_org_id) REFERENCES org (id),
    CONSTRAINT report_entered_by_fk FOREIGN KEY (entered_by) REFERENCES account (id)
);
CREATE INDEX report_region_idx ON report (region_path, id);
CREATE INDEX report_handler_idx ON report (handler_org_id, id);

-- Each step of handling (受理, 不予受理, 转办, 核查, 答复) with who and when; `note` is the
-- handler's reason or finding, never the reporter's identity.
CREATE TABLE report_step (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    step                TEXT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    org_id              BIGINT,
    account_id          BIGINT NOT NULL,
    at                  BIGINT NOT NULL,
    CONSTRAINT report_step_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT report_step_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT report_step_account_fk FOREIGN KEY (account_id) REFERENCES account (id)
);
CREATE INDEX report_step_report_idx ON report_step (report_id, id);

-- Messages between the reporter (anonymous, through the receipt code) and the handlers.
CREATE TABLE report_message (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    from_reporter       BOOLEAN NOT NULL,
    account_id          BIGINT,
    body                TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT report_message_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT report_message_account_fk FOREIGN KEY (account_id) REFERENCES account (id)
);
CREATE INDEX report_message_report_idx ON report_message (report_id, id);

-- 身份保管人: the office accounts that may reveal a reporter's identity, one case at a time and
-- with a reason. Designated by the city office, never by the account itself.
CREATE TABLE report_custodian (
    account_id          BIGINT NOT NULL PRIMARY KEY,
    designated_by       BIGINT NOT NULL,
    designated_at       BIGINT NOT NULL,
    CONSTRAINT report_custodian_account_fk FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT report_custodian_by_fk FOREIGN KEY (designated_by) REFERENCES account (id)
);
