//! 事故调查 (the investigation of an accident): team, lead body by grade, report due 60 days
//! from the accident (extensions of at most 60 days, approved by someone other than the
//! requester), report with responsibility findings, approval within 15 days (30 for 特别重大).
//! The deadlines are `anwei_rules::accident::investigation`.

pub mod api;
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
            "/api/v1/accidents/{id}/investigation",
            get(api::get).post(api::open),
        )
        .route(
            "/api/v1/accidents/{id}/investigation/extension",
            post(api::request_extension),
        )
        .route(
            "/api/v1/accidents/{id}/investigation/extension/decision",
            post(api::decide_extension),
        )
        .route(
            "/api/v1/accidents/{id}/investigation/report",
            post(api::submit_report),
        )
        .route(
            "/api/v1/accidents/{id}/investigation/approval",
            post(api::approve),
        )
        .route(
            "/accidents/{id}/investigation",
            get(pages::page).post(pages::open),
        )
        .route(
            "/accidents/{id}/investigation/extension",
            post(pages::extension),
        )
        .route(
            "/accidents/{id}/investigation/extension/decision",
            post(pages::decide),
        )
        .route("/accidents/{id}/investigation/report", post(pages::report))
        .route(
            "/accidents/{id}/investigation/approval",
            post(pages::approve),
        )
        .route(
            "/api/v1/accidents/{id}/investigation/appraisals",
            post(api::record_appraisal),
        )
        .route(
            "/accidents/{id}/investigation/appraisals",
            post(pages::appraisal),
        )
}
