//! Deliverables, requirements and submissions as rows and views; input as typed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, Day, FileId, OrgId, PolicyId, RequirementId, SubmissionId};

pub use anwei_rules::deliverables::{Status, is_late};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequirementRow {
    pub id: RequirementId,
    pub policy_id: PolicyId,
    pub policy_code: String,
    pub deliverable_code: String,
    pub title_zh: String,
    pub title_en: String,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    pub region_path: String,
    pub due: Day,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub created_at: i64,
    pub updated_at: i64,
    /// The latest submission's instant and late flag, if any.
    pub last_submitted_at: Option<i64>,
    pub last_late: Option<bool>,
}

impl RequirementRow {
    pub fn view(&self, today: NaiveDate) -> RequirementView {
        let delivered = matches!(self.status, Status::Submitted | Status::Accepted);
        let overdue = !delivered && is_late(self.due.date(), today);
        RequirementView {
            id: self.id,
            policy: self.policy_code.clone(),
            deliverable: self.deliverable_code.clone(),
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            org_code: self.org_code.clone(),
            org_name: self.org_name.clone(),
            due: self.due,
            status: self.status.code().to_string(),
            late: if delivered {
                self.last_late.unwrap_or(false)
            } else {
                overdue
            },
            overdue,
            last_submitted_at: self.last_submitted_at,
            created_at: self.created_at,
        }
    }
}

/// A requirement as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequirementView {
    pub id: RequirementId,
    pub policy: String,
    /// The deliverable's code, e.g. `implementation_plan`.
    pub deliverable: String,
    pub title_zh: String,
    pub title_en: String,
    pub org_code: String,
    pub org_name: String,
    /// The due date (YYYY-MM-DD, Asia/Shanghai).
    pub due: Day,
    /// `pending`, `submitted`, `returned`, `accepted`.
    pub status: String,
    /// Delivered (submitted or accepted): the current submission arrived after the due day
    /// by the server's date. Not delivered: the due day has passed.
    pub late: bool,
    /// Not delivered and the due day has passed.
    pub overdue: bool,
    pub last_submitted_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubmissionRow {
    pub id: SubmissionId,
    pub requirement_id: RequirementId,
    pub note: String,
    pub submitted_at: i64,
    pub submitted_by: AccountId,
    pub submitted_by_name: String,
    /// Submitted after the due day, by the server's date in Asia/Shanghai.
    pub late: bool,
    /// null while waiting; `accepted` or `returned`.
    pub decision: Option<String>,
    pub review_comment: String,
    pub reviewed_at: Option<i64>,
    pub reviewed_by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FileRow {
    pub id: FileId,
    pub submission_id: SubmissionId,
    pub filename: String,
    pub mime: String,
    pub size: i64,
}

/// Per-deliverable counts within the reader's scope.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DeliverableSummary {
    /// Requirements issued.
    pub required: i64,
    /// Delivered now: submitted (waiting for review) or accepted.
    pub submitted: i64,
    /// Late: delivered after the due day, or not delivered and the due day has passed.
    pub late: i64,
    pub accepted: i64,
}

/// A deliverable of the policy with its summary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliverableView {
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
    pub due: String,
    pub article_number: Option<i64>,
    pub summary: DeliverableSummary,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequirementFilter {
    pub policy: Option<String>,
    pub deliverable: Option<String>,
    pub org: Option<String>,
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A new deliverable the office adds to the policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewDeliverableInput {
    /// Lower-case letters, digits and `_`, e.g. `flood_plan`.
    pub code: String,
    /// The Chinese title.
    pub title: String,
    /// The English title; the Chinese one when omitted.
    #[serde(default)]
    pub title_en: String,
    /// YYYY-MM-DD.
    pub due: String,
    /// The policy's code; the default policy when omitted.
    #[serde(default)]
    pub policy: Option<String>,
}

/// The organisations to require a deliverable from.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RequireInput {
    /// Organisation codes; omitted or empty: the default set (every county-level government
    /// including the zones' 管委会, and every city department with safety supervision duties).
    #[serde(default)]
    pub orgs: Option<Vec<String>>,
    #[serde(default)]
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SubmitInput {
    pub note: String,
}

pub use crate::review::model::DecisionInput;

impl From<crate::review::model::SubmissionRow> for SubmissionRow {
    fn from(r: crate::review::model::SubmissionRow) -> Self {
        SubmissionRow {
            id: r.id,
            requirement_id: RequirementId(r.subject_id),
            note: r.body,
            submitted_at: r.submitted_at,
            submitted_by: r.submitted_by,
            submitted_by_name: r.submitted_by_name,
            late: r.late,
            decision: r.decision.map(|d| d.code().to_string()),
            review_comment: r.review_comment,
            reviewed_at: r.reviewed_at,
            reviewed_by_name: r.reviewed_by_name,
        }
    }
}

impl From<crate::review::model::FileRow> for FileRow {
    fn from(f: crate::review::model::FileRow) -> Self {
        FileRow {
            id: f.id,
            submission_id: f.submission_id,
            filename: f.filename,
            mime: f.mime,
            size: f.size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_submission_on_the_due_day_is_on_time_and_the_day_after_is_late() {
        assert!(!is_late(d("2022-06-10"), d("2022-06-10")));
        assert!(is_late(d("2022-06-10"), d("2022-06-11")));
        assert!(!is_late(d("2022-06-10"), d("2022-06-01")));
    }

    #[test]
    fn only_a_pending_or_returned_requirement_takes_a_submission() {
        assert!(Status::Pending.may_submit());
        assert!(Status::Returned.may_submit());
        assert!(!Status::Submitted.may_submit());
        assert!(!Status::Accepted.may_submit());
        assert_eq!(Status::parse("accepted"), Some(Status::Accepted));
        assert_eq!(Status::parse("late"), None);
    }
}
