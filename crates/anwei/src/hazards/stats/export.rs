//! The dashboard and the (filtered) hazard list as xlsx workbooks, in the house style of the
//! ledger's export: bold grey headers, thin borders, every text cell neutralised against
//! formulas.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde_json::json;

use super::model::{Count, Rates, Stats, StatsFilter};
use crate::audit::{self, Event};
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::hazards::model::{HazardFilter, HazardRow};
use crate::i18n::{Lang, t};
use crate::state::AppState;
use crate::supervision::ledger::neutralise;

/// At most this many hazards go into one list export (the nearest deadlines first).
pub const LIST_MAX: i64 = 10_000;

struct Styles {
    head: Format,
    cell: Format,
    number: Format,
    percent: Format,
}

fn styles() -> Styles {
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    Styles {
        head: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(0xE7E9EE)),
        number: cell.clone().set_align(FormatAlign::Right),
        percent: cell.clone().set_num_format("0.0%"),
        cell,
    }
}

fn heads(
    ws: &mut Worksheet,
    s: &Styles,
    lang: Lang,
    keys: &[(&str, f64)],
) -> Result<(), XlsxError> {
    for (i, (key, width)) in keys.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, t(lang, key), &s.head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn text(ws: &mut Worksheet, row: u32, col: u16, v: &str, f: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, neutralise(v).as_ref(), f)?;
    Ok(())
}

fn counts_sheet(
    wb: &mut Workbook,
    s: &Styles,
    lang: Lang,
    name: &str,
    rows: &[Count],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, name))?;
    heads(
        ws,
        s,
        lang,
        &[
            ("hazard_stats.col_item", 28.0),
            ("hazard_stats.col_count", 10.0),
        ],
    )?;
    for (i, c) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &c.label, &s.cell)?;
        ws.write_number_with_format(r, 1, c.n as f64, &s.number)?;
    }
    Ok(())
}

fn rates_sheet(
    wb: &mut Workbook,
    s: &Styles,
    lang: Lang,
    name: &str,
    rows: &[Rates],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, name))?;
    heads(
        ws,
        s,
        lang,
        &[
            ("hazard_stats.col_name", 24.0),
            ("hazard_stats.col_total", 10.0),
            ("hazard_stats.col_closed", 10.0),
            ("hazard_stats.col_on_time", 10.0),
            ("hazard_stats.col_rate", 12.0),
            ("hazard_stats.col_on_time_rate", 12.0),
        ],
    )?;
    for (i, x) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &x.label, &s.cell)?;
        ws.write_number_with_format(r, 1, x.total as f64, &s.number)?;
        ws.write_number_with_format(r, 2, x.closed as f64, &s.number)?;
        ws.write_number_with_format(r, 3, x.closed_on_time as f64, &s.number)?;
        for (col, v) in [(4, x.rectification_rate), (5, x.on_time_rate)] {
            match v {
                Some(v) => ws.write_number_with_format(r, col, v, &s.percent)?,
                None => ws.write_string_with_format(r, col, "—", &s.cell)?,
            };
        }
    }
    Ok(())
}

/// The dashboard: a summary sheet, then one sheet per table.
pub fn dashboard_workbook(st: &Stats, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, "hazard_stats.summary"))?;
    heads(
        ws,
        &s,
        lang,
        &[
            ("hazard_stats.col_item", 20.0),
            ("hazard_stats.col_count", 24.0),
        ],
    )?;
    let period = format!(
        "{} – {}",
        st.from.as_deref().unwrap_or(""),
        st.to.as_deref().unwrap_or("")
    );
    text(ws, 1, 0, &t(lang, "hazard_stats.region"), &s.cell)?;
    text(ws, 1, 1, &st.region_name, &s.cell)?;
    text(ws, 2, 0, &t(lang, "hazard_stats.period"), &s.cell)?;
    text(ws, 2, 1, &period, &s.cell)?;
    text(ws, 3, 0, &t(lang, "hazard_stats.total"), &s.cell)?;
    ws.write_number_with_format(3, 1, st.total as f64, &s.number)?;
    text(ws, 4, 0, &t(lang, "hazard_stats.overdue"), &s.cell)?;
    ws.write_number_with_format(4, 1, st.overdue as f64, &s.number)?;
    counts_sheet(&mut wb, &s, lang, "hazard_stats.by_grade", &st.by_grade)?;
    counts_sheet(&mut wb, &s, lang, "hazard_stats.by_status", &st.by_status)?;
    counts_sheet(
        &mut wb,
        &s,
        lang,
        "hazard_stats.by_industry",
        &st.by_industry,
    )?;
    counts_sheet(&mut wb, &s, lang, "hazard_stats.by_month", &st.by_month)?;
    rates_sheet(
        &mut wb,
        &s,
        lang,
        "hazard_stats.territories",
        &st.territories,
    )?;
    rates_sheet(
        &mut wb,
        &s,
        lang,
        "hazard_stats.departments",
        &st.departments,
    )?;
    wb.save_to_buffer()
}

