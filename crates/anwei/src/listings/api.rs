//! JSON handlers of listed supervision (挂牌督办).

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::model::{
    DelistInput, ListingFilter, ListingInput, ListingView, ProgressInput, ProgressRow,
    ReferralInput, StopOrderInput,
};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::{FileId, ListingId};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Q};

/// 挂牌: lists a major hazard in the office's scope.
#[utoipa::path(post, path = "/api/v1/listings", tag = "listings", request_body = ListingInput,
    responses((status = 201, body = ListingView), (status = 403, description = "only the committee office lists"),
              (status = 404, description = "no such hazard in the caller's scope"),
              (status = 409, description = "the hazard is closed, or listed already"),
              (status = 422, description = "a general hazard, a notice number taken, a deadline before today, a responsible unit not in scope …")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ListingInput>,
) -> AppResult<(StatusCode, Json<ListingView>)> {
    let v = service::create(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The supervision board: listings in scope with their light (`red`: the deadline passed or
/// a month's progress is missing; `green`; `grey`: delisted), the active first. Filters:
/// `status` (active|delisted), `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/listings", tag = "listings",
    params(("status" = Option<String>, Query), ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [ListingView], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<ListingFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list(&state, &actor, &f).await?;
    Ok(Json(
        json!({"items": p.items, "total": p.total, "page": p.page, "per_page": p.per_page}),
    ))
}

/// One listing with its progress reports, its files and what the caller may do.
#[utoipa::path(get, path = "/api/v1/listings/{id}", tag = "listings", params(("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ListingId>,
) -> AppResult<Json<Value>> {
    let d = service::get(&state, &actor, id).await?;
    Ok(Json(json!({
        "listing": d.listing, "progress": d.progress, "files": d.files,
        "can_report": d.can_report, "can_delist": d.can_delist, "can_order": d.can_order,
    })))
}

/// 月度进展: JSON `{"text"}`, or multipart `text` and `files`; one a month.
#[utoipa::path(post, path = "/api/v1/listings/{id}/progress", tag = "listings", params(("id" = i64, Path)), request_body = ProgressInput,
    responses((status = 201, body = ProgressRow), (status = 403, description = "neither the enterprise nor the responsible unit"), (status = 404),
              (status = 409, description = "reported already this month, or delisted"), (status = 422)))]
pub async fn progress(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ListingId>,
    req: Request,
) -> AppResult<(StatusCode, Json<ProgressRow>)> {
    let (input, files) = crate::files::read_form::<ProgressInput>(req, &state).await?;
    let p = service::report(&state, &actor, id, &input, files).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// 摘牌: multipart `note` and `files` (at least one evidence file); the hazard must be closed.
#[utoipa::path(post, path = "/api/v1/listings/{id}/delist", tag = "listings", params(("id" = i64, Path)), request_body = DelistInput,
    responses((status = 200, body = ListingView), (status = 403, description = "not the office that listed it"), (status = 404),
              (status = 409, description = "the hazard is not closed, or delisted already"), (status = 422, description = "a note and at least one evidence file are required")))]
pub async fn delist(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ListingId>,
    req: Request,
) -> AppResult<Json<ListingView>> {
    let (input, files) = crate::files::read_form::<DelistInput>(req, &state).await?;
    Ok(Json(
        service::delist(&state, &actor, id, &input, files).await?,
    ))
}

/// 停产停工: records a stop-production order (document number, date); once per listing.
#[utoipa::path(post, path = "/api/v1/listings/{id}/stop-order", tag = "listings", params(("id" = i64, Path)), request_body = StopOrderInput,
    responses((status = 200, body = ListingView), (status = 403, description = "only the committee office"), (status = 404),
              (status = 409, description = "recorded already, or delisted"), (status = 422)))]
pub async fn stop_order(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ListingId>,
    ApiJson(input): ApiJson<StopOrderInput>,
) -> AppResult<Json<ListingView>> {
    Ok(Json(service::stop_order(&state, &actor, id, &input).await?))
}

/// 移送司法机关: sets the referral flag (刑法第一百三十四条之一 危险作业罪) with a note.
#[utoipa::path(post, path = "/api/v1/listings/{id}/referral", tag = "listings", params(("id" = i64, Path)), request_body = ReferralInput,
    responses((status = 200, body = ListingView), (status = 403, description = "only the committee office"), (status = 404),
              (status = 409, description = "referred already, or delisted"), (status = 422)))]
pub async fn referral(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ListingId>,
    ApiJson(input): ApiJson<ReferralInput>,
) -> AppResult<Json<ListingView>> {
    Ok(Json(service::refer(&state, &actor, id, &input).await?))
}

/// A progress or delisting file: always a download.
#[utoipa::path(get, path = "/api/v1/listing-files/{id}", tag = "listings", params(("id" = i64, Path)),
    responses((status = 200, description = "the file (attachment)", content_type = "application/octet-stream"), (status = 401), (status = 403), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<FileId>,
) -> AppResult<Response> {
    let (name, mime, bytes) = service::file(&state, &actor, id).await?;
    crate::files::download_response(&name, &mime, bytes)
}
