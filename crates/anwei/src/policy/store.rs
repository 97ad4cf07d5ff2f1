//! Every SQL statement of policies.

use super::model::{ArticleRow, DeliverableRow, MeasureRow, PolicyRow, TaskRow};
use crate::db::Tx;
use crate::ids::PolicyId;
use crate::on_tx;

pub async fn policies(tx: &mut Tx) -> Result<Vec<PolicyRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, code, doc_number, title, issuer, issued_on, builtin FROM policy ORDER BY id"
    )
    .fetch_all(c)
    .await)
}

pub async fn policy_by_code(tx: &mut Tx, code: &str) -> Result<Option<PolicyRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, code, doc_number, title, issuer, issued_on, builtin FROM policy WHERE code = $1"
    )
    .bind(code)
    .fetch_optional(c)
    .await)
}

pub async fn default_policy(tx: &mut Tx) -> Result<Option<PolicyRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("SELECT id, code, doc_number, title, issuer, issued_on, builtin FROM policy ORDER BY builtin DESC, id LIMIT 1")
        .fetch_optional(c)
        .await
    })
}

pub async fn insert_policy(tx: &mut Tx, p: &PolicyRow, now: i64) -> Result<PolicyId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO policy (code, doc_number, title, issuer, issued_on, builtin, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(&p.code)
    .bind(&p.doc_number)
    .bind(&p.title)
    .bind(&p.issuer)
    .bind(&p.issued_on)
    .bind(p.builtin)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

pub async fn insert_measure(
    tx: &mut Tx,
    policy_id: PolicyId,
    m: &MeasureRow,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO policy_measure (policy_id, number, title_zh, title_en) VALUES ($1, $2, $3, $4)"
    )
    .bind(policy_id)
    .bind(m.number)
    .bind(&m.title_zh)
    .bind(&m.title_en)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn insert_article(
    tx: &mut Tx,
    policy_id: PolicyId,
    a: &ArticleRow,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("INSERT INTO policy_article (policy_id, number, measure_number, title_zh, text_zh) VALUES ($1, $2, $3, $4, $5)")
        .bind(policy_id)
        .bind(a.number)
        .bind(a.measure_number)
        .bind(&a.title_zh)
        .bind(&a.text_zh)
        .execute(c)
        .await
        .map(|_| ())
    })
}

pub async fn insert_task(tx: &mut Tx, policy_id: PolicyId, t: &TaskRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO policy_task (policy_id, number, measure_number, articles, content, units_text, deadline_text, deadline_kind, due, ongoing, window_start, window_end, selectors, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    )
    .bind(policy_id)
    .bind(t.number)
    .bind(t.measure_number)
    .bind(&t.articles)
    .bind(&t.content)
    .bind(&t.units_text)
    .bind(&t.deadline_text)
    .bind(&t.deadline_kind)
    .bind(t.due)
    .bind(t.ongoing)
    .bind(t.window_start)
    .bind(t.window_end)
    .bind(&t.selectors)
    .bind(t.updated_at)
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn update_task(
    tx: &mut Tx,
    policy_id: PolicyId,
    t: &TaskRow,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE policy_task SET content = $3, units_text = $4, deadline_text = $5, deadline_kind = $6, due = $7, ongoing = $8, window_start = $9, window_end = $10, selectors = $11, updated_at = $12 \
         WHERE policy_id = $1 AND number = $2"
    )
    .bind(policy_id)
    .bind(t.number)
    .bind(&t.content)
    .bind(&t.units_text)
    .bind(&t.deadline_text)
    .bind(&t.deadline_kind)
    .bind(t.due)
    .bind(t.ongoing)
    .bind(t.window_start)
    .bind(t.window_end)
    .bind(&t.selectors)
    .bind(t.updated_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })
}

pub async fn insert_deliverable(
    tx: &mut Tx,
    policy_id: PolicyId,
    d: &DeliverableRow,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("INSERT INTO policy_deliverable (policy_id, code, title_zh, title_en, due, article_number) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(policy_id)
        .bind(&d.code)
        .bind(&d.title_zh)
        .bind(&d.title_en)
        .bind(&d.due)
        .bind(d.article_number)
        .execute(c)
        .await
        .map(|_| ())
    })
}

pub async fn measures(tx: &mut Tx, policy_id: PolicyId) -> Result<Vec<MeasureRow>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT number, title_zh, title_en FROM policy_measure WHERE policy_id = $1 ORDER BY number"
    )
    .bind(policy_id)
    .fetch_all(c)
    .await)
}

pub async fn articles(tx: &mut Tx, policy_id: PolicyId) -> Result<Vec<ArticleRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("SELECT number, measure_number, title_zh, text_zh FROM policy_article WHERE policy_id = $1 ORDER BY number")
        .bind(policy_id)
        .fetch_all(c)
        .await
    })
}

pub async fn article(
    tx: &mut Tx,
    policy_id: PolicyId,
    number: i64,
) -> Result<Option<ArticleRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("SELECT number, measure_number, title_zh, text_zh FROM policy_article WHERE policy_id = $1 AND number = $2")
        .bind(policy_id)
        .bind(number)
        .fetch_optional(c)
        .await
    })
}

const TASK_SELECT: &str = "SELECT number, measure_number, articles, content, units_text, deadline_text, deadline_kind, due, ongoing, window_start, window_end, selectors, updated_at FROM policy_task";

pub async fn tasks(
    tx: &mut Tx,
    policy_id: PolicyId,
    measure: Option<i64>,
    q: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<TaskRow>, sqlx::Error> {
    let like = q.map(|q| format!("%{}%", crate::db::escape_like(q)));
    let sql = sqlx::AssertSqlSafe(format!(
        "{TASK_SELECT} WHERE policy_id = $1 AND ($2 IS NULL OR measure_number = $2) AND ($3 IS NULL OR content LIKE $3 ESCAPE '\\' OR units_text LIKE $3 ESCAPE '\\') AND ($4 IS NULL OR deadline_kind = $4) ORDER BY number"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, TaskRow>(sql)
        .bind(policy_id)
        .bind(measure)
        .bind(like.as_deref())
        .bind(kind)
        .fetch_all(c)
        .await)
}

pub async fn task(
    tx: &mut Tx,
    policy_id: PolicyId,
    number: i64,
) -> Result<Option<TaskRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{TASK_SELECT} WHERE policy_id = $1 AND number = $2"
    ));
    on_tx!(tx, |c| sqlx::query_as::<_, TaskRow>(sql)
        .bind(policy_id)
        .bind(number)
        .fetch_optional(c)
        .await)
}

pub async fn deliverables(
    tx: &mut Tx,
    policy_id: PolicyId,
) -> Result<Vec<DeliverableRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("SELECT code, title_zh, title_en, due, article_number FROM policy_deliverable WHERE policy_id = $1 ORDER BY due, code")
        .bind(policy_id)
        .fetch_all(c)
        .await
    })
}
