//! JSON handlers of the ban registry.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::model::{BanCheckInput, BanCheckView, BanFilter, BanView, NewBanInput};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q};

/// 从业禁止核查: may this person be the principal (主要负责人) of a unit in this industry today?
/// Five years after 撤职 or a criminal penalty; for life in the industry after responsibility
/// for a 重大 / 特别重大 accident (安全生产法 第九十四条). Audited without the number.
#[utoipa::path(post, path = "/api/v1/bans/check", tag = "bans", request_body = BanCheckInput,
    responses((status = 200, body = BanCheckView), (status = 401), (status = 403, description = "may not check"),
              (status = 422, description = "a wrong ID number (length, character, check digit) or industry, naming the field")))]
pub async fn check(
    State(state): State<AppState>,
    actor: Actor,
    ctx: RequestCtx,
    ApiJson(input): ApiJson<BanCheckInput>,
) -> AppResult<Json<BanCheckView>> {
    let v = service::check(&state, &actor, &input).await?;
    Ok(Json(BanCheckView::new(&v, ctx.lang)))
}

/// 从业禁止名单: search by exact ID number (compared through its blind index) or by part of the
/// name; without either, the newest entries. Office and 纪检监察; audited.
#[utoipa::path(get, path = "/api/v1/bans", tag = "bans", params(("id_number" = Option<String>, Query), ("name" = Option<String>, Query)),
    responses((status = 200, body = [BanView]), (status = 401), (status = 403), (status = 422)))]
pub async fn search(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<BanFilter>,
) -> AppResult<Json<Vec<BanView>>> {
    let rows = service::search(&state, &actor, &f).await?;
    let today = crate::time::today();
    Ok(Json(rows.iter().map(|r| r.view(today)).collect()))
}

/// 从业禁止登记: an entry by hand, by the city's committee office, with its document number.
#[utoipa::path(post, path = "/api/v1/bans", tag = "bans", request_body = NewBanInput,
    responses((status = 201, body = BanView), (status = 401), (status = 403, description = "only the city's office"), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewBanInput>,
) -> AppResult<(StatusCode, Json<BanView>)> {
    let row = service::create(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(row.view(crate::time::today()))))
}
