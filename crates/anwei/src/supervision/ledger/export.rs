//! 督办台账 as xlsx, in the layout of the document's attachment with status columns.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde_json::json;

use super::super::store::{self, LedgerCell};
use crate::audit::{self, Event};
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t};
use crate::policy::model::{MeasureRow, TaskRow};
use crate::state::AppState;
use crate::supervision::model::AssignmentFilter;
use crate::web::ctx::RequestCtx;
use crate::web::extract::Q;

// The chart module lives with the web helpers; it is declared here until `web/mod.rs` lists it.

use super::read;

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
pub(super) fn light_label(lang: Lang, light: &str) -> String {
    t(lang, &format!("ledger.light_short.{light}"))
}

pub(super) fn measure_label(lang: Lang, m: &MeasureRow) -> String {
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
    let mut org_index: HashMap<crate::ids::OrgId, usize> = HashMap::new();
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
        read(state, actor, f, "assignment.export", async |act, p| {
            let cells = store::ledger_cells(act.tx(), p).await?;
            let measures = crate::policy::service::measures_of(act, p.policy_id).await?;
            let tasks = crate::policy::service::tasks_of(act, p.policy_id, p.measure).await?;
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
