//! Every SQL statement of login, sessions and API tokens.

use crate::db::Tx;
use crate::ids::{AccountId, OrgId, TokenId};
use crate::on_tx;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginAccount {
    pub id: AccountId,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
}

pub async fn login_account(
    tx: &mut Tx,
    username: &str,
) -> Result<Option<LoginAccount>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, username, password_hash, role, disabled, failed_logins, locked_until, totp_secret, totp_enabled, totp_last_step FROM account WHERE username = $1"
    )
    .bind(username)
    .fetch_optional(c)
    .await
    })
}

pub async fn login_account_by_id(
    tx: &mut Tx,
    id: AccountId,
) -> Result<Option<LoginAccount>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, username, password_hash, role, disabled, failed_logins, locked_until, totp_secret, totp_enabled, totp_last_step FROM account WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await
    })
}

/// Counts a failure atomically; returns the new count.
pub async fn count_failure(tx: &mut Tx, id: AccountId) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "UPDATE account SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins"
    )
    .bind(id)
    .fetch_one(c)
    .await)
}

pub async fn lock(tx: &mut Tx, id: AccountId, until: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE account SET failed_logins = 0, locked_until = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(until)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn login_succeeded(
    tx: &mut Tx,
    id: AccountId,
    now: i64,
    totp_step: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE account SET failed_logins = 0, locked_until = NULL, last_login_at = $2, totp_last_step = COALESCE($3, totp_last_step) WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .bind(totp_step)
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn insert_session(
    tx: &mut Tx,
    id_hash: &str,
    account_id: AccountId,
    csrf: &str,
    now: i64,
    expires: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO session (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)"
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(csrf)
    .bind(now)
    .bind(expires)
    .execute(c)
    .await
    .map(|_| ())
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionActor {
    pub account_id: AccountId,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_id: OrgId,
    pub disabled: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub org_code: String,
    pub org_name: String,
    pub region_path: String,
}

pub async fn session_actor(
    tx: &mut Tx,
    id_hash: &str,
) -> Result<Option<SessionActor>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT s.account_id, s.csrf_token, s.last_seen_at, s.expires_at, a.username, a.display_name, a.role, a.org_id, a.disabled, \
         a.must_change_password, a.totp_enabled, o.code AS org_code, o.name AS org_name, r.path AS region_path \
         FROM session s JOIN account a ON a.id = s.account_id JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
         WHERE s.id_hash = $1"
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await
    })
}

pub async fn touch_session(tx: &mut Tx, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE session SET last_seen_at = $2 WHERE id_hash = $1"
    )
    .bind(id_hash)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn delete_session(tx: &mut Tx, id_hash: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM session WHERE id_hash = $1"
    )
    .bind(id_hash)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn delete_sessions_of(tx: &mut Tx, account_id: AccountId) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM session WHERE account_id = $1"
    )
    .bind(account_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn delete_expired_sessions(
    tx: &mut Tx,
    now: i64,
    idle_cutoff: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM session WHERE expires_at < $1 OR last_seen_at < $2"
    )
    .bind(now)
    .bind(idle_cutoff)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenActor {
    pub token_id: TokenId,
    pub token_role: String,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub org_id: OrgId,
    pub disabled: bool,
    pub org_code: String,
    pub org_name: String,
    pub region_path: String,
    pub last_used_at: Option<i64>,
    pub owner_role: String,
    pub must_change_password: bool,
    pub totp_enabled: bool,
}

pub async fn token_actor(tx: &mut Tx, token_hash: &str) -> Result<Option<TokenActor>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT t.id AS token_id, t.role AS token_role, t.expires_at, t.revoked_at, a.id AS account_id, a.username, a.display_name, a.org_id, a.disabled, \
         o.code AS org_code, o.name AS org_name, r.path AS region_path, t.last_used_at, a.role AS owner_role, a.must_change_password, a.totp_enabled \
         FROM api_token t JOIN account a ON a.id = t.account_id JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
         WHERE t.token_hash = $1"
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await
    })
}

