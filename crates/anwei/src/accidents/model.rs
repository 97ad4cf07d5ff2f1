//! Accidents: what is sent and what is stored (what is shown: `views.rs`).

use anwei_rules::accident::{Casualties, Category, Grade};
use anwei_rules::enterprise::Industry;
use anwei_rules::hazard::AccidentType;
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccidentId, AccountId, OrgId};
use crate::web::extract::text;

/// The most persons a count may hold: more is a typing error, not an accident.
pub const MAX_PERSONS: i64 = 100_000;
/// The largest direct loss accepted, in yuan (one trillion).
pub const MAX_LOSS_YUAN: i64 = 1_000_000_000_000;

/// An accident as first reported (条例 第十二条). A `grade` sent by the client is ignored: the
/// grade is computed from the figures.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AccidentInput {
    /// When it happened: RFC 3339 with an offset (`2026-06-01T08:30:00+08:00`); not in the
    /// future by the server's clock.
    #[serde(default)]
    pub occurred_at: String,
    /// GB/T 2260 code of the territory where it happened, in the caller's scope (`220502`).
    #[serde(default)]
    pub region_code: String,
    /// The registered enterprise, when it is one (its organisation id); an enterprise's own
    /// account files for itself when this is left out.
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// 事故发生单位: required unless `enterprise_id` names it.
    #[serde(default)]
    pub unit_name: String,
    /// GB 6441-1986 category (`object_strike` … `other`).
    #[serde(default, rename = "type")]
    pub accident_type: String,
    /// `road_traffic`, `fire` or `other` (blank: `other`): decides the supplementary window.
    #[serde(default)]
    pub category: String,
    /// GB/T 4754-2017 industry (`C` or `C26`); blank: the enterprise's.
    #[serde(default)]
    pub industry: String,
    /// 地点及现场情况.
    #[serde(default)]
    pub location: String,
    /// 死亡人数.
    #[serde(default)]
    pub deaths: Option<i64>,
    /// 重伤人数（含急性工业中毒）.
    #[serde(default)]
    pub serious_injuries: Option<i64>,
    /// 下落不明人数.
    #[serde(default)]
    pub missing: Option<i64>,
    /// 初步估计的直接经济损失, whole yuan (a number, never text).
    #[serde(default)]
    pub direct_loss_yuan: Option<i64>,
    /// 事故的简要经过.
    #[serde(default)]
    pub summary: String,
    /// 已经采取的措施.
    #[serde(default)]
    pub measures: String,
    /// 其他应当报告的情况.
    #[serde(default)]
    pub other: String,
}

/// A supplementary report (补报/续报): the figures as they now stand and the narrative.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct UpdateInput {
    #[serde(default)]
    pub deaths: Option<i64>,
    #[serde(default)]
    pub serious_injuries: Option<i64>,
    #[serde(default)]
    pub missing: Option<i64>,
    #[serde(default)]
    pub direct_loss_yuan: Option<i64>,
    /// What changed; blank: the previous version's summary is kept.
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub other: String,
}

/// Checked figures and narrative of one version.
#[derive(Debug, Clone)]
pub struct Figures {
    pub casualties: Casualties,
    pub summary: String,
    pub measures: String,
    pub other: String,
}

/// A checked new accident.
#[derive(Debug, Clone)]
pub struct NewAccident {
    pub occurred_at_ms: i64,
    pub region_code: String,
    pub enterprise_id: Option<OrgId>,
    pub unit_name: String,
    pub accident_type: AccidentType,
    pub category: Category,
    pub industry: Option<Industry>,
    pub location: String,
    pub figures: Figures,
}

/// The four figures of 第十二条（四）, as their fields are named everywhere.
pub const FIGURE_FIELDS: [&str; 4] = ["deaths", "serious_injuries", "missing", "direct_loss_yuan"];

/// One figure (`i` in [`FIGURE_FIELDS`]) as given: in range (persons 0–100,000, the loss in
/// whole yuan 0–10^12) or the range message on its field; `None` when not given (or out of
/// range). Accidents and concealment cases both read their figures through here.
pub fn figure(i: usize, v: Option<i64>, e: &mut Vec<(String, Msg)>) -> Option<i64> {
    let (max, key) = if i == 3 {
        (MAX_LOSS_YUAN, "accidents.loss_range")
    } else {
        (MAX_PERSONS, "accidents.count_range")
    };
    match v {
        Some(n) if !(0..=max).contains(&n) => {
            e.push((FIGURE_FIELDS[i].into(), Msg::new(key)));
            None
        }
        v => v,
    }
}

/// The four figures, all required ([`figure`] each; a missing one is `error.required` on its
/// field): the casualties to grade.
pub fn parse_casualties(d: [Option<i64>; 4], e: &mut Vec<(String, Msg)>) -> Casualties {
    let mut c = [0u64; 4];
    for (i, (v, slot)) in d.into_iter().zip(c.iter_mut()).enumerate() {
        match (v, figure(i, v, e)) {
            (None, _) => e.push((FIGURE_FIELDS[i].into(), Msg::new("error.required"))),
            (_, Some(n)) => *slot = n.unsigned_abs(),
            _ => {}
        }
    }
    Casualties {
        deaths: u32::try_from(c[0]).unwrap_or(u32::MAX),
        serious_injuries: u32::try_from(c[1]).unwrap_or(u32::MAX),
        missing: u32::try_from(c[2]).unwrap_or(u32::MAX),
        direct_loss_yuan: c[3],
    }
}

