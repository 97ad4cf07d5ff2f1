//! The supervision ledger's exports and summaries: xlsx in the layout of the document's
//! attachment with status columns, ranking of organisations by on-time rate, and the chart
//! of lights per measure.
//!
//! All three read the ledger's filters (`policy`, `measure`, `task`, `org`, `level`, `light`,
//! `status`, `role`) and the actor's data scope exactly as `service::list` does: an
//! organisation outside the scope never appears, not even as an empty column.

use std::collections::HashMap;

use anwei_rules::supervision::Light;
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Serialize;
use serde_json::{Value, json};

use super::model::AssignmentFilter;
use super::store::{self, LedgerCell, ListParams};
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t, tf};
use crate::orgs::service::scope_params;
use crate::policy::model::{MeasureRow, PolicyRow, TaskRow};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;
use crate::web::page::render;

// The chart module lives with the web helpers; it is declared here until `web/mod.rs` lists it.
use crate::web::svg;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervision/export.xlsx", get(export_page))
        .route("/supervision/ranking", get(ranking_page))
        .route("/supervision/summary", get(summary_page))
        .route("/api/v1/assignments/export.xlsx", get(export_api))
        .route("/api/v1/assignments/ranking", get(ranking_api))
        .route("/api/v1/assignments/by-measure", get(by_measure_api))
}

// ---------------------------------------------------------------------------------------------
// Reading: permission, filters, scope.

/// The ledger's filters, checked and trimmed (empty values are no filter).
struct Filters {
    org: Option<String>,
    level: Option<String>,
    light: Option<String>,
    status: Option<String>,
    role: Option<String>,
    task: Option<i64>,
    measure: Option<i64>,
    policy: Option<String>,
}

impl Filters {
    fn parse(f: &AssignmentFilter) -> AppResult<Filters> {
        let ne = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        f.check()?;
        let out = Filters {
            org: ne(&f.org),
            level: ne(&f.level),
            light: ne(&f.light),
            status: ne(&f.status),
            role: ne(&f.role),
            task: f.task,
            measure: f.measure,
            policy: ne(&f.policy),
        };
        Ok(out)
    }

    /// True when a filter narrows the assignments themselves (not only the tasks): then only
    /// tasks with a matching assignment are rows of the export.
    fn narrows_assignments(&self) -> bool {
        self.org.is_some()
            || self.level.is_some()
            || self.light.is_some()
            || self.status.is_some()
            || self.role.is_some()
    }
}

/// What a ledger read found: the policy, today's date and the filters that were applied.
struct Read {
    policy: PolicyRow,
    today: NaiveDate,
    filters: Filters,
}

/// Permission, validation and policy lookup shared by export, ranking and chart; then `run`
/// gets the store parameters with the actor's scope.
async fn read<T>(
    state: &AppState,
    actor: &Actor,
    f: &AssignmentFilter,
    action: &'static str,
    run: impl AsyncFnOnce(&mut crate::db::Tx, &ListParams<'_>) -> Result<T, sqlx::Error>,
) -> AppResult<(Read, T)> {
    if !actor.can(Perm::TaskRead) {
        return Err(audit::service::deny(state, &actor.who(), action, "assignment", "").await);
    }
    let filters = Filters::parse(f)?;
    let today = crate::time::today();
    let lead = state.cfg.supervision.lead_days;
    let scope = scope_params(actor);
    let mut tx = state.db.read().await?;
    let policy = match filters.policy.as_deref() {
        Some(c) => crate::policy::store::policy_by_code(&mut tx, c).await?,
        None => crate::policy::store::default_policy(&mut tx).await?,
    }
    .ok_or(AppError::NotFound)?;
    let params = ListParams {
        today: today.to_string(),
        soon: (today + chrono::Duration::days(lead)).to_string(),
        path_like: scope.path_like.as_deref(),
        org_id_scope: scope.org_id,
        policy_id: policy.id,
        task: filters.task,
        measure: filters.measure,
        org_code: filters.org.as_deref(),
        level: filters.level.as_deref(),
        light: filters.light.as_deref(),
        status: filters.status.as_deref(),
        role: filters.role.as_deref(),
        limit: 0,
        offset: 0,
    };
    let out = run(&mut tx, &params).await?;
    Ok((
        Read {
            policy,
            today,
            filters,
        },
        out,
    ))
}

// ---------------------------------------------------------------------------------------------
// xlsx export.

/// Cell text that a spreadsheet could take for a formula (`=`, `+`, `-`, `@`, or a leading tab
/// or carriage return) gets an apostrophe in front. The workbook stores every cell as a string,
/// so nothing runs on opening; the apostrophe keeps it that way when someone edits the cell
/// or saves the sheet as CSV, and shows the reader that the text was neutralised.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{s}")),
        _ => std::borrow::Cow::Borrowed(s),
    }
}

