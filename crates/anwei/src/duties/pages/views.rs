//! The views over compliance: the heat map, the at-risk list, a leader's scorecard and the
//! workbook export.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{Choice, rule_titles};
use crate::auth::model::Actor;
use crate::duties::model::ComplianceQuery;
use crate::duties::rules;
use crate::duties::views::{self, HeatQuery};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::PersonId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::{FieldErrors, render};

/// The filter selects of the heat map and the at-risk list, with what was chosen.
pub struct ViewFilters {
    pub rule: String,
    pub kind: String,
    pub region: String,
    pub rules: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub regions: Vec<Choice>,
}

async fn view_filters(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
    q: &HeatQuery,
) -> AppResult<ViewFilters> {
    use anwei_rules::org::OrgKind;
    let rules = rules::defs(state)
        .await?
        .iter()
        .map(|d| Choice {
            value: d.row.code.clone(),
            label: d.title(lang).to_string(),
        })
        .collect();
    let kinds = [
        OrgKind::PartyCommittee,
        OrgKind::Government,
        OrgKind::Department,
    ]
    .iter()
    .map(|k| Choice {
        value: k.code().to_string(),
        label: if lang == Lang::En {
            k.name_en()
        } else {
            k.name_zh()
        }
        .to_string(),
    })
    .collect();
    let regions = crate::orgs::service::regions(state, actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| Choice {
            value: r.code.clone(),
            label: r.name,
        })
        .collect();
    Ok(ViewFilters {
        rule: q.rule.clone().unwrap_or_default(),
        kind: q.kind.clone().unwrap_or_default(),
        region: q.region.clone().unwrap_or_default(),
        rules,
        kinds,
        regions,
    })
}

#[derive(Template)]
#[template(path = "duties/heatmap.html")]
pub struct HeatmapPage {
    pub b: Base,
    pub year: String,
    pub f: ViewFilters,
    pub svg: String,
    pub rows: usize,
    pub errors: FieldErrors,
}

/// `/duties/heatmap`: organisations × quarters.
pub async fn heatmap(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<HeatQuery>,
) -> AppResult<Response> {
    let (svg, rows, errors) = match views::heatmap(&state, &actor, &q).await {
        Ok(h) => (
            views::heatmap_svg(&h, ctx.lang),
            h.rows.len(),
            FieldErrors::default(),
        ),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (String::new(), 0, errors),
            None => return Err(e),
        },
    };
    let f = view_filters(&state, &actor, ctx.lang, &q).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "duties.heatmap_title");
    let failed = errors.any();
    let mut res = render(&HeatmapPage {
        b,
        year: q
            .year
            .clone()
            .unwrap_or_else(|| chrono::Datelike::year(&crate::time::today()).to_string()),
        f,
        svg,
        rows,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "duties/at_risk.html")]
pub struct AtRiskPage {
    pub b: Base,
    pub items: Vec<views::AtRiskItem>,
    pub titles: std::collections::HashMap<String, String>,
    pub days: i64,
    pub f: ViewFilters,
    pub errors: FieldErrors,
}

impl AtRiskPage {
    pub fn title_of(&self, code: &str) -> String {
        self.titles
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }
}

/// `/duties/at-risk`: who may miss a window open today.
pub async fn at_risk(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<HeatQuery>,
) -> AppResult<Response> {
    let (items, errors) = match views::at_risk(&state, &actor, &q).await {
        Ok(items) => (items, FieldErrors::default()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => (Vec::new(), errors),
            None => return Err(e),
        },
    };
    let titles = rule_titles(&state, ctx.lang).await;
    let f = view_filters(&state, &actor, ctx.lang, &q).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "duties.at_risk_title");
    let failed = errors.any();
    let mut res = render(&AtRiskPage {
        b,
        items,
        titles,
        days: state.cfg.duties.at_risk_days,
        f,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "duties/scorecard.html")]
pub struct ScorecardPage {
    pub b: Base,
    pub s: views::Scorecard,
    pub titles: std::collections::HashMap<String, String>,
}

impl ScorecardPage {
    pub fn title_of(&self, code: &str) -> String {
        self.titles
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }
    pub fn status_label(&self, status: &str) -> String {
        self.b.t.t(&format!("duties.status.{status}"))
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
}

/// `/duties/people/{id}`: a leader's duties across the positions they held.
pub async fn scorecard(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<PersonId>,
    Q(q): Q<YearQuery>,
) -> AppResult<Response> {
    let s = views::scorecard(&state, &actor, id, q.year.as_deref()).await?;
    let titles = rule_titles(&state, ctx.lang).await;
    let b = Base::new(&state, &ctx, Some(&actor), "duties.scorecard_title");
    render(&ScorecardPage { b, s, titles })
}

/// `/duties/export.xlsx`: the compliance table as a workbook.
pub async fn export(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<ComplianceQuery>,
) -> AppResult<Response> {
    crate::duties::api::export_response(&state, &actor, ctx.lang, &q).await
}
