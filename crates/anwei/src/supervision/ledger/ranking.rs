//! Organisations ranked by on-time rate: on time is judged by the date of the accepted
//! completion request.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::super::store::{self, LedgerCell};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::policy::model::PolicyRow;
use crate::state::AppState;
use crate::supervision::model::AssignmentFilter;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::render;

// The chart module lives with the web helpers; it is declared here until `web/mod.rs` lists it.

use super::read;

// ---------------------------------------------------------------------------------------------
// Ranking by on-time rate.

/// One organisation's place in the ranking.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankRow {
    /// 1-based; organisations with the same rate share a rank (1, 1, 3). Null when the rate is
    /// not defined yet (nothing closed and nothing overdue).
    pub rank: Option<i64>,
    pub org_code: String,
    pub org_name: String,
    /// Assignments in scope and filter.
    pub assigned: i64,
    /// Closed (销号).
    pub closed: i64,
    /// Closed on or before the due date (by the Asia/Shanghai date of closing); a task without
    /// a fixed date counts as closed on time.
    pub closed_on_time: i64,
    /// Overdue now: open and past the date that decides the light (red).
    pub overdue: i64,
    /// Ongoing tasks: periods reported by their date (accepted progress reports on time).
    pub reports_on_time: i64,
    /// Ongoing tasks: periods reported after their date (accepted late progress reports).
    pub reports_late: i64,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub grey: i64,
    /// `(closed_on_time + reports_on_time) / (closed + reports_on_time + reports_late +
    /// overdue)`, between 0 and 1; null when that is 0 / 0.
    pub on_time_rate: Option<f64>,
}

impl RankRow {
    /// The rate as a percentage with one decimal, or "—".
    pub fn rate_label(&self) -> String {
        self.on_time_rate
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "—".into())
    }
}

pub(super) fn closed_on_time(c: &LedgerCell) -> bool {
    if c.status != "closed" {
        return false;
    }
    let Some(due) = c
        .due
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return true;
    };
    c.closed_at
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|at| at.with_timezone(&crate::time::tz()).date_naive() <= due)
        .unwrap_or(false)
}

/// Ranks organisations by **on-time rate** (按期办结率):
///
/// `on_time_rate = (closed_on_time + reports_on_time) / (closed + reports_on_time +
/// reports_late + overdue)`, where `closed_on_time` counts closed assignments whose accepted
/// completion request was made (Asia/Shanghai) on or before the task's due date — the
/// organisation is not blamed for the day the office accepted it (tasks without a fixed date
/// count as on time), `closed` counts all closed assignments, `overdue` the open ones that are
/// red now, and for ongoing (长期坚持) tasks every accepted progress report is one period
/// decided, on time or late by the date it was due when it was made — so lateness already
/// incurred stays after the next period's date replaces the old one. The denominator is what
/// is already decided; an open assignment that is not yet late does not count either way.
///
/// Order: rate descending (organisations without a rate last), then more closed on time, then
/// fewer overdue, then the organisation tree order of `cells` (which must come in tree order).
pub fn rank(cells: &[LedgerCell]) -> Vec<RankRow> {
    let mut index: HashMap<crate::ids::OrgId, usize> = HashMap::new();
    let mut rows: Vec<RankRow> = Vec::new();
    for c in cells {
        let i = *index.entry(c.org_id).or_insert_with(|| {
            rows.push(RankRow {
                rank: None,
                org_code: c.org_code.clone(),
                org_name: c.org_name.clone(),
                assigned: 0,
                closed: 0,
                closed_on_time: 0,
                overdue: 0,
                reports_on_time: 0,
                reports_late: 0,
                red: 0,
                yellow: 0,
                green: 0,
                grey: 0,
                on_time_rate: None,
            });
            rows.len() - 1
        });
        let r = &mut rows[i];
        r.assigned += 1;
        r.closed += i64::from(c.status == "closed");
        r.closed_on_time += i64::from(closed_on_time(c));
        r.reports_on_time += c.reports_on_time;
        r.reports_late += c.reports_late;
        match c.light.as_str() {
            "red" => r.red += 1,
            "yellow" => r.yellow += 1,
            "green" => r.green += 1,
            _ => r.grey += 1,
        }
    }
    for r in &mut rows {
        r.overdue = r.red;
        let on_time = r.closed_on_time + r.reports_on_time;
        let denom = r.closed + r.reports_on_time + r.reports_late + r.overdue;
        r.on_time_rate = (denom > 0).then(|| on_time as f64 / denom as f64);
    }
    // Stable sort keeps the tree order among equals.
    rows.sort_by(|a, b| {
        let ra = a.on_time_rate.unwrap_or(-1.0);
        let rb = b.on_time_rate.unwrap_or(-1.0);
        rb.total_cmp(&ra)
            .then(b.closed_on_time.cmp(&a.closed_on_time))
            .then(a.overdue.cmp(&b.overdue))
    });
    let mut prev: Option<(f64, i64)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        let Some(rate) = r.on_time_rate else { break };
        let rank = match prev {
            Some((p, n)) if p == rate => n,
            _ => i as i64 + 1,
        };
        r.rank = Some(rank);
        prev = Some((rate, rank));
    }
    rows
}

