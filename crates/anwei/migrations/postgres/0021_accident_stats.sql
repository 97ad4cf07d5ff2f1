-- 事故统计 (issue 12): the accident tally — how many accidents, and the deaths, serious injuries,
-- missing persons and direct loss of their LATEST versions, per place, month of occurrence
-- (UTC+8), grade, GB 6441 type and industry. Kept in the same transaction as every filing and
-- supplementary report (a supplementary report takes the previous version's figures out and
-- puts the new ones in), so the statistics never scan the versions.
CREATE TABLE accident_tally (
    region_path         TEXT NOT NULL,
    month               TEXT NOT NULL,
    grade               TEXT NOT NULL,
    accident_type       TEXT NOT NULL,
    industry            TEXT NOT NULL,
    n                   BIGINT NOT NULL,
    deaths              BIGINT NOT NULL,
    serious_injuries    BIGINT NOT NULL,
    missing             BIGINT NOT NULL,
    direct_loss_yuan    BIGINT NOT NULL,
    CONSTRAINT accident_tally_pk PRIMARY KEY (region_path, month, grade, accident_type, industry)
);

INSERT INTO accident_tally (region_path, month, grade, accident_type, industry, n, deaths, serious_injuries, missing, direct_loss_yuan)
SELECT a.region_path, to_char(to_timestamp(a.occurred_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), a.grade, a.accident_type, a.industry,
       COUNT(*), SUM(v.deaths), SUM(v.serious_injuries), SUM(v.missing), SUM(v.direct_loss_yuan)
FROM accident a JOIN accident_version v ON v.accident_id = a.id AND v.version = a.version
GROUP BY 1, 2, 3, 4, 5;
-- The statistics read a period's months first.
CREATE INDEX accident_tally_month_idx ON accident_tally (month, region_path);

-- 举报 (issue 13): how many reports there are per place, status, category and handling
-- department (0: none yet), so the handlers' list answers its total without counting a million
-- rows. Kept by the triggers below in the same transaction as every report's insert and move.
CREATE TABLE report_tally (
    region_path         TEXT NOT NULL,
    status              TEXT NOT NULL,
    category            TEXT NOT NULL,
    handler_org_id      BIGINT NOT NULL,
    n                   BIGINT NOT NULL,
    CONSTRAINT report_tally_pk PRIMARY KEY (region_path, status, category, handler_org_id)
);

INSERT INTO report_tally (region_path, status, category, handler_org_id, n)
SELECT region_path, status, category, COALESCE(handler_org_id, 0), COUNT(*)
FROM report GROUP BY 1, 2, 3, 4;

CREATE FUNCTION report_tally_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE report_tally SET n = n - 1
        WHERE region_path = OLD.region_path AND status = OLD.status AND category = OLD.category
          AND handler_org_id = COALESCE(OLD.handler_org_id, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_tally (region_path, status, category, handler_org_id, n)
        VALUES (NEW.region_path, NEW.status, NEW.category, COALESCE(NEW.handler_org_id, 0), 1)
        ON CONFLICT (region_path, status, category, handler_org_id) DO UPDATE SET n = report_tally.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_tally_insert AFTER INSERT ON report
    FOR EACH ROW EXECUTE FUNCTION report_tally_move();
CREATE TRIGGER report_tally_update AFTER UPDATE OF region_path, status, category, handler_org_id ON report
    FOR EACH ROW EXECUTE FUNCTION report_tally_move();
CREATE TRIGGER report_tally_delete AFTER DELETE ON report
    FOR EACH ROW EXECUTE FUNCTION report_tally_move();
