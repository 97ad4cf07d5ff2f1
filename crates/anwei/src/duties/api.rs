//! JSON handlers of recurring duties.

use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::model::{
    AcceptLateInput, ActivityFilter, ActivityPatch, ComplianceQuery, NewActivityInput, RuleInput,
    SensitiveInput,
};
use super::service::{self, Upload};
use super::views::{self, HeatQuery};
use crate::audit;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{ActivityId, FileId, PeriodId, PersonId};
use crate::state::AppState;
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
        fn id<T: std::str::FromStr>(name: &str, t: &str) -> AppResult<Option<T>> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse()
                .map(Some)
                .map_err(|_| AppError::field(name, Msg::new("error.wrong_type")))
        }
        match name.as_str() {
            "org_code" => input.org_code = text,
            "kind" => input.kind = text,
            "date" => input.date = text,
            "title" => input.title = text,
            "led_by_position" => input.led_by_position = id(name, &text)?,
            "led_by_person" => input.led_by_person = id(name, &text)?,
            "participants" => input.participants = text,
            "topics" => input.topics = text,
            "places" => input.places = text,
            "findings" => input.findings = text,
            "area_code" => input.area_code = text,
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

/// Activities in scope, newest first. Filters: `org` (code), `kind`, `from`, `to` (dates),
/// `limit` (1–1,000, default 1,000).
#[utoipa::path(get, path = "/api/v1/activities", tag = "duties",
    params(("org" = Option<String>, Query), ("kind" = Option<String>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query), ("limit" = Option<i64>, Query)),
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
    Path(id): Path<ActivityId>,
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
    responses((status = 201, description = "{\"id\": n}"), (status = 401), (status = 403, description = "not the city's committee office"), (status = 422)))]
pub async fn create_sensitive(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<SensitiveInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let id = super::sensitive::create_sensitive(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// An evidence file of an activity the actor may see.
#[utoipa::path(get, path = "/api/v1/activity-evidence/{id}", tag = "duties", params(("id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 401), (status = 404)))]
pub async fn evidence(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<FileId>,
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
    Path(id): Path<ActivityId>,
    ApiJson(input): ApiJson<AcceptLateInput>,
) -> AppResult<Json<Value>> {
    let a = service::accept_late(&state, &actor, id, &input).await?;
    Ok(Json(json!({"activity": a})))
}

/// Corrects a record (`{"title"?, "date"?, "kind"?, "led_by_position"?, …, "reason"}`): its
/// author within `duties.correction_hours` of entering it, afterwards only the committee
/// office, with a reason. Audited with the record before and after.
#[utoipa::path(patch, path = "/api/v1/activities/{id}", tag = "duties", params(("id" = i64, Path)), request_body = ActivityPatch,
    responses((status = 200), (status = 403, description = "not the author within the window, nor the office"), (status = 404), (status = 409, description = "duplicate"), (status = 422)))]
pub async fn correct(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ActivityId>,
    ApiJson(patch): ApiJson<ActivityPatch>,
) -> AppResult<Json<Value>> {
    let a = service::correct_activity(&state, &actor, id, &patch).await?;
    Ok(Json(json!({"activity": a})))
}

/// Attaches more evidence files (multipart `files`) to a record.
#[utoipa::path(post, path = "/api/v1/activities/{id}/evidence", tag = "duties", params(("id" = i64, Path)),
    responses((status = 201, description = "{\"evidence\": [file]}"), (status = 403), (status = 404), (status = 422)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ActivityId>,
    req: Request,
) -> AppResult<(StatusCode, Json<Value>)> {
    if !crate::files::is_multipart(&req) {
        return Err(AppError::field("files", Msg::new("duties.files_required")));
    }
    let form = crate::files::read_multipart(req, &state).await?;
    let evidence = service::add_evidence(&state, &actor, id, form.files).await?;
    Ok((StatusCode::CREATED, Json(json!({"evidence": evidence}))))
}

