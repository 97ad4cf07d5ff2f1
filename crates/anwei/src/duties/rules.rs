//! Duty rules in force: the document's rules are loaded from `anwei_rules::duties` when
//! missing; the city committee office may edit their terms (frequency, kinds, evidence,
//! titles, active) or add rules of its own. Every change is audited with the rule before and
//! after, and marks every organisation's compliance changed. A change never rewrites a closed
//! period: the terms it replaces are kept and judge every period that ended before the day of
//! the change (`engine::rule_versions`).

use anwei_rules::duties::{ActivityKind, HolderSelector, PeriodKind, builtin_rules};
use serde_json::json;

use super::model::{RuleDef, RuleInput, RuleRow};
use super::store;
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{Day, RuleId};
use crate::state::AppState;

/// The built-in rules as rows.
fn builtin_rows(now: i64) -> Vec<RuleRow> {
    builtin_rules()
        .iter()
        .map(|r| RuleRow {
            id: RuleId::default(),
            code: r.code.to_string(),
            article: i64::from(r.article),
            tasks: r
                .tasks
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(","),
            holder: r.holder.code().to_string(),
            kinds: r
                .kinds
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>()
                .join(","),
            period: r.period.code().to_string(),
            min_count: i64::from(r.min_count),
            evidence_required: r.evidence_required,
            copy_to_upper_office: r.copy_to_upper_office,
            title_zh: r.title_zh.to_string(),
            title_en: r.title_en.to_string(),
            builtin: true,
            active: true,
            updated_at: now,
            // In force since 通安委〔2022〕10号 was issued: no period before it is judged.
            effective_from: Day(anwei_rules::policy_pack::META.issued_on),
        })
        .collect()
}

/// Loads the built-in rules that are missing (an edited rule is left as edited). Safe to run
/// at every start.
pub async fn seed_builtin(state: &AppState) -> AppResult<u64> {
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let mut added = 0;
    for row in builtin_rows(now) {
        added += store::insert_rule(&mut tx, &row, None, true).await?;
    }
    if added > 0 {
        crate::stamps::bump(&mut tx, crate::stamps::EVERY_ORG).await?;
    }
    tx.commit().await?;
    Ok(added)
}

/// Every stored rule, inactive ones included.
pub async fn list(state: &AppState, actor: &Actor) -> AppResult<Vec<RuleRow>> {
    if !actor.can(Perm::TaskRead) {
        return Err(
            audit::service::deny(state, &actor.who(), "duty_rule.list", "duty_rule", "").await,
        );
    }
    let mut tx = state.db.read().await?;
    Ok(store::rules(&mut tx, false).await?)
}

/// True for the committee office of the top region: rules bind every level, so only the city
/// office may change them.
pub fn may_edit(actor: &Actor) -> bool {
    actor.is_city_office() && actor.can(Perm::TaskIssue)
}

async fn refuse(
    state: &AppState,
    actor: &Actor,
    action: &'static str,
    code: &str,
) -> AppResult<AppError> {
    audit::record_alone(
        state,
        &actor.who(),
        Event::denied(action, "duty_rule", code),
    )
    .await?;
    Ok(AppError::Refused(Msg::new("duties.only_city_office_rules")))
}

fn valid_code(code: &str) -> bool {
    (3..=60).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks the editable terms and writes them into `row`; field errors otherwise.
fn apply_terms(input: &RuleInput, row: &mut RuleRow, e: &mut Vec<(String, Msg)>) {
    let text = crate::web::extract::text;
    row.title_zh = text("title_zh", &input.title_zh, 200, true, e);
    row.title_en = text("title_en", &input.title_en, 200, false, e);
    row.tasks = text("tasks", &input.tasks, 100, false, e);
    if !row
        .tasks
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .all(|t| t.parse::<u8>().is_ok_and(|n| (1..=200).contains(&n)))
    {
        e.push(("tasks".to_string(), Msg::new("duties.tasks_invalid")));
    }
    if !(0..=50).contains(&input.article) {
        e.push(("article".to_string(), Msg::new("duties.article_invalid")));
    }
    row.article = input.article;
    let mut kinds = Vec::new();
    for k in &input.kinds {
        match ActivityKind::parse(k.trim()) {
            Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Some(_) => {}
            None => e.push(("kinds".to_string(), Msg::new("duties.kind_unknown"))),
        }
    }
    if input.kinds.is_empty() {
        e.push(("kinds".to_string(), Msg::new("duties.kinds_required")));
    }
    row.kinds = kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",");
    match PeriodKind::parse(input.period.trim()) {
        Some(p) => row.period = p.code().to_string(),
        None => e.push(("period".to_string(), Msg::new("duties.period_kind_unknown"))),
    }
    if !(1..=100).contains(&input.min_count) {
        e.push((
            "min_count".to_string(),
            Msg::new("duties.min_count_range").with("max", 100),
        ));
    }
    row.min_count = input.min_count;
    row.evidence_required = input.evidence_required;
    row.copy_to_upper_office = input.copy_to_upper_office;
    row.active = input.active;
    row.updated_at = now_ms();
}

