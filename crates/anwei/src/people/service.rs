//! Use cases of people and positions.

use serde_json::json;

use super::model::{HoldingRow, NewPosition, PersonRow, PositionRow};
use super::store;
use crate::app::AppState;
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::orgs::service::{in_scope, scope_params};

async fn deny(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    target: impl ToString,
) -> AppError {
    audit::service::deny(state, &actor.who(), action, "position", target).await
}

pub async fn positions_of_org(
    state: &AppState,
    actor: &Actor,
    org_code: &str,
) -> AppResult<Vec<PositionRow>> {
    let org = crate::orgs::service::get(state, actor, org_code).await?.org;
    if !actor.can(Perm::PeopleRead) {
        return Err(deny(state, actor, "position.list", org_code).await);
    }
    let mut tx = state.db.read().await?;
    Ok(store::positions_of(&mut tx, org.id).await?)
}

pub async fn positions(
    state: &AppState,
    actor: &Actor,
    kind: Option<&str>,
    page: i64,
    per_page: i64,
) -> AppResult<(Vec<PositionRow>, i64)> {
    if !actor.can(Perm::PeopleRead) {
        return Err(deny(state, actor, "position.list", "").await);
    }
    let s = scope_params(actor);
    let mut tx = state.db.read().await?;
    Ok(store::positions_in_scope(
        &mut tx,
        s.path_like.as_deref(),
        s.org_id,
        kind,
        per_page,
        (page - 1) * per_page,
    )
    .await?)
}

/// One position with everyone who has held it.
pub async fn position(
    state: &AppState,
    actor: &Actor,
    position_id: i64,
) -> AppResult<(PositionRow, Vec<HoldingRow>)> {
    let p = load_position(state, actor, position_id, Perm::PeopleRead, "position.read").await?;
    let mut tx = state.db.read().await?;
    let h = store::holdings(&mut tx, p.id).await?;
    Ok((p, h))
}

pub async fn holdings(
    state: &AppState,
    actor: &Actor,
    position_id: i64,
) -> AppResult<Vec<HoldingRow>> {
    let p = load_position(state, actor, position_id, Perm::PeopleRead, "position.read").await?;
    let mut tx = state.db.read().await?;
    Ok(store::holdings(&mut tx, p.id).await?)
}

