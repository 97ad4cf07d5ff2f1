//! One database handle over two backends. SQL is written once with `$1…$n` placeholders
//! (SQLite accepts them); `on_tx!` expands a body once per backend so each backend uses its
//! own type impls. SQLite runs with one write connection (`BEGIN IMMEDIATE`) and a read pool.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub static PG_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Pg(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A transaction on either backend. Store functions take `&mut Tx`.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$c` bound to the backend's connection inside the transaction.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::db::Tx::Pg(t) => {
                let $c: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Pg(t) => t.commit().await,
        }
    }
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Pg(_) => Backend::Postgres,
        }
    }
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        if url.starts_with("sqlite:") {
            let base = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory");
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(base.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(max_connections.max(2))
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(base.read_only(true))
                .await?;
            Ok(Db::Sqlite { read, write })
        } else {
            // Our list queries take optional filters as `($n IS NULL OR …)`; a cached generic
            // plan for them is badly wrong once PostgreSQL switches to it (the supervision
            // ledger went from milliseconds to a second), so plan each execution.
            let opts = PgConnectOptions::from_str(url)?
                .options([("plan_cache_mode", "force_custom_plan")]);
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await?;
            Ok(Db::Pg(pool))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Pg(p) => PG_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so a transaction that reads then writes never fails with SQLITE_BUSY half-way.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Db::Sqlite { write, .. } => Ok(Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Pg(p) => Ok(Tx::Pg(p.begin().await?)),
        }
    }

    /// A read transaction: a consistent snapshot, never blocks writers.
    pub async fn read(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Db::Sqlite { read, .. } => Ok(Tx::Sqlite(read.begin().await?)),
            Db::Pg(p) => Ok(Tx::Pg(p.begin().await?)),
        }
    }

    pub async fn ping(&self) -> bool {
        let r = match self {
            Db::Sqlite { read, .. } => sqlx::query("SELECT 1").execute(read).await.map(|_| ()),
            Db::Pg(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
        };
        r.is_ok()
    }

    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite { read, write } => (
                read.size() + write.size(),
                read.num_idle() + write.num_idle(),
            ),
            Db::Pg(p) => (p.size(), p.num_idle()),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Pg(p) => p.close().await,
        }
    }

    /// Lists `(table, column)` pairs and named constraints, for the schema-parity test.
    pub async fn schema_outline(&self) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        match self {
            Db::Sqlite { read, .. } => {
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
                )
                .fetch_all(read)
                .await?;
                for (t,) in tables {
                    let cols: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                        "SELECT name FROM pragma_table_info('{t}') ORDER BY name"
                    )))
                    .fetch_all(read)
                    .await?;
                    for (c,) in cols {
                        out.push(format!("column {t}.{c}"));
                    }
                    let sql: (String,) =
                        sqlx::query_as("SELECT sql FROM sqlite_master WHERE name = $1")
                            .bind(&t)
                            .fetch_one(read)
                            .await?;
                    for name in constraint_names(&sql.0) {
                        out.push(format!("constraint {t}.{name}"));
                    }
                }
                let idx: Vec<(String, String)> = sqlx::query_as(
                    "SELECT tbl_name, name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(read)
                .await?;
                for (t, i) in idx {
                    out.push(format!("index {t}.{i}"));
                }
            }
            Db::Pg(p) => {
                let cols: Vec<(String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(p)
                .await?;
                for (t, c) in cols {
                    out.push(format!("column {t}.{c}"));
                }
                let cons: Vec<(String, String)> = sqlx::query_as(
                    "SELECT rel.relname::text, con.conname::text FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace WHERE n.nspname = current_schema() AND (con.contype IN ('c','u','f') OR (con.contype = 'p' AND con.conname NOT LIKE '%\\_pkey')) AND rel.relname NOT LIKE '_sqlx%'",
                )
                .fetch_all(p)
                .await?;
                for (t, c) in cons {
                    out.push(format!("constraint {t}.{c}"));
                }
                let idx: Vec<(String, String)> = sqlx::query_as(
                    "SELECT tablename::text, indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' AND tablename NOT LIKE '_sqlx%' AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                )
                .fetch_all(p)
                .await?;
                for (t, i) in idx {
                    out.push(format!("index {t}.{i}"));
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// Names given with `CONSTRAINT name` in a CREATE TABLE statement.
fn constraint_names(sql: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut words = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty());
    while let Some(w) = words.next() {
        if w.eq_ignore_ascii_case("CONSTRAINT")
            && let Some(n) = words.next()
        {
            names.push(n.trim_matches('"').to_string());
        }
    }
    names
}

/// Current time as epoch milliseconds: every instant is stored this way on both backends,
/// so comparisons never depend on a database's date format or clock.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// True when an sqlx error is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Escapes `\`, `%` and `_` for a `LIKE … ESCAPE '\'` pattern, so a search for "50%" finds
/// "50%" and not everything starting with "50". Every store's search uses it.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The `VALUES` rows of a multi-row insert: `(?,?),(?,?)` on SQLite (anonymous parameters:
/// sqlx looks a numbered one up by a linear search, quadratic in a statement this size),
/// `($1,$2),($3,$4)` on PostgreSQL. Keep `ncols * rows` under 32,766 (SQLite's limit).
pub fn values_rows(backend: Backend, ncols: usize, rows: usize) -> String {
    let mut s = String::with_capacity(rows * ncols * 4);
    let mut p = 1;
    for r in 0..rows {
        s.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..ncols {
            if c > 0 {
                s.push(',');
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    s.push('$');
                    s.push_str(&p.to_string());
                }
            }
            p += 1;
        }
        s.push(')');
    }
    s
}

/// `?,?,…` or `$1,$2,…`: the parameters of an `IN (…)` list of `n` values.
pub fn in_list(backend: Backend, n: usize) -> String {
    (1..=n)
        .map(|i| match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}
