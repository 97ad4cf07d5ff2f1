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

#[derive(Deserialize)]
#[serde(untagged)]
enum IntLike {
    I(i64),
    S(String),
}

fn int_like(v: IntLike) -> Result<Option<i64>, String> {
    match v {
        IntLike::I(i) => Ok(Some(i)),
        IntLike::S(s) if s.trim().is_empty() => Ok(None),
        IntLike::S(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| "expected a whole number".to_string()),
    }
}

/// A whole number from JSON or a form; a blank form field is "not given" (`None`).
pub fn opt_int_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Option::<IntLike>::deserialize(d)?;
    match v {
        None => Ok(None),
        Some(v) => int_like(v).map_err(serde::de::Error::custom),
    }
}

/// A whole number from JSON or a form; a blank form field is 0, which the validation refuses
/// with the field named (a form is never lost to a type error).
pub fn int_or_blank<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    int_like(IntLike::deserialize(d)?)
        .map(Option::unwrap_or_default)
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Form {
        #[serde(default, deserialize_with = "super::int_or_blank")]
        id: i64,
        #[serde(default, deserialize_with = "super::opt_int_from_any")]
        funds: Option<i64>,
    }

    #[test]
    fn numbers_read_from_json_and_forms_and_blank_is_not_given() {
        let f: Form = serde_urlencoded::from_str("id=&funds=").unwrap();
        assert_eq!((f.id, f.funds), (0, None));
        let f: Form = serde_urlencoded::from_str("id=12&funds=3000").unwrap();
        assert_eq!((f.id, f.funds), (12, Some(3000)));
        let f: Form = serde_json::from_str(r#"{"id": 7, "funds": null}"#).unwrap();
        assert_eq!((f.id, f.funds), (7, None));
        let f: Form = serde_json::from_str("{}").unwrap();
        assert_eq!((f.id, f.funds), (0, None));
        assert!(serde_urlencoded::from_str::<Form>("id=x").is_err());
        assert!(serde_json::from_str::<Form>(r#"{"funds": "lots"}"#).is_err());
    }
}
