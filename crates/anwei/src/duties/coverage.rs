//! 分片包保 coverage: the committee office assigns standing-committee members areas (regions —
//! counties, zones — or sectors); the coverage view shows, for each area, who covers it and
//! when they last led an inspection there, and flags areas not visited in the quarter.
//! See `docs/coverage.md`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/duties/coverage", get(pages::page).post(pages::assign))
        .route("/duties/coverage/{id}/delete", post(pages::remove))
        .route("/api/v1/duties/coverage", get(api::view).post(api::assign))
        .route("/api/v1/duties/coverage/{id}", delete(api::remove))
}
