//! Every SQL statement of recurring duties.

use super::model::{
    ActivityRow, CompactRecord, DeliveryRow, EvidenceRow, RuleHistoryRow, RuleRow, SensitiveRow,
};
use crate::db::Tx;
use crate::ids::{AccountId, ActivityId, Day, FileId, OrgId, PeriodId, PersonId, PositionId};
use crate::on_tx;
use crate::people::model::PositionRow;

const SELECT: &str = "SELECT a.id, a.org_id, o.code AS org_code, o.name AS org_name, r.path AS region_path, a.kind, a.date, a.title, \
     a.led_by_position_id, p.title AS position_title, a.led_by_person_id, pe.name AS person_name, a.participants, a.topics, a.places, \
     a.findings, a.area_code, a.evidence_count, a.created_by, a.created_at, a.updated_at, a.entered_late, a.accepted_late, a.accepted_reason, a.inspection_id \
     FROM activity a JOIN org o ON o.id = a.org_id JOIN region r ON r.id = o.region_id \
     LEFT JOIN org_position p ON p.id = a.led_by_position_id LEFT JOIN person pe ON pe.id = a.led_by_person_id";

pub struct NewActivity<'a> {
    pub org_id: OrgId,
    pub kind: &'a str,
    pub date: &'a str,
    pub title: &'a str,
    pub position_id: Option<PositionId>,
    pub person_id: Option<PersonId>,
    pub participants: &'a str,
    pub topics: &'a str,
    pub places: &'a str,
    pub findings: &'a str,
    pub area_code: &'a str,
    pub created_by: AccountId,
    pub entered_late: bool,
    pub now: i64,
}

/// True when the same record (organisation, leading position, kind, date, title) exists,
/// other than record `except`. Written out because the unique constraint does not
/// catch two records without a position.
pub async fn duplicate_exists(
    tx: &mut Tx,
    a: &NewActivity<'_>,
    except: Option<ActivityId>,
) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM activity WHERE org_id = $1 AND COALESCE(led_by_position_id, 0) = COALESCE($2, 0) \
         AND kind = $3 AND date = $4 AND title = $5 AND id <> $6"
    )
    .bind(a.org_id)
    .bind(a.position_id)
    .bind(a.kind)
    .bind(a.date)
    .bind(a.title)
    .bind(except.map_or(0, ActivityId::get))
    .fetch_one(c)
    .await
    })?;
    Ok(n > 0)
}

/// Records of the same organisation, kind, date and leading position (near-duplicate
/// candidates), with their titles and the SHA-256 of each evidence file ('' when none).
pub async fn same_occasion(
    tx: &mut Tx,
    a: &NewActivity<'_>,
    except: Option<ActivityId>,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT a.id, a.title, COALESCE(f.sha256, '') FROM activity a \
             LEFT JOIN activity_attachment aa ON aa.activity_id = a.id \
             LEFT JOIN attachment f ON f.id = aa.attachment_id \
             WHERE a.org_id = $1 AND COALESCE(a.led_by_position_id, 0) = COALESCE($2, 0) \
             AND a.kind = $3 AND a.date = $4 AND a.id <> $5",
        )
        .bind(a.org_id)
        .bind(a.position_id)
        .bind(a.kind)
        .bind(a.date)
        .bind(except.map_or(0, ActivityId::get))
        .fetch_all(c)
        .await
    })
}

/// The SHA-256 of a record's evidence files.
pub async fn evidence_hashes(
    tx: &mut Tx,
    activity_id: ActivityId,
) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT f.sha256 FROM activity_attachment aa JOIN attachment f ON f.id = aa.attachment_id WHERE aa.activity_id = $1"
    )
    .bind(activity_id)
    .fetch_all(c)
    .await
    })
}