/// The duty rules, built-in and added, active or not.
#[utoipa::path(get, path = "/api/v1/duties/rules", tag = "duties",
    responses((status = 200, description = "{\"items\": [RuleRow]}"), (status = 401)))]
pub async fn rules(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    let items = super::rules::list(&state, &actor).await?;
    Ok(Json(json!({"items": items})))
}

/// Adds a duty rule (the city committee office).
#[utoipa::path(post, path = "/api/v1/duties/rules", tag = "duties", request_body = RuleInput,
    responses((status = 201), (status = 403), (status = 409, description = "code taken"), (status = 422)))]
pub async fn create_rule(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<RuleInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let rule = super::rules::create(&state, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({"rule": rule}))))
}

/// Edits a duty rule's terms (the city committee office); the holder is fixed.
#[utoipa::path(put, path = "/api/v1/duties/rules/{code}", tag = "duties", params(("code" = String, Path)), request_body = RuleInput,
    responses((status = 200), (status = 403), (status = 404), (status = 422)))]
pub async fn update_rule(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RuleInput>,
) -> AppResult<Json<Value>> {
    let rule = super::rules::update(&state, &actor, &code, &input).await?;
    Ok(Json(json!({"rule": rule})))
}

/// The heat map: per organisation and quarter of `year`, how many duty windows ending in that
/// quarter are met, due and missed (optionally for one `rule`, organisation `kind` or
/// `region`).
#[utoipa::path(get, path = "/api/v1/duties/heatmap", tag = "duties",
    params(("year" = Option<i32>, Query), ("rule" = Option<String>, Query), ("kind" = Option<String>, Query), ("region" = Option<String>, Query)),
    responses((status = 200, body = views::HeatMap), (status = 401), (status = 422)))]
pub async fn heatmap(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<HeatQuery>,
) -> AppResult<Json<views::HeatMap>> {
    Ok(Json(views::heatmap(&state, &actor, &q).await?))
}

/// Holders at risk of missing a window open today (short, fewer than
/// `duties.at_risk_days` days left), optionally for one `rule`, organisation `kind` or
/// `region`.
#[utoipa::path(get, path = "/api/v1/duties/at-risk", tag = "duties",
    params(("rule" = Option<String>, Query), ("kind" = Option<String>, Query), ("region" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [AtRiskItem]}"), (status = 401), (status = 422)))]
pub async fn at_risk(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<HeatQuery>,
) -> AppResult<Json<Value>> {
    let items = views::at_risk(&state, &actor, &q).await?;
    Ok(Json(json!({"items": items})))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
}

/// A person's duties across the positions they held in `year`.
#[utoipa::path(get, path = "/api/v1/duties/scorecard/{person}", tag = "duties", params(("person" = i64, Path), ("year" = Option<i32>, Query)),
    responses((status = 200, body = views::Scorecard), (status = 401), (status = 404), (status = 422)))]
pub async fn scorecard(
    State(state): State<AppState>,
    actor: Actor,
    Path(person): Path<PersonId>,
    Q(q): Q<YearQuery>,
) -> AppResult<Json<views::Scorecard>> {
    Ok(Json(
        views::scorecard(&state, &actor, person, q.year.as_deref()).await?,
    ))
}

