//! Use cases of dated deliverables (报送事项): the office adds a deliverable and requires it
//! from organisations; an organisation submits a note with files, on time or late by the
//! server's date; the office accepts or returns it.

use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    DeliverableSummary, DeliverableView, FileRow, NewDeliverableInput, RequireInput,
    RequirementFilter, RequirementRow, RequirementView, Status, SubmissionReviewInput,
    SubmissionRow, SubmitInput, is_late,
};
use super::store::{self, ListParams};
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::{Tx, is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::orgs::model::OrgRow;
use crate::orgs::service::{in_scope, scope_params};
use crate::policy::model::{DeliverableRow, PolicyRow};
use crate::state::AppState;

/// Most files in one submission.
pub const MAX_FILES: usize = 10;

fn today() -> NaiveDate {
    crate::time::today()
}

async fn deny(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    target: impl ToString,
) -> AppError {
    audit::service::deny(state, &actor.who(), action, "deliverable", target).await
}

async fn policy(tx: &mut Tx, code: Option<&str>) -> AppResult<PolicyRow> {
    let p = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => crate::policy::store::policy_by_code(tx, c).await?,
        None => crate::policy::store::default_policy(tx).await?,
    };
    p.ok_or(AppError::NotFound)
}

fn visible(actor: &Actor, r: &RequirementRow) -> bool {
    match actor.scope() {
        Scope::Region(p) => r.region_path.starts_with(&p),
        Scope::Org(o) => r.org_id == o,
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
        if matches!(r.status(), Status::Submitted | Status::Accepted) {
            s.submitted += 1;
        }
        if r.status() == Status::Accepted {
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
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, "deliverable.list", "").await);
    }
    let scope = scope_params(actor);
    let mut tx = state.db.read().await?;
    let policy = policy(&mut tx, policy_code).await?;
    let deliverables = crate::policy::store::deliverables(&mut tx, policy.id).await?;
    let (rows, _) = store::list(
        &mut tx,
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
    if !actor.can(Perm::TaskIssue) || !actor.can(Perm::PolicyEdit) {
        return Err(deny(state, actor, "deliverable.add", input.code.trim()).await);
    }
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
    let mut tx = state.db.begin().await?;
    let p = policy(&mut tx, input.policy.as_deref()).await?;
    if crate::policy::store::deliverables(&mut tx, p.id)
        .await?
        .iter()
        .any(|d| d.code == code)
    {
        return Err(AppError::field("code", Msg::new("deliverables.code_taken")));
    }
    match crate::policy::store::insert_deliverable(&mut tx, p.id, &row).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field("code", Msg::new("deliverables.code_taken")));
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(
            "deliverable.add",
            "deliverable",
            format!("{}#{code}", p.code),
        )
        .detail(json!({"title": row.title_zh, "due": row.due})),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

pub struct RequireResult {
    pub created: usize,
    pub existing: usize,
}

