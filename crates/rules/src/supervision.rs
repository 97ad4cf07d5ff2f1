//! 督查督办: turning a task's responsible-unit selectors into assignments, the life of an
//! assignment, and its status light.
//!
//! Regulation: 通安委〔2022〕10号, article (十) — the committee office 加强考核巡查、警示提醒、
//! 挂牌督办 — and the closing paragraph (措施细化到岗、责任到人，逐项抓好贯彻落实；纳入督查、检查).
//! Due dates are calendar dates in Asia/Shanghai; an assignment is overdue once the server's
//! date there is after the due date (the whole due day counts).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::org::{Level, OrgKind, Sector};
use crate::unit_phrase::{Target, UnitSelector};

/// What resolution needs to know about an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFacts {
    pub id: i64,
    pub kind: OrgKind,
    pub level: Level,
    /// In a development zone (高新区, 港务区): its 管委会 is not a 政府.
    pub in_zone: bool,
    pub supervises_safety: bool,
    pub sectors: Vec<Sector>,
}

/// How an organisation holds its assignment.
///
/// The task table's 责任单位 column names *responsible* units; it does not name a lead (牵头)
/// and helpers (配合). Every unit a phrase names is responsible for its own assignment (党政同责:
/// party committees and governments are equally responsible; each department for its own
/// sector). Support is never inferred from word order: only the office may give a unit a
/// supporting role, by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentRole {
    /// 责任单位: responsible for its own assignment (code `lead`, as stored).
    Lead,
    /// 配合: supports, where the office chose so.
    Support,
}

impl AssignmentRole {
    pub fn code(self) -> &'static str {
        match self {
            AssignmentRole::Lead => "lead",
            AssignmentRole::Support => "support",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "lead" => Some(AssignmentRole::Lead),
            "support" => Some(AssignmentRole::Support),
            _ => None,
        }
    }
}

/// The proposed assignments of one task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Proposal {
    /// Organisation id and role, in the order of the selectors.
    pub picks: Vec<(i64, AssignmentRole)>,
    /// Selectors the office must resolve by hand (相关部门, enterprises): never guessed.
    pub open: Vec<UnitSelector>,
}

fn matches(sel: &UnitSelector, o: &OrgFacts, reference: Level) -> Option<bool> {
    if !sel.scope.includes(o.level, reference) {
        return Some(false);
    }
    Some(match sel.target {
        // 各级政府 are governments; the zones' 管委会 are named separately (高新区、港务区管委会).
        Target::Kind(OrgKind::Government) => o.kind == OrgKind::Government && !o.in_zone,
        // 党（工）委 includes the zones' 党工委.
        Target::Kind(k) => o.kind == k,
        Target::ZoneCommittees => o.kind == OrgKind::Government && o.in_zone,
        Target::SupervisingDepartments => o.kind == OrgKind::Department && o.supervises_safety,
        Target::Department(s) => o.kind == OrgKind::Department && o.sectors.contains(&s),
        Target::RelatedDepartments
        | Target::CentralProvincialEnterprises
        | Target::ProductionUnits => return None,
    })
}

/// Resolves selectors over the organisations. Every organisation any selector picks is
/// responsible for its own assignment (see [`AssignmentRole`]): the order of the phrase's
/// items decides nothing. Each organisation appears once, in the order of the selectors.
/// `reference` is the level of the issuing body (同级 means that level).
pub fn resolve(selectors: &[UnitSelector], orgs: &[OrgFacts], reference: Level) -> Proposal {
    let mut p = Proposal::default();
    for sel in selectors {
        let mut open = false;
        for o in orgs {
            match matches(sel, o, reference) {
                None => {
                    open = true;
                    break;
                }
                Some(true) => {
                    if !p.picks.iter().any(|(id, _)| *id == o.id) {
                        p.picks.push((o.id, AssignmentRole::Lead));
                    }
                }
                Some(false) => {}
            }
        }
        if open {
            p.open.push(*sel);
        }
    }
    p
}

/// Where an assignment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已交办: issued, not yet acknowledged.
    Issued,
    /// 已签收 / 办理中: acknowledged, in progress.
    Acknowledged,
    /// 已报送: a progress report waits for review.
    Reported,
    /// 已退回: the last report was returned; a new one is due.
    Returned,
    /// 申请办结: completion requested, waits for review.
    CompletionRequested,
    /// 已销号: closed by the office.
    Closed,
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::Issued,
        Status::Acknowledged,
        Status::Reported,
        Status::Returned,
        Status::CompletionRequested,
        Status::Closed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Status::Issued => "issued",
            Status::Acknowledged => "acknowledged",
            Status::Reported => "reported",
            Status::Returned => "returned",
            Status::CompletionRequested => "completion_requested",
            Status::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|x| x.code() == s)
    }
}

