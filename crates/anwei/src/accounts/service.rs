//! Use cases of account administration. Only the administrator manages accounts, within
//! the administrator's scope; every change is audited in its transaction.
//!
//! Each use case runs on an `Act`: permission (`require`, 403) and scope (`sees`, 404) are
//! checked on it, each refusal audited; the organisation is looked up through the orgs
//! service and sessions, passwords and login tokens are changed through the auth service,
//! all in the Act's one transaction with the audit record. Password hashing is slow: it is
//! done before the write transaction opens (on SQLite that transaction holds the one writer).

use serde_json::json;

use super::model::{AccountFilter, AccountRow, NewAccount, UpdateAccountInput, check_email};
use super::store::{self, ListParams};
use crate::act::{Act, Target};
use crate::audit::{self, Event, Who};
use crate::auth::crypto;
use crate::auth::model::{Actor, Perm, Role, Scope, check_password};
use crate::db::{Tx, is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccountId, OrgId};
use crate::orgs::model::OrgRow;
use crate::state::AppState;

pub const PER_PAGE: i64 = 50;

/// An account as an audit record names it.
fn account(id: &str) -> Target<'_> {
    Target {
        kind: "account",
        id,
    }
}

fn path_like(actor: &Actor) -> Option<String> {
    match actor.scope() {
        Scope::Region(p) => Some(format!("{p}%")),
        Scope::Org(_) => Some("-none-".into()),
    }
}

