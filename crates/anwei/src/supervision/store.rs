//! Every SQL statement of task supervision.

use super::model::{AssignmentRow, EventRow};
use crate::db::Tx;
use crate::ids::{AccountId, AssignmentId, Day, OrgId, PolicyId, SubmissionId};
use crate::on_tx;
use anwei_rules::supervision::Status;

const SELECT: &str = "SELECT a.id, a.policy_id, p.code AS policy_code, a.task_number, a.measure_number, a.org_id, o.code AS org_code, o.name AS org_name, \
     o.level AS org_level, o.kind AS org_kind, r.path AS region_path, a.role, a.status, a.ongoing, a.due, a.watch_due, a.issued_at, a.acknowledged_at, a.last_report_at, \
     a.closed_at, a.version FROM assignment a JOIN policy p ON p.id = a.policy_id JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id";

/// The light as SQL, with `$1` = today and `$2` = today + lead days (ISO dates compare as
/// text). Must agree with `anwei_rules::supervision::light`; a test checks they do.
pub const LIGHT_SQL: &str = "CASE WHEN a.status = 'closed' THEN 'grey' \
     WHEN a.watch_due IS NOT NULL AND a.watch_due < $1 THEN 'red' \
     WHEN (a.watch_due IS NOT NULL AND a.watch_due <= $2) OR a.status = 'returned' THEN 'yellow' ELSE 'green' END";

pub struct ListParams<'a> {
    pub today: String,
    pub soon: String,
    pub path_like: Option<&'a str>,
    pub org_id_scope: Option<OrgId>,
    pub policy_id: PolicyId,
    pub task: Option<i64>,
    pub measure: Option<i64>,
    pub org_code: Option<&'a str>,
    pub level: Option<&'a str>,
    pub light: Option<&'a str>,
    pub status: Option<&'a str>,
    pub role: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

fn where_clause() -> String {
    format!(
        "WHERE a.policy_id = $3 AND ($4 IS NULL OR r.path LIKE $4) AND ($5 IS NULL OR o.id = $5) AND ($6 IS NULL OR a.task_number = $6) \
         AND ($7 IS NULL OR a.measure_number = $7) AND ($8 IS NULL OR o.code = $8) AND ($9 IS NULL OR o.level = $9) \
         AND ($10 IS NULL OR ({LIGHT_SQL}) = $10) AND ($11 IS NULL OR a.status = $11) AND ($12 IS NULL OR a.role = $12)"
    )
}

macro_rules! bind_filters {
    ($q:expr, $p:expr) => {
        $q.bind(&$p.today)
            .bind(&$p.soon)
            .bind($p.policy_id)
            .bind($p.path_like)
            .bind($p.org_id_scope)
            .bind($p.task)
            .bind($p.measure)
            .bind($p.org_code)
            .bind($p.level)
            .bind($p.light)
            .bind($p.status)
            .bind($p.role)
    };
}

/// One page of rows and the counts per light. With `counts = false` the count query is
/// skipped (a caller that already has the counts, like the ledger page's panel, saves a scan).
pub async fn list(
    tx: &mut Tx,
    p: &ListParams<'_>,
) -> Result<(Vec<AssignmentRow>, i64, Vec<(String, i64)>), sqlx::Error> {
    list_with(tx, p, true).await
}

pub async fn list_with(
    tx: &mut Tx,
    p: &ListParams<'_>,
    with_counts: bool,
) -> Result<(Vec<AssignmentRow>, i64, Vec<(String, i64)>), sqlx::Error> {
    let w = where_clause();
    let from = "FROM assignment a JOIN policy p ON p.id = a.policy_id JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id";
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} {w} ORDER BY a.task_number, r.path, o.sort_order, o.id LIMIT $13 OFFSET $14"
    ));
    let rows = on_tx!(tx, |c| bind_filters!(
        sqlx::query_as::<_, AssignmentRow>(sql),
        p
    )
    .bind(p.limit)
    .bind(p.offset)
    .fetch_all(c)
    .await)?;
    if !with_counts {
        return Ok((rows, 0, Vec::new()));
    }
    let count_sql = sqlx::AssertSqlSafe(format!(
        "SELECT ({LIGHT_SQL}) AS light, COUNT(*) AS n {from} {w} GROUP BY ({LIGHT_SQL})"
    ));
    let counts: Vec<(String, i64)> = on_tx!(tx, |c| bind_filters!(sqlx::query_as(count_sql), p)
        .fetch_all(c)
        .await)?;
    let total = counts.iter().map(|(_, n)| n).sum();
    Ok((rows, total, counts))
}

