//! The policy as data: measures, articles and key tasks, with each task's deadline and
//! responsible-unit phrases read into structure by `anwei-rules`.

pub mod import;
pub mod model;
pub mod pages;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    Router::new()
        .merge(import::routes(up))
        .route("/policy", get(pages::index))
        .route("/policy/articles/{number}", get(pages::article))
        .route("/policy/tasks/{number}", get(pages::task))
        .route(
            "/policy/tasks/{number}/edit",
            get(pages::edit_form).post(pages::edit),
        )
        .route("/api/v1/policies", get(pages::api_policies))
        .route("/api/v1/policy/measures", get(pages::api_measures))
        .route("/api/v1/policy/articles", get(pages::api_articles))
        .route("/api/v1/policy/tasks", get(pages::api_tasks))
        .route(
            "/api/v1/policy/tasks/{number}",
            get(pages::api_task).patch(pages::api_edit),
        )
        .route("/api/v1/policy/deliverables", get(pages::api_deliverables))
}
