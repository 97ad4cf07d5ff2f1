//! What a verified report produced (举报核查结果的关联): hazards registered from it and the
//! inspections that checked it, so a verified report becomes a hazard without being retyped.
//!
//! A link is a `kind` and the target's id; each target is checked against the caller's scope
//! through its own capability's service (out of scope: 404, as if missing). The table takes
//! any kind: the suspected-concealment accident case (`concealment_case`) is one more arm of
//! [`Kind`], opened from the report through the concealment service.

use anwei_rules::report::Finding;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::accidents::concealment::model::ConcealmentCaseInput;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::hazards::model::NewHazardInput;
use crate::i18n::Msg;
use crate::ids::{HazardId, InspectionId, ReportId};
use crate::on_tx;
use crate::reports::service::SUBJECT;
use crate::state::AppState;
use crate::web::extract::ApiJson;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/{id}/links", post(link))
        .route("/api/v1/reports/{id}/hazard", post(hazard))
        .route(
            "/api/v1/reports/{id}/concealment-case",
            post(concealment_case),
        )
}

/// The kinds of object a report links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hazard,
    Inspection,
    /// A suspected concealment case (疑似瞒报案件) opened from the report.
    Concealment,
    /// 行政处罚: an accountability outcome that carries a fine (the reward's basis).
    Penalty,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "hazard" => Some(Kind::Hazard),
            "inspection" => Some(Kind::Inspection),
            "concealment_case" => Some(Kind::Concealment),
            "penalty" => Some(Kind::Penalty),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Kind::Hazard => "hazard",
            Kind::Inspection => "inspection",
            Kind::Concealment => "concealment_case",
            Kind::Penalty => "penalty",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct LinkRow {
    pub kind: String,
    pub target_id: i64,
    pub created_at: i64,
}

/// `POST /api/v1/reports/{id}/links`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LinkInput {
    /// `hazard`, `inspection`, `concealment_case` or `penalty` (an accountability outcome with
    /// a fine).
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub id: i64,
}

fn target(sid: &str) -> Target<'_> {
    Target {
        kind: SUBJECT,
        id: sid,
    }
}

async fn insert(tx: &mut Tx, id: ReportId, kind: &str, to: i64, by: i64) -> AppResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO report_link (report_id, kind, target_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id, kind, target_id) DO NOTHING"
    )
    .bind(id)
    .bind(kind)
    .bind(to)
    .bind(by)
    .bind(now_ms())
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The links of a report, oldest first.
pub async fn of_report(act: &mut Act<'_>, id: ReportId) -> AppResult<Vec<LinkRow>> {
    Ok(on_tx!(act.tx(), |c| sqlx::query_as(
        "SELECT kind, target_id, created_at FROM report_link WHERE report_id = $1 ORDER BY id"
    )
    .bind(id)
    .fetch_all(c)
    .await)?)
}

/// The report, loaded for a link: verifiable by the caller and verified true or partly true.
async fn verified(act: &mut Act<'_>, id: ReportId, action: &'static str) -> AppResult<()> {
    let sid = id.to_string();
    act.require(Perm::ReportVerify, action, target(&sid))
        .await?;
    let r = super::service::load(act, id, action).await?;
    match r.finding() {
        Some(Finding::True | Finding::Partly) => Ok(()),
        _ => Err(AppError::Conflict(Msg::new("rewards.not_verified"))),
    }
}

/// Links report `id` to an existing hazard or inspection the caller sees (else 404).
pub async fn add(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &LinkInput,
) -> AppResult<Vec<LinkRow>> {
    const ACTION: &str = "report.link";
    let Some(kind) = Kind::parse(input.kind.trim()) else {
        return Err(AppError::field(
            "kind",
            Msg::new("reports.link_kind_unknown"),
        ));
    };
    if kind == Kind::Inspection {
        // The inspection's own use case decides whether the caller sees it (404 otherwise).
        crate::inspections::service::get(state, actor, InspectionId(input.id)).await?;
    }
    let mut act = Act::begin(state, actor).await?;
    verified(&mut act, id, ACTION).await?;
    if kind == Kind::Hazard {
        crate::hazards::service::visible(&mut act, HazardId(input.id), ACTION).await?;
    }
    if kind == Kind::Concealment {
        crate::accidents::concealment::service::visible(&mut act, input.id, ACTION).await?;
    }
    if kind == Kind::Penalty {
        let outcome = crate::ids::AccountabilityId(input.id);
        let fine =
            crate::accidents::accountability::service::fine_of(&mut act, outcome, ACTION).await?;
        if fine.is_none() {
            return Err(AppError::field(
                "id",
                Msg::new("report_handling.penalty_without_fine"),
            ));
        }
    }
    insert(act.tx(), id, kind.code(), input.id, actor.account_id.0).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({"kind": kind.code(), "id": input.id})))
        .await?;
    let links = of_report(&mut act, id).await?;
    act.commit().await?;
    Ok(links)
}

