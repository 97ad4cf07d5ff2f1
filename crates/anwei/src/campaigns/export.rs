//! The deliverables of article 十七 as xlsx: the campaign's 责任清单 (per participating
//! department and per territory, the enterprises in scope and whether inspected; due
//! 2022-06-30 in the document) and its 重大风险隐患清单及整改情况 (the major hazards found at
//! enterprises in scope during the window, with their rectification; due 2022-09-30).

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};
use serde_json::json;

use super::service::{self, Checklist};
use crate::act::Act;
use crate::audit::Event;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::CampaignId;
use crate::state::AppState;
use crate::supervision::ledger::neutralise;

/// One sheet: a title row, a header row, then the rows (every cell text).
fn sheet(title: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    ws.write_string_with_format(0, 0, neutralise(title).as_ref(), &Format::new().set_bold())?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, if c == 0 { 24 } else { 16 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 2, c as u16, neutralise(v).as_ref(), &cell)?;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    wb.save_to_buffer()
}

async fn build(
    title: String,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || sheet(&title, &header, &rows))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export thread: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

fn place_names(codes: &[String]) -> String {
    codes
        .iter()
        .filter_map(|c| anwei_rules::campaign::PlaceType::parse(c))
        .map(|p| p.name_zh())
        .collect::<Vec<_>>()
        .join("、")
}

/// The rows of the 责任清单: each participating department's share, then each territory's.
fn responsibility_rows(c: &Checklist) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let row = |unit: &str, kind: &str, i: &super::model::ChecklistItem| {
        vec![
            unit.to_string(),
            kind.to_string(),
            i.name.clone(),
            i.credit_code.clone(),
            i.region_name.clone(),
            i.industry.clone(),
            place_names(&i.place_types),
            yes_no(i.inspected_on.is_some()),
            i.inspected_on.clone().unwrap_or_default(),
        ]
    };
    for d in &c.departments {
        for i in c.items.iter().filter(|i| i.departments.contains(&d.code)) {
            rows.push(row(&d.name, "行业部门", i));
        }
    }
    for t in &c.by_territory {
        for i in c.items.iter().filter(|i| i.region_code == t.code) {
            rows.push(row(&t.name, "属地", i));
        }
    }
    rows
}

/// 责任清单 as xlsx, audited.
pub async fn responsibility(
    state: &AppState,
    actor: &Actor,
    id: CampaignId,
) -> AppResult<(Vec<u8>, String)> {
    let c = service::checklist(state, actor, id).await?;
    let rows = responsibility_rows(&c);
    let header = vec![
        "责任单位",
        "类别",
        "企业名称",
        "统一社会信用代码",
        "地区",
        "行业",
        "场所类型",
        "是否已检查",
        "首次检查日期",
    ];
    let title = format!("{} 责任清单", c.campaign.name);
    let bytes = build(title.clone(), header, rows.clone()).await?;
    crate::audit::record_alone(
        state,
        &actor.who(),
        Event::ok("campaign.export_responsibility", "campaign", id)
            .detail(json!({"rows": rows.len()})),
    )
    .await?;
    Ok((bytes, title))
}

/// 重大风险隐患清单及整改情况 as xlsx: the major hazards found in the window at enterprises on
/// the checklist, with their status and the article 十七 flag; audited.
pub async fn hazards(
    state: &AppState,
    actor: &Actor,
    id: CampaignId,
) -> AppResult<(Vec<u8>, String)> {
    let mut act = Act::read(state, actor).await?;
    let c = service::checklist_in(&mut act, id, "campaign.export_hazards").await?;
    let under = format!("{}%", c.campaign.region_path);
    let found = crate::hazards::service::majors_between(
        &mut act,
        &under,
        c.campaign.start_date.0,
        c.campaign.end_date.0,
    )
    .await?;
    drop(act);
    let listed: std::collections::HashSet<_> = c.items.iter().map(|i| i.enterprise_id).collect();
    let today = crate::time::today();
    let rows: Vec<Vec<String>> = found
        .iter()
        .filter(|h| listed.contains(&h.enterprise_id))
        .enumerate()
        .map(|(n, h)| {
            let v = h.view(today);
            let status = anwei_rules::hazard::Status::parse(&v.status)
                .map(|s| s.name_zh().to_string())
                .unwrap_or(v.status.clone());
            vec![
                (n + 1).to_string(),
                v.enterprise_name,
                v.region_name,
                v.description,
                v.criterion,
                v.found_on,
                v.deadline,
                v.responsible_person,
                v.measures,
                status,
                yes_no(v.overdue),
                yes_no(v.treat_as_accident),
            ]
        })
        .collect();
    let header = vec![
        "序号",
        "企业名称",
        "地区",
        "隐患描述",
        "判定依据",
        "发现日期",
        "整改期限",
        "整改责任人",
        "整改措施",
        "整改情况",
        "是否逾期",
        "按事故对待",
    ];
    let title = format!("{} 重大风险隐患清单及整改情况", c.campaign.name);
    let bytes = build(title.clone(), header, rows.clone()).await?;
    crate::audit::record_alone(
        state,
        &actor.who(),
        Event::ok("campaign.export_hazards", "campaign", id).detail(json!({"rows": rows.len()})),
    )
    .await?;
    Ok((bytes, title))
}
