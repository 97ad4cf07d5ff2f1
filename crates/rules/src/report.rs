//! 安全生产举报: reports from the public and from employees (吹哨人) — articles 三十六 to 三十八
//! of 通安委〔2022〕10号 and 《安全生产领域举报奖励办法》(安监总财〔2018〕19号).
//!
//! The vocabularies of a report (what it is about, how it came in, where its handling stands,
//! what verification found), the handling state machine and the receipt code's format.

use chrono::NaiveDate;

vocabulary! {
    /// What a report is about (the categories of 安监总财〔2018〕19号 第六条, plus other).
    Category {
        MajorHazard => ("major_hazard", "重大事故隐患", "major accident hazard"),
        Violation => ("violation", "安全生产违法行为", "work-safety violation"),
        Concealment => ("concealment", "瞒报谎报事故", "concealed or falsely reported accident"),
        IllegalOperation => ("illegal_operation", "非法违法生产经营（打非治违）", "illegal production or operation"),
        Other => ("other", "其他", "other"),
    }
}

vocabulary! {
    /// How a report came in: the public form, or entered by the office.
    Channel {
        Web => ("web", "网上举报", "web form"),
        Phone => ("phone", "12350 电话", "12350 hotline"),
        Letter => ("letter", "来信", "letter"),
        Visit => ("visit", "来访", "visit"),
    }
}

vocabulary! {
    /// Where a report's handling stands.
    ///
    /// received → accepted (受理) or rejected (不予受理); accepted → verifying when routed to
    /// a department (转办 again while verifying keeps it verifying); verifying → verified
    /// (核查 with a finding) → answered (答复). Rejected and answered are final.
    Status {
        Received => ("received", "待受理", "received"),
        Accepted => ("accepted", "已受理", "accepted"),
        Rejected => ("rejected", "不予受理", "not accepted"),
        Verifying => ("verifying", "核查中", "being verified"),
        Verified => ("verified", "已核查", "verified"),
        Answered => ("answered", "已答复", "answered"),
    }
}

vocabulary! {
    /// What verification found (核查结论).
    Finding {
        True => ("true", "属实", "true"),
        Partly => ("partly", "部分属实", "partly true"),
        False => ("false", "不属实", "not true"),
    }
}

/// A step of handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// 受理.
    Accept,
    /// 不予受理 (with a reason).
    Reject,
    /// 转办 to the competent department.
    Route,
    /// 核查 with a finding.
    Verify,
    /// 答复 to the reporter.
    Answer,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Accept => "accept",
            Step::Reject => "reject",
            Step::Route => "route",
            Step::Verify => "verify",
            Step::Answer => "answer",
        }
    }
}

impl Status {
    /// The status after `step`, or `None` when the step is not allowed now.
    pub fn after(self, step: Step) -> Option<Status> {
        use Status::*;
        Some(match (self, step) {
            (Received, Step::Accept) => Accepted,
            (Received, Step::Reject) => Rejected,
            (Accepted | Verifying, Step::Route) => Verifying,
            (Verifying, Step::Verify) => Verified,
            (Verified, Step::Answer) => Answered,
            _ => return None,
        })
    }

    /// Whether handling has ended (nothing more to do but read and exchange messages).
    pub fn is_final(self) -> bool {
        matches!(self, Status::Rejected | Status::Answered)
    }
}

/// Days the competent department has to verify a routed report (核查时限): a default, the
/// office's practice where the province sets none; configuration may change it.
pub const DEFAULT_VERIFY_DAYS: u32 = 60;
/// Days after verification to answer the reporter (答复时限): a default, configurable.
pub const DEFAULT_ANSWER_DAYS: u32 = 10;

/// The due date `days` after `from`.
pub fn due(from: NaiveDate, days: u32) -> NaiveDate {
    from + chrono::Days::new(u64::from(days))
}

/// A receipt code has this many digits (issue 13: at least 16 random digits).
pub const RECEIPT_DIGITS: usize = 16;

/// The receipt code as typed (spaces, hyphens and full-width digits allowed) reduced to its
/// digits; `None` unless exactly [`RECEIPT_DIGITS`] digits remain.
pub fn normalise_receipt(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(RECEIPT_DIGITS);
    for c in typed.chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' | '-' | '\u{3000}' => {}
            _ => return None,
        }
        if out.len() > RECEIPT_DIGITS {
            return None;
        }
    }
    (out.len() == RECEIPT_DIGITS).then_some(out)
}

/// The receipt code in groups of four for reading aloud and copying: `1234 5678 9012 3456`.
pub fn format_receipt(digits: &str) -> String {
    digits
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handling_moves_only_forward_through_its_steps() {
        use Status::*;
        assert_eq!(Received.after(Step::Accept), Some(Accepted));
        assert_eq!(Received.after(Step::Reject), Some(Rejected));
        assert_eq!(Received.after(Step::Route), None, "accept before routing");
        assert_eq!(Accepted.after(Step::Route), Some(Verifying));
        assert_eq!(Verifying.after(Step::Route), Some(Verifying), "转办 again");
        assert_eq!(
            Accepted.after(Step::Verify),
            None,
            "verify only once routed"
        );
        assert_eq!(Verifying.after(Step::Verify), Some(Verified));
        assert_eq!(
            Verifying.after(Step::Answer),
            None,
            "answer after the finding"
        );
        assert_eq!(Verified.after(Step::Answer), Some(Answered));
        for s in [Rejected, Answered] {
            assert!(s.is_final());
            for step in [
                Step::Accept,
                Step::Reject,
                Step::Route,
                Step::Verify,
                Step::Answer,
            ] {
                assert_eq!(s.after(step), None, "{s} is final");
            }
        }
        assert!(!Verified.is_final());
    }

    #[test]
    fn receipt_codes_are_sixteen_digits_however_typed() {
        assert_eq!(
            normalise_receipt("1234 5678-9012 3456").as_deref(),
            Some("1234567890123456")
        );
        assert_eq!(
            normalise_receipt("１２３４５６７８９０１２３４５６").as_deref(),
            Some("1234567890123456")
        );
        assert_eq!(normalise_receipt("123456789012345"), None, "fifteen");
        assert_eq!(normalise_receipt("12345678901234567"), None, "seventeen");
        assert_eq!(normalise_receipt("1234a678901234567"), None, "a letter");
        assert_eq!(normalise_receipt(""), None);
        assert_eq!(format_receipt("1234567890123456"), "1234 5678 9012 3456");
    }

    #[test]
    fn deadlines_count_calendar_days() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).expect("date");
        assert_eq!(due(d, DEFAULT_VERIFY_DAYS).to_string(), "2026-04-01");
        assert_eq!(due(d, 0), d);
    }
}