pub async fn insert(tx: &mut Tx, a: &NewActivity<'_>) -> Result<ActivityId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO activity (org_id, kind, date, title, led_by_position_id, led_by_person_id, participants, topics, places, findings, \
         created_by, created_at, updated_at, entered_late, accepted_late, accepted_reason, area_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, FALSE, '', $14) RETURNING id"
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
    .bind(a.area_code)
    .fetch_one(c)
    .await
    })
}

pub async fn by_id(tx: &mut Tx, id: ActivityId) -> Result<Option<ActivityRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, ActivityRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    pub org_id_scope: Option<OrgId>,
    pub org_ids: Option<&'a [i64]>,
    pub kind: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub limit: i64,
}

/// Activities in scope, newest first. `org_ids` (when given) restricts to those organisations.
pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<Vec<ActivityRow>, sqlx::Error> {
    let Some(orgs) = in_list("a.org_id", p.org_ids) else {
        return Ok(Vec::new());
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
pub async fn safety_offices(tx: &mut Tx) -> Result<Vec<(OrgId, String)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT o.id, r.path FROM org o JOIN region r ON r.id = o.region_id \
         WHERE o.kind = 'safety_office' AND o.retired_at IS NULL ORDER BY o.id"
    )
    .fetch_all(c)
    .await)
}

/// The offices a record's minutes were copied to.
pub async fn deliveries_of(
    tx: &mut Tx,
    activity_id: ActivityId,
) -> Result<Vec<OrgId>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT to_org_id FROM minutes_delivery WHERE activity_id = $1"
    )
    .bind(activity_id)
    .fetch_all(c)
    .await)
}

pub async fn insert_delivery(
    tx: &mut Tx,
    activity_id: ActivityId,
    to_org_id: OrgId,
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

pub async fn deliveries(
    tx: &mut Tx,
    activity_id: ActivityId,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
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
    created_by: AccountId,
    now: i64,
) -> Result<PeriodId, sqlx::Error> {
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

pub async fn sensitive_by_id(
    tx: &mut Tx,
    id: PeriodId,
) -> Result<Option<SensitiveRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, SensitiveRow>(
        "SELECT id, name, start_date, end_date, tightenings, withdrawn_at, withdraw_reason FROM sensitive_period WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await
    })
}

pub async fn withdraw_sensitive(
    tx: &mut Tx,
    id: PeriodId,
    by: AccountId,
    now: i64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE sensitive_period SET withdrawn_at = $2, withdrawn_by = $3, withdraw_reason = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .bind(reason)
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn end_sensitive(tx: &mut Tx, id: PeriodId, end: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE sensitive_period SET end_date = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(end)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Sensitive periods that overlap `[from, to]` (ISO dates compare as text); withdrawn ones
/// tighten nothing.
pub async fn sensitive_overlapping(
    tx: &mut Tx,
    from: &str,
    to: &str,
) -> Result<Vec<SensitiveRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, SensitiveRow>(
        "SELECT id, name, start_date, end_date, tightenings, withdrawn_at, withdraw_reason FROM sensitive_period \
         WHERE start_date <= $2 AND end_date >= $1 AND withdrawn_at IS NULL ORDER BY start_date, id"
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
    })
}

