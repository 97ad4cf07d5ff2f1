//! Login, sessions, API tokens, password change and TOTP.

use serde_json::json;

use super::crypto;
use super::model::{Actor, Perm, Role, Via, check_password};
use super::store;
use crate::audit::{self, Event, Who};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccountId, TokenId};
use crate::state::AppState;
use crate::web::ctx::RequestCtx;

pub struct LoginInput {
    pub username: String,
    pub password: String,
    pub totp: Option<String>,
}

pub struct NewSession {
    /// The cookie value; only its hash is stored.
    pub cookie: String,
    pub account_id: AccountId,
}

/// Checks credentials; on success starts a new session (a fresh id: no fixation).
pub async fn login(state: &AppState, ctx: &RequestCtx, input: LoginInput) -> AppResult<NewSession> {
    let id = verify_credentials(state, ctx, &input).await?;
    let now = now_ms();
    let cookie = crypto::random_token();
    let csrf = crypto::random_token();
    let mut tx = state.db.begin().await?;
    store::insert_session(
        &mut tx,
        &crypto::sha256_hex(&cookie),
        id.0,
        &csrf,
        now,
        now + state.cfg.session_absolute_hours * 3_600_000,
    )
    .await?;
    store::login_succeeded(&mut tx, id.0, now, id.1).await?;
    let who = Who {
        actor_id: Some(id.0),
        actor_name: input.username.clone(),
        request_id: ctx.request_id.clone(),
        ip: ctx.ip.clone(),
    };
    audit::record(
        state,
        &mut tx,
        &who,
        Event::ok("auth.login", "account", id.0).detail(json!({"via": "session"})),
    )
    .await?;
    tx.commit().await?;
    Ok(NewSession {
        cookie,
        account_id: id.0,
    })
}

