//! 企业批量导入 (the enterprise import): an xlsx with a header row of Chinese column names (the
//! template's), one enterprise a row. Every row is read into the same input as the create
//! form and checked by the same parser; the regions are checked against a table loaded once
//! (exists, lies in the caller's scope; a township's 12-digit code too); credit codes repeated
//! in the file or already registered are errors. Every problem is listed by row and column,
//! and nothing is stored unless every row is right — then all rows in one transaction, in
//! batches, the principals' ID numbers sealed and indexed as the create form does.

use std::collections::HashMap;

use anwei_rules::campaign::PlaceType;
use anwei_rules::enterprise::{Management, Scale};
use serde_json::json;

use super::model::{NewEnterprise, NewEnterpriseInput};
use super::store;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::files::xlsx::{Caps, CellProblem, Header, find_header, letter, read_for_import};
use crate::i18n::Msg;
use crate::orgs::model::RegionRow;
use crate::state::AppState;

/// The columns: the field and the header texts it is known by (the first is the template's).
pub const FIELDS: &[(&str, &[&str])] = &[
    ("name", &["企业名称", "名称"]),
    ("credit_code", &["统一社会信用代码", "信用代码"]),
    ("region_code", &["所在地区代码", "区划代码", "地区代码"]),
    ("industry", &["行业代码", "行业"]),
    ("address", &["地址", "注册地址"]),
    ("scale", &["企业规模", "规模"]),
    ("central_provincial", &["中省属"]),
    ("management", &["分级属地", "属地管理"]),
    ("major_hazard_source", &["重大危险源"]),
    ("principal_name", &["主要负责人"]),
    (
        "principal_id_number",
        &["主要负责人身份证号码", "身份证号码"],
    ),
    ("place_types", &["场所类型"]),
];
const REQUIRED: &[&str] = &["name", "credit_code", "region_code", "industry"];

/// Most enterprises in one file: a city's whole registry.
pub const MAX_ROWS: usize = 100_000;
pub const MAX_FILE_BYTES: usize = 40 * 1024 * 1024;
const CAPS: Caps = Caps {
    max_unpacked_bytes: 384 * 1024 * 1024,
    max_rows: MAX_ROWS + 11,
    // The template's 12 columns and a few of the office's own (notes) on every row.
    max_cells: (MAX_ROWS + 11) * 16,
    max_cols: 30,
};
const ACTION: &str = "enterprise.import";

pub enum Outcome {
    Imported {
        enterprises: usize,
    },
    /// Nothing was stored: every problem, by row and column.
    Refused(Vec<CellProblem>),
}

/// A yes/no cell: 是/否, true/false, 1/0, Y/N; blank is no.
fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "否" | "false" | "0" | "n" | "no" | "无" => Some(false),
        "是" | "true" | "1" | "y" | "yes" | "有" => Some(true),
        _ => None,
    }
}

/// A vocabulary cell by its code or its Chinese name (大型, 市管), as the code.
fn code_of(s: &str, names: &[(&'static str, &'static str)]) -> String {
    let s = s.trim();
    names
        .iter()
        .find(|(code, zh)| *zh == s || code.eq_ignore_ascii_case(s))
        .map(|(code, _)| (*code).to_string())
        .unwrap_or_else(|| s.to_string())
}

/// Reads one row into the create form's input; a yes/no cell that is neither is a problem.
fn input_of(h: &Header, row: &[String], bad: &mut Vec<(&'static str, Msg)>) -> NewEnterpriseInput {
    let scales: Vec<(&str, &str)> = Scale::ALL.iter().map(|s| (s.code(), s.name_zh())).collect();
    let managements: Vec<(&str, &str)> = Management::ALL
        .iter()
        .map(|m| (m.code(), m.name_zh()))
        .collect();
    let mut flag = |field: &'static str| match yes_no(h.cell(row, field)) {
        Some(b) => b,
        None => {
            bad.push((field, Msg::new("enterprise.import_yes_no")));
            false
        }
    };
    let central_provincial = flag("central_provincial");
    let major_hazard_source = flag("major_hazard_source");
    NewEnterpriseInput {
        name: h.cell(row, "name").into(),
        credit_code: h.cell(row, "credit_code").into(),
        region_code: h.cell(row, "region_code").into(),
        industry: h.cell(row, "industry").into(),
        address: h.cell(row, "address").into(),
        scale: code_of(h.cell(row, "scale"), &scales),
        central_provincial,
        management: code_of(h.cell(row, "management"), &managements),
        major_hazard_source,
        principal_name: h.cell(row, "principal_name").into(),
        principal_id_number: h.cell(row, "principal_id_number").into(),
        place_types: place_type_codes(h.cell(row, "place_types")),
    }
}

