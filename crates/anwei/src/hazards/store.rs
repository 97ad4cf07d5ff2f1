//! Every SQL statement of hazards.

use super::model::{HazardFile, HazardRow, NewHazard};
use crate::db::Tx;
use crate::ids::{AccountId, FileId, HazardId, InspectionId, OrgId};
use crate::on_tx;
use crate::review::model::StoredFile;

const SELECT: &str = "SELECT h.id, h.enterprise_id, o.name AS enterprise_name, h.region_path, r.code AS region_code, \
     r.name AS region_name, h.industry, h.source, h.description, h.location, h.accident_type, h.grade, h.criterion, \
     h.responsible_person, h.measures, h.funds_yuan, h.found_on, h.deadline, h.status, h.reported_by, \
     a.display_name AS reported_by_name, h.reported_by_org, h.created_at, h.closed_at, h.inspection_id, h.unlisted_by_inspection_id \
     FROM hazard h JOIN org o ON o.id = h.enterprise_id JOIN region r ON r.id = o.region_id \
     JOIN account a ON a.id = h.reported_by";

/// Where the enterprise is, kept on the row.
pub struct Placed<'a> {
    pub region_path: &'a str,
    pub industry: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    h: &NewHazard,
    at: &Placed<'_>,
    by: AccountId,
    by_org: OrgId,
    now: i64,
) -> Result<HazardId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO hazard (enterprise_id, region_path, industry, source, description, location, accident_type, grade, \
         criterion, responsible_person, measures, funds_yuan, found_on, deadline, status, reported_by, reported_by_org, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'registered', $15, $16, $17, $17) RETURNING id"
    )
    .bind(h.enterprise_id)
    .bind(at.region_path)
    .bind(at.industry)
    .bind(h.source.code())
    .bind(&h.description)
    .bind(&h.location)
    .bind(h.accident_type.map(|t| t.code()).unwrap_or(""))
    .bind(h.grade.code())
    .bind(&h.criterion)
    .bind(&h.responsible_person)
    .bind(&h.measures)
    .bind(h.funds_yuan)
    .bind(h.found_on.to_string())
    .bind(h.deadline.to_string())
    .bind(by)
    .bind(by_org)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

pub async fn add_photo(tx: &mut Tx, id: HazardId, file: FileId) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO hazard_photo (hazard_id, attachment_id) VALUES ($1, $2)"
    )
    .bind(id)
    .bind(file)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn photos(tx: &mut Tx, id: HazardId) -> Result<Vec<HazardFile>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT f.id, NULL AS submission_id, f.filename, f.mime, f.size FROM attachment f \
         JOIN hazard_photo p ON p.attachment_id = f.id WHERE p.hazard_id = $1 ORDER BY f.id"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

/// A photo of a finding: which hazard, and where its bytes are.
pub async fn photo(tx: &mut Tx, file: FileId) -> Result<Option<StoredFile>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT p.hazard_id AS subject_id, f.sha256, f.filename, f.mime FROM attachment f \
         JOIN hazard_photo p ON p.attachment_id = f.id WHERE f.id = $1 LIMIT 1"
    )
    .bind(file)
    .fetch_optional(c)
    .await)
}

pub async fn by_id(tx: &mut Tx, id: HazardId) -> Result<Option<HazardRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE h.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, HazardRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Moves the hazard from `from` to `to`; 0 when it was no longer in `from` (changed meanwhile).
/// Closing records who closed it and when; any other move clears that.
pub async fn set_status(
    tx: &mut Tx,
    id: HazardId,
    from: &str,
    to: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let closing = to == "closed";
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE hazard SET status = $3, updated_at = $4, \
         closed_at = CASE WHEN $5 THEN $4 ELSE NULL END, closed_by = CASE WHEN $5 THEN $6 ELSE NULL END \
         WHERE id = $1 AND status = $2"
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(now)
    .bind(closing)
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    pub org_id: Option<OrgId>,
    pub grade: Option<&'a str>,
    pub status: Option<&'a str>,
    pub industry_like: Option<&'a str>,
    pub enterprise: Option<OrgId>,
    /// Only those not closed whose deadline is before this day.
    pub overdue_before: Option<String>,
    /// Only those flagged to be handled as an accident (article 十七).
    pub unlisted_only: bool,
    pub limit: i64,
    pub offset: i64,
    /// Only those of this source (来源).
    pub source: Option<&'a str>,
}

