//! Use cases of dated deliverables (报送事项): the office adds a deliverable and requires it
//! from organisations; an organisation submits a note with files, on time or late by the
//! server's date; the office accepts or returns it.

use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    DecisionInput, DeliverableSummary, DeliverableView, FileRow, NewDeliverableInput, RequireInput,
    RequirementFilter, RequirementRow, RequirementView, Status, SubmissionRow, SubmitInput,
    is_late,
};
use super::store::{self, ListParams};
use crate::act::{Act, Fanout, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{FileId, OrgId, RequirementId, SubmissionId};
use crate::orgs::model::OrgRow;
use crate::orgs::service::scope_params;
use crate::policy::model::{DeliverableRow, PolicyRow};
use crate::review::model::Subject;
use crate::review::service::{self as review, Notice};
use crate::state::AppState;

/// What the review core calls a requirement.
const SUBJECT: &str = "deliverable_requirement";

fn subject(id: RequirementId) -> Subject {
    Subject {
        kind: SUBJECT,
        id: id.get(),
    }
}

fn today() -> NaiveDate {
    crate::time::today()
}

fn target(id: &str) -> Target<'_> {
    Target {
        kind: "deliverable",
        id,
    }
}

impl Scoped for RequirementRow {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

/// The default set a deliverable is required from when the office names nobody: every
/// county-level government (the zones' 管委会 are governments of county level) and every
/// city department with safety supervision duties (负有安全生产监督管理职责的部门) — the
/// "各地、各部门" the document's closing paragraph addresses.
pub fn default_set(o: &OrgRow) -> bool {
    o.retired_at.is_none()
        && ((o.kind == "government" && o.level == "county")
            || (o.kind == "department" && o.level == "city" && o.supervises_safety))
}

pub struct Overview {
    pub policy: PolicyRow,
    pub items: Vec<DeliverableView>,
}

fn summarise(rows: &[RequirementRow], code: &str, today: NaiveDate) -> DeliverableSummary {
    let mut s = DeliverableSummary::default();
    for r in rows.iter().filter(|r| r.deliverable_code == code) {
        let v = r.view(today);
        s.required += 1;
        if matches!(r.status, Status::Submitted | Status::Accepted) {
            s.submitted += 1;
        }
        if r.status == Status::Accepted {
            s.accepted += 1;
        }
        if v.late {
            s.late += 1;
        }
    }
    s
}

/// The policy's deliverables, each with its counts over the requirements in scope.
pub async fn overview(
    state: &AppState,
    actor: &Actor,
    policy_code: Option<&str>,
) -> AppResult<Overview> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::DeliverableRead, "deliverable.list", target(""))
        .await?;
    let scope = scope_params(actor);
    let policy = crate::policy::service::chosen(&mut act, policy_code).await?;
    let deliverables = crate::policy::service::deliverables_of(&mut act, policy.id).await?;
    let (rows, _) = store::list(
        act.tx(),
        &ListParams {
            policy_id: policy.id,
            path_like: scope.path_like.as_deref(),
            org_id_scope: scope.org_id,
            deliverable: None,
            org_code: None,
            status: None,
            limit: i64::MAX,
            offset: 0,
        },
    )
    .await?;
    let today = today();
    let items = deliverables
        .into_iter()
        .map(|d| DeliverableView {
            summary: summarise(&rows, &d.code, today),
            code: d.code,
            title_zh: d.title_zh,
            title_en: d.title_en,
            due: d.due,
            article_number: d.article_number,
        })
        .collect();
    Ok(Overview { policy, items })
}

