//! Use cases of risk points (风险分级管控): record a point at an enterprise in scope (an
//! enterprise: its own), re-assess or edit it, retire it with a reason; the server scores and
//! grades every assessment. Each change sets the enterprise's grade — the highest level of its
//! active points — through the enterprises' door, in the same transaction. The four-colour map
//! counts enterprises by grade per child territory.

use anwei_rules::risk::RiskLevel;
use serde_json::json;

use super::model::{
    AssessInput, Assessed, RetireInput, RiskPointInput, RiskPointPatch, RiskPointRow,
};
use super::store;
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::enterprises::model::EnterpriseRow;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{OrgId, RiskPointId};
use crate::state::AppState;

/// What the audit log calls a risk point.
pub const SUBJECT: &str = "risk_point";

impl Scoped for RiskPointRow {
    fn scope_org_id(&self) -> OrgId {
        self.enterprise_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

/// The risk calculator: scores and grades an assessment with the configured bands.
pub fn assess(state: &AppState, input: &AssessInput) -> AppResult<Assessed> {
    input.assess(&state.cfg.risk)
}

/// The highest level of the enterprise's active points, set as its grade.
async fn regrade(act: &mut Act<'_>, enterprise: OrgId) -> AppResult<Option<RiskLevel>> {
    let levels = store::active_levels(act.tx(), enterprise).await?;
    let grade = levels.iter().filter_map(|l| RiskLevel::parse(l)).max();
    crate::enterprises::service::set_risk_level(act, enterprise, grade).await?;
    Ok(grade)
}

/// Records the use case's event, reads the point as it now is, and commits.
async fn finish(mut act: Act<'_>, id: RiskPointId, ev: Event) -> AppResult<RiskPointRow> {
    act.audit(ev).await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// 风险点登记: a point at the enterprise `enterprise` (in the actor's scope; an enterprise's
/// account: itself, else 404), scored and graded by the server.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    enterprise: OrgId,
    input: &RiskPointInput,
) -> AppResult<RiskPointRow> {
    const ACTION: &str = "risk_point.create";
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::RiskManage, ACTION, target("")).await?;
    let ent = crate::enterprises::service::visible(&mut act, enterprise, ACTION).await?;
    let p = input.parse(&state.cfg.risk)?;
    let id = store::insert(
        act.tx(),
        ent.org_id,
        &ent.region_path,
        &p,
        actor.account_id,
        now_ms(),
    )
    .await?;
    let grade = regrade(&mut act, ent.org_id).await?;
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "enterprise": ent.org_id, "method": p.assessed.stored().method, "score": p.assessed.score,
        "level": p.assessed.level.code(), "grade": grade.map(|g| g.code()),
    }));
    finish(act, id, ev).await
}

/// An enterprise's risk points and what the actor may do with them.
pub struct Listing {
    pub enterprise: EnterpriseRow,
    /// Active points first (the gravest first), then the retired ones.
    pub points: Vec<RiskPointRow>,
    /// The enterprise's grade: the highest level of its active points.
    pub grade: Option<RiskLevel>,
    pub can_manage: bool,
}

/// The risk points of an enterprise the actor may see (an enterprise: its own).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    enterprise: OrgId,
    with_retired: bool,
) -> AppResult<Listing> {
    const ACTION: &str = "risk_point.list";
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::HazardRead, ACTION, target("")).await?;
    let ent = crate::enterprises::service::visible(&mut act, enterprise, ACTION).await?;
    let points = store::of_enterprise(act.tx(), ent.org_id, with_retired).await?;
    let grade = points
        .iter()
        .filter(|p| p.retired_at.is_none())
        .map(|p| p.level)
        .max();
    Ok(Listing {
        enterprise: ent,
        points,
        grade,
        can_manage: actor.can(Perm::RiskManage) && !actor.is_read_only(),
    })
}

/// Opens a point for a change: the permission (403), then the point in scope (404).
async fn load_for_change(
    act: &mut Act<'_>,
    id: RiskPointId,
    action: &'static str,
) -> AppResult<RiskPointRow> {
    let sid = id.to_string();
    act.require(Perm::RiskManage, action, target(&sid)).await?;
    let p = act
        .load_by(Perm::HazardRead, action, SUBJECT, id, store::by_id)
        .await?;
    if p.retired_at.is_some() {
        return Err(AppError::Conflict(Msg::new("risk.retired_already")));
    }
    Ok(p)
}

