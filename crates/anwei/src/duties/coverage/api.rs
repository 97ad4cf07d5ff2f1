//! JSON handlers of 分片包保 coverage.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::model::{CoverageInput, CoverageQuery, CoverageView};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q};

/// 分片包保 (committee office): assigns an area to a standing-committee member or the
/// principal of a party committee in scope, `{"position", "area_kind": "region"|"sector",
/// "area_code", "note"}`. A region must lie in the office's scope.
#[utoipa::path(post, path = "/api/v1/duties/coverage", tag = "duties", request_body = CoverageInput,
    responses((status = 201, description = "{\"id\": n}"), (status = 401), (status = 403, description = "not the committee office"),
              (status = 404, description = "position unknown or out of scope"), (status = 409, description = "already assigned"), (status = 422)))]
pub async fn assign(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CoverageInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let id = service::assign(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// Removes an assignment (committee office, in scope).
#[utoipa::path(delete, path = "/api/v1/duties/coverage/{id}", tag = "duties", params(("id" = i64, Path)),
    responses((status = 204), (status = 401), (status = 403, description = "not the committee office"), (status = 404)))]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::remove(&state, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The coverage view of `quarter` (`2026Q4`; default the current quarter): per assigned area
/// in scope, who covers it, when each last led an inspection (or tour) there up to the end of
/// the quarter, and whether anyone did inside the quarter. Unvisited areas first.
#[utoipa::path(get, path = "/api/v1/duties/coverage", tag = "duties", params(("quarter" = Option<String>, Query)),
    responses((status = 200, body = CoverageView), (status = 401), (status = 422, description = "quarter not a quarter")))]
pub async fn view(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<CoverageQuery>,
) -> AppResult<Json<CoverageView>> {
    Ok(Json(
        service::view(&state, &actor, q.quarter.as_deref(), ctx.lang).await?,
    ))
}
