//! JSON handler of the assessment inputs.

use axum::Json;
use axum::extract::State;

use super::model::{TerritoryVeto, VetoFilter};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::extract::Q;

/// 一票否决 / 一票否优 (通安委〔2022〕10号 第十二条) per territory in the caller's scope
/// (narrowed to `region_code`) for the `year` of occurrence: the territory itself first, then
/// the counties below it. A territory's outcome counts the accidents in it and below it, as
/// graded now: `veto` for a 重大 or 特别重大 accident, `no_excellent` for a 较大 one.
#[utoipa::path(get, path = "/api/v1/assessment/veto", tag = "accidents",
    params(("year" = Option<String>, Query), ("region_code" = Option<String>, Query)),
    responses((status = 200, body = [TerritoryVeto]), (status = 401),
              (status = 403, description = "an enterprise's account, or may not read accidents"),
              (status = 422, description = "a year that is not YYYY from 2000 to this year, a region unknown or outside the caller's scope")))]
pub async fn veto(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<VetoFilter>,
) -> AppResult<Json<Vec<TerritoryVeto>>> {
    Ok(Json(service::veto(&state, &actor, &f).await?.territories))
}
