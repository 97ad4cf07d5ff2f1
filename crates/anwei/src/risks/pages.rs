//! Pages of risk points: an enterprise's points (coloured by level, the four-colour view and
//! the form to add one) and the territory's four-colour map with the same numbers as a table.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::checks::{self, CheckInput, OverdueQuery};
use super::map::{self, MapQuery, RiskMap};
use super::model::{RetireInput, RiskPointInput, RiskPointPatch, RiskPointView};
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
    /// The point whose check or re-assessment form came back with errors (they show there,
    /// not on the add form), with what was typed.
    pub again: Option<Again>,
    /// The errors of the `again` point's form (`errors` are the add form's).
    pub again_errors: FieldErrors,
    pub today: String,
}

/// A point's form sent back with errors.
pub struct Again {
    pub point: RiskPointId,
    pub check: CheckInput,
    pub patch: RiskPointInput,
}

/// What a point's re-assessment form shows: the point's values, or what was typed.
pub struct AssessForm {
    pub method: String,
    pub factors: Vec<(&'static str, String)>,
    pub control_measures: String,
    pub check_cycle_days: String,
}

const ASSESS_FIELDS: [&str; 7] = [
    "method",
    "l",
    "e",
    "c",
    "s",
    "check_cycle_days",
    "control_measures",
];

impl PointsPage {
    /// True when `id`'s own form came back with errors.
    pub fn again_for(&self, id: &RiskPointId) -> bool {
        self.again.as_ref().is_some_and(|a| a.point == *id)
    }

    /// The check form as typed, when it came back.
    pub fn again_check(&self) -> CheckInput {
        self.again
            .as_ref()
            .map(|a| a.check.clone())
            .unwrap_or_default()
    }

    /// True when `id`'s re-assessment came back with errors.
    pub fn assess_again(&self, id: &RiskPointId) -> bool {
        self.again_for(id) && ASSESS_FIELDS.iter().any(|f| self.again_errors.has(f))
    }

    pub fn assess_form(&self, p: &RiskPointView) -> AssessForm {
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        if self.assess_again(&p.id) {
            let t = &self.again.as_ref().expect("again").patch;
            return AssessForm {
                method: t.method.to_uppercase(),
                factors: vec![
                    ("l", num(t.l)),
                    ("e", num(t.e)),
                    ("c", num(t.c)),
                    ("s", num(t.s)),
                ],
                control_measures: t.control_measures.clone(),
                check_cycle_days: t.check_cycle_days.to_string(),
            };
        }
        AssessForm {
            method: p.method.clone(),
            factors: vec![
                ("l", num(Some(p.l))),
                ("e", num(p.e)),
                ("c", num(p.c)),
                ("s", num(p.s)),
            ],
            control_measures: p.control_measures.clone(),
            check_cycle_days: p.check_cycle_days.to_string(),
        }
    }
}

async fn points_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: OrgId,
    input: RiskPointInput,
    errors: FieldErrors,
) -> AppResult<Response> {
    points_again(state, ctx, actor, id, input, errors, None).await
}

async fn points_again(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: OrgId,
    input: RiskPointInput,
    errors: FieldErrors,
    again: Option<Again>,
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
            errors: if again.is_none() {
                errors.clone()
            } else {
                FieldErrors::default()
            },
            again_errors: if again.is_some() {
                errors.clone()
            } else {
                FieldErrors::default()
            },
            again,
            today: crate::time::today().to_string(),
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

/// Records a check from the point's row; on a wrong field the page again, the errors on
/// that point's form.
pub async fn check(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<RiskPointId>,
    WebForm(input): WebForm<CheckInput>,
) -> AppResult<Response> {
    let eid = service::get(&state, &actor, id).await?.enterprise_id;
    let r = checks::record(&state, &actor, id, &input).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/enterprises/{eid}/risk-points#point-{id}"),
        async |errors| {
            let again = Again {
                point: id,
                check: input,
                patch: RiskPointInput::default(),
            };
            let blank = RiskPointInput::default();
            points_again(&state, &ctx, &actor, eid, blank, errors, Some(again)).await
        },
    )
    .await
}

/// Re-assesses a point from its row (method, factors, measures, cycle); the server scores
/// and grades it again, as the API's `PATCH`.
pub async fn reassess(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<RiskPointId>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let eid = service::get(&state, &actor, id).await?.enterprise_id;
    let typed = form_input(pairs);
    let patch = RiskPointPatch {
        method: Some(typed.method.clone()),
        l: typed.l,
        e: typed.e,
        c: typed.c,
        s: typed.s,
        control_measures: Some(typed.control_measures.clone()),
        check_cycle_days: Some(typed.check_cycle_days),
        ..RiskPointPatch::default()
    };
    let r = service::update(&state, &actor, id, &patch).await;
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/enterprises/{eid}/risk-points#point-{id}"),
        async |errors| {
            let again = Again {
                point: id,
                check: CheckInput::default(),
                patch: typed,
            };
            let blank = RiskPointInput::default();
            points_again(&state, &ctx, &actor, eid, blank, errors, Some(again)).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "risks/overdue.html")]
pub struct OverduePage {
    pub b: Base,
    pub items: Vec<RiskPointView>,
    pub pager: crate::web::page::Pager,
}

/// `/risk/overdue-checks`: the points whose check is overdue, in the actor's scope.
pub async fn overdue_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<OverdueQuery>,
) -> AppResult<Response> {
    let o = checks::overdue(&state, &actor, &q).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "risk.overdue_title");
    render_form(
        &OverduePage {
            b,
            items: o.items.iter().map(|p| p.view()).collect(),
            pager: crate::web::page::Pager {
                page: o.page,
                per_page: checks::PER_PAGE,
                total: o.total,
                base_query: String::new(),
            },
        },
        false,
    )
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
