//! Hazard pages: the list with its filters and the form to register one (with photos, for a
//! phone as much as a desk); a hazard's page with its rectification loop (the review core's
//! generic handlers) and, for the office, reopening.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{HazardFilter, HazardView, NewHazardInput, RectificationInput, ReopenInput};
use super::service;
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::HazardId;
use crate::review::model::DecisionInput;
use crate::review::pages::{Call, Reviewed};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render, render_form};

/// A criterion as the form offers it.
pub struct CriterionOption {
    pub code: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "hazards/list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<HazardView>,
    pub pager: Pager,
    pub f: HazardFilter,
    pub can_report: bool,
    pub input: NewHazardInput,
    pub criteria: Vec<CriterionOption>,
    pub errors: FieldErrors,
}

fn criteria() -> Vec<CriterionOption> {
    anwei_rules::hazard::criteria()
        .iter()
        .map(|c| {
            let title = anwei_rules::hazard::standard(c.standard)
                .map(|s| s.title_zh)
                .unwrap_or("");
            let short: String = c.text_zh.chars().take(40).collect();
            CriterionOption {
                code: c.code,
                label: format!("{title} {} {short}", c.item),
            }
        })
        .collect()
}

async fn list_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: HazardFilter,
    input: NewHazardInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let p = service::list(state, actor, &f).await?;
    let today = crate::time::today();
    let mut query: Vec<(&str, String)> = [
        ("grade", &f.grade),
        ("status", &f.status),
        ("region", &f.region),
        ("industry", &f.industry),
        ("flag", &f.flag),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|s| !s.is_empty()).map(|v| (k, v)))
    .collect();
    if let Some(e) = f.enterprise {
        query.push(("enterprise", e.to_string()));
    }
    if f.overdue {
        query.push(("overdue", "true".into()));
    }
    let b = Base::new(state, ctx, Some(actor), "hazards.title");
    render_form(
        &ListPage {
            b,
            items: p.items.iter().map(|h| h.view(today)).collect(),
            pager: Pager {
                page: p.page,
                per_page: p.per_page,
                total: p.total,
                base_query: serde_urlencoded::to_string(query).unwrap_or_default(),
            },
            f,
            can_report: actor.can(Perm::HazardReport) && !actor.is_read_only(),
            input,
            criteria: criteria(),
            errors: errors.clone(),
        },
        errors.any(),
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<HazardFilter>,
) -> AppResult<Response> {
    let mut input = NewHazardInput::default();
    if let Some(e) = f.enterprise {
        input.enterprise_id = e;
    }
    list_render(&state, &ctx, &actor, f, input, FieldErrors::default()).await
}

/// The registration form: multipart (photos), its CSRF token in the query string.
pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    let (input, photos) = crate::files::read_form::<NewHazardInput>(req, &state).await?;
    // An enterprise that does not exist or lies outside the scope (the API's 404) is the
    // form's enterprise field: the page comes back with what was typed, never a lost form.
    let r = service::create(&state, &actor, &input, photos)
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
        |h| format!("/hazards/{}", h.id),
        async |errors| {
            let f = HazardFilter::default();
            list_render(&state, &ctx, &actor, f, input, errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "hazards/hazard.html")]
pub struct HazardPage {
    pub b: Base,
    pub d: service::Detail,
    pub h: HazardView,
    pub criterion: String,
    pub errors: FieldErrors,
    pub max_size: String,
    pub extensions: Vec<super::extensions::model::ExtensionRow>,
    pub can_request_extension: bool,
    /// The pending extension request the reader may decide.
    pub decidable: Option<i64>,
}

/// The hazard's page and its rectification loop: the generic handlers of `review::pages`.
pub struct HazardPages;

impl Reviewed for HazardPages {
    type Id = HazardId;
    const PAGE: &'static str = "/hazards";

    async fn render(
        c: Call<'_, HazardId>,
        ctx: &RequestCtx,
        errors: FieldErrors,
    ) -> AppResult<Response> {
        let d = service::get(c.state, c.actor, c.id).await?;
        let h = d.hazard.view(crate::time::today());
        let criterion = anwei_rules::hazard::criterion(&h.criterion)
            .map(|k| format!("{} {}", k.item, k.text_zh))
            .unwrap_or_default();
        let b = Base::new(c.state, ctx, Some(c.actor), "hazards.hazard_title")
            .with_title(format!("{} · {}", h.enterprise_name, h.id));
        use super::extensions::service as ext;
        let extensions = ext::of_hazard(c.state, c.actor, c.id).await?;
        let pending = extensions.iter().find(|x| x.state == "pending");
        let open = d.hazard.status != anwei_rules::hazard::Status::Closed;
        render(&HazardPage {
            can_request_extension: open
                && pending.is_none()
                && ext::may_request(c.actor, d.hazard.enterprise_id),
            decidable: pending
                .filter(|x| ext::may_decide(c.actor, x))
                .map(|x| x.id.get()),
            extensions,
            b,
            d,
            h,
            criterion,
            errors,
            max_size: crate::files::human_size(c.state.cfg.uploads.max_file_bytes),
        })
    }

    async fn submit(c: Call<'_, HazardId>, req: Request) -> AppResult<()> {
        let (input, files) = crate::files::read_form::<RectificationInput>(req, c.state).await?;
        service::submit(c.state, c.actor, c.id, &input, files)
            .await
            .map(|_| ())
    }

    async fn decide(c: Call<'_, HazardId>, input: &DecisionInput) -> AppResult<()> {
        service::review(c.state, c.actor, c.id, input)
            .await
            .map(|_| ())
    }
}

pub async fn reopen(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<HazardId>,
    WebForm(input): WebForm<ReopenInput>,
) -> AppResult<Response> {
    let r = service::reopen(&state, &actor, id, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/hazards/{id}"),
        async |errors| {
            let c = Call {
                state: &state,
                actor: &actor,
                id,
            };
            let mut page = HazardPages::render(c, &ctx, errors).await?;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        },
    )
    .await
}

/// `/hazards/files/{id}` for the pages: the API's download.
pub async fn file(
    state: State<AppState>,
    actor: Actor,
    id: Path<crate::ids::FileId>,
) -> AppResult<Response> {
    super::api::download(state, actor, id).await
}

/// `/hazards/new` is the list's form.
pub async fn new_form() -> Response {
    Redirect::to("/hazards#register").into_response()
}
