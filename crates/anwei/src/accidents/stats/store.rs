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

/// The table a grouped sum belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    Grade,
    Type,
    Industry,
    Place,
    Month,
    /// The same months a year earlier, one row.
    Previous,
}

impl Dim {
    fn parse(tag: &str) -> Option<Dim> {
        Some(match tag {
            "g" => Dim::Grade,
            "t" => Dim::Type,
            "i" => Dim::Industry,
            "r" => Dim::Place,
            "m" => Dim::Month,
            "p" => Dim::Previous,
            _ => return None,
        })
    }
}

/// One grouped sum: a table, its key (a grade, type, industry code, region path or month;
/// blank for [`Dim::Previous`]) and the figures.
#[derive(Debug, Clone)]
pub struct Sum {
    pub dim: Dim,
    pub key: String,
    pub n: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
}

/// The counters under `path_like` (`/1/%`) summed per grade, type, industry, place and month
/// for the months `from..=to`, and in total for `prev_from..=prev_to` (`YYYY-MM`): one
/// statement, a few hundred rows at most, however many counters the period holds. Grouping
/// here rather than in the service keeps the city's statistics of a year (tens of thousands of
/// counters) from crossing the driver row by row.
pub async fn sums(
    tx: &mut Tx,
    path_like: &str,
    (from, to): (&str, &str),
    (prev_from, prev_to): (&str, &str),
) -> Result<Vec<Sum>, sqlx::Error> {
    const FIGS: &str = "CAST(SUM(n) AS BIGINT), CAST(SUM(deaths) AS BIGINT), \
        CAST(SUM(serious_injuries) AS BIGINT), CAST(SUM(missing) AS BIGINT), \
        CAST(SUM(direct_loss_yuan) AS BIGINT)";
    const IN: &str =
        "FROM accident_tally WHERE region_path LIKE $1 AND month >= $2 AND month <= $3 AND n <> 0";
    let branch =
        |tag: &str, col: &str| format!("SELECT '{tag}', {col}, {FIGS} {IN} GROUP BY {col}");
    let sql = format!(
        "{} UNION ALL {} UNION ALL {} UNION ALL {} UNION ALL {} UNION ALL \
         SELECT 'p', '', {FIGS} FROM accident_tally WHERE region_path LIKE $1 AND month >= $4 \
         AND month <= $5 AND n <> 0",
        branch("g", "grade"),
        branch("t", "accident_type"),
        branch("i", "industry"),
        branch("r", "region_path"),
        branch("m", "month"),
    );
    type Raw = (
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let raw: Vec<Raw> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(path_like)
            .bind(from)
            .bind(to)
            .bind(prev_from)
            .bind(prev_to)
            .fetch_all(c)
            .await
    })?;
    Ok(raw
        .into_iter()
        .filter_map(|(tag, key, n, d, s, m, l)| {
            Some(Sum {
                dim: Dim::parse(&tag)?,
                key,
                n: n.unwrap_or(0),
                deaths: d.unwrap_or(0),
                serious_injuries: s.unwrap_or(0),
                missing: m.unwrap_or(0),
                direct_loss_yuan: l.unwrap_or(0),
            })
        })
        .collect())
}
