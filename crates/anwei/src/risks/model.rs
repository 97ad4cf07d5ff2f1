//! Risk points: what is sent, what is stored, what is shown.

use anwei_rules::hazard::AccidentType;
use anwei_rules::risk::{Bands, Field, Lec, Ls, Method, RiskLevel};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccountId, OrgId, RiskPointId};
use crate::web::extract::text;

#[derive(Deserialize)]
#[serde(untagged)]
enum NumLike {
    N(f64),
    S(String),
}

/// A number from JSON or a form; a blank form field is "not given". A text that is no number
/// is kept as NaN, which the scale check refuses with the field named (a form is never lost
/// to a type error).
pub fn opt_num_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<NumLike>::deserialize(d)? {
        None => None,
        Some(NumLike::N(n)) => Some(n),
        Some(NumLike::S(s)) if s.trim().is_empty() => None,
        Some(NumLike::S(s)) => Some(s.trim().parse().unwrap_or(f64::NAN)),
    })
}

/// A risk assessment as sent: `{"method": "LEC", "l", "e", "c"}` or `{"method": "LS", "l", "s"}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AssessInput {
    /// `LEC` or `LS` (either case).
    pub method: String,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub l: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub e: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub c: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub s: Option<f64>,
}

fn off_scale(value: f64, allowed: &str) -> Msg {
    Msg::new("risk.off_scale")
        .with("value", value)
        .with("allowed", allowed.to_string())
}

/// A checked assessment: the method with its factors, the score and the level.
#[derive(Debug, Clone, Copy)]
pub struct Assessed {
    pub method: Method,
    pub score: f64,
    pub level: RiskLevel,
}

impl AssessInput {
    /// The method and its factors, each on its scale (422 naming the field otherwise), scored
    /// and graded by `bands`. Nothing the client says about the score or level counts.
    pub fn assess(&self, bands: &Bands) -> Result<Assessed, AppError> {
        let need = |name: &str, v: Option<f64>| {
            v.ok_or_else(|| AppError::field(name, Msg::new("error.required")))
        };
        let method = match self.method.trim().to_ascii_uppercase().as_str() {
            "LEC" => Method::Lec(Lec {
                l: need("l", self.l)?,
                e: need("e", self.e)?,
                c: need("c", self.c)?,
            }),
            "LS" => {
                let whole = |name: &str, v: f64| {
                    if v.fract() == 0.0 && (1.0..=5.0).contains(&v) {
                        Ok(v as u8)
                    } else {
                        Err(AppError::field(name, off_scale(v, "1, 2, 3, 4, 5")))
                    }
                };
                Method::Ls(Ls {
                    l: whole("l", need("l", self.l)?)?,
                    s: whole("s", need("s", self.s)?)?,
                })
            }
            _ => return Err(AppError::field("method", Msg::new("risk.method_unknown"))),
        };
        let a = anwei_rules::risk::assess(method, bands).map_err(|e| {
            let allowed = match e.field {
                Field::L => "10, 6, 3, 1, 0.5, 0.2, 0.1",
                Field::E => "10, 6, 3, 2, 1, 0.5",
                Field::C => "100, 40, 15, 7, 3, 1",
                Field::S => "1, 2, 3, 4, 5",
            };
            AppError::field(e.field.code(), off_scale(e.value, allowed))
        })?;
        Ok(Assessed {
            method,
            score: a.score,
            level: a.level,
        })
    }
}

/// A risk point as sent (JSON, or the same fields from the page's form). A `score` or `level`
/// sent along is ignored: the server computes both from the factors.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RiskPointInput {
    /// 风险点 / 单元: the unit, place or activity (e.g. 储罐区, 动火作业).
    pub unit: String,
    /// 危险事件 / 风险描述.
    pub hazardous_event: String,
    /// GB 6441-1986 categories (`fire`, `machinery` …): a JSON list, or comma-separated.
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub accident_types: Vec<String>,
    /// 管控措施.
    #[serde(default)]
    pub control_measures: String,
    /// 管控责任人.
    #[serde(default)]
    pub responsible_person: String,
    /// 排查周期, in days (1–366).
    #[serde(default, deserialize_with = "crate::web::forms::int_or_blank")]
    pub check_cycle_days: i64,
    /// `LEC` (with `l`, `e`, `c`) or `LS` (with `l`, `s`), either case.
    pub method: String,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub l: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub e: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub c: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub s: Option<f64>,
}