/// Everything the workbook needs, owned, so it can be built off the async threads.
struct Sheet {
    lang: Lang,
    /// The first column's header: the built-in policy's measures are the State Council's 15;
    /// an imported policy's are its own.
    measure_header: &'static str,
    measures: Vec<MeasureRow>,
    tasks: Vec<TaskRow>,
    cells: Vec<LedgerCell>,
}

/// The light's short label (红灯) in the reader's language.
fn light_label(lang: Lang, light: &str) -> String {
    t(lang, &format!("ledger.light_short.{light}"))
}

fn measure_label(lang: Lang, m: &MeasureRow) -> String {
    let title = if lang == Lang::En && !m.title_en.is_empty() {
        &m.title_en
    } else {
        &m.title_zh
    };
    format!("{}. {title}", m.number)
}

/// The worksheet: one row per task grouped by measure (the measure's title merged down the
/// first column, as in the document's 重点任务分工表), the attachment's five columns, one
/// column per organisation with assignments (tree order) holding "status·light", and the
/// row's counts of assigned, closed and red.
fn workbook(s: &Sheet) -> Result<(Vec<u8>, usize, usize), XlsxError> {
    let lang = s.lang;
    // Organisation columns in order of first appearance: the rows come in tree order.
    let mut org_index: HashMap<i64, usize> = HashMap::new();
    let mut orgs: Vec<&str> = Vec::new();
    for c in &s.cells {
        org_index.entry(c.org_id).or_insert_with(|| {
            orgs.push(&c.org_name);
            orgs.len() - 1
        });
    }
    let mut by_task: HashMap<i64, Vec<&LedgerCell>> = HashMap::new();
    for c in &s.cells {
        by_task.entry(c.task_number).or_default().push(c);
    }
    let base = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xE7E9EE));
    let merged = base.clone().set_align(FormatAlign::VerticalCenter);
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::Top);
    let light_fmt = |rgb: u32| {
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(rgb))
    };
    let lights: HashMap<&str, Format> = [
        ("red", light_fmt(0xF8D7DA)),
        ("yellow", light_fmt(0xFFF3CD)),
        ("green", light_fmt(0xD4EDDA)),
        ("grey", light_fmt(0xE2E3E5)),
    ]
    .into_iter()
    .collect();
    let mut labels: HashMap<(&str, &str), String> = HashMap::new();

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, "ledger.sheet_name"))?;
    let fixed = [
        (s.measure_header, 22.0),
        ("ledger.col_number", 6.0),
        ("ledger.col_task", 48.0),
        ("ledger.col_units", 24.0),
        ("ledger.col_deadline", 16.0),
    ];
    for (i, (key, width)) in fixed.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, t(lang, key), &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    let first_org = fixed.len() as u16;
    for (i, name) in orgs.iter().enumerate() {
        let col = first_org + i as u16;
        ws.write_string_with_format(0, col, neutralise(name).as_ref(), &head)?;
        ws.set_column_width(col, 12.0)?;
    }
    let first_sum = first_org + orgs.len() as u16;
    for (i, key) in ["ledger.col_assigned", "ledger.col_closed", "ledger.col_red"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, first_sum + i as u16, t(lang, key), &head)?;
        ws.set_column_width(first_sum + i as u16, 8.0)?;
    }
    ws.set_row_height(0, 45)?;

    let measure_titles: HashMap<i64, String> = s
        .measures
        .iter()
        .map(|m| (m.number, measure_label(lang, m)))
        .collect();
    let mut row: u32 = 1;
    let mut group: Option<(i64, u32)> = None; // (measure, first row)
    let close_group = |ws: &mut rust_xlsxwriter::Worksheet,
                       g: Option<(i64, u32)>,
                       last: u32|
     -> Result<(), XlsxError> {
        if let Some((m, first)) = g {
            let title = measure_titles
                .get(&m)
                .cloned()
                .unwrap_or_else(|| m.to_string());
            let title = neutralise(&title).into_owned();
            if last > first {
                ws.merge_range(first, 0, last, 0, &title, &merged)?;
            } else {
                ws.write_string_with_format(first, 0, &title, &merged)?;
            }
        }
        Ok(())
    };
    let mut empty_row = vec![None; orgs.len()];
    for task in &s.tasks {
        if group.map(|g| g.0) != Some(task.measure_number) {
            close_group(ws, group, row - 1)?;
            group = Some((task.measure_number, row));
        }
        ws.write_number_with_format(row, 1, task.number as f64, &number)?;
        ws.write_string_with_format(row, 2, neutralise(&task.content).as_ref(), &base)?;
        ws.write_string_with_format(row, 3, neutralise(&task.units_text).as_ref(), &base)?;
        ws.write_string_with_format(row, 4, neutralise(&task.deadline_text).as_ref(), &base)?;
        empty_row.iter_mut().for_each(|c| *c = None);
        let (mut assigned, mut closed, mut red) = (0u32, 0u32, 0u32);
        for c in by_task.get(&task.number).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(i) = org_index.get(&c.org_id) {
                empty_row[*i] = Some(*c);
            }
            assigned += 1;
            closed += u32::from(c.status == "closed");
            red += u32::from(c.light == "red");
        }
        for (i, cell) in empty_row.iter().enumerate() {
            let Some(c) = cell else { continue };
            let label = labels
                .entry((c.status.as_str(), c.light.as_str()))
                .or_insert_with(|| {
                    format!(
                        "{}·{}",
                        t(lang, &format!("assignment.status.{}", c.status)),
                        light_label(lang, &c.light)
                    )
                });
            let fmt = lights.get(c.light.as_str()).unwrap_or(&base);
            ws.write_string_with_format(row, first_org + i as u16, label.as_str(), fmt)?;
        }
        ws.write_number_with_format(row, first_sum, assigned, &number)?;
        ws.write_number_with_format(row, first_sum + 1, closed, &number)?;
        ws.write_number_with_format(row, first_sum + 2, red, &number)?;
        row += 1;
    }
    close_group(ws, group, row - 1)?;
    let last_col = first_sum + 2;
    ws.set_freeze_panes(1, 3)?;
    ws.autofilter(0, 1, row.saturating_sub(1).max(1), last_col)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    let bytes = wb.save_to_buffer()?;
    Ok((bytes, s.tasks.len(), orgs.len()))
}

