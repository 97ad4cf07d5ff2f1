//! What an accountability outcome takes and answers, and its checks against the rules.

use anwei_rules::accident::Grade;
use anwei_rules::accident::liability::{
    principal_fine_fen, principal_fine_percent, unit_fine, unit_fine_aggravated,
};
use anwei_rules::enterprise::Industry;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccidentId, AccountabilityId};

/// Who an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Person,
    Organisation,
}

impl Subject {
    pub fn code(self) -> &'static str {
        match self {
            Subject::Person => "person",
            Subject::Organisation => "organisation",
        }
    }
    fn parse(s: &str) -> Option<Subject> {
        match s.trim() {
            "person" => Some(Subject::Person),
            "organisation" => Some(Subject::Organisation),
            _ => None,
        }
    }
}

/// The outcome (问责方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 党纪处分.
    PartyDiscipline,
    /// 政务处分.
    GovernmentSanction,
    /// 撤职 (starts a five-year ban).
    Removal,
    /// 罚款 (安全生产法 第九十五条 / 第一百一十四条).
    Fine,
    /// 移送司法机关.
    CriminalReferral,
    /// 刑事处罚 (starts a five-year ban from the end of the penalty).
    Criminal,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::PartyDiscipline,
        Kind::GovernmentSanction,
        Kind::Removal,
        Kind::Fine,
        Kind::CriminalReferral,
        Kind::Criminal,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Kind::PartyDiscipline => "party_discipline",
            Kind::GovernmentSanction => "government_sanction",
            Kind::Removal => "removal",
            Kind::Fine => "fine",
            Kind::CriminalReferral => "criminal_referral",
            Kind::Criminal => "criminal",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s.trim())
    }
    /// Only a person can be disciplined or removed from post.
    fn personal(self) -> bool {
        matches!(
            self,
            Kind::PartyDiscipline | Kind::GovernmentSanction | Kind::Removal
        )
    }
}

/// `POST /api/v1/accidents/{id}/accountability`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OutcomeInput {
    /// `person` or `organisation`.
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub name: String,
    /// The person's post (职务), optional.
    #[serde(default)]
    pub position: String,
    /// A person's 公民身份号码: required for 撤职, 刑事处罚 and principal responsibility (they
    /// register a ban); stored sealed.
    #[serde(default)]
    pub id_number: String,
    /// `party_discipline`, `government_sanction`, `removal`, `fine`, `criminal_referral`,
    /// `criminal`.
    #[serde(default)]
    pub kind: String,
    /// The person bears principal responsibility (主要责任) for the accident: for a 重大 /
    /// 特别重大 accident this bans them for life in the industry.
    #[serde(default)]
    pub principal_responsibility: bool,
    /// The fine in yuan (kind `fine`): an organisation's within the range of its grade
    /// (doubled to quintupled when `aggravated`); a principal's the grade's share of
    /// `last_year_income_yuan` (computed when omitted).
    pub fine_yuan: Option<i64>,
    /// A principal's income of the last year, in yuan (kind `fine`, person).
    pub last_year_income_yuan: Option<i64>,
    /// 情节特别严重、影响特别恶劣 (安全生产法 第一百一十四条第二款).
    #[serde(default)]
    pub aggravated: bool,
    /// The decision's date (YYYY-MM-DD), not in the future.
    #[serde(default)]
    pub decided_on: String,
    /// For `criminal`: the day the penalty is fully executed (YYYY-MM-DD).
    pub penalty_ends_on: Option<String>,
    /// For principal responsibility when the accident has no industry recorded (GB/T 4754).
    pub industry: Option<String>,
    /// 文号.
    #[serde(default)]
    pub document_no: String,
    #[serde(default)]
    pub note: String,
}

/// An outcome checked against the accident's grade.
pub struct NewOutcome {
    pub subject: Subject,
    pub name: String,
    pub position: String,
    pub id_number: String,
    pub kind: Kind,
    pub principal_responsibility: bool,
    pub fine_yuan: Option<i64>,
    pub income_yuan: Option<i64>,
    pub aggravated: bool,
    pub decided_on: NaiveDate,
    pub penalty_ends_on: Option<NaiveDate>,
    pub industry: Option<Industry>,
    pub document_no: String,
    pub note: String,
}

