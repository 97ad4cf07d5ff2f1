//! JSON and xlsx handlers of the dashboards.

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use super::model::{Stats, StatsFilter};
use super::{export, service};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::hazards::model::HazardFilter;
use crate::i18n::t;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;

/// The dashboard's figures for the caller's scope (narrowed to `region`) and the months found
/// `from..=to` (`YYYY-MM` or a day in it): counts by grade, status, child territory, industry
/// section and month; the overdue count; rectification and on-time rates per child territory
/// and per supervising sector. Enterprises' accounts are refused.
#[utoipa::path(get, path = "/api/v1/hazards/stats", tag = "hazards",
    params(("region" = Option<String>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, body = Stats), (status = 401), (status = 403, description = "an enterprise's account"),
              (status = 422, description = "an unknown region, a month that is not YYYY-MM")))]
pub async fn stats(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<StatsFilter>,
) -> AppResult<Json<Stats>> {
    Ok(Json(service::stats(&state, &actor, &f).await?))
}

/// The dashboard as an xlsx workbook (a summary sheet and one sheet per table); filters as
/// `GET /api/v1/hazards/stats`.
#[utoipa::path(get, path = "/api/v1/hazards/stats.xlsx", tag = "hazards",
    params(("region" = Option<String>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, description = "xlsx workbook (attachment)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 422)))]
pub async fn stats_xlsx(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<StatsFilter>,
) -> AppResult<Response> {
    let bytes = export::dashboard(&state, &actor, &f, ctx.lang).await?;
    let day = crate::time::today();
    let name = format!("{}-{day}.xlsx", t(ctx.lang, "hazard_stats.file_name"));
    crate::supervision::ledger::xlsx_download(bytes, &name, &format!("hazard-stats-{day}.xlsx"))
}

/// The hazards matching the list's filters (as `GET /api/v1/hazards`) as an xlsx workbook, the
/// nearest deadline first, at most 10,000 rows.
#[utoipa::path(get, path = "/api/v1/hazards/export.xlsx", tag = "hazards",
    params(("grade" = Option<String>, Query), ("status" = Option<String>, Query), ("region" = Option<String>, Query),
           ("industry" = Option<String>, Query), ("enterprise" = Option<i64>, Query), ("overdue" = Option<String>, Query)),
    responses((status = 200, description = "xlsx workbook (attachment)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 422)))]
pub async fn list_xlsx(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<HazardFilter>,
) -> AppResult<Response> {
    let bytes = export::list(&state, &actor, &f, ctx.lang).await?;
    let day = crate::time::today();
    let name = format!("{}-{day}.xlsx", t(ctx.lang, "hazard_stats.list_file_name"));
    crate::supervision::ledger::xlsx_download(bytes, &name, &format!("hazards-{day}.xlsx"))
}
