//! Recurring duties of leaders and departments (党政同责、一岗双责): calendar periods, duty rules,
//! sensitive periods and compliance.
//!
//! Regulation: 通安委〔2022〕10号, articles (一) to (七) and the attachment's tasks 2, 4, 7, 9, 10,
//! 13, 14, 16, 17 and 18. Each party and government leader, each standing committee member and
//! each supervising department must do named things at least N times per calendar period; in 重点
//! 敏感时期 the checks are tightened (重点敏感时期要加密检查频次, tasks 9, 10, 13, 14 and 18).
//!
//! Periods are calendar periods in Asia/Shanghai: every date here is already a date there (the
//! caller converts "now" to the Shanghai date before asking). Two-month periods are aligned to the
//! year: Jan–Feb, Mar–Apr, …, Nov–Dec. All end dates are inclusive.
//!
//! Which records belong to which holder is the caller's business: a led inspection by the party
//! principal counts for the principal's rule only, one led by a deputy for that deputy. The
//! functions here count the records they are given.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::PhraseError;
use crate::org::{Level, OrgKind};
use crate::supervision::OrgFacts;

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

vocabulary! {
    /// The length of a duty's period. 通安委〔2022〕10号 uses 每月, 每2个月, 每季度 and 每年.
    PeriodKind {
        /// 每月 (task 18, county-level departments).
        Month => ("month", "月", "Month"),
        /// 每2个月 (task 18, city-level departments): Jan–Feb, Mar–Apr, …, Nov–Dec.
        TwoMonths => ("two_months", "两个月", "Two months"),
        /// 每季度.
        Quarter => ("quarter", "季度", "Quarter"),
        /// 每年.
        Year => ("year", "年", "Year"),
    }
}

impl PeriodKind {
    /// How many calendar months one period of this kind spans.
    pub fn months(&self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::TwoMonths => 2,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }
}

/// One calendar period (in Asia/Shanghai): a month, an aligned two-month period, a quarter or a
/// year.
///
/// A `Period` is always aligned: it can only be made by the checked constructors
/// ([`Period::month`], [`Period::two_months`], [`Period::quarter`], [`Period::year`]), by
/// [`Period::containing`] or by [`Period::parse`]. Its text form is the API's: `2026-09`,
/// `2026M09-10`, `2026Q3`, `2026`; it serialises as that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    // Field order gives the ordering: by start date, then the shorter kind first.
    start: NaiveDate,
    kind: PeriodKind,
}

/// The first day of month `month0` (0-based) of `date`'s year. Every month of a year that
/// holds a representable date is representable, so the fallback is never taken.
fn month_start(date: NaiveDate, month0: u32) -> NaiveDate {
    date.with_day(1)
        .and_then(|d| d.with_month0(month0))
        .unwrap_or(date)
}

const PERIOD_FORMS: &str = "expected 2026 (year), 2026Q3 (quarter), 2026-09 (month) or \
                            2026M09-10 (two months)";

impl Period {
    /// The period of `kind` that contains `date`.
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        let months = kind.months();
        let first_month0 = date.month0() / months * months;
        Period {
            start: month_start(date, first_month0),
            kind,
        }
    }

    /// The month `month` (1–12) of `year`; `None` when out of range.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        if !(1..=12).contains(&month) {
            return None;
        }
        Self::starting(PeriodKind::Month, year, month)
    }

    /// The two-month period of `year` starting in `first_month`, which must be 1, 3, 5, 7, 9 or
    /// 11 (Jan–Feb, Mar–Apr, …); `None` otherwise.
    pub fn two_months(year: i32, first_month: u32) -> Option<Period> {
        if !(1..=11).contains(&first_month) || first_month.is_multiple_of(2) {
            return None;
        }
        Self::starting(PeriodKind::TwoMonths, year, first_month)
    }

    /// The quarter `quarter` (1–4) of `year`; `None` when out of range.
    pub fn quarter(year: i32, quarter: u32) -> Option<Period> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        Self::starting(PeriodKind::Quarter, year, (quarter - 1) * 3 + 1)
    }

    /// The calendar year `year`; `None` when chrono cannot represent it.
    pub fn year(year: i32) -> Option<Period> {
        Self::starting(PeriodKind::Year, year, 1)
    }

    fn starting(kind: PeriodKind, year: i32, month: u32) -> Option<Period> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|start| Period { start, kind })
    }

    /// The kind of period.
    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The calendar year the period lies in.
    pub fn year_number(&self) -> i32 {
        self.start.year()
    }

    /// The period's number within its year, from 1: the month (1–12), the two-month period
    /// (1–6), the quarter (1–4), or 1 for a year.
    pub fn index(&self) -> u32 {
        self.start.month0() / self.kind.months() + 1
    }

    /// The first calendar month of the period (1–12).
    pub fn first_month(&self) -> u32 {
        self.start.month()
    }

    /// The first day (inclusive).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.start
            .checked_add_months(Months::new(self.kind.months()))
            .and_then(|next| next.pred_opt())
            // Only the last period chrono can hold has no successor; it ends on its last day.
            .unwrap_or(NaiveDate::MAX)
    }

    /// True when `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end()
    }

    /// The period of the same kind that follows; `None` past the last date chrono can hold.
    pub fn next(&self) -> Option<Period> {
        self.end()
            .succ_opt()
            .map(|day| Period::containing(self.kind, day))
    }

    /// The period of the same kind that precedes; `None` before the first date chrono can hold.
    pub fn prev(&self) -> Option<Period> {
        self.start
            .pred_opt()
            .map(|day| Period::containing(self.kind, day))
    }

    /// The periods of `kind` that overlap this one, in order.
    ///
    /// For a finer kind that divides this one they partition it exactly (the months of a
    /// quarter, the quarters or two-month periods of a year). For the same kind it is this
    /// period alone; for a coarser kind, the one period that encloses it (the year of a
    /// quarter). Quarters and two-month periods do not nest, so the two-month periods of a
    /// quarter are the two that overlap it (2026Q1: Jan–Feb and Mar–Apr).
    pub fn sub_periods(&self, kind: PeriodKind) -> Vec<Period> {
        let end = self.end();
        let mut out = Vec::new();
        let mut current = Some(Period::containing(kind, self.start));
        while let Some(period) = current {
            if period.start > end {
                break;
            }
            out.push(period);
            current = period.next();
        }
        out
    }

    /// The API's text form: `2026` (year), `2026Q3` (quarter), `2026-09` (month), `2026M09-10`
    /// (two months). [`Period::parse`] reads it back for years 0001–9999.
    pub fn code(&self) -> String {
        let year = self.start.year();
        let month = self.start.month();
        match self.kind {
            PeriodKind::Year => format!("{year:04}"),
            PeriodKind::Quarter => format!("{year:04}Q{}", self.index()),
            PeriodKind::Month => format!("{year:04}-{month:02}"),
            PeriodKind::TwoMonths => format!("{year:04}M{month:02}-{:02}", month + 1),
        }
    }

    /// Reads the API's text form, strictly: exactly `YYYY`, `YYYYQn` (n 1–4), `YYYY-MM` (MM
    /// 01–12) or `YYYYMmm-nn` where mm-nn is an aligned pair (01-02, 03-04, …, 11-12). The year
    /// has four digits and is not 0000. No spaces, no lower case, no other separators; anything
    /// else is an error that says why.
    pub fn parse(text: &str) -> Result<Period, PhraseError> {
        let fail = |reason: String| PhraseError::period(text, reason);
        if text.is_empty() {
            return Err(fail(format!("the period is empty; {PERIOD_FORMS}")));
        }
        if !text.is_ascii() || text.len() < 4 || !text[..4].bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail(format!(
                "a period starts with a four-digit year; {PERIOD_FORMS}"
            )));
        }
        let (year_text, rest) = text.split_at(4);
        let year: i32 = year_text
            .parse()
            .map_err(|_| fail(format!("unreadable year; {PERIOD_FORMS}")))?;
        if year == 0 {
            return Err(fail("the year 0000 is not a calendar year".to_owned()));
        }
        let invalid = |reason: &str| fail(reason.to_owned());
        if rest.is_empty() {
            return Period::year(year).ok_or_else(|| invalid("year out of range"));
        }
        if let Some(q) = rest.strip_prefix('Q') {
            let quarter = one_digit(q)
                .filter(|n| (1..=4).contains(n))
                .ok_or_else(|| invalid("a quarter is Q1, Q2, Q3 or Q4"))?;
            return Period::quarter(year, quarter).ok_or_else(|| invalid("year out of range"));
        }
        if let Some(m) = rest.strip_prefix('-') {
            let month = two_digits(m)
                .filter(|n| (1..=12).contains(n))
                .ok_or_else(|| invalid("a month is two digits, 01 to 12 (2026-09)"))?;
            return Period::month(year, month).ok_or_else(|| invalid("year out of range"));
        }
        if let Some(pair) = rest.strip_prefix('M') {
            let (first, second) = match pair.split_once('-') {
                Some((a, b)) => (two_digits(a), two_digits(b)),
                None => (None, None),
            };
            let (Some(first), Some(second)) = (first, second) else {
                return Err(invalid(
                    "a two-month period is written 2026M09-10: two two-digit months",
                ));
            };
            if !(1..=11).contains(&first) || first.is_multiple_of(2) || second != first + 1 {
                return Err(invalid(
                    "two-month periods are the aligned pairs M01-02, M03-04, M05-06, M07-08, \
                     M09-10 and M11-12",
                ));
            }
            return Period::two_months(year, first).ok_or_else(|| invalid("year out of range"));
        }
        Err(fail(format!("unrecognised period; {PERIOD_FORMS}")))
    }
}

