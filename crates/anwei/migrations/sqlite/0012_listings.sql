-- 挂牌督办 (listed supervision of major hazards), articles 十七 and 十八 of 通安委〔2022〕10号.
--
-- The committee office lists a major hazard that is not closed under a notice number (督办文号,
-- unique): the supervising unit is the office's organisation, the responsible unit an
-- organisation in its scope (by default the territory's government), with a deadline. At most
-- one listing of a hazard is active (a partial unique index). `region_path` is the
-- enterprise's, kept on the row for the scope filter. Dates are YYYY-MM-DD.
-- 摘牌 (delisting) records who and when, with a verification note and evidence files
-- (`listing_file`, purpose `delisting`); a stop-production order (停产停工) and a referral to
-- the judicial organs (移送司法机关, 刑法第一百三十四条之一) are recorded on the listing.
CREATE TABLE listing (
    id                  INTEGER PRIMARY KEY,
    hazard_id           BIGINT NOT NULL,
    enterprise_id       BIGINT NOT NULL,
    region_path         TEXT NOT NULL,
    notice_no           TEXT NOT NULL,
    supervising_org     BIGINT NOT NULL,
    responsible_org     BIGINT NOT NULL,
    deadline            TEXT NOT NULL,
    listed_on           TEXT NOT NULL,
    listed_by           BIGINT NOT NULL,
    listed_at           BIGINT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'active',
    delisted_on         TEXT,
    delisted_by         BIGINT,
    delisted_at         BIGINT,
    delisting_note      TEXT NOT NULL DEFAULT '',
    stop_order_no       TEXT NOT NULL DEFAULT '',
    stop_order_on       TEXT,
    stop_order_by       BIGINT,
    referred            BOOLEAN NOT NULL DEFAULT FALSE,
    referral_note       TEXT NOT NULL DEFAULT '',
    referred_at         BIGINT,
    referred_by         BIGINT,
    CONSTRAINT listing_notice_no_uq UNIQUE (notice_no),
    CONSTRAINT listing_hazard_fk FOREIGN KEY (hazard_id) REFERENCES hazard (id),
    CONSTRAINT listing_enterprise_fk FOREIGN KEY (enterprise_id) REFERENCES org (id),
    CONSTRAINT listing_supervising_fk FOREIGN KEY (supervising_org) REFERENCES org (id),
    CONSTRAINT listing_responsible_fk FOREIGN KEY (responsible_org) REFERENCES org (id),
    CONSTRAINT listing_listed_by_fk FOREIGN KEY (listed_by) REFERENCES account (id),
    CONSTRAINT listing_delisted_by_fk FOREIGN KEY (delisted_by) REFERENCES account (id),
    CONSTRAINT listing_stop_order_by_fk FOREIGN KEY (stop_order_by) REFERENCES account (id),
    CONSTRAINT listing_referred_by_fk FOREIGN KEY (referred_by) REFERENCES account (id)
);
CREATE UNIQUE INDEX listing_active_uq ON listing (hazard_id) WHERE status = 'active';
CREATE INDEX listing_region_idx ON listing (region_path, status, deadline);
CREATE INDEX listing_enterprise_idx ON listing (enterprise_id);

-- A monthly progress report (`month` is YYYY-MM): one per listing and month.
CREATE TABLE listing_progress (
    id                  INTEGER PRIMARY KEY,
    listing_id          BIGINT NOT NULL,
    month               TEXT NOT NULL,
    body                TEXT NOT NULL,
    reported_by         BIGINT NOT NULL,
    reported_by_org     BIGINT NOT NULL,
    reported_at         BIGINT NOT NULL,
    CONSTRAINT listing_progress_month_uq UNIQUE (listing_id, month),
    CONSTRAINT listing_progress_listing_fk FOREIGN KEY (listing_id) REFERENCES listing (id),
    CONSTRAINT listing_progress_by_fk FOREIGN KEY (reported_by) REFERENCES account (id),
    CONSTRAINT listing_progress_org_fk FOREIGN KEY (reported_by_org) REFERENCES org (id)
);

-- The files of a listing: a progress report's (`progress_id` set) or the delisting evidence.
CREATE TABLE listing_file (
    listing_id          BIGINT NOT NULL,
    attachment_id       BIGINT NOT NULL,
    progress_id         BIGINT,
    purpose             TEXT NOT NULL,
    CONSTRAINT listing_file_pk PRIMARY KEY (listing_id, attachment_id),
    CONSTRAINT listing_file_listing_fk FOREIGN KEY (listing_id) REFERENCES listing (id),
    CONSTRAINT listing_file_attachment_fk FOREIGN KEY (attachment_id) REFERENCES attachment (id),
    CONSTRAINT listing_file_progress_fk FOREIGN KEY (progress_id) REFERENCES listing_progress (id)
);
CREATE INDEX listing_file_attachment_idx ON listing_file (attachment_id);
