//! `/hazards/dashboard`: the dashboard's tables with simple bars (`<meter>`, no script), links
//! to the overdue list and the xlsx exports; `/hazards/dashboard.xlsx` and
//! `/hazards/export.xlsx` for the pages.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{Stats, StatsFilter};
use super::{api, service};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::hazards::model::HazardFilter;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::{FieldErrors, render_form};

#[derive(Template)]
#[template(path = "hazards/dashboard.html")]
pub struct DashboardPage {
    pub b: Base,
    pub s: Stats,
    pub f: StatsFilter,
    /// The filters as a query string, for the export link.
    pub query: String,
    /// The overdue list of the same region.
    pub overdue_link: String,
    pub errors: FieldErrors,
}

impl DashboardPage {
    /// The largest count of a table, for the bars' scale.
    pub fn most(&self, rows: &[super::model::Count]) -> i64 {
        rows.iter().map(|c| c.n).max().unwrap_or(0).max(1)
    }

    pub fn percent(&self, v: &Option<f64>) -> String {
        v.map_or("—".to_string(), |x| format!("{:.1}%", x * 100.0))
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<StatsFilter>,
) -> AppResult<Response> {
    let (s, errors) = match service::stats(&state, &actor, &f).await {
        Ok(s) => (s, FieldErrors::default()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (Stats::default(), errors),
            None => return Err(e),
        },
    };
    let query: Vec<(&str, String)> = [("region", &f.region), ("from", &f.from), ("to", &f.to)]
        .into_iter()
        .filter_map(|(k, v)| v.clone().filter(|s| !s.trim().is_empty()).map(|v| (k, v)))
        .collect();
    let region: Vec<(&str, String)> = query
        .iter()
        .filter(|(k, _)| *k == "region")
        .cloned()
        .collect();
    let mut overdue = serde_urlencoded::to_string(region).unwrap_or_default();
    overdue.push_str(if overdue.is_empty() {
        "overdue=true"
    } else {
        "&overdue=true"
    });
    let b = Base::new(&state, &ctx, Some(&actor), "hazards.dashboard");
    render_form(
        &DashboardPage {
            b,
            s,
            f,
            query: serde_urlencoded::to_string(query).unwrap_or_default(),
            overdue_link: format!("/hazards?{overdue}"),
            errors: errors.clone(),
        },
        errors.any(),
    )
}

/// The dashboard's workbook for the page's link.
pub async fn dashboard_xlsx(
    state: State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    f: Q<StatsFilter>,
) -> AppResult<Response> {
    api::stats_xlsx(state, ctx, actor, f).await
}

/// The list's workbook for the list page's link.
pub async fn list_xlsx(
    state: State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    f: Q<HazardFilter>,
) -> AppResult<Response> {
    api::list_xlsx(state, ctx, actor, f).await
}