fn one_digit(text: &str) -> Option<u32> {
    match text.as_bytes() {
        [d] if d.is_ascii_digit() => Some(u32::from(d - b'0')),
        _ => None,
    }
}

fn two_digits(text: &str) -> Option<u32> {
    match text.as_bytes() {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for Period {
    type Err = PhraseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Period::parse(text)
    }
}

impl TryFrom<String> for Period {
    type Error = PhraseError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Period::parse(&text)
    }
}

impl From<Period> for String {
    fn from(period: Period) -> String {
        period.code()
    }
}

// ---------------------------------------------------------------------------------------------
// Activities, positions, holders
// ---------------------------------------------------------------------------------------------

vocabulary! {
    /// What a 履职记录 (activity record) records. The codes are the API's `kind` values.
    ActivityKind {
        /// 理论学习中心组学习 (article 一, task 2).
        Study => ("study", "理论学习中心组学习", "Theory study group session"),
        /// 党委常委会会议 on work safety (article 三, task 7).
        StandingCommitteeMeeting => (
            "standing_committee_meeting", "党委常委会会议", "Party standing committee meeting"
        ),
        /// 政府常务会议 (article 四, task 13).
        ExecutiveMeeting => ("executive_meeting", "政府常务会议", "Government executive meeting"),
        /// 专题会议 / 专题办公会议 (articles 四 and 七, tasks 13 and 17).
        SpecialMeeting => ("special_meeting", "专题会议", "Special meeting"),
        /// 分管行业（领域）、部门（单位）安全生产会议 (article 四, task 14).
        SectorMeeting => (
            "sector_meeting", "分管行业领域安全生产会议", "Safety meeting of the supervised sector"
        ),
        /// 带队督促检查 / 安全生产检查 / 监督检查 (articles 三, 四, 七; tasks 9, 10, 13, 14, 18).
        LedInspection => ("led_inspection", "带队督促检查/安全检查", "Led inspection"),
        /// 向政府主要负责人汇报 (article 四, task 14).
        ReportToPrincipal => (
            "report_to_principal", "向主要负责人汇报", "Report to the principal"
        ),
        /// 安全生产巡查 / 巡查和考核 of the lower level (articles 二 and 六, tasks 4 and 16).
        Tour => ("tour", "巡查/考核", "Tour and assessment of the lower level"),
    }
}

vocabulary! {
    /// The kind of a position in an organisation, as the app stores it (`org_position.kind`).
    PositionKind {
        /// 主要负责人 (书记, 市长/县长, 局长).
        Principal => ("principal", "主要负责人", "Principal"),
        /// 分管负责人 / 副职 (a government's 其他领导干部).
        Deputy => ("deputy", "分管负责人", "Deputy"),
        /// 党委常委会成员 other than the principal (副书记 included).
        StandingMember => ("standing_member", "常委会成员", "Standing committee member"),
        /// 工作人员.
        OfficeStaff => ("office_staff", "工作人员", "Office staff"),
        /// 联络员.
        Liaison => ("liaison", "联络员", "Liaison"),
        /// 其他.
        Other => ("other", "其他", "Other"),
    }
}

vocabulary! {
    /// Who a duty rule binds: a kind of position in a set of organisations, or the
    /// organisations themselves.
    ///
    /// The development zones: their 党工委 count as party committees everywhere (the document
    /// writes 各级党（工）委 and 县级以上(含,下同)党(工)委); their 管委会 are bound with the
    /// governments by tasks 13 and 14 (whose responsible units name 高新区、港务区管委会) but not by
    /// task 16 (县级以上政府 only).
    HolderSelector {
        /// 各级党（工）委 as organisations (task 2: 理论学习中心组).
        PartyCommittee => ("party_committee", "各级党（工）委", "Every party committee"),
        /// 各级党委主要负责人 (tasks 7 and 9).
        PartyPrincipal => (
            "party_principal", "各级党委主要负责人", "Principal of every party committee"
        ),
        /// 各级党委常委会其他成员: each standing committee member other than the principal
        /// (task 10).
        PartyStandingMember => (
            "party_standing_member",
            "各级党委常委会其他成员",
            "Each other standing committee member of every party committee"
        ),
        /// 县级以上党（工）委 as organisations (task 4: tours of the lower level).
        PartyCommitteeCountyAndAbove => (
            "party_committee_county_and_above",
            "县级以上党（工）委",
            "Party committees at county level and above"
        ),
        /// 各级政府主要负责人, the zones' 管委会 included (task 13).
        GovernmentPrincipal => (
            "government_principal", "各级政府主要负责人", "Principal of every government"
        ),
        /// 各级政府其他领导干部: each deputy (分管负责人), the zones' 管委会 included (task 14).
        GovernmentDeputy => (
            "government_deputy",
            "各级政府其他领导干部（分管负责人）",
            "Each deputy of every government"
        ),
        /// 县级以上政府 as organisations, the zones' 管委会 excluded (task 16).
        GovernmentCountyAndAbove => (
            "government_county_and_above",
            "县级以上政府",
            "Governments at county level and above"
        ),
        /// 各级负有安全生产监督管理职责的部门 (task 17).
        SupervisingDepartment => (
            "supervising_department",
            "各级负有安全生产监督管理职责的部门",
            "Every department with work safety supervision duties"
        ),
        /// 市级负有安全生产监督管理职责的部门 (task 18, every two months).
        SupervisingDepartmentCity => (
            "supervising_department_city",
            "市级负有安全生产监督管理职责的部门",
            "City-level departments with work safety supervision duties"
        ),
        /// 县级负有安全生产监督管理职责的部门, the zones' included (task 18, every month).
        SupervisingDepartmentCounty => (
            "supervising_department_county",
            "县级负有安全生产监督管理职责的部门",
            "County-level departments with work safety supervision duties"
        ),
    }
}

/// True for a party committee that has a standing committee (常委会): at county level and
/// above, the zones' 党工委 included. A township party committee (乡镇党委) has none (article 三
/// binds 县级以上 committees' standing committees).
pub fn has_standing_committee(org: &OrgFacts) -> bool {
    org.kind == OrgKind::PartyCommittee && org.level.is_at_or_above(Level::County)
}

/// True when a rule is met by tours of the lower level (巡查, tasks 4 and 16): its only kind is
/// [`ActivityKind::Tour`]. Such a rule is met in a year only when **each** lower-level body
/// was toured (see [`is_lower_level`]); one tour of one of them does not count for the others.
pub fn is_tour_rule(kinds: &[ActivityKind]) -> bool {
    kinds == [ActivityKind::Tour]
}

/// True when `other` is a lower-level body that `touring` must tour (articles 二 and 六):
/// the same kind of body one level down — a party committee's lower-level party committees
/// (the zones' 党工委 included: 各级党（工）委), a government's lower-level governments (the
/// zones' 管委会 are not 政府, as task 16 reads). Whether `other` lies inside `touring`'s region
/// is the caller's to check (the region tree is not part of the facts).
pub fn is_lower_level(touring: &OrgFacts, other: &OrgFacts) -> bool {
    let same_kind = other.kind == touring.kind
        && matches!(touring.kind, OrgKind::PartyCommittee | OrgKind::Government);
    let one_down = other.level.parent() == Some(touring.level);
    let a_government = touring.kind != OrgKind::Government || !other.in_zone;
    same_kind && one_down && a_government
}

/// True when a rule with these kinds can be met only by a standing-committee meeting: such a
/// rule binds only committees that have a standing committee, never a township committee
/// (which would otherwise be "missed" every period for something it cannot hold).
pub fn needs_standing_committee(kinds: &[ActivityKind]) -> bool {
    !kinds.is_empty()
        && kinds
            .iter()
            .all(|k| *k == ActivityKind::StandingCommitteeMeeting)
}