pub async fn by_id(tx: &mut Tx, id: AssignmentId) -> Result<Option<AssignmentRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, AssignmentRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn of_task(
    tx: &mut Tx,
    policy_id: PolicyId,
    task: i64,
) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.policy_id = $1 AND a.task_number = $2 ORDER BY a.role, r.path, o.sort_order, o.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, AssignmentRow>(sql)
        .bind(policy_id)
        .bind(task)
        .fetch_all(c)
        .await)
}

pub struct NewAssignment<'a> {
    pub policy_id: PolicyId,
    pub task_number: i64,
    pub measure_number: i64,
    pub org_id: OrgId,
    pub role: &'a str,
    pub ongoing: bool,
    pub due: Option<Day>,
    pub watch_due: Option<Day>,
    pub issued_by: AccountId,
    pub now: i64,
}

/// Inserts unless the organisation already has this task; returns the new id.
pub async fn insert(
    tx: &mut Tx,
    a: &NewAssignment<'_>,
) -> Result<Option<AssignmentId>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO assignment (policy_id, task_number, measure_number, org_id, role, status, ongoing, due, watch_due, issued_at, issued_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'issued', $6, $7, $8, $9, $10, $9) ON CONFLICT (policy_id, task_number, org_id) DO NOTHING RETURNING id"
    )
    .bind(a.policy_id)
    .bind(a.task_number)
    .bind(a.measure_number)
    .bind(a.org_id)
    .bind(a.role)
    .bind(a.ongoing)
    .bind(a.due)
    .bind(a.watch_due)
    .bind(a.now)
    .bind(a.issued_by)
    .fetch_optional(c)
    .await
    })
}

/// Moves an assignment to a new status if nobody changed it meanwhile (optimistic check).
#[allow(clippy::too_many_arguments)] // each argument is one column of the change
pub async fn set_status(
    tx: &mut Tx,
    id: AssignmentId,
    version: i64,
    status: Status,
    watch_due: Option<Day>,
    now: i64,
    acknowledged: bool,
    reported: bool,
    closed: bool,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE assignment SET status = $3, watch_due = $4, updated_at = $5, version = version + 1, \
         acknowledged_at = CASE WHEN $6 THEN $5 ELSE acknowledged_at END, \
         last_report_at = CASE WHEN $7 THEN $5 ELSE last_report_at END, \
         closed_at = CASE WHEN $8 THEN $5 ELSE closed_at END \
         WHERE id = $1 AND version = $2"
    )
    .bind(id)
    .bind(version)
    .bind(status.code())
    .bind(watch_due)
    .bind(now)
    .bind(acknowledged)
    .bind(reported)
    .bind(closed)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// When the last event of this kind happened to the assignment (epoch ms).
pub async fn last_event_at(
    tx: &mut Tx,
    assignment_id: AssignmentId,
    kind: &str,
) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar::<_, Option<i64>>(
        "SELECT MAX(at) FROM assignment_event WHERE assignment_id = $1 AND kind = $2"
    )
    .bind(assignment_id)
    .bind(kind)
    .fetch_one(c)
    .await)
}

