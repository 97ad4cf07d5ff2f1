-- 疑似瞒报案件 (a suspected concealment case, issue 12): a lead from a public report, a
-- hospital, the police, an insurer or an inspection that an accident was concealed (瞒报),
-- falsely reported (谎报) or reported without required contents (漏报). Listed for supervision
-- one level up (一律由上级安委会挂牌督办): `supervising_path` is the region whose 安委办 verifies
-- it (the parent of the case's territory; the city's own for a city-level case).
CREATE TABLE concealment_case (
    id                          INTEGER PRIMARY KEY,
    region_id                   BIGINT NOT NULL,
    region_path                 TEXT NOT NULL,
    supervising_path            TEXT NOT NULL,
    source                      TEXT NOT NULL,
    source_note                 TEXT NOT NULL DEFAULT '',
    unit_name                   TEXT NOT NULL,
    enterprise_id               BIGINT,
    occurred_at                 BIGINT NOT NULL,
    description                 TEXT NOT NULL,
    alleged_deaths              BIGINT,
    alleged_serious_injuries    BIGINT,
    alleged_missing             BIGINT,
    alleged_direct_loss_yuan    BIGINT,
    accident_id                 BIGINT,
    report_id                   BIGINT,
    status                      TEXT NOT NULL DEFAULT 'open',
    outcome                     TEXT,
    verified_deaths             BIGINT,
    verified_serious_injuries   BIGINT,
    verified_missing            BIGINT,
    verified_direct_loss_yuan   BIGINT,
    verified_grade              TEXT,
    concealed_deaths            BIGINT,
    missing_contents            TEXT NOT NULL DEFAULT '',
    verify_note                 TEXT NOT NULL DEFAULT '',
    result_accident_id          BIGINT,
    opened_by                   BIGINT NOT NULL,
    opened_by_org               BIGINT NOT NULL,
    verified_by                 BIGINT,
    verified_at                 BIGINT,
    created_at                  BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL,
    CONSTRAINT concealment_case_region_fk FOREIGN KEY (region_id) REFERENCES region (id),
    CONSTRAINT concealment_case_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT concealment_case_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT concealment_case_report_fk FOREIGN KEY (report_id) REFERENCES report (id),
    CONSTRAINT concealment_case_result_fk FOREIGN KEY (result_accident_id) REFERENCES accident (id),
    CONSTRAINT concealment_case_opener_fk FOREIGN KEY (opened_by) REFERENCES account (id),
    CONSTRAINT concealment_case_opener_org_fk FOREIGN KEY (opened_by_org) REFERENCES org (id),
    CONSTRAINT concealment_case_verifier_fk FOREIGN KEY (verified_by) REFERENCES account (id),
    CONSTRAINT concealment_case_source_ck CHECK (source IN ('public_report', 'hospital', 'police', 'insurer', 'inspection', 'other')),
    CONSTRAINT concealment_case_status_ck CHECK (status IN ('open', 'verified', 'unfounded')),
    CONSTRAINT concealment_case_outcome_ck CHECK (outcome IS NULL OR outcome IN ('concealed', 'falsified', 'omitted', 'unfounded'))
);
CREATE INDEX concealment_case_region_idx ON concealment_case (region_path, id);
CREATE INDEX concealment_case_supervising_idx ON concealment_case (supervising_path, status);
CREATE INDEX concealment_case_accident_idx ON concealment_case (accident_id);
CREATE INDEX concealment_case_result_idx ON concealment_case (result_accident_id);

-- What a verified case found about an accident: 瞒报 (concealed), 谎报 (falsified), 漏报
-- (omitted), each once per accident, with the case that found it.
CREATE TABLE accident_flag (
    accident_id         BIGINT NOT NULL,
    flag                TEXT NOT NULL,
    case_id             BIGINT NOT NULL,
    detail              TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    CONSTRAINT accident_flag_pk PRIMARY KEY (accident_id, flag),
    CONSTRAINT accident_flag_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT accident_flag_case_fk FOREIGN KEY (case_id) REFERENCES concealment_case (id),
    CONSTRAINT accident_flag_flag_ck CHECK (flag IN ('concealed', 'falsified', 'omitted'))
);
CREATE INDEX accident_flag_flag_idx ON accident_flag (flag, accident_id);
