//! HTML and JSON handlers of the policy.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{
    ArticleRow, DeliverableRow, EditTaskInput, MeasureRow, PolicyRow, TaskFilter, TaskRow, TaskView,
};
use super::service;
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q, WebForm};
use crate::web::page::{FieldErrors, render};

pub struct MeasureGroup {
    pub measure: MeasureRow,
    pub title: String,
    pub articles: Vec<ArticleRow>,
    pub tasks: Vec<TaskView>,
}

#[derive(Template)]
#[template(path = "policy/index.html")]
pub struct IndexPage {
    pub b: Base,
    pub policy: PolicyRow,
    pub groups: Vec<MeasureGroup>,
    pub deliverables: Vec<DeliverableRow>,
    pub measures: Vec<MeasureRow>,
    pub filter_measure: i64,
    pub filter_q: String,
    pub filter_kind: String,
    pub task_count: usize,
    /// Worst light per task number (for readers of the supervision ledger).
    pub lights: Vec<(i64, String)>,
    /// The committee office may import a new policy table.
    pub can_import: bool,
    /// Every policy, for the selector.
    pub policies: Vec<PolicyRow>,
    pub can_supervise: bool,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<TaskFilter>,
) -> AppResult<Response> {
    let o = service::overview(&state, &actor, &f).await?;
    let lang = ctx.lang;
    let groups: Vec<MeasureGroup> = o
        .measures
        .iter()
        .filter(|m| f.measure.is_none_or(|n| n == m.number))
        .map(|m| MeasureGroup {
            title: if lang == Lang::En {
                m.title_en.clone()
            } else {
                m.title_zh.clone()
            },
            measure: m.clone(),
            articles: o
                .articles
                .iter()
                .filter(|a| a.measure_number == m.number)
                .cloned()
                .collect(),
            tasks: o
                .tasks
                .iter()
                .filter(|t| t.measure_number == m.number)
                .map(|t| t.view(lang))
                .collect(),
        })
        .filter(|g| {
            !g.tasks.is_empty()
                || (f.q.as_deref().unwrap_or("").is_empty()
                    && f.kind.as_deref().unwrap_or("").is_empty())
        })
        .collect();
    let lights = if actor.can(crate::auth::model::Perm::TaskRead) {
        crate::supervision::service::rollup(&state, &actor, f.policy.as_deref(), false)
            .await
            .map(|(_, rows)| {
                rows.into_iter()
                    .filter_map(|r| r.key.parse::<i64>().ok().map(|k| (k, r.worst)))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let b = Base::new(&state, &ctx, Some(&actor), "policy.title");
    render(&IndexPage {
        task_count: o.tasks.len(),
        lights,
        can_import: actor.can(crate::auth::model::Perm::PolicyEdit),
        policies: service::policies(&state, &actor).await?,
        can_supervise: actor.can(crate::auth::model::Perm::TaskRead),
        policy: o.policy,
        groups,
        deliverables: o.deliverables,
        measures: o.measures,
        filter_measure: f.measure.unwrap_or(0),
        filter_q: f.q.unwrap_or_default(),
        filter_kind: f.kind.unwrap_or_default(),
        b,
    })
}

#[derive(Template)]
#[template(path = "policy/task.html")]
pub struct TaskPage {
    pub b: Base,
    pub can_supervise: bool,
    pub policy: PolicyRow,
    pub task: TaskView,
    pub measure_title: String,
    pub articles: Vec<ArticleRow>,
    pub can_edit: bool,
    pub updated_at: i64,
    /// 校注: where the table differs from its article, or what was repaired.
    pub notes: Vec<service::NoteView>,
}

pub async fn task(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Response> {
    let (policy, t, articles, m) =
        service::task(&state, &actor, q.policy.as_deref(), number).await?;
    let lang = ctx.lang;
    let b = Base::new(&state, &ctx, Some(&actor), "policy.task_title").with_title(format!(
        "{} {}",
        crate::i18n::t(lang, "policy.task"),
        number
    ));
    render(&TaskPage {
        can_supervise: actor.can(Perm::TaskRead),
        measure_title: m
            .map(|m| {
                if lang == Lang::En {
                    m.title_en
                } else {
                    m.title_zh
                }
            })
            .unwrap_or_default(),
        task: t.view(lang),
        updated_at: t.updated_at,
        notes: service::notes(&policy, number, lang),
        policy,
        articles,
        can_edit: actor.can(Perm::PolicyEdit),
        b,
    })
}

#[derive(Template)]
#[template(path = "policy/article.html")]
pub struct ArticlePage {
    pub b: Base,
    pub article: ArticleRow,
    pub measure_title: String,
    pub tasks: Vec<TaskView>,
}

pub async fn article(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    let (a, tasks, m) = service::article(&state, &actor, number).await?;
    let lang = ctx.lang;
    let b = Base::new(&state, &ctx, Some(&actor), "policy.article_title")
        .with_title(a.title_zh.clone());
    render(&ArticlePage {
        measure_title: m
            .map(|m| {
                if lang == Lang::En {
                    m.title_en
                } else {
                    m.title_zh
                }
            })
            .unwrap_or_default(),
        tasks: tasks.iter().map(|t| t.view(lang)).collect(),
        article: a,
        b,
    })
}

#[derive(Template)]
#[template(path = "policy/edit.html")]
pub struct EditPage {
    pub b: Base,
    pub number: i64,
    pub input: EditTaskInput,
    pub errors: FieldErrors,
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
) -> AppResult<Response> {
    if !actor.can(Perm::PolicyEdit) {
        return Err(crate::audit::service::deny(
            &state,
            &actor.who(),
            "policy.task_edit",
            "policy",
            number,
        )
        .await);
    }
    let (_, t, _, _) = service::task(&state, &actor, None, number).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "policy.edit_title");
    render(&EditPage {
        b,
        number,
        input: EditTaskInput {
            content: t.content,
            units_text: t.units_text,
            deadline_text: t.deadline_text,
        },
        errors: FieldErrors::default(),
    })
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    WebForm(input): WebForm<EditTaskInput>,
) -> AppResult<Response> {
    match service::edit_task(&state, &actor, number, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/policy/tasks/{number}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let b = Base::new(&state, &ctx, Some(&actor), "policy.edit_title");
                let mut r = render(&EditPage {
                    b,
                    number,
                    input,
                    errors,
                })?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}

// --- API ------------------------------------------------------------------------------

/// Policies loaded (the built-in 通安委〔2022〕10号 and any imported).
#[utoipa::path(get, path = "/api/v1/policies", tag = "policy", responses((status = 200), (status = 401)))]
pub async fn api_policies(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    Ok(Json(
        json!({"items": service::policies(&state, &actor).await?}),
    ))
}

#[derive(Deserialize, Default)]
pub struct PolicyQuery {
    pub policy: Option<String>,
}

/// The 15 measures.
#[utoipa::path(get, path = "/api/v1/policy/measures", tag = "policy", params(("policy" = Option<String>, Query)), responses((status = 200), (status = 401)))]
pub async fn api_measures(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let o = service::overview(
        &state,
        &actor,
        &TaskFilter {
            policy: q.policy,
            ..Default::default()
        },
    )
    .await?;
    Ok(Json(json!({"items": o.measures})))
}

/// The 43 articles with their full text.
#[utoipa::path(get, path = "/api/v1/policy/articles", tag = "policy", params(("policy" = Option<String>, Query)), responses((status = 200), (status = 401)))]
pub async fn api_articles(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let o = service::overview(
        &state,
        &actor,
        &TaskFilter {
            policy: q.policy,
            ..Default::default()
        },
    )
    .await?;
    Ok(Json(json!({"items": o.articles})))
}

/// The 66 key tasks with deadline structure and responsible-unit selectors. Filters:
/// `measure`, `q`, `kind`, `policy`.
#[utoipa::path(get, path = "/api/v1/policy/tasks", tag = "policy",
    params(("measure" = Option<i64>, Query), ("q" = Option<String>, Query), ("kind" = Option<String>, Query), ("policy" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [Task]}"), (status = 401), (status = 403)))]
pub async fn api_tasks(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<TaskFilter>,
) -> AppResult<Json<Value>> {
    let (policy, tasks) = service::tasks(&state, &actor, &f).await?;
    let items: Vec<TaskView> = tasks.iter().map(|t: &TaskRow| t.view(ctx.lang)).collect();
    Ok(Json(
        json!({"items": items, "total": items.len(), "policy": policy.code}),
    ))
}

/// One task, with its articles' text.
#[utoipa::path(get, path = "/api/v1/policy/tasks/{number}", tag = "policy", params(("number" = i64, Path)), responses((status = 200, description = "{\"task\": TaskView, \"articles\": [Article], \"notes\": [NoteView]}: `notes` are the 校注 of the built-in policy (empty for an imported one)"), (status = 401), (status = 404)))]
pub async fn api_task(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let (p, t, articles, _) = service::task(&state, &actor, q.policy.as_deref(), number).await?;
    let notes = service::notes(&p, number, ctx.lang);
    Ok(Json(
        json!({"task": t.view(ctx.lang), "articles": articles, "notes": notes}),
    ))
}

/// Edit a task's text, units or deadline (committee office); phrases must parse.
#[utoipa::path(patch, path = "/api/v1/policy/tasks/{number}", tag = "policy", params(("number" = i64, Path)), request_body = EditTaskInput, responses((status = 200), (status = 403), (status = 422)))]
pub async fn api_edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    ApiJson(input): ApiJson<EditTaskInput>,
) -> AppResult<Json<Value>> {
    service::edit_task(&state, &actor, number, &input).await?;
    let (_, t, _, _) = service::task(&state, &actor, None, number).await?;
    Ok(Json(json!({"task": t.view(ctx.lang)})))
}

/// Dated deliverables (报送事项) of the policy.
#[utoipa::path(get, path = "/api/v1/policy/deliverables", tag = "policy", responses((status = 200), (status = 401)))]
pub async fn api_deliverables(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let o = service::overview(
        &state,
        &actor,
        &TaskFilter {
            policy: q.policy,
            ..Default::default()
        },
    )
    .await?;
    Ok(Json(json!({"items": o.deliverables})))
}
