//! Lenient field decoders shared by HTML forms (strings) and JSON (typed values).

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum BoolLike {
    B(bool),
    S(String),
}

/// `true`, `"on"`, `"true"`, `"1"` are true; missing, `"false"`, `"0"`, `""` are false.
pub fn bool_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match BoolLike::deserialize(d)? {
        BoolLike::B(b) => Ok(b),
        BoolLike::S(s) => match s.as_str() {
            "on" | "true" | "1" | "yes" => Ok(true),
            "" | "off" | "false" | "0" | "no" => Ok(false),
            _ => Err(serde::de::Error::custom("expected a boolean")),
        },
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ListLike {
    L(Vec<String>),
    S(String),
}

/// A JSON list of strings, or a comma-separated string from a form.
pub fn list_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match ListLike::deserialize(d)? {
        ListLike::L(v) => v,
        ListLike::S(s) => s
            .split([',', '，', ' '])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
    })
}
