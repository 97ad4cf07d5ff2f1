//! The accident chain's clock sweep at a city's scale.
//!
//! `cargo bench -p anwei --bench accident_clock` builds the app over a fresh SQLite file (or a
//! fresh PostgreSQL database when `ANWEI_BENCH_DATABASE_URL` names a server), fills 100,000
//! accidents, each with its two hops (unit → county acknowledged, county → city open, its clock
//! started 0–239 minutes ago, so about half are past due), all but about 1 % already reminded,
//! then times:
//! 1. the first sweep (`accidents::chain::sweep::sweep_at`): marks the late hops and sends the
//!    reminders still due (target < 1 s);
//! 2. a second sweep, nothing left to remind (target < 1 s).
//!
//! One JSON line per figure on stdout (progress on stderr). `ANWEI_BENCH_ACCIDENTS` (default
//! 100000) changes the size; `ANWEI_BENCH_QUICK=1` is the test command's smoke run: 1,000
//! accidents, failing only on an error.

use std::time::Instant;

use anwei::config::Config;
use anwei::state::AppState;
use serde_json::{Value, json};

mod common;
use common::*;

fn main() -> AnyResult<()> {
    main_with(run_on)
}

const MINUTE: i64 = 60_000;

/// Fills `n` accidents with their versions and hops, `per_tx` accidents a transaction.
async fn fill(state: &AppState, n: usize, account: i64, now: i64) -> AnyResult<()> {
    let mut tx = state.db.read().await?;
    let (region_id, path): (i64, String) = anwei::on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT id, path FROM region WHERE code = '220502'"
    )
    .fetch_one(c)
    .await)?;
    let org: i64 = anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT org_id FROM account WHERE id = $1"
    )
    .bind(account)
    .fetch_one(c)
    .await)?;
    drop(tx);
    let backend = state.db.backend();
    // 16 columns × 1,000 rows stays under SQLite's 32,766 parameters.
    let chunk = 1_000;
    let mut done = 0;
    while done < n {
        let rows = chunk.min(n - done);
        let mut tx = state.db.begin().await?;
        let ids: Vec<i64> = (done..done + rows).map(|i| i as i64 + 1).collect();
        let sql = multi_insert(
            backend,
            "accident (id, region_id, region_path, unit_name, industry, accident_type, category, occurred_at, \
             location, version, grade, criterion, reported_by, reported_by_org, created_at, updated_at)",
            16,
            rows,
        );
        let started = |id: i64| now - (id % 240) * MINUTE;
        anwei::on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for id in &ids {
                let occurred = started(*id) - 30 * MINUTE;
                q = q
                    .bind(id)
                    .bind(region_id)
                    .bind(&path)
                    .bind(format!("基准单位{id}"))
                    .bind("C26")
                    .bind("collapse")
                    .bind("other")
                    .bind(occurred)
                    .bind("")
                    .bind(1_i64)
                    .bind("ordinary")
                    .bind("below_serious")
                    .bind(account)
                    .bind(org)
                    .bind(occurred)
                    .bind(occurred);
            }
            q.execute(c).await.map(|_| ())
        })?;
        let sql = multi_insert(
            backend,
            "accident_version (accident_id, version, deaths, serious_injuries, missing, direct_loss_yuan, summary, \
             grade, criterion, reported_by, reported_by_org, created_at)",
            12,
            rows,
        );
        anwei::on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for id in &ids {
                q = q
                    .bind(id)
                    .bind(1_i64)
                    .bind(1_i64)
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind("基准")
                    .bind("ordinary")
                    .bind("below_serious")
                    .bind(account)
                    .bind(org)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
        let sql = multi_insert(
            backend,
            "accident_hop (accident_id, from_level, to_level, limit_minutes, received_at, due_at, acknowledged_at, \
             acknowledged_by, late_minutes, reminded_at, created_at)",
            11,
            rows * 2,
        );
        anwei::on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for id in &ids {
                let start = started(*id);
                let reminded = (id % 100 != 0).then_some(start + 60 * MINUTE);
                q = q
                    .bind(id)
                    .bind("unit")
                    .bind("county")
                    .bind(60_i64)
                    .bind(start - 30 * MINUTE)
                    .bind(start + 30 * MINUTE)
                    .bind(Some(start))
                    .bind(Some(account))
                    .bind(Some(0_i64))
                    .bind(None::<i64>)
                    .bind(now)
                    .bind(id)
                    .bind("county")
                    .bind("city")
                    .bind(120_i64)
                    .bind(start)
                    .bind(start + 120 * MINUTE)
                    .bind(None::<i64>)
                    .bind(None::<i64>)
                    .bind(None::<i64>)
                    .bind(reminded)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
        tx.commit().await?;
        done += rows;
        if done.is_multiple_of(20_000) {
            progress(&format!("{done} accidents"));
        }
    }
    if backend == anwei::db::Backend::Postgres {
        let mut tx = state.db.begin().await?;
        anwei::on_tx!(&mut tx, |c| {
            sqlx::query(
            "SELECT setval(pg_get_serial_sequence('accident', 'id'), (SELECT MAX(id) FROM accident))"
        )
        .execute(c)
        .await
        .map(|_| ())
        })?;
        anwei::on_tx!(&mut tx, |c| sqlx::query("ANALYZE")
            .execute(c)
            .await
            .map(|_| ()))?;
        tx.commit().await?;
    }
    Ok(())
}

