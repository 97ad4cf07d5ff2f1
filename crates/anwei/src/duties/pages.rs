//! HTML handlers of recurring duties: the compliance table with lights, and the form that
//! records an activity.

use anwei_rules::duties::{ActivityKind, Period, PeriodKind, builtin_rule};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::NewActivityInput;
use super::service;
use crate::app::AppState;
use crate::auth::model::{Actor, Perm, Role};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

/// One row of the compliance table, labelled in the reader's language.
pub struct Row {
    pub org_name: String,
    pub rule: String,
    pub holder: String,
    pub required: u32,
    pub done: u32,
    pub status: String,
    pub light: &'static str,
}

#[derive(Template)]
#[template(path = "duties/compliance.html")]
pub struct CompliancePage {
    pub b: Base,
    pub rows: Vec<Row>,
    pub period: String,
    pub org: String,
    pub choose_org: bool,
    pub can_record: bool,
    pub errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub period: Option<String>,
    pub org: Option<String>,
    /// Set after a record was saved: "1", or "late".
    pub recorded: Option<String>,
}

fn light(status: &str) -> &'static str {
    match status {
        "met" => "green",
        "due" => "yellow",
        _ => "red",
    }
}

/// `/duties`: compliance of the actor's organisation (the office may choose one by code) in
/// a period (default: the current quarter).
pub async fn compliance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<PageQuery>,
) -> AppResult<Response> {
    let period = q
        .period
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| Period::containing(PeriodKind::Quarter, crate::time::today()).code());
    let choose_org = actor.role == Role::Office;
    let org = q
        .org
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && choose_org)
        .unwrap_or(&actor.org_code)
        .to_string();
    let (rows, errors) = match service::compliance(&state, &actor, Some(&period), Some(&org)).await
    {
        Ok((_, items)) => {
            let rows = items
                .into_iter()
                .map(|i| {
                    let rule = match (builtin_rule(&i.rule), ctx.lang) {
                        (Some(r), Lang::En) => r.title_en.to_string(),
                        (Some(r), _) => r.title_zh.to_string(),
                        (None, _) => i.rule.clone(),
                    };
                    let holder = match (&i.position_title, &i.holder_name) {
                        (Some(t), Some(n)) => format!("{t}（{n}）"),
                        (Some(t), None) => t.clone(),
                        _ => crate::i18n::t(ctx.lang, "duties.org_bound"),
                    };
                    Row {
                        org_name: i.org_name,
                        rule,
                        holder,
                        required: i.required,
                        done: i.done,
                        light: light(&i.status),
                        status: crate::i18n::t(ctx.lang, &format!("duties.status.{}", i.status)),
                    }
                })
                .collect();
            (rows, FieldErrors::default())
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (Vec::new(), errors),
            None => return Err(e),
        },
    };
    let flash = match q.recorded.as_deref() {
        Some("late") => Some(crate::i18n::t(ctx.lang, "duties.recorded_late")),
        Some(_) => Some(crate::i18n::t(ctx.lang, "duties.recorded")),
        None => None,
    };
    let b = Base::new(&state, &ctx, Some(&actor), "duties.page_title").with_flash(flash);
    let failed = errors.any();
    let mut res = render(&CompliancePage {
        b,
        rows,
        period,
        org,
        choose_org,
        can_record: actor.can(Perm::DutyRecord),
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// The form as posted: every field text, so an empty select is not a type error.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub org_code: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub led_by_position: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub places: String,
    #[serde(default)]
    pub findings: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "duties/new_activity.html")]
pub struct NewActivityPage {
    pub b: Base,
    pub input: ActivityForm,
    pub kinds: Vec<Choice>,
    pub positions: Vec<Choice>,
    pub errors: FieldErrors,
}

async fn form_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: ActivityForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code().to_string(),
            label: if ctx.lang == Lang::En {
                k.name_en()
            } else {
                k.name_zh()
            }
            .to_string(),
        })
        .collect();
    let positions = crate::people::service::positions_of_org(state, actor, &input.org_code)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: match p.holder_name {
                Some(n) => format!("{}（{n}）", p.title),
                None => p.title,
            },
        })
        .collect();
    let b = Base::new(state, ctx, Some(actor), "duties.new_activity_title");
    let failed = errors.any();
    let mut res = render(&NewActivityPage {
        b,
        input,
        kinds,
        positions,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct FormQuery {
    pub org: Option<String>,
}

/// `/duties/activities/new`: the form, for the actor's organisation (the office: `?org=`).
pub async fn new_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<FormQuery>,
) -> AppResult<Response> {
    let org_code = q
        .org
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| actor.org_code.clone());
    let input = ActivityForm {
        org_code,
        date: crate::time::today().to_string(),
        ..ActivityForm::default()
    };
    form_render(&state, &ctx, &actor, input, FieldErrors::default()).await
}

/// Saves the form through the same service as the API; field errors re-render it.
pub async fn create_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(form): WebForm<ActivityForm>,
) -> AppResult<Response> {
    let position = form.led_by_position.trim();
    let led_by_position = if position.is_empty() {
        None
    } else {
        match position.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                let errors = FieldErrors(vec![(
                    "led_by_position".to_string(),
                    crate::i18n::t(ctx.lang, "duties.position_not_of_org"),
                )]);
                return form_render(&state, &ctx, &actor, form, errors).await;
            }
        }
    };
    let input = NewActivityInput {
        org_code: form.org_code.clone(),
        kind: form.kind.clone(),
        date: form.date.clone(),
        title: form.title.clone(),
        led_by_position,
        led_by_person: None,
        participants: form.participants.clone(),
        topics: form.topics.clone(),
        places: form.places.clone(),
        findings: form.findings.clone(),
        area_code: String::new(),
    };
    match service::create_activity(&state, &actor, &input, Vec::new()).await {
        Ok(id) => {
            let (a, _, _) = service::get_activity(&state, &actor, id).await?;
            let flag = if a.entered_late { "late" } else { "1" };
            let org = crate::web::middleware::urlencode(&a.org_code);
            Ok(Redirect::to(&format!("/duties?org={org}&recorded={flag}")).into_response())
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => form_render(&state, &ctx, &actor, form, errors).await,
            None => Err(e),
        },
    }
}
