//! 重点敏感时期: the city office declares a window and the duty rules tightened inside it,
//! ends one early, or withdraws one declared by mistake. A sensitive period binds every
//! organisation of the city, so only the city's committee office changes them.

use anwei_rules::duties::{PeriodKind, Tightening};
use serde::Deserialize;
use serde_json::json;

use super::engine;
use super::model::{SensitiveInput, SensitiveRow};
use super::store;
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::PeriodId;
use crate::state::AppState;
use crate::time::parse_date;

/// Most rules one sensitive period tightens.
const MAX_TIGHTENINGS: usize = 3;

/// Declaring, ending and withdrawing: the city's committee office only.
pub fn may_declare(actor: &Actor) -> bool {
    actor.is_city_office() && actor.can(Perm::TaskIssue)
}

async fn refuse(state: &AppState, actor: &Actor, action: &'static str, id: &str) -> AppError {
    let _ = audit::service::deny(state, &actor.who(), action, "sensitive_period", id).await;
    AppError::Refused(Msg::new("duties.only_city_office_sensitive"))
}

/// 重点敏感时期: the office declares a window and the rules tightened inside it.
pub async fn create_sensitive(
    state: &AppState,
    actor: &Actor,
    input: &SensitiveInput,
) -> AppResult<PeriodId> {
    const ACTION: &str = "sensitive_period.create";
    if !may_declare(actor) {
        return Err(refuse(state, actor, ACTION, "").await);
    }
    let mut e = Vec::new();
    let name = crate::web::extract::text("name", &input.name, 100, true, &mut e);
    let start = parse_date(&input.start);
    let end = parse_date(&input.end);
    if start.is_none() {
        e.push(("start".to_string(), Msg::new("duties.date_invalid")));
    }
    if end.is_none() {
        e.push(("end".to_string(), Msg::new("duties.date_invalid")));
    }
    if let (Some(s), Some(t)) = (start, end)
        && t < s
    {
        e.push(("end".to_string(), Msg::new("duties.end_before_start")));
    }

    // A sensitive period tightens what is still to be done: starting in the past would
    // rewrite periods already closed and judged.
    if let Some(s) = start
        && s < crate::time::today()
    {
        e.push(("start".to_string(), Msg::new("duties.sensitive_in_past")));
    }
    if input.rules.is_empty() {
        e.push(("rules".to_string(), Msg::new("duties.no_rules")));
    }
    // Up to three tightened rules a period, as the page offers and the docs say.
    if input.rules.len() > MAX_TIGHTENINGS {
        e.push((
            "rules".to_string(),
            Msg::new("duties.too_many_tightenings").with("max", MAX_TIGHTENINGS),
        ));
    }
    let mut rtx = state.db.read().await?;
    let known = engine::rules(&mut rtx).await?;
    drop(rtx);
    let mut tightenings = Vec::new();
    for (i, r) in input.rules.iter().enumerate() {
        let rule = known.iter().find(|k| k.row.code == r.rule.trim());
        if rule.is_none() {
            e.push((format!("rules[{i}].rule"), Msg::new("duties.rule_unknown")));
        }
        let period = PeriodKind::parse(r.period.trim());
        if period.is_none() {
            e.push((
                format!("rules[{i}].period"),
                Msg::new("duties.period_kind_unknown"),
            ));
        }
        if !(1..=100).contains(&r.min_count) {
            e.push((
                format!("rules[{i}].min_count"),
                Msg::new("duties.min_count_range").with("max", 100),
            ));
        }
        if let (Some(rule), Some(period)) = (rule, period) {
            tightenings.push(Tightening {
                rule_code: rule.row.code.clone(),
                period,
                min_count: u32::try_from(r.min_count).unwrap_or(1),
            });
        }
    }
    let (Some(start), Some(end), true) = (start, end, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let json = serde_json::to_string(&tightenings)
        .map_err(|err| AppError::Internal(anyhow::anyhow!("encoding tightenings: {err}")))?;
    let mut tx = state.db.begin().await?;
    let id = store::insert_sensitive(
        &mut tx,
        &name,
        &start.to_string(),
        &end.to_string(),
        &json,
        actor.account_id,
        now_ms(),
    )
    .await?;
    crate::stamps::bump(&mut tx, crate::stamps::EVERY_ORG).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(ACTION, "sensitive_period", id).detail(json!({
            "name": name, "start": start.to_string(), "end": end.to_string(), "rules": tightenings,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// `POST /api/v1/duties/sensitive-periods/{id}/end` and `…/withdraw`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeInput {
    /// Why it is ended or withdrawn (required, at most 500 characters).
    #[serde(default)]
    pub reason: String,
    /// The new last day (`YYYY-MM-DD`) when ending: today or later, not after the current
    /// end. Default today.
    #[serde(default)]
    pub end: Option<String>,
}

/// Ends a sensitive period early: its last day becomes `end` (default today). What was
/// already judged inside it stays as it was.
pub async fn end(
    state: &AppState,
    actor: &Actor,
    id: PeriodId,
    input: &ChangeInput,
) -> AppResult<()> {
    change(state, actor, id, input, Change::End).await
}

/// Withdraws a sensitive period declared by mistake: it no longer tightens anything, in any
/// period. Kept (with who, when and why) for the record.
pub async fn withdraw(
    state: &AppState,
    actor: &Actor,
    id: PeriodId,
    input: &ChangeInput,
) -> AppResult<()> {
    change(state, actor, id, input, Change::Withdraw).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    End,
    Withdraw,
}

async fn change(
    state: &AppState,
    actor: &Actor,
    id: PeriodId,
    input: &ChangeInput,
    how: Change,
) -> AppResult<()> {
    let action = match how {
        Change::End => "sensitive_period.end",
        Change::Withdraw => "sensitive_period.withdraw",
    };
    if !may_declare(actor) {
        return Err(refuse(state, actor, action, &id.to_string()).await);
    }
    let mut e = Vec::new();
    let reason = crate::web::extract::text("reason", &input.reason, 500, true, &mut e);
    let today = crate::time::today();
    let new_end = match input
        .end
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(today),
        Some(t) => {
            let d = parse_date(t);
            if d.is_none() {
                e.push(("end".to_string(), Msg::new("duties.date_invalid")));
            }
            d
        }
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut tx = state.db.begin().await?;
    let row = store::sensitive_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.withdrawn_at.is_some() {
        return Err(AppError::Conflict(Msg::new("duties.sensitive_withdrawn")));
    }
    let detail;
    if how == Change::Withdraw {
        store::withdraw_sensitive(&mut tx, id, actor.account_id, now_ms(), &reason).await?;
        detail = json!({"reason": reason, "name": row.name, "start": row.start_date, "end": row.end_date});
    } else {
        let new_end = new_end.unwrap_or(today);
        let (Some(start), Some(cur_end)) = (Some(row.start_date.date()), Some(row.end_date.date()))
        else {
            return Err(AppError::Internal(anyhow::anyhow!(
                "sensitive period {id}: bad dates"
            )));
        };
        if cur_end < today {
            return Err(AppError::Conflict(Msg::new("duties.sensitive_over")));
        }
        if new_end < today || new_end < start || new_end > cur_end {
            return Err(AppError::field(
                "end",
                Msg::new("duties.sensitive_end_range"),
            ));
        }
        store::end_sensitive(&mut tx, id, &new_end.to_string()).await?;
        detail =
            json!({"reason": reason, "end_before": row.end_date, "end_after": new_end.to_string()});
    }
    crate::stamps::bump(&mut tx, crate::stamps::EVERY_ORG).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(action, "sensitive_period", id).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The sensitive periods (at most 200, the latest first).
pub async fn sensitive_list(state: &AppState, actor: &Actor) -> AppResult<Vec<SensitiveRow>> {
    if !actor.can(Perm::TaskRead) {
        return Err(audit::service::deny(
            state,
            &actor.who(),
            "duties.sensitive_list",
            "sensitive_period",
            "",
        )
        .await);
    }
    let mut tx = state.db.read().await?;
    Ok(store::sensitive_list(&mut tx, 200).await?)
}
