//! Every SQL statement of investigations.

use super::model::{Appraisal, AppraisalRow, InvestigationRow};
use crate::db::Tx;
use crate::ids::OrgId;
use crate::ids::{AccidentId, AccountId};
use crate::on_tx;

const SELECT: &str = "SELECT accident_id, lead_level, team, status, opened_on, extension_days, requested_days, \
     request_reason, requested_by, report_summary, findings, reported_on, reported_by, approved_on \
     FROM investigation";

pub async fn get(tx: &mut Tx, id: AccidentId) -> Result<Option<InvestigationRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE accident_id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, InvestigationRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn insert(
    tx: &mut Tx,
    id: AccidentId,
    lead_level: &str,
    team: &str,
    opened_on: &str,
    by: AccountId,
    at: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO investigation (accident_id, lead_level, team, status, opened_on, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, 'open', $4, $5, $6, $6)",
        )
        .bind(id)
        .bind(lead_level)
        .bind(team)
        .bind(opened_on)
        .bind(by)
        .bind(at)
        .execute(c)
        .await
        .map(|_| ())
    })
}

/// Records a pending extension request; 0 when one is pending already or it is not open.
pub async fn request(
    tx: &mut Tx,
    id: AccidentId,
    days: i64,
    reason: &str,
    by: AccountId,
    at: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE investigation SET requested_days = $2, request_reason = $3, requested_by = $4, updated_at = $5 \
             WHERE accident_id = $1 AND status = 'open' AND requested_days IS NULL",
        )
        .bind(id)
        .bind(days)
        .bind(reason)
        .bind(by)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

/// Decides the pending request: approved, its days are added; either way it is cleared.
pub async fn decide(
    tx: &mut Tx,
    id: AccidentId,
    approve: bool,
    at: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE investigation SET extension_days = extension_days + CASE WHEN $2 THEN requested_days ELSE 0 END, \
             requested_days = NULL, updated_at = $3 WHERE accident_id = $1 AND requested_days IS NOT NULL",
        )
        .bind(id)
        .bind(approve)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn report(
    tx: &mut Tx,
    id: AccidentId,
    summary: &str,
    findings: &str,
    on: &str,
    by: AccountId,
    at: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE investigation SET status = 'reported', report_summary = $2, findings = $3, reported_on = $4, \
             reported_by = $5, requested_days = NULL, updated_at = $6 WHERE accident_id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(summary)
        .bind(findings)
        .bind(on)
        .bind(by)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn approve(
    tx: &mut Tx,
    id: AccidentId,
    on: &str,
    by: AccountId,
    at: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE investigation SET status = 'approved', approved_on = $2, approved_by = $3, updated_at = $4 \
             WHERE accident_id = $1 AND status = 'reported'",
        )
        .bind(id)
        .bind(on)
        .bind(by)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

/// The periods of technical appraisal of accident `id`'s investigation, the earliest first.
pub async fn appraisals(tx: &mut Tx, id: AccidentId) -> Result<Vec<AppraisalRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, AppraisalRow>(
        "SELECT p.id, p.starts_on, p.ends_on, p.subject, p.appraiser, u.display_name AS recorded_by_name, \
         p.created_at FROM investigation_appraisal p JOIN account u ON u.id = p.recorded_by \
         WHERE p.accident_id = $1 ORDER BY p.starts_on, p.id"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })
}

/// The organisation of the account that opened the investigation of accident `id`.
pub async fn opener_org(tx: &mut Tx, id: AccidentId) -> Result<Option<OrgId>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT u.org_id FROM investigation i JOIN account u ON u.id = i.created_by WHERE i.accident_id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await
    })
}

/// Records a period of appraisal.
pub async fn add_appraisal(
    tx: &mut Tx,
    id: AccidentId,
    a: &Appraisal,
    by: AccountId,
    org: OrgId,
    at: i64,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO investigation_appraisal (accident_id, starts_on, ends_on, subject, appraiser, \
         recorded_by, recorded_org, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(id)
    .bind(a.starts_on.to_string())
    .bind(a.ends_on.to_string())
    .bind(&a.subject)
    .bind(&a.appraiser)
    .bind(by)
    .bind(org)
    .bind(at)
    .fetch_one(c)
    .await
    })
}
