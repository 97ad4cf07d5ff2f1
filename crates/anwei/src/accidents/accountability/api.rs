//! JSON handlers of accountability outcomes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::model::{OutcomeInput, OutcomeView};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::extract::ApiJson;

/// 追责问责: an outcome about a person or an organisation (党纪处分, 政务处分, 撤职, 罚款, 移送司法机关,
/// 刑事处罚) with its document number. Fines are checked against the accident's grade
/// (安全生产法 第九十五条, 第一百一十四条); 撤职, 刑事处罚 and principal responsibility for a 重大 /
/// 特别重大 accident register a ban.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/accountability", tag = "accidents", params(("id" = i64, Path)), request_body = OutcomeInput,
    responses((status = 201, body = OutcomeView), (status = 401), (status = 403, description = "only the committee office records"),
              (status = 404, description = "no such accident in the caller's scope"),
              (status = 422, description = "a field is wrong: a fine outside the grade's range, a principal's fine not the grade's share of the income, a missing ID number or penalty end …")))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> AppResult<(StatusCode, Json<OutcomeView>)> {
    let row = service::record(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(row.view())))
}

/// The accountability outcomes of an accident in scope (office, 纪检监察, leaders).
#[utoipa::path(get, path = "/api/v1/accidents/{id}/accountability", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = [OutcomeView]), (status = 401), (status = 403), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Json<Vec<OutcomeView>>> {
    let rows = service::list(&state, &actor, id).await?;
    Ok(Json(rows.iter().map(|r| r.view()).collect()))
}
