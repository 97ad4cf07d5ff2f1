//! Every SQL statement of regions and organisations.

use super::model::{NameHistory, OrgRow, RegionRow};
use crate::db::Tx;
use crate::ids::{OrgId, RegionId};
use crate::on_tx;

const ORG_SELECT: &str = "SELECT o.id, o.code, o.name, o.short_name, o.kind, o.level, o.region_id, r.code AS region_code, r.name AS region_name, \
     r.path AS region_path, o.parent_id, p.code AS parent_code, o.supervises_safety, o.sectors, o.note, o.retired_at, o.version \
     FROM org o JOIN region r ON r.id = o.region_id LEFT JOIN org p ON p.id = o.parent_id";

/// Scope as SQL parameters: a region-path prefix pattern, or one organisation id.
pub struct ScopeParams {
    pub path_like: Option<String>,
    pub org_id: Option<OrgId>,
}

pub struct ListParams<'a> {
    pub scope: &'a ScopeParams,
    pub q: Option<String>,
    pub kind: Option<&'a str>,
    pub region_code: Option<&'a str>,
    pub level: Option<&'a str>,
    pub supervising: bool,
    pub include_retired: bool,
    /// List enterprises too (an enterprise kind asked for, a search, an enterprise's own
    /// scope); otherwise the tree's bodies only, whatever the number of enterprises.
    pub enterprises: bool,
    /// `(limit, offset)`: one page; `None`: every row.
    pub page: Option<(i64, i64)>,
}

/// The kinds other than `enterprise`, as a SQL list (static codes: nothing to inject). An
/// `IN` list, not `<>`, so the `(kind, region_id)` index answers it.
fn bodies() -> String {
    anwei_rules::org::OrgKind::ALL
        .iter()
        .filter(|k| **k != anwei_rules::org::OrgKind::Enterprise)
        .map(|k| format!("'{}'", k.code()))
        .collect::<Vec<_>>()
        .join(",")
}

fn list_where(enterprises: bool) -> String {
    let kinds = if enterprises {
        String::new()
    } else {
        format!(" AND o.kind IN ({})", bodies())
    };
    format!(
        "WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR o.id = $2) AND ($3 IS NULL OR o.name LIKE $3 ESCAPE '\\' OR o.code LIKE $3 ESCAPE '\\') \
         AND ($4 IS NULL OR o.kind = $4) AND ($5 IS NULL OR r.code = $5) AND ($6 IS NULL OR o.level = $6) AND ($7 = FALSE OR o.supervises_safety = TRUE) \
         AND ($8 = TRUE OR o.retired_at IS NULL){kinds}"
    )
}

pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<Vec<OrgRow>, sqlx::Error> {
    let (limit, offset) = p.page.unwrap_or((i64::MAX, 0));
    let sql = sqlx::AssertSqlSafe(format!(
        "{ORG_SELECT} {} ORDER BY r.path, o.sort_order, o.id LIMIT $9 OFFSET $10",
        list_where(p.enterprises)
    ));
    let q =
        p.q.as_ref()
            .map(|q| format!("%{}%", crate::db::escape_like(q)));
    on_tx!(tx, |c| sqlx::query_as::<_, OrgRow>(sql)
        .bind(p.scope.path_like.as_deref())
        .bind(p.scope.org_id)
        .bind(q.as_deref())
        .bind(p.kind)
        .bind(p.region_code)
        .bind(p.level)
        .bind(p.supervising)
        .bind(p.include_retired)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)
}

/// How many organisations [`list`] finds without its page.
pub async fn count_list(tx: &mut Tx, p: &ListParams<'_>) -> Result<i64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM org o JOIN region r ON r.id = o.region_id {}",
        list_where(p.enterprises)
    ));
    let q =
        p.q.as_ref()
            .map(|q| format!("%{}%", crate::db::escape_like(q)));
    on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(p.scope.path_like.as_deref())
        .bind(p.scope.org_id)
        .bind(q.as_deref())
        .bind(p.kind)
        .bind(p.region_code)
        .bind(p.level)
        .bind(p.supervising)
        .bind(p.include_retired)
        .fetch_one(c)
        .await)
}

/// The current organisations of `kind` whose region lies directly below region `parent`.
pub async fn current_in_child_regions(
    tx: &mut Tx,
    parent: RegionId,
    kind: &str,
) -> Result<Vec<OrgRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{ORG_SELECT} WHERE r.parent_id = $1 AND o.kind = $2 AND o.retired_at IS NULL \
         ORDER BY r.path, o.sort_order, o.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, OrgRow>(sql)
        .bind(parent)
        .bind(kind)
        .fetch_all(c)
        .await)
}

