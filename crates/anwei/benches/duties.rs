//! Recurring duties' speed figures (issue 4), measured against a real server.
//!
//! `cargo bench -p anwei --bench duties` builds the app exactly as production does over a
//! fresh SQLite file (or, when `ANWEI_BENCH_DATABASE_URL` names a PostgreSQL server, over a
//! fresh database created on it and dropped afterwards), then generates a city of 2,000
//! organisations (the built-in ones plus party committees, governments and supervising
//! departments at city and county level over the built-in regions), 6,000 positions
//! (principals, deputies, standing committee members) each with a holder, 15 duty rules (the
//! 14 built-in ones and one added over the API by the city office) and about 1,000,000
//! activity records over the last five calendar years. The records are bulk-inserted in the
//! order they were entered, each holder × rule × period getting a share (about one in ten
//! none at all), a few without evidence, a few entered late (some of those accepted), so the
//! statuses are a realistic mix. It prints one JSON line per measure on stdout (progress goes
//! to stderr) and never fails because a target was missed:
//!
//! - `cold_load`: every cache dropped (as after a restart), then
//!   `GET /api/v1/duties/heatmap?year=…` for each of the five years in turn: the records read
//!   from the database and everything evaluated (no target; the server warms this year at
//!   start). `full_recompute`: the global compliance stamp bumped (what a rule edit or a new
//!   sensitive period does), then the same five heat maps: every organisation × rule × period
//!   of five years evaluated again from the records the server holds, < 2 s in all.
//!   `compliance_office_year` is the office-wide `GET /api/v1/duties/compliance?period=<year>`
//!   (never cached), for information.
//! - `org_compliance_page` (`GET /duties?org=…&period=<this quarter>` in a signed-in browser
//!   session) and `org_compliance_api` (`GET /api/v1/duties/compliance?period=<this
//!   year>&org=…`) on random organisations, p99 < 30 ms.
//! - `heatmap_warm`: this year's heat map with every summary cached, p99 < 100 ms;
//!   `heatmap_incremental`: the same, one request at a time, each after a record of a random
//!   organisation was written over the API (`POST /api/v1/activities`), so that organisation
//!   alone is recomputed.
//!
//! On PostgreSQL the bench runs `ANALYZE` after generating, as autovacuum would.
//!
//! Optional knobs for quick runs: `ANWEI_BENCH_ORGS` (default 2000, the built-in ones
//! included), `ANWEI_BENCH_POSITIONS` (6000, all positions included), `ANWEI_BENCH_RECORDS`
//! (1000000), `ANWEI_BENCH_REQUESTS` (300 per figure), `ANWEI_BENCH_RECOMPUTES` (3 full
//! recomputations). `ANWEI_BENCH_KEEP_DIR` keeps the SQLite database in that directory (and
//! a PostgreSQL database undropped) for inspection. `ANWEI_BENCH_QUICK=1` is the test
//! command's smoke run: `QUICK_ORGS` organisations, `QUICK_POSITIONS` positions, 10,000 records,
//! 20 requests per figure, one recomputation; it fails on any error, and its figures mean
//! nothing.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anwei::config::Config;
use anwei::db::Backend;
use anwei::duties::model::RuleDef;
use anwei::on_tx;
use anwei::state::AppState;
use anwei_rules::duties::{ActivityKind, Period, PeriodKind, PositionKind};
use anwei_rules::org::{Level, OrgKind};
use anwei_rules::supervision::OrgFacts;
use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Client;
use serde_json::{Value, json};

mod common;
use common::*;

/// 14 columns × 500 = 7,000 parameters.
const ACTIVITY_BATCH: usize = 500;
const ORG_BATCH: usize = 500;
/// Rows per transaction.
const ROWS_PER_TX: usize = 200_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
const ACTIVITY_COLS: &str = "activity (org_id, kind, date, title, led_by_position_id, led_by_person_id, created_by, created_at, updated_at, entered_late, accepted_late, accepted_reason, evidence_count, evidence_at)";
/// Calendar years of records, this one included.
const YEARS: i32 = 5;

/// Quick mode's organisations and positions (the built-in ones included): some of each kind
/// generated on top of the built-in city, so every generation step runs.
const QUICK_ORGS: usize = 400;
const QUICK_POSITIONS: usize = 1_200;

/// The rule the city office adds over the API: the 15th.
const ADDED_RULE: &str = "bench_member_tour_quarterly";

fn main() -> AnyResult<()> {
    main_with(run_on)
}

/// What every line repeats: the size of the data.
#[derive(Clone)]
struct Counts {
    backend: &'static str,
    organisations: usize,
    positions: usize,
    rules: usize,
    records: usize,
}

impl Counts {
    fn line(&self, measure: &str) -> Value {
        json!({
            "bench": "duties",
            "backend": self.backend,
            "measure": measure,
            "organisations": self.organisations,
            "positions": self.positions,
            "rules": self.rules,
            "records": self.records,
        })
    }
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
    // No at-risk sweep or reminder jobs while the figures are taken.
    cfg.run_jobs = false;
    cfg.validate()?;
    let state = AppState::build(cfg).await?;
    anwei::bootstrap(&state).await?;

