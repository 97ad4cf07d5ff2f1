//! Handling a report: 受理 / 不予受理 / 转办 (the office), 核查 and 答复 (the routed department
//! or the office), messages to the reporter, the identity custodian's reveal and the city
//! office's designation of custodians.

use anwei_rules::report::{Finding, Step};
use serde_json::json;

use super::model::{Identity, IdentityRevealInput, MessageInput, ReportRow, StepInput};
use super::service::{Detail, SUBJECT, get};
use super::store::{self, Change};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{OrgId, ReportId};
use crate::state::AppState;
use crate::web::extract::text;

fn target(sid: &str) -> Target<'_> {
    Target {
        kind: SUBJECT,
        id: sid,
    }
}

/// The permission a step needs.
fn perm(step: Step) -> Perm {
    match step {
        Step::Accept | Step::Reject | Step::Route => Perm::ReportTriage,
        Step::Verify | Step::Answer => Perm::ReportVerify,
    }
}

/// One handling step on report `id`, in one transaction: the permission (403), the report in
/// scope (a department: routed to it; else 404), the step allowed in its status (409), the
/// fields it needs (422), then the change, the step kept with who and when, and the audit.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    step: Step,
    input: &StepInput,
) -> AppResult<Detail> {
    let action = match step {
        Step::Accept => "report.accept",
        Step::Reject => "report.reject",
        Step::Route => "report.route",
        Step::Verify => "report.verify",
        Step::Answer => "report.answer",
    };
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    act.require(perm(step), action, target(&sid)).await?;
    let r = super::service::load(&mut act, id, action).await?;
    let Some(next) = r.status.after(step) else {
        return Err(AppError::Conflict(Msg::new("reports.step_not_now")));
    };
    let mut e = Vec::new();
    let note_required = matches!(step, Step::Reject | Step::Verify | Step::Answer);
    let note = text("note", &input.note, 5000, note_required, &mut e);
    let today = crate::time::today();
    let cfg = &state.cfg.reports;
    let mut ch = Change {
        from: r.status.code(),
        to: next.code(),
        handler: None,
        verify_due: None,
        finding: None,
        answer: None,
        answer_due: None,
        now: now_ms(),
        industry: None,
    };
    if matches!(step, Step::Accept | Step::Route) {
        ch.industry = super::routing::industry(&input.industry, &mut e);
    }
    let mut org = None;
    match step {
        Step::Route => {
            let dept = department(&mut act, &input.department_code, &r, &mut e).await?;
            if let Some(d) = dept {
                ch.handler = Some(d);
                org = Some(d);
            }
            if r.verify_due.is_none() {
                ch.verify_due = Some(anwei_rules::report::due(today, cfg.verify_days).to_string());
            }
        }
        Step::Verify => match Finding::parse(input.finding.trim()) {
            Some(f) => {
                ch.finding = Some(f.code());
                ch.answer_due = Some(anwei_rules::report::due(today, cfg.answer_days).to_string());
            }
            None => e.push(("finding".into(), Msg::new("reports.finding_unknown"))),
        },
        Step::Answer => ch.answer = Some(&note),
        Step::Accept | Step::Reject => {}
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if store::change(act.tx(), id, &ch).await? == 0 {
        return Err(AppError::Conflict(Msg::new("reports.changed_meanwhile")));
    }
    store::add_step(
        act.tx(),
        id,
        step.code(),
        &note,
        org,
        actor.account_id,
        ch.now,
    )
    .await?;
    act.audit(Event::ok(action, SUBJECT, id).detail(json!({
        "from": r.status.code(), "to": next.code(), "department": org, "finding": ch.finding,
        "industry": ch.industry,
    })))
    .await?;
    act.commit().await?;
    get(state, actor, id).await
}

/// The department a report is routed to: a current department in the actor's scope whose
/// territory covers the report's (the county's own, or the city's).
async fn department(
    act: &mut Act<'_>,
    code: &str,
    r: &ReportRow,
    e: &mut Vec<(String, Msg)>,
) -> AppResult<Option<OrgId>> {
    let code = code.trim();
    if code.is_empty() {
        e.push(("department_code".into(), Msg::new("error.required")));
        return Ok(None);
    }
    match crate::orgs::service::current_by_code(act, code).await? {
        Ok(o) if o.kind == "department" && !r.region_path.starts_with(&o.region_path) => {
            e.push((
                "department_code".into(),
                Msg::new("report_handling.department_outside"),
            ));
            Ok(None)
        }
        Ok(o) if o.kind == "department" => Ok(Some(o.id)),
        Ok(_) => {
            e.push((
                "department_code".into(),
                Msg::new("reports.not_a_department"),
            ));
            Ok(None)
        }
        Err(m) => {
            e.push(("department_code".into(), m));
            Ok(None)
        }
    }
}

/// A handler's message to the reporter (shown on the follow-up page, without the handler's
/// name).
pub async fn staff_message(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &MessageInput,
) -> AppResult<Detail> {
    const ACTION: &str = "report.message";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportVerify, ACTION, target(&sid))
        .await?;
    super::service::load(&mut act, id, ACTION).await?;
    let mut e = Vec::new();
    let body = text("body", &input.body, 5000, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    store::add_message(act.tx(), id, Some(actor.account_id), &body, now_ms()).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id)).await?;
    act.commit().await?;
    get(state, actor, id).await
}

