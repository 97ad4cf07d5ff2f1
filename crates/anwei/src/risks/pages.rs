//! Pages of risk points: an enterprise's points (coloured by level, the four-colour view and
//! the form to add one) and the territory's four-colour map with the same numbers as a table.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::map::{self, MapQuery, RiskMap};
use super::model::{RetireInput, RiskPointInput, RiskPointView};
use super::service;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::ids::{OrgId, RiskPointId};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, redirect_or_again, render_form};

/// The points of one colour, for the four-colour view.
pub struct Group {
    pub level: &'static str,
    pub colour: &'static str,
    pub points: Vec<RiskPointView>,
}

/// One GB 6441 category for the form: code, name, chosen.
pub struct TypeOption {
    pub code: &'static str,
    pub name: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "risks/points.html")]
pub struct PointsPage {
    pub b: Base,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub grade: Option<String>,
    pub grade_colour: String,
    pub points: Vec<RiskPointView>,
    pub groups: Vec<Group>,
    pub can_manage: bool,
    pub input: RiskPointInput,
    pub types: Vec<TypeOption>,
    pub errors: FieldErrors,
}

async fn points_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: OrgId,
    input: RiskPointInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    use anwei_rules::risk::RiskLevel;
    let l = service::list(state, actor, id, true).await?;
    let points: Vec<RiskPointView> = l.points.iter().map(|p| p.view()).collect();
    let groups = [
        RiskLevel::Major,
        RiskLevel::High,
        RiskLevel::General,
        RiskLevel::Low,
    ]
    .into_iter()
    .map(|lv| Group {
        level: lv.code(),
        colour: lv.colour(),
        points: points
            .iter()
            .filter(|p| !p.retired && p.level == lv.code())
            .cloned()
            .collect(),
    })
    .collect();
    let types = anwei_rules::hazard::AccidentType::ALL
        .iter()
        .map(|t| TypeOption {
            code: t.code(),
            name: t.name_zh(),
            checked: input.accident_types.iter().any(|c| c == t.code()),
        })
        .collect();
    let b = Base::new(state, ctx, Some(actor), "risk.points_title").with_title(format!(
        "{} · {}",
        l.enterprise.name,
        ctx.tr().t("risk.points_title")
    ));
    render_form(
        &PointsPage {
            b,
            enterprise_id: l.enterprise.org_id,
            enterprise_name: l.enterprise.name.clone(),
            grade: l.grade.map(|g| g.code().to_string()),
            grade_colour: l.grade.map_or("none", |g| g.colour()).to_string(),
            points,
            groups,
            can_manage: l.can_manage,
            input,
            types,
            errors: errors.clone(),
        },
        errors.any(),
    )
}

/// `/enterprises/{id}/risk-points`.
pub async fn points(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<OrgId>,
) -> AppResult<Response> {
    let input = RiskPointInput {
        check_cycle_days: 30,
        method: "LEC".into(),
        ..RiskPointInput::default()
    };
    points_render(&state, &ctx, &actor, id, input, FieldErrors::default()).await
}

/// The form as sent: every field once, the accident types checked (repeated `accident_types`).
fn form_input(pairs: Vec<(String, String)>) -> RiskPointInput {
    let mut i = RiskPointInput::default();
    let num = |v: &str| match v.trim() {
        "" => None,
        t => Some(t.parse().unwrap_or(f64::NAN)),
    };
    for (k, v) in pairs {
        match k.as_str() {
            "unit" => i.unit = v,
            "hazardous_event" => i.hazardous_event = v,
            "accident_types" => i.accident_types.push(v),
            "control_measures" => i.control_measures = v,
            "responsible_person" => i.responsible_person = v,
            "check_cycle_days" => i.check_cycle_days = v.trim().parse().unwrap_or(0),
            "method" => i.method = v,
            "l" => i.l = num(&v),
            "e" => i.e = num(&v),
            "c" => i.c = num(&v),
            "s" => i.s = num(&v),
            _ => {}
        }
    }
    i
}

/// Adds a point from the page's form; on a wrong field the page again with the errors.
pub async fn add(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<OrgId>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let input = form_input(pairs);
    let r = service::create(&state, &actor, id, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |p| format!("/enterprises/{id}/risk-points#point-{}", p.id),
        async |errors| points_render(&state, &ctx, &actor, id, input, errors).await,
    )
    .await
}

/// Retires a point from the page (a reason is required).
pub async fn retire(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<RiskPointId>,
    WebForm(input): WebForm<RetireInput>,
) -> AppResult<Response> {
    let r = service::retire(&state, &actor, id, &input).await;
    let p = service::get(&state, &actor, id).await?;
    let eid = p.enterprise_id;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/enterprises/{eid}/risk-points"),
        async |errors| {
            let input = RiskPointInput::default();
            points_render(&state, &ctx, &actor, eid, input, errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "risks/map.html")]
pub struct MapPage {
    pub b: Base,
    pub m: RiskMap,
    pub svg: String,
    pub svg_href: String,
}

/// `/risk/map`: the SVG and the same numbers as a table.
pub async fn map_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<MapQuery>,
) -> AppResult<Response> {
    let m = map::map(&state, &actor, &q).await?;
    let svg = map::svg(&m, ctx.lang);
    let svg_href = format!(
        "/risk/map.svg?region={}",
        crate::web::middleware::urlencode(&m.region_code)
    );
    let b = Base::new(&state, &ctx, Some(&actor), "risk.map_title");
    render_form(
        &MapPage {
            b,
            m,
            svg,
            svg_href,
        },
        false,
    )
}

/// `/risk/map.svg`: the map alone, as an image.
pub async fn map_svg(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<MapQuery>,
) -> AppResult<Response> {
    let m = map::map(&state, &actor, &q).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        map::svg(&m, ctx.lang),
    )
        .into_response())
}
