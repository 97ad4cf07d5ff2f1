//! Use cases of task supervision (督查督办): propose and issue assignments, acknowledge,
//! report with evidence, review (accept / return), close, and read the ledger and timeline.

use anwei_rules::org::Level;
use anwei_rules::supervision::{self, Action, AssignmentRole, Light, OrgFacts, Status};
use anwei_rules::unit_phrase::UnitSelector;
use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    AssignmentFilter, AssignmentRow, AssignmentView, AttachmentRow, EventRow, IssueInput,
    ReportInput, ReportRow, ReviewInput,
};
use super::store::{self, ListParams, NewAssignment};
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::orgs::model::OrgRow;
use crate::orgs::service::{in_scope, scope_params};
use crate::policy::model::{PolicyRow, TaskRow};
use crate::state::AppState;

async fn deny(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    target: impl ToString,
) -> AppError {
    audit::service::deny(state, &actor.who(), action, "assignment", target).await
}

fn today() -> NaiveDate {
    crate::time::today()
}

fn date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

async fn policy(tx: &mut Tx, code: Option<&str>) -> AppResult<PolicyRow> {
    let p = match code.filter(|c| !c.is_empty()) {
        Some(c) => crate::policy::store::policy_by_code(tx, c).await?,
        None => crate::policy::store::default_policy(tx).await?,
    };
    p.ok_or(AppError::NotFound)
}

fn level_of(actor_org_level: &str) -> Level {
    Level::parse(actor_org_level).unwrap_or(Level::City)
}

/// One proposed or chosen organisation.
pub struct Pick {
    pub org: OrgRow,
    pub role: AssignmentRole,
    pub issued: bool,
}

pub struct ProposalView {
    pub policy: PolicyRow,
    pub task: TaskRow,
    pub picks: Vec<Pick>,
    /// Selectors the office names by hand, described.
    pub open: Vec<UnitSelector>,
    pub assignments: Vec<AssignmentRow>,
}

async fn orgs_in_scope(state: &AppState, actor: &Actor) -> AppResult<Vec<OrgRow>> {
    let scope = scope_params(actor);
    let mut tx = state.db.read().await?;
    Ok(crate::orgs::store::list(
        &mut tx,
        &crate::orgs::store::ListParams {
            scope: &scope,
            q: None,
            kind: None,
            region_code: None,
            level: None,
            supervising: false,
            include_retired: false,
        },
    )
    .await?)
}

