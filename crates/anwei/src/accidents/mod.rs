//! 事故报告 (accident reporting), articles 十二 to 十五 of 通安委〔2022〕10号 and
//! 《生产安全事故报告和调查处理条例》: an accident is filed with the six contents of 第十二条, graded
//! by `anwei_rules::accident` from its figures (never by the client), and kept up to date by
//! supplementary reports (补报), each a new version. The rules — grades, windows, the chain and
//! its clocks, investigation deadlines, fines, the ban — are `anwei_rules::{accident, ban}`;
//! see `docs/accidents.md` for what is built and what is not.

pub mod accountability;
pub mod api;
pub mod chain;
pub mod concealment;
pub mod filter;
pub mod investigation;
pub mod model;
pub mod service;
pub mod stats;
mod store;
pub mod views;

// Issue 12: assessment inputs (一票否决 / 一票否优), links to hazards, risks, inspections.
pub mod assessment;
pub mod page_forms;
pub mod related;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accidents", get(api::list).post(api::create))
        .route("/api/v1/accidents/{id}", get(api::get))
        .route("/api/v1/accidents/{id}/updates", post(api::update))
        .merge(accountability::routes())
        .merge(investigation::routes())
        .merge(chain::routes())
        .merge(stats_routes())
        .merge(concealment::routes())
        .merge(assessment::routes())
        .route(
            "/accidents/{id}/accountability",
            post(page_forms::record_outcome),
        )
        .route(
            "/accidents/{id}/notifications",
            post(page_forms::record_notice),
        )
}

/// 事故统计 (issue 12).
fn stats_routes() -> Router<AppState> {
    use stats::{api as sa, pages as sp};
    Router::new()
        .route("/api/v1/accidents/stats", get(sa::stats))
        .route("/api/v1/accidents/stats.xlsx", get(sa::stats_xlsx))
        .route("/accidents/stats", get(sp::page))
        .route("/accidents/stats.xlsx", get(sa::stats_xlsx))
}
