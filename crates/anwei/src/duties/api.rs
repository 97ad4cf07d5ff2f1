//! JSON handlers of recurring duties.

use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::model::{
    AcceptLateInput, ActivityFilter, ComplianceQuery, NewActivityInput, SensitiveInput,
};
use super::service::{self, Upload};
use crate::app::AppState;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::web::extract::{ApiJson, Q};

/// Reads an activity from JSON, or from multipart with the same fields as text parts and
/// any number of evidence `files` (minutes, photos).
pub async fn read_activity(
    req: Request,
    state: &AppState,
) -> AppResult<(NewActivityInput, Vec<Upload>)> {
    if !crate::files::is_multipart(&req) {
        let ApiJson(input) = ApiJson::<NewActivityInput>::from_request(req, state).await?;
        return Ok((input, Vec::new()));
    }
    let form = crate::files::read_multipart(req, state).await?;
    let mut input = NewActivityInput::default();
    for (name, data) in &form.parts {
        let text = crate::files::decode(name, data)?;
        let id = |t: &str| -> AppResult<Option<i64>> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse()
                .map(Some)
                .map_err(|_| AppError::field(name, Msg::new("error.wrong_type")))
        };
        match name.as_str() {
            "org_code" => input.org_code = text,
            "kind" => input.kind = text,
            "date" => input.date = text,
            "title" => input.title = text,
            "led_by_position" => input.led_by_position = id(&text)?,
            "led_by_person" => input.led_by_person = id(&text)?,
            "participants" => input.participants = text,
            "topics" => input.topics = text,
            "places" => input.places = text,
            "findings" => input.findings = text,
            _ => {}
        }
    }
    Ok((input, form.files))
}

/// 履职记录: record an activity of one's own organisation (the committee office: of any
/// organisation in scope). A standing-committee meeting is copied (抄报) to the upper office.
/// JSON, or multipart with evidence `files` (type checked by content, size limited).
#[utoipa::path(post, path = "/api/v1/activities", tag = "duties", request_body = NewActivityInput,
    responses((status = 201, description = "{\"id\": n, \"entered_late\": bool}"), (status = 401), (status = 403, description = "another organisation's record"),
              (status = 404, description = "organisation unknown or out of scope"), (status = 409, description = "duplicate"), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    req: Request,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (input, files) = read_activity(req, &state).await?;
    let id = service::create_activity(&state, &actor, &input, files).await?;
    let (a, deliveries, evidence) = service::get_activity(&state, &actor, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": id, "entered_late": a.entered_late, "activity": a, "deliveries": deliveries, "evidence": evidence,
        })),
    ))
}

/// Activities in scope, newest first. Filters: `org` (code), `kind`, `from`, `to` (dates).
#[utoipa::path(get, path = "/api/v1/activities", tag = "duties",
    params(("org" = Option<String>, Query), ("kind" = Option<String>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [Activity]}"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<ActivityFilter>,
) -> AppResult<Json<Value>> {
    let items = service::list_activities(&state, &actor, &f).await?;
    Ok(Json(json!({"items": items})))
}

/// One activity with its 抄报 deliveries (which office received the minutes, and when).
#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "duties", params(("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    let (a, deliveries, evidence) = service::get_activity(&state, &actor, id).await?;
    Ok(Json(
        json!({"activity": a, "deliveries": deliveries, "evidence": evidence}),
    ))
}

/// Compliance per holder × rule for `period` (`2026`, `2026Q3`, `2026-09`, `2026M09-10`) in
/// organisation `org` (default: one's own; the office without `org`: every organisation in
/// scope). `status` is met, due (time left) or missed.
#[utoipa::path(get, path = "/api/v1/duties/compliance", tag = "duties",
    params(("period" = String, Query), ("org" = Option<String>, Query)),
    responses((status = 200, description = "{\"period\": code, \"items\": [ComplianceItem]}"), (status = 401), (status = 404), (status = 422)))]
pub async fn compliance(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<ComplianceQuery>,
) -> AppResult<Json<Value>> {
    let (period, items) =
        service::compliance(&state, &actor, q.period.as_deref(), q.org.as_deref()).await?;
    Ok(Json(json!({"period": period.code(), "items": items})))
}

/// 重点敏感时期 (committee office): a window and the rules tightened inside it,
/// `{"name", "start", "end", "rules": [{"rule", "period", "min_count"}]}`.
#[utoipa::path(post, path = "/api/v1/duties/sensitive-periods", tag = "duties", request_body = SensitiveInput,
    responses((status = 201, description = "{\"id\": n}"), (status = 401), (status = 403), (status = 422)))]
pub async fn create_sensitive(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<SensitiveInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let id = service::create_sensitive(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// An evidence file of an activity the actor may see.
#[utoipa::path(get, path = "/api/v1/activity-evidence/{id}", tag = "duties", params(("id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 401), (status = 404)))]
pub async fn evidence(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (name, mime, bytes) = service::evidence_file(&state, &actor, id).await?;
    crate::files::download_response(&name, &mime, bytes)
}

/// The committee office accepts a late record with a reason (`{"reason"}`); it then counts
/// for its period.
#[utoipa::path(post, path = "/api/v1/activities/{id}/accept-late", tag = "duties", params(("id" = i64, Path)), request_body = AcceptLateInput,
    responses((status = 200), (status = 403, description = "not the committee office"), (status = 404), (status = 409, description = "not late, or already accepted"), (status = 422)))]
pub async fn accept_late(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AcceptLateInput>,
) -> AppResult<Json<Value>> {
    let a = service::accept_late(&state, &actor, id, &input).await?;
    Ok(Json(json!({"activity": a})))
}