/// True when a rule of `holder` met by `kinds` applies to `org` at all.
pub fn rule_applies(holder: HolderSelector, kinds: &[ActivityKind], org: &OrgFacts) -> bool {
    holder.covers_org(org) && (!needs_standing_committee(kinds) || has_standing_committee(org))
}

impl HolderSelector {
    /// The position kind the selector binds, or `None` when it binds organisations.
    pub fn position_kind(&self) -> Option<PositionKind> {
        match self {
            HolderSelector::PartyPrincipal | HolderSelector::GovernmentPrincipal => {
                Some(PositionKind::Principal)
            }
            HolderSelector::PartyStandingMember => Some(PositionKind::StandingMember),
            HolderSelector::GovernmentDeputy => Some(PositionKind::Deputy),
            HolderSelector::PartyCommittee
            | HolderSelector::PartyCommitteeCountyAndAbove
            | HolderSelector::GovernmentCountyAndAbove
            | HolderSelector::SupervisingDepartment
            | HolderSelector::SupervisingDepartmentCity
            | HolderSelector::SupervisingDepartmentCounty => None,
        }
    }

    /// True when the selector binds positions (as opposed to organisations).
    pub fn binds_positions(&self) -> bool {
        self.position_kind().is_some()
    }

    /// True when `org` is one of the organisations the selector is about (for a position
    /// selector: an organisation whose positions of [`HolderSelector::position_kind`] it binds).
    pub fn covers_org(&self, org: &OrgFacts) -> bool {
        let county_and_above = org.level.is_at_or_above(Level::County);
        let supervising = org.kind == OrgKind::Department && org.supervises_safety;
        match self {
            HolderSelector::PartyCommittee | HolderSelector::PartyPrincipal => {
                org.kind == OrgKind::PartyCommittee
            }
            // Only a committee with a standing committee has its members (county and above).
            HolderSelector::PartyStandingMember => has_standing_committee(org),
            HolderSelector::PartyCommitteeCountyAndAbove => {
                org.kind == OrgKind::PartyCommittee && county_and_above
            }
            HolderSelector::GovernmentPrincipal | HolderSelector::GovernmentDeputy => {
                org.kind == OrgKind::Government
            }
            HolderSelector::GovernmentCountyAndAbove => {
                org.kind == OrgKind::Government && !org.in_zone && county_and_above
            }
            HolderSelector::SupervisingDepartment => supervising,
            HolderSelector::SupervisingDepartmentCity => supervising && org.level == Level::City,
            HolderSelector::SupervisingDepartmentCounty => {
                supervising && org.level == Level::County
            }
        }
    }

    /// True when the selector binds the organisation `org` itself.
    pub fn binds_org(&self, org: &OrgFacts) -> bool {
        !self.binds_positions() && self.covers_org(org)
    }

    /// True when the selector binds a position of kind `position` in `org`.
    pub fn binds_position(&self, org: &OrgFacts, position: PositionKind) -> bool {
        self.position_kind() == Some(position) && self.covers_org(org)
    }
}

// ---------------------------------------------------------------------------------------------
// Duty rules
// ---------------------------------------------------------------------------------------------

/// A recurring duty: the holder must record at least `min_count` activities of one of `kinds`
/// in every period of `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DutyRule {
    /// Stable identifier.
    pub code: &'static str,
    /// The article of 通安委〔2022〕10号 (1 for （一）, …).
    pub article: u8,
    /// The attachment's task numbers.
    pub tasks: &'static [u8],
    /// Who the rule binds.
    pub holder: HolderSelector,
    /// Activity kinds that count (any of them).
    pub kinds: &'static [ActivityKind],
    /// The period each count is over.
    pub period: PeriodKind,
    /// The minimum count per period.
    pub min_count: u32,
    /// A record counts only with evidence (minutes, photos) attached.
    pub evidence_required: bool,
    /// The record (its minutes) is copied to the upper level's committee office (抄报上级安委会办公室).
    pub copy_to_upper_office: bool,
    pub title_zh: &'static str,
    pub title_en: &'static str,
}

impl DutyRule {
    /// True when a record of `kind` counts for this rule.
    pub fn counts(&self, kind: ActivityKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The parts of the rule compliance needs, borrowed.
    pub fn terms(&self) -> RuleTerms<'static> {
        RuleTerms {
            code: self.code,
            kinds: self.kinds,
            period: self.period,
            min_count: self.min_count,
            evidence_required: self.evidence_required,
        }
    }
}

/// What compliance needs of a rule, borrowed: built-in rules give it by [`DutyRule::terms`],
/// rules the office edited or added are read into it from storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleTerms<'a> {
    pub code: &'a str,
    pub kinds: &'a [ActivityKind],
    pub period: PeriodKind,
    pub min_count: u32,
    /// Only records with evidence attached count.
    pub evidence_required: bool,
}

use ActivityKind as A;

static BUILTIN_RULES: &[DutyRule] = &[
    DutyRule {
        code: "party_study_quarterly",
        article: 1,
        tasks: &[2],
        holder: HolderSelector::PartyCommittee,
        kinds: &[A::Study],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "理论学习中心组每季度至少集中学习1次安全生产重要论述和法律法规",
        title_en: "Theory study group studies work safety at least once a quarter",
    },
    DutyRule {
        code: "party_tour_yearly",
        article: 2,
        tasks: &[4],
        holder: HolderSelector::PartyCommitteeCountyAndAbove,
        kinds: &[A::Tour],
        period: PeriodKind::Year,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "县级以上党委每年至少对下级党委进行1次安全生产巡查",
        title_en: "Party committee tours the lower-level party committees at least once a year",
    },
    DutyRule {
        code: "party_standing_meeting_quarterly",
        article: 3,
        tasks: &[7],
        holder: HolderSelector::PartyPrincipal,
        kinds: &[A::StandingCommitteeMeeting],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: true,
        title_zh: "党委主要负责人每季度至少组织召开1次党委常委会专题研究安全生产，会议纪要抄报上级安委会办公室",
        title_en: "Party principal convenes a standing committee meeting on work safety at least \
                   once a quarter; minutes copied to the upper committee office",
    },
    DutyRule {
        code: "party_principal_inspection_quarterly",
        article: 3,
        tasks: &[9],
        holder: HolderSelector::PartyPrincipal,
        kinds: &[A::LedInspection],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "党委主要负责人每季度至少带队督促检查1次安全生产工作及一岗双责落实情况",
        title_en: "Party principal leads an inspection of work safety at least once a quarter",
    },
    DutyRule {
        code: "party_member_inspection_quarterly",
        article: 3,
        tasks: &[10],
        holder: HolderSelector::PartyStandingMember,
        kinds: &[A::LedInspection],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "党委常委会其他成员每季度至少带队督促检查1次安全生产工作",
        title_en: "Each other standing committee member leads an inspection at least once a quarter",
    },
    DutyRule {
        code: "gov_principal_meeting_quarterly",
        article: 4,
        tasks: &[13],
        holder: HolderSelector::GovernmentPrincipal,
        kinds: &[A::ExecutiveMeeting, A::SpecialMeeting],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "政府主要负责人每季度至少组织召开1次政府常务会议或专题会议研究部署安全生产",
        title_en: "Government principal holds an executive or special meeting on work safety at \
                   least once a quarter",
    },
    DutyRule {
        code: "gov_principal_inspection_quarterly",
        article: 4,
        tasks: &[13],
        holder: HolderSelector::GovernmentPrincipal,
        kinds: &[A::LedInspection],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "政府主要负责人每季度至少带队开展1次安全生产检查",
        title_en: "Government principal leads a work safety inspection at least once a quarter",
    },
    DutyRule {
        code: "gov_deputy_report_quarterly",
        article: 4,
        tasks: &[14],
        holder: HolderSelector::GovernmentDeputy,
        kinds: &[A::ReportToPrincipal],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "政府其他领导干部每季度至少向主要负责人汇报1次分管行业领域安全生产工作",
        title_en: "Each government deputy reports on the supervised sectors' work safety to the \
                   principal at least once a quarter",
    },
    DutyRule {
        code: "gov_deputy_sector_meeting_quarterly",
        article: 4,
        tasks: &[14],
        holder: HolderSelector::GovernmentDeputy,
        kinds: &[A::SectorMeeting],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "政府其他领导干部每季度至少组织召开1次分管行业领域安全生产会议",
        title_en: "Each government deputy holds a safety meeting of the supervised sectors at \
                   least once a quarter",
    },
    DutyRule {
        code: "gov_deputy_inspection_quarterly",
        article: 4,
        tasks: &[14],
        holder: HolderSelector::GovernmentDeputy,
        kinds: &[A::LedInspection],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "政府其他领导干部每季度至少组织1次分管行业领域安全生产监督检查",
        title_en: "Each government deputy leads a supervision inspection of the supervised \
                   sectors at least once a quarter",
    },
    DutyRule {
        code: "gov_tour_yearly",
        article: 6,
        tasks: &[16],
        holder: HolderSelector::GovernmentCountyAndAbove,
        kinds: &[A::Tour],
        period: PeriodKind::Year,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "县级以上政府每年对下级政府至少进行1次安全生产巡查和考核",
        title_en: "Government tours and assesses the lower-level governments at least once a year",
    },
    DutyRule {
        code: "dept_special_meeting_quarterly",
        article: 7,
        tasks: &[17],
        holder: HolderSelector::SupervisingDepartment,
        kinds: &[A::SpecialMeeting],
        period: PeriodKind::Quarter,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "负有安全生产监督管理职责的部门每季度至少召开1次专题会议研究本行业领域安全生产突出问题",
        title_en: "Supervising department holds a special meeting on its sector's work safety at \
                   least once a quarter",
    },
    DutyRule {
        code: "dept_inspection_city_two_monthly",
        article: 7,
        tasks: &[18],
        holder: HolderSelector::SupervisingDepartmentCity,
        kinds: &[A::LedInspection],
        period: PeriodKind::TwoMonths,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "市级负有安全生产监督管理职责的部门每2个月至少组织检查1次本行业领域安全生产重点工作",
        title_en: "City-level supervising department inspects its sector at least once every two \
                   months",
    },
    DutyRule {
        code: "dept_inspection_county_monthly",
        article: 7,
        tasks: &[18],
        holder: HolderSelector::SupervisingDepartmentCounty,
        kinds: &[A::LedInspection],
        period: PeriodKind::Month,
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: "县级负有安全生产监督管理职责的部门每月至少组织检查1次本行业领域安全生产重点工作",
        title_en: "County-level supervising department inspects its sector at least once a month",
    },
];

