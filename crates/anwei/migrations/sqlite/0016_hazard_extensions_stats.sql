-- Issue 11: extension requests (延期申请), the hazard tally behind the dashboards, and the
-- index the filtered hazard list needs at millions of rows.

-- 延期申请: the enterprise (or an inspector acting for it) asks for a new deadline with a
-- reason; the committee office approves (the deadline moves, the old one is kept here) or
-- refuses with a note. One pending request per hazard at a time.
CREATE TABLE hazard_extension (
    id                  INTEGER PRIMARY KEY,
    hazard_id           BIGINT NOT NULL,
    old_deadline        TEXT NOT NULL,
    new_deadline        TEXT NOT NULL,
    reason              TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'pending',
    requested_by        BIGINT NOT NULL,
    requested_at        BIGINT NOT NULL,
    decided_by          BIGINT,
    decided_at          BIGINT,
    note                TEXT NOT NULL DEFAULT '',
    CONSTRAINT hazard_extension_hazard_fk FOREIGN KEY (hazard_id) REFERENCES hazard (id),
    CONSTRAINT hazard_extension_requester_fk FOREIGN KEY (requested_by) REFERENCES account (id),
    CONSTRAINT hazard_extension_decider_fk FOREIGN KEY (decided_by) REFERENCES account (id),
    CONSTRAINT hazard_extension_state_ck CHECK (state IN ('pending', 'approved', 'refused'))
);
CREATE INDEX hazard_extension_hazard_idx ON hazard_extension (hazard_id);
CREATE UNIQUE INDEX hazard_extension_pending_uq ON hazard_extension (hazard_id) WHERE state = 'pending';

-- The tally: how many hazards there are per place, industry, grade, status and month found,
-- closed ones split by whether they were closed on or before their deadline (on_time = 1).
-- Kept in the same transaction as every registration and move of a hazard.
CREATE TABLE hazard_tally (
    region_path         TEXT NOT NULL,
    industry            TEXT NOT NULL,
    grade               TEXT NOT NULL,
    status              TEXT NOT NULL,
    month               TEXT NOT NULL,
    on_time             BIGINT NOT NULL,
    n                   BIGINT NOT NULL,
    CONSTRAINT hazard_tally_pk PRIMARY KEY (region_path, industry, grade, status, month, on_time)
);

INSERT INTO hazard_tally (region_path, industry, grade, status, month, on_time, n)
SELECT region_path, industry, grade, status, substr(found_on, 1, 7),
       CASE WHEN status = 'closed' AND date(closed_at / 1000 + 28800, 'unixepoch') <= deadline THEN 1 ELSE 0 END,
       COUNT(*)
FROM hazard
GROUP BY 1, 2, 3, 4, 5, 6;

-- The list filtered by status and grade in the order of deadlines, the territory checked
-- from the index itself; `id` before it gives the tie-break of the order without a sort.
CREATE INDEX hazard_triage_idx ON hazard (status, grade, deadline, id, region_path);
-- (status, grade, deadline) is a prefix of the index above: one fewer to keep at millions.
DROP INDEX hazard_list_idx;
