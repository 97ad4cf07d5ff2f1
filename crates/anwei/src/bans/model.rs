//! What the ban registry takes and answers.

use anwei_rules::accident::Grade;
use anwei_rules::ban::{Ground, Penalty, Reason, Verdict};
use anwei_rules::enterprise::{Industry, id_number_valid, normalise};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::enterprises::model::code_problem;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccidentId, AccountabilityId, BanId};

/// A 公民身份号码 as sent: normalised, its check digit verified (422 naming `field`).
pub fn id_number(field: &str, text: &str) -> Result<String, (String, Msg)> {
    let n = normalise(text);
    if n.is_empty() {
        return Err((field.into(), Msg::new("bans.id_number_required")));
    }
    id_number_valid(&n).map_err(|p| (field.to_string(), code_problem(&p)))?;
    Ok(n)
}

/// An industry code (GB/T 4754, a section or a division) as sent (422 naming `field`).
pub fn industry(field: &str, text: &str) -> Result<Industry, (String, Msg)> {
    match text.trim() {
        "" => Err((field.into(), Msg::new("bans.industry_required"))),
        t => Industry::parse(&t.to_uppercase())
            .ok_or_else(|| (field.to_string(), Msg::new("bans.industry_unknown"))),
    }
}

/// `POST /api/v1/bans/check`: may this person be the principal of a unit in this industry?
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BanCheckInput {
    /// 公民身份号码 (18 characters, check digit verified).
    #[serde(default)]
    pub id_number: String,
    /// The unit's industry: GB/T 4754-2017 section (`C`) or division (`C26`).
    #[serde(default)]
    pub industry: String,
}

impl BanCheckInput {
    pub fn parse(&self) -> AppResult<(String, Industry)> {
        let id = id_number("id_number", &self.id_number);
        let ind = industry("industry", &self.industry);
        match (id, ind) {
            (Ok(i), Ok(n)) => Ok((i, n)),
            (a, b) => Err(AppError::Validation(
                [a.err(), b.err()].into_iter().flatten().collect(),
            )),
        }
    }
}

/// The answer of a check.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BanCheckView {
    pub banned: bool,
    /// The last banned day of a five-year ban; null when not banned or banned for life.
    pub until: Option<NaiveDate>,
    /// Why, in the caller's language (安全生产法 第九十四条); null when not banned.
    pub reason: Option<String>,
    /// `ban.five_years` or `ban.lifetime`; null when not banned.
    pub reason_code: Option<String>,
}

impl BanCheckView {
    pub fn new(v: &Verdict, lang: crate::i18n::Lang) -> BanCheckView {
        BanCheckView {
            banned: v.banned,
            until: v.until,
            reason: v.reason.as_ref().map(|r| reason_msg(r).render(lang)),
            reason_code: v.reason.as_ref().map(|r| r.key().to_string()),
        }
    }
}

/// Why a person is banned, as a message (both languages).
pub fn reason_msg(r: &Reason) -> Msg {
    match r {
        Reason::FiveYears {
            penalty,
            from,
            until,
        } => Msg::new(match penalty {
            Penalty::Removal => "bans.reason_removal",
            Penalty::Criminal => "bans.reason_criminal",
        })
        .with("from", from)
        .with("until", until),
        Reason::Lifetime { grade, industry } => Msg::new(match grade {
            Grade::ExtremelySerious => "bans.reason_lifetime_extremely_serious",
            _ => "bans.reason_lifetime_very_serious",
        })
        .with(
            "industry",
            format!("{} {}", industry.code(), industry.name_zh()),
        ),
    }
}

/// What starts an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BanGround {
    Removal,
    Criminal,
    Responsibility,
}

impl BanGround {
    pub fn code(self) -> &'static str {
        match self {
            BanGround::Removal => "removal",
            BanGround::Criminal => "criminal",
            BanGround::Responsibility => "responsibility",
        }
    }
    pub fn parse(s: &str) -> Option<BanGround> {
        [
            BanGround::Removal,
            BanGround::Criminal,
            BanGround::Responsibility,
        ]
        .into_iter()
        .find(|g| g.code() == s.trim())
    }
}

/// An entry to register (from an accountability outcome, or by hand).
pub struct NewBan {
    /// Normalised and valid.
    pub id_number: String,
    pub name: String,
    pub ground: Ground,
    pub accountability_id: Option<AccountabilityId>,
    pub document_no: String,
}

/// `POST /api/v1/bans`: an entry by hand (the city's office), with its document number.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewBanInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    /// `removal` (撤职处分), `criminal` (刑事处罚) or `responsibility` (重大 / 特别重大事故负有责任).
    #[serde(default)]
    pub ground: String,
    /// For `removal`: the day of the decision; for `criminal`: the day the penalty was fully
    /// executed (YYYY-MM-DD). Ignored for `responsibility`.
    #[serde(default)]
    pub starts_on: String,
    /// For `responsibility`: `very_serious` or `extremely_serious`.
    #[serde(default)]
    pub grade: String,
    /// For `responsibility`: the accident's industry (GB/T 4754).
    #[serde(default)]
    pub industry: String,
    /// 文号 of the decision.
    #[serde(default)]
    pub document_no: String,
}

