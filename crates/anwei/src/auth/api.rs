//! JSON handlers of authentication and API tokens.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::model::{Actor, Role};
use super::service::{self, LoginInput};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::TokenId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::ApiJson;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// Epoch milliseconds.
    pub expires_at: i64,
}

/// Log in with username and password; answers a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, description = "wrong credentials"), (status = 429, description = "locked or rate limited")))]
pub async fn login(
    State(state): State<AppState>,
    ctx: RequestCtx,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    if req.username.trim().is_empty() {
        return Err(AppError::field("username", Msg::new("error.required")));
    }
    if req.password.is_empty() {
        return Err(AppError::field("password", Msg::new("error.required")));
    }
    if req.username.chars().count() > 64 || req.password.chars().count() > 256 {
        return Err(AppError::Unauthenticated);
    }
    let (token, expires_at) = service::login_token(
        &state,
        &ctx,
        LoginInput {
            username: req.username,
            password: req.password,
            totp: req.totp,
        },
    )
    .await?;
    Ok(Json(LoginResponse { token, expires_at }))
}

/// End the current token (or session).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 200), (status = 401)))]
pub async fn logout(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    service::logout(&state, &actor).await?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    pub name: String,
    /// The owner's role (default) or `leader` (read-only).
    #[serde(default)]
    pub role: Option<String>,
    /// Days until it expires; none means until revoked.
    #[serde(default)]
    pub days: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedTokenResponse {
    pub id: TokenId,
    /// Shown once.
    pub token: String,
}

/// The caller's API tokens (never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth", responses((status = 200), (status = 401)))]
pub async fn list_tokens(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    let items = service::list_tokens(&state, &actor).await?;
    Ok(Json(json!({"items": items})))
}

/// Create an API token for integrations; the secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = CreateTokenRequest, responses((status = 201, body = CreatedTokenResponse), (status = 422)))]
pub async fn create_token(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> AppResult<(axum::http::StatusCode, Json<CreatedTokenResponse>)> {
    let role = match req.role.as_deref() {
        None | Some("") => None,
        Some(r) => Some(
            Role::parse(r)
                .ok_or_else(|| AppError::field("role", Msg::new("account.role_unknown")))?,
        ),
    };
    let t = service::create_token(&state, &actor, &req.name, role, req.days).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(CreatedTokenResponse {
            id: t.id,
            token: t.token,
        }),
    ))
}

/// Revoke a token.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "auth", params(("id" = i64, Path)), responses((status = 200), (status = 404), (status = 409)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<TokenId>,
) -> AppResult<Json<Value>> {
    service::revoke_token(&state, &actor, id).await?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Change the caller's password. Every session and login token ends (including the one
/// used for this call): log in again with the new password.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 200), (status = 401), (status = 422, description = "current password wrong or new one too weak")))]
pub async fn change_password(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> AppResult<Json<Value>> {
    service::change_password(&state, &actor, &req.current_password, &req.new_password).await?;
    Ok(Json(json!({"ok": true, "login_again": true})))
}
