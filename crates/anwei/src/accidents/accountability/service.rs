//! Use cases of accountability (追责问责): record an outcome about a person or an organisation
//! for an accident in scope (committee office), checked against `anwei_rules::accident::liability`
//! (fines by grade); an outcome of 撤职, a criminal penalty, or principal responsibility for a
//! 重大 / 特别重大 accident registers a ban (`bans::service`) in the same transaction. Read by the
//! office, 纪检监察 and leaders.

use anwei_rules::accident::Grade;
use anwei_rules::ban::{Ground, Penalty};
use serde_json::json;

use super::model::{Kind, NewOutcome, OutcomeInput, OutcomeRow, Subject};
use super::store::{self, By, Protected};
use crate::accidents::model::AccidentRow;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::bans::model::NewBan;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::ids::AccidentId;
use crate::state::AppState;

/// What audit records call an outcome.
pub const SUBJECT: &str = "accountability";

/// `POST /api/v1/accidents/{id}/accountability`: the permission (403, audited), the accident in
/// scope (404), the fields against its grade (422 naming each), then the outcome and any ban.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &OutcomeInput,
) -> AppResult<OutcomeRow> {
    const ACTION: &str = "accountability.create";
    let sid = id.to_string();
    let t = Target {
        kind: crate::accidents::service::SUBJECT,
        id: &sid,
    };
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::AccountabilityRecord, ACTION, t).await?;
    let a = crate::accidents::service::visible(&mut act, id, ACTION).await?;
    let o = input.parse(a.grade, &a.industry, crate::time::today())?;
    let protected = match o.id_number.as_str() {
        "" => Protected {
            sealed: String::new(),
            index: String::new(),
            masked: String::new(),
        },
        n => Protected {
            sealed: state.vault.seal(n)?,
            index: state.vault.blind("id_number", n),
            masked: anwei_rules::enterprise::mask_id_number(n),
        },
    };
    let by = By {
        account: actor.account_id,
        org: actor.org_id,
        at: now_ms(),
    };
    let oid = store::insert(act.tx(), id, &o, &protected, by).await?;
    let mut bans = Vec::new();
    for ground in grounds(&o, &a) {
        let b = NewBan {
            id_number: o.id_number.clone(),
            name: o.name.clone(),
            ground,
            accountability_id: Some(oid),
            document_no: o.document_no.clone(),
        };
        if let Some(bid) = crate::bans::service::register_in(&mut act, &b).await? {
            bans.push(bid);
        }
    }
    act.audit(Event::ok(ACTION, SUBJECT, oid).detail(json!({
        "accident": id, "subject": o.subject.code(), "kind": o.kind.code(),
        "principal_responsibility": o.principal_responsibility, "fine_yuan": o.fine_yuan,
        "document_no": o.document_no, "bans": bans,
    })))
    .await?;
    let row = store::by_id(act.tx(), oid)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// The bans an outcome starts (安全生产法 第九十四条): five years from 撤职 or from the end of a
/// criminal penalty; for life in the industry for principal responsibility for a 重大 / 特别重大
/// accident.
fn grounds(o: &NewOutcome, a: &AccidentRow) -> Vec<Ground> {
    let mut out = Vec::new();
    if o.subject != Subject::Person {
        return out;
    }
    match (o.kind, o.penalty_ends_on) {
        (Kind::Removal, _) => out.push(Ground::Penalty {
            penalty: Penalty::Removal,
            from: o.decided_on,
        }),
        (Kind::Criminal, Some(end)) => out.push(Ground::Penalty {
            penalty: Penalty::Criminal,
            from: end,
        }),
        _ => {}
    }
    if o.principal_responsibility
        && a.grade >= Grade::VerySerious
        && let Some(industry) = o.industry
    {
        out.push(Ground::Responsibility {
            grade: a.grade,
            industry,
        });
    }
    out
}

/// The outcomes of an accident in scope (office, 纪检监察, leaders).
pub async fn list(state: &AppState, actor: &Actor, id: AccidentId) -> AppResult<Vec<OutcomeRow>> {
    const ACTION: &str = "accountability.list";
    let sid = id.to_string();
    let t = Target {
        kind: crate::accidents::service::SUBJECT,
        id: &sid,
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccountabilityRead, ACTION, t).await?;
    crate::accidents::service::visible(&mut act, id, ACTION).await?;
    Ok(store::of_accident(act.tx(), id).await?)
}

/// The door for reports (举报 linked to a 行政处罚): the fine in yuan of outcome `id`, inside
/// the caller's use case — the permission to read outcomes (403, audited) and the accident in
/// scope (404, as if missing); `None` when the outcome is not a fine.
pub async fn fine_of(
    act: &mut Act<'_>,
    id: crate::ids::AccountabilityId,
    action: &'static str,
) -> AppResult<Option<i64>> {
    let sid = id.to_string();
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    act.require(Perm::AccountabilityRead, action, t).await?;
    let o = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::accidents::service::visible(act, o.accident_id, action).await?;
    Ok(o.fine_yuan.filter(|_| o.kind == "fine"))
}

/// The door for a report's reward: the fine in yuan of an outcome the report was already
/// linked to (the link checked the caller's right to see it); `None` when missing or no fine.
pub async fn linked_fine(
    act: &mut Act<'_>,
    id: crate::ids::AccountabilityId,
) -> AppResult<Option<i64>> {
    let o = store::by_id(act.tx(), id).await?;
    Ok(o.and_then(|o| o.fine_yuan.filter(|_| o.kind == "fine")))
}