#[allow(clippy::too_many_arguments)] // each argument is one column of the event
pub async fn insert_event(
    tx: &mut Tx,
    a: &AssignmentRow,
    kind: &str,
    actor_id: Option<AccountId>,
    actor_name: &str,
    comment: &str,
    report_id: Option<SubmissionId>,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO assignment_event (assignment_id, policy_id, task_number, org_id, kind, actor_id, actor_name, at, comment, report_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(a.id)
    .bind(a.policy_id)
    .bind(a.task_number)
    .bind(a.org_id)
    .bind(kind)
    .bind(actor_id)
    .bind(actor_name)
    .bind(now)
    .bind(comment)
    .bind(report_id)
    .execute(c)
    .await
    .map(|_| ())
    })
}

const EVENT_SELECT: &str = "SELECT e.id, e.assignment_id, e.task_number, o.code AS org_code, o.name AS org_name, e.kind, e.actor_name, e.at, e.comment, e.report_id \
     FROM assignment_event e JOIN org o ON o.id = e.org_id JOIN region r ON r.id = o.region_id";

pub async fn events_of_assignment(
    tx: &mut Tx,
    assignment_id: AssignmentId,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{EVENT_SELECT} WHERE e.assignment_id = $1 ORDER BY e.at DESC, e.id DESC"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, EventRow>(sql)
        .bind(assignment_id)
        .fetch_all(c)
        .await)
}

pub async fn events_of_task(
    tx: &mut Tx,
    policy_id: PolicyId,
    task: i64,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{EVENT_SELECT} WHERE e.policy_id = $1 AND e.task_number = $2 AND ($3 IS NULL OR r.path LIKE $3) AND ($4 IS NULL OR o.id = $4) ORDER BY e.at DESC, e.id DESC LIMIT $5"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, EventRow>(sql)
        .bind(policy_id)
        .bind(task)
        .bind(path_like)
        .bind(org_id)
        .bind(limit)
        .fetch_all(c)
        .await)
}

// ---------------------------------------------------------------------------------------------
// Supervision ledger (督办台账): export, ranking and chart (`supervision::ledger`).

/// One assignment as the ledger's export, ranking and chart read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerCell {
    pub task_number: i64,
    pub measure_number: i64,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    pub status: String,
    /// The light by the same rule as the ledger (`LIGHT_SQL`).
    pub light: String,
    pub due: Option<String>,
    /// When the organisation asked for completion in the request the office accepted (epoch
    /// ms): on time is judged by that day, not by the day the office got round to accepting.
    /// An assignment closed without such a request keeps its closing time.
    pub closed_at: Option<i64>,
    /// Ongoing (长期坚持) tasks: accepted progress reports made by the date they were due, and
    /// after it. Each is one period whose timeliness is decided; the lateness stays when the
    /// next period's date replaces the old one.
    pub reports_on_time: i64,
    pub reports_late: i64,
}

/// Every assignment that matches the ledger's filters, in one statement, ordered by the
/// organisation tree (region path, sort order, id) and then by task: the export builds its
/// organisation columns and the ranking its rows from this one result, never per cell.
///
/// PostgreSQL runs it without JIT compilation (`SET LOCAL`, so for the rest of the caller's
/// transaction only). Its three subqueries per assignment bring the planner's estimate for one
/// policy over 200 organisations to 530,000–600,000, past `jit_inline_above_cost` and
/// `jit_optimize_above_cost` (500,000 by default): the server then inlined and optimised about
/// 90 functions with LLVM in the leader and in each parallel worker (1.7 s of compilation, 0.7 s
/// before the first row in the bench), for a query that runs in about 0.2 s without it.
pub async fn ledger_cells(tx: &mut Tx, p: &ListParams<'_>) -> Result<Vec<LedgerCell>, sqlx::Error> {
    if let Tx::Pg(t) = tx {
        sqlx::query("SET LOCAL jit = off").execute(&mut **t).await?;
    }
    let w = where_clause();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT a.task_number, a.measure_number, a.org_id, o.code AS org_code, o.name AS org_name, a.status, \
         ({LIGHT_SQL}) AS light, a.due, \
         COALESCE((SELECT MAX(rp.submitted_at) FROM submission rp WHERE rp.subject_kind = 'assignment' AND rp.subject_id = a.id \
                   AND rp.kind = 'completion' AND rp.decision = 'accepted'), a.closed_at) AS closed_at, \
         CASE WHEN a.ongoing THEN (SELECT COUNT(*) FROM submission rp WHERE rp.subject_kind = 'assignment' \
                   AND rp.subject_id = a.id AND rp.kind = 'progress' AND rp.decision = 'accepted' AND NOT rp.late) ELSE 0 END AS reports_on_time, \
         CASE WHEN a.ongoing THEN (SELECT COUNT(*) FROM submission rp WHERE rp.subject_kind = 'assignment' \
                   AND rp.subject_id = a.id AND rp.kind = 'progress' AND rp.decision = 'accepted' AND rp.late) ELSE 0 END AS reports_late \
         FROM assignment a JOIN policy p ON p.id = a.policy_id JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
         {w} ORDER BY r.path, o.sort_order, o.id, a.task_number"
    ));
    on_tx!(tx, |c| bind_filters!(
        sqlx::query_as::<_, LedgerCell>(sql),
        p
    )
    .fetch_all(c)
    .await)
}

