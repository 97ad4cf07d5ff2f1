//! Every SQL statement of campaigns.

use super::model::{CampaignRow, DepartmentRow};
use crate::db::Tx;
use crate::ids::{AccountId, CampaignId, OrgId};
use crate::on_tx;

const SELECT: &str = "SELECT c.id, c.name, c.kind, c.start_date, c.end_date, c.industries, c.place_types, \
     c.region_codes, c.region_paths, c.owner_org_id, o.name AS owner_name, c.region_path, c.created_by, c.created_at \
     FROM campaign c JOIN org o ON o.id = c.owner_org_id";

pub struct NewCampaign<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub start_date: &'a str,
    pub end_date: &'a str,
    pub industries: &'a str,
    pub place_types: &'a str,
    pub region_codes: &'a str,
    pub region_paths: &'a str,
    pub owner: OrgId,
    pub region_path: &'a str,
    pub by: AccountId,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, n: &NewCampaign<'_>) -> Result<CampaignId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO campaign (name, kind, start_date, end_date, industries, place_types, region_codes, region_paths, \
         owner_org_id, region_path, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
    )
    .bind(n.name)
    .bind(n.kind)
    .bind(n.start_date)
    .bind(n.end_date)
    .bind(n.industries)
    .bind(n.place_types)
    .bind(n.region_codes)
    .bind(n.region_paths)
    .bind(n.owner)
    .bind(n.region_path)
    .bind(n.by)
    .bind(n.now)
    .fetch_one(c)
    .await
    })
}

pub async fn add_department(tx: &mut Tx, id: CampaignId, org: OrgId) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO campaign_department (campaign_id, org_id) VALUES ($1, $2)"
    )
    .bind(id)
    .bind(org)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn by_id(tx: &mut Tx, id: CampaignId) -> Result<Option<CampaignRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, CampaignRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Campaigns whose region encloses `path` or lies under it, the latest first.
pub async fn around(tx: &mut Tx, path: &str) -> Result<Vec<CampaignRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.region_path LIKE $2 OR $1 LIKE c.region_path || '%' ORDER BY c.start_date DESC, c.id DESC"
    ));
    let under = format!("{path}%");
    on_tx!(tx, |c| sqlx::query_as::<_, CampaignRow>(sql)
        .bind(path)
        .bind(&under)
        .fetch_all(c)
        .await)
}

pub async fn departments(tx: &mut Tx, id: CampaignId) -> Result<Vec<DepartmentRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, DepartmentRow>(
        "SELECT o.id AS org_id, o.code, o.name FROM campaign_department d JOIN org o ON o.id = d.org_id \
         WHERE d.campaign_id = $1 ORDER BY o.code"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })
}