/// A finished export.
pub struct Export {
    pub bytes: Vec<u8>,
    pub date: NaiveDate,
    pub rows: usize,
    pub orgs: usize,
}

/// 督办台账 as xlsx: one statement reads every assignment in scope, one reads the tasks; the
/// workbook is built on a blocking thread.
pub async fn export(
    state: &AppState,
    actor: &Actor,
    f: &AssignmentFilter,
    lang: Lang,
) -> AppResult<Export> {
    let (r, (cells, measures, tasks)) =
        read(state, actor, f, "assignment.export", async |tx, p| {
            let cells = store::ledger_cells(tx, p).await?;
            let measures = crate::policy::store::measures(tx, p.policy_id).await?;
            let tasks = crate::policy::store::tasks(tx, p.policy_id, p.measure, None, None).await?;
            Ok((cells, measures, tasks))
        })
        .await?;
    let narrows = r.filters.narrows_assignments();
    let tasks: Vec<TaskRow> = tasks
        .into_iter()
        .filter(|t| r.filters.task.is_none_or(|n| n == t.number))
        .filter(|t| !narrows || cells.iter().any(|c| c.task_number == t.number))
        .collect();
    let builtin =
        r.policy.builtin && r.policy.code == anwei_rules::policy_pack::builtin().meta.code;
    let sheet = Sheet {
        lang,
        measure_header: if builtin {
            "ledger.col_measure"
        } else {
            "ledger.col_measure_generic"
        },
        measures,
        tasks,
        cells,
    };
    let (bytes, rows, orgs) = tokio::task::spawn_blocking(move || workbook(&sheet))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export thread: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    audit::record_alone(
        state,
        &actor.who(),
        Event::ok("assignment.export", "policy", &r.policy.code)
            .detail(json!({"rows": rows, "orgs": orgs})),
    )
    .await?;
    Ok(Export {
        bytes,
        date: r.today,
        rows,
        orgs,
    })
}