/// Counts of assignments per measure and light under the ledger's filters.
pub async fn ledger_lights_by_measure(
    tx: &mut Tx,
    p: &ListParams<'_>,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    let w = where_clause();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT a.measure_number, ({LIGHT_SQL}) AS light, COUNT(*) AS n \
         FROM assignment a JOIN policy p ON p.id = a.policy_id JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
         {w} GROUP BY 1, 2 ORDER BY 1, 2"
    ));
    on_tx!(tx, |c| bind_filters!(sqlx::query_as(sql), p)
        .fetch_all(c)
        .await)
}

// ---------------------------------------------------------------------------------------
// Reminders (supervision/reminders.rs): the daily sweep, the office digest, the job markers.
// ---------------------------------------------------------------------------------------

/// The statuses in which the next step is the assignee's, so a reminder makes sense.
/// `completion_requested` waits on the office and `closed` is done; an ongoing task in
/// `reported` has sent its periodic report and waits on the office too (filtered below).
const REMIND_STATUSES: &str = "('issued', 'acknowledged', 'reported', 'returned')";

/// Every status but `closed`: what the office's digest counts as red.
const OPEN_STATUSES: &str =
    "('issued', 'acknowledged', 'reported', 'returned', 'completion_requested')";

/// The reminder sweep as ONE statement: every assignment whose watch date lies in the
/// window `[$2, $3]` becomes a job `reminder.overdue` (watch date before `$1` = today) or
/// `reminder.due_soon` (today … today + lead days), keyed
/// `reminder.<kind>:<assignment id>:<watch date>`. The job table's unique `dedup_key` with
/// `ON CONFLICT DO NOTHING` makes a second sweep, or a sweep on another instance at the same
/// moment, insert nothing for a reminder that exists. The window is found through
/// `assignment_watch_idx (status, watch_due)`: one range per status, no full scan, and rows
/// outside the window are never read. The payload is built by concatenation from an integer
/// and an ISO date only, so it is valid JSON without a JSON function (which the two backends
/// spell differently). Returns the kind of each job inserted.
pub async fn enqueue_reminders(
    tx: &mut Tx,
    today: &str,
    window_from: &str,
    window_to: &str,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO job (kind, payload, dedup_key, run_at, created_at) \
         SELECT CASE WHEN a.watch_due < $1 THEN 'reminder.overdue' ELSE 'reminder.due_soon' END, \
         '{{\"assignment_id\":' || a.id || ',\"watch_due\":\"' || a.watch_due || '\"}}', \
         CASE WHEN a.watch_due < $1 THEN 'reminder.overdue:' ELSE 'reminder.due_soon:' END || a.id || ':' || a.watch_due, \
         $4, $4 \
         FROM assignment a \
         WHERE a.status IN {REMIND_STATUSES} AND a.watch_due >= $2 AND a.watch_due <= $3 \
         AND NOT (a.ongoing AND a.status = 'reported') \
         ON CONFLICT (dedup_key) DO NOTHING RETURNING kind"
    ));
    on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(today)
        .bind(window_from)
        .bind(window_to)
        .bind(now)
        .fetch_all(c)
        .await)
}

