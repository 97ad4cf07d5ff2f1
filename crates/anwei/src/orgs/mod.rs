//! Organisations and regions: the tree the whole system hangs on.

pub mod api;
mod bulk_store;
mod enterprise_orgs;
pub mod model;
pub mod pages;
pub mod seed;
pub mod service;
pub mod store;
pub mod townships;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(pages::tree).post(pages::create))
        .route("/orgs/new", get(pages::new_form))
        .route("/orgs/{code}", get(pages::detail))
        .route("/orgs/{code}/rename", post(pages::rename))
        .route("/orgs/{code}/retire", post(pages::retire))
        .route("/orgs/{code}/reinstate", post(pages::reinstate))
        .route("/api/v1/orgs", get(api::api_list).post(api::api_create))
        .route("/api/v1/orgs/{code}", get(api::api_get))
        .route("/api/v1/orgs/{code}/rename", post(api::api_rename))
        .route("/api/v1/orgs/{code}/retire", post(api::api_retire))
        .route("/api/v1/regions", get(api::api_regions))
        .route(
            "/api/v1/regions/townships/import",
            post(api::import_townships).layer(axum::extract::DefaultBodyLimit::max(
                townships::MAX_FILE_BYTES + 1024 * 1024,
            )),
        )
        .route(
            "/api/v1/regions/townships/import-template.xlsx",
            get(api::township_template),
        )
        .route(
            "/orgs/townships/import",
            post(pages::import_townships).layer(axum::extract::DefaultBodyLimit::max(
                townships::MAX_FILE_BYTES + 1024 * 1024,
            )),
        )
}