/// Stores an evidence file's row (the bytes live in `crate::files`) and links it.
pub async fn insert_evidence(
    tx: &mut Tx,
    activity_id: ActivityId,
    c: &crate::files::Checked,
    by: AccountId,
    now: i64,
) -> Result<FileId, sqlx::Error> {
    let id = crate::files::insert(tx, c, by, now).await?;
    on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO activity_attachment (activity_id, attachment_id) VALUES ($1, $2)"
    )
    .bind(activity_id)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ()))?;
    on_tx!(tx, |conn| {
        sqlx::query(
        "UPDATE activity SET evidence_count = evidence_count + 1, evidence_at = COALESCE(evidence_at, $2) WHERE id = $1"
    )
    .bind(activity_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    Ok(id)
}

pub async fn evidence(
    tx: &mut Tx,
    activity_id: ActivityId,
) -> Result<Vec<EvidenceRow>, sqlx::Error> {
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
    attachment_id: FileId,
) -> Result<Option<(ActivityId, String, String, String)>, sqlx::Error> {
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
pub async fn accept_late(
    tx: &mut Tx,
    id: ActivityId,
    reason: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
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

const RULE_COLUMNS: &str = "id, code, article, tasks, holder, kinds, period, min_count, evidence_required, copy_to_upper_office, \
     title_zh, title_en, builtin, active, updated_at, effective_from";

/// The stored rules (only the active ones when `active_only`), built-in first, in order.
pub async fn rules(tx: &mut Tx, active_only: bool) -> Result<Vec<RuleRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RULE_COLUMNS} FROM duty_rule WHERE ($1 = FALSE OR active = TRUE) ORDER BY builtin DESC, id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, RuleRow>(sql)
        .bind(active_only)
        .fetch_all(c)
        .await)
}

pub async fn rule(tx: &mut Tx, code: &str) -> Result<Option<RuleRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {RULE_COLUMNS} FROM duty_rule WHERE code = $1"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, RuleRow>(sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

/// Inserts a rule; with `if_missing`, does nothing when the code exists (the seed). Returns
/// the number of rows written.
pub async fn insert_rule(
    tx: &mut Tx,
    r: &RuleRow,
    by: Option<AccountId>,
    if_missing: bool,
) -> Result<u64, sqlx::Error> {
    let conflict = if if_missing {
        " ON CONFLICT (code) DO NOTHING"
    } else {
        ""
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO duty_rule (code, article, tasks, holder, kinds, period, min_count, evidence_required, copy_to_upper_office, \
         title_zh, title_en, builtin, active, updated_by, updated_at, effective_from) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16){conflict}"
    ));
    on_tx!(tx, |c| sqlx::query(sql)
        .bind(&r.code)
        .bind(r.article)
        .bind(&r.tasks)
        .bind(&r.holder)
        .bind(&r.kinds)
        .bind(&r.period)
        .bind(r.min_count)
        .bind(r.evidence_required)
        .bind(r.copy_to_upper_office)
        .bind(&r.title_zh)
        .bind(&r.title_en)
        .bind(r.builtin)
        .bind(r.active)
        .bind(by)
        .bind(r.updated_at)
        .bind(r.effective_from)
        .execute(c)
        .await
        .map(|x| x.rows_affected()))
}

/// Keeps the terms `r` had until `until` (an edit or a deactivation on that day); a second
/// change on the same day keeps the first one's record.
pub async fn keep_rule_terms(
    tx: &mut Tx,
    r: &RuleRow,
    until: Day,
    by: AccountId,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO duty_rule_history (code, until, kinds, period, min_count, evidence_required, active, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code, until) DO NOTHING"
    )
    .bind(&r.code)
    .bind(until)
    .bind(&r.kinds)
    .bind(&r.period)
    .bind(r.min_count)
    .bind(r.evidence_required)
    .bind(r.active)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// Every rule's former terms, by rule and day.
pub async fn rule_history(tx: &mut Tx) -> Result<Vec<RuleHistoryRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT code, until, kinds, period, min_count, evidence_required, active FROM duty_rule_history ORDER BY code, until"
    )
    .fetch_all(c)
    .await
    })
}

/// Rewrites a rule's editable terms (not its code, holder or built-in flag).
pub async fn update_rule(tx: &mut Tx, r: &RuleRow, by: AccountId) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE duty_rule SET article = $2, tasks = $3, kinds = $4, period = $5, min_count = $6, evidence_required = $7, \
         copy_to_upper_office = $8, title_zh = $9, title_en = $10, active = $11, updated_by = $12, updated_at = $13 WHERE code = $1"
    )
    .bind(&r.code)
    .bind(r.article)
    .bind(&r.tasks)
    .bind(&r.kinds)
    .bind(&r.period)
    .bind(r.min_count)
    .bind(r.evidence_required)
    .bind(r.copy_to_upper_office)
    .bind(&r.title_zh)
    .bind(&r.title_en)
    .bind(r.active)
    .bind(by)
    .bind(r.updated_at)
    .execute(c)
    .await
    .map(|x| x.rows_affected())
    })
}

