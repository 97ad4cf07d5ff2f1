//! The extension forms of a hazard's page: the request, and the office's decision.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::model::{ExtensionDecision, ExtensionInput};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::hazards::pages::HazardPages;
use crate::ids::{ExtensionId, HazardId};
use crate::review::pages::{Call, Reviewed};
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::{FieldErrors, redirect_or_again};

async fn again(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: HazardId,
    errors: FieldErrors,
) -> AppResult<Response> {
    let c = Call { state, actor, id };
    let mut page = HazardPages::render(c, ctx, errors).await?;
    *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(page)
}

pub async fn request(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<HazardId>,
    WebForm(input): WebForm<ExtensionInput>,
) -> AppResult<Response> {
    let r = service::request(&state, &actor, id, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/hazards/{id}#extensions"),
        async |errors| again(&state, &ctx, &actor, id, errors).await,
    )
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path((id, eid)): Path<(HazardId, ExtensionId)>,
    WebForm(input): WebForm<ExtensionDecision>,
) -> AppResult<Response> {
    let r = service::decide(&state, &actor, id, eid, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/hazards/{id}#extensions"),
        async |errors| again(&state, &ctx, &actor, id, errors).await,
    )
    .await
}
