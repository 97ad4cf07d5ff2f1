//! The organisation's page of 履职考核 (`/duties`): every rule × holder with its light, the
//! recent records and the minutes received; a committee office's account opens on its own
//! region's organisations.

use anwei_rules::duties::{Period, PeriodKind};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::model::ActivityFilter;
use super::pages::{ActivityLine, activity_line, rule_titles};
use super::service;
use crate::auth::model::{Actor, Perm, Role};
use crate::error::AppResult;
use crate::ids::{ActivityId, PersonId};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::{FieldErrors, render};

/// One row of the compliance table, labelled in the reader's language.
pub struct Row {
    /// The records that count (ids).
    pub records: Vec<ActivityId>,
    /// The holder's scorecard, when the position is held.
    pub person: Option<PersonId>,
    pub org_name: String,
    pub rule: String,
    pub holder: String,
    pub required: u32,
    pub done: u32,
    pub status: String,
    pub light: &'static str,
}

#[derive(Template)]
#[template(path = "duties/compliance.html")]
pub struct CompliancePage {
    pub b: Base,
    pub rows: Vec<Row>,
    pub period: String,
    pub org: String,
    pub choose_org: bool,
    /// The heat map of the actor's own region.
    pub heatmap_href: String,
    pub can_record: bool,
    pub errors: FieldErrors,
    pub activities: Vec<ActivityLine>,
    pub export_href: String,
    /// 抄报 minutes received by the office (empty for everyone else).
    pub received: Vec<super::store::ReceivedRow>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub period: Option<String>,
    pub org: Option<String>,
    /// Set after a record was saved: "1", or "late".
    pub recorded: Option<String>,
}

fn light(status: &str) -> &'static str {
    match status {
        "met" => "green",
        "due" => "yellow",
        _ => "red",
    }
}

/// `/duties`: compliance of the actor's organisation (the office may choose one by code) in
/// a period (default: the current quarter).
pub async fn compliance(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<PageQuery>,
) -> AppResult<Response> {
    let period = q
        .period
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| Period::containing(PeriodKind::Quarter, crate::time::today()).code());
    // Everyone but an enterprise may look at any organisation in scope (the service answers
    // 404 outside it). A committee office's account — the city office or a county's liaison —
    // opens on its own region's organisations: it holds no duties itself.
    let choose_org = actor.role != Role::Enterprise;
    let own = crate::orgs::service::get(&state, &actor, &actor.org_code)
        .await?
        .org;
    let chosen = q
        .org
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && choose_org)
        .map(str::to_string);
    let region_view = chosen.is_none() && own.kind == "safety_office";
    let org = chosen.unwrap_or_else(|| {
        if region_view {
            String::new()
        } else {
            actor.org_code.clone()
        }
    });
    let heatmap_href = format!(
        "/duties/heatmap?region={}",
        crate::web::middleware::urlencode(&own.region_code)
    );
    let titles = rule_titles(&state, ctx.lang).await;
    let result = if region_view {
        let orgs = service::home_orgs(&state, &actor).await?;
        service::compliance_of(&state, Some(&period), orgs).await
    } else {
        service::compliance(&state, &actor, Some(&period), Some(&org)).await
    };
    let (rows, errors) = match result {
        Ok((_, items)) => {
            let rows = items
                .into_iter()
                .map(|i| {
                    let rule = titles.get(&i.rule).cloned().unwrap_or(i.rule.clone());
                    let holder = match (&i.position_title, &i.holder_name, &i.toured_name) {
                        (Some(t), Some(n), _) => format!("{t}（{n}）"),
                        (Some(t), None, _) => t.clone(),
                        (None, _, Some(lower)) => {
                            crate::i18n::tf(ctx.lang, "duties.toured", &[("body", lower.clone())])
                        }
                        _ => crate::i18n::t(ctx.lang, "duties.org_bound"),
                    };
                    Row {
                        person: i.holder_id,
                        records: i.records,
                        org_name: i.org_name,
                        rule,
                        holder,
                        required: i.required,
                        done: i.done,
                        light: light(&i.status),
                        status: crate::i18n::t(ctx.lang, &format!("duties.status.{}", i.status)),
                    }
                })
                .collect();
            (rows, FieldErrors::default())
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (Vec::new(), errors),
            None => return Err(e),
        },
    };
    let flash = match q.recorded.as_deref() {
        Some("late") => Some(crate::i18n::t(ctx.lang, "duties.recorded_late")),
        Some(_) => Some(crate::i18n::t(ctx.lang, "duties.recorded")),
        None => None,
    };
    let activities = service::list_activities(
        &state,
        &actor,
        &ActivityFilter {
            org: Some(org.clone()).filter(|o| !o.is_empty()),
            limit: Some(20),
            ..ActivityFilter::default()
        },
    )
    .await
    .unwrap_or_default()
    .into_iter()
    .map(|a| activity_line(a, ctx.lang))
    .collect();
    let export_href = format!(
        "/duties/export.xlsx?period={}&org={}",
        crate::web::middleware::urlencode(&period),
        crate::web::middleware::urlencode(&org)
    );
    let b = Base::new(&state, &ctx, Some(&actor), "duties.page_title").with_flash(flash);
    let failed = errors.any();
    let mut res = render(&CompliancePage {
        b,
        rows,
        period,
        org,
        choose_org,
        heatmap_href,
        can_record: actor.can(Perm::DutyRecord),
        errors,
        activities,
        export_href,
        received: service::received_minutes(&state, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .take(20)
            .collect(),
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}
