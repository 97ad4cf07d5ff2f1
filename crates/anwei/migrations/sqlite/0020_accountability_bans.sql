-- Accountability (追责问责) and the principal-person ban registry (从业禁止, 安全生产法 第九十四条).
--
-- An accountability outcome is one decision about one person or one organisation for an
-- accident: 党纪处分, 政务处分, 撤职, a fine, or a criminal referral/penalty, with its document
-- number. A person's ID number is sealed (`id_number_sealed`, SM4-GCM under the vault) with its
-- blind index for exact lookups and its masked form; the plain number is never stored.
-- Dates are `YYYY-MM-DD`; `*_at` are epoch milliseconds (server clock).
CREATE TABLE accountability (
    id                      INTEGER PRIMARY KEY,
    accident_id             BIGINT NOT NULL,
    subject                 TEXT NOT NULL,
    name                    TEXT NOT NULL,
    position                TEXT NOT NULL DEFAULT '',
    id_number_sealed        TEXT NOT NULL DEFAULT '',
    id_number_index         TEXT NOT NULL DEFAULT '',
    id_number_masked        TEXT NOT NULL DEFAULT '',
    kind                    TEXT NOT NULL,
    principal_responsibility BOOLEAN NOT NULL DEFAULT FALSE,
    fine_yuan               BIGINT,
    income_yuan             BIGINT,
    aggravated              BOOLEAN NOT NULL DEFAULT FALSE,
    decided_on              TEXT NOT NULL,
    penalty_ends_on         TEXT,
    document_no             TEXT NOT NULL,
    note                    TEXT NOT NULL DEFAULT '',
    created_by              BIGINT NOT NULL,
    created_by_org          BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    CONSTRAINT accountability_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT accountability_creator_fk FOREIGN KEY (created_by) REFERENCES account (id),
    CONSTRAINT accountability_creator_org_fk FOREIGN KEY (created_by_org) REFERENCES org (id),
    CONSTRAINT accountability_subject_ck CHECK (subject IN ('person', 'organisation')),
    CONSTRAINT accountability_kind_ck CHECK (kind IN ('party_discipline', 'government_sanction', 'removal', 'fine', 'criminal_referral', 'criminal')),
    CONSTRAINT accountability_fine_ck CHECK (fine_yuan IS NULL OR fine_yuan >= 0)
);
CREATE INDEX accountability_accident_idx ON accountability (accident_id);

-- The ban registry: who may not be the principal (主要负责人) of a production unit. `ground` is
-- `removal` or `criminal` (five years from `starts_on`, last banned day `ends_on`) or
-- `responsibility` (for life in `industry`, for a 重大 / 特别重大 accident of `grade`; `ends_on`
-- NULL). The source is an accountability outcome, or a manual entry by the city office with
-- its document number.
CREATE TABLE ban (
    id                      INTEGER PRIMARY KEY,
    id_number_sealed        TEXT NOT NULL,
    id_number_index         TEXT NOT NULL,
    id_number_masked        TEXT NOT NULL,
    name                    TEXT NOT NULL,
    ground                  TEXT NOT NULL,
    grade                   TEXT NOT NULL DEFAULT '',
    industry                TEXT NOT NULL DEFAULT '',
    starts_on               TEXT NOT NULL,
    ends_on                 TEXT,
    accountability_id       BIGINT,
    document_no             TEXT NOT NULL,
    created_by              BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    CONSTRAINT ban_accountability_fk FOREIGN KEY (accountability_id) REFERENCES accountability (id),
    CONSTRAINT ban_creator_fk FOREIGN KEY (created_by) REFERENCES account (id),
    CONSTRAINT ban_ground_ck CHECK (ground IN ('removal', 'criminal', 'responsibility'))
);
CREATE INDEX ban_index_idx ON ban (id_number_index);
CREATE INDEX ban_name_idx ON ban (name);

-- The investigation of an accident (事故调查, 条例 第十九条 to 第三十二条): one per accident. The
-- lead level follows the grade; the report is due 60 days from the accident (`extension_days`
-- approved, at most 60 in all); a requested extension waits in `requested_days` until someone
-- other than the requester decides it. The report is submitted, then approved (批复) within 15
-- days of submission (30 for 特别重大). `team` is a JSON list of members.
CREATE TABLE investigation (
    id                      INTEGER PRIMARY KEY,
    accident_id             BIGINT NOT NULL,
    lead_level              TEXT NOT NULL,
    team                    TEXT NOT NULL,
    status                  TEXT NOT NULL,
    opened_on               TEXT NOT NULL,
    extension_days          BIGINT NOT NULL DEFAULT 0,
    requested_days          BIGINT,
    request_reason          TEXT NOT NULL DEFAULT '',
    requested_by            BIGINT,
    report_summary          TEXT NOT NULL DEFAULT '',
    findings                TEXT NOT NULL DEFAULT '',
    reported_on             TEXT,
    reported_by             BIGINT,
    approved_on             TEXT,
    approved_by             BIGINT,
    created_by              BIGINT NOT NULL,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    CONSTRAINT investigation_accident_uq UNIQUE (accident_id),
    CONSTRAINT investigation_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT investigation_creator_fk FOREIGN KEY (created_by) REFERENCES account (id),
    CONSTRAINT investigation_requester_fk FOREIGN KEY (requested_by) REFERENCES account (id),
    CONSTRAINT investigation_reporter_fk FOREIGN KEY (reported_by) REFERENCES account (id),
    CONSTRAINT investigation_approver_fk FOREIGN KEY (approved_by) REFERENCES account (id),
    CONSTRAINT investigation_status_ck CHECK (status IN ('open', 'reported', 'approved')),
    CONSTRAINT investigation_extension_ck CHECK (extension_days >= 0 AND extension_days <= 60)
);
