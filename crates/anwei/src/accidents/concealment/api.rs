//! JSON handlers of concealment cases (疑似瞒报案件).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::model::{ConcealmentCaseInput, ConcealmentVerifyInput};
use super::service::{self, CaseQuery};
use super::views::ConcealmentCaseView;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Q};

/// 立案: a lead that an accident was concealed (瞒报), falsely reported (谎报) or reported
/// without required contents (漏报) opens a case, listed for supervision one level up.
#[utoipa::path(post, path = "/api/v1/concealment-cases", tag = "accidents", request_body = ConcealmentCaseInput,
    responses((status = 201, body = ConcealmentCaseView),
              (status = 403, description = "only committee offices and supervising departments open cases"),
              (status = 404, description = "the named accident or enterprise is missing or outside the caller's scope"),
              (status = 422, description = "an unknown source, a territory outside the caller's scope, a time in the future, a negative count …")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ConcealmentCaseInput>,
) -> AppResult<(StatusCode, Json<ConcealmentCaseView>)> {
    let c = service::open(&state, &actor, &input).await?;
    let may = service::supervises(&actor, &c);
    Ok((StatusCode::CREATED, Json(c.view(may))))
}

/// Cases in the caller's scope, the newest first. Filters: `status` (open|verified|unfounded),
/// `region_code`, `supervised_by_me` (true: those the caller's office supervises).
#[utoipa::path(get, path = "/api/v1/concealment-cases", tag = "accidents",
    params(("status" = Option<String>, Query), ("region_code" = Option<String>, Query), ("supervised_by_me" = Option<bool>, Query)),
    responses((status = 200, description = "{\"items\": [ConcealmentCaseView]}"), (status = 401), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<CaseQuery>,
) -> AppResult<Json<Value>> {
    let rows = service::list(&state, &actor, &q).await?;
    let items: Vec<ConcealmentCaseView> = rows
        .iter()
        .map(|c| c.view(service::supervises(&actor, c) && !actor.is_read_only()))
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// One case in scope.
#[utoipa::path(get, path = "/api/v1/concealment-cases/{id}", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = ConcealmentCaseView), (status = 401), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<ConcealmentCaseView>> {
    let (c, may) = service::get(&state, &actor, id).await?;
    Ok(Json(c.view(may)))
}

/// 核实, by the supervising office only: `concealed` creates the accident with the verified
/// figures, `falsified` adds a version with them (earlier ones kept, regraded), `omitted` names
/// the missing contents, `unfounded` closes the case; the first three flag the accident.
#[utoipa::path(post, path = "/api/v1/concealment-cases/{id}/verify", tag = "accidents", params(("id" = i64, Path)),
    request_body = ConcealmentVerifyInput,
    responses((status = 200, body = ConcealmentCaseView),
              (status = 403, description = "not the supervising office (the office one level up)"),
              (status = 404), (status = 409, description = "the case is closed already"),
              (status = 422, description = "an unknown outcome, figures missing or not worse than reported, an unknown content …")))]
pub async fn verify(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ConcealmentVerifyInput>,
) -> AppResult<Json<ConcealmentCaseView>> {
    let c = super::verify::verify(&state, &actor, id, &input).await?;
    Ok(Json(c.view(false)))
}
