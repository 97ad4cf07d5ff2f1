-- The system's own account (issue 12): what the platform writes by itself — the missing-person
-- version of an accident after its window — is attributed to an account marked `is_system`, not to
-- a person. Such an account never logs in: it is disabled, always (the check below; enabling
-- it fails in the database too), and its password hash is no hash at all. It is created, in
-- the city office's organisation, at start-up once the organisations exist (`accounts::system`).
ALTER TABLE account ADD COLUMN is_system BOOLEAN NOT NULL DEFAULT FALSE CONSTRAINT account_system_ck CHECK (NOT is_system OR disabled);

-- 技术鉴定 during an investigation (条例 第二十五条): a period of technical appraisal, from
-- `starts_on` to `ends_on` (days, UTC+8, both included), what was appraised and by whom. Its
-- days are not counted in the investigation's 60 days (`investigation_due`'s appraisal days).
-- Periods of one investigation do not overlap (checked by the use case).
CREATE TABLE investigation_appraisal (
    id                  INTEGER PRIMARY KEY,
    accident_id         BIGINT NOT NULL,
    starts_on           TEXT NOT NULL,
    ends_on             TEXT NOT NULL,
    subject             TEXT NOT NULL,
    appraiser           TEXT NOT NULL,
    recorded_by         BIGINT NOT NULL,
    recorded_org        BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT investigation_appraisal_accident_fk FOREIGN KEY (accident_id) REFERENCES investigation (accident_id),
    CONSTRAINT investigation_appraisal_by_fk FOREIGN KEY (recorded_by) REFERENCES account (id),
    CONSTRAINT investigation_appraisal_org_fk FOREIGN KEY (recorded_org) REFERENCES org (id),
    CONSTRAINT investigation_appraisal_days_ck CHECK (ends_on >= starts_on)
);
CREATE INDEX investigation_appraisal_accident_idx ON investigation_appraisal (accident_id, starts_on);
