//! The report statistics' one query: reports grouped by place, month received, category,
//! status and whether verification met its deadline.

use crate::db::{Backend, Tx};
use crate::ids::OrgId;
use crate::on_tx;

/// One group as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub region_path: String,
    pub month: String,
    pub category: String,
    pub status: String,
    /// 1: the verification step was recorded on or before the verification deadline.
    pub on_time: i64,
    pub n: i64,
}

/// The groups under `path_like` received on `first..last_excl` (`YYYY-MM-DD`); a
/// department's only those routed to it.
pub async fn groups(
    tx: &mut Tx,
    path_like: &str,
    handler: Option<OrgId>,
    first: &str,
    last_excl: &str,
) -> Result<Vec<GroupRow>, sqlx::Error> {
    let day = match tx.backend() {
        Backend::Sqlite => "date(s.at / 1000 + 28800, 'unixepoch')",
        Backend::Postgres => {
            "to_char(to_timestamp(s.at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"
        }
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT region_path, month, category, status, on_time, COUNT(*) AS n FROM (\
         SELECT p.region_path, substr(p.received_on, 1, 7) AS month, p.category, p.status, \
         CAST(CASE WHEN p.status IN ('verified', 'answered') AND EXISTS (SELECT 1 FROM report_step s \
           WHERE s.report_id = p.id AND s.step = 'verify' AND {day} <= p.verify_due) THEN 1 ELSE 0 END AS BIGINT) AS on_time \
         FROM report p WHERE p.region_path LIKE $1 AND ($2 IS NULL OR p.handler_org_id = $2) \
         AND p.received_on >= $3 AND p.received_on < $4) g \
         GROUP BY region_path, month, category, status, on_time"
    ));
    on_tx!(tx, |c| sqlx::query_as(sql)
        .bind(path_like)
        .bind(handler)
        .bind(first)
        .bind(last_excl)
        .fetch_all(c)
        .await)
}
