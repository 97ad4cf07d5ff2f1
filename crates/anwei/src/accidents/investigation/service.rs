//! Use cases of an accident's investigation (事故调查, 条例 第十九条 to 第三十二条): open it with its
//! team (the lead level from the grade, `anwei_rules::accident::investigation::lead_level`),
//! request an extension (at most 60 days in all, `investigation_due`) and decide it (never the
//! requester), submit the report with its responsibility findings, approve it (批复, due 15
//! days after submission, 30 for 特别重大). Read by whoever may read the accident (纪检监察 too).

use anwei_rules::accident::investigation::{
    MAX_INVESTIGATION_EXTENSION_DAYS, investigation_due, lead_level,
};
use serde_json::json;

use super::model::{
    AppraisalInput, AppraisalRow, InvestigationDecisionInput, InvestigationExtensionInput,
    InvestigationOpenInput, InvestigationReportInput, InvestigationRow,
};
use super::store;
use crate::accidents::model::AccidentRow;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::AccidentId;
use crate::state::AppState;

/// What audit records call an investigation (by its accident's id).
pub const SUBJECT: &str = "investigation";

/// An investigation with its accident (for the due dates).
pub struct Loaded {
    pub accident: AccidentRow,
    pub investigation: InvestigationRow,
    /// Its periods of technical appraisal (技术鉴定), the earliest first.
    pub appraisals: Vec<AppraisalRow>,
}

impl Loaded {
    /// The investigation as answered on `today`, its due date moved by the appraisal days.
    pub fn view(&self, today: chrono::NaiveDate) -> super::model::InvestigationView {
        let a = &self.accident;
        self.investigation
            .view(a.occurred_on(), a.grade, today, &self.appraisals)
    }
}

/// Opens a write use case: the permission (403, audited), the accident in scope (404), and
/// its investigation when `existing` (404 when none).
async fn begin<'s>(
    state: &'s AppState,
    actor: &'s Actor,
    id: AccidentId,
    action: &'static str,
) -> AppResult<(Act<'s>, AccidentRow, Option<InvestigationRow>)> {
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::InvestigationManage, action, t).await?;
    let a = crate::accidents::service::visible(&mut act, id, action).await?;
    let inv = store::get(act.tx(), id).await?;
    Ok((act, a, inv))
}

async fn finish(mut act: Act<'_>, a: AccidentRow, ev: Event) -> AppResult<Loaded> {
    act.audit(ev).await?;
    let investigation = store::get(act.tx(), a.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let appraisals = store::appraisals(act.tx(), a.id).await?;
    act.commit().await?;
    Ok(Loaded {
        accident: a,
        investigation,
        appraisals,
    })
}

fn conflict(key: &'static str) -> AppError {
    AppError::Conflict(Msg::new(key))
}

/// Opens the investigation (409 when it is open already), led by the level the grade requires.
pub async fn open(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &InvestigationOpenInput,
) -> AppResult<Loaded> {
    const ACTION: &str = "investigation.open";
    let (mut act, a, inv) = begin(state, actor, id, ACTION).await?;
    let team = input.parse()?;
    if inv.is_some() {
        return Err(conflict("investigation.exists"));
    }
    let level = lead_level(a.grade);
    let team = serde_json::to_string(&team).map_err(|e| AppError::Internal(e.into()))?;
    let today = crate::time::today().to_string();
    store::insert(
        act.tx(),
        id,
        level.code(),
        &team,
        &today,
        actor.account_id,
        now_ms(),
    )
    .await?;
    let ev = Event::ok(ACTION, SUBJECT, id)
        .detail(json!({"lead_level": level.code(), "grade": a.grade.code()}));
    finish(act, a, ev).await
}

/// An extension request: 1 day up to what is left of the 60 (422 naming `days`); one pending
/// at a time (409).
pub async fn request_extension(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &InvestigationExtensionInput,
) -> AppResult<Loaded> {
    const ACTION: &str = "investigation.extension_request";
    let (mut act, a, inv) = begin(state, actor, id, ACTION).await?;
    let inv = inv.ok_or(AppError::NotFound)?;
    let days = input.days.unwrap_or(0);
    let total = u32::try_from(inv.extension_days + days).unwrap_or(u32::MAX);
    if days < 1 || investigation_due(a.occurred_on(), total, 0).is_err() {
        let left = i64::from(MAX_INVESTIGATION_EXTENSION_DAYS) - inv.extension_days;
        return Err(AppError::field(
            "days",
            Msg::new("investigation.extension_days").with("left", left),
        ));
    }
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::field(
            "reason",
            Msg::new("investigation.text_required"),
        ));
    }
    if store::request(act.tx(), id, days, reason, actor.account_id, now_ms()).await? == 0 {
        return Err(conflict("investigation.not_requestable"));
    }
    finish(
        act,
        a,
        Event::ok(ACTION, SUBJECT, id).detail(json!({"days": days})),
    )
    .await
}

