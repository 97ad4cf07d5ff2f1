//! HTML and JSON handlers of account administration.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::model::{
    AccountFilter, AccountRow, NewAccountInput, ResetPasswordInput, UpdateAccountInput,
};
use super::service::{self, PER_PAGE};
use crate::auth::model::{Actor, Perm, Role};
use crate::error::AppResult;
use crate::ids::AccountId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q, WebForm};
use crate::web::page::{FieldErrors, Pager, render};

fn roles(b: &Base) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.code().to_string(), b.t.t(&r.label_key())))
        .collect()
}

#[derive(Template)]
#[template(path = "accounts/list.html")]
pub struct ListPage {
    pub b: Base,
    pub rows: Vec<AccountRow>,
    pub pager: Pager,
    pub q: String,
    pub role: String,
    pub status: String,
    pub sort: String,
    pub roles: Vec<(String, String)>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AccountFilter>,
) -> AppResult<Response> {
    let (rows, total, page) = service::list(&state, &actor, &f).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "accounts.title");
    let mut qs = Vec::new();
    for (k, v) in [
        ("q", &f.q),
        ("role", &f.role),
        ("status", &f.status),
        ("sort", &f.sort),
        ("org", &f.org),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            qs.push((k.to_string(), v.clone()));
        }
    }
    let base_query = serde_urlencoded::to_string(&qs).unwrap_or_default();
    render(&ListPage {
        rows,
        pager: Pager {
            page,
            per_page: PER_PAGE,
            total,
            base_query,
        },
        q: f.q.unwrap_or_default(),
        role: f.role.unwrap_or_default(),
        status: f.status.unwrap_or_default(),
        sort: f.sort.unwrap_or_default(),
        roles: roles(&b),
        b,
    })
}

#[derive(Template)]
#[template(path = "accounts/new.html")]
pub struct NewPage {
    pub b: Base,
    pub input: NewAccountInput,
    pub errors: FieldErrors,
    pub roles: Vec<(String, String)>,
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    if !actor.can(Perm::AccountManage) {
        return Err(crate::audit::service::deny(
            &state,
            &actor.who(),
            "account.create",
            "account",
            "",
        )
        .await);
    }
    let b = Base::new(&state, &ctx, Some(&actor), "accounts.new_title");
    render(&NewPage {
        roles: roles(&b),
        b,
        input: NewAccountInput::default(),
        errors: FieldErrors::default(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(mut input): WebForm<NewAccountInput>,
) -> AppResult<Response> {
    let r = service::create_from(&state, &actor, &input).await;
    match r {
        Ok(id) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                input.password.clear();
                let b = Base::new(&state, &ctx, Some(&actor), "accounts.new_title");
                let mut r = render(&NewPage {
                    roles: roles(&b),
                    b,
                    input,
                    errors,
                })?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}

#[derive(Template)]
#[template(path = "accounts/detail.html")]
pub struct DetailPage {
    pub b: Base,
    pub acc: AccountRow,
    pub role_label: String,
    pub errors: FieldErrors,
    pub roles: Vec<(String, String)>,
    pub locked: bool,
    pub is_self: bool,
}

async fn detail_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: AccountId,
    errors: FieldErrors,
) -> AppResult<Response> {
    if !actor.can(Perm::AccountManage) {
        return Err(crate::audit::service::deny(
            state,
            &actor.who(),
            "account.read",
            "account",
            id,
        )
        .await);
    }
    let acc = service::get(state, actor, id).await?;
    let b = Base::new(state, ctx, Some(actor), "accounts.detail_title")
        .with_title(acc.username.clone());
    let role_label = Role::parse(&acc.role)
        .map(|r| b.t.t(&r.label_key()))
        .unwrap_or_default();
    let locked = acc.locked_until.is_some_and(|l| l > crate::db::now_ms());
    let mut r = render(&DetailPage {
        roles: roles(&b),
        is_self: acc.id == actor.account_id,
        acc,
        role_label,
        errors: errors.clone(),
        locked,
        b,
    })?;
    if errors.any() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccountId>,
) -> AppResult<Response> {
    detail_render(&state, &ctx, &actor, id, FieldErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccountId>,
    WebForm(input): WebForm<UpdateAccountInput>,
) -> AppResult<Response> {
    match service::update(&state, &actor, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => detail_render(&state, &ctx, &actor, id, errors).await,
            None => Err(e),
        },
    }
}

pub async fn disable(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
) -> AppResult<Response> {
    service::set_disabled(&state, &actor, id, true).await?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
}

pub async fn enable(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
) -> AppResult<Response> {
    service::set_disabled(&state, &actor, id, false).await?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccountId>,
    WebForm(f): WebForm<ResetPasswordInput>,
) -> AppResult<Response> {
    match service::reset_password(&state, &actor, id, &f.password).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => detail_render(&state, &ctx, &actor, id, errors).await,
            None => Err(e),
        },
    }
}

// --- API ------------------------------------------------------------------------------

/// Accounts in the administrator's scope. Filters: `q`, `role`, `org`, `status`, `sort`, `page`.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts",
    params(("q" = Option<String>, Query), ("role" = Option<String>, Query), ("org" = Option<String>, Query), ("status" = Option<String>, Query), ("sort" = Option<String>, Query), ("page" = Option<i64>, Query)),
    responses((status = 200), (status = 401), (status = 403)))]
