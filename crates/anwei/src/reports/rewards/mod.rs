//! 举报奖励 (《安全生产领域举报奖励办法》安监总财〔2018〕19号): the reward of a verified report
//! proposed by the configured rule (`[reports.reward]`, `anwei_rules::reward`), decided by the
//! office (approved or adjusted with a reason, never by the proposer), paid against a payout
//! code only the reporter sees (through the receipt code's follow-up), and the ledger per year
//! and territory with the budget line (举报奖励资金). No identity is read or kept on the way.

pub mod api;
pub mod ledger;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/{id}/reward", post(api::propose))
        .route("/api/v1/reports/{id}/reward/decide", post(api::decide))
        .route("/api/v1/rewards/payouts", post(api::pay))
        .route("/api/v1/rewards/ledger", get(api::ledger))
        .route("/api/v1/rewards/ledger.xlsx", get(api::ledger_xlsx))
        .route("/api/v1/rewards/budget", axum::routing::put(api::budget))
        .route("/rewards/ledger", get(pages::ledger))
        .route("/reports/{id}/reward", post(pages::propose))
        .route("/reports/{id}/reward/decide", post(pages::decide))
}
