//! The boundary: the JSON API (`POST /api/v1/policies/import`, with a dry run) and the HTML
//! pages (the upload form, the preview, 确认导入) over the same use cases.

use askama::Template;
use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::parse::Parsed;
use super::service::{ImportMeta, Outcome, Preview, check, confirm, import, preview, require};
use super::{MAX_FILE_BYTES, MAX_ROWS};
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg};
use crate::ids::Day;
use crate::policy::model::{DeadlineView, SelectorView};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

/// A parsed row as the preview shows it (API and page).
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub row: usize,
    pub measure: i64,
    pub measure_title: String,
    pub number: Option<i64>,
    pub content: String,
    pub units_text: String,
    pub units: Vec<SelectorView>,
    pub deadline_text: String,
    pub deadline: Option<DeadlineView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub row: usize,
    pub column: String,
    pub letter: String,
    pub text: String,
    pub reason: String,
}

fn views(p: &Parsed, lang: Lang) -> (Vec<RowView>, Vec<ErrorView>) {
    let rows = p
        .rows
        .iter()
        .map(|r| RowView {
            row: r.row,
            measure: r.measure,
            measure_title: r.measure_title.clone(),
            number: r.number,
            content: r.content.clone(),
            units_text: r.units_text.clone(),
            units: r
                .units
                .iter()
                .map(|s| SelectorView {
                    code: s.code(),
                    scope: s.scope.code().to_string(),
                    target: s.target.code(),
                    description: if lang == Lang::En {
                        s.describe_en()
                    } else {
                        s.describe_zh()
                    },
                })
                .collect(),
            deadline_text: r.deadline_text.clone(),
            deadline: r.deadline.as_ref().map(|d| DeadlineView {
                kind: d.kind.code().to_string(),
                due: d.due.map(Day),
                ongoing: d.ongoing,
                window_start: d.window_start.map(Day),
                window_end: d.window_end.map(Day),
            }),
        })
        .collect();
    let errors = p
        .errors
        .iter()
        .map(|e| ErrorView {
            row: e.row,
            column: e.column.to_string(),
            letter: e.letter.clone(),
            text: e.text.clone(),
            reason: e.reason.render(lang),
        })
        .collect();
    (rows, errors)
}

/// The multipart upload: `file` plus the metadata fields.
async fn read_upload(req: Request, state: &AppState) -> AppResult<(ImportMeta, Vec<u8>)> {
    let unreadable = || AppError::field("body", Msg::new("error.body_unreadable"));
    let too_large = || {
        AppError::field(
            "file",
            Msg::new("policy_import.too_large").with("max_mb", MAX_FILE_BYTES / (1024 * 1024)),
        )
    };
    let is_multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::field(
            "body",
            Msg::new("policy_import.expected_multipart"),
        ));
    }
    let mut mp = Multipart::from_request(req, state)
        .await
        .map_err(|_| unreadable())?;
    let mut meta = ImportMeta::default();
    let mut file: Option<Vec<u8>> = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_string();
        // Read in chunks and stop at the cap instead of buffering whatever is sent.
        let cap = if name == "file" {
            MAX_FILE_BYTES
        } else {
            64 * 1024
        };
        let mut data = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if data.len() + c.len() > cap {
                        return Err(if name == "file" {
                            too_large()
                        } else {
                            AppError::field(&name, Msg::new("error.too_long").with("max", cap))
                        });
                    }
                    data.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => return Err(unreadable()),
            }
        }
        let text = || {
            String::from_utf8(data.clone())
                .map_err(|_| AppError::field(&name, Msg::new("error.invalid_utf8")))
        };
        match name.as_str() {
            "file" => file = Some(data.clone()),
            "code" => meta.code = text()?,
            "doc_number" => meta.doc_number = text()?,
            "title" => meta.title = text()?,
            "issuer" => meta.issuer = text()?,
            "issued_on" => meta.issued_on = text()?,
            _ => {}
        }
    }
    let file = file
        .filter(|f| !f.is_empty())
        .ok_or_else(|| AppError::field("file", Msg::new("error.required")))?;
    Ok((meta, file))
}

#[derive(Deserialize, Default)]
pub struct DryRun {
    #[serde(default)]
    pub dry_run: Option<bool>,
}

fn refused_json(p: &Preview, lang: Lang) -> Response {
    let (rows, errors) = views(&p.parsed, lang);
    let fields: serde_json::Map<String, serde_json::Value> = p
        .fields
        .iter()
        .map(|(k, m)| (k.clone(), serde_json::Value::String(m.render(lang))))
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": "validation",
            "message": Msg::new("error.validation").render(lang),
            "fields": fields, "rows": rows, "errors": errors,
        })),
    )
        .into_response()
}

