//! Duty rules: the list with article, holder, kinds, period and minimum, and the forms that
//! add and edit a rule.

use anwei_rules::duties::{ActivityKind, HolderSelector, PeriodKind};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Choice, RecordedQuery, kind_label, period_label};
use crate::auth::model::Actor;
use crate::duties::model::{RuleInput, RuleRow};
use crate::duties::rules;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

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
