-- The dashboards' overdue figure (issue 11), kept as a tally: per place and deadline, how many
-- hazards are not closed. Overdue on a day is the sum of the counters whose deadline is before
-- it: a few thousand counters for the city instead of counting 130,000 overdue rows of five
-- million hazards from the triage index (the city dashboard's p99 on PostgreSQL missed 200 ms
-- by that count). Moved by the hazards capability in the same transaction as the registration,
-- each status move into or out of 'closed', and each approved extension.
CREATE TABLE hazard_open_tally (
    region_path         TEXT NOT NULL,
    deadline            TEXT NOT NULL,
    n                   BIGINT NOT NULL,
    CONSTRAINT hazard_open_tally_pk PRIMARY KEY (region_path, deadline)
);

INSERT INTO hazard_open_tally (region_path, deadline, n)
SELECT region_path, deadline, COUNT(*) FROM hazard WHERE status <> 'closed' GROUP BY 1, 2;
-- The overdue read: the deadlines before today, then the place pattern, from the index alone.
CREATE INDEX hazard_open_tally_deadline_idx ON hazard_open_tally (deadline, region_path, n);