/// The organisations the task's responsible-unit phrase names, within the office's scope.
pub async fn proposal(
    state: &AppState,
    actor: &Actor,
    policy_code: Option<&str>,
    number: i64,
) -> AppResult<ProposalView> {
    if !actor.can(Perm::TaskIssue) {
        return Err(deny(state, actor, "assignment.propose", number).await);
    }
    let mut tx = state.db.read().await?;
    let policy = policy(&mut tx, policy_code).await?;
    let task = crate::policy::store::task(&mut tx, policy.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let assignments = store::of_task(&mut tx, policy.id, number).await?;
    let actor_org = crate::orgs::store::by_id(&mut tx, actor.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let orgs = orgs_in_scope(state, actor).await?;
    let selectors: Vec<UnitSelector> = task
        .selectors
        .split(';')
        .filter(|s| !s.is_empty())
        .filter_map(UnitSelector::parse_code)
        .collect();
    let all_facts: Vec<OrgFacts> = orgs.iter().filter_map(OrgRow::facts).collect();
    let p = supervision::resolve(&selectors, &all_facts, level_of(&actor_org.level));
    let picks = p
        .picks
        .iter()
        .filter_map(|(id, role)| {
            orgs.iter().find(|o| o.id == *id).map(|o| Pick {
                org: o.clone(),
                role: *role,
                issued: assignments.iter().any(|a| a.org_id == *id),
            })
        })
        .collect();
    Ok(ProposalView {
        policy,
        task,
        picks,
        open: p.open,
        assignments,
    })
}

pub struct IssueResult {
    pub created: usize,
    pub existing: usize,
}

/// 交办: issues the chosen organisations (or the proposal) in one transaction. Issuing twice
/// does not duplicate: an organisation that already has the task is counted as existing.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    number: i64,
    input: &IssueInput,
) -> AppResult<IssueResult> {
    // Checked here too so that a refused issue is recorded as an issue, not a proposal.
    if !actor.can(Perm::TaskIssue) {
        return Err(deny(state, actor, "assignment.issue", number).await);
    }
    let prop = proposal(state, actor, input.policy.as_deref(), number).await?;
    let mut chosen: Vec<(OrgRow, AssignmentRole)> = Vec::new();
    match &input.orgs {
        None => chosen.extend(prop.picks.iter().map(|p| (p.org.clone(), p.role))),
        Some(list) => {
            let mut errors = Vec::new();
            let mut rtx = state.db.read().await?;
            for (i, pick) in list.iter().enumerate() {
                let role = AssignmentRole::parse(pick.role.trim());
                let org = crate::orgs::store::by_code(&mut rtx, pick.org_code.trim()).await?;
                match (org, role) {
                    (Some(o), Some(r)) if in_scope(actor, &o) && o.retired_at.is_none() => {
                        if !chosen.iter().any(|(c, _)| c.id == o.id) {
                            chosen.push((o, r));
                        }
                    }
                    (_, None) => errors.push((
                        format!("orgs[{i}].role"),
                        Msg::new("supervision.role_unknown"),
                    )),
                    (Some(o), _) if o.retired_at.is_some() => {
                        errors.push((format!("orgs[{i}].org_code"), Msg::new("org.is_retired")))
                    }
                    _ => errors.push((format!("orgs[{i}].org_code"), Msg::new("org.unknown"))),
                }
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
        }
    }
    if chosen.is_empty() {
        return Err(AppError::field(
            "orgs",
            Msg::new("supervision.nothing_to_issue"),
        ));
    }
    let task = &prop.task;
    let today = today();
    let months = state.cfg.supervision.report_period_months;
    let months = supervision::report_months(&task.deadline_kind, months);
    let due = task.due.clone();
    let watch = if task.ongoing {
        Some(
            due.clone()
                .unwrap_or_else(|| supervision::next_period_end(today, months).to_string()),
        )
    } else {
        due.clone()
    };
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let (mut created, mut existing) = (0, 0);
    for (org, role) in &chosen {
        let id = store::insert(
            &mut tx,
            &NewAssignment {
                policy_id: prop.policy.id,
                task_number: number,
                measure_number: task.measure_number,
                org_id: org.id,
                role: role.code(),
                ongoing: task.ongoing,
                due: due.as_deref(),
                watch_due: watch.as_deref(),
                issued_by: actor.account_id,
                now,
            },
        )
        .await?;
        match id {
            Some(id) => {
                created += 1;
                let a = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
                store::insert_event(
                    &mut tx,
                    &a,
                    "issued",
                    Some(actor.account_id),
                    &actor.display_name,
                    "",
                    None,
                    now,
                )
                .await?;
                crate::notify::service::notify_org(
                    &mut tx,
                    org.id,
                    "notice.task_issued.title",
                    "notice.task_issued.body",
                    &json!({}),
                    &format!("/supervision/assignments/{id}"),
                )
                .await?;
            }
            None => existing += 1,
        }
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(
            "assignment.issue",
            "policy_task",
            format!("{}#{number}", prop.policy.code),
        )
        .detail(json!({"created": created, "existing": existing})),
    )
    .await?;
    tx.commit().await?;
    Ok(IssueResult { created, existing })
}

pub struct ListResult {
    pub items: Vec<AssignmentView>,
    pub total: i64,
    pub counts: Vec<(String, i64)>,
    pub page: i64,
    pub per_page: i64,
    pub policy: PolicyRow,
}

/// The ledger: assignments in scope, filtered, with counts per light.
pub async fn list(state: &AppState, actor: &Actor, f: &AssignmentFilter) -> AppResult<ListResult> {
    list_page(state, actor, f, true).await
}

/// Like `list`; with `counts = false` the counts per light (and the total) are left empty for
/// a caller that computes them otherwise.
pub async fn list_page(
    state: &AppState,
    actor: &Actor,
    f: &AssignmentFilter,
    counts: bool,
) -> AppResult<ListResult> {
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, "assignment.list", "").await);
    }
    f.check()?;
    let lead = state.cfg.supervision.lead_days;
    let today = today();
    let scope = scope_params(actor);
    let per_page = f.per_page.unwrap_or(50).clamp(1, 500);
    let page = f.page.unwrap_or(1).max(1);
    let mut tx = state.db.read().await?;
    let policy = policy(&mut tx, f.policy.as_deref()).await?;
    let ne = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (org, level, light, status, role) = (
        ne(&f.org),
        ne(&f.level),
        ne(&f.light),
        ne(&f.status),
        ne(&f.role),
    );
    let (rows, total, counts) = store::list_with(
        &mut tx,
        &ListParams {
            today: today.to_string(),
            soon: (today + chrono::Duration::days(lead)).to_string(),
            path_like: scope.path_like.as_deref(),
            org_id_scope: scope.org_id,
            policy_id: policy.id,
            task: f.task,
            measure: f.measure,
            org_code: org.as_deref(),
            level: level.as_deref(),
            light: light.as_deref(),
            status: status.as_deref(),
            role: role.as_deref(),
            limit: per_page,
            offset: (page - 1) * per_page,
        },
        counts,
    )
    .await?;
    Ok(ListResult {
        items: rows.iter().map(|r| r.view(today, lead)).collect(),
        total,
        counts,
        page,
        per_page,
        policy,
    })
}

