//! Task supervision's speed figures (issue 3), measured against a real server.
//!
//! `cargo bench -p anwei --bench supervision` builds the app exactly as production does over a
//! fresh SQLite file (or, when `ANWEI_BENCH_DATABASE_URL` names a PostgreSQL server, over a
//! fresh database created on it and dropped afterwards), then generates 49 more policies
//! (copies of the built-in policy's measures and tasks under new codes), one assignment for
//! every (policy, task, organisation) over 200 built-in organisations (50 × 66 × 200 =
//! 660,000) with a realistic mix of statuses and watch dates around today, and 2,000,000
//! reports spread over them. It prints one JSON line per figure on stdout (progress goes to
//! stderr) and never fails because a target was missed:
//!
//! - `ledger_page_light`: `GET /supervision?light=red` (default policy) and
//!   `GET /supervision?light=yellow&policy=…` (a generated one) in a signed-in browser
//!   session, p99 < 50 ms; `api_assignments_light` is the same filter over the API.
//! - `xlsx_export_one_policy`: `GET /supervision/export.xlsx?policy=…` (one policy, all
//!   organisations), each run < 5 s.
//! - `reminder_sweep`: `anwei::supervision::reminders::sweep` over all assignments, first run and
//!   re-run, < 2 s each.
//!
//! On PostgreSQL the bench runs `ANALYZE` after generating (see `analyze`).
//!
//! The job worker is off (`run_jobs = false`): otherwise it would run the day's sweep itself
//! as soon as the server starts (so the bench's sweep would not be the first) and then work
//! off thousands of reminder jobs while the HTTP figures are taken.
//!
//! Optional knobs for quick runs: `ANWEI_BENCH_POLICIES` (default 50, including the built-in
//! one), `ANWEI_BENCH_ORGS` (default 200), `ANWEI_BENCH_REPORTS` (default 2000000),
//! `ANWEI_BENCH_REQUESTS` (default 300 per figure) and `ANWEI_BENCH_EXPORTS` (default 5).
//! `ANWEI_BENCH_QUICK=1` is the test command's smoke run: 2 policies, 10 organisations,
//! 5,000 reports, 20 requests per figure, one export; it fails on any error, and its figures
//! mean nothing.
//! `ANWEI_BENCH_KEEP_DIR` keeps the SQLite database in that directory (and a PostgreSQL
//! database undropped) for inspection.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anwei::config::Config;
use anwei::db::Backend;
use anwei::on_tx;
use anwei::state::AppState;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Client;
use serde_json::{Value, json};

mod common;
use common::*;

/// Rows per multi-row INSERT: 15 columns × 500 = 7,500 parameters.
const ASSIGNMENT_BATCH: usize = 500;
/// 10 columns × 800 = 8,000 parameters.
const REPORT_BATCH: usize = 800;
/// Rows per transaction (see `rows_per_tx`).
const ROWS_PER_TX: usize = 200_000;
const DAY_MS: i64 = 86_400_000;

fn main() -> AnyResult<()> {
    main_with(run_on)
}

