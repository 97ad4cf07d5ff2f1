//! Campaign pages: the list with the office's form to create one; a campaign's page with its
//! coverage per department and territory, its checklist and the export links.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::model::{CampaignRow, NewCampaignInput};
use super::service::{self, Checklist};
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::ids::CampaignId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::{FieldErrors, redirect_or_again, render, render_form};

pub struct PlaceOption {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<CampaignRow>,
    pub can_create: bool,
    pub input: NewCampaignInput,
    pub places: Vec<PlaceOption>,
    pub errors: FieldErrors,
}

async fn list_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: NewCampaignInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let items = service::list(state, actor).await?;
    let places = anwei_rules::campaign::PlaceType::ALL
        .iter()
        .map(|p| PlaceOption {
            code: p.code(),
            name: p.name_zh(),
        })
        .collect();
    render_form(
        &ListPage {
            b: Base::new(state, ctx, Some(actor), "campaigns.title"),
            items,
            can_create: actor.can(Perm::CampaignManage) && !actor.is_read_only(),
            input,
            places,
            errors: errors.clone(),
        },
        errors.any(),
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let input = NewCampaignInput {
        kind: "general_inspection".into(),
        ..NewCampaignInput::default()
    };
    list_render(&state, &ctx, &actor, input, FieldErrors::default()).await
}

pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<NewCampaignInput>,
) -> AppResult<Response> {
    let r = service::create(&state, &actor, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |c| format!("/campaigns/{}", c.id),
        async |errors| list_render(&state, &ctx, &actor, input, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "campaigns/campaign.html")]
pub struct CampaignPage {
    pub b: Base,
    pub c: Checklist,
    pub kind_name: &'static str,
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<CampaignId>,
) -> AppResult<Response> {
    let c = service::checklist(&state, &actor, id).await?;
    let kind_name = anwei_rules::campaign::CampaignKind::parse(&c.campaign.kind)
        .map(|k| k.name_zh())
        .unwrap_or("");
    let b = Base::new(&state, &ctx, Some(&actor), "campaigns.title")
        .with_title(c.campaign.name.clone());
    render(&CampaignPage { b, c, kind_name })
}