/// A place-type cell: codes or Chinese names (人员密集场所), separated by 、 , ， ; or ；, as
/// codes; an unknown one is kept as typed, so the check names it (`enterprise.place_type_unknown`).
fn place_type_codes(s: &str) -> Vec<String> {
    let names: Vec<(&str, &str)> = PlaceType::ALL
        .iter()
        .map(|t| (t.code(), t.name_zh()))
        .collect();
    s.split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| code_of(t, &names))
        .collect()
}

/// A checked row: the enterprise and its region.
pub struct Row {
    pub e: NewEnterprise,
    pub region: RegionRow,
    /// Where it is in the sheet: its row (1-based) and the credit code's column.
    pub sheet_row: usize,
    pub code_column: String,
    /// The principal's ID number's column.
    pub id_column: String,
}

/// Reads and checks every row against the regions (by code) and the actor's scope: the
/// enterprises, or every problem in sheet order.
fn parse(
    grid: &[Vec<String>],
    regions: &HashMap<String, RegionRow>,
    scope: &Scope,
) -> Result<Vec<Row>, Vec<CellProblem>> {
    let Some(h) = find_header(grid, 10, FIELDS) else {
        return Err(vec![problem(1, "", "file", Msg::new("xlsx.no_header"))]);
    };
    let mut problems: Vec<CellProblem> = FIELDS
        .iter()
        .filter(|(f, _)| REQUIRED.contains(f) && h.col(f).is_none())
        .map(|(f, names)| {
            problem(
                h.row + 1,
                "",
                f,
                Msg::new("xlsx.missing_column").with("name", names[0]),
            )
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, row) in grid.iter().enumerate().skip(h.row + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = |field: &str, msg: Msg| {
            let col = h.col(field).map(letter).unwrap_or_default();
            problem(i + 1, &col, field, msg)
        };
        let mut bad = Vec::new();
        let input = input_of(&h, row, &mut bad);
        for (f, m) in bad {
            problems.push(at(f, m));
        }
        let parsed = match input.parse() {
            Ok(e) => Some(e),
            Err(AppError::Validation(fields)) => {
                problems.extend(fields.into_iter().map(|(f, m)| at(&f, m)));
                None
            }
            Err(_) => None,
        };
        // The region is checked whatever else is wrong in the row.
        let code = input.region_code.trim();
        let region = match regions.get(code) {
            _ if code.is_empty() => None,
            None => {
                problems.push(at("region_code", Msg::new("org.region_unknown")));
                None
            }
            Some(r) => match scope {
                Scope::Region(p) if !r.path.starts_with(p.as_str()) => {
                    let m = Msg::new("enterprise.region_out_of_scope");
                    problems.push(at("region_code", m));
                    None
                }
                _ => Some(r),
            },
        };
        let Some(e) = parsed else { continue };
        if let Some(first) = seen.insert(e.credit_code.clone(), i + 1) {
            let m = Msg::new("xlsx.duplicate_in_file").with("row", first);
            problems.push(at("credit_code", m));
        }
        let Some(region) = region else { continue };
        out.push(Row {
            e,
            region: region.clone(),
            sheet_row: i + 1,
            code_column: h.col("credit_code").map(letter).unwrap_or_default(),
            id_column: h.col("principal_id_number").map(letter).unwrap_or_default(),
        });
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(problem(h.row + 2, "", "file", Msg::new("xlsx.no_rows")));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn problem(row: usize, column: &str, field: &str, msg: Msg) -> CellProblem {
    CellProblem {
        row,
        column: column.into(),
        field: field.into(),
        msg,
    }
}

/// [`import`]'s permission alone, before the upload is read (403, audited).
pub async fn may_import(state: &AppState, actor: &Actor) -> AppResult<()> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::EnterpriseManage, ACTION, target()).await
}

fn target() -> Target<'static> {
    Target {
        kind: "enterprise",
        id: "import",
    }
}