/// Changing a risk point: only the fields sent change; the assessment is computed again.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RiskPointPatch {
    pub unit: Option<String>,
    pub hazardous_event: Option<String>,
    #[serde(default, deserialize_with = "opt_list")]
    pub accident_types: Option<Vec<String>>,
    pub control_measures: Option<String>,
    pub responsible_person: Option<String>,
    pub check_cycle_days: Option<i64>,
    /// `LEC` or `LS`; the factors of the method in force are `l`, `e`, `c` / `l`, `s`.
    pub method: Option<String>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub l: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub e: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub c: Option<f64>,
    #[serde(default, deserialize_with = "opt_num_from_any")]
    pub s: Option<f64>,
}

fn opt_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    crate::web::forms::list_from_any(d).map(Some)
}

/// Retiring a risk point: why (the point stays, marked retired).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RetireInput {
    pub reason: String,
}

/// A checked risk point.
#[derive(Debug, Clone)]
pub struct NewRiskPoint {
    pub unit: String,
    pub hazardous_event: String,
    pub accident_types: Vec<AccidentType>,
    pub control_measures: String,
    pub responsible_person: String,
    pub check_cycle_days: i64,
    pub assessed: Assessed,
}

impl NewRiskPoint {
    /// The accident types as stored: their codes, comma-separated.
    pub fn accident_codes(&self) -> String {
        let codes: Vec<&str> = self.accident_types.iter().map(|t| t.code()).collect();
        codes.join(",")
    }
}