/// Percent-encodes for an RFC 5987 `filename*` value.
fn rfc5987(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn xlsx_response(e: Export, lang: Lang) -> AppResult<Response> {
    let name = format!("{}-{}.xlsx", t(lang, "ledger.file_name"), e.date);
    let ascii = format!("ledger-{}.xlsx", e.date);
    xlsx_download(e.bytes, &name, &ascii)
}

/// An xlsx workbook as a download named `name` (`ascii` for clients without RFC 5987).
pub fn xlsx_download(bytes: Vec<u8>, name: &str, ascii: &str) -> AppResult<Response> {
    let cd = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc5987(name)
    );
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&cd)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("bad header")))?,
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// 导出 Excel from the ledger page (same filters as the page).
pub async fn export_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    let e = export(&state, &actor, &f, ctx.lang).await?;
    xlsx_response(e, ctx.lang)
}

/// The ledger as xlsx in the layout of the document's attachment (measure, number, task,
/// responsible units, deadline) plus one status column per organisation in scope and counts.
/// Filters as `GET /api/v1/assignments`.
#[utoipa::path(get, path = "/api/v1/assignments/export.xlsx", tag = "supervision",
    params(("policy" = Option<String>, Query), ("measure" = Option<i64>, Query), ("task" = Option<i64>, Query), ("org" = Option<String>, Query),
           ("level" = Option<String>, Query), ("light" = Option<String>, Query), ("status" = Option<String>, Query), ("role" = Option<String>, Query)),
    responses((status = 200, description = "xlsx workbook (attachment)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 401), (status = 403), (status = 422)))]
pub async fn export_api(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    let e = export(&state, &actor, &f, ctx.lang).await?;
    xlsx_response(e, ctx.lang)
}

// ---------------------------------------------------------------------------------------------
// Ranking by on-time rate.

/// One organisation's place in the ranking.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankRow {
    /// 1-based; organisations with the same rate share a rank (1, 1, 3). Null when the rate is
    /// not defined yet (nothing closed and nothing overdue).
    pub rank: Option<i64>,
    pub org_code: String,
    pub org_name: String,
    /// Assignments in scope and filter.
    pub assigned: i64,
    /// Closed (销号).
    pub closed: i64,
    /// Closed on or before the due date (by the Asia/Shanghai date of closing); a task without
    /// a fixed date counts as closed on time.
    pub closed_on_time: i64,
    /// Overdue now: open and past the date that decides the light (red).
    pub overdue: i64,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub grey: i64,
    /// `closed_on_time / (closed + overdue)`, between 0 and 1; null when that is 0 / 0.
    pub on_time_rate: Option<f64>,
}

impl RankRow {
    /// The rate as a percentage with one decimal, or "—".
    pub fn rate_label(&self) -> String {
        self.on_time_rate
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "—".into())
    }
}

