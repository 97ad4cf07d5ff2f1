//! The one error type at the boundary. Handlers and services return `AppError`; the
//! `render_errors` middleware turns it into JSON (API) or a page (web) in the request's
//! language, with the request id. Internal causes are logged once and never shown.

use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::i18n::Msg;

#[derive(Debug)]
pub enum AppError {
    Unauthenticated,
    Forbidden,
    /// Forbidden, with the specific reason (e.g. "only the assignee may report").
    Refused(Msg),
    NotFound,
    /// Field-by-field problems; the form or JSON names each field.
    Validation(Vec<(String, Msg)>),
    /// A rule refused the request (duplicate, wrong state…).
    Conflict(Msg),
    /// Login locked, rate limited.
    TooManyRequests(Msg),
    Unavailable,
    /// Unavailable (503), with the specific reason (e.g. the vault's key provider fails).
    UnavailableFor(Msg),
    /// The body is larger than the route allows (413), however it was sent.
    TooLarge,
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn field(name: &str, msg: Msg) -> AppError {
        AppError::Validation(vec![(name.to_string(), msg)])
    }
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Refused(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable | AppError::UnavailableFor(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    pub fn info(&self) -> ErrorInfo {
        let (code, msg, fields, internal) = match self {
            AppError::Unauthenticated => (
                "unauthenticated",
                Msg::new("error.unauthenticated"),
                vec![],
                None,
            ),
            AppError::Forbidden => ("forbidden", Msg::new("error.forbidden"), vec![], None),
            AppError::Refused(m) => ("forbidden", m.clone(), vec![], None),
            AppError::NotFound => ("not_found", Msg::new("error.not_found"), vec![], None),
            AppError::Validation(f) => {
                ("validation", Msg::new("error.validation"), f.clone(), None)
            }
            AppError::Conflict(m) => ("conflict", m.clone(), vec![], None),
            AppError::TooManyRequests(m) => ("too_many_requests", m.clone(), vec![], None),
            AppError::Unavailable => ("unavailable", Msg::new("error.unavailable"), vec![], None),
            AppError::UnavailableFor(m) => ("unavailable", m.clone(), vec![], None),
            AppError::TooLarge => (
                "payload_too_large",
                Msg::new("error.payload_too_large"),
                vec![],
                None,
            ),
            AppError::Internal(e) => (
                "internal",
                Msg::new("error.internal"),
                vec![],
                Some(format!("{e:#}")),
            ),
        };
        ErrorInfo {
            status: self.status(),
            code,
            msg,
            fields,
            internal,
        }
    }
}

/// What the error middleware needs to render an error; travels in response extensions.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub msg: Msg,
    pub fields: Vec<(String, Msg)>,
    pub internal: Option<String>,
}

impl ErrorInfo {
    pub fn from_status(status: StatusCode) -> ErrorInfo {
        let (code, key) = match status.as_u16() {
            400 => ("bad_request", "error.bad_request"),
            401 => ("unauthenticated", "error.unauthenticated"),
            403 => ("forbidden", "error.forbidden"),
            404 => ("not_found", "error.not_found"),
            405 => ("method_not_allowed", "error.method_not_allowed"),
            408 => ("timeout", "error.timeout"),
            413 => ("payload_too_large", "error.payload_too_large"),
            415 => ("unsupported_media_type", "error.unsupported_media_type"),
            422 => ("validation", "error.validation"),
            429 => ("too_many_requests", "error.too_many_requests"),
            503 => ("unavailable", "error.unavailable"),
            s if s >= 500 => ("internal", "error.internal"),
            _ => ("bad_request", "error.bad_request"),
        };
        ErrorInfo {
            status,
            code,
            msg: Msg::new(key),
            fields: vec![],
            internal: None,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.info().code)
    }
}

impl std::error::Error for AppError {}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let info = self.info();
        let mut res = info.status.into_response();
        res.extensions_mut().insert(info);
        res
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            _ => AppError::Internal(e.into()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}
