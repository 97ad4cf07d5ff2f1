//! 检查记录 (inspections), article 十六 of 通安委〔2022〕10号: who inspected which enterprise, when,
//! where, what was checked and what was found — by a department, the office or a territory,
//! with two officers at least for an enforcement inspection (行政执法检查). One led by a leader
//! in a position is that position's duty record (带队检查), entered once
//! (`duties::inspection_link`); one of a campaign ticks the enterprise off its checklist
//! (`campaigns`); the hazards it found are registered with it (`hazards`), which is what the
//! unlisted-major-hazard rule reads.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v1/inspections/{id}/hazards", post(api::add_hazard))
        .route("/inspections/{id}/hazards", post(pages::add_hazard))
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .route("/inspections", get(pages::list).post(pages::add))
        .route("/inspections/{id}", get(pages::detail))
        .route("/api/v1/inspections", get(api::list).post(api::create))
        .route("/api/v1/inspections/{id}", get(api::get))
}
