//! JSON handlers of accidents.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use super::filter::AccidentFilter;
use super::model::{AccidentInput, UpdateInput};
use super::service;
use super::views::{AccidentView, HopView, VersionView, hop_views};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Q};

/// 事故报告: the six contents of 第十二条. The answer carries the computed `grade` and the
/// `criterion` that decided it; a `grade` sent by the client is ignored.
#[utoipa::path(post, path = "/api/v1/accidents", tag = "accidents", request_body = AccidentInput,
    responses((status = 201, body = AccidentView), (status = 403, description = "may not report accidents"),
              (status = 404, description = "no such enterprise in the caller's scope"),
              (status = 422, description = "a field is wrong: a time without an offset or in the future, an unknown territory or one outside the caller's scope, a negative or absurd count, a loss that is not a whole number …")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<AccidentInput>,
) -> AppResult<(StatusCode, Json<AccidentView>)> {
    let a = service::create(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(a.view(crate::time::today()))))
}

/// An accident with every version and the chain its grade requires.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccidentDetail {
    #[serde(flatten)]
    pub accident: AccidentView,
    /// Every version, the first report first.
    pub versions: Vec<VersionView>,
    /// The hops from the unit up to the required level, with their time limits.
    pub chain: Vec<HopView>,
    /// The hops as they stand, with `due_at`, `acknowledged_at`, `late_minutes` and the live
    /// clock by the server's time (`now`).
    pub hops: Vec<super::chain::views::HopStateView>,
    /// The notifications of 第十条 recorded so far.
    pub notifications: Vec<super::chain::views::NoticeView>,
    /// The server's time the clocks were read at (RFC 3339, UTC+8).
    pub now: String,
    /// What verified concealment cases found: `concealed` (瞒报), `falsified` (谎报), `omitted`
    /// (漏报).
    pub flags: Vec<String>,
    /// The concealment cases that name this accident or were verified onto it.
    pub concealment_cases: Vec<i64>,
    /// At a registered enterprise: its open hazards, active risk points and inspections of the
    /// last year, as far as the caller may read them; null for a unit that is not registered.
    pub related: Option<super::related::Related>,
}

/// One accident in scope: its latest figures and grade, every version, the required chain.
#[utoipa::path(get, path = "/api/v1/accidents/{id}", tag = "accidents", params(("id" = i64, Path)),
    responses((status = 200, body = AccidentDetail), (status = 401), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Json<AccidentDetail>> {
    let d = service::get(&state, &actor, id).await?;
    let now = crate::db::now_ms();
    Ok(Json(AccidentDetail {
        accident: d.accident.view(crate::time::today()),
        versions: d.versions.into_iter().map(VersionView::from).collect(),
        chain: hop_views(&d.chain),
        hops: d.hops.iter().map(|h| h.view(now)).collect(),
        notifications: d.notices.iter().map(Into::into).collect(),
        now: super::views::instant(now),
        flags: d.flags.iter().map(|f| f.flag.clone()).collect(),
        concealment_cases: d.cases,
        related: d.related,
    }))
}

/// What a supplementary report answers: the accident regraded, the grade before, and the
/// hops a higher grade adds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UpdatedView {
    #[serde(flatten)]
    pub accident: AccidentView,
    pub previous_grade: String,
    pub escalation: Vec<HopView>,
}

/// 补报 / 续报: a new version with the figures as they now stand, inside the window (30 days
/// from the accident, 7 for road traffic and fire); the accident is regraded.
#[utoipa::path(post, path = "/api/v1/accidents/{id}/updates", tag = "accidents", params(("id" = i64, Path)), request_body = UpdateInput,
    responses((status = 201, body = UpdatedView), (status = 403), (status = 404),
              (status = 409, description = "the supplementary window has closed, or another report came first"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccidentId>,
    ApiJson(input): ApiJson<UpdateInput>,
) -> AppResult<(StatusCode, Json<UpdatedView>)> {
    let u = service::update(&state, &actor, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(UpdatedView {
            accident: u.accident.view(crate::time::today()),
            previous_grade: u.previous_grade.code().to_string(),
            escalation: hop_views(&u.escalation),
        }),
    ))
}

/// One line of the accident list: the accident as it stands and how many of its open hops
/// are past their limit (迟报, by the server clock).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccidentListItem {
    #[serde(flatten)]
    pub accident: AccidentView,
    pub open_late: i64,
}

/// A page of accidents.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccidentList {
    pub items: Vec<AccidentListItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Accidents in the caller's scope (its region and below; an enterprise's own), the latest
/// first. Filters: `region_code` (GB/T 2260, in scope), `grade`, `status` (`reporting`: a hop
/// not yet acknowledged; `late`: an open hop past its limit; `reported`), `flag` (`concealed`
/// 瞒报, `falsified` 谎报, `omitted` 漏报), `from` / `to` (days of occurrence, UTC+8,
/// included), `enterprise` (id), `page`, `per_page` (≤ 500).
#[utoipa::path(get, path = "/api/v1/accidents", tag = "accidents", params(AccidentFilter),
    responses((status = 200, body = AccidentList), (status = 401), (status = 403, description = "may not read accidents"),
              (status = 422, description = "a filter is wrong: an unknown grade, status or flag, a date not YYYY-MM-DD, a region unknown or outside the caller's scope …")))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<AccidentFilter>,
) -> AppResult<Json<AccidentList>> {
    let p = service::list(&state, &actor, &f).await?;
    let today = crate::time::today();
    let items = p
        .items
        .iter()
        .map(|r| AccidentListItem {
            accident: r.accident.view(today),
            open_late: r.open_late,
        })
        .collect();
    Ok(Json(AccidentList {
        items,
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}
