//! The enterprise registry at a city's scale, measured over HTTP against a real server.
//!
//! `cargo bench -p anwei --bench registry` builds the app as production does over a fresh
//! SQLite file (or a fresh PostgreSQL database when `ANWEI_BENCH_DATABASE_URL` names a server),
//! then:
//! 1. writes an xlsx of 100,000 enterprises (every column of the template filled, a principal's
//!    ID number on every row, spread over the counties) and times `POST
//!    /api/v1/enterprises/import` with it, from the first byte sent to the answer (target
//!    < 30 s);
//! 2. imports a second 100,000 the same way, so 200,000 enterprises hang in the tree;
//! 3. measures the organisation tree page (`/orgs`) and `GET /api/v1/orgs` (target p99 < 50 ms
//!    each, 4 concurrent clients).
//!
//! One JSON line per figure on stdout (progress on stderr). `ANWEI_BENCH_ENTERPRISES`
//! (default 100000 per file) and `ANWEI_BENCH_REQUESTS` (default 500 per figure) change the
//! sizes; `ANWEI_BENCH_QUICK=1` is the test command's smoke run: 1,000 enterprises a file, 20
//! requests per figure, failing only on an error.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anwei::config::Config;
use anwei::state::AppState;
use reqwest::Client;
use serde_json::{Value, json};

mod common;
use common::*;

fn main() -> AnyResult<()> {
    main_with(run_on)
}

/// A valid code: `first` and the check character that makes it right.
fn with_check(first: &str, chars: &str, ok: impl Fn(&str) -> bool) -> String {
    chars
        .chars()
        .map(|c| format!("{first}{c}"))
        .find(|c| ok(c))
        .expect("a check character")
}

const COUNTIES: &[&str] = &[
    "220502", "220503", "220521", "220523", "220524", "220581", "220582",
];
const INDUSTRIES: &[&str] = &["C26", "C25", "B06", "F51", "G54", "E47", "C13", "D44"];

/// An xlsx of `n` enterprises, their credit codes numbered from `from`.
fn workbook(from: usize, n: usize) -> AnyResult<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, (_, names)) in anwei::enterprises::import::FIELDS.iter().enumerate() {
        ws.write_string(0, c as u16, names[0])?;
    }
    let ids: Vec<String> = (0..100)
        .map(|i| {
            with_check(
                &format!("2205021980{:02}{:02}0{:02}", i % 12 + 1, i % 28 + 1, i),
                "0123456789X",
                |s| anwei_rules::enterprise::id_number_valid(s).is_ok(),
            )
        })
        .collect();
    for i in 0..n {
        let k = from + i;
        let r = (i + 1) as u32;
        let code = with_check(
            &format!("91220500MA{k:07}"),
            "0123456789ABCDEFGHJKLMNPQRTUWXY",
            |s| anwei_rules::enterprise::credit_code_valid(s).is_ok(),
        );
        let row = [
            format!("通化测试企业{k:07}有限公司"),
            code,
            COUNTIES[k % COUNTIES.len()].to_string(),
            INDUSTRIES[k % INDUSTRIES.len()].to_string(),
            format!("通化市测试路{}号", k % 1000),
            ["小型", "中型", "微型", "大型"][k % 4].to_string(),
            if k.is_multiple_of(50) { "是" } else { "否" }.to_string(),
            if k.is_multiple_of(10) {
                "市管"
            } else {
                "县管"
            }
            .to_string(),
            if k.is_multiple_of(20) { "是" } else { "否" }.to_string(),
            format!("负责人{}", k % 500),
            ids[k % ids.len()].clone(),
        ];
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r, c as u16, v)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// Sends one import and times it; an error (not 201) is recorded in the figure.
async fn import(
    client: &Client,
    base: &str,
    token: &str,
    backend: &str,
    name: &str,
    (from, n): (usize, usize),
) -> AnyResult<Value> {
    progress(&format!("{name}: writing an xlsx of {n} enterprises"));
    let w = Instant::now();
    let bytes = workbook(from, n)?;
    let write_secs = w.elapsed().as_secs_f64();
    progress(&format!("{name}: importing ({} bytes)", bytes.len()));
    let part = reqwest::multipart::Part::bytes(bytes.clone())
        .file_name("enterprises.xlsx")
        .mime_str("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")?;
    let form = reqwest::multipart::Form::new().part("file", part);
    let t = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/enterprises/import"))
        .bearer_auth(token)
        .multipart(form)
        .timeout(Duration::from_secs(600))
        .send()
        .await?;
    let status = r.status();
    let body = r.text().await?;
    let secs = t.elapsed().as_secs_f64();
    let ok = status == reqwest::StatusCode::CREATED;
    let mut v = json!({
        "figure": name,
        "backend": backend,
        "enterprises": n,
        "file_bytes": bytes.len(),
        "xlsx_write_seconds": round3(write_secs),
        "seconds": round3(secs),
        "rows_per_s": round3(n as f64 / secs),
        "errors": usize::from(!ok),
        "target_seconds": 30,
        "met": ok && secs < 30.0,
    });
    if !ok {
        v["first_error"] = Value::String(format!("{status}: {}", &body[..body.len().min(500)]));
    }
    emit(v.clone());
    Ok(v)
}

