//! What both benchmarks share: the server under test, bulk inserts, the HTTP load driver
//! and the JSON lines they print.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anwei::db::Backend;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;

pub const PASSWORD: &str = "Bench-Password-2026!";
pub const CONCURRENCY: usize = 4;

pub type AnyResult<T> = anyhow::Result<T>;

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `ANWEI_BENCH_QUICK=1`: the test command's smoke run. About 1 % of the data and a few
/// requests per figure, every step still taken, so a bench that stops working fails the
/// build; the figures mean nothing. A missed target does not fail it, an error does (see
/// `finish`).
pub fn quick() -> bool {
    std::env::var("ANWEI_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// A size knob: the variable `name` when set, else `full`, or `small` in quick mode.
pub fn size(name: &str, full: usize, small: usize) -> usize {
    env_usize(name, if quick() { small } else { full })
}

/// Rows per transaction of a bulk load: small in quick mode, so the commit-and-go-on path
/// runs on the small data too.
pub fn rows_per_tx(full: usize) -> usize {
    if quick() { 1_000 } else { full }
}

pub fn progress(msg: &str) {
    eprintln!("[bench] {msg}");
}

pub fn emit(v: Value) {
    println!("{v}");
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub async fn wait_ready(base: &str) -> AnyResult<()> {
    let c = Client::new();
    for _ in 0..500 {
        if c.get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anyhow::bail!("server did not become ready")
}

/// `INSERT INTO table (cols) VALUES (…), (…), …` for `rows` rows. PostgreSQL gets `$n`
/// placeholders; SQLite gets anonymous `?`, because sqlx looks each named parameter up by
/// position in SQLite's name list, which is quadratic in a statement this size.
pub fn multi_insert(backend: Backend, table_and_cols: &str, ncols: usize, rows: usize) -> String {
    let mut s = format!("INSERT INTO {table_and_cols} VALUES ");
    let mut p = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
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

pub type MakeRequest = Arc<dyn Fn(&Client, usize) -> RequestBuilder + Send + Sync>;

pub struct Stats {
    pub requests: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub wall: Duration,
    pub sorted_ms: Vec<f64>,
}

/// Sends `n` requests from `CONCURRENCY` workers; each latency runs from send to the last
/// byte of the body.
pub async fn drive(client: &Client, n: usize, make: MakeRequest) -> Stats {
    let next = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let next = next.clone();
        let make = make.clone();
        let client = client.clone();
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut first_error = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let rb = make(&client, i);
                let s = Instant::now();
                let ok = match rb.send().await {
                    Ok(r) => {
                        let status = r.status();
                        match r.bytes().await {
                            Ok(_) if status.is_success() => Ok(()),
                            Ok(b) => Err(format!(
                                "HTTP {status}: {}",
                                String::from_utf8_lossy(&b[..b.len().min(200)])
                            )),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                lat.push(s.elapsed().as_secs_f64() * 1000.0);
                if let Err(e) = ok {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
            }
            (lat, errors, first_error)
        }));
    }
    let mut all = Vec::with_capacity(n);
    let mut errors = 0;
    let mut first_error = None;
    for w in workers {
        if let Ok((lat, e, fe)) = w.await {
            all.extend(lat);
            errors += e;
            if first_error.is_none() {
                first_error = fe;
            }
        }
    }
    let wall = t0.elapsed();
    all.sort_by(f64::total_cmp);
    Stats {
        requests: all.len(),
        errors,
        first_error,
        wall,
        sorted_ms: all,
    }
}

/// Nearest-rank percentile.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub async fn api_token(client: &Client, base: &str, username: &str) -> AnyResult<String> {
    let r = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await?;
    let status = r.status();
    let body: Value = r.json().await?;
    body["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("login of {username} failed: {status} {body}"))
}

/// A cookie-carrying client signed in through the login form, as a browser would be.
pub async fn browser(base: &str, username: &str) -> AnyResult<Client> {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let form = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"_csrf\" value=\"";
    let i = form
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("login form has no CSRF field"))?
        + marker.len();
    let csrf = form[i..].split('"').next().unwrap_or_default().to_string();
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", username),
            ("password", PASSWORD),
        ])
        .send()
        .await?;
    if r.status() != StatusCode::SEE_OTHER {
        anyhow::bail!("form login of {username} answered {}", r.status());
    }
    Ok(client)
}

/// Where the bench's database lives, and how to clean it up.
pub struct Target {
    pub database_url: String,
    pub backend: &'static str,
    /// PostgreSQL: (server URL, database name) to drop at the end.
    pub pg_drop: Option<(String, String)>,
}

pub async fn target(dir: &std::path::Path) -> AnyResult<Target> {
    if quick() {
        progress(
            "quick mode (ANWEI_BENCH_QUICK): small data, few requests; the figures are NOT \
             meaningful, only errors fail the run",
        );
    }
    match std::env::var("ANWEI_BENCH_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
    {
        Some(server) => {
            let name = format!("anwei_bench_{}", uuid::Uuid::new_v4().simple());
            let mut c = sqlx::PgConnection::connect(&server).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"
            )))
            .execute(&mut c)
            .await?;
            let _ = c.close().await;
            let (base, _) = server
                .rsplit_once('/')
                .ok_or_else(|| anyhow::anyhow!("database URL has no database part"))?;
            Ok(Target {
                database_url: format!("{base}/{name}"),
                backend: "postgres",
                pg_drop: Some((server.clone(), name)),
            })
        }
        None => Ok(Target {
            database_url: format!("sqlite://{}", dir.join("anwei.db").display()),
            backend: "sqlite",
            pg_drop: None,
        }),
    }
}

