//! JSON and xlsx handlers of the accident statistics.

use axum::Json;
use axum::extract::State;
use axum::response::Response;

use super::model::{AccidentStats, AccidentStatsFilter};
use super::{export, service};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::i18n::t;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;

/// 事故统计 for the caller's scope (narrowed to `region_code`) and the months of occurrence
/// `from..=to`: accidents, deaths, serious injuries, missing persons and direct loss (each
/// accident's latest version) by grade, type, industry section, child territory and month,
/// with the same months a year earlier (同比). Enterprises' accounts are refused.
#[utoipa::path(get, path = "/api/v1/accidents/stats", tag = "accidents",
    params(("from" = Option<String>, Query), ("to" = Option<String>, Query), ("region_code" = Option<String>, Query)),
    responses((status = 200, body = AccidentStats), (status = 401), (status = 403, description = "an enterprise's account, or may not read accidents"),
              (status = 422, description = "a month that is not YYYY-MM, from after to, a region unknown or outside the caller's scope")))]
pub async fn stats(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<AccidentStatsFilter>,
) -> AppResult<Json<AccidentStats>> {
    Ok(Json(service::stats(&state, &actor, &f).await?))
}

/// The statistics as an xlsx workbook in the layout of the national accident statistics
/// forms (起数, 死亡, 重伤, 失踪, 直接经济损失（万元）; 本期, 去年同期, 同比); filters as
/// `GET /api/v1/accidents/stats`.
#[utoipa::path(get, path = "/api/v1/accidents/stats.xlsx", tag = "accidents",
    params(("from" = Option<String>, Query), ("to" = Option<String>, Query), ("region_code" = Option<String>, Query)),
    responses((status = 200, description = "xlsx workbook (attachment)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 422)))]
pub async fn stats_xlsx(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AccidentStatsFilter>,
) -> AppResult<Response> {
    let bytes = export::workbook_for(&state, &actor, &f, ctx.lang).await?;
    let day = crate::time::today();
    let name = format!("{}-{day}.xlsx", t(ctx.lang, "accident_stats.file_name"));
    crate::supervision::ledger::xlsx_download(bytes, &name, &format!("accident-stats-{day}.xlsx"))
}
