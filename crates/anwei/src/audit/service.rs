//! Recording audit events. `record` joins the caller's transaction, so the record and the
//! change commit together or not at all; `record_alone` is for events with no change
//! (denials, failed logins).

use serde_json::Value;

use super::chain::{AuditRow, Outcome};
use super::store;
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Who did it and from where; built from an `Actor` or, before login, from the request.
#[derive(Debug, Clone)]
pub struct Who {
    pub actor_id: Option<crate::ids::AccountId>,
    pub actor_name: String,
    pub request_id: String,
    pub ip: String,
}

impl Who {
    pub fn system(what: &str) -> Who {
        Who {
            actor_id: None,
            actor_name: format!("system:{what}"),
            request_id: String::new(),
            ip: String::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: String,
    pub outcome: Outcome,
    pub detail: Value,
}

impl Event {
    pub fn ok(action: &'static str, target_type: &'static str, target_id: impl ToString) -> Event {
        Event {
            action,
            target_type,
            target_id: target_id.to_string(),
            outcome: Outcome::Ok,
            detail: Value::Null,
        }
    }
    pub fn denied(
        action: &'static str,
        target_type: &'static str,
        target_id: impl ToString,
    ) -> Event {
        Event {
            outcome: Outcome::Denied,
            ..Event::ok(action, target_type, target_id)
        }
    }
    pub fn failed(
        action: &'static str,
        target_type: &'static str,
        target_id: impl ToString,
    ) -> Event {
        Event {
            outcome: Outcome::Failed,
            ..Event::ok(action, target_type, target_id)
        }
    }
    pub fn detail(mut self, d: Value) -> Event {
        self.detail = d;
        self
    }
}

pub async fn record(state: &AppState, tx: &mut Tx, who: &Who, ev: Event) -> AppResult<()> {
    let (seq, prev) = store::lock_head(tx).await?;
    let mut row = AuditRow {
        seq: seq + 1,
        at: now_ms(),
        actor_id: who.actor_id.map(crate::ids::AccountId::get),
        actor_name: who.actor_name.clone(),
        action: ev.action.to_string(),
        target_type: ev.target_type.to_string(),
        target_id: ev.target_id,
        outcome: ev.outcome.code().to_string(),
        request_id: who.request_id.clone(),
        ip: who.ip.clone(),
        detail: if ev.detail.is_null() {
            "{}".into()
        } else {
            ev.detail.to_string()
        },
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    row.hash = state.audit_key.mac(&prev, &row);
    store::append(tx, &row).await?;
    Ok(())
}

/// Records an event in its own transaction.
pub async fn record_alone(state: &AppState, who: &Who, ev: Event) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    record(state, &mut tx, who, ev).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a denial on its own (a failure to record is logged, never hides the refusal).
async fn record_denial(
    state: &AppState,
    who: &Who,
    action: &'static str,
    target_type: &'static str,
    target_id: impl ToString,
) {
    if let Err(e) = record_alone(state, who, Event::denied(action, target_type, target_id)).await {
        tracing::error!(error = %e, "could not record denial");
    }
}

/// Records a denial and returns the error to give the caller.
pub async fn deny(
    state: &AppState,
    who: &Who,
    action: &'static str,
    target_type: &'static str,
    target_id: impl ToString,
) -> AppError {
    record_denial(state, who, action, target_type, target_id).await;
    AppError::Forbidden
}

/// Records a refusal of something outside the caller's data scope and returns 404: outside
/// the scope an object does not exist, for a read and a change alike.
pub async fn hide(
    state: &AppState,
    who: &Who,
    action: &'static str,
    target_type: &'static str,
    target_id: impl ToString,
) -> AppError {
    record_denial(state, who, action, target_type, target_id).await;
    AppError::NotFound
}