fn closed_on_time(c: &LedgerCell) -> bool {
    if c.status != "closed" {
        return false;
    }
    let Some(due) = c
        .due
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return true;
    };
    c.closed_at
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|at| at.with_timezone(&crate::time::tz()).date_naive() <= due)
        .unwrap_or(false)
}

/// Ranks organisations by **on-time rate** (按期办结率):
///
/// `on_time_rate = closed_on_time / (closed + overdue)`, where `closed_on_time` counts closed
/// assignments whose accepted completion request was made (Asia/Shanghai) on or before the
/// task's due date — the organisation is not blamed for the day the office accepted it (tasks
/// without a fixed date count as on time), `closed` counts all closed assignments and `overdue`
/// the open ones that are red now. The denominator is the assignments whose timeliness is
/// already decided; an open assignment that is not yet late does not count either way.
///
/// Order: rate descending (organisations without a rate last), then more closed on time, then
/// fewer overdue, then the organisation tree order of `cells` (which must come in tree order).
pub fn rank(cells: &[LedgerCell]) -> Vec<RankRow> {
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut rows: Vec<RankRow> = Vec::new();
    for c in cells {
        let i = *index.entry(c.org_id).or_insert_with(|| {
            rows.push(RankRow {
                rank: None,
                org_code: c.org_code.clone(),
                org_name: c.org_name.clone(),
                assigned: 0,
                closed: 0,
                closed_on_time: 0,
                overdue: 0,
                red: 0,
                yellow: 0,
                green: 0,
                grey: 0,
                on_time_rate: None,
            });
            rows.len() - 1
        });
        let r = &mut rows[i];
        r.assigned += 1;
        r.closed += i64::from(c.status == "closed");
        r.closed_on_time += i64::from(closed_on_time(c));
        match c.light.as_str() {
            "red" => r.red += 1,
            "yellow" => r.yellow += 1,
            "green" => r.green += 1,
            _ => r.grey += 1,
        }
    }
    for r in &mut rows {
        r.overdue = r.red;
        let denom = r.closed + r.overdue;
        r.on_time_rate = (denom > 0).then(|| r.closed_on_time as f64 / denom as f64);
    }
    // Stable sort keeps the tree order among equals.
    rows.sort_by(|a, b| {
        let ra = a.on_time_rate.unwrap_or(-1.0);
        let rb = b.on_time_rate.unwrap_or(-1.0);
        rb.total_cmp(&ra)
            .then(b.closed_on_time.cmp(&a.closed_on_time))
            .then(a.overdue.cmp(&b.overdue))
    });
    let mut prev: Option<(f64, i64)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        let Some(rate) = r.on_time_rate else { break };
        let rank = match prev {
            Some((p, n)) if p == rate => n,
            _ => i as i64 + 1,
        };
        r.rank = Some(rank);
        prev = Some((rate, rank));
    }
    rows
}

pub struct Ranking {
    pub policy: PolicyRow,
    pub today: NaiveDate,
    pub rows: Vec<RankRow>,
}

pub async fn ranking(state: &AppState, actor: &Actor, f: &AssignmentFilter) -> AppResult<Ranking> {
    let (r, cells) = read(state, actor, f, "assignment.ranking", async |tx, p| {
        store::ledger_cells(tx, p).await
    })
    .await?;
    Ok(Ranking {
        rows: rank(&cells),
        policy: r.policy,
        today: r.today,
    })
}

#[derive(Template)]
#[template(path = "supervision/ranking.html")]
pub struct RankingPage {
    pub b: Base,
    pub rows: Vec<RankRow>,
    pub policy: PolicyRow,
    pub today: String,
    pub query: String,
}

fn query_of(f: &AssignmentFilter) -> String {
    let mut q: Vec<(&str, String)> = Vec::new();
    for (k, v) in [
        ("policy", &f.policy),
        ("org", &f.org),
        ("level", &f.level),
        ("light", &f.light),
        ("status", &f.status),
        ("role", &f.role),
    ] {
        if let Some(v) = v.as_ref().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            q.push((k, v.to_string()));
        }
    }
    if let Some(m) = f.measure.filter(|m| *m > 0) {
        q.push(("measure", m.to_string()));
    }
    if let Some(n) = f.task {
        q.push(("task", n.to_string()));
    }
    serde_urlencoded::to_string(&q).unwrap_or_default()
}

