//! Every SQL statement of the audit log.

use super::chain::AuditRow;
use crate::db::Tx;
use crate::on_tx;

pub async fn lock_head(tx: &mut Tx) -> Result<(i64, String), sqlx::Error> {
    // PostgreSQL: the row lock serializes appends across instances. SQLite: the write
    // transaction (BEGIN IMMEDIATE) already does.
    match tx {
        Tx::Pg(t) => {
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .fetch_one(&mut **t)
                .await
        }
        Tx::Sqlite(t) => {
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(&mut **t)
                .await
        }
    }
}

pub async fn head(tx: &mut Tx) -> Result<(i64, String), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT seq, hash FROM audit_head WHERE id = 1"
    )
    .fetch_one(c)
    .await)
}

pub async fn append(tx: &mut Tx, r: &AuditRow) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target_type, target_id, outcome, request_id, ip, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(r.seq)
        .bind(r.at)
        .bind(r.actor_id)
        .bind(&r.actor_name)
        .bind(&r.action)
        .bind(&r.target_type)
        .bind(&r.target_id)
        .bind(&r.outcome)
        .bind(&r.request_id)
        .bind(&r.ip)
        .bind(&r.detail)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(r.seq)
            .bind(&r.hash)
            .execute(&mut *c)
            .await?;
        Ok(())
    })
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub target: Option<String>,
    /// Inclusive bounds in epoch ms.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Keyset pagination: records with seq below this.
    pub before_seq: Option<i64>,
    /// Data scope: only records whose actor is an account of an organisation in this region
    /// subtree (materialised-path prefix); `None` for the city's auditor and administrator,
    /// who see every record, system and anonymous ones included.
    pub region_prefix: Option<String>,
    /// Data scope of a single-organisation caller.
    pub org_id: Option<i64>,
}

/// Newest first, keyset-paginated by `seq` so deep pages stay fast over millions of rows.
/// The `seq` bound is a plain range (no `$7 IS NULL OR …`) so both planners can seek the
/// primary-key index to the page instead of walking it down from the newest record.
pub async fn list(tx: &mut Tx, f: &Filter, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    let actor_like = f
        .actor
        .as_ref()
        .map(|a| format!("%{}%", crate::db::escape_like(a)));
    let action_like = f
        .action
        .as_ref()
        .map(|a| format!("{}%", crate::db::escape_like(a)));
    let region_like = f
        .region_prefix
        .as_ref()
        .map(|p| format!("{}%", crate::db::escape_like(p)));
    let sql = "SELECT seq, at, actor_id, actor_name, action, target_type, target_id, outcome, request_id, ip, detail, prev_hash, hash FROM audit_log \
         WHERE ($1 IS NULL OR actor_name LIKE $1 ESCAPE '\\') \
         AND ($2 IS NULL OR action LIKE $2 ESCAPE '\\') \
         AND ($3 IS NULL OR outcome = $3) \
         AND ($4 IS NULL OR target_id = $4) \
         AND ($5 IS NULL OR at >= $5) \
         AND ($6 IS NULL OR at <= $6) \
         AND seq < COALESCE($7, 9223372036854775807) \
         AND ($9 IS NULL OR actor_id IN (SELECT a.id FROM account a JOIN org o ON o.id = a.org_id \
              JOIN region r ON r.id = o.region_id WHERE r.path LIKE $9 ESCAPE '\\')) \
         AND ($10 IS NULL OR actor_id IN (SELECT a.id FROM account a WHERE a.org_id = $10)) \
         ORDER BY seq DESC LIMIT $8";
    on_tx!(tx, |c| sqlx::query_as::<_, AuditRow>(sql)
        .bind(actor_like.as_deref())
        .bind(action_like.as_deref())
        .bind(f.outcome.as_deref())
        .bind(f.target.as_deref())
        .bind(f.from_ms)
        .bind(f.to_ms)
        .bind(f.before_seq)
        .bind(limit)
        .bind(region_like.as_deref())
        .bind(f.org_id)
        .fetch_all(c)
        .await)
}

/// Walks the whole chain in order, streaming. Returns rows checked or the first break.
pub async fn verify(
    db: &crate::db::Db,
    key: &super::AuditKey,
) -> anyhow::Result<Result<u64, super::chain::Break>> {
    use futures_util::TryStreamExt;
    let sql = "SELECT seq, at, actor_id, actor_name, action, target_type, target_id, outcome, request_id, ip, detail, prev_hash, hash FROM audit_log ORDER BY seq";
    let mut v = super::chain::Verifier::new(key);
    let mut tx = db.read().await?;
    macro_rules! walk {
        ($c:expr) => {{
            let mut rows = sqlx::query_as::<_, AuditRow>(sql).fetch($c);
            while let Some(r) = rows.try_next().await? {
                if let Err(b) = v.feed(&r) {
                    return Ok(Err(b));
                }
            }
        }};
    }
    match &mut tx {
        Tx::Sqlite(t) => walk!(&mut **t),
        Tx::Pg(t) => walk!(&mut **t),
    }
    let (head_seq, head_hash) = head(&mut tx).await?;
    Ok(v.finish(head_seq, &head_hash).map(|_| v.checked))
}
