//! Reminders (催办): to the assignee at the lead time and on the day an assignment goes
//! overdue, a daily digest to the committee office, and an optional DingTalk / WeCom robot
//! webhook. Each reminder is a job with a de-duplication key, so several instances never
//! send the same reminder twice.
//!
//! When each reminder fires (dates in Asia/Shanghai, `lead` = `supervision.lead_days`,
//! `watch` = the assignment's watch date, see `anwei_rules::supervision::light`):
//!
//! - **due soon** (`reminder.due_soon`): on the first daily sweep at which
//!   `today <= watch <= today + lead`, i.e. the day the light turns yellow by date
//!   (`watch == today + lead`), or the next sweep for an assignment issued or moved already
//!   inside the lead time.
//! - **overdue** (`reminder.overdue`): on the first daily sweep at which `watch < today`,
//!   i.e. the day the light turns red (`watch == today - 1`). Sweeps catch up for
//!   [`OVERDUE_CATCH_UP_DAYS`] days (an instance that was down that day), but not further:
//!   an assignment issued long after its due date (the built-in policy's 2022 dates) gets
//!   its issue notice, not a stale "overdue since …" reminder.
//!
//! Each fires once per `(assignment, kind, watch date)`: the job key
//! `reminder.<kind>:<assignment id>:<watch date>` is unique in the job table, so re-running
//! the sweep, or two instances sweeping at the same moment, insert nothing twice. An ongoing
//! task whose next report date moves gets a new watch date, hence its next reminders.
//! Only assignments waiting on the assignee are reminded (issued, acknowledged, returned, and
//! a one-off task's progress `reported`); one waiting on the office's review is not.
//!
//! The office's digest (`digest.office`, daily at `digest_hour`) counts per office account
//! and scope what turned red that day (watch date = yesterday) and what is red in all; the
//! robot webhook (`webhook.post`, to the `[notify]` robot, see [`crate::notify::robot`])
//! carries the same day's news once, with organisation names and task numbers only.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::store;
use crate::audit::{self, Event, Who};
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg, t, tf};
use crate::ids::AssignmentId;
use crate::state::AppState;
use anwei_rules::supervision::Status;

/// How many days after the due date a missed overdue reminder is still sent.
pub const OVERDUE_CATCH_UP_DAYS: i64 = 7;

/// At most this many rows are listed in a webhook text (the rest are counted).
const WEBHOOK_ROWS: i64 = 300;

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub due_soon: usize,
    pub overdue: usize,
}

/// The window of watch dates one sweep on `today` looks at: `[today - catch-up, today + lead]`.
pub fn sweep_window(today: NaiveDate, lead_days: i64) -> (NaiveDate, NaiveDate) {
    (
        today - chrono::Duration::days(OVERDUE_CATCH_UP_DAYS),
        today + chrono::Duration::days(lead_days.max(0)),
    )
}

/// Finds assignments entering the lead time or going overdue today and enqueues their
/// reminders (once each), in one statement and one transaction.
pub async fn sweep(state: &AppState) -> anyhow::Result<SweepReport> {
    sweep_on(state, crate::time::today()).await
}

/// The sweep as of a given date (the daily job uses today).
pub async fn sweep_on(state: &AppState, today: NaiveDate) -> anyhow::Result<SweepReport> {
    let (from, to) = sweep_window(today, state.cfg.supervision.lead_days);
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let kinds = store::enqueue_reminders(
        &mut tx,
        &today.to_string(),
        &from.to_string(),
        &to.to_string(),
        now,
    )
    .await?;
    let report = SweepReport {
        due_soon: kinds.iter().filter(|k| *k == "reminder.due_soon").count(),
        overdue: kinds.iter().filter(|k| *k == "reminder.overdue").count(),
    };
    if !kinds.is_empty() {
        audit::record(
            state,
            &mut tx,
            &Who::system("reminders"),
            Event::ok("supervision.sweep", "date", today).detail(
                json!({"due_soon": report.due_soon, "overdue": report.overdue, "window": [from, to]}),
            ),
        )
        .await
        .map_err(anyhow_of)?;
    }
    tx.commit().await?;
    Ok(report)
}

fn anyhow_of(e: AppError) -> anyhow::Error {
    match e {
        AppError::Internal(e) => e,
        other => anyhow::anyhow!("{other:?}"),
    }
}

