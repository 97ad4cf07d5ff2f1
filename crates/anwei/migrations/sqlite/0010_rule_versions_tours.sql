-- 履职考核: a duty rule's terms are judged by the day they applied. A rule applies to periods
-- ending on or after `effective_from` (the built-in rules: the day 通安委〔2022〕10号 was issued;
-- a rule the office adds: the day it was added), so years before it existed are not "missed".
-- An edit or a deactivation keeps the terms it replaces in `duty_rule_history`, which go on
-- judging every period that ended before the edit (`until`): a closed period is judged by the
-- rules in force then.
ALTER TABLE duty_rule ADD COLUMN effective_from TEXT NOT NULL DEFAULT '2022-05-30';

CREATE TABLE duty_rule_history (
    id                      INTEGER PRIMARY KEY,
    code                    TEXT NOT NULL,
    -- These terms judge the periods that ended before this day (YYYY-MM-DD).
    until                   TEXT NOT NULL,
    kinds                   TEXT NOT NULL,
    period                  TEXT NOT NULL,
    min_count               BIGINT NOT NULL,
    evidence_required       BOOLEAN NOT NULL,
    active                  BOOLEAN NOT NULL,
    created_by              BIGINT,
    created_at              BIGINT NOT NULL,
    CONSTRAINT duty_rule_history_uq UNIQUE (code, until)
);

-- Tours of the lower level (tasks 4 and 16) read the regions their records name by kind and
-- date: an index range, not a scan of the period's records — for one organisation (a
-- compliance page) through the first index, for every organisation (the heat map) through the
-- second.
CREATE INDEX activity_org_kind_date_idx ON activity (org_id, kind, date);
CREATE INDEX activity_kind_date_idx ON activity (kind, date);
