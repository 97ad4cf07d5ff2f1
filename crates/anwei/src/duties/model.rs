//! Types of recurring duties: activity records (履职记录), 抄报 deliveries, sensitive periods
//! and compliance rows.

use anwei_rules::duties::ActivityKind;
use serde::{Deserialize, Serialize};

use crate::ids::{
    AccountId, ActivityId, Day, FileId, OrgId, PeriodId, PersonId, PositionId, RuleId,
};

/// `POST /api/v1/activities`: one activity record, as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewActivityInput {
    /// The organisation whose duty this is (its code).
    #[serde(default)]
    pub org_code: String,
    /// One of the activity kinds: study, standing_committee_meeting, executive_meeting,
    /// special_meeting, sector_meeting, led_inspection, report_to_principal, tour.
    #[serde(default)]
    pub kind: String,
    /// YYYY-MM-DD, not in the future (Asia/Shanghai).
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    /// The position (id) of the leader who led it; must belong to the organisation.
    #[serde(default)]
    pub led_by_position: Option<PositionId>,
    /// The person (id) who led it; defaults to the position's current holder.
    #[serde(default)]
    pub led_by_person: Option<PersonId>,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub places: String,
    #[serde(default)]
    pub findings: String,
    /// 分片包保: where a led inspection went — a region code (county, zone) or
    /// `sector:<code>`; empty when not about an area.
    #[serde(default)]
    pub area_code: String,
}

/// `PATCH /api/v1/activities/{id}`: the fields to correct (absent ones keep their value).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ActivityPatch {
    pub kind: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    /// Absent: unchanged; `null`: no leading position; an id: that position.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub led_by_position: Option<Option<PositionId>>,
    pub participants: Option<String>,
    pub topics: Option<String>,
    pub places: Option<String>,
    pub findings: Option<String>,
    pub area_code: Option<String>,
    /// Why the record is corrected (kept in the audit log); required of the office after the
    /// author's window.
    #[serde(default)]
    pub reason: String,
}

/// A field that may be absent (`None`), `null` (`Some(None)`) or a value.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<PositionId>>, D::Error> {
    Option::<PositionId>::deserialize(d).map(Some)
}

/// A stored activity record.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct ActivityRow {
    pub id: ActivityId,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    #[serde(skip)]
    pub region_path: String,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub kind: ActivityKind,
    pub date: Day,
    pub title: String,
    pub led_by_position_id: Option<PositionId>,
    pub position_title: Option<String>,
    pub led_by_person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub participants: String,
    pub topics: String,
    pub places: String,
    pub findings: String,
    pub area_code: String,
    pub evidence_count: i64,
    pub created_by: AccountId,
    pub created_at: i64,
    pub updated_at: i64,
    pub entered_late: bool,
    pub accepted_late: bool,
    pub accepted_reason: String,
    /// 带队检查 from the inspection register: the inspection that is this record's evidence.
    pub inspection_id: Option<crate::ids::InspectionId>,
}

/// 抄报: minutes delivered to an upper committee office.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct DeliveryRow {
    pub to_org_code: String,
    pub to_org_name: String,
    pub delivered_at: i64,
}

/// `GET /api/v1/activities` filters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityFilter {
    pub org: Option<String>,
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// At most this many (1–1,000; default 1,000).
    pub limit: Option<i64>,
}

/// `GET /api/v1/duties/compliance` query.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ComplianceQuery {
    pub period: Option<String>,
    pub org: Option<String>,
}

/// One window of an assessment (the rule's period, or a sensitive period's sub-window).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WindowView {
    pub start: String,
    pub end: String,
    pub required: u32,
    pub done: u32,
    pub late: u32,
    pub status: String,
    /// The sensitive period's name when the window comes from a tightening.
    pub sensitive: Option<String>,
}

/// One holder × rule × period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceItem {
    pub org_code: String,
    pub org_name: String,
    /// The position (id) the rule binds; null for organisation-bound rules.
    pub position: Option<PositionId>,
    pub position_title: Option<String>,
    pub holder_name: Option<String>,
    /// The person (id) holding the position now, for the scorecard.
    pub holder_id: Option<PersonId>,
    /// For a tour rule (tasks 4 and 16): the lower-level body this item is about (its code and
    /// name); each must be toured in the year. Null for every other rule.
    pub toured_code: Option<String>,
    pub toured_name: Option<String>,
    pub rule: String,
    pub rule_title: String,
    /// The rule's periods evaluated (one, or several when the requested period is coarser).
    pub periods: Vec<String>,
    pub required: u32,
    pub done: u32,
    pub late: u32,
    /// met | due | missed: the worst over every window.
    pub status: String,
    pub windows: Vec<WindowView>,
    /// The records (ids) that count for the rule's own periods.
    pub records: Vec<ActivityId>,
}

/// One tightened rule inside a sensitive period, as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TighteningInput {
    #[serde(default)]
    pub rule: String,
    /// month | two_months | quarter | year
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub min_count: i64,
}

/// `POST /api/v1/duties/sensitive-periods`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SensitiveInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub rules: Vec<TighteningInput>,
}

