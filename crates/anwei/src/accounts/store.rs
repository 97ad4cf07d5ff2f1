//! Every SQL statement of accounts.

use super::model::AccountRow;
use crate::db::Tx;
use crate::ids::{AccountId, OrgId};
use crate::on_tx;

const SELECT: &str = "SELECT a.id, a.username, a.display_name, a.email, a.role, a.org_id, o.code AS org_code, o.name AS org_name, a.disabled, \
     a.locked_until, a.totp_enabled, a.must_change_password, a.last_login_at, a.created_at FROM account a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id";

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    pub q: Option<String>,
    pub role: Option<&'a str>,
    pub org_code: Option<&'a str>,
    pub disabled: Option<bool>,
    pub order: &'static str,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<(Vec<AccountRow>, i64), sqlx::Error> {
    let filter = "WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR a.username LIKE $2 ESCAPE '\\' OR a.display_name LIKE $2 ESCAPE '\\') \
         AND ($3 IS NULL OR a.role = $3) AND ($4 IS NULL OR o.code = $4) AND ($5 IS NULL OR a.disabled = $5) \
         AND a.is_system = FALSE";
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} {filter} ORDER BY {} LIMIT $6 OFFSET $7",
        p.order
    ));
    let count_sql = sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM account a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id {filter}"
    ));
    let q =
        p.q.as_ref()
            .map(|q| format!("%{}%", crate::db::escape_like(q)));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, AccountRow>(sql)
        .bind(p.path_like)
        .bind(q.as_deref())
        .bind(p.role)
        .bind(p.org_code)
        .bind(p.disabled)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    let total = on_tx!(tx, |c| sqlx::query_scalar(count_sql)
        .bind(p.path_like)
        .bind(q.as_deref())
        .bind(p.role)
        .bind(p.org_code)
        .bind(p.disabled)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

pub async fn by_id(tx: &mut Tx, id: AccountId) -> Result<Option<AccountRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, AccountRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn by_username(tx: &mut Tx, username: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.username = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, AccountRow>(sql)
        .bind(username)
        .fetch_optional(c)
        .await)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    username: &str,
    display_name: &str,
    email: &str,
    hash: &str,
    role: &str,
    org_id: OrgId,
    must_change: bool,
    now: i64,
) -> Result<AccountId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO account (username, display_name, email, password_hash, role, org_id, must_change_password, password_changed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING id"
    )
    .bind(username)
    .bind(display_name)
    .bind(email)
    .bind(hash)
    .bind(role)
    .bind(org_id)
    .bind(must_change)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

pub async fn update(
    tx: &mut Tx,
    id: AccountId,
    display_name: &str,
    email: &str,
    role: &str,
    org_id: OrgId,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE account SET display_name = $2, email = $3, role = $4, org_id = $5, updated_at = $6 WHERE id = $1")
        .bind(id)
        .bind(display_name)
        .bind(email)
        .bind(role)
        .bind(org_id)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ())
    })
}

pub async fn set_disabled(
    tx: &mut Tx,
    id: AccountId,
    disabled: bool,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE account SET disabled = $2, updated_at = $3 WHERE id = $1 AND disabled <> $2 AND is_system = FALSE"
    )
    .bind(id)
    .bind(disabled)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

pub async fn revoke_tokens_of(tx: &mut Tx, id: AccountId, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE api_token SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn count(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM account WHERE is_system = FALSE"
    )
    .fetch_one(c)
    .await)
}

pub async fn count_admins(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = FALSE"
    )
    .fetch_one(c)
    .await)
}

/// The system's account (`is_system`) and its organisation, when it exists.
pub async fn system_account(tx: &mut Tx) -> Result<Option<(AccountId, OrgId)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, org_id FROM account WHERE is_system = TRUE ORDER BY id LIMIT 1"
    )
    .fetch_optional(c)
    .await)
}

/// The city office (安委办 of the region at the top of the tree), where the system's account
/// belongs; `None` before the organisations are loaded.
pub async fn city_office(tx: &mut Tx) -> Result<Option<OrgId>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT o.id FROM org o JOIN region r ON r.id = o.region_id \
         WHERE o.kind = 'safety_office' AND r.parent_id IS NULL ORDER BY o.id LIMIT 1"
    )
    .fetch_optional(c)
    .await)
}

/// Inserts the system's account: disabled for good (the table's check), with a password hash
/// that no password matches (not a hash at all).
pub async fn insert_system(
    tx: &mut Tx,
    username: &str,
    display_name: &str,
    org_id: OrgId,
    now: i64,
) -> Result<AccountId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO account (username, display_name, password_hash, role, org_id, disabled, is_system, \
         password_changed_at, created_at, updated_at) \
         VALUES ($1, $2, '!', 'office', $3, TRUE, TRUE, $4, $4, $4) RETURNING id"
    )
    .bind(username)
    .bind(display_name)
    .bind(org_id)
    .bind(now)
    .fetch_one(c)
    .await
    })
}
