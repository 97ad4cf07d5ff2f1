//! The accident statistics as an xlsx workbook, in the layout of the national accident
//! statistics forms where practical: a summary sheet (本期, 去年同期, 同比) and one sheet per
//! breakdown with 事故起数, 死亡人数, 重伤人数, 下落不明人数 and 直接经济损失（万元）.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde_json::json;

use super::model::{AccidentStats, AccidentStatsFilter, Figures, LevelOnTime};
use crate::audit::{self, Event};
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t};
use crate::state::AppState;
use crate::supervision::ledger::neutralise;

struct Styles {
    head: Format,
    cell: Format,
    number: Format,
    money: Format,
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
        money: cell.clone().set_num_format("0.00"),
        percent: cell.clone().set_num_format("+0.0%;-0.0%;0.0%"),
        cell,
    }
}

const COLS: [&str; 6] = [
    "accident_stats.col_item",
    "accident_stats.col_accidents",
    "accident_stats.col_deaths",
    "accident_stats.col_serious_injuries",
    "accident_stats.col_missing",
    "accident_stats.col_loss_wan",
];

fn heads(ws: &mut Worksheet, s: &Styles, lang: Lang, first: &str) -> Result<(), XlsxError> {
    for (i, key) in COLS.iter().enumerate() {
        let key = if i == 0 { first } else { key };
        ws.write_string_with_format(0, i as u16, t(lang, key), &s.head)?;
        ws.set_column_width(i as u16, if i == 0 { 24.0 } else { 12.0 })?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn line(ws: &mut Worksheet, s: &Styles, r: u32, label: &str, x: &Figures) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, neutralise(label).as_ref(), &s.cell)?;
    for (c, v) in [
        (1, x.accidents),
        (2, x.deaths),
        (3, x.serious_injuries),
        (4, x.missing),
    ] {
        ws.write_number_with_format(r, c, v as f64, &s.number)?;
    }
    ws.write_number_with_format(r, 5, x.direct_loss_yuan as f64 / 10_000.0, &s.money)?;
    Ok(())
}

fn sheet(
    wb: &mut Workbook,
    s: &Styles,
    lang: Lang,
    name: &str,
    rows: &[Figures],
    total: &Figures,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, name))?;
    heads(ws, s, lang, name)?;
    for (i, x) in rows.iter().enumerate() {
        line(ws, s, i as u32 + 1, &x.label, x)?;
    }
    line(
        ws,
        s,
        rows.len() as u32 + 1,
        &t(lang, "accident_stats.total"),
        total,
    )?;
    Ok(())
}

/// The workbook of `st`.
pub fn workbook(st: &AccidentStats, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, "accident_stats.summary"))?;
    heads(ws, &s, lang, "accident_stats.col_period")?;
    let now = format!("{} {} – {}", st.region_name, st.from, st.to);
    let before = format!("{} – {}", st.previous_from, st.previous_to);
    line(ws, &s, 1, &now, &st.total)?;
    line(ws, &s, 2, &before, &st.previous)?;
    let y = &st.year_on_year;
    ws.write_string_with_format(3, 0, t(lang, "accident_stats.year_on_year"), &s.cell)?;
    for (c, v) in [
        (1, y.accidents),
        (2, y.deaths),
        (3, y.serious_injuries),
        (5, y.direct_loss_yuan),
    ] {
        match v {
            Some(v) => ws.write_number_with_format(3, c, v, &s.percent)?,
            None => ws.write_string_with_format(3, c, "—", &s.cell)?,
        };
    }
    ws.write_string_with_format(3, 4, "—", &s.cell)?;
    sheet(
        &mut wb,
        &s,
        lang,
        "accident_stats.by_grade",
        &st.by_grade,
        &st.total,
    )?;
    sheet(
        &mut wb,
        &s,
        lang,
        "accident_stats.by_type",
        &st.by_type,
        &st.total,
    )?;
    sheet(
        &mut wb,
        &s,
        lang,
        "accident_stats.by_industry",
        &st.by_industry,
        &st.total,
    )?;
    sheet(
        &mut wb,
        &s,
        lang,
        "accident_stats.by_territory",
        &st.by_territory,
        &st.total,
    )?;
    sheet(
        &mut wb,
        &s,
        lang,
        "accident_stats.by_month",
        &st.by_month,
        &st.total,
    )?;
    on_time_sheet(&mut wb, &s, lang, &st.on_time)?;
    wb.save_to_buffer()
}

const ON_TIME_COLS: [&str; 7] = [
    "accident_ontime.col_level",
    "accident_ontime.col_due",
    "accident_ontime.col_on_time",
    "accident_ontime.col_late",
    "accident_ontime.col_overdue",
    "accident_ontime.col_running",
    "accident_ontime.col_rate",
];

/// 及时率: one row per reporting level (issue 12).
fn on_time_sheet(
    wb: &mut Workbook,
    s: &Styles,
    lang: Lang,
    rows: &[LevelOnTime],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, "accident_ontime.sheet"))?;
    for (i, key) in ON_TIME_COLS.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, t(lang, key), &s.head)?;
        ws.set_column_width(i as u16, if i == 0 { 24.0 } else { 12.0 })?;
    }
    ws.set_freeze_panes(1, 0)?;
    let rate = s.cell.clone().set_num_format("0.0%");
    for (i, x) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let label = format!(
            "{} → {}",
            t(lang, &format!("accident_level.{}", x.level)),
            t(lang, &format!("accident_level.{}", x.to))
        );
        ws.write_string_with_format(r, 0, label, &s.cell)?;
        for (c, v) in [
            (1, x.due),
            (2, x.on_time),
            (3, x.late),
            (4, x.overdue),
            (5, x.running),
        ] {
            ws.write_number_with_format(r, c, v as f64, &s.number)?;
        }
        match x.rate {
            Some(v) => ws.write_number_with_format(r, 6, v, &rate)?,
            None => ws.write_string_with_format(r, 6, "—", &s.cell)?,
        };
    }
    Ok(())
}

/// The statistics of `f` as xlsx, audited (`accident.stats_export`).
pub async fn workbook_for(
    state: &AppState,
    actor: &Actor,
    f: &AccidentStatsFilter,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    let st = super::service::stats(state, actor, f).await?;
    let detail = json!({"region": st.region_code, "from": st.from, "to": st.to, "accidents": st.total.accidents});
    let bytes = tokio::task::spawn_blocking(move || workbook(&st, lang))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export thread: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let ev = Event::ok("accident.stats_export", "accident", "").detail(detail);
    audit::record_alone(state, &actor.who(), ev).await?;
    Ok(bytes)
}
