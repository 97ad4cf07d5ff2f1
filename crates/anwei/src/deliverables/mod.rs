//! 报送事项 (dated deliverables): documents each organisation must send the committee
//! office by a date — required, submitted with files, on time or late by server time,
//! reviewed like reports.

pub mod model;
pub mod pages;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::review::pages as review;
use crate::state::AppState;
use pages::RequirementPages as Pages;

/// The routes; submissions carry files and so declare the upload body limit (`[uploads]`);
/// the review core checks every file's size and type.
pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    let uploads = Router::new()
        .route(
            "/api/v1/deliverable-requirements/{id}/submissions",
            post(pages::api_submit),
        )
        .route(
            "/deliverables/requirements/{id}/submit",
            post(review::submit::<Pages>),
        )
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .route("/deliverables", get(pages::list).post(pages::add))
        .route("/deliverables/{code}/require", post(pages::require))
        .route(
            "/deliverables/requirements/{id}",
            get(review::page::<Pages>),
        )
        .route(
            "/deliverables/requirements/{id}/review",
            post(review::review::<Pages>),
        )
        .route("/deliverables/files/{id}", get(pages::download))
        .route(
            "/api/v1/deliverables",
            get(pages::api_list).post(pages::api_add),
        )
        .route(
            "/api/v1/deliverables/{code}/require",
            post(pages::api_require),
        )
        .route(
            "/api/v1/deliverable-requirements",
            get(pages::api_requirements),
        )
        .route(
            "/api/v1/deliverable-requirements/{id}",
            get(pages::api_requirement),
        )
        .route(
            "/api/v1/deliverable-requirements/{id}/review",
            post(pages::api_review),
        )
        .route("/api/v1/deliverable-files/{id}", get(pages::download))
}
