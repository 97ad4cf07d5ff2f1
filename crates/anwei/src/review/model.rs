//! Submissions, their files and decisions.

use crate::files::{Checked, Upload};

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
    pub org_id: i64,
    /// The account that submitted it, when known.
    pub submitted_by: Option<i64>,
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
    pub id: i64,
    pub kind: String,
    pub submitted_at: i64,
    pub submitted_by: i64,
}

/// One submission with its decision, newest first in a history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub subject_id: i64,
    pub kind: String,
    pub body: String,
    pub late: bool,
    pub submitted_at: i64,
    pub submitted_by: i64,
    pub submitted_by_name: String,
    /// None while waiting; `accepted` or `returned`.
    pub decision: Option<String>,
    pub review_comment: String,
    pub reviewed_at: Option<i64>,
    pub reviewed_by_name: Option<String>,
}

/// A file of a submission.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub submission_id: i64,
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
