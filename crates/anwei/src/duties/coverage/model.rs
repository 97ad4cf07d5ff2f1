//! Types of 分片包保 coverage: the assignment as sent, the stored rows, and the view.

use serde::{Deserialize, Serialize};

use crate::ids::{OrgId, PositionId};

/// What kind of area a member covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaKind {
    /// A region of the built-in tree: a county, a zone, a township.
    Region,
    /// A sector (行业领域), one of `anwei_rules::org::Sector`.
    Sector,
}

impl AreaKind {
    pub fn parse(s: &str) -> Option<AreaKind> {
        match s {
            "region" => Some(AreaKind::Region),
            "sector" => Some(AreaKind::Sector),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            AreaKind::Region => "region",
            AreaKind::Sector => "sector",
        }
    }
}

/// The `activity.area_code` a led inspection of this area carries: the region code, or
/// `sector:<code>`.
pub fn activity_area_code(kind: &str, code: &str) -> String {
    if kind == AreaKind::Sector.code() {
        format!("sector:{code}")
    } else {
        code.to_string()
    }
}

/// `POST /api/v1/duties/coverage`: one assignment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CoverageInput {
    /// The covering position (id): a standing-committee member (`standing_member`) or the
    /// principal of a party committee in the office's scope.
    pub position: PositionId,
    /// `region` or `sector`.
    pub area_kind: String,
    /// For `region`, a region code in the office's scope (`220502`, a zone `220500-GX`); for
    /// `sector`, a sector code (`emergency`; `sector:emergency` is read the same).
    pub area_code: String,
    #[serde(default)]
    pub note: String,
}

/// `GET /api/v1/duties/coverage?quarter=2026Q4`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CoverageQuery {
    pub quarter: Option<String>,
}

/// One stored assignment, its covering position and the latest led inspection of the area
/// by that position up to the end of the quarter asked for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: i64,
    pub position_id: PositionId,
    pub area_kind: String,
    pub area_code: String,
    pub note: String,
    pub position_title: String,
    pub position_retired_at: Option<i64>,
    pub holder_name: Option<String>,
    pub org_code: String,
    pub org_name: String,
    pub last_inspection: Option<String>,
}

/// An assignment with the organisation of its position, to check the scope on removal.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnedAssignment {
    pub id: i64,
    pub position_id: PositionId,
    pub area_kind: String,
    pub area_code: String,
    pub org_id: OrgId,
}

/// A position the office may assign areas to, for the page's select.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
    pub holder_name: Option<String>,
    pub org_name: String,
}

/// One member covering an area.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoveringMember {
    /// The assignment's id (to remove it).
    pub id: i64,
    /// The covering position's id.
    pub position: PositionId,
    pub position_title: String,
    /// The current holder; none while the position is vacant.
    pub holder_name: Option<String>,
    pub org_code: String,
    pub org_name: String,
    /// True when the position has since been retired (the assignment no longer covers).
    pub position_retired: bool,
    pub note: String,
    /// The latest led inspection (or tour) of the area by this position, up to the end of
    /// the quarter: `YYYY-MM-DD`.
    pub last_inspection: Option<String>,
}

/// One assigned area and who covers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageItem {
    /// `region` or `sector`.
    pub area_kind: String,
    /// The region code, or the sector code.
    pub area_code: String,
    /// The region's name, or the sector's in the request's language.
    pub area_name: String,
    pub covered_by: Vec<CoveringMember>,
    /// The latest led inspection of the area by any of its members, up to the end of the
    /// quarter.
    pub last_inspection: Option<String>,
    /// Whether a covering member led an inspection there inside the quarter.
    pub visited_this_quarter: bool,
}

/// The coverage view of one quarter: unvisited areas first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageView {
    /// `2026Q4`.
    pub quarter: String,
    pub items: Vec<CoverageItem>,
}