/// Adds a rule of the office's own.
pub async fn create(state: &AppState, actor: &Actor, input: &RuleInput) -> AppResult<RuleRow> {
    const ACTION: &str = "duty_rule.create";
    let code = input.code.trim().to_string();
    if !may_edit(actor) {
        return Err(refuse(state, actor, ACTION, &code).await?);
    }
    let mut e = Vec::new();
    if !valid_code(&code) {
        e.push(("code".to_string(), Msg::new("duties.rule_code_invalid")));
    }
    let holder = HolderSelector::parse(input.holder.trim());
    if holder.is_none() {
        e.push(("holder".to_string(), Msg::new("duties.holder_unknown")));
    }
    let mut row = RuleRow {
        id: RuleId::default(),
        code: code.clone(),
        article: 0,
        tasks: String::new(),
        holder: holder.map(|h| h.code().to_string()).unwrap_or_default(),
        kinds: String::new(),
        period: String::new(),
        min_count: 1,
        evidence_required: true,
        copy_to_upper_office: false,
        title_zh: String::new(),
        title_en: String::new(),
        builtin: false,
        active: true,
        updated_at: 0,
        // A rule added today judges the periods still open and those to come, never one
        // that closed before it existed.
        effective_from: Day(crate::time::today()),
    };
    apply_terms(input, &mut row, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut tx = state.db.begin().await?;
    if store::rule(&mut tx, &code).await?.is_some() {
        return Err(AppError::Conflict(Msg::new("duties.rule_exists")));
    }
    store::insert_rule(&mut tx, &row, Some(actor.account_id), false).await?;
    crate::stamps::bump(&mut tx, crate::stamps::EVERY_ORG).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(ACTION, "duty_rule", &code).detail(json!({ "rule": row })),
    )
    .await?;
    let saved = store::rule(&mut tx, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// Edits a rule's terms. The holder is fixed: a rule for other holders is another rule.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    code: &str,
    input: &RuleInput,
) -> AppResult<RuleRow> {
    const ACTION: &str = "duty_rule.update";
    if !may_edit(actor) {
        return Err(refuse(state, actor, ACTION, code).await?);
    }
    let mut tx = state.db.begin().await?;
    let before = store::rule(&mut tx, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut e = Vec::new();
    let holder = input.holder.trim();
    if !holder.is_empty() && holder != before.holder {
        e.push(("holder".to_string(), Msg::new("duties.holder_fixed")));
    }
    let mut row = before.clone();
    apply_terms(input, &mut row, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // The terms it replaces go on judging every period that closed before today.
    let terms = |r: &RuleRow| {
        (
            r.kinds.clone(),
            r.period.clone(),
            r.min_count,
            r.evidence_required,
            r.active,
        )
    };
    if terms(&before) != terms(&row) {
        let today = Day(crate::time::today());
        store::keep_rule_terms(&mut tx, &before, today, actor.account_id, now_ms()).await?;
    }
    store::update_rule(&mut tx, &row, actor.account_id).await?;
    crate::stamps::bump(&mut tx, crate::stamps::EVERY_ORG).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok(ACTION, "duty_rule", code).detail(json!({ "before": before, "after": row })),
    )
    .await?;
    let saved = store::rule(&mut tx, code)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// The active rules as the engine reads them (for titles and choices on pages).
pub async fn defs(state: &AppState) -> AppResult<Vec<RuleDef>> {
    let mut tx = state.db.read().await?;
    super::engine::rules(&mut tx).await
}
