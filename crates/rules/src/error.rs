//! The error every phrase parser returns.

use std::fmt;

/// A phrase of a policy document that a parser did not understand.
///
/// Parsers in this crate never guess: a phrase outside their vocabulary becomes this error,
/// carrying the original text, a structured `kind` (which the application translates into
/// the reader's language: key [`PhraseProblem::key`], arguments [`PhraseProblem::args`]) and
/// an English `reason`, so that an import can report every unparsed cell instead of silently
/// filling in a value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PhraseError {
    /// The phrase exactly as it was given.
    pub text: String,
    /// Why it was rejected, in English (logs, the CLI; screens use `kind`).
    pub reason: String,
    /// Why it was rejected, structured.
    pub kind: PhraseProblem,
}

/// What was wrong with a phrase.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PhraseProblem {
    /// 完成时限 empty.
    DeadlineEmpty,
    /// A period (…至…) that is also to be kept up (长期坚持).
    WindowAndOngoing,
    /// Not a date followed by 前, 长期坚持, 加快推进 or a period with 至.
    DeadlineShape,
    /// The end of a period is neither a date nor a known event.
    UnknownWindowEnd { end: String },
    /// The period ends before it starts.
    WindowEndsBeforeStart,
    /// No year (YYYY年).
    ExpectedYear { text: String },
    /// The year is not four digits.
    NotAYear { year: String },
    /// No month (M月).
    ExpectedMonth { text: String },
    /// The month is not 1–12.
    NotAMonth { month: String },
    /// Something other than 底 or a day (D日) after the month.
    ExpectedDay { rest: String },
    /// The day is not a number.
    NotADay { day: String },
    /// Year, month and day make no calendar date.
    NotADate { text: String },
    /// 责任单位 with brackets other than 党（工）委 and 县级以上（含，下同）.
    UnexpectedBrackets,
    /// A stray 、 in an item.
    StrayComma { item: String },
    /// No responsible unit is named.
    NoUnit,
    /// A responsible unit outside the vocabulary.
    UnknownUnit { part: String },
    /// A period code of the API (2026Q3, 2026-09 …) that does not read.
    Period,
}

impl PhraseProblem {
    /// The translation key (`phrase.<kind>`).
    pub fn key(&self) -> &'static str {
        use PhraseProblem::*;
        match self {
            DeadlineEmpty => "phrase.deadline_empty",
            WindowAndOngoing => "phrase.window_and_ongoing",
            DeadlineShape => "phrase.deadline_shape",
            UnknownWindowEnd { .. } => "phrase.unknown_window_end",
            WindowEndsBeforeStart => "phrase.window_ends_before_start",
            ExpectedYear { .. } => "phrase.expected_year",
            NotAYear { .. } => "phrase.not_a_year",
            ExpectedMonth { .. } => "phrase.expected_month",
            NotAMonth { .. } => "phrase.not_a_month",
            ExpectedDay { .. } => "phrase.expected_day",
            NotADay { .. } => "phrase.not_a_day",
            NotADate { .. } => "phrase.not_a_date",
            UnexpectedBrackets => "phrase.unexpected_brackets",
            StrayComma { .. } => "phrase.stray_comma",
            NoUnit => "phrase.no_unit",
            UnknownUnit { .. } => "phrase.unknown_unit",
            Period => "phrase.period",
        }
    }

    /// The placeholders of the translation, by name.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        use PhraseProblem::*;
        match self {
            UnknownWindowEnd { end } => vec![("end", end.clone())],
            ExpectedYear { text } | ExpectedMonth { text } | NotADate { text } => {
                vec![("text", text.clone())]
            }
            NotAYear { year } => vec![("year", year.clone())],
            NotAMonth { month } => vec![("month", month.clone())],
            ExpectedDay { rest } => vec![("rest", rest.clone())],
            NotADay { day } => vec![("day", day.clone())],
            StrayComma { item } => vec![("item", item.clone())],
            UnknownUnit { part } => vec![("part", part.clone())],
            DeadlineEmpty
            | WindowAndOngoing
            | DeadlineShape
            | WindowEndsBeforeStart
            | UnexpectedBrackets
            | NoUnit
            | Period => Vec::new(),
        }
    }

    /// The reason in English.
    pub fn english(&self) -> String {
        use PhraseProblem::*;
        match self {
            DeadlineEmpty => "the deadline is empty".into(),
            WindowAndOngoing => "a period cannot also be kept up (长期坚持)".into(),
            DeadlineShape => {
                "expected a date followed by 前 (before), 长期坚持, 加快推进 or a period with 至"
                    .into()
            }
            UnknownWindowEnd { end } => format!("unknown end of period \"{end}\""),
            WindowEndsBeforeStart => "the period ends before it starts".into(),
            ExpectedYear { text } => format!("expected a year (YYYY年) in \"{text}\""),
            NotAYear { year } => format!("\"{year}\" is not a four-digit year"),
            ExpectedMonth { text } => format!("expected a month (M月) in \"{text}\""),
            NotAMonth { month } => format!("\"{month}\" is not a month"),
            ExpectedDay { rest } => {
                format!("expected 底 or a day (D日) after the month, not \"{rest}\"")
            }
            NotADay { day } => format!("\"{day}\" is not a day"),
            NotADate { text } => format!("\"{text}\" is not a calendar date"),
            UnexpectedBrackets => {
                "unexpected brackets: only 党（工）委 and 县级以上（含，下同） are known".into()
            }
            StrayComma { item } => format!("a stray 、 in \"{item}\""),
            NoUnit => "no responsible unit is named".into(),
            UnknownUnit { part } => format!("unknown responsible unit \"{part}\""),
            Period => "unrecognised period".into(),
        }
    }
}

impl PhraseError {
    pub(crate) fn new(text: &str, kind: PhraseProblem) -> Self {
        Self {
            text: text.to_owned(),
            reason: kind.english(),
            kind,
        }
    }

    /// A period code that does not read, with the English detail of why.
    pub(crate) fn period(text: &str, reason: impl Into<String>) -> Self {
        Self {
            text: text.to_owned(),
            reason: reason.into(),
            kind: PhraseProblem::Period,
        }
    }
}

impl fmt::Display for PhraseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read \"{}\": {}", self.text, self.reason)
    }
}

impl std::error::Error for PhraseError {}

/// A stored code that is not one of its vocabulary's (a row written by a newer version, or
/// edited by hand). Reading such a row fails loudly instead of guessing a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} code {:?}", self.vocabulary, self.code)
    }
}

impl std::error::Error for UnknownCode {}
