-- 履职记录 (recurring duties): activity records with evidence, 抄报 deliveries of minutes,
-- sensitive periods. Dates are 'YYYY-MM-DD' text in Asia/Shanghai; instants are epoch ms.

CREATE TABLE activity (
    id                  INTEGER PRIMARY KEY,
    org_id              BIGINT NOT NULL,
    kind                TEXT NOT NULL,
    date                TEXT NOT NULL,
    title               TEXT NOT NULL,
    led_by_position_id  BIGINT,
    led_by_person_id    BIGINT,
    participants        TEXT NOT NULL DEFAULT '',
    topics              TEXT NOT NULL DEFAULT '',
    places              TEXT NOT NULL DEFAULT '',
    findings            TEXT NOT NULL DEFAULT '',
    created_by          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    -- Entered after the quarter of its date had closed: shown as late, and it does not turn
    -- a missed period into met unless the office accepts it with a reason.
    entered_late        BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_late       BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_reason     TEXT NOT NULL DEFAULT '',
    CONSTRAINT activity_uq UNIQUE (org_id, led_by_position_id, kind, date, title),
    CONSTRAINT activity_org_fk FOREIGN KEY (org_id) REFERENCES org (id),
    CONSTRAINT activity_position_fk FOREIGN KEY (led_by_position_id) REFERENCES org_position (id),
    CONSTRAINT activity_person_fk FOREIGN KEY (led_by_person_id) REFERENCES person (id),
    CONSTRAINT activity_kind_ck CHECK (kind IN ('study', 'standing_committee_meeting', 'executive_meeting', 'special_meeting', 'sector_meeting', 'led_inspection', 'report_to_principal', 'tour'))
);
CREATE INDEX activity_org_date_idx ON activity (org_id, date);
CREATE INDEX activity_position_idx ON activity (led_by_position_id, date);

CREATE TABLE activity_attachment (
    activity_id     BIGINT NOT NULL,
    attachment_id   BIGINT NOT NULL,
    CONSTRAINT activity_attachment_pk PRIMARY KEY (activity_id, attachment_id),
    CONSTRAINT activity_attachment_activity_fk FOREIGN KEY (activity_id) REFERENCES activity (id),
    CONSTRAINT activity_attachment_attachment_fk FOREIGN KEY (attachment_id) REFERENCES attachment (id)
);

-- 抄报: a standing-committee meeting's minutes delivered to the upper committee office.
CREATE TABLE minutes_delivery (
    id              INTEGER PRIMARY KEY,
    activity_id     BIGINT NOT NULL,
    to_org_id       BIGINT NOT NULL,
    delivered_at    BIGINT NOT NULL,
    CONSTRAINT minutes_delivery_uq UNIQUE (activity_id, to_org_id),
    CONSTRAINT minutes_delivery_activity_fk FOREIGN KEY (activity_id) REFERENCES activity (id),
    CONSTRAINT minutes_delivery_org_fk FOREIGN KEY (to_org_id) REFERENCES org (id)
);
CREATE INDEX minutes_delivery_org_idx ON minutes_delivery (to_org_id, delivered_at);

-- 重点敏感时期: a window and its tightened rules, as JSON
-- [{"rule_code", "period", "min_count"}].
CREATE TABLE sensitive_period (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    tightenings     TEXT NOT NULL,
    created_by      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    CONSTRAINT sensitive_period_dates_ck CHECK (start_date <= end_date)
);
CREATE INDEX sensitive_period_dates_idx ON sensitive_period (start_date, end_date);
