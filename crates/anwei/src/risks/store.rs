//! Every SQL statement of risk points.

use super::model::{NewRiskPoint, RiskPointRow};
use crate::db::Tx;
use crate::ids::{AccountId, OrgId, RiskPointId};
use crate::on_tx;

const SELECT: &str = "SELECT p.id, p.enterprise_id, o.name AS enterprise_name, p.region_path, p.unit, \
     p.hazardous_event, p.accident_types, p.control_measures, p.responsible_person, p.check_cycle_days, p.method, \
     p.factor_l_tenths, p.factor_e_tenths, p.factor_c_tenths, p.factor_s_tenths, p.score_milli, p.level, \
     p.created_by, a.display_name AS created_by_name, p.created_at, p.updated_at, p.retired_at, p.retire_reason \
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
             factor_c_tenths, factor_s_tenths, score_milli, level, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $16, $17) RETURNING id",
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
        .fetch_one(c)
        .await
    })
}

/// Rewrites an active point; 0 when it was retired meanwhile.
pub async fn update(
    tx: &mut Tx,
    id: RiskPointId,
    p: &NewRiskPoint,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let f = p.assessed.stored();
    let types = p.accident_codes();
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE risk_point SET unit = $2, hazardous_event = $3, accident_types = $4, control_measures = $5, \
             responsible_person = $6, check_cycle_days = $7, method = $8, factor_l_tenths = $9, factor_e_tenths = $10, \
             factor_c_tenths = $11, factor_s_tenths = $12, score_milli = $13, level = $14, updated_by = $15, \
             updated_at = $16 WHERE id = $1 AND retired_at IS NULL",
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
