-- 防刷验证 (issue 13): proof-of-work challenges already spent, shared by every instance on the
-- database so a solution is accepted once in all, not once per instance. `tag` is the
-- challenge's 128-bit signature (hex), unique per challenge; `expires_at` (ms) is the
-- challenge's own expiry, after which the row is pruned (a stale challenge is refused as
-- expired before this table is read). Nothing here names an address or a report.
CREATE TABLE report_pow_spent (
    tag         TEXT NOT NULL PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX report_pow_spent_expires ON report_pow_spent (expires_at);
