use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{Day, OrgId, PersonId, PositionId};
use crate::web::extract::text;

pub const POSITION_KINDS: &[&str] = &[
    "principal",
    "deputy",
    "standing_member",
    "office_staff",
    "liaison",
    "other",
];

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct PositionRow {
    pub id: PositionId,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    pub kind: String,
    pub title: String,
    pub sectors: String,
    pub retired_at: Option<i64>,
    pub holder_id: Option<PersonId>,
    pub holder_name: Option<String>,
    pub holder_since: Option<Day>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct PersonRow {
    pub id: PersonId,
    pub name: String,
    pub note: String,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    #[serde(skip)]
    pub region_path: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct HoldingRow {
    pub id: i64,
    pub position_id: PositionId,
    pub person_id: PersonId,
    pub person_name: String,
    pub start_date: Day,
    pub end_date: Option<Day>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewPositionInput {
    pub kind: String,
    pub title: String,
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub sectors: Vec<String>,
}

pub struct NewPosition {
    pub kind: String,
    pub title: String,
    pub sectors: Vec<String>,
}

impl NewPositionInput {
    pub fn parse(&self) -> Result<NewPosition, AppError> {
        let mut e = Vec::new();
        let kind = self.kind.trim().to_string();
        if !POSITION_KINDS.contains(&kind.as_str()) {
            e.push(("kind".into(), Msg::new("position.kind_unknown")));
        }
        let title = text("title", &self.title, 100, true, &mut e);
        let mut sectors = Vec::new();
        for s in &self.sectors {
            match anwei_rules::org::Sector::parse(s.trim()) {
                Some(x) => sectors.push(x.code().to_string()),
                None => e.push((
                    "sectors".into(),
                    Msg::new("org.sector_unknown").with("code", s),
                )),
            }
        }
        if !sectors.is_empty() && kind != "deputy" {
            e.push(("sectors".into(), Msg::new("position.sectors_only_deputy")));
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewPosition {
            kind,
            title,
            sectors,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewPersonInput {
    pub name: String,
    #[serde(default)]
    pub note: String,
    /// The organisation keeping the record; defaults to the caller's own.
    #[serde(default)]
    pub org_code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AssignInput {
    pub person_id: PersonId,
    /// YYYY-MM-DD; defaults to today (Asia/Shanghai).
    #[serde(default)]
    pub start_date: Option<String>,
}

pub fn parse_date(field: &str, v: Option<&str>) -> Result<chrono::NaiveDate, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(crate::time::today()),
        Some(s) => {
            let d = crate::time::parse_date(s)
                .ok_or_else(|| AppError::field(field, Msg::new("error.date_format")))?;
            // A term is recorded when it is decided: at most a year ahead, never in 2100.
            if d > crate::time::today() + chrono::Duration::days(366) {
                return Err(AppError::field(field, Msg::new("position.date_too_far")));
            }
            Ok(d)
        }
    }
}

impl crate::act::Scoped for PersonRow {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}