/// Hashes a password off the async runtime. Call it before `Act::begin`.
async fn hash_password(password: &str) -> AppResult<String> {
    let pw = password.to_string();
    Ok(
        tokio::task::spawn_blocking(move || crypto::hash_password(&pw))
            .await
            .map_err(|e| anyhow::anyhow!(e))??,
    )
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    f: &AccountFilter,
) -> AppResult<(Vec<AccountRow>, i64, i64)> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccountManage, "account.list", account(""))
        .await?;
    let order = match f.sort.as_deref() {
        Some("username") => "a.username",
        Some("last_login") => "a.last_login_at DESC, a.id",
        Some("org") => "r.path, o.sort_order, a.username",
        _ => "a.id DESC",
    };
    let page = f.page.unwrap_or(1).max(1);
    let pl = path_like(actor);
    let (rows, total) = store::list(
        act.tx(),
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

/// The organisation to give an account. Outside the actor's scope it does not exist: the
/// same field error as an unknown code, the refusal audited as `account.assign_org` (which
/// ends the use case). A retired organisation cannot be given.
async fn org_to_assign(act: &mut Act<'_>, code: &str) -> AppResult<OrgRow> {
    let org =
        match crate::orgs::service::visible_by_code(act, code, "account.assign_org", account(code))
            .await
        {
            Ok(o) => o,
            Err(AppError::NotFound) => {
                return Err(AppError::field("org_code", Msg::new("org.unknown")));
            }
            Err(e) => return Err(e),
        };
    if org.retired_at.is_some() {
        return Err(AppError::field("org_code", Msg::new("org.is_retired")));
    }
    Ok(org)
}

/// Inserts the account; a taken username is a field error.
async fn insert(
    tx: &mut Tx,
    cmd: &NewAccount,
    hash: &str,
    org_id: OrgId,
    must_change: bool,
) -> AppResult<AccountId> {
    match store::insert(
        tx,
        &cmd.username,
        &cmd.display_name,
        &cmd.email,
        hash,
        cmd.role.code(),
        org_id,
        must_change,
        now_ms(),
    )
    .await
    {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(AppError::field(
            "username",
            Msg::new("account.username_taken"),
        )),
        Err(e) => Err(e.into()),
    }
}

fn created(id: AccountId, cmd: &NewAccount) -> Event {
    Event::ok("account.create", "account", id)
        .detail(json!({"username": cmd.username, "role": cmd.role.code(), "org": cmd.org_code}))
}

/// One account: the administrator's within their scope (outside it the account does not
/// exist: 404, audited), or anyone's own.
pub async fn get(state: &AppState, actor: &Actor, id: AccountId) -> AppResult<AccountRow> {
    const ACTION: &str = "account.read";
    let key = id.to_string();
    let t = account(&key);
    let own = actor.account_id == id;
    let mut act = Act::read(state, actor).await?;
    if !own {
        act.require(Perm::AccountManage, ACTION, t).await?;
    }
    let acc = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !own {
        crate::orgs::service::visible_by_id(&mut act, acc.org_id, ACTION, t).await?;
    }
    Ok(acc)
}

/// Creates an account from the input as sent: the permission is checked before the input, so
/// a caller who may not create accounts learns nothing of their rules (403, audited, never a
/// 422 naming fields).
pub async fn create_from(
    state: &AppState,
    actor: &Actor,
    input: &super::model::NewAccountInput,
) -> AppResult<AccountId> {
    Act::read(state, actor)
        .await?
        .require(
            Perm::AccountManage,
            "account.create",
            account(input.username.trim()),
        )
        .await?;
    create(state, actor, input.parse()?).await
}

pub async fn create(state: &AppState, actor: &Actor, cmd: NewAccount) -> AppResult<AccountId> {
    // Permission first, on a read snapshot: a refused caller costs no hashing.
    Act::read(state, actor)
        .await?
        .require(
            Perm::AccountManage,
            "account.create",
            account(&cmd.username),
        )
        .await?;
    let hash = hash_password(&cmd.password).await?;
    let mut act = Act::begin(state, actor).await?;
    let org = org_to_assign(&mut act, &cmd.org_code).await?;
    // A new account set up by someone else starts with a password only the administrator
    // knows: it must be changed at first login.
    let id = insert(act.tx(), &cmd, &hash, org.id, true).await?;
    act.audit(created(id, &cmd)).await?;
    act.commit().await?;
    Ok(id)
}

/// Creates an account from the command line or the first-run set-up: the caller is the
/// system (or the person setting up), not an administrator session, so there is no scope.
pub async fn create_as_system(
    state: &AppState,
    who: &Who,
    cmd: NewAccount,
    must_change: bool,
) -> AppResult<AccountId> {
    let hash = hash_password(&cmd.password).await?;
    let mut tx = state.db.begin().await?;
    let org = crate::orgs::service::by_code_as_system(&mut tx, &cmd.org_code)
        .await?
        .ok_or_else(|| AppError::field("org_code", Msg::new("org.unknown")))?;
    let id = insert(&mut tx, &cmd, &hash, org.id, must_change).await?;
    audit::record(state, &mut tx, who, created(id, &cmd)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: AccountId,
    input: &UpdateAccountInput,
) -> AppResult<()> {
    const ACTION: &str = "account.update";
    let key = id.to_string();
    let t = account(&key);
    let mut act = Act::begin(state, actor).await?;
    // Permission before the input: a refused caller learns nothing from field errors.
    act.require(Perm::AccountManage, ACTION, t).await?;
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
    let acc = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cur_org = crate::orgs::service::visible_by_id(&mut act, acc.org_id, ACTION, t).await?;
    let org = match input
        .org_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => org_to_assign(&mut act, code).await?,
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
    store::update(act.tx(), id, &dn, &em, &new_role, org.id, now_ms()).await?;
    // A change of role or organisation changes what the person may see: end their sessions
    // and revoke their tokens (a token keeps the role it was issued with).
    if new_role != acc.role || org.id != acc.org_id {
        crate::auth::service::end_sessions(act.tx(), id).await?;
        store::revoke_tokens_of(act.tx(), id, now_ms()).await?;
        crate::notify::service::notify(
            act.tx(),
            id,
            "notice.account_changed.title",
            "notice.account_changed.body",
            "/account",
        )
        .await?;
    }
    act.audit(Event::ok(ACTION, "account", id).detail(json!({"role": {"from": acc.role, "to": new_role}, "org": {"from": acc.org_code, "to": org.code}})))
        .await?;
    act.commit().await
}

pub async fn set_disabled(
    state: &AppState,
    actor: &Actor,
    id: AccountId,
    disabled: bool,
) -> AppResult<()> {
    let action = if disabled {
        "account.disable"
    } else {
        "account.enable"
    };
    let key = id.to_string();
    let t = account(&key);
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::AccountManage, action, t).await?;
    if disabled && id == actor.account_id {
        return Err(AppError::Conflict(Msg::new("account.cannot_disable_self")));
    }
    let acc = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::orgs::service::visible_by_id(&mut act, acc.org_id, action, t).await?;
    let now = now_ms();
    if store::set_disabled(act.tx(), id, disabled, now).await? == 0 {
        return Err(AppError::Conflict(Msg::new(if disabled {
            "account.already_disabled"
        } else {
            "account.already_enabled"
        })));
    }
    if disabled {
        // Disabling ends every session and token at once.
        crate::auth::service::end_sessions(act.tx(), id).await?;
        store::revoke_tokens_of(act.tx(), id, now).await?;
    }
    act.audit(Event::ok(action, "account", id)).await?;
    act.commit().await
}

pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: AccountId,
    password: &str,
) -> AppResult<()> {
    const ACTION: &str = "account.reset_password";
    let key = id.to_string();
    let t = account(&key);
    // Permission, scope and the password's rules on a read snapshot; the hashing is slow and
    // is done before the write transaction opens.
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccountManage, ACTION, t).await?;
    let acc = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::orgs::service::visible_by_id(&mut act, acc.org_id, ACTION, t).await?;
    drop(act);
    check_password(password, &acc.username, &acc.display_name)
        .map_err(|m| AppError::field("password", m))?;
    let hash = hash_password(password).await?;
    let mut act = Act::begin(state, actor).await?;
    crate::auth::service::set_temporary_password(&mut act, id, &hash).await?;
    crate::notify::service::notify(
        act.tx(),
        id,
        "notice.password_reset.title",
        "notice.password_reset.body",
        "/account/password",
    )
    .await?;
    act.audit(Event::ok(ACTION, "account", id)).await?;
    act.commit().await
}

/// For the command line: disable by username, as the system.
pub async fn disable_by_username(state: &AppState, username: &str) -> AppResult<AccountId> {
    let mut tx = state.db.begin().await?;
    let acc = store::by_username(&mut tx, username)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    store::set_disabled(&mut tx, acc.id, true, now).await?;
    crate::auth::service::end_sessions(&mut tx, acc.id).await?;
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

/// The account with this username (any, in or out of the actor's scope), for another
/// capability's use case in its own transaction: e.g. designating an identity custodian. The
/// caller decides what may be done with it.
pub async fn by_username_in(act: &mut Act<'_>, username: &str) -> AppResult<Option<AccountRow>> {
    Ok(store::by_username(act.tx(), username).await?)
}