pub struct Detail {
    pub a: AssignmentRow,
    pub view: AssignmentView,
    pub task: TaskRow,
    pub reports: Vec<ReportRow>,
    pub attachments: Vec<AttachmentRow>,
    pub events: Vec<EventRow>,
    pub can_act: bool,
    pub can_review: bool,
    /// 催办: the committee office, on an open assignment.
    pub can_remind: bool,
    pub pending: Option<i64>,
}

/// Loads an assignment the actor may see; outside the scope it does not exist.
async fn load(
    state: &AppState,
    actor: &Actor,
    id: i64,
    action: &'static str,
) -> AppResult<AssignmentRow> {
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, action, id).await);
    }
    let mut tx = state.db.read().await?;
    let a = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    drop(tx);
    let visible = match actor.scope() {
        Scope::Region(p) => a.region_path.starts_with(&p),
        Scope::Org(o) => a.org_id == o,
    };
    if !visible {
        audit::record_alone(state, &actor.who(), Event::denied(action, "assignment", id)).await?;
        return Err(AppError::NotFound);
    }
    Ok(a)
}

pub async fn get(state: &AppState, actor: &Actor, id: i64) -> AppResult<Detail> {
    let a = load(state, actor, id, "assignment.read").await?;
    let mut tx = state.db.read().await?;
    let task = crate::policy::store::task(&mut tx, a.policy_id, a.task_number)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = store::reports(&mut tx, id).await?;
    let attachments = store::attachments(&mut tx, id).await?;
    let events = store::events_of_assignment(&mut tx, id).await?;
    let pending = store::pending_report(&mut tx, id).await?.map(|p| p.0);
    Ok(Detail {
        view: a.view(today(), state.cfg.supervision.lead_days),
        can_act: actor.can(Perm::TaskReport)
            && actor.org_id == a.org_id
            && a.status() != Status::Closed,
        can_review: actor.can(Perm::TaskReview) && pending.is_some(),
        can_remind: actor.can(Perm::TaskReview) && a.status() != Status::Closed,
        a,
        task,
        reports,
        attachments,
        events,
        pending,
    })
}

