//! Every SQL statement of concealment cases.

use super::model::CaseRow;
use crate::db::Tx;
use crate::ids::{AccidentId, AccountId, OrgId, RegionId, ReportId};
use crate::on_tx;

const SELECT: &str = "SELECT c.id, r.code AS region_code, r.name AS region_name, c.region_path, c.supervising_path, \
     (SELECT s.name FROM region s WHERE s.path = c.supervising_path) AS supervising_name, \
     c.source, c.source_note, c.unit_name, c.enterprise_id, c.occurred_at, c.description, \
     c.alleged_deaths, c.alleged_serious_injuries, c.alleged_missing, c.alleged_direct_loss_yuan, \
     c.accident_id, c.report_id, c.status, c.outcome, c.verified_deaths, c.verified_serious_injuries, \
     c.verified_missing, c.verified_direct_loss_yuan, c.verified_grade, c.concealed_deaths, c.missing_contents, \
     c.verify_note, c.result_accident_id, c.opened_by, c.opened_by_org, u.display_name AS opened_by_name, \
     c.verified_at, c.created_at, c.updated_at \
     FROM concealment_case c JOIN region r ON r.id = c.region_id JOIN account u ON u.id = c.opened_by";

/// A case to store.
pub struct NewRow<'a> {
    pub region_id: RegionId,
    pub region_path: &'a str,
    pub supervising_path: &'a str,
    pub source: &'a str,
    pub source_note: &'a str,
    pub unit_name: &'a str,
    pub enterprise_id: Option<OrgId>,
    pub occurred_at: i64,
    pub description: &'a str,
    pub alleged: [Option<i64>; 4],
    pub accident_id: Option<AccidentId>,
    pub report_id: Option<ReportId>,
    pub by: AccountId,
    pub by_org: OrgId,
    pub at: i64,
}

pub async fn insert(tx: &mut Tx, n: &NewRow<'_>) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO concealment_case (region_id, region_path, supervising_path, source, source_note, unit_name, \
             enterprise_id, occurred_at, description, alleged_deaths, alleged_serious_injuries, alleged_missing, \
             alleged_direct_loss_yuan, accident_id, report_id, status, opened_by, opened_by_org, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'open', $16, $17, $18, $18) \
             RETURNING id",
        )
        .bind(n.region_id)
        .bind(n.region_path)
        .bind(n.supervising_path)
        .bind(n.source)
        .bind(n.source_note)
        .bind(n.unit_name)
        .bind(n.enterprise_id)
        .bind(n.occurred_at)
        .bind(n.description)
        .bind(n.alleged[0])
        .bind(n.alleged[1])
        .bind(n.alleged[2])
        .bind(n.alleged[3])
        .bind(n.accident_id)
        .bind(n.report_id)
        .bind(n.by)
        .bind(n.by_org)
        .bind(n.at)
        .fetch_one(c)
        .await
    })
}

pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<CaseRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, CaseRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// The list's filter, already narrowed to the caller's scope.
pub struct Filter<'a> {
    /// Cases whose territory lies under this path.
    pub under: &'a str,
    pub status: Option<&'a str>,
    /// Only cases supervised from this region.
    pub supervising: Option<&'a str>,
}

/// Cases under `f.under`, the newest first.
pub async fn list(tx: &mut Tx, f: &Filter<'_>, limit: i64) -> Result<Vec<CaseRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.region_path LIKE $1 AND ($2 IS NULL OR c.status = $2) \
         AND ($3 IS NULL OR c.supervising_path = $3) ORDER BY c.id DESC LIMIT $4"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, CaseRow>(sql)
        .bind(format!("{}%", f.under))
        .bind(f.status)
        .bind(f.supervising)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// What verification wrote.
pub struct Closing<'a> {
    pub status: &'a str,
    pub outcome: &'a str,
    pub verified: [Option<i64>; 4],
    pub grade: Option<&'a str>,
    pub concealed_deaths: Option<i64>,
    pub missing_contents: &'a str,
    pub note: &'a str,
    pub result_accident_id: Option<AccidentId>,
    pub by: AccountId,
    pub at: i64,
}

/// Closes open case `id`; 0 when it was closed meanwhile.
pub async fn close(tx: &mut Tx, id: i64, k: &Closing<'_>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE concealment_case SET status = $2, outcome = $3, verified_deaths = $4, \
             verified_serious_injuries = $5, verified_missing = $6, verified_direct_loss_yuan = $7, \
             verified_grade = $8, concealed_deaths = $9, missing_contents = $10, verify_note = $11, \
             result_accident_id = $12, verified_by = $13, verified_at = $14, updated_at = $14 \
             WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(k.status)
        .bind(k.outcome)
        .bind(k.verified[0])
        .bind(k.verified[1])
        .bind(k.verified[2])
        .bind(k.verified[3])
        .bind(k.grade)
        .bind(k.concealed_deaths)
        .bind(k.missing_contents)
        .bind(k.note)
        .bind(k.result_accident_id)
        .bind(k.by)
        .bind(k.at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

/// The cases that name accident `id` or were verified onto it, oldest first.
pub async fn of_accident(tx: &mut Tx, id: AccidentId) -> Result<Vec<i64>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM concealment_case WHERE accident_id = $1 OR result_accident_id = $1 ORDER BY id"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })
}