/// API login: the same checks, answered with a bearer token good for one session length.
pub async fn login_token(
    state: &AppState,
    ctx: &RequestCtx,
    input: LoginInput,
) -> AppResult<(String, i64)> {
    let (account_id, step) = verify_credentials(state, ctx, &input).await?;
    let now = now_ms();
    let token = format!("anw_{}", crypto::random_token());
    let expires = now + state.cfg.session_absolute_hours * 3_600_000;
    let mut tx = state.db.begin().await?;
    let acc = store::login_account_by_id(&mut tx, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    store::insert_token(
        &mut tx,
        account_id,
        "login",
        &crypto::sha256_hex(&token),
        &token[..8],
        &acc.role,
        now,
        Some(expires),
    )
    .await?;
    store::login_succeeded(&mut tx, account_id, now, step).await?;
    let who = Who {
        actor_id: Some(account_id),
        actor_name: input.username.clone(),
        request_id: ctx.request_id.clone(),
        ip: ctx.ip.clone(),
    };
    audit::record(
        state,
        &mut tx,
        &who,
        Event::ok("auth.login", "account", account_id).detail(json!({"via": "api"})),
    )
    .await?;
    tx.commit().await?;
    Ok((token, expires))
}

async fn verify_credentials(
    state: &AppState,
    ctx: &RequestCtx,
    input: &LoginInput,
) -> AppResult<(AccountId, Option<i64>)> {
    // The name as typed is kept only once it matched an account: an unknown name may be a
    // password typed into the wrong field, and the audit log is append-only.
    let unknown = ctx.anonymous(&format!(
        "unknown:{}",
        state
            .audit_key
            .pseudonym("login.username", &truncate(&input.username, 64))
    ));
    let who = ctx.anonymous(&truncate(&input.username, 64));
    if !state.login_limiter.allow(&ctx.ip) {
        audit::record_alone(
            state,
            &unknown,
            Event::denied("auth.login", "account", "").detail(json!({"reason": "rate_limited"})),
        )
        .await?;
        return Err(AppError::TooManyRequests(Msg::new("login.rate_limited")));
    }
    let now = now_ms();
    let mut rtx = state.db.read().await?;
    let acc = store::login_account(&mut rtx, input.username.trim()).await?;
    drop(rtx);
    let Some(acc) = acc else {
        let pw = input.password.clone();
        let _ =
            tokio::task::spawn_blocking(move || crypto::verify_password(&pw, crypto::dummy_hash()))
                .await;
        audit::record_alone(
            state,
            &unknown,
            Event::failed("auth.login", "account", "").detail(json!({"reason": "unknown_user"})),
        )
        .await?;
        return Err(AppError::Unauthenticated);
    };
    if let Some(until) = acc.locked_until
        && until > now
    {
        audit::record_alone(
            state,
            &who,
            Event::denied("auth.login", "account", acc.id).detail(json!({"reason": "locked"})),
        )
        .await?;
        let minutes = (until - now + 59_999) / 60_000;
        return Err(AppError::TooManyRequests(
            Msg::new("login.locked").with("minutes", minutes),
        ));
    }
    let (pw, hash) = (input.password.clone(), acc.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || crypto::verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        let mut tx = state.db.begin().await?;
        let n = store::count_failure(&mut tx, acc.id).await?;
        let locked = n >= state.cfg.lockout_failures;
        if locked {
            store::lock(&mut tx, acc.id, now + state.cfg.lockout_minutes * 60_000).await?;
        }
        audit::record(
            state,
            &mut tx,
            &who,
            Event::failed("auth.login", "account", acc.id)
                .detail(json!({"reason": "bad_password", "failures": n, "locked": locked})),
        )
        .await?;
        tx.commit().await?;
        return Err(if locked {
            AppError::TooManyRequests(
                Msg::new("login.locked").with("minutes", state.cfg.lockout_minutes),
            )
        } else {
            AppError::Unauthenticated
        });
    }
    if acc.disabled {
        audit::record_alone(
            state,
            &who,
            Event::denied("auth.login", "account", acc.id).detail(json!({"reason": "disabled"})),
        )
        .await?;
        return Err(AppError::Unauthenticated);
    }
    let mut step = None;
    if acc.totp_enabled {
        let code = input.totp.as_deref().unwrap_or("").trim().to_string();
        if code.is_empty() {
            return Err(AppError::field("totp", Msg::new("login.totp_required")));
        }
        let secret = acc.totp_secret.clone().unwrap_or_default();
        match crypto::totp_check(&secret, &code, now, acc.totp_last_step) {
            Some(s) => step = Some(s),
            None => {
                wrong_totp(state, &who, "auth.login", acc.id).await?;
                return Err(AppError::field("totp", Msg::new("login.totp_wrong")));
            }
        }
    }
    Ok((acc.id, step))
}

fn truncate(s: &str, n: usize) -> String {
    s.trim().chars().take(n).collect()
}

pub async fn logout(state: &AppState, actor: &Actor) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    match &actor.via {
        Via::Session { id_hash, .. } => store::delete_session(&mut tx, id_hash).await?,
        Via::Token { token_id, .. } => {
            store::revoke_token(&mut tx, *token_id, now_ms()).await?;
        }
        Via::Command => {}
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("auth.logout", "account", actor.account_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn idle_ms(state: &AppState, role: Role) -> i64 {
    let m = if role == Role::Admin {
        state.cfg.session_idle_minutes_admin
    } else {
        state.cfg.session_idle_minutes
    };
    m * 60_000
}

/// Looks up a session cookie. Expired (idle or absolute) and disabled sessions end here.
pub async fn resolve_session(
    state: &AppState,
    ctx: &RequestCtx,
    cookie: &str,
) -> AppResult<Option<Actor>> {
    let id_hash = crypto::sha256_hex(cookie);
    let mut rtx = state.db.read().await?;
    let row = store::session_actor(&mut rtx, &id_hash).await?;
    drop(rtx);
    let Some(s) = row else { return Ok(None) };
    let role = Role::parse(&s.role)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad role in db")))?;
    let now = now_ms();
    if s.disabled || now > s.expires_at || now - s.last_seen_at > idle_ms(state, role) {
        let mut tx = state.db.begin().await?;
        store::delete_session(&mut tx, &id_hash).await?;
        tx.commit().await?;
        return Ok(None);
    }
    if now - s.last_seen_at > 30_000 {
        let mut tx = state.db.begin().await?;
        store::touch_session(&mut tx, &id_hash, now).await?;
        tx.commit().await?;
    }
    Ok(Some(Actor {
        account_id: s.account_id,
        username: s.username,
        display_name: s.display_name,
        role,
        org_id: s.org_id,
        org_code: s.org_code,
        org_name: s.org_name,
        region_path: s.region_path,
        via: Via::Session {
            id_hash,
            csrf: s.csrf_token,
        },
        request_id: ctx.request_id.clone(),
        ip: ctx.ip.clone(),
        must_change_password: s.must_change_password,
        needs_totp_setup: state.cfg.require_totp_for_admin
            && role == Role::Admin
            && !s.totp_enabled,
    }))
}

pub async fn resolve_token(
    state: &AppState,
    ctx: &RequestCtx,
    token: &str,
) -> AppResult<Option<Actor>> {
    let hash = crypto::sha256_hex(token);
    let mut rtx = state.db.read().await?;
    let row = store::token_actor(&mut rtx, &hash).await?;
    drop(rtx);
    let Some(t) = row else { return Ok(None) };
    let now = now_ms();
    if t.disabled || t.revoked_at.is_some() || t.expires_at.is_some_and(|e| now > e) {
        return Ok(None);
    }
    let role = Role::parse(&t.token_role)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad role in db")))?;
    let owner = Role::parse(&t.owner_role)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad role in db")))?;
    // A token never acts above its owner's current role: after a demotion, tokens made
    // with the old role stop working (read-only leader tokens stay valid).
    if role != owner && !(role == Role::Leader && owner.may_issue_leader_tokens()) {
        return Ok(None);
    }
    if t.last_used_at.is_none_or(|l| now - l > 60_000) {
        let mut tx = state.db.begin().await?;
        store::touch_token(&mut tx, t.token_id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(Actor {
        account_id: t.account_id,
        username: t.username,
        display_name: t.display_name,
        role,
        org_id: t.org_id,
        org_code: t.org_code,
        org_name: t.org_name,
        region_path: t.region_path,
        via: Via::Token {
            token_id: t.token_id,
            read_only: role != owner,
        },
        request_id: ctx.request_id.clone(),
        ip: ctx.ip.clone(),
        must_change_password: t.must_change_password,
        needs_totp_setup: state.cfg.require_totp_for_admin
            && role == Role::Admin
            && !t.totp_enabled,
    }))
}

pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: &str,
    new: &str,
) -> AppResult<()> {
    refuse_read_only(state, actor, "auth.password_change").await?;
    let mut rtx = state.db.read().await?;
    let acc = store::login_account_by_id(&mut rtx, actor.account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(rtx);
    let (c, h) = (current.to_string(), acc.password_hash.clone());
    if !tokio::task::spawn_blocking(move || crypto::verify_password(&c, &h))
        .await
        .unwrap_or(false)
    {
        audit::record_alone(
            state,
            &actor.who(),
            Event::failed("auth.password_change", "account", actor.account_id),
        )
        .await?;
        return Err(AppError::field(
            "current_password",
            Msg::new("password.current_wrong"),
        ));
    }
    check_password(new, &acc.username, &actor.display_name)
        .map_err(|m| AppError::field("new_password", m))?;
    if new == current {
        return Err(AppError::field(
            "new_password",
            Msg::new("password.same_as_old"),
        ));
    }
    let n = new.to_string();
    let hash = tokio::task::spawn_blocking(move || crypto::hash_password(&n))
        .await
        .map_err(|e| anyhow::anyhow!(e))??;
    let mut tx = state.db.begin().await?;
    store::set_password(&mut tx, actor.account_id, &hash, false, now_ms()).await?;
    // Every session and login token ends; a web caller gets a fresh session id.
    store::delete_sessions_of(&mut tx, actor.account_id).await?;
    store::revoke_login_tokens_of(&mut tx, actor.account_id, now_ms()).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("auth.password_change", "account", actor.account_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a session for an account after a password change (the old ones were ended).
pub async fn new_session_for(state: &AppState, account_id: AccountId) -> AppResult<String> {
    let now = now_ms();
    let cookie = crypto::random_token();
    let mut tx = state.db.begin().await?;
    store::insert_session(
        &mut tx,
        &crypto::sha256_hex(&cookie),
        account_id,
        &crypto::random_token(),
        now,
        now + state.cfg.session_absolute_hours * 3_600_000,
    )
    .await?;
    tx.commit().await?;
    Ok(cookie)
}

// --- API tokens -------------------------------------------------------------------------

pub struct CreatedToken {
    pub id: TokenId,
    /// Shown once; only its hash is kept.
    pub token: String,
}

pub async fn create_token(
    state: &AppState,
    actor: &Actor,
    name: &str,
    role: Option<Role>,
    days: Option<i64>,
) -> AppResult<CreatedToken> {
    refuse_read_only(state, actor, "token.create").await?;
    if !actor.can(Perm::OwnTokens) {
        return Err(
            audit::service::deny(state, &actor.who(), "token.create", "api_token", "").await,
        );
    }
    let mut errors = Vec::new();
    let name = crate::web::extract::text("name", name, 100, true, &mut errors);
    // A token acts with the owner's role or a read-only role below it, never above.
    let role = role.unwrap_or(actor.role);
    if role != actor.role && !(role == Role::Leader && actor.role.may_issue_leader_tokens()) {
        errors.push(("role".into(), Msg::new("token.role_not_allowed")));
    }
    if let Some(d) = days
        && !(1..=3650).contains(&d)
    {
        errors.push(("days".into(), Msg::new("token.days_range")));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let token = format!("anw_{}", crypto::random_token());
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let id = store::insert_token(
        &mut tx,
        actor.account_id,
        &name,
        &crypto::sha256_hex(&token),
        &token[..8],
        role.code(),
        now,
        days.map(|d| now + d * 86_400_000),
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("token.create", "api_token", id)
            .detail(json!({"name": name, "role": role.code()})),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedToken { id, token })
}

pub async fn list_tokens(state: &AppState, actor: &Actor) -> AppResult<Vec<store::TokenRow>> {
    let mut tx = state.db.read().await?;
    Ok(store::tokens_of(&mut tx, actor.account_id).await?)
}

/// Revokes a token: the owner's own, or (administrator) one whose owner's organisation lies
/// in the administrator's scope. Any other token is unknown to the caller (404, audited):
/// ids are sequential, and a county must not end the city's logins.
pub async fn revoke_token(state: &AppState, actor: &Actor, id: TokenId) -> AppResult<()> {
    const ACTION: &str = "token.revoke";
    refuse_read_only(state, actor, ACTION).await?;
    let mut tx = state.db.begin().await?;
    let owner = store::token_owner(&mut tx, id).await?;
    let visible = owner.as_ref().is_some_and(|o| {
        o.account_id == actor.account_id
            || (actor.can(Perm::AccountManage) && crate::act::in_scope(actor, o))
    });
    if !visible {
        drop(tx);
        // Audited as denied, answered as not found: the id reveals nothing.
        let _ = audit::service::deny(state, &actor.who(), ACTION, "api_token", id).await;
        return Err(AppError::NotFound);
    }
    if store::revoke_token(&mut tx, id, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("token.already_revoked")));
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("token.revoke", "api_token", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// --- TOTP --------------------------------------------------------------------------------

/// A read-only token changes nothing (the middleware refuses its unsafe calls already; the
/// account's own use cases check again).
async fn refuse_read_only(state: &AppState, actor: &Actor, action: &'static str) -> AppResult<()> {
    if actor.is_read_only() {
        let _ =
            audit::service::deny(state, &actor.who(), action, "account", actor.account_id).await;
        return Err(AppError::Refused(Msg::new("token.read_only")));
    }
    Ok(())
}

/// TOTP is changed from a signed-in web session only, never with a bearer token.
async fn require_session(state: &AppState, actor: &Actor, action: &'static str) -> AppResult<()> {
    if !actor.via_session() {
        let _ =
            audit::service::deny(state, &actor.who(), action, "account", actor.account_id).await;
        return Err(AppError::Refused(Msg::new("token.web_only")));
    }
    Ok(())
}

/// A wrong TOTP code counts towards the lockout like a wrong password, and is audited.
async fn wrong_totp(
    state: &AppState,
    who: &Who,
    action: &'static str,
    account: AccountId,
) -> AppResult<()> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let n = store::count_failure(&mut tx, account).await?;
    if n >= state.cfg.lockout_failures {
        store::lock(&mut tx, account, now + state.cfg.lockout_minutes * 60_000).await?;
    }
    audit::record(
        state,
        &mut tx,
        who,
        Event::failed(action, "account", account).detail(json!({"reason": "bad_totp"})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks a code from the account's active TOTP secret. A wrong code counts towards the
/// lockout like a wrong password and is audited.
async fn check_current_totp(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    acc: &store::LoginAccount,
    code: &str,
) -> AppResult<i64> {
    let now = now_ms();
    let secret = acc.totp_secret.clone().unwrap_or_default();
    if let Some(step) = crypto::totp_check(&secret, code.trim(), now, acc.totp_last_step) {
        return Ok(step);
    }
    wrong_totp(state, &actor.who(), action, acc.id).await?;
    Err(AppError::field(
        "current_code",
        Msg::new("login.totp_wrong"),
    ))
}

/// Starts setting up TOTP: a new secret is kept pending; nothing changes until a code from it
/// is confirmed. When TOTP is on, replacing it asks for a code from the current secret first,
/// and the current secret stays in force until the new one is confirmed.
pub async fn totp_begin(
    state: &AppState,
    actor: &Actor,
    current_code: Option<&str>,
) -> AppResult<String> {
    const ACTION: &str = "auth.totp_begin";
    require_session(state, actor, ACTION).await?;
    let mut rtx = state.db.read().await?;
    let acc = store::login_account_by_id(&mut rtx, actor.account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(rtx);
    let mut step = None;
    if acc.totp_enabled {
        let code = current_code.unwrap_or("").trim();
        if code.is_empty() {
            return Err(AppError::field(
                "current_code",
                Msg::new("totp.code_needed"),
            ));
        }
        step = Some(check_current_totp(state, actor, ACTION, &acc, code).await?);
    }
    let secret = crypto::new_totp_secret();
    let mut tx = state.db.begin().await?;
    store::set_totp_pending(&mut tx, actor.account_id, Some(&secret)).await?;
    if let Some(step) = step {
        // The code just used cannot be used again.
        store::set_totp(
            &mut tx,
            actor.account_id,
            acc.totp_secret.as_deref(),
            true,
            Some(step),
        )
        .await?;
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(ACTION, "account", actor.account_id)
            .detail(json!({"replacing": acc.totp_enabled})),
    )
    .await?;
    tx.commit().await?;
    Ok(secret)
}

/// Turns TOTP off: asks for the password and a current code, from a web session only. An
/// administrator cannot turn it off where the installation requires it.
pub async fn totp_disable(
    state: &AppState,
    actor: &Actor,
    password: &str,
    code: &str,
) -> AppResult<()> {
    const ACTION: &str = "auth.totp_disable";
    require_session(state, actor, ACTION).await?;
    if state.cfg.require_totp_for_admin && actor.role == Role::Admin {
        let _ =
            audit::service::deny(state, &actor.who(), ACTION, "account", actor.account_id).await;
        return Err(AppError::Refused(Msg::new("totp.required")));
    }
    let mut rtx = state.db.read().await?;
    let acc = store::login_account_by_id(&mut rtx, actor.account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(rtx);
    if !acc.totp_enabled {
        return Err(AppError::Conflict(Msg::new("totp.not_on")));
    }
    let (pw, hash) = (password.to_string(), acc.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || crypto::verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(AppError::field(
            "password",
            Msg::new("password.current_wrong"),
        ));
    }
    check_current_totp(state, actor, ACTION, &acc, code).await?;
    let mut tx = state.db.begin().await?;
    store::set_totp(&mut tx, actor.account_id, None, false, None).await?;
    store::set_totp_pending(&mut tx, actor.account_id, None).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(ACTION, "account", actor.account_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms the pending secret with a code from it; it then replaces the active one.
pub async fn totp_confirm(state: &AppState, actor: &Actor, code: &str) -> AppResult<()> {
    require_session(state, actor, "auth.totp_enable").await?;
    let mut tx = state.db.begin().await?;
    let secret = store::totp_pending(&mut tx, actor.account_id)
        .await?
        .ok_or_else(|| AppError::Conflict(Msg::new("totp.not_started")))?;
    let step = crypto::totp_check(&secret, code, now_ms(), None)
        .ok_or_else(|| AppError::field("code", Msg::new("login.totp_wrong")))?;
    store::set_totp(&mut tx, actor.account_id, Some(&secret), true, Some(step)).await?;
    store::set_totp_pending(&mut tx, actor.account_id, None).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("auth.totp_enable", "account", actor.account_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn totp_secret_pending(
    state: &AppState,
    actor: &Actor,
) -> AppResult<(Option<String>, bool)> {
    let mut tx = state.db.read().await?;
    let acc = store::login_account_by_id(&mut tx, actor.account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pending = store::totp_pending(&mut tx, actor.account_id).await?;
    Ok((pending, acc.totp_enabled))
}

/// Ends idle and expired sessions; run by the job worker.
pub async fn sweep_sessions(state: &AppState) -> anyhow::Result<u64> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let n = store::delete_expired_sessions(
        &mut tx,
        now,
        now - state
            .cfg
            .session_idle_minutes
            .max(state.cfg.session_idle_minutes_admin)
            * 60_000,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

// --- Doors for other capabilities' use cases ----------------------------------------------
//
// Account administration changes what a login may do; these run inside the caller's
// transaction, so the change, the ended sessions and the caller's audit record commit together
// or not at all. They check nothing: the caller has already checked permission and scope.

/// Ends every session of the account, in the caller's transaction (an administrator's use case
/// through `act.tx()`, or the command line's own transaction). Returns how many ended.
pub async fn end_sessions(tx: &mut crate::db::Tx, account_id: AccountId) -> AppResult<u64> {
    Ok(store::delete_sessions_of(tx, account_id).await?)
}

/// Sets a password chosen by someone else (`hash`, already hashed: hash before opening the
/// use case's write transaction) in the caller's use case: it must be changed at the next
/// login, failed logins and a lock are cleared, and every session and login token of the
/// account ends (integration tokens stay).
pub async fn set_temporary_password(
    act: &mut crate::act::Act<'_>,
    account_id: AccountId,
    hash: &str,
) -> AppResult<()> {
    store::set_password(act.tx(), account_id, hash, true, now_ms()).await?;
    store::delete_sessions_of(act.tx(), account_id).await?;
    store::revoke_login_tokens_of(act.tx(), account_id, now_ms()).await?;
    Ok(())
}

/// The account `username` as the actor of an operator command run on the server (the demo
/// loader acts as the demo accounts, so its data goes through the same services, checks and
/// audit records as a person's would). `None` when there is no such active account. Never
/// reachable from a request.
pub async fn command_actor(state: &AppState, username: &str) -> AppResult<Option<Actor>> {
    let mut rtx = state.db.read().await?;
    let Some(a) = store::account_actor(&mut rtx, username).await? else {
        return Ok(None);
    };
    if a.disabled {
        return Ok(None);
    }
    let role = Role::parse(&a.role)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad role in db")))?;
    Ok(Some(Actor {
        account_id: a.account_id,
        username: a.username,
        display_name: a.display_name,
        role,
        org_id: a.org_id,
        org_code: a.org_code,
        org_name: a.org_name,
        region_path: a.region_path,
        via: Via::Command,
        request_id: format!("command-{}", uuid::Uuid::new_v4().simple()),
        ip: String::new(),
        must_change_password: false,
        needs_totp_setup: false,
    }))
}