pub struct Ranking {
    pub policy: PolicyRow,
    pub today: NaiveDate,
    pub rows: Vec<RankRow>,
}

pub async fn ranking(state: &AppState, actor: &Actor, f: &AssignmentFilter) -> AppResult<Ranking> {
    let (r, cells) = read(state, actor, f, "assignment.ranking", async |act, p| {
        Ok(store::ledger_cells(act.tx(), p).await?)
    })
    .await?;
    Ok(Ranking {
        rows: rank(&cells),
        policy: r.policy,
        today: r.today,
    })
}

#[derive(Template)]
#[template(path = "supervision/ranking.html")]
pub struct RankingPage {
    pub b: Base,
    pub rows: Vec<RankRow>,
    pub policy: PolicyRow,
    pub today: String,
    pub query: String,
}

pub(super) fn query_of(f: &AssignmentFilter) -> String {
    let mut q: Vec<(&str, String)> = Vec::new();
    for (k, v) in [
        ("policy", &f.policy),
        ("org", &f.org),
        ("level", &f.level),
        ("light", &f.light),
        ("status", &f.status),
        ("role", &f.role),
    ] {
        if let Some(v) = v.as_ref().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            q.push((k, v.to_string()));
        }
    }
    if let Some(m) = f.measure.filter(|m| *m > 0) {
        q.push(("measure", m.to_string()));
    }
    if let Some(n) = f.task {
        q.push(("task", n.to_string()));
    }
    serde_urlencoded::to_string(&q).unwrap_or_default()
}

/// 排名: organisations by on-time rate.
pub async fn ranking_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    let r = ranking(&state, &actor, &f).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "ledger.ranking_title");
    render(&RankingPage {
        b,
        rows: r.rows,
        policy: r.policy,
        today: r.today.to_string(),
        query: query_of(&f),
    })
}

/// Organisations in scope ranked by on-time rate = closed on time / (closed + overdue now);
/// closed on time: closed on or before the due date (Asia/Shanghai), tasks without a date count
/// as on time. Filters as `GET /api/v1/assignments`.
#[utoipa::path(get, path = "/api/v1/assignments/ranking", tag = "supervision",
    params(("policy" = Option<String>, Query), ("measure" = Option<i64>, Query), ("task" = Option<i64>, Query), ("org" = Option<String>, Query),
           ("level" = Option<String>, Query), ("light" = Option<String>, Query), ("status" = Option<String>, Query), ("role" = Option<String>, Query)),
    responses((status = 200, description = "{\"policy\": code, \"today\": date, \"items\": [RankRow]}", body = [RankRow]), (status = 401), (status = 403), (status = 422)))]
pub async fn ranking_api(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Json<Value>> {
    let r = ranking(&state, &actor, &f).await?;
    Ok(Json(
        json!({"policy": r.policy.code, "today": r.today.to_string(), "items": r.rows}),
    ))
}
