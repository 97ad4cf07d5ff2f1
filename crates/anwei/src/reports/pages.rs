//! Report pages for staff: the list (and the office's entry of a report received by phone,
//! letter or visit), and a report's page with its handling steps, messages and, for the
//! custodian, the reveal. The public pages are in `public_pages.rs`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::api::parse_step;
use super::handling;
use super::model::{
    Identity, IdentityRevealInput, MessageInput, ReportFilter, ReportView, StepInput,
};
use super::public_pages::{ReceiptPage, ReportForm};
use super::service::{self, Detail};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::ids::ReportId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render, render_form};

#[derive(Template)]
#[template(path = "reports/list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<ReportView>,
    pub pager: Pager,
    pub f: ReportFilter,
    pub can_enter: bool,
    pub input: ReportForm,
    pub errors: FieldErrors,
}

async fn list_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: ReportFilter,
    input: ReportForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let p = service::list(state, actor, &f).await?;
    let today = crate::time::today();
    let query: Vec<(&str, String)> = [
        ("status", &f.status),
        ("category", &f.category),
        ("region", &f.region),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|s| !s.is_empty()).map(|v| (k, v)))
    .collect();
    let b = Base::new(state, ctx, Some(actor), "reports.title");
    let invalid = errors.any();
    render_form(
        &ListPage {
            b,
            items: p.items.iter().map(|r| r.view(today)).collect(),
            pager: Pager {
                page: p.page,
                per_page: p.per_page,
                total: p.total,
                base_query: serde_urlencoded::to_string(query).unwrap_or_default(),
            },
            f,
            can_enter: actor.can(Perm::ReportTriage) && !actor.is_read_only(),
            input,
            errors,
        },
        invalid,
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<ReportFilter>,
) -> AppResult<Response> {
    let input = ReportForm {
        identity: "anonymous".into(),
        channel: "phone".into(),
        ..ReportForm::default()
    };
    list_render(&state, &ctx, &actor, f, input, FieldErrors::default()).await
}

/// The office enters a report received by phone, letter or visit; the receipt code is shown
/// once, to be read out or written back to the reporter.
pub async fn enter(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<ReportForm>,
) -> AppResult<Response> {
    match service::enter(&state, &actor, &f.input()).await {
        Ok(code) => {
            let b = Base::new(&state, &ctx, Some(&actor), "reports.title");
            let code = anwei_rules::report::format_receipt(&code);
            render(&ReceiptPage { b, code })
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let filter = ReportFilter::default();
                list_render(&state, &ctx, &actor, filter, f, errors).await
            }
            None => Err(e),
        },
    }
}

#[derive(Template)]
#[template(path = "reports/report.html")]
pub struct DetailPage {
    pub b: Base,
    pub d: Detail,
    pub view: ReportView,
    pub input: StepInput,
    pub errors: FieldErrors,
    pub identity: Option<Identity>,
    /// The reward (举报奖励) and links section.
    pub panel: super::rewards::pages::Panel,
}

pub(super) async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ReportId,
    input: StepInput,
    errors: FieldErrors,
    identity: Option<Identity>,
) -> AppResult<Response> {
    let d = service::get(state, actor, id).await?;
    let view = d.report.view(crate::time::today());
    let b = Base::new(state, ctx, Some(actor), "reports.report_title");
    let invalid = errors.any();
    let panel = super::rewards::pages::Panel::new(&d, actor);
    render_form(
        &DetailPage {
            b,
            d,
            view,
            input,
            errors,
            identity,
            panel,
        },
        invalid,
    )
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
) -> AppResult<Response> {
    detail_render(
        &state,
        &ctx,
        &actor,
        id,
        StepInput::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

/// After a form on a report's page: back to the page, or the page again with the errors.
async fn after(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ReportId,
    r: AppResult<Detail>,
    input: StepInput,
) -> AppResult<Response> {
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/reports/{id}"),
        async |errors| detail_render(state, ctx, actor, id, input, errors, None).await,
    )
    .await
}

pub async fn step(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path((id, step)): Path<(ReportId, String)>,
    WebForm(input): WebForm<StepInput>,
) -> AppResult<Response> {
    let step = parse_step(&step).ok_or(AppError::NotFound)?;
    let r = handling::step(&state, &actor, id, step, &input).await;
    after(&state, &ctx, &actor, id, r, input).await
}

pub async fn message(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<MessageInput>,
) -> AppResult<Response> {
    let r = handling::staff_message(&state, &actor, id, &input).await;
    after(&state, &ctx, &actor, id, r, StepInput::default()).await
}

/// The custodian's reveal, shown on the page itself (never in a URL).
pub async fn reveal(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<IdentityRevealInput>,
) -> AppResult<Response> {
    match handling::reveal(&state, &actor, id, &input).await {
        Ok(identity) => {
            let (i, e) = (StepInput::default(), FieldErrors::default());
            detail_render(&state, &ctx, &actor, id, i, e, Some(identity)).await
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let i = StepInput::default();
                detail_render(&state, &ctx, &actor, id, i, errors, None).await
            }
            None => Err(e),
        },
    }
}