/// The duty rules of 通安委〔2022〕10号 articles (一) to (七), each citing its article and tasks.
pub fn builtin_rules() -> &'static [DutyRule] {
    BUILTIN_RULES
}

/// The built-in rule with `code`, if any.
pub fn builtin_rule(code: &str) -> Option<&'static DutyRule> {
    BUILTIN_RULES.iter().find(|rule| rule.code == code)
}

// ---------------------------------------------------------------------------------------------
// Sensitive periods
// ---------------------------------------------------------------------------------------------

/// A rule tightened inside a sensitive period: at least `min_count` per `period` instead of
/// the rule's own frequency (e.g. led inspections monthly instead of quarterly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tightening {
    pub rule_code: String,
    pub period: PeriodKind,
    pub min_count: u32,
}

/// 重点敏感时期: a window the office declares (a congress, a holiday season) in which some rules
/// are tightened (重点敏感时期要加密检查频次, tasks 9, 10, 13, 14 and 18). `start` and `end`
/// are inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SensitivePeriod {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub tightenings: Vec<Tightening>,
}

/// A stretch of days in which at least `required` records must fall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First day (inclusive).
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    pub required: u32,
    /// The calendar period the window comes from (for a sensitive window, before clipping).
    pub period: Period,
    /// The sensitive period's name when the window comes from a tightening.
    pub sensitive: Option<String>,
}

/// The windows that must each be satisfied for `rule` in `base` (normally a period of the
/// rule's own kind): `base` itself with the rule's minimum, then, for every tightening of this
/// rule in a sensitive period that overlaps `base`, each period of the tightening's kind,
/// clipped to the sensitive period and to `base`, with the tightening's minimum. Sensitive
/// windows come in the order of `sensitive`, then of their tightenings, then by date.
pub fn windows(rule: &RuleTerms<'_>, base: Period, sensitive: &[SensitivePeriod]) -> Vec<Window> {
    let (base_start, base_end) = (base.start(), base.end());
    let mut out = vec![Window {
        start: base_start,
        end: base_end,
        required: rule.min_count,
        period: base,
        sensitive: None,
    }];
    for sp in sensitive {
        if sp.start > base_end || sp.end < base_start || sp.start > sp.end {
            continue;
        }
        for t in sp.tightenings.iter().filter(|t| t.rule_code == rule.code) {
            for sub in base.sub_periods(t.period) {
                let start = sub.start().max(sp.start).max(base_start);
                let end = sub.end().min(sp.end).min(base_end);
                if start <= end {
                    out.push(Window {
                        start,
                        end,
                        required: t.min_count,
                        period: sub,
                        sensitive: Some(sp.name.clone()),
                    });
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Compliance
// ---------------------------------------------------------------------------------------------

/// One 履职记录 as compliance sees it: already the holder's own, and (when the rule requires
/// evidence) only records with evidence attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The day the activity took place.
    pub date: NaiveDate,
    pub kind: ActivityKind,
    /// The day the record was entered.
    pub entered_on: NaiveDate,
    /// The office accepted a late entry (with a reason, kept by the caller).
    pub accepted_late: bool,
    /// The day the first evidence (minutes, photos) was attached; `None` without evidence.
    /// Where a rule requires evidence, the record counts from that day: evidence attached after
    /// a window closed makes the record late for that window like a late entry.
    pub evidenced_on: Option<NaiveDate>,
    /// The caller's identifier of the record (0 when it has none), so that the records that
    /// count can be listed.
    pub id: i64,
}

vocabulary! {
    /// Where a holder stands in a window. Ordered from best to worst, so the worst of several
    /// is their maximum.
    Status {
        /// 已完成: at least the required count.
        Met => ("met", "已完成", "Met"),
        /// 进行中: short, but the window is still open.
        Due => ("due", "待完成", "Due"),
        /// 未完成: short, and the window has closed.
        Missed => ("missed", "未完成", "Missed"),
    }
}

impl Status {
    /// The worst of several statuses (missed > due > met); met when there are none.
    pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().max().unwrap_or(Status::Met)
    }
}

/// The count in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Compliance {
    pub required: u32,
    /// Records that count.
    pub done: u32,
    /// Records in the window entered after it closed (counted in `done` only when accepted).
    pub late: u32,
    /// Of the late records, those the office accepted.
    pub late_accepted: u32,
    pub status: Status,
}

impl Record {
    /// The record as a rule requiring evidence sees it: `None` without evidence; otherwise
    /// entered on the later of its entry and its first evidence.
    pub fn as_evidenced(&self) -> Option<Record> {
        let on = self.evidenced_on?;
        Some(Record {
            entered_on: self.entered_on.max(on),
            ..*self
        })
    }
}

/// Where one record stands in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not in the window, not of a kind that counts, or dated after today.
    Outside,
    /// Counts.
    Counts,
    /// Entered after the window closed, and accepted by the office: counts.
    LateAccepted,
    /// Entered after the window closed, not accepted: does not count.
    Late,
}

impl Standing {
    pub fn counts(self) -> bool {
        matches!(self, Standing::Counts | Standing::LateAccepted)
    }
}

/// Where `record` stands in the window from `start` to `end` for `kinds` (see [`compliance`]).
pub fn standing(
    kinds: &[ActivityKind],
    start: NaiveDate,
    end: NaiveDate,
    record: &Record,
    today: NaiveDate,
) -> Standing {
    if record.date < start || record.date > end || record.date > today {
        return Standing::Outside;
    }
    if !kinds.contains(&record.kind) {
        return Standing::Outside;
    }
    match (record.entered_on > end, record.accepted_late) {
        (false, _) => Standing::Counts,
        (true, true) => Standing::LateAccepted,
        (true, false) => Standing::Late,
    }
}

/// The compliance of one window from `start` to `end` (inclusive) requiring `required` records
/// of one of `kinds`.
///
/// A record counts when its date is in the window, not after `today`, and its kind is one of
/// `kinds`. Past periods are frozen: a record entered after the window's last day is late and
/// counts only if the office accepted it. The status is met when `done >= required`, else due
/// while `today <= end` (time left), else missed.
pub fn compliance(
    kinds: &[ActivityKind],
    required: u32,
    start: NaiveDate,
    end: NaiveDate,
    records: &[Record],
    today: NaiveDate,
) -> Compliance {
    let (mut done, mut late, mut late_accepted) = (0u32, 0u32, 0u32);
    for record in records {
        match standing(kinds, start, end, record, today) {
            Standing::Outside => {}
            Standing::Counts => done += 1,
            Standing::LateAccepted => {
                late += 1;
                late_accepted += 1;
                done += 1;
            }
            Standing::Late => late += 1,
        }
    }
    let status = if done >= required {
        Status::Met
    } else if today <= end {
        Status::Due
    } else {
        Status::Missed
    };
    Compliance {
        required,
        done,
        late,
        late_accepted,
        status,
    }
}

/// The compliance of one window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowCompliance {
    pub window: Window,
    pub compliance: Compliance,
}