/// What someone does to an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 签收.
    Acknowledge,
    /// 报送进展.
    ReportProgress,
    /// 办结申请 (one-off tasks only).
    RequestCompletion,
    /// 审核通过.
    Accept,
    /// 退回.
    Return,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyAcknowledged,
    NotAcknowledged,
    Closed,
    NothingToReview,
    OngoingCannotClose,
    AwaitingReview,
}

impl Refusal {
    /// Translation key of the explanation.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::AlreadyAcknowledged => "supervision.refused.already_acknowledged",
            Refusal::NotAcknowledged => "supervision.refused.not_acknowledged",
            Refusal::Closed => "supervision.refused.closed",
            Refusal::NothingToReview => "supervision.refused.nothing_to_review",
            Refusal::OngoingCannotClose => "supervision.refused.ongoing_cannot_close",
            Refusal::AwaitingReview => "supervision.refused.awaiting_review",
        }
    }
}

/// The status after `action`, or why it is refused. `ongoing` tasks (长期坚持) are never
/// closed: they report every period instead. Accepting a completion request closes (销号).
pub fn transition(status: Status, action: Action, ongoing: bool) -> Result<Status, Refusal> {
    use Action::*;
    use Status::*;
    if status == Closed {
        return Err(Refusal::Closed);
    }
    match action {
        Acknowledge => match status {
            Issued => Ok(Acknowledged),
            _ => Err(Refusal::AlreadyAcknowledged),
        },
        ReportProgress | RequestCompletion => {
            if action == RequestCompletion && ongoing {
                return Err(Refusal::OngoingCannotClose);
            }
            match status {
                Issued => Err(Refusal::NotAcknowledged),
                Reported | CompletionRequested => Err(Refusal::AwaitingReview),
                _ => Ok(if action == RequestCompletion {
                    CompletionRequested
                } else {
                    Reported
                }),
            }
        }
        Accept => match status {
            Reported => Ok(Acknowledged),
            CompletionRequested => Ok(Closed),
            _ => Err(Refusal::NothingToReview),
        },
        Return => match status {
            Reported | CompletionRequested => Ok(Returned),
            _ => Err(Refusal::NothingToReview),
        },
    }
}

/// The status light (never shown by colour alone: the UI adds its label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Grey,
    Green,
    Yellow,
    Red,
}

impl Light {
    pub const ALL: &'static [Light] = &[Light::Red, Light::Yellow, Light::Green, Light::Grey];
    pub fn code(self) -> &'static str {
        match self {
            Light::Grey => "grey",
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
    pub fn parse(s: &str) -> Option<Light> {
        Light::ALL.iter().copied().find(|l| l.code() == s)
    }
}

/// The light of one assignment: grey when closed; red once `today` is after the due date;
/// yellow when due within `lead_days` (today included) or returned and not yet re-reported;
/// green otherwise. `due` is the date that matters now: the task's due date, or for an
/// ongoing task the next periodic report date.
pub fn light(status: Status, due: Option<NaiveDate>, today: NaiveDate, lead_days: i64) -> Light {
    if status == Status::Closed {
        return Light::Grey;
    }
    if let Some(d) = due {
        if today > d {
            return Light::Red;
        }
        if (d - today).num_days() <= lead_days {
            return Light::Yellow;
        }
    }
    if status == Status::Returned {
        return Light::Yellow;
    }
    Light::Green
}

/// The worst light of several (red > yellow > green > grey), for roll-ups.
pub fn worst(lights: impl IntoIterator<Item = Light>) -> Option<Light> {
    lights.into_iter().max()
}

/// The last day of the reporting period (of `months` months, aligned to the calendar year:
/// 3 → quarters) that follows the period containing `date`.
pub fn next_period_end(date: NaiveDate, months: u32) -> NaiveDate {
    let m = months.clamp(1, 12);
    let idx = (date.month0() / m + 1) * m; // first month (0-based) of the next period
    let (y, start_month0) = (date.year() + (idx / 12) as i32, idx % 12);
    let next_start = NaiveDate::from_ymd_opt(y, start_month0 + 1, 1).expect("valid month start");
    let after = next_start
        .checked_add_months(Months::new(m))
        .expect("date in range");
    after.pred_opt().expect("date in range")
}

/// How many months one report of an ongoing assignment covers: a yearly task (task 5's
/// 按照市委年度巡察工作安排, deadline kind `yearly`) reports once a year, the others once per
/// `configured` months.
pub fn report_months(deadline_kind: &str, configured: u32) -> u32 {
    if deadline_kind == crate::deadline_phrase::DeadlineKind::Yearly.code() {
        12
    } else {
        configured
    }
}

/// The last day of the period containing `date`.
pub fn period_end(date: NaiveDate, months: u32) -> NaiveDate {
    let m = months.clamp(1, 12);
    let idx = (date.month0() / m) * m;
    let start = NaiveDate::from_ymd_opt(date.year(), idx + 1, 1).expect("valid month start");
    start
        .checked_add_months(Months::new(m))
        .expect("date in range")
        .pred_opt()
        .expect("date in range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit_phrase::{self, LevelScope};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn org(
        id: i64,
        kind: OrgKind,
        level: Level,
        in_zone: bool,
        sup: bool,
        sectors: &[Sector],
    ) -> OrgFacts {
        OrgFacts {
            id,
            kind,
            level,
            in_zone,
            supervises_safety: sup,
            sectors: sectors.to_vec(),
        }
    }

    fn tree() -> Vec<OrgFacts> {
        vec![
            org(1, OrgKind::PartyCommittee, Level::City, false, false, &[]),
            org(2, OrgKind::Government, Level::City, false, false, &[]),
            org(3, OrgKind::PartyCommittee, Level::County, false, false, &[]),
            org(4, OrgKind::Government, Level::County, false, false, &[]),
            org(5, OrgKind::PartyCommittee, Level::County, true, false, &[]),
            org(6, OrgKind::Government, Level::County, true, false, &[]),
            org(
                7,
                OrgKind::Department,
                Level::City,
                false,
                true,
                &[Sector::Emergency],
            ),
            org(
                8,
                OrgKind::Department,
                Level::County,
                false,
                true,
                &[Sector::Emergency],
            ),
            org(
                9,
                OrgKind::Department,
                Level::City,
                false,
                false,
                &[Sector::Publicity],
            ),
            org(
                10,
                OrgKind::Department,
                Level::County,
                false,
                false,
                &[Sector::Publicity],
            ),
            org(
                11,
                OrgKind::Department,
                Level::City,
                false,
                false,
                &[Sector::Inspection],
            ),
            org(
                12,
                OrgKind::Department,
                Level::County,
                false,
                false,
                &[Sector::Finance],
            ),
        ]
    }

    fn ids(p: &Proposal, role: AssignmentRole) -> Vec<i64> {
        p.picks
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(i, _)| *i)
            .collect()
    }

