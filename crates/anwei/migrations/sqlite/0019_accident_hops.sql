-- The reporting chain of an accident (条例 第九条 to 第十一条): one row per hop, from the level
-- that has the report to the level above, created at filing for the chain the grade requires
-- and extended by a regrade (escalation). `received_at` is when `from_level` had the report —
-- the hop's clock starts then (the accident's time for the unit) and stays NULL until the hop
-- below is acknowledged; `due_at` = received_at + the level's limit (60 or 120 minutes). A hop
-- inside the platform (to county, city) is acknowledged by the receiving level, server time; a
-- hop outside it (to province, State Council level) is recorded by the city office: the time it
-- was sent (`acknowledged_at`), how (`method`), to whom (`recipient`), the receipt, and when it
-- was recorded (`recorded_at`). `late_minutes` (迟报): final once acknowledged; while open, the
-- clock sweep writes the lateness so far. `reminded_at`: the one reminder after an hour's
-- silence. Times are epoch milliseconds.
CREATE TABLE accident_hop (
    id                  INTEGER PRIMARY KEY,
    accident_id         BIGINT NOT NULL,
    from_level          TEXT NOT NULL,
    to_level            TEXT NOT NULL,
    limit_minutes       BIGINT NOT NULL,
    received_at         BIGINT,
    due_at              BIGINT,
    acknowledged_at     BIGINT,
    acknowledged_by     BIGINT,
    acknowledged_org    BIGINT,
    late_minutes        BIGINT,
    reminded_at         BIGINT,
    method              TEXT NOT NULL DEFAULT '',
    recipient           TEXT NOT NULL DEFAULT '',
    receipt             TEXT NOT NULL DEFAULT '',
    recorded_at         BIGINT,
    created_at          BIGINT NOT NULL,
    CONSTRAINT accident_hop_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT accident_hop_by_fk FOREIGN KEY (acknowledged_by) REFERENCES account (id),
    CONSTRAINT accident_hop_org_fk FOREIGN KEY (acknowledged_org) REFERENCES org (id),
    CONSTRAINT accident_hop_to_uq UNIQUE (accident_id, to_level),
    CONSTRAINT accident_hop_level_ck CHECK (from_level IN ('unit', 'county', 'city', 'province')
        AND to_level IN ('county', 'city', 'province', 'state_council')),
    CONSTRAINT accident_hop_late_ck CHECK (late_minutes IS NULL OR late_minutes >= 0)
);
-- The clock sweep's one query: open hops whose clock runs, by due time.
CREATE INDEX accident_hop_open_idx ON accident_hop (due_at) WHERE acknowledged_at IS NULL AND due_at IS NOT NULL;
-- The reminder's query: open hops not yet reminded, by the clock's start.
CREATE INDEX accident_hop_silent_idx ON accident_hop (received_at) WHERE acknowledged_at IS NULL AND reminded_at IS NULL AND received_at IS NOT NULL;

-- What each level notified besides passing the report up (条例 第十条): 公安机关, 人社, 工会,
-- 人民检察院 — recorded once per accident, level and body: when, how, a note, by whom.
CREATE TABLE accident_notice (
    id                  INTEGER PRIMARY KEY,
    accident_id         BIGINT NOT NULL,
    level               TEXT NOT NULL,
    body                TEXT NOT NULL,
    notified_at         BIGINT NOT NULL,
    method              TEXT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    recorded_by         BIGINT NOT NULL,
    recorded_at         BIGINT NOT NULL,
    CONSTRAINT accident_notice_accident_fk FOREIGN KEY (accident_id) REFERENCES accident (id),
    CONSTRAINT accident_notice_by_fk FOREIGN KEY (recorded_by) REFERENCES account (id),
    CONSTRAINT accident_notice_uq UNIQUE (accident_id, level, body),
    CONSTRAINT accident_notice_level_ck CHECK (level IN ('county', 'city', 'province', 'state_council')),
    CONSTRAINT accident_notice_body_ck CHECK (body IN ('public_security', 'human_resources', 'trade_union', 'procuratorate'))
);
