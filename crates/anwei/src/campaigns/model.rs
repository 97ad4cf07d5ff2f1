//! Campaigns: what is sent, what is stored, what is shown.

use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, CampaignId, Day, OrgId};

/// `POST /api/v1/campaigns`: a campaign, as sent (JSON, or a form with comma-separated lists).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewCampaignInput {
    #[serde(default)]
    pub name: String,
    /// `general_inspection` (大检查), `special_rectification` (专项整治) or
    /// `illegal_activities` (打非治违).
    #[serde(default)]
    pub kind: String,
    /// YYYY-MM-DD: the window's first day.
    #[serde(default)]
    pub start_date: String,
    /// YYYY-MM-DD: the window's last day (not before the first).
    #[serde(default)]
    pub end_date: String,
    /// GB/T 4754-2017 sections (`C`) or divisions (`C26`); empty: every industry.
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub industries: Vec<String>,
    /// Place types (`crowded_place`, `high_rise`, `self_built_house`, `group_rental`,
    /// `new_business` …); empty: every enterprise whatever its place types.
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub place_types: Vec<String>,
    /// Region codes (GB/T 2260) inside the creating office's region; empty: all of it.
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub region_codes: Vec<String>,
    /// Participating departments, by organisation code.
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub departments: Vec<String>,
}

/// A stored campaign.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct CampaignRow {
    pub id: CampaignId,
    pub name: String,
    pub kind: String,
    pub start_date: Day,
    pub end_date: Day,
    /// Comma-separated industry codes; empty: all.
    pub industries: String,
    /// Comma-separated place-type codes; empty: all.
    pub place_types: String,
    /// Comma-separated region codes; empty: the owner's whole region.
    pub region_codes: String,
    #[serde(skip)]
    pub region_paths: String,
    pub owner_org_id: OrgId,
    pub owner_name: String,
    #[serde(skip)]
    pub region_path: String,
    pub created_by: AccountId,
    pub created_at: i64,
}

/// A participating department.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct DepartmentRow {
    pub org_id: OrgId,
    pub code: String,
    pub name: String,
}

/// One enterprise of the checklist.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChecklistItem {
    pub enterprise_id: OrgId,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    pub industry: String,
    pub place_types: Vec<String>,
    /// The participating departments whose share it is (by who supervises it).
    pub departments: Vec<String>,
    /// The first day a campaign inspection covered it; none: not yet.
    pub inspected_on: Option<String>,
}

/// Coverage of one department or territory: how many of its in-scope enterprises the
/// campaign's inspections covered.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    /// Organisation code (a department) or region code (a territory).
    pub code: String,
    pub name: String,
    pub total: usize,
    pub inspected: usize,
    /// Percent, one decimal; 0 when there is nothing to inspect.
    pub percent: f64,
}

impl Coverage {
    pub fn new(code: String, name: String, total: usize, inspected: usize) -> Coverage {
        let percent = if total == 0 {
            0.0
        } else {
            ((inspected as f64) * 1000.0 / (total as f64)).round() / 10.0
        };
        Coverage {
            code,
            name,
            total,
            inspected,
            percent,
        }
    }
}
