//! Lights per measure under the ledger's filters, as a table and an SVG chart.

use anwei_rules::supervision::Light;
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

use super::super::store::{self};
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::i18n::{Lang, t, tf};
use crate::policy::model::MeasureRow;
use crate::state::AppState;
use crate::supervision::model::AssignmentFilter;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::render;

// The chart module lives with the web helpers; it is declared here until `web/mod.rs` lists it.
use crate::web::svg;

use super::export::light_label;
use super::ranking::query_of;
use super::read;

// ---------------------------------------------------------------------------------------------
// Lights per measure: roll-up table and chart.

/// One measure's lights.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureRollup {
    pub measure: i64,
    pub title: String,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub grey: i64,
    pub total: i64,
    /// The worst light (red > yellow > green > grey); null without assignments.
    pub worst: Option<String>,
}

impl MeasureRollup {
    pub fn count(&self, light: &str) -> i64 {
        match light {
            "red" => self.red,
            "yellow" => self.yellow,
            "green" => self.green,
            _ => self.grey,
        }
    }
}

/// The roll-up per measure and its chart (an escaped `<svg>` string).
pub struct LedgerPanel {
    pub rollup: Vec<MeasureRollup>,
    pub svg: String,
    /// The ledger's query string without `measure` and `light`, for links to the rows.
    pub base_query: String,
}

impl LedgerPanel {
    /// The ledger filtered to one measure (and light), keeping the other filters.
    pub fn href(&self, measure: &i64, light: &str) -> String {
        let mut q = format!("/supervision?measure={measure}");
        if !light.is_empty() {
            q.push_str("&light=");
            q.push_str(light);
        }
        if !self.base_query.is_empty() {
            q.push('&');
            q.push_str(&self.base_query);
        }
        q
    }
}

const FILLS: [(&str, &str); 4] = [
    ("red", "#b3261e"),
    ("yellow", "#9a6b00"),
    ("green", "#1e7b3a"),
    ("grey", "#6b7280"),
];

fn rollup(
    measures: &[MeasureRow],
    counts: &[(i64, String, i64)],
    lang: Lang,
    only: Option<i64>,
) -> Vec<MeasureRollup> {
    measures
        .iter()
        .filter(|m| only.is_none_or(|o| o == m.number))
        .map(|m| {
            let n = |l: &str| {
                counts
                    .iter()
                    .filter(|(mm, ll, _)| *mm == m.number && ll == l)
                    .map(|(_, _, n)| *n)
                    .sum::<i64>()
            };
            let (red, yellow, green, grey) = (n("red"), n("yellow"), n("green"), n("grey"));
            let worst = anwei_rules::supervision::worst(
                [
                    (Light::Red, red),
                    (Light::Yellow, yellow),
                    (Light::Green, green),
                    (Light::Grey, grey),
                ]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(l, _)| l),
            );
            MeasureRollup {
                measure: m.number,
                title: if lang == Lang::En && !m.title_en.is_empty() {
                    m.title_en.clone()
                } else {
                    m.title_zh.clone()
                },
                red,
                yellow,
                green,
                grey,
                total: red + yellow + green + grey,
                worst: worst.map(|l| l.code().to_string()),
            }
        })
        .collect()
}

