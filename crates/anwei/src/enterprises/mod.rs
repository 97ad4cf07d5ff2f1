//! 企业档案 (the enterprise registry): enterprises are organisations of kind `enterprise` in
//! the tree — so their accounts, scope and positions work as for any organisation — with a
//! profile: 统一社会信用代码 (check character verified), territory, GB/T 4754 industry, scale,
//! 中省属 flag, city- or county-managed, major hazard source, principal.

pub mod api;
pub mod edit;
pub mod import;
pub mod model;
pub mod pages;
pub mod service;
mod store;
pub mod supervision;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(pages::list).post(pages::add))
        .route("/api/v1/enterprises", get(api::list).post(api::create))
        .route("/enterprises/{id}", get(pages::detail))
        .route("/enterprises/{id}/lead", post(pages::name_lead))
        .route("/enterprises/{id}/principal-id", post(pages::reveal))
        .route("/api/v1/enterprises/{id}", get(api::get).patch(api::update))
        .route("/api/v1/enterprises/{id}/leads", get(api::leads))
        .route("/api/v1/enterprises/{id}/lead", post(api::name_lead))
        .route(
            "/api/v1/enterprises/{id}/principal-id",
            post(api::reveal_principal_id),
        )
        .route(
            "/api/v1/enterprises/{id}/place-types",
            axum::routing::put(api::set_place_types),
        )
        .route("/enterprises/{id}/edit", post(pages::edit))
        .route(
            "/enterprises/import",
            post(pages::import).layer(DefaultBodyLimit::max(IMPORT_BODY)),
        )
        .route(
            "/api/v1/enterprises/import",
            post(api::import).layer(DefaultBodyLimit::max(IMPORT_BODY)),
        )
        .route(
            "/api/v1/enterprises/import-template.xlsx",
            get(api::import_template),
        )
}

/// The import's body: the largest file and the multipart framing.
const IMPORT_BODY: usize = import::MAX_FILE_BYTES + 1024 * 1024;
