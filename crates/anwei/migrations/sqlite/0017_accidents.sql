-- Accidents (生产安全事故, 国务院令第493号): the report as filed and each supplementary report
-- (补报/续报) as a new version; nothing is overwritten. The accident row carries what does not
-- change between versions (when, where, which unit, the type) and, for the lists, the latest
-- version's number, grade and criterion. `region_path` is the accident's region's, kept for
-- scope checks. `occurred_at` and the `*_at` columns are epoch milliseconds (server clock for
-- the latter). Grades are computed by `anwei_rules::accident::grade`, never taken from a client.
CREATE TABLE accident (
    id                  INTEGER PRIMARY KEY,
    region_id           BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    enterprise_id       BIGINT,
    unit_name           TEXT NOT NULL,
    industry            TEXT NOT NULL DEFAULT '',
    accident_type       TEXT NOT NULL,
    category            TEXT NOT NULL,
    occurred_at         BIGINT NOT NULL,
    location            TEXT NOT NULL DEFAULT '',
    version             BIGINT NOT NULL,
    grade               TEXT NOT NULL,
    criterion           TEXT NOT NULL,
    reported_by         BIGINT NOT NULL,
    reported_by_org     BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT accident_region_fk FOREIGN KEY (region_id) REFERENCES region (id),
    CONSTRAINT accident_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT accident_reporter_fk FOREIGN KEY (reported_by) REFERENCES account (id),
    CONSTRAINT accident_reporter_org_fk FOREIGN KEY (reported_by_org) REFERENCES org (id),
    CONSTRAINT accident_grade_ck CHECK (grade IN ('ordinary', 'serious', 'very_serious', 'extremely_serious'))
);
CREATE INDEX accident_region_idx ON accident (region_path, occurred_at);
CREATE INDEX accident_enterprise_idx ON accident (enterprise_id);

-- One version of an accident's figures (条例 第十二条（四）) and narrative: version 1 is the first
-- report, each later one a supplementary report (accepted only within the window of 第十三条).
CREATE TABLE accident_version (
    accident_id         BIGINT NOT NULL,
    version             BIGINT NOT NULL,
    deaths              BIGINT NOT NULL,
    serious_injuries    BIGINT NOT NULL,
    missing             BIGINT NOT NULL,
    direct_loss_yuan    BIGINT NOT NULL,
    summary             TEXT NOT NULL,
    measures            TEXT NOT NULL DEFAULT '',
    other               TEXT NOT NULL DEFAULT '',
    grade               TEXT NOT NULL,
    criterion           TEXT NOT NULL,
    reported_by         BIGINT NOT NULL,
    reported_by_org     BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT accident_version_pk PRIMARY KEY (accident_id, version),
    CONSTRAINT accident_version_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT accident_version_reporter_fk FOREIGN KEY (reported_by) REFERENCES account (id),
    CONSTRAINT accident_version_reporter_org_fk FOREIGN KEY (reported_by_org) REFERENCES org (id),
    CONSTRAINT accident_version_counts_ck CHECK (deaths >= 0 AND serious_injuries >= 0 AND missing >= 0 AND direct_loss_yuan >= 0),
    CONSTRAINT accident_version_grade_ck CHECK (grade IN ('ordinary', 'serious', 'very_serious', 'extremely_serious'))
);
