//! Every SQL statement of accidents.

use super::model::{AccidentRow, Figures, ListRow, NewAccident, VersionRow};
use crate::db::Tx;
use crate::ids::{AccidentId, AccountId, OrgId, RegionId};
use crate::on_tx;

const SELECT: &str = "SELECT a.id, r.code AS region_code, r.name AS region_name, a.region_path, a.enterprise_id, \
     a.unit_name, a.industry, a.accident_type, a.category, a.occurred_at, a.location, a.version, a.grade, a.criterion, \
     v.deaths, v.serious_injuries, v.missing, v.direct_loss_yuan, v.summary, v.measures, v.other, \
     a.reported_by, a.reported_by_org, u.display_name AS reported_by_name, a.created_at, a.updated_at \
     FROM accident a JOIN region r ON r.id = a.region_id \
     JOIN accident_version v ON v.accident_id = a.id AND v.version = a.version \
     JOIN account u ON u.id = a.reported_by";

/// Where the accident happened and what it is graded, kept on the row.
pub struct Placed<'a> {
    pub region_id: RegionId,
    pub region_path: &'a str,
    pub unit_name: &'a str,
    pub industry: &'a str,
    pub grade: &'a str,
    pub criterion: &'a str,
}

/// Who files, and when (server clock).
#[derive(Clone, Copy)]
pub struct By {
    pub account: AccountId,
    pub org: OrgId,
    pub at: i64,
}

pub async fn insert(
    tx: &mut Tx,
    a: &NewAccident,
    p: &Placed<'_>,
    by: By,
) -> Result<AccidentId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO accident (region_id, region_path, enterprise_id, unit_name, industry, accident_type, category, \
             occurred_at, location, version, grade, criterion, reported_by, reported_by_org, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(p.region_id)
        .bind(p.region_path)
        .bind(a.enterprise_id)
        .bind(p.unit_name)
        .bind(p.industry)
        .bind(a.accident_type.code())
        .bind(a.category.code())
        .bind(a.occurred_at_ms)
        .bind(&a.location)
        .bind(p.grade)
        .bind(p.criterion)
        .bind(by.account)
        .bind(by.org)
        .bind(by.at)
        .fetch_one(c)
        .await
    })
}

/// Graded figures of one version.
pub struct Graded<'a> {
    pub figures: &'a Figures,
    pub grade: &'a str,
    pub criterion: &'a str,
}

pub async fn add_version(
    tx: &mut Tx,
    id: AccidentId,
    version: i64,
    g: &Graded<'_>,
    by: By,
) -> Result<(), sqlx::Error> {
    let c = &g.figures.casualties;
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO accident_version (accident_id, version, deaths, serious_injuries, missing, direct_loss_yuan, \
             summary, measures, other, grade, criterion, reported_by, reported_by_org, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(id)
        .bind(version)
        .bind(i64::from(c.deaths))
        .bind(i64::from(c.serious_injuries))
        .bind(i64::from(c.missing))
        .bind(i64::try_from(c.direct_loss_yuan).unwrap_or(i64::MAX))
        .bind(&g.figures.summary)
        .bind(&g.figures.measures)
        .bind(&g.figures.other)
        .bind(g.grade)
        .bind(g.criterion)
        .bind(by.account)
        .bind(by.org)
        .bind(by.at)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

/// Makes `to` the latest version, with its grade; 0 when the latest was no longer `from`
/// (someone else's supplementary report came first).
pub async fn set_latest(
    tx: &mut Tx,
    id: AccidentId,
    from: i64,
    to: i64,
    g: &Graded<'_>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE accident SET version = $3, grade = $4, criterion = $5, updated_at = $6 \
             WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(g.grade)
        .bind(g.criterion)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn by_id(tx: &mut Tx, id: AccidentId) -> Result<Option<AccidentRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, AccidentRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Every version, the first report first.
pub async fn versions(tx: &mut Tx, id: AccidentId) -> Result<Vec<VersionRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, VersionRow>(
        "SELECT v.version, v.deaths, v.serious_injuries, v.missing, v.direct_loss_yuan, v.summary, v.measures, \
         v.other, v.grade, v.criterion, u.display_name AS reported_by_name, v.created_at \
         FROM accident_version v JOIN account u ON u.id = v.reported_by \
         WHERE v.accident_id = $1 ORDER BY v.version"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })
}

/// A flag a verified concealment case set on an accident (瞒报, 谎报, 漏报).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlagRow {
    pub flag: String,
    pub case_id: i64,
    pub detail: String,
    pub created_at: i64,
}

