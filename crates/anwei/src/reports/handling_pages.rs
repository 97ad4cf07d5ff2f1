//! The staff report page's forms for 转办 (transfer), 延期 (extension request and decision) and
//! links to what the case produced: each posts, then returns to the report's page, or shows it
//! again with the errors named by field. A transfer that takes the case out of the sender's
//! sight returns to the list.

use axum::extract::{Path, State};
use axum::response::Response;

use super::extension::{ExtensionDecisionInput, ReportExtensionInput};
use super::links::LinkInput;
use super::model::StepInput;
use super::pages::detail_render;
use super::transfer::TransferInput;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::ReportId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::redirect_or_again;

async fn back<T>(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ReportId,
    r: AppResult<T>,
    to: impl FnOnce(T) -> String,
) -> AppResult<Response> {
    redirect_or_again(r, ctx.lang, to, async |errors| {
        detail_render(state, ctx, actor, id, StepInput::default(), errors, None).await
    })
    .await
}

pub async fn transfer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<TransferInput>,
) -> AppResult<Response> {
    let r = super::transfer::transfer(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |(_, after)| match after {
        Some(_) => format!("/reports/{id}"),
        None => "/reports".to_string(),
    })
    .await
}

pub async fn extension(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<ReportExtensionInput>,
) -> AppResult<Response> {
    let r = super::extension::request(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |_| format!("/reports/{id}")).await
}

pub async fn extension_decide(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<ExtensionDecisionInput>,
) -> AppResult<Response> {
    let r = super::extension::decide(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |_| format!("/reports/{id}")).await
}

/// Links the case to a hazard, an inspection or a penalty by its number.
pub async fn link(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<LinkInput>,
) -> AppResult<Response> {
    let r = super::links::add(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |_| format!("/reports/{id}")).await
}
