//! The 完成时限 (deadline) phrases of a task table, read as due dates and flags.
//!
//! Regulation: the attachment 重点任务分工表 of 通安委〔2022〕10号 gives every task a deadline
//! phrase such as `2022年9月底前完成，并长期坚持` (done by the end of September 2022, then kept up),
//! `长期坚持` (kept up, no date), `加快推进` (push ahead, no date), `按照市委年度巡察工作安排`
//! (by the city party committee's annual inspection plan, no date of its own) or
//! `2022年4月至党的二十大结束` (from April 2022 until the 20th Party Congress closes).
//!
//! The parser knows exactly these shapes and rejects anything else with a [`PhraseError`]; it
//! never guesses a date. 月底 means the last day of that month.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{PhraseError, PhraseProblem};

/// The day the 20th National Congress of the Communist Party of China closed (党的二十大闭幕):
/// 2022-10-22. 通安委〔2022〕10号 article 16 runs the work-safety inspection campaign
/// "从4月起至党的二十大结束", and task 28's deadline ends on this day.
pub const TWENTIETH_PARTY_CONGRESS_CLOSED: NaiveDate = date(2022, 10, 22);

/// Builds a date known to be valid at compile time; an invalid one fails the build.
pub(crate) const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid calendar date in a constant"),
    }
}

/// Named events a window may end at, as written in a deadline phrase (without a trailing 的).
const EVENTS: &[(&str, NaiveDate)] = &[
    ("党的二十大结束", TWENTIETH_PARTY_CONGRESS_CLOSED),
    ("党的二十大闭幕", TWENTIETH_PARTY_CONGRESS_CLOSED),
];

/// Phrases that set no date of their own.
const NO_FIXED_DATE: &[&str] = &["加快推进"];

/// Phrases that recur every year by an annual plan (task 5: 市委 puts work safety into its
/// political tours 按照市委年度巡察工作安排 — every year, never closed once).
const YEARLY: &[&str] = &["按照市委年度巡察工作安排"];

/// The shape of a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Done by a date (`2022年9月底前完成`).
    Dated,
    /// Done by a date, then kept up (`2022年9月底前完成，并长期坚持`).
    DatedThenOngoing,
    /// Kept up, no date (`长期坚持`).
    Ongoing,
    /// Carried out over a period (`2022年4月至党的二十大结束`).
    Window,
    /// No date of its own (`加快推进`).
    NoFixedDate,
    /// Every year by an annual plan (`按照市委年度巡察工作安排`): reported once a year, never
    /// closed.
    Yearly,
}

impl DeadlineKind {
    /// Every kind.
    pub const ALL: &'static [DeadlineKind] = &[
        DeadlineKind::Dated,
        DeadlineKind::DatedThenOngoing,
        DeadlineKind::Ongoing,
        DeadlineKind::Window,
        DeadlineKind::NoFixedDate,
        DeadlineKind::Yearly,
    ];

    /// The stable snake_case identifier.
    pub fn code(&self) -> &'static str {
        match self {
            DeadlineKind::Dated => "dated",
            DeadlineKind::DatedThenOngoing => "dated_then_ongoing",
            DeadlineKind::Ongoing => "ongoing",
            DeadlineKind::Window => "window",
            DeadlineKind::NoFixedDate => "no_fixed_date",
            DeadlineKind::Yearly => "yearly",
        }
    }

    /// Reads a stable identifier as produced by `code()`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.code() == code)
    }

    /// The Chinese name.
    pub fn name_zh(&self) -> &'static str {
        match self {
            DeadlineKind::Dated => "限期完成",
            DeadlineKind::DatedThenOngoing => "限期完成并长期坚持",
            DeadlineKind::Ongoing => "长期坚持",
            DeadlineKind::Window => "时段内开展",
            DeadlineKind::NoFixedDate => "无固定时限",
            DeadlineKind::Yearly => "每年按年度安排",
        }
    }

    /// The English name.
    pub fn name_en(&self) -> &'static str {
        match self {
            DeadlineKind::Dated => "Due by a date",
            DeadlineKind::DatedThenOngoing => "Due by a date, then ongoing",
            DeadlineKind::Ongoing => "Ongoing",
            DeadlineKind::Window => "Over a period",
            DeadlineKind::NoFixedDate => "No fixed date",
            DeadlineKind::Yearly => "Every year, by the annual plan",
        }
    }
}