/// Sets `flag` on accident `id` (once: a second case finding the same keeps the first).
pub async fn add_flag(tx: &mut Tx, id: AccidentId, f: &FlagRow) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO accident_flag (accident_id, flag, case_id, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (accident_id, flag) DO NOTHING"
    )
    .bind(id)
    .bind(&f.flag)
    .bind(f.case_id)
    .bind(&f.detail)
    .bind(f.created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// The flags of accident `id`, in the order they were set.
pub async fn flags(tx: &mut Tx, id: AccidentId) -> Result<Vec<FlagRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as::<_, FlagRow>(
        "SELECT flag, case_id, detail, created_at FROM accident_flag WHERE accident_id = $1 \
         ORDER BY created_at, flag"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

/// What the list selects by: the scope (`path` and below; an enterprise's `own`) and the
/// filter, all parsed; `now` is the server clock for `late`.
pub struct ListParams<'a> {
    pub path: &'a str,
    pub own: Option<OrgId>,
    pub f: &'a super::filter::Filter,
    pub now: i64,
    pub limit: i64,
    pub offset: i64,
}

const LIST_WHERE: &str = " WHERE a.region_path LIKE $1 AND ($2 IS NULL OR a.enterprise_id = $2) \
     AND ($3 IS NULL OR EXISTS (SELECT 1 FROM accident_flag f WHERE f.accident_id = a.id AND f.flag = $3)) \
     AND ($4 IS NULL OR a.grade = $4) AND ($5 IS NULL OR a.occurred_at >= $5) \
     AND ($6 IS NULL OR a.occurred_at < $6) AND ($7 IS NULL OR a.enterprise_id = $7) \
     AND ($9 IS NULL \
      OR ($9 = 'late' AND EXISTS (SELECT 1 FROM accident_hop h WHERE h.accident_id = a.id \
          AND h.acknowledged_at IS NULL AND h.due_at IS NOT NULL AND h.due_at < $8)) \
      OR ($9 = 'reporting' AND EXISTS (SELECT 1 FROM accident_hop h WHERE h.accident_id = a.id \
          AND h.acknowledged_at IS NULL)) \
      OR ($9 = 'reported' AND NOT EXISTS (SELECT 1 FROM accident_hop h \
          WHERE h.accident_id = a.id AND h.acknowledged_at IS NULL)))";

/// One page of accidents by `p`, the latest first, and how many match in all.
pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<(Vec<ListRow>, i64), sqlx::Error> {
    let rows_sql = sqlx::AssertSqlSafe(format!(
        "SELECT q.*, (SELECT COUNT(*) FROM accident_hop h WHERE h.accident_id = q.id \
         AND h.acknowledged_at IS NULL AND h.due_at IS NOT NULL AND h.due_at < $8) AS open_late \
         FROM ({SELECT}{LIST_WHERE} ORDER BY a.occurred_at DESC, a.id DESC LIMIT $10 OFFSET $11) q \
         ORDER BY q.occurred_at DESC, q.id DESC"
    ));
    let count_sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM accident a{LIST_WHERE}"));
    let f = p.f;
    let path = format!("{}%", p.path);
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, ListRow>(rows_sql)
        .bind(&path)
        .bind(p.own)
        .bind(f.flag)
        .bind(f.grade)
        .bind(f.from_ms)
        .bind(f.to_ms)
        .bind(f.enterprise)
        .bind(p.now)
        .bind(f.status)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    let total = on_tx!(tx, |c| sqlx::query_scalar::<_, i64>(count_sql)
        .bind(&path)
        .bind(p.own)
        .bind(f.flag)
        .bind(f.grade)
        .bind(f.from_ms)
        .bind(f.to_ms)
        .bind(f.enterprise)
        .bind(p.now)
        .bind(f.status)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}
