//! What an investigation takes and answers.

use anwei_rules::accident::Grade;
use anwei_rules::accident::chain::ReportLevel;
use anwei_rules::accident::investigation::{approval_due, investigation_due, is_overdue};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccidentId, AccountId};

/// A member of the investigation team (事故调查组).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InvestigationMember {
    #[serde(default)]
    pub name: String,
    /// The member's organisation (应急管理, 公安, 工会, 专家 …).
    #[serde(default)]
    pub organisation: String,
    /// 组长, 副组长, 成员, 专家 ….
    #[serde(default)]
    pub role: String,
}

/// `POST /api/v1/accidents/{id}/investigation`: open the investigation with its team.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InvestigationOpenInput {
    #[serde(default)]
    pub team: Vec<InvestigationMember>,
}

impl InvestigationOpenInput {
    pub fn parse(&self) -> AppResult<Vec<InvestigationMember>> {
        let bad = self.team.is_empty()
            || self.team.len() > 100
            || self.team.iter().any(|m| {
                let n = m.name.trim().chars().count();
                n == 0
                    || n > 50
                    || m.organisation.chars().count() > 100
                    || m.role.chars().count() > 50
            });
        if bad {
            return Err(AppError::field(
                "team",
                Msg::new("investigation.team_required"),
            ));
        }
        Ok(self
            .team
            .iter()
            .map(|m| InvestigationMember {
                name: m.name.trim().into(),
                organisation: m.organisation.trim().into(),
                role: m.role.trim().into(),
            })
            .collect())
    }
}

/// `POST …/investigation/extension`: days (1 to what is left of 60) and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InvestigationExtensionInput {
    pub days: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// `POST …/investigation/extension/decision`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InvestigationDecisionInput {
    #[serde(default)]
    pub approve: bool,
}

/// `POST …/investigation/report`: the report's summary and the responsibility findings.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InvestigationReportInput {
    #[serde(default)]
    pub summary: String,
    /// 责任认定: who bears which responsibility.
    #[serde(default)]
    pub findings: String,
}

impl InvestigationReportInput {
    pub fn parse(&self) -> AppResult<(String, String)> {
        let mut e = Vec::new();
        let summary = self.summary.trim().to_string();
        let findings = self.findings.trim().to_string();
        for (f, v) in [("summary", &summary), ("findings", &findings)] {
            if v.is_empty() || v.chars().count() > 20_000 {
                e.push((f.to_string(), Msg::new("investigation.text_required")));
            }
        }
        if e.is_empty() {
            Ok((summary, findings))
        } else {
            Err(AppError::Validation(e))
        }
    }
}

/// An investigation as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvestigationRow {
    pub accident_id: AccidentId,
    pub lead_level: String,
    pub team: String,
    pub status: String,
    pub opened_on: String,
    pub extension_days: i64,
    pub requested_days: Option<i64>,
    pub request_reason: String,
    pub requested_by: Option<AccountId>,
    pub report_summary: String,
    pub findings: String,
    pub reported_on: Option<String>,
    pub reported_by: Option<AccountId>,
    pub approved_on: Option<String>,
}

/// An investigation as the API answers it, with its due dates from the rules.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvestigationView {
    pub accident_id: AccidentId,
    /// Who leads it by the grade: `county`, `city`, `province`, `state_council`.
    pub lead_level: String,
    pub lead_level_name: String,
    pub team: Vec<InvestigationMember>,
    /// `open`, `reported`, `approved`.
    pub status: String,
    pub opened_on: String,
    /// Approved extension days (at most 60 in all).
    pub extension_days: i64,
    /// A pending extension request, in days; null when none.
    pub requested_days: Option<i64>,
    pub request_reason: String,
    /// The report is due: 60 days from the accident, plus approved extensions, plus the days
    /// of technical appraisal (技术鉴定), which are not counted.
    pub report_due: NaiveDate,
    /// The days of technical appraisal recorded (each period's days, both ends included).
    pub appraisal_days: i64,
    /// The periods of technical appraisal, the earliest first.
    pub appraisals: Vec<AppraisalView>,
    /// Open after the report's due date.
    pub overdue: bool,
    pub report_summary: String,
    pub findings: String,
    pub reported_on: Option<String>,
    /// The approval (批复) is due: 15 days from submission (30 for 特别重大).
    pub approval_due: Option<NaiveDate>,
    pub approval_overdue: bool,
    pub approved_on: Option<String>,
}

