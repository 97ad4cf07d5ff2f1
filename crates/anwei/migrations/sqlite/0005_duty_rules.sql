-- 履职考核, second slice: duty rules the office can edit or add, evidence counts on records,
-- the area an inspection went to (分片包保), per-organisation stamps that invalidate cached
-- compliance, at-risk reminder de-duplication, and 分片包保 assignments.

ALTER TABLE activity ADD COLUMN evidence_count BIGINT NOT NULL DEFAULT 0;
-- When the first evidence file was attached (epoch ms); NULL without evidence. A rule that
-- requires evidence counts the record from then on.
ALTER TABLE activity ADD COLUMN evidence_at BIGINT;
-- Where a led inspection went: a region code (county, zone) or 'sector:<code>'; '' when none.
ALTER TABLE activity ADD COLUMN area_code TEXT NOT NULL DEFAULT '';
CREATE INDEX activity_date_idx ON activity (date);

-- The duty rules in force. Built-in rules are loaded from the code at start when missing and
-- may then be edited (never deleted: deactivated); the office may add more.
CREATE TABLE duty_rule (
    id                      INTEGER PRIMARY KEY,
    code                    TEXT NOT NULL,
    article                 BIGINT NOT NULL DEFAULT 0,
    tasks                   TEXT NOT NULL DEFAULT '',
    holder                  TEXT NOT NULL,
    -- Comma-separated activity kinds, any of which counts.
    kinds                   TEXT NOT NULL,
    period                  TEXT NOT NULL,
    min_count               BIGINT NOT NULL,
    evidence_required       BOOLEAN NOT NULL DEFAULT TRUE,
    copy_to_upper_office    BOOLEAN NOT NULL DEFAULT FALSE,
    title_zh                TEXT NOT NULL,
    title_en                TEXT NOT NULL DEFAULT '',
    builtin                 BOOLEAN NOT NULL DEFAULT FALSE,
    active                  BOOLEAN NOT NULL DEFAULT TRUE,
    updated_by              BIGINT,
    updated_at              BIGINT NOT NULL,
    CONSTRAINT duty_rule_code_uq UNIQUE (code),
    CONSTRAINT duty_rule_period_ck CHECK (period IN ('month', 'two_months', 'quarter', 'year')),
    CONSTRAINT duty_rule_min_ck CHECK (min_count >= 1)
);

-- Bumped by every write that changes an organisation's compliance (org_id 0: every
-- organisation's, e.g. a rule edit); cached compliance is valid while its stamps are unchanged.
CREATE TABLE duty_stamp (
    org_id      BIGINT NOT NULL PRIMARY KEY,
    stamp       BIGINT NOT NULL
);

-- At-risk reminders sent, once per holder, rule and window.
CREATE TABLE duty_reminder (
    org_id          BIGINT NOT NULL,
    position_id     BIGINT NOT NULL,
    rule_code       TEXT NOT NULL,
    window_end      TEXT NOT NULL,
    sent_at         BIGINT NOT NULL,
    CONSTRAINT duty_reminder_pk PRIMARY KEY (org_id, position_id, rule_code, window_end)
);

-- 分片包保: a standing-committee member (a position) covers an area: a region (county, zone)
-- or a sector.
CREATE TABLE coverage_area (
    id              INTEGER PRIMARY KEY,
    position_id     BIGINT NOT NULL,
    area_kind       TEXT NOT NULL,
    area_code       TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    created_by      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    CONSTRAINT coverage_area_uq UNIQUE (position_id, area_kind, area_code),
    CONSTRAINT coverage_area_position_fk FOREIGN KEY (position_id) REFERENCES org_position (id),
    CONSTRAINT coverage_area_kind_ck CHECK (area_kind IN ('region', 'sector'))
);
CREATE INDEX coverage_area_area_idx ON coverage_area (area_kind, area_code);

-- Notices with arguments (first used by the duty reminders, which name the duty and the days
-- left): a JSON object whose values are text, or {"zh", "en"} pairs chosen by the reader's
-- language; they fill the `{name}` placeholders of the title and body keys.
ALTER TABLE notification ADD COLUMN args TEXT NOT NULL DEFAULT '{}';
