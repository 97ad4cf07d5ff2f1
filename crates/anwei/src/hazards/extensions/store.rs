//! Every SQL statement of extension requests (`hazard_extension`).

use super::model::ExtensionRow;
use crate::db::Tx;
use crate::ids::{AccountId, ExtensionId, HazardId};
use crate::on_tx;

const SELECT: &str = "SELECT e.id, e.hazard_id, e.old_deadline, e.new_deadline, e.reason, e.state, \
     e.requested_by, r.display_name AS requested_by_name, e.requested_at, e.decided_by, \
     d.display_name AS decided_by_name, e.decided_at, e.note \
     FROM hazard_extension e JOIN account r ON r.id = e.requested_by LEFT JOIN account d ON d.id = e.decided_by";

pub struct NewExtension<'a> {
    pub hazard_id: HazardId,
    pub old_deadline: &'a str,
    pub new_deadline: &'a str,
    pub reason: &'a str,
    pub by: AccountId,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, e: &NewExtension<'_>) -> Result<ExtensionId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO hazard_extension (hazard_id, old_deadline, new_deadline, reason, state, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id"
    )
    .bind(e.hazard_id)
    .bind(e.old_deadline)
    .bind(e.new_deadline)
    .bind(e.reason)
    .bind(e.by)
    .bind(e.now)
    .fetch_one(c)
    .await
    })
}

/// The hazard's requests, the newest first.
pub async fn of_hazard(tx: &mut Tx, id: HazardId) -> Result<Vec<ExtensionRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE e.hazard_id = $1 ORDER BY e.id DESC"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, ExtensionRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}

/// The request `id` of the hazard `hazard` (none when it belongs to another hazard).
pub async fn by_id(
    tx: &mut Tx,
    hazard: HazardId,
    id: ExtensionId,
) -> Result<Option<ExtensionRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.id = $1 AND e.hazard_id = $2"));
    on_tx!(tx, |c| sqlx::query_as::<_, ExtensionRow>(sql)
        .bind(id)
        .bind(hazard)
        .fetch_optional(c)
        .await)
}

/// Decides a pending request; 0 when it was no longer pending.
pub async fn decide(
    tx: &mut Tx,
    id: ExtensionId,
    state: &str,
    note: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE hazard_extension SET state = $2, note = $3, decided_by = $4, decided_at = $5 \
         WHERE id = $1 AND state = 'pending'"
    )
    .bind(id)
    .bind(state)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// Moves the deadline (an approved extension); 0 when the hazard was closed meanwhile.
pub async fn set_deadline(
    tx: &mut Tx,
    id: HazardId,
    deadline: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE hazard SET deadline = $2, updated_at = $3 WHERE id = $1 AND status <> 'closed'"
    )
    .bind(id)
    .bind(deadline)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
