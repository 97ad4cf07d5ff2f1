//! Every SQL statement of reports. No statement here reads `identity_sealed` but `identity`,
//! which only the custodian's reveal calls.

use super::model::{MessageRow, NewReport, ReportRow, StepRow};
use crate::db::Tx;
use crate::ids::{AccountId, OrgId, RegionId, ReportId};
use crate::on_tx;

const SELECT: &str = "SELECT p.id, p.channel, p.category, p.region_id, p.region_path, r.code AS region_code, \
     r.name AS region_name, p.address, p.unit_name, p.description, p.occurred_on, p.employee, p.anonymous, \
     p.status, p.handler_org_id, o.name AS handler_name, p.verify_due, p.finding, p.answer, p.answer_due, \
     p.received_on, p.created_at, p.industry, p.identity_path \
     FROM report p JOIN region r ON r.id = p.region_id LEFT JOIN org o ON o.id = p.handler_org_id";

/// What is stored with a new report besides what the reporter sent.
pub struct Intake<'a> {
    pub receipt_index: &'a str,
    pub channel: &'a str,
    pub region_id: RegionId,
    pub region_path: &'a str,
    pub identity_sealed: &'a str,
    pub received_on: String,
    pub entered_by: Option<AccountId>,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, r: &NewReport, at: &Intake<'_>) -> Result<ReportId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO report (receipt_index, channel, category, region_id, region_path, address, unit_name, \
             description, occurred_on, employee, anonymous, identity_sealed, status, received_on, entered_by, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13, $14, $15, $15) RETURNING id",
        )
        .bind(at.receipt_index)
        .bind(at.channel)
        .bind(r.category.code())
        .bind(at.region_id)
        .bind(at.region_path)
        .bind(&r.address)
        .bind(&r.unit_name)
        .bind(&r.description)
        .bind(r.occurred_on.map(|d| d.to_string()).unwrap_or_default())
        .bind(r.employee)
        .bind(r.identity.is_none())
        .bind(at.identity_sealed)
        .bind(&at.received_on)
        .bind(at.entered_by)
        .bind(at.now)
        .fetch_one(c)
        .await
    })
}

pub async fn by_id(tx: &mut Tx, id: ReportId) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, ReportRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn by_receipt(tx: &mut Tx, index: &str) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.receipt_index = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, ReportRow>(sql)
        .bind(index)
        .fetch_optional(c)
        .await)
}

/// The sealed identity: for the custodian's reveal only.
pub async fn identity(tx: &mut Tx, id: ReportId) -> Result<String, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT identity_sealed FROM report WHERE id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await)
}

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    /// A department sees only what was routed to it.
    pub handler: Option<OrgId>,
    pub status: Option<&'a str>,
    pub category: Option<&'a str>,
    /// Today, to keep only the overdue reports.
    pub overdue_on: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

/// The filters the tally can answer too (it keeps region, handler, status and category).
const WHERE: &str = "WHERE ($1 IS NULL OR p.region_path LIKE $1) AND ($2 IS NULL OR p.handler_org_id = $2) \
     AND ($3 IS NULL OR p.status = $3) AND ($4 IS NULL OR p.category = $4)";
/// The overdue filter, on the reports' own deadlines.
const OVERDUE: &str = "AND ($5 IS NULL OR (p.status = 'verifying' AND p.verify_due < $5) \
     OR (p.status = 'verified' AND p.answer_due < $5))";

