//! Use cases of listed supervision (挂牌督办): the office lists a major hazard in its scope;
//! the enterprise or the responsible unit reports progress monthly; the office that listed it
//! delists (摘牌) once the hazard is closed, on a verification note and evidence; a refusal to
//! rectify meets a stop-production order (停产停工) or a referral (移送司法机关).

use anwei_rules::hazard::{Grade, Status as HazardStatus};
use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    ACTIVE, DelistInput, ListingFile, ListingFilter, ListingInput, ListingRow, ListingView,
    NewListing, ProgressInput, ProgressRow, PublicNotice, ReferralInput, StopOrderInput, month_of,
};
use super::store::{self, ListParams};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::files::Upload;
use crate::i18n::Msg;
use crate::ids::{FileId, HazardId, ListingId};
use crate::review::service as review;
use crate::state::AppState;
use crate::web::extract::text;

/// What the audit log calls a listing.
pub const SUBJECT: &str = "listing";

/// The offence a referral cites.
pub const REFERRAL_LAW: &str = "《中华人民共和国刑法》第一百三十四条之一（危险作业罪）";

fn today() -> NaiveDate {
    crate::time::today()
}

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

async fn load(act: &mut Act<'_>, id: ListingId, action: &'static str) -> AppResult<ListingRow> {
    act.load_by(Perm::HazardRead, action, SUBJECT, id, store::by_id)
        .await
}

/// Records the use case's event, reads the listing as it now is, and commits.
async fn finish(mut act: Act<'_>, id: ListingId, ev: Event) -> AppResult<ListingView> {
    act.audit(ev).await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = view(&mut act, &row).await?;
    act.commit().await?;
    Ok(v)
}

async fn view(act: &mut Act<'_>, l: &ListingRow) -> AppResult<ListingView> {
    let months = store::months(act.tx(), l.id).await?;
    Ok(l.view(&months, today()))
}

/// 挂牌: a major hazard in the office's scope, not closed and not listed already, under a
/// notice number of its own; the responsible unit in scope (blank: the territory's
/// government); a deadline not before today.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &ListingInput,
) -> AppResult<ListingView> {
    const ACTION: &str = "listing.create";
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ListingManage, ACTION, target("")).await?;
    let mut e = Vec::new();
    let notice_no = text("notice_no", &input.notice_no, 100, true, &mut e);
    let responsible = text("responsible_org", &input.responsible_org, 40, false, &mut e);
    let deadline = match crate::time::parse_date(&input.deadline) {
        None => {
            e.push(("deadline".into(), Msg::new("error.date_format")));
            None
        }
        Some(d) if d < today() => {
            e.push(("deadline".into(), Msg::new("listings.deadline_past")));
            None
        }
        Some(d) => Some(d),
    };
    if !(1..=i64::from(i32::MAX)).contains(&input.hazard_id) {
        e.push(("hazard_id".into(), Msg::new("listings.hazard_unknown")));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let h = crate::hazards::service::visible(&mut act, HazardId(input.hazard_id), ACTION).await?;
    if h.grade != Grade::Major {
        return Err(AppError::field(
            "hazard_id",
            Msg::new("listings.only_major"),
        ));
    }
    if h.status == HazardStatus::Closed {
        return Err(AppError::Conflict(Msg::new("listings.hazard_closed")));
    }
    if store::active_for_hazard(act.tx(), h.id).await? {
        return Err(AppError::Conflict(Msg::new("listings.listed_already")));
    }
    if store::notice_taken(act.tx(), &notice_no).await? {
        return Err(AppError::field(
            "notice_no",
            Msg::new("listings.notice_taken"),
        ));
    }
    let responsible = if responsible.is_empty() {
        crate::orgs::service::government_at(&mut act, &h.region_path)
            .await?
            .ok_or_else(|| AppError::field("responsible_org", Msg::new("listings.no_government")))?
    } else {
        crate::orgs::service::current_by_code(&mut act, &responsible)
            .await?
            .map_err(|m| AppError::field("responsible_org", m))?
    };
    let n = NewListing {
        hazard_id: h.id,
        enterprise_id: h.enterprise_id,
        region_path: h.region_path.clone(),
        notice_no,
        supervising_org: actor.org_id,
        responsible_org: responsible.id,
        deadline: deadline.expect("checked"),
        listed_on: today(),
    };
    let id = store::insert(act.tx(), &n, actor.account_id, now_ms()).await?;
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id).detail(json!({
            "hazard": h.id, "notice_no": n.notice_no, "responsible_org": responsible.code,
            "deadline": n.deadline.to_string(),
        })),
    )
    .await
}

