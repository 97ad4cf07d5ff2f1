//! Every SQL statement of risk points.

use chrono::NaiveDate;

use super::checks::{CheckRow, NewCheck};
use super::model::{NewRiskPoint, RiskPointRow};
use crate::db::Tx;
use crate::ids::{AccountId, OrgId, RiskPointId};
use crate::on_tx;

const SELECT: &str = "SELECT p.id, p.enterprise_id, o.name AS enterprise_name, p.region_path, p.unit, \
     p.hazardous_event, p.accident_types, p.control_measures, p.responsible_person, p.check_cycle_days, p.method, \
     p.factor_l_tenths, p.factor_e_tenths, p.factor_c_tenths, p.factor_s_tenths, p.score_milli, p.level, \
     p.created_by, a.display_name AS created_by_name, p.created_at, p.updated_at, p.retired_at, p.retire_reason, \
     p.last_checked_on, p.next_check_on \
     FROM risk_point p JOIN org o ON o.id = p.enterprise_id JOIN account a ON a.id = p.created_by";

pub async fn insert(
    tx: &mut Tx,
    enterprise: OrgId,
    region_path: &str,
    p: &NewRiskPoint,
    by: AccountId,
    now: i64,
) -> Result<RiskPointId, sqlx::Error> {
    let f = p.assessed.stored();
    let types = p.accident_codes();
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO risk_point (enterprise_id, region_path, unit, hazardous_event, accident_types, \
             control_measures, responsible_person, check_cycle_days, method, factor_l_tenths, factor_e_tenths, \
             factor_c_tenths, factor_s_tenths, score_milli, level, created_by, created_at, updated_by, updated_at, \
             next_check_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $16, $17, $18) RETURNING id",
        )
        .bind(enterprise)
        .bind(region_path)
        .bind(&p.unit)
        .bind(&p.hazardous_event)
        .bind(&types)
        .bind(&p.control_measures)
        .bind(&p.responsible_person)
        .bind(p.check_cycle_days)
        .bind(f.method)
        .bind(f.l)
        .bind(f.e)
        .bind(f.c)
        .bind(f.s)
        .bind(p.assessed.score_milli())
        .bind(p.assessed.level.code())
        .bind(by)
        .bind(now)
        .bind(super::checks::next_due(crate::time::shanghai_date(now), p.check_cycle_days).to_string())
        .fetch_one(c)
        .await
    })
}

/// Rewrites an active point, its next check due one (possibly new) cycle after `cycle_from`
/// (its last check, or the day it was recorded); 0 when it was retired meanwhile.
pub async fn update(
    tx: &mut Tx,
    id: RiskPointId,
    p: &NewRiskPoint,
    cycle_from: NaiveDate,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let due = super::checks::next_due(cycle_from, p.check_cycle_days).to_string();
    let f = p.assessed.stored();
    let types = p.accident_codes();
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE risk_point SET unit = $2, hazardous_event = $3, accident_types = $4, control_measures = $5, \
             responsible_person = $6, check_cycle_days = $7, method = $8, factor_l_tenths = $9, factor_e_tenths = $10, \
             factor_c_tenths = $11, factor_s_tenths = $12, score_milli = $13, level = $14, updated_by = $15, \
             updated_at = $16, next_check_on = $17 WHERE id = $1 AND retired_at IS NULL",
        )
        .bind(id)
        .bind(&p.unit)
        .bind(&p.hazardous_event)
        .bind(&types)
        .bind(&p.control_measures)
        .bind(&p.responsible_person)
        .bind(p.check_cycle_days)
        .bind(f.method)
        .bind(f.l)
        .bind(f.e)
        .bind(f.c)
        .bind(f.s)
        .bind(p.assessed.score_milli())
        .bind(p.assessed.level.code())
        .bind(by)
        .bind(now)
        .bind(&due)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