async fn run_on(t: &Target, dir: &std::path::Path) -> AnyResult<()> {
    let started = Instant::now();
    let mut cfg = Config {
        data_dir: dir.to_path_buf(),
        database_url: t.database_url.clone(),
        bind: "127.0.0.1:0".into(),
        ..Config::default()
    };
    // Every request comes from 127.0.0.1: the per-IP login limiter stays out of the way.
    cfg.login_rate_per_minute = 1_000_000;
    // The bench times the sweep itself (see the module comment).
    cfg.run_jobs = false;
    cfg.validate()?;
    let state = AppState::build(cfg).await?;
    anwei::bootstrap(&state).await?;

    let n_policies = size("ANWEI_BENCH_POLICIES", 50, 2).max(1);
    let n_orgs = size("ANWEI_BENCH_ORGS", 200, 10).max(1);
    let n_reports = size("ANWEI_BENCH_REPORTS", 2_000_000, 5_000);

    let gen_start = Instant::now();
    let office_id = create_office(&state).await?;
    let policies = generate_policies(&state, n_policies).await?;
    let t_policies = gen_start.elapsed();
    let orgs = pick_orgs(&state, n_orgs).await?;
    let assignments = generate_assignments(&state, &orgs, office_id).await?;
    let t_assignments = gen_start.elapsed() - t_policies;
    let reports = generate_reports(&state, &assignments, office_id, n_reports).await?;
    let gen_secs = gen_start.elapsed().as_secs_f64();
    let analyze_secs = analyze(&state).await?;
    let lights = light_counts(&state).await?;
    emit(json!({
        "figure": "generate",
        "backend": t.backend,
        "policies": policies.len(),
        "organisations": orgs.len(),
        "assignments": assignments.len(),
        "reports": reports,
        "lights": lights,
        "policies_seconds": round3(t_policies.as_secs_f64()),
        "assignments_seconds": round3(t_assignments.as_secs_f64()),
        "reports_seconds": round3(gen_secs - t_policies.as_secs_f64() - t_assignments.as_secs_f64()),
        "seconds": round3(gen_secs),
        "analyze_seconds": analyze_secs.map(round3),
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

    // A generated policy (not the default one) for the second filter and the export.
    let other = policies
        .iter()
        .find(|p| !p.builtin)
        .or(policies.first())
        .map(|p| p.code.clone())
        .ok_or_else(|| anyhow::anyhow!("no policy"))?;
    let mut figures = measure_http(&base, t.backend, &other).await?;
    figures.push(measure_sweep(&state, t.backend).await?);

    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    state.db.close().await;

    finish("supervision", t.backend, &figures, started)
}

// ---------------------------------------------------------------------------------------
// Data generation: bulk SQL in a few big transactions.
// ---------------------------------------------------------------------------------------

struct Policy {
    code: String,
    builtin: bool,
}

/// Copies the built-in policy (with its measures, articles, tasks and deliverables) under new
/// codes until there are `n` policies; returns them all, built-in first.
async fn generate_policies(state: &AppState, n: usize) -> AnyResult<Vec<Policy>> {
    progress(&format!("generating {} policies", n.saturating_sub(1)));
    let now = anwei::db::now_ms();
    let mut tx = state.db.begin().await?;
    let (src, code, doc, title, issuer, issued_on): (i64, String, String, String, String, String) =
        on_tx!(&mut tx, |c| {
            sqlx::query_as(
            "SELECT id, code, doc_number, title, issuer, issued_on FROM policy WHERE builtin = TRUE ORDER BY id LIMIT 1"
        )
        .fetch_one(c)
        .await
        })?;
    let mut out = vec![Policy {
        code: code.clone(),
        builtin: true,
    }];
    for i in 1..n {
        let new_code = format!("bench-{i:02}");
        let (d, ti) = (format!("{doc}-{i:02}"), format!("{title}（基准副本{i}）"));
        on_tx!(&mut tx, |c| {
            sqlx::query(
            "INSERT INTO policy (code, doc_number, title, issuer, issued_on, builtin, created_at) VALUES ($1, $2, $3, $4, $5, FALSE, $6)"
        )
        .bind(&new_code)
        .bind(&d)
        .bind(&ti)
        .bind(&issuer)
        .bind(&issued_on)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        out.push(Policy {
            code: new_code,
            builtin: false,
        });
    }
    let copies = [
        "INSERT INTO policy_measure (policy_id, number, title_zh, title_en) \
         SELECT np.id, m.number, m.title_zh, m.title_en FROM policy np JOIN policy_measure m ON m.policy_id = $1 WHERE np.code LIKE 'bench-%'",
        "INSERT INTO policy_article (policy_id, number, measure_number, title_zh, text_zh) \
         SELECT np.id, x.number, x.measure_number, x.title_zh, x.text_zh FROM policy np JOIN policy_article x ON x.policy_id = $1 WHERE np.code LIKE 'bench-%'",
        "INSERT INTO policy_task (policy_id, number, measure_number, articles, content, units_text, deadline_text, deadline_kind, due, ongoing, window_start, window_end, selectors, updated_at) \
         SELECT np.id, t.number, t.measure_number, t.articles, t.content, t.units_text, t.deadline_text, t.deadline_kind, t.due, t.ongoing, t.window_start, t.window_end, t.selectors, t.updated_at \
         FROM policy np JOIN policy_task t ON t.policy_id = $1 WHERE np.code LIKE 'bench-%'",
        "INSERT INTO policy_deliverable (policy_id, code, title_zh, title_en, due, article_number) \
         SELECT np.id, d.code, d.title_zh, d.title_en, d.due, d.article_number FROM policy np JOIN policy_deliverable d ON d.policy_id = $1 WHERE np.code LIKE 'bench-%'",
    ];
    for sql in copies {
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(src)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(out)
}

/// `n` built-in organisations spread evenly over the organisation tree (city and counties,
/// every kind), in tree order.
async fn pick_orgs(state: &AppState, n: usize) -> AnyResult<Vec<i64>> {
    let mut tx = state.db.read().await?;
    let all: Vec<i64> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
        "SELECT o.id FROM org o JOIN region r ON r.id = o.region_id WHERE o.retired_at IS NULL ORDER BY r.path, o.sort_order, o.id"
    )
    .fetch_all(c)
    .await
    })?;
    drop(tx);
    if all.len() < n {
        progress(&format!(
            "only {} organisations exist; assigning to all of them",
            all.len()
        ));
        return Ok(all);
    }
    Ok((0..n).map(|i| all[i * all.len() / n]).collect())
}

/// One generated assignment, as the report generator needs it.
struct Generated {
    status: &'static str,
    ongoing: bool,
    issued_at: i64,
}

/// The status mix: (status, weight in ‰).
const STATUS_MIX: &[(&str, u32)] = &[
    ("issued", 120),
    ("acknowledged", 230),
    ("reported", 200),
    ("returned", 60),
    ("completion_requested", 70),
    ("closed", 320),
];

fn pick_status(rng: &mut StdRng) -> &'static str {
    let mut x = rng.random_range(0..1000u32);
    for (s, w) in STATUS_MIX {
        if x < *w {
            return s;
        }
        x -= w;
    }
    "closed"
}

/// Every (policy, task, organisation): the task's date lies within ±400 days of today (one
/// date per task, each organisation's watch date within ±20 days of it, as counties get their
/// own deadlines), tasks without a fixed date in the policy (neither a due date nor ongoing)
/// have none; statuses follow `STATUS_MIX`. Returns the assignments in id order.
async fn generate_assignments(
    state: &AppState,
    orgs: &[i64],
    office_id: i64,
) -> AnyResult<Vec<(i64, Generated)>> {
    let today = anwei::time::today();
    let now = anwei::db::now_ms();
    let backend = state.db.backend();
    let mut tx = state.db.begin().await?;
    let tasks: Vec<(i64, i64, i64, Option<String>, bool)> = on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT policy_id, number, measure_number, due, ongoing FROM policy_task ORDER BY policy_id, number"
    )
    .fetch_all(c)
    .await
    })?;
    progress(&format!(
        "generating {} assignments ({} tasks × {} organisations)",
        tasks.len() * orgs.len(),
        tasks.len(),
        orgs.len()
    ));
    const COLS: &str = "assignment (policy_id, task_number, measure_number, org_id, role, status, ongoing, due, watch_due, issued_at, issued_by, acknowledged_at, last_report_at, closed_at, updated_at)";
    let full_sql = multi_insert(backend, COLS, 15, ASSIGNMENT_BATCH);
    let mut rng = StdRng::seed_from_u64(0x5EED_0003);
    type Row = (
        i64,
        i64,
        i64,
        i64,
        &'static str,
        &'static str,
        bool,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        i64,
    );
    let mut batch: Vec<Row> = Vec::with_capacity(ASSIGNMENT_BATCH);
    let mut written = 0usize;
    let mut in_tx = 0usize;
    let t0 = Instant::now();
    let date = |off: i64| (today + chrono::Duration::days(off)).to_string();
    let total = tasks.len() * orgs.len();
    for (ti, (policy_id, number, measure, due, ongoing)) in tasks.iter().enumerate() {
        // A task without any date in the document stays without one (no light by date).
        let dated = due.is_some() || *ongoing;
        let task_off = rng.random_range(-400i64..=400);
        let lead_org = rng.random_range(0..orgs.len());
        for (oi, org) in orgs.iter().enumerate() {
            let status = pick_status(&mut rng);
            let watch_off = (task_off + rng.random_range(-20i64..=20)).clamp(-400, 400);
            let (due_s, watch_s) = if !dated {
                (None, None)
            } else if *ongoing {
                (Some(date(task_off)), Some(date(watch_off)))
            } else {
                (Some(date(watch_off)), Some(date(watch_off)))
            };
            let issued_at = now - rng.random_range(30..600) * DAY_MS;
            let acked = (status != "issued").then(|| issued_at + rng.random_range(1..5) * DAY_MS);
            let reported = matches!(
                status,
                "reported" | "returned" | "completion_requested" | "closed"
            )
            .then(|| issued_at + rng.random_range(10..30) * DAY_MS);
            let closed =
                (status == "closed").then(|| issued_at + rng.random_range(25..30) * DAY_MS);
            batch.push((
                *policy_id,
                *number,
                *measure,
                *org,
                if oi == lead_org { "lead" } else { "support" },
                status,
                *ongoing,
                due_s,
                watch_s,
                issued_at,
                acked,
                reported,
                closed,
                now,
            ));
            if batch.len() == ASSIGNMENT_BATCH || (ti + 1 == tasks.len() && oi + 1 == orgs.len()) {
                let sql = if batch.len() == ASSIGNMENT_BATCH {
                    full_sql.clone()
                } else {
                    multi_insert(backend, COLS, 15, batch.len())
                };
                on_tx!(&mut tx, |c| {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                    for r in &batch {
                        q = q
                            .bind(r.0)
                            .bind(r.1)
                            .bind(r.2)
                            .bind(r.3)
                            .bind(r.4)
                            .bind(r.5)
                            .bind(r.6)
                            .bind(r.7.as_deref())
                            .bind(r.8.as_deref())
                            .bind(r.9)
                            .bind(office_id)
                            .bind(r.10)
                            .bind(r.11)
                            .bind(r.12)
                            .bind(r.13);
                    }
                    q.execute(c).await.map(|_| ())
                })?;
                written += batch.len();
                in_tx += batch.len();
                batch.clear();
                if in_tx >= rows_per_tx(ROWS_PER_TX) {
                    tx.commit().await?;
                    progress(&format!(
                        "  {written}/{total} assignments ({:.1} s)",
                        t0.elapsed().as_secs_f64()
                    ));
                    tx = state.db.begin().await?;
                    in_tx = 0;
                }
            }
        }
    }
    let rows: Vec<(i64, String, bool, i64)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT id, status, ongoing, issued_at FROM assignment ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    tx.commit().await?;
    progress(&format!(
        "  {written} assignments ({:.1} s)",
        t0.elapsed().as_secs_f64()
    ));
    Ok(rows
        .into_iter()
        .map(|(id, status, ongoing, issued_at)| {
            let status = STATUS_MIX
                .iter()
                .map(|(s, _)| *s)
                .find(|s| *s == status)
                .unwrap_or("closed");
            (
                id,
                Generated {
                    status,
                    ongoing,
                    issued_at,
                },
            )
        })
        .collect())
}

