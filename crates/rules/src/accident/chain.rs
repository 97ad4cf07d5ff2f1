//! The reporting chain (事故报告) and its clocks.
//!
//! - 条例 第九条: the people on the scene report at once (立即) to the unit's head; the head
//!   reports within 1 hour of receiving it to the county-level (县级以上) 应急管理部门 (formerly
//!   安全生产监督管理部门) and the departments with supervision duties (负有安全生产监督管理职责的
//!   有关部门). In an emergency the scene may report to them directly.
//! - 条例 第十条: the receiving departments pass it up level by level (逐级上报) — 一般 to the
//!   设区的市级, 较大 to the 省级, 重大 and 特别重大 to the 国务院 level — and notify 公安机关、
//!   劳动保障行政部门 (now 人力资源社会保障部门)、工会 and 人民检察院; each also reports to its own
//!   people's government. 越级上报 (skipping a level) is allowed when necessary.
//! - 条例 第十一条: each level passes it up within 2 hours (每级上报的时间不得超过2小时).
//!
//! The platform starts the unit's 1-hour clock at the accident's time unless the time the head
//! learned of it is recorded (the scene reports 立即, so the two are normally the same), and
//! each level's 2-hour clock when that level receives (acknowledges) the report.

use chrono::{DateTime, TimeDelta, Utc};

use super::Grade;

vocabulary! {
    /// A level of the reporting chain, lowest first.
    ReportLevel {
        /// 事故发生单位 (its head, 单位负责人).
        Unit => ("unit", "事故发生单位", "the accident unit"),
        /// 县级 (事故发生地县级人民政府应急管理部门和有关部门).
        County => ("county", "县级", "county level"),
        /// 设区的市级 (通化市).
        City => ("city", "设区的市级", "city level"),
        /// 省级 (吉林省).
        Province => ("province", "省级", "provincial level"),
        /// 国务院应急管理部门和有关部门 (and the State Council).
        StateCouncil => ("state_council", "国务院", "State Council level"),
    }
}

vocabulary! {
    /// Whom each government level notifies besides passing the report up (条例 第十条).
    Notified {
        /// 公安机关.
        PublicSecurity => ("public_security", "公安机关", "public security"),
        /// 劳动保障行政部门, today 人力资源社会保障部门 (人社).
        HumanResources => ("human_resources", "人力资源社会保障部门", "human resources and social security"),
        /// 工会.
        TradeUnion => ("trade_union", "工会", "trade union"),
        /// 人民检察院.
        Procuratorate => ("procuratorate", "人民检察院", "procuratorate"),
    }
}

impl ReportLevel {
    /// The level above, `None` at the top.
    pub fn next(&self) -> Option<ReportLevel> {
        let i = Self::ALL.iter().position(|l| l == self)?;
        Self::ALL.get(i + 1).copied()
    }

    /// The time this level has to pass the report on once it has it: 1 hour for the unit's
    /// head (第九条), 2 hours for every department level (第十一条); `None` at the top.
    pub fn limit(&self) -> Option<TimeDelta> {
        match self {
            ReportLevel::Unit => Some(TimeDelta::hours(1)),
            ReportLevel::StateCouncil => None,
            _ => Some(TimeDelta::hours(2)),
        }
    }

    /// Whom this level notifies on receiving a report: every department level notifies the
    /// four of 第十条; the unit notifies nobody under that article.
    pub fn notifies(&self) -> &'static [Notified] {
        match self {
            ReportLevel::Unit => &[],
            _ => Notified::ALL,
        }
    }

    /// Whether the level lies inside the platform (unit, county, city); the province and the
    /// State Council level are recorded by the city office (when, how, to whom, receipt).
    pub fn inside_platform(&self) -> bool {
        *self <= ReportLevel::City
    }
}

/// The level a grade's report must reach (条例 第十条).
pub fn required_level(grade: Grade) -> ReportLevel {
    match grade {
        Grade::Ordinary => ReportLevel::City,
        Grade::Serious => ReportLevel::Province,
        Grade::VerySerious | Grade::ExtremelySerious => ReportLevel::StateCouncil,
    }
}

