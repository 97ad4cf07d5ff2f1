//! HTML and JSON handlers of dated deliverables (报送事项).

use crate::review::pages::{Call, Reviewed};
use askama::Template;
use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{
    DecisionInput, DeliverableView, NewDeliverableInput, RequireInput, RequirementFilter,
    RequirementView, SubmitInput,
};
use super::service::{self, Upload};
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::ids::{FileId, RequirementId};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, OptionalJson, Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render, render_form};

/// Reads a submission from JSON (`{"note"}`) or multipart (`note` and any number of
/// `files`).
pub async fn read_submission(
    req: Request,
    state: &AppState,
) -> AppResult<(SubmitInput, Vec<Upload>)> {
    if !crate::files::is_multipart(&req) {
        let ApiJson(input) = ApiJson::<SubmitInput>::from_request(req, state).await?;
        return Ok((input, Vec::new()));
    }
    let form = crate::files::read_multipart(req, state).await?;
    let input = SubmitInput {
        note: form.text("note")?.unwrap_or_default(),
    };
    Ok((input, form.files))
}

// --- pages ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "deliverables/list.html")]
pub struct ListPage {
    pub b: Base,
    pub deliverables: Vec<DeliverableView>,
    pub items: Vec<RequirementView>,
    pub pager: Pager,
    pub f_deliverable: String,
    pub f_org: String,
    pub f_status: String,
    pub can_issue: bool,
    /// Adding a deliverable changes the policy: the city office only.
    pub can_add: bool,
    pub input: NewDeliverableInput,
    pub errors: FieldErrors,
}

fn filter_query(f: &RequirementFilter) -> Vec<(String, String)> {
    [
        ("deliverable", &f.deliverable),
        ("org", &f.org),
        ("status", &f.status),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.as_ref()
            .filter(|s| !s.is_empty())
            .map(|v| (k.to_string(), v.clone()))
    })
    .collect()
}

async fn list_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: RequirementFilter,
    input: NewDeliverableInput,
    errors: FieldErrors,
    flash: Option<String>,
) -> AppResult<Response> {
    let o = service::overview(state, actor, f.policy.as_deref()).await?;
    let r = service::list(state, actor, &f).await?;
    let b = Base::new(state, ctx, Some(actor), "deliverables.title").with_flash(flash);
    render_form(
        &ListPage {
            b,
            deliverables: o.items,
            items: r.items,
            pager: Pager {
                page: r.page,
                per_page: r.per_page,
                total: r.total,
                base_query: serde_urlencoded::to_string(filter_query(&f)).unwrap_or_default(),
            },
            f_deliverable: f.deliverable.clone().unwrap_or_default(),
            f_org: f.org.clone().unwrap_or_default(),
            f_status: f.status.clone().unwrap_or_default(),
            can_issue: actor.can(Perm::DeliverableRequire),
            can_add: actor.can(Perm::DeliverableRequire) && actor.can(Perm::PolicyEdit),
            input,
            errors: errors.clone(),
        },
        errors.any(),
    )
}

/// What the last form did, shown once after its redirect.
#[derive(Deserialize, Default)]
pub struct FlashQuery {
    pub required: Option<i64>,
    pub existing: Option<i64>,
    pub added: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<RequirementFilter>,
    Q(fl): Q<FlashQuery>,
) -> AppResult<Response> {
    let flash = match (fl.required, fl.added) {
        (Some(n), _) => Some(crate::i18n::tf(
            ctx.lang,
            "deliverables.required_flash",
            &[
                ("created", n.to_string()),
                ("existing", fl.existing.unwrap_or(0).to_string()),
            ],
        )),
        (None, Some(code)) => Some(crate::i18n::tf(
            ctx.lang,
            "deliverables.added_flash",
            &[("code", code)],
        )),
        _ => None,
    };
    list_render(
        &state,
        &ctx,
        &actor,
        q,
        NewDeliverableInput::default(),
        FieldErrors::default(),
        flash,
    )
    .await
}

