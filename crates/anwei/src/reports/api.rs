//! JSON handlers of reports: the public intake and follow-up (no account), and handling.

use anwei_rules::report::Step;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::extension::{ExtensionDecisionInput, ReportExtensionInput};
use super::handling;
use super::model::{
    FollowView, Identity, IdentityRevealInput, MessageInput, NewReportInput, ReportFilter,
    StepInput,
};
use super::pow::Challenge;
use super::service::{self, Detail};
use super::transfer::TransferInput;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::ReportId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q};

/// The receipt code, the only answer to a new report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// 16 digits in groups of four: keep it, it is shown once and is the only way back.
    pub receipt_code: String,
}

fn receipt(digits: &str) -> Receipt {
    Receipt {
        receipt_code: anwei_rules::report::format_receipt(digits),
    }
}

/// 网上举报 (no account): the report; the answer is the receipt code and nothing else. JSON,
/// or `multipart/form-data` with the public form's flat fields (`identity=named`,
/// `reporter_name`, `reporter_phone`, `reporter_id_number`) and files as `files` (photos,
/// PDFs, office documents; sealed at rest, never shown to the public).
/// A solved proof-of-work (`pow: {challenge, nonce}`; in a form `pow_challenge`, `pow_nonce`)
/// counts against the larger per-address budget; without one, against the strict one.
#[utoipa::path(post, path = "/api/v1/public/reports", tag = "reports", security(()), request_body = NewReportInput,
    responses((status = 201, body = Receipt), (status = 413), (status = 422, description = "a field is wrong (the identity's values and file names are never repeated), or `pow` is wrong, expired or reused"),
              (status = 429, description = "too many reports or look-ups from this address")))]
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    req: axum::extract::Request,
) -> AppResult<(StatusCode, Json<Receipt>)> {
    super::pow::gate(&state, &ctx.ip)?;
    let (input, files) = super::attachments::read_report(req, &state).await?;
    super::pow::admit(&state, &ctx.ip, input.pow.as_ref()).await?;
    let code = service::submit_public(&state, &ctx.request_id, &input, &files).await?;
    Ok((StatusCode::CREATED, Json(receipt(&code))))
}

/// 举报查询 (no account): status, answer and messages of the report this receipt code names.
/// A wrong code and a missing report are the same 404.
#[utoipa::path(get, path = "/api/v1/public/reports/{receipt_code}", tag = "reports", security(()), params(("receipt_code" = String, Path)),
    responses((status = 200, body = FollowView), (status = 404), (status = 429)))]
pub async fn follow(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(code): Path<String>,
) -> AppResult<Json<FollowView>> {
    service::limit_public(&state, &ctx.ip)?;
    Ok(Json(service::follow(&state, &code).await?))
}

/// The reporter's message to the handlers (no account; the receipt code names the report):
/// JSON, or `multipart/form-data` with `body` and files as `files`.
#[utoipa::path(post, path = "/api/v1/public/reports/{receipt_code}/messages", tag = "reports", security(()), params(("receipt_code" = String, Path)),
    request_body = MessageInput, responses((status = 200, body = FollowView), (status = 404), (status = 413), (status = 422), (status = 429)))]
pub async fn reporter_message(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> AppResult<Json<FollowView>> {
    service::limit_public(&state, &ctx.ip)?;
    let (input, files) = crate::files::read_form::<MessageInput>(req, &state).await?;
    Ok(Json(
        service::reporter_message(&state, &ctx.request_id, &code, &input, &files).await?,
    ))
}

/// The office enters a report received by phone (12350), letter or visit (`channel`); the
/// answer carries the receipt code for the reporter.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = NewReportInput,
    responses((status = 201, body = Receipt), (status = 403), (status = 422)))]
pub async fn enter(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewReportInput>,
) -> AppResult<(StatusCode, Json<Receipt>)> {
    let code = service::enter(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(receipt(&code))))
}

/// Reports in scope, the newest first (a department: those routed to it). Filters: `status`,
/// `category`, `region` (GB/T 2260 code), `overdue` (true: past the verification or answer
/// deadline), `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports",
    params(("status" = Option<String>, Query), ("category" = Option<String>, Query), ("region" = Option<String>, Query),
           ("overdue" = Option<bool>, Query),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [ReportView], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<ReportFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list(&state, &actor, &f).await?;
    let today = crate::time::today();
    let items: Vec<_> = p.items.iter().map(|r| r.view(today)).collect();
    Ok(Json(
        json!({"items": items, "total": p.total, "page": p.page, "per_page": p.per_page}),
    ))
}

fn detail(d: Detail) -> Json<Value> {
    Json(json!({
        "report": d.report.view(crate::time::today()), "steps": d.steps, "messages": d.messages,
        "can_triage": d.can_triage, "can_verify": d.can_verify, "can_answer": d.can_answer,
        "can_reveal": d.can_reveal, "attachments": d.attachments,
        "duplicates": d.duplicates,
        "reward": d.reward.as_ref().map(|w| w.view()), "links": d.links,
        "suggested_departments": d.suggested, "transfers": d.transfers,
        "extensions": d.extensions, "can_transfer": d.can_transfer, "can_extend": d.can_extend,
        "can_decide_extension": d.can_decide_extension,
    }))
}

/// One report with its steps and messages; never the reporter's identity.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
) -> AppResult<Json<Value>> {
    Ok(detail(service::get(&state, &actor, id).await?))
}

/// A handling step: `accept` (受理), `reject` (不予受理, `note` required), `route` (转办,
/// `department_code` required), `verify` (核查, `finding` true|partly|false and `note`),
/// `answer` (答复, `note` is the answer the reporter reads).
#[utoipa::path(post, path = "/api/v1/reports/{id}/{step}", tag = "reports",
    params(("id" = i64, Path), ("step" = String, Path, description = "accept | reject | route | verify | answer")),
    request_body = StepInput,
    responses((status = 200), (status = 403), (status = 404), (status = 409, description = "not allowed in the report's status"), (status = 422)))]
