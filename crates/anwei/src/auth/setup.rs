//! First start of `anwei serve` with no account: a one-time link to create the first
//! administrator. The token is stored hashed with an expiry and is spent on use.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::crypto;
use super::pages::{pre_csrf_token, set_pre_csrf};
use crate::accounts::model::NewAccountInput;
use crate::audit::Who;
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::on_tx;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

const KEY: &str = "setup_token";
/// The organisation the first administrator belongs to: the city committee office.
pub const ADMIN_ORG: &str = "220500-AWB";

async fn stored(tx: &mut Tx) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT value FROM setting WHERE key = $1"
    )
    .bind(KEY)
    .fetch_optional(c)
    .await)
}

/// Creates (or replaces) the set-up token when there is no account; returns it.
pub async fn issue_if_needed(state: &AppState) -> anyhow::Result<Option<String>> {
    if crate::accounts::service::count(state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        > 0
    {
        return Ok(None);
    }
    let token = crypto::random_token();
    let value = format!(
        "{}:{}",
        crypto::sha256_hex(&token),
        now_ms() + 24 * 3_600_000
    );
    let mut tx = state.db.begin().await?;
    on_tx!(&mut tx, |c| sqlx::query(
        "DELETE FROM setting WHERE key = $1"
    )
    .bind(KEY)
    .execute(c)
    .await
    .map(|_| ()))?;
    on_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO setting (key, value, updated_at) VALUES ($1, $2, $3)"
    )
    .bind(KEY)
    .bind(&value)
    .bind(now_ms())
    .execute(c)
    .await
    .map(|_| ()))?;
    tx.commit().await?;
    Ok(Some(token))
}

async fn valid(state: &AppState, token: &str) -> AppResult<bool> {
    let mut tx = state.db.read().await?;
    let Some(v) = stored(&mut tx).await? else {
        return Ok(false);
    };
    let (hash, exp) = v.split_once(':').unwrap_or(("", "0"));
    Ok(crypto::ct_eq(hash, &crypto::sha256_hex(token))
        && exp.parse::<i64>().unwrap_or(0) > now_ms())
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub b: Base,
    pub token: String,
    pub username: String,
    pub display_name: String,
    pub errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct SetupQuery {
    #[serde(default)]
    pub token: String,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    Q(q): Q<SetupQuery>,
) -> AppResult<Response> {
    if !valid(&state, &q.token).await? {
        return Err(AppError::NotFound);
    }
    let token = pre_csrf_token(&headers);
    let mut b = Base::new(&state, &ctx, None, "setup.title");
    b.csrf = token.clone();
    let mut res = render(&SetupPage {
        b,
        token: q.token,
        username: String::new(),
        display_name: String::new(),
        errors: FieldErrors::default(),
    })?;
    set_pre_csrf(&state, &mut res, &token);
    Ok(res)
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm_password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: HeaderMap,
    WebForm(f): WebForm<SetupForm>,
) -> AppResult<Response> {
    if !valid(&state, &f.token).await? {
        return Err(AppError::NotFound);
    }
    let parsed = NewAccountInput {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        email: String::new(),
        role: "admin".into(),
        org_code: ADMIN_ORG.into(),
        password: f.password.clone(),
    }
    .parse()
    .and_then(|cmd| {
        if f.password != f.confirm_password {
            Err(AppError::field(
                "confirm_password",
                Msg::new("password.mismatch"),
            ))
        } else {
            Ok(cmd)
        }
    });
    let r = match parsed {
        Ok(cmd) => {
            crate::accounts::service::create_as_system(&state, &ctx.anonymous("setup"), cmd, false)
                .await
        }
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => {
            let mut tx = state.db.begin().await?;
            on_tx!(&mut tx, |c| sqlx::query(
                "DELETE FROM setting WHERE key = $1"
            )
            .bind(KEY)
            .execute(c)
            .await
            .map(|_| ()))?;
            crate::audit::record(
                &state,
                &mut tx,
                &Who {
                    actor_id: None,
                    actor_name: "setup".into(),
                    request_id: ctx.request_id.clone(),
                    ip: ctx.ip.clone(),
                },
                crate::audit::Event::ok("setup.complete", "account", &f.username),
            )
            .await?;
            tx.commit().await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let mut b = Base::new(&state, &ctx, None, "setup.title");
                b.csrf = pre_csrf_token(&headers);
                let mut res = render(&SetupPage {
                    b,
                    token: f.token,
                    username: f.username,
                    display_name: f.display_name,
                    errors,
                })?;
                *res.status_mut() = e.status();
                Ok(res)
            }
            None => Err(e),
        },
    }
}
