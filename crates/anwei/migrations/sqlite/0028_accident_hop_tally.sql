-- 及时率 per reporting level (issue 12), kept as a tally: per place (the accident's region
-- path), month the hop falls due (UTC+8, `YYYY-MM`) and reporting level (`from_level`), how
-- many hops fall due, and of them how many were acknowledged on time and late. The statistics
-- of a city's year read a few hundred counters instead of joining tens of thousands of hops to
-- their accidents. Kept by the triggers below in the same transaction as every hop's insert and
-- move (as `report_tally` is), so a hop written by any path — the chain, a regrade, a bulk
-- load — counts; a hop without a running clock (`due_at` NULL) counts nowhere until it starts.
-- Open hops past due are `due - on_time - late` less the few still running, read at query time.
CREATE TABLE accident_hop_tally (
    region_path         TEXT NOT NULL,
    month               TEXT NOT NULL,
    level               TEXT NOT NULL,
    due                 BIGINT NOT NULL,
    on_time             BIGINT NOT NULL,
    late                BIGINT NOT NULL,
    CONSTRAINT accident_hop_tally_pk PRIMARY KEY (region_path, month, level)
);

INSERT INTO accident_hop_tally (region_path, month, level, due, on_time, late)
SELECT a.region_path, strftime('%Y-%m', h.due_at / 1000 + 28800, 'unixepoch'), h.from_level, COUNT(*),
       SUM(CASE WHEN h.acknowledged_at IS NOT NULL AND COALESCE(h.late_minutes, 0) = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN h.acknowledged_at IS NOT NULL AND h.late_minutes > 0 THEN 1 ELSE 0 END)
FROM accident_hop h JOIN accident a ON a.id = h.accident_id
WHERE h.due_at IS NOT NULL
GROUP BY 1, 2, 3;
-- The statistics read a period's counters from the index alone (on SQLite, no lookup into the
-- table per counter): the month range first, then the place pattern, then what is summed.
CREATE INDEX accident_hop_tally_month_idx ON accident_hop_tally (month, region_path, level, due, on_time, late);

CREATE TRIGGER accident_hop_tally_insert AFTER INSERT ON accident_hop
WHEN NEW.due_at IS NOT NULL
BEGIN
    INSERT INTO accident_hop_tally (region_path, month, level, due, on_time, late)
    SELECT a.region_path, strftime('%Y-%m', NEW.due_at / 1000 + 28800, 'unixepoch'), NEW.from_level, 1,
           CASE WHEN NEW.acknowledged_at IS NOT NULL AND COALESCE(NEW.late_minutes, 0) = 0 THEN 1 ELSE 0 END,
           CASE WHEN NEW.acknowledged_at IS NOT NULL AND NEW.late_minutes > 0 THEN 1 ELSE 0 END
    FROM accident a WHERE a.id = NEW.accident_id
    ON CONFLICT (region_path, month, level) DO UPDATE SET due = accident_hop_tally.due + excluded.due,
        on_time = accident_hop_tally.on_time + excluded.on_time, late = accident_hop_tally.late + excluded.late;
END;

-- The clock sweep rewrites `late_minutes` of open hops every run: that moves no counter, so
-- the trigger only fires when the due time, the acknowledgement or a closed hop's lateness
-- changes.
CREATE TRIGGER accident_hop_tally_update AFTER UPDATE OF due_at, acknowledged_at, late_minutes, from_level ON accident_hop
WHEN OLD.due_at IS NOT NEW.due_at OR OLD.acknowledged_at IS NOT NEW.acknowledged_at OR OLD.from_level IS NOT NEW.from_level
  OR (NEW.acknowledged_at IS NOT NULL AND OLD.late_minutes IS NOT NEW.late_minutes)
BEGIN
    UPDATE accident_hop_tally SET due = due - 1,
        on_time = on_time - CASE WHEN OLD.acknowledged_at IS NOT NULL AND COALESCE(OLD.late_minutes, 0) = 0 THEN 1 ELSE 0 END,
        late = late - CASE WHEN OLD.acknowledged_at IS NOT NULL AND OLD.late_minutes > 0 THEN 1 ELSE 0 END
    WHERE OLD.due_at IS NOT NULL AND level = OLD.from_level
      AND month = strftime('%Y-%m', OLD.due_at / 1000 + 28800, 'unixepoch')
      AND region_path = (SELECT region_path FROM accident WHERE id = OLD.accident_id);
    INSERT INTO accident_hop_tally (region_path, month, level, due, on_time, late)
    SELECT a.region_path, strftime('%Y-%m', NEW.due_at / 1000 + 28800, 'unixepoch'), NEW.from_level, 1,
           CASE WHEN NEW.acknowledged_at IS NOT NULL AND COALESCE(NEW.late_minutes, 0) = 0 THEN 1 ELSE 0 END,
           CASE WHEN NEW.acknowledged_at IS NOT NULL AND NEW.late_minutes > 0 THEN 1 ELSE 0 END
    FROM accident a WHERE a.id = NEW.accident_id AND NEW.due_at IS NOT NULL
    ON CONFLICT (region_path, month, level) DO UPDATE SET due = accident_hop_tally.due + excluded.due,
        on_time = accident_hop_tally.on_time + excluded.on_time, late = accident_hop_tally.late + excluded.late;
END;

CREATE TRIGGER accident_hop_tally_delete AFTER DELETE ON accident_hop
WHEN OLD.due_at IS NOT NULL
BEGIN
    UPDATE accident_hop_tally SET due = due - 1,
        on_time = on_time - CASE WHEN OLD.acknowledged_at IS NOT NULL AND COALESCE(OLD.late_minutes, 0) = 0 THEN 1 ELSE 0 END,
        late = late - CASE WHEN OLD.acknowledged_at IS NOT NULL AND OLD.late_minutes > 0 THEN 1 ELSE 0 END
    WHERE level = OLD.from_level AND month = strftime('%Y-%m', OLD.due_at / 1000 + 28800, 'unixepoch')
      AND region_path = (SELECT region_path FROM accident WHERE id = OLD.accident_id);
END;

-- The same for the accident tally's grouped sums (`accidents::stats::store::sums`): five
-- GROUP BYs over the period's counters, each read from this index alone. A city's three years
-- read every counter five times; with the narrow month index each was a lookup into the table.
DROP INDEX accident_tally_month_idx;
CREATE INDEX accident_tally_month_idx ON accident_tally (month, region_path, grade, accident_type, industry, n, deaths,
    serious_injuries, missing, direct_loss_yuan);
