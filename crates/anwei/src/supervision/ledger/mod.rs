//! The supervision ledger's exports and summaries: xlsx in the layout of the document's
//! attachment with status columns, ranking of organisations by on-time rate, and the chart
//! of lights per measure.
//!
//! All three read the ledger's filters (`policy`, `measure`, `task`, `org`, `level`, `light`,
//! `status`, `role`) and the actor's data scope exactly as `service::list` does: an
//! organisation outside the scope never appears, not even as an empty column.
//!
//! `export` builds the xlsx, `ranking` ranks organisations by on-time rate, `chart` draws the
//! lights per measure; this file holds the routes and the one reading of filters and scope
//! they share.

mod chart;
mod export;
mod ranking;

pub use chart::{
    __path_by_measure_api, LedgerPanel, MeasureRollup, by_measure_api, panel, summary_page,
};
pub use export::{__path_export_api, export, export_api, export_page, neutralise, xlsx_download};
pub use ranking::{__path_ranking_api, RankRow, rank, ranking, ranking_api, ranking_page};

use axum::Router;
use axum::routing::get;
use chrono::NaiveDate;

use super::model::AssignmentFilter;
use super::store::ListParams;
use crate::act::{Act, Target};
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::orgs::service::scope_params;
use crate::policy::model::PolicyRow;
use crate::state::AppState;

// The chart module lives with the web helpers; it is declared here until `web/mod.rs` lists it.

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervision/export.xlsx", get(export_page))
        .route("/supervision/ranking", get(ranking_page))
        .route("/supervision/summary", get(summary_page))
        .route("/api/v1/assignments/export.xlsx", get(export_api))
        .route("/api/v1/assignments/ranking", get(ranking_api))
        .route("/api/v1/assignments/by-measure", get(by_measure_api))
}

// ---------------------------------------------------------------------------------------------
// Reading: permission, filters, scope.

/// The ledger's filters, checked and trimmed (empty values are no filter).
struct Filters {
    org: Option<String>,
    level: Option<String>,
    light: Option<String>,
    status: Option<String>,
    role: Option<String>,
    task: Option<i64>,
    measure: Option<i64>,
    policy: Option<String>,
}

impl Filters {
    fn parse(f: &AssignmentFilter) -> AppResult<Filters> {
        let ne = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        f.check()?;
        let out = Filters {
            org: ne(&f.org),
            level: ne(&f.level),
            light: ne(&f.light),
            status: ne(&f.status),
            role: ne(&f.role),
            task: f.task,
            measure: f.measure,
            policy: ne(&f.policy),
        };
        Ok(out)
    }

    /// True when a filter narrows the assignments themselves (not only the tasks): then only
    /// tasks with a matching assignment are rows of the export.
    fn narrows_assignments(&self) -> bool {
        self.org.is_some()
            || self.level.is_some()
            || self.light.is_some()
            || self.status.is_some()
            || self.role.is_some()
    }
}

/// What a ledger read found: the policy, today's date and the filters that were applied.
struct Read {
    policy: PolicyRow,
    today: NaiveDate,
    filters: Filters,
}

