//! The audit log page and API: filterable, newest first, keyset-paginated.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::chain::AuditRow;
use super::store::{self, Filter};
use crate::auth::model::{Actor, Perm, Scope};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::render;

pub const PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub target: Option<String>,
    /// YYYY-MM-DD (Asia/Shanghai), inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub before: Option<i64>,
}

fn day_bound(field: &str, v: &Option<String>, end: bool) -> Result<Option<i64>, AppError> {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::field(field, Msg::new("error.date_format")))?;
    let t = if end {
        d.and_hms_milli_opt(23, 59, 59, 999)
    } else {
        d.and_hms_opt(0, 0, 0)
    }
    .expect("valid time");
    Ok(Some(
        t.and_local_timezone(crate::time::tz())
            .single()
            .map(|x| x.timestamp_millis())
            .unwrap_or(0),
    ))
}

/// Reads the log. Administrator and auditor only; the read itself is not a write, but a
/// refused read is audited.
pub async fn query(state: &AppState, actor: &Actor, q: &AuditQuery) -> AppResult<Vec<AuditRow>> {
    if !actor.can(Perm::AuditRead) {
        return Err(super::service::deny(state, &actor.who(), "audit.read", "audit_log", "").await);
    }
    if let Some(o) = q.outcome.as_deref().filter(|s| !s.is_empty())
        && !matches!(o, "ok" | "denied" | "failed")
    {
        return Err(AppError::field(
            "outcome",
            Msg::new("audit.outcome_unknown"),
        ));
    }
    let clean = |v: &Option<String>| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let f = Filter {
        actor: clean(&q.actor),
        action: clean(&q.action),
        outcome: clean(&q.outcome),
        target: clean(&q.target),
        from_ms: day_bound("from", &q.from, false)?,
        to_ms: day_bound("to", &q.to, true)?,
        before_seq: q.before,
        // Scoped like every other list: the city's auditor and administrator see every
        // record; a county's see the records of accounts in their county only.
        region_prefix: match actor.scope() {
            Scope::Region(p) if !actor.is_city_wide() => Some(p),
            _ => None,
        },
        org_id: match actor.scope() {
            Scope::Org(id) => Some(id.get()),
            Scope::Region(_) => None,
        },
    };
    let mut tx = state.db.read().await?;
    Ok(store::list(&mut tx, &f, PAGE).await?)
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct ListPage {
    pub b: Base,
    pub rows: Vec<AuditRow>,
    pub q: AuditQuery,
    pub next_link: Option<String>,
    pub first_link: String,
}

fn query_string(q: &AuditQuery) -> String {
    let mut v = Vec::new();
    for (k, val) in [
        ("actor", &q.actor),
        ("action", &q.action),
        ("outcome", &q.outcome),
        ("target", &q.target),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if let Some(x) = val.as_ref().filter(|x| !x.is_empty()) {
            v.push((k, x.clone()));
        }
    }
    serde_urlencoded::to_string(&v).unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<AuditQuery>,
) -> AppResult<Response> {
    let rows = query(&state, &actor, &q).await?;
    let base = query_string(&q);
    let next_link = if rows.len() as i64 == PAGE {
        rows.last().map(|r| {
            if base.is_empty() {
                format!("?before={}", r.seq)
            } else {
                format!("?{base}&before={}", r.seq)
            }
        })
    } else {
        None
    };
    let first_link = if base.is_empty() {
        "?".into()
    } else {
        format!("?{base}")
    };
    let b = Base::new(&state, &ctx, Some(&actor), "audit.title");
    render(&ListPage {
        b,
        rows,
        q,
        next_link,
        first_link,
    })
}

/// The audit log, newest first, 50 per page; `before` = the last `seq` of the previous page.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit",
    params(("actor" = Option<String>, Query), ("action" = Option<String>, Query), ("outcome" = Option<String>, Query), ("target" = Option<String>, Query),
           ("from" = Option<String>, Query), ("to" = Option<String>, Query), ("before" = Option<i64>, Query)),
    responses((status = 200), (status = 401), (status = 403)))]
pub async fn api_list(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<AuditQuery>,
) -> AppResult<Json<Value>> {
    let rows = query(&state, &actor, &q).await?;
    let next_before = if rows.len() as i64 == PAGE {
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok(Json(json!({"items": rows, "next_before": next_before})))
}
