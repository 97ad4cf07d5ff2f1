//! HTML and JSON handlers of people and positions.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{
    AssignInput, HoldingRow, NewPersonInput, NewPositionInput, PersonRow, PositionRow, parse_date,
};
use super::service;
use crate::act::Act;
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::ids::{PersonId, PositionId};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{ApiJson, Q, WebForm};
use crate::web::page::{FieldErrors, Pager, render};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub q: Option<String>,
}

#[derive(Template)]
#[template(path = "people/index.html")]
pub struct PeoplePage {
    pub b: Base,
    pub positions: Vec<PositionRow>,
    pub persons: Vec<PersonRow>,
    pub pager: Pager,
    pub kind: String,
    pub kinds: Vec<(String, String)>,
    pub can_manage: bool,
    pub errors: FieldErrors,
}

async fn index_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    q: PeopleQuery,
    errors: FieldErrors,
) -> AppResult<Response> {
    let page = q.page.unwrap_or(1).max(1);
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    let (positions, total) =
        service::positions(state, actor, kind.as_deref(), page, PER_PAGE).await?;
    let persons = service::persons(state, actor, q.q.as_deref().filter(|s| !s.is_empty())).await?;
    let b = Base::new(state, ctx, Some(actor), "people.title");
    let kinds = super::model::POSITION_KINDS
        .iter()
        .map(|k| (k.to_string(), b.t.t(&format!("position.kind.{k}"))))
        .collect();
    let base_query = kind
        .as_ref()
        .map(|k| format!("kind={k}"))
        .unwrap_or_default();
    render(&PeoplePage {
        positions,
        persons,
        pager: Pager {
            page,
            per_page: PER_PAGE,
            total,
            base_query,
        },
        kind: kind.unwrap_or_default(),
        kinds,
        can_manage: actor.can(Perm::PeopleManage),
        errors,
        b,
    })
}

pub async fn index(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<PeopleQuery>,
) -> AppResult<Response> {
    index_render(&state, &ctx, &actor, q, FieldErrors::default()).await
}

pub async fn create_person(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(f): WebForm<NewPersonInput>,
) -> AppResult<Response> {
    let created = async {
        let mut act = Act::begin(&state, &actor).await?;
        let id = service::create_person(&mut act, f.org_code.as_deref(), &f.name, &f.note).await?;
        act.commit().await?;
        Ok::<_, crate::error::AppError>(id)
    }
    .await;
    match created {
        Ok(_) => Ok(Redirect::to("/people").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let mut r =
                    index_render(&state, &ctx, &actor, PeopleQuery::default(), errors).await?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}

pub async fn create_position(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
    WebForm(f): WebForm<NewPositionInput>,
) -> AppResult<Response> {
    let r = match f.parse() {
        Ok(cmd) => {
            async {
                let mut act = Act::begin(&state, &actor).await?;
                let id = service::create_position(&mut act, &code, cmd).await?;
                act.commit().await?;
                Ok(id)
            }
            .await
        }
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{code}")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let mut r =
                    crate::orgs::pages::detail_render(&state, &ctx, &actor, &code, errors).await?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}

#[derive(Template)]
#[template(path = "people/position.html")]
pub struct PositionPage {
    pub b: Base,
    pub p: PositionRow,
    pub holdings: Vec<HoldingRow>,
    pub can_manage: bool,
    pub today: String,
}

pub async fn position(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<PositionId>,
) -> AppResult<Response> {
    let (p, holdings) = service::position(&state, &actor, id).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "position.title")
        .with_title(format!("{} · {}", p.org_name, p.title));
    render(&PositionPage {
        b,
        p,
        holdings,
        can_manage: actor.can(Perm::PeopleManage),
        today: crate::time::today().to_string(),
    })
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub back: String,
}

pub async fn assign(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PositionId>,
    WebForm(f): WebForm<AssignForm>,
) -> AppResult<Response> {
    let person_id: PersonId = f.person_id.trim().parse().map_err(|_| {
        crate::error::AppError::field("person_id", crate::i18n::Msg::new("person.unknown"))
    })?;
    let start = parse_date("start_date", Some(&f.start_date))?;
    let mut act = Act::begin(&state, &actor).await?;
    service::assign(&mut act, id, person_id, start).await?;
    act.commit().await?;
    Ok(Redirect::to(&crate::auth::pages::safe_next(Some(&f.back))).into_response())
}

#[derive(Deserialize)]
pub struct VacateForm {
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub back: String,
}

pub async fn vacate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PositionId>,
    WebForm(f): WebForm<VacateForm>,
) -> AppResult<Response> {
    let end = parse_date("end_date", Some(&f.end_date))?;
    let mut act = Act::begin(&state, &actor).await?;
    service::vacate(&mut act, id, end).await?;
    act.commit().await?;
    Ok(Redirect::to(&crate::auth::pages::safe_next(Some(&f.back))).into_response())
}

// --- API ------------------------------------------------------------------------------

/// Positions of an organisation with their current holders.
#[utoipa::path(get, path = "/api/v1/orgs/{code}/positions", tag = "people", params(("code" = String, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn api_positions(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let items = service::positions_of_org(&state, &actor, &code).await?;
    Ok(Json(json!({"items": items})))
}

