//! Every SQL statement of inspections.

use super::model::{InspectionRow, OfficerRow, Tick};
use crate::db::Tx;
use crate::ids::{AccountId, CampaignId, Day, InspectionId, OrgId, PersonId, PositionId};
use crate::on_tx;

const SELECT: &str = "SELECT i.id, i.kind, i.org_id, o.code AS org_code, o.name AS org_name, i.enterprise_id, \
     e.name AS enterprise_name, i.region_path, r.code AS region_code, i.industry, i.campaign_id, c.name AS campaign_name, \
     i.leader_position_id, p.title AS leader_title, i.leader_person_id, pe.name AS leader_name, i.date, i.place, \
     i.checked, i.findings, i.created_by, a.display_name AS created_by_name, i.created_at \
     FROM inspection i JOIN org o ON o.id = i.org_id JOIN org e ON e.id = i.enterprise_id \
     JOIN region r ON r.id = e.region_id JOIN account a ON a.id = i.created_by \
     LEFT JOIN campaign c ON c.id = i.campaign_id LEFT JOIN org_position p ON p.id = i.leader_position_id \
     LEFT JOIN person pe ON pe.id = i.leader_person_id";

pub struct NewInspection<'a> {
    pub kind: &'a str,
    pub org_id: OrgId,
    pub enterprise_id: OrgId,
    pub region_path: &'a str,
    pub industry: &'a str,
    pub campaign_id: Option<CampaignId>,
    pub leader_position_id: Option<PositionId>,
    pub leader_person_id: Option<PersonId>,
    pub date: &'a str,
    pub place: &'a str,
    pub checked: &'a str,
    pub findings: &'a str,
    pub created_by: AccountId,
    pub now: i64,
}

pub async fn insert(tx: &mut Tx, n: &NewInspection<'_>) -> Result<InspectionId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO inspection (kind, org_id, enterprise_id, region_path, industry, campaign_id, leader_position_id, \
         leader_person_id, date, place, checked, findings, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
    )
    .bind(n.kind)
    .bind(n.org_id)
    .bind(n.enterprise_id)
    .bind(n.region_path)
    .bind(n.industry)
    .bind(n.campaign_id)
    .bind(n.leader_position_id)
    .bind(n.leader_person_id)
    .bind(n.date)
    .bind(n.place)
    .bind(n.checked)
    .bind(n.findings)
    .bind(n.created_by)
    .bind(n.now)
    .fetch_one(c)
    .await
    })
}

pub async fn add_officer(
    tx: &mut Tx,
    id: InspectionId,
    person: PersonId,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO inspection_officer (inspection_id, person_id) VALUES ($1, $2)"
    )
    .bind(id)
    .bind(person)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn by_id(tx: &mut Tx, id: InspectionId) -> Result<Option<InspectionRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE i.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, InspectionRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn officers(tx: &mut Tx, id: InspectionId) -> Result<Vec<OfficerRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as::<_, OfficerRow>(
        "SELECT p.id, p.name FROM inspection_officer io JOIN person p ON p.id = io.person_id \
         WHERE io.inspection_id = $1 ORDER BY p.id"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

pub struct ListParams<'a> {
    pub path_like: Option<&'a str>,
    pub org_id: Option<OrgId>,
    pub enterprise: Option<OrgId>,
    pub campaign: Option<CampaignId>,
    pub limit: i64,
    pub offset: i64,
}

const WHERE: &str = "WHERE ($1 IS NULL OR i.region_path LIKE $1) AND ($2 IS NULL OR i.enterprise_id = $2) \
     AND ($3 IS NULL OR i.enterprise_id = $3) AND ($4 IS NULL OR i.campaign_id = $4)";

/// A page of inspections, the latest first, and how many match.
pub async fn list(
    tx: &mut Tx,
    p: &ListParams<'_>,
) -> Result<(Vec<InspectionRow>, i64), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} {WHERE} ORDER BY i.date DESC, i.id DESC LIMIT $5 OFFSET $6"
    ));
    let rows = on_tx!(tx, |c| sqlx::query_as::<_, InspectionRow>(sql)
        .bind(p.path_like)
        .bind(p.org_id)
        .bind(p.enterprise)
        .bind(p.campaign)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await)?;
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM inspection i {WHERE}"));
    let total: i64 = on_tx!(tx, |c| sqlx::query_scalar(sql)
        .bind(p.path_like)
        .bind(p.org_id)
        .bind(p.enterprise)
        .bind(p.campaign)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

/// Every inspection of an enterprise: id, day, campaign.
pub async fn at_enterprise(
    tx: &mut Tx,
    enterprise: OrgId,
) -> Result<Vec<(InspectionId, Day, Option<CampaignId>)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, date, campaign_id FROM inspection WHERE enterprise_id = $1 ORDER BY date, id"
    )
    .bind(enterprise)
    .fetch_all(c)
    .await)
}

/// The inspections of a campaign, the earliest first.
pub async fn ticks(tx: &mut Tx, campaign: CampaignId) -> Result<Vec<Tick>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, Tick>(
        "SELECT enterprise_id, org_id, date FROM inspection WHERE campaign_id = $1 ORDER BY date, id"
    )
    .bind(campaign)
    .fetch_all(c)
    .await
    })
}
