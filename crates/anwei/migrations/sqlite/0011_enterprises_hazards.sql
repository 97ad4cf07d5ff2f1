-- 企业 and 隐患排查治理 (articles 八, 十, 十六 to 十八 and 三十 of 通安委〔2022〕10号).
--
-- An enterprise is an organisation of kind `enterprise` in the tree (so its accounts, scope and
-- positions keep working); `enterprise` holds its profile. The 统一社会信用代码 is unique.
CREATE TABLE enterprise (
    org_id              BIGINT NOT NULL PRIMARY KEY,
    credit_code         TEXT NOT NULL,
    address             TEXT NOT NULL DEFAULT '',
    -- GB/T 4754-2017: a division such as `C26`, or a section such as `C` when only that is known.
    industry            TEXT NOT NULL,
    scale               TEXT NOT NULL DEFAULT '',
    central_provincial  BOOLEAN NOT NULL DEFAULT FALSE,
    management          TEXT NOT NULL DEFAULT 'county',
    major_hazard_source BOOLEAN NOT NULL DEFAULT FALSE,
    principal_name      TEXT NOT NULL DEFAULT '',
    -- 居民身份证号码 of the principal: sealed (`vault`), its blind index for exact lookups, and
    -- the masked form shown (first six and last four).
    principal_id_sealed TEXT NOT NULL DEFAULT '',
    principal_id_index  TEXT NOT NULL DEFAULT '',
    principal_id_masked TEXT NOT NULL DEFAULT '',
    created_by          BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT enterprise_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT enterprise_credit_code_uq UNIQUE (credit_code)
);
CREATE INDEX enterprise_industry_idx ON enterprise (industry);

-- 管行业必须管安全: where no department's sectors cover an enterprise's industry (a supervision
-- gap), the government names a lead department. Every decision is kept; the latest holds.
CREATE TABLE enterprise_lead (
    id                  INTEGER PRIMARY KEY,
    enterprise_id       BIGINT NOT NULL,
    department_id       BIGINT NOT NULL,
    principle           TEXT NOT NULL,
    reason              TEXT NOT NULL,
    decided_by          BIGINT NOT NULL,
    decided_at          BIGINT NOT NULL,
    CONSTRAINT enterprise_lead_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT enterprise_lead_department_fk FOREIGN KEY (department_id) REFERENCES org (id),
    CONSTRAINT enterprise_lead_decider_fk FOREIGN KEY (decided_by) REFERENCES account (id)
);
CREATE INDEX enterprise_lead_enterprise_idx ON enterprise_lead (enterprise_id, id);

-- A hazard (隐患) at an enterprise. `region_path` and `industry` are the enterprise's when it was
-- registered, kept on the row so the list filters and sorts by an index. Dates are YYYY-MM-DD.
-- The rectification's submissions and their acceptance live in the review core (`submission`,
-- subject kind `hazard`); the photos taken when it was found are `hazard_photo`.
CREATE TABLE hazard (
    id                  INTEGER PRIMARY KEY,
    enterprise_id       BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    industry            TEXT NOT NULL,
    source              TEXT NOT NULL,
    description         TEXT NOT NULL,
    location            TEXT NOT NULL DEFAULT '',
    accident_type       TEXT NOT NULL DEFAULT '',
    grade               TEXT NOT NULL,
    criterion           TEXT NOT NULL DEFAULT '',
    responsible_person  TEXT NOT NULL DEFAULT '',
    measures            TEXT NOT NULL DEFAULT '',
    funds_yuan          BIGINT,
    found_on            TEXT NOT NULL,
    deadline            TEXT NOT NULL,
    status              TEXT NOT NULL,
    reported_by         BIGINT NOT NULL,
    reported_by_org     BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    closed_at           BIGINT,
    closed_by           BIGINT,
    CONSTRAINT hazard_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT hazard_reporter_fk FOREIGN KEY (reported_by) REFERENCES account (id),
    CONSTRAINT hazard_reporter_org_fk FOREIGN KEY (reported_by_org) REFERENCES org (id),
    CONSTRAINT hazard_closer_fk FOREIGN KEY (closed_by) REFERENCES account (id)
);
CREATE INDEX hazard_list_idx ON hazard (status, grade, deadline);
CREATE INDEX hazard_region_idx ON hazard (region_path, deadline);
CREATE INDEX hazard_enterprise_idx ON hazard (enterprise_id);

CREATE TABLE hazard_photo (
    hazard_id           BIGINT NOT NULL,
    attachment_id       BIGINT NOT NULL,
    CONSTRAINT hazard_photo_pk PRIMARY KEY (hazard_id, attachment_id),
    CONSTRAINT hazard_photo_hazard_fk FOREIGN KEY (hazard_id) REFERENCES hazard (id),
    CONSTRAINT hazard_photo_attachment_fk FOREIGN KEY (attachment_id) REFERENCES attachment (id)
);
