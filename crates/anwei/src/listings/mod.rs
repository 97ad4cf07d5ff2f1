//! 挂牌督办 (listed supervision of major hazards), articles 十七 and 十八 of 通安委〔2022〕10号:
//! the committee office lists a major hazard that is not closed under a notice number, with a
//! responsible unit and a deadline; the enterprise or the responsible unit reports progress
//! every month; the supervision board shows each listing's light (red: the deadline passed or
//! a month's progress is missing); the office that listed it delists (摘牌) once the hazard is
//! closed, on a verification note and evidence. A refusal to rectify meets a stop-production
//! order (停产停工) or a referral to the judicial organs (移送司法机关, 刑法第一百三十四条之一).
//! Listing and delisting notices are public (`/public/listings`), without personal data.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// The routes; progress and delisting carry files and declare the upload body limit
/// (`[uploads]`).
pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v1/listings/{id}/progress", post(api::progress))
        .route("/api/v1/listings/{id}/delist", post(api::delist))
        .route("/listings/{id}/progress", post(pages::progress))
        .route("/listings/{id}/delist", post(pages::delist))
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .route("/api/v1/listings", get(api::list).post(api::create))
        .route("/api/v1/listings/{id}", get(api::get))
        .route("/api/v1/listings/{id}/stop-order", post(api::stop_order))
        .route("/api/v1/listings/{id}/referral", post(api::referral))
        .route("/api/v1/listing-files/{id}", get(api::download))
        .route("/listings", get(pages::board).post(pages::add))
        .route("/listings/{id}", get(pages::detail))
        .route("/listings/{id}/stop-order", post(pages::stop_order))
        .route("/listings/{id}/referral", post(pages::referral))
        .route("/listings/files/{id}", get(pages::file))
        .route("/public/listings", get(pages::public))
}
