//! The reporting chain of an accident and its clocks (条例 第九条 to 第十一条, issue 12): one
//! hop per level the grade requires, acknowledged inside the platform or recorded by the city
//! office outside it, each against `anwei_rules::accident::chain`'s clock; the notifications
//! of 第十条; the clock sweep (迟报 marked, one reminder after an hour's silence) and the
//! missing-person regrade. See `docs/accidents.md`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;
pub mod sweep;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/accidents/{id}/hops/{level}/acknowledge",
            post(api::acknowledge),
        )
        .route(
            "/api/v1/accidents/{id}/hops/{level}/record",
            post(api::record),
        )
        .route("/api/v1/accidents/{id}/notifications", post(api::notice))
        .route("/accidents", get(pages::list))
        .route("/accidents/new", get(pages::new_form).post(pages::create))
        .route("/accidents/board", get(pages::board))
        .route("/accidents/{id}", get(pages::detail))
        .route(
            "/accidents/{id}/hops/{level}/acknowledge",
            post(pages::acknowledge),
        )
        .route("/accidents/{id}/hops/{level}/record", post(pages::record))
}
