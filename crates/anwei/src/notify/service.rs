//! Notifications are written in the same transaction as the change they report; e-mail
//! goes out through a job enqueued in that transaction too, so nothing is sent for a change
//! that rolled back.

use serde::Serialize;

use crate::app::AppState;
use crate::auth::model::Actor;
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::on_tx;

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    /// Translation keys: rendered in the reader's language.
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Adds a notification for an account and, when the account has an e-mail address, queues
/// the mail.
pub async fn notify(
    tx: &mut Tx,
    account_id: i64,
    title_key: &str,
    body_key: &str,
    link: &str,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar("INSERT INTO notification (account_id, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(account_id)
        .bind(title_key)
        .bind(body_key)
        .bind(link)
        .bind(now)
        .fetch_one(c)
        .await
    })?;
    let email: Option<String> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT email FROM account WHERE id = $1"
    )
    .bind(account_id)
    .fetch_optional(c)
    .await)?;
    if email.is_some_and(|e| !e.is_empty()) {
        crate::jobs::enqueue(
            tx,
            "mail.notification",
            &serde_json::json!({"notification_id": id}),
            None,
            now,
        )
        .await?;
    }
    Ok(id)
}

pub async fn list(state: &AppState, actor: &Actor, limit: i64) -> AppResult<Vec<Notification>> {
    let mut tx = state.db.read().await?;
    Ok(on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT id, title, body, link, created_at, read_at FROM notification WHERE account_id = $1 ORDER BY id DESC LIMIT $2"
    )
    .bind(actor.account_id)
    .bind(limit)
    .fetch_all(c)
    .await
    })?)
}

pub async fn unread_count(state: &AppState, account_id: i64) -> AppResult<i64> {
    let mut tx = state.db.read().await?;
    Ok(on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM notification WHERE account_id = $1 AND read_at IS NULL"
    )
    .bind(account_id)
    .fetch_one(c)
    .await)?)
}

/// Marks one (or, with `None`, every) notification of the actor read. Another person's
/// notification is not found.
pub async fn mark_read(state: &AppState, actor: &Actor, id: Option<i64>) -> AppResult<u64> {
    let mut tx = state.db.begin().await?;
    let n = on_tx!(&mut tx, |c| {
        sqlx::query("UPDATE notification SET read_at = $3 WHERE account_id = $1 AND ($2 IS NULL OR id = $2) AND read_at IS NULL")
        .bind(actor.account_id)
        .bind(id)
        .bind(now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    if let Some(id) = id
        && n == 0
    {
        let exists: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar(
            "SELECT id FROM notification WHERE id = $1 AND account_id = $2"
        )
        .bind(id)
        .bind(actor.account_id)
        .fetch_optional(c)
        .await)?;
        if exists.is_none() {
            return Err(AppError::NotFound);
        }
    }
    tx.commit().await?;
    Ok(n)
}

/// What the mail job needs: address and texts (in Chinese: officials' mail is Chinese).
pub async fn mail_parts(
    state: &AppState,
    notification_id: i64,
) -> anyhow::Result<Option<(String, String, String, String)>> {
    let mut tx = state.db.read().await?;
    let row: Option<(String, String, String, String)> = on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT a.email, n.title, n.body, n.link FROM notification n JOIN account a ON a.id = n.account_id WHERE n.id = $1"
    )
    .bind(notification_id)
    .fetch_optional(c)
    .await
    })?;
    Ok(row)
}