/// Runs one reminder-family job (`reminder.*`, `digest.*`, `webhook.*`).
pub async fn run(state: &AppState, kind: &str, payload: &Value) -> anyhow::Result<()> {
    match kind {
        "reminder.due_soon" | "reminder.overdue" => run_reminder(state, kind, payload).await,
        "digest.office" => run_digest(state, payload).await,
        "webhook.post" => {
            let text = payload
                .get("text")
                .and_then(Value::as_str)
                .ok_or_else(|| anyhow::anyhow!("webhook payload without text"))?;
            crate::notify::robot::post(&state.cfg.notify, text).await
        }
        other => anyhow::bail!("unknown job kind {other}"),
    }
}

/// One automatic reminder: every active account of the assignee organisation gets a notice
/// (and mail when it has an address), and the assignment's history shows "reminded".
async fn run_reminder(state: &AppState, kind: &str, payload: &Value) -> anyhow::Result<()> {
    let id = payload
        .get("assignment_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| anyhow::anyhow!("reminder payload without assignment_id"))?;
    let watch = payload
        .get("watch_due")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow::anyhow!("reminder payload without watch_due"))?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    if store::mark_job_done(&mut tx, &format!("{kind}:{id}:{watch}"), now).await? == 0 {
        return Ok(());
    }
    let Some(a) = store::by_id(&mut tx, AssignmentId(id)).await? else {
        tx.commit().await?;
        return Ok(());
    };
    // Stale when the assignment moved on between the sweep and now (closed, handed to the
    // office for completion, or a new watch date with reminders of its own).
    if matches!(a.status, Status::Closed | Status::CompletionRequested)
        || a.watch_due.map(|d| d.to_string()).as_deref() != Some(watch)
    {
        tx.commit().await?;
        return Ok(());
    }
    let (title, body, note) = if kind == "reminder.overdue" {
        (
            "notice.task_overdue.title",
            "notice.task_overdue.body",
            "reminder.auto_overdue",
        )
    } else {
        (
            "notice.task_due_soon.title",
            "notice.task_due_soon.body",
            "reminder.auto_due_soon",
        )
    };
    let link = format!("/supervision/assignments/{id}");
    let notified =
        crate::notify::service::notify_org(&mut tx, a.org_id, title, body, &json!({}), &link)
            .await?;
    // The history is data, kept in the office's language like the rest of its texts.
    store::insert_event(
        &mut tx,
        &a,
        "reminded",
        None,
        &t(Lang::Zh, "reminder.system"),
        &t(Lang::Zh, note),
        None,
        now,
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &Who::system("reminders"),
        Event::ok("assignment.remind_auto", "assignment", id)
            .detail(json!({"kind": kind, "watch_due": watch, "notified": notified})),
    )
    .await
    .map_err(anyhow_of)?;
    tx.commit().await?;
    Ok(())
}

