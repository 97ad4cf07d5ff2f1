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

/// A counter as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TallyRow {
    pub region_path: String,
    pub industry: String,
    pub grade: String,
    pub status: String,
    pub month: String,
    pub on_time: i64,
    pub n: i64,
}

/// The counters under `path_like` (a region path pattern, `/1/%`) for hazards found in the
/// months `from..=to` (`YYYY-MM`, either open).
pub async fn rows(
    tx: &mut Tx,
    path_like: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<TallyRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT region_path, industry, grade, status, month, on_time, n FROM hazard_tally \
         WHERE region_path LIKE $1 AND ($2 IS NULL OR month >= $2) AND ($3 IS NULL OR month <= $3) AND n <> 0"
    )
    .bind(path_like)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
    })
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

/// How many hazards under `path_like` are overdue on `today`: not closed, the deadline before
/// it (read from `hazard_triage_idx` alone).
pub async fn overdue(tx: &mut Tx, path_like: &str, today: &str) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM hazard WHERE status IN ('registered', 'rectifying', 'submitted') \
         AND grade IN ('general', 'major') AND deadline < $2 AND region_path LIKE $1"
    )
    .bind(path_like)
    .bind(today)
    .fetch_one(c)
    .await)
}