/// Decides the pending request (409 when none); the requester may not decide their own (403,
/// audited).
pub async fn decide_extension(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &InvestigationDecisionInput,
) -> AppResult<Loaded> {
    const ACTION: &str = "investigation.extension_decide";
    let (mut act, a, inv) = begin(state, actor, id, ACTION).await?;
    let inv = inv.ok_or(AppError::NotFound)?;
    let Some(days) = inv.requested_days else {
        return Err(conflict("investigation.no_request"));
    };
    if inv.requested_by == Some(actor.account_id) {
        let sid = id.to_string();
        let t = Target {
            kind: SUBJECT,
            id: &sid,
        };
        let refusal = AppError::Refused(Msg::new("investigation.not_own_request"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    if store::decide(act.tx(), id, input.approve, now_ms()).await? == 0 {
        return Err(conflict("investigation.no_request"));
    }
    let ev =
        Event::ok(ACTION, SUBJECT, id).detail(json!({"days": days, "approved": input.approve}));
    finish(act, a, ev).await
}

/// Submits the report and its responsibility findings (409 unless open).
pub async fn submit_report(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &InvestigationReportInput,
) -> AppResult<Loaded> {
    const ACTION: &str = "investigation.report";
    let (mut act, a, inv) = begin(state, actor, id, ACTION).await?;
    inv.ok_or(AppError::NotFound)?;
    let (summary, findings) = input.parse()?;
    let today = crate::time::today().to_string();
    if store::report(
        act.tx(),
        id,
        &summary,
        &findings,
        &today,
        actor.account_id,
        now_ms(),
    )
    .await?
        == 0
    {
        return Err(conflict("investigation.not_open"));
    }
    finish(act, a, Event::ok(ACTION, SUBJECT, id)).await
}

/// Approves the submitted report (批复; 409 unless submitted); never by its submitter (403).
pub async fn approve(state: &AppState, actor: &Actor, id: AccidentId) -> AppResult<Loaded> {
    const ACTION: &str = "investigation.approve";
    let (mut act, a, inv) = begin(state, actor, id, ACTION).await?;
    let inv = inv.ok_or(AppError::NotFound)?;
    if inv.status == "reported" && inv.reported_by == Some(actor.account_id) {
        let sid = id.to_string();
        let t = Target {
            kind: SUBJECT,
            id: &sid,
        };
        let refusal = AppError::Refused(Msg::new("investigation.not_own_report"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    let today = crate::time::today().to_string();
    if store::approve(act.tx(), id, &today, actor.account_id, now_ms()).await? == 0 {
        return Err(conflict("investigation.not_reported"));
    }
    finish(act, a, Event::ok(ACTION, SUBJECT, id)).await
}

/// The investigation of an accident in scope (404 when none is open).
pub async fn get(state: &AppState, actor: &Actor, id: AccidentId) -> AppResult<Loaded> {
    let mut act = Act::read(state, actor).await?;
    let accident = crate::accidents::service::visible(&mut act, id, "investigation.read").await?;
    let investigation = store::get(act.tx(), id).await?.ok_or(AppError::NotFound)?;
    let appraisals = store::appraisals(act.tx(), id).await?;
    Ok(Loaded {
        accident,
        investigation,
        appraisals,
    })
}

/// The accident in scope (404 otherwise) and its investigation with its appraisals, when one
/// is open: for the investigation page, which offers to open one when there is none.
pub async fn find(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
) -> AppResult<(AccidentRow, Option<Loaded>)> {
    let mut act = Act::read(state, actor).await?;
    let accident = crate::accidents::service::visible(&mut act, id, "investigation.read").await?;
    let Some(investigation) = store::get(act.tx(), id).await? else {
        return Ok((accident, None));
    };
    let appraisals = store::appraisals(act.tx(), id).await?;
    let loaded = Loaded {
        accident: accident.clone(),
        investigation,
        appraisals,
    };
    Ok((accident, Some(loaded)))
}

/// 技术鉴定: records a period of technical appraisal while the investigation is open (409
/// otherwise), by the office that opened it (another office, even one with the accident in
/// scope: 403, audited). The first day lies between the opening and today, the last not
/// before it, and periods do not overlap (422 naming the field). Its days move the report's
/// due date (`investigation_due`'s appraisal days).
pub async fn record_appraisal(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &AppraisalInput,
) -> AppResult<Loaded> {
    const ACTION: &str = "investigation.appraisal";
    let (mut act, a, inv) = begin(state, actor, id, ACTION).await?;
    let inv = inv.ok_or(AppError::NotFound)?;
    if store::opener_org(act.tx(), id).await? != Some(actor.org_id) {
        let sid = id.to_string();
        let t = Target {
            kind: SUBJECT,
            id: &sid,
        };
        let refusal = AppError::Refused(Msg::new("investigation.appraisal_not_opener"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    if inv.status != "open" {
        return Err(conflict("investigation.not_open"));
    }
    let p = input.parse()?;
    let opened = crate::time::parse_date(&inv.opened_on).unwrap_or(p.starts_on);
    if p.starts_on < opened || p.starts_on > crate::time::today() {
        return Err(AppError::field(
            "starts_on",
            Msg::new("investigation.appraisal_outside").with("opened", &inv.opened_on),
        ));
    }
    let earlier = store::appraisals(act.tx(), id).await?;
    let (s, e) = (p.starts_on.to_string(), p.ends_on.to_string());
    if earlier.iter().any(|r| r.starts_on <= e && s <= r.ends_on) {
        return Err(AppError::field(
            "starts_on",
            Msg::new("investigation.appraisal_overlaps"),
        ));
    }
    let now = now_ms();
    let pid = store::add_appraisal(act.tx(), id, &p, actor.account_id, actor.org_id, now).await?;
    let days = (p.ends_on - p.starts_on).num_days() + 1;
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "appraisal": pid, "starts_on": s, "ends_on": e, "days": days,
    }));
    finish(act, a, ev).await
}
