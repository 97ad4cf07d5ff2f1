//! Use cases of account administration. Only the administrator manages accounts, within
//! the administrator's scope; every change is audited in its transaction.

use serde_json::json;

use super::model::{AccountFilter, AccountRow, NewAccount, UpdateAccountInput, check_email};
use super::store::{self, ListParams};
use crate::audit::{self, Event, Who};
use crate::auth::crypto;
use crate::auth::model::{Actor, Perm, Role, Scope, check_password};
use crate::db::{Tx, is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::orgs::model::OrgRow;
use crate::state::AppState;

pub const PER_PAGE: i64 = 50;

async fn deny(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    target: impl ToString,
) -> AppError {
    audit::service::deny(state, &actor.who(), action, "account", target).await
}

/// An account (or organisation) outside the administrator's scope does not exist for them.
async fn hidden(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    target: impl ToString,
) -> AppError {
    audit::service::hide(state, &actor.who(), action, "account", target).await
}

fn path_like(actor: &Actor) -> Option<String> {
    match actor.scope() {
        Scope::Region(p) => Some(format!("{p}%")),
        Scope::Org(_) => Some("-none-".into()),
    }
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    f: &AccountFilter,
) -> AppResult<(Vec<AccountRow>, i64, i64)> {
    if !actor.can(Perm::AccountManage) {
        return Err(deny(state, actor, "account.list", "").await);
    }
    let order = match f.sort.as_deref() {
        Some("username") => "a.username",
        Some("last_login") => "a.last_login_at DESC, a.id",
        Some("org") => "r.path, o.sort_order, a.username",
        _ => "a.id DESC",
    };
    let page = f.page.unwrap_or(1).max(1);
    let pl = path_like(actor);
    let mut tx = state.db.read().await?;
    let (rows, total) = store::list(
        &mut tx,
        &ListParams {
            path_like: pl.as_deref(),
            q: f.q
                .as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            role: f.role.as_deref().filter(|s| !s.is_empty()),
            org_code: f.org.as_deref().filter(|s| !s.is_empty()),
            disabled: match f.status.as_deref() {
                Some("active") => Some(false),
                Some("disabled") => Some(true),
                _ => None,
            },
            order,
            limit: PER_PAGE,
            offset: (page - 1) * PER_PAGE,
        },
    )
    .await?;
    Ok((rows, total, page))
}

/// The organisation to give an account, or `None` when it lies outside the actor's scope.
/// The caller records that denial after ending its transaction: on SQLite the denial needs
/// the one write connection the transaction holds.
async fn org_in_scope(actor: &Actor, tx: &mut Tx, code: &str) -> AppResult<Option<OrgRow>> {
    let org = crate::orgs::store::by_code(tx, code)
        .await?
        .ok_or_else(|| AppError::field("org_code", Msg::new("org.unknown")))?;
    if !crate::orgs::service::in_scope(actor, &org) {
        return Ok(None);
    }
    if org.retired_at.is_some() {
        return Err(AppError::field("org_code", Msg::new("org.is_retired")));
    }
    Ok(Some(org))
}

pub async fn get(state: &AppState, actor: &Actor, id: i64) -> AppResult<AccountRow> {
    if !actor.can(Perm::AccountManage) && actor.account_id != id {
        return Err(deny(state, actor, "account.read", id).await);
    }
    let mut tx = state.db.read().await?;
    let acc = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::by_id(&mut tx, acc.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    if actor.account_id != id && !crate::orgs::service::in_scope(actor, &org) {
        audit::record_alone(
            state,
            &actor.who(),
            Event::denied("account.read", "account", id),
        )
        .await?;
        return Err(AppError::NotFound);
    }
    Ok(acc)
}

pub async fn create(state: &AppState, actor: &Actor, cmd: NewAccount) -> AppResult<i64> {
    if !actor.can(Perm::AccountManage) {
        return Err(deny(state, actor, "account.create", &cmd.username).await);
    }
    let pw = cmd.password.clone();
    let hash = tokio::task::spawn_blocking(move || crypto::hash_password(&pw))
        .await
        .map_err(|e| anyhow::anyhow!(e))??;
    let mut tx = state.db.begin().await?;
    let Some(org) = org_in_scope(actor, &mut tx, &cmd.org_code).await? else {
        drop(tx);
        // Outside the scope the organisation does not exist: a field error, audited.
        let _ = hidden(state, actor, "account.assign_org", &cmd.org_code).await;
        return Err(AppError::field("org_code", Msg::new("org.unknown")));
    };
    // A new account set up by someone else starts with a password only the administrator
    // knows: it must be changed at first login.
    let id = match store::insert(
        &mut tx,
        &cmd.username,
        &cmd.display_name,
        &cmd.email,
        &hash,
        cmd.role.code(),
        org.id,
        true,
        now_ms(),
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "username",
                Msg::new("account.username_taken"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("account.create", "account", id).detail(
            json!({"username": cmd.username, "role": cmd.role.code(), "org": cmd.org_code}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates an account from the command line or the first-run set-up: the caller is the
/// system (or the person setting up), not an administrator session.
pub async fn create_as_system(
    state: &AppState,
    who: &Who,
    cmd: NewAccount,
    must_change: bool,
) -> AppResult<i64> {
    let pw = cmd.password.clone();
    let hash = tokio::task::spawn_blocking(move || crypto::hash_password(&pw))
        .await
        .map_err(|e| anyhow::anyhow!(e))??;
    let mut tx = state.db.begin().await?;
    let org = crate::orgs::store::by_code(&mut tx, &cmd.org_code)
        .await?
        .ok_or_else(|| AppError::field("org_code", Msg::new("org.unknown")))?;
    let id = match store::insert(
        &mut tx,
        &cmd.username,
        &cmd.display_name,
        &cmd.email,
        &hash,
        cmd.role.code(),
        org.id,
        must_change,
        now_ms(),
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "username",
                Msg::new("account.username_taken"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        state,
        &mut tx,
        who,
        Event::ok("account.create", "account", id).detail(
            json!({"username": cmd.username, "role": cmd.role.code(), "org": cmd.org_code}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &UpdateAccountInput,
) -> AppResult<()> {
    if !actor.can(Perm::AccountManage) {
        return Err(deny(state, actor, "account.update", id).await);
    }
    let mut e = Vec::new();
    let display_name = input
        .display_name
        .as_deref()
        .map(|d| crate::web::extract::text("display_name", d, 50, true, &mut e));
    let email = input.email.as_deref().map(|m| check_email(m, &mut e));
    let role = match input
        .role
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(r) => match Role::parse(r) {
            Some(r) => Some(r),
            None => {
                e.push(("role".into(), Msg::new("account.role_unknown")));
                None
            }
        },
        None => None,
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut tx = state.db.begin().await?;
    let acc = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let cur_org = crate::orgs::store::by_id(&mut tx, acc.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::orgs::service::in_scope(actor, &cur_org) {
        drop(tx);
        return Err(hidden(state, actor, "account.update", id).await);
    }
    let org = match input
        .org_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => match org_in_scope(actor, &mut tx, code).await? {
            Some(o) => o,
            None => {
                drop(tx);
                // Outside the scope the organisation does not exist: a field error, audited.
                let _ = hidden(state, actor, "account.assign_org", code).await;
                return Err(AppError::field("org_code", Msg::new("org.unknown")));
            }
        },
        None => cur_org,
    };
    let new_role = role
        .map(|r| r.code().to_string())
        .unwrap_or(acc.role.clone());
    if acc.id == actor.account_id && new_role != "admin" {
        return Err(AppError::field(
            "role",
            Msg::new("account.cannot_demote_self"),
        ));
    }
    let dn = display_name.unwrap_or(acc.display_name.clone());
    let em = email.unwrap_or(acc.email.clone());
    store::update(&mut tx, id, &dn, &em, &new_role, org.id, now_ms()).await?;
    // A change of role or organisation changes what the person may see: end their sessions
    // and revoke their tokens (a token keeps the role it was issued with).
    if new_role != acc.role || org.id != acc.org_id {
        crate::auth::store::delete_sessions_of(&mut tx, id).await?;
        store::revoke_tokens_of(&mut tx, id, now_ms()).await?;
        crate::notify::service::notify(
            &mut tx,
            id,
            "notice.account_changed.title",
            "notice.account_changed.body",
            "/account",
        )
        .await?;
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("account.update", "account", id).detail(json!({"role": {"from": acc.role, "to": new_role}, "org": {"from": acc.org_code, "to": org.code}})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_disabled(
    state: &AppState,
    actor: &Actor,
    id: i64,
    disabled: bool,
) -> AppResult<()> {
    let action = if disabled {
        "account.disable"
    } else {
        "account.enable"
    };
    if !actor.can(Perm::AccountManage) {
        return Err(deny(state, actor, action, id).await);
    }
    if disabled && id == actor.account_id {
        return Err(AppError::Conflict(Msg::new("account.cannot_disable_self")));
    }
    let mut tx = state.db.begin().await?;
    let acc = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::by_id(&mut tx, acc.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::orgs::service::in_scope(actor, &org) {
        drop(tx);
        return Err(hidden(state, actor, action, id).await);
    }
    let now = now_ms();
    if store::set_disabled(&mut tx, id, disabled, now).await? == 0 {
        return Err(AppError::Conflict(Msg::new(if disabled {
            "account.already_disabled"
        } else {
            "account.already_enabled"
        })));
    }
    if disabled {
        // Disabling ends every session and token at once.
        crate::auth::store::delete_sessions_of(&mut tx, id).await?;
        store::revoke_tokens_of(&mut tx, id, now).await?;
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(action, "account", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: i64,
    password: &str,
) -> AppResult<()> {
    if !actor.can(Perm::AccountManage) {
        return Err(deny(state, actor, "account.reset_password", id).await);
    }
    let mut rtx = state.db.read().await?;
    let acc = store::by_id(&mut rtx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::by_id(&mut rtx, acc.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(rtx);
    if !crate::orgs::service::in_scope(actor, &org) {
        return Err(hidden(state, actor, "account.reset_password", id).await);
    }
    check_password(password, &acc.username, &acc.display_name)
        .map_err(|m| AppError::field("password", m))?;
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || crypto::hash_password(&pw))
        .await
        .map_err(|e| anyhow::anyhow!(e))??;
    let mut tx = state.db.begin().await?;
    crate::auth::store::set_password(&mut tx, id, &hash, true, now_ms()).await?;
    crate::auth::store::delete_sessions_of(&mut tx, id).await?;
    crate::auth::store::revoke_login_tokens_of(&mut tx, id, now_ms()).await?;
    crate::notify::service::notify(
        &mut tx,
        id,
        "notice.password_reset.title",
        "notice.password_reset.body",
        "/account/password",
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("account.reset_password", "account", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// For the command line: disable by username, as the system.
pub async fn disable_by_username(state: &AppState, username: &str) -> AppResult<i64> {
    let mut tx = state.db.begin().await?;
    let acc = store::by_username(&mut tx, username)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    store::set_disabled(&mut tx, acc.id, true, now).await?;
    crate::auth::store::delete_sessions_of(&mut tx, acc.id).await?;
    store::revoke_tokens_of(&mut tx, acc.id, now).await?;
    audit::record(
        state,
        &mut tx,
        &Who::system("cli"),
        Event::ok("account.disable", "account", acc.id),
    )
    .await?;
    tx.commit().await?;
    Ok(acc.id)
}

pub async fn count(state: &AppState) -> AppResult<i64> {
    let mut tx = state.db.read().await?;
    Ok(store::count(&mut tx).await?)
}