/// A stored sensitive period; `tightenings` is JSON.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct SensitiveRow {
    pub id: PeriodId,
    pub name: String,
    pub start_date: Day,
    pub end_date: Day,
    pub tightenings: String,
    /// Set when the city office withdrew it (epoch ms); it then tightens nothing.
    pub withdrawn_at: Option<i64>,
    pub withdraw_reason: String,
}

/// An evidence file (minutes, photos) of an activity.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct EvidenceRow {
    pub id: FileId,
    pub filename: String,
    pub mime: String,
    pub size: i64,
}

/// `POST /api/v1/activities/{id}/accept-late`: the office accepts a late record, with a reason.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AcceptLateInput {
    #[serde(default)]
    pub reason: String,
}

fn comma_list<S: serde::Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let items: Vec<&str> = v
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for k in items {
        seq.serialize_element(k)?;
    }
    seq.end()
}

/// A stored duty rule (built in and possibly edited, or added by the office).
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct RuleRow {
    pub id: RuleId,
    pub code: String,
    /// The article of 通安委〔2022〕10号 it cites (0: none).
    pub article: i64,
    /// The attachment's task numbers, comma-separated.
    pub tasks: String,
    /// Who it binds: a holder selector code (party_principal, government_deputy, …).
    pub holder: String,
    /// The activity kinds that count (stored comma-separated; a list in the API, as `PUT`
    /// takes it).
    #[serde(serialize_with = "comma_list")]
    #[schema(value_type = Vec<String>)]
    pub kinds: String,
    /// month | two_months | quarter | year
    pub period: String,
    pub min_count: i64,
    pub evidence_required: bool,
    pub copy_to_upper_office: bool,
    pub title_zh: String,
    pub title_en: String,
    pub builtin: bool,
    pub active: bool,
    pub updated_at: i64,
    /// The first day whose periods it judges: a period that ended before is not held to it
    /// (the built-in rules: the day the document was issued; an added rule: the day it was
    /// added).
    pub effective_from: Day,
}

/// Terms a rule had before an edit or a deactivation: they judge the periods that ended
/// before `until`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleHistoryRow {
    pub code: String,
    pub until: Day,
    pub kinds: String,
    pub period: String,
    pub min_count: i64,
    pub evidence_required: bool,
    pub active: bool,
}

/// A stored rule with its vocabulary parsed: one version of its terms, and the periods it
/// judges (those ending in `[valid_from, valid_until)`).
#[derive(Debug, Clone)]
pub struct RuleDef {
    pub row: RuleRow,
    pub holder: anwei_rules::duties::HolderSelector,
    pub kinds: Vec<anwei_rules::duties::ActivityKind>,
    pub period: anwei_rules::duties::PeriodKind,
    pub valid_from: chrono::NaiveDate,
    pub valid_until: Option<chrono::NaiveDate>,
}

impl RuleDef {
    pub fn from_row(row: RuleRow) -> Option<RuleDef> {
        use anwei_rules::duties::{ActivityKind, HolderSelector, PeriodKind};
        let holder = HolderSelector::parse(&row.holder)?;
        let kinds: Vec<ActivityKind> = row
            .kinds
            .split(',')
            .map(|k| ActivityKind::parse(k.trim()))
            .collect::<Option<_>>()?;
        let period = PeriodKind::parse(&row.period)?;
        Some(RuleDef {
            valid_from: row.effective_from.date(),
            valid_until: None,
            row,
            holder,
            kinds,
            period,
        })
    }

    /// True when these terms judge a period ending on `end`: the rules in force when it
    /// closed (or now, for a period still open).
    pub fn judges(&self, end: chrono::NaiveDate) -> bool {
        self.valid_from <= end && self.valid_until.is_none_or(|u| end < u)
    }

    pub fn terms(&self) -> anwei_rules::duties::RuleTerms<'_> {
        anwei_rules::duties::RuleTerms {
            code: &self.row.code,
            kinds: &self.kinds,
            period: self.period,
            min_count: u32::try_from(self.row.min_count).unwrap_or(1),
            evidence_required: self.row.evidence_required,
        }
    }

    /// The rule's title in the reader's language (Chinese when there is no English).
    pub fn title(&self, lang: crate::i18n::Lang) -> &str {
        if lang == crate::i18n::Lang::En && !self.row.title_en.is_empty() {
            &self.row.title_en
        } else {
            &self.row.title_zh
        }
    }
}

/// `POST /api/v1/duties/rules` (add) and `PUT /api/v1/duties/rules/{code}` (edit). On an edit
/// the code is the path's; a built-in rule's holder cannot change (deactivate it and add one).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RuleInput {
    /// Lower-case letters, digits and `_`, 3–60 characters (add only).
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub article: i64,
    #[serde(default)]
    pub tasks: String,
    #[serde(default)]
    pub holder: String,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub min_count: i64,
    #[serde(default = "yes")]
    pub evidence_required: bool,
    #[serde(default)]
    pub copy_to_upper_office: bool,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The compact projection of an activity that compliance reads.
#[derive(Debug, Clone)]
pub struct CompactRecord {
    pub id: i64,
    pub org_id: i64,
    pub position_id: Option<i64>,
    pub kind: String,
    pub date: String,
    pub created_at: i64,
    pub accepted_late: bool,
    pub evidence_at: Option<i64>,
    /// For a tour record, the region it names (`area_code`); `''` otherwise.
    pub tour_area: String,
}