/// Marks a job done by its key inside the transaction that carries out its effects, so a
/// job re-run after a crash between commit and `jobs::complete` does nothing twice.
/// Returns 0 when the job was done already (or does not exist).
pub async fn mark_job_done(tx: &mut Tx, dedup_key: &str, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE job SET done_at = $2, locked_until = NULL WHERE dedup_key = $1 AND done_at IS NULL"
    )
    .bind(dedup_key)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// Active committee-office accounts with the region path of their organisation (their scope).
pub async fn office_accounts(tx: &mut Tx) -> Result<Vec<(AccountId, String)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT acc.id, r.path FROM account acc JOIN org o ON o.id = acc.org_id JOIN region r ON r.id = o.region_id \
         WHERE acc.role = 'office' AND acc.disabled = FALSE ORDER BY acc.id"
    )
    .fetch_all(c)
    .await
    })
}

/// Red (open, watch date before `$2` = today) assignments per region path: how many turned
/// red today (watch date = `$1` = yesterday) and how many are red in all.
pub async fn red_by_region(
    tx: &mut Tx,
    yesterday: &str,
    today: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT r.path, SUM(CASE WHEN a.watch_due = $1 THEN 1 ELSE 0 END) AS turned, COUNT(*) AS red \
         FROM assignment a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
         WHERE a.status IN {OPEN_STATUSES} AND a.watch_due < $2 GROUP BY r.path"
    ));
    on_tx!(tx, |c| sqlx::query_as(sql)
        .bind(yesterday)
        .bind(today)
        .fetch_all(c)
        .await)
}

/// Open assignments whose watch date is `$1`: (policy code, task number, organisation name),
/// at most `limit`, and how many there are in all. For the webhook text.
pub async fn open_due_on(
    tx: &mut Tx,
    date: &str,
    limit: i64,
) -> Result<(Vec<(String, i64, String)>, i64), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT p.code, a.task_number, o.name FROM assignment a JOIN policy p ON p.id = a.policy_id JOIN org o ON o.id = a.org_id \
         WHERE a.status IN {OPEN_STATUSES} AND a.watch_due = $1 ORDER BY p.code, a.task_number, o.sort_order, o.id LIMIT $2"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as(sql)
        .bind(date)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    let count_sql = sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM assignment a WHERE a.status IN {OPEN_STATUSES} AND a.watch_due = $1"
    ));
    let n = on_tx!(tx, |c| sqlx::query_scalar(count_sql)
        .bind(date)
        .fetch_one(c)
        .await)?;
    Ok((rows, n))
}

// --- roll-ups by task and by organisation ------------------------------------------------

/// Counts per (key, light) in scope: the key is the task number or the organisation code.
/// `$1` today, `$2` today + lead days, `$3` policy, `$4` region-path prefix, `$5` one org.
pub async fn rollup(
    tx: &mut Tx,
    by_org: bool,
    today: &str,
    soon: &str,
    policy_id: PolicyId,
    path_like: Option<&str>,
    org_id: Option<OrgId>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let key = if by_org {
        "o.code"
    } else {
        "CAST(a.task_number AS TEXT)"
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {key} AS k, ({LIGHT_SQL}) AS light, COUNT(*) AS n FROM assignment a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
         WHERE a.policy_id = $3 AND ($4 IS NULL OR r.path LIKE $4) AND ($5 IS NULL OR o.id = $5) GROUP BY {key}, ({LIGHT_SQL})"
    ));
    on_tx!(tx, |c| sqlx::query_as(sql)
        .bind(today)
        .bind(soon)
        .bind(policy_id)
        .bind(path_like)
        .bind(org_id)
        .fetch_all(c)
        .await)
}
