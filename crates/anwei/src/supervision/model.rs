//! Assignments, reports and events as rows and views; input parsing.

use anwei_rules::supervision::{AssignmentRole, Light, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, AssignmentId, Day, FileId, OrgId, PolicyId, SubmissionId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: AssignmentId,
    pub policy_id: PolicyId,
    pub policy_code: String,
    pub task_number: i64,
    pub measure_number: i64,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    pub org_level: String,
    pub org_kind: String,
    pub region_path: String,
    #[sqlx(try_from = "String")]
    pub role: AssignmentRole,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub ongoing: bool,
    pub due: Option<Day>,
    pub watch_due: Option<Day>,
    pub issued_at: i64,
    pub acknowledged_at: Option<i64>,
    pub last_report_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub version: i64,
}

impl AssignmentRow {
    pub fn light(&self, today: NaiveDate, lead_days: i64) -> Light {
        anwei_rules::supervision::light(
            self.status,
            self.watch_due.map(Day::date),
            today,
            lead_days,
        )
    }
    pub fn view(&self, today: NaiveDate, lead_days: i64) -> AssignmentView {
        AssignmentView {
            id: self.id,
            policy: self.policy_code.clone(),
            task_number: self.task_number,
            measure: self.measure_number,
            org_code: self.org_code.clone(),
            org_name: self.org_name.clone(),
            role: self.role.code().to_string(),
            status: self.status.code().to_string(),
            light: self.light(today, lead_days).code().to_string(),
            due: self.due,
            watch_due: self.watch_due,
            ongoing: self.ongoing,
            issued_at: self.issued_at,
            acknowledged_at: self.acknowledged_at,
            last_report_at: self.last_report_at,
            closed_at: self.closed_at,
        }
    }
}

/// An assignment as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    pub id: AssignmentId,
    pub policy: String,
    pub task_number: i64,
    pub measure: i64,
    pub org_code: String,
    pub org_name: String,
    /// `lead` (牵头) or `support` (配合).
    pub role: String,
    /// `issued`, `acknowledged`, `reported`, `returned`, `completion_requested`, `closed`.
    pub status: String,
    /// `red`, `yellow`, `green`, `grey`, by the server's date in Asia/Shanghai.
    pub light: String,
    /// The task's due date (YYYY-MM-DD) or null.
    pub due: Option<Day>,
    /// The date that decides the light now (for ongoing tasks: the next report date).
    pub watch_due: Option<Day>,
    pub ongoing: bool,
    pub issued_at: i64,
    pub acknowledged_at: Option<i64>,
    pub last_report_at: Option<i64>,
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    pub id: SubmissionId,
    pub assignment_id: AssignmentId,
    /// `progress` or `completion` (办结申请).
    pub kind: String,
    pub text: String,
    pub submitted_at: i64,
    pub submitted_by: AccountId,
    pub submitted_by_name: String,
    /// null while waiting; `accepted` or `returned`.
    pub decision: Option<String>,
    pub review_comment: String,
    pub reviewed_at: Option<i64>,
    pub reviewed_by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentRow {
    pub id: FileId,
    pub report_id: SubmissionId,
    pub filename: String,
    pub mime: String,
    pub size: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct EventRow {
    pub id: i64,
    pub assignment_id: AssignmentId,
    pub task_number: i64,
    pub org_code: String,
    pub org_name: String,
    /// issued, acknowledged, reported, completion_requested, accepted, returned, closed, reminded.
    pub kind: String,
    pub actor_name: String,
    pub at: i64,
    pub comment: String,
    pub report_id: Option<SubmissionId>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssignmentFilter {
    pub policy: Option<String>,
    pub task: Option<i64>,
    pub measure: Option<i64>,
    pub org: Option<String>,
    pub level: Option<String>,
    pub light: Option<String>,
    pub status: Option<String>,
    pub role: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl AssignmentFilter {
    /// The one check of a filter, for the list, the ledger export, the ranking, the chart and
    /// the by-measure roll-up alike: a filter that cannot match is an error naming the field,
    /// never an empty answer in one place and everything in another.
    pub fn check(&self) -> Result<(), crate::error::AppError> {
        use crate::i18n::Msg;
        use anwei_rules::supervision::{AssignmentRole, Light, Status};
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let mut e: Vec<(String, Msg)> = Vec::new();
        if self.measure.is_some_and(|m| !(1..=99).contains(&m)) {
            e.push(("measure".into(), Msg::new("supervision.measure_range")));
        }
        if self.task.is_some_and(|t| !(1..=9999).contains(&t)) {
            e.push(("task".into(), Msg::new("supervision.task_range")));
        }
        if given(&self.light).is_some_and(|l| Light::parse(&l).is_none()) {
            e.push(("light".into(), Msg::new("supervision.light_unknown")));
        }
        if given(&self.status).is_some_and(|s| Status::parse(&s).is_none()) {
            e.push(("status".into(), Msg::new("supervision.status_unknown")));
        }
        if given(&self.role).is_some_and(|r| AssignmentRole::parse(&r).is_none()) {
            e.push(("role".into(), Msg::new("supervision.role_unknown")));
        }
        if self
            .page
            .is_some_and(|p| !(1..=crate::web::page::MAX_PAGE).contains(&p))
        {
            e.push(("page".into(), Msg::new("error.page_range")));
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(crate::error::AppError::Validation(e))
        }
    }
}

/// One organisation chosen for issuing, by code.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct IssuePick {
    pub org_code: String,
    /// `lead` or `support`.
    pub role: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct IssueInput {
    /// The organisations to issue to; omitted: the proposal as computed from the task's
    /// responsible-unit phrase.
    #[serde(default)]
    pub orgs: Option<Vec<IssuePick>>,
    #[serde(default)]
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReportInput {
    pub text: String,
    /// true: 办结申请 (ask to close a one-off task).
    #[serde(default)]
    pub completion: bool,
}

pub use crate::review::model::DecisionInput;

impl From<crate::review::model::SubmissionRow> for ReportRow {
    fn from(r: crate::review::model::SubmissionRow) -> Self {
        ReportRow {
            id: r.id,
            assignment_id: AssignmentId(r.subject_id),
            kind: r.kind,
            text: r.body,
            submitted_at: r.submitted_at,
            submitted_by: r.submitted_by,
            submitted_by_name: r.submitted_by_name,
            decision: r.decision.map(|d| d.code().to_string()),
            review_comment: r.review_comment,
            reviewed_at: r.reviewed_at,
            reviewed_by_name: r.reviewed_by_name,
        }
    }
}

impl From<crate::review::model::FileRow> for AttachmentRow {
    fn from(f: crate::review::model::FileRow) -> Self {
        AttachmentRow {
            id: f.id,
            report_id: f.submission_id,
            filename: f.filename,
            mime: f.mime,
            size: f.size,
        }
    }
}