/// The office's form to add a deliverable.
pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(input): WebForm<NewDeliverableInput>,
) -> AppResult<Response> {
    let r = service::add(&state, &actor, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |d| {
            let code = crate::web::middleware::urlencode(&d.code);
            format!("/deliverables?added={code}")
        },
        async |errors| {
            let f = RequirementFilter::default();
            list_render(&state, &ctx, &actor, f, input, errors, None).await
        },
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct RequireForm {
    /// Organisation codes separated by commas, spaces or new lines; empty: the default set.
    #[serde(default)]
    pub orgs: String,
}

pub async fn require(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
    WebForm(form): WebForm<RequireForm>,
) -> AppResult<Response> {
    let orgs: Vec<String> = form
        .orgs
        .split([',', '，', ' ', '\n', '\r', '、'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let input = RequireInput {
        orgs: Some(orgs),
        policy: None,
    };
    let r = service::require(&state, &actor, &code, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |r| {
            let code = crate::web::middleware::urlencode(&code);
            format!(
                "/deliverables?deliverable={code}&required={}&existing={}",
                r.created, r.existing
            )
        },
        async |errors| {
            let (f, input) = (RequirementFilter::default(), NewDeliverableInput::default());
            list_render(&state, &ctx, &actor, f, input, errors, None).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "deliverables/requirement.html")]
pub struct RequirementPage {
    pub b: Base,
    pub d: service::Detail,
    pub errors: FieldErrors,
    pub max_mb: usize,
}

/// The requirement's page and its review loop: the generic handlers of `review::pages`.
pub struct RequirementPages;

impl Reviewed for RequirementPages {
    type Id = RequirementId;
    const PAGE: &'static str = "/deliverables/requirements";

    async fn render(
        c: Call<'_, RequirementId>,
        ctx: &RequestCtx,
        errors: FieldErrors,
    ) -> AppResult<Response> {
        let (state, actor) = (c.state, c.actor);
        let d = service::get(state, actor, c.id).await?;
        let title = if ctx.lang == crate::i18n::Lang::En {
            d.view.title_en.clone()
        } else {
            d.view.title_zh.clone()
        };
        let b = Base::new(state, ctx, Some(actor), "deliverables.requirement_title")
            .with_title(format!("{} · {title}", d.view.org_name));
        render(&RequirementPage {
            b,
            d,
            errors,
            max_mb: state.cfg.uploads.max_file_bytes / (1024 * 1024),
        })
    }

    async fn submit(c: Call<'_, RequirementId>, req: Request) -> AppResult<()> {
        let (state, actor, id) = (c.state, c.actor, c.id);
        let (input, files) = read_submission(req, state).await?;
        service::submit(state, actor, id, &input, files)
            .await
            .map(|_| ())
    }

    async fn decide(c: Call<'_, RequirementId>, input: &DecisionInput) -> AppResult<()> {
        service::review(c.state, c.actor, c.id, input)
            .await
            .map(|_| ())
    }
}

/// A submitted file: always a download with a safe name, never rendered inline. Serves both
/// `/api/v1/deliverable-files/{id}` and the page route.
#[utoipa::path(get, path = "/api/v1/deliverable-files/{id}", tag = "deliverables", params(("id" = i64, Path)),
    responses((status = 200, description = "the file (attachment)", content_type = "application/octet-stream"), (status = 401), (status = 403), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<FileId>,
) -> AppResult<Response> {
    let (name, mime, bytes) = service::file(&state, &actor, id).await?;
    crate::files::download_response(&name, &mime, bytes)
}

// --- API ------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct PolicyQuery {
    pub policy: Option<String>,
}

/// The policy's dated deliverables, each with `summary` {required, submitted, late,
/// accepted} over the requirements in the caller's scope.
#[utoipa::path(get, path = "/api/v1/deliverables", tag = "deliverables", params(("policy" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [Deliverable], \"policy\": code}"), (status = 401)))]
pub async fn api_list(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let o = service::overview(&state, &actor, q.policy.as_deref()).await?;
    Ok(Json(json!({"items": o.items, "policy": o.policy.code})))
}

/// The office adds a deliverable (code, title, due date) to the policy.
#[utoipa::path(post, path = "/api/v1/deliverables", tag = "deliverables", request_body = NewDeliverableInput,
    responses((status = 201), (status = 403), (status = 404, description = "unknown policy"), (status = 422, description = "bad field or code taken")))]
pub async fn api_add(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewDeliverableInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let d = service::add(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({"deliverable": d}))))
}