    let n_orgs = size("ANWEI_BENCH_ORGS", 2_000, QUICK_ORGS).max(1);
    let n_positions = size("ANWEI_BENCH_POSITIONS", 6_000, QUICK_POSITIONS);
    let n_records = size("ANWEI_BENCH_RECORDS", 1_000_000, 10_000);

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

    let gen_start = Instant::now();
    let office_id = create_office(&state).await?;
    let client = Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()?;
    let token = api_token(&client, &base, "bench_office").await?;
    add_rule(&client, &base, &token).await?;
    let orgs_added = generate_orgs(&state, n_orgs).await?;
    let t_orgs = gen_start.elapsed();
    let (positions_added, holders_added) = generate_positions(&state, n_positions).await?;
    let t_positions = gen_start.elapsed() - t_orgs;
    let world = World::load(&state).await?;
    let (records, slots) = generate_records(&state, &world, office_id, n_records).await?;
    let gen_secs = gen_start.elapsed().as_secs_f64();
    bump_global(&state).await?;
    let analyze_secs = analyze(&state).await?;
    let counts = Counts {
        backend: t.backend,
        organisations: world.orgs.len(),
        positions: world.n_positions,
        rules: world.rules.len(),
        records,
    };
    let mut g = counts.line("generate");
    g["organisations_added"] = json!(orgs_added);
    g["positions_added"] = json!(positions_added);
    g["holders_added"] = json!(holders_added);
    g["bound_holder_rule_pairs"] = json!(slots);
    g["organisations_seconds"] = json!(round3(t_orgs.as_secs_f64()));
    g["positions_seconds"] = json!(round3(t_positions.as_secs_f64()));
    g["records_seconds"] = json!(round3(
        gen_secs - t_orgs.as_secs_f64() - t_positions.as_secs_f64()
    ));
    g["seconds"] = json!(round3(gen_secs));
    g["analyze_seconds"] = json!(analyze_secs.map(round3));
    emit(g);

    let mut figures = Vec::new();
    figures.extend(measure_recompute(&state, &client, &base, &token, &counts).await?);
    figures.extend(measure_org_pages(&client, &base, &token, &world, &counts).await?);
    figures.extend(measure_heatmap(&client, &base, &token, &world, &counts).await?);

    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    state.db.close().await;

    finish("duties", t.backend, &figures, started)
}

// ---------------------------------------------------------------------------------------
// Data generation: bulk SQL in a few big transactions.
// ---------------------------------------------------------------------------------------

/// The 15th rule, added by the city office as it would through the API: each other standing
/// committee member tours the sectors it covers at least once a quarter.
async fn add_rule(client: &Client, base: &str, token: &str) -> AnyResult<()> {
    progress(&format!("adding rule {ADDED_RULE} over the API"));
    let r = client
        .post(format!("{base}/api/v1/duties/rules"))
        .bearer_auth(token)
        .json(&json!({
            "code": ADDED_RULE,
            "holder": "party_standing_member",
            "kinds": ["tour"],
            "period": "quarter",
            "min_count": 1,
            "evidence_required": true,
            "title_zh": "党委常委会其他成员每季度至少深入分管领域巡查1次",
            "title_en": "Each other standing committee member tours the sectors they cover at least once a quarter",
            "article": 3,
            "tasks": "10",
            "active": true,
        }))
        .send()
        .await?;
    let status = r.status();
    if !status.is_success() {
        let body = r.text().await.unwrap_or_default();
        anyhow::bail!("adding rule {ADDED_RULE}: {status} {body}");
    }
    Ok(())
}

fn org_level(region_level: &str) -> &'static str {
    match region_level {
        "city" => "city",
        _ => "county",
    }
}

