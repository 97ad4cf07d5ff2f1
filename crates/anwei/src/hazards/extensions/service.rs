//! Use cases of extension requests (延期申请): whoever may rectify the hazard (its enterprise,
//! or an inspector in scope acting for it) asks for a later deadline with a reason while the
//! hazard is open, one pending request at a time; the committee office in scope approves — the
//! deadline moves, the old one stays on the request — or refuses with a note; never the
//! requester. Every step audited.

use anwei_rules::hazard::Status;
use serde_json::json;

use super::model::{ExtensionDecision, ExtensionInput, ExtensionRow};
use super::store::{self, NewExtension};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::hazards::service::{SUBJECT, visible};
use crate::i18n::Msg;
use crate::ids::{ExtensionId, HazardId};
use crate::state::AppState;

/// Who may ask: as for submitting the rectification.
pub fn may_request(actor: &Actor, enterprise: crate::ids::OrgId) -> bool {
    actor.can(Perm::HazardRectify)
        && (actor.role != Role::Enterprise || actor.org_id == enterprise)
        && !actor.is_read_only()
}

/// Who may decide: the committee office (the hazard in its scope), never the requester.
pub fn may_decide(actor: &Actor, e: &ExtensionRow) -> bool {
    actor.role == Role::Office
        && actor.can(Perm::HazardReview)
        && actor.account_id != e.requested_by
        && !actor.is_read_only()
}

/// The hazard's requests, newest first, for someone who may see the hazard.
pub async fn of_hazard(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
) -> AppResult<Vec<ExtensionRow>> {
    let mut act = Act::read(state, actor).await?;
    visible(&mut act, id, "hazard.read").await?;
    Ok(store::of_hazard(act.tx(), id).await?)
}

/// 申请延期: a new deadline after the current one and after today (server clock), and a reason.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
    input: &ExtensionInput,
) -> AppResult<ExtensionRow> {
    const ACTION: &str = "hazard.extension_request";
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    let mut act = Act::begin(state, actor).await?;
    let h = visible(&mut act, id, ACTION).await?;
    if !may_request(actor, h.enterprise_id) {
        let refusal = AppError::Refused(Msg::new("hazards.only_enterprise_or_inspector"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    if h.status == Status::Closed {
        return Err(AppError::Conflict(Msg::new("hazards.extension_closed")));
    }
    let mut e = Vec::new();
    let reason = crate::web::extract::text("reason", &input.reason, 1000, true, &mut e);
    let today = crate::time::today();
    match crate::time::parse_date(input.deadline.trim()) {
        None => e.push((
            "deadline".into(),
            Msg::new("hazards.extension_deadline_invalid"),
        )),
        Some(d) if d <= h.deadline.0 || d <= today => {
            e.push(("deadline".into(), Msg::new("hazards.extension_not_later")));
        }
        Some(_) => {}
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let new_deadline = input.deadline.trim().to_string();
    let pending = store::of_hazard(act.tx(), id).await?;
    if pending.iter().any(|x| x.state == "pending") {
        return Err(AppError::Conflict(Msg::new("hazards.extension_pending")));
    }
    let old = h.deadline.0.to_string();
    let new = NewExtension {
        hazard_id: id,
        old_deadline: &old,
        new_deadline: &new_deadline,
        reason: &reason,
        by: actor.account_id,
        now: now_ms(),
    };
    let eid = store::insert(act.tx(), &new).await?;
    let ev = Event::ok(ACTION, SUBJECT, id)
        .detail(json!({"extension": eid, "from": old, "to": new_deadline, "reason": reason}));
    finish(act, id, eid, ev).await
}

async fn finish(
    mut act: Act<'_>,
    id: HazardId,
    eid: ExtensionId,
    ev: Event,
) -> AppResult<ExtensionRow> {
    act.audit(ev).await?;
    let row = store::by_id(act.tx(), id, eid)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// 审批延期: the office approves (the hazard's deadline becomes the one asked for) or refuses
/// with a note. A request of another hazard is not found (404).
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
    eid: ExtensionId,
    input: &ExtensionDecision,
) -> AppResult<ExtensionRow> {
    const ACTION: &str = "hazard.extension_decide";
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    let mut act = Act::begin(state, actor).await?;
    let h = visible(&mut act, id, ACTION).await?;
    let ext = store::by_id(act.tx(), id, eid)
        .await?
        .ok_or(AppError::NotFound)?;
    act.require(Perm::HazardReview, ACTION, t).await?;
    if actor.account_id == ext.requested_by {
        let refusal = AppError::Refused(Msg::new("hazards.extension_not_requester"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    if actor.role != Role::Office {
        let refusal = AppError::Refused(Msg::new("hazards.extension_only_office"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    if ext.state != "pending" {
        return Err(AppError::Conflict(Msg::new("hazards.extension_decided")));
    }
    let mut e = Vec::new();
    let note = crate::web::extract::text("note", &input.note, 1000, !input.approve, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = now_ms();
    if input.approve {
        if h.status == Status::Closed {
            return Err(AppError::Conflict(Msg::new("hazards.extension_closed")));
        }
        let moved = store::set_deadline(act.tx(), id, &ext.new_deadline, now);
        if moved.await? == 0 {
            return Err(AppError::Conflict(Msg::new("hazards.changed_meanwhile")));
        }
        crate::hazards::stats::service::deadline_moved(&mut act, &h, &ext.new_deadline).await?;
    }
    let verdict = if input.approve { "approved" } else { "refused" };
    if store::decide(act.tx(), eid, verdict, &note, actor.account_id, now).await? == 0 {
        return Err(AppError::Conflict(Msg::new("hazards.extension_decided")));
    }
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "extension": eid, "decision": verdict, "note": note,
        "from": ext.old_deadline, "to": ext.new_deadline,
    }));
    finish(act, id, eid, ev).await
}
