//! Every SQL statement of the reporting chain (tables `accident_hop`, `accident_notice`).

use anwei_rules::accident::chain::{Hop, ReportLevel};

use crate::db::Tx;
use crate::ids::{AccidentId, AccountId, OrgId};
use crate::on_tx;

const MINUTE_MS: i64 = 60_000;

/// One hop as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HopRow {
    pub id: i64,
    pub accident_id: AccidentId,
    #[sqlx(try_from = "String")]
    pub from_level: Level,
    #[sqlx(try_from = "String")]
    pub to_level: Level,
    pub limit_minutes: i64,
    pub received_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by_name: Option<String>,
    pub late_minutes: Option<i64>,
    pub reminded_at: Option<i64>,
    pub method: String,
    pub recipient: String,
    pub receipt: String,
    pub recorded_at: Option<i64>,
}

/// A stored level code read back as the rules' level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level(pub ReportLevel);

impl TryFrom<String> for Level {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ReportLevel::parse(&s)
            .map(Level)
            .ok_or_else(|| format!("unknown report level {s}"))
    }
}

const SELECT: &str = "SELECT h.id, h.accident_id, h.from_level, h.to_level, h.limit_minutes, h.received_at, h.due_at, \
     h.acknowledged_at, u.display_name AS acknowledged_by_name, h.late_minutes, h.reminded_at, h.method, h.recipient, \
     h.receipt, h.recorded_at FROM accident_hop h LEFT JOIN account u ON u.id = h.acknowledged_by";

/// Adds `hops` to an accident's chain. The first hop's clock starts at `first_received`
/// (None: when the hop below it is acknowledged); the others start when the one below them is.
pub async fn add_hops(
    tx: &mut Tx,
    id: AccidentId,
    hops: &[Hop],
    first_received: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    for (i, h) in hops.iter().enumerate() {
        let received = if i == 0 { first_received } else { None };
        let due = received.map(|r| r + h.limit_minutes() * MINUTE_MS);
        on_tx!(&mut *tx, |c| {
            sqlx::query(
                "INSERT INTO accident_hop (accident_id, from_level, to_level, limit_minutes, received_at, due_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(h.from.code())
            .bind(h.to.code())
            .bind(h.limit_minutes())
            .bind(received)
            .bind(due)
            .bind(now)
            .execute(c)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// The accident's hops, lowest first.
pub async fn hops(tx: &mut Tx, id: AccidentId) -> Result<Vec<HopRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE h.accident_id = $1 ORDER BY h.id"));
    on_tx!(tx, |c| sqlx::query_as::<_, HopRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}

/// What closes a hop: when (server time, or the time sent for an external hop), by whom, how
/// late, and for an external hop how, to whom, the receipt and when it was recorded.
pub struct Close<'a> {
    pub at: i64,
    pub by: AccountId,
    pub org: OrgId,
    pub late_minutes: i64,
    pub method: &'a str,
    pub recipient: &'a str,
    pub receipt: &'a str,
    pub recorded_at: Option<i64>,
}

/// Closes the open hop `hop_id`; 0 when someone closed it first.
pub async fn close(tx: &mut Tx, hop_id: i64, c: &Close<'_>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE accident_hop SET acknowledged_at = $2, acknowledged_by = $3, acknowledged_org = $4, late_minutes = $5, \
             method = $6, recipient = $7, receipt = $8, recorded_at = $9 WHERE id = $1 AND acknowledged_at IS NULL",
        )
        .bind(hop_id)
        .bind(c.at)
        .bind(c.by)
        .bind(c.org)
        .bind(c.late_minutes)
        .bind(c.method)
        .bind(c.recipient)
        .bind(c.receipt)
        .bind(c.recorded_at)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
    })
}

/// Starts the clock of the hop from `from` (the level that now has the report) at `at`,
/// unless it already runs.
pub async fn start(
    tx: &mut Tx,
    id: AccidentId,
    from: ReportLevel,
    at: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE accident_hop SET received_at = $3, due_at = $3 + limit_minutes * 60000 \
             WHERE accident_id = $1 AND from_level = $2 AND received_at IS NULL",
        )
        .bind(id)
        .bind(from.code())
        .bind(at)
        .execute(c)
        .await
        .map(|_| ())
    })
}

/// Marks every open hop past due as late by the minutes so far (迟报), in one statement over
/// the open-hop index. `(now - due + 59999) / 60000` is `chain::late_minutes` in milliseconds:
/// lateness rounded up to whole minutes. Returns how many hops are late.
pub async fn mark_late(tx: &mut Tx, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE accident_hop SET late_minutes = ($1 - due_at + 59999) / 60000 \
             WHERE acknowledged_at IS NULL AND due_at IS NOT NULL AND due_at < $1",
        )
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })
}

/// An open hop silent long enough for its reminder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Silent {
    pub id: i64,
    pub accident_id: AccidentId,
    #[sqlx(try_from = "String")]
    pub to_level: Level,
    pub due_at: i64,
    pub region_path: String,
    pub unit_name: String,
}

