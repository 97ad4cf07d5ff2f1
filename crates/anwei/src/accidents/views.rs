//! Accidents as the API answers them.

use anwei_rules::accident::chain::{ReportLevel, required_level};
use anwei_rules::accident::{Grading, in_window, missing_count_as_dead_from, window_last_day};
use chrono::{DateTime, NaiveDate};
use serde::Serialize;

use super::model::{AccidentRow, VersionRow};
use crate::ids::{AccidentId, OrgId};

/// The criterion that decided a grade, as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriterionView {
    /// `deaths>=10`, `serious_injuries>=50`, `direct_loss>=10000000`, or `below_serious`.
    pub code: String,
    /// `deaths`, `serious_injuries` or `direct_loss`.
    pub measure: String,
    /// The threshold reached (以上, included); null for an 一般 accident.
    pub threshold: Option<u64>,
    /// The measure's value.
    pub value: u64,
    /// In Chinese: 死亡人数12人，达到10人以上.
    pub text: String,
}

impl From<&Grading> for CriterionView {
    fn from(g: &Grading) -> Self {
        CriterionView {
            code: g.criterion.code(),
            measure: g.criterion.measure.code().to_string(),
            threshold: g.criterion.threshold,
            value: g.criterion.value,
            text: g.criterion.describe_zh(),
        }
    }
}

/// An accident as the API answers it: its latest figures and the grade they give.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccidentView {
    pub id: AccidentId,
    /// RFC 3339 in UTC+8.
    pub occurred_at: String,
    pub region_code: String,
    pub region_name: String,
    pub enterprise_id: Option<OrgId>,
    pub unit_name: String,
    pub industry: String,
    #[serde(rename = "type")]
    pub accident_type: String,
    pub category: String,
    pub location: String,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
    pub summary: String,
    pub measures: String,
    pub other: String,
    /// `extremely_serious` | `very_serious` | `serious` | `ordinary` (特别重大, 重大, 较大, 一般).
    pub grade: String,
    pub grade_name: String,
    pub criterion: CriterionView,
    /// The level the report must reach: `city`, `province` or `state_council`.
    pub required_level: String,
    /// The number of the latest version (1: the first report).
    pub version: i64,
    /// The last day supplementary reports are taken (30 days; 7 for road traffic and fire).
    pub window_last_day: String,
    /// Today (server clock) is within that window.
    pub in_window: bool,
    /// When missing persons will count as deaths; null when nobody is missing.
    pub missing_count_as_dead_from: Option<String>,
    pub reported_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AccidentRow {
    pub fn view(&self, today: NaiveDate) -> AccidentView {
        let grading = anwei_rules::accident::grade(&self.casualties());
        let on = self.occurred_on();
        AccidentView {
            id: self.id,
            occurred_at: instant(self.occurred_at),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            enterprise_id: self.enterprise_id,
            unit_name: self.unit_name.clone(),
            industry: self.industry.clone(),
            accident_type: self.accident_type.clone(),
            category: self.category.code().to_string(),
            location: self.location.clone(),
            deaths: self.deaths,
            serious_injuries: self.serious_injuries,
            missing: self.missing,
            direct_loss_yuan: self.direct_loss_yuan,
            summary: self.summary.clone(),
            measures: self.measures.clone(),
            other: self.other.clone(),
            grade: self.grade.code().to_string(),
            grade_name: self.grade.name_zh().to_string(),
            criterion: CriterionView::from(&grading),
            required_level: required_level(self.grade).code().to_string(),
            version: self.version,
            window_last_day: window_last_day(on, self.category).to_string(),
            in_window: in_window(on, self.category, today),
            missing_count_as_dead_from: (self.missing > 0)
                .then(|| missing_count_as_dead_from(on, self.category).to_string()),
            reported_by_name: self.reported_by_name.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// Epoch milliseconds as RFC 3339 in UTC+8.
pub fn instant(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&crate::time::tz())
        .to_rfc3339()
}

/// One version as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
    pub summary: String,
    pub measures: String,
    pub other: String,
    pub grade: String,
    pub criterion: String,
    pub reported_by_name: String,
    pub created_at: i64,
}

impl From<VersionRow> for VersionView {
    fn from(v: VersionRow) -> Self {
        VersionView {
            version: v.version,
            deaths: v.deaths,
            serious_injuries: v.serious_injuries,
            missing: v.missing,
            direct_loss_yuan: v.direct_loss_yuan,
            summary: v.summary,
            measures: v.measures,
            other: v.other,
            grade: v.grade.code().to_string(),
            criterion: v.criterion,
            reported_by_name: v.reported_by_name,
            created_at: v.created_at,
        }
    }
}

/// One step of the chain the grade requires (the clocks' persistence is not built yet).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HopView {
    pub from: String,
    pub to: String,
    /// 60 for the unit's report, 120 for each level above.
    pub limit_minutes: i64,
    /// Whether the receiving level lies inside the platform (county, city).
    pub inside_platform: bool,
}

/// The chain of `hops` as the API answers it.
pub fn hop_views(hops: &[anwei_rules::accident::chain::Hop]) -> Vec<HopView> {
    hops.iter()
        .map(|h| HopView {
            from: h.from.code().to_string(),
            to: h.to.code().to_string(),
            limit_minutes: h.limit_minutes(),
            inside_platform: ReportLevel::inside_platform(&h.to),
        })
        .collect()
}