/// ` AND <column> IN (…)` for `ids`, '' for every row (`None`), or `None` when no row can match
/// (an empty list). Ids are integers: formatting them into the text cannot inject anything.
fn in_list(column: &str, ids: Option<&[i64]>) -> Option<String> {
    match ids {
        Some([]) => None,
        Some(ids) => Some(format!(
            " AND {column} IN ({})",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        )),
        None => Some(String::new()),
    }
}

/// The current positions of the organisations `org_ids` (all organisations when `None`).
pub async fn positions_of_orgs(
    tx: &mut Tx,
    org_ids: Option<&[i64]>,
) -> Result<Vec<PositionRow>, sqlx::Error> {
    let Some(filter) = in_list("p.org_id", org_ids) else {
        return Ok(Vec::new());
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT p.id, p.org_id, o.code AS org_code, o.name AS org_name, p.kind, p.title, p.sectors, p.retired_at, \
         h.person_id AS holder_id, pe.name AS holder_name, h.start_date AS holder_since \
         FROM org_position p JOIN org o ON o.id = p.org_id \
         LEFT JOIN position_holding h ON h.position_id = p.id AND h.end_date IS NULL \
         LEFT JOIN person pe ON pe.id = h.person_id \
         WHERE p.retired_at IS NULL{filter} ORDER BY p.org_id, p.sort_order, p.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, PositionRow>(sql)
        .fetch_all(c)
        .await)
}

/// What compliance reads of every activity dated in `[from, to]` of `org_ids` (all
/// organisations when `None`), a tour record with the region it names (`''` for any other
/// record). Columns are decoded by position: with hundreds of thousands of rows, looking each
/// column up by name costs as much as reading it; and the region comes inside the kind
/// (`tour:220502`), because each further column costs about as much again per row.
pub async fn compact_records(
    tx: &mut Tx,
    org_ids: Option<&[i64]>,
    from: &str,
    to: &str,
) -> Result<Vec<CompactRecord>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        i64,
        bool,
        Option<i64>,
    );
    let Some(filter) = in_list("org_id", org_ids) else {
        return Ok(Vec::new());
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, org_id, led_by_position_id, \
         CASE WHEN kind = 'tour' AND area_code <> '' THEN 'tour:' || area_code ELSE kind END, \
         date, created_at, accepted_late, evidence_at \
         FROM activity WHERE date >= $1 AND date <= $2{filter}"
    ));
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as::<_, Row>(sql)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, org_id, position_id, mut kind, date, created_at, accepted_late, evidence_at)| {
                let tour_area = kind
                    .strip_prefix("tour:")
                    .map(str::to_string)
                    .unwrap_or_default();
                if !tour_area.is_empty() {
                    kind.truncate("tour".len());
                }
                CompactRecord {
                    id,
                    org_id,
                    position_id,
                    kind,
                    date,
                    created_at,
                    accepted_late,
                    evidence_at,
                    tour_area,
                }
            },
        )
        .collect())
}

/// What an assembled heat map depends on: the sum and count of the compliance stamps, and the
/// organisation table's count, version sum and retired count. (PostgreSQL sums BIGINT as
/// NUMERIC: cast back.)
pub async fn fingerprint(tx: &mut Tx) -> Result<(i64, i64, i64, i64, i64), sqlx::Error> {
    let (a, b): (i64, i64) = on_tx!(tx, |c| sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(stamp), 0) AS BIGINT), COUNT(*) FROM duty_stamp"
    )
    .fetch_one(c)
    .await)?;
    let (c3, d, e): (i64, i64, i64) = on_tx!(tx, |c| sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT), COUNT(retired_at) FROM org"
    )
    .fetch_one(c)
    .await)?;
    Ok((a, b, c3, d, e))
}

