//! Rendering helpers shared by every capability's pages.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::layout::Base;
use crate::error::{AppError, ErrorInfo};

/// Renders a template; a template error is an internal error, never a half page.
/// [`render`] for a page with a form: 422 when the form came back with field errors.
pub fn render_form<T: Template>(tpl: &T, invalid: bool) -> Result<Response, AppError> {
    let mut res = render(tpl)?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub fn render<T: Template>(tpl: &T) -> Result<Response, AppError> {
    tpl.render()
        .map(|s| Html(s).into_response())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub b: Base,
    pub status: u16,
    pub message: String,
    pub fields: Vec<(String, String)>,
}

pub fn error_page(b: Base, info: &ErrorInfo) -> Response {
    let lang = b.t.lang;
    let page = ErrorPage {
        status: info.status.as_u16(),
        message: info.msg.render(lang),
        fields: info
            .fields
            .iter()
            .map(|(k, m)| (k.clone(), m.render(lang)))
            .collect(),
        b,
    };
    match page.render() {
        Ok(s) => Html(s).into_response(),
        Err(_) => (info.status, info.msg.render(lang)).into_response(),
    }
}

/// Field errors keyed by field name, for forms that re-render with what was typed.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn from_error(e: &AppError, lang: crate::i18n::Lang) -> Option<FieldErrors> {
        match e {
            AppError::Validation(f) => Some(FieldErrors(
                f.iter().map(|(k, m)| (k.clone(), m.render(lang))).collect(),
            )),
            _ => None,
        }
    }
    pub fn get(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
            .join("；")
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(k, _)| k == field)
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// The usual end of a form post: on success a redirect to `to(value)`; on field errors the
/// form again (`again` renders it with them, 422); any other error as it is.
pub async fn redirect_or_again<T>(
    result: Result<T, AppError>,
    lang: crate::i18n::Lang,
    to: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(FieldErrors) -> Result<Response, AppError>,
) -> Result<Response, AppError> {
    match result {
        Ok(v) => Ok(axum::response::Redirect::to(&to(v)).into_response()),
        Err(e) => match FieldErrors::from_error(&e, lang) {
            Some(errors) => again(errors).await,
            None => Err(e),
        },
    }
}

/// The highest page a list answers (a larger one is a 422 on `page`, never an overflow).
pub const MAX_PAGE: i64 = 1_000_000;

/// A list's `page` (1 to [`MAX_PAGE`], else 422 on `page`) and `per_page` (clamped to 1–500,
/// default 50).
pub fn page_and_size(page: Option<i64>, per_page: Option<i64>) -> Result<(i64, i64), AppError> {
    if page.is_some_and(|p| !(1..=MAX_PAGE).contains(&p)) {
        return Err(AppError::field(
            "page",
            crate::i18n::Msg::new("error.page_range"),
        ));
    }
    Ok((page.unwrap_or(1), per_page.unwrap_or(50).clamp(1, 500)))
}

/// Server-side pagination state for list pages.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// The current query string without `page`, to build links.
    pub base_query: String,
}

impl Pager {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }
    pub fn link(&self, page: &i64) -> String {
        if self.base_query.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.base_query)
        }
    }
    pub fn prev(&self) -> i64 {
        self.page - 1
    }
    pub fn next(&self) -> i64 {
        self.page + 1
    }
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}
