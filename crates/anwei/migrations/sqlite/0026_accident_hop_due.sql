-- 及时率 per reporting level in the accident statistics (issue 12): the hops due in a period,
-- grouped by the reporting level. The index covers the grouped read (due time, the accident
-- for the scope's join, the level and how the hop was closed), so the statistics read the
-- period's hops from the index alone.
CREATE INDEX accident_hop_due_idx ON accident_hop (due_at, accident_id, from_level, acknowledged_at, late_minutes);