/// 排名: organisations by on-time rate.
pub async fn ranking_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    let r = ranking(&state, &actor, &f).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "ledger.ranking_title");
    render(&RankingPage {
        b,
        rows: r.rows,
        policy: r.policy,
        today: r.today.to_string(),
        query: query_of(&f),
    })
}

/// Organisations in scope ranked by on-time rate = closed on time / (closed + overdue now);
/// closed on time: closed on or before the due date (Asia/Shanghai), tasks without a date count
/// as on time. Filters as `GET /api/v1/assignments`.
#[utoipa::path(get, path = "/api/v1/assignments/ranking", tag = "supervision",
    params(("policy" = Option<String>, Query), ("measure" = Option<i64>, Query), ("task" = Option<i64>, Query), ("org" = Option<String>, Query),
           ("level" = Option<String>, Query), ("light" = Option<String>, Query), ("status" = Option<String>, Query), ("role" = Option<String>, Query)),
    responses((status = 200, description = "{\"policy\": code, \"today\": date, \"items\": [RankRow]}", body = [RankRow]), (status = 401), (status = 403), (status = 422)))]
pub async fn ranking_api(
    State(state): State<AppState>,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Json<Value>> {
    let r = ranking(&state, &actor, &f).await?;
    Ok(Json(
        json!({"policy": r.policy.code, "today": r.today.to_string(), "items": r.rows}),
    ))
}

// ---------------------------------------------------------------------------------------------
// Lights per measure: roll-up table and chart.

/// One measure's lights.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureRollup {
    pub measure: i64,
    pub title: String,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub grey: i64,
    pub total: i64,
    /// The worst light (red > yellow > green > grey); null without assignments.
    pub worst: Option<String>,
}

impl MeasureRollup {
    pub fn count(&self, light: &str) -> i64 {
        match light {
            "red" => self.red,
            "yellow" => self.yellow,
            "green" => self.green,
            _ => self.grey,
        }
    }
}

/// The roll-up per measure and its chart (an escaped `<svg>` string).
pub struct LedgerPanel {
    pub rollup: Vec<MeasureRollup>,
    pub svg: String,
    /// The ledger's query string without `measure` and `light`, for links to the rows.
    pub base_query: String,
}

impl LedgerPanel {
    /// The ledger filtered to one measure (and light), keeping the other filters.
    pub fn href(&self, measure: &i64, light: &str) -> String {
        let mut q = format!("/supervision?measure={measure}");
        if !light.is_empty() {
            q.push_str("&light=");
            q.push_str(light);
        }
        if !self.base_query.is_empty() {
            q.push('&');
            q.push_str(&self.base_query);
        }
        q
    }
}

const FILLS: [(&str, &str); 4] = [
    ("red", "#b3261e"),
    ("yellow", "#9a6b00"),
    ("green", "#1e7b3a"),
    ("grey", "#6b7280"),
];

fn rollup(
    measures: &[MeasureRow],
    counts: &[(i64, String, i64)],
    lang: Lang,
    only: Option<i64>,
) -> Vec<MeasureRollup> {
    measures
        .iter()
        .filter(|m| only.is_none_or(|o| o == m.number))
        .map(|m| {
            let n = |l: &str| {
                counts
                    .iter()
                    .filter(|(mm, ll, _)| *mm == m.number && ll == l)
                    .map(|(_, _, n)| *n)
                    .sum::<i64>()
            };
            let (red, yellow, green, grey) = (n("red"), n("yellow"), n("green"), n("grey"));
            let worst = anwei_rules::supervision::worst(
                [
                    (Light::Red, red),
                    (Light::Yellow, yellow),
                    (Light::Green, green),
                    (Light::Grey, grey),
                ]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(l, _)| l),
            );
            MeasureRollup {
                measure: m.number,
                title: if lang == Lang::En && !m.title_en.is_empty() {
                    m.title_en.clone()
                } else {
                    m.title_zh.clone()
                },
                red,
                yellow,
                green,
                grey,
                total: red + yellow + green + grey,
                worst: worst.map(|l| l.code().to_string()),
            }
        })
        .collect()
}

