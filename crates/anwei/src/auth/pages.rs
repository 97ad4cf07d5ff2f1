//! HTML handlers of login, logout, language, password, TOTP and API tokens.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{Actor, Role};
use super::service::{self, LoginInput};
use crate::error::{AppError, AppResult};
use crate::ids::TokenId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::{RequestCtx, cookie};
use crate::web::extract::{MaybeActor, Q, WebForm};
use crate::web::middleware::{LANG_COOKIE, PRE_CSRF_COOKIE, clear_session_cookie, session_cookie};
use crate::web::page::{FieldErrors, render};

/// Only local paths are followed after login or a language switch (no open redirect): a path
/// that starts with one `/`, not `//` or `/\`, with no backslash, whitespace or control
/// character anywhere (a browser drops a tab or newline and would read `/<TAB>/host` as
/// `//host`), and no scheme.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace())
                && !n.contains("://")
                && n.len() <= 2048 =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub b: Base,
    pub username: String,
    pub next: String,
    pub errors: FieldErrors,
    pub message: Option<String>,
    pub need_totp: bool,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    pub next: Option<String>,
}

pub fn pre_csrf_token(headers: &HeaderMap) -> String {
    cookie(headers, PRE_CSRF_COOKIE)
        .map(str::to_string)
        .unwrap_or_else(super::crypto::random_token)
}