/// Open hops whose clock started at or before `started_before` and that had no reminder, at
/// most `limit`, over the silent-hop index.
pub async fn silent(
    tx: &mut Tx,
    started_before: i64,
    limit: i64,
) -> Result<Vec<Silent>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, Silent>(
            "SELECT h.id, h.accident_id, h.to_level, h.due_at, a.region_path, a.unit_name \
             FROM accident_hop h JOIN accident a ON a.id = h.accident_id \
             WHERE h.acknowledged_at IS NULL AND h.reminded_at IS NULL AND h.received_at IS NOT NULL \
             AND h.received_at <= $1 ORDER BY h.received_at, h.id LIMIT $2",
        )
        .bind(started_before)
        .bind(limit)
        .fetch_all(c)
        .await
    })
}

/// Records the reminder of hop `id`; 0 when it was already sent (another sweep came first).
pub async fn set_reminded(tx: &mut Tx, id: i64, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE accident_hop SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// The committee offices (安委办) of the region at `path`: who a level's reminders go to.
pub async fn offices_at(tx: &mut Tx, path: &str) -> Result<Vec<OrgId>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT o.id FROM org o JOIN region r ON r.id = o.region_id \
         WHERE o.kind = 'safety_office' AND r.path = $1 ORDER BY o.id"
    )
    .bind(path)
    .fetch_all(c)
    .await)
}

/// One recorded notification (条例 第十条).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub level: String,
    pub body: String,
    pub notified_at: i64,
    pub method: String,
    pub note: String,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

pub struct NewNotice<'a> {
    pub level: ReportLevel,
    pub body: &'a str,
    pub notified_at: i64,
    pub method: &'a str,
    pub note: &'a str,
    pub by: AccountId,
    pub at: i64,
}

/// Records a notification; a unique violation means it was recorded already.
pub async fn add_notice(tx: &mut Tx, id: AccidentId, n: &NewNotice<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO accident_notice (accident_id, level, body, notified_at, method, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(n.level.code())
        .bind(n.body)
        .bind(n.notified_at)
        .bind(n.method)
        .bind(n.note)
        .bind(n.by)
        .bind(n.at)
        .execute(c)
        .await
        .map(|_| ())
    })
}

pub async fn notices(tx: &mut Tx, id: AccidentId) -> Result<Vec<NoticeRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, NoticeRow>(
            "SELECT n.level, n.body, n.notified_at, n.method, n.note, u.display_name AS recorded_by_name, n.recorded_at \
             FROM accident_notice n JOIN account u ON u.id = n.recorded_by WHERE n.accident_id = $1 ORDER BY n.id",
        )
        .bind(id)
        .fetch_all(c)
        .await
    })
}

/// A row of the office's board: an open hop whose clock runs, in scope.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BoardRow {
    pub accident_id: AccidentId,
    pub unit_name: String,
    pub grade: String,
    #[sqlx(try_from = "String")]
    pub from_level: Level,
    #[sqlx(try_from = "String")]
    pub to_level: Level,
    pub due_at: i64,
}

/// Open hops with a running clock of accidents under `path`, the most urgent first.
pub async fn board(tx: &mut Tx, path: &str, limit: i64) -> Result<Vec<BoardRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, BoardRow>(
            "SELECT h.accident_id, a.unit_name, a.grade, h.from_level, h.to_level, h.due_at \
             FROM accident_hop h JOIN accident a ON a.id = h.accident_id \
             WHERE h.acknowledged_at IS NULL AND h.due_at IS NOT NULL AND a.region_path LIKE $1 \
             ORDER BY h.due_at, h.id LIMIT $2",
        )
        .bind(format!("{path}%"))
        .bind(limit)
        .fetch_all(c)
        .await
    })
}

/// The hops due in a period from one reporting level, by how they stand (及时率, issue 12).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LevelTally {
    /// The reporting level (the hop's `from_level`).
    pub level: String,
    pub due: i64,
    /// Closed with no lateness (`late_minutes` 0).
    pub on_time: i64,
    /// Closed late (迟报).
    pub late: i64,
    /// Still open and past due at `now`.
    pub overdue: i64,
}

/// The hop tally (`accident_hop_tally`, kept by triggers) under `path_like` for the months
/// `from..=to` (`YYYY-MM`), summed per reporting level: a few hundred counters for a city's
/// year, however many hops it holds. `overdue` is left 0: it needs the hops still running.
pub async fn tally_by_level(
    tx: &mut Tx,
    path_like: &str,
    from: &str,
    to: &str,
) -> Result<Vec<LevelTally>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, LevelTally>(
            "SELECT level, CAST(SUM(due) AS BIGINT) AS due, CAST(SUM(on_time) AS BIGINT) AS on_time, \
             CAST(SUM(late) AS BIGINT) AS late, CAST(0 AS BIGINT) AS overdue FROM accident_hop_tally \
             WHERE month >= $2 AND month <= $3 AND region_path LIKE $1 GROUP BY level",
        )
        .bind(path_like)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await
    })
}

/// Per reporting level, the open hops of accidents under `path_like` whose clock still runs:
/// due in `from..to` (epoch ms) and not before `now`. Only the last hours' hops, over the
/// due-time index.
pub async fn running_by_level(
    tx: &mut Tx,
    path_like: &str,
    from: i64,
    to: i64,
    now: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT h.from_level, COUNT(*) FROM accident_hop h JOIN accident a ON a.id = h.accident_id \
             WHERE h.due_at >= $2 AND h.due_at < $3 AND h.due_at >= $4 AND h.acknowledged_at IS NULL \
             AND a.region_path LIKE $1 GROUP BY h.from_level",
        )
        .bind(path_like)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(c)
        .await
    })
}
