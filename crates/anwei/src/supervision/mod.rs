//! 督查督办 (task supervision): the policy's tasks assigned to organisations, acknowledged,
//! reported on with evidence, reviewed, closed — with status lights, a ledger and a timeline.

pub mod api;
pub mod ledger;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::review::pages as review;
use crate::state::AppState;
use pages::AssignmentPages as Pages;

/// The routes; reports carry evidence files and so declare the upload body limit.
pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v1/assignments/{id}/reports", post(api::report))
        .route(
            "/supervision/assignments/{id}/report",
            post(review::submit::<Pages>),
        )
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .merge(ledger::routes())
        .route("/supervision", get(pages::ledger))
        .route("/supervision/inbox", get(pages::inbox))
        .route("/supervision/tasks/{number}", get(pages::task))
        .route("/supervision/tasks/{number}/issue", post(pages::issue))
        .route("/supervision/assignments/{id}", get(review::page::<Pages>))
        .route(
            "/supervision/assignments/{id}/acknowledge",
            post(pages::acknowledge),
        )
        .route(
            "/supervision/assignments/{id}/review",
            post(review::review::<Pages>),
        )
        .route(
            "/supervision/assignments/{id}/remind",
            post(reminders::page_remind),
        )
        .route("/supervision/attachments/{id}", get(pages::download))
        .route("/api/v1/assignments", get(api::list))
        .route("/api/v1/assignments/by-task", get(api::by_task))
        .route("/api/v1/assignments/by-org", get(api::by_org))
        .route("/api/v1/assignments/{id}", get(api::get))
        .route(
            "/api/v1/assignments/{id}/acknowledge",
            post(api::acknowledge),
        )
        .route("/api/v1/assignments/{id}/review", post(api::review))
        .route(
            "/api/v1/assignments/{id}/remind",
            post(reminders::api_remind),
        )
        .route(
            "/api/v1/policy/tasks/{number}/assignments/proposal",
            get(api::proposal),
        )
        .route(
            "/api/v1/policy/tasks/{number}/assignments/issue",
            post(api::issue),
        )
        .route("/api/v1/policy/tasks/{number}/timeline", get(api::timeline))
        .route("/api/v1/attachments/{id}", get(pages::download))
}
