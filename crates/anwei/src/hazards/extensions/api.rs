//! JSON handlers of extension requests.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::model::{ExtensionDecision, ExtensionInput, ExtensionRow};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::{ExtensionId, HazardId};
use crate::state::AppState;
use crate::web::extract::ApiJson;

/// 申请延期: `{"deadline", "reason"}` — the enterprise or an inspector in scope, while the
/// hazard is open and no other request waits.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/extensions", tag = "hazards", params(("id" = i64, Path)), request_body = ExtensionInput,
    responses((status = 201, body = ExtensionRow), (status = 403, description = "not the enterprise nor an inspector in scope"), (status = 404),
              (status = 409, description = "closed, or a request already waits"), (status = 422, description = "a deadline not after the current one and today, or no reason")))]
pub async fn request(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
    ApiJson(input): ApiJson<ExtensionInput>,
) -> AppResult<(StatusCode, Json<ExtensionRow>)> {
    let e = service::request(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// The hazard's extension requests, newest first.
#[utoipa::path(get, path = "/api/v1/hazards/{id}/extensions", tag = "hazards", params(("id" = i64, Path)),
    responses((status = 200, description = "{\"items\": [ExtensionRow]}"), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
) -> AppResult<Json<serde_json::Value>> {
    let items = service::of_hazard(&state, &actor, id).await?;
    Ok(Json(serde_json::json!({ "items": items })))
}

/// 审批延期: `{"approve": true|false, "note"}` — the committee office, never the requester; a
/// refusal needs a note. Approving moves the hazard's deadline.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/extensions/{eid}/decide", tag = "hazards",
    params(("id" = i64, Path), ("eid" = i64, Path)), request_body = ExtensionDecision,
    responses((status = 200, body = ExtensionRow), (status = 403, description = "not the office, or the requester"),
              (status = 404, description = "no such request of this hazard in the caller's scope"),
              (status = 409, description = "already decided, or the hazard closed"), (status = 422, description = "a refusal without a note")))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, eid)): Path<(HazardId, ExtensionId)>,
    ApiJson(input): ApiJson<ExtensionDecision>,
) -> AppResult<Json<ExtensionRow>> {
    Ok(Json(
        service::decide(&state, &actor, id, eid, &input).await?,
    ))
}
