//! The inbox page and API.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::service::{self, Notification};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::page::render;

#[derive(Template)]
#[template(path = "notify/inbox.html")]
pub struct InboxPage {
    pub b: Base,
    pub items: Vec<Notification>,
}

pub async fn inbox(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let items = service::list(&state, &actor, 200).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "inbox.title");
    render(&InboxPage { b, items })
}

pub async fn mark_read(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    service::mark_read(&state, &actor, Some(id)).await?;
    Ok(Redirect::to("/inbox").into_response())
}

pub async fn mark_all_read(State(state): State<AppState>, actor: Actor) -> AppResult<Response> {
    service::mark_read(&state, &actor, None).await?;
    Ok(Redirect::to("/inbox").into_response())
}

/// The caller's notifications, newest first; `title` and `body` rendered in the request's
/// language.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "inbox", responses((status = 200), (status = 401)))]
pub async fn api_list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Json<Value>> {
    let items = service::list(&state, &actor, 200).await?;
    let unread = items.iter().filter(|n| n.read_at.is_none()).count();
    let items: Vec<Value> = items
        .iter()
        .map(|n| json!({"id": n.id, "title": n.title_in(&ctx.lang), "body": n.body_in(&ctx.lang), "link": n.link, "created_at": n.created_at, "read_at": n.read_at}))
        .collect();
    Ok(Json(json!({"items": items, "unread": unread})))
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "inbox", params(("id" = i64, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn api_mark_read(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    let n = service::mark_read(&state, &actor, Some(id)).await?;
    Ok(Json(json!({"updated": n})))
}
