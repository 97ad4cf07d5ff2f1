//! JSON handlers of investigations.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::model::{
    AppraisalInput, InvestigationDecisionInput, InvestigationExtensionInput,
    InvestigationOpenInput, InvestigationReportInput, InvestigationView,
};
use super::service::{self, Loaded};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::extract::ApiJson;

fn view(l: &Loaded) -> InvestigationView {
    l.view(crate::time::today())
}

/// 事故调查: open the investigation with its team; the lead level follows the grade and the
/// report is due 60 days from the accident.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation", tag = "accidents", params(("id" = i64, Path)), request_body = InvestigationOpenInput,
    responses((status = 201, body = InvestigationView), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "already open"), (status = 422, description = "no team, or a member without a name")))]
pub async fn open(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<InvestigationOpenInput>,
) -> AppResult<(StatusCode, Json<InvestigationView>)> {
    let l = service::open(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&l))))
}

/// The investigation of an accident in scope, with its due dates and whether it is overdue.
#[utoipa::path(get, path = "/api/v1/accidents/{id}/investigation", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = InvestigationView), (status = 401), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Json<InvestigationView>> {
    Ok(Json(view(&service::get(&state, &actor, id).await?)))
}

/// An extension request (at most 60 days in all), decided by someone else.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation/extension", tag = "accidents", params(("id" = i64, Path)), request_body = InvestigationExtensionInput,
    responses((status = 200, body = InvestigationView), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "one is pending, or the investigation is not open"), (status = 422)))]
pub async fn request_extension(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<InvestigationExtensionInput>,
) -> AppResult<Json<InvestigationView>> {
    Ok(Json(view(
        &service::request_extension(&state, &actor, id, &input).await?,
    )))
}

/// Approve or refuse the pending extension request (never one's own).
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation/extension/decision", tag = "accidents", params(("id" = i64, Path)), request_body = InvestigationDecisionInput,
    responses((status = 200, body = InvestigationView), (status = 401), (status = 403, description = "one's own request"), (status = 404),
              (status = 409, description = "no request pending")))]
pub async fn decide_extension(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<InvestigationDecisionInput>,
) -> AppResult<Json<InvestigationView>> {
    Ok(Json(view(
        &service::decide_extension(&state, &actor, id, &input).await?,
    )))
}

/// Submit the investigation report with its responsibility findings (责任认定).
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation/report", tag = "accidents", params(("id" = i64, Path)), request_body = InvestigationReportInput,
    responses((status = 200, body = InvestigationView), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "not open"), (status = 422)))]
pub async fn submit_report(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<InvestigationReportInput>,
) -> AppResult<Json<InvestigationView>> {
    Ok(Json(view(
        &service::submit_report(&state, &actor, id, &input).await?,
    )))
}

/// Approve (批复) the submitted report — never by its submitter; due 15 days after submission
/// (30 for 特别重大).
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation/approval", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = InvestigationView), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "no report submitted")))]
pub async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Json<InvestigationView>> {
    Ok(Json(view(&service::approve(&state, &actor, id).await?)))
}

/// 技术鉴定: record a period of technical appraisal (first and last day, what, by whom); its
/// days are not counted in the investigation's time, so the report's due date moves by them.
/// Only the office that opened the investigation records it, while it is open.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/investigation/appraisals", tag = "accidents", params(("id" = i64, Path)), request_body = AppraisalInput,
    responses((status = 201, body = InvestigationView), (status = 401),
              (status = 403, description = "may not manage investigations, or not the office that opened it"), (status = 404),
              (status = 409, description = "the investigation is not open"),
              (status = 422, description = "a date not YYYY-MM-DD, before the opening or after today, an end before the start, a period overlapping another, no subject or appraiser")))]
pub async fn record_appraisal(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<AppraisalInput>,
) -> AppResult<(StatusCode, Json<InvestigationView>)> {
    let l = service::record_appraisal(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&l))))
}