/// The pre-session CSRF cookie (login and first set-up); `Secure` when the public URL is https,
/// like the session cookie.
pub fn set_pre_csrf(state: &AppState, res: &mut Response, token: &str) {
    let secure = if state.cfg.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{PRE_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    Q(q): Q<NextQuery>,
) -> AppResult<Response> {
    if actor.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let token = pre_csrf_token(&headers);
    let mut b = Base::new(&state, &ctx, None, "login.title");
    b.csrf = token.clone();
    let mut res = render(&LoginPage {
        b,
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        errors: FieldErrors::default(),
        message: None,
        need_totp: false,
    })?;
    set_pre_csrf(&state, &mut res, &token);
    Ok(res)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub totp: Option<String>,
    #[serde(default)]
    pub next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    WebForm(f): WebForm<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let r = service::login(
        &state,
        &ctx,
        LoginInput {
            username: f.username.clone(),
            password: f.password.clone(),
            totp: f.totp.clone().filter(|s| !s.is_empty()),
        },
    )
    .await;
    match r {
        Ok(s) => {
            let mut res = Redirect::to(&next).into_response();
            if let Ok(v) = HeaderValue::from_str(&session_cookie(
                &state,
                &s.cookie,
                state.cfg.session_absolute_hours * 3600,
            )) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(e) => {
            let lang = ctx.lang;
            let (errors, message, need_totp) = match &e {
                AppError::Validation(f) if f.iter().any(|(k, _)| k == "totp") => (
                    FieldErrors::from_error(&e, lang).unwrap_or_default(),
                    None,
                    true,
                ),
                AppError::Unauthenticated => (
                    FieldErrors::default(),
                    Some(crate::i18n::t(lang, "login.failed")),
                    false,
                ),
                AppError::TooManyRequests(m) => {
                    (FieldErrors::default(), Some(m.render(lang)), false)
                }
                _ => return Err(e),
            };
            let mut b = Base::new(&state, &ctx, None, "login.title");
            b.csrf = pre_csrf_token(&headers);
            let mut res = render(&LoginPage {
                b,
                username: f.username,
                next,
                errors,
                message,
                need_totp,
            })?;
            *res.status_mut() = e.status();
            Ok(res)
        }
    }
}

pub async fn logout(State(state): State<AppState>, actor: Actor) -> AppResult<Response> {
    service::logout(&state, &actor).await?;
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&clear_session_cookie(&state)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct LangQuery {
    pub to: String,
    #[serde(default)]
    pub back: Option<String>,
}

/// Switches the interface language (a preference cookie) and returns to the page.
pub async fn switch_lang(Q(q): Q<LangQuery>) -> Response {
    let lang = crate::i18n::Lang::parse(&q.to).unwrap_or_default();
    let mut res = Redirect::to(&safe_next(q.back.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Template)]
#[template(path = "auth/account.html")]
pub struct AccountPage {
    pub b: Base,
    pub actor_role: String,
    pub totp_enabled: bool,
}

pub async fn account(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let (_, enabled) = service::totp_secret_pending(&state, &actor).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "account.title");
    render(&AccountPage {
        actor_role: b.t.t(&actor.role.label_key()),
        b,
        totp_enabled: enabled,
    })
}

#[derive(Template)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    pub b: Base,
    pub errors: FieldErrors,
    pub forced: bool,
}

pub async fn password_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let b = Base::new(&state, &ctx, Some(&actor), "password.title");
    render(&PasswordPage {
        b,
        errors: FieldErrors::default(),
        forced: actor.must_change_password,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<PasswordForm>,
) -> AppResult<Response> {
    let r = if f.new_password != f.confirm_password {
        Err(AppError::field(
            "confirm_password",
            crate::i18n::Msg::new("password.mismatch"),
        ))
    } else {
        service::change_password(&state, &actor, &f.current_password, &f.new_password).await
    };
    match r {
        Ok(()) => {
            let cookie = service::new_session_for(&state, actor.account_id).await?;
            let mut res = Redirect::to("/?flash=password_changed").into_response();
            if let Ok(v) = HeaderValue::from_str(&session_cookie(
                &state,
                &cookie,
                state.cfg.session_absolute_hours * 3600,
            )) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let b = Base::new(&state, &ctx, Some(&actor), "password.title");
                let mut res = render(&PasswordPage {
                    b,
                    errors,
                    forced: actor.must_change_password,
                })?;
                *res.status_mut() = e.status();
                Ok(res)
            }
            None => Err(e),
        },
    }
}

#[derive(Template)]
#[template(path = "auth/totp.html")]
pub struct TotpPage {
    pub b: Base,
    pub enabled: bool,
    pub secret: Option<String>,
    pub uri: String,
    pub errors: FieldErrors,
    pub required: bool,
    pub may_disable: bool,
}

async fn totp_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (secret, enabled) = service::totp_secret_pending(state, actor).await?;
    let uri = secret
        .as_ref()
        .map(|s| {
            format!(
                "otpauth://totp/Anwei:{}?secret={s}&issuer=Anwei",
                actor.username
            )
        })
        .unwrap_or_default();
    let b = Base::new(state, ctx, Some(actor), "totp.title");
    let failed = errors.any();
    let mut res = render(&TotpPage {
        b,
        enabled,
        secret,
        uri,
        errors,
        required: actor.needs_totp_setup,
        may_disable: !(state.cfg.require_totp_for_admin && actor.role == Role::Admin),
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub async fn totp_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    totp_render(&state, &ctx, &actor, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct TotpBeginForm {
    #[serde(default)]
    pub current_code: String,
}

pub async fn totp_begin(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<TotpBeginForm>,
) -> AppResult<Response> {
    match service::totp_begin(&state, &actor, Some(&f.current_code)).await {
        Ok(_) => Ok(Redirect::to("/account/totp").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => totp_render(&state, &ctx, &actor, errors).await,
            None => Err(e),
        },
    }
}

#[derive(Deserialize)]
pub struct TotpDisableForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub current_code: String,
}

pub async fn totp_disable(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<TotpDisableForm>,
) -> AppResult<Response> {
    match service::totp_disable(&state, &actor, &f.password, &f.current_code).await {
        Ok(()) => Ok(Redirect::to("/account?flash=totp_disabled").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => totp_render(&state, &ctx, &actor, errors).await,
            None => Err(e),
        },
    }
}

#[derive(Deserialize)]
pub struct TotpForm {
    #[serde(default)]
    pub code: String,
}

pub async fn totp_confirm(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<TotpForm>,
) -> AppResult<Response> {
    match service::totp_confirm(&state, &actor, &f.code).await {
        Ok(()) => Ok(Redirect::to("/account?flash=totp_enabled").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => totp_render(&state, &ctx, &actor, errors).await,
            None => Err(e),
        },
    }
}

#[derive(Template)]
#[template(path = "auth/tokens.html")]
pub struct TokensPage {
    pub b: Base,
    pub tokens: Vec<super::store::TokenRow>,
    pub created: Option<String>,
    pub errors: FieldErrors,
    pub roles: Vec<(String, String)>,
}

async fn tokens_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    created: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let tokens = service::list_tokens(state, actor).await?;
    let b = Base::new(state, ctx, Some(actor), "tokens.title");
    let mut roles = vec![(
        actor.role.code().to_string(),
        b.t.t(&actor.role.label_key()),
    )];
    if actor.role != Role::Leader && actor.role.may_issue_leader_tokens() {
        roles.push(("leader".into(), b.t.t("role.leader")));
    }
    render(&TokensPage {
        b,
        tokens,
        created,
        errors,
        roles,
    })
}

pub async fn tokens(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    tokens_render(&state, &ctx, &actor, None, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub days: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<TokenForm>,
) -> AppResult<Response> {
    let days = match f.days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let errors = FieldErrors(vec![(
                    "days".into(),
                    crate::i18n::t(ctx.lang, "token.days_range"),
                )]);
                return tokens_render(&state, &ctx, &actor, None, errors).await;
            }
        },
    };
    let role = Role::parse(f.role.trim());
    match service::create_token(&state, &actor, &f.name, role, days).await {
        Ok(t) => tokens_render(&state, &ctx, &actor, Some(t.token), FieldErrors::default()).await,
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => tokens_render(&state, &ctx, &actor, None, errors).await,
            None => Err(e),
        },
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<TokenId>,
) -> AppResult<Response> {
    service::revoke_token(&state, &actor, id).await?;
    Ok(Redirect::to("/account/tokens").into_response())
}
