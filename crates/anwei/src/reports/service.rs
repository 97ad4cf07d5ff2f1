//! Use cases of reports (安全生产举报): the public intake and the reporter's follow-up by
//! receipt code (no account, no actor); the office's entry of a report received by phone,
//! letter or visit; handling (受理 / 不予受理 / 转办 / 核查 / 答复) with messages to the
//! reporter; and the identity custodian's reveal.
//!
//! The reporter's identity is sealed at intake and opened only by `reveal`; nothing else reads
//! it, and no log line, audit detail, error message or other page carries it. No IP address is
//! kept with a report: the public audit records name the public, not the address.

use anwei_rules::report::{Category, Channel, Status, Step};
use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    FollowView, MessageInput, MessageRow, NewReportInput, PublicMessage, ReportFilter, ReportRow,
    StepRow,
};
use super::store::{self, Intake, ListParams};
use crate::act::{Act, Scoped, Target};
use crate::audit::{self, Event, Who};
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{OrgId, ReportId};
use crate::state::AppState;
use crate::web::extract::text;
use crate::web::limiter::LoginLimiter;

pub const SUBJECT: &str = "report";

fn today() -> NaiveDate {
    crate::time::today()
}

impl Scoped for ReportRow {
    fn scope_org_id(&self) -> OrgId {
        // Reports belong to a territory, never to an organisation an `Org` scope names.
        self.handler_org_id.unwrap_or(OrgId(0))
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

/// Public submissions and look-ups per client IP, in memory only.
#[derive(Default)]
pub struct PublicLimiter(LoginLimiter);

/// Counts one public request from `ip`; 429 once the minute's allowance is used up.
pub fn limit_public(state: &AppState, ip: &str) -> AppResult<()> {
    let per_minute = state.cfg.reports.public_per_minute;
    if state
        .caches
        .get::<PublicLimiter>()
        .0
        .allow_at_most(ip, per_minute)
    {
        Ok(())
    } else {
        Err(AppError::TooManyRequests(Msg::new("reports.too_many")))
    }
}

/// Whether `ip` has used up the strict public budget this minute (counting nothing).
pub fn public_spent(state: &AppState, ip: &str) -> bool {
    let per_minute = state.cfg.reports.public_per_minute;
    state.caches.get::<PublicLimiter>().0.spent(ip, per_minute)
}

/// The public, in audit records: a request id, never an address.
fn public(request_id: &str) -> Who {
    Who {
        actor_id: None,
        actor_name: "public".into(),
        request_id: request_id.to_string(),
        ip: String::new(),
    }
}

/// A fresh receipt code: 16 random digits.
fn new_receipt() -> String {
    use rand::Rng;
    let mut r = rand::rng();
    (0..anwei_rules::report::RECEIPT_DIGITS)
        .map(|_| char::from(b'0' + r.random_range(0..10u8)))
        .collect()
}

fn receipt_index(state: &AppState, digits: &str) -> String {
    state.vault.blind("report_receipt", digits)
}

/// What a new report is stored with, whoever takes it in.
struct Taken {
    receipt: String,
    id: ReportId,
}

async fn take_in(
    state: &AppState,
    tx: &mut crate::db::Tx,
    input: &NewReportInput,
    channel: Channel,
    entered_by: Option<&Actor>,
) -> AppResult<Taken> {
    let r = input.parse(today())?;
    let region = crate::orgs::service::region_by_code_as_system(tx, &r.region_code).await?;
    let region = match region {
        Some(g) if entered_by.is_none_or(|a| crate::act::in_scope(a, &RegionAt(&g.path))) => g,
        _ => {
            return Err(AppError::Validation(vec![(
                "region_code".into(),
                Msg::new("reports.region_unknown"),
            )]));
        }
    };
    let sealed = r
        .identity
        .as_deref()
        .map(|i| state.vault.seal(i))
        .transpose()?
        .unwrap_or_default();
    let receipt = new_receipt();
    let index = receipt_index(state, &receipt);
    let at = Intake {
        receipt_index: &index,
        channel: channel.code(),
        region_id: region.id,
        region_path: &region.path,
        identity_sealed: &sealed,
        received_on: today().to_string(),
        entered_by: entered_by.map(|a| a.account_id),
        now: now_ms(),
    };
    let id = store::insert(tx, &r, &at).await?;
    Ok(Taken { receipt, id })
}

/// A region as something in or out of a scope.
struct RegionAt<'a>(&'a str);

impl Scoped for RegionAt<'_> {
    fn scope_org_id(&self) -> OrgId {
        OrgId(0)
    }
    fn scope_region_path(&self) -> &str {
        self.0
    }
}