/// Adds party committees, governments and supervising departments over the built-in
/// regions (one in five each of the first two, three in five departments) until there are
/// `n` organisations. Returns how many were added.
async fn generate_orgs(state: &AppState, n: usize) -> AnyResult<usize> {
    let now = anwei::db::now_ms();
    let backend = state.db.backend();
    let mut tx = state.db.begin().await?;
    let existing: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM org WHERE retired_at IS NULL"
    )
    .fetch_one(c)
    .await)?;
    let add = n.saturating_sub(existing as usize);
    progress(&format!(
        "generating {add} organisations ({existing} built in)"
    ));
    let regions: Vec<(i64, String, String, String)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT id, code, name, level FROM region ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    let governments: Vec<(i64, i64)> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT region_id, MIN(id) FROM org WHERE kind = 'government' GROUP BY region_id"
    )
    .fetch_all(c)
    .await)?;
    let government_of: HashMap<i64, i64> = governments.into_iter().collect();
    const COLS: &str = "org (code, name, short_name, kind, level, region_id, parent_id, supervises_safety, sectors, note, sort_order, builtin, created_at, updated_at)";
    type Row = (
        String,
        String,
        &'static str,
        &'static str,
        i64,
        Option<i64>,
        bool,
    );
    let mut rows: Vec<Row> = Vec::with_capacity(add);
    for i in 0..add {
        let (rid, rcode, rname, rlevel) = &regions[i % regions.len()];
        let k = i / regions.len();
        let (kind, name, suffix) = match i % 5 {
            0 => (
                "party_committee",
                format!("{rname}基准党（工）委{k:04}"),
                "BP",
            ),
            1 => ("government", format!("{rname}基准政府{k:04}"), "BG"),
            _ => ("department", format!("{rname}基准监管部门{k:04}"), "BD"),
        };
        let parent = (kind == "department")
            .then(|| government_of.get(rid).copied())
            .flatten();
        rows.push((
            format!("{rcode}-{suffix}{i:05}"),
            name,
            kind,
            org_level(rlevel),
            *rid,
            parent,
            kind == "department",
        ));
    }
    for chunk in rows.chunks(ORG_BATCH) {
        let sql = multi_insert(backend, COLS, 14, chunk.len());
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (i, o) in chunk.iter().enumerate() {
                q = q
                    .bind(&o.0)
                    .bind(&o.1)
                    .bind("")
                    .bind(o.2)
                    .bind(o.3)
                    .bind(o.4)
                    .bind(o.5)
                    .bind(o.6)
                    .bind("")
                    .bind("")
                    .bind(5_000 + i as i64)
                    .bind(false)
                    .bind(now)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    tx.commit().await?;
    Ok(add)
}

/// Gives each generated organisation its leading positions (a party committee its
/// secretary and a standing member, a government its principal and a deputy, a department
/// its principal), then spreads more standing members and deputies over the party
/// committees and governments until there are `n` positions in all; finally every position
/// without a holder gets one (a new person). Returns (positions added, holders added).
async fn generate_positions(state: &AppState, n: usize) -> AnyResult<(usize, usize)> {
    let now = anwei::db::now_ms();
    let backend = state.db.backend();
    let mut tx = state.db.begin().await?;
    let existing: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM org_position WHERE retired_at IS NULL"
    )
    .fetch_one(c)
    .await)?;
    let generated: Vec<(i64, String, String)> = on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT id, kind, name FROM org WHERE builtin = FALSE AND kind IN ('party_committee', 'government', 'department') ORDER BY id"
    )
    .fetch_all(c)
    .await
    })?;
    // (org, kind, title, sort)
    let mut rows: Vec<(i64, &'static str, String, i64)> = Vec::new();
    for (id, kind, _) in &generated {
        match kind.as_str() {
            "party_committee" => {
                rows.push((*id, "principal", "党委书记（主要负责人）".into(), 0));
                rows.push((*id, "standing_member", "党委副书记（常委会成员）".into(), 1));
            }
            "government" => {
                rows.push((*id, "principal", "政府主要负责人".into(), 0));
                rows.push((*id, "deputy", "常务副职（分管安全生产）".into(), 1));
            }
            _ => rows.push((*id, "principal", "主要负责人".into(), 0)),
        }
    }
    let leaders: Vec<&(i64, String, String)> = generated
        .iter()
        .filter(|(_, k, _)| k != "department")
        .collect();
    let base = existing as usize + rows.len();
    let extra = n.saturating_sub(base);
    if !leaders.is_empty() {
        for i in 0..extra {
            let (id, kind, _) = leaders[i % leaders.len()];
            let nth = 2 + (i / leaders.len()) as i64;
            if kind == "party_committee" {
                rows.push((*id, "standing_member", format!("常委（第{nth}位）"), nth));
            } else {
                rows.push((*id, "deputy", format!("副职（第{nth}位）"), nth));
            }
        }
    }
    progress(&format!(
        "generating {} positions ({existing} built in)",
        rows.len()
    ));
    const COLS: &str =
        "org_position (org_id, kind, title, sectors, sort_order, created_at, updated_at)";
    for chunk in rows.chunks(ORG_BATCH) {
        let sql = multi_insert(backend, COLS, 7, chunk.len());
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for p in chunk {
                q = q
                    .bind(p.0)
                    .bind(p.1)
                    .bind(&p.2)
                    .bind("")
                    .bind(p.3)
                    .bind(now)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    // A person for every position without a current holder, then the holdings.
    let vacant: Vec<(i64, i64)> = on_tx!(&mut tx, |c| {
        sqlx::query_as(
        "SELECT p.id, p.org_id FROM org_position p WHERE p.retired_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM position_holding h WHERE h.position_id = p.id AND h.end_date IS NULL) ORDER BY p.id"
    )
    .fetch_all(c)
    .await
    })?;
    let first_person: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COALESCE(MAX(id), 0) FROM person"
    )
    .fetch_one(c)
    .await)?;
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    const GIVEN: &[&str] = &[
        "建国", "志强", "秀英", "海峰", "丽华", "国庆", "晓东", "春梅",
    ];
    const PCOLS: &str = "person (org_id, name, note, created_at, updated_at)";
    for (ci, chunk) in vacant.chunks(ORG_BATCH).enumerate() {
        let sql = multi_insert(backend, PCOLS, 5, chunk.len());
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (j, (_, org)) in chunk.iter().enumerate() {
                let k = ci * ORG_BATCH + j;
                q = q
                    .bind(org)
                    .bind(format!(
                        "{}{}{}",
                        SURNAMES[k % SURNAMES.len()],
                        GIVEN[(k / SURNAMES.len()) % GIVEN.len()],
                        k
                    ))
                    .bind("")
                    .bind(now)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    let persons: Vec<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT id FROM person WHERE id > $1 ORDER BY id"
    )
    .bind(first_person)
    .fetch_all(c)
    .await)?;
    anyhow::ensure!(
        persons.len() == vacant.len(),
        "expected {} new persons, found {}",
        vacant.len(),
        persons.len()
    );
    let since = format!("{}-01-01", anwei::time::today().year() - YEARS + 1);
    const HCOLS: &str =
        "position_holding (position_id, person_id, start_date, end_date, created_at)";
    let pairs: Vec<(i64, i64)> = vacant
        .iter()
        .map(|(p, _)| *p)
        .zip(persons.iter().copied())
        .collect();
    for chunk in pairs.chunks(ORG_BATCH) {
        let sql = multi_insert(backend, HCOLS, 5, chunk.len());
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (pos, person) in chunk {
                q = q
                    .bind(pos)
                    .bind(person)
                    .bind(&since)
                    .bind(None::<String>)
                    .bind(now);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    tx.commit().await?;
    Ok((rows.len(), pairs.len()))
}

/// One organisation as the generator needs it.
struct Org {
    id: i64,
    code: String,
    facts: Option<OrgFacts>,
}

/// One current position with its holder.
struct Position {
    id: i64,
    kind: Option<PositionKind>,
    holder: Option<i64>,
}

/// The organisations, positions and rules in force after generation.
struct World {
    orgs: Vec<Org>,
    positions: HashMap<i64, Vec<Position>>,
    n_positions: usize,
    rules: Vec<RuleDef>,
}

impl World {
    async fn load(state: &AppState) -> AnyResult<World> {
        let mut tx = state.db.read().await?;
        let orgs: Vec<(i64, String, String, String, String, bool)> = on_tx!(&mut tx, |c| {
            sqlx::query_as(
                "SELECT o.id, o.code, o.kind, o.level, r.code, o.supervises_safety FROM org o \
                 JOIN region r ON r.id = o.region_id WHERE o.retired_at IS NULL ORDER BY o.id",
            )
            .fetch_all(c)
            .await
        })?;
        let positions: Vec<(i64, i64, String, Option<i64>)> = on_tx!(&mut tx, |c| {
            sqlx::query_as(
                "SELECT p.id, p.org_id, p.kind, h.person_id FROM org_position p \
                 LEFT JOIN position_holding h ON h.position_id = p.id AND h.end_date IS NULL \
                 WHERE p.retired_at IS NULL ORDER BY p.org_id, p.sort_order, p.id",
            )
            .fetch_all(c)
            .await
        })?;
        let rules = anwei::duties::engine::rules(&mut tx)
            .await
            .map_err(|e| anyhow::anyhow!("reading the rules: {e:?}"))?;
        drop(tx);
        let n_positions = positions.len();
        let mut by_org: HashMap<i64, Vec<Position>> = HashMap::new();
        for (id, org, kind, holder) in positions {
            by_org.entry(org).or_default().push(Position {
                id,
                kind: PositionKind::parse(&kind),
                holder,
            });
        }
        let orgs = orgs
            .into_iter()
            .map(|(id, code, kind, level, region, supervises)| {
                let facts = match (OrgKind::parse(&kind), Level::parse(&level)) {
                    (Some(kind), Some(level)) => Some(OrgFacts {
                        id,
                        kind,
                        level,
                        in_zone: region.contains('-'),
                        supervises_safety: supervises,
                        sectors: Vec::new(),
                    }),
                    _ => None,
                };
                Org { id, code, facts }
            })
            .collect();
        Ok(World {
            orgs,
            positions: by_org,
            n_positions,
            rules,
        })
    }

    /// Organisations some rule binds (itself or one of its positions).
    fn bound_orgs(&self) -> Vec<&Org> {
        self.orgs
            .iter()
            .filter(|o| {
                let Some(f) = &o.facts else { return false };
                self.rules.iter().any(|r| r.holder.covers_org(f))
            })
            .collect()
    }
}

/// One holder × rule: who leads the records and which kinds count.
struct Slot {
    org: i64,
    position: Option<i64>,
    person: Option<i64>,
    kinds: Vec<ActivityKind>,
    period: PeriodKind,
}

/// Every holder × rule the rules in force bind. An organisation-bound rule's records are
/// led by the organisation's principal when it has one.
fn slots(world: &World) -> Vec<Slot> {
    let mut out = Vec::new();
    for o in &world.orgs {
        let Some(f) = &o.facts else { continue };
        let positions = world.positions.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
        let principal = positions
            .iter()
            .find(|p| p.kind == Some(PositionKind::Principal));
        for r in &world.rules {
            if r.holder.binds_positions() {
                for p in positions {
                    if p.kind.is_some_and(|k| r.holder.binds_position(f, k)) {
                        out.push(Slot {
                            org: o.id,
                            position: Some(p.id),
                            person: p.holder,
                            kinds: r.kinds.clone(),
                            period: r.period,
                        });
                    }
                }
            } else if r.holder.binds_org(f) {
                out.push(Slot {
                    org: o.id,
                    position: principal.map(|p| p.id),
                    person: principal.and_then(|p| p.holder),
                    kinds: r.kinds.clone(),
                    period: r.period,
                });
            }
        }
    }
    out
}

/// A generated record, before its title is written.
struct Rec {
    org: i64,
    position: Option<i64>,
    person: Option<i64>,
    kind: ActivityKind,
    date: NaiveDate,
    created_at: i64,
    evidence: i64,
    /// When the first evidence file was attached (epoch ms).
    evidence_at: Option<i64>,
    entered_late: bool,
    accepted_late: bool,
}

/// Epoch ms of a time of day (Asia/Shanghai) on `date`.
fn shanghai_ms(date: NaiveDate, hour_ms: i64) -> i64 {
    date.and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .timestamp_millis()
        - 8 * HOUR_MS
        + hour_ms
}

/// About `total` records over every holder × rule × period of the last `YEARS` calendar
/// years up to today: one period in ten gets none, the rest a random share (so a holder
/// usually does a little more than required); 6 % carry no evidence, and one in ten of the
/// others got it days after the record; 6 % are entered weeks after their quarter closed, 14 %
/// up to three weeks after their date, the rest within days (late by the app's own rule,
/// `is_late`, a third of the late ones accepted). Inserted in the order they were entered, as
/// a live system would have written them. Returns (records, holder × rule pairs).
async fn generate_records(
    state: &AppState,
    world: &World,
    office_id: i64,
    total: usize,
) -> AnyResult<(usize, usize)> {
    let today = anwei::time::today();
    let now = anwei::db::now_ms();
    let first_year = today.year() - YEARS + 1;
    let slots = slots(world);
    let mut rng = StdRng::seed_from_u64(0x5EED_0004);
    // Every (slot, period) unit with its weight.
    let mut units: Vec<(u32, Period, u32)> = Vec::new();
    for (si, s) in slots.iter().enumerate() {
        for y in first_year..=today.year() {
            let Some(year) = Period::year(y) else {
                continue;
            };
            for p in year.sub_periods(s.period) {
                if p.start() > today {
                    continue;
                }
                let w = if rng.random_range(0..10) == 0 {
                    0
                } else {
                    rng.random_range(1..=6)
                };
                units.push((si as u32, p, w));
            }
        }
    }
    let sum: u64 = units.iter().map(|u| u64::from(u.2)).sum();
    let mut counts: Vec<u32> = units
        .iter()
        .map(|u| (u64::from(u.2) * total as u64 / sum.max(1)) as u32)
        .collect();
    let mut missing = total.saturating_sub(counts.iter().map(|c| *c as usize).sum());
    for (c, u) in counts.iter_mut().zip(&units) {
        if missing == 0 {
            break;
        }
        if u.2 > 0 {
            *c += 1;
            missing -= 1;
        }
    }
    progress(&format!(
        "generating {total} records over {} holder × rule pairs, {} periods",
        slots.len(),
        units.len()
    ));
    let mut recs: Vec<Rec> = Vec::with_capacity(total);
    for ((si, p, _), n) in units.iter().zip(&counts) {
        let s = &slots[*si as usize];
        let (start, end) = (p.start(), p.end().min(today));
        let span = (end - start).num_days().max(0);
        let quarter_end = |d: NaiveDate| Period::containing(PeriodKind::Quarter, d).end();
        for _ in 0..*n {
            let date = start + chrono::Duration::days(rng.random_range(0..=span));
            let kind = s.kinds[rng.random_range(0..s.kinds.len())];
            let evidence = if rng.random_range(0..100) < 6 {
                0
            } else {
                rng.random_range(1..=4)
            };
            let roll = rng.random_range(0..100);
            let entered = if roll < 6 {
                quarter_end(date) + chrono::Duration::days(rng.random_range(3..=60))
            } else if roll < 20 {
                date + chrono::Duration::days(rng.random_range(4..=20))
            } else {
                date + chrono::Duration::days(rng.random_range(0..=3))
            };
            let created_at =
                shanghai_ms(entered, rng.random_range(8 * HOUR_MS..20 * HOUR_MS)).min(now);
            let evidence_at = (evidence > 0).then(|| {
                let delay = if rng.random_range(0..10) == 0 {
                    rng.random_range(1..=30) * DAY_MS
                } else {
                    rng.random_range(1..=30) * 60_000
                };
                (created_at + delay).min(now)
            });
            // Late when entered, or when its first evidence came, after its month closed.
            let late = |ms: i64| {
                anwei::duties::service::is_late(date, anwei::duties::engine::shanghai_date(ms))
            };
            let entered_late = late(created_at) || evidence_at.is_some_and(late);
            recs.push(Rec {
                org: s.org,
                position: s.position,
                person: s.person,
                kind,
                date,
                created_at,
                evidence,
                evidence_at,
                entered_late,
                accepted_late: entered_late && rng.random_range(0..3) == 0,
            });
        }
    }
    recs.sort_by_key(|r| r.created_at);

    let backend = state.db.backend();
    let mut tx = state.db.begin().await?;
    let full_sql = multi_insert(backend, ACTIVITY_COLS, 14, ACTIVITY_BATCH);
    let mut written = 0usize;
    let mut in_tx = 0usize;
    let t0 = Instant::now();
    for chunk in recs.chunks(ACTIVITY_BATCH) {
        let sql = if chunk.len() == ACTIVITY_BATCH {
            full_sql.clone()
        } else {
            multi_insert(backend, ACTIVITY_COLS, 14, chunk.len())
        };
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (i, r) in chunk.iter().enumerate() {
                let title = format!(
                    "{}{}（第{}号）",
                    r.date.format("%Y年%m月"),
                    r.kind.name_zh(),
                    written + i + 1
                );
                q = q
                    .bind(r.org)
                    .bind(r.kind.code())
                    .bind(r.date.to_string())
                    .bind(title)
                    .bind(r.position)
                    .bind(r.person)
                    .bind(office_id)
                    .bind(r.created_at)
                    .bind(r.created_at)
                    .bind(r.entered_late)
                    .bind(r.accepted_late)
                    .bind(if r.accepted_late {
                        "补录材料经审核属实，同意计入"
                    } else {
                        ""
                    })
                    .bind(r.evidence)
                    .bind(r.evidence_at);
            }
            q.execute(c).await.map(|_| ())
        })?;
        written += chunk.len();
        in_tx += chunk.len();
        if in_tx >= rows_per_tx(ROWS_PER_TX) {
            tx.commit().await?;
            progress(&format!(
                "  {written}/{} records ({:.1} s)",
                recs.len(),
                t0.elapsed().as_secs_f64()
            ));
            tx = state.db.begin().await?;
            in_tx = 0;
        }
    }
    tx.commit().await?;
    progress(&format!(
        "  {written} records ({:.1} s)",
        t0.elapsed().as_secs_f64()
    ));
    Ok((written, slots.len()))
}

