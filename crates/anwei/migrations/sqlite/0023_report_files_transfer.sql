-- Files attached to a report (举报附件) by the reporter, with the report or with a follow-up
-- message. The bytes are sealed before they reach file storage (the vault's envelope: a data
-- key per file wrapped by the master key, SM4-GCM) and stored under the SHA-256 of the sealed
-- bytes, so neither the content nor its hash is in storage; the original name, type and size
-- are sealed too (`meta_sealed`). `n` numbers the files of one report from 1.
CREATE TABLE report_attachment (
    id                  INTEGER PRIMARY KEY,
    report_id           BIGINT NOT NULL,
    n                   BIGINT NOT NULL,
    from_reporter       BOOLEAN NOT NULL,
    blob_name           TEXT NOT NULL,
    meta_sealed         TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    CONSTRAINT report_attachment_n_uq UNIQUE (report_id, n),
    CONSTRAINT report_attachment_report_fk FOREIGN KEY (report_id) REFERENCES report (id)
);
