//! JSON handlers of organisations and regions, over the same service functions as the pages.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::model::{NewOrgInput, OrgFilter, OrgView, RenameInput};
use super::{service, townships};
use crate::act::Act;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q};

/// Organisations in the caller's scope, a page at a time. Filters: `q`, `kind`, `region` (the
/// organisations of that one region: with `GET /api/v1/regions?parent=` the tree loads a
/// region at a time), `level`, `supervising=true`, `include_retired=true`. Enterprises are
/// listed only with `include_enterprises=true`, `kind=enterprise` or a search `q` (the
/// registry, `GET /api/v1/enterprises`, lists them by region). `page` (from 1), `per_page`
/// (1–1000, default 1000).
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs",
    params(("q" = Option<String>, Query), ("kind" = Option<String>, Query), ("region" = Option<String>, Query), ("level" = Option<String>, Query), ("supervising" = Option<bool>, Query), ("include_retired" = Option<bool>, Query),
           ("include_enterprises" = Option<bool>, Query), ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [Org], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 403), (status = 422)))]
pub async fn api_list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<OrgFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list_page(&state, &actor, &f, true).await?;
    let items: Vec<OrgView> = p.rows.iter().map(|r| r.view(ctx.lang)).collect();
    Ok(Json(
        json!({"items": items, "total": p.total, "page": p.page, "per_page": p.per_page}),
    ))
}

/// One organisation with its children, positions and name history.
#[utoipa::path(get, path = "/api/v1/orgs/{code}", tag = "orgs", params(("code" = String, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn api_get(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let d = service::get(&state, &actor, &code).await?;
    let positions = crate::people::service::positions_of_org(&state, &actor, &code)
        .await
        .unwrap_or_default();
    Ok(Json(json!({
        "org": d.org.view(ctx.lang),
        "children": d.children.iter().map(|c| c.view(ctx.lang)).collect::<Vec<_>>(),
        "name_history": d.history,
        "positions": positions,
    })))
}

/// Create an organisation (committee office, administrator).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrgInput, responses((status = 201), (status = 403), (status = 422)))]
pub async fn api_create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    ApiJson(input): ApiJson<NewOrgInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let cmd = input.parse()?;
    let code = service::create(&state, &actor, cmd).await?;
    let d = service::get(&state, &actor, &code).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"org": d.org.view(ctx.lang)})),
    ))
}

/// Rename; the old name stays in the history and records stay attached.
#[utoipa::path(post, path = "/api/v1/orgs/{code}/rename", tag = "orgs", params(("code" = String, Path)), request_body = RenameInput, responses((status = 200), (status = 403), (status = 404), (status = 422)))]
pub async fn api_rename(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(f): ApiJson<RenameInput>,
) -> AppResult<Json<Value>> {
    let mut act = Act::begin(&state, &actor).await?;
    service::rename(&mut act, &code, &f.name).await?;
    act.commit().await?;
    Ok(Json(json!({"ok": true})))
}

/// Retire an organisation (it keeps its records).
#[utoipa::path(post, path = "/api/v1/orgs/{code}/retire", tag = "orgs", params(("code" = String, Path)), responses((status = 200), (status = 403), (status = 404), (status = 409)))]
pub async fn api_retire(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let mut act = Act::begin(&state, &actor).await?;
    service::retire(&mut act, &code).await?;
    act.commit().await?;
    Ok(Json(json!({"ok": true})))
}

/// Regions in the caller's scope (GB/T 2260 codes; internal codes for the two zones; 12-digit
/// 统计用区划代码 for townships). `parent`: only the regions directly below that one.
#[utoipa::path(get, path = "/api/v1/regions", tag = "orgs", params(("parent" = Option<String>, Query)), responses((status = 200), (status = 401)))]
pub async fn api_regions(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<RegionFilter>,
) -> AppResult<Json<Value>> {
    let mut regions = service::regions(&state, &actor).await?;
    if let Some(parent) = f.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        let id = regions.iter().find(|r| r.code == parent).map(|r| r.id);
        regions.retain(|r| id.is_some() && r.parent_id == id);
    }
    Ok(Json(json!({"items": regions})))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct RegionFilter {
    pub parent: Option<String>,
}

/// Imports 乡镇、街道 under the counties (multipart `file`: an xlsx with the columns 统计用区划代码
/// and 名称; the template is `GET /api/v1/regions/townships/import-template.xlsx`). The city's
/// committee office only. All or nothing: any bad row is a 422 listing every problem by row
/// and column, and nothing is stored.
#[utoipa::path(post, path = "/api/v1/regions/townships/import", tag = "orgs",
    responses((status = 200, description = "{\"added\", \"renamed\", \"unchanged\"}"), (status = 403, description = "not the city's committee office"),
              (status = 422, description = "{\"errors\": [{\"row\", \"column\", \"field\", \"message\"}]} or a `file` field error (not an xlsx, too large)")))]
pub async fn import_townships(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    townships::may_import(&state, &actor).await?;
    let bytes = crate::files::xlsx::read_upload(req, &state).await?;
    match townships::import(&state, &actor, &bytes).await? {
        townships::Outcome::Imported(c) => Ok(Json(json!(c)).into_response()),
        townships::Outcome::Refused(p) => Ok(crate::files::xlsx::refused(&p, ctx.lang)),
    }
}

/// The township import's template (xlsx: the header row, and a sheet explaining the columns).
#[utoipa::path(get, path = "/api/v1/regions/townships/import-template.xlsx", tag = "orgs",
    responses((status = 200, description = "the xlsx template"), (status = 401)))]
pub async fn township_template(_actor: Actor) -> AppResult<Response> {
    crate::files::download_response("乡镇街道导入模板.xlsx", XLSX, townships::template()?)
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
