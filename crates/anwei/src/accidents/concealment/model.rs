//! Concealment cases: what is sent, what is stored and what is answered.

use anwei_rules::accident::Casualties;
use anwei_rules::hazard::AccidentType;
use serde::{Deserialize, Serialize};

use crate::accidents::model::{figure, parse_casualties, parse_instant};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccidentId, AccountId, OrgId, ReportId};
use crate::web::extract::text;

/// Where a lead came from.
pub const SOURCES: [&str; 6] = [
    "public_report",
    "hospital",
    "police",
    "insurer",
    "inspection",
    "other",
];

/// The six contents of 条例 第十二条, in its order: (一) the unit, (二) time, place and scene,
/// (三) the brief course, (四) casualties and loss, (五) measures taken, (六) other.
pub const CONTENTS: [&str; 6] = [
    "unit",
    "time_place",
    "course",
    "casualties",
    "measures",
    "other",
];

/// What verification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 瞒报: not reported at all.
    Concealed,
    /// 谎报: reported with figures better than the truth.
    Falsified,
    /// 漏报: reported without required contents.
    Omitted,
    /// 不属实.
    Unfounded,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Concealed,
        Outcome::Falsified,
        Outcome::Omitted,
        Outcome::Unfounded,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Concealed => "concealed",
            Outcome::Falsified => "falsified",
            Outcome::Omitted => "omitted",
            Outcome::Unfounded => "unfounded",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == s)
    }
}

/// `POST /api/v1/concealment-cases`: a lead that an accident was concealed or misreported.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ConcealmentCaseInput {
    /// `public_report`, `hospital`, `police`, `insurer`, `inspection` or `other`.
    #[serde(default)]
    pub source: String,
    /// Who or what gave the lead, in free text.
    #[serde(default)]
    pub source_note: String,
    /// GB/T 2260 code of the territory, in the caller's scope; blank: the named accident's.
    #[serde(default)]
    pub region_code: String,
    /// The unit the lead names; blank: the enterprise's (or the accident's).
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// Approximately when (RFC 3339 with an offset; not in the future); blank with an
    /// `accident_id`: the accident's time.
    #[serde(default)]
    pub occurred_at: String,
    /// What is alleged.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub deaths: Option<i64>,
    #[serde(default)]
    pub serious_injuries: Option<i64>,
    #[serde(default)]
    pub missing: Option<i64>,
    #[serde(default)]
    pub direct_loss_yuan: Option<i64>,
    /// The existing accident the lead says was reported falsely or incompletely.
    #[serde(default)]
    pub accident_id: Option<i64>,
}

/// A checked lead.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub source: &'static str,
    pub source_note: String,
    pub region_code: String,
    pub unit_name: String,
    pub enterprise_id: Option<OrgId>,
    pub occurred_at_ms: Option<i64>,
    pub description: String,
    pub alleged: [Option<i64>; 4],
    pub accident_id: Option<AccidentId>,
}

fn id_in_range(field: &str, v: Option<i64>, key: &'static str, e: &mut Vec<(String, Msg)>) {
    if v.is_some_and(|id| !(1..=i64::from(i32::MAX)).contains(&id)) {
        e.push((field.into(), Msg::new(key)));
    }
}

impl ConcealmentCaseInput {
    /// Checks every field against the server's clock; each problem names its field.
    pub fn parse(&self, now_ms: i64) -> Result<NewCase, AppError> {
        let mut e = Vec::new();
        let source = SOURCES.into_iter().find(|s| *s == self.source.trim());
        if source.is_none() {
            e.push(("source".into(), Msg::new("concealment.source_unknown")));
        }
        let source_note = text("source_note", &self.source_note, 500, false, &mut e);
        let named = self.accident_id.is_some();
        let region_code = text("region_code", &self.region_code, 20, !named, &mut e);
        let needs_unit = self.enterprise_id.is_none() && !named;
        let unit_name = text("unit_name", &self.unit_name, 200, needs_unit, &mut e);
        id_in_range(
            "enterprise_id",
            self.enterprise_id,
            "accidents.enterprise_unknown",
            &mut e,
        );
        id_in_range(
            "accident_id",
            self.accident_id,
            "concealment.accident_unknown",
            &mut e,
        );
        let occurred_at_ms = match (self.occurred_at.trim(), named) {
            ("", true) => None,
            (s, _) => match parse_instant(s) {
                None => {
                    e.push((
                        "occurred_at".into(),
                        Msg::new("accidents.occurred_at_format"),
                    ));
                    None
                }
                Some(t) if t > now_ms => {
                    e.push((
                        "occurred_at".into(),
                        Msg::new("accidents.occurred_in_future"),
                    ));
                    None
                }
                t => t,
            },
        };
        let description = text("description", &self.description, 4000, true, &mut e);
        let d = [
            self.deaths,
            self.serious_injuries,
            self.missing,
            self.direct_loss_yuan,
        ];
        let alleged = [0, 1, 2, 3].map(|i| figure(i, d[i], &mut e));
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewCase {
            source: source.expect("checked"),
            source_note,
            region_code,
            unit_name,
            enterprise_id: self.enterprise_id.map(OrgId),
            occurred_at_ms,
            description,
            alleged,
            accident_id: self.accident_id.map(AccidentId),
        })
    }
}

