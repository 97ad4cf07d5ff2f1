//! Use cases of task supervision (督查督办): propose and issue assignments, acknowledge,
//! report with evidence, review (accept / return), close, and read the ledger and timeline.

use anwei_rules::org::Level;
use anwei_rules::supervision::{self, Action, AssignmentRole, Light, OrgFacts, Status};
use anwei_rules::unit_phrase::UnitSelector;
use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    AssignmentFilter, AssignmentRow, AssignmentView, AttachmentRow, DecisionInput, EventRow,
    IssueInput, ReportInput, ReportRow,
};
use super::store::{self, ListParams, NewAssignment};
use crate::act::{Act, Fanout, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AssignmentId, Day, FileId, OrgId, SubmissionId};
use crate::orgs::model::OrgRow;
use crate::orgs::service::scope_params;
use crate::policy::model::{PolicyRow, TaskRow};
use crate::review::model::{Decision, Subject};
use crate::review::service::{self as review, Notice};
use crate::state::AppState;

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

fn today() -> NaiveDate {
    crate::time::today()
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

/// The organisations the task's responsible-unit phrase names, within the office's scope.
pub async fn proposal(
    state: &AppState,
    actor: &Actor,
    policy_code: Option<&str>,
    number: i64,
) -> AppResult<ProposalView> {
    let mut act = Act::read(state, actor).await?;
    let n = number.to_string();
    act.require(Perm::TaskIssue, "assignment.propose", target(&n))
        .await?;
    propose(&mut act, policy_code, number).await
}

async fn propose(
    act: &mut Act<'_>,
    policy_code: Option<&str>,
    number: i64,
) -> AppResult<ProposalView> {
    let policy = crate::policy::service::chosen(act, policy_code).await?;
    let task = crate::policy::service::task_of(act, policy.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let assignments = store::of_task(act.tx(), policy.id, number).await?;
    let orgs = crate::orgs::service::current_in_scope(act).await?;
    let own = act.actor.org_id;
    let actor_level = match orgs.iter().find(|o| o.id == own) {
        Some(o) => o.level.clone(),
        None => {
            let t = Target {
                kind: "org",
                id: "",
            };
            crate::orgs::service::visible_by_id(act, own, "assignment.propose", t)
                .await?
                .level
        }
    };
    let selectors: Vec<UnitSelector> = task
        .selectors
        .split(';')
        .filter(|s| !s.is_empty())
        .filter_map(UnitSelector::parse_code)
        .collect();
    let all_facts: Vec<OrgFacts> = orgs.iter().filter_map(OrgRow::facts).collect();
    let p = supervision::resolve(&selectors, &all_facts, level_of(&actor_level));
    let picks = p
        .picks
        .iter()
        .filter_map(|(id, role)| {
            orgs.iter().find(|o| o.id.get() == *id).map(|o| Pick {
                org: o.clone(),
                role: *role,
                issued: assignments.iter().any(|a| a.org_id == o.id),
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

pub type IssueResult = Fanout;

/// 交办: issues the chosen organisations (or the proposal) in one transaction. Issuing twice
/// does not duplicate: an organisation that already has the task is counted as existing.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    number: i64,
    input: &IssueInput,
) -> AppResult<IssueResult> {
    let mut act = Act::begin(state, actor).await?;
    let n = number.to_string();
    act.require(Perm::TaskIssue, "assignment.issue", target(&n))
        .await?;
    let prop = propose(&mut act, input.policy.as_deref(), number).await?;
    let mut chosen: Vec<(OrgRow, AssignmentRole)> = Vec::new();
    match &input.orgs {
        None => chosen.extend(prop.picks.iter().map(|p| (p.org.clone(), p.role))),
        Some(list) => {
            let mut errors = Vec::new();
            for (i, pick) in list.iter().enumerate() {
                let role = AssignmentRole::parse(pick.role.trim());
                let code = pick.org_code.trim();
                let org = crate::orgs::service::current_by_code(&mut act, code).await?;
                match (org, role) {
                    (_, None) => errors.push((
                        format!("orgs[{i}].role"),
                        Msg::new("supervision.role_unknown"),
                    )),
                    (Err(m), _) => errors.push((format!("orgs[{i}].org_code"), m)),
                    (Ok(o), Some(r)) => {
                        if !chosen.iter().any(|(c, _)| c.id == o.id) {
                            chosen.push((o, r));
                        }
                    }
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
    let due = task.due;
    let watch = if task.ongoing {
        Some(due.unwrap_or(Day(supervision::next_period_end(today, months))))
    } else {
        due
    };
    let now = now_ms();
    let mut f = Fanout::default();
    for (org, role) in &chosen {
        let id = store::insert(
            act.tx(),
            &NewAssignment {
                policy_id: prop.policy.id,
                task_number: number,
                measure_number: task.measure_number,
                org_id: org.id,
                role: role.code(),
                ongoing: task.ongoing,
                due,
                watch_due: watch,
                issued_by: actor.account_id,
                now,
            },
        )
        .await?;
        match id {
            Some(id) => {
                f.created += 1;
                let a = store::by_id(act.tx(), id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                store::insert_event(
                    act.tx(),
                    &a,
                    "issued",
                    Some(actor.account_id),
                    &actor.display_name,
                    "",
                    None,
                    now,
                )
                .await?;
                let link = format!("/supervision/assignments/{id}");
                let key = "notice.task_issued";
                crate::notify::service::tell_org(act.tx(), org.id, key, &link).await?;
            }
            None => f.existing += 1,
        }
    }
    let what = format!("{}#{number}", prop.policy.code);
    act.finish_fanout(Event::ok("assignment.issue", "policy_task", what), f)
        .await
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
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "assignment.list", target(""))
        .await?;
    f.check()?;
    let lead = state.cfg.supervision.lead_days;
    let today = today();
    let scope = scope_params(actor);
    let per_page = f.per_page.unwrap_or(50).clamp(1, 500);
    let page = f.page.unwrap_or(1).max(1);
    let policy = crate::policy::service::chosen(&mut act, f.policy.as_deref()).await?;
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
        act.tx(),
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
    /// The organisation named to decide on this assignment's reports (the top office's own
    /// work), if any.
    pub reviewer: Option<String>,
    /// 催办: the committee office, on an open assignment.
    pub can_remind: bool,
    pub pending: Option<SubmissionId>,
}

/// What the review core calls an assignment.
const SUBJECT: &str = "assignment";

fn subject(id: AssignmentId) -> Subject {
    Subject {
        kind: SUBJECT,
        id: id.get(),
    }
}

impl Scoped for AssignmentRow {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

/// The organisation that decides on the reports of an assignment of the top committee office
/// (the city's 安委办), which has no office above it to review its work: the configured
/// `supervision.top_office_reviewer`, or the government of the office's own region. `None`
/// for every other assignment: an office (above the assignee) reviews those.
async fn named_reviewer(act: &mut Act<'_>, a: &AssignmentRow) -> AppResult<Option<OrgRow>> {
    let top = a.region_path.matches('/').count() <= 2;
    if a.org_kind != "safety_office" || !top {
        return Ok(None);
    }
    let code = act
        .state
        .cfg
        .supervision
        .top_office_reviewer
        .trim()
        .to_string();
    if code.is_empty() {
        crate::orgs::service::government_at(act, &a.region_path).await
    } else {
        crate::orgs::service::by_code_as_system(act.tx(), &code).await
    }
}

/// An account of the named reviewing organisation decides when its role may report (a
/// read-only role never decides).
fn may_decide_as(actor: &Actor, reviewer: &OrgRow) -> bool {
    actor.org_id == reviewer.id && actor.can(Perm::TaskReport)
}

/// Loads an assignment the actor may see; outside the scope it does not exist.
async fn load(
    act: &mut Act<'_>,
    id: AssignmentId,
    action: &'static str,
) -> AppResult<AssignmentRow> {
    act.load_by(Perm::TaskRead, action, SUBJECT, id, store::by_id)
        .await
}

pub async fn get(state: &AppState, actor: &Actor, id: AssignmentId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let a = load(&mut act, id, "assignment.read").await?;
    let task = crate::policy::service::task_of(&mut act, a.policy_id, a.task_number)
        .await?
        .ok_or(AppError::NotFound)?;
    let (reports, attachments) = review::record(&mut act, subject(id)).await?;
    let events = store::events_of_assignment(act.tx(), id).await?;
    let pending = review::waiting(&mut act, subject(id)).await?.map(|w| w.id);
    let reviewer = named_reviewer(&mut act, &a).await?;
    let may_decide = match &reviewer {
        Some(g) => may_decide_as(actor, g),
        None => actor.can(Perm::TaskReview) && actor.org_id != a.org_id,
    };
    Ok(Detail {
        reviewer: reviewer.map(|g| g.name),
        view: a.view(today(), state.cfg.supervision.lead_days),
        can_act: actor.can(Perm::TaskReport)
            && actor.org_id == a.org_id
            && a.status != Status::Closed,
        can_review: may_decide && pending.is_some(),
        can_remind: actor.can(Perm::TaskReview) && a.status != Status::Closed,
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
    act: &mut Act<'_>,
    id: AssignmentId,
    action: &'static str,
) -> AppResult<AssignmentRow> {
    let a = load(act, id, action).await?;
    if !act.actor.can(Perm::TaskReport) || act.actor.org_id != a.org_id {
        let sid = id.to_string();
        let t = Target {
            kind: SUBJECT,
            id: &sid,
        };
        let refusal = AppError::Refused(Msg::new("supervision.only_assignee"));
        return Err(act.refused(action, t, refusal).await);
    }
    Ok(a)
}

/// Moves the assignment on and records what happened, in the use case's transaction; a
/// change by someone else since it was read is a conflict.
async fn step(act: &mut Act<'_>, a: &AssignmentRow, next: Status, s: Step<'_>) -> AppResult<()> {
    let now = now_ms();
    let closed = next == Status::Closed;
    let acknowledged = s.event == "acknowledged";
    let reported = matches!(s.event, "reported" | "completion_requested");
    if store::set_status(
        act.tx(),
        a.id,
        a.version,
        next,
        s.watch,
        now,
        acknowledged,
        reported,
        closed,
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict(Msg::new(
            "supervision.changed_meanwhile",
        )));
    }
    let (id, name) = (act.actor.account_id, act.actor.display_name.clone());
    store::insert_event(
        act.tx(),
        a,
        s.event,
        Some(id),
        &name,
        s.comment,
        s.report,
        now,
    )
    .await?;
    if closed {
        store::insert_event(act.tx(), a, "closed", Some(id), &name, "", None, now).await?;
    }
    Ok(())
}

/// One step of an assignment: the event it records and what goes with it.
struct Step<'a> {
    event: &'static str,
    comment: &'a str,
    report: Option<SubmissionId>,
    watch: Option<Day>,
}

/// 签收.
pub async fn acknowledge(
    state: &AppState,
    actor: &Actor,
    id: AssignmentId,
) -> AppResult<AssignmentView> {
    const ACTION: &str = "assignment.acknowledge";
    let mut act = Act::begin(state, actor).await?;
    let a = as_assignee(&mut act, id, ACTION).await?;
    let next =
        supervision::transition(a.status, Action::Acknowledge, a.ongoing).map_err(refused)?;
    let s = Step {
        event: "acknowledged",
        comment: "",
        report: None,
        watch: a.watch_due,
    };
    step(&mut act, &a, next, s).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id)).await?;
    let a = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(a.view(today(), state.cfg.supervision.lead_days))
}

pub use crate::files::Upload;

/// 报送进展 / 办结申请 with text and evidence files.
pub async fn report(
    state: &AppState,
    actor: &Actor,
    id: AssignmentId,
    input: &ReportInput,
    files: Vec<Upload>,
) -> AppResult<SubmissionId> {
    const ACTION: &str = "assignment.report";
    let mut act = Act::read(state, actor).await?;
    let a = as_assignee(&mut act, id, ACTION).await?;
    let mut draft = review::draft(state, "text", &input.text, &files)?;
    let action = if input.completion {
        Action::RequestCompletion
    } else {
        Action::ReportProgress
    };
    let next = supervision::transition(a.status, action, a.ongoing).map_err(refused)?;
    // 办结 is judged on evidence: a completion request without a file cannot be accepted.
    if input.completion && draft.files.is_empty() {
        return Err(AppError::field(
            "files",
            Msg::new("supervision.completion_needs_evidence"),
        ));
    }
    drop(act);
    review::keep_files(state, &mut draft).await?;
    let (kind, event) = if input.completion {
        ("completion", "completion_requested")
    } else {
        ("progress", "reported")
    };
    let mut act = Act::begin(state, actor).await?;
    // An ongoing task's progress report after the date it was due is late, by the server's
    // date; the ranking keeps it when the next period's date replaces that one.
    let late = a.ongoing && !input.completion && a.watch_due.is_some_and(|d| today() > d.date());
    let rid = review::submit(&mut act, subject(id), kind, &draft, late).await?;
    let s = Step {
        event,
        comment: "",
        report: Some(rid),
        watch: a.watch_due,
    };
    step(&mut act, &a, next, s).await?;
    act.audit(
        Event::ok(ACTION, SUBJECT, id)
            .detail(json!({"report": rid, "kind": kind, "files": draft.files.len()})),
    )
    .await?;
    act.commit().await?;
    Ok(rid)
}

/// 审核: accept or return (退回, with a reason) the report waiting for review. Accepting a
/// completion request closes (销号) the assignment; accepting an ongoing task's progress
/// report moves its next report date to the end of the next period. The reviewer is never
/// of the assignee organisation nor the account that reported (the review core's rule): an
/// office's own assignment is reviewed by an office above.
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: AssignmentId,
    input: &DecisionInput,
) -> AppResult<AssignmentView> {
    const ACTION: &str = "assignment.review";
    let mut act = Act::begin(state, actor).await?;
    let a = load(&mut act, id, ACTION).await?;
    match named_reviewer(&mut act, &a).await? {
        Some(g) if may_decide_as(actor, &g) => {}
        Some(g) => {
            let sid = id.to_string();
            let msg = Msg::new("review.named_reviewer").with("org", g.name);
            let refusal = AppError::Refused(msg);
            return Err(act.refused(ACTION, target(&sid), refusal).await);
        }
        None => {
            let perm = Perm::TaskReview;
            review::reviewer(&mut act, perm, a.org_id, ACTION, subject(id)).await?;
        }
    }
    let verdict = review::verdict(&input.decision, &input.comment)?;
    let action = match verdict.decision {
        Decision::Accept => Action::Accept,
        Decision::Return => Action::Return,
    };
    let next = supervision::transition(a.status, action, a.ongoing).map_err(refused)?;
    let link = format!("/supervision/assignments/{id}");
    let notice = Notice {
        prefix: "notice.report",
        link: &link,
    };
    let w = review::decide(&mut act, subject(id), a.org_id, &verdict, ACTION, &notice).await?;
    let watch = if action == Action::Accept && a.ongoing && w.kind == "progress" {
        let submitted = crate::time::shanghai_date(w.submitted_at);
        let task = crate::policy::service::task_of(&mut act, a.policy_id, a.task_number).await?;
        let task_kind = task.map(|t| t.deadline_kind).unwrap_or_default();
        let months = state.cfg.supervision.report_period_months;
        let months = supervision::report_months(&task_kind, months);
        Some(Day(supervision::next_period_end(submitted, months)))
    } else {
        a.watch_due
    };
    let decision = verdict.decision.code();
    let s = Step {
        event: decision,
        comment: &verdict.comment,
        report: Some(w.id),
        watch,
    };
    step(&mut act, &a, next, s).await?;
    let closed = next == Status::Closed;
    act.audit(
        Event::ok(ACTION, SUBJECT, id)
            .detail(json!({"report": w.id, "decision": decision, "closed": closed})),
    )
    .await?;
    let a = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(a.view(today(), state.cfg.supervision.lead_days))
}

/// Everything that happened to a task, across the organisations in scope, newest first.
pub async fn timeline(
    state: &AppState,
    actor: &Actor,
    policy_code: Option<&str>,
    number: i64,
) -> AppResult<(PolicyRow, TaskRow, Vec<AssignmentView>, Vec<EventRow>)> {
    let mut act = Act::read(state, actor).await?;
    let n = number.to_string();
    act.require(Perm::TaskRead, "assignment.timeline", target(&n))
        .await?;
    let scope = scope_params(actor);
    let policy = crate::policy::service::chosen(&mut act, policy_code).await?;
    let task = crate::policy::service::task_of(&mut act, policy.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let lead = state.cfg.supervision.lead_days;
    let assignments = store::of_task(act.tx(), policy.id, number)
        .await?
        .into_iter()
        .filter(|a| crate::act::in_scope(actor, a))
        .map(|a| a.view(today(), lead))
        .collect();
    let events = store::events_of_task(
        act.tx(),
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
    attachment_id: FileId,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut act = Act::read(state, actor).await?;
    let f = review::stored_file(&mut act, SUBJECT, attachment_id).await?;
    load(&mut act, AssignmentId(f.subject_id), "attachment.read").await?;
    drop(act);
    let bytes = review::read_file(state, &f).await?;
    Ok((f.filename, f.mime, bytes))
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
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "assignment.rollup", target(""))
        .await?;
    let today = today();
    let soon = today + chrono::Duration::days(state.cfg.supervision.lead_days);
    let scope = scope_params(actor);
    let policy = crate::policy::service::chosen(&mut act, policy_code).await?;
    let rows = store::rollup(
        act.tx(),
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
