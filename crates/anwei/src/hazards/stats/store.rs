//! The hazard tally (`hazard_tally`): counters per place, industry, grade, status, month found
//! and — for closed hazards — whether they were closed by the deadline. Moved in the same
//! transaction as the hazard itself, so the dashboards and the list's totals never scan
//! millions of rows.

use crate::db::Tx;
use crate::on_tx;

/// One counter's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'a> {
    pub region_path: &'a str,
    pub industry: &'a str,
    pub grade: &'a str,
    pub status: &'a str,
    /// `YYYY-MM` of the day the hazard was found.
    pub month: String,
    /// Closed on or before the deadline (closed hazards only; otherwise false).
    pub on_time: bool,
}

/// Adds `by` (1 or -1) to the counter of `k`.
pub async fn bump(tx: &mut Tx, k: &Key<'_>, by: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO hazard_tally (region_path, industry, grade, status, month, on_time, n) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (region_path, industry, grade, status, month, on_time) \
         DO UPDATE SET n = hazard_tally.n + excluded.n"
    )
    .bind(k.region_path)
    .bind(k.industry)
    .bind(k.grade)
    .bind(k.status)
    .bind(&k.month)
    .bind(i64::from(k.on_time))
    .bind(by)
    .execute(c)
    .await
    .map(|_| ()))
}

/// The table a grouped sum belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    Grade,
    Status,
    Month,
    /// Per industry code, with the closed and on-time counts (the sections and the sectors).
    Industry,
    /// Per region path, with the closed and on-time counts (the child territories).
    Place,
}

impl Dim {
    fn parse(tag: &str) -> Option<Dim> {
        Some(match tag {
            "g" => Dim::Grade,
            "s" => Dim::Status,
            "m" => Dim::Month,
            "i" => Dim::Industry,
            "r" => Dim::Place,
            _ => return None,
        })
    }
}

/// One grouped sum: a table, its key, how many hazards, and of them how many are closed and
/// closed by the deadline.
#[derive(Debug, Clone)]
pub struct Sum {
    pub dim: Dim,
    pub key: String,
    pub n: i64,
    pub closed: i64,
    pub on_time: i64,
}

/// The counters under `path_like` (a region path pattern, `/1/%`) for hazards found in the
/// months `from..=to` (`YYYY-MM`, either open), summed per grade, status, month, industry and
/// place: one statement answering a few hundred rows however many counters the city holds.
/// Summing here rather than in the service keeps five million hazards' counters from crossing
/// the driver row by row (the city dashboard's p99 on PostgreSQL).
pub async fn sums(
    tx: &mut Tx,
    path_like: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<Sum>, sqlx::Error> {
    const FIGS: &str = "CAST(SUM(n) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'closed' THEN n ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'closed' AND on_time = 1 THEN n ELSE 0 END) AS BIGINT)";
    const IN: &str = "FROM hazard_tally WHERE region_path LIKE $1 AND ($2 IS NULL OR month >= $2) \
        AND ($3 IS NULL OR month <= $3) AND n <> 0";
    let branch =
        |tag: &str, col: &str| format!("SELECT '{tag}', {col}, {FIGS} {IN} GROUP BY {col}");
    let sql = [
        branch("g", "grade"),
        branch("s", "status"),
        branch("m", "month"),
        branch("i", "industry"),
        branch("r", "region_path"),
    ]
    .join(" UNION ALL ");
    type Raw = (String, String, Option<i64>, Option<i64>, Option<i64>);
    let raw: Vec<Raw> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(path_like)
            .bind(from)
            .bind(to)
            .fetch_all(c)
            .await
    })?;
    Ok(raw
        .into_iter()
        .filter_map(|(tag, key, n, closed, on_time)| {
            Some(Sum {
                dim: Dim::parse(&tag)?,
                key,
                n: n.unwrap_or(0),
                closed: closed.unwrap_or(0),
                on_time: on_time.unwrap_or(0),
            })
        })
        .collect())
}

/// How many hazards match a list's filters, from the tally: the region pattern, grade, status
/// and industry pattern (each optional).
pub async fn total(
    tx: &mut Tx,
    path_like: Option<&str>,
    grade: Option<&str>,
    status: Option<&str>,
    industry_like: Option<&str>,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM hazard_tally WHERE ($1 IS NULL OR region_path LIKE $1) \
         AND ($2 IS NULL OR grade = $2) AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR industry LIKE $4)"
    )
    .bind(path_like)
    .bind(grade)
    .bind(status)
    .bind(industry_like)
    .fetch_one(c)
    .await
    })
}

/// Adds `by` (1 or -1) to the open hazards under `region_path` due on `deadline`.
pub async fn bump_open(
    tx: &mut Tx,
    region_path: &str,
    deadline: &str,
    by: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO hazard_open_tally (region_path, deadline, n) VALUES ($1, $2, $3) \
         ON CONFLICT (region_path, deadline) DO UPDATE SET n = hazard_open_tally.n + excluded.n"
    )
    .bind(region_path)
    .bind(deadline)
    .bind(by)
    .execute(c)
    .await
    .map(|_| ()))
}

/// How many hazards under `path_like` are overdue on `today`: not closed, the deadline before
/// it — summed from the open-hazard tally (`hazard_open_tally`), never counted row by row.
pub async fn overdue(tx: &mut Tx, path_like: &str, today: &str) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM hazard_open_tally \
         WHERE deadline < $2 AND region_path LIKE $1"
    )
    .bind(path_like)
    .bind(today)
    .fetch_one(c)
    .await)
}
