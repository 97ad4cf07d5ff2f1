//! The dashboards' figures as answered.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/hazards/stats?region=&from=&to=`: a GB/T 2260 code within the caller's scope,
/// and the first and last month found (`YYYY-MM` or a day in it), each optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct StatsFilter {
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// How many hazards carry one value (a grade, a status, a section, a month).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub n: i64,
}

/// The rates of one child territory or supervising sector.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Rates {
    /// The region code, or the sector code.
    pub key: String,
    pub label: String,
    pub total: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    /// closed / total, 0–1; null when there is no hazard.
    pub rectification_rate: Option<f64>,
    /// closed by the deadline / closed, 0–1; null when none is closed.
    pub on_time_rate: Option<f64>,
}

impl Rates {
    /// Adds `n` hazards, `closed` of them closed and `on_time` of those by the deadline.
    pub fn add(&mut self, n: i64, closed: i64, on_time: i64) {
        self.total += n;
        self.closed += closed;
        self.closed_on_time += on_time;
    }

    pub fn finish(mut self) -> Rates {
        let ratio =
            |a: i64, b: i64| (b > 0).then(|| (a as f64 / b as f64 * 10_000.0).round() / 10_000.0);
        self.rectification_rate = ratio(self.closed, self.total);
        self.on_time_rate = ratio(self.closed_on_time, self.closed);
        self
    }
}

/// The figures of a region and period.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub region_code: String,
    pub region_name: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub total: i64,
    /// Hazards now overdue in the region (not closed, the deadline passed), whatever the
    /// period.
    pub overdue: i64,
    pub by_grade: Vec<Count>,
    pub by_status: Vec<Count>,
    /// By GB/T 4754 section.
    pub by_industry: Vec<Count>,
    /// By month found, `YYYY-MM`.
    pub by_month: Vec<Count>,
    /// Per child territory (the region itself for hazards placed at it).
    pub territories: Vec<Rates>,
    /// Per supervising sector (行业主管部门) under the industry map; a hazard whose industry
    /// two sectors cover counts for both.
    pub departments: Vec<Rates>,
}