/// Re-assesses or edits an active point: the fields sent replace the current ones and the
/// assessment is computed again (a method sent without its factors takes the current ones,
/// which must fit it).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: RiskPointId,
    patch: &RiskPointPatch,
) -> AppResult<RiskPointRow> {
    const ACTION: &str = "risk_point.update";
    let mut act = Act::begin(state, actor).await?;
    let cur = load_for_change(&mut act, id, ACTION).await?;
    let mut input = cur.as_input();
    let set = |to: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            to.clone_from(v);
        }
    };
    set(&mut input.unit, &patch.unit);
    set(&mut input.hazardous_event, &patch.hazardous_event);
    set(&mut input.control_measures, &patch.control_measures);
    set(&mut input.responsible_person, &patch.responsible_person);
    set(&mut input.method, &patch.method);
    if let Some(t) = &patch.accident_types {
        input.accident_types.clone_from(t);
    }
    if let Some(d) = patch.check_cycle_days {
        input.check_cycle_days = d;
    }
    for (to, v) in [
        (&mut input.l, patch.l),
        (&mut input.e, patch.e),
        (&mut input.c, patch.c),
        (&mut input.s, patch.s),
    ] {
        if v.is_some() {
            *to = v;
        }
    }
    let p = input.parse(&state.cfg.risk)?;
    let from = cur.cycle_from();
    if store::update(act.tx(), id, &p, from, actor.account_id, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("risk.retired_already")));
    }
    let grade = regrade(&mut act, cur.enterprise_id).await?;
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "enterprise": cur.enterprise_id, "from": {"score": cur.score_milli as f64 / 1000.0, "level": cur.level.code()},
        "score": p.assessed.score, "level": p.assessed.level.code(), "grade": grade.map(|g| g.code()),
    }));
    finish(act, id, ev).await
}

/// Retires an active point, saying why; the enterprise's grade is computed again without it.
pub async fn retire(
    state: &AppState,
    actor: &Actor,
    id: RiskPointId,
    input: &RetireInput,
) -> AppResult<RiskPointRow> {
    const ACTION: &str = "risk_point.retire";
    let mut act = Act::begin(state, actor).await?;
    let cur = load_for_change(&mut act, id, ACTION).await?;
    let mut e = Vec::new();
    let reason = crate::web::extract::text("reason", &input.reason, 500, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if store::retire(act.tx(), id, &reason, actor.account_id, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("risk.retired_already")));
    }
    let grade = regrade(&mut act, cur.enterprise_id).await?;
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "enterprise": cur.enterprise_id, "reason": reason, "grade": grade.map(|g| g.code()),
    }));
    finish(act, id, ev).await
}

/// One risk point the actor may see.
pub async fn get(state: &AppState, actor: &Actor, id: RiskPointId) -> AppResult<RiskPointRow> {
    let mut act = Act::read(state, actor).await?;
    act.load_by(
        Perm::HazardRead,
        "risk_point.read",
        SUBJECT,
        id,
        store::by_id,
    )
    .await
}

/// The door for accidents (issue 12), inside their read: the active risk points of
/// `enterprise` that lie in the actor's scope (none when the actor may not read hazards), the
/// gravest first.
pub async fn active_at_enterprise(
    act: &mut Act<'_>,
    enterprise: OrgId,
) -> AppResult<Vec<RiskPointRow>> {
    if !act.actor.can(Perm::HazardRead) {
        return Ok(Vec::new());
    }
    let scope = crate::orgs::service::scope_params(act.actor);
    let points = store::of_enterprise(act.tx(), enterprise, false).await?;
    Ok(points
        .into_iter()
        .filter(|p| match (&scope.path_like, scope.org_id) {
            (Some(like), _) => p.region_path.starts_with(like.trim_end_matches('%')),
            (None, Some(org)) => p.enterprise_id == org,
            (None, None) => false,
        })
        .collect())
}
