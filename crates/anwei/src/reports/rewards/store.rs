//! Every SQL statement of rewards and the budget line. No statement returns the payout code
//! but `for_reporter`'s sealed copy, which only the reporter's follow-up opens.

use super::model::{LedgerRow, RewardRow};
use crate::db::Tx;
use crate::ids::{AccountId, RegionId, ReportId};
use crate::on_tx;

const SELECT: &str = "SELECT id, report_id, region_id, region_path, basis, rule, rule_text, proposed_fen, \
     proposed_by, status, approved_fen, decision_reason, decided_on, payout_sealed, paid_on, paid_fen, voucher_no \
     FROM report_reward";

pub async fn by_report(tx: &mut Tx, id: ReportId) -> Result<Option<RewardRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE report_id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, RewardRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn by_payout(tx: &mut Tx, index: &str) -> Result<Option<RewardRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE payout_index = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, RewardRow>(sql)
        .bind(index)
        .fetch_optional(c)
        .await)
}

/// A proposal as the rule made it.
pub struct Proposed<'a> {
    pub report_id: ReportId,
    pub region_id: RegionId,
    pub region_path: &'a str,
    pub basis: &'a str,
    pub fine_fen: Option<i64>,
    pub grade: Option<&'a str>,
    pub deaths: Option<i64>,
    pub rule: &'a str,
    pub rule_text: &'a str,
    pub amount_fen: i64,
    pub by: AccountId,
    pub now: i64,
}

/// Stores a proposal, replacing an undecided one of the same report; 0 rows when the report's
/// reward was decided already.
pub async fn propose(tx: &mut Tx, p: &Proposed<'_>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO report_reward (report_id, region_id, region_path, basis, fine_fen, grade, deaths, rule, \
         rule_text, proposed_fen, proposed_by, proposed_at, status, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'proposed', $12) \
         ON CONFLICT (report_id) DO UPDATE SET basis = excluded.basis, fine_fen = excluded.fine_fen, \
         grade = excluded.grade, deaths = excluded.deaths, rule = excluded.rule, rule_text = excluded.rule_text, \
         proposed_fen = excluded.proposed_fen, proposed_by = excluded.proposed_by, \
         proposed_at = excluded.proposed_at, updated_at = excluded.updated_at \
         WHERE report_reward.status = 'proposed'"
    )
    .bind(p.report_id)
    .bind(p.region_id)
    .bind(p.region_path)
    .bind(p.basis)
    .bind(p.fine_fen)
    .bind(p.grade)
    .bind(p.deaths)
    .bind(p.rule)
    .bind(p.rule_text)
    .bind(p.amount_fen)
    .bind(p.by)
    .bind(p.now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// The decision: approved amount, reason, decider, the payout code's index and sealed copy.
pub struct Decided<'a> {
    pub approved_fen: i64,
    pub reason: &'a str,
    pub by: AccountId,
    pub on: String,
    pub payout_index: &'a str,
    pub payout_sealed: &'a str,
    pub now: i64,
}

pub async fn decide(tx: &mut Tx, id: i64, d: &Decided<'_>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE report_reward SET status = 'approved', approved_fen = $2, decision_reason = $3, decided_by = $4, \
         decided_on = $5, payout_index = $6, payout_sealed = $7, updated_at = $8 \
         WHERE id = $1 AND status = 'proposed'"
    )
    .bind(id)
    .bind(d.approved_fen)
    .bind(d.reason)
    .bind(d.by)
    .bind(&d.on)
    .bind(d.payout_index)
    .bind(d.payout_sealed)
    .bind(d.now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Records the payout once: 0 rows when it was recorded meanwhile. The sealed code is cleared:
/// once paid, it has served.
pub async fn pay(
    tx: &mut Tx,
    id: i64,
    paid_on: &str,
    fen: i64,
    voucher: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE report_reward SET status = 'paid', paid_on = $2, paid_fen = $3, voucher_no = $4, paid_by = $5, \
         payout_sealed = '', updated_at = $6 WHERE id = $1 AND status = 'approved'"
    )
    .bind(id)
    .bind(paid_on)
    .bind(fen)
    .bind(voucher)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Per territory, the rewards approved in `year` (and of those, what was paid).
pub async fn ledger(
    tx: &mut Tx,
    year: &str,
    path_like: Option<&str>,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT w.region_id, r.code AS region_code, r.name AS region_name, \
         CAST(COUNT(*) AS BIGINT) AS approved_count, \
         CAST(COALESCE(SUM(w.approved_fen), 0) AS BIGINT) AS approved_fen, \
         CAST(COALESCE(SUM(CASE WHEN w.paid_on IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS paid_count, \
         CAST(COALESCE(SUM(w.paid_fen), 0) AS BIGINT) AS paid_fen \
         FROM report_reward w JOIN region r ON r.id = w.region_id \
         WHERE w.approved_fen IS NOT NULL AND substr(w.decided_on, 1, 4) = $1 \
         AND ($2 IS NULL OR w.region_path LIKE $2) \
         GROUP BY w.region_id, r.code, r.name ORDER BY r.code"
    )
    .bind(year)
    .bind(path_like)
    .fetch_all(c)
    .await
    })
}

/// The budget lines of `year` in scope: (region, code, name, amount in fen).
pub async fn budgets(
    tx: &mut Tx,
    year: i64,
    path_like: Option<&str>,
) -> Result<Vec<(RegionId, String, String, i64)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT b.region_id, r.code, r.name, b.amount_fen FROM reward_budget b \
         JOIN region r ON r.id = b.region_id \
         WHERE b.year = $1 AND ($2 IS NULL OR r.path LIKE $2) ORDER BY r.code"
    )
    .bind(year)
    .bind(path_like)
    .fetch_all(c)
    .await)
}

pub async fn set_budget(
    tx: &mut Tx,
    region: RegionId,
    year: i64,
    fen: i64,
    by: AccountId,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO reward_budget (region_id, year, amount_fen, set_by, set_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (region_id, year) DO UPDATE SET amount_fen = excluded.amount_fen, \
         set_by = excluded.set_by, set_at = excluded.set_at"
    )
    .bind(region)
    .bind(year)
    .bind(fen)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// The reward groups of reports under `path_like` received on `first..last_excl`; a
/// department's only those routed to it.
pub async fn groups(
    tx: &mut Tx,
    path_like: &str,
    handler: Option<crate::ids::OrgId>,
    first: &str,
    last_excl: &str,
) -> Result<Vec<super::model::RewardGroup>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT p.region_path, substr(p.received_on, 1, 7) AS month, p.category, w.status, \
         COUNT(*) AS n, CAST(COALESCE(SUM(w.proposed_fen), 0) AS BIGINT) AS proposed_fen, \
         CAST(COALESCE(SUM(w.approved_fen), 0) AS BIGINT) AS approved_fen, \
         CAST(COALESCE(SUM(w.paid_fen), 0) AS BIGINT) AS paid_fen \
         FROM report_reward w JOIN report p ON p.id = w.report_id \
         WHERE p.region_path LIKE $1 AND ($2 IS NULL OR p.handler_org_id = $2) \
         AND p.received_on >= $3 AND p.received_on < $4 \
         GROUP BY p.region_path, substr(p.received_on, 1, 7), p.category, w.status"
    )
    .bind(path_like)
    .bind(handler)
    .bind(first)
    .bind(last_excl)
    .fetch_all(c)
    .await)
}
