//! 追责问责 (accountability) of an accident: outcomes per person and per organisation — 党纪处分,
//! 政务处分, 撤职, fines (安全生产法: unit fines by grade, principal fines as a share of last year's
//! income), 移送司法机关, 刑事处罚 — with their document numbers. An outcome that bans a person
//! from being a unit's principal registers it in `bans`. Read-only for 纪检监察.

pub mod api;
pub mod model;
pub mod service;
mod store;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/v1/accidents/{id}/accountability",
        get(api::list).post(api::record),
    )
}