    #[test]
    fn every_party_committee_including_the_zones_leads_task_seven() {
        let sel = unit_phrase::parse("各级党(工)委").unwrap();
        let p = resolve(&sel, &tree(), Level::City);
        assert_eq!(ids(&p, AssignmentRole::Lead), vec![1, 3, 5]);
        assert!(p.open.is_empty());
    }

    #[test]
    fn governments_exclude_zone_committees_unless_named() {
        let p = resolve(
            &unit_phrase::parse("各级政府").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(ids(&p, AssignmentRole::Lead), vec![2, 4]);
        let p = resolve(
            &unit_phrase::parse("各级政府，高新区、港务区管委会").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(
            ids(&p, AssignmentRole::Lead),
            vec![2, 4, 6],
            "the zones' 管委会 are responsible like governments"
        );
        assert!(ids(&p, AssignmentRole::Support).is_empty());
    }

    #[test]
    fn supervising_departments_at_every_level_lead_task_eighteen() {
        let p = resolve(
            &unit_phrase::parse("各级负有安全生产监督管理职责的部门").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(ids(&p, AssignmentRole::Lead), vec![7, 8]);
    }

    #[test]
    fn the_city_inspection_office_alone_does_task_five() {
        let p = resolve(
            &unit_phrase::parse("市委巡察办").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(p.picks, vec![(11, AssignmentRole::Lead)]);
    }

    #[test]
    fn every_unit_named_is_responsible_whatever_its_place_in_the_phrase() {
        let p = resolve(
            &unit_phrase::parse("各级党（工）委， 宣传部门").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(ids(&p, AssignmentRole::Lead), vec![1, 3, 5, 9, 10]);
        assert!(
            ids(&p, AssignmentRole::Support).is_empty(),
            "support is never inferred from word order"
        );
        // 党政同责: governments are as responsible as party committees.
        let p = resolve(
            &unit_phrase::parse("各级党（工）委、政府，高新区、港务区管委会").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(ids(&p, AssignmentRole::Lead), vec![1, 3, 5, 2, 4, 6]);
    }

    #[test]
    fn related_departments_and_enterprises_are_left_to_the_office() {
        let p = resolve(
            &unit_phrase::parse("各级党（工）委、政府，高新区、港务区管委会，各级相关部门")
                .unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(p.open.len(), 1);
        assert_eq!(p.open[0].target, Target::RelatedDepartments);
        let p = resolve(
            &unit_phrase::parse("中省属企业").unwrap(),
            &tree(),
            Level::City,
        );
        assert!(p.picks.is_empty());
        assert_eq!(p.open.len(), 1);
    }

    #[test]
    fn same_level_means_each_bodys_own_level_so_every_party_committee() {
        // Task 35: 同级党委 of 各地政府 — each government's own party committee, at every
        // level, not only the issuing office's.
        let p = resolve(
            &unit_phrase::parse("同级党委").unwrap(),
            &tree(),
            Level::City,
        );
        assert_eq!(ids(&p, AssignmentRole::Lead), vec![1, 3, 5]);
        let _ = LevelScope::SameLevel;
    }

    #[test]
    fn acknowledging_twice_and_reporting_on_a_closed_assignment_are_refused() {
        assert_eq!(
            transition(Status::Issued, Action::Acknowledge, false),
            Ok(Status::Acknowledged)
        );
        assert_eq!(
            transition(Status::Acknowledged, Action::Acknowledge, false),
            Err(Refusal::AlreadyAcknowledged)
        );
        assert_eq!(
            transition(Status::Closed, Action::ReportProgress, false),
            Err(Refusal::Closed)
        );
        assert_eq!(
            transition(Status::Issued, Action::ReportProgress, false),
            Err(Refusal::NotAcknowledged)
        );
    }

    #[test]
    fn a_return_then_a_new_report_then_acceptance_of_completion_closes() {
        let s = transition(Status::Acknowledged, Action::RequestCompletion, false).unwrap();
        assert_eq!(s, Status::CompletionRequested);
        let s = transition(s, Action::Return, false).unwrap();
        assert_eq!(s, Status::Returned);
        let s = transition(s, Action::RequestCompletion, false).unwrap();
        assert_eq!(transition(s, Action::Accept, false), Ok(Status::Closed));
        assert_eq!(
            transition(Status::Reported, Action::Accept, false),
            Ok(Status::Acknowledged)
        );
        assert_eq!(
            transition(Status::Acknowledged, Action::Accept, false),
            Err(Refusal::NothingToReview)
        );
        assert_eq!(
            transition(Status::Reported, Action::ReportProgress, false),
            Err(Refusal::AwaitingReview)
        );
    }

    #[test]
    fn ongoing_tasks_cannot_ask_to_be_closed() {
        assert_eq!(
            transition(Status::Acknowledged, Action::RequestCompletion, true),
            Err(Refusal::OngoingCannotClose)
        );
        assert_eq!(
            transition(Status::Acknowledged, Action::ReportProgress, true),
            Ok(Status::Reported)
        );
    }

    #[test]
    fn lights_follow_the_due_date_by_the_server_date() {
        let due = Some(d("2022-09-30"));
        assert_eq!(
            light(Status::Acknowledged, due, d("2022-09-20"), 3),
            Light::Green
        );
        assert_eq!(
            light(Status::Acknowledged, due, d("2022-09-27"), 3),
            Light::Yellow
        );
        assert_eq!(
            light(Status::Acknowledged, due, d("2022-09-30"), 3),
            Light::Yellow,
            "the due day itself is not late"
        );
        assert_eq!(
            light(Status::Acknowledged, due, d("2022-10-01"), 3),
            Light::Red
        );
        assert_eq!(light(Status::Closed, due, d("2022-10-01"), 3), Light::Grey);
        assert_eq!(
            light(Status::Returned, due, d("2022-09-01"), 3),
            Light::Yellow,
            "returned and not re-reported"
        );
        assert_eq!(
            light(Status::Acknowledged, None, d("2030-01-01"), 3),
            Light::Green,
            "no fixed date never turns red"
        );
        assert_eq!(
            light(Status::Acknowledged, due, d("2022-09-26"), 5),
            Light::Yellow,
            "lead time is configurable"
        );
    }

    #[test]
    fn roll_ups_take_the_worst_light() {
        assert_eq!(
            worst([Light::Green, Light::Red, Light::Grey]),
            Some(Light::Red)
        );
        assert_eq!(worst([Light::Grey, Light::Green]), Some(Light::Green));
        assert_eq!(worst([]), None);
    }

    #[test]
    fn quarterly_report_dates_fall_on_quarter_ends() {
        assert_eq!(next_period_end(d("2022-09-30"), 3), d("2022-12-31"));
        assert_eq!(next_period_end(d("2022-10-01"), 3), d("2023-03-31"));
        assert_eq!(next_period_end(d("2022-12-31"), 3), d("2023-03-31"));
        assert_eq!(period_end(d("2022-05-15"), 3), d("2022-06-30"));
        assert_eq!(period_end(d("2022-05-15"), 1), d("2022-05-31"));
        assert_eq!(next_period_end(d("2023-11-15"), 2), d("2024-02-29"));
    }
}

stored_code!(Status, AssignmentRole);
