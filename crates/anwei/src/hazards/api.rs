//! JSON handlers of hazards.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::model::{
    DecisionInput, HazardFilter, HazardView, NewHazardInput, RectificationInput, ReopenInput,
};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::{FileId, HazardId};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Q};

/// 隐患登记: JSON, or multipart with the same fields and photos as `files` (images only).
#[utoipa::path(post, path = "/api/v1/hazards", tag = "hazards", request_body = NewHazardInput,
    responses((status = 201, body = HazardView), (status = 403, description = "may not register hazards"),
              (status = 404, description = "no such enterprise in the caller's scope"),
              (status = 422, description = "a field is wrong: a major hazard without a criterion, a deadline before it was found, a photo that is not an image …")))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    req: Request,
) -> AppResult<(StatusCode, Json<HazardView>)> {
    let (input, photos) = crate::files::read_form::<NewHazardInput>(req, &state).await?;
    let h = service::create(&state, &actor, &input, photos).await?;
    Ok((StatusCode::CREATED, Json(h.view(crate::time::today()))))
}

/// Hazards in scope, the nearest deadline first. Filters: `grade` (general|major), `status`
/// (registered|rectifying|submitted|closed), `region` (GB/T 2260 code), `industry` (`C` or
/// `C26`), `enterprise` (id), `overdue` (true: past the deadline and not closed), `page`,
/// `per_page`; `flag=treat_as_accident`: only the major hazards an earlier campaign inspection
/// missed (article 十七); `source` (`inspection`, `self_check`, `public_report`, …): only
/// those of that source.
#[utoipa::path(get, path = "/api/v1/hazards", tag = "hazards",
    params(("grade" = Option<String>, Query), ("flag" = Option<String>, Query), ("status" = Option<String>, Query), ("region" = Option<String>, Query),
           ("industry" = Option<String>, Query), ("enterprise" = Option<i64>, Query), ("overdue" = Option<String>, Query),
           ("source" = Option<String>, Query),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, description = "{\"items\": [HazardView], \"total\", \"page\", \"per_page\"}"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<HazardFilter>,
) -> AppResult<Json<Value>> {
    let p = service::list(&state, &actor, &f).await?;
    let today = crate::time::today();
    let items: Vec<HazardView> = p.items.iter().map(|h| h.view(today)).collect();
    Ok(Json(
        json!({"items": items, "total": p.total, "page": p.page, "per_page": p.per_page}),
    ))
}

/// One hazard with its photos, its rectifications (each with its decision) and their files;
/// for the office and the discipline role, `unlisted_by`: the earlier campaign inspection that
/// missed a major hazard flagged `treat_as_accident` (its date and inspectors).
#[utoipa::path(get, path = "/api/v1/hazards/{id}", tag = "hazards", params(("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
) -> AppResult<Json<Value>> {
    let d = service::get(&state, &actor, id).await?;
    Ok(Json(json!({
        "hazard": d.hazard.view(crate::time::today()), "photos": d.photos,
        "rectifications": d.rectifications, "files": d.files,
        "can_submit": d.can_submit, "can_review": d.can_review, "can_reopen": d.can_reopen,
        "unlisted_by": d.unlisted_by,
    })))
}

/// 整改报验: JSON `{"note"}`, or multipart `note` and `files` (after-photos, evidence).
#[utoipa::path(post, path = "/api/v1/hazards/{id}/submit", tag = "hazards", params(("id" = i64, Path)), request_body = RectificationInput,
    responses((status = 200, body = HazardView), (status = 403, description = "not the enterprise nor an inspector in scope"), (status = 404),
              (status = 409, description = "waiting for acceptance, or closed"), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
    req: Request,
) -> AppResult<Json<HazardView>> {
    let (input, files) = crate::files::read_form::<RectificationInput>(req, &state).await?;
    let h = service::submit(&state, &actor, id, &input, files).await?;
    Ok(Json(h.view(crate::time::today())))
}