/// 身份披露: the designated custodian (an office account) opens the reporter's identity of one
/// report, with a reason. Anyone else: 403 and an audit record. Each reveal: one audit record
/// with the reason (never the identity).
pub async fn reveal(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &IdentityRevealInput,
) -> AppResult<Identity> {
    const ACTION: &str = "report.reveal";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    let custodian = actor.role == Role::Office
        && !actor.is_read_only()
        && store::is_custodian(act.tx(), actor.account_id).await?;
    if !custodian {
        return Err(act.refused(ACTION, target(&sid), AppError::Forbidden).await);
    }
    let r: ReportRow = super::service::load(&mut act, id, ACTION).await?;
    let mut e = Vec::new();
    let reason = text("reason", &input.reason, 500, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if r.anonymous {
        return Err(AppError::Conflict(Msg::new("reports.anonymous")));
    }
    if !super::transfer::holds_identity(actor, &r) {
        // Transferred here without the identity (转办未移交身份): the sending side keeps it.
        let why = AppError::Refused(Msg::new("report_handling.identity_withheld"));
        return Err(act.refused(ACTION, target(&sid), why).await);
    }
    let sealed = store::identity(act.tx(), id).await?;
    let opened = state
        .vault
        .open(&sealed)
        .map_err(|e| AppError::Internal(e.context("open a reporter's identity")))?;
    let identity: Identity = serde_json::from_str(&opened)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a sealed identity is not JSON: {e}")))?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({"reason": reason})))
        .await?;
    act.commit().await?;
    Ok(identity)
}

/// The city office designates an office account as identity custodian (身份保管人); never
/// itself, never an account of another role.
pub async fn designate(state: &AppState, actor: &Actor, username: &str) -> AppResult<()> {
    const ACTION: &str = "report.designate_custodian";
    let mut act = Act::begin(state, actor).await?;
    let t = Target {
        kind: "account",
        id: username,
    };
    if !actor.is_city_office() {
        return Err(act.refused(ACTION, t, AppError::Forbidden).await);
    }
    let acc = crate::accounts::service::by_username_in(&mut act, username).await?;
    let acc = match acc {
        Some(a) if a.role == Role::Office.code() && !a.disabled => a,
        _ => {
            return Err(AppError::Validation(vec![(
                "username".into(),
                Msg::new("reports.custodian_not_office"),
            )]));
        }
    };
    if acc.id == actor.account_id {
        return Err(AppError::Validation(vec![(
            "username".into(),
            Msg::new("reports.custodian_not_self"),
        )]));
    }
    store::designate(act.tx(), acc.id, actor.account_id, now_ms()).await?;
    act.audit(Event::ok(ACTION, "account", acc.id)).await?;
    act.commit().await?;
    Ok(())
}
