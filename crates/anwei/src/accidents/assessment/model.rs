//! The assessment inputs as asked and answered.

use serde::{Deserialize, Serialize};

use crate::ids::AccidentId;

/// `GET /api/v1/assessment/veto?year=&region_code=`: the calendar year of occurrence (UTC+8;
/// default: the current year) and a GB/T 2260 code within the caller's scope (default: the
/// caller's region).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct VetoFilter {
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub region_code: Option<String>,
}

/// An accident that decides a territory's outcome (较大 or worse).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VetoAccident {
    pub id: AccidentId,
    /// `extremely_serious`, `very_serious` or `serious`.
    pub grade: String,
    pub grade_name: String,
    /// RFC 3339 in UTC+8.
    pub occurred_at: String,
    pub unit_name: String,
    /// The territory it happened in (this one or one below it).
    pub region_code: String,
}

/// One territory's assessment input for the year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TerritoryVeto {
    pub region_code: String,
    pub name: String,
    /// `city` or `county`.
    pub level: String,
    /// 一票否决: a 重大 or 特别重大 accident in the territory or below it.
    pub veto: bool,
    /// 一票否优: a 较大 accident and none graver (a vetoed territory has `veto` only).
    pub no_excellent: bool,
    /// The rule's outcome: `veto`, `no_excellent` or `clear`.
    pub rule: String,
    /// 一票否决, 一票否优 or 无.
    pub rule_name: String,
    /// The accidents that decide it (较大 or worse), the latest first.
    pub accidents: Vec<VetoAccident>,
}