/// Checks the figures (all required, non-negative and bounded) and the narrative.
fn figures(
    d: [Option<i64>; 4],
    summary: &str,
    summary_required: bool,
    measures: &str,
    other: &str,
    e: &mut Vec<(String, Msg)>,
) -> Figures {
    Figures {
        casualties: parse_casualties(d, e),
        summary: text("summary", summary, 4000, summary_required, e),
        measures: text("measures", measures, 4000, false, e),
        other: text("other", other, 4000, false, e),
    }
}

/// Reads an instant: RFC 3339 with an offset, in 1900–2999.
pub fn parse_instant(s: &str) -> Option<i64> {
    use chrono::Datelike;
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .filter(|t| (1900..=2999).contains(&t.year()))
        .map(|t| t.timestamp_millis())
}

impl AccidentInput {
    /// Checks every field against the server's clock (`now_ms`); each problem names its field,
    /// all at once. `own`: the enterprise an enterprise account files for when `enterprise_id`
    /// is left out. The region and the enterprise are checked by the service.
    pub fn parse(&self, now_ms: i64, own: Option<OrgId>) -> Result<NewAccident, AppError> {
        let mut e = Vec::new();
        let occurred_at_ms = parse_instant(&self.occurred_at);
        match occurred_at_ms {
            None => e.push((
                "occurred_at".into(),
                Msg::new("accidents.occurred_at_format"),
            )),
            Some(t) if t > now_ms => e.push((
                "occurred_at".into(),
                Msg::new("accidents.occurred_in_future"),
            )),
            Some(_) => {}
        }
        let region_code = text("region_code", &self.region_code, 20, true, &mut e);
        let enterprise_id = self.enterprise_id.map(OrgId).or(own);
        if enterprise_id.is_some_and(|id| !(1..=i64::from(i32::MAX)).contains(&id.0)) {
            e.push((
                "enterprise_id".into(),
                Msg::new("accidents.enterprise_unknown"),
            ));
        }
        let unit_name = text(
            "unit_name",
            &self.unit_name,
            200,
            enterprise_id.is_none(),
            &mut e,
        );
        let accident_type = AccidentType::parse(self.accident_type.trim());
        if accident_type.is_none() {
            e.push(("type".into(), Msg::new("accidents.type_unknown")));
        }
        let category = match self.category.trim() {
            "" => Some(Category::Other),
            c => Category::parse(c),
        };
        if category.is_none() {
            e.push(("category".into(), Msg::new("accidents.category_unknown")));
        }
        let industry = match self.industry.trim() {
            "" => None,
            s => {
                let i = Industry::parse(&s.to_ascii_uppercase());
                if i.is_none() {
                    e.push(("industry".into(), Msg::new("accidents.industry_unknown")));
                }
                i
            }
        };
        let location = text("location", &self.location, 500, false, &mut e);
        let d = [
            self.deaths,
            self.serious_injuries,
            self.missing,
            self.direct_loss_yuan,
        ];
        let figures = figures(d, &self.summary, true, &self.measures, &self.other, &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewAccident {
            occurred_at_ms: occurred_at_ms.expect("checked"),
            region_code,
            enterprise_id,
            unit_name,
            accident_type: accident_type.expect("checked"),
            category: category.expect("checked"),
            industry,
            location,
            figures,
        })
    }
}

impl UpdateInput {
    /// Checks the figures; a blank summary is allowed (the previous one is kept).
    pub fn parse(&self) -> Result<Figures, AppError> {
        let mut e = Vec::new();
        let d = [
            self.deaths,
            self.serious_injuries,
            self.missing,
            self.direct_loss_yuan,
        ];
        let f = figures(d, &self.summary, false, &self.measures, &self.other, &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(f)
    }
}

/// An accident with its latest version's figures.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccidentRow {
    pub id: AccidentId,
    pub region_code: String,
    pub region_name: String,
    pub region_path: String,
    pub enterprise_id: Option<OrgId>,
    pub unit_name: String,
    pub industry: String,
    pub accident_type: String,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub occurred_at: i64,
    pub location: String,
    pub version: i64,
    #[sqlx(try_from = "String")]
    pub grade: Grade,
    pub criterion: String,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
    pub summary: String,
    pub measures: String,
    pub other: String,
    pub reported_by: AccountId,
    pub reported_by_org: OrgId,
    pub reported_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One version as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub missing: i64,
    pub direct_loss_yuan: i64,
    pub summary: String,
    pub measures: String,
    pub other: String,
    #[sqlx(try_from = "String")]
    pub grade: Grade,
    pub criterion: String,
    pub reported_by_name: String,
    pub created_at: i64,
}

impl AccidentRow {
    /// The day it happened, in UTC+8.
    pub fn occurred_on(&self) -> NaiveDate {
        crate::time::shanghai_date(self.occurred_at)
    }

    pub fn casualties(&self) -> Casualties {
        casualties(
            self.deaths,
            self.serious_injuries,
            self.missing,
            self.direct_loss_yuan,
        )
    }
}

/// Stored counts back as the rules' figures (the store holds what `parse` checked).
pub fn casualties(deaths: i64, injuries: i64, missing: i64, loss: i64) -> Casualties {
    let persons = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Casualties {
        deaths: persons(deaths),
        serious_injuries: persons(injuries),
        missing: persons(missing),
        direct_loss_yuan: u64::try_from(loss).unwrap_or(0),
    }
}

/// A line of the accident list: the accident as it stands and how many of its open hops are
/// past their limit.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    #[sqlx(flatten)]
    pub accident: AccidentRow,
    pub open_late: i64,
}
