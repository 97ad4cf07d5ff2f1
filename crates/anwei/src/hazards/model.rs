//! Hazards: what is sent, what is stored, what is shown.

use anwei_rules::hazard::{AccidentType, Grade, Source, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccountId, Day, HazardId, InspectionId, OrgId};
use crate::web::extract::text;

pub use crate::review::model::DecisionInput;

/// A hazard as registered (JSON, or the same fields in a multipart form with `photos`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewHazardInput {
    /// The enterprise (its organisation id, as `GET /api/v1/enterprises` gives it). Missing
    /// (or blank in a form): refused with this field named.
    #[serde(default, deserialize_with = "crate::web::forms::int_or_blank")]
    pub enterprise_id: i64,
    /// 隐患描述.
    pub description: String,
    /// `general` (一般) or `major` (重大).
    pub grade: String,
    /// Required when `major`: the criterion it meets, e.g. `gongmao_2023/3.1`
    /// (`GET /api/v1/hazards/criteria`).
    #[serde(default)]
    pub criterion: String,
    /// YYYY-MM-DD; a general hazard without one gets the configured default
    /// (`hazards.general_deadline_days` after it was found); a major one must have one (from
    /// its 治理方案).
    #[serde(default)]
    pub deadline: String,
    /// YYYY-MM-DD, not after today; today when blank.
    #[serde(default)]
    pub found_on: String,
    /// `self_check`, `inspection`, `campaign`; blank: `self_check` for an enterprise's own
    /// account, `inspection` otherwise.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub location: String,
    /// GB 6441-1986 category (`object_strike` … `other`), or blank.
    #[serde(default)]
    pub accident_type: String,
    /// 整改责任人.
    #[serde(default)]
    pub responsible_person: String,
    /// 整改措施.
    #[serde(default)]
    pub measures: String,
    /// 整改资金, in yuan.
    #[serde(default, deserialize_with = "crate::web::forms::opt_int_from_any")]
    pub funds_yuan: Option<i64>,
    /// The inspection (检查记录) that found it, at the same enterprise; blank source then
    /// means `inspection` (`campaign` when the inspection belongs to one).
    #[serde(default, deserialize_with = "crate::web::forms::opt_int_from_any")]
    pub inspection_id: Option<i64>,
}

/// A checked new hazard.
#[derive(Debug, Clone)]
pub struct NewHazard {
    pub enterprise_id: OrgId,
    pub description: String,
    pub grade: Grade,
    pub criterion: String,
    pub deadline: NaiveDate,
    pub found_on: NaiveDate,
    pub source: Source,
    pub location: String,
    pub accident_type: Option<AccidentType>,
    pub responsible_person: String,
    pub measures: String,
    pub funds_yuan: Option<i64>,
    pub inspection_id: Option<InspectionId>,
    /// No source was sent: the default applies (set from the inspection when there is one).
    pub source_given: bool,
}

