//! The enterprise registry's page: the list with its filters, and the form to add one.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::model::{
    EditForm, EnterpriseFilter, EnterpriseView, LeadInput, NewEnterpriseInput, RevealInput,
};
use super::service;
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::ids::OrgId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render_form};

#[derive(Template)]
#[template(path = "enterprises/list.html")]
pub struct ListPage {
    pub b: Base,
    pub items: Vec<EnterpriseView>,
    pub pager: Pager,
    pub f: EnterpriseFilter,
    pub can_add: bool,
    pub input: NewEnterpriseInput,
    pub errors: FieldErrors,
}

async fn list_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: EnterpriseFilter,
    input: NewEnterpriseInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    let p = service::list(state, actor, &f).await?;
    let query: Vec<(&str, &str)> = [
        ("region", &f.region),
        ("industry", &f.industry),
        ("q", &f.q),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().filter(|s| !s.is_empty()).map(|v| (k, v)))
    .collect();
    let b = Base::new(state, ctx, Some(actor), "enterprises.title");
    render_form(
        &ListPage {
            b,
            items: p.items,
            pager: Pager {
                page: p.page,
                per_page: p.per_page,
                total: p.total,
                base_query: serde_urlencoded::to_string(query).unwrap_or_default(),
            },
            f,
            can_add: actor.can(Perm::EnterpriseManage),
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
    Q(f): Q<EnterpriseFilter>,
) -> AppResult<Response> {
    let input = NewEnterpriseInput::default();
    list_render(&state, &ctx, &actor, f, input, FieldErrors::default()).await
}

pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<NewEnterpriseInput>,
) -> AppResult<Response> {
    let r = service::create_from(&state, &actor, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |e| format!("/enterprises?q={}", e.credit_code),
        async |errors| {
            let f = EnterpriseFilter::default();
            list_render(&state, &ctx, &actor, f, input, errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "enterprises/enterprise.html")]
pub struct DetailPage {
    pub b: Base,
    pub d: service::Detail,
    /// The edit form (the enterprise's values, or what was sent with its errors).
    pub edit: EditForm,
    pub can_edit: bool,
    pub input: LeadInput,
    pub errors: FieldErrors,
    /// The principal's full ID number, just revealed (never in a URL; the page is `no-store`).
    pub revealed: Option<String>,
}

async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: OrgId,
    input: LeadInput,
    errors: FieldErrors,
    revealed: Option<String>,
) -> AppResult<Response> {
    edit_render(state, ctx, actor, id, (input, None), errors, revealed).await
}

async fn edit_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: OrgId,
    (input, edit): (LeadInput, Option<EditForm>),
    errors: FieldErrors,
    revealed: Option<String>,
) -> AppResult<Response> {
    let d = service::get(state, actor, id).await?;
    let b = Base::new(state, ctx, Some(actor), "enterprises.detail_title")
        .with_title(d.view.name.clone());
    render_form(
        &DetailPage {
            b,
            edit: edit.unwrap_or_else(|| EditForm::of(&d.view)),
            can_edit: actor.can(Perm::EnterpriseManage) && !actor.is_read_only(),
            d,
            input,
            errors: errors.clone(),
            revealed,
        },
        errors.any(),
    )
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<OrgId>,
) -> AppResult<Response> {
    detail_render(
        &state,
        &ctx,
        &actor,
        id,
        LeadInput::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

pub async fn name_lead(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<OrgId>,
    WebForm(input): WebForm<LeadInput>,
) -> AppResult<Response> {
    let r = service::name_lead(&state, &actor, id, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/enterprises/{id}"),
        async |errors| detail_render(&state, &ctx, &actor, id, input, errors, None).await,
    )
    .await
}

/// Reveals the principal's ID number on the page itself (a redirect would carry it in a URL):
/// the number shows once, the reveal is audited with its reason.
pub async fn reveal(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<OrgId>,
    WebForm(input): WebForm<RevealInput>,
) -> AppResult<Response> {
    let lead = LeadInput::default();
    match service::reveal_principal_id(&state, &actor, id, &input).await {
        Ok(n) => {
            detail_render(
                &state,
                &ctx,
                &actor,
                id,
                lead,
                FieldErrors::default(),
                Some(n),
            )
            .await
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => detail_render(&state, &ctx, &actor, id, lead, errors, None).await,
            None => Err(e),
        },
    }
}

/// The edit form on the enterprise's page: back to the page, or the form again with its errors.
pub async fn edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<OrgId>,
    WebForm(form): WebForm<EditForm>,
) -> AppResult<Response> {
    let r = super::edit::update(&state, &actor, id, &form.patch()).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/enterprises/{id}"),
        async |errors| {
            let both = (LeadInput::default(), Some(form));
            edit_render(&state, &ctx, &actor, id, both, errors, None).await
        },
    )
    .await
}

/// The import form on the registry's page (multipart `file`): how many were imported, or
/// every problem by row and column (422), nothing stored.
pub async fn import(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: axum::extract::Request,
) -> AppResult<Response> {
    super::import::may_import(&state, &actor).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "enterprises.import_title");
    let page = crate::files::xlsx::ResultPage {
        heading: b.t.t("enterprises.import_title"),
        back: "/enterprises".into(),
        back_label: b.t.t("enterprises.title"),
        done: String::new(),
        refused: String::new(),
        problems: Vec::new(),
        b,
    };
    let outcome = match crate::files::xlsx::read_upload(req, &state).await {
        Ok(bytes) => super::import::import(&state, &actor, &bytes).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(super::import::Outcome::Imported { enterprises }) => {
            let done = crate::i18n::Msg::new("enterprises.imported")
                .with("n", enterprises)
                .render(ctx.lang);
            crate::files::xlsx::ResultPage { done, ..page }.answer(&[])
        }
        Ok(super::import::Outcome::Refused(p)) => page.answer(&p),
        Err(e) => match crate::files::xlsx::file_problem(&e, ctx.lang) {
            Some(p) => page.answer(&p),
            None => Err(e),
        },
    }
}
