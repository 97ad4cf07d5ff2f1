-- Security findings of the outside probe (issue 8).

-- A TOTP secret being set up. The active secret (totp_secret, totp_enabled) stays in force
-- until the pending one is confirmed with a code from it.
ALTER TABLE account ADD COLUMN totp_pending TEXT;

-- A sensitive period can be withdrawn (it then never counted) by the city office, with a
-- reason; ending one early shortens end_date.
ALTER TABLE sensitive_period ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE sensitive_period ADD COLUMN withdrawn_by BIGINT;
ALTER TABLE sensitive_period ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
