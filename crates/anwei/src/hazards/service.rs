//! Use cases of hazards (隐患排查治理): register at an enterprise in scope, with photos; submit
//! the rectification for acceptance (the review core); accept and close (销号) or return — never
//! by the reporter, the submitter or the enterprise; the office reopens a closed one with a
//! reason.

use anwei_rules::hazard::{Action, Grade, Status};
use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    DecisionInput, HazardFile, HazardFilter, HazardRow, NewHazard, NewHazardInput,
    RectificationInput, RectificationRow, ReopenInput,
};
use super::store::{self, ListParams, Placed};
pub use super::unlisted::{majors_between, of_inspection};
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::files::Upload;
use crate::i18n::Msg;
use crate::ids::{FileId, HazardId, OrgId};
use crate::review::model::{Decision, Subject};
use crate::review::service::{self as review, Notice};
use crate::state::AppState;
use crate::web::extract::some_text;

/// What the review core calls a hazard.
pub const SUBJECT: &str = "hazard";

fn subject(id: HazardId) -> Subject {
    Subject {
        kind: SUBJECT,
        id: id.get(),
    }
}

fn today() -> NaiveDate {
    crate::time::today()
}

impl Scoped for HazardRow {
    fn scope_org_id(&self) -> OrgId {
        self.enterprise_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

/// The photo types a finding takes: the configured types that are images.
fn photo_config(state: &AppState) -> crate::config::UploadsConfig {
    let mut cfg = state.cfg.uploads.clone();
    cfg.file_types
        .retain(|t| matches!(t.as_str(), "jpg" | "png" | "gif" | "webp"));
    cfg
}

/// 隐患登记: the hazard and its photos (images only, checked by content), in one transaction.
/// The enterprise must lie in the actor's scope (an enterprise: itself), else 404.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &NewHazardInput,
    photos: Vec<Upload>,
) -> AppResult<HazardRow> {
    if !actor.can(Perm::HazardReport) {
        let mut act = Act::read(state, actor).await?;
        act.require(Perm::HazardReport, CREATE, create_target())
            .await?;
    }
    let mut e = Vec::new();
    let cfg = photo_config(state);
    let checked = crate::files::check_uploads(&photos, 0, &cfg, &mut e)?;
    let mut h = match parse_new(state, actor, input) {
        Ok(h) if e.is_empty() => h,
        Ok(_) => Err(AppError::Validation(e))?,
        Err(AppError::Validation(mut v)) => {
            v.extend(e);
            return Err(AppError::Validation(v));
        }
        Err(other) => return Err(other),
    };
    crate::files::store_uploads(&state.files, &checked).await?;
    let mut act = Act::begin(state, actor).await?;
    let id = register(&mut act, &mut h, &checked).await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// The door for other capabilities (a verified report becoming a hazard): registers a hazard
/// without photos inside their use case and transaction, with every check of [`create`]; its
/// source is `public_report` (举报), whatever the body says. The caller commits.
pub async fn create_in(act: &mut Act<'_>, input: &NewHazardInput) -> AppResult<HazardRow> {
    let mut h = parse_new(act.state, act.actor, input)?;
    h.source = anwei_rules::hazard::Source::PublicReport;
    h.source_given = true;
    let id = register(act, &mut h, &[]).await?;
    store::by_id(act.tx(), id).await?.ok_or(AppError::NotFound)
}

const CREATE: &str = "hazard.create";

fn create_target() -> Target<'static> {
    Target {
        kind: SUBJECT,
        id: "",
    }
}

fn parse_new(state: &AppState, actor: &Actor, input: &NewHazardInput) -> AppResult<NewHazard> {
    let days = state.cfg.hazards.general_deadline_days;
    input.parse(today(), days, actor.role == Role::Enterprise)
}

/// The registration itself, inside `act`: the permission (audited), the enterprise in scope,
/// the unlisted rule, the row, the tally, the photos' rows and the audit record.
async fn register(
    act: &mut Act<'_>,
    h: &mut NewHazard,
    checked: &[(crate::files::Checked, &Upload)],
) -> AppResult<HazardId> {
    act.require(Perm::HazardReport, CREATE, create_target())
        .await?;
    let ent = crate::enterprises::service::visible(act, h.enterprise_id, CREATE).await?;
    super::unlisted::from_inspection(act, h, CREATE).await?;
    let now = now_ms();
    let at = Placed {
        region_path: &ent.region_path,
        industry: &ent.industry,
    };
    let (account, org) = (act.actor.account_id, act.actor.org_id);
    let id = store::insert(act.tx(), h, &at, account, org, now).await?;
    super::stats::service::registered(
        act,
        at.region_path,
        at.industry,
        h.grade,
        (h.found_on, h.deadline),
    )
    .await?;
    for (c, _) in checked {
        let fid = crate::files::insert(act.tx(), c, account, now).await?;
        store::add_photo(act.tx(), id, fid).await?;
    }
    let unlisted = super::unlisted::check(act, h).await?;
    store::set_links(act.tx(), id, h.inspection_id, unlisted).await?;
    act.audit(Event::ok(CREATE, SUBJECT, id).detail(json!({
        "enterprise": h.enterprise_id, "grade": h.grade.code(), "criterion": h.criterion,
        "deadline": h.deadline.to_string(), "photos": checked.len(),
        "inspection": h.inspection_id, "treat_as_accident_after": unlisted,
    })))
    .await?;
    Ok(id)
}

pub struct Page {
    pub items: Vec<HazardRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The hazards in the actor's scope, filtered, the nearest deadline first.
pub async fn list(state: &AppState, actor: &Actor, f: &HazardFilter) -> AppResult<Page> {
    list_upto(state, actor, f, None).await
}

/// [`list`], or with `cap` the first `cap` rows whatever the page asked (an export).
pub async fn list_upto(
    state: &AppState,
    actor: &Actor,
    f: &HazardFilter,
    cap: Option<i64>,
) -> AppResult<Page> {
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: SUBJECT,
        id: "",
    };
    act.require(Perm::HazardRead, "hazard.list", t).await?;
    let mut e = Vec::new();
    let grade = some_text(&f.grade);
    if grade.as_deref().is_some_and(|g| Grade::parse(g).is_none()) {
        e.push(("grade".to_string(), Msg::new("hazards.grade_unknown")));
    }
    if f.enterprise.is_some_and(|e| e < 1) {
        e.push((
            "enterprise".to_string(),
            Msg::new("hazards.enterprise_unknown"),
        ));
    }
    let status = some_text(&f.status);
    if status
        .as_deref()
        .is_some_and(|s| Status::parse(s).is_none())
    {
        e.push(("status".to_string(), Msg::new("hazards.status_unknown")));
    }
    let industry_like =
        crate::enterprises::service::industry_like(&f.industry).unwrap_or_else(|m| {
            e.push(("industry".to_string(), m));
            None
        });
    let unlisted_only = match some_text(&f.flag).as_deref() {
        None => false,
        Some("treat_as_accident") => true,
        Some(_) => {
            e.push(("flag".to_string(), Msg::new("hazards.flag_unknown")));
            false
        }
    };
    let source = some_text(&f.source);
    if source
        .as_deref()
        .is_some_and(|s| anwei_rules::hazard::Source::parse(s).is_none())
    {
        e.push(("source".to_string(), Msg::new("hazards.source_unknown")));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (page, per_page) = match cap {
        Some(cap) => (1, cap),
        None => crate::web::page::page_and_size(f.page, f.per_page)?,
    };
    let region = some_text(&f.region);
    let scope = crate::orgs::service::scope_within(&mut act, region.as_deref()).await?;
    let (items, total) = store::list(
        act.tx(),
        &ListParams {
            path_like: scope.path_like.as_deref(),
            org_id: scope.org_id,
            grade: grade.as_deref(),
            status: status.as_deref(),
            industry_like: industry_like.as_deref(),
            enterprise: f.enterprise.map(OrgId),
            overdue_before: f.overdue.then(|| today().to_string()),
            unlisted_only,
            limit: per_page,
            offset: (page - 1) * per_page,
            source: source.as_deref(),
        },
    )
    .await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

async fn load(act: &mut Act<'_>, id: HazardId, action: &'static str) -> AppResult<HazardRow> {
    act.load_by(Perm::HazardRead, action, SUBJECT, id, store::by_id)
        .await
}

/// The door for other capabilities (listed supervision, inspections), inside their use case:
/// the hazard, when the actor may read hazards and it lies in the actor's scope; otherwise
/// 403 / 404, audited under `action`.
pub async fn visible(
    act: &mut Act<'_>,
    id: HazardId,
    action: &'static str,
) -> AppResult<HazardRow> {
    load(act, id, action).await
}

pub struct Detail {
    pub hazard: HazardRow,
    pub photos: Vec<HazardFile>,
    pub rectifications: Vec<RectificationRow>,
    pub files: Vec<HazardFile>,
    pub can_submit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
    /// Article 十七, for the office and the discipline role: the earlier campaign inspection
    /// that missed this major hazard (its date and inspectors).
    pub unlisted_by: Option<crate::inspections::model::InspectionSummary>,
}

/// Who may submit the rectification: the enterprise's own account, or an inspector in scope
/// acting for it (an enterprise without an account, or a finding fixed on the spot).
fn may_submit(actor: &Actor, h: &HazardRow) -> bool {
    actor.can(Perm::HazardRectify)
        && (actor.role != Role::Enterprise || actor.org_id == h.enterprise_id)
}

/// Who may decide: the role, and none of the people the acceptance must be independent of.
fn may_decide(actor: &Actor, h: &HazardRow) -> bool {
    actor.can(Perm::HazardReview)
        && actor.org_id != h.enterprise_id
        && actor.account_id != h.reported_by
}

pub async fn get(state: &AppState, actor: &Actor, id: HazardId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let h = load(&mut act, id, "hazard.read").await?;
    let photos = store::photos(act.tx(), id).await?;
    let (rectifications, files) = review::record(&mut act, subject(id)).await?;
    let waiting = review::waiting(&mut act, subject(id)).await?;
    let unlisted_by = super::unlisted::shown(&mut act, &h).await?;
    let can_review = may_decide(actor, &h)
        && h.status.may_decide()
        && waiting.is_some_and(|w| w.submitted_by != actor.account_id);
    Ok(Detail {
        can_submit: may_submit(actor, &h) && h.status.may_submit() && !actor.is_read_only(),
        can_review: can_review && !actor.is_read_only(),
        can_reopen: actor.role == Role::Office && h.status.may_reopen() && !actor.is_read_only(),
        hazard: h,
        photos,
        rectifications,
        files,
        unlisted_by,
    })
}

/// 整改报验: the note and the after-photos (or other evidence). Late when the server's date
/// is after the deadline.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
    input: &RectificationInput,
    files: Vec<Upload>,
) -> AppResult<HazardRow> {
    const ACTION: &str = "hazard.submit";
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    let mut act = Act::read(state, actor).await?;
    let h = load(&mut act, id, ACTION).await?;
    if !may_submit(actor, &h) {
        let refusal = AppError::Refused(Msg::new("hazards.only_enterprise_or_inspector"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    let mut draft = review::draft(state, "note", &input.note, &files)?;
    let next = h
        .status
        .transition(Action::Submit)
        .map_err(|_| AppError::Conflict(Msg::new(conflict_key(h.status))))?;
    drop(act);
    review::keep_files(state, &mut draft).await?;
    let late = h.status.is_overdue(h.deadline.0, today());
    let mut act = Act::begin(state, actor).await?;
    move_to(&mut act, &h, next).await?;
    let s = review::submit(&mut act, subject(id), "rectification", &draft, late).await?;
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id)
            .detail(json!({"submission": s, "late": late, "files": draft.files.len()})),
    )
    .await
}

/// Moves the hazard from the status it was read in to `next`; someone else's move in between
/// is a conflict.
async fn move_to(act: &mut Act<'_>, h: &HazardRow, next: Status) -> AppResult<()> {
    let by = act.actor.account_id;
    let moved = store::set_status(act.tx(), h.id, h.status.code(), next.code(), by, now_ms());
    if moved.await? == 0 {
        return Err(AppError::Conflict(Msg::new("hazards.changed_meanwhile")));
    }
    super::stats::service::moved(act, h, next).await
}

/// Records the use case's event, reads the hazard as it now is, and commits.
async fn finish(mut act: Act<'_>, id: HazardId, ev: Event) -> AppResult<HazardRow> {
    act.audit(ev).await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

fn conflict_key(s: Status) -> &'static str {
    match s {
        Status::Submitted => "hazards.awaiting_acceptance",
        Status::Closed => "hazards.closed_already",
        _ => "hazards.nothing_to_accept",
    }
}

/// 验收销号 or 退回: never by the enterprise, the account that reported the hazard or the one
/// that submitted the rectification (refused and audited).
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
    input: &DecisionInput,
) -> AppResult<HazardRow> {
    const ACTION: &str = "hazard.review";
    let mut act = Act::begin(state, actor).await?;
    let h = load(&mut act, id, ACTION).await?;
    review::reviewer(
        &mut act,
        Perm::HazardReview,
        h.enterprise_id,
        ACTION,
        subject(id),
    )
    .await?;
    if actor.account_id == h.reported_by {
        let sid = id.to_string();
        let t = Target {
            kind: SUBJECT,
            id: &sid,
        };
        let refusal = AppError::Refused(Msg::new("hazards.reporter_may_not_accept"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    let verdict = review::verdict(&input.decision, &input.comment)?;
    let action = match verdict.decision {
        Decision::Accept => Action::Accept,
        Decision::Return => Action::Return,
    };
    let next = h
        .status
        .transition(action)
        .map_err(|_| AppError::Conflict(Msg::new("hazards.nothing_to_accept")))?;
    let link = format!("/hazards/{id}");
    let notice = Notice {
        prefix: "notice.hazard",
        link: &link,
    };
    let w = review::decide(
        &mut act,
        subject(id),
        h.enterprise_id,
        &verdict,
        ACTION,
        &notice,
    )
    .await?;
    move_to(&mut act, &h, next).await?;
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id)
            .detail(json!({"submission": w.id, "decision": verdict.decision.code()})),
    )
    .await
}

/// The committee office reopens a closed hazard, saying why (a closed hazard is never edited,
/// only reopened). Back to rectifying; audited with the reason.
pub async fn reopen(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
    input: &ReopenInput,
) -> AppResult<HazardRow> {
    const ACTION: &str = "hazard.reopen";
    let mut act = Act::begin(state, actor).await?;
    let h = load(&mut act, id, ACTION).await?;
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    act.require(Perm::HazardReview, ACTION, t).await?;
    if actor.role != Role::Office {
        let refusal = AppError::Refused(Msg::new("hazards.only_office_reopens"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    let mut e = Vec::new();
    let reason = crate::web::extract::text("reason", &input.reason, 1000, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let next = h
        .status
        .transition(Action::Reopen)
        .map_err(|_| AppError::Conflict(Msg::new("hazards.not_closed")))?;
    move_to(&mut act, &h, next).await?;
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id).detail(json!({"reason": reason})),
    )
    .await
}

/// A photo of the finding or a file of a rectification, for someone who may see the hazard.
pub async fn file(
    state: &AppState,
    actor: &Actor,
    file_id: FileId,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut act = Act::read(state, actor).await?;
    let f = match store::photo(act.tx(), file_id).await? {
        Some(f) => f,
        None => review::stored_file(&mut act, SUBJECT, file_id).await?,
    };
    load(&mut act, HazardId(f.subject_id), "hazard.file_read").await?;
    drop(act);
    let bytes = review::read_file(state, &f).await?;
    Ok((f.filename, f.mime, bytes))
}

/// The door for accidents (issue 12), inside their read: the hazards of `enterprise` not yet
/// closed that the actor sees in the hazard list (none when the actor may not read hazards),
/// the nearest deadline first, at most `limit`.
pub async fn open_at_enterprise(
    act: &mut Act<'_>,
    enterprise: OrgId,
    limit: usize,
) -> AppResult<Vec<HazardRow>> {
    if !act.actor.can(Perm::HazardRead) {
        return Ok(Vec::new());
    }
    let scope = crate::orgs::service::scope_params(act.actor);
    let (items, _) = store::list(
        act.tx(),
        &ListParams {
            path_like: scope.path_like.as_deref(),
            org_id: scope.org_id,
            grade: None,
            status: None,
            industry_like: None,
            enterprise: Some(enterprise),
            overdue_before: None,
            unlisted_only: false,
            source: None,
            limit: 1_000,
            offset: 0,
        },
    )
    .await?;
    Ok(items
        .into_iter()
        .filter(|h| h.status != Status::Closed)
        .take(limit)
        .collect())
}
