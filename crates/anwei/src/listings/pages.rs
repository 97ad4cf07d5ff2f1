//! Listing pages: the supervision board with its lights and, for the office, the form to list
//! a major hazard; a listing's page with its progress history and the forms the viewer may
//! use; and the public notices, which need no login.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::response::Response;

use super::model::{
    DelistInput, ListingFilter, ListingInput, ListingView, ProgressInput, PublicNotice,
    ReferralInput, StopOrderInput,
};
use super::service;
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::ids::ListingId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render, render_form};

#[derive(Template)]
#[template(path = "listings/board.html")]
pub struct BoardPage {
    pub b: Base,
    pub items: Vec<ListingView>,
    pub pager: Pager,
    pub f: ListingFilter,
    pub can_list: bool,
    pub input: ListingInput,
    pub errors: FieldErrors,
}

async fn board_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: ListingFilter,
    input: ListingInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let p = service::list(state, actor, &f).await?;
    let query: Vec<(&str, String)> = f
        .status
        .clone()
        .filter(|s| !s.is_empty())
        .map(|s| vec![("status", s)])
        .unwrap_or_default();
    let b = Base::new(state, ctx, Some(actor), "listings.title");
    render_form(
        &BoardPage {
            b,
            items: p.items,
            pager: Pager {
                page: p.page,
                per_page: p.per_page,
                total: p.total,
                base_query: serde_urlencoded::to_string(query).unwrap_or_default(),
            },
            f,
            can_list: actor.can(Perm::ListingManage) && !actor.is_read_only(),
            input,
            errors: errors.clone(),
        },
        errors.any(),
    )
}

pub async fn board(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<ListingFilter>,
) -> AppResult<Response> {
    let input = ListingInput::default();
    board_render(&state, &ctx, &actor, f, input, FieldErrors::default()).await
}

pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<ListingInput>,
) -> AppResult<Response> {
    let r = service::create(&state, &actor, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |l| format!("/listings/{}", l.id),
        async |errors| {
            let f = ListingFilter::default();
            board_render(&state, &ctx, &actor, f, input, errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "listings/listing.html")]
pub struct ListingPage {
    pub b: Base,
    pub d: service::Detail,
    pub l: ListingView,
    pub law: &'static str,
    pub today: String,
    pub errors: FieldErrors,
    pub max_size: String,
}

async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ListingId,
    errors: FieldErrors,
) -> AppResult<Response> {
    let d = service::get(state, actor, id).await?;
    let l = d.listing.clone();
    let b = Base::new(state, ctx, Some(actor), "listings.listing_title")
        .with_title(format!("{} · {}", l.notice_no, l.enterprise_name));
    render_form(
        &ListingPage {
            b,
            d,
            l,
            law: service::REFERRAL_LAW,
            today: crate::time::today().to_string(),
            errors: errors.clone(),
            max_size: crate::files::human_size(state.cfg.uploads.max_file_bytes),
        },
        errors.any(),
    )
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ListingId>,
) -> AppResult<Response> {
    detail_render(&state, &ctx, &actor, id, FieldErrors::default()).await
}

/// The end of every form on a listing's page: back to the page, or the page again with the
/// field errors.
async fn back<T>(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ListingId,
    r: AppResult<T>,
) -> AppResult<Response> {
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/listings/{id}"),
        async |errors| detail_render(state, ctx, actor, id, errors).await,
    )
    .await
}

/// Progress: multipart (files), its CSRF token in the query string.
pub async fn progress(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ListingId>,
    req: Request,
) -> AppResult<Response> {
    let (input, files) = crate::files::read_form::<ProgressInput>(req, &state).await?;
    let r = service::report(&state, &actor, id, &input, files).await;
    back(&state, &ctx, &actor, id, r).await
}

/// Delisting: multipart (evidence), its CSRF token in the query string.
pub async fn delist(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ListingId>,
    req: Request,
) -> AppResult<Response> {
    let (input, files) = crate::files::read_form::<DelistInput>(req, &state).await?;
    let r = service::delist(&state, &actor, id, &input, files).await;
    back(&state, &ctx, &actor, id, r).await
}

pub async fn stop_order(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ListingId>,
    WebForm(input): WebForm<StopOrderInput>,
) -> AppResult<Response> {
    let r = service::stop_order(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r).await
}

pub async fn referral(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ListingId>,
    WebForm(input): WebForm<ReferralInput>,
) -> AppResult<Response> {
    let r = service::refer(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r).await
}

/// `/listings/files/{id}` for the pages: the API's download.
pub async fn file(
    state: State<AppState>,
    actor: Actor,
    id: Path<crate::ids::FileId>,
) -> AppResult<Response> {
    super::api::download(state, actor, id).await
}

#[derive(Template)]
#[template(path = "listings/public.html")]
pub struct PublicPage {
    pub b: Base,
    pub notices: Vec<PublicNotice>,
}

/// `/public/listings`: the listing and delisting notices, for anyone, signed in or not. Reads
/// only; names no person and no internal id.
pub async fn public(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let notices = service::public_notices(&state).await?;
    let b = Base::new(&state, &ctx, None, "listings.public_title");
    render(&PublicPage { b, notices })
}
