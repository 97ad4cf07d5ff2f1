//! Investigation (事故调查) and approval (批复) deadlines.
//!
//! - 条例 第十九条: who investigates — 特别重大 the 国务院 (or the departments it authorises),
//!   重大 the 省级 government, 较大 the 设区的市级 government, 一般 the 县级 government (which may
//!   entrust an 一般 accident without casualties to the unit itself).
//! - 条例 第二十九条: the investigation report is due within 60 days of the accident; in special
//!   cases the deadline may be extended with approval, by at most 60 days; time spent on
//!   technical appraisal (技术鉴定) is not counted.
//! - 条例 第三十二条: the government approves (批复) within 15 days of receiving the report for
//!   重大, 较大 and 一般, within 30 days for 特别重大; an extension of at most 30 days in special
//!   cases. That the extension applies to 特别重大 only is how the article reads from memory
//!   (regulations.md quotes only "延长的时间最长不超过30日"): check the official text.
//!
//! Days are counted as in [`super`]: the due date is the start date plus N days and is the
//! last day on time.

use chrono::{Days, NaiveDate};

use super::Grade;
use super::chain::ReportLevel;

/// Days for the investigation report, from the accident (第二十九条).
pub const INVESTIGATION_DAYS: u32 = 60;
/// The longest extension of the investigation (第二十九条).
pub const MAX_INVESTIGATION_EXTENSION_DAYS: u32 = 60;
/// The longest extension of the approval of a 特别重大 accident's report (第三十二条).
pub const MAX_APPROVAL_EXTENSION_DAYS: u32 = 30;

/// The government level that leads the investigation of a grade (第十九条).
pub fn lead_level(grade: Grade) -> ReportLevel {
    match grade {
        Grade::ExtremelySerious => ReportLevel::StateCouncil,
        Grade::VerySerious => ReportLevel::Province,
        Grade::Serious => ReportLevel::City,
        Grade::Ordinary => ReportLevel::County,
    }
}

/// An extension longer than the law allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ExtensionTooLong {
    pub requested_days: u32,
    pub max_days: u32,
}

impl ExtensionTooLong {
    /// Translation key.
    pub fn key(&self) -> &'static str {
        "accident.extension_too_long"
    }
}

impl std::fmt::Display for ExtensionTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "an extension of {} days exceeds the {} allowed",
            self.requested_days, self.max_days
        )
    }
}

impl std::error::Error for ExtensionTooLong {}

/// The last day for the investigation report: the accident's date plus 60 days, plus an
/// approved extension (≤ 60 days), plus the days of technical appraisal (not counted).
pub fn investigation_due(
    occurred_on: NaiveDate,
    extension_days: u32,
    appraisal_days: u32,
) -> Result<NaiveDate, ExtensionTooLong> {
    if extension_days > MAX_INVESTIGATION_EXTENSION_DAYS {
        return Err(ExtensionTooLong {
            requested_days: extension_days,
            max_days: MAX_INVESTIGATION_EXTENSION_DAYS,
        });
    }
    let days =
        u64::from(INVESTIGATION_DAYS) + u64::from(extension_days) + u64::from(appraisal_days);
    Ok(occurred_on + Days::new(days))
}

/// Days the government has to approve the report of a grade (第三十二条): 30 for 特别重大, 15
/// otherwise.
pub fn approval_days(grade: Grade) -> u32 {
    match grade {
        Grade::ExtremelySerious => 30,
        _ => 15,
    }
}

/// The last day for the approval: the day the report was received plus [`approval_days`],
/// plus an extension (≤ 30 days, 特别重大 only).
pub fn approval_due(
    received_on: NaiveDate,
    grade: Grade,
    extension_days: u32,
) -> Result<NaiveDate, ExtensionTooLong> {
    let max_days = if grade == Grade::ExtremelySerious {
        MAX_APPROVAL_EXTENSION_DAYS
    } else {
        0
    };
    if extension_days > max_days {
        return Err(ExtensionTooLong {
            requested_days: extension_days,
            max_days,
        });
    }
    let days = u64::from(approval_days(grade)) + u64::from(extension_days);
    Ok(received_on + Days::new(days))
}

/// Overdue when the day is after the due date (the due date itself is on time).
pub fn is_overdue(due: NaiveDate, today: NaiveDate) -> bool {
    today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn lead_levels() {
        assert_eq!(
            lead_level(Grade::ExtremelySerious),
            ReportLevel::StateCouncil
        );
        assert_eq!(lead_level(Grade::VerySerious), ReportLevel::Province);
        assert_eq!(lead_level(Grade::Serious), ReportLevel::City);
        assert_eq!(lead_level(Grade::Ordinary), ReportLevel::County);
    }

    #[test]
    fn investigation_deadlines() {
        let on = d("2026-06-01");
        let due = investigation_due(on, 0, 0).unwrap();
        assert_eq!(due, d("2026-07-31"));
        assert!(!is_overdue(due, d("2026-07-31")));
        assert!(is_overdue(due, d("2026-08-01")));
        assert_eq!(investigation_due(on, 60, 0).unwrap(), d("2026-09-29"));
        assert_eq!(investigation_due(on, 59, 0).unwrap(), d("2026-09-28"));
        assert_eq!(
            investigation_due(on, 61, 0),
            Err(ExtensionTooLong {
                requested_days: 61,
                max_days: 60
            })
        );
        // Technical appraisal does not count.
        assert_eq!(investigation_due(on, 0, 10).unwrap(), d("2026-08-10"));
        assert_eq!(investigation_due(on, 60, 10).unwrap(), d("2026-10-09"));
    }

    #[test]
    fn approval_deadlines() {
        let received = d("2026-08-01");
        for grade in [Grade::Ordinary, Grade::Serious, Grade::VerySerious] {
            assert_eq!(approval_due(received, grade, 0).unwrap(), d("2026-08-16"));
            assert!(approval_due(received, grade, 1).is_err(), "{grade}");
        }
        let g = Grade::ExtremelySerious;
        assert_eq!(approval_due(received, g, 0).unwrap(), d("2026-08-31"));
        assert_eq!(approval_due(received, g, 30).unwrap(), d("2026-09-30"));
        assert_eq!(
            approval_due(received, g, 31),
            Err(ExtensionTooLong {
                requested_days: 31,
                max_days: 30
            })
        );
    }
}