fn refused(r: supervision::Refusal) -> AppError {
    AppError::Conflict(Msg::new(r.key()))
}

/// Only the assignee organisation acts on an assignment.
async fn as_assignee(
    state: &AppState,
    actor: &Actor,
    id: i64,
    action: &'static str,
) -> AppResult<AssignmentRow> {
    let a = load(state, actor, id, action).await?;
    if !actor.can(Perm::TaskReport) || actor.org_id != a.org_id {
        audit::record_alone(state, &actor.who(), Event::denied(action, "assignment", id)).await?;
        return Err(AppError::Refused(Msg::new("supervision.only_assignee")));
    }
    Ok(a)
}

/// 签收.
pub async fn acknowledge(state: &AppState, actor: &Actor, id: i64) -> AppResult<AssignmentView> {
    let a = as_assignee(state, actor, id, "assignment.acknowledge").await?;
    let next =
        supervision::transition(a.status(), Action::Acknowledge, a.ongoing).map_err(refused)?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    if store::set_status(
        &mut tx,
        id,
        a.version,
        next.code(),
        a.watch_due.as_deref(),
        now,
        true,
        false,
        false,
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict(Msg::new(
            "supervision.changed_meanwhile",
        )));
    }
    store::insert_event(
        &mut tx,
        &a,
        "acknowledged",
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
        Event::ok("assignment.acknowledge", "assignment", id),
    )
    .await?;
    tx.commit().await?;
    let mut rtx = state.db.read().await?;
    let a = store::by_id(&mut rtx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(a.view(today(), state.cfg.supervision.lead_days))
}

pub use crate::files::Upload;

