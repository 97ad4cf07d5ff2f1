//! JSON handlers of the reporting chain.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::model::{NoticeInput, RecordInput};
use super::service;
use super::views::HopStateView;
use crate::auth::model::Actor;
use crate::db::now_ms;
use crate::error::AppResult;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::extract::ApiJson;

/// 接报确认: the receiving level acknowledges its hop (`county`: an account of the accident's
/// county's office, departments or government; `city`: the city office) at the server's time.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/hops/{level}/acknowledge", tag = "accidents",
    params(("id" = i64, Path), ("level" = String, Path, description = "`county` or `city`")),
    responses((status = 200, body = HopStateView), (status = 403, description = "not an account of the receiving level"),
              (status = 404), (status = 409, description = "not in the chain, outside the platform, not started yet, or acknowledged already"),
              (status = 422, description = "an unknown level")))]
pub async fn acknowledge(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, level)): Path<(AccidentId, String)>,
) -> AppResult<Json<HopStateView>> {
    let hop = service::acknowledge(&state, &actor, id, &level).await?;
    Ok(Json(hop.view(now_ms())))
}

/// 上报记录: the city office records a hop outside the platform (`province`, `state_council`):
/// when it was sent, how, to whom, the receipt.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/hops/{level}/record", tag = "accidents",
    params(("id" = i64, Path), ("level" = String, Path, description = "`province` or `state_council`")),
    request_body = RecordInput,
    responses((status = 200, body = HopStateView), (status = 403, description = "not the city office"),
              (status = 404), (status = 409, description = "not in the chain, inside the platform, not started yet, or recorded already"),
              (status = 422)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, level)): Path<(AccidentId, String)>,
    ApiJson(input): ApiJson<RecordInput>,
) -> AppResult<Json<HopStateView>> {
    let hop = service::record(&state, &actor, id, &level, &input).await?;
    Ok(Json(hop.view(now_ms())))
}

/// 通知: records that a level which has the report notified 公安机关, 人社部门, 工会 or 人民检察院.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/notifications", tag = "accidents",
    params(("id" = i64, Path)), request_body = NoticeInput,
    responses((status = 204), (status = 403, description = "not an account of that level"), (status = 404),
              (status = 409, description = "the level has not had the report yet, or this notification is recorded already"),
              (status = 422)))]
pub async fn notice(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<NoticeInput>,
) -> AppResult<StatusCode> {
    service::notice(&state, &actor, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