const TEXTS: &[&str] = &[
    "已召开专题会议研究部署，明确责任分工和时间节点，正在按计划推进。",
    "已完成辖区内重点企业排查，建立问题隐患台账，整改工作持续推进。",
    "已制定实施方案并印发执行，阶段性工作已完成，佐证材料见附件。",
    "按要求开展督导检查，发现问题已督促整改，整改率达到百分之九十以上。",
    "本季度工作已按期完成，相关制度已建立并落实到位。",
];

/// `total` reports spread over the assignments that have reports by their status (an issued
/// one has none; an acknowledged ongoing task a few accepted progress reports), each
/// assignment's last report agreeing with its status: pending for `reported`, returned for
/// `returned`, a pending completion for `completion_requested`, an accepted completion for
/// `closed`.
async fn generate_reports(
    state: &AppState,
    assignments: &[(i64, Generated)],
    office_id: i64,
    total: usize,
) -> AnyResult<usize> {
    progress(&format!("generating {total} reports"));
    // Reports come from another account than the office that decides them: the review
    // core's table refuses a decision by the submitter.
    let reporter_id = common::create_account(state, "bench_reporter", "基准 报送人").await?;
    let mut rng = StdRng::seed_from_u64(0x5EED_0004);
    // A status that needs a last report gets one; the rest is spread by random weights,
    // scaled so the counts add up to `total` exactly.
    let needs_one = |a: &Generated| {
        matches!(
            a.status,
            "reported" | "returned" | "completion_requested" | "closed"
        )
    };
    let mut counts: Vec<usize> = assignments
        .iter()
        .map(|(_, a)| usize::from(needs_one(a)))
        .collect();
    let rest = total.saturating_sub(counts.iter().sum());
    let weights: Vec<u64> = assignments
        .iter()
        .map(|(_, a)| match a.status {
            "issued" => 0,
            "acknowledged" if a.ongoing => rng.random_range(1..=4),
            "acknowledged" => 0,
            _ => rng.random_range(0..=8),
        })
        .collect();
    let sum: u64 = weights.iter().sum();
    if sum > 0 {
        for (c, w) in counts.iter_mut().zip(&weights) {
            *c += (*w as u128 * rest as u128 / sum as u128) as usize;
        }
        let mut missing = total.saturating_sub(counts.iter().sum());
        for (c, w) in counts.iter_mut().zip(&weights) {
            if missing == 0 {
                break;
            }
            if *w > 0 {
                *c += 1;
                missing -= 1;
            }
        }
    }

    let backend = state.db.backend();
    let full_sql = multi_insert(backend, REPORT_COLS, 10, REPORT_BATCH);
    let mut tx = state.db.begin().await?;
    let mut batch: Vec<ReportRow> = Vec::with_capacity(REPORT_BATCH);
    let mut written = 0usize;
    let mut in_tx = 0usize;
    let t0 = Instant::now();
    let grand: usize = counts.iter().sum();
    for ((id, a), n) in assignments.iter().zip(&counts) {
        let mut at = a.issued_at + DAY_MS;
        for k in 0..*n {
            at += rng.random_range(1..20) * DAY_MS / 4;
            let text = TEXTS[rng.random_range(0..TEXTS.len())];
            let (kind, decision, comment) = if k + 1 == *n {
                match a.status {
                    "reported" => ("progress", None, ""),
                    "returned" => ("progress", Some("returned"), RETURNED),
                    "completion_requested" => ("completion", None, ""),
                    "closed" => ("completion", Some("accepted"), "同意销号。"),
                    _ => ("progress", Some("accepted"), ""),
                }
            } else if rng.random_range(0..5) == 0 {
                ("progress", Some("returned"), RETURNED)
            } else {
                ("progress", Some("accepted"), "")
            };
            batch.push(ReportRow {
                assignment_id: *id,
                kind,
                text,
                at,
                decision,
                comment,
            });
            if batch.len() == REPORT_BATCH {
                insert_reports(&mut tx, &full_sql, &batch, (reporter_id, office_id)).await?;
                written += batch.len();
                in_tx += batch.len();
                batch.clear();
                if in_tx >= rows_per_tx(ROWS_PER_TX) {
                    tx.commit().await?;
                    progress(&format!(
                        "  {written}/{grand} reports ({:.1} s)",
                        t0.elapsed().as_secs_f64()
                    ));
                    tx = state.db.begin().await?;
                    in_tx = 0;
                }
            }
        }
    }
    if !batch.is_empty() {
        let sql = multi_insert(backend, REPORT_COLS, 10, batch.len());
        insert_reports(&mut tx, &sql, &batch, (reporter_id, office_id)).await?;
        written += batch.len();
    }
    tx.commit().await?;
    progress(&format!(
        "  {written} reports ({:.1} s)",
        t0.elapsed().as_secs_f64()
    ));
    Ok(written)
}

