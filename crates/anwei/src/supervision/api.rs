//! JSON handlers of task supervision.

use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{AssignmentFilter, DecisionInput, IssueInput, ReportInput};
use super::service::{self, Upload};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::AssignmentId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, OptionalJson, Q};

/// Assignments in scope. Filters: `task`, `measure`, `org` (code), `level`, `light`
/// (red|yellow|green|grey), `status`, `role` (lead|support), `policy`, `page`, `per_page`.
#[utoipa::path(get, path = "/api/v1/assignments", tag = "supervision",
    params(("task" = Option<i64>, Query), ("measure" = Option<i64>, Query), ("org" = Option<String>, Query), ("level" = Option<String>, Query),
           ("light" = Option<String>, Query), ("status" = Option<String>, Query), ("role" = Option<String>, Query), ("policy" = Option<String>, Query),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [Assignment], \"total\": n, \"counts\": {light: n}}"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Json<Value>> {
    let r = service::list(&state, &actor, &f).await?;
    let counts: serde_json::Map<String, Value> = r
        .counts
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    Ok(Json(
        json!({"items": r.items, "total": r.total, "counts": counts, "page": r.page, "per_page": r.per_page, "policy": r.policy.code}),
    ))
}

/// One assignment with its reports, evidence and history.
#[utoipa::path(get, path = "/api/v1/assignments/{id}", tag = "supervision", params(("id" = i64, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<Value>> {
    let d = service::get(&state, &actor, id).await?;
    Ok(Json(json!({
        "assignment": d.view, "task": d.task.view(Lang::Zh), "reports": d.reports, "attachments": d.attachments, "events": d.events,
        "can_act": d.can_act, "can_review": d.can_review, "reviewer": d.reviewer,
    })))
}

#[derive(Deserialize, Default)]
pub struct PolicyQuery {
    pub policy: Option<String>,
}

/// The organisations the task's responsible-unit phrase names (committee office).
#[utoipa::path(get, path = "/api/v1/policy/tasks/{number}/assignments/proposal", tag = "supervision", params(("number" = i64, Path)), responses((status = 200), (status = 403), (status = 404)))]
pub async fn proposal(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let p = service::proposal(&state, &actor, q.policy.as_deref(), number).await?;
    let picks: Vec<Value> = p.picks.iter().map(|k| json!({"org_code": k.org.code, "org_name": k.org.name, "role": k.role.code(), "issued": k.issued})).collect();
    let open: Vec<Value> = p.open.iter().map(|s| json!({"selector": s.code(), "description": if ctx.lang == Lang::En { s.describe_en() } else { s.describe_zh() }})).collect();
    Ok(Json(
        json!({"task": p.task.view(ctx.lang), "picks": picks, "open": open}),
    ))
}

/// 交办: issue the proposal (no body) or the organisations given. Idempotent: issuing twice
/// does not duplicate.
#[utoipa::path(post, path = "/api/v1/policy/tasks/{number}/assignments/issue", tag = "supervision", params(("number" = i64, Path)), request_body(content = Option<IssueInput>),
    responses((status = 200, description = "{\"created\": n, \"existing\": m}"), (status = 403), (status = 404), (status = 422)))]
pub async fn issue(
    State(state): State<AppState>,
    actor: Actor,
    Path(number): Path<i64>,
    OptionalJson(input): OptionalJson<IssueInput>,
) -> AppResult<Json<Value>> {
    let r = service::issue(&state, &actor, number, &input).await?;
    Ok(Json(json!({"created": r.created, "existing": r.existing})))
}

/// 签收.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/acknowledge", tag = "supervision", params(("id" = i64, Path)), responses((status = 200), (status = 403), (status = 404), (status = 409)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<Value>> {
    let a = service::acknowledge(&state, &actor, id).await?;
    Ok(Json(json!({"assignment": a})))
}

/// Reads a report from JSON (`{"text", "completion"}`) or multipart (`text`, `completion`,
/// and any number of `files`).
pub async fn read_report(req: Request, state: &AppState) -> AppResult<(ReportInput, Vec<Upload>)> {
    if !crate::files::is_multipart(&req) {
        let ApiJson(input) = ApiJson::<ReportInput>::from_request(req, state).await?;
        return Ok((input, Vec::new()));
    }
    let form = crate::files::read_multipart(req, state).await?;
    let input = ReportInput {
        text: form.text("text")?.unwrap_or_default(),
        completion: form
            .parts
            .iter()
            .rev()
            .find(|(n, _)| n == "completion")
            .is_some_and(|(_, b)| matches!(&b[..], b"true" | b"on" | b"1")),
    };
    Ok((input, form.files))
}

/// 报送: a progress report, or with `completion: true` an 办结申请. JSON, or multipart with
/// evidence `files` (type checked by content, size limited by configuration).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/reports", tag = "supervision", params(("id" = i64, Path)), request_body = ReportInput,
    responses((status = 201), (status = 403, description = "not the assignee"), (status = 404), (status = 409, description = "closed, not acknowledged, or awaiting review"), (status = 422)))]
pub async fn report(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
    req: Request,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (input, files) = read_report(req, &state).await?;
    let rid = service::report(&state, &actor, id, &input, files).await?;
    let d = service::get(&state, &actor, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"report_id": rid, "assignment": d.view})),
    ))
}

/// 审核: `{"decision": "accept"|"return", "comment": "…"}` (a return needs a comment).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/review", tag = "supervision", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200), (status = 403, description = "not the committee office"), (status = 404), (status = 409), (status = 422)))]
pub async fn review(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<Json<Value>> {
    let a = service::review(&state, &actor, id, &input).await?;
    Ok(Json(json!({"assignment": a})))
}

/// Everything that happened to a task across organisations in scope.
#[utoipa::path(get, path = "/api/v1/policy/tasks/{number}/timeline", tag = "supervision", params(("number" = i64, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn timeline(
    State(state): State<AppState>,
    actor: Actor,
    Path(number): Path<i64>,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let (_, _, assignments, events) =
        service::timeline(&state, &actor, q.policy.as_deref(), number).await?;
    Ok(Json(json!({"assignments": assignments, "events": events})))
}

/// Lights rolled up per task: the worst light and counts per light, in scope.
#[utoipa::path(get, path = "/api/v1/assignments/by-task", tag = "supervision", params(("policy" = Option<String>, Query)), responses((status = 200), (status = 401), (status = 403)))]
pub async fn by_task(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let (p, items) = service::rollup(&state, &actor, q.policy.as_deref(), false).await?;
    Ok(Json(json!({"policy": p.code, "items": items})))
}

/// Lights rolled up per organisation: the worst light and counts per light, in scope.
#[utoipa::path(get, path = "/api/v1/assignments/by-org", tag = "supervision", params(("policy" = Option<String>, Query)), responses((status = 200), (status = 401), (status = 403)))]
pub async fn by_org(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PolicyQuery>,
) -> AppResult<Json<Value>> {
    let (p, items) = service::rollup(&state, &actor, q.policy.as_deref(), true).await?;
    Ok(Json(json!({"policy": p.code, "items": items})))
}