/// `POST /api/v1/concealment-cases/{id}/verify`: what the supervising office found.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ConcealmentVerifyInput {
    /// `concealed` (瞒报), `falsified` (谎报), `omitted` (漏报) or `unfounded` (不属实).
    #[serde(default)]
    pub outcome: String,
    /// The verified figures: required for `concealed` and `falsified`.
    #[serde(default)]
    pub deaths: Option<i64>,
    #[serde(default)]
    pub serious_injuries: Option<i64>,
    #[serde(default)]
    pub missing: Option<i64>,
    #[serde(default)]
    pub direct_loss_yuan: Option<i64>,
    /// GB 6441 category of the concealed accident (`concealed` only).
    #[serde(default, rename = "type")]
    pub accident_type: String,
    /// `road_traffic`, `fire` or `other` (`concealed` only; blank: `other`).
    #[serde(default)]
    pub category: String,
    /// Where it happened (`concealed` only).
    #[serde(default)]
    pub location: String,
    /// For `omitted`: which contents of 第十二条 were missing (`unit`, `time_place`, `course`,
    /// `casualties`, `measures`, `other`).
    #[serde(default)]
    pub missing_contents: Vec<String>,
    /// What verification found (for `unfounded`, the reason).
    #[serde(default)]
    pub note: String,
}

/// A checked verification.
#[derive(Debug, Clone)]
pub struct Verification {
    pub outcome: Outcome,
    pub casualties: Option<Casualties>,
    pub accident_type: String,
    pub category: String,
    pub location: String,
    pub missing_contents: Vec<&'static str>,
    pub note: String,
}

impl ConcealmentVerifyInput {
    pub fn parse(&self) -> Result<Verification, AppError> {
        let mut e = Vec::new();
        let outcome = Outcome::parse(self.outcome.trim());
        if outcome.is_none() {
            e.push(("outcome".into(), Msg::new("concealment.outcome_unknown")));
        }
        let note = text("note", &self.note, 2000, true, &mut e);
        let location = text("location", &self.location, 500, false, &mut e);
        let with_figures = matches!(outcome, Some(Outcome::Concealed | Outcome::Falsified));
        let d = [
            self.deaths,
            self.serious_injuries,
            self.missing,
            self.direct_loss_yuan,
        ];
        let casualties = with_figures.then(|| parse_casualties(d, &mut e));
        if outcome == Some(Outcome::Concealed)
            && AccidentType::parse(self.accident_type.trim()).is_none()
        {
            e.push(("type".into(), Msg::new("accidents.type_unknown")));
        }
        let mut missing_contents = Vec::new();
        if outcome == Some(Outcome::Omitted) {
            for m in &self.missing_contents {
                match CONTENTS.into_iter().find(|c| *c == m.trim()) {
                    Some(c) if !missing_contents.contains(&c) => missing_contents.push(c),
                    Some(_) => {}
                    None => {
                        e.push((
                            "missing_contents".into(),
                            Msg::new("concealment.content_unknown"),
                        ));
                        break;
                    }
                }
            }
            if missing_contents.is_empty() && self.missing_contents.is_empty() {
                e.push(("missing_contents".into(), Msg::new("error.required")));
            }
        }
        let Some(outcome) = outcome.filter(|_| e.is_empty()) else {
            return Err(AppError::Validation(e));
        };
        missing_contents.sort_by_key(|c| CONTENTS.iter().position(|x| x == c));
        Ok(Verification {
            outcome,
            casualties,
            accident_type: self.accident_type.trim().to_string(),
            category: self.category.trim().to_string(),
            location,
            missing_contents,
            note,
        })
    }
}

/// A case as stored, with its territory's names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub region_path: String,
    pub supervising_path: String,
    pub supervising_name: Option<String>,
    pub source: String,
    pub source_note: String,
    pub unit_name: String,
    pub enterprise_id: Option<OrgId>,
    pub occurred_at: i64,
    pub description: String,
    pub alleged_deaths: Option<i64>,
    pub alleged_serious_injuries: Option<i64>,
    pub alleged_missing: Option<i64>,
    pub alleged_direct_loss_yuan: Option<i64>,
    pub accident_id: Option<AccidentId>,
    pub report_id: Option<ReportId>,
    pub status: String,
    pub outcome: Option<String>,
    pub verified_deaths: Option<i64>,
    pub verified_serious_injuries: Option<i64>,
    pub verified_missing: Option<i64>,
    pub verified_direct_loss_yuan: Option<i64>,
    pub verified_grade: Option<String>,
    pub concealed_deaths: Option<i64>,
    pub missing_contents: String,
    pub verify_note: String,
    pub result_accident_id: Option<AccidentId>,
    pub opened_by: AccountId,
    pub opened_by_org: OrgId,
    pub opened_by_name: String,
    pub verified_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}
