//! Organisations and regions: types, and parsing of input into validated commands.

use anwei_rules::org::{Level, OrgKind, Sector};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{OrgId, RegionId};
use crate::web::extract::text;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub id: OrgId,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub level: String,
    pub region_id: RegionId,
    pub region_code: String,
    pub region_name: String,
    pub region_path: String,
    pub parent_id: Option<OrgId>,
    pub parent_code: Option<String>,
    pub supervises_safety: bool,
    pub sectors: String,
    pub note: String,
    pub retired_at: Option<i64>,
    pub version: i64,
}

impl OrgRow {
    /// What the pure rules need to know of the organisation (kind, level, zone, supervision
    /// duties, sectors); `None` when its kind or level is not one the rules know.
    pub fn facts(&self) -> Option<anwei_rules::supervision::OrgFacts> {
        use anwei_rules::org::{Level, OrgKind, Sector};
        Some(anwei_rules::supervision::OrgFacts {
            id: self.id.get(),
            kind: OrgKind::parse(&self.kind)?,
            level: Level::parse(&self.level)?,
            in_zone: self.region_code.contains('-'),
            supervises_safety: self.supervises_safety,
            sectors: self.sectors.split(',').filter_map(Sector::parse).collect(),
        })
    }
}

/// An organisation as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgView {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub supervises_safety: bool,
    pub sectors: Vec<String>,
    pub note: String,
    pub retired: bool,
}

impl OrgRow {
    pub fn view(&self, lang: crate::i18n::Lang) -> OrgView {
        let kind_label = OrgKind::parse(&self.kind)
            .map(|k| {
                if lang == crate::i18n::Lang::En {
                    k.name_en()
                } else {
                    k.name_zh()
                }
                .to_string()
            })
            .unwrap_or_else(|| self.kind.clone());
        OrgView {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            kind_label,
            level: self.level.clone(),
            parent_code: self.parent_code.clone(),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            supervises_safety: self.supervises_safety,
            sectors: split_codes(&self.sectors),
            note: self.note.clone(),
            retired: self.retired_at.is_some(),
        }
    }
}

pub fn split_codes(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct RegionRow {
    pub id: RegionId,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_id: Option<RegionId>,
    pub path: String,
    pub has_gb2260_code: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct NameHistory {
    pub name: String,
    pub valid_from: i64,
    pub valid_to: Option<i64>,
}

/// Input for a new organisation, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewOrgInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    pub kind: String,
    pub region_code: String,
    #[serde(default)]
    pub parent_code: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub supervises_safety: bool,
    /// Comma-separated sector codes (or a JSON list).
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct NewOrg {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: OrgKind,
    pub region_code: String,
    pub parent_code: Option<String>,
    pub supervises_safety: bool,
    pub sectors: Vec<Sector>,
    pub note: String,
}

impl NewOrgInput {
    pub fn parse(&self) -> Result<NewOrg, AppError> {
        let mut e = Vec::new();
        let code = text("code", &self.code, 40, true, &mut e);
        if !code.is_empty()
            && !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            e.push(("code".into(), Msg::new("org.code_format")));
        }
        let name = text("name", &self.name, 100, true, &mut e);
        let short_name = text("short_name", &self.short_name, 40, false, &mut e);
        let note = text("note", &self.note, 500, false, &mut e);
        let kind = OrgKind::parse(self.kind.trim());
        if kind.is_none() {
            e.push(("kind".into(), Msg::new("org.kind_unknown")));
        }
        let region_code = text("region_code", &self.region_code, 40, true, &mut e);
        let parent_code = self
            .parent_code
            .as_ref()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        let mut sectors = Vec::new();
        for s in &self.sectors {
            match Sector::parse(s.trim()) {
                Some(x) => sectors.push(x),
                None => e.push((
                    "sectors".into(),
                    Msg::new("org.sector_unknown").with("code", s),
                )),
            }
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewOrg {
            code,
            name,
            short_name,
            kind: kind.expect("checked above"),
            region_code,
            parent_code,
            supervises_safety: self.supervises_safety,
            sectors,
            note,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RenameInput {
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub level: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub supervising: bool,
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub include_retired: bool,
    /// List enterprises among the organisations (they are otherwise left to the registry).
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub include_enterprises: bool,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub fn level_label(code: &str, lang: crate::i18n::Lang) -> String {
    Level::parse(code)
        .map(|l| {
            if lang == crate::i18n::Lang::En {
                l.name_en()
            } else {
                l.name_zh()
            }
            .to_string()
        })
        .unwrap_or_else(|| code.to_string())
}

impl crate::act::Scoped for OrgRow {
    fn scope_org_id(&self) -> OrgId {
        self.id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}
