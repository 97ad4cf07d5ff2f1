//! HTML handlers of recurring duties: the compliance table with lights, and the form that
//! records an activity.

use anwei_rules::duties::{ActivityKind, HolderSelector, PeriodKind};
use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{
    AcceptLateInput, ActivityPatch, ActivityRow, ComplianceQuery, DeliveryRow, EvidenceRow,
    NewActivityInput, RuleInput, RuleRow,
};
use super::views::{self, HeatQuery};
use super::{rules, service};
use crate::auth::model::{Actor, Perm, Role};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

/// One recent record on the organisation's page.
pub struct ActivityLine {
    pub id: i64,
    pub date: String,
    pub kind: String,
    pub title: String,
    pub position: String,
    pub evidence: i64,
    pub late: bool,
    pub accepted: bool,
}

fn kind_label(kind: &str, lang: Lang) -> String {
    match (ActivityKind::parse(kind), lang) {
        (Some(k), Lang::En) => k.name_en().to_string(),
        (Some(k), _) => k.name_zh().to_string(),
        (None, _) => kind.to_string(),
    }
}

pub(super) fn activity_line(a: ActivityRow, lang: Lang) -> ActivityLine {
    ActivityLine {
        id: a.id,
        date: a.date,
        kind: kind_label(&a.kind, lang),
        title: a.title,
        position: a.position_title.unwrap_or_default(),
        evidence: a.evidence_count,
        late: a.entered_late,
        accepted: a.accepted_late,
    }
}

/// Rule titles by code in the reader's language, office-added rules included.
pub(super) async fn rule_titles(
    state: &AppState,
    lang: Lang,
) -> std::collections::HashMap<String, String> {
    rules::defs(state)
        .await
        .unwrap_or_default()
        .iter()
        .map(|d| (d.row.code.clone(), d.title(lang).to_string()))
        .collect()
}

/// The form as posted: every field text, so an empty select is not a type error.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub org_code: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub led_by_position: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub places: String,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub area_code: String,
}

impl ActivityForm {
    fn of_input(i: &NewActivityInput) -> ActivityForm {
        ActivityForm {
            org_code: i.org_code.clone(),
            kind: i.kind.clone(),
            date: i.date.clone(),
            title: i.title.clone(),
            led_by_position: i.led_by_position.map(|p| p.to_string()).unwrap_or_default(),
            participants: i.participants.clone(),
            topics: i.topics.clone(),
            places: i.places.clone(),
            findings: i.findings.clone(),
            area_code: i.area_code.clone(),
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "duties/new_activity.html")]
pub struct NewActivityPage {
    pub b: Base,
    pub input: ActivityForm,
    pub kinds: Vec<Choice>,
    pub positions: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub errors: FieldErrors,
    /// Where the form posts (a new record, or a correction of record `id`).
    pub action: String,
    pub editing: bool,
}

/// The areas an inspection can be about: the regions in the actor's scope, then the sectors.
async fn area_choices(state: &AppState, actor: &Actor, lang: Lang) -> Vec<Choice> {
    let mut out: Vec<Choice> = crate::orgs::service::regions(state, actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| Choice {
            value: r.code.clone(),
            label: format!("{}（{}）", r.name, r.code),
        })
        .collect();
    out.extend(anwei_rules::org::Sector::ALL.iter().map(|s| Choice {
        value: format!("sector:{}", s.code()),
        label: format!(
            "{}：{}",
            crate::i18n::t(lang, "duties.sector"),
            if lang == Lang::En {
                s.name_en()
            } else {
                s.name_zh()
            }
        ),
    }));
    out
}

async fn form_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: ActivityForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    form_render_for(state, ctx, actor, input, errors, None).await
}

async fn form_render_for(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    input: ActivityForm,
    errors: FieldErrors,
    editing: Option<i64>,
) -> AppResult<Response> {
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code().to_string(),
            label: if ctx.lang == Lang::En {
                k.name_en()
            } else {
                k.name_zh()
            }
            .to_string(),
        })
        .collect();
    let positions = crate::people::service::positions_of_org(state, actor, &input.org_code)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: match p.holder_name {
                Some(n) => format!("{}（{n}）", p.title),
                None => p.title,
            },
        })
        .collect();
    let areas = area_choices(state, actor, ctx.lang).await;
    let title = if editing.is_some() {
        "duties.correct_title"
    } else {
        "duties.new_activity_title"
    };
    let b = Base::new(state, ctx, Some(actor), title);
    let action = match editing {
        Some(id) => format!("/duties/activities/{id}"),
        None => format!(
            "/duties/activities?_csrf={}",
            crate::web::middleware::urlencode(&b.csrf)
        ),
    };
    let failed = errors.any();
    let mut res = render(&NewActivityPage {
        b,
        input,
        kinds,
        positions,
        areas,
        errors,
        action,
        editing: editing.is_some(),
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct FormQuery {
    pub org: Option<String>,
}

/// `/duties/activities/new`: the form, for the actor's organisation (the office: `?org=`).
pub async fn new_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<FormQuery>,
) -> AppResult<Response> {
    let org_code = q
        .org
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| actor.org_code.clone());
    let input = ActivityForm {
        org_code,
        date: crate::time::today().to_string(),
        ..ActivityForm::default()
    };
    form_render(&state, &ctx, &actor, input, FieldErrors::default()).await
}

