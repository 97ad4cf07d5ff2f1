//! The in-app notification inbox, e-mail through SMTP when configured, and the group robot
//! (DingTalk / WeCom, `[notify]`).

pub mod mail;
pub mod pages;
pub mod robot;
pub mod service;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(pages::inbox))
        .route("/inbox/{id}/read", post(pages::mark_read))
        .route("/inbox/read-all", post(pages::mark_all_read))
        .route("/api/v1/notifications", get(pages::api_list))
        .route(
            "/api/v1/notifications/{id}/read",
            post(pages::api_mark_read),
        )
}