/// A rule's compliance in one base period: every window and the worst status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub windows: Vec<WindowCompliance>,
    pub status: Status,
}

/// The compliance of `rule` for one holder in `base`, sensitive windows included: see
/// [`windows`] and [`compliance`]. A missed sensitive window makes the whole assessment missed.
/// When the rule requires evidence, records without it do not count.
pub fn assess(
    rule: &RuleTerms<'_>,
    base: Period,
    sensitive: &[SensitivePeriod],
    records: &[Record],
    today: NaiveDate,
) -> Assessment {
    let evidenced: Vec<Record>;
    let records = if rule.evidence_required {
        evidenced = records.iter().filter_map(Record::as_evidenced).collect();
        &evidenced[..]
    } else {
        records
    };
    let windows: Vec<WindowCompliance> = windows(rule, base, sensitive)
        .into_iter()
        .map(|window| {
            let compliance = compliance(
                rule.kinds,
                window.required,
                window.start,
                window.end,
                records,
                today,
            );
            WindowCompliance { window, compliance }
        })
        .collect();
    let status = Status::worst(windows.iter().map(|w| w.compliance.status));
    Assessment { windows, status }
}

/// The days left in a window ending on `window_end`, today included: 1 on the last day, 0 once
/// the window has closed.
/// A record's title as compared for near-duplicates: full-width letters and digits folded to
/// ASCII, lower case, anything in brackets dropped (（第二次录入）, [补录]), whitespace and
/// punctuation removed. "会议X", "会议x", "会议Ｘ" and "会议X（第二次录入）" are one title: the
/// same meeting entered again does not count again.
pub fn normalised_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        };
        match c {
            '(' | '[' | '{' | '【' | '〔' | '［' | '〈' | '《' => {
                depth += 1;
                continue;
            }
            ')' | ']' | '}' | '】' | '〕' | '］' | '〉' | '》' => {
                depth = depth.saturating_sub(1);
                continue;
            }
            _ => {}
        }
        if depth > 0 || c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punctuation(c) {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{2018}'..='\u{201F}' | '\u{2026}' | '\u{00B7}' | '\u{2014}' | '\u{FF5F}'..='\u{FF65}')
}

pub fn days_left(window_end: NaiveDate, today: NaiveDate) -> i64 {
    ((window_end - today).num_days() + 1).max(0)
}