/// Saves the form (multipart, with evidence files; its CSRF token travels in the query)
/// through the same service as the API; field errors re-render it.
pub async fn create_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    let (input, files) = match super::api::read_activity(req, &state).await {
        Ok(v) => v,
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let form = ActivityForm {
                    org_code: actor.org_code.clone(),
                    ..ActivityForm::default()
                };
                return form_render(&state, &ctx, &actor, form, errors).await;
            }
            None => return Err(e),
        },
    };
    match service::create_activity(&state, &actor, &input, files).await {
        Ok(id) => {
            let (a, _, _) = service::get_activity(&state, &actor, id).await?;
            let flag = if a.entered_late { "late" } else { "1" };
            Ok(Redirect::to(&format!("/duties/activities/{id}?recorded={flag}")).into_response())
        }
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                form_render(&state, &ctx, &actor, ActivityForm::of_input(&input), errors).await
            }
            None => Err(e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// One record: details, evidence, 抄报, correction, added evidence, late acceptance
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "duties/activity.html")]
pub struct ActivityPage {
    pub b: Base,
    pub a: ActivityRow,
    pub kind: String,
    pub area: String,
    pub deliveries: Vec<(String, String)>,
    pub evidence: Vec<EvidenceRow>,
    pub may_correct: bool,
    pub may_accept: bool,
    pub errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct RecordedQuery {
    pub recorded: Option<String>,
    pub saved: Option<String>,
}

async fn activity_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: i64,
    flash: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (a, deliveries, evidence) = service::get_activity(state, actor, id).await?;
    let t = crate::i18n::Tr { lang: ctx.lang };
    let deliveries = deliveries
        .into_iter()
        .map(|d: DeliveryRow| (d.to_org_name, t.instant(&d.delivered_at)))
        .collect();
    let may_correct = service::may_correct(state, actor, &a);
    let may_accept = actor.role == Role::Office
        && actor.can(Perm::TaskReview)
        && a.entered_late
        && !a.accepted_late;
    let area = area_choices(state, actor, ctx.lang)
        .await
        .into_iter()
        .find(|c| c.value == a.area_code)
        .map(|c| c.label)
        .unwrap_or_else(|| a.area_code.clone());
    let b = Base::new(state, ctx, Some(actor), "duties.activity_page").with_flash(flash);
    let failed = errors.any();
    let mut res = render(&ActivityPage {
        b,
        kind: kind_label(&a.kind, ctx.lang),
        area,
        a,
        deliveries,
        evidence,
        may_correct,
        may_accept,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `/duties/activities/{id}`.
pub async fn activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
    Q(q): Q<RecordedQuery>,
) -> AppResult<Response> {
    let flash = match (q.recorded.as_deref(), q.saved.as_deref()) {
        (Some("late"), _) => Some(crate::i18n::t(ctx.lang, "duties.recorded_late")),
        (Some(_), _) => Some(crate::i18n::t(ctx.lang, "duties.recorded")),
        (None, Some(_)) => Some(crate::i18n::t(ctx.lang, "duties.saved")),
        _ => None,
    };
    activity_render(&state, &ctx, &actor, id, flash, FieldErrors::default()).await
}

/// `/duties/activities/{id}/edit`: the correction form.
pub async fn edit_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (a, _, _) = service::get_activity(&state, &actor, id).await?;
    let form = ActivityForm {
        org_code: a.org_code,
        kind: a.kind,
        date: a.date,
        title: a.title,
        led_by_position: a
            .led_by_position_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
        participants: a.participants,
        topics: a.topics,
        places: a.places,
        findings: a.findings,
        area_code: a.area_code,
    };
    form_render_for(&state, &ctx, &actor, form, FieldErrors::default(), Some(id)).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CorrectForm {
    #[serde(flatten)]
    pub form: ActivityForm,
    #[serde(default)]
    pub reason: String,
}

/// Saves a correction through the same service as the API.
pub async fn correct_activity(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
    WebForm(f): WebForm<CorrectForm>,
) -> AppResult<Response> {
    let position = f.form.led_by_position.trim();
    let led_by_position = match position {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let errors = FieldErrors(vec![(
                    "led_by_position".to_string(),
                    crate::i18n::t(ctx.lang, "duties.position_not_of_org"),
                )]);
                return form_render_for(&state, &ctx, &actor, f.form, errors, Some(id)).await;
            }
        },
    };
    let patch = ActivityPatch {
        kind: Some(f.form.kind.clone()),
        date: Some(f.form.date.clone()),
        title: Some(f.form.title.clone()),
        led_by_position: Some(led_by_position),
        participants: Some(f.form.participants.clone()),
        topics: Some(f.form.topics.clone()),
        places: Some(f.form.places.clone()),
        findings: Some(f.form.findings.clone()),
        area_code: Some(f.form.area_code.clone()),
        reason: f.reason.clone(),
    };
    match service::correct_activity(&state, &actor, id, &patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/duties/activities/{id}?saved=1")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => form_render_for(&state, &ctx, &actor, f.form, errors, Some(id)).await,
            None => Err(e),
        },
    }
}

