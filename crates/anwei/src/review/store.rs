//! Every SQL statement of the review core.

use super::model::{FileRow, StoredFile, Subject, SubmissionRow, Waiting};
use crate::db::Tx;
use crate::ids::{AccountId, FileId, SubmissionId};
use crate::on_tx;

pub struct NewSubmission<'a> {
    pub subject: Subject,
    pub kind: &'a str,
    pub body: &'a str,
    pub late: bool,
    pub by: AccountId,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, s: &NewSubmission<'_>) -> Result<SubmissionId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO submission (subject_kind, subject_id, kind, body, late, submitted_at, submitted_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.subject.kind)
        .bind(s.subject.id)
        .bind(s.kind)
        .bind(s.body)
        .bind(s.late)
        .bind(s.now)
        .bind(s.by)
        .fetch_one(c)
        .await
    })
}

pub async fn link_file(
    tx: &mut Tx,
    submission_id: SubmissionId,
    attachment_id: FileId,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO submission_file (submission_id, attachment_id) VALUES ($1, $2)"
    )
    .bind(submission_id)
    .bind(attachment_id)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn waiting(tx: &mut Tx, s: Subject) -> Result<Option<Waiting>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, kind, submitted_at, submitted_by FROM submission \
             WHERE subject_kind = $1 AND subject_id = $2 AND decision IS NULL ORDER BY id DESC LIMIT 1",
        )
        .bind(s.kind)
        .bind(s.id)
        .fetch_optional(c)
        .await
    })
}

pub async fn decide(
    tx: &mut Tx,
    id: SubmissionId,
    decision: &str,
    comment: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE submission SET decision = $2, review_comment = $3, reviewed_by = $4, reviewed_at = $5 \
             WHERE id = $1 AND decision IS NULL",
        )
        .bind(id)
        .bind(decision)
        .bind(comment)
        .bind(by)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn history(tx: &mut Tx, s: Subject) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT s.id, s.subject_id, s.kind, s.body, s.late, s.submitted_at, s.submitted_by, \
             a.display_name AS submitted_by_name, s.decision, s.review_comment, s.reviewed_at, \
             v.display_name AS reviewed_by_name \
             FROM submission s JOIN account a ON a.id = s.submitted_by LEFT JOIN account v ON v.id = s.reviewed_by \
             WHERE s.subject_kind = $1 AND s.subject_id = $2 ORDER BY s.id DESC",
        )
        .bind(s.kind)
        .bind(s.id)
        .fetch_all(c)
        .await
    })
}

pub async fn files(tx: &mut Tx, s: Subject) -> Result<Vec<FileRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT f.id, sf.submission_id, f.filename, f.mime, f.size FROM attachment f \
             JOIN submission_file sf ON sf.attachment_id = f.id JOIN submission s ON s.id = sf.submission_id \
             WHERE s.subject_kind = $1 AND s.subject_id = $2 ORDER BY f.id",
        )
        .bind(s.kind)
        .bind(s.id)
        .fetch_all(c)
        .await
    })
}

pub async fn stored_file(
    tx: &mut Tx,
    subject_kind: &str,
    attachment_id: FileId,
) -> Result<Option<StoredFile>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT s.subject_id, f.sha256, f.filename, f.mime FROM attachment f \
             JOIN submission_file sf ON sf.attachment_id = f.id JOIN submission s ON s.id = sf.submission_id \
             WHERE f.id = $1 AND s.subject_kind = $2 LIMIT 1",
        )
        .bind(attachment_id)
        .bind(subject_kind)
        .fetch_optional(c)
        .await
    })
}