pub async fn api_list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<AccountFilter>,
) -> AppResult<Json<Value>> {
    let (rows, total, page) = service::list(&state, &actor, &f).await?;
    Ok(Json(
        json!({"items": rows, "total": total, "page": page, "per_page": PER_PAGE}),
    ))
}

/// Create an account; the person must change the password at first login.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccountInput, responses((status = 201), (status = 403), (status = 422)))]
pub async fn api_create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewAccountInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let id = service::create_from(&state, &actor, &input).await?;
    let acc = service::get(&state, &actor, id).await?;
    Ok((StatusCode::CREATED, Json(json!({"account": acc}))))
}

/// One account.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = i64, Path)), responses((status = 200), (status = 403), (status = 404)))]
pub async fn api_get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
) -> AppResult<Json<Value>> {
    let acc = service::get(&state, &actor, id).await?;
    Ok(Json(json!({"account": acc})))
}

/// Change display name, e-mail, role or organisation. A change of role or organisation
/// ends the person's sessions.
#[utoipa::path(patch, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = i64, Path)), request_body = UpdateAccountInput, responses((status = 200), (status = 403), (status = 404), (status = 422)))]
pub async fn api_update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
    ApiJson(input): ApiJson<UpdateAccountInput>,
) -> AppResult<Json<Value>> {
    service::update(&state, &actor, id, &input).await?;
    let acc = service::get(&state, &actor, id).await?;
    Ok(Json(json!({"account": acc})))
}

/// Disable: ends sessions and revokes tokens at once.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/disable", tag = "accounts", params(("id" = i64, Path)), responses((status = 200), (status = 403), (status = 404), (status = 409)))]
pub async fn api_disable(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
) -> AppResult<Json<Value>> {
    service::set_disabled(&state, &actor, id, true).await?;
    Ok(Json(json!({"ok": true})))
}

/// Enable a disabled account.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/enable", tag = "accounts", params(("id" = i64, Path)), responses((status = 200), (status = 403), (status = 404), (status = 409)))]
pub async fn api_enable(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
) -> AppResult<Json<Value>> {
    service::set_disabled(&state, &actor, id, false).await?;
    Ok(Json(json!({"ok": true})))
}

/// Set a temporary password; the person must change it at next login.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/reset-password", tag = "accounts", params(("id" = i64, Path)), request_body = ResetPasswordInput, responses((status = 200), (status = 403), (status = 404), (status = 422)))]
pub async fn api_reset_password(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AccountId>,
    ApiJson(f): ApiJson<ResetPasswordInput>,
) -> AppResult<Json<Value>> {
    service::reset_password(&state, &actor, id, &f.password).await?;
    Ok(Json(json!({"ok": true})))
}

/// The caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200), (status = 401)))]
pub async fn api_me(actor: Actor) -> AppResult<Json<Value>> {
    Ok(Json(json!({
        "id": actor.account_id, "username": actor.username, "display_name": actor.display_name,
        "role": actor.role.code(), "org_code": actor.org_code, "org_name": actor.org_name,
    })))
}
