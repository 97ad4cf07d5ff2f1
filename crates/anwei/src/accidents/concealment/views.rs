//! Concealment cases as the API and the pages show them.

use serde::Serialize;

use super::model::CaseRow;
use crate::accidents::views::instant;
use crate::ids::{AccidentId, OrgId, ReportId};

/// A concealment case as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConcealmentCaseView {
    pub id: i64,
    pub source: String,
    pub source_note: String,
    pub region_code: String,
    pub region_name: String,
    /// The territory whose 安委办 supervises and verifies the case (one level up).
    pub supervising_region: String,
    pub unit_name: String,
    pub enterprise_id: Option<OrgId>,
    /// RFC 3339 in UTC+8.
    pub occurred_at: String,
    pub description: String,
    pub alleged_deaths: Option<i64>,
    pub alleged_serious_injuries: Option<i64>,
    pub alleged_missing: Option<i64>,
    pub alleged_direct_loss_yuan: Option<i64>,
    /// The existing accident the lead names.
    pub accident_id: Option<AccidentId>,
    pub report_id: Option<ReportId>,
    /// `open`, `verified` or `unfounded`.
    pub status: String,
    /// `concealed`, `falsified`, `omitted` or `unfounded` once verified.
    pub outcome: Option<String>,
    pub verified_deaths: Option<i64>,
    pub verified_serious_injuries: Option<i64>,
    pub verified_missing: Option<i64>,
    pub verified_direct_loss_yuan: Option<i64>,
    pub verified_grade: Option<String>,
    /// Deaths concealed: all verified deaths of a concealed accident, the difference to the
    /// reported ones of a falsified one.
    pub concealed_deaths: Option<i64>,
    pub missing_contents: Vec<String>,
    pub verify_note: String,
    /// The accident created (瞒报) or flagged (谎报, 漏报) by the verification.
    pub result_accident_id: Option<AccidentId>,
    /// The caller's office supervises the case and may verify it (while it is open).
    pub may_verify: bool,
    pub opened_by_name: String,
    pub verified_at: Option<String>,
    pub created_at: i64,
}

impl CaseRow {
    pub fn contents(&self) -> Vec<String> {
        self.missing_contents
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    pub fn view(&self, may_verify: bool) -> ConcealmentCaseView {
        ConcealmentCaseView {
            id: self.id,
            source: self.source.clone(),
            source_note: self.source_note.clone(),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            supervising_region: self.supervising_name.clone().unwrap_or_default(),
            unit_name: self.unit_name.clone(),
            enterprise_id: self.enterprise_id,
            occurred_at: instant(self.occurred_at),
            description: self.description.clone(),
            alleged_deaths: self.alleged_deaths,
            alleged_serious_injuries: self.alleged_serious_injuries,
            alleged_missing: self.alleged_missing,
            alleged_direct_loss_yuan: self.alleged_direct_loss_yuan,
            accident_id: self.accident_id,
            report_id: self.report_id,
            status: self.status.clone(),
            outcome: self.outcome.clone(),
            verified_deaths: self.verified_deaths,
            verified_serious_injuries: self.verified_serious_injuries,
            verified_missing: self.verified_missing,
            verified_direct_loss_yuan: self.verified_direct_loss_yuan,
            verified_grade: self.verified_grade.clone(),
            concealed_deaths: self.concealed_deaths,
            missing_contents: self.contents(),
            verify_note: self.verify_note.clone(),
            result_accident_id: self.result_accident_id,
            may_verify: may_verify && self.status == "open",
            opened_by_name: self.opened_by_name.clone(),
            verified_at: self.verified_at.map(instant),
            created_at: self.created_at,
        }
    }
}
