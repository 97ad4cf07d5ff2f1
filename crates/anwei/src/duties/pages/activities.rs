//! One activity record (履职记录): the form that records it, its page with evidence and 抄报,
//! correction, added evidence, and the office's late acceptance.

use anwei_rules::duties::ActivityKind;
use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Choice, RecordedQuery, kind_label};
use crate::auth::model::{Actor, Perm, Role};
use crate::duties::model::{
    AcceptLateInput, ActivityPatch, ActivityRow, DeliveryRow, EvidenceRow, NewActivityInput,
};
use crate::duties::service;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::{ActivityId, PositionId};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

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
    #[serde(default)]
    pub area_code: String,
}

impl ActivityForm {
    fn of_input(i: &NewActivityInput) -> ActivityForm {
        ActivityForm {
            org_code: i.org_code.clone(),
            kind: i.kind.clone(),
            date: i.date.clone(),
            title: i.title.clone(),
            led_by_position: i.led_by_position.map(|p| p.to_string()).unwrap_or_default(),
            participants: i.participants.clone(),
            topics: i.topics.clone(),
            places: i.places.clone(),
            findings: i.findings.clone(),
            area_code: i.area_code.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "duties/new_activity.html")]
pub struct NewActivityPage {
    pub b: Base,
    pub input: ActivityForm,
    pub kinds: Vec<Choice>,
    pub positions: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub errors: FieldErrors,
    /// Where the form posts (a new record, or a correction of record `id`).
    pub action: String,
    pub editing: bool,
}

/// The areas an inspection can be about: the regions in the actor's scope, then the sectors.
async fn area_choices(state: &AppState, actor: &Actor, lang: Lang) -> Vec<Choice> {
    let mut out: Vec<Choice> = crate::orgs::service::regions(state, actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| Choice {
            value: r.code.clone(),
            label: format!("{}（{}）", r.name, r.code),
        })
        .collect();
    out.extend(anwei_rules::org::Sector::ALL.iter().map(|s| Choice {
        value: format!("sector:{}", s.code()),
        label: format!(
            "{}：{}",
            crate::i18n::t(lang, "duties.sector"),
            if lang == Lang::En {
                s.name_en()
            } else {
                s.name_zh()
            }
        ),
    }));
    out
}

async fn form_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: ActivityForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    form_render_for(state, ctx, actor, input, errors, None).await
}