/// Makes every cached compliance summary stale, as any write bypassing the app must.
async fn bump_global(state: &AppState) -> AnyResult<()> {
    let mut tx = state.db.begin().await?;
    on_tx!(&mut tx, |c| {
        sqlx::query(
        "INSERT INTO duty_stamp (org_id, stamp) VALUES (0, 1000) ON CONFLICT (org_id) DO UPDATE SET stamp = duty_stamp.stamp + 1"
    )
    .execute(c)
    .await
    .map(|_| ())
    })?;
    tx.commit().await?;
    Ok(())
}

/// PostgreSQL: `ANALYZE`, as autovacuum would within a minute of the bulk load on a live
/// server. SQLite keeps no statistics unless told to, and the app does not, so it gets none
/// here either. Returns the seconds spent.
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

// ---------------------------------------------------------------------------------------
// Measurement.
// ---------------------------------------------------------------------------------------

/// One GET as the office over the API; returns (seconds, body) and fails on an error status.
async fn timed_get(
    client: &Client,
    base: &str,
    token: &str,
    path: &str,
) -> AnyResult<(f64, Value)> {
    let s = Instant::now();
    let r = client
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = r.status();
    let body = r.bytes().await?;
    let secs = s.elapsed().as_secs_f64();
    if !status.is_success() {
        anyhow::bail!(
            "GET {path}: HTTP {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        );
    }
    Ok((secs, serde_json::from_slice(&body)?))
}

/// Windows by status over a heat map's rows.
fn tally(h: &Value) -> (u64, u64, u64, usize) {
    let (mut met, mut due, mut missed) = (0, 0, 0);
    let rows = h["rows"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    for row in rows {
        for c in row["cells"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            met += c["met"].as_u64().unwrap_or(0);
            due += c["due"].as_u64().unwrap_or(0);
            missed += c["missed"].as_u64().unwrap_or(0);
        }
    }
    (met, due, missed, rows.len())
}

/// The five years' heat maps in turn; returns (total seconds, per year, windows, rows).
async fn five_heatmaps(
    client: &Client,
    base: &str,
    token: &str,
    years: &[i32],
) -> AnyResult<(f64, Vec<f64>, Value, usize)> {
    let mut total = 0.0;
    let mut secs = Vec::new();
    let (mut met, mut due, mut missed, mut rows) = (0, 0, 0, 0);
    for y in years {
        let (s, body) = timed_get(
            client,
            base,
            token,
            &format!("/api/v1/duties/heatmap?year={y}"),
        )
        .await?;
        total += s;
        secs.push(round3(s));
        let (m, d, x, r) = tally(&body);
        met += m;
        due += d;
        missed += x;
        rows = rows.max(r);
    }
    Ok((
        total,
        secs,
        json!({"met": met, "due": due, "missed": missed}),
        rows,
    ))
}

/// Cold load, then full recomputation. `cold_load`: every cache dropped (as after a restart),
/// then the heat map of each of the five years: the records read from the database and every
/// organisation × rule × period evaluated. `full_recompute`: the global stamp bumped (what a
/// rule edit or a new sensitive period does), then the same five heat maps: every
/// organisation × rule × period of five years evaluated again, from the records the server
/// holds, < 2 s. Then the office-wide compliance of this year, which is never cached.
async fn measure_recompute(
    state: &AppState,
    client: &Client,
    base: &str,
    token: &str,
    counts: &Counts,
) -> AnyResult<Vec<Value>> {
    let this_year = anwei::time::today().year();
    let years: Vec<i32> = (this_year - YEARS + 1..=this_year).collect();
    let runs = size("ANWEI_BENCH_RECOMPUTES", 3, 1).max(1);
    let mut out = Vec::new();

    progress("measuring cold_load");
    anwei::duties::engine::cache(state).clear();
    let (total, per_year, windows, rows) = five_heatmaps(client, base, token, &years).await?;
    let mut v = counts.line("cold_load");
    v["years"] = json!(years);
    v["seconds"] = json!(round3(total));
    v["per_year_seconds"] = json!(per_year);
    v["heatmap_rows"] = json!(rows);
    v["windows"] = windows;
    v["target"] = Value::Null;
    v["met"] = Value::Null;
    emit(v.clone());
    out.push(v);

    let mut run_secs = Vec::new();
    let mut per_year = Vec::new();
    let mut windows = json!({});
    let mut rows = 0;
    for run in 0..runs {
        progress(&format!("measuring full_recompute (run {})", run + 1));
        bump_global(state).await?;
        let (total, secs, w, r) = five_heatmaps(client, base, token, &years).await?;
        run_secs.push(round3(total));
        per_year = secs;
        windows = w;
        rows = r;
    }
    let max = run_secs.iter().copied().fold(0.0, f64::max);
    let mut v = counts.line("full_recompute");
    v["years"] = json!(years);
    v["runs_seconds"] = json!(run_secs);
    v["seconds"] = json!(max);
    v["last_run_per_year_seconds"] = json!(per_year);
    v["heatmap_rows"] = json!(rows);
    v["windows"] = windows;
    v["target"] = json!("< 2 s (every run)");
    v["met"] = json!(max < 2.0);
    emit(v.clone());
    out.push(v);

    let path = format!("/api/v1/duties/compliance?period={this_year}");
    progress(&format!("measuring compliance_office_year {path}"));
    let mut secs = Vec::new();
    let mut items = 0;
    for _ in 0..runs {
        let (s, body) = timed_get(client, base, token, &path).await?;
        secs.push(round3(s));
        items = body["items"].as_array().map_or(0, Vec::len);
    }
    let mut v = counts.line("compliance_office_year");
    v["path"] = json!(path);
    v["runs_seconds"] = json!(secs);
    v["seconds"] = json!(secs.iter().copied().fold(0.0, f64::max));
    v["items"] = json!(items);
    v["target"] = Value::Null;
    v["met"] = Value::Null;
    emit(v.clone());
    out.push(v);
    Ok(out)
}

/// The line of a load figure.
fn load_line(
    counts: &Counts,
    measure: &str,
    path: &str,
    s: &Stats,
    concurrency: usize,
    target_ms: f64,
) -> Value {
    let p50 = percentile(&s.sorted_ms, 0.50);
    let p99 = percentile(&s.sorted_ms, 0.99);
    let mut v = counts.line(measure);
    v["path"] = json!(path);
    v["requests"] = json!(s.requests);
    v["concurrency"] = json!(concurrency);
    v["errors"] = json!(s.errors);
    v["rps"] = json!(round3(s.requests as f64 / s.wall.as_secs_f64()));
    v["p50_ms"] = json!(round3(p50));
    v["p99_ms"] = json!(round3(p99));
    v["max_ms"] = json!(round3(s.sorted_ms.last().copied().unwrap_or(f64::NAN)));
    v["target"] = json!(format!("p99 < {target_ms} ms"));
    v["met"] = json!(s.errors == 0 && p99 < target_ms);
    if let Some(e) = &s.first_error {
        v["first_error"] = Value::String(e.clone());
    }
    v
}

/// Random organisations some rule binds, a fixed sequence.
fn sample_codes(world: &World, n: usize, seed: u64) -> Arc<Vec<String>> {
    let bound = world.bound_orgs();
    let mut rng = StdRng::seed_from_u64(seed);
    Arc::new(
        (0..n.max(1))
            .map(|_| bound[rng.random_range(0..bound.len())].code.clone())
            .collect(),
    )
}

/// One organisation's compliance: the page (this quarter) and the API (this year).
async fn measure_org_pages(
    client: &Client,
    base: &str,
    token: &str,
    world: &World,
    counts: &Counts,
) -> AnyResult<Vec<Value>> {
    let n = size("ANWEI_BENCH_REQUESTS", 300, 20);
    let warmup = 20.min(n);
    let today = anwei::time::today();
    let quarter = Period::containing(PeriodKind::Quarter, today).code();
    let year = today.year();
    let codes = sample_codes(world, n + warmup, 0x5EED_0005);
    let mut out = Vec::new();

    let web = browser(base, "bench_office").await?;
    let path = format!("/duties?org=…&period={quarter}");
    progress(&format!(
        "measuring org_compliance_page {path} ({n} requests)"
    ));
    let make = |offset: usize| -> MakeRequest {
        let codes = codes.clone();
        let base = base.to_string();
        let quarter = quarter.clone();
        Arc::new(move |c: &Client, i| {
            let code = &codes[(offset + i) % codes.len()];
            c.get(format!("{base}/duties?org={code}&period={quarter}"))
        })
    };
    let _ = drive(&web, warmup, make(n)).await;
    let s = drive(&web, n, make(0)).await;
    let v = load_line(counts, "org_compliance_page", &path, &s, CONCURRENCY, 30.0);
    emit(v.clone());
    out.push(v);

    let path = format!("/api/v1/duties/compliance?period={year}&org=…");
    progress(&format!(
        "measuring org_compliance_api {path} ({n} requests)"
    ));
    let make = |offset: usize| -> MakeRequest {
        let codes = codes.clone();
        let base = base.to_string();
        let token = token.to_string();
        Arc::new(move |c: &Client, i| {
            let code = &codes[(offset + i) % codes.len()];
            c.get(format!(
                "{base}/api/v1/duties/compliance?period={year}&org={code}"
            ))
            .bearer_auth(&token)
        })
    };
    let _ = drive(client, warmup, make(n)).await;
    let s = drive(client, n, make(0)).await;
    let v = load_line(counts, "org_compliance_api", &path, &s, CONCURRENCY, 30.0);
    emit(v.clone());
    out.push(v);
    Ok(out)
}

/// The city heat map of this year: warm (every summary cached), and incremental (a record
/// written for a random organisation before each request, one request at a time).
async fn measure_heatmap(
    client: &Client,
    base: &str,
    token: &str,
    world: &World,
    counts: &Counts,
) -> AnyResult<Vec<Value>> {
    let n = size("ANWEI_BENCH_REQUESTS", 300, 20);
    let warmup = 20.min(n);
    let today = anwei::time::today();
    let year = today.year();
    let path = format!("/api/v1/duties/heatmap?year={year}");
    let mut out = Vec::new();

    progress(&format!("measuring heatmap_warm {path} ({n} requests)"));
    let url = format!("{base}{path}");
    let tok = token.to_string();
    let make: MakeRequest = Arc::new(move |c: &Client, _| c.get(&url).bearer_auth(&tok));
    let _ = drive(client, warmup, make.clone()).await;
    let s = drive(client, n, make).await;
    let v = load_line(counts, "heatmap_warm", &path, &s, CONCURRENCY, 100.0);
    emit(v.clone());
    out.push(v);

    progress(&format!(
        "measuring heatmap_incremental {path} ({n} writes and requests)"
    ));
    let codes = sample_codes(world, n, 0x5EED_0006);
    let mut reads = Vec::with_capacity(n);
    let mut writes = Vec::with_capacity(n);
    let mut errors = 0usize;
    let mut first_error = None;
    let wall = Instant::now();
    for (i, code) in codes.iter().enumerate() {
        let s = Instant::now();
        let r = client
            .post(format!("{base}/api/v1/activities"))
            .bearer_auth(token)
            .json(&json!({
                "org_code": code,
                "kind": "led_inspection",
                "date": today.to_string(),
                "title": format!("基准增量记录{i}"),
            }))
            .send()
            .await?;
        let status = r.status();
        let body = r.bytes().await?;
        writes.push(s.elapsed().as_secs_f64() * 1000.0);
        if !status.is_success() {
            errors += 1;
            first_error.get_or_insert(format!(
                "POST /api/v1/activities: HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ));
        }
        let s = Instant::now();
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await?;
        let status = r.status();
        let body = r.bytes().await?;
        reads.push(s.elapsed().as_secs_f64() * 1000.0);
        if !status.is_success() {
            errors += 1;
            first_error.get_or_insert(format!(
                "GET {path}: HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ));
        }
    }
    reads.sort_by(f64::total_cmp);
    writes.sort_by(f64::total_cmp);
    let stats = Stats {
        requests: reads.len(),
        errors,
        first_error,
        wall: wall.elapsed(),
        sorted_ms: reads,
    };
    let mut v = load_line(counts, "heatmap_incremental", &path, &stats, 1, 100.0);
    v["write"] = json!("POST /api/v1/activities (one random organisation) before each request");
    v["write_p50_ms"] = json!(round3(percentile(&writes, 0.50)));
    v["write_p99_ms"] = json!(round3(percentile(&writes, 0.99)));
    emit(v.clone());
    out.push(v);
    Ok(out)
}
