-- Anwei foundation schema. Instants are epoch milliseconds (BIGINT) on both backends;
-- calendar dates are 'YYYY-MM-DD' text. Every constraint is named so the schema-parity
-- test can compare both backends.

CREATE TABLE region (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_id   BIGINT,
    path        TEXT NOT NULL,
    has_gb2260_code BOOLEAN NOT NULL,
    sort_order  BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT region_code_uq UNIQUE (code),
    CONSTRAINT region_parent_fk FOREIGN KEY (parent_id) REFERENCES region (id),
    CONSTRAINT region_level_ck CHECK (level IN ('province', 'city', 'county', 'township'))
);

CREATE TABLE org (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    level       TEXT NOT NULL,
    region_id   BIGINT NOT NULL,
    parent_id   BIGINT,
    supervises_safety BOOLEAN NOT NULL DEFAULT FALSE,
    sectors     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    sort_order  BIGINT NOT NULL DEFAULT 0,
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    retired_at  BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT org_code_uq UNIQUE (code),
    CONSTRAINT org_region_fk FOREIGN KEY (region_id) REFERENCES region (id),
    CONSTRAINT org_parent_fk FOREIGN KEY (parent_id) REFERENCES org (id),
    CONSTRAINT org_kind_ck CHECK (kind IN ('party_committee', 'government', 'safety_committee', 'safety_office', 'department', 'discipline', 'court', 'procuratorate', 'fire_rescue', 'enterprise')),
    CONSTRAINT org_level_ck CHECK (level IN ('city', 'county', 'township'))
);
CREATE INDEX org_region_idx ON org (region_id);
CREATE INDEX org_parent_idx ON org (parent_id);

-- Names an organisation has had; renaming keeps its records and its history.
CREATE TABLE org_name_history (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL,
    name        TEXT NOT NULL,
    valid_from  BIGINT NOT NULL,
    valid_to    BIGINT,
    CONSTRAINT org_name_history_org_fk FOREIGN KEY (org_id) REFERENCES org (id)
);
CREATE INDEX org_name_history_org_idx ON org_name_history (org_id);

CREATE TABLE person (
    id          INTEGER PRIMARY KEY,
    -- The organisation that keeps this person's record; it decides who may see it.
    org_id      BIGINT NOT NULL,
    name        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT person_org_fk FOREIGN KEY (org_id) REFERENCES org (id)
);
CREATE INDEX person_org_idx ON person (org_id);

-- A position belongs to an organisation; duties attach to positions, so they survive a
-- change of the person who holds it.
CREATE TABLE org_position (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    sectors     TEXT NOT NULL DEFAULT '',
    sort_order  BIGINT NOT NULL DEFAULT 0,
    retired_at  BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT position_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT position_kind_ck CHECK (kind IN ('principal', 'deputy', 'standing_member', 'office_staff', 'liaison', 'other'))
);
CREATE INDEX position_org_idx ON org_position (org_id);

CREATE TABLE position_holding (
    id          INTEGER PRIMARY KEY,
    position_id BIGINT NOT NULL,
    person_id   BIGINT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    created_at  BIGINT NOT NULL,
    CONSTRAINT holding_position_fk FOREIGN KEY (position_id) REFERENCES org_position (id),
    CONSTRAINT holding_person_fk FOREIGN KEY (person_id) REFERENCES person (id)
);
CREATE INDEX holding_position_idx ON position_holding (position_id);
CREATE INDEX holding_person_idx ON position_holding (person_id);

CREATE TABLE account (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    org_id          BIGINT NOT NULL,
    person_id       BIGINT,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    totp_secret     TEXT,
    totp_enabled    BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step  BIGINT,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    password_changed_at BIGINT NOT NULL,
    last_login_at   BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT account_username_uq UNIQUE (username),
    CONSTRAINT account_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT account_person_fk FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT account_role_ck CHECK (role IN ('admin', 'office', 'department', 'territory', 'enterprise', 'discipline', 'leader', 'auditor'))
);
CREATE INDEX account_org_idx ON account (org_id);

-- Server-side sessions; only a SHA-256 of the 256-bit cookie value is stored.
CREATE TABLE session (
    id_hash     TEXT NOT NULL,
    account_id  BIGINT NOT NULL,
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    CONSTRAINT session_pk PRIMARY KEY (id_hash),
    CONSTRAINT session_account_fk FOREIGN KEY (account_id) REFERENCES account (id)
);
CREATE INDEX session_account_idx ON session (account_id);

CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    role        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT,
    last_used_at BIGINT,
    CONSTRAINT api_token_hash_uq UNIQUE (token_hash),
    CONSTRAINT api_token_account_fk FOREIGN KEY (account_id) REFERENCES account (id),
    CONSTRAINT api_token_role_ck CHECK (role IN ('admin', 'office', 'department', 'territory', 'enterprise', 'discipline', 'leader', 'auditor'))
);
CREATE INDEX api_token_account_idx ON api_token (account_id);

-- Append-only, hash-chained. seq starts at 1 with no gaps; hash = MAC(key, prev_hash ‖ fields).
CREATE TABLE audit_log (
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    ip          TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    CONSTRAINT audit_log_pk PRIMARY KEY (seq),
    CONSTRAINT audit_log_outcome_ck CHECK (outcome IN ('ok', 'denied', 'failed'))
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);

-- The chain head: one row, locked FOR UPDATE on PostgreSQL so several instances append
-- to one chain.
CREATE TABLE audit_head (
    id          BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    CONSTRAINT audit_head_pk PRIMARY KEY (id)
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE job (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    dedup_key   TEXT,
    run_at      BIGINT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    locked_until BIGINT,
    locked_by   TEXT,
    last_error  TEXT,
    done_at     BIGINT,
    failed_at   BIGINT,
    created_at  BIGINT NOT NULL,
    CONSTRAINT job_dedup_uq UNIQUE (dedup_key)
);
CREATE INDEX job_ready_idx ON job (done_at, failed_at, run_at);

CREATE TABLE notification (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    read_at     BIGINT,
    CONSTRAINT notification_account_fk FOREIGN KEY (account_id) REFERENCES account (id)
);
CREATE INDEX notification_account_idx ON notification (account_id, created_at);

-- Business settings the office may change at run time (audited), and one-time secrets
-- such as the first-administrator setup link.
CREATE TABLE setting (
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  BIGINT,
    CONSTRAINT setting_pk PRIMARY KEY (key)
);

CREATE TABLE policy (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    doc_number  TEXT NOT NULL,
    title       TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    CONSTRAINT policy_code_uq UNIQUE (code)
);

CREATE TABLE policy_measure (
    id          INTEGER PRIMARY KEY,
    policy_id   BIGINT NOT NULL,
    number      BIGINT NOT NULL,
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    CONSTRAINT policy_measure_uq UNIQUE (policy_id, number),
    CONSTRAINT policy_measure_policy_fk FOREIGN KEY (policy_id) REFERENCES policy (id)
);

CREATE TABLE policy_article (
    id          INTEGER PRIMARY KEY,
    policy_id   BIGINT NOT NULL,
    number      BIGINT NOT NULL,
    measure_number BIGINT NOT NULL,
    title_zh    TEXT NOT NULL,
    text_zh     TEXT NOT NULL,
    CONSTRAINT policy_article_uq UNIQUE (policy_id, number),
    CONSTRAINT policy_article_policy_fk FOREIGN KEY (policy_id) REFERENCES policy (id)
);

CREATE TABLE policy_task (
    id          INTEGER PRIMARY KEY,
    policy_id   BIGINT NOT NULL,
    number      BIGINT NOT NULL,
    measure_number BIGINT NOT NULL,
    articles    TEXT NOT NULL,
    content     TEXT NOT NULL,
    units_text  TEXT NOT NULL,
    deadline_text TEXT NOT NULL,
    deadline_kind TEXT NOT NULL,
    due         TEXT,
    ongoing     BOOLEAN NOT NULL,
    window_start TEXT,
    window_end  TEXT,
    selectors   TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT policy_task_uq UNIQUE (policy_id, number),
    CONSTRAINT policy_task_policy_fk FOREIGN KEY (policy_id) REFERENCES policy (id)
);

CREATE TABLE policy_deliverable (
    id          INTEGER PRIMARY KEY,
    policy_id   BIGINT NOT NULL,
    code        TEXT NOT NULL,
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    due         TEXT NOT NULL,
    article_number BIGINT,
    CONSTRAINT policy_deliverable_uq UNIQUE (policy_id, code),
    CONSTRAINT policy_deliverable_policy_fk FOREIGN KEY (policy_id) REFERENCES policy (id)
);

-- The audit log is append-only.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
