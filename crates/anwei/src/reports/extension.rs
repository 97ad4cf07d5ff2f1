//! 延期: the department verifying a report asks, with a reason, to extend its verification
//! deadline by `[reports] extension_days` (default 30, or fewer days if it asks for fewer);
//! the office approves or refuses — never the account that asked. Approval moves `verify_due`
//! in the same transaction; a report has at most `[reports] max_extensions` (default 1)
//! extensions pending or approved. The deadline sweep then reminds on the moved date.

use anwei_rules::report::Status;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::model::ReportRow;
use super::service::{Detail, SUBJECT};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::config::Config;
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccountId, ReportId};
use crate::on_tx;
use crate::state::AppState;
use crate::web::extract::text;

/// `POST /api/v1/reports/{id}/extension`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReportExtensionInput {
    /// Why the verification needs longer (延期理由).
    #[serde(default)]
    pub reason: String,
    /// Days asked for: 1 up to `[reports] extension_days` (30); blank or 0: all of them.
    #[serde(default)]
    pub days: Option<i64>,
}

/// `POST /api/v1/reports/{id}/extension/decide`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ExtensionDecisionInput {
    /// `true`: approve (the deadline moves); `false`: refuse (`note` required).
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// An extension request as kept.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct ReportExtensionRow {
    pub id: i64,
    pub days: i64,
    pub reason: String,
    #[serde(skip)]
    pub requested_by: AccountId,
    pub requested_by_name: String,
    pub org_name: String,
    pub requested_at: i64,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_note: String,
    pub due_before: String,
    pub due_after: String,
}

fn target(sid: &str) -> Target<'_> {
    Target {
        kind: SUBJECT,
        id: sid,
    }
}

fn used(exts: &[ReportExtensionRow]) -> usize {
    exts.iter().filter(|x| x.status != "refused").count()
}

/// Whether `actor` may ask now: the department the report is routed to, while it verifies,
/// with nothing pending and extensions left.
pub fn may_request(
    actor: &Actor,
    r: &ReportRow,
    exts: &[ReportExtensionRow],
    cfg: &Config,
) -> bool {
    actor.role == Role::Department
        && actor.can(Perm::ReportVerify)
        && !actor.is_read_only()
        && r.handler_org_id == Some(actor.org_id)
        && r.status == Status::Verifying
        && !exts.iter().any(|x| x.status == "pending")
        && used(exts) < cfg.reports.max_extensions as usize
}

/// Whether `actor` may decide the pending request: the office, not its requester.
pub fn may_decide(actor: &Actor, exts: &[ReportExtensionRow]) -> bool {
    actor.can(Perm::ReportTriage)
        && !actor.is_read_only()
        && exts
            .iter()
            .any(|x| x.status == "pending" && x.requested_by != actor.account_id)
}

/// The department handling report `id` asks for an extension, in one transaction: 403 for
/// anyone else, 409 when not verifying, already pending or used up, 422 without a reason.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &ReportExtensionInput,
) -> AppResult<Detail> {
    const ACTION: &str = "report.extension_request";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportVerify, ACTION, target(&sid))
        .await?;
    let r = super::service::load(&mut act, id, ACTION).await?;
    if r.handler_org_id != Some(actor.org_id) {
        return Err(act.refused(ACTION, target(&sid), AppError::Forbidden).await);
    }
    if r.status != Status::Verifying {
        return Err(AppError::Conflict(Msg::new("reports.step_not_now")));
    }
    let exts = of_report(act.tx(), id).await?;
    if exts.iter().any(|x| x.status == "pending") {
        return Err(AppError::Conflict(Msg::new(
            "report_handling.extension_pending",
        )));
    }
    let cfg = &state.cfg.reports;
    if used(&exts) >= cfg.max_extensions as usize {
        return Err(AppError::Conflict(Msg::new(
            "report_handling.extension_used",
        )));
    }
    let mut e = Vec::new();
    let reason = text("reason", &input.reason, 1000, true, &mut e);
    let most = i64::from(cfg.extension_days);
    let days = match input.days {
        None | Some(0) => most,
        Some(d) if (1..=most).contains(&d) => d,
        Some(_) => {
            e.push(("days".into(), Msg::new("report_handling.extension_days")));
            most
        }
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    on_tx!(act.tx(), |c| sqlx::query(
        "INSERT INTO report_extension (report_id, days, reason, requested_by, requested_org_id, \
         requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending')"
    )
    .bind(id)
    .bind(days)
    .bind(&reason)
    .bind(actor.account_id)
    .bind(actor.org_id)
    .bind(now_ms())
    .execute(c)
    .await
    .map(|_| ()))?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({"days": days, "reason": reason})))
        .await?;
    act.commit().await?;
    super::service::get(state, actor, id).await
}

