//! JSON handlers of risk points, the four-colour map and the risk calculator.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::checks::{self, CheckInput, CheckView, OverdueQuery};
use super::map::{self, MapQuery, RiskMap};
use super::model::{AssessInput, RetireInput, RiskPointInput, RiskPointPatch, RiskPointView};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::{OrgId, RiskPointId};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Q};

/// 风险点登记: a risk point at the enterprise, assessed by LEC or LS; the score and level are
/// computed by the server (a `score` or `level` sent is ignored).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/risk-points", tag = "risks", params(("id" = i64, Path)), request_body = RiskPointInput,
    responses((status = 201, body = RiskPointView), (status = 403, description = "may not record risk points"),
              (status = 404, description = "no such enterprise in the caller's scope (an enterprise: any other)"),
              (status = 422, description = "a field is wrong: a factor off its method's scale (named), an unknown accident type, a cycle outside 1–366 days …")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
    ApiJson(input): ApiJson<RiskPointInput>,
) -> AppResult<(StatusCode, Json<RiskPointView>)> {
    let p = service::create(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(p.view())))
}

/// `retired=true` lists the retired points too.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PointsQuery {
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub retired: bool,
}

/// The enterprise's risk points (active ones, the gravest first; `retired=true` adds the
/// retired) and its grade: the highest level of its active points.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/risk-points", tag = "risks", params(("id" = i64, Path), ("retired" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [RiskPointView], \"risk_level\", \"risk_colour\"}"), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<OrgId>,
    Q(q): Q<PointsQuery>,
) -> AppResult<Json<Value>> {
    let l = service::list(&state, &actor, id, q.retired).await?;
    let items: Vec<RiskPointView> = l.points.iter().map(|p| p.view()).collect();
    Ok(Json(json!({
        "items": items, "risk_level": l.grade.map(|g| g.code()),
        "risk_colour": l.grade.map(|g| g.colour()),
    })))
}

/// One risk point.
#[utoipa::path(get, path = "/api/v1/risk-points/{id}", tag = "risks", params(("id" = i64, Path)),
    responses((status = 200, body = RiskPointView), (status = 401), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RiskPointId>,
) -> AppResult<Json<RiskPointView>> {
    Ok(Json(service::get(&state, &actor, id).await?.view()))
}

/// Re-assesses or edits an active point: the fields sent change, the score and level are
/// computed again, and the enterprise's grade follows.
#[utoipa::path(patch, path = "/api/v1/risk-points/{id}", tag = "risks", params(("id" = i64, Path)), request_body = RiskPointPatch,
    responses((status = 200, body = RiskPointView), (status = 403), (status = 404), (status = 409, description = "retired"),
              (status = 422, description = "a factor off its method's scale (named), or another wrong field")))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RiskPointId>,
    ApiJson(patch): ApiJson<RiskPointPatch>,
) -> AppResult<Json<RiskPointView>> {
    Ok(Json(
        service::update(&state, &actor, id, &patch).await?.view(),
    ))
}

/// Retires a point with a reason (kept, never deleted); the enterprise's grade drops to its
/// other active points' highest.
#[utoipa::path(post, path = "/api/v1/risk-points/{id}/retire", tag = "risks", params(("id" = i64, Path)), request_body = RetireInput,
    responses((status = 200, body = RiskPointView), (status = 403), (status = 404), (status = 409, description = "retired already"),
              (status = 422, description = "a reason is required")))]
pub async fn retire(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RiskPointId>,
    ApiJson(input): ApiJson<RetireInput>,
) -> AppResult<Json<RiskPointView>> {
    Ok(Json(
        service::retire(&state, &actor, id, &input).await?.view(),
    ))
}

/// The four-colour map of a territory (`region`, GB/T 2260; blank: the caller's own): per
/// child territory, the enterprises in scope by grade and the territory's worst colour.
#[utoipa::path(get, path = "/api/v1/risk/map", tag = "risks", params(("region" = Option<String>, Query)),
    responses((status = 200, body = RiskMap), (status = 401), (status = 403), (status = 422, description = "an unknown region")))]
pub async fn risk_map(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<MapQuery>,
) -> AppResult<Json<RiskMap>> {
    Ok(Json(map::map(&state, &actor, &q).await?))
}

/// Scores a risk by LEC (D = L×E×C, the standard scales only) or LS (R = L×S, 1–5 each) and
/// grades it with the configured bands (`[risk]`).
#[utoipa::path(post, path = "/api/v1/risk/assess", tag = "risks", request_body = AssessInput,
    responses((status = 200, description = "{\"score\", \"level\": \"major\"|\"high\"|\"general\"|\"low\", \"colour\": \"red\"|\"orange\"|\"yellow\"|\"blue\"}"),
              (status = 401), (status = 422, description = "a value off the method's scale, or a value missing")))]
pub async fn assess(
    State(state): State<AppState>,
    _actor: Actor,
    ApiJson(input): ApiJson<AssessInput>,
) -> AppResult<Json<Value>> {
    let a = service::assess(&state, &input)?;
    Ok(Json(json!({
        "score": a.score, "level": a.level.code(), "colour": a.level.colour(),
        "level_name": a.level.name_zh(),
    })))
}

/// 风险点排查: records a check of an active point (the result, what was found, the hazard
/// registered for it); the point's next check falls due one cycle after its latest check.
#[utoipa::path(post, path = "/api/v1/risk-points/{id}/checks", tag = "risks", params(("id" = i64, Path)), request_body = CheckInput,
    responses((status = 201, body = CheckView), (status = 403, description = "may not record checks"), (status = 404),
              (status = 409, description = "the point is retired"),
              (status = 422, description = "a date in the future or before the point was recorded, an unknown result, a hazard found without a note, a hazard at another enterprise (named)")))]
pub async fn record_check(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RiskPointId>,
    ApiJson(input): ApiJson<CheckInput>,
) -> AppResult<(StatusCode, Json<CheckView>)> {
    let c = checks::record(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(c.view())))
}

/// A point's checks, the latest first.
#[utoipa::path(get, path = "/api/v1/risk-points/{id}/checks", tag = "risks", params(("id" = i64, Path)),
    responses((status = 200, description = "{\"items\": [CheckView]}"), (status = 401), (status = 404)))]
pub async fn checks(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RiskPointId>,
) -> AppResult<Json<Value>> {
    let items: Vec<CheckView> = checks::list(&state, &actor, id)
        .await?
        .iter()
        .map(|c| c.view())
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// 排查逾期: the active points in the caller's scope whose check is overdue, the longest
/// overdue first, 50 a page.
#[utoipa::path(get, path = "/api/v1/risk/overdue-checks", tag = "risks", params(("page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [RiskPointView], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 403),
              (status = 422, description = "a page outside 1–1000000")))]
pub async fn overdue_checks(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<OverdueQuery>,
) -> AppResult<Json<Value>> {
    let o = checks::overdue(&state, &actor, &q).await?;
    let items: Vec<RiskPointView> = o.items.iter().map(|p| p.view()).collect();
    Ok(Json(json!({
        "items": items, "total": o.total, "page": o.page, "per_page": checks::PER_PAGE,
    })))
}