async fn figure(
    backend: &str,
    client: &Client,
    (name, n, warmup): (&str, usize, usize),
    make: MakeRequest,
) -> AnyResult<Value> {
    progress(&format!("measuring {name} ({n} requests)"));
    let _ = drive(client, warmup, make.clone()).await;
    let s = drive(client, n, make).await;
    let p50 = percentile(&s.sorted_ms, 0.50);
    let p99 = percentile(&s.sorted_ms, 0.99);
    let mut v = json!({
        "figure": name,
        "backend": backend,
        "enterprises_in_tree": Value::Null,
        "requests": s.requests,
        "concurrency": CONCURRENCY,
        "errors": s.errors,
        "rps": round3(s.requests as f64 / s.wall.as_secs_f64()),
        "p50_ms": round3(p50),
        "p99_ms": round3(p99),
        "max_ms": round3(s.sorted_ms.last().copied().unwrap_or(f64::NAN)),
        "target_p99_ms": 50,
        "met": s.errors == 0 && p99 < 50.0,
    });
    if let Some(e) = s.first_error {
        v["first_error"] = Value::String(e);
    }
    Ok(v)
}

async fn run_on(t: &Target, dir: &std::path::Path) -> AnyResult<()> {
    let started = Instant::now();
    let mut cfg = Config {
        data_dir: dir.to_path_buf(),
        database_url: t.database_url.clone(),
        bind: "127.0.0.1:0".into(),
        ..Config::default()
    };
    cfg.login_rate_per_minute = 1_000_000;
    cfg.run_jobs = false;
    cfg.validate()?;
    let state = AppState::build(cfg).await?;
    anwei::bootstrap(&state).await?;
    let per_file = size("ANWEI_BENCH_ENTERPRISES", 100_000, 1_000).max(1);
    let n = size("ANWEI_BENCH_REQUESTS", 500, 20);

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
    create_office(&state).await?;
    let client = Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let token = api_token(&client, &base, "bench_office").await?;

    let mut figures = Vec::new();
    figures.push(
        import(
            &client,
            &base,
            &token,
            t.backend,
            "import_first",
            (0, per_file),
        )
        .await?,
    );
    figures.push(
        import(
            &client,
            &base,
            &token,
            t.backend,
            "import_second",
            (per_file, per_file),
        )
        .await?,
    );
    let in_tree = 2 * per_file;

    let web = browser(&base, "bench_office").await?;
    let warmup = 20.min(n);
    let b = base.clone();
    let mut page = figure(
        t.backend,
        &web,
        ("org_tree_page", n, warmup),
        Arc::new(move |c, _| c.get(format!("{b}/orgs"))),
    )
    .await?;
    page["enterprises_in_tree"] = json!(in_tree);
    emit(page.clone());
    figures.push(page);
    let b = base.clone();
    let tk = token.clone();
    let mut api = figure(
        t.backend,
        &client,
        ("org_list_api", n, warmup),
        Arc::new(move |c, _| c.get(format!("{b}/api/v1/orgs")).bearer_auth(&tk)),
    )
    .await?;
    api["enterprises_in_tree"] = json!(in_tree);
    emit(api.clone());
    figures.push(api);

    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    state.db.close().await;
    finish("registry", t.backend, &figures, started)
}