/// The hazard list: one row per hazard, the nearest deadline first.
pub fn list_workbook(rows: &[HazardRow], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let today = crate::time::today();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, "hazard_stats.list_sheet"))?;
    heads(
        ws,
        &s,
        lang,
        &[
            ("hazard_stats.col_id", 8.0),
            ("hazard_stats.col_enterprise", 28.0),
            ("hazard_stats.col_region", 12.0),
            ("hazard_stats.col_industry", 8.0),
            ("hazard_stats.col_grade", 14.0),
            ("hazard_stats.col_status", 10.0),
            ("hazard_stats.col_description", 40.0),
            ("hazard_stats.col_found_on", 12.0),
            ("hazard_stats.col_deadline", 12.0),
            ("hazard_stats.col_overdue", 6.0),
        ],
    )?;
    for (i, h) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number_with_format(r, 0, h.id.get() as f64, &s.number)?;
        text(ws, r, 1, &h.enterprise_name, &s.cell)?;
        text(ws, r, 2, &h.region_name, &s.cell)?;
        text(ws, r, 3, &h.industry, &s.cell)?;
        text(
            ws,
            r,
            4,
            &t(lang, &format!("hazard_grade.{}", h.grade.code())),
            &s.cell,
        )?;
        text(
            ws,
            r,
            5,
            &t(lang, &format!("hazard_status.{}", h.status.code())),
            &s.cell,
        )?;
        text(ws, r, 6, &h.description, &s.cell)?;
        text(ws, r, 7, &h.found_on.0.to_string(), &s.cell)?;
        text(ws, r, 8, &h.deadline.0.to_string(), &s.cell)?;
        let late = h.status.is_overdue(h.deadline.0, today);
        text(ws, r, 9, if late { "✔" } else { "" }, &s.cell)?;
    }
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, 9)?;
    }
    wb.save_to_buffer()
}

async fn build(
    f: impl FnOnce() -> Result<Vec<u8>, XlsxError> + Send + 'static,
) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export thread: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}

/// The dashboard of `f` as xlsx, audited (`hazard.stats_export`).
pub async fn dashboard(
    state: &AppState,
    actor: &Actor,
    f: &StatsFilter,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    let st = super::service::stats(state, actor, f).await?;
    let detail = json!({"region": st.region_code, "from": st.from, "to": st.to, "total": st.total});
    let bytes = build(move || dashboard_workbook(&st, lang)).await?;
    let ev = Event::ok("hazard.stats_export", "hazard", "").detail(detail);
    audit::record_alone(state, &actor.who(), ev).await?;
    Ok(bytes)
}

/// The hazards of `f` as xlsx, at most [`LIST_MAX`], audited (`hazard.export`).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    f: &HazardFilter,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    let p = crate::hazards::service::list_upto(state, actor, f, Some(LIST_MAX)).await?;
    let detail = json!({"rows": p.items.len(), "total": p.total, "grade": f.grade, "status": f.status,
        "region": f.region, "industry": f.industry, "overdue": f.overdue});
    let items = p.items;
    let bytes = build(move || list_workbook(&items, lang)).await?;
    let ev = Event::ok("hazard.export", "hazard", "").detail(detail);
    audit::record_alone(state, &actor.who(), ev).await?;
    Ok(bytes)
}
