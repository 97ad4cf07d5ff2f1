//! Use cases of the policy: reading it, loading the built-in pack, editing a task.

use anwei_rules::{deadline_phrase, policy_pack, unit_phrase};
use serde_json::json;

use super::model::{
    ArticleRow, DeliverableRow, EditTaskInput, MeasureRow, PolicyRow, TaskFilter, TaskRow,
};
use super::store;
use crate::audit::{self, Event, Who};
use crate::auth::model::{Actor, Perm};
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{Day, PolicyId};
use crate::state::AppState;

async fn require(
    state: &AppState,
    actor: &Actor,
    perm: Perm,
    action: &'static str,
    target: impl ToString,
) -> AppResult<()> {
    if actor.can(perm) {
        Ok(())
    } else {
        Err(audit::service::deny(state, &actor.who(), action, "policy", target).await)
    }
}

async fn pick(tx: &mut Tx, code: Option<&str>) -> AppResult<PolicyRow> {
    let p = match code.filter(|c| !c.is_empty()) {
        Some(c) => store::policy_by_code(tx, c).await?,
        None => store::default_policy(tx).await?,
    };
    p.ok_or(AppError::NotFound)
}

pub async fn policies(state: &AppState, actor: &Actor) -> AppResult<Vec<PolicyRow>> {
    require(state, actor, Perm::PolicyRead, "policy.list", "").await?;
    let mut tx = state.db.read().await?;
    Ok(store::policies(&mut tx).await?)
}

pub struct PolicyOverview {
    pub policy: PolicyRow,
    pub measures: Vec<MeasureRow>,
    pub articles: Vec<ArticleRow>,
    pub tasks: Vec<TaskRow>,
    pub deliverables: Vec<DeliverableRow>,
}

pub async fn overview(
    state: &AppState,
    actor: &Actor,
    f: &TaskFilter,
) -> AppResult<PolicyOverview> {
    require(state, actor, Perm::PolicyRead, "policy.read", "").await?;
    let mut tx = state.db.read().await?;
    let policy = pick(&mut tx, f.policy.as_deref()).await?;
    let measures = store::measures(&mut tx, policy.id).await?;
    let articles = store::articles(&mut tx, policy.id).await?;
    let q = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let tasks = store::tasks(
        &mut tx,
        policy.id,
        f.measure,
        q,
        f.kind.as_deref().filter(|s| !s.is_empty()),
    )
    .await?;
    let deliverables = store::deliverables(&mut tx, policy.id).await?;
    Ok(PolicyOverview {
        policy,
        measures,
        articles,
        tasks,
        deliverables,
    })
}

/// The tasks alone (the API's task list): one query, no article texts.
pub async fn tasks(
    state: &AppState,
    actor: &Actor,
    f: &TaskFilter,
) -> AppResult<(PolicyRow, Vec<TaskRow>)> {
    require(state, actor, Perm::PolicyRead, "policy.read", "").await?;
    let mut tx = state.db.read().await?;
    let policy = pick(&mut tx, f.policy.as_deref()).await?;
    let q = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let tasks = store::tasks(
        &mut tx,
        policy.id,
        f.measure,
        q,
        f.kind.as_deref().filter(|s| !s.is_empty()),
    )
    .await?;
    Ok((policy, tasks))
}

