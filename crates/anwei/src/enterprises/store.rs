//! Every SQL statement of the enterprise registry.

use super::model::{EnterpriseRow, LeadRow, NewEnterprise};
use crate::db::Tx;
use crate::ids::{AccountId, OrgId};
use crate::on_tx;

const SELECT: &str = "SELECT e.org_id, o.code AS org_code, o.name, r.code AS region_code, r.name AS region_name, \
     r.path AS region_path, e.credit_code, e.address, e.industry, e.scale, e.central_provincial, e.management, \
     e.major_hazard_source, e.principal_name, e.principal_id_masked, e.risk_level, e.created_at, e.place_types \
     FROM enterprise e JOIN org o ON o.id = e.org_id JOIN region r ON r.id = o.region_id";

/// A protected value as stored: sealed, its blind index, its masked form.
pub struct Protected {
    pub sealed: String,
    pub index: String,
    pub masked: String,
}

pub async fn insert(
    tx: &mut Tx,
    org_id: OrgId,
    e: &NewEnterprise,
    id_number: &Protected,
    by: AccountId,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO enterprise (org_id, credit_code, address, industry, scale, central_provincial, management, \
         major_hazard_source, principal_name, created_by, created_at, updated_at, principal_id_sealed, \
         principal_id_index, principal_id_masked, place_types) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15)"
    )
    .bind(org_id)
    .bind(&e.credit_code)
    .bind(&e.address)
    .bind(e.industry.code())
    .bind(e.scale.map(|s| s.code()).unwrap_or(""))
    .bind(e.central_provincial)
    .bind(e.management.code())
    .bind(e.major_hazard_source)
    .bind(&e.principal_name)
    .bind(by)
    .bind(now)
    .bind(&id_number.sealed)
    .bind(&id_number.index)
    .bind(&id_number.masked)
    .bind(anwei_rules::campaign::place_types_text(&e.place_types))
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn by_org_id(tx: &mut Tx, id: OrgId) -> Result<Option<EnterpriseRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.org_id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, EnterpriseRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn credit_code_taken(tx: &mut Tx, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM enterprise WHERE credit_code = $1"
    )
    .bind(code)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub struct ListParams<'a> {
    /// Region-path prefix pattern (`/1/3/%`): the caller's scope and the region filter.
    pub path_like: Option<&'a str>,
    pub org_id: Option<OrgId>,
    /// Exact division (`C26`) or section prefix pattern (`C%`).
    pub industry_like: Option<&'a str>,
    /// `%…%` over the name and the credit code.
    pub q_like: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

const WHERE: &str = "WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR e.org_id = $2) \
     AND ($3 IS NULL OR e.industry LIKE $3) AND ($4 IS NULL OR o.name LIKE $4 ESCAPE '\\' OR e.credit_code LIKE $4 ESCAPE '\\')";

pub async fn list(
    tx: &mut Tx,
    p: &ListParams<'_>,
) -> Result<(Vec<EnterpriseRow>, i64), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} {WHERE} ORDER BY r.path, o.name, e.org_id LIMIT $5 OFFSET $6"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, EnterpriseRow>(sql)
        .bind(p.path_like)
        .bind(p.org_id)
        .bind(p.industry_like)
        .bind(p.q_like)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM enterprise e JOIN org o ON o.id = e.org_id JOIN region r ON r.id = o.region_id {WHERE}"
    ));
    let total: i64 = on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(p.path_like)
        .bind(p.org_id)
        .bind(p.industry_like)
        .bind(p.q_like)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

/// ` IN (…)` over ids (integers: formatting them cannot inject anything); never empty.
fn id_list(ids: &[OrgId]) -> String {
    let list: Vec<String> = ids.iter().map(|i| i.get().to_string()).collect();
    if list.is_empty() {
        "NULL".into()
    } else {
        list.join(",")
    }
}

/// The enterprises with these ids, in no particular order.
pub async fn by_ids(tx: &mut Tx, ids: &[OrgId]) -> Result<Vec<EnterpriseRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.org_id IN ({})", id_list(ids)));
    on_tx!(tx, |c| sqlx::query_as::<_, EnterpriseRow>(sql)
        .fetch_all(c)
        .await)
}

