-- 检查记录 and 大检查 / 专项整治 / 打非治违 (articles 十六 and 十七 of 通安委〔2022〕10号).
--
-- A campaign (`campaign`) has a window, a scope (industries as GB/T 4754 sections or divisions,
-- place types, region codes with their materialised paths; each a comma-separated list, empty: all) and its participating
-- departments (`campaign_department`). It belongs to the committee office that created it
-- (`owner_org_id`, whose region path is kept for the scope filter).
CREATE TABLE campaign (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL,
    start_date          TEXT NOT NULL,
    end_date            TEXT NOT NULL,
    industries          TEXT NOT NULL DEFAULT '',
    place_types         TEXT NOT NULL DEFAULT '',
    region_codes        TEXT NOT NULL DEFAULT '',
    region_paths        TEXT NOT NULL DEFAULT '',
    owner_org_id        BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    created_by          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT campaign_owner_fk FOREIGN KEY (owner_org_id) REFERENCES org (id),
    CONSTRAINT campaign_creator_fk FOREIGN KEY (created_by) REFERENCES account (id),
    CONSTRAINT campaign_kind_ck CHECK (kind IN ('general_inspection', 'special_rectification', 'illegal_activities'))
);
CREATE INDEX campaign_region_idx ON campaign (region_path, start_date);
CREATE INDEX campaign_owner_idx ON campaign (owner_org_id);
CREATE INDEX campaign_creator_idx ON campaign (created_by);

CREATE TABLE campaign_department (
    campaign_id         BIGINT NOT NULL,
    org_id              BIGINT NOT NULL,
    CONSTRAINT campaign_department_pk PRIMARY KEY (campaign_id, org_id),
    CONSTRAINT campaign_department_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaign (id),
    CONSTRAINT campaign_department_org_fk FOREIGN KEY (org_id) REFERENCES org (id)
);
CREATE INDEX campaign_department_org_idx ON campaign_department (org_id);

-- An inspection at an enterprise by an organisation (department, office or territory), on a
-- day, by its officers (`inspection_officer`, people of the registry), optionally led by a
-- leader in a position (带队检查: the duty record is the activity whose `inspection_id` is
-- this one) and optionally part of a campaign. `region_path` and `industry` are the
-- enterprise's when it was inspected.
CREATE TABLE inspection (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL,
    org_id              BIGINT NOT NULL,
    enterprise_id       BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    industry            TEXT NOT NULL,
    campaign_id         BIGINT,
    leader_position_id  BIGINT,
    leader_person_id    BIGINT,
    date                TEXT NOT NULL,
    place               TEXT NOT NULL DEFAULT '',
    checked             TEXT NOT NULL,
    findings            TEXT NOT NULL DEFAULT '',
    created_by          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT inspection_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT inspection_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT inspection_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaign (id),
    CONSTRAINT inspection_position_fk FOREIGN KEY (leader_position_id) REFERENCES org_position (id),
    CONSTRAINT inspection_person_fk FOREIGN KEY (leader_person_id) REFERENCES person (id),
    CONSTRAINT inspection_creator_fk FOREIGN KEY (created_by) REFERENCES account (id),
    CONSTRAINT inspection_kind_ck CHECK (kind IN ('routine', 'enforcement'))
);
CREATE INDEX inspection_enterprise_idx ON inspection (enterprise_id, date);
CREATE INDEX inspection_region_idx ON inspection (region_path, date);
CREATE INDEX inspection_campaign_idx ON inspection (campaign_id, enterprise_id);
CREATE INDEX inspection_org_idx ON inspection (org_id);
CREATE INDEX inspection_position_idx ON inspection (leader_position_id);
CREATE INDEX inspection_person_idx ON inspection (leader_person_id);
CREATE INDEX inspection_creator_idx ON inspection (created_by);

CREATE TABLE inspection_officer (
    inspection_id       BIGINT NOT NULL,
    person_id           BIGINT NOT NULL,
    CONSTRAINT inspection_officer_pk PRIMARY KEY (inspection_id, person_id),
    CONSTRAINT inspection_officer_inspection_fk FOREIGN KEY (inspection_id) REFERENCES inspection (id),
    CONSTRAINT inspection_officer_person_fk FOREIGN KEY (person_id) REFERENCES person (id)
);
CREATE INDEX inspection_officer_person_idx ON inspection_officer (person_id);

-- A hazard found by an inspection, and the article 十七 flag: registered at an enterprise that
-- an earlier campaign inspection (`unlisted_by_inspection_id`) covered without finding a major
-- hazard, it is to be handled as an accident (按事故对待).
ALTER TABLE hazard ADD COLUMN inspection_id BIGINT CONSTRAINT hazard_inspection_fk REFERENCES inspection (id);
ALTER TABLE hazard ADD COLUMN unlisted_by_inspection_id BIGINT CONSTRAINT hazard_unlisted_fk REFERENCES inspection (id);
CREATE INDEX hazard_inspection_idx ON hazard (inspection_id);
CREATE INDEX hazard_unlisted_idx ON hazard (unlisted_by_inspection_id);

-- A leader's duty record (带队检查) that a recorded inspection is the evidence of: at most one
-- record per inspection.
ALTER TABLE activity ADD COLUMN inspection_id BIGINT CONSTRAINT activity_inspection_fk REFERENCES inspection (id);
CREATE UNIQUE INDEX activity_inspection_uq ON activity (inspection_id);

-- 人员密集场所, 高层建筑, 自建房 …: the place types an enterprise is (codes of
-- `anwei_rules::campaign::PlaceType`, comma-separated, in vocabulary order).
ALTER TABLE enterprise ADD COLUMN place_types TEXT NOT NULL DEFAULT '';