/// Every organisation's compliance stamp (0: the global one).
pub async fn stamps(tx: &mut Tx) -> Result<std::collections::HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT org_id, stamp FROM duty_stamp"
    )
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// Records an at-risk reminder; false when this holder was already reminded for the window.
pub async fn insert_reminder(
    tx: &mut Tx,
    org_id: OrgId,
    position_id: PositionId,
    rule: &str,
    window_end: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO duty_reminder (org_id, position_id, rule_code, window_end, sent_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (org_id, position_id, rule_code, window_end) DO NOTHING"
    )
    .bind(org_id)
    .bind(position_id)
    .bind(rule)
    .bind(window_end)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected() > 0)
    })
}

/// A position a person held (or holds), with its organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldRow {
    pub position_id: PositionId,
    pub org_id: OrgId,
    pub position_title: String,
    pub start_date: Day,
    pub end_date: Option<Day>,
}

pub async fn holdings_of_person(
    tx: &mut Tx,
    person_id: PersonId,
) -> Result<Vec<HeldRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, HeldRow>(
        "SELECT h.position_id, p.org_id, p.title AS position_title, h.start_date, h.end_date \
         FROM position_holding h JOIN org_position p ON p.id = h.position_id WHERE h.person_id = $1 \
         ORDER BY h.start_date DESC, h.id DESC"
    )
    .bind(person_id)
    .fetch_all(c)
    .await
    })
}

/// Rewrites a record's corrected fields. Moving it to another date clears an acceptance of
/// lateness (the office accepted the old date, not the new one).
pub async fn update(
    tx: &mut Tx,
    id: ActivityId,
    a: &NewActivity<'_>,
    clears_acceptance: bool,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE activity SET kind = $2, date = $3, title = $4, led_by_position_id = $5, led_by_person_id = $6, participants = $7, \
         topics = $8, places = $9, findings = $10, area_code = $11, entered_late = $12, updated_at = $13, \
         accepted_late = CASE WHEN $14 THEN FALSE ELSE accepted_late END, \
         accepted_reason = CASE WHEN $14 THEN '' ELSE accepted_reason END WHERE id = $1"
    )
    .bind(id)
    .bind(a.kind)
    .bind(a.date)
    .bind(a.title)
    .bind(a.position_id)
    .bind(a.person_id)
    .bind(a.participants)
    .bind(a.topics)
    .bind(a.places)
    .bind(a.findings)
    .bind(a.area_code)
    .bind(a.entered_late)
    .bind(a.now)
    .bind(clears_acceptance)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// 抄报 minutes an office received, newest first.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ReceivedRow {
    pub activity_id: ActivityId,
    pub org_code: String,
    pub org_name: String,
    pub title: String,
    pub date: String,
    pub delivered_at: i64,
}

pub async fn received_minutes(
    tx: &mut Tx,
    to_org_id: OrgId,
    limit: i64,
) -> Result<Vec<ReceivedRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, ReceivedRow>(
        "SELECT a.id AS activity_id, o.code AS org_code, o.name AS org_name, a.title, a.date, d.delivered_at \
         FROM minutes_delivery d JOIN activity a ON a.id = d.activity_id JOIN org o ON o.id = a.org_id \
         WHERE d.to_org_id = $1 ORDER BY d.delivered_at DESC, d.id DESC LIMIT $2"
    )
    .bind(to_org_id)
    .bind(limit)
    .fetch_all(c)
    .await
    })
}

/// The sensitive periods, the latest first.
pub async fn sensitive_list(tx: &mut Tx, limit: i64) -> Result<Vec<SensitiveRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, SensitiveRow>(
        "SELECT id, name, start_date, end_date, tightenings, withdrawn_at, withdraw_reason FROM sensitive_period ORDER BY start_date DESC, id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await
    })
}

/// Marks a record late: its first evidence arrived after the month of its date had closed.
pub async fn mark_late(tx: &mut Tx, id: ActivityId) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE activity SET entered_late = TRUE WHERE id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}
