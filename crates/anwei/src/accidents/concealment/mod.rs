//! 疑似瞒报案件 (suspected concealment cases, issue 12): a lead from a public report, a hospital,
//! the police, an insurer or an inspection that an accident was concealed (瞒报), falsely
//! reported (谎报) or reported without required contents (漏报) opens a case in the territory,
//! listed for supervision by the committee office one level up (一律由上级安委会挂牌督办), which
//! alone verifies it. See `docs/accidents.md`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;
pub mod verify;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/concealment-cases",
            post(api::create).get(api::list),
        )
        .route("/api/v1/concealment-cases/{id}", get(api::get))
        .route("/api/v1/concealment-cases/{id}/verify", post(api::verify))
        .route("/accidents/concealment", get(pages::list))
        .route(
            "/accidents/concealment/new",
            get(pages::new_form).post(pages::create),
        )
        .route("/accidents/concealment/{id}", get(pages::detail))
        .route("/accidents/concealment/{id}/verify", post(pages::verify))
}