pub async fn step(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, step)): Path<(ReportId, String)>,
    ApiJson(input): ApiJson<StepInput>,
) -> AppResult<Json<Value>> {
    let step = parse_step(&step).ok_or(crate::error::AppError::NotFound)?;
    Ok(detail(
        handling::step(&state, &actor, id, step, &input).await?,
    ))
}

pub fn parse_step(s: &str) -> Option<Step> {
    Some(match s {
        "accept" => Step::Accept,
        "reject" => Step::Reject,
        "route" => Step::Route,
        "verify" => Step::Verify,
        "answer" => Step::Answer,
        _ => return None,
    })
}

/// A handler's message to the reporter.
#[utoipa::path(post, path = "/api/v1/reports/{id}/messages", tag = "reports", params(("id" = i64, Path)),
    request_body = MessageInput, responses((status = 200), (status = 403), (status = 404), (status = 422)))]
pub async fn message(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<MessageInput>,
) -> AppResult<Json<Value>> {
    Ok(detail(
        handling::staff_message(&state, &actor, id, &input).await?,
    ))
}

/// 身份披露: the reporter's identity, for the designated custodian only, with a reason; every
/// other caller gets 403 and an audit record.
#[utoipa::path(post, path = "/api/v1/reports/{id}/reveal", tag = "reports", params(("id" = i64, Path)),
    request_body = IdentityRevealInput,
    responses((status = 200, body = Identity), (status = 403), (status = 404), (status = 409, description = "an anonymous report"), (status = 422)))]
pub async fn reveal(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<IdentityRevealInput>,
) -> AppResult<Json<Identity>> {
    Ok(Json(handling::reveal(&state, &actor, id, &input).await?))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CustodianInput {
    #[serde(default)]
    pub username: String,
}

/// The city office designates an office account (never its own) as identity custodian.
#[utoipa::path(post, path = "/api/v1/report-custodians", tag = "reports", request_body = CustodianInput,
    responses((status = 204), (status = 403), (status = 422)))]
pub async fn designate(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CustodianInput>,
) -> AppResult<StatusCode> {
    handling::designate(&state, &actor, input.username.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// File `n` of a report, for its handlers only (the office in scope, the department it is
/// routed to): always a download, audited; never to the public, never in an export.
#[utoipa::path(get, path = "/api/v1/reports/{id}/attachments/{n}", tag = "reports", params(("id" = i64, Path), ("n" = i64, Path)),
    responses((status = 200, description = "the file (attachment)", content_type = "application/octet-stream"), (status = 401), (status = 403), (status = 404)))]
pub async fn attachment(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, n)): Path<(ReportId, i64)>,
) -> AppResult<axum::response::Response> {
    let (name, mime, bytes) = super::attachments::download(&state, &actor, id, n).await?;
    crate::files::download_response(&name, &mime, bytes)
}

/// 转办: hands the report to another department or territory's office, without the reporter's
/// identity unless a custodian includes it with a reason. The answer names the receiver and,
/// when the sender still sees the case, the report as it now stands (`report` null otherwise).
#[utoipa::path(post, path = "/api/v1/reports/{id}/transfer", tag = "reports", params(("id" = i64, Path)),
    request_body = TransferInput,
    responses((status = 200, description = "{\"to_org\", \"report\": detail | null}"), (status = 403, description = "no right to transfer, or to include the identity"),
              (status = 404), (status = 409, description = "not accepted nor being verified"), (status = 422)))]
pub async fn transfer(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<TransferInput>,
) -> AppResult<Json<Value>> {
    let (to, after) = super::transfer::transfer(&state, &actor, id, &input).await?;
    let report = after.map(|d| detail(d).0).unwrap_or(Value::Null);
    Ok(Json(json!({"to_org": to, "report": report})))
}

/// 延期申请: the department verifying the report asks for more time, with a reason.
#[utoipa::path(post, path = "/api/v1/reports/{id}/extension", tag = "reports", params(("id" = i64, Path)),
    request_body = ReportExtensionInput,
    responses((status = 200), (status = 403), (status = 404), (status = 409, description = "not being verified, a request pending, or none left"), (status = 422)))]
pub async fn extension(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<ReportExtensionInput>,
) -> AppResult<Json<Value>> {
    Ok(detail(
        super::extension::request(&state, &actor, id, &input).await?,
    ))
}

/// 延期审批: the office approves (the deadline moves) or refuses (with a note) the pending
/// request; never its requester.
#[utoipa::path(post, path = "/api/v1/reports/{id}/extension/decide", tag = "reports", params(("id" = i64, Path)),
    request_body = ExtensionDecisionInput,
    responses((status = 200), (status = 403), (status = 404), (status = 409, description = "nothing pending"), (status = 422)))]
pub async fn extension_decide(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<ExtensionDecisionInput>,
) -> AppResult<Json<Value>> {
    Ok(detail(
        super::extension::decide(&state, &actor, id, &input).await?,
    ))
}

/// 防刷验证 (no account): a signed proof-of-work challenge for the next report. Find a
/// `nonce` (letters and digits) such that SHA-256(`challenge:nonce`) starts with `bits` zero
/// bits, and send `pow: {challenge, nonce}` with the report before `expires_at`; each
/// challenge is accepted once.
#[utoipa::path(get, path = "/api/v1/public/reports/challenge", tag = "reports", security(()),
    responses((status = 200, body = Challenge)))]
pub async fn challenge(State(state): State<AppState>) -> Json<Challenge> {
    Json(super::pow::issue(&state))
}