impl RiskPointInput {
    /// Checks every field; the text fields' problems are reported together, then the
    /// assessment's (which names the factor off its scale).
    pub fn parse(&self, bands: &Bands) -> Result<NewRiskPoint, AppError> {
        let mut e = Vec::new();
        let unit = text("unit", &self.unit, 200, true, &mut e);
        let hazardous_event = text("hazardous_event", &self.hazardous_event, 1000, true, &mut e);
        let control_measures = text(
            "control_measures",
            &self.control_measures,
            2000,
            false,
            &mut e,
        );
        let responsible_person = text(
            "responsible_person",
            &self.responsible_person,
            50,
            false,
            &mut e,
        );
        let mut accident_types = Vec::new();
        for code in &self.accident_types {
            match AccidentType::parse(code.trim()) {
                Some(t) if !accident_types.contains(&t) => accident_types.push(t),
                Some(_) => {}
                None => {
                    e.push((
                        "accident_types".into(),
                        Msg::new("hazards.accident_type_unknown"),
                    ));
                    break;
                }
            }
        }
        if !(1..=366).contains(&self.check_cycle_days) {
            e.push(("check_cycle_days".into(), Msg::new("risk.cycle_range")));
        }
        let assessment = AssessInput {
            method: self.method.clone(),
            l: self.l,
            e: self.e,
            c: self.c,
            s: self.s,
        };
        let assessed = match assessment.assess(bands) {
            Ok(a) => Some(a),
            Err(AppError::Validation(v)) => {
                e.extend(v);
                None
            }
            Err(other) => return Err(other),
        };
        match assessed {
            Some(assessed) if e.is_empty() => Ok(NewRiskPoint {
                unit,
                hazardous_event,
                accident_types,
                control_measures,
                responsible_person,
                check_cycle_days: self.check_cycle_days,
                assessed,
            }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// A risk point as stored, with its enterprise's name and region.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RiskPointRow {
    pub id: RiskPointId,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub region_path: String,
    pub unit: String,
    pub hazardous_event: String,
    pub accident_types: String,
    pub control_measures: String,
    pub responsible_person: String,
    pub check_cycle_days: i64,
    pub method: String,
    pub factor_l_tenths: i64,
    pub factor_e_tenths: Option<i64>,
    pub factor_c_tenths: Option<i64>,
    pub factor_s_tenths: Option<i64>,
    pub score_milli: i64,
    #[sqlx(try_from = "String")]
    pub level: RiskLevel,
    pub created_by: AccountId,
    pub created_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub retired_at: Option<i64>,
    pub retire_reason: String,
    /// 最近排查 (YYYY-MM-DD), `None` before the first check.
    pub last_checked_on: Option<String>,
    /// 下次排查 (YYYY-MM-DD): one cycle after the last check or the day it was recorded.
    pub next_check_on: String,
}

fn tenths(v: Option<i64>) -> Option<f64> {
    v.map(|t| t as f64 / 10.0)
}

impl RiskPointRow {
    /// Where the point's check cycle runs from: its last check, or the day it was recorded.
    pub fn cycle_from(&self) -> chrono::NaiveDate {
        self.last_checked_on
            .as_deref()
            .and_then(crate::time::parse_date)
            .unwrap_or_else(|| crate::time::shanghai_date(self.created_at))
    }

    /// Active, and its next check's day has passed (by the server's date).
    pub fn check_overdue(&self, today: chrono::NaiveDate) -> bool {
        self.retired_at.is_none() && self.next_check_on.as_str() < today.to_string().as_str()
    }

    /// What the point says as a form would send it (the base of a change).
    pub fn as_input(&self) -> RiskPointInput {
        RiskPointInput {
            unit: self.unit.clone(),
            hazardous_event: self.hazardous_event.clone(),
            accident_types: self.accident_codes(),
            control_measures: self.control_measures.clone(),
            responsible_person: self.responsible_person.clone(),
            check_cycle_days: self.check_cycle_days,
            method: self.method.to_uppercase(),
            l: tenths(Some(self.factor_l_tenths)),
            e: tenths(self.factor_e_tenths),
            c: tenths(self.factor_c_tenths),
            s: tenths(self.factor_s_tenths),
        }
    }

    fn accident_codes(&self) -> Vec<String> {
        self.accident_types
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    pub fn view(&self) -> RiskPointView {
        let accident_type_names = self
            .accident_codes()
            .iter()
            .filter_map(|c| AccidentType::parse(c))
            .map(|t| t.name_zh().to_string())
            .collect();
        RiskPointView {
            id: self.id,
            enterprise_id: self.enterprise_id,
            enterprise_name: self.enterprise_name.clone(),
            unit: self.unit.clone(),
            hazardous_event: self.hazardous_event.clone(),
            accident_types: self.accident_codes(),
            accident_type_names,
            control_measures: self.control_measures.clone(),
            responsible_person: self.responsible_person.clone(),
            check_cycle_days: self.check_cycle_days,
            method: self.method.to_uppercase(),
            l: self.factor_l_tenths as f64 / 10.0,
            e: tenths(self.factor_e_tenths),
            c: tenths(self.factor_c_tenths),
            s: tenths(self.factor_s_tenths),
            score: self.score_milli as f64 / 1000.0,
            level: self.level.code().to_string(),
            colour: self.level.colour().to_string(),
            created_by_name: self.created_by_name.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            retired: self.retired_at.is_some(),
            retired_at: self.retired_at,
            retire_reason: self.retire_reason.clone(),
            last_checked_on: self.last_checked_on.clone(),
            next_check_on: self.next_check_on.clone(),
            check_overdue: self.check_overdue(crate::time::today()),
        }
    }
}

/// A risk point as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskPointView {
    pub id: RiskPointId,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub unit: String,
    pub hazardous_event: String,
    /// GB 6441-1986 category codes.
    pub accident_types: Vec<String>,
    pub accident_type_names: Vec<String>,
    pub control_measures: String,
    pub responsible_person: String,
    pub check_cycle_days: i64,
    /// `LEC` or `LS`.
    pub method: String,
    pub l: f64,
    pub e: Option<f64>,
    pub c: Option<f64>,
    pub s: Option<f64>,
    /// D = L×E×C or R = L×S, computed by the server.
    pub score: f64,
    /// `major`, `high`, `general`, `low` by the configured bands.
    pub level: String,
    /// `red`, `orange`, `yellow`, `blue`.
    pub colour: String,
    pub created_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub retired: bool,
    pub retired_at: Option<i64>,
    pub retire_reason: String,
    /// 最近排查 (YYYY-MM-DD), null before the first check.
    pub last_checked_on: Option<String>,
    /// 下次排查 (YYYY-MM-DD).
    pub next_check_on: String,
    /// 排查逾期: active and `next_check_on` before today (the server's date).
    pub check_overdue: bool,
}

/// The factors of a method in tenths, as stored: L, then E, C (LEC) or S (LS).
pub struct StoredFactors {
    pub method: &'static str,
    pub l: i64,
    pub e: Option<i64>,
    pub c: Option<i64>,
    pub s: Option<i64>,
}

fn to_tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

impl Assessed {
    pub fn stored(&self) -> StoredFactors {
        match self.method {
            Method::Lec(m) => StoredFactors {
                method: "lec",
                l: to_tenths(m.l),
                e: Some(to_tenths(m.e)),
                c: Some(to_tenths(m.c)),
                s: None,
            },
            Method::Ls(m) => StoredFactors {
                method: "ls",
                l: i64::from(m.l) * 10,
                e: None,
                c: None,
                s: Some(i64::from(m.s) * 10),
            },
        }
    }

    pub fn score_milli(&self) -> i64 {
        (self.score * 1000.0).round() as i64
    }
}
