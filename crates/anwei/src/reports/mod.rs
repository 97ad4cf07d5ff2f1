//! 安全生产举报 (articles 三十六 to 三十八 of 通安委〔2022〕10号): the public and employees (吹哨人)
//! report hazards and violations without an account; each gets a receipt code, the only way
//! back to the report; the office triages and routes it to the competent department, which
//! verifies it and answers; the reporter's identity is sealed and revealed only by a
//! designated custodian, one report at a time, with a reason, audited. The vocabulary and the
//! handling state machine are `anwei_rules::report`.

pub mod api;
pub mod attachments;
pub mod config;
pub mod deadlines;
pub mod duplicates;
pub mod handling;
pub mod model;
pub mod pages;
pub mod pow;
pub mod service;
pub mod stats;
mod store;

pub mod links;
pub mod rewards;

pub mod extension;
pub mod handling_pages;
pub mod routing;
pub mod transfer;

pub mod public_pages;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    // The reporter's forms carry files (举报附件): they declare the upload body limit.
    let uploads = Router::new()
        .route(
            "/report",
            get(public_pages::form).post(public_pages::submit),
        )
        .route(
            "/report/follow/message",
            post(public_pages::reporter_message),
        )
        .route("/api/v1/public/reports", post(api::submit))
        .route(
            "/api/v1/public/reports/{receipt_code}/messages",
            post(api::reporter_message),
        )
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .route(
            "/report/follow",
            get(public_pages::follow_form).post(public_pages::follow),
        )
        .route("/reports", get(pages::list).post(pages::enter))
        .route("/reports/{id}", get(pages::detail))
        .route("/reports/{id}/step/{step}", post(pages::step))
        .route("/reports/{id}/message", post(pages::message))
        .route("/reports/{id}/reveal", post(pages::reveal))
        .route("/api/v1/public/reports/{receipt_code}", get(api::follow))
        .route("/api/v1/reports", get(api::list).post(api::enter))
        .route("/api/v1/reports/{id}", get(api::get))
        .route("/api/v1/reports/{id}/messages", post(api::message))
        .route("/api/v1/reports/{id}/reveal", post(api::reveal))
        .route("/api/v1/reports/{id}/{step}", post(api::step))
        .route("/api/v1/report-custodians", post(api::designate))
        .route("/api/v1/reports/{id}/attachments/{n}", get(api::attachment))
        .route("/reports/{id}/attachments/{n}", get(api::attachment))
        .merge(rewards::routes())
        .merge(links::routes())
        .merge(stats_routes())
        .merge(handling_routes())
}

/// 转办 and 延期 (issue 13's handling gaps).
fn handling_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/{id}/transfer", post(api::transfer))
        .route("/api/v1/reports/{id}/extension", post(api::extension))
        .route(
            "/api/v1/reports/{id}/extension/decide",
            post(api::extension_decide),
        )
        .route("/reports/{id}/transfer", post(handling_pages::transfer))
        .route("/reports/{id}/extension", post(handling_pages::extension))
        .route(
            "/reports/{id}/extension/decide",
            post(handling_pages::extension_decide),
        )
        .route("/reports/{id}/links", post(handling_pages::link))
        .route(
            "/reports/{id}/concealment-case",
            post(handling_pages::concealment_case),
        )
        .route("/api/v1/public/reports/challenge", get(api::challenge))
}

/// 举报统计 (issue 13).
fn stats_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/stats", get(stats::api::stats))
        .route("/reports/stats", get(stats::pages::page))
}