/// At risk of missing: not yet met, still open, and fewer than `threshold_days` days left.
pub fn at_risk(done: u32, required: u32, days_left: i64, threshold_days: i64) -> bool {
    done < required && days_left > 0 && days_left < threshold_days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: OrgKind, level: Level, in_zone: bool) -> OrgFacts {
        OrgFacts {
            id: 0,
            kind,
            level,
            in_zone,
            supervises_safety: false,
            sectors: Vec::new(),
        }
    }

    #[test]
    fn a_tour_rule_looks_one_level_down_at_the_same_kind_of_body() {
        use OrgKind::{Government, PartyCommittee};
        let city_party = facts(PartyCommittee, Level::City, false);
        let city_gov = facts(Government, Level::City, false);
        let county_party = facts(PartyCommittee, Level::County, false);
        let zone_party = facts(PartyCommittee, Level::County, true);
        let county_gov = facts(Government, Level::County, false);
        let zone_committee = facts(Government, Level::County, true);
        let town_party = facts(PartyCommittee, Level::Township, false);
        // 各级党（工）委: the zones' 党工委 are toured like the counties' committees.
        assert!(is_lower_level(&city_party, &county_party));
        assert!(is_lower_level(&city_party, &zone_party));
        // 下级政府: a zone's 管委会 is no government.
        assert!(is_lower_level(&city_gov, &county_gov));
        assert!(!is_lower_level(&city_gov, &zone_committee));
        // Not another kind, not two levels down, not the same level, not upwards.
        assert!(!is_lower_level(&city_party, &county_gov));
        assert!(!is_lower_level(&city_party, &town_party));
        assert!(!is_lower_level(&county_party, &county_party));
        assert!(!is_lower_level(&county_party, &city_party));
        assert!(is_lower_level(&county_party, &town_party));
        assert!(is_tour_rule(&[ActivityKind::Tour]));
        assert!(!is_tour_rule(&[
            ActivityKind::Tour,
            ActivityKind::LedInspection
        ]));
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn rec(date: &str, kind: ActivityKind) -> Record {
        Record {
            date: d(date),
            kind,
            entered_on: d(date),
            accepted_late: false,
            evidenced_on: Some(d("2000-01-01")),
            id: 0,
        }
    }

    fn codes(periods: &[Period]) -> Vec<String> {
        periods.iter().map(Period::code).collect()
    }

    #[test]
    fn every_period_form_reads_back_to_its_own_code() {
        for (text, kind, start, end) in [
            ("2026", PeriodKind::Year, "2026-01-01", "2026-12-31"),
            ("2026Q1", PeriodKind::Quarter, "2026-01-01", "2026-03-31"),
            ("2026Q3", PeriodKind::Quarter, "2026-07-01", "2026-09-30"),
            ("2026Q4", PeriodKind::Quarter, "2026-10-01", "2026-12-31"),
            ("2026-09", PeriodKind::Month, "2026-09-01", "2026-09-30"),
            ("2026-12", PeriodKind::Month, "2026-12-01", "2026-12-31"),
            ("2024-02", PeriodKind::Month, "2024-02-01", "2024-02-29"),
            (
                "2026M01-02",
                PeriodKind::TwoMonths,
                "2026-01-01",
                "2026-02-28",
            ),
            (
                "2024M01-02",
                PeriodKind::TwoMonths,
                "2024-01-01",
                "2024-02-29",
            ),
            (
                "2026M09-10",
                PeriodKind::TwoMonths,
                "2026-09-01",
                "2026-10-31",
            ),
            (
                "2026M11-12",
                PeriodKind::TwoMonths,
                "2026-11-01",
                "2026-12-31",
            ),
        ] {
            let period = p(text);
            assert_eq!(period.code(), text);
            assert_eq!(period.to_string(), text);
            assert_eq!(period.kind(), kind, "{text}");
            assert_eq!((period.start(), period.end()), (d(start), d(end)), "{text}");
            assert_eq!(text.parse::<Period>(), Ok(period));
            assert_eq!(Period::try_from(String::from(period)), Ok(period));
        }
    }

    #[test]
    fn malformed_periods_are_refused_with_a_reason_and_never_guessed() {
        for text in [
            "2026Q5",
            "2026Q0",
            "2026Q",
            "2026Q12",
            "2026q3",
            "2026M10-11",
            "2026M12-01",
            "2026M09-11",
            "2026M9-10",
            "2026M09",
            "2026-13",
            "2026-00",
            "2026-9",
            "2026-091",
            "26Q1",
            "",
            " 2026",
            "2026 ",
            "20261",
            "0000",
            "２０２６",
            "2026/09",
            "2026-Q3",
            "+2026",
        ] {
            let err = Period::parse(text).expect_err(text);
            assert_eq!(err.text, text);
            assert!(!err.reason.is_empty(), "{text}");
        }
        assert!(
            Period::parse("2026M10-11")
                .unwrap_err()
                .reason
                .contains("aligned")
        );
        assert!(Period::parse("").unwrap_err().reason.contains("empty"));
    }

    #[test]
    fn constructors_refuse_numbers_outside_their_range() {
        assert_eq!(Period::month(2026, 9), Some(p("2026-09")));
        assert_eq!(Period::month(2026, 13), None);
        assert_eq!(Period::month(2026, 0), None);
        assert_eq!(Period::two_months(2026, 9), Some(p("2026M09-10")));
        assert_eq!(Period::two_months(2026, 10), None);
        assert_eq!(Period::two_months(2026, 13), None);
        assert_eq!(Period::quarter(2026, 3), Some(p("2026Q3")));
        assert_eq!(Period::quarter(2026, 5), None);
        assert_eq!(Period::year(2026), Some(p("2026")));
        let q = p("2026Q3");
        assert_eq!((q.year_number(), q.index(), q.first_month()), (2026, 3, 7));
        assert_eq!(p("2026M11-12").index(), 6);
    }

    #[test]
    fn containing_finds_the_calendar_period_of_a_date() {
        let day = d("2026-02-14");
        assert_eq!(Period::containing(PeriodKind::Month, day), p("2026-02"));
        assert_eq!(
            Period::containing(PeriodKind::TwoMonths, day),
            p("2026M01-02")
        );
        assert_eq!(
            Period::containing(PeriodKind::TwoMonths, d("2026-01-01")),
            p("2026M01-02")
        );
        assert_eq!(
            Period::containing(PeriodKind::TwoMonths, d("2026-10-31")),
            p("2026M09-10")
        );
        assert_eq!(Period::containing(PeriodKind::Quarter, day), p("2026Q1"));
        assert_eq!(
            Period::containing(PeriodKind::Quarter, d("2026-12-31")),
            p("2026Q4")
        );
        assert_eq!(Period::containing(PeriodKind::Year, day), p("2026"));
        assert!(p("2026Q1").contains(d("2026-03-31")));
        assert!(!p("2026Q1").contains(d("2026-04-01")));
    }

    #[test]
    fn next_and_prev_cross_year_boundaries() {
        assert_eq!(p("2026-12").next(), Some(p("2027-01")));
        assert_eq!(p("2027-01").prev(), Some(p("2026-12")));
        assert_eq!(p("2026M11-12").next(), Some(p("2027M01-02")));
        assert_eq!(p("2027M01-02").prev(), Some(p("2026M11-12")));
        assert_eq!(p("2026Q4").next(), Some(p("2027Q1")));
        assert_eq!(p("2027Q1").prev(), Some(p("2026Q4")));
        assert_eq!(p("2026").next(), Some(p("2027")));
        assert_eq!(p("2026").prev(), Some(p("2025")));
        assert_eq!(p("2026Q2").next(), Some(p("2026Q3")));
        assert_eq!(p("2024M01-02").next(), Some(p("2024M03-04")));
        let last = Period::containing(PeriodKind::Year, NaiveDate::MAX);
        assert_eq!(last.end(), NaiveDate::MAX);
        assert_eq!(last.next(), None);
        assert_eq!(
            Period::containing(PeriodKind::Month, NaiveDate::MIN).prev(),
            None
        );
    }

    #[test]
    fn sub_periods_partition_a_period_or_give_the_enclosing_one() {
        assert_eq!(
            codes(&p("2026Q3").sub_periods(PeriodKind::Month)),
            ["2026-07", "2026-08", "2026-09"]
        );
        assert_eq!(
            codes(&p("2026").sub_periods(PeriodKind::TwoMonths)),
            [
                "2026M01-02",
                "2026M03-04",
                "2026M05-06",
                "2026M07-08",
                "2026M09-10",
                "2026M11-12"
            ]
        );
        assert_eq!(
            codes(&p("2026").sub_periods(PeriodKind::Quarter)),
            ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
        );
        assert_eq!(
            codes(&p("2026M01-02").sub_periods(PeriodKind::Month)),
            ["2026-01", "2026-02"]
        );
        assert_eq!(
            codes(&p("2026Q1").sub_periods(PeriodKind::TwoMonths)),
            ["2026M01-02", "2026M03-04"]
        );
        assert_eq!(p("2026Q3").sub_periods(PeriodKind::Quarter), [p("2026Q3")]);
        assert_eq!(p("2026Q3").sub_periods(PeriodKind::Year), [p("2026")]);
        assert_eq!(p("2026").sub_periods(PeriodKind::Month).len(), 12);
    }

    #[test]
    fn activity_kinds_are_the_apis_codes_and_read_back() {
        let codes: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "study",
                "standing_committee_meeting",
                "executive_meeting",
                "special_meeting",
                "sector_meeting",
                "led_inspection",
                "report_to_principal",
                "tour"
            ]
        );
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.code()), Some(*kind));
            assert!(!kind.name_zh().is_empty() && !kind.name_en().is_empty());
        }
        assert_eq!(ActivityKind::Study.name_zh(), "理论学习中心组学习");
        assert_eq!(ActivityKind::parse("Study"), None);
        assert_eq!(ActivityKind::parse("meeting"), None);
    }

    #[test]
    fn position_kinds_are_the_databases_and_read_back() {
        let codes: Vec<&str> = PositionKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "principal",
                "deputy",
                "standing_member",
                "office_staff",
                "liaison",
                "other"
            ]
        );
        for kind in PositionKind::ALL {
            assert_eq!(PositionKind::parse(kind.code()), Some(*kind));
        }
        for holder in HolderSelector::ALL {
            assert_eq!(HolderSelector::parse(holder.code()), Some(*holder));
        }
        assert_eq!(PositionKind::parse("secretary"), None);
    }

    fn org(kind: OrgKind, level: Level, in_zone: bool, supervises_safety: bool) -> OrgFacts {
        OrgFacts {
            id: 0,
            kind,
            level,
            in_zone,
            supervises_safety,
            sectors: Vec::new(),
        }
    }

    #[test]
    fn holder_selectors_bind_the_documented_positions_and_organisations() {
        use HolderSelector as H;
        use PositionKind as P;
        let city_party = org(OrgKind::PartyCommittee, Level::City, false, false);
        let zone_party = org(OrgKind::PartyCommittee, Level::County, true, false);
        let town_party = org(OrgKind::PartyCommittee, Level::Township, false, false);
        let county_gov = org(OrgKind::Government, Level::County, false, false);
        let zone_gov = org(OrgKind::Government, Level::County, true, false);
        let town_gov = org(OrgKind::Government, Level::Township, false, false);
        let city_dept = org(OrgKind::Department, Level::City, false, true);
        let county_dept = org(OrgKind::Department, Level::County, false, true);
        let other_dept = org(OrgKind::Department, Level::City, false, false);

        assert!(H::PartyPrincipal.binds_position(&city_party, P::Principal));
        assert!(H::PartyPrincipal.binds_position(&town_party, P::Principal));
        assert!(!H::PartyPrincipal.binds_position(&city_party, P::StandingMember));
        assert!(!H::PartyPrincipal.binds_position(&county_gov, P::Principal));
        assert!(!H::PartyPrincipal.binds_org(&city_party));
        assert!(H::PartyStandingMember.binds_position(&zone_party, P::StandingMember));
        assert!(
            !H::PartyStandingMember.binds_position(&town_party, P::StandingMember),
            "a township committee has no standing committee"
        );
        assert!(!H::PartyStandingMember.binds_position(&zone_party, P::Principal));
        assert!(H::PartyCommittee.binds_org(&town_party));
        assert!(!H::PartyCommittee.binds_position(&town_party, P::Principal));
        assert!(H::PartyCommitteeCountyAndAbove.binds_org(&city_party));
        assert!(H::PartyCommitteeCountyAndAbove.binds_org(&zone_party));
        assert!(!H::PartyCommitteeCountyAndAbove.binds_org(&town_party));

        assert!(H::GovernmentPrincipal.binds_position(&zone_gov, P::Principal));
        assert!(H::GovernmentPrincipal.binds_position(&town_gov, P::Principal));
        assert!(H::GovernmentDeputy.binds_position(&county_gov, P::Deputy));
        assert!(!H::GovernmentDeputy.binds_position(&county_gov, P::Principal));
        assert!(!H::GovernmentDeputy.binds_position(&city_party, P::Deputy));
        assert!(H::GovernmentCountyAndAbove.binds_org(&county_gov));
        assert!(!H::GovernmentCountyAndAbove.binds_org(&zone_gov));
        assert!(!H::GovernmentCountyAndAbove.binds_org(&town_gov));

        assert!(H::SupervisingDepartment.binds_org(&city_dept));
        assert!(H::SupervisingDepartment.binds_org(&county_dept));
        assert!(!H::SupervisingDepartment.binds_org(&other_dept));
        assert!(H::SupervisingDepartmentCity.binds_org(&city_dept));
        assert!(!H::SupervisingDepartmentCity.binds_org(&county_dept));
        assert!(H::SupervisingDepartmentCounty.binds_org(&county_dept));
        assert!(!H::SupervisingDepartmentCounty.binds_org(&city_dept));
        assert!(!H::SupervisingDepartmentCounty.binds_org(&county_gov));
    }

    #[test]
    fn near_duplicate_titles_normalise_to_one() {
        let one = normalised_title("会议X");
        for t in [
            "会议x",
            "会议Ｘ",
            "会议X（第二次录入）",
            " 会议 X ",
            "会议X。",
            "会议【补录】X",
        ] {
            assert_eq!(normalised_title(t), one, "{t}");
        }
        assert_ne!(normalised_title("会议Y"), one);
        assert_ne!(normalised_title("第二季度会议X"), one);
    }

    #[test]
    fn standing_committee_rules_bind_committees_at_county_level_and_above_only() {
        use ActivityKind as K;
        use HolderSelector as H;
        let city_party = org(OrgKind::PartyCommittee, Level::City, false, false);
        let zone_party = org(OrgKind::PartyCommittee, Level::County, true, false);
        let town_party = org(OrgKind::PartyCommittee, Level::Township, false, false);
        let standing = &[K::StandingCommitteeMeeting][..];
        assert!(rule_applies(H::PartyPrincipal, standing, &city_party));
        assert!(rule_applies(H::PartyPrincipal, standing, &zone_party));
        assert!(
            !rule_applies(H::PartyPrincipal, standing, &town_party),
            "乡镇党委 holds no 常委会"
        );
        // Task 9 (各级党委主要负责人 leads an inspection) binds a township's secretary too.
        assert!(rule_applies(
            H::PartyPrincipal,
            &[K::LedInspection],
            &town_party
        ));
        let builtin_standing: Vec<_> = BUILTIN_RULES
            .iter()
            .filter(|r| needs_standing_committee(r.kinds))
            .map(|r| r.code)
            .collect();
        assert_eq!(builtin_standing, ["party_standing_meeting_quarterly"]);
    }

    #[test]
    fn builtin_rules_cite_the_documents_articles_and_tasks() {
        use ActivityKind as K;
        use HolderSelector as H;
        use PeriodKind as T;
        type Row = (
            &'static str,
            u8,
            &'static [u8],
            HolderSelector,
            &'static [ActivityKind],
            PeriodKind,
            u32,
        );
        let expected: &[Row] = &[
            (
                "party_study_quarterly",
                1,
                &[2],
                H::PartyCommittee,
                &[K::Study],
                T::Quarter,
                1,
            ),
            (
                "party_tour_yearly",
                2,
                &[4],
                H::PartyCommitteeCountyAndAbove,
                &[K::Tour],
                T::Year,
                1,
            ),
            (
                "party_standing_meeting_quarterly",
                3,
                &[7],
                H::PartyPrincipal,
                &[K::StandingCommitteeMeeting],
                T::Quarter,
                1,
            ),
            (
                "party_principal_inspection_quarterly",
                3,
                &[9],
                H::PartyPrincipal,
                &[K::LedInspection],
                T::Quarter,
                1,
            ),
            (
                "party_member_inspection_quarterly",
                3,
                &[10],
                H::PartyStandingMember,
                &[K::LedInspection],
                T::Quarter,
                1,
            ),
            (
                "gov_principal_meeting_quarterly",
                4,
                &[13],
                H::GovernmentPrincipal,
                &[K::ExecutiveMeeting, K::SpecialMeeting],
                T::Quarter,
                1,
            ),
            (
                "gov_principal_inspection_quarterly",
                4,
                &[13],
                H::GovernmentPrincipal,
                &[K::LedInspection],
                T::Quarter,
                1,
            ),
            (
                "gov_deputy_report_quarterly",
                4,
                &[14],
                H::GovernmentDeputy,
                &[K::ReportToPrincipal],
                T::Quarter,
                1,
            ),
            (
                "gov_deputy_sector_meeting_quarterly",
                4,
                &[14],
                H::GovernmentDeputy,
                &[K::SectorMeeting],
                T::Quarter,
                1,
            ),
            (
                "gov_deputy_inspection_quarterly",
                4,
                &[14],
                H::GovernmentDeputy,
                &[K::LedInspection],
                T::Quarter,
                1,
            ),
            (
                "gov_tour_yearly",
                6,
                &[16],
                H::GovernmentCountyAndAbove,
                &[K::Tour],
                T::Year,
                1,
            ),
            (
                "dept_special_meeting_quarterly",
                7,
                &[17],
                H::SupervisingDepartment,
                &[K::SpecialMeeting],
                T::Quarter,
                1,
            ),
            (
                "dept_inspection_city_two_monthly",
                7,
                &[18],
                H::SupervisingDepartmentCity,
                &[K::LedInspection],
                T::TwoMonths,
                1,
            ),
            (
                "dept_inspection_county_monthly",
                7,
                &[18],
                H::SupervisingDepartmentCounty,
                &[K::LedInspection],
                T::Month,
                1,
            ),
        ];
        let actual: Vec<Row> = builtin_rules()
            .iter()
            .map(|r| {
                (
                    r.code,
                    r.article,
                    r.tasks,
                    r.holder,
                    r.kinds,
                    r.period,
                    r.min_count,
                )
            })
            .collect();
        assert_eq!(actual, expected);
        let mut tasks: Vec<u8> = builtin_rules()
            .iter()
            .flat_map(|r| r.tasks.iter().copied())
            .collect();
        tasks.dedup();
        assert_eq!(tasks, [2, 4, 7, 9, 10, 13, 14, 16, 17, 18]);
    }

    #[test]
    fn rule_codes_are_unique_and_only_the_standing_committee_minutes_are_copied_up() {
        let mut codes: Vec<&str> = builtin_rules().iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), builtin_rules().len());
        let copied: Vec<&str> = builtin_rules()
            .iter()
            .filter(|r| r.copy_to_upper_office)
            .map(|r| r.code)
            .collect();
        assert_eq!(copied, ["party_standing_meeting_quarterly"]);
        for rule in builtin_rules() {
            assert!(
                !rule.kinds.is_empty() && !rule.tasks.is_empty(),
                "{}",
                rule.code
            );
            assert!((1..=7).contains(&rule.article), "{}", rule.code);
            assert!(!rule.title_zh.is_empty() && !rule.title_en.is_empty());
            assert!(rule.evidence_required, "{}", rule.code);
            assert_eq!(builtin_rule(rule.code), Some(rule));
        }
        assert_eq!(builtin_rule("nope"), None);
    }

    #[test]
    fn every_builtin_rule_shows_met_due_and_missed() {
        for rule in builtin_rules() {
            let base = Period::containing(rule.period, d("2026-08-15"));
            let terms = rule.terms();
            let inside = base.start();
            let open_day = base.end();
            let after = base.end().succ_opt().unwrap();
            let done = [Record {
                date: inside,
                kind: rule.kinds[0],
                entered_on: inside,
                accepted_late: false,
                evidenced_on: Some(d("2000-01-01")),
                id: 0,
            }];
            for (records, today, status) in [
                (&done[..], after, Status::Met),
                (&done[..], open_day, Status::Met),
                (&[][..], open_day, Status::Due),
                (&[][..], inside, Status::Due),
                (&[][..], after, Status::Missed),
            ] {
                let assessment = assess(&terms, base, &[], records, today);
                assert_eq!(assessment.status, status, "{} on {today}", rule.code);
                assert_eq!(assessment.windows.len(), 1);
                let c = assessment.windows[0].compliance;
                assert_eq!(c.required, rule.min_count);
                assert_eq!(c.done, records.len() as u32);
            }
            for kind in rule.kinds {
                let c = compliance(
                    rule.kinds,
                    1,
                    base.start(),
                    base.end(),
                    &[rec(&inside.to_string(), *kind)],
                    after,
                );
                assert_eq!(c.status, Status::Met, "{} by {kind}", rule.code);
            }
        }
    }

    #[test]
    fn kinds_that_do_not_match_do_not_count() {
        for rule in builtin_rules() {
            let base = Period::containing(rule.period, d("2026-08-15"));
            let others: Vec<Record> = ActivityKind::ALL
                .iter()
                .filter(|k| !rule.counts(**k))
                .map(|k| rec(&base.start().to_string(), *k))
                .collect();
            assert!(!others.is_empty());
            let after = base.end().succ_opt().unwrap();
            let c = compliance(rule.kinds, 1, base.start(), base.end(), &others, after);
            assert_eq!((c.done, c.status), (0, Status::Missed), "{}", rule.code);
        }
    }

    #[test]
    fn records_outside_the_window_or_in_the_future_do_not_count() {
        let q = p("2026Q3");
        let kinds = [ActivityKind::LedInspection];
        let records = [
            rec("2026-06-30", ActivityKind::LedInspection),
            rec("2026-10-01", ActivityKind::LedInspection),
            rec("2026-09-20", ActivityKind::LedInspection),
        ];
        let c = compliance(&kinds, 1, q.start(), q.end(), &records, d("2026-09-10"));
        assert_eq!((c.done, c.status), (0, Status::Due));
        let c = compliance(&kinds, 1, q.start(), q.end(), &records, d("2026-09-20"));
        assert_eq!((c.done, c.status), (1, Status::Met));
        let c = compliance(&kinds, 2, q.start(), q.end(), &records, d("2026-12-01"));
        assert_eq!((c.done, c.status), (1, Status::Missed));
    }

    #[test]
    fn a_record_entered_after_the_period_closed_is_late_and_does_not_count() {
        let q = p("2026Q3");
        let kinds = [ActivityKind::Study];
        let mut late = rec("2026-09-15", ActivityKind::Study);
        late.entered_on = d("2026-10-01");
        let c = compliance(&kinds, 1, q.start(), q.end(), &[late], d("2026-10-05"));
        assert_eq!(
            c,
            Compliance {
                required: 1,
                done: 0,
                late: 1,
                late_accepted: 0,
                status: Status::Missed
            }
        );
        let mut on_last_day = late;
        on_last_day.entered_on = d("2026-09-30");
        let c = compliance(
            &kinds,
            1,
            q.start(),
            q.end(),
            &[on_last_day],
            d("2026-10-05"),
        );
        assert_eq!((c.done, c.late, c.status), (1, 0, Status::Met));
    }

    #[test]
    fn a_late_record_the_office_accepted_counts() {
        let q = p("2026Q3");
        let kinds = [ActivityKind::Study];
        let mut late = rec("2026-09-15", ActivityKind::Study);
        late.entered_on = d("2026-10-01");
        late.accepted_late = true;
        let c = compliance(&kinds, 1, q.start(), q.end(), &[late], d("2026-10-05"));
        assert_eq!(
            c,
            Compliance {
                required: 1,
                done: 1,
                late: 1,
                late_accepted: 1,
                status: Status::Met
            }
        );
    }

    fn congress(tightenings: &[(&str, PeriodKind, u32)]) -> SensitivePeriod {
        SensitivePeriod {
            name: "党的二十大".to_owned(),
            start: d("2026-08-10"),
            end: d("2026-10-22"),
            tightenings: tightenings
                .iter()
                .map(|(code, period, min_count)| Tightening {
                    rule_code: (*code).to_owned(),
                    period: *period,
                    min_count: *min_count,
                })
                .collect(),
        }
    }

    #[test]
    fn sensitive_tightening_adds_monthly_windows_clipped_to_the_window() {
        let rule = builtin_rule("party_member_inspection_quarterly").unwrap();
        let sens = [congress(&[(rule.code, PeriodKind::Month, 1)])];
        let q3 = windows(&rule.terms(), p("2026Q3"), &sens);
        let spans: Vec<(NaiveDate, NaiveDate, u32, Option<&str>)> = q3
            .iter()
            .map(|w| (w.start, w.end, w.required, w.sensitive.as_deref()))
            .collect();
        assert_eq!(
            spans,
            [
                (d("2026-07-01"), d("2026-09-30"), 1, None),
                (d("2026-08-10"), d("2026-08-31"), 1, Some("党的二十大")),
                (d("2026-09-01"), d("2026-09-30"), 1, Some("党的二十大")),
            ]
        );
        assert_eq!(q3[1].period, p("2026-08"));
        let q4 = windows(&rule.terms(), p("2026Q4"), &sens);
        assert_eq!(q4.len(), 2);
        assert_eq!((q4[1].start, q4[1].end), (d("2026-10-01"), d("2026-10-22")));
        assert_eq!(windows(&rule.terms(), p("2026Q2"), &sens).len(), 1);
    }

    #[test]
    fn a_missed_sensitive_month_makes_the_rule_missed() {
        let rule = builtin_rule("party_member_inspection_quarterly").unwrap();
        let sens = [congress(&[(rule.code, PeriodKind::Month, 1)])];
        let records = [
            rec("2026-08-20", ActivityKind::LedInspection),
            rec("2026-07-05", ActivityKind::LedInspection),
        ];
        let mid_september = assess(&rule.terms(), p("2026Q3"), &sens, &records, d("2026-09-15"));
        let statuses: Vec<Status> = mid_september
            .windows
            .iter()
            .map(|w| w.compliance.status)
            .collect();
        assert_eq!(statuses, [Status::Met, Status::Met, Status::Due]);
        assert_eq!(mid_september.status, Status::Due);
        let closed = assess(&rule.terms(), p("2026Q3"), &sens, &records, d("2026-10-01"));
        assert_eq!(closed.status, Status::Missed, "September had no inspection");
        let mut all = records.to_vec();
        all.push(rec("2026-09-28", ActivityKind::LedInspection));
        let closed = assess(&rule.terms(), p("2026Q3"), &sens, &all, d("2026-10-01"));
        assert_eq!(closed.status, Status::Met);
    }

    #[test]
    fn tightenings_of_other_rules_or_other_dates_add_no_window() {
        let rule = builtin_rule("gov_principal_inspection_quarterly").unwrap();
        let other = [congress(&[(
            "party_member_inspection_quarterly",
            PeriodKind::Month,
            1,
        )])];
        assert_eq!(windows(&rule.terms(), p("2026Q3"), &other).len(), 1);
        let mut backwards = congress(&[(rule.code, PeriodKind::Month, 1)]);
        backwards.end = d("2026-08-01");
        assert_eq!(windows(&rule.terms(), p("2026Q3"), &[backwards]).len(), 1);
        let two = congress(&[(rule.code, PeriodKind::Month, 2)]);
        let w = windows(&rule.terms(), p("2026Q3"), &[two]);
        assert_eq!(w.iter().map(|w| w.required).collect::<Vec<_>>(), [1, 2, 2]);
    }

    #[test]
    fn days_left_counts_today_and_stops_at_zero_once_closed() {
        let end = d("2026-09-30");
        assert_eq!(days_left(end, d("2026-09-30")), 1);
        assert_eq!(days_left(end, d("2026-09-24")), 7);
        assert_eq!(days_left(end, d("2026-10-01")), 0);
        assert_eq!(days_left(end, d("2027-01-01")), 0);
    }

    #[test]
    fn a_holder_is_at_risk_when_unmet_with_fewer_than_n_days_left() {
        assert!(at_risk(0, 1, 5, 7));
        assert!(!at_risk(0, 1, 7, 7));
        assert!(!at_risk(1, 1, 2, 7), "already met");
        assert!(!at_risk(0, 1, 0, 7), "closed: missed, not at risk");
        assert!(at_risk(1, 2, 1, 7));
    }

    #[test]
    fn worst_status_orders_missed_over_due_over_met() {
        assert_eq!(
            Status::worst([Status::Met, Status::Missed, Status::Due]),
            Status::Missed
        );
        assert_eq!(Status::worst([Status::Met, Status::Due]), Status::Due);
        assert_eq!(Status::worst([]), Status::Met);
        assert_eq!(Status::parse("missed"), Some(Status::Missed));
    }

    #[test]
    fn a_record_without_evidence_counts_only_where_evidence_is_not_required() {
        let rule = builtin_rule("party_study_quarterly").unwrap();
        let base = p("2026Q3");
        let bare = Record {
            evidenced_on: None,
            ..rec("2026-08-01", ActivityKind::Study)
        };
        let strict = rule.terms();
        assert!(strict.evidence_required);
        let a = assess(&strict, base, &[], &[bare], d("2026-10-02"));
        assert_eq!(
            (a.status, a.windows[0].compliance.done),
            (Status::Missed, 0)
        );
        let lax = RuleTerms {
            evidence_required: false,
            ..strict
        };
        let a = assess(&lax, base, &[], &[bare], d("2026-10-02"));
        assert_eq!((a.status, a.windows[0].compliance.done), (Status::Met, 1));
    }

    #[test]
    fn evidence_attached_after_the_window_closed_is_late_like_a_late_entry() {
        let rule = builtin_rule("party_study_quarterly").unwrap();
        let base = p("2026Q3");
        let on_time = rec("2026-08-01", ActivityKind::Study);
        let late_evidence = Record {
            evidenced_on: Some(d("2026-10-03")),
            ..on_time
        };
        let a = assess(&rule.terms(), base, &[], &[late_evidence], d("2026-10-05"));
        let w = a.windows[0].compliance;
        assert_eq!((a.status, w.done, w.late), (Status::Missed, 0, 1));
        let accepted = Record {
            accepted_late: true,
            ..late_evidence
        };
        let a = assess(&rule.terms(), base, &[], &[accepted], d("2026-10-05"));
        assert_eq!(a.status, Status::Met);
        let in_time = Record {
            evidenced_on: Some(d("2026-09-30")),
            ..on_time
        };
        let a = assess(&rule.terms(), base, &[], &[in_time], d("2026-10-05"));
        assert_eq!(a.status, Status::Met);
    }
}