pub async fn task(
    state: &AppState,
    actor: &Actor,
    policy: Option<&str>,
    number: i64,
) -> AppResult<(PolicyRow, TaskRow, Vec<ArticleRow>, Option<MeasureRow>)> {
    require(state, actor, Perm::PolicyRead, "policy.read", number).await?;
    let mut tx = state.db.read().await?;
    let p = pick(&mut tx, policy).await?;
    let t = store::task(&mut tx, p.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut arts = Vec::new();
    for n in t.article_numbers() {
        if let Some(a) = store::article(&mut tx, p.id, n).await? {
            arts.push(a);
        }
    }
    let m = store::measures(&mut tx, p.id)
        .await?
        .into_iter()
        .find(|m| m.number == t.measure_number);
    Ok((p, t, arts, m))
}

pub async fn article(
    state: &AppState,
    actor: &Actor,
    number: i64,
) -> AppResult<(ArticleRow, Vec<TaskRow>, Option<MeasureRow>)> {
    require(state, actor, Perm::PolicyRead, "policy.read", number).await?;
    let mut tx = state.db.read().await?;
    let p = pick(&mut tx, None).await?;
    let a = store::article(&mut tx, p.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let tasks = store::tasks(&mut tx, p.id, Some(a.measure_number), None, None)
        .await?
        .into_iter()
        .filter(|t| t.article_numbers().contains(&number))
        .collect();
    let m = store::measures(&mut tx, p.id)
        .await?
        .into_iter()
        .find(|m| m.number == a.measure_number);
    Ok((a, tasks, m))
}

/// Reads a deadline and a unit phrase into the stored structure; a phrase the parser does
/// not understand is a field error, never a guess.
pub fn structure(
    number: i64,
    measure: i64,
    articles: String,
    content: String,
    units_text: String,
    deadline_text: String,
) -> Result<TaskRow, AppError> {
    let mut e = Vec::new();
    let d = deadline_phrase::parse(&deadline_text);
    if let Err(err) = &d {
        e.push((
            "deadline_text".to_string(),
            Msg::new("policy.deadline_unparsed").with_msg("reason", Msg::phrase(err)),
        ));
    }
    let u = unit_phrase::parse(&units_text);
    if let Err(err) = &u {
        e.push((
            "units_text".to_string(),
            Msg::new("policy.units_unparsed").with_msg("reason", Msg::phrase(err)),
        ));
    }
    if content.trim().is_empty() {
        e.push(("content".to_string(), Msg::new("error.required")));
    }
    if content.chars().count() > 2000 {
        e.push((
            "content".to_string(),
            Msg::new("error.too_long").with("max", 2000),
        ));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (d, u) = (d.expect("checked"), u.expect("checked"));
    Ok(TaskRow {
        number,
        measure_number: measure,
        articles,
        content,
        units_text,
        deadline_text,
        deadline_kind: d.kind.code().to_string(),
        due: d.due.map(Day),
        ongoing: d.ongoing,
        window_start: d.window_start.map(Day),
        window_end: d.window_end.map(Day),
        selectors: u.iter().map(|s| s.code()).collect::<Vec<_>>().join(";"),
        updated_at: now_ms(),
    })
}

pub async fn edit_task(
    state: &AppState,
    actor: &Actor,
    number: i64,
    input: &EditTaskInput,
) -> AppResult<()> {
    require(state, actor, Perm::PolicyEdit, "policy.task_edit", number).await?;
    let mut tx = state.db.begin().await?;
    let p = pick(&mut tx, None).await?;
    let old = store::task(&mut tx, p.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let new = structure(
        number,
        old.measure_number,
        old.articles.clone(),
        input.content.trim().to_string(),
        input.units_text.trim().to_string(),
        input.deadline_text.trim().to_string(),
    )?;
    store::update_task(&mut tx, p.id, &new).await?;
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("policy.task_edit", "policy_task", format!("{}#{}", p.code, number)).detail(json!({
            "before": {"content": old.content, "units_text": old.units_text, "deadline_text": old.deadline_text},
            "after": {"content": new.content, "units_text": new.units_text, "deadline_text": new.deadline_text},
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Loads the built-in pack (通安委〔2022〕10号) when it is not in the database yet.
pub async fn seed_builtin(state: &AppState) -> AppResult<bool> {
    let pack = policy_pack::builtin();
    let mut tx = state.db.begin().await?;
    if store::policy_by_code(&mut tx, pack.meta.code)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let now = now_ms();
    let pid = store::insert_policy(
        &mut tx,
        &PolicyRow {
            id: PolicyId::default(),
            code: pack.meta.code.into(),
            doc_number: pack.meta.doc_number.into(),
            title: pack.meta.title.into(),
            issuer: pack.meta.issuer.into(),
            issued_on: pack.meta.issued_on.to_string(),
            builtin: true,
        },
        now,
    )
    .await?;
    for m in pack.measures {
        store::insert_measure(
            &mut tx,
            pid,
            &MeasureRow {
                number: m.number as i64,
                title_zh: m.title_zh.into(),
                title_en: m.title_en.into(),
            },
        )
        .await?;
    }
    for a in pack.articles {
        store::insert_article(
            &mut tx,
            pid,
            &ArticleRow {
                number: a.number as i64,
                measure_number: a.measure as i64,
                title_zh: a.title_zh.into(),
                text_zh: a.text_zh.into(),
            },
        )
        .await?;
    }
    for t in pack.tasks {
        let arts = t
            .articles
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let row = structure(
            t.number as i64,
            t.measure as i64,
            arts,
            t.content.into(),
            t.units_text.into(),
            t.deadline_text.into(),
        )
        .map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "built-in task {} does not parse: {e:?}",
                t.number
            ))
        })?;
        store::insert_task(&mut tx, pid, &row).await?;
    }
    for d in pack.deliverables {
        store::insert_deliverable(
            &mut tx,
            pid,
            &DeliverableRow {
                code: d.code.into(),
                title_zh: d.title_zh.into(),
                title_en: d.title_en.into(),
                due: d.due.to_string(),
                article_number: d.source_article.map(|a| a as i64),
            },
        )
        .await?;
    }
    audit::record(
        state,
        &mut tx,
        &Who::system("seed"),
        Event::ok("policy.seed", "policy", pack.meta.code)
            .detail(json!({"tasks": pack.tasks.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A 校注 on a task as shown: where the table differs from its article, or what the built-in
/// pack repaired (see `anwei_rules::policy_pack::notes`).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NoteView {
    /// `differs` or `repaired`.
    pub kind: &'static str,
    /// What the table prints.
    pub table_text: &'static str,
    /// What the article says, or what the pack holds instead.
    pub other_text: &'static str,
    /// Where the other text comes from (第十二条, 分工表 …).
    pub source: &'static str,
    /// The note in the reader's language.
    pub note: &'static str,
}

/// The notes on a task of the built-in policy (an imported policy has none).
pub fn notes(policy: &PolicyRow, number: i64, lang: crate::i18n::Lang) -> Vec<NoteView> {
    use anwei_rules::policy_pack::notes::{NoteKind, of_task};
    if !policy.builtin || policy.code != anwei_rules::policy_pack::builtin().meta.code {
        return Vec::new();
    }
    let Ok(n) = u8::try_from(number) else {
        return Vec::new();
    };
    of_task(n)
        .map(|x| NoteView {
            kind: match x.kind {
                NoteKind::Differs => "differs",
                NoteKind::Repaired => "repaired",
            },
            table_text: x.table_text,
            other_text: x.other_text,
            source: x.source,
            note: if lang == crate::i18n::Lang::En {
                x.note_en
            } else {
                x.note_zh
            },
        })
        .collect()
}

// Doors for other capabilities' use cases: the policy's rows read (or a deliverable added)
// inside the caller's transaction. The caller has checked its own permission.

/// The policy with this code, or the default one when no code is given.
pub async fn chosen(act: &mut crate::act::Act<'_>, code: Option<&str>) -> AppResult<PolicyRow> {
    pick(act.tx(), code.map(str::trim)).await
}

/// One task of a policy.
pub async fn task_of(
    act: &mut crate::act::Act<'_>,
    policy_id: PolicyId,
    number: i64,
) -> AppResult<Option<TaskRow>> {
    Ok(store::task(act.tx(), policy_id, number).await?)
}

/// The deliverables (报送事项) of a policy.
pub async fn deliverables_of(
    act: &mut crate::act::Act<'_>,
    policy_id: PolicyId,
) -> AppResult<Vec<DeliverableRow>> {
    Ok(store::deliverables(act.tx(), policy_id).await?)
}

/// Adds a deliverable to a policy; a code already taken is a field error on `code`.
pub async fn add_deliverable(
    act: &mut crate::act::Act<'_>,
    policy_id: PolicyId,
    row: &DeliverableRow,
) -> AppResult<()> {
    let taken = || AppError::field("code", Msg::new("deliverables.code_taken"));
    if store::deliverables(act.tx(), policy_id)
        .await?
        .iter()
        .any(|d| d.code == row.code)
    {
        return Err(taken());
    }
    match store::insert_deliverable(act.tx(), policy_id, row).await {
        Ok(()) => Ok(()),
        Err(e) if crate::db::is_unique_violation(&e) => Err(taken()),
        Err(e) => Err(e.into()),
    }
}

/// The measures (措施) of a policy.
pub async fn measures_of(
    act: &mut crate::act::Act<'_>,
    policy_id: PolicyId,
) -> AppResult<Vec<MeasureRow>> {
    Ok(store::measures(act.tx(), policy_id).await?)
}

/// The tasks of a policy, optionally of one measure.
pub async fn tasks_of(
    act: &mut crate::act::Act<'_>,
    policy_id: PolicyId,
    measure: Option<i64>,
) -> AppResult<Vec<TaskRow>> {
    Ok(store::tasks(act.tx(), policy_id, measure, None, None).await?)
}
