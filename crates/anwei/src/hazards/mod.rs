//! 隐患排查治理 (hazard rectification), articles 十, 十六 to 十八 of 通安委〔2022〕10号: a hazard
//! found at an enterprise — by its own check, an inspection or a campaign — is registered with
//! its grade (a major one citing the national criterion it meets), a responsible person and a
//! deadline; the rectification is submitted with evidence and accepted (销号) by someone other
//! than the reporter, the submitter and the enterprise, or returned. The state machine is
//! `anwei_rules::hazard`; the submissions and decisions are the review core's.

pub mod api;
pub mod extensions;
pub mod model;
pub mod pages;
pub mod service;
pub mod stats;
mod store;
mod unlisted;

use axum::Router;
use axum::routing::{get, post};

use crate::review::pages as review;
use crate::state::AppState;
use pages::HazardPages as Pages;

/// The routes; registration and rectification carry files and declare the upload body limit
/// (`[uploads]`).
pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v1/hazards", get(api::list).post(api::create))
        .route("/api/v1/hazards/{id}/submit", post(api::submit))
        .route("/hazards", get(pages::list).post(pages::add))
        .route("/hazards/{id}/submit", post(review::submit::<Pages>))
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .route("/hazards/new", get(pages::new_form))
        .route("/hazards/{id}", get(review::page::<Pages>))
        .route("/hazards/{id}/review", post(review::review::<Pages>))
        .route("/hazards/{id}/reopen", post(pages::reopen))
        .route("/hazards/files/{id}", get(pages::file))
        .route("/api/v1/hazards/criteria", get(api::criteria))
        .route("/api/v1/hazards/{id}", get(api::get))
        .route("/api/v1/hazards/{id}/accept", post(api::accept))
        .route("/api/v1/hazards/{id}/return", post(api::return_))
        .route("/api/v1/hazards/{id}/reopen", post(api::reopen))
        .route("/api/v1/hazard-files/{id}", get(api::download))
        .merge(more_routes())
}

/// Extension requests, the dashboards and the exports (issue 11).
fn more_routes() -> Router<AppState> {
    use extensions::{api as xa, pages as xp};
    use stats::{api as sa, pages as sp};
    Router::new()
        .route(
            "/api/v1/hazards/{id}/extensions",
            get(xa::list).post(xa::request),
        )
        .route(
            "/api/v1/hazards/{id}/extensions/{eid}/decide",
            post(xa::decide),
        )
        .route("/api/v1/hazards/stats", get(sa::stats))
        .route("/api/v1/hazards/stats.xlsx", get(sa::stats_xlsx))
        .route("/api/v1/hazards/export.xlsx", get(sa::list_xlsx))
        .route("/hazards/{id}/extensions", post(xp::request))
        .route("/hazards/{id}/extensions/{eid}/decide", post(xp::decide))
        .route("/hazards/dashboard", get(sp::dashboard))
        .route("/hazards/dashboard.xlsx", get(sp::dashboard_xlsx))
        .route("/hazards/export.xlsx", get(sp::list_xlsx))
}
