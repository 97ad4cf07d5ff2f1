-- 双重预防机制 风险分级管控 (安委办〔2016〕11号): risk points of an enterprise, each assessed by
-- LEC (D = L × E × C) or LS (R = L × S) and graded 重大 / 较大 / 一般 / 低 (red / orange /
-- yellow / blue) by the configured bands. The factors are kept in tenths and the score in
-- thousandths, so every value of the standard scales is exact. `region_path` is the
-- enterprise's when the point was recorded, kept on the row so lists in scope use an index.
-- Points are retired (with a reason), never deleted.
CREATE TABLE risk_point (
    id                  INTEGER PRIMARY KEY,
    enterprise_id       BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    unit                TEXT NOT NULL,
    hazardous_event     TEXT NOT NULL,
    -- GB 6441-1986 categories (`fire`, `machinery` …), comma-separated.
    accident_types      TEXT NOT NULL DEFAULT '',
    control_measures    TEXT NOT NULL DEFAULT '',
    responsible_person  TEXT NOT NULL DEFAULT '',
    check_cycle_days    BIGINT NOT NULL,
    method              TEXT NOT NULL,
    factor_l_tenths     BIGINT NOT NULL,
    factor_e_tenths     BIGINT,
    factor_c_tenths     BIGINT,
    factor_s_tenths     BIGINT,
    score_milli         BIGINT NOT NULL,
    level               TEXT NOT NULL,
    created_by          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_by          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    retired_at          BIGINT,
    retired_by          BIGINT,
    retire_reason       TEXT NOT NULL DEFAULT '',
    CONSTRAINT risk_point_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT risk_point_creator_fk FOREIGN KEY (created_by) REFERENCES account (id),
    CONSTRAINT risk_point_updater_fk FOREIGN KEY (updated_by) REFERENCES account (id),
    CONSTRAINT risk_point_retirer_fk FOREIGN KEY (retired_by) REFERENCES account (id),
    CONSTRAINT risk_point_method_ck CHECK (method IN ('lec', 'ls')),
    CONSTRAINT risk_point_level_ck CHECK (level IN ('major', 'high', 'general', 'low'))
);
CREATE INDEX risk_point_enterprise_idx ON risk_point (enterprise_id, retired_at);
CREATE INDEX risk_point_region_idx ON risk_point (region_path, level);

-- The enterprise's risk grade: the highest level of its active points ('' when it has none),
-- kept by the risk points' use cases in their own transaction so the four-colour map counts
-- enterprises by grade in one grouped read of this table.
ALTER TABLE enterprise ADD COLUMN risk_level TEXT NOT NULL DEFAULT '';
CREATE INDEX enterprise_risk_level_idx ON enterprise (risk_level);
