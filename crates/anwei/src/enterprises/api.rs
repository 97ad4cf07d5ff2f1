//! JSON handlers of the enterprise registry.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::model::{
    EnterpriseFilter, EnterprisePatch, EnterpriseView, LeadInput, NewEnterpriseInput,
    PlaceTypesInput, RevealInput,
};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::OrgId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q};

/// Adds an enterprise (its organisation, coded by the credit code, and its profile).
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "enterprises", request_body = NewEnterpriseInput,
    responses((status = 201, body = EnterpriseView), (status = 403, description = "may not add enterprises, or the region lies outside the caller's scope"),
              (status = 422, description = "a wrong check character, an unknown industry or region, a credit code taken")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewEnterpriseInput>,
) -> AppResult<(StatusCode, Json<EnterpriseView>)> {
    let e = service::create_from(&state, &actor, &input).await?;
    let d = service::get(&state, &actor, e.org_id).await?;
    Ok((StatusCode::CREATED, Json(d.view)))
}

/// Enterprises in scope, each with its supervising departments, the lead department named
/// and whether it is a supervision gap. Filters: `region` (GB/T 2260 code, that region and
/// below), `industry` (`C` or `C26`), `q` (part of the name or credit code), `gap` (true: the
/// supervision-gap list), `page`, `per_page`. A department sees the enterprises it supervises.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises",
    params(("region" = Option<String>, Query), ("industry" = Option<String>, Query), ("q" = Option<String>, Query), ("gap" = Option<String>, Query),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [EnterpriseView], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<EnterpriseFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list(&state, &actor, &f).await?;
    Ok(Json(
        json!({"items": p.items, "total": p.total, "page": p.page, "per_page": p.per_page}),
    ))
}

/// One enterprise.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseView), (status = 401), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
) -> AppResult<Json<EnterpriseView>> {
    Ok(Json(service::get(&state, &actor, id).await?.view))
}

/// Every lead-department decision about the enterprise, the latest (the one in force) first.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/leads", tag = "enterprises", params(("id" = i64, Path)),
    responses((status = 200, description = "{\"items\": [{department_code, department_name, principle, reason, decided_by_name, decided_at}]}"), (status = 401), (status = 404)))]
pub async fn leads(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        json!({"items": service::get(&state, &actor, id).await?.leads}),
    ))
}

/// 谁主管谁牵头、谁为主谁牵头、谁靠近谁牵头: the government (the office, a territory) names the
/// department that leads the supervision of an enterprise; the decision and its reason are kept.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/lead", tag = "enterprises", params(("id" = i64, Path)), request_body = LeadInput,
    responses((status = 200, body = EnterpriseView), (status = 403, description = "not the government (a department never names the lead)"), (status = 404),
              (status = 422, description = "unknown principle, no reason, or a department that is not current or not at the enterprise's region")))]
pub async fn name_lead(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
    ApiJson(input): ApiJson<LeadInput>,
) -> AppResult<Json<EnterpriseView>> {
    Ok(Json(
        service::name_lead(&state, &actor, id, &input).await?.view,
    ))
}

/// Reveals the principal's full ID number to the office, a department or a territory in scope,
/// with a reason; every reveal is audited (the reason, never the number).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/principal-id", tag = "enterprises", params(("id" = i64, Path)), request_body = RevealInput,
    responses((status = 200, description = "{\"principal_id_number\"}"), (status = 403, description = "a role that sees it masked only"), (status = 404),
              (status = 409, description = "none recorded"), (status = 422, description = "a reason is required")))]
pub async fn reveal_principal_id(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
    ApiJson(input): ApiJson<RevealInput>,
) -> AppResult<Json<Value>> {
    let n = service::reveal_principal_id(&state, &actor, id, &input).await?;
    Ok(Json(json!({"principal_id_number": n})))
}

/// Sets the enterprise's place types (人员密集场所, 高层建筑, 自建房, 群租房, 新业态 …), replacing
/// them; they decide which campaigns' checklists it is on.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}/place-types", tag = "enterprises", params(("id" = i64, Path)), request_body = PlaceTypesInput,
    responses((status = 200, body = EnterpriseView), (status = 403), (status = 404), (status = 422, description = "an unknown place type")))]
pub async fn set_place_types(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
    ApiJson(input): ApiJson<PlaceTypesInput>,
) -> AppResult<Json<EnterpriseView>> {
    Ok(Json(
        service::set_place_types(&state, &actor, id, &input).await?,
    ))
}

/// Changes an enterprise: the fields sent (absent ones stay), each checked as on create. The
/// credit code cannot change; a principal's ID number sent is sealed again (blank removes it).
/// Audited with the names of the changed fields.
#[utoipa::path(patch, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = i64, Path)), request_body = EnterprisePatch,
    responses((status = 200, body = EnterpriseView), (status = 403, description = "may not change enterprises, or the new region lies outside the caller's scope"), (status = 404),
              (status = 422, description = "a field as on create, or a different credit code")))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
    ApiJson(input): ApiJson<EnterprisePatch>,
) -> AppResult<Json<EnterpriseView>> {
    super::edit::update(&state, &actor, id, &input).await?;
    Ok(Json(service::get(&state, &actor, id).await?.view))
}

/// Imports enterprises from an xlsx (multipart `file`, filled in from
/// `GET /api/v1/enterprises/import-template.xlsx`: a header row of Chinese column names, one
/// enterprise a row, at most 100,000). Every row is checked as on create; all or nothing.
#[utoipa::path(post, path = "/api/v1/enterprises/import", tag = "enterprises",
    responses((status = 201, description = "{\"enterprises\": n}"), (status = 403),
              (status = 422, description = "{\"errors\": [{\"row\", \"column\", \"field\", \"message\"}]} — every problem, nothing stored; or a `file` field error (not an xlsx, too large)")))]
pub async fn import(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    super::import::may_import(&state, &actor).await?;
    let bytes = crate::files::xlsx::read_upload(req, &state).await?;
    match super::import::import(&state, &actor, &bytes).await? {
        super::import::Outcome::Imported { enterprises } => Ok((
            StatusCode::CREATED,
            Json(json!({"enterprises": enterprises})),
        )
            .into_response()),
        super::import::Outcome::Refused(p) => Ok(crate::files::xlsx::refused(&p, ctx.lang)),
    }
}

/// The enterprise import's template: the header row (required columns marked `*`, every column
/// formatted as text so codes keep their digits) and a sheet explaining the columns.
#[utoipa::path(get, path = "/api/v1/enterprises/import-template.xlsx", tag = "enterprises",
    responses((status = 200, description = "the xlsx template"), (status = 401)))]
pub async fn import_template(_actor: Actor) -> AppResult<Response> {
    crate::files::download_response(
        "企业导入模板.xlsx",
        crate::orgs::api::XLSX,
        super::import::template()?,
    )
}
