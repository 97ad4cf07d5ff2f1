//! Pages of concealment cases: the list (with the supervised-by-me view), the form that opens a
//! case, and a case with the verify form for its supervising office. Errors come back on the
//! form with what was typed.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::model::{CONTENTS, ConcealmentCaseInput, ConcealmentVerifyInput, SOURCES};
use super::service::{self, CaseQuery};
use super::views::ConcealmentCaseView;
use crate::auth::model::{Actor, Role};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, redirect_or_again, render, render_form};

/// A `datetime-local` value (`2026-06-01T08:30`) is read in UTC+8; one with an offset as is.
fn with_offset(s: &str) -> String {
    let s = s.trim();
    match s.len() {
        16 => format!("{s}:00+08:00"),
        19 => format!("{s}+08:00"),
        _ => s.to_string(),
    }
}

/// A count as typed: blank is none; anything else that is not a whole number is sent as -1,
/// which the model refuses naming the field.
fn count(s: &str) -> Option<i64> {
    match s.trim() {
        "" => None,
        t => Some(t.parse().unwrap_or(-1)),
    }
}

fn id(s: &str) -> Option<i64> {
    match s.trim() {
        "" => None,
        t => Some(t.parse().unwrap_or(0)),
    }
}

#[derive(Template)]
#[template(path = "accidents/concealment_list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<ConcealmentCaseView>,
    pub mine: bool,
    pub can_open: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<CaseQuery>,
) -> AppResult<Response> {
    let rows = service::list(&state, &actor, &q).await?;
    let items = rows
        .iter()
        .map(|c| c.view(service::supervises(&actor, c) && !actor.is_read_only()))
        .collect();
    let mine = matches!(q.supervised_by_me.as_deref(), Some("true" | "1" | "on"));
    let can_open = matches!(actor.role, Role::Office | Role::Department) && !actor.is_read_only();
    let b = Base::new(&state, &ctx, Some(&actor), "concealment_pages.title");
    render(&ListPage {
        b,
        items,
        mine,
        can_open,
    })
}

/// The opening form's fields (flat, text as typed).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_note: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub deaths: String,
    #[serde(default)]
    pub serious_injuries: String,
    #[serde(default)]
    pub missing: String,
    #[serde(default)]
    pub direct_loss_yuan: String,
    #[serde(default)]
    pub accident_id: String,
}

impl CaseForm {
    fn input(&self) -> ConcealmentCaseInput {
        ConcealmentCaseInput {
            source: self.source.clone(),
            source_note: self.source_note.clone(),
            region_code: self.region_code.clone(),
            unit_name: self.unit_name.clone(),
            enterprise_id: None,
            occurred_at: match self.occurred_at.trim() {
                "" => String::new(),
                s => with_offset(s),
            },
            description: self.description.clone(),
            deaths: count(&self.deaths),
            serious_injuries: count(&self.serious_injuries),
            missing: count(&self.missing),
            direct_loss_yuan: count(&self.direct_loss_yuan),
            accident_id: id(&self.accident_id),
        }
    }
}

#[derive(Template)]
#[template(path = "accidents/concealment_new.html")]
pub struct NewPage {
    pub b: Base,
    pub input: CaseForm,
    pub errors: FieldErrors,
    pub sources: &'static [&'static str],
}

fn new_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: CaseForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let b = Base::new(state, ctx, Some(actor), "concealment_pages.new");
    let invalid = errors.any();
    let page = NewPage {
        b,
        input,
        errors,
        sources: &SOURCES,
    };
    render_form(&page, invalid)
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    new_render(
        &state,
        &ctx,
        &actor,
        CaseForm::default(),
        FieldErrors::default(),
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<CaseForm>,
) -> AppResult<Response> {
    let r = service::open(&state, &actor, &f.input()).await;
    redirect_or_again(
        r,
        ctx.lang,
        |c| format!("/accidents/concealment/{}", c.id),
        async |errors| new_render(&state, &ctx, &actor, f, errors),
    )
    .await
}

/// The verify form's fields (flat, text as typed; the contents as repeated checkboxes).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub deaths: String,
    #[serde(default)]
    pub serious_injuries: String,
    #[serde(default)]
    pub missing: String,
    #[serde(default)]
    pub direct_loss_yuan: String,
    #[serde(default, rename = "type")]
    pub accident_type: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub location: String,
    /// The missing contents of 第十二条, one checkbox each (`c_unit` … `c_other`).
    #[serde(default)]
    pub c_unit: String,
    #[serde(default)]
    pub c_time_place: String,
    #[serde(default)]
    pub c_course: String,
    #[serde(default)]
    pub c_casualties: String,
    #[serde(default)]
    pub c_measures: String,
    #[serde(default)]
    pub c_other: String,
    #[serde(default)]
    pub note: String,
}

impl VerifyForm {
    fn input(&self) -> ConcealmentVerifyInput {
        ConcealmentVerifyInput {
            outcome: self.outcome.clone(),
            deaths: count(&self.deaths),
            serious_injuries: count(&self.serious_injuries),
            missing: count(&self.missing),
            direct_loss_yuan: count(&self.direct_loss_yuan),
            accident_type: self.accident_type.clone(),
            category: self.category.clone(),
            location: self.location.clone(),
            missing_contents: CONTENTS
                .into_iter()
                .filter(|c| self.has(c))
                .map(str::to_string)
                .collect(),
            note: self.note.clone(),
        }
    }

    /// Whether content `c` is among the missing ones typed.
    pub fn has(&self, c: &str) -> bool {
        let v = match c {
            "unit" => &self.c_unit,
            "time_place" => &self.c_time_place,
            "course" => &self.c_course,
            "casualties" => &self.c_casualties,
            "measures" => &self.c_measures,
            "other" => &self.c_other,
            _ => return false,
        };
        !v.trim().is_empty()
    }
}

#[derive(Template)]
#[template(path = "accidents/concealment_case.html")]
pub struct DetailPage {
    pub b: Base,
    pub c: ConcealmentCaseView,
    pub input: VerifyForm,
    pub errors: FieldErrors,
    pub types: Vec<(&'static str, &'static str)>,
    pub contents: &'static [&'static str],
}

async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: i64,
    input: VerifyForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (c, may) = service::get(state, actor, id).await?;
    let b = Base::new(state, ctx, Some(actor), "concealment_pages.case");
    let types = anwei_rules::hazard::AccidentType::ALL
        .iter()
        .map(|t| (t.code(), t.name_zh()))
        .collect();
    let invalid = errors.any();
    let page = DetailPage {
        b,
        c: c.view(may),
        input,
        errors,
        types,
        contents: &CONTENTS,
    };
    render_form(&page, invalid)
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (i, e) = (VerifyForm::default(), FieldErrors::default());
    detail_render(&state, &ctx, &actor, id, i, e).await
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
    WebForm(f): WebForm<VerifyForm>,
) -> AppResult<Response> {
    let r = super::verify::verify(&state, &actor, id, &f.input()).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/accidents/concealment/{id}"),
        async |errors| detail_render(&state, &ctx, &actor, id, f, errors).await,
    )
    .await
}