/// The office approves or refuses the pending request of report `id`, in one transaction:
/// 403 for its requester (audited) and anyone without triage; 409 when none is pending (or,
/// to approve, the report no longer verifies); 422 for a refusal without a note. Approval
/// moves `verify_due` by the days asked.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &ExtensionDecisionInput,
) -> AppResult<Detail> {
    const ACTION: &str = "report.extension_decide";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportTriage, ACTION, target(&sid))
        .await?;
    let r = super::service::load(&mut act, id, ACTION).await?;
    let exts = of_report(act.tx(), id).await?;
    let Some(x) = exts.iter().find(|x| x.status == "pending") else {
        return Err(AppError::Conflict(Msg::new(
            "report_handling.extension_none",
        )));
    };
    if x.requested_by == actor.account_id {
        let why = AppError::Refused(Msg::new("report_handling.extension_own"));
        return Err(act.refused(ACTION, target(&sid), why).await);
    }
    let mut e = Vec::new();
    let note = text("note", &input.note, 1000, !input.approve, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = now_ms();
    let before = r.verify_due.clone().unwrap_or_default();
    let mut after = String::new();
    if input.approve {
        if r.status != Status::Verifying {
            return Err(AppError::Conflict(Msg::new("reports.step_not_now")));
        }
        let from = crate::time::parse_date(&before).unwrap_or_else(crate::time::today);
        let days = u64::try_from(x.days).unwrap_or(0);
        after = (from + chrono::Days::new(days)).to_string();
        if move_due(act.tx(), id, &after, now).await? == 0 {
            return Err(AppError::Conflict(Msg::new("reports.changed_meanwhile")));
        }
    }
    let status = if input.approve { "approved" } else { "refused" };
    let d = Decided {
        status,
        by: actor.account_id,
        at: now,
        note: &note,
        before: &before,
        after: &after,
    };
    if settle(act.tx(), x.id, &d).await? == 0 {
        return Err(AppError::Conflict(Msg::new("reports.changed_meanwhile")));
    }
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "decision": status, "days": x.days, "due_before": before, "due_after": after,
    })))
    .await?;
    act.commit().await?;
    super::service::get(state, actor, id).await
}

async fn move_due(tx: &mut Tx, id: ReportId, due: &str, now: i64) -> AppResult<u64> {
    Ok(on_tx!(tx, |c| sqlx::query(
        "UPDATE report SET verify_due = $2, updated_at = $3 WHERE id = $1 AND status = 'verifying'"
    )
    .bind(id)
    .bind(due)
    .bind(now)
    .execute(c)
    .await
    .map(|x| x.rows_affected()))?)
}

struct Decided<'a> {
    status: &'a str,
    by: AccountId,
    at: i64,
    note: &'a str,
    before: &'a str,
    after: &'a str,
}

async fn settle(tx: &mut Tx, ext: i64, d: &Decided<'_>) -> AppResult<u64> {
    Ok(on_tx!(tx, |c| sqlx::query(
        "UPDATE report_extension SET status = $2, decided_by = $3, decided_at = $4, \
         decision_note = $5, due_before = $6, due_after = $7 WHERE id = $1 AND status = 'pending'"
    )
    .bind(ext)
    .bind(d.status)
    .bind(d.by)
    .bind(d.at)
    .bind(d.note)
    .bind(d.before)
    .bind(d.after)
    .execute(c)
    .await
    .map(|x| x.rows_affected()))?)
}

/// The extension requests of a report, oldest first.
pub async fn of_report(tx: &mut Tx, id: ReportId) -> AppResult<Vec<ReportExtensionRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(
        "SELECT x.id, x.days, x.reason, x.requested_by, a.display_name AS requested_by_name, \
         o.name AS org_name, x.requested_at, x.status, d.display_name AS decided_by_name, \
         x.decided_at, x.decision_note, x.due_before, x.due_after FROM report_extension x \
         JOIN account a ON a.id = x.requested_by JOIN org o ON o.id = x.requested_org_id \
         LEFT JOIN account d ON d.id = x.decided_by WHERE x.report_id = $1 ORDER BY x.id"
    )
    .bind(id)
    .fetch_all(c)
    .await)?)
}
