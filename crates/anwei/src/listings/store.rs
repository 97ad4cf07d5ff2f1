//! Every SQL statement of listings.

use super::model::{
    ListingFile, ListingRow, NewListing, ProgressRow, PublicNotice, StoredListingFile,
};
use crate::db::Tx;
use crate::ids::{AccountId, FileId, ListingId, OrgId, ProgressId};
use crate::on_tx;

const SELECT: &str = "SELECT l.id, l.hazard_id, h.description AS hazard_description, l.enterprise_id, \
     e.name AS enterprise_name, l.region_path, r.code AS region_code, r.name AS region_name, l.notice_no, \
     l.supervising_org, s.name AS supervising_org_name, l.responsible_org, p.code AS responsible_org_code, \
     p.name AS responsible_org_name, l.deadline, l.listed_on, l.listed_by, a.display_name AS listed_by_name, \
     l.status, l.delisted_on, d.display_name AS delisted_by_name, l.delisting_note, l.stop_order_no, \
     l.stop_order_on, l.referred, l.referral_note \
     FROM listing l JOIN hazard h ON h.id = l.hazard_id JOIN org e ON e.id = l.enterprise_id \
     JOIN region r ON r.id = e.region_id JOIN org s ON s.id = l.supervising_org \
     JOIN org p ON p.id = l.responsible_org JOIN account a ON a.id = l.listed_by \
     LEFT JOIN account d ON d.id = l.delisted_by";

/// Inserts the listing; `None` when its notice number is taken or the hazard already has an
/// active listing (the unique constraints decide, so two offices at once cannot both win).
pub async fn insert(
    tx: &mut Tx,
    n: &NewListing,
    by: AccountId,
    now: i64,
) -> Result<ListingId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO listing (hazard_id, enterprise_id, region_path, notice_no, supervising_org, responsible_org, \
             deadline, listed_on, listed_by, listed_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active') RETURNING id",
        )
        .bind(n.hazard_id)
        .bind(n.enterprise_id)
        .bind(&n.region_path)
        .bind(&n.notice_no)
        .bind(n.supervising_org)
        .bind(n.responsible_org)
        .bind(n.deadline.to_string())
        .bind(n.listed_on.to_string())
        .bind(by)
        .bind(now)
        .fetch_one(c)
        .await
    })
}

pub async fn notice_taken(tx: &mut Tx, notice_no: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM listing WHERE notice_no = $1"
    )
    .bind(notice_no)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn active_for_hazard(
    tx: &mut Tx,
    hazard: crate::ids::HazardId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM listing WHERE hazard_id = $1 AND status = 'active'"
    )
    .bind(hazard)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn by_id(tx: &mut Tx, id: ListingId) -> Result<Option<ListingRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE l.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, ListingRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    pub org_id: Option<OrgId>,
    pub status: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

const WHERE: &str = "WHERE ($1 IS NULL OR l.region_path LIKE $1) AND ($2 IS NULL OR l.enterprise_id = $2) \
     AND ($3 IS NULL OR l.status = $3)";

/// The board: the active listings first (the nearest deadline first), then the delisted ones.
pub async fn list(tx: &mut Tx, p: &ListParams<'_>) -> Result<(Vec<ListingRow>, i64), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} {WHERE} ORDER BY CASE WHEN l.status = 'active' THEN 0 ELSE 1 END, l.deadline, l.id \
         LIMIT $4 OFFSET $5"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, ListingRow>(sql)
        .bind(p.path_like)
        .bind(p.org_id)
        .bind(p.status)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM listing l {WHERE}"));
    let total: i64 = on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(p.path_like)
        .bind(p.org_id)
        .bind(p.status)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

/// The months (`YYYY-MM`) with a progress report.
pub async fn months(tx: &mut Tx, id: ListingId) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT month FROM listing_progress WHERE listing_id = $1 ORDER BY month"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

pub async fn progress(tx: &mut Tx, id: ListingId) -> Result<Vec<ProgressRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT g.id, g.month, g.body AS text, a.display_name AS reported_by_name, \
         o.name AS reported_by_org_name, g.reported_at FROM listing_progress g \
         JOIN account a ON a.id = g.reported_by JOIN org o ON o.id = g.reported_by_org \
         WHERE g.listing_id = $1 ORDER BY g.month DESC, g.id DESC"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

pub async fn progress_exists(tx: &mut Tx, id: ListingId, month: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM listing_progress WHERE listing_id = $1 AND month = $2"
    )
    .bind(id)
    .bind(month)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn add_progress(
    tx: &mut Tx,
    id: ListingId,
    month: &str,
    text: &str,
    by: AccountId,
    by_org: OrgId,
    now: i64,
) -> Result<ProgressId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO listing_progress (listing_id, month, body, reported_by, reported_by_org, reported_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(id)
    .bind(month)
    .bind(text)
    .bind(by)
    .bind(by_org)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

pub async fn add_file(
    tx: &mut Tx,
    id: ListingId,
    file: FileId,
    progress: Option<ProgressId>,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO listing_file (listing_id, attachment_id, progress_id, purpose) VALUES ($1, $2, $3, $4)"
    )
    .bind(id)
    .bind(file)
    .bind(progress)
    .bind(purpose)
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn files(tx: &mut Tx, id: ListingId) -> Result<Vec<ListingFile>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT f.id, lf.progress_id, lf.purpose, f.filename, f.mime, f.size FROM attachment f \
         JOIN listing_file lf ON lf.attachment_id = f.id WHERE lf.listing_id = $1 ORDER BY f.id"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

pub async fn file(tx: &mut Tx, file: FileId) -> Result<Option<StoredListingFile>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT lf.listing_id, f.sha256, f.filename, f.mime FROM attachment f \
         JOIN listing_file lf ON lf.attachment_id = f.id WHERE f.id = $1 LIMIT 1"
    )
    .bind(file)
    .fetch_optional(c)
    .await)
}

/// 摘牌: only an active listing; 0 when it was no longer active.
pub async fn delist(
    tx: &mut Tx,
    id: ListingId,
    on: &str,
    note: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE listing SET status = 'delisted', delisted_on = $2, delisting_note = $3, delisted_by = $4, \
         delisted_at = $5 WHERE id = $1 AND status = 'active'"
    )
    .bind(id)
    .bind(on)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Records a stop-production order; 0 when one is recorded already.
pub async fn stop_order(
    tx: &mut Tx,
    id: ListingId,
    document_no: &str,
    on: &str,
    by: AccountId,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE listing SET stop_order_no = $2, stop_order_on = $3, stop_order_by = $4 \
         WHERE id = $1 AND stop_order_on IS NULL"
    )
    .bind(id)
    .bind(document_no)
    .bind(on)
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// Sets the referral flag; 0 when it is set already.
pub async fn refer(
    tx: &mut Tx,
    id: ListingId,
    note: &str,
    by: AccountId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE listing SET referred = TRUE, referral_note = $2, referred_by = $3, referred_at = $4 \
         WHERE id = $1 AND referred = FALSE"
    )
    .bind(id)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// The public notices, the newest first: notice number, enterprise, region, dates; nothing else.
pub async fn public_notices(tx: &mut Tx, limit: i64) -> Result<Vec<PublicNotice>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT l.notice_no, e.name AS enterprise_name, r.name AS region_name, l.listed_on, l.delisted_on \
         FROM listing l JOIN org e ON e.id = l.enterprise_id JOIN region r ON r.id = e.region_id \
         ORDER BY COALESCE(l.delisted_on, l.listed_on) DESC, l.id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await
    })
}