/// Registers a hazard from verified report `id` through the hazards service — description and
/// location prefilled from the report when absent or blank; the enterprise must be given — and
/// links it, in one transaction: `input` is the body of `POST /api/v1/hazards` as sent.
pub async fn from_report(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    mut input: Value,
) -> AppResult<crate::hazards::model::HazardRow> {
    const ACTION: &str = "report.hazard";
    let r = {
        let mut act = Act::read(state, actor).await?;
        verified(&mut act, id, ACTION).await?;
        super::service::load(&mut act, id, ACTION).await?
    };
    let Some(fields) = input.as_object_mut() else {
        return Err(AppError::field("body", Msg::new("error.required")));
    };
    let blank = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
    };
    if blank(fields.get("description")) {
        let d: String = r.description.chars().take(2000).collect();
        fields.insert("description".into(), Value::from(d));
    }
    if blank(fields.get("location")) {
        fields.insert("location".into(), Value::from(r.address.clone()));
    }
    // The source is the report's (`public_report`), set by the hazards' door, never the body's.
    fields.remove("source");
    let input: NewHazardInput = crate::web::extract::parse_json(
        &serde_json::to_vec(&input)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("a hazard body: {e}")))?,
    )?;
    let mut act = Act::begin(state, actor).await?;
    verified(&mut act, id, ACTION).await?;
    let h = crate::hazards::service::create_in(&mut act, &input).await?;
    insert(
        act.tx(),
        id,
        Kind::Hazard.code(),
        h.id.0,
        actor.account_id.0,
    )
    .await?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({"hazard": h.id})))
        .await?;
    act.commit().await?;
    Ok(h)
}

/// Opens a suspected concealment case (疑似瞒报案件) from verified report `id`, which must allege
/// a concealed or falsely reported accident (409 otherwise), through the concealment service,
/// and links the two in one transaction. `input` is the body of `POST /api/v1/concealment-cases`;
/// the source is `public_report`, and the territory, unit and description default to the
/// report's.
pub async fn concealment_from_report(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    mut input: ConcealmentCaseInput,
) -> AppResult<crate::accidents::concealment::model::CaseRow> {
    const ACTION: &str = "report.concealment_case";
    let mut act = Act::begin(state, actor).await?;
    verified(&mut act, id, ACTION).await?;
    let r = super::service::load(&mut act, id, ACTION).await?;
    if r.category != anwei_rules::report::Category::Concealment {
        return Err(AppError::Conflict(Msg::new(
            "concealment.not_concealment_report",
        )));
    }
    let kind = Kind::Concealment.code();
    if of_report(&mut act, id)
        .await?
        .iter()
        .any(|l| l.kind == kind)
    {
        return Err(AppError::Conflict(Msg::new("concealment.report_has_case")));
    }
    input.source = "public_report".into();
    if input.source_note.trim().is_empty() {
        input.source_note = format!("举报 {id}");
    }
    if input.region_code.trim().is_empty() && input.accident_id.is_none() {
        input.region_code = r.region_code.clone();
    }
    if input.unit_name.trim().is_empty() && input.enterprise_id.is_none() {
        input.unit_name = r.unit_name.chars().take(200).collect();
    }
    if input.description.trim().is_empty() {
        input.description = r.description.chars().take(4000).collect();
    }
    let c = crate::accidents::concealment::service::open_in(&mut act, &input, Some(id)).await?;
    insert(act.tx(), id, kind, c.id, actor.account_id.0).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({"concealment_case": c.id})))
        .await?;
    act.commit().await?;
    Ok(c)
}

/// Opens a suspected concealment case from a verified report alleging a concealed accident
/// (fields as `POST /api/v1/concealment-cases`; source, territory, unit and description default
/// to the report's) and links it.
#[utoipa::path(post, path = "/api/v1/reports/{id}/concealment-case", tag = "reports", params(("id" = i64, Path)),
    request_body = ConcealmentCaseInput,
    responses((status = 201, body = crate::accidents::concealment::views::ConcealmentCaseView), (status = 403), (status = 404),
              (status = 409, description = "the report is not verified, or alleges no concealed accident"), (status = 422)))]
pub async fn concealment_case(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<ConcealmentCaseInput>,
) -> AppResult<(
    StatusCode,
    Json<crate::accidents::concealment::views::ConcealmentCaseView>,
)> {
    let c = concealment_from_report(&state, &actor, id, input).await?;
    let may = crate::accidents::concealment::service::supervises(&actor, &c);
    Ok((StatusCode::CREATED, Json(c.view(may))))
}

/// Links a verified report to a hazard or inspection in the caller's scope.
#[utoipa::path(post, path = "/api/v1/reports/{id}/links", tag = "reports", params(("id" = i64, Path)),
    request_body = LinkInput,
    responses((status = 200, description = "{\"links\": [LinkRow]}"), (status = 403),
              (status = 404, description = "the report or the target is missing or out of scope"),
              (status = 409, description = "the report is not verified true or partly true"), (status = 422)))]
pub async fn link(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<LinkInput>,
) -> AppResult<Json<Value>> {
    let links = add(&state, &actor, id, &input).await?;
    Ok(Json(json!({ "links": links })))
}

/// Registers a hazard from a verified report (fields as `POST /api/v1/hazards`; description
/// and location default to the report's) and links it.
#[utoipa::path(post, path = "/api/v1/reports/{id}/hazard", tag = "reports", params(("id" = i64, Path)),
    request_body = NewHazardInput,
    responses((status = 201, description = "the hazard"), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn hazard(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<ReportId>,
    ApiJson(input): ApiJson<Value>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let h = from_report(&state, &actor, id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": h.id, "enterprise_id": h.enterprise_id})),
    ))
}

/// The fine, in yuan, of the penalties (行政处罚) report `id` is linked to, summed; `None` when
/// it has none with a fine: the reward's basis when the proposal leaves `fine_yuan` out.
pub async fn linked_fine_yuan(act: &mut Act<'_>, id: ReportId) -> AppResult<Option<i64>> {
    let mut total: Option<i64> = None;
    for l in of_report(act, id).await? {
        if l.kind != Kind::Penalty.code() {
            continue;
        }
        let outcome = crate::ids::AccountabilityId(l.target_id);
        if let Some(f) =
            crate::accidents::accountability::service::linked_fine(act, outcome).await?
        {
            total = Some(total.unwrap_or(0).saturating_add(f));
        }
    }
    Ok(total)
}
