//! Use cases of people and positions.

use serde_json::json;

use super::model::{HoldingRow, NewPosition, PersonRow, PositionRow};
use super::store;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{OrgId, PersonId, PositionId};
use crate::orgs::service::scope_params;
use crate::state::AppState;

/// A read of the directory: the role must allow `people.read` (403, audited).
async fn reader<'s>(
    state: &'s AppState,
    actor: &'s Actor,
    action: &'static str,
    target: &str,
) -> AppResult<Act<'s>> {
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: "position",
        id: target,
    };
    act.require(Perm::PeopleRead, action, t).await?;
    Ok(act)
}

pub async fn positions_of_org(
    state: &AppState,
    actor: &Actor,
    org_code: &str,
) -> AppResult<Vec<PositionRow>> {
    let org = crate::orgs::service::get(state, actor, org_code).await?.org;
    let mut act = reader(state, actor, "position.list", org_code).await?;
    Ok(store::positions_of(act.tx(), org.id).await?)
}

pub async fn positions(
    state: &AppState,
    actor: &Actor,
    kind: Option<&str>,
    page: i64,
    per_page: i64,
) -> AppResult<(Vec<PositionRow>, i64)> {
    let mut act = reader(state, actor, "position.list", "").await?;
    let s = scope_params(actor);
    Ok(store::positions_in_scope(
        act.tx(),
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
    position_id: PositionId,
) -> AppResult<(PositionRow, Vec<HoldingRow>)> {
    let mut act = Act::read(state, actor).await?;
    let p = load_position(&mut act, position_id, Perm::PeopleRead, "position.read").await?;
    let h = store::holdings(act.tx(), p.id).await?;
    Ok((p, h))
}

pub async fn holdings(
    state: &AppState,
    actor: &Actor,
    position_id: PositionId,
) -> AppResult<Vec<HoldingRow>> {
    let mut act = Act::read(state, actor).await?;
    let p = load_position(&mut act, position_id, Perm::PeopleRead, "position.read").await?;
    Ok(store::holdings(act.tx(), p.id).await?)
}

/// A position the use case may act on: outside the scope it does not exist (404), inside it
/// the role must allow `perm` (403); both refusals audited under `action`.
async fn load_position(
    act: &mut Act<'_>,
    id: PositionId,
    perm: Perm,
    action: &'static str,
) -> AppResult<PositionRow> {
    let key = id.to_string();
    let t = Target {
        kind: "position",
        id: &key,
    };
    let p = store::position(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::orgs::service::visible_by_id(act, p.org_id, action, t).await?;
    act.require(perm, action, t).await?;
    Ok(p)
}

pub async fn create_position(
    act: &mut Act<'_>,
    org_code: &str,
    cmd: NewPosition,
) -> AppResult<PositionId> {
    const ACTION: &str = "position.create";
    let t = Target {
        kind: "position",
        id: org_code,
    };
    let org = crate::orgs::service::visible_by_code(act, org_code, ACTION, t).await?;
    act.require(Perm::PeopleManage, ACTION, t).await?;
    if org.retired_at.is_some() {
        return Err(AppError::Conflict(Msg::new("org.is_retired")));
    }
    let id = store::insert_position(
        act.tx(),
        org.id,
        &cmd.kind,
        &cmd.title,
        &cmd.sectors.join(","),
        100,
        now_ms(),
    )
    .await?;
    // A new position may be bound by duty rules: its organisation's views change.
    crate::stamps::bump(act.tx(), org.id).await?;
    act.audit(
        Event::ok(ACTION, "position", id)
            .detail(json!({"org": org_code, "kind": cmd.kind, "title": cmd.title})),
    )
    .await?;
    Ok(id)
}

/// The positions every new built-in organisation of a kind starts with, in the caller's
/// transaction (seeding: no actor). `positions`: (kind, title, sectors).
pub async fn add_builtin_positions(
    tx: &mut Tx,
    org_id: OrgId,
    positions: &[(&str, &str, &str)],
    now: i64,
) -> AppResult<()> {
    for (j, (kind, title, sectors)) in positions.iter().enumerate() {
        store::insert_position(tx, org_id, kind, title, sectors, j as i64, now).await?;
    }
    Ok(())
}

/// Registers a person; the record is kept by `org_code` (default: the caller's
/// organisation), which must lie in the caller's scope.
pub async fn create_person(
    act: &mut Act<'_>,
    org_code: Option<&str>,
    name: &str,
    note: &str,
) -> AppResult<PersonId> {
    const ACTION: &str = "person.create";
    act.require(
        Perm::PeopleManage,
        ACTION,
        Target {
            kind: "position",
            id: "",
        },
    )
    .await?;
    let mut e = Vec::new();
    let name = crate::web::extract::text("name", name, 50, true, &mut e);
    let note = crate::web::extract::text("note", note, 200, false, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let code = org_code
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(&act.actor.org_code)
        .to_string();
    let t = Target {
        kind: "position",
        id: &code,
    };
    // An organisation outside the scope is as unknown as one that does not exist.
    let org = match crate::orgs::service::visible_by_code(act, &code, ACTION, t).await {
        Ok(o) => o,
        Err(AppError::NotFound) => {
            return Err(AppError::field("org_code", Msg::new("org.unknown")));
        }
        Err(e) => return Err(e),
    };
    let id = store::insert_person(act.tx(), org.id, &name, &note, now_ms()).await?;
    // The name is personal data: the audit detail keeps the id only.
    act.audit(Event::ok(ACTION, "person", id).detail(json!({"org": code})))
        .await?;
    Ok(id)
}

/// People kept by organisations in the caller's scope.
pub async fn persons(
    state: &AppState,
    actor: &Actor,
    q: Option<&str>,
) -> AppResult<Vec<PersonRow>> {
    let mut act = reader(state, actor, "person.list", "").await?;
    let s = scope_params(actor);
    Ok(store::persons(act.tx(), s.path_like.as_deref(), s.org_id, q, 200).await?)
}

/// The person takes the position from `start`; the previous holder's term ends the day
/// before. The duties stay with the position.
pub async fn assign(
    act: &mut Act<'_>,
    position_id: PositionId,
    person_id: PersonId,
    start: chrono::NaiveDate,
) -> AppResult<()> {
    const ACTION: &str = "position.assign";
    let p = load_position(act, position_id, Perm::PeopleManage, ACTION).await?;
    // Views that show the holder (compliance) change.
    crate::stamps::bump(act.tx(), p.org_id).await?;
    let person = store::person(act.tx(), person_id).await?;
    if !person
        .as_ref()
        .is_some_and(|pe| crate::act::in_scope(act.actor, pe))
    {
        // Someone outside the caller's scope is as good as unknown.
        return Err(AppError::field("person_id", Msg::new("person.unknown")));
    }
    if p.holder_id == Some(person_id) {
        return Err(AppError::Conflict(Msg::new("position.already_holder")));
    }
    if let Some(cur) = store::current_start(act.tx(), position_id).await?
        && cur.as_str() >= start.format("%Y-%m-%d").to_string().as_str()
    {
        return Err(AppError::field(
            "start_date",
            Msg::new("position.start_before_current"),
        ));
    }
    let end_prev = start.pred_opt().unwrap_or(start);
    store::assign(
        act.tx(),
        position_id,
        person_id,
        &start.to_string(),
        &end_prev.to_string(),
        now_ms(),
    )
    .await?;
    act.audit(
        Event::ok(ACTION, "position", position_id)
            .detail(json!({"person_id": person_id, "start": start.to_string()})),
    )
    .await
}

pub async fn vacate(
    act: &mut Act<'_>,
    position_id: PositionId,
    end: chrono::NaiveDate,
) -> AppResult<()> {
    const ACTION: &str = "position.vacate";
    let p = load_position(act, position_id, Perm::PeopleManage, ACTION).await?;
    crate::stamps::bump(act.tx(), p.org_id).await?;
    if let Some(cur) = store::current_start(act.tx(), position_id).await?
        && cur.as_str() > end.to_string().as_str()
    {
        return Err(AppError::field(
            "end_date",
            Msg::new("position.end_before_start"),
        ));
    }
    if store::vacate(act.tx(), position_id, &end.to_string()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("position.already_vacant")));
    }
    act.audit(Event::ok(ACTION, "position", position_id).detail(json!({"end": end.to_string()})))
        .await
}

/// The position with this id, in or out of the actor's scope, for another capability's use
/// case in its own transaction that decides about scope itself (e.g. a position that must
/// belong to an organisation the actor sees). Retired ones too.
pub async fn position_in(act: &mut Act<'_>, id: PositionId) -> AppResult<Option<PositionRow>> {
    Ok(store::position(act.tx(), id).await?)
}

/// The person with this id, in or out of the actor's scope, for another capability's use
/// case in its own transaction that decides about scope itself (`act.sees`, or
/// `crate::act::in_scope` where an unseen person is a field error).
pub async fn person_in(act: &mut Act<'_>, id: PersonId) -> AppResult<Option<PersonRow>> {
    Ok(store::person(act.tx(), id).await?)
}