/// 报送进展 / 办结申请 with text and evidence files.
pub async fn report(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ReportInput,
    files: Vec<Upload>,
) -> AppResult<i64> {
    let a = as_assignee(state, actor, id, "assignment.report").await?;
    let mut e = Vec::new();
    let text = crate::web::extract::text("text", &input.text, 5000, true, &mut e);
    let checked = crate::files::check_uploads(&files, 0, 10, &state.cfg.supervision, &mut e)?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let action = if input.completion {
        Action::RequestCompletion
    } else {
        Action::ReportProgress
    };
    let next = supervision::transition(a.status(), action, a.ongoing).map_err(refused)?;
    // 办结 is judged on evidence: a completion request without a file cannot be accepted.
    if input.completion && checked.is_empty() {
        return Err(AppError::field(
            "files",
            Msg::new("supervision.completion_needs_evidence"),
        ));
    }
    crate::files::store_uploads(&state.files, &checked).await?;
    let now = now_ms();
    let kind = if input.completion {
        "completion"
    } else {
        "progress"
    };
    let mut tx = state.db.begin().await?;
    if store::set_status(
        &mut tx,
        id,
        a.version,
        next.code(),
        a.watch_due.as_deref(),
        now,
        false,
        true,
        false,
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict(Msg::new(
            "supervision.changed_meanwhile",
        )));
    }
    let rid = store::insert_report(&mut tx, id, kind, &text, actor.account_id, now).await?;
    for (c, _) in &checked {
        let fid = crate::files::insert(&mut tx, c, actor.account_id, now).await?;
        store::link_attachment(&mut tx, rid, fid).await?;
    }
    let ev = if input.completion {
        "completion_requested"
    } else {
        "reported"
    };
    store::insert_event(
        &mut tx,
        &a,
        ev,
        Some(actor.account_id),
        &actor.display_name,
        "",
        Some(rid),
        now,
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("assignment.report", "assignment", id)
            .detail(json!({"report": rid, "kind": kind, "files": checked.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(rid)
}

/// 审核: accept or return (退回, with a reason) the report waiting for review. Accepting a
/// completion request closes (销号) the assignment; accepting an ongoing task's progress
/// report moves its next report date to the end of the next period.
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ReviewInput,
) -> AppResult<AssignmentView> {
    let a = load(state, actor, id, "assignment.review").await?;
    if !actor.can(Perm::TaskReview) {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied("assignment.review", "assignment", id),
        )
        .await?;
        return Err(AppError::Refused(Msg::new(
            "supervision.only_office_reviews",
        )));
    }
    // A reviewer is never an account of the organisation whose work is reviewed (so never
    // the one who submitted it): an office's own assignment is reviewed by an office above.
    if actor.org_id == a.org_id {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied("assignment.review", "assignment", id)
                .detail(json!({"reason": "own_organisation"})),
        )
        .await?;
        return Err(AppError::Refused(Msg::new(
            "supervision.review_own_organisation",
        )));
    }
    let action = match input.decision.trim() {
        "accept" => Action::Accept,
        "return" => Action::Return,
        _ => {
            return Err(AppError::field(
                "decision",
                Msg::new("supervision.decision_unknown"),
            ));
        }
    };
    let mut e = Vec::new();
    let comment = crate::web::extract::text(
        "comment",
        &input.comment,
        2000,
        action == Action::Return,
        &mut e,
    );
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let next = supervision::transition(a.status(), action, a.ongoing).map_err(refused)?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let (rid, kind, submitted_at) = store::pending_report(&mut tx, id)
        .await?
        .ok_or_else(|| refused(supervision::Refusal::NothingToReview))?;
    let watch = if action == Action::Accept && a.ongoing && kind == "progress" {
        let submitted = crate::time::shanghai_date(submitted_at);
        let task = crate::policy::store::task(&mut tx, a.policy_id, a.task_number).await?;
        let task_kind = task.map(|t| t.deadline_kind).unwrap_or_default();
        let months = state.cfg.supervision.report_period_months;
        let months = supervision::report_months(&task_kind, months);
        Some(supervision::next_period_end(submitted, months).to_string())
    } else {
        a.watch_due.clone()
    };
    let closed = next == Status::Closed;
    if store::set_status(
        &mut tx,
        id,
        a.version,
        next.code(),
        watch.as_deref(),
        now,
        false,
        false,
        closed,
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict(Msg::new(
            "supervision.changed_meanwhile",
        )));
    }
    let decision = if action == Action::Accept {
        "accepted"
    } else {
        "returned"
    };
    store::review_report(&mut tx, rid, decision, &comment, actor.account_id, now).await?;
    store::insert_event(
        &mut tx,
        &a,
        decision,
        Some(actor.account_id),
        &actor.display_name,
        &comment,
        Some(rid),
        now,
    )
    .await?;
    if closed {
        store::insert_event(
            &mut tx,
            &a,
            "closed",
            Some(actor.account_id),
            &actor.display_name,
            "",
            None,
            now,
        )
        .await?;
    }
    let (title, body) = if action == Action::Return {
        (
            "notice.report_returned.title",
            "notice.report_returned.body",
        )
    } else {
        (
            "notice.report_accepted.title",
            "notice.report_accepted.body",
        )
    };
    crate::notify::service::notify_org(
        &mut tx,
        a.org_id,
        title,
        body,
        &json!({}),
        &format!("/supervision/assignments/{id}"),
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("assignment.review", "assignment", id)
            .detail(json!({"report": rid, "decision": decision, "closed": closed})),
    )
    .await?;
    tx.commit().await?;
    let mut rtx = state.db.read().await?;
    let a = store::by_id(&mut rtx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(a.view(today(), state.cfg.supervision.lead_days))
}

