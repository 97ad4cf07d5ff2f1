//! Every SQL statement of the ban registry.

use super::model::BanRow;
use crate::db::Tx;
use crate::ids::{AccountId, AccountabilityId, BanId};
use crate::on_tx;

const SELECT: &str = "SELECT b.id, b.id_number_masked, b.name, b.ground, b.grade, b.industry, b.starts_on, \
     b.ends_on, b.accountability_id, o.accident_id, b.document_no, b.created_at \
     FROM ban b LEFT JOIN accountability o ON o.id = b.accountability_id";

/// An entry as stored: the ID number sealed, its blind index and masked form.
pub struct Stored<'a> {
    pub sealed: &'a str,
    pub index: &'a str,
    pub masked: &'a str,
    pub name: &'a str,
    pub ground: &'a str,
    pub grade: &'a str,
    pub industry: &'a str,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub accountability_id: Option<AccountabilityId>,
    pub document_no: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    b: &Stored<'_>,
    by: AccountId,
    at: i64,
) -> Result<BanId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO ban (id_number_sealed, id_number_index, id_number_masked, name, ground, grade, industry, \
             starts_on, ends_on, accountability_id, document_no, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(b.sealed)
        .bind(b.index)
        .bind(b.masked)
        .bind(b.name)
        .bind(b.ground)
        .bind(b.grade)
        .bind(b.industry)
        .bind(&b.starts_on)
        .bind(&b.ends_on)
        .bind(b.accountability_id)
        .bind(b.document_no)
        .bind(by)
        .bind(at)
        .fetch_one(c)
        .await
    })
}

/// The entries of the person with this blind index.
pub async fn by_index(tx: &mut Tx, index: &str) -> Result<Vec<BanRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE b.id_number_index = $1 ORDER BY b.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, BanRow>(sql)
        .bind(index)
        .fetch_all(c)
        .await)
}

/// The entries whose name contains `like` (a LIKE pattern), newest first, at most `limit`.
pub async fn by_name(tx: &mut Tx, like: &str, limit: i64) -> Result<Vec<BanRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE b.name LIKE $1 ESCAPE '\\' ORDER BY b.id DESC LIMIT $2"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, BanRow>(sql)
        .bind(like)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// The newest entries, at most `limit`.
pub async fn latest(tx: &mut Tx, limit: i64) -> Result<Vec<BanRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY b.id DESC LIMIT $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, BanRow>(sql)
        .bind(limit)
        .fetch_all(c)
        .await)
}