pub async fn touch_token(tx: &mut Tx, id: TokenId, now: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE api_token SET last_used_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct TokenRow {
    pub id: TokenId,
    pub account_id: AccountId,
    pub name: String,
    pub prefix: String,
    pub role: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub async fn insert_token(
    tx: &mut Tx,
    account_id: AccountId,
    name: &str,
    hash: &str,
    prefix: &str,
    role: &str,
    now: i64,
    expires: Option<i64>,
) -> Result<TokenId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO api_token (account_id, name, token_hash, prefix, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(account_id)
    .bind(name)
    .bind(hash)
    .bind(prefix)
    .bind(role)
    .bind(now)
    .bind(expires)
    .fetch_one(c)
    .await
    })
}

pub async fn tokens_of(tx: &mut Tx, account_id: AccountId) -> Result<Vec<TokenRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, account_id, name, prefix, role, created_at, expires_at, revoked_at, last_used_at FROM api_token WHERE account_id = $1 ORDER BY id DESC"
    )
    .bind(account_id)
    .fetch_all(c)
    .await
    })
}

pub async fn token(tx: &mut Tx, id: TokenId) -> Result<Option<TokenRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, account_id, name, prefix, role, created_at, expires_at, revoked_at, last_used_at FROM api_token WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await
    })
}

/// The owner of a token and where the owner's organisation lies (for scope checks).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenOwner {
    pub account_id: AccountId,
    pub org_id: OrgId,
    pub region_path: String,
}

impl crate::act::Scoped for TokenOwner {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

pub async fn token_owner(tx: &mut Tx, id: TokenId) -> Result<Option<TokenOwner>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT t.account_id, a.org_id, r.path AS region_path FROM api_token t JOIN account a ON a.id = t.account_id \
             JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id WHERE t.id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

pub async fn revoke_token(tx: &mut Tx, id: TokenId, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// Ends the bearer tokens that stand for a login (not integration tokens).
pub async fn revoke_login_tokens_of(
    tx: &mut Tx,
    account_id: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE api_token SET revoked_at = $2 WHERE account_id = $1 AND name = 'login' AND revoked_at IS NULL")
        .bind(account_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn set_password(
    tx: &mut Tx,
    id: AccountId,
    hash: &str,
    must_change: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE account SET password_hash = $2, must_change_password = $3, password_changed_at = $4, updated_at = $4, failed_logins = 0, locked_until = NULL WHERE id = $1"
    )
    .bind(id)
    .bind(hash)
    .bind(must_change)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// Stores a TOTP secret being set up; the active one is left as it is.
pub async fn set_totp_pending(
    tx: &mut Tx,
    account_id: AccountId,
    secret: Option<&str>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE account SET totp_pending = $2 WHERE id = $1"
    )
    .bind(account_id)
    .bind(secret)
    .execute(c)
    .await
    .map(|_| ()))
}

/// The TOTP secret being set up, if any.
pub async fn totp_pending(
    tx: &mut Tx,
    account_id: AccountId,
) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar::<_, Option<String>>(
        "SELECT totp_pending FROM account WHERE id = $1"
    )
    .bind(account_id)
    .fetch_optional(c)
    .await
    .map(Option::flatten))
}

pub async fn set_totp(
    tx: &mut Tx,
    id: AccountId,
    secret: Option<&str>,
    enabled: bool,
    step: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE account SET totp_secret = $2, totp_enabled = $3, totp_last_step = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(secret)
    .bind(enabled)
    .bind(step)
    .execute(c)
    .await
    .map(|_| ()))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountActor {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_id: OrgId,
    pub disabled: bool,
    pub org_code: String,
    pub org_name: String,
    pub region_path: String,
}

pub async fn account_actor(
    tx: &mut Tx,
    username: &str,
) -> Result<Option<AccountActor>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT a.id AS account_id, a.username, a.display_name, a.role, a.org_id, a.disabled, \
             o.code AS org_code, o.name AS org_name, r.path AS region_path \
             FROM account a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
             WHERE a.username = $1",
        )
        .bind(username)
        .fetch_optional(c)
        .await
    })
}