fn chart(rollup: &[MeasureRollup], lang: Lang, panel: &LedgerPanel) -> String {
    let desc: Vec<String> = rollup
        .iter()
        .map(|r| {
            tf(
                lang,
                "ledger.chart_desc_row",
                &[
                    ("n", r.measure.to_string()),
                    ("title", r.title.clone()),
                    ("red", r.red.to_string()),
                    ("yellow", r.yellow.to_string()),
                    ("green", r.green.to_string()),
                    ("grey", r.grey.to_string()),
                ],
            )
        })
        .collect();
    let sep = if lang == Lang::En { "; " } else { "；" };
    let bars = rollup
        .iter()
        .map(|r| svg::Bar {
            label: format!("{}. {}", r.measure, r.title),
            href: Some(panel.href(&r.measure, "")),
            segments: FILLS
                .iter()
                .map(|(l, fill)| svg::Segment {
                    label: light_label(lang, l),
                    value: r.count(l),
                    class: format!("seg-{l}"),
                    fill: (*fill).to_string(),
                    href: Some(panel.href(&r.measure, l)),
                })
                .collect(),
        })
        .collect();
    svg::stacked_bars(&svg::StackedBars {
        id: "lights-by-measure".into(),
        title: t(lang, "ledger.chart_title"),
        desc: format!(
            "{}{}{}",
            t(lang, "ledger.chart_title"),
            if lang == Lang::En { ": " } else { "：" },
            desc.join(sep)
        ),
        bars,
        legend: FILLS
            .iter()
            .map(|(l, fill)| {
                (
                    light_label(lang, l),
                    format!("seg-{l}"),
                    (*fill).to_string(),
                )
            })
            .collect(),
    })
}

/// Lights per measure under the ledger's filters, as a table and a chart.
pub async fn panel(
    state: &AppState,
    actor: &Actor,
    f: &AssignmentFilter,
    lang: Lang,
) -> AppResult<LedgerPanel> {
    let (r, (counts, measures)) = read(state, actor, f, "assignment.summary", async |act, p| {
        let counts = store::ledger_lights_by_measure(act.tx(), p).await?;
        let measures = crate::policy::service::measures_of(act, p.policy_id).await?;
        Ok((counts, measures))
    })
    .await?;
    let rollup = rollup(&measures, &counts, lang, r.filters.measure);
    let base = AssignmentFilter {
        measure: None,
        light: None,
        ..f.clone()
    };
    let mut p = LedgerPanel {
        rollup,
        svg: String::new(),
        base_query: query_of(&base),
    };
    p.svg = chart(&p.rollup, lang, &p);
    Ok(p)
}

#[derive(Template)]
#[template(path = "supervision/summary.html")]
pub struct SummaryPage {
    pub b: Base,
    pub panel: LedgerPanel,
    pub query: String,
}

/// 分措施统计: the chart of lights per measure and the roll-up table (printable on A4).
pub async fn summary_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    let panel = panel(&state, &actor, &f, ctx.lang).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "ledger.summary_title");
    render(&SummaryPage {
        b,
        panel,
        query: query_of(&f),
    })
}

/// Assignments in scope counted per measure and light, with the worst light of each measure.
/// Filters as `GET /api/v1/assignments`.
#[utoipa::path(get, path = "/api/v1/assignments/by-measure", tag = "supervision",
    params(("policy" = Option<String>, Query), ("measure" = Option<i64>, Query), ("task" = Option<i64>, Query), ("org" = Option<String>, Query),
           ("level" = Option<String>, Query), ("light" = Option<String>, Query), ("status" = Option<String>, Query), ("role" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [MeasureRollup]}", body = [MeasureRollup]), (status = 401), (status = 403), (status = 422)))]
pub async fn by_measure_api(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Json<Value>> {
    let p = panel(&state, &actor, &f, ctx.lang).await?;
    Ok(Json(json!({"items": p.rollup})))
}

/// Links from the ledger page: the export and the ranking keep the page's filters.
impl crate::supervision::pages::LedgerPage {
    pub fn ledger_query(&self) -> String {
        let mut q: Vec<(&str, String)> = Vec::new();
        if self.f_measure > 0 {
            q.push(("measure", self.f_measure.to_string()));
        }
        for (k, v) in [
            ("task", &self.f_task),
            ("org", &self.f_org),
            ("level", &self.f_level),
            ("light", &self.f_light),
            ("status", &self.f_status),
        ] {
            if !v.trim().is_empty() {
                q.push((k, v.trim().to_string()));
            }
        }
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }
}
