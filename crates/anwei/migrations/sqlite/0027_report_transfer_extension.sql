-- 举报办理 (issue 13): routing by industry, transfer (转办) between departments and
-- territories, and the extension of the verification deadline (延期).
--
-- `industry` is the GB/T 4754 industry the office sets at triage when the report names no
-- registered enterprise (blank: none set); it drives the suggested departments.
-- `identity_path` is the region path of the side that keeps the right to reveal the
-- reporter's identity (blank: the report's own territory). A transfer without the identity
-- leaves it where it was; a custodian outside it cannot reveal.
ALTER TABLE report ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE report ADD COLUMN identity_path TEXT NOT NULL DEFAULT '';

-- The transfer chain of a report: from which organisation to which, by whom, when, why, and
-- whether the identity was included (never the identity itself).
CREATE TABLE report_transfer (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    from_org_id         BIGINT NOT NULL,
    to_org_id           BIGINT NOT NULL,
    account_id          BIGINT NOT NULL,
    reason              TEXT NOT NULL,
    identity_included   BOOLEAN NOT NULL DEFAULT FALSE,
    identity_reason     TEXT NOT NULL DEFAULT '',
    at                  BIGINT NOT NULL,
    CONSTRAINT report_transfer_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT report_transfer_from_fk FOREIGN KEY (from_org_id) REFERENCES org (id),
    CONSTRAINT report_transfer_to_fk FOREIGN KEY (to_org_id) REFERENCES org (id),
    CONSTRAINT report_transfer_account_fk FOREIGN KEY (account_id) REFERENCES account (id)
);
CREATE INDEX report_transfer_report_idx ON report_transfer (report_id, id);

-- Requests to extend the verification deadline (延期): asked by the handling department with a
-- reason, decided by the office (never the requester). `status`: pending, approved, refused.
CREATE TABLE report_extension (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    days                BIGINT NOT NULL,
    reason              TEXT NOT NULL,
    requested_by        BIGINT NOT NULL,
    requested_org_id    BIGINT NOT NULL,
    requested_at        BIGINT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'pending',
    decided_by          BIGINT,
    decided_at          BIGINT,
    decision_note       TEXT NOT NULL DEFAULT '',
    due_before          TEXT NOT NULL DEFAULT '',
    due_after           TEXT NOT NULL DEFAULT '',
    CONSTRAINT report_extension_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT report_extension_requested_by_fk FOREIGN KEY (requested_by) REFERENCES account (id),
    CONSTRAINT report_extension_org_fk FOREIGN KEY (requested_org_id) REFERENCES org (id),
    CONSTRAINT report_extension_decided_by_fk FOREIGN KEY (decided_by) REFERENCES account (id)
);
CREATE INDEX report_extension_report_idx ON report_extension (report_id, id);
