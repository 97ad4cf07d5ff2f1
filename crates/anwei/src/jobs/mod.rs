//! The job queue: a database table, a worker in the same process, leases and retries.
//! Cron ticks are de-duplicated by a unique key (`ON CONFLICT DO NOTHING`), and claims use
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several instances run each job once.

use std::time::Duration;

use serde_json::Value;

use crate::db::{Tx, now_ms};
use crate::on_tx;
use crate::state::AppState;

const LEASE_MS: i64 = 5 * 60_000;

/// Adds a job in the caller's transaction. With a `dedup_key`, a second enqueue of the
/// same key is ignored.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &Value,
    dedup_key: Option<&str>,
    run_at: i64,
) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO job (kind, payload, dedup_key, run_at, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dedup_key) DO NOTHING"
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(dedup_key)
    .bind(run_at)
    .bind(now_ms())
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Takes one due job with a lease, or none.
pub async fn claim(state: &AppState) -> anyhow::Result<Option<Job>> {
    let now = now_ms();
    let me = state.instance_id.as_str();
    let mut tx = state.db.begin().await?;
    let job: Option<Job> = match &mut tx {
        Tx::Pg(t) => {
            sqlx::query_as(
                "UPDATE job SET locked_until = $1, locked_by = $2, attempts = attempts + 1 WHERE id = (\
                 SELECT id FROM job WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $3 AND (locked_until IS NULL OR locked_until < $3) \
                 ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, kind, payload, attempts, max_attempts",
            )
            .bind(now + LEASE_MS)
            .bind(me)
            .bind(now)
            .fetch_optional(&mut **t)
            .await?
        }
        Tx::Sqlite(t) => {
            sqlx::query_as(
                "UPDATE job SET locked_until = $1, locked_by = $2, attempts = attempts + 1 WHERE id = (\
                 SELECT id FROM job WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $3 AND (locked_until IS NULL OR locked_until < $3) \
                 ORDER BY run_at, id LIMIT 1) RETURNING id, kind, payload, attempts, max_attempts",
            )
            .bind(now + LEASE_MS)
            .bind(me)
            .bind(now)
            .fetch_optional(&mut **t)
            .await?
        }
    };
    tx.commit().await?;
    Ok(job)
}

pub async fn complete(state: &AppState, id: i64) -> anyhow::Result<()> {
    let mut tx = state.db.begin().await?;
    on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE job SET done_at = $2, locked_until = NULL WHERE id = $1"
    )
    .bind(id)
    .bind(now_ms())
    .execute(c)
    .await
    .map(|_| ()))?;
    tx.commit().await?;
    Ok(())
}

/// Records a failure; retries with exponential back-off until `max_attempts`.
pub async fn fail(state: &AppState, job: &Job, error: &str) -> anyhow::Result<()> {
    let now = now_ms();
    let give_up = job.attempts >= job.max_attempts;
    let backoff = 30_000i64 * 2i64.pow(job.attempts.clamp(0, 10) as u32);
    let mut tx = state.db.begin().await?;
    on_tx!(&mut tx, |c| {
        sqlx::query("UPDATE job SET last_error = $2, locked_until = NULL, run_at = $3, failed_at = $4 WHERE id = $1")
        .bind(job.id)
        .bind(error.chars().take(500).collect::<String>())
        .bind(now + backoff)
        .bind(if give_up { Some(now) } else { None })
        .execute(c)
        .await
        .map(|_| ())
    })?;
    tx.commit().await?;
    Ok(())
}

pub async fn queue_depth(state: &AppState) -> anyhow::Result<i64> {
    let mut tx = state.db.read().await?;
    Ok(on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM job WHERE done_at IS NULL AND failed_at IS NULL"
    )
    .fetch_one(c)
    .await)?)
}