/// 网上举报: a report from the public form or API. Returns the receipt code, shown once.
pub async fn submit_public(
    state: &AppState,
    request_id: &str,
    input: &NewReportInput,
    uploads: &[crate::files::Upload],
) -> AppResult<String> {
    if !input.channel.trim().is_empty() && input.channel.trim() != "web" {
        return Err(AppError::Validation(vec![(
            "channel".into(),
            Msg::new("reports.channel_staff_only"),
        )]));
    }
    // The files' problems and the form's are answered together.
    let mut e = Vec::new();
    let checked = super::attachments::check(state, uploads, 0, &mut e);
    // Sealed outside the transaction (SQLite's one writer), stored once the report is valid.
    let sealed_files = super::attachments::seal_files(state, &checked)?;
    let mut tx = state.db.begin().await?;
    let t = match take_in(state, &mut tx, input, Channel::Web, None).await {
        Err(AppError::Validation(mut v)) => {
            v.append(&mut e);
            return Err(AppError::Validation(v));
        }
        r => r?,
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let sealed = super::attachments::store_sealed(state, sealed_files).await?;
    super::attachments::record(&mut tx, t.id, true, &sealed, now_ms()).await?;
    audit::record(
        state,
        &mut tx,
        &public(request_id),
        Event::ok("report.submit", SUBJECT, t.id)
            .detail(json!({"channel": "web", "files": sealed.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(t.receipt)
}

/// 来电、来信、来访: the office enters a report it received, with the same protections; the
/// receipt code is for the reporter (read out or written back).
pub async fn enter(state: &AppState, actor: &Actor, input: &NewReportInput) -> AppResult<String> {
    const ACTION: &str = "report.enter";
    let t = Target {
        kind: SUBJECT,
        id: "",
    };
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportTriage, ACTION, t).await?;
    let channel = match Channel::parse(input.channel.trim()) {
        Some(c) if c != Channel::Web => c,
        _ => {
            return Err(AppError::Validation(vec![(
                "channel".into(),
                Msg::new("reports.channel_unknown"),
            )]));
        }
    };
    let taken = take_in(state, act.tx(), input, channel, Some(actor)).await?;
    act.audit(Event::ok(ACTION, SUBJECT, taken.id).detail(json!({"channel": channel.code()})))
        .await?;
    act.commit().await?;
    Ok(taken.receipt)
}

/// The report a receipt code names, or `None` — for a malformed code, a wrong one and a
/// missing one alike, after the same work (the keyed hash is always computed).
async fn by_receipt(
    state: &AppState,
    tx: &mut crate::db::Tx,
    code: &str,
) -> AppResult<Option<ReportRow>> {
    let digits = anwei_rules::report::normalise_receipt(code);
    let index = receipt_index(state, digits.as_deref().unwrap_or("-"));
    let found = store::by_receipt(tx, &index).await?;
    Ok(found.filter(|_| digits.is_some()))
}

fn follow_view(r: &ReportRow, messages: Vec<MessageRow>, attachments: i64) -> FollowView {
    FollowView {
        attachments,
        status: r.status.code(),
        category: r.category.code(),
        received_on: r.received_on.clone(),
        answer: r.answer.clone(),
        messages: messages
            .into_iter()
            .map(|m| PublicMessage {
                from: if m.from_reporter {
                    "reporter"
                } else {
                    "handler"
                },
                body: m.body,
                created_at: m.created_at,
            })
            .collect(),
        reward: None,
    }
}

/// 查询: what the reporter sees with the receipt code. A wrong code and a missing case are
/// the same 404.
pub async fn follow(state: &AppState, code: &str) -> AppResult<FollowView> {
    let mut tx = state.db.read().await?;
    let r = by_receipt(state, &mut tx, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let messages = store::messages(&mut tx, r.id).await?;
    let files = super::attachments::count(&mut tx, r.id).await?;
    let mut v = follow_view(&r, messages, files);
    v.reward = super::rewards::service::for_reporter(state, &mut tx, r.id).await?;
    Ok(v)
}

/// The reporter adds a message (anonymously, through the receipt code).
pub async fn reporter_message(
    state: &AppState,
    request_id: &str,
    code: &str,
    input: &MessageInput,
    uploads: &[crate::files::Upload],
) -> AppResult<FollowView> {
    let mut e = Vec::new();
    let body = text("body", &input.body, 5000, true, &mut e);
    let mut tx = state.db.begin().await?;
    let r = by_receipt(state, &mut tx, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let already = super::attachments::count(&mut tx, r.id).await?;
    let checked = super::attachments::check(state, uploads, already, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = now_ms();
    store::add_message(&mut tx, r.id, None, &body, now).await?;
    let sealed = super::attachments::seal_and_store(state, &checked).await?;
    super::attachments::record(&mut tx, r.id, true, &sealed, now).await?;
    audit::record(
        state,
        &mut tx,
        &public(request_id),
        Event::ok("report.reporter_message", SUBJECT, r.id).detail(json!({"files": sealed.len()})),
    )
    .await?;
    let messages = store::messages(&mut tx, r.id).await?;
    let files = already + i64::try_from(sealed.len()).unwrap_or(0);
    let mut v = follow_view(&r, messages, files);
    v.reward = super::rewards::service::for_reporter(state, &mut tx, r.id).await?;
    tx.commit().await?;
    Ok(v)
}

/// Loads a report for `action`: the permission, the scope, and for a department only what was
/// routed to it (otherwise 404, audited).
pub(super) async fn load(
    act: &mut Act<'_>,
    id: ReportId,
    action: &'static str,
) -> AppResult<ReportRow> {
    let r = act
        .load_by(Perm::ReportRead, action, SUBJECT, id, store::by_id)
        .await?;
    if act.actor.role == Role::Department && r.handler_org_id != Some(act.actor.org_id) {
        let sid = id.to_string();
        let t = Target {
            kind: SUBJECT,
            id: &sid,
        };
        return Err(act.refused(action, t, AppError::NotFound).await);
    }
    Ok(r)
}

pub struct Page {
    pub items: Vec<ReportRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Reports in scope, the newest first; a department's list holds only those routed to it.
pub async fn list(state: &AppState, actor: &Actor, f: &ReportFilter) -> AppResult<Page> {
    let t = Target {
        kind: SUBJECT,
        id: "",
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::ReportRead, "report.list", t).await?;
    let mut e = Vec::new();
    let status = crate::web::extract::some_text(&f.status);
    if status
        .as_deref()
        .is_some_and(|s| Status::parse(s).is_none())
    {
        e.push(("status".into(), Msg::new("reports.status_unknown")));
    }
    let category = crate::web::extract::some_text(&f.category);
    if category
        .as_deref()
        .is_some_and(|s| Category::parse(s).is_none())
    {
        e.push(("category".into(), Msg::new("reports.category_unknown")));
    }
    let (page, per_page) = crate::web::page::page_and_size(f.page, f.per_page)?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let scope = crate::orgs::service::scope_within(
        &mut act,
        crate::web::extract::some_text(&f.region).as_deref(),
    )
    .await?;
    let p = ListParams {
        path_like: scope.path_like.as_deref(),
        handler: (actor.role == Role::Department).then_some(actor.org_id),
        status: status.as_deref(),
        category: category.as_deref(),
        overdue_on: None,
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let today = today().to_string();
    let p = ListParams {
        overdue_on: f.overdue.unwrap_or(false).then_some(today.as_str()),
        ..p
    };
    let (items, total) = store::list(act.tx(), &p).await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// One report with its steps and messages, and what the viewer may do now.
pub struct Detail {
    pub report: ReportRow,
    pub steps: Vec<StepRow>,
    pub messages: Vec<MessageRow>,
    pub can_triage: bool,
    pub can_verify: bool,
    pub can_answer: bool,
    pub can_reveal: bool,
    /// The reward (举报奖励), as staff see it: never the payout code.
    pub reward: Option<super::rewards::model::RewardRow>,
    /// What the report produced (hazards, inspections).
    pub links: Vec<super::links::LinkRow>,
    /// The case's files, by number (names only in the audited download).
    pub attachments: Vec<super::attachments::AttachmentRow>,
    /// Other cases of the region the viewer may read that look like this one.
    pub duplicates: Vec<super::duplicates::Duplicate>,
    /// The departments suggested for routing, by territory and industry (转办建议).
    pub suggested: Vec<super::routing::Suggestion>,
    /// The transfer chain (转办记录), oldest first.
    pub transfers: Vec<super::transfer::TransferRow>,
    /// The extension requests (延期申请), oldest first.
    pub extensions: Vec<super::extension::ReportExtensionRow>,
    /// The viewer may transfer the case (the office in scope, or the department handling it).
    pub can_transfer: bool,
    /// The viewer may ask to extend the verification deadline (the handling department).
    pub can_extend: bool,
    /// The viewer may decide a pending extension (the office; never its requester).
    pub can_decide_extension: bool,
}

pub async fn get(state: &AppState, actor: &Actor, id: ReportId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let report = load(&mut act, id, "report.read").await?;
    let steps = store::steps(act.tx(), id).await?;
    let messages = store::messages(act.tx(), id).await?;
    let custodian = store::is_custodian(act.tx(), actor.account_id).await?;
    let attachments = super::attachments::list(act.tx(), id).await?;
    let duplicates = super::duplicates::of(act.tx(), actor, &report).await?;
    let s = report.status;
    let reward = super::rewards::service::of_report(&mut act, id).await?;
    let links = super::links::of_report(&mut act, id).await?;
    let suggested = super::routing::suggested(&mut act, &report).await?;
    let transfers = super::transfer::chain(act.tx(), id).await?;
    let extensions = super::extension::of_report(act.tx(), id).await?;
    let can_transfer = super::transfer::may_transfer(actor, &report);
    let can_extend = super::extension::may_request(actor, &report, &extensions, &act.state.cfg);
    let can_decide_extension = super::extension::may_decide(actor, &extensions);
    Ok(Detail {
        suggested,
        transfers,
        extensions,
        can_transfer,
        can_extend,
        can_decide_extension,
        can_triage: actor.can(Perm::ReportTriage)
            && (s.after(Step::Accept).is_some() || s.after(Step::Route).is_some()),
        can_verify: actor.can(Perm::ReportVerify) && s.after(Step::Verify).is_some(),
        can_answer: actor.can(Perm::ReportVerify) && s.after(Step::Answer).is_some(),
        can_reveal: custodian
            && actor.role == Role::Office
            && !report.anonymous
            && super::transfer::holds_identity(actor, &report),
        report,
        steps,
        messages,
        reward,
        links,
        attachments,
        duplicates,
    })
}