/// The closing line: how many of `figures` carry a target (`met` true or false) and met it.
pub fn emit_summary(bench: &str, backend: &str, figures: &[Value], started: Instant) {
    let with_target: Vec<bool> = figures.iter().filter_map(|f| f["met"].as_bool()).collect();
    let met = with_target.iter().filter(|m| **m).count();
    emit(json!({
        "summary": bench,
        "bench": bench,
        "backend": backend,
        "targets_met": met,
        "targets_total": with_target.len(),
        "all_met": met == with_target.len(),
        "quick": quick(),
        "total_seconds": round3(started.elapsed().as_secs_f64()),
    }));
}

/// The summary line; then, in quick mode, an error for any figure that saw one (a failed
/// request, a broken chain). Outside quick mode the figures are reported, never judged.
pub fn finish(bench: &str, backend: &str, figures: &[Value], started: Instant) -> AnyResult<()> {
    emit_summary(bench, backend, figures, started);
    if !quick() {
        return Ok(());
    }
    let failed: Vec<String> = figures
        .iter()
        .filter(|f| {
            f["errors"].as_u64().is_some_and(|n| n > 0)
                || f.get("first_error").is_some()
                || f["chain_ok"] == false
        })
        .map(Value::to_string)
        .collect();
    if !failed.is_empty() {
        anyhow::bail!(
            "{bench} (quick mode, {backend}): {} figure(s) saw errors:\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
    progress(&format!(
        "{bench} (quick mode, {backend}): every step ran without an error; figures not meaningful"
    ));
    Ok(())
}

/// `bench_office` at the city committee office, created as the CLI would; returns its id.
pub async fn create_office(state: &anwei::state::AppState) -> AnyResult<i64> {
    create_account(state, "bench_office", "基准 安委办").await
}

/// An office account of the city's committee office (the first `safety_office` otherwise).
pub async fn create_account(
    state: &anwei::state::AppState,
    username: &str,
    display_name: &str,
) -> AnyResult<i64> {
    progress(&format!("creating {username}"));
    let mut tx = state.db.read().await?;
    let offices: Vec<String> = anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT code FROM org WHERE kind = 'safety_office' ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    drop(tx);
    let org_code = offices
        .iter()
        .find(|c| c.starts_with("220500-"))
        .or(offices.first())
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no safety office among the built-in organisations"))?;
    anwei::accounts::service::create_as_system(
        state,
        &anwei::audit::Who::system("bench"),
        anwei::accounts::model::NewAccount {
            username: username.into(),
            display_name: display_name.into(),
            email: String::new(),
            role: anwei::auth::model::Role::Office,
            org_code,
            password: PASSWORD.into(),
        },
        false,
    )
    .await
    .map(|id| id.get())
    .map_err(|e| anyhow::anyhow!("creating {username}: {e:?}"))
}

/// Runs a bench's `run_on` on a fresh target (SQLite in a temporary directory, or a fresh
/// PostgreSQL database when `ANWEI_BENCH_DATABASE_URL` is set), then drops the PostgreSQL
/// database even when the run failed half-way. `ANWEI_BENCH_KEEP_DIR`: generate into (and
/// leave behind) this directory, and keep the PostgreSQL database, to look at query plans
/// afterwards; the directory must not hold a previous run's database.
pub fn main_with(
    run_on: impl AsyncFn(&Target, &std::path::Path) -> AnyResult<()>,
) -> AnyResult<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let dir = tempfile::tempdir()?;
        let keep = std::env::var("ANWEI_BENCH_KEEP_DIR")
            .ok()
            .filter(|s| !s.is_empty())
            .map(std::path::PathBuf::from);
        let data_dir = keep.as_deref().unwrap_or(dir.path());
        let t = target(data_dir).await?;
        let out = run_on(&t, data_dir).await;
        let dropped = if keep.is_some() {
            if let Some((_, name)) = &t.pg_drop {
                progress(&format!("kept PostgreSQL database {name}"));
            }
            Ok(())
        } else {
            drop_pg(&t).await
        };
        out?;
        dropped
    })
}