impl NewBanInput {
    pub fn parse(&self) -> AppResult<NewBan> {
        let mut e: Vec<(String, Msg)> = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 50 {
            e.push(("name".into(), Msg::new("bans.name_required")));
        }
        let id = id_number("id_number", &self.id_number).map_err(|p| e.push(p));
        let document_no = self.document_no.trim().to_string();
        if document_no.is_empty() || document_no.chars().count() > 100 {
            e.push(("document_no".into(), Msg::new("bans.document_no_required")));
        }
        let ground = match BanGround::parse(&self.ground) {
            Some(BanGround::Responsibility) => {
                let grade = match Grade::parse(self.grade.trim()) {
                    Some(g) if g >= Grade::VerySerious => Some(g),
                    _ => {
                        e.push(("grade".into(), Msg::new("bans.grade_too_low")));
                        None
                    }
                };
                let ind = industry("industry", &self.industry).map_err(|p| e.push(p));
                grade
                    .zip(ind.ok())
                    .map(|(grade, industry)| Ground::Responsibility { grade, industry })
            }
            Some(g) => {
                let penalty = if g == BanGround::Removal {
                    Penalty::Removal
                } else {
                    Penalty::Criminal
                };
                match crate::time::parse_date(&self.starts_on) {
                    Some(from) => Some(Ground::Penalty { penalty, from }),
                    None => {
                        e.push(("starts_on".into(), Msg::new("bans.date_format")));
                        None
                    }
                }
            }
            None => {
                e.push(("ground".into(), Msg::new("bans.ground_unknown")));
                None
            }
        };
        match (id, ground) {
            (Ok(id_number), Some(ground)) if e.is_empty() => Ok(NewBan {
                id_number,
                name,
                ground,
                accountability_id: None,
                document_no,
            }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// `GET /api/v1/bans`: by exact ID number (blind index) or by name.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BanFilter {
    pub id_number: Option<String>,
    pub name: Option<String>,
}

/// An entry as stored (the ID number masked; sealed and indexed columns not read).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BanRow {
    pub id: BanId,
    pub id_number_masked: String,
    pub name: String,
    pub ground: String,
    pub grade: String,
    pub industry: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub accountability_id: Option<AccountabilityId>,
    pub accident_id: Option<AccidentId>,
    pub document_no: String,
    pub created_at: i64,
}

impl BanRow {
    /// The rules' ground of this entry (None when the stored values are not understood).
    pub fn ground(&self) -> Option<Ground> {
        match BanGround::parse(&self.ground)? {
            BanGround::Responsibility => Some(Ground::Responsibility {
                grade: Grade::parse(&self.grade)?,
                industry: Industry::parse(&self.industry)?,
            }),
            g => Some(Ground::Penalty {
                penalty: if g == BanGround::Removal {
                    Penalty::Removal
                } else {
                    Penalty::Criminal
                },
                from: crate::time::parse_date(&self.starts_on)?,
            }),
        }
    }

    pub fn view(&self, today: NaiveDate) -> BanView {
        let active = match self.ends_on.as_deref().and_then(crate::time::parse_date) {
            Some(end) => today <= end,
            None => true,
        };
        BanView {
            id: self.id,
            name: self.name.clone(),
            id_number_masked: self.id_number_masked.clone(),
            ground: self.ground.clone(),
            grade: (!self.grade.is_empty()).then(|| self.grade.clone()),
            industry: (!self.industry.is_empty()).then(|| self.industry.clone()),
            starts_on: self.starts_on.clone(),
            until: self.ends_on.clone(),
            lifetime: self.ends_on.is_none(),
            active,
            accountability_id: self.accountability_id,
            accident_id: self.accident_id,
            document_no: self.document_no.clone(),
        }
    }
}

/// An entry as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BanView {
    pub id: BanId,
    pub name: String,
    /// Masked (`220502********1234`); the full number is never answered.
    pub id_number_masked: String,
    /// `removal`, `criminal` or `responsibility`.
    pub ground: String,
    pub grade: Option<String>,
    pub industry: Option<String>,
    pub starts_on: String,
    /// The last banned day; null for a lifetime ban.
    pub until: Option<String>,
    pub lifetime: bool,
    /// Still in force today (server date).
    pub active: bool,
    /// The accountability outcome it came from; null for a manual entry.
    pub accountability_id: Option<AccountabilityId>,
    pub accident_id: Option<AccidentId>,
    pub document_no: String,
}