pub struct Page {
    pub items: Vec<ListingView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The supervision board: the listings in scope with their lights, the active first.
pub async fn list(state: &AppState, actor: &Actor, f: &ListingFilter) -> AppResult<Page> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::HazardRead, "listing.list", target(""))
        .await?;
    let status = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if status.is_some_and(|s| s != ACTIVE && s != super::model::DELISTED) {
        return Err(AppError::field(
            "status",
            Msg::new("listings.status_unknown"),
        ));
    }
    let (page, per_page) = crate::web::page::page_and_size(f.page, f.per_page)?;
    let scope = crate::orgs::service::scope_params(actor);
    let (rows, total) = store::list(
        act.tx(),
        &ListParams {
            path_like: scope.path_like.as_deref(),
            org_id: scope.org_id,
            status,
            limit: per_page,
            offset: (page - 1) * per_page,
        },
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        items.push(view(&mut act, r).await?);
    }
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

pub struct Detail {
    pub listing: ListingView,
    pub progress: Vec<ProgressRow>,
    pub files: Vec<ListingFile>,
    /// The month a report is due for now has none yet, and the viewer may report.
    pub can_report: bool,
    pub can_delist: bool,
    pub can_order: bool,
}

/// Who reports progress: the enterprise's own account or the responsible unit's.
fn may_report(actor: &Actor, l: &ListingRow) -> bool {
    actor.can(Perm::HazardRectify)
        && (actor.org_id == l.enterprise_id || actor.org_id == l.responsible_org)
}

/// Who delists: an office account of the supervising organisation.
fn may_delist(actor: &Actor, l: &ListingRow) -> bool {
    actor.can(Perm::ListingManage) && actor.org_id == l.supervising_org
}

pub async fn get(state: &AppState, actor: &Actor, id: ListingId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let l = load(&mut act, id, "listing.read").await?;
    let progress = store::progress(act.tx(), id).await?;
    let files = store::files(act.tx(), id).await?;
    let this_month = month_of(today());
    let writable = l.status == ACTIVE && !actor.is_read_only();
    Ok(Detail {
        can_report: writable
            && may_report(actor, &l)
            && !progress.iter().any(|p| p.month == this_month),
        can_delist: writable && may_delist(actor, &l),
        can_order: writable && actor.can(Perm::ListingManage),
        listing: view(&mut act, &l).await?,
        progress,
        files,
    })
}

/// 月度进展: the enterprise or the responsible unit, for the current month (one a month: a
/// second is 409), text and optional files.
pub async fn report(
    state: &AppState,
    actor: &Actor,
    id: ListingId,
    input: &ProgressInput,
    uploads: Vec<Upload>,
) -> AppResult<ProgressRow> {
    const ACTION: &str = "listing.progress";
    let sid = id.to_string();
    let mut act = Act::read(state, actor).await?;
    let l = load(&mut act, id, ACTION).await?;
    if !may_report(actor, &l) {
        let refusal = AppError::Refused(Msg::new("listings.only_enterprise_or_responsible"));
        return Err(act.refused(ACTION, target(&sid), refusal).await);
    }
    if l.status != ACTIVE {
        return Err(AppError::Conflict(Msg::new("listings.delisted_already")));
    }
    let month = month_of(today());
    if store::progress_exists(act.tx(), id, &month).await? {
        return Err(AppError::Conflict(Msg::new("listings.progress_this_month")));
    }
    let mut draft = review::draft(state, "text", &input.text, &uploads)?;
    drop(act);
    review::keep_files(state, &mut draft).await?;
    let mut act = Act::begin(state, actor).await?;
    if store::progress_exists(act.tx(), id, &month).await? {
        return Err(AppError::Conflict(Msg::new("listings.progress_this_month")));
    }
    let now = now_ms();
    let pid = store::add_progress(
        act.tx(),
        id,
        &month,
        &draft.body,
        actor.account_id,
        actor.org_id,
        now,
    )
    .await?;
    for (c, _) in &draft.files {
        let fid = crate::files::insert(act.tx(), c, actor.account_id, now).await?;
        store::add_file(act.tx(), id, fid, Some(pid), "progress").await?;
    }
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "progress": pid, "month": month, "files": draft.files.len(),
    })))
    .await?;
    let row = store::progress(act.tx(), id)
        .await?
        .into_iter()
        .find(|p| p.id == pid)
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// 摘牌: only the supervising office, only when the hazard is closed (accepted), with a
/// verification note and at least one evidence file; records who and when.
pub async fn delist(
    state: &AppState,
    actor: &Actor,
    id: ListingId,
    input: &DelistInput,
    uploads: Vec<Upload>,
) -> AppResult<ListingView> {
    const ACTION: &str = "listing.delist";
    let sid = id.to_string();
    let mut act = Act::read(state, actor).await?;
    let l = load(&mut act, id, ACTION).await?;
    act.require(Perm::ListingManage, ACTION, target(&sid))
        .await?;
    if !may_delist(actor, &l) {
        let refusal = AppError::Refused(Msg::new("listings.only_supervising_office"));
        return Err(act.refused(ACTION, target(&sid), refusal).await);
    }
    if l.status != ACTIVE {
        return Err(AppError::Conflict(Msg::new("listings.delisted_already")));
    }
    let h = crate::hazards::service::visible(&mut act, l.hazard_id, ACTION).await?;
    if h.status != HazardStatus::Closed {
        return Err(AppError::Conflict(Msg::new("listings.hazard_not_closed")));
    }
    let mut draft = match review::draft(state, "note", &input.note, &uploads) {
        Ok(d) if d.files.is_empty() => {
            return Err(AppError::field(
                "files",
                Msg::new("listings.evidence_required"),
            ));
        }
        Ok(d) => d,
        Err(AppError::Validation(mut v)) => {
            if uploads.is_empty() {
                v.push(("files".into(), Msg::new("listings.evidence_required")));
            }
            return Err(AppError::Validation(v));
        }
        Err(other) => return Err(other),
    };
    drop(act);
    review::keep_files(state, &mut draft).await?;
    let mut act = Act::begin(state, actor).await?;
    // Checked again inside the write: the hazard may have been reopened meanwhile.
    let h = crate::hazards::service::visible(&mut act, l.hazard_id, ACTION).await?;
    if h.status != HazardStatus::Closed {
        return Err(AppError::Conflict(Msg::new("listings.hazard_not_closed")));
    }
    let now = now_ms();
    let on = today().to_string();
    if store::delist(act.tx(), id, &on, &draft.body, actor.account_id, now).await? == 0 {
        return Err(AppError::Conflict(Msg::new("listings.delisted_already")));
    }
    for (c, _) in &draft.files {
        let fid = crate::files::insert(act.tx(), c, actor.account_id, now).await?;
        store::add_file(act.tx(), id, fid, None, "delisting").await?;
    }
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id).detail(json!({
            "hazard": h.id, "note": draft.body, "files": draft.files.len(),
        })),
    )
    .await
}