/// A deadline phrase read into structure.
///
/// `due` is the last day by which the work must be done: the stated date for `Dated` and
/// `DatedThenOngoing`, and the window's end for `Window` (the campaign must be finished when
/// the window closes). `ongoing` says the work continues after (or without) a due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub due: Option<NaiveDate>,
    pub ongoing: bool,
    pub window_start: Option<NaiveDate>,
    pub window_end: Option<NaiveDate>,
    pub kind: DeadlineKind,
}

impl Deadline {
    fn dated(due: NaiveDate, ongoing: bool) -> Self {
        Self {
            due: Some(due),
            ongoing,
            window_start: None,
            window_end: None,
            kind: if ongoing {
                DeadlineKind::DatedThenOngoing
            } else {
                DeadlineKind::Dated
            },
        }
    }

    fn undated(kind: DeadlineKind) -> Self {
        Self {
            due: None,
            ongoing: matches!(kind, DeadlineKind::Ongoing | DeadlineKind::Yearly),
            window_start: None,
            window_end: None,
            kind,
        }
    }
}

/// Reads a 完成时限 phrase of 通安委〔2022〕10号's task table (see the module documentation for
/// the shapes). Spaces are ignored and full-width and half-width commas and digits are the same.
pub fn parse(text: &str) -> Result<Deadline, PhraseError> {
    let norm = normalise(text);
    let fail = |kind: PhraseProblem| PhraseError::new(text, kind);
    if norm.is_empty() {
        return Err(fail(PhraseProblem::DeadlineEmpty));
    }
    if norm == "长期坚持" {
        return Ok(Deadline::undated(DeadlineKind::Ongoing));
    }
    if NO_FIXED_DATE.contains(&norm.as_str()) {
        return Ok(Deadline::undated(DeadlineKind::NoFixedDate));
    }
    if YEARLY.contains(&norm.as_str()) {
        return Ok(Deadline::undated(DeadlineKind::Yearly));
    }

    let (head, ongoing) = match norm.strip_suffix("长期坚持") {
        Some(head) => {
            let head = head.strip_suffix('并').unwrap_or(head);
            (head.strip_suffix('，').unwrap_or(head), true)
        }
        None => (norm.as_str(), false),
    };

    if let Some((start, end)) = head.split_once('至') {
        if ongoing {
            return Err(fail(PhraseProblem::WindowAndOngoing));
        }
        return parse_window(start, end).map_err(fail);
    }

    let head = head.strip_suffix("完成").unwrap_or(head);
    let Some(head) = head.strip_suffix('前') else {
        return Err(fail(PhraseProblem::DeadlineShape));
    };
    let due = parse_date(head, DayRule::EndOfMonth).map_err(fail)?;
    Ok(Deadline::dated(due, ongoing))
}

/// Drops whitespace (including the ideographic space), turns half-width commas into full-width
/// ones and full-width digits into ASCII ones.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ',' => '，',
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            other => other,
        })
        .collect()
}

fn parse_window(start: &str, end: &str) -> Result<Deadline, PhraseProblem> {
    let start = start
        .strip_prefix('自')
        .or_else(|| start.strip_prefix('从'))
        .unwrap_or(start);
    let start = start.strip_suffix('起').unwrap_or(start);
    let window_start = parse_date(start, DayRule::StartOfMonth)?;
    let event = end.strip_suffix('的').unwrap_or(end);
    let window_end = EVENTS
        .iter()
        .find(|(name, _)| *name == event)
        .map(|(_, day)| *day)
        .map_or_else(|| parse_date(event, DayRule::EndOfMonth), Ok)
        .map_err(|_| PhraseProblem::UnknownWindowEnd {
            end: end.to_owned(),
        })?;
    if window_end < window_start {
        return Err(PhraseProblem::WindowEndsBeforeStart);
    }
    Ok(Deadline {
        due: Some(window_end),
        ongoing: false,
        window_start: Some(window_start),
        window_end: Some(window_end),
        kind: DeadlineKind::Window,
    })
}

