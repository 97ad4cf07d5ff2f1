//! Every SQL statement of recurring duties.

use super::model::{ActivityRow, DeliveryRow, EvidenceRow, SensitiveRow};
use crate::db::Tx;
use crate::on_tx;

const SELECT: &str = "SELECT a.id, a.org_id, o.code AS org_code, o.name AS org_name, r.path AS region_path, a.kind, a.date, a.title, \
     a.led_by_position_id, p.title AS position_title, a.led_by_person_id, pe.name AS person_name, a.participants, a.topics, a.places, \
     a.findings, a.created_by, a.created_at, a.updated_at, a.entered_late, a.accepted_late, a.accepted_reason \
     FROM activity a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
     LEFT JOIN org_position p ON p.id = a.led_by_position_id LEFT JOIN person pe ON pe.id = a.led_by_person_id";

pub struct NewActivity<'a> {
    pub org_id: i64,
    pub kind: &'a str,
    pub date: &'a str,
    pub title: &'a str,
    pub position_id: Option<i64>,
    pub person_id: Option<i64>,
    pub participants: &'a str,
    pub topics: &'a str,
    pub places: &'a str,
    pub findings: &'a str,
    pub created_by: i64,
    pub entered_late: bool,
    pub now: i64,
}

/// True when the same record (organisation, leading position, kind, date, title) exists.
/// Written out because the unique constraint does not catch two records without a position.
pub async fn duplicate_exists(tx: &mut Tx, a: &NewActivity<'_>) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM activity WHERE org_id = $1 AND COALESCE(led_by_position_id, 0) = COALESCE($2, 0) \
         AND kind = $3 AND date = $4 AND title = $5"
    )
    .bind(a.org_id)
    .bind(a.position_id)
    .bind(a.kind)
    .bind(a.date)
    .bind(a.title)
    .fetch_one(c)
    .await
    })?;
    Ok(n > 0)
}

pub async fn insert(tx: &mut Tx, a: &NewActivity<'_>) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO activity (org_id, kind, date, title, led_by_position_id, led_by_person_id, participants, topics, places, findings, \
         created_by, created_at, updated_at, entered_late, accepted_late, accepted_reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, FALSE, '') RETURNING id"
    )
    .bind(a.org_id)
    .bind(a.kind)
    .bind(a.date)
    .bind(a.title)
    .bind(a.position_id)
    .bind(a.person_id)
    .bind(a.participants)
    .bind(a.topics)
    .bind(a.places)
    .bind(a.findings)
    .bind(a.created_by)
    .bind(a.now)
    .bind(a.entered_late)
    .fetch_one(c)
    .await
    })
}

pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<ActivityRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, ActivityRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    pub org_id_scope: Option<i64>,
    pub org_ids: Option<&'a [i64]>,
    pub kind: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub limit: i64,
}

/// Activities in scope, newest first. `org_ids` (when given) restricts to those organisations.
pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<Vec<ActivityRow>, sqlx::Error> {
    let orgs = match p.org_ids {
        Some([]) => return Ok(Vec::new()),
        // Ids are integers: formatting them into the text cannot inject anything.
        Some(ids) => format!(
            " AND a.org_id IN ({})",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
        None => String::new(),
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE ($1 IS NULL OR r.path LIKE $1) AND ($2 IS NULL OR o.id = $2) AND ($3 IS NULL OR a.kind = $3) \
         AND ($4 IS NULL OR a.date >= $4) AND ($5 IS NULL OR a.date <= $5){orgs} ORDER BY a.date DESC, a.id DESC LIMIT $6"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, ActivityRow>(sql)
        .bind(p.path_like)
        .bind(p.org_id_scope)
        .bind(p.kind)
        .bind(p.from)
        .bind(p.to)
        .bind(p.limit)
        .fetch_all(c)
        .await)
}

/// The committee offices (安委办) with their region paths, to find an organisation's upper one.
pub async fn safety_offices(tx: &mut Tx) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT o.id, r.path FROM org o JOIN region r ON r.id = o.region_id \
         WHERE o.kind = 'safety_office' AND o.retired_at IS NULL ORDER BY o.id"
    )
    .fetch_all(c)
    .await)
}

pub async fn active_accounts_of_org(tx: &mut Tx, org_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM account WHERE org_id = $1 AND disabled = FALSE ORDER BY id"
    )
    .bind(org_id)
    .fetch_all(c)
    .await)
}

pub async fn insert_delivery(
    tx: &mut Tx,
    activity_id: i64,
    to_org_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO minutes_delivery (activity_id, to_org_id, delivered_at) VALUES ($1, $2, $3)"
    )
    .bind(activity_id)
    .bind(to_org_id)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn deliveries(tx: &mut Tx, activity_id: i64) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, DeliveryRow>(
        "SELECT o.code AS to_org_code, o.name AS to_org_name, d.delivered_at FROM minutes_delivery d \
         JOIN org o ON o.id = d.to_org_id WHERE d.activity_id = $1 ORDER BY d.id"
    )
    .bind(activity_id)
    .fetch_all(c)
    .await
    })
}

pub async fn insert_sensitive(
    tx: &mut Tx,
    name: &str,
    start: &str,
    end: &str,
    tightenings: &str,
    created_by: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO sensitive_period (name, start_date, end_date, tightenings, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(name)
    .bind(start)
    .bind(end)
    .bind(tightenings)
    .bind(created_by)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

/// Sensitive periods that overlap `[from, to]` (ISO dates compare as text).
pub async fn sensitive_overlapping(
    tx: &mut Tx,
    from: &str,
    to: &str,
) -> Result<Vec<SensitiveRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as::<_, SensitiveRow>(
        "SELECT id, name, start_date, end_date, tightenings FROM sensitive_period \
         WHERE start_date <= $2 AND end_date >= $1 ORDER BY start_date, id"
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}

/// Stores an evidence file's row (the bytes live in `crate::files`) and links it.
pub async fn insert_evidence(
    tx: &mut Tx,
    activity_id: i64,
    c: &crate::files::Checked,
    by: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = crate::files::insert(tx, c, by, now).await?;
    on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO activity_attachment (activity_id, attachment_id) VALUES ($1, $2)"
    )
    .bind(activity_id)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    Ok(id)
}

pub async fn evidence(tx: &mut Tx, activity_id: i64) -> Result<Vec<EvidenceRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, EvidenceRow>(
        "SELECT f.id, f.filename, f.mime, f.size FROM activity_attachment l JOIN attachment f ON f.id = l.attachment_id \
         WHERE l.activity_id = $1 ORDER BY f.id"
    )
    .bind(activity_id)
    .fetch_all(c)
    .await
    })
}

/// The activity an evidence file belongs to, with the file's hash, name and type.
pub async fn evidence_owner(
    tx: &mut Tx,
    attachment_id: i64,
) -> Result<Option<(i64, String, String, String)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT l.activity_id, f.sha256, f.filename, f.mime FROM activity_attachment l JOIN attachment f ON f.id = l.attachment_id \
         WHERE l.attachment_id = $1"
    )
    .bind(attachment_id)
    .fetch_optional(c)
    .await
    })
}

/// Marks a late record accepted; 0 when it is not late or already accepted.
pub async fn accept_late(tx: &mut Tx, id: i64, reason: &str, now: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE activity SET accepted_late = TRUE, accepted_reason = $2, updated_at = $3 \
         WHERE id = $1 AND entered_late = TRUE AND accepted_late = FALSE"
    )
    .bind(id)
    .bind(reason)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