/// The page of reports matching, the newest first, and how many match.
pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<(Vec<ReportRow>, i64), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} {WHERE} {OVERDUE} ORDER BY p.id DESC LIMIT $6 OFFSET $7"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, ReportRow>(sql)
        .bind(p.path_like)
        .bind(p.handler)
        .bind(p.status)
        .bind(p.category)
        .bind(p.overdue_on)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    // The total from the tally the migration's triggers keep (`report_tally`), not a count of
    // the rows — except for the overdue filter, which only the rows' deadlines answer (the
    // overdue are few: those still verifying or answering past their day).
    let sql = sqlx::AssertSqlSafe(match p.overdue_on {
        None => format!("SELECT CAST(COALESCE(SUM(p.n), 0) AS BIGINT) FROM report_tally p {WHERE}"),
        Some(_) => format!("SELECT COUNT(*) FROM report p {WHERE} {OVERDUE}"),
    });
    let total: i64 = on_tx!(tx, |c| {
        let q = sqlx::query_scalar(sql)
            .bind(p.path_like)
            .bind(p.handler)
            .bind(p.status)
            .bind(p.category);
        match p.overdue_on {
            None => q.fetch_one(c).await,
            Some(d) => q.bind(d).fetch_one(c).await,
        }
    })?;
    Ok((rows, total))
}

/// What a step changes on the report: its status (only from `from`: 0 rows when it moved
/// meanwhile) and the fields the step sets.
pub struct Change<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub handler: Option<OrgId>,
    pub verify_due: Option<String>,
    pub finding: Option<&'a str>,
    pub answer: Option<&'a str>,
    pub answer_due: Option<String>,
    pub now: i64,
    /// The industry set at triage (受理, 转办).
    pub industry: Option<String>,
}

pub async fn change(tx: &mut Tx, id: ReportId, ch: &Change<'_>) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE report SET status = $3, handler_org_id = COALESCE($4, handler_org_id), \
         verify_due = COALESCE($5, verify_due), finding = COALESCE($6, finding), \
         answer = COALESCE($7, answer), answer_due = COALESCE($8, answer_due), updated_at = $9, \
         industry = COALESCE($10, industry) WHERE id = $1 AND status = $2"
    )
    .bind(id)
    .bind(ch.from)
    .bind(ch.to)
    .bind(ch.handler)
    .bind(ch.verify_due.as_deref())
    .bind(ch.finding)
    .bind(ch.answer)
    .bind(ch.answer_due.as_deref())
    .bind(ch.now)
    .bind(ch.industry.as_deref())
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn add_step(
    tx: &mut Tx,
    id: ReportId,
    step: &str,
    note: &str,
    org: Option<OrgId>,
    by: AccountId,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO report_step (report_id, step, note, org_id, account_id, at) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(id)
    .bind(step)
    .bind(note)
    .bind(org)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn steps(tx: &mut Tx, id: ReportId) -> Result<Vec<StepRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT s.step, s.note, o.name AS org_name, a.display_name AS account_name, s.at FROM report_step s \
         JOIN account a ON a.id = s.account_id LEFT JOIN org o ON o.id = s.org_id \
         WHERE s.report_id = $1 ORDER BY s.id"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })
}

pub async fn add_message(
    tx: &mut Tx,
    id: ReportId,
    by: Option<AccountId>,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO report_message (report_id, from_reporter, account_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(id)
    .bind(by.is_none())
    .bind(by)
    .bind(body)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn messages(tx: &mut Tx, id: ReportId) -> Result<Vec<MessageRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT m.from_reporter, a.display_name AS author, m.body, m.created_at FROM report_message m \
         LEFT JOIN account a ON a.id = m.account_id WHERE m.report_id = $1 ORDER BY m.id"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })
}

pub async fn is_custodian(tx: &mut Tx, account: AccountId) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM report_custodian WHERE account_id = $1"
    )
    .bind(account)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn designate(
    tx: &mut Tx,
    account: AccountId,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO report_custodian (account_id, designated_by, designated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id) DO NOTHING"
    )
    .bind(account)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Spends the proof-of-work challenge `tag` (until `expires_at`), pruning the expired ones
/// first: false when it was spent before, on any instance.
pub async fn spend_challenge(
    tx: &mut Tx,
    tag: &str,
    expires_at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM report_pow_spent WHERE expires_at <= $1"
    )
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO report_pow_spent (tag, expires_at) VALUES ($1, $2) ON CONFLICT (tag) DO NOTHING"
    )
    .bind(tag)
    .bind(expires_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}