async fn form_render_for(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: ActivityForm,
    errors: FieldErrors,
    editing: Option<ActivityId>,
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
    let areas = area_choices(state, actor, ctx.lang).await;
    let title = if editing.is_some() {
        "duties.correct_title"
    } else {
        "duties.new_activity_title"
    };
    let b = Base::new(state, ctx, Some(actor), title);
    let action = match editing {
        Some(id) => format!("/duties/activities/{id}"),
        None => format!(
            "/duties/activities?_csrf={}",
            crate::web::middleware::urlencode(&b.csrf)
        ),
    };
    let failed = errors.any();
    let mut res = render(&NewActivityPage {
        b,
        input,
        kinds,
        positions,
        areas,
        errors,
        action,
        editing: editing.is_some(),
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

/// Saves the form (multipart, with evidence files; its CSRF token travels in the query)
/// through the same service as the API; field errors re-render it.
pub async fn create_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    let (input, files) = match crate::duties::api::read_activity(req, &state).await {
        Ok(v) => v,
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let form = ActivityForm {
                    org_code: actor.org_code.clone(),
                    ..ActivityForm::default()
                };
                return form_render(&state, &ctx, &actor, form, errors).await;
            }
            None => return Err(e),
        },
    };
    match service::create_activity(&state, &actor, &input, files).await {
        Ok(id) => {
            let (a, _, _) = service::get_activity(&state, &actor, id).await?;
            let flag = if a.entered_late { "late" } else { "1" };
            Ok(Redirect::to(&format!("/duties/activities/{id}?recorded={flag}")).into_response())
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                form_render(&state, &ctx, &actor, ActivityForm::of_input(&input), errors).await
            }
            None => Err(e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// One record: details, evidence, 抄报, correction, added evidence, late acceptance
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "duties/activity.html")]
pub struct ActivityPage {
    pub b: Base,
    pub a: ActivityRow,
    pub kind: String,
    pub area: String,
    pub deliveries: Vec<(String, String)>,
    pub evidence: Vec<EvidenceRow>,
    pub may_correct: bool,
    pub may_accept: bool,
    pub errors: FieldErrors,
}

async fn activity_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ActivityId,
    flash: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (a, deliveries, evidence) = service::get_activity(state, actor, id).await?;
    let t = crate::i18n::Tr { lang: ctx.lang };
    let deliveries = deliveries
        .into_iter()
        .map(|d: DeliveryRow| (d.to_org_name, t.instant(&d.delivered_at)))
        .collect();
    let may_correct = service::may_correct(state, actor, &a);
    let may_accept = actor.role == Role::Office
        && actor.can(Perm::TaskReview)
        && a.entered_late
        && !a.accepted_late;
    let area = area_choices(state, actor, ctx.lang)
        .await
        .into_iter()
        .find(|c| c.value == a.area_code)
        .map(|c| c.label)
        .unwrap_or_else(|| a.area_code.clone());
    let b = Base::new(state, ctx, Some(actor), "duties.activity_page").with_flash(flash);
    let failed = errors.any();
    let mut res = render(&ActivityPage {
        b,
        kind: kind_label(a.kind.code(), ctx.lang),
        area,
        a,
        deliveries,
        evidence,
        may_correct,
        may_accept,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `/duties/activities/{id}`.
pub async fn activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ActivityId>,
    Q(q): Q<RecordedQuery>,
) -> AppResult<Response> {
    let flash = match (q.recorded.as_deref(), q.saved.as_deref()) {
        (Some("late"), _) => Some(crate::i18n::t(ctx.lang, "duties.recorded_late")),
        (Some(_), _) => Some(crate::i18n::t(ctx.lang, "duties.recorded")),
        (None, Some(_)) => Some(crate::i18n::t(ctx.lang, "duties.saved")),
        _ => None,
    };
    activity_render(&state, &ctx, &actor, id, flash, FieldErrors::default()).await
}

/// `/duties/activities/{id}/edit`: the correction form.
pub async fn edit_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ActivityId>,
) -> AppResult<Response> {
    let (a, _, _) = service::get_activity(&state, &actor, id).await?;
    let form = ActivityForm {
        org_code: a.org_code,
        kind: a.kind.code().to_string(),
        date: a.date.to_string(),
        title: a.title,
        led_by_position: a
            .led_by_position_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
        participants: a.participants,
        topics: a.topics,
        places: a.places,
        findings: a.findings,
        area_code: a.area_code,
    };
    form_render_for(&state, &ctx, &actor, form, FieldErrors::default(), Some(id)).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CorrectForm {
    #[serde(flatten)]
    pub form: ActivityForm,
    #[serde(default)]
    pub reason: String,
}

/// Saves a correction through the same service as the API.
pub async fn correct_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ActivityId>,
    WebForm(f): WebForm<CorrectForm>,
) -> AppResult<Response> {
    let position = f.form.led_by_position.trim();
    let led_by_position = match position {
        "" => None,
        p => match p.parse::<PositionId>() {
            Ok(v) => Some(v),
            Err(_) => {
                let errors = FieldErrors(vec![(
                    "led_by_position".to_string(),
                    crate::i18n::t(ctx.lang, "duties.position_not_of_org"),
                )]);
                return form_render_for(&state, &ctx, &actor, f.form, errors, Some(id)).await;
            }
        },
    };
    let patch = ActivityPatch {
        kind: Some(f.form.kind.clone()),
        date: Some(f.form.date.clone()),
        title: Some(f.form.title.clone()),
        led_by_position: Some(led_by_position),
        participants: Some(f.form.participants.clone()),
        topics: Some(f.form.topics.clone()),
        places: Some(f.form.places.clone()),
        findings: Some(f.form.findings.clone()),
        area_code: Some(f.form.area_code.clone()),
        reason: f.reason.clone(),
    };
    match service::correct_activity(&state, &actor, id, &patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/duties/activities/{id}?saved=1")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => form_render_for(&state, &ctx, &actor, f.form, errors, Some(id)).await,
            None => Err(e),
        },
    }
}

/// Adds evidence files from the record's page (multipart; CSRF token in the query).
pub async fn add_evidence(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ActivityId>,
    req: Request,
) -> AppResult<Response> {
    let files = match crate::files::read_multipart(req, &state).await {
        Ok(form) => form.files,
        Err(e) => return Err(e),
    };
    match service::add_evidence(&state, &actor, id, files).await {
        Ok(_) => Ok(Redirect::to(&format!("/duties/activities/{id}?saved=1")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => activity_render(&state, &ctx, &actor, id, None, errors).await,
            None => Err(e),
        },
    }
}

/// The office accepts a late record from its page.
pub async fn accept_late(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ActivityId>,
    WebForm(input): WebForm<AcceptLateInput>,
) -> AppResult<Response> {
    match service::accept_late(&state, &actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/duties/activities/{id}?saved=1")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => activity_render(&state, &ctx, &actor, id, None, errors).await,
            None => Err(e),
        },
    }
}
