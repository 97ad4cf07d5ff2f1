-- 督查督办: assignments of policy tasks to organisations, their reports, reviews and
-- timeline; evidence files; dated deliverables (报送事项). Dates are 'YYYY-MM-DD' text in
-- Asia/Shanghai; instants are epoch milliseconds.

CREATE TABLE assignment (
    id              INTEGER PRIMARY KEY,
    policy_id       BIGINT NOT NULL,
    task_number     BIGINT NOT NULL,
    measure_number  BIGINT NOT NULL,
    org_id          BIGINT NOT NULL,
    role            TEXT NOT NULL,
    status          TEXT NOT NULL,
    ongoing         BOOLEAN NOT NULL,
    -- The task's due date when issued (a window's end for windows); NULL: no fixed date.
    due             TEXT,
    -- The date that decides the light now: `due`, or for an ongoing task the next periodic
    -- report date. Kept up to date by the service on every change.
    watch_due       TEXT,
    issued_at       BIGINT NOT NULL,
    issued_by       BIGINT,
    acknowledged_at BIGINT,
    last_report_at  BIGINT,
    closed_at       BIGINT,
    updated_at      BIGINT NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT assignment_uq UNIQUE (policy_id, task_number, org_id),
    CONSTRAINT assignment_policy_fk FOREIGN KEY (policy_id) REFERENCES policy (id),
    CONSTRAINT assignment_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT assignment_role_ck CHECK (role IN ('lead', 'support')),
    CONSTRAINT assignment_status_ck CHECK (status IN ('issued', 'acknowledged', 'reported', 'returned', 'completion_requested', 'closed'))
);
CREATE INDEX assignment_org_idx ON assignment (org_id, status);
CREATE INDEX assignment_task_idx ON assignment (policy_id, task_number);
CREATE INDEX assignment_watch_idx ON assignment (status, watch_due);

CREATE TABLE assignment_report (
    id              INTEGER PRIMARY KEY,
    assignment_id   BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    text            TEXT NOT NULL,
    submitted_at    BIGINT NOT NULL,
    submitted_by    BIGINT NOT NULL,
    decision        TEXT,
    review_comment  TEXT NOT NULL DEFAULT '',
    reviewed_at     BIGINT,
    reviewed_by     BIGINT,
    CONSTRAINT report_assignment_fk FOREIGN KEY (assignment_id) REFERENCES assignment (id),
    CONSTRAINT report_kind_ck CHECK (kind IN ('progress', 'completion')),
    CONSTRAINT report_decision_ck CHECK (decision IS NULL OR decision IN ('accepted', 'returned'))
);
CREATE INDEX report_assignment_idx ON assignment_report (assignment_id, submitted_at);

-- Everything that happened, for the timeline of a task across organisations.
CREATE TABLE assignment_event (
    id              INTEGER PRIMARY KEY,
    assignment_id   BIGINT NOT NULL,
    policy_id       BIGINT NOT NULL,
    task_number     BIGINT NOT NULL,
    org_id          BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    actor_id        BIGINT,
    actor_name      TEXT NOT NULL,
    at              BIGINT NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    report_id       BIGINT,
    CONSTRAINT event_assignment_fk FOREIGN KEY (assignment_id) REFERENCES assignment (id)
);
CREATE INDEX event_task_idx ON assignment_event (policy_id, task_number, at);
CREATE INDEX event_assignment_idx ON assignment_event (assignment_id, at);

-- Evidence files, stored outside the database under their SHA-256.
CREATE TABLE attachment (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL,
    size            BIGINT NOT NULL,
    mime            TEXT NOT NULL,
    filename        TEXT NOT NULL,
    uploaded_by     BIGINT NOT NULL,
    uploaded_at     BIGINT NOT NULL
);
CREATE INDEX attachment_sha_idx ON attachment (sha256);

CREATE TABLE report_attachment (
    report_id       BIGINT NOT NULL,
    attachment_id   BIGINT NOT NULL,
    CONSTRAINT report_attachment_pk PRIMARY KEY (report_id, attachment_id),
    CONSTRAINT report_attachment_report_fk FOREIGN KEY (report_id) REFERENCES assignment_report (id),
    CONSTRAINT report_attachment_attachment_fk FOREIGN KEY (attachment_id) REFERENCES attachment (id)
);

-- 报送事项: a deliverable required from an organisation, and what it submitted.
CREATE TABLE deliverable_requirement (
    id              INTEGER PRIMARY KEY,
    policy_id       BIGINT NOT NULL,
    deliverable_code TEXT NOT NULL,
    org_id          BIGINT NOT NULL,
    due             TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT deliverable_requirement_uq UNIQUE (policy_id, deliverable_code, org_id),
    CONSTRAINT deliverable_requirement_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT deliverable_requirement_policy_fk FOREIGN KEY (policy_id) REFERENCES policy (id),
    CONSTRAINT deliverable_requirement_status_ck CHECK (status IN ('pending', 'submitted', 'returned', 'accepted'))
);
CREATE INDEX deliverable_requirement_org_idx ON deliverable_requirement (org_id, status);

CREATE TABLE deliverable_submission (
    id              INTEGER PRIMARY KEY,
    requirement_id  BIGINT NOT NULL,
    note            TEXT NOT NULL,
    submitted_at    BIGINT NOT NULL,
    submitted_by    BIGINT NOT NULL,
    late            BOOLEAN NOT NULL,
    decision        TEXT,
    review_comment  TEXT NOT NULL DEFAULT '',
    reviewed_at     BIGINT,
    reviewed_by     BIGINT,
    CONSTRAINT deliverable_submission_requirement_fk FOREIGN KEY (requirement_id) REFERENCES deliverable_requirement (id),
    CONSTRAINT deliverable_submission_decision_ck CHECK (decision IS NULL OR decision IN ('accepted', 'returned'))
);
CREATE INDEX deliverable_submission_requirement_idx ON deliverable_submission (requirement_id, submitted_at);

CREATE TABLE submission_attachment (
    submission_id   BIGINT NOT NULL,
    attachment_id   BIGINT NOT NULL,
    CONSTRAINT submission_attachment_pk PRIMARY KEY (submission_id, attachment_id),
    CONSTRAINT submission_attachment_submission_fk FOREIGN KEY (submission_id) REFERENCES deliverable_submission (id),
    CONSTRAINT submission_attachment_attachment_fk FOREIGN KEY (attachment_id) REFERENCES attachment (id)
);
