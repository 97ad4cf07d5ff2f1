//! The report statistics as answered.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/reports/stats?from=&to=&region_code=`: the first and last month received
/// (`YYYY-MM` or a day in it; default: January of `to`'s year to the current month) and a
/// GB/T 2260 code within the caller's scope.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct ReportStatsFilter {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub region_code: Option<String>,
}

/// The handling figures of one row (a category, a territory, a month, or all).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Handling {
    pub key: String,
    pub label: String,
    /// Reports received.
    pub reports: i64,
    /// Accepted (受理): every report not waiting for triage and not rejected.
    pub accepted: i64,
    /// Verified (核查 with a finding: verified or answered).
    pub verified: i64,
    /// Verified on or before the verification deadline (server date).
    pub verified_on_time: i64,
    /// 核查率: verified / accepted, 0–1; null when none is accepted.
    pub verification_rate: Option<f64>,
    /// 按期核查率: verified on time / verified, 0–1; null when none is verified.
    pub on_time_rate: Option<f64>,
    /// 举报奖励: rewards proposed, approved and paid, counts and yuan.
    pub rewards: Rewards,
}

/// The rewards of a row's reports (奖励兑现): each reward counts as proposed; approved once
/// approved (or paid); paid once paid. Sums in yuan (two decimals).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Rewards {
    pub proposed: i64,
    pub proposed_yuan: f64,
    pub approved: i64,
    pub approved_yuan: f64,
    pub paid: i64,
    pub paid_yuan: f64,
    #[serde(skip)]
    pub proposed_fen: i64,
    #[serde(skip)]
    pub approved_fen: i64,
    #[serde(skip)]
    pub paid_fen: i64,
}

impl Rewards {
    pub fn add(&mut self, o: &Rewards) {
        self.proposed += o.proposed;
        self.approved += o.approved;
        self.paid += o.paid;
        self.proposed_fen += o.proposed_fen;
        self.approved_fen += o.approved_fen;
        self.paid_fen += o.paid_fen;
    }

    fn finish(&mut self) {
        let y = |fen: i64| fen as f64 / 100.0;
        self.proposed_yuan = y(self.proposed_fen);
        self.approved_yuan = y(self.approved_fen);
        self.paid_yuan = y(self.paid_fen);
    }
}

impl Handling {
    pub fn add(&mut self, o: &Handling) {
        self.reports += o.reports;
        self.accepted += o.accepted;
        self.verified += o.verified;
        self.verified_on_time += o.verified_on_time;
        self.rewards.add(&o.rewards);
    }

    pub fn finish(mut self) -> Handling {
        let r =
            |a: i64, b: i64| (b > 0).then(|| (a as f64 / b as f64 * 10_000.0).round() / 10_000.0);
        self.verification_rate = r(self.verified, self.accepted);
        self.on_time_rate = r(self.verified_on_time, self.verified);
        self.rewards.finish();
        self
    }
}

/// The statistics of a region and period.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ReportStats {
    pub region_code: String,
    pub region_name: String,
    /// `YYYY-MM`.
    pub from: String,
    pub to: String,
    pub total: Handling,
    pub by_category: Vec<Handling>,
    /// Per child territory (the region itself for reports placed at it).
    pub by_territory: Vec<Handling>,
    /// By month received, `YYYY-MM`.
    pub by_month: Vec<Handling>,
}
