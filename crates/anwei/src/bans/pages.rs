//! Ban registry pages (issue 12): `/bans` — search by ID number or name (office, 纪检监察) and
//! the city office's manual entry form; `/bans/check` — may this person be a unit's principal?
//! (office, departments, territories). Permissions as the API's; field errors re-render the
//! form with what was typed.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{BanCheckInput, BanCheckView, BanFilter, BanView, NewBanInput};
use super::service;
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, redirect_or_again, render_form};

#[derive(Template)]
#[template(path = "bans/index.html")]
pub struct BansPage {
    pub b: Base,
    pub f: BanFilter,
    pub rows: Vec<BanView>,
    pub errors: FieldErrors,
    /// The city office's manual entry, as typed.
    pub can_create: bool,
    pub input: NewBanInput,
    pub input_errors: FieldErrors,
}

async fn index_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: BanFilter,
    input: NewBanInput,
    input_errors: FieldErrors,
) -> AppResult<Response> {
    let (rows, errors) = match service::search(state, actor, &f).await {
        Ok(rows) => (rows, FieldErrors::default()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (Vec::new(), errors),
            None => return Err(e),
        },
    };
    let today = crate::time::today();
    let invalid = errors.any() || input_errors.any();
    let page = BansPage {
        b: Base::new(state, ctx, Some(actor), "ban_pages.title"),
        f,
        rows: rows.iter().map(|r| r.view(today)).collect(),
        errors,
        can_create: actor.can(Perm::BanManage) && !actor.is_read_only(),
        input,
        input_errors,
    };
    render_form(&page, invalid)
}

/// `GET /bans?id_number=&name=`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<BanFilter>,
) -> AppResult<Response> {
    index_render(
        &state,
        &ctx,
        &actor,
        f,
        NewBanInput::default(),
        FieldErrors::default(),
    )
    .await
}

/// `POST /bans`: the city office's manual entry; back to the registry.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<NewBanInput>,
) -> AppResult<Response> {
    let r = service::create(&state, &actor, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |row| format!("/bans?name={}", urlencode(&row.name)),
        async |errors| {
            index_render(&state, &ctx, &actor, BanFilter::default(), input, errors).await
        },
    )
    .await
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "bans/check.html")]
pub struct CheckPage {
    pub b: Base,
    pub input: BanCheckInput,
    pub errors: FieldErrors,
    pub verdict: Option<BanCheckView>,
}

/// `GET /bans/check`: the form.
pub async fn check_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    if !actor.can(Perm::BanCheck) {
        return Err(AppError::Forbidden);
    }
    let page = CheckPage {
        b: Base::new(&state, &ctx, Some(&actor), "ban_pages.check_title"),
        input: BanCheckInput::default(),
        errors: FieldErrors::default(),
        verdict: None,
    };
    render_form(&page, false)
}

/// `POST /bans/check`: the verdict on the same page, the number kept in the form.
pub async fn check(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<BanCheckInput>,
) -> AppResult<Response> {
    let (verdict, errors) = match service::check(&state, &actor, &input).await {
        Ok(v) => (
            Some(BanCheckView::new(&v, ctx.lang)),
            FieldErrors::default(),
        ),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (None, errors),
            None => return Err(e),
        },
    };
    let invalid = errors.any();
    let page = CheckPage {
        b: Base::new(&state, &ctx, Some(&actor), "ban_pages.check_title"),
        input,
        errors,
        verdict,
    };
    render_form(&page, invalid)
}
