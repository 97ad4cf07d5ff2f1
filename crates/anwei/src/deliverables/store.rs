//! Every SQL statement of deliverables (报送事项).

use super::model::RequirementRow;
use crate::db::Tx;
use crate::ids::{OrgId, PolicyId, RequirementId};
use crate::on_tx;

const FROM: &str = "FROM deliverable_requirement q JOIN policy p ON p.id = q.policy_id \
     JOIN policy_deliverable d ON d.policy_id = q.policy_id AND d.code = q.deliverable_code \
     JOIN org o ON o.id = q.org_id JOIN region r ON r.id = o.region_id";

const COLUMNS: &str = "SELECT q.id, q.policy_id, p.code AS policy_code, q.deliverable_code, d.title_zh, d.title_en, q.org_id, \
     o.code AS org_code, o.name AS org_name, r.path AS region_path, q.due, q.status, q.created_at, q.updated_at, \
     (SELECT s.submitted_at FROM submission s WHERE s.subject_kind = 'deliverable_requirement' AND s.subject_id = q.id ORDER BY s.id DESC LIMIT 1) AS last_submitted_at, \
     (SELECT s.late FROM submission s WHERE s.subject_kind = 'deliverable_requirement' AND s.subject_id = q.id ORDER BY s.id DESC LIMIT 1) AS last_late";

pub struct ListParams<'a> {
    pub policy_id: PolicyId,
    pub path_like: Option<&'a str>,
    pub org_id_scope: Option<OrgId>,
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

pub async fn by_id(tx: &mut Tx, id: RequirementId) -> Result<Option<RequirementRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{COLUMNS} {FROM} WHERE q.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, RequirementRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Requires the deliverable from the organisation unless it already is; the new id.
pub async fn insert_requirement(
    tx: &mut Tx,
    policy_id: PolicyId,
    code: &str,
    org_id: OrgId,
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
    id: RequirementId,
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
