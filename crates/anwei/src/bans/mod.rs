//! 从业禁止 (the principal-person ban, 安全生产法 第九十四条): a registry of people who may not be
//! the principal (主要负责人) of a production unit — five years after 撤职 or a criminal penalty,
//! for life in the industry after responsibility for a 重大 / 特别重大 accident. Entries come from
//! accountability outcomes (`accidents::accountability`) or by hand from the city's office.
//! The enterprise registry checks a principal's ID number here when it is registered or
//! changed. ID numbers are sealed and looked up through their blind index only.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bans", get(api::search).post(api::create))
        .route("/api/v1/bans/check", post(api::check))
        .route("/bans", get(pages::index).post(pages::create))
        .route("/bans/check", get(pages::check_form).post(pages::check))
}
