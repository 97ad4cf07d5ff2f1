//! Every SQL statement of deliverables (报送事项).

use super::model::{FileRow, RequirementRow, SubmissionRow};
use crate::db::Tx;
use crate::on_tx;

const FROM: &str = "FROM deliverable_requirement q JOIN policy p ON p.id = q.policy_id \
     JOIN policy_deliverable d ON d.policy_id = q.policy_id AND d.code = q.deliverable_code \
     JOIN org o ON o.id = q.org_id JOIN region r ON r.id = o.region_id";

const COLUMNS: &str = "SELECT q.id, q.policy_id, p.code AS policy_code, q.deliverable_code, d.title_zh, d.title_en, q.org_id, \
     o.code AS org_code, o.name AS org_name, r.path AS region_path, q.due, q.status, q.created_at, q.updated_at, \
     (SELECT s.submitted_at FROM deliverable_submission s WHERE s.requirement_id = q.id ORDER BY s.id DESC LIMIT 1) AS last_submitted_at, \
     (SELECT s.late FROM deliverable_submission s WHERE s.requirement_id = q.id ORDER BY s.id DESC LIMIT 1) AS last_late";

pub struct ListParams<'a> {
    pub policy_id: i64,
    pub path_like: Option<&'a str>,
    pub org_id_scope: Option<i64>,
    pub deliverable: Option<&'a str>,
    pub org_code: Option<&'a str>,
    pub status: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

const WHERE: &str = "WHERE q.policy_id = $1 AND ($2 IS NULL OR r.path LIKE $2) AND ($3 IS NULL OR o.id = $3) \
     AND ($4 IS NULL OR q.deliverable_code = $4) AND ($5 IS NULL OR o.code = $5) AND ($6 IS NULL OR q.status = $6)";

/// Requirements in scope, filtered, one page, and the total.
pub async fn list(
    tx: &mut Tx,
    p: &ListParams<'_>,
) -> Result<(Vec<RequirementRow>, i64), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{COLUMNS} {FROM} {WHERE} ORDER BY q.due, q.deliverable_code, r.path, o.sort_order, o.id LIMIT $7 OFFSET $8"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, RequirementRow>(sql)
        .bind(p.policy_id)
        .bind(p.path_like)
        .bind(p.org_id_scope)
        .bind(p.deliverable)
        .bind(p.org_code)
        .bind(p.status)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    let count_sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {FROM} {WHERE}"));
    let total: i64 = on_tx!(tx, |c| sqlx::query_scalar(count_sql)
        .bind(p.policy_id)
        .bind(p.path_like)
        .bind(p.org_id_scope)
        .bind(p.deliverable)
        .bind(p.org_code)
        .bind(p.status)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<RequirementRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{COLUMNS} {FROM} WHERE q.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, RequirementRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Requires the deliverable from the organisation unless it already is; the new id.
pub async fn insert_requirement(
    tx: &mut Tx,
    policy_id: i64,
    code: &str,
    org_id: i64,
    due: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO deliverable_requirement (policy_id, deliverable_code, org_id, due, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $5) ON CONFLICT (policy_id, deliverable_code, org_id) DO NOTHING RETURNING id",
        )
        .bind(policy_id)
        .bind(code)
        .bind(org_id)
        .bind(due)
        .bind(now)
        .fetch_optional(c)
        .await
    })
}

/// Moves a requirement from the status it was read in to the next one; 0 when somebody
/// changed it meanwhile.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE deliverable_requirement SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2"
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

pub async fn insert_submission(
    tx: &mut Tx,
    requirement_id: i64,
    note: &str,
    late: bool,
    by: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO deliverable_submission (requirement_id, note, submitted_at, submitted_by, late) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(requirement_id)
        .bind(note)
        .bind(now)
        .bind(by)
        .bind(late)
        .fetch_one(c)
        .await
    })
}

/// The submission waiting for review, if any.
pub async fn pending_submission(
    tx: &mut Tx,
    requirement_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM deliverable_submission WHERE requirement_id = $1 AND decision IS NULL ORDER BY id DESC LIMIT 1"
    )
    .bind(requirement_id)
    .fetch_optional(c)
    .await
    })
}

pub async fn review_submission(
    tx: &mut Tx,
    id: i64,
    decision: &str,
    comment: &str,
    by: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE deliverable_submission SET decision = $2, review_comment = $3, reviewed_by = $4, reviewed_at = $5 WHERE id = $1 AND decision IS NULL",
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

pub async fn submissions(
    tx: &mut Tx,
    requirement_id: i64,
) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT s.id, s.requirement_id, s.note, s.submitted_at, s.submitted_by, a.display_name AS submitted_by_name, s.late, s.decision, \
             s.review_comment, s.reviewed_at, v.display_name AS reviewed_by_name \
             FROM deliverable_submission s JOIN account a ON a.id = s.submitted_by LEFT JOIN account v ON v.id = s.reviewed_by \
             WHERE s.requirement_id = $1 ORDER BY s.id DESC",
        )
        .bind(requirement_id)
        .fetch_all(c)
        .await
    })
}

pub async fn link_attachment(
    tx: &mut Tx,
    submission_id: i64,
    attachment_id: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO submission_attachment (submission_id, attachment_id) VALUES ($1, $2)"
    )
    .bind(submission_id)
    .bind(attachment_id)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn files(tx: &mut Tx, requirement_id: i64) -> Result<Vec<FileRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT f.id, sa.submission_id, f.filename, f.mime, f.size FROM attachment f \
             JOIN submission_attachment sa ON sa.attachment_id = f.id JOIN deliverable_submission s ON s.id = sa.submission_id \
             WHERE s.requirement_id = $1 ORDER BY f.id",
        )
        .bind(requirement_id)
        .fetch_all(c)
        .await
    })
}

/// The requirement a submitted file belongs to, with the file's hash, name and type.
pub async fn file_owner(
    tx: &mut Tx,
    attachment_id: i64,
) -> Result<Option<(i64, String, String, String)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT s.requirement_id, f.sha256, f.filename, f.mime FROM attachment f \
             JOIN submission_attachment sa ON sa.attachment_id = f.id JOIN deliverable_submission s ON s.id = sa.submission_id \
             WHERE f.id = $1 LIMIT 1",
        )
        .bind(attachment_id)
        .fetch_optional(c)
        .await
    })
}