async fn drop_pg(t: &Target) -> AnyResult<()> {
    if let Some((server, name)) = &t.pg_drop {
        let mut c = sqlx::PgConnection::connect(server).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut c)
        .await?;
        let _ = c.close().await;
    }
    Ok(())
}

/// Runs one statement of bulk SQL in its own transaction; the rows it touched.
pub async fn exec(state: &anwei::state::AppState, sql: &str) -> AnyResult<u64> {
    let mut tx = state.db.begin().await?;
    let n = anwei::on_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(
        sql.to_string()
    ))
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(n)
}

/// One number read by `sql`.
pub async fn exec_scalar(state: &anwei::state::AppState, sql: &str) -> AnyResult<i64> {
    let mut tx = state.db.read().await?;
    Ok(anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(
        sqlx::AssertSqlSafe(sql.to_string())
    )
    .fetch_one(c)
    .await)?)
}

/// Rows numbered `i` from `from` to `to`, the row source of a bulk insert: the `WITH` prefix
/// and the `FROM` item. PostgreSQL counts in BIGINT (`i * 7919` passes int4 at full size).
pub fn series(backend: Backend, from: usize, to: usize) -> (String, String) {
    match backend {
        Backend::Sqlite => (
            format!(
                "WITH RECURSIVE s(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM s WHERE i < {to}) "
            ),
            "s".to_string(),
        ),
        Backend::Postgres => (
            String::new(),
            format!("generate_series(CAST({from} AS BIGINT), CAST({to} AS BIGINT)) AS s(i)"),
        ),
    }
}

/// One GET figure: `path` (as `token`'s bearer, if any) driven by `CONCURRENCY` clients after a
/// warm-up, printed and returned as a JSON line with its p99 against `target` ms.
pub async fn get_figure(
    backend: &str,
    client: &Client,
    base: &str,
    name: &str,
    path: &str,
    token: Option<String>,
    target: f64,
) -> AnyResult<Value> {
    let n = size("ANWEI_BENCH_REQUESTS", 300, 20);
    progress(&format!("measuring {name} {path} ({n} requests)"));
    let url = format!("{base}{path}");
    let make: MakeRequest = Arc::new(move |c: &Client, _| {
        let rb = c.get(&url);
        match &token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    });
    let _ = drive(client, 20.min(n), make.clone()).await;
    let s = drive(client, n, make).await;
    let p99 = percentile(&s.sorted_ms, 0.99);
    let mut v = json!({
        "figure": name, "backend": backend, "path": path, "requests": s.requests,
        "concurrency": CONCURRENCY, "errors": s.errors,
        "rps": round3(s.requests as f64 / s.wall.as_secs_f64()),
        "p50_ms": round3(percentile(&s.sorted_ms, 0.50)), "p99_ms": round3(p99),
        "max_ms": round3(s.sorted_ms.last().copied().unwrap_or(f64::NAN)),
        "target_p99_ms": target, "met": s.errors == 0 && p99 < target,
    });
    if let Some(e) = s.first_error {
        v["first_error"] = Value::String(e);
    }
    emit(v.clone());
    Ok(v)
}
