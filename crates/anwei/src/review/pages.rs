//! The page side of the review loop, the same for every reviewed capability: open the
//! subject's page, post a submission (multipart: text and evidence files), post a decision.
//! On success each post redirects to the subject's page; on field errors the page comes back
//! with them (422). A capability implements [`Reviewed`] once and routes the three generic
//! handlers; its JSON API stays its own (paths, OpenAPI annotations and answers differ).

use std::fmt::Display;
use std::future::Future;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;

use super::model::DecisionInput;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::FieldErrors;
use crate::web::page::redirect_or_again;

/// Who asks about which subject: what every [`Reviewed`] method starts from.
#[derive(Clone, Copy)]
pub struct Call<'a, Id> {
    pub state: &'a AppState,
    pub actor: &'a Actor,
    pub id: Id,
}

/// A capability whose subjects go through the review loop, as its pages see it.
pub trait Reviewed: Send + Sync + 'static {
    /// The subject's id (`AssignmentId`, `RequirementId`).
    type Id: Copy + Display + DeserializeOwned + Send + Sync + 'static;
    /// The subject's page, without the id: `/supervision/assignments`.
    const PAGE: &'static str;

    /// The subject's page, with `errors` beside the forms (the generic handlers answer 422
    /// when there are any).
    fn render(
        c: Call<'_, Self::Id>,
        ctx: &RequestCtx,
        errors: FieldErrors,
    ) -> impl Future<Output = AppResult<Response>> + Send;

    /// Reads the posted submission and submits it.
    fn submit(c: Call<'_, Self::Id>, req: Request) -> impl Future<Output = AppResult<()>> + Send;

    /// Decides the waiting submission.
    fn decide(
        c: Call<'_, Self::Id>,
        input: &DecisionInput,
    ) -> impl Future<Output = AppResult<()>> + Send;
}

async fn back<C: Reviewed>(
    r: AppResult<()>,
    c: Call<'_, C::Id>,
    ctx: &RequestCtx,
) -> AppResult<Response> {
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("{}/{}", C::PAGE, c.id),
        async |errors| {
            let mut page = C::render(c, ctx, errors).await?;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        },
    )
    .await
}

/// `GET {PAGE}/{id}`.
pub async fn page<C: Reviewed>(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<C::Id>,
) -> AppResult<Response> {
    let c = Call {
        state: &state,
        actor: &actor,
        id,
    };
    C::render(c, &ctx, FieldErrors::default()).await
}

/// `POST {PAGE}/{id}/…` with a submission. The form is multipart (files), so its CSRF token
/// travels in the query string: a browser cannot add a header to a plain form.
pub async fn submit<C: Reviewed>(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<C::Id>,
    req: Request,
) -> AppResult<Response> {
    let c = Call {
        state: &state,
        actor: &actor,
        id,
    };
    back::<C>(C::submit(c, req).await, c, &ctx).await
}

/// `POST {PAGE}/{id}/review` with a decision.
pub async fn review<C: Reviewed>(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<C::Id>,
    WebForm(input): WebForm<DecisionInput>,
) -> AppResult<Response> {
    let c = Call {
        state: &state,
        actor: &actor,
        id,
    };
    back::<C>(C::decide(c, &input).await, c, &ctx).await
}