/// A reviewer's words on an acceptance (`note` is taken for `comment`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CommentInput {
    #[serde(default, alias = "note")]
    pub comment: String,
}

/// Why a rectification is returned (`note` is taken for `comment`): required.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReturnInput {
    #[serde(alias = "note")]
    pub comment: String,
}

async fn decide(
    state: &AppState,
    actor: &Actor,
    id: HazardId,
    decision: &str,
    c: CommentInput,
) -> AppResult<Json<HazardView>> {
    let input = DecisionInput {
        decision: decision.to_string(),
        comment: c.comment,
    };
    let h = service::review(state, actor, id, &input).await?;
    Ok(Json(h.view(crate::time::today())))
}

/// 验收销号: accepts the waiting rectification and closes the hazard.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/accept", tag = "hazards", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 200, body = HazardView), (status = 403, description = "the reporter, the submitter, the enterprise, or a role that does not accept"),
              (status = 404), (status = 409, description = "nothing waiting for acceptance"), (status = 422)))]
pub async fn accept(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
    ApiJson(c): ApiJson<CommentInput>,
) -> AppResult<Json<HazardView>> {
    decide(&state, &actor, id, "accept", c).await
}

/// 退回: returns the waiting rectification with a comment; the hazard is rectifying again.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/return", tag = "hazards", params(("id" = i64, Path)), request_body = ReturnInput,
    responses((status = 200, body = HazardView), (status = 403, description = "the reporter, the submitter, the enterprise, or a role that does not accept"),
              (status = 404), (status = 409, description = "nothing waiting for acceptance"), (status = 422, description = "a comment is required")))]
pub async fn return_(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
    ApiJson(c): ApiJson<ReturnInput>,
) -> AppResult<Json<HazardView>> {
    let c = CommentInput { comment: c.comment };
    decide(&state, &actor, id, "return", c).await
}

/// The committee office reopens a closed hazard with a reason.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/reopen", tag = "hazards", params(("id" = i64, Path)), request_body = ReopenInput,
    responses((status = 200, body = HazardView), (status = 403, description = "only the committee office reopens"), (status = 404),
              (status = 409, description = "not closed"), (status = 422, description = "a reason is required")))]
pub async fn reopen(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<HazardId>,
    ApiJson(input): ApiJson<ReopenInput>,
) -> AppResult<Json<HazardView>> {
    let h = service::reopen(&state, &actor, id, &input).await?;
    Ok(Json(h.view(crate::time::today())))
}

/// A photo of the finding or a file of a rectification: always a download.
#[utoipa::path(get, path = "/api/v1/hazard-files/{id}", tag = "hazards", params(("id" = i64, Path)),
    responses((status = 200, description = "the file (attachment)", content_type = "application/octet-stream"), (status = 401), (status = 403), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<FileId>,
) -> AppResult<Response> {
    let (name, mime, bytes) = service::file(&state, &actor, id).await?;
    crate::files::download_response(&name, &mime, bytes)
}

/// The built-in 重大事故隐患判定标准: each criterion with its standard and source.
#[utoipa::path(get, path = "/api/v1/hazards/criteria", tag = "hazards",
    responses((status = 200, description = "{\"standards\": [...], \"criteria\": [...]}"), (status = 401)))]
pub async fn criteria(_actor: Actor) -> Json<Value> {
    let standards: Vec<Value> = anwei_rules::hazard::standards()
        .iter()
        .map(|s| {
            json!({"code": s.code, "title": s.title_zh, "document_no": s.document_no,
                        "in_force_from": s.in_force_from, "source_note": s.source_note})
        })
        .collect();
    let criteria: Vec<Value> = anwei_rules::hazard::criteria()
        .iter()
        .map(|c| {
            json!({"code": c.code, "standard": c.standard, "item": c.item,
                        "text": c.text_zh, "verified": c.verified})
        })
        .collect();
    Json(json!({"standards": standards, "criteria": criteria}))
}
