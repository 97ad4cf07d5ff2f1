//! Accounts administration: create, disable, reset password, assign role and organisation.

pub mod model;
pub mod pages;
pub mod service;
pub mod store;
pub mod system;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(pages::list).post(pages::create))
        .route("/admin/accounts/new", get(pages::new_form))
        .route("/admin/accounts/{id}", get(pages::detail))
        .route("/admin/accounts/{id}/update", post(pages::update))
        .route("/admin/accounts/{id}/disable", post(pages::disable))
        .route("/admin/accounts/{id}/enable", post(pages::enable))
        .route(
            "/admin/accounts/{id}/reset-password",
            post(pages::reset_password),
        )
        .route(
            "/api/v1/accounts",
            get(pages::api_list).post(pages::api_create),
        )
        .route(
            "/api/v1/accounts/{id}",
            get(pages::api_get).patch(pages::api_update),
        )
        .route("/api/v1/accounts/{id}/disable", post(pages::api_disable))
        .route("/api/v1/accounts/{id}/enable", post(pages::api_enable))
        .route(
            "/api/v1/accounts/{id}/reset-password",
            post(pages::api_reset_password),
        )
        .route("/api/v1/me", get(pages::api_me))
}