/// Enqueues this period's cron ticks; the dedup key makes every instance's tick one job.
pub async fn tick_cron(state: &AppState) -> anyhow::Result<()> {
    let now = now_ms();
    let hour = now / 3_600_000;
    let mut tx = state.db.begin().await?;
    enqueue(
        &mut tx,
        "cron.session_sweep",
        &Value::Null,
        Some(&format!("cron.session_sweep:{hour}")),
        now,
    )
    .await?;
    // Supervision reminders: the sweep once per date in Asia/Shanghai (the first tick after
    // midnight, or at start), the office digest once per date from `digest_hour` on.
    let local = chrono::Utc::now().with_timezone(&crate::time::tz());
    let date = local.date_naive();
    enqueue(
        &mut tx,
        "supervision.sweep",
        &serde_json::json!({"date": date}),
        Some(&format!("supervision.sweep:{date}")),
        now,
    )
    .await?;
    // Duty at-risk reminders, once per date.
    if state.cfg.duties.remind_at_risk {
        enqueue(
            &mut tx,
            "duties.sweep",
            &serde_json::json!({"date": date}),
            Some(&format!("duties.sweep:{date}")),
            now,
        )
        .await?;
    }
    // Report deadlines (举报时限), once per date.
    enqueue(
        &mut tx,
        "reports.sweep",
        &serde_json::json!({"date": date}),
        Some(&format!("reports.sweep:{date}")),
        now,
    )
    .await?;
    if chrono::Timelike::hour(&local) >= state.cfg.supervision.digest_hour {
        enqueue(
            &mut tx,
            "digest.office",
            &serde_json::json!({"date": date}),
            Some(&format!("digest.office:{date}")),
            now,
        )
        .await?;
    }
    // The accident chain's clock sweep every five minutes; the missing-person regrade daily.
    enqueue(
        &mut tx,
        "accidents.clock_sweep",
        &Value::Null,
        Some(&format!("accidents.clock_sweep:{}", now / 300_000)),
        now,
    )
    .await?;
    enqueue(
        &mut tx,
        "accidents.missing_sweep",
        &serde_json::json!({"date": date}),
        Some(&format!("accidents.missing_sweep:{date}")),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Runs one job by kind. Later capabilities add their kinds here.
pub async fn run_job(state: &AppState, job: &Job) -> anyhow::Result<()> {
    let payload: Value = serde_json::from_str(&job.payload).unwrap_or(Value::Null);
    match job.kind.as_str() {
        "cron.session_sweep" => {
            let n = crate::auth::service::sweep_sessions(state).await?;
            tracing::info!(removed = n, "expired sessions removed");
            Ok(())
        }
        "mail.notification" => {
            if state.cfg.smtp.host.is_empty() {
                return Ok(());
            }
            let id = payload
                .get("notification_id")
                .and_then(Value::as_i64)
                .ok_or_else(|| anyhow::anyhow!("payload without notification_id"))?;
            let Some((to, title, body, link)) =
                crate::notify::service::mail_parts(state, id, crate::i18n::Lang::Zh).await?
            else {
                return Ok(());
            };
            let mut text = body;
            if !link.is_empty() {
                text.push_str(&format!("\n\n{}{}", state.cfg.public_url, link));
            }
            crate::notify::mail::send(&state.cfg.smtp, &to, &title, &text).await
        }
        "supervision.sweep" => {
            let r = crate::supervision::reminders::sweep(state).await?;
            tracing::info!(due_soon = r.due_soon, overdue = r.overdue, "reminder sweep");
            Ok(())
        }
        "reports.sweep" => {
            let n = crate::reports::deadlines::sweep(state).await?;
            tracing::info!(reminded = n, "report deadline sweep");
            Ok(())
        }
        "duties.sweep" => {
            let n = crate::duties::views::sweep(state).await?;
            tracing::info!(reminded = n, "duty at-risk sweep");
            Ok(())
        }
        "accidents.clock_sweep" => {
            let r = crate::accidents::chain::sweep::sweep(state).await?;
            tracing::info!(late = r.late, reminded = r.reminded, "accident clock sweep");
            Ok(())
        }
        "accidents.missing_sweep" => {
            let n =
                crate::accidents::chain::sweep::missing_sweep(state, crate::time::today()).await?;
            tracing::info!(regraded = n, "missing-person regrade");
            Ok(())
        }
        other
            if other.starts_with("reminder.")
                || other.starts_with("webhook.")
                || other.starts_with("digest.") =>
        {
            crate::supervision::reminders::run(state, other, &payload).await
        }
        other => anyhow::bail!("unknown job kind {other}"),
    }
}

/// Runs due jobs until asked to stop; polls at the configured interval.
pub async fn run_worker(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let poll = Duration::from_millis(state.cfg.jobs_poll_millis.max(50));
    let mut last_tick = 0i64;
    loop {
        if *stop.borrow() {
            break;
        }
        let now = now_ms();
        if now - last_tick > 60_000 {
            if let Err(e) = tick_cron(&state).await {
                tracing::warn!(error = %e, "cron tick failed");
            }
            last_tick = now;
        }
        loop {
            match claim(&state).await {
                Ok(Some(job)) => {
                    let r = run_job(&state, &job).await;
                    let done = match r {
                        Ok(()) => complete(&state, job.id).await,
                        Err(e) => {
                            tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
                            fail(&state, &job, &e.to_string()).await
                        }
                    };
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "could not record job result");
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "job claim failed");
                    break;
                }
            }
            if *stop.borrow() {
                return;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => {}
        }
    }
}
