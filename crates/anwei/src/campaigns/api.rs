//! JSON handlers of campaigns, and their xlsx exports.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::model::{CampaignRow, NewCampaignInput};
use super::service::{self, Checklist};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::CampaignId;
use crate::state::AppState;
use crate::web::extract::ApiJson;

pub fn checklist_json(c: &Checklist) -> Value {
    json!({
        "campaign": c.campaign, "departments": c.departments, "checklist": c.items,
        "coverage": {"total": c.total, "by_department": c.by_department, "by_territory": c.by_territory},
    })
}

/// Creates a campaign (大检查, 专项整治, 打非治违) over the calling office's region: the city office
/// for the city, a county office for its county only.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns", request_body = NewCampaignInput,
    responses((status = 201, body = CampaignRow), (status = 403, description = "not a committee office, or a region outside its own"),
              (status = 422, description = "a field is wrong: the window, an industry, a place type, a department")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewCampaignInput>,
) -> AppResult<(StatusCode, Json<CampaignRow>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::create(&state, &actor, &input).await?),
    ))
}

/// The campaigns that reach the caller's region, the latest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns",
    responses((status = 200, description = "{\"items\": [CampaignRow]}"), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    Ok(Json(json!({"items": service::list(&state, &actor).await?})))
}

/// A campaign with its checklist (the enterprises in its scope and the caller's, each with its
/// departments and the day it was first inspected) and coverage per department and territory.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = i64, Path)),
    responses((status = 200, description = "{\"campaign\", \"departments\", \"checklist\", \"coverage\": {\"total\", \"by_department\", \"by_territory\"}}"),
              (status = 401), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<CampaignId>,
) -> AppResult<Json<Value>> {
    Ok(Json(checklist_json(
        &service::checklist(&state, &actor, id).await?,
    )))
}

/// 责任清单 (xlsx): per participating department and territory, the enterprises in scope and
/// whether inspected.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/responsibility.xlsx", tag = "campaigns", params(("id" = i64, Path)),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 404)))]
pub async fn responsibility(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<CampaignId>,
) -> AppResult<Response> {
    let (bytes, title) = super::export::responsibility(&state, &actor, id).await?;
    crate::supervision::ledger::xlsx_download(
        bytes,
        &format!("{title}.xlsx"),
        &format!("campaign-{id}-responsibility.xlsx"),
    )
}

/// 重大风险隐患清单及整改情况 (xlsx): the major hazards found in the campaign's scope and window,
/// with their rectification.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/hazards.xlsx", tag = "campaigns", params(("id" = i64, Path)),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 404)))]
pub async fn hazards(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<CampaignId>,
) -> AppResult<Response> {
    let (bytes, title) = super::export::hazards(&state, &actor, id).await?;
    crate::supervision::ledger::xlsx_download(
        bytes,
        &format!("{title}.xlsx"),
        &format!("campaign-{id}-hazards.xlsx"),
    )
}