async fn sweep(state: &AppState, backend: &str, name: &str, n: usize, now: i64) -> Value {
    let t = Instant::now();
    let r = anwei::accidents::chain::sweep::sweep_at(state, now).await;
    let secs = t.elapsed().as_secs_f64();
    let mut v = json!({
        "bench": "accident_clock", "backend": backend, "figure": name, "accidents": n,
        "seconds": round3(secs), "target_seconds": 1.0, "met": secs < 1.0,
    });
    match r {
        Ok(r) => {
            v["late"] = json!(r.late);
            v["reminded"] = json!(r.reminded);
        }
        Err(e) => {
            v["errors"] = json!(1);
            v["first_error"] = json!(e.to_string());
        }
    }
    emit(v.clone());
    v
}

async fn run_on(t: &Target, dir: &std::path::Path) -> AnyResult<()> {
    let started = Instant::now();
    let mut cfg = Config {
        data_dir: dir.to_path_buf(),
        database_url: t.database_url.clone(),
        bind: "127.0.0.1:0".into(),
        ..Config::default()
    };
    cfg.run_jobs = false;
    cfg.validate()?;
    let state = AppState::build(cfg).await?;
    anwei::bootstrap(&state).await?;
    let n = size("ANWEI_BENCH_ACCIDENTS", 100_000, 1_000).max(1);
    let account = create_office(&state).await?;
    let now = anwei::db::now_ms();
    progress(&format!("filling {n} accidents"));
    let f = Instant::now();
    fill(&state, n, account, now).await?;
    progress(&format!("filled in {:.1} s", f.elapsed().as_secs_f64()));
    let mut figures = Vec::new();
    let first = sweep(&state, t.backend, "sweep_first", n, now).await;
    let expected = (1..=n as i64)
        .filter(|id| id % 100 == 0 && id % 240 >= 60)
        .count();
    if first["reminded"] != json!(expected) {
        anyhow::bail!(
            "the first sweep reminded {} hops, expected {expected}",
            first["reminded"]
        );
    }
    figures.push(first);
    let second = sweep(&state, t.backend, "sweep_again", n, now + MINUTE).await;
    if second["reminded"] != json!(0) {
        anyhow::bail!("the second sweep reminded again: {second}");
    }
    figures.push(second);
    state.db.close().await;
    finish("accident_clock", t.backend, &figures, started)
}
