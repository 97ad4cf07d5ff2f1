//! The foundation's speed figures, measured over HTTP against a real server.
//!
//! `cargo bench -p anwei --bench foundation` builds the app exactly as production does over a
//! fresh SQLite file (or, when `ANWEI_BENCH_DATABASE_URL` names a PostgreSQL server, over a
//! fresh database created on it and dropped afterwards), generates a city of 2,000 extra
//! organisations, 20,000 accounts and 1,000,000 hash-chained audit records, then prints one
//! JSON line per figure on stdout (progress goes to stderr). It reports; it never fails
//! because a target was missed.
//!
//! Optional knobs for quick runs: `ANWEI_BENCH_AUDIT_RECORDS` (default 1000000) and
//! `ANWEI_BENCH_REQUESTS` (default 500 per figure). `ANWEI_BENCH_QUICK=1` is the test
//! command's smoke run: 100 organisations, 200 accounts, 10,000 audit records, 20 requests
//! per figure; it fails on any error, and its figures mean nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anwei::audit::chain::AuditRow;
use anwei::config::Config;
use anwei::on_tx;
use anwei::state::AppState;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Client;
use serde_json::{Value, json};
use sqlx::Connection;

mod common;
use common::*;

const AUDIT_BATCH: usize = 500;

fn extra_orgs() -> usize {
    if quick() { 100 } else { 2_000 }
}

fn n_accounts() -> usize {
    if quick() { 200 } else { 20_000 }
}

fn main() -> AnyResult<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run())
}

async fn run() -> AnyResult<()> {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let t = target(dir.path()).await?;
    let mut cfg = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: t.database_url.clone(),
        bind: "127.0.0.1:0".into(),
        ..Config::default()
    };
    // The per-IP login limiter would turn the login figure into a 429 figure: every
    // request comes from 127.0.0.1. Everything else keeps production defaults.
    cfg.login_rate_per_minute = 1_000_000;
    cfg.validate()?;
    let state = AppState::build(cfg).await?;
    anwei::bootstrap(&state).await?;

    let audit_records = size("ANWEI_BENCH_AUDIT_RECORDS", 1_000_000, 10_000);
    let gen_start = Instant::now();
    let orgs = generate_orgs(&state).await?;
    let t_orgs = gen_start.elapsed();
    let accounts = generate_accounts(&state).await?;
    let t_accounts = gen_start.elapsed() - t_orgs;
    let (chained, hashing) = generate_audit(&state, &accounts, audit_records).await?;
    let gen_secs = gen_start.elapsed().as_secs_f64();
    emit(json!({
        "figure": "generate",
        "backend": t.backend,
        "organisations_added": orgs,
        "accounts_added": accounts.len(),
        "audit_records_added": chained,
        "orgs_seconds": round3(t_orgs.as_secs_f64()),
        "accounts_seconds": round3(t_accounts.as_secs_f64()),
        "audit_seconds": round3(gen_secs - t_orgs.as_secs_f64() - t_accounts.as_secs_f64()),
        "audit_hashing_seconds": round3(hashing.as_secs_f64()),
        "seconds": round3(gen_secs),
    }));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let st = state.clone();
    let server = tokio::spawn(async move {
        let _ = anwei::app::serve(st, listener, async {
            let _ = stop_rx.await;
        })
        .await;
    });
    wait_ready(&base).await?;

    let figures = measure(&base, t.backend, &accounts, audit_records).await?;

    progress("verifying the audit chain");
    let v_start = Instant::now();
    let verified = anwei::audit::store::verify(&state.db, &state.audit_key).await?;
    let v_secs = v_start.elapsed().as_secs_f64();
    let (records, chain_ok) = match &verified {
        Ok(n) => (*n, true),
        Err(b) => {
            progress(&format!("audit chain broken: {b}"));
            (0, false)
        }
    };
    let verify_met = chain_ok && v_secs < 20.0;
    let verify = json!({
        "figure": "audit_verify",
        "backend": t.backend,
        "records": records,
        "chain_ok": chain_ok,
        "seconds": round3(v_secs),
        "records_per_s": round3(records as f64 / v_secs),
        "target_seconds": 20,
        "met": verify_met,
    });
    emit(verify.clone());

    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    state.db.close().await;
    if let Some((server, name)) = &t.pg_drop {
        let mut c = sqlx::PgConnection::connect(server).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut c)
        .await?;
        let _ = c.close().await;
    }

    let mut all = figures.clone();
    all.push(verify);
    finish("foundation", t.backend, &all, started)
}