impl NewHazardInput {
    /// Checks every field against the server's `today` and the default deadline; each problem
    /// names its field, all at once.
    pub fn parse(
        &self,
        today: NaiveDate,
        default_days: u32,
        enterprise_actor: bool,
    ) -> Result<NewHazard, AppError> {
        let mut e = Vec::new();
        let description = text("description", &self.description, 2000, true, &mut e);
        let location = text("location", &self.location, 200, false, &mut e);
        let responsible_person = text(
            "responsible_person",
            &self.responsible_person,
            50,
            false,
            &mut e,
        );
        let measures = text("measures", &self.measures, 2000, false, &mut e);
        let grade = Grade::parse(self.grade.trim());
        if grade.is_none() {
            e.push(("grade".into(), Msg::new("hazards.grade_unknown")));
        }
        let criterion = self.criterion.trim().to_string();
        match grade {
            Some(Grade::Major) if criterion.is_empty() => {
                e.push(("criterion".into(), Msg::new("hazards.criterion_required")));
            }
            _ if !criterion.is_empty() && anwei_rules::hazard::criterion(&criterion).is_none() => {
                e.push(("criterion".into(), Msg::new("hazards.criterion_unknown")));
            }
            _ => {}
        }
        let source = match self.source.trim() {
            "" if enterprise_actor => Some(Source::SelfCheck),
            "" => Some(Source::Inspection),
            // Public reports arrive through their own capability, never typed in here.
            "public_report" => None,
            s => Source::parse(s),
        };
        if source.is_none() {
            e.push(("source".into(), Msg::new("hazards.source_unknown")));
        }
        let accident_type = match self.accident_type.trim() {
            "" => None,
            s => {
                let t = AccidentType::parse(s);
                if t.is_none() {
                    e.push((
                        "accident_type".into(),
                        Msg::new("hazards.accident_type_unknown"),
                    ));
                }
                t
            }
        };
        let found_on = match self.found_on.trim() {
            "" => Some(today),
            s => crate::time::parse_date(s),
        };
        match found_on {
            None => e.push(("found_on".into(), Msg::new("error.date_format"))),
            Some(d) if d > today => {
                e.push(("found_on".into(), Msg::new("hazards.found_in_future")));
            }
            _ => {}
        }
        let deadline = match (self.deadline.trim(), grade, found_on) {
            ("", Some(Grade::Major), _) => {
                e.push((
                    "deadline".into(),
                    Msg::new("hazards.deadline_required_major"),
                ));
                None
            }
            ("", _, Some(f)) => Some(f + chrono::Days::new(u64::from(default_days))),
            ("", _, None) => None,
            (s, _, _) => {
                let d = crate::time::parse_date(s);
                if d.is_none() {
                    e.push(("deadline".into(), Msg::new("error.date_format")));
                }
                d
            }
        };
        if let (Some(d), Some(f)) = (deadline, found_on)
            && d < f
        {
            e.push(("deadline".into(), Msg::new("hazards.deadline_before_found")));
        }
        if self
            .funds_yuan
            .is_some_and(|f| !(0..=10_000_000_000).contains(&f))
        {
            e.push(("funds_yuan".into(), Msg::new("hazards.funds_range")));
        }
        if !(1..=i64::from(i32::MAX)).contains(&self.enterprise_id) {
            e.push((
                "enterprise_id".into(),
                Msg::new("hazards.enterprise_unknown"),
            ));
        }
        if self.inspection_id.is_some_and(|i| i < 1) {
            e.push((
                "inspection_id".into(),
                Msg::new("inspections.unknown_inspection"),
            ));
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewHazard {
            enterprise_id: OrgId(self.enterprise_id),
            description,
            grade: grade.expect("checked"),
            criterion,
            deadline: deadline.expect("checked"),
            found_on: found_on.expect("checked"),
            source: source.expect("checked"),
            location,
            accident_type,
            responsible_person,
            measures,
            funds_yuan: self.funds_yuan,
            inspection_id: self.inspection_id.map(InspectionId),
            source_given: !self.source.trim().is_empty(),
        })
    }
}

/// A hazard with its enterprise's name and region.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HazardRow {
    pub id: HazardId,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub region_path: String,
    pub region_code: String,
    pub region_name: String,
    pub industry: String,
    #[sqlx(try_from = "String")]
    pub source: Source,
    pub description: String,
    pub location: String,
    pub accident_type: String,
    #[sqlx(try_from = "String")]
    pub grade: Grade,
    pub criterion: String,
    pub responsible_person: String,
    pub measures: String,
    pub funds_yuan: Option<i64>,
    pub found_on: Day,
    pub deadline: Day,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub reported_by: AccountId,
    pub reported_by_name: String,
    pub reported_by_org: OrgId,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub inspection_id: Option<InspectionId>,
    /// Article 十七: the earlier campaign inspection that covered the enterprise without
    /// finding a major hazard (按事故对待).
    pub unlisted_by_inspection_id: Option<InspectionId>,
}