/// Everything that happened to a task, across the organisations in scope, newest first.
pub async fn timeline(
    state: &AppState,
    actor: &Actor,
    policy_code: Option<&str>,
    number: i64,
) -> AppResult<(PolicyRow, TaskRow, Vec<AssignmentView>, Vec<EventRow>)> {
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, "assignment.timeline", number).await);
    }
    let scope = scope_params(actor);
    let mut tx = state.db.read().await?;
    let policy = policy(&mut tx, policy_code).await?;
    let task = crate::policy::store::task(&mut tx, policy.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let lead = state.cfg.supervision.lead_days;
    let assignments = store::of_task(&mut tx, policy.id, number)
        .await?
        .into_iter()
        .filter(|a| match actor.scope() {
            Scope::Region(p) => a.region_path.starts_with(&p),
            Scope::Org(o) => a.org_id == o,
        })
        .map(|a| a.view(today(), lead))
        .collect();
    let events = store::events_of_task(
        &mut tx,
        policy.id,
        number,
        scope.path_like.as_deref(),
        scope.org_id,
        500,
    )
    .await?;
    Ok((policy, task, assignments, events))
}

/// An evidence file, for someone who may see its assignment.
pub async fn attachment(
    state: &AppState,
    actor: &Actor,
    attachment_id: i64,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut tx = state.db.read().await?;
    let (assignment_id, sha, name, mime) = store::attachment_owner(&mut tx, attachment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    load(state, actor, assignment_id, "attachment.read").await?;
    let bytes = crate::files::read(&state.files, &sha)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading evidence {sha}: {e}")))?;
    Ok((name, mime, bytes))
}

/// The light of an ISO due date for display without a row (tests, pages).
pub fn light_for(status: Status, due: &Option<String>, lead_days: i64) -> Light {
    supervision::light(status, date(due), today(), lead_days)
}

/// One row of a roll-up: the worst light and the count per light.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Rollup {
    /// Task number or organisation code.
    pub key: String,
    pub worst: String,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub grey: i64,
}

/// Lights rolled up per task (`by_org = false`) or per organisation, in scope.
pub async fn rollup(
    state: &AppState,
    actor: &Actor,
    policy_code: Option<&str>,
    by_org: bool,
) -> AppResult<(PolicyRow, Vec<Rollup>)> {
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, "assignment.rollup", "").await);
    }
    let today = today();
    let soon = today + chrono::Duration::days(state.cfg.supervision.lead_days);
    let scope = scope_params(actor);
    let mut tx = state.db.read().await?;
    let policy = policy(&mut tx, policy_code).await?;
    let rows = store::rollup(
        &mut tx,
        by_org,
        &today.to_string(),
        &soon.to_string(),
        policy.id,
        scope.path_like.as_deref(),
        scope.org_id,
    )
    .await?;
    let mut out: Vec<Rollup> = Vec::new();
    for (key, light, n) in rows {
        let idx = match out.iter().position(|r| r.key == key) {
            Some(i) => i,
            None => {
                out.push(Rollup {
                    key: key.clone(),
                    worst: "grey".into(),
                    red: 0,
                    yellow: 0,
                    green: 0,
                    grey: 0,
                });
                out.len() - 1
            }
        };
        let r = &mut out[idx];
        match light.as_str() {
            "red" => r.red += n,
            "yellow" => r.yellow += n,
            "green" => r.green += n,
            _ => r.grey += n,
        }
    }
    for r in &mut out {
        let lights = [
            (Light::Red, r.red),
            (Light::Yellow, r.yellow),
            (Light::Green, r.green),
            (Light::Grey, r.grey),
        ];
        r.worst = supervision::worst(lights.iter().filter(|(_, n)| *n > 0).map(|(l, _)| *l))
            .unwrap_or(Light::Grey)
            .code()
            .to_string();
    }
    if by_org {
        out.sort_by(|a, b| a.key.cmp(&b.key));
    } else {
        out.sort_by_key(|r| r.key.parse::<i64>().unwrap_or(i64::MAX));
    }
    Ok((policy, out))
}
