//! 身份鉴别: login, sessions, password change, TOTP, API tokens, first-run set-up.

pub mod api;
pub mod crypto;
pub mod model;
pub mod pages;
pub mod service;
pub mod setup;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang", get(pages::switch_lang))
        .route("/account", get(pages::account))
        .route(
            "/account/password",
            get(pages::password_form).post(pages::change_password),
        )
        .route("/account/totp", get(pages::totp_page))
        .route("/account/totp/begin", post(pages::totp_begin))
        .route("/account/totp/confirm", post(pages::totp_confirm))
        .route("/account/totp/disable", post(pages::totp_disable))
        .route(
            "/account/tokens",
            get(pages::tokens).post(pages::create_token),
        )
        .route("/account/tokens/{id}/revoke", post(pages::revoke_token))
        .route("/setup", get(setup::form).post(setup::submit))
        .route("/api/v1/auth/login", post(api::login))
        .route("/api/v1/auth/logout", post(api::logout))
        .route("/api/v1/me/password", post(api::change_password))
        .route(
            "/api/v1/tokens",
            get(api::list_tokens).post(api::create_token),
        )
        .route("/api/v1/tokens/{id}/revoke", post(api::revoke_token))
}
