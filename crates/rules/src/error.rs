//! The error every phrase parser returns.

use std::fmt;

/// A phrase of a policy document that a parser did not understand.
///
/// Parsers in this crate never guess: a phrase outside their vocabulary becomes this error,
/// carrying the original text and a reason a person can act on, so that an import can report
/// every unparsed cell instead of silently filling in a value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PhraseError {
    /// The phrase exactly as it was given.
    pub text: String,
    /// Why it was rejected (English; the text itself is quoted as given).
    pub reason: String,
}

impl PhraseError {
    pub(crate) fn new(text: &str, reason: impl Into<String>) -> Self {
        Self {
            text: text.to_owned(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PhraseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read \"{}\": {}", self.text, self.reason)
    }
}

impl std::error::Error for PhraseError {}