fn chart(rollup: &[MeasureRollup], lang: Lang, panel: &LedgerPanel) -> String {
    let desc: Vec<String> = rollup
        .iter()
        .map(|r| {
            tf(
                lang,
                "ledger.chart_desc_row",
                &[
                    ("n", r.measure.to_string()),
                    ("title", r.title.clone()),
                    ("red", r.red.to_string()),
                    ("yellow", r.yellow.to_string()),
                    ("green", r.green.to_string()),
                    ("grey", r.grey.to_string()),
                ],
            )
        })
        .collect();
    let sep = if lang == Lang::En { "; " } else { "；" };
    let bars = rollup
        .iter()
        .map(|r| svg::Bar {
            label: format!("{}. {}", r.measure, r.title),
            href: Some(panel.href(&r.measure, "")),
            segments: FILLS
                .iter()
                .map(|(l, fill)| svg::Segment {
                    label: light_label(lang, l),
                    value: r.count(l),
                    class: format!("seg-{l}"),
                    fill: (*fill).to_string(),
                    href: Some(panel.href(&r.measure, l)),
                })
                .collect(),
        })
        .collect();
    svg::stacked_bars(&svg::StackedBars {
        id: "lights-by-measure".into(),
        title: t(lang, "ledger.chart_title"),
        desc: format!(
            "{}{}{}",
            t(lang, "ledger.chart_title"),
            if lang == Lang::En { ": " } else { "：" },
            desc.join(sep)
        ),
        bars,
        legend: FILLS
            .iter()
            .map(|(l, fill)| {
                (
                    light_label(lang, l),
                    format!("seg-{l}"),
                    (*fill).to_string(),
                )
            })
            .collect(),
    })
}

/// Lights per measure under the ledger's filters, as a table and a chart.
pub async fn panel(
    state: &AppState,
    actor: &Actor,
    f: &AssignmentFilter,
    lang: Lang,
) -> AppResult<LedgerPanel> {
    let (r, (counts, measures)) = read(state, actor, f, "assignment.summary", async |tx, p| {
        let counts = store::ledger_lights_by_measure(tx, p).await?;
        let measures = crate::policy::store::measures(tx, p.policy_id).await?;
        Ok((counts, measures))
    })
    .await?;
    let rollup = rollup(&measures, &counts, lang, r.filters.measure);
    let base = AssignmentFilter {
        measure: None,
        light: None,
        ..f.clone()
    };
    let mut p = LedgerPanel {
        rollup,
        svg: String::new(),
        base_query: query_of(&base),
    };
    p.svg = chart(&p.rollup, lang, &p);
    Ok(p)
}

#[derive(Template)]
#[template(path = "supervision/summary.html")]
pub struct SummaryPage {
    pub b: Base,
    pub panel: LedgerPanel,
    pub query: String,
}

/// 分措施统计: the chart of lights per measure and the roll-up table (printable on A4).
pub async fn summary_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    let panel = panel(&state, &actor, &f, ctx.lang).await?;
    let b = Base::new(&state, &ctx, Some(&actor), "ledger.summary_title");
    render(&SummaryPage {
        b,
        panel,
        query: query_of(&f),
    })
}

/// Assignments in scope counted per measure and light, with the worst light of each measure.
/// Filters as `GET /api/v1/assignments`.
#[utoipa::path(get, path = "/api/v1/assignments/by-measure", tag = "supervision",
    params(("policy" = Option<String>, Query), ("measure" = Option<i64>, Query), ("task" = Option<i64>, Query), ("org" = Option<String>, Query),
           ("level" = Option<String>, Query), ("light" = Option<String>, Query), ("status" = Option<String>, Query), ("role" = Option<String>, Query)),
    responses((status = 200, description = "{\"items\": [MeasureRollup]}", body = [MeasureRollup]), (status = 401), (status = 403), (status = 422)))]