fn valid_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && code.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The office adds a deliverable to the policy (a row of policy_deliverable).
pub async fn add(
    state: &AppState,
    actor: &Actor,
    input: &NewDeliverableInput,
) -> AppResult<DeliverableRow> {
    // A deliverable is added to the policy, which applies to the whole city: the city
    // office only (`policy.edit`). Requiring it from organisations stays within scope.
    let mut act = Act::begin(state, actor).await?;
    act.require(
        Perm::DeliverableRequire,
        "deliverable.add",
        target(input.code.trim()),
    )
    .await?;
    act.require(
        Perm::PolicyEdit,
        "deliverable.add",
        target(input.code.trim()),
    )
    .await?;
    let mut e = Vec::new();
    let code = input.code.trim().to_string();
    if code.is_empty() {
        e.push(("code".to_string(), Msg::new("error.required")));
    } else if !valid_code(&code) {
        e.push(("code".to_string(), Msg::new("deliverables.code_format")));
    }
    let title = crate::web::extract::text("title", &input.title, 200, true, &mut e);
    let title_en = crate::web::extract::text("title_en", &input.title_en, 200, false, &mut e);
    let due = input.due.trim();
    if due.is_empty() {
        e.push(("due".to_string(), Msg::new("error.required")));
    } else if crate::time::parse_date(due).is_none() {
        e.push(("due".to_string(), Msg::new("error.date_format")));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let row = DeliverableRow {
        code: code.clone(),
        title_en: if title_en.is_empty() {
            title.clone()
        } else {
            title_en
        },
        title_zh: title,
        due: due.to_string(),
        article_number: None,
    };
    let p = crate::policy::service::chosen(&mut act, input.policy.as_deref()).await?;
    crate::policy::service::add_deliverable(&mut act, p.id, &row).await?;
    act.audit(
        Event::ok(
            "deliverable.add",
            "deliverable",
            format!("{}#{code}", p.code),
        )
        .detail(json!({"title": row.title_zh, "due": row.due})),
    )
    .await?;
    act.commit().await?;
    Ok(row)
}

pub type RequireResult = Fanout;

/// Requires a deliverable from the organisations named (or the default set), in one
/// transaction. Idempotent: an organisation already required is counted as existing.
pub async fn require(
    state: &AppState,
    actor: &Actor,
    code: &str,
    input: &RequireInput,
) -> AppResult<RequireResult> {
    let mut act = Act::begin(state, actor).await?;
    act.require(
        Perm::DeliverableRequire,
        "deliverable.require",
        target(code),
    )
    .await?;
    let p = crate::policy::service::chosen(&mut act, input.policy.as_deref()).await?;
    let d = crate::policy::service::deliverables_of(&mut act, p.id)
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or(AppError::NotFound)?;
    let mut chosen: Vec<OrgRow> = Vec::new();
    let named: Vec<&String> = input
        .orgs
        .iter()
        .flatten()
        .filter(|c| !c.trim().is_empty())
        .collect();
    if named.is_empty() {
        let all = crate::orgs::service::current_in_scope(&mut act).await?;
        chosen.extend(all.into_iter().filter(default_set));
    } else {
        let mut errors = Vec::new();
        for (i, c) in named.iter().enumerate() {
            match crate::orgs::service::current_by_code(&mut act, c.trim()).await? {
                Ok(o) if chosen.iter().any(|x| x.id == o.id) => {}
                Ok(o) => chosen.push(o),
                Err(m) => errors.push((format!("orgs[{i}]"), m)),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
    }
    if chosen.is_empty() {
        return Err(AppError::field(
            "orgs",
            Msg::new("deliverables.nothing_to_require"),
        ));
    }
    let now = now_ms();
    let mut f = Fanout::default();
    for o in &chosen {
        match store::insert_requirement(act.tx(), p.id, &d.code, o.id, &d.due, now).await? {
            Some(id) => {
                f.created += 1;
                let link = format!("/deliverables/requirements/{id}");
                let key = "notice.deliverable_required";
                crate::notify::service::tell_org(act.tx(), o.id, key, &link).await?;
            }
            None => f.existing += 1,
        }
    }
    let what = format!("{}#{}", p.code, d.code);
    act.finish_fanout(Event::ok("deliverable.require", "deliverable", what), f)
        .await
}

pub struct ListResult {
    pub items: Vec<RequirementView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub policy: PolicyRow,
}

/// Requirements in scope, filtered by deliverable, organisation and status.
pub async fn list(state: &AppState, actor: &Actor, f: &RequirementFilter) -> AppResult<ListResult> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::DeliverableRead, "deliverable.list", target(""))
        .await?;
    let ne = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let status = ne(&f.status);
    if let Some(s) = &status
        && Status::parse(s).is_none()
    {
        return Err(AppError::field(
            "status",
            Msg::new("deliverables.status_unknown"),
        ));
    }
    let (deliverable, org) = (ne(&f.deliverable), ne(&f.org));
    let scope = scope_params(actor);
    if f.page
        .is_some_and(|p| !(1..=crate::web::page::MAX_PAGE).contains(&p))
    {
        return Err(AppError::field("page", Msg::new("error.page_range")));
    }
    let per_page = f.per_page.unwrap_or(50).clamp(1, 500);
    let page = f.page.unwrap_or(1);
    let policy = crate::policy::service::chosen(&mut act, f.policy.as_deref()).await?;
    let (rows, total) = store::list(
        act.tx(),
        &ListParams {
            policy_id: policy.id,
            path_like: scope.path_like.as_deref(),
            org_id_scope: scope.org_id,
            deliverable: deliverable.as_deref(),
            org_code: org.as_deref(),
            status: status.as_deref(),
            limit: per_page,
            offset: (page - 1) * per_page,
        },
    )
    .await?;
    let today = today();
    Ok(ListResult {
        items: rows.iter().map(|r| r.view(today)).collect(),
        total,
        page,
        per_page,
        policy,
    })
}

/// Loads a requirement the actor may see; outside the scope it does not exist.
async fn load(
    act: &mut Act<'_>,
    id: RequirementId,
    action: &'static str,
) -> AppResult<RequirementRow> {
    act.load_by(Perm::DeliverableRead, action, SUBJECT, id, store::by_id)
        .await
}

pub struct Detail {
    pub view: RequirementView,
    pub submissions: Vec<SubmissionRow>,
    pub files: Vec<FileRow>,
    pub can_submit: bool,
    pub can_review: bool,
    /// The organisation's own account, but a submission waits for review or was accepted.
    pub is_assignee: bool,
}

pub async fn get(state: &AppState, actor: &Actor, id: RequirementId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let r = load(&mut act, id, "deliverable.read").await?;
    let (submissions, files) = review::record(&mut act, subject(id)).await?;
    let is_assignee = actor.can(Perm::DeliverableSubmit) && actor.org_id == r.org_id;
    Ok(Detail {
        can_submit: is_assignee && r.status.may_submit(),
        can_review: actor.can(Perm::DeliverableReview)
            && actor.org_id != r.org_id
            && r.status == Status::Submitted,
        is_assignee,
        view: r.view(today()),
        submissions,
        files,
    })
}

pub use crate::files::Upload;

pub struct Submitted {
    pub id: SubmissionId,
    pub late: bool,
}

/// 报送: the required organisation's note and files. Late when the server's date in
/// Asia/Shanghai is after the due day; a date the user types never decides it.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    id: RequirementId,
    input: &SubmitInput,
    files: Vec<Upload>,
) -> AppResult<Submitted> {
    const ACTION: &str = "deliverable.submit";
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    let mut act = Act::read(state, actor).await?;
    let r = load(&mut act, id, ACTION).await?;
    if !actor.can(Perm::DeliverableSubmit) || actor.org_id != r.org_id {
        let refusal = AppError::Refused(Msg::new("deliverables.only_required_org"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    let mut draft = review::draft(state, "note", &input.note, &files)?;
    let status = r.status;
    if !status.may_submit() {
        return Err(AppError::Conflict(Msg::new(
            if status == Status::Accepted {
                "deliverables.already_accepted"
            } else {
                "deliverables.awaiting_review"
            },
        )));
    }
    drop(act);
    review::keep_files(state, &mut draft).await?;
    let late = is_late(r.due.date(), today());
    let mut act = Act::begin(state, actor).await?;
    let now = now_ms();
    if store::set_status(act.tx(), id, status.code(), Status::Submitted.code(), now).await? == 0 {
        return Err(AppError::Conflict(Msg::new(
            "deliverables.changed_meanwhile",
        )));
    }
    let submission = review::submit(&mut act, subject(id), "delivery", &draft, late).await?;
    act.audit(
        Event::ok(ACTION, SUBJECT, id)
            .detail(json!({"submission": submission, "late": late, "files": draft.files.len()})),
    )
    .await?;
    act.commit().await?;
    Ok(Submitted {
        id: submission,
        late,
    })
}

/// 审核: accept the submission waiting for review, or return it with a comment. Never by the
/// required organisation itself (an office's own deliverable is reviewed by an office above
/// it) nor by the account that submitted it: the review core's rule.
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: RequirementId,
    input: &DecisionInput,
) -> AppResult<RequirementView> {
    const ACTION: &str = "deliverable.review";
    let mut act = Act::begin(state, actor).await?;
    let r = load(&mut act, id, ACTION).await?;
    let perm = Perm::DeliverableReview;
    review::reviewer(&mut act, perm, r.org_id, ACTION, subject(id)).await?;
    let verdict = review::verdict(&input.decision, &input.comment)?;
    let next = match verdict.decision {
        crate::review::model::Decision::Accept => Status::Accepted,
        crate::review::model::Decision::Return => Status::Returned,
    };
    if r.status != Status::Submitted {
        return Err(AppError::Conflict(Msg::new(
            "deliverables.nothing_to_review",
        )));
    }
    let link = format!("/deliverables/requirements/{id}");
    let notice = Notice {
        prefix: "notice.deliverable",
        link: &link,
    };
    let w = review::decide(&mut act, subject(id), r.org_id, &verdict, ACTION, &notice).await?;
    let now = now_ms();
    if store::set_status(act.tx(), id, Status::Submitted.code(), next.code(), now).await? == 0 {
        return Err(AppError::Conflict(Msg::new(
            "deliverables.changed_meanwhile",
        )));
    }
    act.audit(
        Event::ok(ACTION, SUBJECT, id)
            .detail(json!({"submission": w.id, "decision": verdict.decision.code()})),
    )
    .await?;
    let r = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(r.view(today()))
}

/// A submitted file, for someone who may see its requirement.
pub async fn file(
    state: &AppState,
    actor: &Actor,
    attachment_id: FileId,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut act = Act::read(state, actor).await?;
    let f = review::stored_file(&mut act, SUBJECT, attachment_id).await?;
    load(
        &mut act,
        RequirementId(f.subject_id),
        "deliverable.file_read",
    )
    .await?;
    drop(act);
    let bytes = review::read_file(state, &f).await?;
    Ok((f.filename, f.mime, bytes))
}