impl InvestigationRow {
    /// The investigation as answered, its report due date moved by the `appraisals`' days.
    pub fn view(
        &self,
        occurred_on: NaiveDate,
        grade: Grade,
        today: NaiveDate,
        appraisals: &[AppraisalRow],
    ) -> InvestigationView {
        let ext = u32::try_from(self.extension_days).unwrap_or(0);
        let appraisal_days: i64 = appraisals.iter().map(AppraisalRow::days).sum();
        let excluded = u32::try_from(appraisal_days).unwrap_or(0);
        let report_due =
            investigation_due(occurred_on, ext.min(60), excluded).unwrap_or(occurred_on);
        let reported = self
            .reported_on
            .as_deref()
            .and_then(crate::time::parse_date);
        let approval = reported.and_then(|d| approval_due(d, grade, 0).ok());
        InvestigationView {
            accident_id: self.accident_id,
            lead_level: self.lead_level.clone(),
            lead_level_name: ReportLevel::parse(&self.lead_level)
                .map(|l| l.name_zh().to_string())
                .unwrap_or_default(),
            team: serde_json::from_str(&self.team).unwrap_or_default(),
            status: self.status.clone(),
            opened_on: self.opened_on.clone(),
            extension_days: self.extension_days,
            requested_days: self.requested_days,
            request_reason: self.request_reason.clone(),
            report_due,
            appraisal_days,
            appraisals: appraisals.iter().map(AppraisalRow::view).collect(),
            overdue: self.status == "open" && is_overdue(report_due, today),
            report_summary: self.report_summary.clone(),
            findings: self.findings.clone(),
            reported_on: self.reported_on.clone(),
            approval_due: approval,
            approval_overdue: self.status == "reported"
                && approval.is_some_and(|d| is_overdue(d, today)),
            approved_on: self.approved_on.clone(),
        }
    }
}

/// `POST …/investigation/appraisals`: a period of technical appraisal (技术鉴定), its days not
/// counted in the investigation's time.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AppraisalInput {
    /// The first day (`YYYY-MM-DD`, UTC+8): not before the investigation was opened nor after
    /// today.
    #[serde(default)]
    pub starts_on: String,
    /// The last day (included), not before the first; at most a year later.
    #[serde(default)]
    pub ends_on: String,
    /// What was appraised (鉴定事项).
    #[serde(default)]
    pub subject: String,
    /// Who appraised it (鉴定机构).
    #[serde(default)]
    pub appraiser: String,
}

/// A period of appraisal, parsed.
#[derive(Debug, Clone)]
pub struct Appraisal {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub subject: String,
    pub appraiser: String,
}

/// The longest period one record may cover, in days.
pub const MAX_APPRAISAL_DAYS: i64 = 366;

impl AppraisalInput {
    /// The dates and texts (each bad field named, 422); the investigation's life is the use
    /// case's to check.
    pub fn parse(&self) -> AppResult<Appraisal> {
        let mut e = Vec::new();
        let mut date = |field: &str, v: &str| {
            let d = crate::time::parse_date(v);
            if d.is_none() {
                e.push((field.to_string(), Msg::new("investigation.appraisal_date")));
            }
            d
        };
        let starts_on = date("starts_on", &self.starts_on);
        let ends_on = date("ends_on", &self.ends_on);
        if let (Some(s), Some(t)) = (starts_on, ends_on) {
            let days = (t - s).num_days() + 1;
            if days < 1 {
                e.push((
                    "ends_on".into(),
                    Msg::new("investigation.appraisal_end_before"),
                ));
            } else if days > MAX_APPRAISAL_DAYS {
                let m =
                    Msg::new("investigation.appraisal_too_long").with("max", MAX_APPRAISAL_DAYS);
                e.push(("ends_on".into(), m));
            }
        }
        let subject = self.subject.trim().to_string();
        let appraiser = self.appraiser.trim().to_string();
        for (f, v) in [("subject", &subject), ("appraiser", &appraiser)] {
            if v.is_empty() || v.chars().count() > 500 {
                e.push((f.to_string(), Msg::new("investigation.text_required")));
            }
        }
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if e.is_empty() => Ok(Appraisal {
                starts_on,
                ends_on,
                subject,
                appraiser,
            }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// A period of appraisal as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppraisalRow {
    pub id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub subject: String,
    pub appraiser: String,
    pub recorded_by_name: String,
    pub created_at: i64,
}

impl AppraisalRow {
    /// Its days, both ends included (0 for a row that does not parse).
    pub fn days(&self) -> i64 {
        let p = crate::time::parse_date;
        match (p(&self.starts_on), p(&self.ends_on)) {
            (Some(s), Some(t)) if t >= s => (t - s).num_days() + 1,
            _ => 0,
        }
    }

    pub fn view(&self) -> AppraisalView {
        AppraisalView {
            id: self.id,
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            days: self.days(),
            subject: self.subject.clone(),
            appraiser: self.appraiser.clone(),
            recorded_by_name: self.recorded_by_name.clone(),
        }
    }
}

/// A period of technical appraisal as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppraisalView {
    pub id: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// Its days, both ends included: not counted in the investigation's time.
    pub days: i64,
    pub subject: String,
    pub appraiser: String,
    pub recorded_by_name: String,
}
