//! The accident tally (`accident_tally`): counters per place, month of occurrence, grade,
//! type and industry, moved in the same transaction as the accident's filing and each
//! supplementary report.

use crate::db::Tx;
use crate::on_tx;

/// One counter's key.
pub struct Key<'a> {
    pub region_path: &'a str,
    /// `YYYY-MM` of the day it happened, UTC+8.
    pub month: String,
    pub grade: &'a str,
    pub accident_type: &'a str,
    pub industry: &'a str,
}

/// What one accident adds (or, negated, takes away).
pub struct Delta {
    pub n: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
}

pub async fn bump(tx: &mut Tx, k: &Key<'_>, d: &Delta) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO accident_tally (region_path, month, grade, accident_type, industry, n, deaths, \
         serious_injuries, missing, direct_loss_yuan) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (region_path, month, grade, accident_type, industry) DO UPDATE SET \
         n = accident_tally.n + excluded.n, deaths = accident_tally.deaths + excluded.deaths, \
         serious_injuries = accident_tally.serious_injuries + excluded.serious_injuries, \
         missing = accident_tally.missing + excluded.missing, \
         direct_loss_yuan = accident_tally.direct_loss_yuan + excluded.direct_loss_yuan"
    )
    .bind(k.region_path)
    .bind(&k.month)
    .bind(k.grade)
    .bind(k.accident_type)
    .bind(k.industry)
    .bind(d.n)
    .bind(d.deaths)
    .bind(d.serious_injuries)
    .bind(d.missing)
    .bind(d.direct_loss_yuan)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// A counter as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TallyRow {
    pub region_path: String,
    pub month: String,
    pub grade: String,
    pub accident_type: String,
    pub industry: String,
    pub n: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
}

/// The counters under `path_like` (`/1/%`) for the months `from..=to` (`YYYY-MM`).
pub async fn rows(
    tx: &mut Tx,
    path_like: &str,
    from: &str,
    to: &str,
) -> Result<Vec<TallyRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT region_path, month, grade, accident_type, industry, n, deaths, serious_injuries, missing, \
         direct_loss_yuan FROM accident_tally \
         WHERE region_path LIKE $1 AND month >= $2 AND month <= $3 AND n <> 0"
    )
    .bind(path_like)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
    })
}