/// What deciding who supervises an enterprise needs, for every enterprise in scope.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Placement {
    pub org_id: OrgId,
    pub name: String,
    pub credit_code: String,
    pub region_path: String,
    pub management: String,
    pub industry: String,
}

pub async fn placements(
    tx: &mut Tx,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
) -> Result<Vec<Placement>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, Placement>(
        "SELECT e.org_id, o.name, e.credit_code, r.path AS region_path, e.management, e.industry \
         FROM enterprise e JOIN org o ON o.id = e.org_id JOIN region r ON r.id = o.region_id \
         WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR e.org_id = $2) ORDER BY r.path, o.name, e.org_id"
    )
    .bind(path_like)
    .bind(org_id)
    .fetch_all(c)
    .await
    })
}

const LEAD_SELECT: &str = "SELECT l.id, l.enterprise_id, l.department_id, d.code AS department_code, \
     d.name AS department_name, l.principle, l.reason, a.display_name AS decided_by_name, l.decided_at \
     FROM enterprise_lead l JOIN org d ON d.id = l.department_id JOIN account a ON a.id = l.decided_by";

/// The decision in force (the latest) for each of these enterprises that has one.
pub async fn latest_leads(tx: &mut Tx, ids: &[OrgId]) -> Result<Vec<LeadRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{LEAD_SELECT} WHERE l.id IN (SELECT MAX(id) FROM enterprise_lead WHERE enterprise_id IN ({}) GROUP BY enterprise_id)",
        id_list(ids)
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, LeadRow>(sql).fetch_all(c).await)
}

/// Every enterprise with a lead decision in force, by id.
pub async fn led(tx: &mut Tx) -> Result<Vec<(OrgId, OrgId)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as::<_, (OrgId, OrgId)>(
        "SELECT enterprise_id, department_id FROM enterprise_lead \
         WHERE id IN (SELECT MAX(id) FROM enterprise_lead GROUP BY enterprise_id)"
    )
    .fetch_all(c)
    .await)
}

/// Every decision about one enterprise, the latest first.
pub async fn leads_of(tx: &mut Tx, id: OrgId) -> Result<Vec<LeadRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{LEAD_SELECT} WHERE l.enterprise_id = $1 ORDER BY l.id DESC"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, LeadRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}

pub struct NewLead<'a> {
    pub enterprise: OrgId,
    pub department: OrgId,
    pub principle: &'a str,
    pub reason: &'a str,
    pub by: AccountId,
    pub now: i64,
}

pub async fn insert_lead(tx: &mut Tx, l: &NewLead<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO enterprise_lead (enterprise_id, department_id, principle, reason, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(l.enterprise)
    .bind(l.department)
    .bind(l.principle)
    .bind(l.reason)
    .bind(l.by)
    .bind(l.now)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// The principal's sealed ID number ('' when none was recorded).
pub async fn sealed_principal_id(tx: &mut Tx, id: OrgId) -> Result<String, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT principal_id_sealed FROM enterprise WHERE org_id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await)
}

/// A profile column that other capabilities' use cases set on their own: the risk grade
/// (risks) and the place types (campaigns).
#[derive(Debug, Clone, Copy)]
pub enum Column {
    /// The highest level of the active risk points ('' for none).
    RiskLevel,
    /// Place-type codes, comma-separated.
    PlaceTypes,
}

/// Sets one of those columns.
pub async fn set(
    tx: &mut Tx,
    id: OrgId,
    column: Column,
    value: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = match column {
        Column::RiskLevel => {
            "UPDATE enterprise SET risk_level = $2, updated_at = $3 WHERE org_id = $1"
        }
        Column::PlaceTypes => {
            "UPDATE enterprise SET place_types = $2, updated_at = $3 WHERE org_id = $1"
        }
    };
    on_tx!(tx, |c| sqlx::query(sql)
        .bind(id)
        .bind(value)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))
}

