//! Extractors that parse at the boundary and fail with our error type, naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::auth::model::Actor;
use crate::error::AppError;
use crate::i18n::Msg;

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// Signed in or not.
pub struct MaybeActor(pub Option<Actor>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeActor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeActor(parts.extensions.get::<Actor>().cloned()))
    }
}

/// JSON body; malformed JSON, wrong types and missing fields become a validation error
/// naming the field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ct = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if !ct.starts_with("application/json") {
            return Err(AppError::field("body", Msg::new("error.expected_json")));
        }
        // A body past the limit is 413 whether it declared its length or came chunked.
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The whole body within the route's limit: past it 413 (declared or chunked), unreadable a
/// field error on `body`.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::field("body", Msg::new("error.body_unreadable"))
        }
    })
}

/// A JSON body that may be left out: an empty (or blank) body is `T::default()`, e.g. "issue
/// the proposal" or "require from the default set". Otherwise like [`ApiJson`].
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            Ok(OptionalJson(T::default()))
        } else {
            parse_json(&bytes).map(OptionalJson)
        }
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(AppError::field("body", Msg::new("error.invalid_utf8")));
    }
    // JSON has one number type: `2.0` is the integer 2 to every JSON Schema reader (our
    // OpenAPI document is 3.1), so a whole number written with a fraction is read as an
    // integer before the typed fields see it.
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| AppError::field("body", Msg::new("error.malformed_json")))?;
    whole_numbers_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        if let Some(field) = msg
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            return AppError::field(field, Msg::new("error.required"));
        }
        if inner.is_syntax() || inner.is_eof() {
            return AppError::field("body", Msg::new("error.malformed_json"));
        }
        if let Some(field) = msg
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
        {
            return AppError::field(field, Msg::new("error.unknown_field"));
        }
        let field = if path == "." || path.is_empty() {
            "body".to_string()
        } else {
            path
        };
        AppError::field(&field, Msg::new("error.wrong_type"))
    })
}

/// Rewrites every number with no fractional part that fits an `i64` (`3.0`, `-1e2`) as that
/// integer; other numbers stay as they are.
fn whole_numbers_as_integers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f >= i64::MIN as f64
                && f < i64::MAX as f64
            {
                *v = serde_json::Value::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// An urlencoded form. The CSRF middleware has already checked `_csrf`.
pub struct WebForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for WebForm<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(AppError::field("body", Msg::new("error.invalid_utf8")));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(WebForm)
            .map_err(|e| {
                let msg = e.to_string();
                let field = msg
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split('`').next())
                    .unwrap_or("body")
                    .to_string();
                AppError::field(&field, Msg::new("error.required"))
            })
    }
}

/// Query string; a bad value becomes a validation error rather than a bare 400.
pub struct Q<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(q).map(Q).map_err(|e| {
            let msg = e.to_string();
            let field = msg.split('`').nth(1).unwrap_or("query").to_string();
            AppError::field(&field, Msg::new("error.wrong_type"))
        })
    }
}

/// An optional filter as given: trimmed, and blank means not given.
pub fn some_text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Trims a text field and enforces a maximum length in characters.
pub fn text(
    field: &str,
    v: &str,
    max: usize,
    required: bool,
    errors: &mut Vec<(String, Msg)>,
) -> String {
    let t = v.trim().to_string();
    if required && t.is_empty() {
        errors.push((field.to_string(), Msg::new("error.required")));
    } else if t.chars().count() > max {
        errors.push((
            field.to_string(),
            Msg::new("error.too_long").with("max", max),
        ));
    } else if t
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        errors.push((field.to_string(), Msg::new("error.control_chars")));
    } else if t.chars().any(is_bidi_control) {
        errors.push((field.to_string(), Msg::new("error.bidi_chars")));
    }
    t
}

/// Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C):
/// invisible, they make a name read differently from what it is (`U+202E` turns
/// `invoice<U+202E>fdp.exe` around), so names, codes and every other text field refuse them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}