/// Requires a deliverable from the organisations named (or the default set), in one
/// transaction. Idempotent: an organisation already required is counted as existing.
pub async fn require(
    state: &AppState,
    actor: &Actor,
    code: &str,
    input: &RequireInput,
) -> AppResult<RequireResult> {
    if !actor.can(Perm::TaskIssue) {
        return Err(deny(state, actor, "deliverable.require", code).await);
    }
    let mut rtx = state.db.read().await?;
    let p = policy(&mut rtx, input.policy.as_deref()).await?;
    let d = crate::policy::store::deliverables(&mut rtx, p.id)
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
        let scope = scope_params(actor);
        let all = crate::orgs::store::list(
            &mut rtx,
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
        .await?;
        chosen.extend(all.into_iter().filter(default_set));
    } else {
        let mut errors = Vec::new();
        for (i, c) in named.iter().enumerate() {
            match crate::orgs::store::by_code(&mut rtx, c.trim()).await? {
                Some(o) if in_scope(actor, &o) && o.retired_at.is_none() => {
                    if !chosen.iter().any(|x| x.id == o.id) {
                        chosen.push(o);
                    }
                }
                Some(o) if o.retired_at.is_some() && in_scope(actor, &o) => {
                    errors.push((format!("orgs[{i}]"), Msg::new("org.is_retired")))
                }
                _ => errors.push((format!("orgs[{i}]"), Msg::new("org.unknown"))),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
    }
    drop(rtx);
    if chosen.is_empty() {
        return Err(AppError::field(
            "orgs",
            Msg::new("deliverables.nothing_to_require"),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let (mut created, mut existing) = (0, 0);
    for o in &chosen {
        match store::insert_requirement(&mut tx, p.id, &d.code, o.id, &d.due, now).await? {
            Some(id) => {
                created += 1;
                crate::notify::service::notify_org(
                    &mut tx,
                    o.id,
                    "notice.deliverable_required.title",
                    "notice.deliverable_required.body",
                    &json!({}),
                    &format!("/deliverables/requirements/{id}"),
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
            "deliverable.require",
            "deliverable",
            format!("{}#{}", p.code, d.code),
        )
        .detail(json!({"created": created, "existing": existing})),
    )
    .await?;
    tx.commit().await?;
    Ok(RequireResult { created, existing })
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
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, "deliverable.list", "").await);
    }
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
    let per_page = f.per_page.unwrap_or(50).clamp(1, 500);
    let page = f.page.unwrap_or(1).max(1);
    let mut tx = state.db.read().await?;
    let policy = policy(&mut tx, f.policy.as_deref()).await?;
    let (rows, total) = store::list(
        &mut tx,
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
    state: &AppState,
    actor: &Actor,
    id: i64,
    action: &'static str,
) -> AppResult<RequirementRow> {
    if !actor.can(Perm::TaskRead) {
        return Err(deny(state, actor, action, id).await);
    }
    let mut tx = state.db.read().await?;
    let r = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    drop(tx);
    if !visible(actor, &r) {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied(action, "deliverable_requirement", id),
        )
        .await?;
        return Err(AppError::NotFound);
    }
    Ok(r)
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

pub async fn get(state: &AppState, actor: &Actor, id: i64) -> AppResult<Detail> {
    let r = load(state, actor, id, "deliverable.read").await?;
    let mut tx = state.db.read().await?;
    let submissions = store::submissions(&mut tx, id).await?;
    let files = store::files(&mut tx, id).await?;
    let is_assignee = actor.can(Perm::TaskReport) && actor.org_id == r.org_id;
    Ok(Detail {
        can_submit: is_assignee && r.status().may_submit(),
        can_review: actor.can(Perm::TaskReview) && r.status() == Status::Submitted,
        is_assignee,
        view: r.view(today()),
        submissions,
        files,
    })
}

pub use crate::files::Upload;

pub struct Submitted {
    pub id: i64,
    pub late: bool,
}

/// 报送: the required organisation's note and files. Late when the server's date in
/// Asia/Shanghai is after the due day; a date the user types never decides it.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &SubmitInput,
    files: Vec<Upload>,
) -> AppResult<Submitted> {
    let r = load(state, actor, id, "deliverable.submit").await?;
    if !actor.can(Perm::TaskReport) || actor.org_id != r.org_id {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied("deliverable.submit", "deliverable_requirement", id),
        )
        .await?;
        return Err(AppError::Refused(Msg::new(
            "deliverables.only_required_org",
        )));
    }
    let mut e = Vec::new();
    let note = crate::web::extract::text("note", &input.note, 5000, true, &mut e);
    let checked =
        crate::files::check_uploads(&files, 0, MAX_FILES, &state.cfg.supervision, &mut e)?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let status = r.status();
    if !status.may_submit() {
        return Err(AppError::Conflict(Msg::new(
            if status == Status::Accepted {
                "deliverables.already_accepted"
            } else {
                "deliverables.awaiting_review"
            },
        )));
    }
    crate::files::store_uploads(&state.files, &checked).await?;
    let late = is_late(&r.due, today());
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    if store::set_status(&mut tx, id, status.code(), Status::Submitted.code(), now).await? == 0 {
        return Err(AppError::Conflict(Msg::new(
            "deliverables.changed_meanwhile",
        )));
    }
    let sid = store::insert_submission(&mut tx, id, &note, late, actor.account_id, now).await?;
    for (c, _) in &checked {
        let fid = crate::files::insert(&mut tx, c, actor.account_id, now).await?;
        store::link_attachment(&mut tx, sid, fid).await?;
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("deliverable.submit", "deliverable_requirement", id)
            .detail(json!({"submission": sid, "late": late, "files": checked.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(Submitted { id: sid, late })
}

/// 审核: accept the submission waiting for review, or return it with a comment.
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &SubmissionReviewInput,
) -> AppResult<RequirementView> {
    let r = load(state, actor, id, "deliverable.review").await?;
    if !actor.can(Perm::TaskReview) {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied("deliverable.review", "deliverable_requirement", id),
        )
        .await?;
        return Err(AppError::Refused(Msg::new(
            "supervision.only_office_reviews",
        )));
    }
    // Never one's own organisation's submission: an office's own deliverable is reviewed by
    // an office above it.
    if actor.org_id == r.org_id {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied("deliverable.review", "deliverable_requirement", id)
                .detail(json!({"reason": "own_organisation"})),
        )
        .await?;
        return Err(AppError::Refused(Msg::new(
            "supervision.review_own_organisation",
        )));
    }
    let (next, decision) = match input.decision.trim() {
        "accept" => (Status::Accepted, "accepted"),
        "return" => (Status::Returned, "returned"),
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
        next == Status::Returned,
        &mut e,
    );
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if r.status() != Status::Submitted {
        return Err(AppError::Conflict(Msg::new(
            "deliverables.nothing_to_review",
        )));
    }
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let sid = store::pending_submission(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Conflict(Msg::new("deliverables.nothing_to_review")))?;
    if store::set_status(&mut tx, id, Status::Submitted.code(), next.code(), now).await? == 0
        || store::review_submission(&mut tx, sid, decision, &comment, actor.account_id, now).await?
            == 0
    {
        return Err(AppError::Conflict(Msg::new(
            "deliverables.changed_meanwhile",
        )));
    }
    let (title, body) = if next == Status::Returned {
        (
            "notice.deliverable_returned.title",
            "notice.deliverable_returned.body",
        )
    } else {
        (
            "notice.deliverable_accepted.title",
            "notice.deliverable_accepted.body",
        )
    };
    crate::notify::service::notify_org(
        &mut tx,
        r.org_id,
        title,
        body,
        &json!({}),
        &format!("/deliverables/requirements/{id}"),
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("deliverable.review", "deliverable_requirement", id)
            .detail(json!({"submission": sid, "decision": decision})),
    )
    .await?;
    tx.commit().await?;
    let mut rtx = state.db.read().await?;
    let r = store::by_id(&mut rtx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(r.view(today()))
}

/// A submitted file, for someone who may see its requirement.
pub async fn file(
    state: &AppState,
    actor: &Actor,
    attachment_id: i64,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut tx = state.db.read().await?;
    let (rid, sha, name, mime) = store::file_owner(&mut tx, attachment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    load(state, actor, rid, "deliverable.file_read").await?;
    let bytes = crate::files::read(&state.files, &sha)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading deliverable file {sha}: {e}")))?;
    Ok((name, mime, bytes))
}
