//! Dated deliverables (报送事项): where a requirement stands and when it is late. The
//! submissions themselves and their review live in the app's review core; this is the
//! requirement's own state machine.

use chrono::NaiveDate;

/// Where a requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Required, nothing submitted yet.
    Pending,
    /// Submitted, waiting for the office's review.
    Submitted,
    /// Returned by the office with a comment; the organisation submits again.
    Returned,
    /// Accepted by the office; nothing more to do.
    Accepted,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Submitted,
        Status::Returned,
        Status::Accepted,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Accepted => "accepted",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s)
    }
    /// Whether the organisation may submit now: only when nothing waits for review and the
    /// office has not accepted yet.
    pub fn may_submit(self) -> bool {
        matches!(self, Status::Pending | Status::Returned)
    }
}

/// Late by the server's date: submitted (or still outstanding) after the due day.
pub fn is_late(due: NaiveDate, day: NaiveDate) -> bool {
    day > due
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pending_or_returned_requirement_takes_a_submission() {
        assert!(Status::Pending.may_submit());
        assert!(Status::Returned.may_submit());
        assert!(!Status::Submitted.may_submit());
        assert!(!Status::Accepted.may_submit());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn late_is_after_the_due_day_not_on_it() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!is_late(d("2026-03-31"), d("2026-03-31")));
        assert!(is_late(d("2026-03-31"), d("2026-04-01")));
    }

    #[test]
    fn a_stored_code_reads_back_as_its_status_and_an_unknown_one_is_an_error() {
        assert_eq!(
            Status::try_from("returned".to_string()),
            Ok(Status::Returned)
        );
        let e = Status::try_from("late".to_string()).unwrap_err();
        assert_eq!(e.code, "late");
        assert_eq!(e.to_string(), "unknown Status code \"late\"");
    }
}

stored_code!(Status);