const RETURNED: &str = "请补充佐证材料后重新报送。";
const REPORT_COLS: &str = "submission (subject_kind, subject_id, kind, body, submitted_at, submitted_by, decision, review_comment, reviewed_at, reviewed_by)";

struct ReportRow {
    assignment_id: i64,
    kind: &'static str,
    text: &'static str,
    at: i64,
    decision: Option<&'static str>,
    comment: &'static str,
}

async fn insert_reports(
    tx: &mut anwei::db::Tx,
    sql: &str,
    rows: &[ReportRow],
    (reporter_id, office_id): (i64, i64),
) -> AnyResult<()> {
    on_tx!(tx, |c| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in rows {
            let reviewed = r.decision.is_some();
            q = q
                .bind("assignment")
                .bind(r.assignment_id)
                .bind(r.kind)
                .bind(r.text)
                .bind(r.at)
                .bind(reporter_id)
                .bind(r.decision)
                .bind(r.comment)
                .bind(reviewed.then_some(r.at + DAY_MS))
                .bind(reviewed.then_some(office_id));
        }
        q.execute(c).await.map(|_| ())
    })?;
    Ok(())
}

/// PostgreSQL: `ANALYZE`, as autovacuum would within a minute of the bulk load on a live
/// server. Without statistics the planner takes a policy's 13,200 assignments for a handful
/// and joins them to every organisation in a nested loop: ~100 ms a count instead of ~5 ms.
/// SQLite keeps no statistics unless told to, and the app does not, so it gets none here
/// either. Returns the seconds spent.
async fn analyze(state: &AppState) -> AnyResult<Option<f64>> {
    if state.db.backend() != Backend::Postgres {
        return Ok(None);
    }
    progress("ANALYZE (PostgreSQL)");
    let s = Instant::now();
    let mut tx = state.db.begin().await?;
    on_tx!(&mut tx, |c| sqlx::query("ANALYZE")
        .execute(c)
        .await
        .map(|_| ()))?;
    tx.commit().await?;
    Ok(Some(s.elapsed().as_secs_f64()))
}