/// The office digest of `date` (payload `{"date": "YYYY-MM-DD"}`, default today): to each
/// active office account, a notice with how many assignments in its scope turned red that
/// day and how many are red in all (none when nothing turned red); and, with a webhook
/// configured, one robot message with the day's news.
async fn run_digest(state: &AppState, payload: &Value) -> anyhow::Result<()> {
    let date = payload
        .get("date")
        .and_then(Value::as_str)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(crate::time::today);
    let yesterday = date - chrono::Duration::days(1);
    let lead = state.cfg.supervision.lead_days;
    let soon = date + chrono::Duration::days(lead.max(0));
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    if store::mark_job_done(&mut tx, &format!("digest.office:{date}"), now).await? == 0 {
        return Ok(());
    }
    let by_region =
        store::red_by_region(&mut tx, &yesterday.to_string(), &date.to_string()).await?;
    let offices = store::office_accounts(&mut tx).await?;
    let mut notified = 0usize;
    for (acc, path) in &offices {
        let (turned, red) = by_region
            .iter()
            .filter(|(p, _, _)| p.starts_with(path.as_str()))
            .fold((0i64, 0i64), |(t, r), (_, pt, pr)| (t + pt, r + pr));
        if turned == 0 {
            continue;
        }
        // The counts travel as the notice's arguments, the date in each language's style.
        let day = date.to_string();
        let args = json!({
            "date": {
                "zh": crate::i18n::format_date(Lang::Zh, &day),
                "en": crate::i18n::format_date(Lang::En, &day),
            },
            "turned": turned.to_string(),
            "red": red.to_string(),
        });
        crate::notify::service::notify_with(
            &mut tx,
            *acc,
            "notice.digest.title",
            "notice.digest.body",
            &args,
            "/supervision?light=red",
        )
        .await?;
        notified += 1;
    }
    let total_turned: i64 = by_region.iter().map(|(_, t, _)| t).sum();
    let total_red: i64 = by_region.iter().map(|(_, _, r)| r).sum();
    let mut webhook = false;
    if !state.cfg.notify.webhook_url.is_empty() {
        let red = store::open_due_on(&mut tx, &yesterday.to_string(), WEBHOOK_ROWS).await?;
        let due = store::open_due_on(&mut tx, &soon.to_string(), WEBHOOK_ROWS).await?;
        if red.1 > 0 || due.1 > 0 {
            let text = webhook_text(
                date,
                lead,
                &red,
                &due,
                total_red,
                &state.cfg.public_url,
                max_bytes(&state.cfg.notify.webhook_kind),
            );
            crate::jobs::enqueue(
                &mut tx,
                "webhook.post",
                &json!({"text": text}),
                Some(&format!("webhook.digest:{date}")),
                now,
            )
            .await?;
            webhook = true;
        }
    }
    // A digest that wrote nothing (nothing turned red) leaves only its job row.
    if notified > 0 || webhook {
        audit::record(
            state,
            &mut tx,
            &Who::system("reminders"),
            Event::ok("supervision.digest", "date", date).detail(json!({
                "turned_red": total_turned, "red": total_red, "notified": notified, "webhook": webhook
            })),
        )
        .await
        .map_err(anyhow_of)?;
    }
    tx.commit().await?;
    Ok(())
}

/// WeCom rejects a text over 2048 bytes (UTF-8); DingTalk allows more, but a group message
/// longer than a screen is not read, so it gets a little more room only.
fn max_bytes(kind: &str) -> usize {
    if kind == "wecom" { 2000 } else { 4000 }
}

/// Lines "任务7：A、B、C" per (policy, task), in order.
fn group_lines(rows: &[(String, i64, String)]) -> Vec<String> {
    let several_policies = rows.windows(2).any(|w| w[0].0 != w[1].0);
    let mut groups: BTreeMap<(String, i64), Vec<&str>> = BTreeMap::new();
    for (p, n, org) in rows {
        groups.entry((p.clone(), *n)).or_default().push(org);
    }
    groups
        .into_iter()
        .map(|((p, n), orgs)| {
            let task = tf(Lang::Zh, "reminder.webhook_task", &[("n", n.to_string())]);
            let task = if several_policies {
                format!("{p} {task}")
            } else {
                task
            };
            format!("{task}{}{}", t(Lang::Zh, "common.colon"), orgs.join("、"))
        })
        .collect()
}

/// The robot message: a fixed heading (usable as a DingTalk security keyword), what turned
/// red and what entered the lead time, the red total, the ledger link. Organisation names
/// and task numbers only: no person's name, phone or e-mail.
pub fn webhook_text(
    date: NaiveDate,
    lead: i64,
    red: &(Vec<(String, i64, String)>, i64),
    due: &(Vec<(String, i64, String)>, i64),
    total_red: i64,
    public_url: &str,
    max: usize,
) -> String {
    let z = |k: &str, args: &[(&str, String)]| tf(Lang::Zh, k, args);
    let mut head = vec![z(
        "reminder.webhook_title",
        &[(
            "date",
            crate::i18n::format_date(Lang::Zh, &date.to_string()),
        )],
    )];
    let mut tail = vec![z("reminder.webhook_total", &[("n", total_red.to_string())])];
    if !public_url.is_empty() {
        tail.push(z(
            "reminder.webhook_link",
            &[(
                "url",
                format!("{}/supervision?light=red", public_url.trim_end_matches('/')),
            )],
        ));
    }
    let mut body = Vec::new();
    if red.1 > 0 {
        body.push(z("reminder.webhook_red", &[("n", red.1.to_string())]));
        body.extend(group_lines(&red.0));
    }
    if due.1 > 0 {
        body.push(z(
            "reminder.webhook_soon",
            &[("n", due.1.to_string()), ("lead", lead.to_string())],
        ));
        body.extend(group_lines(&due.0));
    }
    let more = t(Lang::Zh, "reminder.webhook_more");
    let fixed: usize = head
        .iter()
        .chain(tail.iter())
        .map(|l| l.len() + 1)
        .sum::<usize>()
        + more.len()
        + 1;
    let mut used = fixed;
    let mut kept = Vec::new();
    let mut cut = red.0.len() as i64 != red.1 || due.0.len() as i64 != due.1;
    for line in body {
        if used + line.len() + 1 > max {
            cut = true;
            break;
        }
        used += line.len() + 1;
        kept.push(line);
    }
    head.append(&mut kept);
    if cut {
        head.push(more);
    }
    head.append(&mut tail);
    head.join("\n")
}