/// Adds evidence files from the record's page (multipart; CSRF token in the query).
pub async fn add_evidence(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    let files = match crate::files::read_multipart(req, &state).await {
        Ok(form) => form.files,
        Err(e) => return Err(e),
    };
    match service::add_evidence(&state, &actor, id, files).await {
        Ok(_) => Ok(Redirect::to(&format!("/duties/activities/{id}?saved=1")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => activity_render(&state, &ctx, &actor, id, None, errors).await,
            None => Err(e),
        },
    }
}

/// The office accepts a late record from its page.
pub async fn accept_late(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<i64>,
    WebForm(input): WebForm<AcceptLateInput>,
) -> AppResult<Response> {
    match service::accept_late(&state, &actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/duties/activities/{id}?saved=1")).into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => activity_render(&state, &ctx, &actor, id, None, errors).await,
            None => Err(e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Heat map, at-risk list, scorecard, export
// ---------------------------------------------------------------------------------------------

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
    Path(id): Path<i64>,
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
    super::api::export_response(&state, &actor, ctx.lang, &q).await
}

// ---------------------------------------------------------------------------------------------
// Duty rules
// ---------------------------------------------------------------------------------------------

/// A rule as the list shows it.
pub struct RuleLine {
    pub row: RuleRow,
    pub title: String,
    pub holder: String,
    pub kinds: String,
    pub period: String,
}

#[derive(Template)]
#[template(path = "duties/rules.html")]
pub struct RulesPage {
    pub b: Base,
    pub rules: Vec<RuleLine>,
    pub may_edit: bool,
}

fn holder_label(code: &str, lang: Lang) -> String {
    match (HolderSelector::parse(code), lang) {
        (Some(h), Lang::En) => h.name_en().to_string(),
        (Some(h), _) => h.name_zh().to_string(),
        (None, _) => code.to_string(),
    }
}

pub(super) fn period_label(code: &str, lang: Lang) -> String {
    match (PeriodKind::parse(code), lang) {
        (Some(p), Lang::En) => p.name_en().to_string(),
        (Some(p), _) => p.name_zh().to_string(),
        (None, _) => code.to_string(),
    }
}

/// `/duties/rules`: every rule, with its article, holder, kinds, period and minimum.
pub async fn rules_list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<RecordedQuery>,
) -> AppResult<Response> {
    let rows = rules::list(&state, &actor).await?;
    let lang = ctx.lang;
    let lines = rows
        .into_iter()
        .map(|r| RuleLine {
            title: if lang == Lang::En && !r.title_en.is_empty() {
                r.title_en.clone()
            } else {
                r.title_zh.clone()
            },
            holder: holder_label(&r.holder, lang),
            kinds: r
                .kinds
                .split(',')
                .map(|k| kind_label(k, lang))
                .collect::<Vec<_>>()
                .join("、"),
            period: period_label(&r.period, lang),
            row: r,
        })
        .collect();
    let flash = q
        .saved
        .as_deref()
        .map(|_| crate::i18n::t(lang, "duties.rule_saved"));
    let b = Base::new(&state, &ctx, Some(&actor), "duties.rules_title").with_flash(flash);
    render(&RulesPage {
        b,
        rules: lines,
        may_edit: rules::may_edit(&actor),
    })
}

/// The rule form as posted: checkboxes arrive only when ticked.
#[derive(Debug, Clone, Default)]
pub struct RuleForm {
    pub code: String,
    pub article: String,
    pub tasks: String,
    pub holder: String,
    pub kinds: Vec<String>,
    pub period: String,
    pub min_count: String,
    pub evidence_required: Option<String>,
    pub copy_to_upper_office: Option<String>,
    pub active: Option<String>,
    pub title_zh: String,
    pub title_en: String,
}

impl RuleForm {
    fn of_row(r: &RuleRow) -> RuleForm {
        let on = |b: bool| b.then(|| "on".to_string());
        RuleForm {
            code: r.code.clone(),
            article: r.article.to_string(),
            tasks: r.tasks.clone(),
            holder: r.holder.clone(),
            kinds: r.kinds.split(',').map(str::to_string).collect(),
            period: r.period.clone(),
            min_count: r.min_count.to_string(),
            evidence_required: on(r.evidence_required),
            copy_to_upper_office: on(r.copy_to_upper_office),
            active: on(r.active),
            title_zh: r.title_zh.clone(),
            title_en: r.title_en.clone(),
        }
    }
    fn input(&self) -> RuleInput {
        RuleInput {
            code: self.code.clone(),
            article: self.article.trim().parse().unwrap_or(-1),
            tasks: self.tasks.clone(),
            holder: self.holder.clone(),
            kinds: self.kinds.clone(),
            period: self.period.clone(),
            min_count: self.min_count.trim().parse().unwrap_or(0),
            evidence_required: self.evidence_required.is_some(),
            copy_to_upper_office: self.copy_to_upper_office.is_some(),
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            active: self.active.is_some(),
        }
    }
    /// Reads the posted pairs: `kinds` repeats, one pair per ticked box.
    fn of_pairs(pairs: Vec<(String, String)>) -> RuleForm {
        let mut f = RuleForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "code" => f.code = v,
                "article" => f.article = v,
                "tasks" => f.tasks = v,
                "holder" => f.holder = v,
                "kinds" => f.kinds.push(v),
                "period" => f.period = v,
                "min_count" => f.min_count = v,
                "evidence_required" => f.evidence_required = Some(v),
                "copy_to_upper_office" => f.copy_to_upper_office = Some(v),
                "active" => f.active = Some(v),
                "title_zh" => f.title_zh = v,
                "title_en" => f.title_en = v,
                _ => {}
            }
        }
        f
    }
    pub fn has_kind(&self, k: &str) -> bool {
        self.kinds.iter().any(|x| x == k)
    }
}