/// One step of the chain: `from` passes the report to `to` within `from`'s limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Hop {
    pub from: ReportLevel,
    pub to: ReportLevel,
}

impl Hop {
    /// The time allowed, in minutes (60 or 120).
    pub fn limit_minutes(&self) -> i64 {
        self.from.limit().map_or(0, |l| l.num_minutes())
    }

    /// When the hop is due: the time `from` received the report (for the unit, the accident's
    /// time) plus the limit. The due instant itself is on time.
    pub fn due_at(&self, received_at: DateTime<Utc>) -> DateTime<Utc> {
        received_at + TimeDelta::minutes(self.limit_minutes())
    }
}

/// The hops from `from` up to `to`, one level at a time; empty unless `to` is above `from`.
pub fn hops_between(from: ReportLevel, to: ReportLevel) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut at = from;
    while at < to {
        let Some(next) = at.next() else { break };
        hops.push(Hop { from: at, to: next });
        at = next;
    }
    hops
}

/// The whole chain a grade requires, from the unit.
pub fn hops(grade: Grade) -> Vec<Hop> {
    hops_between(ReportLevel::Unit, required_level(grade))
}

/// The hops a regrade adds (第十三条 and 第二十条: the chain follows the new grade): from the
/// level the old grade required up to the new one; empty when the new grade requires no higher
/// level. A lower grade never removes a hop already due.
pub fn escalation(old: Grade, new: Grade) -> Vec<Hop> {
    hops_between(required_level(old), required_level(new))
}

/// Minutes late (迟报) of a report made `at` against `due_at`: 0 when on time (at or before the
/// due instant); otherwise the lateness rounded up to whole minutes, so that any lateness — one
/// second or one minute — counts and is never shown as 0.
pub fn late_minutes(due_at: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    if at <= due_at {
        return 0;
    }
    let seconds = (at - due_at).num_seconds();
    let nanos_extra = (at - due_at).subsec_nanos() > 0;
    let seconds = seconds + i64::from(nanos_extra);
    (seconds + 59) / 60
}

/// Where a hop's clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Clock {
    /// Acknowledged in time.
    OnTime,
    /// Acknowledged late (迟报) by so many minutes.
    Late { minutes: i64 },
    /// Not acknowledged yet, so many whole minutes left (rounded down).
    Running { minutes_left: i64 },
    /// Not acknowledged and past due by so many minutes (rounded up).
    Overdue { minutes: i64 },
}