async fn load_position(
    state: &AppState,
    actor: &Actor,
    id: i64,
    perm: Perm,
    action: &'static str,
) -> AppResult<PositionRow> {
    let mut tx = state.db.read().await?;
    let p = store::position(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = crate::orgs::store::by_id(&mut tx, p.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    if !in_scope(actor, &org) {
        return Err(audit::service::hide(state, &actor.who(), action, "position", id).await);
    }
    if !actor.can(perm) {
        return Err(deny(state, actor, action, id).await);
    }
    Ok(p)
}

pub async fn create_position(
    state: &AppState,
    actor: &Actor,
    org_code: &str,
    cmd: NewPosition,
) -> AppResult<i64> {
    let org = crate::orgs::service::get(state, actor, org_code).await?.org;
    if !actor.can(Perm::PeopleManage) {
        return Err(deny(state, actor, "position.create", org_code).await);
    }
    if org.retired_at.is_some() {
        return Err(AppError::Conflict(Msg::new("org.is_retired")));
    }
    let mut tx = state.db.begin().await?;
    let id = store::insert_position(
        &mut tx,
        org.id,
        &cmd.kind,
        &cmd.title,
        &cmd.sectors.join(","),
        100,
        now_ms(),
    )
    .await?;
    // A new position may be bound by duty rules: its organisation's compliance changes.
    crate::duties::store::bump_stamp(&mut tx, org.id).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("position.create", "position", id)
            .detail(json!({"org": org_code, "kind": cmd.kind, "title": cmd.title})),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn person_in_scope(actor: &Actor, p: &PersonRow) -> bool {
    match actor.scope() {
        crate::auth::model::Scope::Region(path) => p.region_path.starts_with(&path),
        crate::auth::model::Scope::Org(id) => p.org_id == id,
    }
}

/// Registers a person; the record is kept by `org_code` (default: the caller's
/// organisation), which must lie in the caller's scope.
pub async fn create_person(
    state: &AppState,
    actor: &Actor,
    org_code: Option<&str>,
    name: &str,
    note: &str,
) -> AppResult<i64> {
    if !actor.can(Perm::PeopleManage) {
        return Err(deny(state, actor, "person.create", "").await);
    }
    let mut e = Vec::new();
    let name = crate::web::extract::text("name", name, 50, true, &mut e);
    let note = crate::web::extract::text("note", note, 200, false, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let code = org_code
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(&actor.org_code)
        .to_string();
    let mut rtx = state.db.read().await?;
    let org = crate::orgs::store::by_code(&mut rtx, &code).await?;
    drop(rtx);
    let org = match org {
        Some(o) if in_scope(actor, &o) => o,
        Some(_) => return Err(deny(state, actor, "person.create", &code).await),
        None => return Err(AppError::field("org_code", Msg::new("org.unknown"))),
    };
    let mut tx = state.db.begin().await?;
    let id = store::insert_person(&mut tx, org.id, &name, &note, now_ms()).await?;
    // The name is personal data: the audit detail keeps the id only.
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("person.create", "person", id).detail(json!({"org": code})),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// People kept by organisations in the caller's scope.
pub async fn persons(
    state: &AppState,
    actor: &Actor,
    q: Option<&str>,
) -> AppResult<Vec<PersonRow>> {
    if !actor.can(Perm::PeopleRead) {
        return Err(deny(state, actor, "person.list", "").await);
    }
    let s = scope_params(actor);
    let mut tx = state.db.read().await?;
    Ok(store::persons(&mut tx, s.path_like.as_deref(), s.org_id, q, 200).await?)
}

/// The person takes the position from `start`; the previous holder's term ends the day
/// before. The duties stay with the position.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    position_id: i64,
    person_id: i64,
    start: chrono::NaiveDate,
) -> AppResult<()> {
    let p = load_position(
        state,
        actor,
        position_id,
        Perm::PeopleManage,
        "position.assign",
    )
    .await?;
    let mut tx = state.db.begin().await?;
    // Compliance shows the holder's name.
    crate::duties::store::bump_stamp(&mut tx, p.org_id).await?;
    let person = store::person(&mut tx, person_id).await?;
    if !person.as_ref().is_some_and(|pe| person_in_scope(actor, pe)) {
        // Someone outside the caller's scope is as good as unknown.
        return Err(AppError::field("person_id", Msg::new("person.unknown")));
    }
    if p.holder_id == Some(person_id) {
        return Err(AppError::Conflict(Msg::new("position.already_holder")));
    }
    if let Some(cur) = store::current_start(&mut tx, position_id).await?
        && cur.as_str() >= start.format("%Y-%m-%d").to_string().as_str()
    {
        return Err(AppError::field(
            "start_date",
            Msg::new("position.start_before_current"),
        ));
    }
    let end_prev = start.pred_opt().unwrap_or(start);
    store::assign(
        &mut tx,
        position_id,
        person_id,
        &start.to_string(),
        &end_prev.to_string(),
        now_ms(),
    )
    .await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("position.assign", "position", position_id)
            .detail(json!({"person_id": person_id, "start": start.to_string()})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn vacate(
    state: &AppState,
    actor: &Actor,
    position_id: i64,
    end: chrono::NaiveDate,
) -> AppResult<()> {
    let p = load_position(
        state,
        actor,
        position_id,
        Perm::PeopleManage,
        "position.vacate",
    )
    .await?;
    let mut tx = state.db.begin().await?;
    crate::duties::store::bump_stamp(&mut tx, p.org_id).await?;
    if let Some(cur) = store::current_start(&mut tx, position_id).await?
        && cur.as_str() > end.to_string().as_str()
    {
        return Err(AppError::field(
            "end_date",
            Msg::new("position.end_before_start"),
        ));
    }
    if store::vacate(&mut tx, position_id, &end.to_string()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("position.already_vacant")));
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("position.vacate", "position", position_id)
            .detail(json!({"end": end.to_string()})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
