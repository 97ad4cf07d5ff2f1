-- 风险点排查 (the check of a risk point against its cycle, 双重预防机制's second half): each
-- check as its own row, never changed; the point carries the date its next check is due so
-- the overdue list is one indexed read. A point's cycle runs from its last check, or from the
-- day it was recorded. `checked_on` and the dates are `YYYY-MM-DD` in Asia/Shanghai.
CREATE TABLE risk_check (
    id                  INTEGER PRIMARY KEY,
    risk_point_id       BIGINT NOT NULL,
    enterprise_id       BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    checked_on          TEXT NOT NULL,
    result              TEXT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    hazard_id           BIGINT,
    checked_by          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT risk_check_point_fk FOREIGN KEY (risk_point_id) REFERENCES risk_point (id),
    CONSTRAINT risk_check_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT risk_check_hazard_fk FOREIGN KEY (hazard_id) REFERENCES hazard (id),
    CONSTRAINT risk_check_checker_fk FOREIGN KEY (checked_by) REFERENCES account (id),
    CONSTRAINT risk_check_result_ck CHECK (result IN ('controlled', 'hazard_found'))
);
CREATE INDEX risk_check_point_idx ON risk_check (risk_point_id, checked_on);

ALTER TABLE risk_point ADD COLUMN last_checked_on TEXT;
ALTER TABLE risk_point ADD COLUMN next_check_on TEXT NOT NULL DEFAULT '';
-- Points recorded before checks existed: due one cycle after the day they were recorded.
UPDATE risk_point SET next_check_on =
    date(created_at / 1000, 'unixepoch', '+8 hours', '+' || check_cycle_days || ' days');
CREATE INDEX risk_point_due_idx ON risk_point (next_check_on, region_path) WHERE retired_at IS NULL;
