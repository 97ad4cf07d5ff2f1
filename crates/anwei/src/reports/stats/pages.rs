//! `/reports/stats`: the report statistics' tables (zh-CN, phone-friendly).

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{ReportStats, ReportStatsFilter};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::{FieldErrors, render_form};

#[derive(Template)]
#[template(path = "reports/stats.html")]
pub struct StatsPage {
    pub b: Base,
    pub s: ReportStats,
    pub f: ReportStatsFilter,
    pub errors: FieldErrors,
}

impl StatsPage {
    pub fn percent(&self, v: &Option<f64>) -> String {
        v.map_or("—".to_string(), |x| format!("{:.1}%", x * 100.0))
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<ReportStatsFilter>,
) -> AppResult<Response> {
    let (s, errors) = match service::stats(&state, &actor, &f).await {
        Ok(s) => (s, FieldErrors::default()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (ReportStats::default(), errors),
            None => return Err(e),
        },
    };
    let b = Base::new(&state, &ctx, Some(&actor), "report_stats.title");
    render_form(
        &StatsPage {
            b,
            s,
            f,
            errors: errors.clone(),
        },
        errors.any(),
    )
}