/// Permission, validation and policy lookup shared by export, ranking and chart; then `run`
/// gets the store parameters with the actor's scope.
async fn read<T>(
    state: &AppState,
    actor: &Actor,
    f: &AssignmentFilter,
    action: &'static str,
    run: impl AsyncFnOnce(&mut Act<'_>, &ListParams<'_>) -> AppResult<T>,
) -> AppResult<(Read, T)> {
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: "assignment",
        id: "",
    };
    act.require(Perm::TaskRead, action, t).await?;
    let filters = Filters::parse(f)?;
    let today = crate::time::today();
    let lead = state.cfg.supervision.lead_days;
    let scope = scope_params(actor);
    let policy = crate::policy::service::chosen(&mut act, filters.policy.as_deref()).await?;
    let params = ListParams {
        today: today.to_string(),
        soon: (today + chrono::Duration::days(lead)).to_string(),
        path_like: scope.path_like.as_deref(),
        org_id_scope: scope.org_id,
        policy_id: policy.id,
        task: filters.task,
        measure: filters.measure,
        org_code: filters.org.as_deref(),
        level: filters.level.as_deref(),
        light: filters.light.as_deref(),
        status: filters.status.as_deref(),
        role: filters.role.as_deref(),
        limit: 0,
        offset: 0,
    };
    let out = run(&mut act, &params).await?;
    Ok((
        Read {
            policy,
            today,
            filters,
        },
        out,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::store::LedgerCell;
    use super::ranking::closed_on_time;
    use super::*;

    fn cell(
        org: i64,
        status: &str,
        light: &str,
        due: Option<&str>,
        closed: Option<&str>,
    ) -> LedgerCell {
        LedgerCell {
            task_number: 1,
            measure_number: 1,
            org_id: crate::ids::OrgId(org),
            org_code: format!("O{org}"),
            org_name: format!("单位{org}"),
            status: status.into(),
            light: light.into(),
            due: due.map(str::to_string),
            closed_at: closed.map(|s| {
                chrono::DateTime::parse_from_rfc3339(s)
                    .expect("instant")
                    .timestamp_millis()
            }),
            reports_on_time: 0,
            reports_late: 0,
        }
    }

    #[test]
    fn formula_leading_text_gets_an_apostrophe() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+86"), "'+86");
        assert_eq!(neutralise("-x"), "'-x");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("市应急局"), "市应急局");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn closing_on_the_due_day_in_shanghai_counts_as_on_time() {
        // 2022-09-30 23:30 in Shanghai is 15:30 UTC: still the due day.
        assert!(closed_on_time(&cell(
            1,
            "closed",
            "grey",
            Some("2022-09-30"),
            Some("2022-09-30T15:30:00Z")
        )));
        // 2022-10-01 00:30 in Shanghai is 2022-09-30 16:30 UTC: a day late.
        assert!(!closed_on_time(&cell(
            1,
            "closed",
            "grey",
            Some("2022-09-30"),
            Some("2022-09-30T16:30:00Z")
        )));
        assert!(closed_on_time(&cell(
            1,
            "closed",
            "grey",
            None,
            Some("2030-01-01T00:00:00Z")
        )));
        assert!(!closed_on_time(&cell(
            1,
            "acknowledged",
            "green",
            None,
            None
        )));
    }

    #[test]
    fn ranking_orders_by_on_time_rate_and_shares_ranks() {
        let on_time = Some("2022-09-01T00:00:00Z");
        let late = Some("2022-12-01T00:00:00Z");
        let due = Some("2022-09-30");
        let cells = vec![
            // org 1: 1 on time, 1 overdue → 50 %
            cell(1, "closed", "grey", due, on_time),
            cell(1, "acknowledged", "red", due, None),
            // org 2: 2 on time → 100 %
            cell(2, "closed", "grey", due, on_time),
            cell(2, "closed", "grey", due, on_time),
            // org 3: nothing decided → no rate
            cell(3, "issued", "green", due, None),
            // org 4: 1 late, 1 on time → 50 %, same as org 1
            cell(4, "closed", "grey", due, late),
            cell(4, "closed", "grey", due, on_time),
        ];
        let r = rank(&cells);
        let order: Vec<&str> = r.iter().map(|r| r.org_code.as_str()).collect();
        assert_eq!(order, ["O2", "O4", "O1", "O3"]);
        assert_eq!(
            r.iter().map(|r| r.rank).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(2), None]
        );
        assert_eq!(r[0].on_time_rate, Some(1.0));
        assert_eq!(r[2].overdue, 1);
        assert_eq!(r[2].rate_label(), "50.0%");
        assert_eq!(r[3].rate_label(), "—");
    }

    #[test]
    fn an_ongoing_tasks_late_periods_stay_in_its_rate_after_the_date_moves_on() {
        // Ongoing, green now (its next date is ahead), but two of its three periods were
        // reported late: 1 on time of 3 decided.
        let mut c = cell(5, "acknowledged", "green", Some("2026-12-31"), None);
        c.reports_on_time = 1;
        c.reports_late = 2;
        let r = rank(&[c]);
        assert_eq!(r[0].reports_late, 2);
        assert_eq!(r[0].on_time_rate, Some(1.0 / 3.0));
        assert_eq!(r[0].rate_label(), "33.3%");
    }
}
