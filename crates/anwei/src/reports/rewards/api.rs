//! JSON handlers of rewards: the proposal and decision on a report, the payout by code, the
//! ledger and its budget lines.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::model::{BudgetInput, DecideInput, LedgerFilter, PayoutInput, ProposeInput};
use super::{ledger, service};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::i18n::t;
use crate::ids::ReportId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q};

/// 奖励建议: the reward of a verified (属实 / 部分属实) report proposed by the configured rule
/// (`basis` `fine` with `fine_yuan`, or `concealed_accident` with `grade` and `deaths`); the
/// answer is the amount and the rule that produced it. A new proposal replaces an undecided
/// one.
#[utoipa::path(post, path = "/api/v1/reports/{id}/reward", tag = "reports", params(("id" = i64, Path)),
    request_body = ProposeInput,
    responses((status = 201, description = "{\"amount_yuan\", \"amount_fen\", \"rule\", \"rule_text\", \"status\"}"),
              (status = 403), (status = 404),
              (status = 409, description = "the case is not verified true or partly true, or the reward was decided"),
              (status = 422)))]
pub async fn propose(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<ProposeInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let w = service::propose(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(service::proposal_view(&w))))
}

/// 奖励审批: the office approves the proposal (`decision` `approve`) or adjusts it (`adjust`,
/// with `amount_yuan` and `reason`); never the proposer (403, audited). Approval issues the
/// payout code, which only the reporter's follow-up shows.
#[utoipa::path(post, path = "/api/v1/reports/{id}/reward/decide", tag = "reports", params(("id" = i64, Path)),
    request_body = DecideInput,
    responses((status = 200, description = "the reward as staff see it (never the payout code)"),
              (status = 403, description = "no permission, or the decider proposed it"), (status = 404),
              (status = 409, description = "decided already"), (status = 422)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<DecideInput>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        service::decide(&state, &actor, id, &input).await?.view(),
    ))
}

/// 兑付: the payout recorded against the payout code the reporter presents, once; no identity
/// needed. A wrong code and a missing one are the same 404.
#[utoipa::path(post, path = "/api/v1/rewards/payouts", tag = "reports", request_body = PayoutInput,
    responses((status = 200, description = "the reward as staff see it"), (status = 403), (status = 404),
              (status = 409, description = "paid already"), (status = 422)))]
pub async fn pay(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<PayoutInput>,
) -> AppResult<Json<Value>> {
    Ok(Json(service::pay(&state, &actor, &input).await?.view()))
}

/// 举报奖励台账: per territory in scope, the year's budget line, what was approved (by the
/// year of approval), paid and outstanding. `year` defaults to this year.
#[utoipa::path(get, path = "/api/v1/rewards/ledger", tag = "reports",
    params(("year" = Option<i64>, Query), ("region_code" = Option<String>, Query)),
    responses((status = 200), (status = 401), (status = 403), (status = 422)))]
pub async fn ledger(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<LedgerFilter>,
) -> AppResult<Json<Value>> {
    Ok(Json(ledger::ledger(&state, &actor, &f).await?.view()))
}

/// The ledger as an xlsx workbook; filters as `GET /api/v1/rewards/ledger`.
#[utoipa::path(get, path = "/api/v1/rewards/ledger.xlsx", tag = "reports",
    params(("year" = Option<i64>, Query), ("region_code" = Option<String>, Query)),
    responses((status = 200, description = "xlsx workbook (attachment)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 422)))]
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<LedgerFilter>,
) -> AppResult<Response> {
    let bytes = ledger::export(&state, &actor, &f, ctx.lang).await?;
    let day = crate::time::today();
    let name = format!("{}-{day}.xlsx", t(ctx.lang, "rewards.ledger_title"));
    crate::supervision::ledger::xlsx_download(bytes, &name, &format!("reward-ledger-{day}.xlsx"))
}

/// 举报奖励资金: the budget line of a territory in scope for a year (set or replaced).
#[utoipa::path(put, path = "/api/v1/rewards/budget", tag = "reports", request_body = BudgetInput,
    responses((status = 204), (status = 403), (status = 422)))]
pub async fn budget(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<BudgetInput>,
) -> AppResult<StatusCode> {
    ledger::set_budget(&state, &actor, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