/// Imports a policy table (multipart: `file` — xlsx or UTF-8 csv with columns measure /
/// number / task / responsible units / deadline — and `code`, `doc_number`, `title`,
/// `issuer`, `issued_on`). `dry_run=true`: the parsed rows, nothing stored. Otherwise the
/// table becomes a new policy, all or nothing. Any unparsed cell: 422 with every error's row
/// and column.
#[utoipa::path(post, path = "/api/v1/policies/import", tag = "policy", params(("dry_run" = Option<bool>, Query)),
    responses((status = 200, description = "dry run: {\"rows\": [...], \"errors\": []}"), (status = 201, description = "{\"policy\": code, \"tasks\": n}"),
              (status = 403), (status = 422, description = "{\"rows\", \"errors\": [{\"row\", \"column\", \"text\", \"reason\"}], \"fields\"}")))]
pub async fn api_import(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<DryRun>,
    req: Request,
) -> AppResult<Response> {
    require(&state, &actor, "").await?;
    let (meta, bytes) = read_upload(req, &state).await?;
    if q.dry_run.unwrap_or(false) {
        let p = check(&state, &meta, &bytes).await?;
        if !p.ok() {
            return Ok(refused_json(&p, ctx.lang));
        }
        let (rows, errors) = views(&p.parsed, ctx.lang);
        return Ok(
            Json(json!({"rows": rows, "errors": errors, "measures": p.parsed.measures}))
                .into_response(),
        );
    }
    match import(&state, &actor, &meta, &bytes).await? {
        Outcome::Imported { code, tasks } => Ok((
            StatusCode::CREATED,
            Json(json!({"policy": code, "tasks": tasks})),
        )
            .into_response()),
        Outcome::Refused(p) => Ok(refused_json(&p, ctx.lang)),
    }
}

#[derive(Template)]
#[template(path = "policy/import.html")]
pub struct FormPage {
    pub b: Base,
    pub meta: ImportMeta,
    pub errors: FieldErrors,
    pub max_mb: usize,
    pub max_rows: usize,
}

#[derive(Template)]
#[template(path = "policy/import_preview.html")]
pub struct PreviewPage {
    pub b: Base,
    pub meta: ImportMeta,
    pub rows: Vec<RowView>,
    pub errors: Vec<ErrorView>,
    pub fields: FieldErrors,
    pub sha: String,
    pub measures: Vec<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    require(&state, &actor, "").await?;
    let b = Base::new(&state, &ctx, Some(&actor), "policy_import.title");
    render(&FormPage {
        b,
        meta: ImportMeta::default(),
        errors: FieldErrors::default(),
        max_mb: MAX_FILE_BYTES / (1024 * 1024),
        max_rows: MAX_ROWS,
    })
}

fn preview_page(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    p: &Preview,
) -> AppResult<Response> {
    let (rows, errors) = views(&p.parsed, ctx.lang);
    let b = Base::new(state, ctx, Some(actor), "policy_import.preview_title");
    let mut r = render(&PreviewPage {
        b,
        meta: p.meta.clone(),
        rows,
        errors,
        fields: FieldErrors(
            p.fields
                .iter()
                .map(|(k, m)| (k.clone(), m.render(ctx.lang)))
                .collect(),
        ),
        sha: p.sha.clone().unwrap_or_default(),
        measures: p.parsed.measures.clone(),
    })?;
    if !p.ok() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The upload form posts here (multipart, CSRF token in the query string): the preview.
pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    require(&state, &actor, "").await?;
    let upload = read_upload(req, &state).await;
    let (meta, bytes) = match upload {
        Ok(x) => x,
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let b = Base::new(&state, &ctx, Some(&actor), "policy_import.title");
                let mut r = render(&FormPage {
                    b,
                    meta: ImportMeta::default(),
                    errors,
                    max_mb: MAX_FILE_BYTES / (1024 * 1024),
                    max_rows: MAX_ROWS,
                })?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(r);
            }
            None => return Err(e),
        },
    };
    let p = preview(&state, &actor, &meta, &bytes).await?;
    preview_page(&state, &ctx, &actor, &p)
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    pub sha: String,
    #[serde(flatten)]
    pub meta: ImportMeta,
}

/// 确认导入: re-reads the kept upload and imports it in one transaction.
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(form): WebForm<ConfirmForm>,
) -> AppResult<Response> {
    match confirm(&state, &actor, &form.meta, &form.sha).await {
        Ok(Outcome::Imported { code, .. }) => Ok(Redirect::to(&format!(
            "/policy?policy={}",
            crate::web::middleware::urlencode(&code)
        ))
        .into_response()),
        Ok(Outcome::Refused(p)) => preview_page(&state, &ctx, &actor, &p),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(fields) => {
                let p = Preview {
                    meta: form.meta.clone(),
                    parsed: Parsed::default(),
                    fields: Vec::new(),
                    sha: None,
                };
                let (rows, errors) = views(&p.parsed, ctx.lang);
                let b = Base::new(&state, &ctx, Some(&actor), "policy_import.preview_title");
                let mut r = render(&PreviewPage {
                    b,
                    meta: p.meta,
                    rows,
                    errors,
                    fields,
                    sha: String::new(),
                    measures: Vec::new(),
                })?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}