/// Requires the deliverable from the organisations named by code, or (no body, or no
/// `orgs`) from the default set. Idempotent.
#[utoipa::path(post, path = "/api/v1/deliverables/{code}/require", tag = "deliverables", params(("code" = String, Path)), request_body(content = Option<RequireInput>),
    responses((status = 200, description = "{\"created\": n, \"existing\": m}"), (status = 403), (status = 404), (status = 422)))]
pub async fn api_require(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    OptionalJson(input): OptionalJson<RequireInput>,
) -> AppResult<Json<Value>> {
    let r = service::require(&state, &actor, &code, &input).await?;
    Ok(Json(json!({"created": r.created, "existing": r.existing})))
}

/// Requirements in scope. Filters: `deliverable` (code), `org` (code), `status`
/// (pending|submitted|returned|accepted), `policy`, `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/deliverable-requirements", tag = "deliverables",
    params(("deliverable" = Option<String>, Query), ("org" = Option<String>, Query), ("status" = Option<String>, Query), ("policy" = Option<String>, Query),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [Requirement], \"total\": n}"), (status = 401), (status = 422)))]
pub async fn api_requirements(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<RequirementFilter>,
) -> AppResult<Json<Value>> {
    let r = service::list(&state, &actor, &f).await?;
    Ok(Json(
        json!({"items": r.items, "total": r.total, "page": r.page, "per_page": r.per_page, "policy": r.policy.code}),
    ))
}

/// One requirement with its submissions and files.
#[utoipa::path(get, path = "/api/v1/deliverable-requirements/{id}", tag = "deliverables", params(("id" = i64, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn api_requirement(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RequirementId>,
) -> AppResult<Json<Value>> {
    let d = service::get(&state, &actor, id).await?;
    Ok(Json(json!({
        "requirement": d.view, "submissions": d.submissions, "files": d.files,
        "can_submit": d.can_submit, "can_review": d.can_review,
    })))
}

/// 报送: JSON `{"note"}`, or multipart `note` plus any number of `files` (type checked by
/// content, size limited by configuration). `late` is decided by the server's date.
#[utoipa::path(post, path = "/api/v1/deliverable-requirements/{id}/submissions", tag = "deliverables", params(("id" = i64, Path)), request_body = SubmitInput,
    responses((status = 201, description = "{\"submission_id\", \"late\", \"requirement\"}"), (status = 403, description = "not the required organisation"), (status = 404),
              (status = 409, description = "awaiting review or already accepted"), (status = 422)))]
pub async fn api_submit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RequirementId>,
    req: Request,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (input, files) = read_submission(req, &state).await?;
    let s = service::submit(&state, &actor, id, &input, files).await?;
    let d = service::get(&state, &actor, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"submission_id": s.id, "late": s.late, "requirement": d.view})),
    ))
}

/// 审核: `{"decision": "accept"|"return", "comment": "…"}` (a return needs a comment).
#[utoipa::path(post, path = "/api/v1/deliverable-requirements/{id}/review", tag = "deliverables", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200), (status = 403, description = "not the committee office"), (status = 404), (status = 409, description = "nothing waiting for review"), (status = 422)))]
pub async fn api_review(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<RequirementId>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<Json<Value>> {
    let r = service::review(&state, &actor, id, &input).await?;
    Ok(Json(json!({"requirement": r})))
}
