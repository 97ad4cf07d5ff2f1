//! Every SQL statement of people, positions and holdings.

use super::model::{HoldingRow, PersonRow, PositionRow};
use crate::db::Tx;
use crate::ids::{OrgId, PersonId, PositionId};
use crate::on_tx;

const POSITION_SELECT: &str = "SELECT p.id, p.org_id, o.code AS org_code, o.name AS org_name, p.kind, p.title, p.sectors, p.retired_at, \
     h.person_id AS holder_id, pe.name AS holder_name, h.start_date AS holder_since \
     FROM org_position p JOIN org o ON o.id = p.org_id JOIN region r ON r.id = o.region_id \
     LEFT JOIN position_holding h ON h.position_id = p.id AND h.end_date IS NULL \
     LEFT JOIN person pe ON pe.id = h.person_id";

pub async fn insert_position(
    tx: &mut Tx,
    org_id: OrgId,
    kind: &str,
    title: &str,
    sectors: &str,
    sort: i64,
    now: i64,
) -> Result<PositionId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO org_position (org_id, kind, title, sectors, sort_order, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id"
    )
    .bind(org_id)
    .bind(kind)
    .bind(title)
    .bind(sectors)
    .bind(sort)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

pub async fn positions_of(tx: &mut Tx, org_id: OrgId) -> Result<Vec<PositionRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{POSITION_SELECT} WHERE p.org_id = $1 AND p.retired_at IS NULL ORDER BY p.sort_order, p.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, PositionRow>(sql)
        .bind(org_id)
        .fetch_all(c)
        .await)
}

pub async fn positions_in_scope(
    tx: &mut Tx,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
    kind: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PositionRow>, i64), sqlx::Error> {
    let filter = "WHERE p.retired_at IS NULL AND ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR o.id = $2) AND ($3 IS NULL OR p.kind = $3)";
    let sql = sqlx::AssertSqlSafe(format!(
        "{POSITION_SELECT} {filter} ORDER BY r.path, o.sort_order, o.id, p.sort_order, p.id LIMIT $4 OFFSET $5"
    ));
    let count_sql = sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM org_position p JOIN org o ON o.id = p.org_id JOIN region r ON r.id = o.region_id {filter}"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, PositionRow>(sql)
        .bind(path_like)
        .bind(org_id)
        .bind(kind)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)?;
    let total = on_tx!(tx, |c| sqlx::query_scalar(count_sql)
        .bind(path_like)
        .bind(org_id)
        .bind(kind)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

pub async fn position(tx: &mut Tx, id: PositionId) -> Result<Option<PositionRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{POSITION_SELECT} WHERE p.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, PositionRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn insert_person(
    tx: &mut Tx,
    org_id: OrgId,
    name: &str,
    note: &str,
    now: i64,
) -> Result<PersonId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar("INSERT INTO person (org_id, name, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
        .bind(org_id)
        .bind(name)
        .bind(note)
        .bind(now)
        .fetch_one(c)
        .await
    })
}

const PERSON_SELECT: &str = "SELECT pe.id, pe.name, pe.note, pe.org_id, o.code AS org_code, o.name AS org_name, r.path AS region_path FROM person pe JOIN org o ON o.id = pe.org_id JOIN region r ON r.id = o.region_id";

pub async fn person(tx: &mut Tx, id: PersonId) -> Result<Option<PersonRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{PERSON_SELECT} WHERE pe.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, PersonRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// People whose record is kept by an organisation in scope.
pub async fn persons(
    tx: &mut Tx,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
    q: Option<&str>,
    limit: i64,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    let like = q.map(|q| format!("%{}%", crate::db::escape_like(q)));
    let sql = sqlx::AssertSqlSafe(format!(
        "{PERSON_SELECT} WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR o.id = $2) AND ($3 IS NULL OR pe.name LIKE $3 ESCAPE '\\') ORDER BY pe.id DESC LIMIT $4"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, PersonRow>(sql)
        .bind(path_like)
        .bind(org_id)
        .bind(like.as_deref())
        .bind(limit)
        .fetch_all(c)
        .await)
}

pub async fn assign(
    tx: &mut Tx,
    position_id: PositionId,
    person_id: PersonId,
    start: &str,
    end_prev: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE position_holding SET end_date = $2 WHERE position_id = $1 AND end_date IS NULL",
        )
        .bind(position_id)
        .bind(end_prev)
        .execute(&mut *c)
        .await?;
        sqlx::query("INSERT INTO position_holding (position_id, person_id, start_date, created_at) VALUES ($1, $2, $3, $4)")
            .bind(position_id)
            .bind(person_id)
            .bind(start)
            .bind(now)
            .execute(&mut *c)
            .await?;
        Ok(())
    })
}

pub async fn vacate(tx: &mut Tx, position_id: PositionId, end: &str) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE position_holding SET end_date = $2 WHERE position_id = $1 AND end_date IS NULL"
    )
    .bind(position_id)
    .bind(end)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn holdings(
    tx: &mut Tx,
    position_id: PositionId,
) -> Result<Vec<HoldingRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT h.id, h.position_id, h.person_id, pe.name AS person_name, h.start_date, h.end_date FROM position_holding h JOIN person pe ON pe.id = h.person_id WHERE h.position_id = $1 ORDER BY h.start_date DESC, h.id DESC"
    )
    .bind(position_id)
    .fetch_all(c)
    .await
    })
}

pub async fn current_start(
    tx: &mut Tx,
    position_id: PositionId,
) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT start_date FROM position_holding WHERE position_id = $1 AND end_date IS NULL"
    )
    .bind(position_id)
    .fetch_optional(c)
    .await)
}