/// Which day a month without a day stands for.
#[derive(Clone, Copy)]
enum DayRule {
    /// `2022年4月` opening a period: the first day.
    StartOfMonth,
    /// `2022年9月底` or a month closing a period: the last day.
    EndOfMonth,
}

/// Reads `YYYY年M月底`, `YYYY年M月D日` and `YYYY年M月`.
fn parse_date(text: &str, rule: DayRule) -> Result<NaiveDate, PhraseProblem> {
    let (year, rest) = text
        .split_once('年')
        .ok_or_else(|| PhraseProblem::ExpectedYear {
            text: text.to_owned(),
        })?;
    let year: i32 = number(year, 4).ok_or_else(|| PhraseProblem::NotAYear {
        year: year.to_owned(),
    })?;
    let (month, rest) = rest
        .split_once('月')
        .ok_or_else(|| PhraseProblem::ExpectedMonth {
            text: text.to_owned(),
        })?;
    let month: u32 = number(month, 2)
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| PhraseProblem::NotAMonth {
            month: month.to_owned(),
        })?;
    let day = match rest {
        "底" => last_day_of_month(year, month),
        "" => match rule {
            DayRule::StartOfMonth => NaiveDate::from_ymd_opt(year, month, 1),
            DayRule::EndOfMonth => last_day_of_month(year, month),
        },
        _ => {
            let day = rest
                .strip_suffix('日')
                .or_else(|| rest.strip_suffix('号'))
                .ok_or_else(|| PhraseProblem::ExpectedDay {
                    rest: rest.to_owned(),
                })?;
            let day: u32 = number(day, 2).ok_or_else(|| PhraseProblem::NotADay {
                day: day.to_owned(),
            })?;
            NaiveDate::from_ymd_opt(year, month, day)
        }
    };
    day.ok_or_else(|| PhraseProblem::NotADate {
        text: text.to_owned(),
    })
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