/// Assignments per light over all policies, by the ledger's own rule (`LIGHT_SQL`).
async fn light_counts(state: &AppState) -> AnyResult<Value> {
    let today = anwei::time::today();
    let soon = today + chrono::Duration::days(state.cfg.supervision.lead_days);
    let sql = format!(
        "SELECT ({}) AS light, COUNT(*) AS n FROM assignment a GROUP BY 1 ORDER BY 1",
        anwei::supervision::store::LIGHT_SQL
    );
    let mut tx = state.db.read().await?;
    let rows: Vec<(String, i64)> = on_tx!(&mut tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(today.to_string())
    .bind(soon.to_string())
    .fetch_all(c)
    .await)?;
    Ok(Value::Object(
        rows.into_iter().map(|(l, n)| (l, json!(n))).collect(),
    ))
}

// ---------------------------------------------------------------------------------------
// Measurement.
// ---------------------------------------------------------------------------------------

struct Figure<'a> {
    name: &'a str,
    path: String,
    n: usize,
    warmup: usize,
    target_p99_ms: Option<f64>,
}

async fn figure(
    backend: &str,
    client: &Client,
    base: &str,
    f: Figure<'_>,
    token: Option<String>,
) -> AnyResult<Value> {
    progress(&format!(
        "measuring {} {} ({} requests)",
        f.name, f.path, f.n
    ));
    let url = format!("{base}{}", f.path);
    let make: MakeRequest = Arc::new(move |c: &Client, _| {
        let rb = c.get(&url);
        match &token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    });
    let _ = drive(client, f.warmup, make.clone()).await;
    let s = drive(client, f.n, make).await;
    let p50 = percentile(&s.sorted_ms, 0.50);
    let p99 = percentile(&s.sorted_ms, 0.99);
    let met = f.target_p99_ms.map(|t| s.errors == 0 && p99 < t);
    let mut v = json!({
        "figure": f.name,
        "backend": backend,
        "path": f.path,
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

async fn measure_http(base: &str, backend: &str, other_policy: &str) -> AnyResult<Vec<Value>> {
    let n = size("ANWEI_BENCH_REQUESTS", 300, 20);
    let warmup = 20.min(n);
    let mut out = Vec::new();
    let web = browser(base, "bench_office").await?;
    for path in [
        "/supervision?light=red".to_string(),
        format!("/supervision?light=yellow&policy={other_policy}"),
    ] {
        let f = Figure {
            name: "ledger_page_light",
            path,
            n,
            warmup,
            target_p99_ms: Some(50.0),
        };
        out.push(figure(backend, &web, base, f, None).await?);
    }
    let client = Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let token = api_token(&client, base, "bench_office").await?;
    let f = Figure {
        name: "api_assignments_light",
        path: format!("/api/v1/assignments?light=red&policy={other_policy}"),
        n,
        warmup,
        target_p99_ms: None,
    };
    out.push(figure(backend, &client, base, f, Some(token)).await?);

    // The export: one policy, every organisation, one request at a time.
    let runs = size("ANWEI_BENCH_EXPORTS", 5, 1).max(1);
    let path = format!("/supervision/export.xlsx?policy={other_policy}");
    progress(&format!(
        "measuring xlsx_export_one_policy {path} ({runs} runs)"
    ));
    let mut secs = Vec::new();
    let mut bytes = 0usize;
    let mut error = None;
    for _ in 0..runs {
        let s = Instant::now();
        let r = web.get(format!("{base}{path}")).send().await?;
        let status = r.status();
        let body = r.bytes().await?;
        secs.push(round3(s.elapsed().as_secs_f64()));
        bytes = body.len();
        if !status.is_success() || !body.starts_with(b"PK") {
            error.get_or_insert(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ));
        }
    }
    let max = secs.iter().copied().fold(0.0, f64::max);
    let mut v = json!({
        "figure": "xlsx_export_one_policy",
        "backend": backend,
        "path": path,
        "runs_seconds": secs,
        "max_seconds": max,
        "bytes": bytes,
        "target_seconds": 5,
        "met": error.is_none() && max < 5.0,
    });
    if let Some(e) = error {
        v["first_error"] = Value::String(e);
    }
    emit(v.clone());
    out.push(v);
    Ok(out)
}

/// The daily reminder sweep over every assignment: the first run enqueues the reminders, the
/// re-run (same day) finds them all enqueued already.
async fn measure_sweep(state: &AppState, backend: &str) -> AnyResult<Value> {
    progress("measuring reminder_sweep");
    let s = Instant::now();
    let first = anwei::supervision::reminders::sweep(state).await?;
    let first_s = s.elapsed().as_secs_f64();
    let s = Instant::now();
    let again = anwei::supervision::reminders::sweep(state).await?;
    let again_s = s.elapsed().as_secs_f64();
    let v = json!({
        "figure": "reminder_sweep",
        "backend": backend,
        "first_seconds": round3(first_s),
        "first_due_soon": first.due_soon,
        "first_overdue": first.overdue,
        "rerun_seconds": round3(again_s),
        "rerun_enqueued": again.due_soon + again.overdue,
        "target_seconds": 2,
        "met": first_s < 2.0 && again_s < 2.0,
    });
    emit(v.clone());
    Ok(v)
}
