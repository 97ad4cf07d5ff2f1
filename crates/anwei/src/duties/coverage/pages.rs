//! HTML handlers of 分片包保 coverage: the table of areas with their members and last
//! inspections, the quarter selector, and the office's form to assign and remove.

use anwei_rules::duties::{Period, PeriodKind};
use anwei_rules::org::Sector;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::CoverageInput;
use super::service;
use crate::auth::model::Actor;
use crate::duties::pages::Choice;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, format_date, t, tf};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

/// One member covering an area, as the table shows it.
pub struct Member {
    pub id: i64,
    pub label: String,
    pub last: String,
    pub retired: bool,
}

/// One area of the table.
pub struct Row {
    pub area: String,
    pub kind: String,
    pub members: Vec<Member>,
    pub last: String,
    pub visited: bool,
}

/// The assignment form as posted: every field text, so an empty select is not a type error.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CoverageForm {
    #[serde(default)]
    pub position: String,
    /// Optional: the page's area select says the kind by its value (`sector:…` or a region).
    #[serde(default)]
    pub area_kind: String,
    #[serde(default)]
    pub area_code: String,
    #[serde(default)]
    pub note: String,
    /// The quarter the page showed, to come back to.
    #[serde(default)]
    pub quarter: String,
}

#[derive(Template)]
#[template(path = "duties/coverage.html")]
pub struct CoveragePage {
    pub b: Base,
    pub quarter: String,
    pub quarters: Vec<Choice>,
    pub rows: Vec<Row>,
    pub total: usize,
    pub unvisited: usize,
    pub can_manage: bool,
    pub positions: Vec<Choice>,
    pub regions: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub input: CoverageForm,
    pub errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub quarter: Option<String>,
    /// Set after a change: "assigned" or "removed".
    pub done: Option<String>,
}

fn quarter_label(lang: Lang, p: Period) -> String {
    tf(
        lang,
        "coverage.quarter_label",
        &[
            ("year", p.year_number().to_string()),
            ("n", p.index().to_string()),
        ],
    )
}

/// The current quarter and the seven before it, plus the one shown if it is older.
fn quarter_choices(lang: Lang, shown: &str) -> Vec<Choice> {
    let mut out = Vec::new();
    let mut q = Some(Period::containing(
        PeriodKind::Quarter,
        crate::time::today(),
    ));
    for _ in 0..8 {
        let Some(p) = q else { break };
        out.push(Choice {
            value: p.code(),
            label: quarter_label(lang, p),
        });
        q = p.prev();
    }
    if let Ok(p) = service::parse_quarter(Some(shown))
        && !out.iter().any(|c| c.value == p.code())
    {
        out.push(Choice {
            value: p.code(),
            label: quarter_label(lang, p),
        });
    }
    out
}

fn back_to(quarter: &str) -> String {
    let q = quarter.trim();
    if q.is_empty() {
        "/duties/coverage".to_string()
    } else {
        format!(
            "/duties/coverage?quarter={}",
            crate::web::middleware::urlencode(q)
        )
    }
}

/// What the page shows besides the coverage itself.
struct Shown {
    quarter: Option<String>,
    input: CoverageForm,
    errors: FieldErrors,
    flash: Option<String>,
    status: StatusCode,
}

