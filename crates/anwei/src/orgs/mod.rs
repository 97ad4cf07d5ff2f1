//! Organisations and regions: the tree the whole system hangs on.

pub mod model;
pub mod pages;
pub mod seed;
pub mod service;
pub mod store;

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
        .route("/api/v1/orgs", get(pages::api_list).post(pages::api_create))
        .route("/api/v1/orgs/{code}", get(pages::api_get))
        .route("/api/v1/orgs/{code}/rename", post(pages::api_rename))
        .route("/api/v1/orgs/{code}/retire", post(pages::api_retire))
        .route("/api/v1/regions", get(pages::api_regions))
}
