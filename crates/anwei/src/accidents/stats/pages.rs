//! `/accidents/stats`: the statistics' tables (zh-CN, phone-friendly: each table scrolls on
//! its own), the filters and the link to the xlsx export.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{AccidentStats, AccidentStatsFilter};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::{FieldErrors, render_form};

#[derive(Template)]
#[template(path = "accidents/stats.html")]
pub struct StatsPage {
    pub b: Base,
    pub s: AccidentStats,
    pub f: AccidentStatsFilter,
    /// The filters as a query string, for the export link.
    pub query: String,
    pub errors: FieldErrors,
}

impl StatsPage {
    pub fn change(&self, v: &Option<f64>) -> String {
        v.map_or("—".to_string(), |x| format!("{:+.1}%", x * 100.0))
    }

    /// An on-time rate as a percentage with one decimal, or a dash when nothing is settled.
    pub fn rate(&self, v: &Option<f64>) -> String {
        v.map_or("—".to_string(), |x| format!("{:.1}%", x * 100.0))
    }

    /// Yuan as 万元 with two decimals, as the national forms give losses.
    pub fn wan(&self, yuan: &i64) -> String {
        format!("{:.2}", *yuan as f64 / 10_000.0)
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AccidentStatsFilter>,
) -> AppResult<Response> {
    let (s, errors) = match service::stats(&state, &actor, &f).await {
        Ok(s) => (s, FieldErrors::default()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (AccidentStats::default(), errors),
            None => return Err(e),
        },
    };
    let query: Vec<(&str, String)> = [
        ("from", &f.from),
        ("to", &f.to),
        ("region_code", &f.region_code),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|s| !s.trim().is_empty()).map(|v| (k, v)))
    .collect();
    let b = Base::new(&state, &ctx, Some(&actor), "accident_stats.title");
    render_form(
        &StatsPage {
            b,
            s,
            f,
            query: serde_urlencoded::to_string(query).unwrap_or_default(),
            errors: errors.clone(),
        },
        errors.any(),
    )
}