async fn page_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    shown: Shown,
) -> AppResult<Response> {
    let Shown {
        quarter,
        input,
        mut errors,
        flash,
        status,
    } = shown;
    let quarter = quarter.as_deref();
    let lang = ctx.lang;
    let dash = || "—".to_string();
    let (code, rows) = match service::view(state, actor, quarter, lang).await {
        Ok(v) => {
            let rows: Vec<Row> = v
                .items
                .into_iter()
                .map(|i| Row {
                    area: if i.area_name == i.area_code {
                        i.area_name
                    } else {
                        format!("{}（{}）", i.area_name, i.area_code)
                    },
                    kind: t(lang, &format!("coverage.kind.{}", i.area_kind)),
                    members: i
                        .covered_by
                        .into_iter()
                        .map(|m| Member {
                            id: m.id,
                            label: match m.holder_name {
                                Some(n) => format!("{}（{n}）· {}", m.position_title, m.org_name),
                                None => format!(
                                    "{}（{}）· {}",
                                    m.position_title,
                                    t(lang, "coverage.vacant"),
                                    m.org_name
                                ),
                            },
                            last: m
                                .last_inspection
                                .as_deref()
                                .map_or_else(dash, |d| format_date(lang, d)),
                            retired: m.position_retired,
                        })
                        .collect(),
                    last: i
                        .last_inspection
                        .as_deref()
                        .map_or_else(dash, |d| format_date(lang, d)),
                    visited: i.visited_this_quarter,
                })
                .collect();
            (v.quarter, rows)
        }
        Err(e) => match FieldErrors::from_error(&e, lang) {
            Some(mut more) => {
                errors.0.append(&mut more.0);
                (quarter.unwrap_or("").trim().to_string(), Vec::new())
            }
            None => return Err(e),
        },
    };
    let choices = service::choices(state, actor).await?;
    let positions = choices
        .positions
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: match p.holder_name {
                Some(n) => format!("{}（{n}）· {}", p.title, p.org_name),
                None => format!("{} · {}", p.title, p.org_name),
            },
        })
        .collect();
    let regions = choices
        .regions
        .into_iter()
        .map(|r| Choice {
            label: format!("{}（{}）", r.name, r.code),
            value: r.code,
        })
        .collect();
    let sectors = Sector::ALL
        .iter()
        .map(|s| Choice {
            value: format!("sector:{}", s.code()),
            label: if lang == Lang::En {
                s.name_en()
            } else {
                s.name_zh()
            }
            .to_string(),
        })
        .collect();
    let unvisited = rows.iter().filter(|r| !r.visited).count();
    let b = Base::new(state, ctx, Some(actor), "coverage.page_title").with_flash(flash);
    let status = if errors.any() && status == StatusCode::OK {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    let mut res = render(&CoveragePage {
        b,
        quarters: quarter_choices(lang, &code),
        quarter: code,
        total: rows.len(),
        unvisited,
        rows,
        can_manage: service::can_manage(actor),
        positions,
        regions,
        sectors,
        input,
        errors,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// `/duties/coverage`: the coverage of a quarter (default: the current one).
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<PageQuery>,
) -> AppResult<Response> {
    let flash = match q.done.as_deref() {
        Some("assigned") => Some(t(ctx.lang, "coverage.assigned")),
        Some("removed") => Some(t(ctx.lang, "coverage.removed")),
        _ => None,
    };
    let shown = Shown {
        quarter: q.quarter,
        input: CoverageForm::default(),
        errors: FieldErrors::default(),
        flash,
        status: StatusCode::OK,
    };
    page_render(&state, &ctx, &actor, shown).await
}

/// Saves the assignment form through the same service as the API; problems re-render the
/// page with the form as typed and the message beside its field.
pub async fn assign(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(form): WebForm<CoverageForm>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let quarter = Some(form.quarter.clone()).filter(|q| !q.trim().is_empty());
    let Ok(position) = form.position.trim().parse::<crate::ids::PositionId>() else {
        let errors = FieldErrors(vec![(
            "position".to_string(),
            t(lang, "coverage.position_required"),
        )]);
        let shown = Shown {
            quarter,
            input: form,
            errors,
            flash: None,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return page_render(&state, &ctx, &actor, shown).await;
    };
    let code = form.area_code.trim();
    let area_kind = if !form.area_kind.trim().is_empty() {
        form.area_kind.trim().to_string()
    } else if code.starts_with("sector:") {
        "sector".to_string()
    } else {
        "region".to_string()
    };
    let input = CoverageInput {
        position,
        area_kind,
        area_code: code.to_string(),
        note: form.note.clone(),
    };
    let (errors, status) = match service::assign(&state, &actor, &input).await {
        Ok(_) => {
            let back = back_to(&form.quarter);
            let sep = if back.contains('?') { '&' } else { '?' };
            return Ok(Redirect::to(&format!("{back}{sep}done=assigned")).into_response());
        }
        Err(AppError::Conflict(m)) => (
            FieldErrors(vec![("area_code".to_string(), m.render(lang))]),
            StatusCode::CONFLICT,
        ),
        // The select offers only positions in scope: this one was retired or removed meanwhile.
        Err(AppError::NotFound) => (
            FieldErrors(vec![(
                "position".to_string(),
                t(lang, "coverage.position_unknown"),
            )]),
            StatusCode::NOT_FOUND,
        ),
        Err(e) => match FieldErrors::from_error(&e, lang) {
            Some(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
            None => return Err(e),
        },
    };
    let shown = Shown {
        quarter,
        input: form,
        errors,
        flash: None,
        status,
    };
    page_render(&state, &ctx, &actor, shown).await
}

#[derive(Debug, Default, Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    pub quarter: String,
}

/// Removes one assignment, then shows the page again.
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    WebForm(form): WebForm<RemoveForm>,
) -> AppResult<Response> {
    service::remove(&state, &actor, id).await?;
    let back = back_to(&form.quarter);
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}done=removed")).into_response())
}