/// A hazard as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardView {
    pub id: HazardId,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub region_code: String,
    pub region_name: String,
    pub industry: String,
    pub source: String,
    pub description: String,
    pub location: String,
    pub accident_type: String,
    /// `general` or `major`.
    pub grade: String,
    pub criterion: String,
    pub responsible_person: String,
    pub measures: String,
    pub funds_yuan: Option<i64>,
    pub found_on: String,
    pub deadline: String,
    /// `registered`, `rectifying`, `submitted`, `closed`.
    pub status: String,
    /// Past its deadline by the server's date and not closed.
    pub overdue: bool,
    pub reported_by_name: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    /// The inspection (检查记录) that found it.
    pub inspection_id: Option<InspectionId>,
    /// Article 十七: a major hazard an earlier campaign inspection missed — to be handled as an
    /// accident (按事故对待).
    pub treat_as_accident: bool,
}

impl HazardRow {
    pub fn view(&self, today: NaiveDate) -> HazardView {
        HazardView {
            id: self.id,
            enterprise_id: self.enterprise_id,
            enterprise_name: self.enterprise_name.clone(),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            industry: self.industry.clone(),
            source: self.source.code().to_string(),
            description: self.description.clone(),
            location: self.location.clone(),
            accident_type: self.accident_type.clone(),
            grade: self.grade.code().to_string(),
            criterion: self.criterion.clone(),
            responsible_person: self.responsible_person.clone(),
            measures: self.measures.clone(),
            funds_yuan: self.funds_yuan,
            found_on: self.found_on.0.to_string(),
            deadline: self.deadline.0.to_string(),
            status: self.status.code().to_string(),
            overdue: self.status.is_overdue(self.deadline.0, today),
            reported_by_name: self.reported_by_name.clone(),
            created_at: self.created_at,
            closed_at: self.closed_at,
            inspection_id: self.inspection_id,
            treat_as_accident: self.unlisted_by_inspection_id.is_some(),
        }
    }
}

/// Filters of the hazard list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HazardFilter {
    pub grade: Option<String>,
    pub status: Option<String>,
    /// A region code (GB/T 2260): hazards in it and below.
    pub region: Option<String>,
    /// A section (`C`) or a division (`C26`).
    pub industry: Option<String>,
    /// One enterprise (its organisation id).
    pub enterprise: Option<i64>,
    /// `true`: only those past their deadline and not closed.
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub overdue: bool,
    /// `treat_as_accident`: only the major hazards an earlier campaign inspection missed.
    pub flag: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Where the hazard came from (`inspection`, `public_report`, …).
    pub source: Option<String>,
}

/// A rectification submitted for acceptance (JSON `{"note"}` or multipart `note` + `files`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RectificationInput {
    /// What was done (整改情况).
    pub note: String,
}

/// Reopening a closed hazard: the office says why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReopenInput {
    pub reason: String,
}

/// One submission of the rectification, with its decision.
#[derive(Debug, Clone, Serialize)]
pub struct RectificationRow {
    pub id: crate::ids::SubmissionId,
    pub note: String,
    pub late: bool,
    pub submitted_at: i64,
    pub submitted_by_name: String,
    pub decision: Option<String>,
    pub review_comment: String,
    pub reviewed_by_name: Option<String>,
}

impl From<crate::review::model::SubmissionRow> for RectificationRow {
    fn from(s: crate::review::model::SubmissionRow) -> Self {
        RectificationRow {
            id: s.id,
            note: s.body,
            late: s.late,
            submitted_at: s.submitted_at,
            submitted_by_name: s.submitted_by_name,
            decision: s.decision.map(|d| d.code().to_string()),
            review_comment: s.review_comment,
            reviewed_by_name: s.reviewed_by_name,
        }
    }
}

/// A file: a photo taken when it was found, or evidence of a rectification.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HazardFile {
    pub id: crate::ids::FileId,
    /// The rectification it belongs to; none for a photo of the finding.
    pub submission_id: Option<crate::ids::SubmissionId>,
    pub filename: String,
    pub mime: String,
    pub size: i64,
}

impl From<crate::review::model::FileRow> for HazardFile {
    fn from(f: crate::review::model::FileRow) -> Self {
        HazardFile {
            id: f.id,
            submission_id: Some(f.submission_id),
            filename: f.filename,
            mime: f.mime,
            size: f.size,
        }
    }
}