/// The clock of a hop due at `due_at`, acknowledged at `acknowledged_at` if it has been, seen
/// at `now`.
pub fn clock(
    due_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Clock {
    match acknowledged_at {
        Some(at) => match late_minutes(due_at, at) {
            0 => Clock::OnTime,
            minutes => Clock::Late { minutes },
        },
        None if now <= due_at => Clock::Running {
            minutes_left: (due_at - now).num_minutes(),
        },
        None => Clock::Overdue {
            minutes: late_minutes(due_at, now),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReportLevel::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn required_levels() {
        assert_eq!(required_level(Grade::Ordinary), City);
        assert_eq!(required_level(Grade::Serious), Province);
        assert_eq!(required_level(Grade::VerySerious), StateCouncil);
        assert_eq!(required_level(Grade::ExtremelySerious), StateCouncil);
    }

    #[test]
    fn the_chains() {
        let h = hops(Grade::Ordinary);
        assert_eq!(
            h,
            vec![
                Hop {
                    from: Unit,
                    to: County
                },
                Hop {
                    from: County,
                    to: City
                }
            ]
        );
        assert_eq!(h[0].limit_minutes(), 60);
        assert_eq!(h[1].limit_minutes(), 120);
        assert_eq!(hops(Grade::Serious).len(), 3);
        assert_eq!(
            hops(Grade::Serious)[2],
            Hop {
                from: City,
                to: Province
            }
        );
        let h = hops(Grade::ExtremelySerious);
        assert_eq!(h.len(), 4);
        assert_eq!(
            h[3],
            Hop {
                from: Province,
                to: StateCouncil
            }
        );
        assert_eq!(h[3].limit_minutes(), 120);
        assert_eq!(hops(Grade::VerySerious), h);
        assert_eq!(StateCouncil.limit(), None);
        assert_eq!(StateCouncil.next(), None);
        assert!(hops_between(City, County).is_empty());
        assert!(City.inside_platform() && !Province.inside_platform());
    }

    #[test]
    fn the_unit_clock_one_hour() {
        let hop = hops(Grade::Ordinary)[0];
        let occurred = t("2026-06-01T08:00:00+08:00");
        let due = hop.due_at(occurred);
        assert_eq!(due, t("2026-06-01T09:00:00+08:00"));
        assert_eq!(late_minutes(due, t("2026-06-01T08:59:59+08:00")), 0);
        assert_eq!(late_minutes(due, due), 0, "the due instant is on time");
        assert_eq!(late_minutes(due, t("2026-06-01T09:01:00+08:00")), 1);
        assert_eq!(late_minutes(due, t("2026-06-01T09:00:01+08:00")), 1);
        assert_eq!(late_minutes(due, t("2026-06-01T09:00:59+08:00")), 1);
        assert_eq!(late_minutes(due, t("2026-06-01T09:01:01+08:00")), 2);
        assert_eq!(late_minutes(due, t("2026-06-01T11:00:00+08:00")), 120);
        let tiny = due + TimeDelta::milliseconds(1);
        assert_eq!(late_minutes(due, tiny), 1);
    }

    #[test]
    fn every_level_two_hours() {
        for hop in hops(Grade::ExtremelySerious).into_iter().skip(1) {
            let received = t("2026-06-01T23:30:00+08:00");
            let due = hop.due_at(received);
            assert_eq!(due, t("2026-06-02T01:30:00+08:00"), "{hop:?}");
            assert_eq!(clock(due, Some(due), due), Clock::OnTime);
            assert_eq!(
                clock(due, Some(due + TimeDelta::minutes(1)), due),
                Clock::Late { minutes: 1 }
            );
        }
    }

    #[test]
    fn running_and_overdue_clocks() {
        let due = t("2026-06-01T10:00:00Z");
        assert_eq!(
            clock(due, None, t("2026-06-01T08:30:30Z")),
            Clock::Running { minutes_left: 89 }
        );
        assert_eq!(clock(due, None, due), Clock::Running { minutes_left: 0 });
        assert_eq!(
            clock(due, None, t("2026-06-01T10:01:00Z")),
            Clock::Overdue { minutes: 1 }
        );
        assert_eq!(
            clock(
                due,
                Some(t("2026-06-01T09:00:00Z")),
                t("2026-06-02T00:00:00Z")
            ),
            Clock::OnTime
        );
    }

    #[test]
    fn a_regrade_extends_the_chain() {
        assert_eq!(
            escalation(Grade::Ordinary, Grade::Serious),
            vec![Hop {
                from: City,
                to: Province
            }]
        );
        assert_eq!(
            escalation(Grade::Ordinary, Grade::VerySerious),
            vec![
                Hop {
                    from: City,
                    to: Province
                },
                Hop {
                    from: Province,
                    to: StateCouncil
                }
            ]
        );
        assert_eq!(
            escalation(Grade::Serious, Grade::ExtremelySerious),
            vec![Hop {
                from: Province,
                to: StateCouncil
            }]
        );
        assert!(escalation(Grade::VerySerious, Grade::ExtremelySerious).is_empty());
        assert!(escalation(Grade::Serious, Grade::Serious).is_empty());
        assert!(escalation(Grade::Serious, Grade::Ordinary).is_empty());
        // The new hop's clock starts when the city has the regrade.
        let hop = escalation(Grade::Ordinary, Grade::Serious)[0];
        assert_eq!(
            hop.due_at(t("2026-06-10T15:00:00Z")),
            t("2026-06-10T17:00:00Z")
        );
    }

    #[test]
    fn notifications() {
        assert!(Unit.notifies().is_empty());
        for level in [County, City, Province, StateCouncil] {
            let zh: Vec<_> = level.notifies().iter().map(|n| n.name_zh()).collect();
            assert_eq!(
                zh,
                ["公安机关", "人力资源社会保障部门", "工会", "人民检察院"]
            );
        }
        assert_eq!(Notified::parse("trade_union"), Some(Notified::TradeUnion));
    }
}