/// How many current enterprises hold each risk grade, per region path, within a scope.
pub async fn risk_tally(
    tx: &mut Tx,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT r.path, e.risk_level, COUNT(*) FROM enterprise e JOIN org o ON o.id = e.org_id \
         JOIN region r ON r.id = o.region_id WHERE o.retired_at IS NULL AND ($1 IS NULL OR r.path LIKE $1) \
         AND ($2 IS NULL OR e.org_id = $2) GROUP BY r.path, e.risk_level"
    )
    .bind(path_like)
    .bind(org_id)
    .fetch_all(c)
    .await
    })
}

/// Every enterprise under the region-path pattern (`/1/3/%`), by region and name: the
/// candidates of a campaign's checklist.
pub async fn under(tx: &mut Tx, path_like: &str) -> Result<Vec<EnterpriseRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.path LIKE $1 AND o.retired_at IS NULL ORDER BY r.path, o.name, e.org_id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, EnterpriseRow>(sql)
        .bind(path_like)
        .fetch_all(c)
        .await)
}

/// Enterprises in one batch insert (an import), their organisations already added: 500 rows a
/// statement, no round trip per row.
pub async fn insert_many(
    tx: &mut Tx,
    rows: &[(OrgId, &NewEnterprise, Protected)],
    by: AccountId,
    now: i64,
) -> Result<(), sqlx::Error> {
    const COLS: usize = 16;
    for chunk in rows.chunks(500) {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO enterprise (org_id, credit_code, address, industry, scale, central_provincial, management, \
             major_hazard_source, principal_name, created_by, created_at, updated_at, principal_id_sealed, \
             principal_id_index, principal_id_masked, place_types) VALUES {}",
            crate::db::values_rows(tx.backend(), COLS, chunk.len())
        ));
        on_tx!(&mut *tx, |c| {
            let mut q = sqlx::query(sql);
            for (id, e, p) in chunk {
                q = q
                    .bind(*id)
                    .bind(&e.credit_code)
                    .bind(&e.address)
                    .bind(e.industry.code())
                    .bind(e.scale.map(|s| s.code()).unwrap_or(""))
                    .bind(e.central_provincial)
                    .bind(e.management.code())
                    .bind(e.major_hazard_source)
                    .bind(&e.principal_name)
                    .bind(by)
                    .bind(now)
                    .bind(now)
                    .bind(&p.sealed)
                    .bind(&p.index)
                    .bind(&p.masked)
                    .bind(anwei_rules::campaign::place_types_text(&e.place_types));
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// An enterprise's profile changed; its principal's ID number too when `id_number` is given.
pub async fn update(
    tx: &mut Tx,
    org_id: OrgId,
    e: &NewEnterprise,
    id_number: Option<&Protected>,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(&mut *tx, |c| {
        sqlx::query(
        "UPDATE enterprise SET address = $2, industry = $3, scale = $4, central_provincial = $5, management = $6, \
         major_hazard_source = $7, principal_name = $8, updated_at = $9 WHERE org_id = $1"
    )
    .bind(org_id)
    .bind(&e.address)
    .bind(e.industry.code())
    .bind(e.scale.map(|s| s.code()).unwrap_or(""))
    .bind(e.central_provincial)
    .bind(e.management.code())
    .bind(e.major_hazard_source)
    .bind(&e.principal_name)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    if let Some(p) = id_number {
        on_tx!(&mut *tx, |c| {
            sqlx::query(
            "UPDATE enterprise SET principal_id_sealed = $2, principal_id_index = $3, principal_id_masked = $4 WHERE org_id = $1"
        )
        .bind(org_id)
        .bind(&p.sealed)
        .bind(&p.index)
        .bind(&p.masked)
        .execute(c)
        .await
        .map(|_| ())
        })?;
    }
    Ok(())
}

/// The current enterprise named exactly `name` under the region-path pattern (`/1/3/%`), the
/// first registered when several share the name.
pub async fn named_under(
    tx: &mut Tx,
    name: &str,
    path_like: &str,
) -> Result<Option<EnterpriseRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE o.name = $1 AND r.path LIKE $2 AND o.retired_at IS NULL ORDER BY e.org_id LIMIT 1"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, EnterpriseRow>(sql)
        .bind(name)
        .bind(path_like)
        .fetch_optional(c)
        .await)
}
