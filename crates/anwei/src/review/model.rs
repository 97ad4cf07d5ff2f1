//! Submissions, their files and decisions.

use crate::files::{Checked, Upload};
use crate::ids::{AccountId, FileId, OrgId, SubmissionId};

/// What a submission is about: a capability's kind of subject and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    /// e.g. `assignment`, `deliverable_requirement`.
    pub kind: &'static str,
    pub id: i64,
}

/// The work under review: whose it is and who submitted it.
#[derive(Debug, Clone, Copy)]
pub struct Work {
    /// The organisation whose work it is (the assignee, the required organisation).
    pub org_id: OrgId,
    /// The account that submitted it, when known.
    pub submitted_by: Option<AccountId>,
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// 通过.
    Accept,
    /// 退回 (with a comment).
    Return,
}

impl Decision {
    /// Parses the input word (`accept`, `return`).
    pub fn parse(s: &str) -> Option<Decision> {
        match s.trim() {
            "accept" => Some(Decision::Accept),
            "return" => Some(Decision::Return),
            _ => None,
        }
    }
    /// As stored and shown: `accepted`, `returned`.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Accept => "accepted",
            Decision::Return => "returned",
        }
    }
    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Decision> {
        match code {
            "accepted" => Some(Decision::Accept),
            "returned" => Some(Decision::Return),
            _ => None,
        }
    }
}

crate::stored_as_text!(Decision, Decision::from_code, Decision::code);

/// A reviewer's decision as sent, the same for every reviewed capability.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// `accept` or `return`.
    pub decision: String,
    /// Required when returning.
    #[serde(default)]
    pub comment: String,
}

/// A checked decision: what and why.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub decision: Decision,
    pub comment: String,
}

/// A checked submission, not stored yet.
pub struct Draft<'a> {
    pub body: String,
    pub files: Vec<(Checked, &'a Upload)>,
    /// The files' bytes are in the file storage already ([`super::service::keep_files`]).
    pub kept: bool,
}

/// The submission waiting for a decision.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Waiting {
    pub id: SubmissionId,
    pub kind: String,
    pub submitted_at: i64,
    pub submitted_by: AccountId,
}

/// One submission with its decision, newest first in a history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: SubmissionId,
    pub subject_id: i64,
    pub kind: String,
    pub body: String,
    pub late: bool,
    pub submitted_at: i64,
    pub submitted_by: AccountId,
    pub submitted_by_name: String,
    /// None while waiting.
    pub decision: Option<Decision>,
    pub review_comment: String,
    pub reviewed_at: Option<i64>,
    pub reviewed_by_name: Option<String>,
}

/// A file of a submission.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: FileId,
    pub submission_id: SubmissionId,
    pub filename: String,
    pub mime: String,
    pub size: i64,
}

/// A stored file and the subject it is evidence for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFile {
    pub subject_id: i64,
    pub sha256: String,
    pub filename: String,
    pub mime: String,
}