fn text(v: &str, max: usize, field: &str, required: bool, e: &mut Vec<(String, Msg)>) -> String {
    let t = v.trim().to_string();
    if required && t.is_empty() {
        e.push((field.into(), Msg::new("accountability.required")));
    } else if t.chars().count() > max {
        e.push((
            field.into(),
            Msg::new("accountability.too_long").with("max", max),
        ));
    }
    t
}

impl OutcomeInput {
    /// Every field, against the accident's `grade` and `industry` (its code, maybe empty);
    /// `today` the server's date.
    pub fn parse(&self, grade: Grade, industry: &str, today: NaiveDate) -> AppResult<NewOutcome> {
        let mut e: Vec<(String, Msg)> = Vec::new();
        let subject = Subject::parse(&self.subject);
        if subject.is_none() {
            e.push(("subject".into(), Msg::new("accountability.subject_unknown")));
        }
        let kind = Kind::parse(&self.kind);
        match kind {
            None => e.push(("kind".into(), Msg::new("accountability.kind_unknown"))),
            Some(k) if k.personal() && subject == Some(Subject::Organisation) => {
                e.push(("kind".into(), Msg::new("accountability.kind_personal")))
            }
            _ => {}
        }
        let name = text(&self.name, 100, "name", true, &mut e);
        let position = text(&self.position, 100, "position", false, &mut e);
        let document_no = text(&self.document_no, 100, "document_no", true, &mut e);
        let note = text(&self.note, 2000, "note", false, &mut e);
        let person = subject == Some(Subject::Person);
        let bans = person
            && (matches!(kind, Some(Kind::Removal | Kind::Criminal))
                || (self.principal_responsibility && grade >= Grade::VerySerious));
        let id_number = match (person, self.id_number.trim()) {
            (false, "") => String::new(),
            (false, _) => {
                e.push((
                    "id_number".into(),
                    Msg::new("accountability.id_number_person_only"),
                ));
                String::new()
            }
            (true, "") if !bans => String::new(),
            (true, t) => crate::bans::model::id_number("id_number", t)
                .map_err(|p| e.push(p))
                .unwrap_or_default(),
        };
        if self.principal_responsibility && !person {
            e.push((
                "principal_responsibility".into(),
                Msg::new("accountability.responsibility_person_only"),
            ));
        }
        let decided_on = match crate::time::parse_date(&self.decided_on) {
            Some(d) if d <= today => Some(d),
            Some(_) => {
                e.push((
                    "decided_on".into(),
                    Msg::new("accountability.date_in_future"),
                ));
                None
            }
            None => {
                e.push(("decided_on".into(), Msg::new("bans.date_format")));
                None
            }
        };
        let penalty_ends_on = match (kind, self.penalty_ends_on.as_deref().map(str::trim)) {
            (Some(Kind::Criminal), Some(t)) if !t.is_empty() => {
                let d = crate::time::parse_date(t);
                if d.is_none() {
                    e.push(("penalty_ends_on".into(), Msg::new("bans.date_format")));
                }
                d
            }
            (Some(Kind::Criminal), _) if person => {
                e.push((
                    "penalty_ends_on".into(),
                    Msg::new("accountability.penalty_end_required"),
                ));
                None
            }
            _ => None,
        };
        let industry = match self
            .industry
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => crate::bans::model::industry("industry", t)
                .map_err(|p| e.push(p))
                .ok(),
            None => Industry::parse(industry),
        };
        if person
            && self.principal_responsibility
            && grade >= Grade::VerySerious
            && industry.is_none()
        {
            e.push((
                "industry".into(),
                Msg::new("accountability.industry_required"),
            ));
        }
        let (fine_yuan, income_yuan) = fines(self, kind, subject, grade, &mut e);
        match (subject, kind, decided_on) {
            (Some(subject), Some(kind), Some(decided_on)) if e.is_empty() => Ok(NewOutcome {
                subject,
                name,
                position,
                id_number,
                kind,
                principal_responsibility: self.principal_responsibility,
                fine_yuan,
                income_yuan,
                aggravated: self.aggravated,
                decided_on,
                penalty_ends_on,
                industry,
                document_no,
                note,
            }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// The fine against the rules: an organisation's within its grade's range (安全生产法 第一百一十四条),
/// a principal's the grade's share of last year's income (第九十五条); none for other kinds.
fn fines(
    i: &OutcomeInput,
    kind: Option<Kind>,
    subject: Option<Subject>,
    grade: Grade,
    e: &mut Vec<(String, Msg)>,
) -> (Option<i64>, Option<i64>) {
    if kind != Some(Kind::Fine) {
        if i.fine_yuan.is_some() {
            e.push((
                "fine_yuan".into(),
                Msg::new("accountability.fine_only_for_fines"),
            ));
        }
        return (None, None);
    }
    match subject {
        Some(Subject::Organisation) => {
            let range = if i.aggravated {
                unit_fine_aggravated(grade)
            } else {
                unit_fine(grade)
            };
            match i.fine_yuan {
                Some(f) if f >= 0 && range.contains(f as u64) => (Some(f), None),
                _ => {
                    let m = Msg::new("accountability.unit_fine_range")
                        .with("grade", grade.name_zh())
                        .with("min", range.min_yuan)
                        .with("max", range.max_yuan);
                    e.push(("fine_yuan".into(), m));
                    (None, None)
                }
            }
        }
        Some(Subject::Person) => {
            let Some(income) = i.last_year_income_yuan.filter(|n| *n >= 0) else {
                e.push((
                    "last_year_income_yuan".into(),
                    Msg::new("accountability.income_required"),
                ));
                return (None, None);
            };
            let due_fen = principal_fine_fen(grade, income as u64 * 100);
            let due_yuan = i64::try_from(due_fen.div_ceil(100)).unwrap_or(i64::MAX);
            match i.fine_yuan {
                None => (Some(due_yuan), Some(income)),
                Some(f) if (f * 100 - due_fen as i64).abs() < 100 => (Some(f), Some(income)),
                Some(_) => {
                    let m = Msg::new("accountability.principal_fine")
                        .with("grade", grade.name_zh())
                        .with("percent", principal_fine_percent(grade))
                        .with("due", due_yuan);
                    e.push(("fine_yuan".into(), m));
                    (None, None)
                }
            }
        }
        None => (None, None),
    }
}

/// An outcome as stored (the ID number masked only).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutcomeRow {
    pub id: AccountabilityId,
    pub accident_id: AccidentId,
    pub subject: String,
    pub name: String,
    pub position: String,
    pub id_number_masked: String,
    pub kind: String,
    pub principal_responsibility: bool,
    pub fine_yuan: Option<i64>,
    pub income_yuan: Option<i64>,
    pub aggravated: bool,
    pub decided_on: String,
    pub penalty_ends_on: Option<String>,
    pub document_no: String,
    pub note: String,
    pub created_at: i64,
    /// How many ban entries it registered.
    pub bans: i64,
}

/// An outcome as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeView {
    pub id: AccountabilityId,
    pub accident_id: AccidentId,
    /// `person` or `organisation`.
    pub subject: String,
    pub name: String,
    pub position: String,
    /// Masked; empty when none recorded.
    pub id_number_masked: String,
    pub kind: String,
    pub principal_responsibility: bool,
    pub fine_yuan: Option<i64>,
    pub last_year_income_yuan: Option<i64>,
    pub aggravated: bool,
    pub decided_on: String,
    pub penalty_ends_on: Option<String>,
    pub document_no: String,
    pub note: String,
    /// It registered a ban (撤职, 刑事处罚, or principal responsibility for a 重大 / 特别重大 accident).
    pub banned: bool,
}

impl OutcomeRow {
    pub fn view(&self) -> OutcomeView {
        OutcomeView {
            id: self.id,
            accident_id: self.accident_id,
            subject: self.subject.clone(),
            name: self.name.clone(),
            position: self.position.clone(),
            id_number_masked: self.id_number_masked.clone(),
            kind: self.kind.clone(),
            principal_responsibility: self.principal_responsibility,
            fine_yuan: self.fine_yuan,
            last_year_income_yuan: self.income_yuan,
            aggravated: self.aggravated,
            decided_on: self.decided_on.clone(),
            penalty_ends_on: self.penalty_ends_on.clone(),
            document_no: self.document_no.clone(),
            note: self.note.clone(),
            banned: self.bans > 0,
        }
    }
}