/// Imports the enterprises of an xlsx, all or nothing (see the module). Enterprises are not
/// toured as lower-level bodies, so the tree's stamp (`EVERY_ORG`) is left alone, as for one
/// enterprise added by the form. One audit record: how many, and the file's SHA-256.
pub async fn import(state: &AppState, actor: &Actor, bytes: &[u8]) -> AppResult<Outcome> {
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::EnterpriseManage, ACTION, target())
        .await?;
    let grid = read_for_import(bytes, CAPS, MAX_FILE_BYTES)?;
    let regions: HashMap<String, RegionRow> = crate::orgs::service::all_regions(&mut act)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect();
    let rows = match parse(&grid, &regions, &actor.scope()) {
        Ok(r) => r,
        Err(p) => return Ok(Outcome::Refused(p)),
    };
    drop(grid);
    let codes: Vec<&str> = rows.iter().map(|r| r.e.credit_code.as_str()).collect();
    let taken = crate::orgs::service::codes_taken(&mut act, &codes).await?;
    if !taken.is_empty() {
        let problems = taken_problems(&rows, &taken);
        return Ok(Outcome::Refused(problems));
    }
    let mut banned = Vec::new();
    for r in &rows {
        let id = &r.e.principal_id_number;
        if let Some(m) = crate::bans::service::banned_reason(&mut act, id, r.e.industry).await? {
            banned.push(problem(r.sheet_row, &r.id_column, "principal_id_number", m));
        }
    }
    if !banned.is_empty() {
        return Ok(Outcome::Refused(banned));
    }
    let now = now_ms();
    let orgs: Vec<crate::orgs::service::NewEnterpriseOrg> = rows
        .iter()
        .map(|r| crate::orgs::service::NewEnterpriseOrg {
            code: &r.e.credit_code,
            name: &r.e.name,
            region: &r.region,
        })
        .collect();
    let ids = crate::orgs::service::add_enterprise_orgs_in(&mut act, &orgs, now).await?;
    let mut batch = Vec::with_capacity(rows.len());
    for (r, id) in rows.iter().zip(&ids) {
        batch.push((
            *id,
            &r.e,
            super::service::protect(state, &r.e.principal_id_number)?,
        ));
    }
    store::insert_many(act.tx(), &batch, actor.account_id, now).await?;
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
    act.audit(Event::ok(ACTION, "enterprise", "import").detail(json!({
        "enterprises": rows.len(), "sha256": sha,
    })))
    .await?;
    act.commit().await?;
    Ok(Outcome::Imported {
        enterprises: rows.len(),
    })
}

/// The rows whose credit code is already registered, as problems on their credit-code cell.
fn taken_problems(rows: &[Row], taken: &[String]) -> Vec<CellProblem> {
    let taken: std::collections::HashSet<&str> = taken.iter().map(String::as_str).collect();
    rows.iter()
        .filter(|r| taken.contains(r.e.credit_code.as_str()))
        .map(|r| {
            let m = Msg::new("enterprise.credit_code_taken");
            problem(r.sheet_row, &r.code_column, "credit_code", m)
        })
        .collect()
}

/// The template: the header row (required columns marked `*`), and a sheet explaining them.
pub fn template() -> Result<Vec<u8>, AppError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let ws = wb.add_worksheet();
    ws.set_name("企业").map_err(err)?;
    for (c, (f, names)) in FIELDS.iter().enumerate() {
        let c = c as u16;
        let head = if REQUIRED.contains(f) {
            format!("{}*", names[0])
        } else {
            names[0].to_string()
        };
        ws.write_string(0, c, head).map_err(err)?;
        ws.set_column_width(c, 20).map_err(err)?;
        // Codes and ID numbers as text: a number format would drop leading zeros and digits.
        ws.set_column_format(c, &text).map_err(err)?;
    }
    let help = wb.add_worksheet();
    help.set_name("说明").map_err(err)?;
    let lines = [
        "每行一个企业；带 * 的列必填。全部行无误才导入，有错时列出每处错误的行和列，不导入任何一行。",
        "统一社会信用代码：18 位，校验码须正确；在表内或系统中重复的不能导入。",
        "所在地区代码：县（市、区）的 6 位行政区划代码（如 220502），或乡镇（街道）的 12 位统计用区划代码（如 220502001000），须在本账号的管辖范围内。",
        "行业代码：GB/T 4754-2017 门类字母加大类代码，如 C26；或只填门类，如 C。",
        "企业规模：大型、中型、小型或微型，可不填。分级属地：市管或县管，不填为县管。",
        "中省属、重大危险源：填 是 或 否，不填为否。",
        "主要负责人身份证号码：18 位，校验码须正确；加密保存，页面上只显示部分号码。",
    ];
    for (r, l) in lines.iter().enumerate() {
        help.write_string(r as u32, 0, *l).map_err(err)?;
    }
    let places: Vec<&str> = PlaceType::ALL.iter().map(|t| t.name_zh()).collect();
    let places = format!(
        "场所类型：可不填；多个用顿号分隔，如 人员密集场所、高层建筑。可填：{}。",
        places.join("、")
    );
    help.write_string(lines.len() as u32, 0, places)
        .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