/// The compliance table as xlsx, for the annual assessment (same parameters as
/// `/api/v1/duties/compliance`).
#[utoipa::path(get, path = "/api/v1/duties/compliance.xlsx", tag = "duties",
    params(("period" = String, Query), ("org" = Option<String>, Query)),
    responses((status = 200, description = "xlsx workbook (attachment)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401), (status = 404), (status = 422)))]
pub async fn export(
    State(state): State<AppState>,
    ctx: crate::web::ctx::RequestCtx,
    actor: Actor,
    Q(q): Q<ComplianceQuery>,
) -> AppResult<Response> {
    export_response(&state, &actor, ctx.lang, &q).await
}

pub async fn export_response(
    state: &AppState,
    actor: &Actor,
    lang: crate::i18n::Lang,
    q: &ComplianceQuery,
) -> AppResult<Response> {
    let (period, items) =
        service::compliance(state, actor, q.period.as_deref(), q.org.as_deref()).await?;
    let rules = super::rules::defs(state).await?;
    let bytes =
        tokio::task::spawn_blocking(move || views::compliance_xlsx(&items, &rules, period, lang))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx task: {e}")))??;
    audit::record_alone(
        state,
        &actor.who(),
        audit::Event::ok("duties.export", "period", period.code()).detail(json!({"org": q.org})),
    )
    .await?;
    let name = format!(
        "{}-{}.xlsx",
        crate::i18n::t(lang, "duties.export_file"),
        period.code()
    );
    crate::supervision::ledger::xlsx_download(
        bytes,
        &name,
        &format!("duties-{}.xlsx", period.code()),
    )
}

/// The minutes copied (抄报) to the caller's committee office, newest first: which arrived, from
/// whom, and when.
#[utoipa::path(get, path = "/api/v1/duties/minutes-received", tag = "duties",
    responses((status = 200, description = "{\"items\": [{activity_id, org_code, org_name, title, date, delivered_at}]}"), (status = 401)))]
pub async fn minutes_received(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<Json<Value>> {
    let items = service::received_minutes(&state, &actor).await?;
    Ok(Json(json!({"items": items})))
}

/// The sensitive periods declared, the latest first.
#[utoipa::path(get, path = "/api/v1/duties/sensitive-periods", tag = "duties",
    responses((status = 200, description = "{\"items\": [{id, name, start_date, end_date, tightenings, withdrawn, withdraw_reason}]}"), (status = 401)))]
pub async fn list_sensitive(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    let items: Vec<Value> = super::sensitive::sensitive_list(&state, &actor)
        .await?
        .into_iter()
        .map(|r| {
            let t: Value = serde_json::from_str(&r.tightenings).unwrap_or(Value::Null);
            json!({"id": r.id, "name": r.name, "start_date": r.start_date, "end_date": r.end_date, "tightenings": t,
                "withdrawn": r.withdrawn_at.is_some(), "withdraw_reason": r.withdraw_reason})
        })
        .collect();
    Ok(Json(json!({"items": items})))
}

/// Ends a sensitive period early (city office): `{"reason", "end"?}`; `end` defaults to
/// today and may not lie before today or after the current end.
#[utoipa::path(post, path = "/api/v1/duties/sensitive-periods/{id}/end", tag = "duties", params(("id" = i64, Path)),
    request_body = super::sensitive::ChangeInput,
    responses((status = 200), (status = 401), (status = 403, description = "not the city's committee office"), (status = 404), (status = 409, description = "withdrawn or already over"), (status = 422)))]
pub async fn end_sensitive(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PeriodId>,
    ApiJson(input): ApiJson<super::sensitive::ChangeInput>,
) -> AppResult<Json<Value>> {
    super::sensitive::end(&state, &actor, id, &input).await?;
    Ok(Json(json!({"ok": true})))
}

/// Withdraws a sensitive period declared by mistake (city office): `{"reason"}`. It then
/// tightens nothing, in any period; the record is kept.
#[utoipa::path(post, path = "/api/v1/duties/sensitive-periods/{id}/withdraw", tag = "duties", params(("id" = i64, Path)),
    request_body = super::sensitive::ChangeInput,
    responses((status = 200), (status = 401), (status = 403, description = "not the city's committee office"), (status = 404), (status = 409, description = "already withdrawn"), (status = 422)))]
pub async fn withdraw_sensitive(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PeriodId>,
    ApiJson(input): ApiJson<super::sensitive::ChangeInput>,
) -> AppResult<Json<Value>> {
    super::sensitive::withdraw(&state, &actor, id, &input).await?;
    Ok(Json(json!({"ok": true})))
}
