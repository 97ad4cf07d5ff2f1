//! Inspections: what is sent, what is stored, what is shown.

use serde::{Deserialize, Deserializer, Serialize};

use crate::ids::{AccountId, CampaignId, Day, InspectionId, OrgId, PersonId, PositionId};

#[derive(Deserialize)]
#[serde(untagged)]
enum IdLike {
    I(i64),
    S(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IdsLike {
    L(Vec<IdLike>),
    S(String),
}

/// Person ids: a JSON list of numbers (or numeric strings), or a comma-separated string from
/// a form. Anything not a whole number is kept as 0 (refused by the service, naming the field).
fn ids_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    let one = |s: &str| s.trim().parse::<i64>().unwrap_or(0);
    Ok(match IdsLike::deserialize(d)? {
        IdsLike::L(v) => v
            .into_iter()
            .map(|x| match x {
                IdLike::I(i) => i,
                IdLike::S(s) => one(&s),
            })
            .collect(),
        IdsLike::S(s) => s
            .split([',', '，', ' '])
            .filter(|x| !x.trim().is_empty())
            .map(one)
            .collect(),
    })
}

/// `POST /api/v1/inspections`: one inspection, as sent (JSON or a form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewInspectionInput {
    /// `routine` (日常检查) or `enforcement` (行政执法检查, at least two officers).
    #[serde(default)]
    pub kind: String,
    /// The inspecting organisation (department, office or territory), by code; blank: the
    /// caller's own. Only the committee office records for another organisation in its scope.
    #[serde(default)]
    pub org_code: String,
    /// The enterprise inspected (its organisation id), in the caller's scope.
    #[serde(default, deserialize_with = "crate::web::forms::int_or_blank")]
    pub enterprise_id: i64,
    /// YYYY-MM-DD, not in the future (Asia/Shanghai).
    #[serde(default)]
    pub date: String,
    /// Where (检查地点), e.g. the workshop.
    #[serde(default)]
    pub place: String,
    /// What was checked (检查内容).
    #[serde(default)]
    pub checked: String,
    /// What was found, in words (the hazards themselves are registered with the inspection).
    #[serde(default)]
    pub findings: String,
    /// The officers (检查人员): ids of people of the inspecting organisation.
    #[serde(default, deserialize_with = "ids_from_any")]
    #[schema(value_type = Vec<i64>)]
    pub officers: Vec<i64>,
    /// 带队检查: the position of the leader who led it; the inspection then counts as that
    /// position's duty record of kind `led_inspection`.
    #[serde(default, deserialize_with = "crate::web::forms::opt_int_from_any")]
    pub leader_position: Option<i64>,
    /// The campaign (大检查 …) it belongs to; the day must lie in the campaign's window and the
    /// enterprise in its scope.
    #[serde(default, deserialize_with = "crate::web::forms::opt_int_from_any")]
    pub campaign_id: Option<i64>,
}

/// A stored inspection with the names around it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct InspectionRow {
    pub id: InspectionId,
    /// `routine` or `enforcement`.
    pub kind: String,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    #[serde(skip)]
    pub region_path: String,
    pub region_code: String,
    pub industry: String,
    pub campaign_id: Option<CampaignId>,
    pub campaign_name: Option<String>,
    pub leader_position_id: Option<PositionId>,
    pub leader_title: Option<String>,
    pub leader_person_id: Option<PersonId>,
    pub leader_name: Option<String>,
    pub date: Day,
    pub place: String,
    pub checked: String,
    pub findings: String,
    pub created_by: AccountId,
    pub created_by_name: String,
    pub created_at: i64,
}

/// An officer of an inspection.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct OfficerRow {
    pub id: PersonId,
    pub name: String,
}

/// What a flagged hazard shows of the campaign inspection that missed it (article 十七).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionSummary {
    pub id: InspectionId,
    pub date: String,
    pub kind: String,
    pub org_name: String,
    pub campaign_id: Option<CampaignId>,
    pub campaign_name: Option<String>,
    pub leader_name: Option<String>,
    /// The inspectors' names.
    pub officers: Vec<String>,
}

/// Filters of the inspection list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionFilter {
    /// One enterprise (its organisation id).
    pub enterprise: Option<i64>,
    /// One campaign.
    pub campaign: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// An inspection of a campaign as its checklist needs it: who was inspected, when, by whom.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Tick {
    pub enterprise_id: OrgId,
    pub org_id: OrgId,
    pub date: Day,
}