/// The conditions of the filters given, each bound by number (`$1`…), and the values in order:
/// only what is asked for reaches the planner, so each combination finds its index
/// (`hazard_triage_idx` for status + grade + territory in the order of deadlines).
fn conditions<'a>(p: &'a ListParams<'a>) -> (String, Vec<&'a str>, Option<i64>) {
    let mut cond = Vec::new();
    let mut vals: Vec<&str> = Vec::new();
    fn push<'a>(cond: &mut Vec<String>, vals: &mut Vec<&'a str>, sql: &str, v: &'a str) {
        vals.push(v);
        cond.push(sql.replace('?', &format!("${}", vals.len())));
    }
    if let Some(s) = p.status {
        push(&mut cond, &mut vals, "h.status = ?", s);
    }
    if let Some(g) = p.grade {
        push(&mut cond, &mut vals, "h.grade = ?", g);
    }
    if let Some(d) = p.overdue_before.as_deref() {
        cond.push("h.status IN ('registered', 'rectifying', 'submitted')".to_string());
        push(&mut cond, &mut vals, "h.deadline < ?", d);
    }
    if let Some(l) = p.path_like {
        push(&mut cond, &mut vals, "h.region_path LIKE ?", l);
    }
    if let Some(l) = p.industry_like {
        push(&mut cond, &mut vals, "h.industry LIKE ?", l);
    }
    if p.unlisted_only {
        cond.push("h.unlisted_by_inspection_id IS NOT NULL".to_string());
    }
    if let Some(s) = p.source {
        push(&mut cond, &mut vals, "h.source = ?", s);
    }
    // The organisation scope and the enterprise filter are the last numbers, bound as integers.
    let org = p.org_id.or(p.enterprise);
    let mut n = vals.len();
    if let Some(o) = p.org_id {
        n += 1;
        cond.push(format!("h.enterprise_id = ${n}"));
        if p.enterprise.is_some_and(|e| e != o) {
            cond.push("1 = 0".to_string());
        }
    } else if p.enterprise.is_some() {
        n += 1;
        cond.push(format!("h.enterprise_id = ${n}"));
    }
    let sql = if cond.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", cond.join(" AND "))
    };
    (sql, vals, org.map(|o| o.get()))
}

/// The page of hazards matching, by deadline (the most urgent first), and how many match: from
/// the tally when only region, grade, status and industry filter; counted otherwise.
pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<(Vec<HazardRow>, i64), sqlx::Error> {
    let (cond, vals, org) = conditions(p);
    let n = vals.len() + usize::from(org.is_some());
    let sql = format!(
        "{SELECT} {cond} ORDER BY h.deadline, h.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let sql = sqlx::AssertSqlSafe(sql);
    let rows = on_tx!(tx, |c| {
        let mut q = sqlx::query_as::<_, HazardRow>(sql);
        for v in &vals {
            q = q.bind(*v);
        }
        if let Some(o) = org {
            q = q.bind(o);
        }
        q.bind(p.limit).bind(p.offset).fetch_all(c).await
    })?;
    if org.is_none() && p.overdue_before.is_none() && !p.unlisted_only && p.source.is_none() {
        let total = super::stats::store::total(tx, p.path_like, p.grade, p.status, p.industry_like);
        return Ok((rows, total.await?));
    }
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM hazard h {cond}"));
    let total: i64 = on_tx!(tx, |c| {
        let mut q = sqlx::query_scalar(sql);
        for v in &vals {
            q = q.bind(*v);
        }
        if let Some(o) = org {
            q = q.bind(o);
        }
        q.fetch_one(c).await
    })?;
    Ok((rows, total))
}

/// Records the inspection that found the hazard and the article 十七 flag.
pub async fn set_links(
    tx: &mut Tx,
    id: HazardId,
    inspection: Option<InspectionId>,
    unlisted_by: Option<InspectionId>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE hazard SET inspection_id = $2, unlisted_by_inspection_id = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(inspection)
    .bind(unlisted_by)
    .execute(c)
    .await
    .map(|_| ()))
}

/// The inspections that registered a major hazard at the enterprise.
pub async fn majors_found_by(
    tx: &mut Tx,
    enterprise: OrgId,
) -> Result<Vec<InspectionId>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT DISTINCT inspection_id FROM hazard WHERE enterprise_id = $1 AND grade = 'major' \
         AND inspection_id IS NOT NULL"
    )
    .bind(enterprise)
    .fetch_all(c)
    .await)
}

/// The hazards an inspection found, the first registered first.
pub async fn of_inspection(tx: &mut Tx, id: InspectionId) -> Result<Vec<HazardRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE h.inspection_id = $1 ORDER BY h.id"));
    on_tx!(tx, |c| sqlx::query_as::<_, HazardRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}

/// The major hazards found between two days (YYYY-MM-DD, inclusive) under the region-path
/// pattern, by enterprise and day.
pub async fn majors_between(
    tx: &mut Tx,
    path_like: &str,
    from: &str,
    to: &str,
) -> Result<Vec<HazardRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE h.region_path LIKE $1 AND h.grade = 'major' AND h.found_on >= $2 AND h.found_on <= $3 \
         ORDER BY h.region_path, h.enterprise_id, h.found_on, h.id"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, HazardRow>(sql)
        .bind(path_like)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)
}
