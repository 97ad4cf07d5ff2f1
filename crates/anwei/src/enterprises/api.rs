//! JSON handlers of the enterprise registry.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::model::{EnterpriseFilter, EnterpriseView, NewEnterpriseInput};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::OrgId;
use crate::state::AppState;
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
    Ok((StatusCode::CREATED, Json(e.view())))
}

/// Enterprises in scope. Filters: `region` (GB/T 2260 code, that region and below),
/// `industry` (`C` or `C26`), `q` (part of the name or credit code), `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises",
    params(("region" = Option<String>, Query), ("industry" = Option<String>, Query), ("q" = Option<String>, Query),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [EnterpriseView], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<EnterpriseFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list(&state, &actor, &f).await?;
    let items: Vec<EnterpriseView> = p.items.iter().map(|e| e.view()).collect();
    Ok(Json(
        json!({"items": items, "total": p.total, "page": p.page, "per_page": p.per_page}),
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
    Ok(Json(service::get(&state, &actor, id).await?.view()))
}
