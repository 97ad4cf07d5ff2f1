//! Inspection pages: the list with the form to record one, and an inspection's page with its
//! officers, the duty record it is the evidence of, the hazards it found and the form to
//! register another.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::response::Response;

use super::model::{InspectionFilter, InspectionRow, NewInspectionInput};
use super::service::{self, Detail};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::hazards::model::{HazardView, NewHazardInput};
use crate::i18n::Msg;
use crate::ids::InspectionId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render_form};

#[derive(Template)]
#[template(path = "inspections/list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<InspectionRow>,
    pub pager: Pager,
    pub can_record: bool,
    pub input: NewInspectionInput,
    pub officers: String,
    pub errors: FieldErrors,
}

async fn list_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: InspectionFilter,
    input: NewInspectionInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let p = service::list(state, actor, &f).await?;
    let mut query: Vec<(&str, String)> = Vec::new();
    if let Some(e) = f.enterprise {
        query.push(("enterprise", e.to_string()));
    }
    if let Some(c) = f.campaign {
        query.push(("campaign", c.to_string()));
    }
    let officers: Vec<String> = input.officers.iter().map(i64::to_string).collect();
    render_form(
        &ListPage {
            b: Base::new(state, ctx, Some(actor), "inspections.title"),
            items: p.items,
            pager: Pager {
                page: p.page,
                per_page: p.per_page,
                total: p.total,
                base_query: serde_urlencoded::to_string(query).unwrap_or_default(),
            },
            can_record: actor.can(Perm::InspectionRecord) && !actor.is_read_only(),
            officers: officers.join(","),
            input,
            errors: errors.clone(),
        },
        errors.any(),
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<InspectionFilter>,
) -> AppResult<Response> {
    let input = NewInspectionInput {
        enterprise_id: f.enterprise.unwrap_or_default(),
        campaign_id: f.campaign,
        kind: "routine".into(),
        ..NewInspectionInput::default()
    };
    list_render(&state, &ctx, &actor, f, input, FieldErrors::default()).await
}

pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<NewInspectionInput>,
) -> AppResult<Response> {
    let r = service::create(&state, &actor, &input)
        .await
        .map_err(|e| match e {
            AppError::NotFound => {
                AppError::field("enterprise_id", Msg::new("hazards.enterprise_unknown"))
            }
            e => e,
        });
    redirect_or_again(
        r,
        ctx.lang,
        |row| format!("/inspections/{}", row.id),
        async |errors| {
            let f = InspectionFilter::default();
            list_render(&state, &ctx, &actor, f, input, errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "inspections/inspection.html")]
pub struct InspectionPage {
    pub b: Base,
    pub d: Detail,
    pub hazards: Vec<HazardView>,
    pub officers: String,
    pub input: NewHazardInput,
    pub errors: FieldErrors,
}

async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: InspectionId,
    input: NewHazardInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let d = service::get(state, actor, id).await?;
    let today = crate::time::today();
    let hazards = d.hazards.iter().map(|h| h.view(today)).collect();
    let officers: Vec<&str> = d.officers.iter().map(|o| o.name.as_str()).collect();
    let b = Base::new(state, ctx, Some(actor), "inspections.inspection_title").with_title(format!(
        "{} · {}",
        d.inspection.enterprise_name, d.inspection.date
    ));
    render_form(
        &InspectionPage {
            b,
            officers: officers.join("、"),
            hazards,
            d,
            input,
            errors: errors.clone(),
        },
        errors.any(),
    )
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<InspectionId>,
) -> AppResult<Response> {
    let input = NewHazardInput {
        grade: "general".into(),
        ..NewHazardInput::default()
    };
    detail_render(&state, &ctx, &actor, id, input, FieldErrors::default()).await
}

/// The form on the inspection's page: a hazard it found (multipart, with photos).
pub async fn add_hazard(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<InspectionId>,
    req: Request,
) -> AppResult<Response> {
    let (mut input, photos) = crate::files::read_form::<NewHazardInput>(req, &state).await?;
    let d = service::get(&state, &actor, id).await?;
    input.inspection_id = Some(id.get());
    input.enterprise_id = d.inspection.enterprise_id.get();
    let r = crate::hazards::service::create(&state, &actor, &input, photos).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/inspections/{id}#hazards"),
        async |errors| detail_render(&state, &ctx, &actor, id, input, errors).await,
    )
    .await
}