/// 催办 by the committee office: the assignee organisation's active accounts get a notice
/// (and mail when they have an address); the history shows "reminded"; the audit log keeps
/// who did it. Outside the caller's scope the assignment does not exist; a closed one
/// cannot be chased. Returns how many accounts were notified.
pub async fn remind(state: &AppState, actor: &Actor, id: AssignmentId) -> AppResult<usize> {
    const ACTION: &str = "assignment.remind";
    if !actor.can(Perm::TaskRead) {
        return Err(audit::service::deny(state, &actor.who(), ACTION, "assignment", id).await);
    }
    let mut rtx = state.db.read().await?;
    let a = store::by_id(&mut rtx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(rtx);
    let visible = match actor.scope() {
        Scope::Region(p) => a.region_path.starts_with(&p),
        Scope::Org(o) => a.org_id == o,
    };
    if !visible {
        audit::record_alone(state, &actor.who(), Event::denied(ACTION, "assignment", id)).await?;
        return Err(AppError::NotFound);
    }
    if !actor.can(Perm::TaskIssue) {
        audit::record_alone(state, &actor.who(), Event::denied(ACTION, "assignment", id)).await?;
        return Err(AppError::Refused(Msg::new("reminder.only_office")));
    }
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    // Read again under the write lock: it may have been closed meanwhile.
    let a = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if a.status == Status::Closed {
        return Err(AppError::Conflict(Msg::new("reminder.closed")));
    }
    // At most once per interval: a chased organisation is not flooded, whoever clicks.
    let interval_ms = state.cfg.supervision.remind_interval_hours * 3_600_000;
    if interval_ms > 0
        && let Some(last) = store::last_event_at(&mut tx, id, "reminded").await?
        && now < last + interval_ms
    {
        let next = chrono::DateTime::from_timestamp_millis(last + interval_ms)
            .map(|t| {
                t.with_timezone(&crate::time::tz())
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        return Err(AppError::Conflict(
            Msg::new("reminder.too_soon")
                .with("hours", state.cfg.supervision.remind_interval_hours)
                .with("next", next),
        ));
    }
    let link = format!("/supervision/assignments/{id}");
    let notified = crate::notify::service::notify_org(
        &mut tx,
        a.org_id,
        "notice.task_reminded.title",
        "notice.task_reminded.body",
        &json!({}),
        &link,
    )
    .await?;
    store::insert_event(
        &mut tx,
        &a,
        "reminded",
        Some(actor.account_id),
        &actor.display_name,
        "",
        None,
        now,
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(ACTION, "assignment", id).detail(json!({"notified": notified})),
    )
    .await?;
    tx.commit().await?;
    Ok(notified)
}

/// 催办: send the assignee organisation a reminder (committee office, in scope; not on a
/// closed assignment).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/remind", tag = "supervision", params(("id" = i64, Path)),
    responses((status = 200, description = "{\"assignment_id\": id, \"notified\": n}"), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn api_remind(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<Value>> {
    let n = remind(&state, &actor, id).await?;
    Ok(Json(json!({"assignment_id": id, "notified": n})))
}

/// The 催办 button of the assignment page.
pub async fn page_remind(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
) -> AppResult<Response> {
    remind(&state, &actor, id).await?;
    Ok(Redirect::to(&format!("/supervision/assignments/{id}")).into_response())
}
