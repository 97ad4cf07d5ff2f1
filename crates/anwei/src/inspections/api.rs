//! JSON handlers of inspections.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::model::{InspectionFilter, NewInspectionInput};
use super::service::{self, Detail};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::hazards::model::{HazardView, NewHazardInput};
use crate::ids::InspectionId;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Q};

pub fn detail_json(d: &Detail) -> Value {
    let today = crate::time::today();
    let hazards: Vec<HazardView> = d.hazards.iter().map(|h| h.view(today)).collect();
    json!({
        "inspection": d.inspection, "officers": d.officers, "hazards": hazards,
        "activity_id": d.activity_id, "can_add_hazards": d.can_add_hazards,
    })
}

/// 检查记录: records an inspection. With `leader_position` it is also that position's duty
/// record (`led_inspection`, `activity_id` in the answer).
#[utoipa::path(post, path = "/api/v1/inspections", tag = "inspections", request_body = NewInspectionInput,
    responses((status = 201, description = "{\"inspection\", \"officers\", \"hazards\", \"activity_id\", \"can_add_hazards\"}"),
              (status = 403, description = "may not record inspections, or for another organisation"),
              (status = 404, description = "no such enterprise in the caller's scope"),
              (status = 422, description = "a field is wrong: fewer than two officers for an enforcement inspection, a day in the future, outside the campaign's window or scope …")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewInspectionInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let row = service::create(&state, &actor, &input).await?;
    let d = service::get(&state, &actor, row.id).await?;
    Ok((StatusCode::CREATED, Json(detail_json(&d))))
}

/// Inspections in scope, the latest first. Filters: `enterprise` (id), `campaign` (id),
/// `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/inspections", tag = "inspections",
    params(("enterprise" = Option<i64>, Query), ("campaign" = Option<i64>, Query), ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [InspectionRow], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<InspectionFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list(&state, &actor, &f).await?;
    Ok(Json(
        json!({"items": p.items, "total": p.total, "page": p.page, "per_page": p.per_page}),
    ))
}

/// One inspection with its officers, the hazards it found and the duty record it is the
/// evidence of.
#[utoipa::path(get, path = "/api/v1/inspections/{id}", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<InspectionId>,
) -> AppResult<Json<Value>> {
    Ok(Json(detail_json(&service::get(&state, &actor, id).await?)))
}

/// Registers a hazard the inspection found (the fields of `POST /api/v1/hazards`, JSON or
/// multipart with photos; the enterprise is the inspection's).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/hazards", tag = "inspections", params(("id" = i64, Path)), request_body = NewHazardInput,
    responses((status = 201, body = HazardView), (status = 403, description = "not the inspecting organisation (nor the office)"), (status = 404), (status = 422)))]
pub async fn add_hazard(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<InspectionId>,
    req: Request,
) -> AppResult<(StatusCode, Json<HazardView>)> {
    let (mut input, photos) = crate::files::read_form::<NewHazardInput>(req, &state).await?;
    let d = service::get(&state, &actor, id).await?;
    input.inspection_id = Some(id.get());
    input.enterprise_id = d.inspection.enterprise_id.get();
    let h = crate::hazards::service::create(&state, &actor, &input, photos).await?;
    Ok((StatusCode::CREATED, Json(h.view(crate::time::today()))))
}