/// An ASCII decimal number of 1 to `max_digits` digits (exactly 4 for a year).
fn number<T: std::str::FromStr>(text: &str, max_digits: usize) -> Option<T> {
    let ok_len = if max_digits == 4 {
        text.len() == 4
    } else {
        (1..=max_digits).contains(&text.len())
    };
    if ok_len && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn end_of_september_then_ongoing_gives_due_date_and_ongoing() {
        let d = parse("2022年9月底前完成，并长期坚持").expect("parses");
        assert_eq!(d.due, Some(ymd(2022, 9, 30)));
        assert!(d.ongoing);
        assert_eq!(d.kind, DeadlineKind::DatedThenOngoing);
        assert_eq!((d.window_start, d.window_end), (None, None));
    }

    #[test]
    fn end_of_september_alone_is_dated_and_not_ongoing() {
        let d = parse("2022年9月底前完成").expect("parses");
        assert_eq!(d.due, Some(ymd(2022, 9, 30)));
        assert!(!d.ongoing);
        assert_eq!(d.kind, DeadlineKind::Dated);
    }

    #[test]
    fn end_of_december_is_the_thirty_first() {
        let d = parse("2022年12月底前完成，并长期坚持").expect("parses");
        assert_eq!(d.due, Some(ymd(2022, 12, 31)));
        assert_eq!(d.kind, DeadlineKind::DatedThenOngoing);
        assert_eq!(
            parse("2022年12月底前完成").expect("parses").due,
            Some(ymd(2022, 12, 31))
        );
    }

    #[test]
    fn end_of_february_follows_the_calendar() {
        assert_eq!(
            parse("2024年2月底前完成").expect("parses").due,
            Some(ymd(2024, 2, 29))
        );
        assert_eq!(
            parse("2023年2月底前").expect("parses").due,
            Some(ymd(2023, 2, 28))
        );
    }

    #[test]
    fn ongoing_alone_has_no_due_date() {
        let d = parse("长期坚持").expect("parses");
        assert_eq!(d.kind, DeadlineKind::Ongoing);
        assert!(d.ongoing);
        assert_eq!(d.due, None);
    }

    #[test]
    fn push_ahead_has_no_fixed_date() {
        let d = parse("加快推进").expect("parses");
        assert_eq!(d.kind, DeadlineKind::NoFixedDate);
        assert_eq!(d.due, None);
        assert!(!d.ongoing);
    }

    #[test]
    fn the_annual_tour_plan_recurs_every_year_and_is_never_closed() {
        let d = parse("按照市委年度巡察工作安排").expect("parses");
        assert_eq!(d.kind, DeadlineKind::Yearly);
        assert_eq!(d.due, None);
        assert!(d.ongoing, "a yearly cycle, not a one-off");
    }

    #[test]
    fn april_until_the_party_congress_closes_is_a_window_ending_on_october_twenty_second() {
        for text in ["2022年4月至党的二十大结束", "2022年4月至党的二十大结束的"]
        {
            let d = parse(text).expect("parses");
            assert_eq!(d.kind, DeadlineKind::Window, "{text}");
            assert_eq!(d.window_start, Some(ymd(2022, 4, 1)));
            assert_eq!(d.window_end, Some(ymd(2022, 10, 22)));
            assert_eq!(d.due, Some(ymd(2022, 10, 22)));
            assert!(!d.ongoing);
        }
        assert_eq!(TWENTIETH_PARTY_CONGRESS_CLOSED, ymd(2022, 10, 22));
    }

    #[test]
    fn a_full_date_is_due_on_that_day() {
        let d = parse("2022年6月10日前").expect("parses");
        assert_eq!(d.due, Some(ymd(2022, 6, 10)));
        assert_eq!(d.kind, DeadlineKind::Dated);
        assert_eq!(
            parse("2022年6月10日前完成").expect("parses").due,
            Some(ymd(2022, 6, 10))
        );
    }

    #[test]
    fn spaces_and_half_width_commas_do_not_matter() {
        let expected = parse("2022年9月底前完成，并长期坚持").expect("parses");
        for text in [
            "2022 年 9 月底前完成，并长期坚持",
            "2022年9月底前完成,并长期坚持",
            " 2022年9月底前完成， 并长期坚持 ",
            "2022\u{3000}年9月底前完成,并长期坚持",
            "２０２２年９月底前完成，并长期坚持",
        ] {
            assert_eq!(parse(text).as_ref(), Ok(&expected), "{text}");
        }
    }

    #[test]
    fn vague_phrases_are_rejected_not_guessed() {
        for text in [
            "尽快",
            "",
            "  ",
            "年底前完成",
            "9月底前完成",
            "6月底前",
            "2022年底前完成",
        ] {
            let err = parse(text).expect_err(text);
            assert_eq!(err.text, text);
            assert!(!err.reason.is_empty());
        }
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for text in [
            "2022年13月底前完成",
            "2022年0月底前完成",
            "2022年2月30日前",
            "22年9月底前完成",
            "2022年9月中旬前完成",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_window_to_an_unknown_event_is_rejected() {
        assert!(parse("2022年4月至党的十九大结束").is_err());
        assert!(parse("2022年4月至冬奥会结束").is_err());
        assert!(parse("2022年4月至党的二十大结束，并长期坚持").is_err());
    }

    #[test]
    fn a_window_ending_before_it_starts_is_rejected() {
        assert!(parse("2022年11月至党的二十大结束").is_err());
    }

    #[test]
    fn deadline_kind_codes_read_back() {
        for kind in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::parse(kind.code()), Some(*kind));
        }
        let codes: Vec<&str> = DeadlineKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "dated",
                "dated_then_ongoing",
                "ongoing",
                "window",
                "no_fixed_date",
                "yearly"
            ]
        );
    }

    #[test]
    fn the_error_says_what_was_not_understood() {
        let err = parse("尽快").expect_err("vague");
        assert!(err.to_string().contains("尽快"));
    }
}