/// Opens an active listing for an office's decision on a refusal to rectify.
async fn office_opens(
    act: &mut Act<'_>,
    id: ListingId,
    action: &'static str,
) -> AppResult<ListingRow> {
    let sid = id.to_string();
    let l = load(act, id, action).await?;
    act.require(Perm::ListingManage, action, target(&sid))
        .await?;
    if l.status != ACTIVE {
        return Err(AppError::Conflict(Msg::new("listings.delisted_already")));
    }
    Ok(l)
}

/// 停产停工: the order's document number and date (not after today), once per listing.
pub async fn stop_order(
    state: &AppState,
    actor: &Actor,
    id: ListingId,
    input: &StopOrderInput,
) -> AppResult<ListingView> {
    const ACTION: &str = "listing.stop_order";
    let mut act = Act::begin(state, actor).await?;
    let l = office_opens(&mut act, id, ACTION).await?;
    let mut e = Vec::new();
    let document_no = text("document_no", &input.document_no, 100, true, &mut e);
    let on = match crate::time::parse_date(&input.ordered_on) {
        None => {
            e.push(("ordered_on".into(), Msg::new("error.date_format")));
            None
        }
        Some(d) if d > today() => {
            e.push(("ordered_on".into(), Msg::new("listings.order_in_future")));
            None
        }
        Some(d) => Some(d),
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let on = on.expect("checked").to_string();
    if store::stop_order(act.tx(), id, &document_no, &on, actor.account_id).await? == 0 {
        return Err(AppError::Conflict(Msg::new("listings.stop_order_recorded")));
    }
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id).detail(json!({
            "enterprise": l.enterprise_id, "document_no": document_no, "ordered_on": on,
        })),
    )
    .await
}

/// 移送司法机关: sets the referral flag with a note, citing 刑法第一百三十四条之一.
pub async fn refer(
    state: &AppState,
    actor: &Actor,
    id: ListingId,
    input: &ReferralInput,
) -> AppResult<ListingView> {
    const ACTION: &str = "listing.referral";
    let mut act = Act::begin(state, actor).await?;
    let l = office_opens(&mut act, id, ACTION).await?;
    let mut e = Vec::new();
    let note = text("note", &input.note, 2000, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if store::refer(act.tx(), id, &note, actor.account_id, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("listings.referred_already")));
    }
    finish(
        act,
        id,
        Event::ok(ACTION, SUBJECT, id).detail(json!({
            "enterprise": l.enterprise_id, "law": REFERRAL_LAW, "note": note,
        })),
    )
    .await
}

/// A progress or delisting file, for someone who may see the listing.
pub async fn file(
    state: &AppState,
    actor: &Actor,
    file_id: FileId,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::HazardRead, "listing.file_read", target(""))
        .await?;
    let f = store::file(act.tx(), file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    load(&mut act, f.listing_id, "listing.file_read").await?;
    drop(act);
    let bytes = crate::files::read(&state.files, &f.sha256)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading file {}: {e}", f.sha256)))?;
    Ok((f.filename, f.mime, bytes))
}

/// The public notices of listing and delisting, for anyone (no login): notice number,
/// enterprise, region and dates; no person, no account, no internal id.
pub async fn public_notices(state: &AppState) -> AppResult<Vec<PublicNotice>> {
    let mut tx = state.db.read().await?;
    Ok(store::public_notices(&mut tx, 500).await?)
}