#[derive(Template)]
#[template(path = "duties/rule_form.html")]
pub struct RuleFormPage {
    pub b: Base,
    pub f: RuleForm,
    /// None: a new rule.
    pub editing: Option<String>,
    pub holders: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub errors: FieldErrors,
}

async fn rule_form_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    f: RuleForm,
    editing: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let choice = |value: &str, label: String| Choice {
        value: value.to_string(),
        label,
    };
    let holders = HolderSelector::ALL
        .iter()
        .map(|h| choice(h.code(), holder_label(h.code(), lang)))
        .collect();
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| choice(k.code(), kind_label(k.code(), lang)))
        .collect();
    let periods = PeriodKind::ALL
        .iter()
        .map(|p| choice(p.code(), period_label(p.code(), lang)))
        .collect();
    let title = if editing.is_some() {
        "duties.rule_edit_title"
    } else {
        "duties.rule_new_title"
    };
    let b = Base::new(state, ctx, Some(actor), title);
    let failed = errors.any();
    let mut res = render(&RuleFormPage {
        b,
        f,
        editing,
        holders,
        kinds,
        periods,
        errors,
    })?;
    if failed {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `/duties/rules/new`.
pub async fn rule_new(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    let f = RuleForm {
        period: "quarter".to_string(),
        min_count: "1".to_string(),
        evidence_required: Some("on".to_string()),
        active: Some("on".to_string()),
        article: "0".to_string(),
        ..RuleForm::default()
    };
    rule_form_render(&state, &ctx, &actor, f, None, FieldErrors::default()).await
}

/// `/duties/rules/{code}`: the edit form.
pub async fn rule_edit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let row = rules::list(&state, &actor)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .ok_or(crate::error::AppError::NotFound)?;
    let f = RuleForm::of_row(&row);
    rule_form_render(&state, &ctx, &actor, f, Some(code), FieldErrors::default()).await
}

/// Saves a new rule.
pub async fn rule_create(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = RuleForm::of_pairs(pairs);
    match rules::create(&state, &actor, &f.input()).await {
        Ok(_) => Ok(Redirect::to("/duties/rules?saved=1").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => rule_form_render(&state, &ctx, &actor, f, None, errors).await,
            None => Err(e),
        },
    }
}

/// Saves an edited rule.
pub async fn rule_update(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(code): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = RuleForm::of_pairs(pairs);
    match rules::update(&state, &actor, &code, &f.input()).await {
        Ok(_) => Ok(Redirect::to("/duties/rules?saved=1").into_response()),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => rule_form_render(&state, &ctx, &actor, f, Some(code), errors).await,
            None => Err(e),
        },
    }
}