// ---------------------------------------------------------------------------------------
// Data generation: bulk SQL in a few big transactions.
// ---------------------------------------------------------------------------------------

struct NewOrg {
    code: String,
    name: String,
    kind: &'static str,
    level: String,
    region_id: i64,
    parent_id: Option<i64>,
    supervises: bool,
    sort: i64,
}

async fn insert_orgs(tx: &mut anwei::db::Tx, rows: &[NewOrg], now: i64) -> AnyResult<()> {
    const COLS: &str = "org (code, name, short_name, kind, level, region_id, parent_id, supervises_safety, sectors, note, sort_order, builtin, created_at, updated_at)";
    for chunk in rows.chunks(AUDIT_BATCH) {
        let sql = multi_insert(tx.backend(), COLS, 14, chunk.len());
        on_tx!(&mut *tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for o in chunk {
                q = q
                    .bind(&o.code)
                    .bind(&o.name)
                    .bind("")
                    .bind(o.kind)
                    .bind(&o.level)
                    .bind(o.region_id)
                    .bind(o.parent_id)
                    .bind(o.supervises)
                    .bind("")
                    .bind("")
                    .bind(o.sort)
                    .bind(false)
                    .bind(now)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Adds supervising departments and enterprises under every built-in region, with the
/// enterprises nested under departments so the tree page has depth. Returns how many.
async fn generate_orgs(state: &AppState) -> AnyResult<usize> {
    progress("generating organisations");
    let now = anwei::db::now_ms();
    let mut tx = state.db.begin().await?;
    let regions: Vec<(i64, String, String, String)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT id, code, name, level FROM region ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    let per_region = extra_orgs().div_ceil(regions.len().max(1));
    let departments_per_region = per_region / 5;
    let mut departments = Vec::new();
    for (rid, rcode, rname, rlevel) in &regions {
        let government: Option<i64> = on_tx!(&mut tx, |c| {
            sqlx::query_scalar(
            "SELECT id FROM org WHERE region_id = $1 AND kind = 'government' ORDER BY id LIMIT 1"
        )
        .bind(rid)
        .fetch_optional(c)
        .await
        })?;
        for i in 0..departments_per_region {
            departments.push(NewOrg {
                code: format!("{rcode}-BD{i:03}"),
                name: format!("{rname}第{}监管部门", i + 1),
                kind: "department",
                level: org_level(rlevel),
                region_id: *rid,
                parent_id: government,
                supervises: true,
                sort: 1_000 + i as i64,
            });
        }
    }
    insert_orgs(&mut tx, &departments, now).await?;
    let dept_ids: Vec<(i64, i64)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT region_id, id FROM org WHERE code LIKE '%-BD%' AND builtin = FALSE ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    let mut enterprises = Vec::new();
    for (rid, rcode, rname, rlevel) in &regions {
        let depts: Vec<i64> = dept_ids
            .iter()
            .filter(|(r, _)| r == rid)
            .map(|(_, id)| *id)
            .collect();
        for i in 0..per_region - departments_per_region {
            enterprises.push(NewOrg {
                code: format!("{rcode}-BE{i:04}"),
                name: format!("{rname}测试企业{:04}有限公司", i + 1),
                kind: "enterprise",
                level: org_level(rlevel),
                region_id: *rid,
                parent_id: (!depts.is_empty()).then(|| depts[i % depts.len()]),
                supervises: false,
                sort: 2_000 + i as i64,
            });
        }
    }
    insert_orgs(&mut tx, &enterprises, now).await?;
    // Every organisation has its first name in the history, as `orgs::store::insert` does.
    on_tx!(&mut tx, |c| {
        sqlx::query(
        "INSERT INTO org_name_history (org_id, name, valid_from) SELECT id, name, created_at FROM org WHERE builtin = FALSE"
    )
    .execute(c)
    .await
    .map(|_| ())
    })?;
    tx.commit().await?;
    Ok(departments.len() + enterprises.len())
}

fn org_level(region_level: &str) -> String {
    match region_level {
        "city" | "county" | "township" => region_level.to_string(),
        _ => "county".to_string(),
    }
}

fn role_for(kind: &str) -> &'static str {
    match kind {
        "enterprise" => "enterprise",
        "department" => "department",
        "safety_office" | "safety_committee" => "office",
        "government" | "party_committee" => "territory",
        "discipline" => "discipline",
        _ => "leader",
    }
}

/// An account the bench signs in as.
#[derive(Clone)]
struct Account {
    id: i64,
    username: String,
}

/// Generated accounts; `[0]` is `bench_admin`, `[1]` is `bench_office` (both at the city
/// committee office), the rest are spread over every organisation.
async fn generate_accounts(state: &AppState) -> AnyResult<Vec<Account>> {
    progress("generating accounts");
    // One argon2 hash for everyone: hashing 20,000 times would only measure argon2.
    let hash = anwei::auth::crypto::hash_password(PASSWORD)?;
    let now = anwei::db::now_ms();
    let mut tx = state.db.begin().await?;
    let orgs: Vec<(i64, String, String)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT id, code, kind FROM org ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    let city_office = orgs
        .iter()
        .find(|(_, code, kind)| kind == "safety_office" && code.starts_with("220500-"))
        .or_else(|| orgs.iter().find(|(_, _, kind)| kind == "safety_office"))
        .map(|o| o.0)
        .ok_or_else(|| anyhow::anyhow!("no safety office among the built-in organisations"))?;
    let mut rows: Vec<(String, String, &'static str, i64)> = vec![
        (
            "bench_admin".into(),
            "基准 管理员".into(),
            "admin",
            city_office,
        ),
        (
            "bench_office".into(),
            "基准 安委办".into(),
            "office",
            city_office,
        ),
    ];
    for i in 0..n_accounts() - 2 {
        let (org_id, _, kind) = &orgs[i % orgs.len()];
        rows.push((
            format!("u{i:05}"),
            format!("用户{i:05}"),
            role_for(kind),
            *org_id,
        ));
    }
    const COLS: &str = "account (username, display_name, email, password_hash, role, org_id, must_change_password, password_changed_at, created_at, updated_at)";
    for chunk in rows.chunks(AUDIT_BATCH) {
        let sql = multi_insert(tx.backend(), COLS, 10, chunk.len());
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (username, display, role, org_id) in chunk {
                q = q
                    .bind(username)
                    .bind(display)
                    .bind(format!("{username}@example.invalid"))
                    .bind(&hash)
                    .bind(*role)
                    .bind(*org_id)
                    .bind(false)
                    .bind(now)
                    .bind(now)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    let ids: Vec<(i64, String)> = on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT id, username FROM account WHERE username = 'bench_admin' OR username = 'bench_office' OR username LIKE 'u%' ORDER BY id"
    )
    .fetch_all(c)
    .await
    })?;
    tx.commit().await?;
    Ok(ids
        .into_iter()
        .map(|(id, username)| Account { id, username })
        .collect())
}

const ACTIONS: &[(&str, &str, &str)] = &[
    ("auth.login", "account", r#"{"via":"session"}"#),
    ("auth.login", "account", r#"{"via":"api"}"#),
    ("auth.logout", "account", "{}"),
    ("org.rename", "org", r#"{"from":"旧名称","to":"新名称"}"#),
    ("org.read", "org", "{}"),
    ("people.assign", "position", r#"{"person":"张三"}"#),
    (
        "policy.task.edit",
        "policy_task",
        r#"{"fields":["deadline_text"]}"#,
    ),
    ("account.create", "account", r#"{"role":"enterprise"}"#),
    ("token.create", "api_token", r#"{"name":"sync"}"#),
    ("audit.read", "audit_log", "{}"),
];

/// Appends `n` records to the chain after the records bootstrap wrote: each hash is the
/// production MAC over the previous hash, so `audit verify` walks a valid chain. Hashing
/// runs on a blocking thread while the previous batch is being inserted.
async fn generate_audit(
    state: &AppState,
    accounts: &[Account],
    n: usize,
) -> AnyResult<(usize, Duration)> {
    progress(&format!("generating {n} audit records"));
    let (head_seq, head_hash): (i64, String) = {
        let mut tx = state.db.read().await?;
        anwei::audit::store::head(&mut tx).await?
    };
    let (batch_tx, mut batch_rx) = tokio::sync::mpsc::channel::<Vec<AuditRow>>(16);
    let key = state.audit_key.clone();
    let actors: Vec<Account> = accounts.to_vec();
    let producer = tokio::task::spawn_blocking(move || {
        let mut rng = StdRng::seed_from_u64(2026);
        let mut prev = head_hash;
        let end = anwei::db::now_ms();
        // A year of history ending now, in seq order.
        let step = 365 * 86_400_000_i64 / (n.max(1) as i64);
        let mut batch = Vec::with_capacity(AUDIT_BATCH);
        let mut busy = Duration::ZERO;
        let mut t = Instant::now();
        for i in 0..n {
            let seq = head_seq + 1 + i as i64;
            let a = &actors[rng.random_range(0..actors.len())];
            let (action, target_type, detail) = ACTIONS[rng.random_range(0..ACTIONS.len())];
            let roll: u32 = rng.random_range(0..100);
            let outcome = match roll {
                0..90 => "ok",
                90..97 => "denied",
                _ => "failed",
            };
            let mut row = AuditRow {
                seq,
                at: end - (n - i) as i64 * step,
                actor_id: Some(a.id),
                actor_name: a.username.clone(),
                action: action.to_string(),
                target_type: target_type.to_string(),
                target_id: rng.random_range(1..50_000_u32).to_string(),
                outcome: outcome.to_string(),
                request_id: uuid::Uuid::from_u128(rng.random()).simple().to_string(),
                ip: format!(
                    "10.{}.{}.{}",
                    rng.random_range(0..255_u8),
                    rng.random_range(0..255_u8),
                    rng.random_range(1..255_u8)
                ),
                detail: detail.to_string(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            row.hash = key.mac(&prev, &row);
            prev.clone_from(&row.hash);
            batch.push(row);
            if batch.len() == AUDIT_BATCH || i + 1 == n {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(AUDIT_BATCH));
                busy += t.elapsed();
                if batch_tx.blocking_send(full).is_err() {
                    break;
                }
                t = Instant::now();
            }
        }
        busy
    });

    const COLS: &str = "audit_log (seq, at, actor_id, actor_name, action, target_type, target_id, outcome, request_id, ip, detail, prev_hash, hash)";
    let backend = state.db.backend();
    let full_sql = multi_insert(backend, COLS, 13, AUDIT_BATCH);
    let mut tx = state.db.begin().await?;
    let mut in_tx = 0;
    let mut written = 0;
    let mut last: Option<(i64, String)> = None;
    let rows_per_tx = rows_per_tx(100_000);
    let t0 = Instant::now();
    while let Some(batch) = batch_rx.recv().await {
        let sql = if batch.len() == AUDIT_BATCH {
            full_sql.clone()
        } else {
            multi_insert(backend, COLS, 13, batch.len())
        };
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for r in &batch {
                q = q
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
                    .bind(&r.hash);
            }
            q.execute(c).await.map(|_| ())
        })?;
        if let Some(r) = batch.last() {
            last = Some((r.seq, r.hash.clone()));
        }
        in_tx += batch.len();
        written += batch.len();
        if in_tx >= rows_per_tx {
            set_head(&mut tx, &last).await?;
            tx.commit().await?;
            progress(&format!(
                "  {written} audit records ({:.1} s)",
                t0.elapsed().as_secs_f64()
            ));
            tx = state.db.begin().await?;
            in_tx = 0;
        }
    }
    let hashing = producer.await?;
    set_head(&mut tx, &last).await?;
    tx.commit().await?;
    Ok((written, hashing))
}

/// Keeps the head in step with each committed slice, so the chain is whole at every commit.
async fn set_head(tx: &mut anwei::db::Tx, last: &Option<(i64, String)>) -> AnyResult<()> {
    if let Some((seq, hash)) = last {
        on_tx!(tx, |c| sqlx::query(
            "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1"
        )
        .bind(*seq)
        .bind(hash)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Measurement over HTTP.
// ---------------------------------------------------------------------------------------

struct Figure<'a> {
    name: &'a str,
    n: usize,
    warmup: usize,
    target_p99_ms: Option<f64>,
}

async fn figure(
    backend: &str,
    client: &Client,
    f: Figure<'_>,
    make: MakeRequest,
) -> AnyResult<Value> {
    progress(&format!("measuring {} ({} requests)", f.name, f.n));
    let _ = drive(client, f.warmup, make.clone()).await;
    let s = drive(client, f.n, make).await;
    let p50 = percentile(&s.sorted_ms, 0.50);
    let p99 = percentile(&s.sorted_ms, 0.99);
    let met = f.target_p99_ms.map(|t| s.errors == 0 && p99 < t);
    let mut v = json!({
        "figure": f.name,
        "backend": backend,
        "requests": s.requests,
        "concurrency": CONCURRENCY,
        "errors": s.errors,
        "rps": round3(s.requests as f64 / s.wall.as_secs_f64()),
        "p50_ms": round3(p50),
        "p99_ms": round3(p99),
        "max_ms": round3(s.sorted_ms.last().copied().unwrap_or(f64::NAN)),
        "target_p99_ms": f.target_p99_ms,
        "met": met,
    });
    if let Some(e) = s.first_error {
        v["first_error"] = Value::String(e);
    }
    emit(v.clone());
    Ok(v)
}

async fn measure(
    base: &str,
    backend: &str,
    accounts: &[Account],
    audit_records: usize,
) -> AnyResult<Vec<Value>> {
    let n = size("ANWEI_BENCH_REQUESTS", 500, 20);
    let warmup = 20.min(n);
    let client = Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let mut out = Vec::new();

    // Login: argon2id is deliberately slow, so fewer requests.
    let users: Arc<Vec<String>> = Arc::new(
        accounts
            .iter()
            .filter(|a| a.username.starts_with('u'))
            .map(|a| a.username.clone())
            .collect(),
    );
    let base_s = base.to_string();
    let make: MakeRequest = Arc::new(move |c, i| {
        let u = &users[(i * 7_919) % users.len()];
        c.post(format!("{base_s}/api/v1/auth/login"))
            .json(&json!({"username": u, "password": PASSWORD}))
    });
    out.push(
        figure(
            backend,
            &client,
            Figure {
                name: "login",
                n: (n / 10).max(10),
                warmup: 4,
                target_p99_ms: None,
            },
            make,
        )
        .await?,
    );

    let office = api_token(&client, base, "bench_office").await?;
    let admin = api_token(&client, base, "bench_admin").await?;

    let get = |path: String, token: String| -> MakeRequest {
        let base_s = base.to_string();
        Arc::new(move |c: &Client, _| c.get(format!("{base_s}{path}")).bearer_auth(&token))
    };

    out.push(
        figure(
            backend,
            &client,
            Figure {
                name: "policy_task_list",
                n,
                warmup,
                target_p99_ms: Some(10.0),
            },
            get("/api/v1/policy/tasks".into(), office.clone()),
        )
        .await?,
    );

    let web = browser(base, "bench_office").await?;
    let base_s = base.to_string();
    out.push(
        figure(
            backend,
            &web,
            Figure {
                name: "org_tree_page",
                n,
                warmup,
                target_p99_ms: None,
            },
            Arc::new(move |c, _| c.get(format!("{base_s}/orgs"))),
        )
        .await?,
    );
    out.push(
        figure(
            backend,
            &client,
            Figure {
                name: "org_list_api",
                n,
                warmup,
                target_p99_ms: None,
            },
            get("/api/v1/orgs".into(), office.clone()),
        )
        .await?,
    );

    out.push(
        figure(
            backend,
            &client,
            Figure {
                name: "audit_list_page",
                n,
                warmup,
                target_p99_ms: Some(30.0),
            },
            get("/api/v1/audit".into(), admin.clone()),
        )
        .await?,
    );
    // Deep pages around the middle of the log, each a different keyset position (490,000 to
    // 510,000 of a million).
    let mid = audit_records / 2;
    let spread = (audit_records / 50).clamp(1, 20_000);
    let base_s = base.to_string();
    let admin_d = admin.clone();
    out.push(
        figure(
            backend,
            &client,
            Figure {
                name: "audit_list_page_deep",
                n,
                warmup,
                target_p99_ms: Some(30.0),
            },
            Arc::new(move |c, i| {
                let before = mid - spread / 2 + (i * 7_919) % spread;
                c.get(format!("{base_s}/api/v1/audit?before={before}"))
                    .bearer_auth(&admin_d)
            }),
        )
        .await?,
    );
    let web_admin = browser(base, "bench_admin").await?;
    let base_s = base.to_string();
    out.push(
        figure(
            backend,
            &web_admin,
            Figure {
                name: "audit_list_html",
                n,
                warmup,
                target_p99_ms: Some(30.0),
            },
            Arc::new(move |c, _| c.get(format!("{base_s}/audit"))),
        )
        .await?,
    );
    Ok(out)
}
