//! 大检查 / 专项整治 / 打非治违 (campaigns), article 十七 of 通安委〔2022〕10号: a window, a scope
//! (industries, place types, regions) and participating departments; the enterprises in scope
//! form its checklist, which its inspections tick off; coverage per department and territory;
//! the 责任清单 and the 重大风险隐患清单及整改情况 as xlsx. Created by the city or a county
//! committee office over its own region.

pub mod api;
mod export;
pub mod model;
pub mod pages;
pub mod service;
mod store;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(pages::list).post(pages::add))
        .route("/campaigns/{id}", get(pages::detail))
        .route(
            "/campaigns/{id}/responsibility.xlsx",
            get(api::responsibility),
        )
        .route("/campaigns/{id}/hazards.xlsx", get(api::hazards))
        .route("/api/v1/campaigns", get(api::list).post(api::create))
        .route("/api/v1/campaigns/{id}", get(api::get))
        .route(
            "/api/v1/campaigns/{id}/responsibility.xlsx",
            get(api::responsibility),
        )
        .route("/api/v1/campaigns/{id}/hazards.xlsx", get(api::hazards))
}
