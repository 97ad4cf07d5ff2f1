//! Notifications are written in the same transaction as the change they report; e-mail
//! goes out through a job enqueued in that transaction too, so nothing is sent for a change
//! that rolled back.

use serde::Serialize;

use crate::auth::model::Actor;
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{AccountId, OrgId};
use crate::on_tx;
use crate::state::AppState;

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    /// Translation keys: rendered in the reader's language.
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    /// The keys' arguments (JSON); see [`render`].
    #[serde(skip)]
    pub args: String,
}

impl Notification {
    pub fn title_in(&self, lang: &Lang) -> String {
        render(*lang, &self.title, &self.args)
    }
    pub fn body_in(&self, lang: &Lang) -> String {
        render(*lang, &self.body, &self.args)
    }
}

/// A notice's text in `lang`: the key translated, its `{name}` placeholders filled from
/// `args`, a JSON object whose values are text or `{"zh": …, "en": …}`.
pub fn render(lang: Lang, key: &str, args: &str) -> String {
    let args: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(args).unwrap_or_default();
    let pairs: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Object(o) => o
                    .get(lang.code())
                    .or_else(|| o.get("zh"))
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_string(),
                other => other.to_string(),
            };
            (k.as_str(), text)
        })
        .collect();
    crate::i18n::tf(lang, key, &pairs)
}

/// Adds a notification for an account and, when the account has an e-mail address, queues
/// the mail.
pub async fn notify(
    tx: &mut Tx,
    account_id: AccountId,
    title_key: &str,
    body_key: &str,
    link: &str,
) -> Result<i64, sqlx::Error> {
    notify_with(
        tx,
        account_id,
        title_key,
        body_key,
        &serde_json::json!({}),
        link,
    )
    .await
}

/// Tells every active account of an organisation about something at `link`: the notice
/// `<key>.title` / `<key>.body` (no placeholders). Returns how many accounts were told.
pub async fn tell_org(
    tx: &mut Tx,
    org_id: OrgId,
    key: &str,
    link: &str,
) -> Result<usize, sqlx::Error> {
    let (title, body) = (format!("{key}.title"), format!("{key}.body"));
    notify_org(tx, org_id, &title, &body, &serde_json::json!({}), link).await
}

/// Notifies every active account of organisation `org_id` (see [`notify_with`]); returns how
/// many were notified.
pub async fn notify_org(
    tx: &mut Tx,
    org_id: OrgId,
    title_key: &str,
    body_key: &str,
    args: &serde_json::Value,
    link: &str,
) -> Result<usize, sqlx::Error> {
    let accounts: Vec<AccountId> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM account WHERE org_id = $1 AND disabled = FALSE ORDER BY id"
    )
    .bind(org_id)
    .fetch_all(c)
    .await)?;
    for acc in &accounts {
        notify_with(tx, *acc, title_key, body_key, args, link).await?;
    }
    Ok(accounts.len())
}

/// [`notify`] with arguments for the keys' placeholders (see [`render`]).
pub async fn notify_with(
    tx: &mut Tx,
    account_id: AccountId,
    title_key: &str,
    body_key: &str,
    args: &serde_json::Value,
    link: &str,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let args = args.to_string();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar("INSERT INTO notification (account_id, title, body, link, created_at, args) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(account_id)
        .bind(title_key)
        .bind(body_key)
        .bind(link)
        .bind(now)
        .bind(&args)
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
        "SELECT id, title, body, link, created_at, read_at, args FROM notification WHERE account_id = $1 ORDER BY id DESC LIMIT $2"
    )
    .bind(actor.account_id)
    .bind(limit)
    .fetch_all(c)
    .await
    })?)
}

pub async fn unread_count(state: &AppState, account_id: AccountId) -> AppResult<i64> {
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

/// What the mail job needs: the address, the title and body rendered in `lang`, the link.
pub async fn mail_parts(
    state: &AppState,
    notification_id: i64,
    lang: Lang,
) -> anyhow::Result<Option<(String, String, String, String)>> {
    let mut tx = state.db.read().await?;
    let row: Option<(String, String, String, String, String)> = on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT a.email, n.title, n.body, n.link, n.args FROM notification n JOIN account a ON a.id = n.account_id WHERE n.id = $1"
    )
    .bind(notification_id)
    .fetch_optional(c)
    .await
    })?;
    Ok(row.map(|(to, title, body, link, args)| {
        (
            to,
            render(lang, &title, &args),
            render(lang, &body, &args),
            link,
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_fills_its_placeholders_in_the_readers_language() {
        let args = r#"{"rule": {"zh": "带队检查", "en": "Led inspection"}, "days": "3"}"#;
        let zh = render(Lang::Zh, "notice.duty_at_risk.body", args);
        assert!(zh.contains("带队检查") && zh.contains("还剩3天"), "{zh}");
        let en = render(Lang::En, "notice.duty_at_risk.body", args);
        assert!(
            en.contains("Led inspection") && en.contains("3 days left"),
            "{en}"
        );
        // Without arguments (every older notice) the key is translated as before.
        assert_eq!(
            render(Lang::Zh, "notice.minutes_delivered.title", "{}"),
            crate::i18n::t(Lang::Zh, "notice.minutes_delivered.title")
        );
        assert_eq!(
            render(Lang::Zh, "notice.minutes_delivered.title", "not json"),
            crate::i18n::t(Lang::Zh, "notice.minutes_delivered.title")
        );
    }
}
