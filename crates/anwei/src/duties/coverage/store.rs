//! Every SQL statement of 分片包保 coverage.

use super::model::{AssignmentRow, Candidate, OwnedAssignment};
use crate::db::Tx;
use crate::ids::{AccountId, OrgId, PositionId};
use crate::on_tx;

pub struct NewAssignment<'a> {
    pub position_id: PositionId,
    pub area_kind: &'a str,
    pub area_code: &'a str,
    pub note: &'a str,
    pub created_by: AccountId,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, a: &NewAssignment<'_>) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO coverage_area (position_id, area_kind, area_code, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(a.position_id)
    .bind(a.area_kind)
    .bind(a.area_code)
    .bind(a.note)
    .bind(a.created_by)
    .bind(a.now)
    .fetch_one(c)
    .await
    })
}

pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<OwnedAssignment>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as::<_, OwnedAssignment>(
        "SELECT c.id, c.position_id, c.area_kind, c.area_code, p.org_id \
         FROM coverage_area c JOIN org_position p ON p.id = c.position_id WHERE c.id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

pub async fn delete(tx: &mut Tx, id: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM coverage_area WHERE id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// The assignments whose position's organisation lies in scope (`path_like` on its region,
/// or the one organisation `org_id`), each with the latest led inspection or tour of its
/// area by its position dated on or before `until` (an ISO date; dates are ISO text, so
/// text order is date order).
pub async fn list(
    tx: &mut Tx,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
    until: &str,
) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, AssignmentRow>(
        "SELECT c.id, c.position_id, c.area_kind, c.area_code, c.note, p.title AS position_title, \
         p.retired_at AS position_retired_at, pe.name AS holder_name, o.code AS org_code, o.name AS org_name, \
         (SELECT MAX(a.date) FROM activity a WHERE a.led_by_position_id = c.position_id \
            AND a.kind IN ('led_inspection', 'tour') AND a.date <= $3 \
            AND a.area_code = CASE WHEN c.area_kind = 'sector' THEN 'sector:' || c.area_code ELSE c.area_code END) \
           AS last_inspection \
         FROM coverage_area c JOIN org_position p ON p.id = c.position_id JOIN org o ON o.id = p.org_id \
         JOIN region r ON r.id = o.region_id \
         LEFT JOIN position_holding h ON h.position_id = p.id AND h.end_date IS NULL \
         LEFT JOIN person pe ON pe.id = h.person_id \
         WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR o.id = $2) \
         ORDER BY c.area_kind, c.area_code, r.path, o.sort_order, o.id, p.sort_order, p.id"
    )
    .bind(path_like)
    .bind(org_id)
    .bind(until)
    .fetch_all(c)
    .await
    })
}

/// The positions that may cover areas: the principal and the standing-committee members of
/// the party committees in scope, not retired.
pub async fn candidates(
    tx: &mut Tx,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as::<_, Candidate>(
        "SELECT p.id, p.title, pe.name AS holder_name, o.name AS org_name \
         FROM org_position p JOIN org o ON o.id = p.org_id JOIN region r ON r.id = o.region_id \
         LEFT JOIN position_holding h ON h.position_id = p.id AND h.end_date IS NULL \
         LEFT JOIN person pe ON pe.id = h.person_id \
         WHERE o.kind = 'party_committee' AND o.retired_at IS NULL AND p.retired_at IS NULL \
         AND p.kind IN ('principal', 'standing_member') \
         AND ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR o.id = $2) \
         ORDER BY r.path, o.sort_order, o.id, p.sort_order, p.id"
    )
    .bind(path_like)
    .bind(org_id)
    .fetch_all(c)
    .await)
}