pub async fn by_measure_api(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Json<Value>> {
    let p = panel(&state, &actor, &f, ctx.lang).await?;
    Ok(Json(json!({"items": p.rollup})))
}

/// Links from the ledger page: the export and the ranking keep the page's filters.
impl super::pages::LedgerPage {
    pub fn ledger_query(&self) -> String {
        let mut q: Vec<(&str, String)> = Vec::new();
        if self.f_measure > 0 {
            q.push(("measure", self.f_measure.to_string()));
        }
        for (k, v) in [
            ("task", &self.f_task),
            ("org", &self.f_org),
            ("level", &self.f_level),
            ("light", &self.f_light),
            ("status", &self.f_status),
        ] {
            if !v.trim().is_empty() {
                q.push((k, v.trim().to_string()));
            }
        }
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(
        org: i64,
        status: &str,
        light: &str,
        due: Option<&str>,
        closed: Option<&str>,
    ) -> LedgerCell {
        LedgerCell {
            task_number: 1,
            measure_number: 1,
            org_id: org,
            org_code: format!("O{org}"),
            org_name: format!("单位{org}"),
            status: status.into(),
            light: light.into(),
            due: due.map(str::to_string),
            closed_at: closed.map(|s| {
                chrono::DateTime::parse_from_rfc3339(s)
                    .expect("instant")
                    .timestamp_millis()
            }),
        }
    }

    #[test]
    fn formula_leading_text_gets_an_apostrophe() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+86"), "'+86");
        assert_eq!(neutralise("-x"), "'-x");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("市应急局"), "市应急局");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn closing_on_the_due_day_in_shanghai_counts_as_on_time() {
        // 2022-09-30 23:30 in Shanghai is 15:30 UTC: still the due day.
        assert!(closed_on_time(&cell(
            1,
            "closed",
            "grey",
            Some("2022-09-30"),
            Some("2022-09-30T15:30:00Z")
        )));
        // 2022-10-01 00:30 in Shanghai is 2022-09-30 16:30 UTC: a day late.
        assert!(!closed_on_time(&cell(
            1,
            "closed",
            "grey",
            Some("2022-09-30"),
            Some("2022-09-30T16:30:00Z")
        )));
        assert!(closed_on_time(&cell(
            1,
            "closed",
            "grey",
            None,
            Some("2030-01-01T00:00:00Z")
        )));
        assert!(!closed_on_time(&cell(
            1,
            "acknowledged",
            "green",
            None,
            None
        )));
    }

    #[test]
    fn ranking_orders_by_on_time_rate_and_shares_ranks() {
        let on_time = Some("2022-09-01T00:00:00Z");
        let late = Some("2022-12-01T00:00:00Z");
        let due = Some("2022-09-30");
        let cells = vec![
            // org 1: 1 on time, 1 overdue → 50 %
            cell(1, "closed", "grey", due, on_time),
            cell(1, "acknowledged", "red", due, None),
            // org 2: 2 on time → 100 %
            cell(2, "closed", "grey", due, on_time),
            cell(2, "closed", "grey", due, on_time),
            // org 3: nothing decided → no rate
            cell(3, "issued", "green", due, None),
            // org 4: 1 late, 1 on time → 50 %, same as org 1
            cell(4, "closed", "grey", due, late),
            cell(4, "closed", "grey", due, on_time),
        ];
        let r = rank(&cells);
        let order: Vec<&str> = r.iter().map(|r| r.org_code.as_str()).collect();
        assert_eq!(order, ["O2", "O4", "O1", "O3"]);
        assert_eq!(
            r.iter().map(|r| r.rank).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(2), None]
        );
        assert_eq!(r[0].on_time_rate, Some(1.0));
        assert_eq!(r[2].overdue, 1);
        assert_eq!(r[2].rate_label(), "50.0%");
        assert_eq!(r[3].rate_label(), "—");
    }
}
