//! The sensitive-period page (重点敏感时期): the list, the city office's declaration form, and
//! ending or withdrawing one.

use anwei_rules::duties::PeriodKind;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::pages::{Choice, period_label, rule_titles};
use super::rules;
use super::sensitive::ChangeInput;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::{Day, PeriodId};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::{FieldErrors, render};

/// A sensitive period as listed.
pub struct SensitiveLine {
    pub id: PeriodId,
    pub withdrawn: bool,
    pub withdraw_reason: String,
    pub name: String,
    pub start: Day,
    pub end: Day,
    pub rules: String,
}

#[derive(Template)]
#[template(path = "duties/sensitive.html")]
pub struct SensitivePage {
    pub b: Base,
    pub periods: Vec<SensitiveLine>,
    pub may_declare: bool,
    pub rules: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub f: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl SensitivePage {
    /// The posted value of a field, to refill the form after an error.
    pub fn val(&self, name: &str) -> String {
        self.f
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

async fn sensitive_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: Vec<(String, String)>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let titles = rule_titles(state, ctx.lang).await;
    let periods = super::sensitive::sensitive_list(state, actor)
        .await?
        .into_iter()
        .map(|r| {
            let t: Vec<anwei_rules::duties::Tightening> =
                serde_json::from_str(&r.tightenings).unwrap_or_default();
            SensitiveLine {
                id: r.id,
                withdrawn: r.withdrawn_at.is_some(),
                withdraw_reason: r.withdraw_reason,
                name: r.name,
                start: r.start_date,
                end: r.end_date,
                rules: t
                    .iter()
                    .map(|t| {
                        format!(
                            "{}：{} ≥{}",
                            titles
                                .get(&t.rule_code)
                                .cloned()
                                .unwrap_or(t.rule_code.clone()),
                            period_label(t.period.code(), ctx.lang),
                            t.min_count
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；"),
            }
        })
        .collect();
    let rules = rules::defs(state)
        .await?
        .iter()
        .map(|d| Choice {
            value: d.row.code.clone(),
            label: d.title(ctx.lang).to_string(),
        })
        .collect();
    let kinds = PeriodKind::ALL
        .iter()
        .map(|p| Choice {
            value: p.code().to_string(),
            label: period_label(p.code(), ctx.lang),
        })
        .collect();
    let b = Base::new(state, ctx, Some(actor), "duties.sensitive_title");
    let failed = errors.any();
    let mut res = render(&SensitivePage {
        b,
        periods,
        may_declare: super::sensitive::may_declare(actor),
        rules,
        kinds,
        f,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `/duties/sensitive`: the sensitive periods, and the form the office declares one with.
pub async fn sensitive(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    sensitive_render(&state, &ctx, &actor, Vec::new(), FieldErrors::default()).await
}

/// Declares a sensitive period from the form: up to three tightened rules (`rule_1`,
/// `period_1`, `min_1`, …); empty rows are skipped.
pub async fn create_sensitive(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut input = super::model::SensitiveInput {
        name: get("name"),
        start: get("start"),
        end: get("end"),
        rules: Vec::new(),
    };
    for i in 1..=3 {
        let rule = get(&format!("rule_{i}"));
        if rule.trim().is_empty() {
            continue;
        }
        input.rules.push(super::model::TighteningInput {
            rule,
            period: get(&format!("period_{i}")),
            min_count: get(&format!("min_{i}")).trim().parse().unwrap_or(0),
        });
    }
    match super::sensitive::create_sensitive(&state, &actor, &input).await {
        Ok(_) => Ok(Redirect::to("/duties/sensitive").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => sensitive_render(&state, &ctx, &actor, pairs, errors).await,
            None => Err(e),
        },
    }
}

/// Form fields of ending or withdrawing.
#[derive(serde::Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub end: String,
}

async fn change(
    state: AppState,
    ctx: RequestCtx,
    actor: Actor,
    id: PeriodId,
    f: ChangeForm,
    withdraw: bool,
) -> AppResult<Response> {
    let input = ChangeInput {
        reason: f.reason,
        end: Some(f.end).filter(|e| !e.trim().is_empty()),
    };
    let r = if withdraw {
        super::sensitive::withdraw(&state, &actor, id, &input).await
    } else {
        super::sensitive::end(&state, &actor, id, &input).await
    };
    match r {
        Ok(()) => Ok(Redirect::to("/duties/sensitive").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => sensitive_render(&state, &ctx, &actor, Vec::new(), errors).await,
            None => Err(e),
        },
    }
}

/// Ends a sensitive period early (city office), with a reason.
pub async fn end_sensitive(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<PeriodId>,
    WebForm(f): WebForm<ChangeForm>,
) -> AppResult<Response> {
    change(state, ctx, actor, id, f, false).await
}

/// Withdraws a sensitive period (city office), with a reason.
pub async fn withdraw_sensitive(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<PeriodId>,
    WebForm(f): WebForm<ChangeForm>,
) -> AppResult<Response> {
    change(state, ctx, actor, id, f, true).await
}