/// Retires an active point with its reason; 0 when it was retired already.
pub async fn retire(
    tx: &mut Tx,
    id: RiskPointId,
    reason: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE risk_point SET retired_at = $2, retired_by = $3, retire_reason = $4, updated_by = $3, updated_at = $2 \
         WHERE id = $1 AND retired_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .bind(reason)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

pub async fn by_id(tx: &mut Tx, id: RiskPointId) -> Result<Option<RiskPointRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, RiskPointRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// The enterprise's points, the gravest first; retired ones only when asked.
pub async fn of_enterprise(
    tx: &mut Tx,
    enterprise: OrgId,
    with_retired: bool,
) -> Result<Vec<RiskPointRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.enterprise_id = $1 AND ($2 OR p.retired_at IS NULL) \
         ORDER BY p.retired_at IS NOT NULL, p.score_milli DESC, p.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, RiskPointRow>(sql)
        .bind(enterprise)
        .bind(with_retired)
        .fetch_all(c)
        .await)
}

/// The distinct levels of the enterprise's active points.
pub async fn active_levels(tx: &mut Tx, enterprise: OrgId) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT DISTINCT level FROM risk_point WHERE enterprise_id = $1 AND retired_at IS NULL"
    )
    .bind(enterprise)
    .fetch_all(c)
    .await)
}

const CHECK_SELECT: &str = "SELECT k.id, k.risk_point_id, k.checked_on, k.result, k.note, k.hazard_id, \
     k.checked_by, a.display_name AS checked_by_name, k.created_at \
     FROM risk_check k JOIN account a ON a.id = k.checked_by";

/// A check of the point `p`, with the point's enterprise and region path.
pub async fn insert_check(
    tx: &mut Tx,
    p: &RiskPointRow,
    c: &NewCheck,
    by: AccountId,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |x| {
        sqlx::query_scalar(
        "INSERT INTO risk_check (risk_point_id, enterprise_id, region_path, checked_on, result, note, \
         hazard_id, checked_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(p.id)
    .bind(p.enterprise_id)
    .bind(&p.region_path)
    .bind(c.checked_on.to_string())
    .bind(c.result.code())
    .bind(&c.note)
    .bind(c.hazard_id)
    .bind(by)
    .bind(now)
    .fetch_one(x)
    .await
    })
}

/// The point's latest check day and its next due day.
pub async fn set_checked(
    tx: &mut Tx,
    id: RiskPointId,
    last: NaiveDate,
    due: NaiveDate,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE risk_point SET last_checked_on = $2, next_check_on = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(last.to_string())
    .bind(due.to_string())
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn check_by_id(tx: &mut Tx, id: i64) -> Result<Option<CheckRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{CHECK_SELECT} WHERE k.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, CheckRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// A point's checks, the latest first.
pub async fn checks_of(tx: &mut Tx, id: RiskPointId) -> Result<Vec<CheckRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{CHECK_SELECT} WHERE k.risk_point_id = $1 ORDER BY k.checked_on DESC, k.id DESC"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, CheckRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}

/// Which overdue points: due before `today`, under `path_like`, or of one enterprise.
pub struct OverdueFilter<'a> {
    pub today: &'a str,
    pub path_like: String,
    pub enterprise: Option<OrgId>,
}

const OVERDUE_WHERE: &str = "p.retired_at IS NULL AND p.next_check_on < $1 AND p.region_path LIKE $2 \
     AND (CAST($3 AS BIGINT) IS NULL OR p.enterprise_id = $3)";

pub async fn overdue_count(tx: &mut Tx, f: &OverdueFilter<'_>) -> Result<i64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM risk_point p WHERE {OVERDUE_WHERE}"
    ));
    on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(f.today)
        .bind(&f.path_like)
        .bind(f.enterprise)
        .fetch_one(c)
        .await)
}

/// One page of overdue points, the longest overdue first.
pub async fn overdue(
    tx: &mut Tx,
    f: &OverdueFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<RiskPointRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE {OVERDUE_WHERE} ORDER BY p.next_check_on, p.id LIMIT $4 OFFSET $5"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, RiskPointRow>(sql)
        .bind(f.today)
        .bind(&f.path_like)
        .bind(f.enterprise)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)
}