/// One position with its holders over time (duties stay with the position).
#[utoipa::path(get, path = "/api/v1/positions/{id}", tag = "people", params(("id" = i64, Path)), responses((status = 200), (status = 401), (status = 404)))]
pub async fn api_position(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PositionId>,
) -> AppResult<Json<Value>> {
    let (p, holdings) = service::position(&state, &actor, id).await?;
    Ok(Json(json!({"position": p, "holdings": holdings})))
}

/// Add a position to an organisation.
#[utoipa::path(post, path = "/api/v1/orgs/{code}/positions", tag = "people", params(("code" = String, Path)), request_body = NewPositionInput, responses((status = 201), (status = 403), (status = 422)))]
pub async fn api_create_position(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(f): ApiJson<NewPositionInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let cmd = f.parse()?;
    let mut act = Act::begin(&state, &actor).await?;
    let id = service::create_position(&mut act, &code, cmd).await?;
    act.commit().await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

#[derive(Deserialize)]
pub struct PersonQuery {
    pub q: Option<String>,
}

/// People in the directory.
#[utoipa::path(get, path = "/api/v1/persons", tag = "people", params(("q" = Option<String>, Query)), responses((status = 200), (status = 401)))]
pub async fn api_persons(
    State(state): State<AppState>,
    actor: Actor,
    Q(q): Q<PersonQuery>,
) -> AppResult<Json<Value>> {
    let items = service::persons(&state, &actor, q.q.as_deref()).await?;
    Ok(Json(json!({"items": items})))
}

/// Add a person.
#[utoipa::path(post, path = "/api/v1/persons", tag = "people", request_body = NewPersonInput, responses((status = 201), (status = 403), (status = 422)))]
pub async fn api_create_person(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(f): ApiJson<NewPersonInput>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let mut act = Act::begin(&state, &actor).await?;
    let id = service::create_person(&mut act, f.org_code.as_deref(), &f.name, &f.note).await?;
    act.commit().await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// Give a position to a person from a date; the previous holder's term ends the day before.
#[utoipa::path(post, path = "/api/v1/positions/{id}/holder", tag = "people", params(("id" = i64, Path)), request_body = AssignInput, responses((status = 200), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn api_assign(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PositionId>,
    ApiJson(f): ApiJson<AssignInput>,
) -> AppResult<Json<Value>> {
    let start = parse_date("start_date", f.start_date.as_deref())?;
    let mut act = Act::begin(&state, &actor).await?;
    service::assign(&mut act, id, f.person_id, start).await?;
    act.commit().await?;
    let holdings = service::holdings(&state, &actor, id).await?;
    Ok(Json(json!({"holdings": holdings})))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VacateInput {
    #[serde(default)]
    pub end_date: Option<String>,
}

/// End the current holder's term.
#[utoipa::path(post, path = "/api/v1/positions/{id}/vacate", tag = "people", params(("id" = i64, Path)), request_body = VacateInput, responses((status = 200), (status = 403), (status = 404), (status = 409)))]
pub async fn api_vacate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<PositionId>,
    ApiJson(f): ApiJson<VacateInput>,
) -> AppResult<Json<Value>> {
    let end = parse_date("end_date", f.end_date.as_deref())?;
    let mut act = Act::begin(&state, &actor).await?;
    service::vacate(&mut act, id, end).await?;
    act.commit().await?;
    Ok(Json(json!({"ok": true})))
}
