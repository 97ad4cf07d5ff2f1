//! Assessment inputs of the accidents (通安委〔2022〕10号 第十二条): per territory and year,
//! 一票否决 (`veto`) when a 重大 or 特别重大 accident happened in it or in a territory below it,
//! 一票否优 (`no_excellent`) for a 较大 one; the rule is `anwei_rules::accident::liability::
//! assessment_veto`. The task table's "一票否决" for a 较大 accident is an erratum (see
//! `docs/accidents.md`). Read by `GET /api/v1/assessment/veto`, the page `/assessment/veto`
//! and the dashboard's tile; a later assessment module reads [`service::veto`].

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assessment/veto", get(api::veto))
        .route("/assessment/veto", get(pages::page))
}