pub async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<OrgRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{ORG_SELECT} WHERE o.code = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, OrgRow>(sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

pub async fn by_id(tx: &mut Tx, id: OrgId) -> Result<Option<OrgRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{ORG_SELECT} WHERE o.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, OrgRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn children(tx: &mut Tx, id: OrgId) -> Result<Vec<OrgRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{ORG_SELECT} WHERE o.parent_id = $1 ORDER BY o.sort_order, o.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, OrgRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}

pub async fn regions(tx: &mut Tx) -> Result<Vec<RegionRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("SELECT id, code, name, level, parent_id, path, has_gb2260_code FROM region ORDER BY path, sort_order")
        .fetch_all(c)
        .await
    })
}

pub async fn region_by_code(tx: &mut Tx, code: &str) -> Result<Option<RegionRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, code, name, level, parent_id, path, has_gb2260_code FROM region WHERE code = $1"
    )
    .bind(code)
    .fetch_optional(c)
    .await)
}

pub async fn count_regions(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM region")
        .fetch_one(c)
        .await)
}

pub async fn insert_region(
    tx: &mut Tx,
    code: &str,
    name: &str,
    level: &str,
    parent: Option<(RegionId, &str)>,
    gb2260: bool,
    sort: i64,
) -> Result<RegionRow, sqlx::Error> {
    let id: RegionId = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO region (code, name, level, parent_id, path, has_gb2260_code, sort_order) VALUES ($1, $2, $3, $4, '', $5, $6) RETURNING id"
    )
    .bind(code)
    .bind(name)
    .bind(level)
    .bind(parent.map(|p| p.0))
    .bind(gb2260)
    .bind(sort)
    .fetch_one(c)
    .await
    })?;
    let path = format!("{}{id:010}/", parent.map(|p| p.1).unwrap_or("/"));
    on_tx!(tx, |c| sqlx::query(
        "UPDATE region SET path = $1 WHERE id = $2"
    )
    .bind(&path)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(RegionRow {
        id,
        code: code.into(),
        name: name.into(),
        level: level.into(),
        parent_id: parent.map(|p| p.0),
        path,
        has_gb2260_code: gb2260,
    })
}

pub struct InsertOrg<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub kind: &'a str,
    pub level: &'a str,
    pub region_id: RegionId,
    pub parent_id: Option<OrgId>,
    pub supervises: bool,
    pub sectors: &'a str,
    pub note: &'a str,
    pub sort: i64,
    pub builtin: bool,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, o: &InsertOrg<'_>) -> Result<OrgId, sqlx::Error> {
    let id: OrgId = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO org (code, name, short_name, kind, level, region_id, parent_id, supervises_safety, sectors, note, sort_order, builtin, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id"
    )
    .bind(o.code)
    .bind(o.name)
    .bind(o.short_name)
    .bind(o.kind)
    .bind(o.level)
    .bind(o.region_id)
    .bind(o.parent_id)
    .bind(o.supervises)
    .bind(o.sectors)
    .bind(o.note)
    .bind(o.sort)
    .bind(o.builtin)
    .bind(o.now)
    .fetch_one(c)
    .await
    })?;
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO org_name_history (org_id, name, valid_from) VALUES ($1, $2, $3)"
    )
    .bind(id)
    .bind(o.name)
    .bind(o.now)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(id)
}

/// Renames with an optimistic version check; the old name goes into the history.
pub async fn rename(tx: &mut Tx, id: OrgId, name: &str, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE org_name_history SET valid_to = $2 WHERE org_id = $1 AND valid_to IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *c)
        .await?;
        sqlx::query("INSERT INTO org_name_history (org_id, name, valid_from) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name)
            .bind(now)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "UPDATE org SET name = $2, updated_at = $3, version = version + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(name)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn retire(tx: &mut Tx, id: OrgId, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE org SET retired_at = $2, updated_at = $2, version = version + 1 WHERE id = $1 AND retired_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn reinstate(tx: &mut Tx, id: OrgId, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE org SET retired_at = NULL, updated_at = $2, version = version + 1 WHERE id = $1 AND retired_at IS NOT NULL")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

pub async fn name_history(tx: &mut Tx, id: OrgId) -> Result<Vec<NameHistory>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("SELECT name, valid_from, valid_to FROM org_name_history WHERE org_id = $1 ORDER BY valid_from DESC, id DESC")
        .bind(id)
        .fetch_all(c)
        .await
    })
}

pub async fn active_children_count(tx: &mut Tx, id: OrgId) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM org WHERE parent_id = $1 AND retired_at IS NULL"
    )
    .bind(id)
    .fetch_one(c)
    .await)
}

pub async fn count(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM org")
        .fetch_one(c)
        .await)
}

pub async fn rename_region(tx: &mut Tx, id: RegionId, name: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE region SET name = $1 WHERE id = $2"
    )
    .bind(name)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}
