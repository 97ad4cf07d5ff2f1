//! JSON handler of the report statistics.

use axum::Json;
use axum::extract::State;

use super::model::{ReportStats, ReportStatsFilter};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::Q;

/// 举报统计 for the caller's scope (narrowed to `region_code`) and the months received
/// `from..=to`: reports, accepted, verified and verified on time, with the verification and
/// on-time rates, by category, child territory and month — totals only, never a reporter or
/// a reported unit. A department counts the reports routed to it.
#[utoipa::path(get, path = "/api/v1/reports/stats", tag = "reports",
    params(("from" = Option<String>, Query), ("to" = Option<String>, Query), ("region_code" = Option<String>, Query)),
    responses((status = 200, body = ReportStats), (status = 401), (status = 403, description = "may not read reports"),
              (status = 422, description = "a month that is not YYYY-MM, from after to, a region unknown or outside the caller's scope")))]
pub async fn stats(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<ReportStatsFilter>,
) -> AppResult<Json<ReportStats>> {
    Ok(Json(service::stats(&state, &actor, &f).await?))
}
