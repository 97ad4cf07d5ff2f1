//! 风险分级管控 (risk grading and control, the first half of 双重预防机制, 安委办〔2016〕11号):
//! an enterprise's risk points — unit, hazardous event, GB 6441 accident types, control
//! measures, who is responsible, how often it is checked — each assessed by LEC or LS and
//! graded 重大 / 较大 / 一般 / 低 (red / orange / yellow / blue) by the configured bands
//! (`anwei_rules::risk`). The enterprise's grade is its highest active point; the four-colour
//! map counts enterprises by grade per territory.

pub mod api;
pub mod checks;
pub mod map;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/enterprises/{id}/risk-points",
            get(pages::points).post(pages::add),
        )
        .route("/risk-points/{id}/retire", post(pages::retire))
        .route("/risk/map", get(pages::map_page))
        .route("/risk/map.svg", get(pages::map_svg))
        .route(
            "/api/v1/enterprises/{id}/risk-points",
            get(api::list).post(api::create),
        )
        .route("/api/v1/risk-points/{id}", get(api::get).patch(api::update))
        .route("/api/v1/risk-points/{id}/retire", post(api::retire))
        .route("/api/v1/risk/map", get(api::risk_map))
        .route("/api/v1/risk/assess", post(api::assess))
        .route(
            "/api/v1/risk-points/{id}/checks",
            get(api::checks).post(api::record_check),
        )
        .route("/api/v1/risk/overdue-checks", get(api::overdue_checks))
        .route("/risk-points/{id}/checks", post(pages::check))
        .route("/risk-points/{id}/assess", post(pages::reassess))
        .route("/risk/overdue-checks", get(pages::overdue_page))
}
