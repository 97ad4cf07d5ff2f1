//! 乡镇、街道 (townships and streets): the level below the county in the region tree, imported
//! by the city's committee office from an xlsx of 统计用区划代码 (12-digit statistical area
//! codes: the county's GB/T 2260 code, then three digits for the township, then `000`) and
//! names. A township is a region of level `township` under its county, so its path lies under
//! the county's: an account scoped to the county sees the enterprises of its townships.
//! All or nothing: every row is checked first and every problem listed by row and column.

use std::collections::HashMap;

use serde_json::json;

use super::model::RegionRow;
use super::store;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::files::xlsx::{Caps, CellProblem, find_header, letter, read_for_import};
use crate::i18n::Msg;
use crate::state::AppState;

/// The columns: the field and the header texts it is known by (the first is the template's).
pub const FIELDS: &[(&str, &[&str])] = &[
    ("code", &["统计用区划代码", "区划代码", "代码"]),
    ("name", &["名称", "乡镇（街道）名称", "乡镇街道名称"]),
];

/// A city has a few hundred townships; the caps leave room and bound the reading.
const CAPS: Caps = Caps {
    max_unpacked_bytes: 16 * 1024 * 1024,
    max_rows: 5_000,
    max_cells: 20_000,
    max_cols: 20,
};
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
const ACTION: &str = "region.township_import";

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counts {
    pub added: usize,
    pub renamed: usize,
    pub unchanged: usize,
}

pub enum Outcome {
    Imported(Counts),
    /// Nothing was stored: every problem, by row and column.
    Refused(Vec<CellProblem>),
}

/// A checked row: the township's code and name, and its county.
struct Township {
    code: String,
    name: String,
    county: RegionRow,
}

/// Checks a 12-digit statistical area code of a township: digits only, its first six an
/// existing county's GB/T 2260 code, digits 7–9 not `000` (that is the county itself), the
/// last three `000` (a village's code is not a township's).
fn check_code<'r>(
    code: &str,
    counties: &HashMap<&str, &'r RegionRow>,
) -> Result<&'r RegionRow, Msg> {
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Msg::new("township.code_format"));
    }
    if &code[6..9] == "000" || &code[9..] != "000" {
        return Err(Msg::new("township.code_not_township"));
    }
    counties
        .get(&code[..6])
        .copied()
        .ok_or_else(|| Msg::new("township.county_unknown").with("county", &code[..6]))
}

/// Reads and checks every row: the townships, or every problem.
fn parse(grid: &[Vec<String>], regions: &[RegionRow]) -> Result<Vec<Township>, Vec<CellProblem>> {
    let counties: HashMap<&str, &RegionRow> = regions
        .iter()
        .filter(|r| r.level == "county" && r.has_gb2260_code)
        .map(|r| (r.code.as_str(), r))
        .collect();
    let Some(h) = find_header(grid, 10, FIELDS) else {
        return Err(vec![CellProblem {
            row: 1,
            column: String::new(),
            field: "file".into(),
            msg: Msg::new("xlsx.no_header"),
        }]);
    };
    let mut problems = Vec::new();
    for (field, names) in FIELDS {
        if h.col(field).is_none() {
            problems.push(CellProblem {
                row: h.row + 1,
                column: String::new(),
                field: (*field).into(),
                msg: Msg::new("xlsx.missing_column").with("name", names[0]),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let at = |row: usize, field: &str, msg: Msg| CellProblem {
        row: row + 1,
        column: h.col(field).map(letter).unwrap_or_default(),
        field: field.into(),
        msg,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, row) in grid.iter().enumerate().skip(h.row + 1) {
        let (code, name) = (h.cell(row, "code"), h.cell(row, "name"));
        if code.is_empty() && name.is_empty() {
            continue;
        }
        let county = match check_code(code, &counties) {
            Ok(c) => Some(c),
            Err(m) => {
                problems.push(at(i, "code", m));
                None
            }
        };
        if let Some(first) = seen.insert(code.to_string(), i + 1)
            && !code.is_empty()
        {
            problems.push(at(
                i,
                "code",
                Msg::new("xlsx.duplicate_in_file").with("row", first),
            ));
        }
        if name.is_empty() {
            problems.push(at(i, "name", Msg::new("error.required")));
        } else if name.chars().count() > 50 {
            problems.push(at(i, "name", Msg::new("error.too_long").with("max", 50)));
        }
        if let Some(county) = county {
            out.push(Township {
                code: code.to_string(),
                name: name.to_string(),
                county: county.clone(),
            });
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(CellProblem {
            row: h.row + 2,
            column: String::new(),
            field: "file".into(),
            msg: Msg::new("xlsx.no_rows"),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The city's committee office may import townships; anyone else is refused (403, audited).
async fn permit(act: &mut Act<'_>) -> AppResult<()> {
    let t = Target {
        kind: "region",
        id: "township",
    };
    act.require(Perm::OrgManage, ACTION, t).await?;
    if !act.actor.is_city_office() {
        let refusal = AppError::Refused(Msg::new("township.city_office_only"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    Ok(())
}

/// [`import`]'s permission alone, before the upload is read: a refused caller learns nothing
/// about the file.
pub async fn may_import(state: &AppState, actor: &Actor) -> AppResult<()> {
    let mut act = Act::read(state, actor).await?;
    permit(&mut act).await
}

/// Imports townships under the existing counties: a new code is added, a known one takes the
/// sheet's name when it differs. The city's committee office only (a county office, the
/// administrator: 403, audited). All or nothing, in one transaction; the tree's stamp is
/// bumped (the region tree changed), and one audit record says how many.
pub async fn import(state: &AppState, actor: &Actor, bytes: &[u8]) -> AppResult<Outcome> {
    let mut act = Act::begin(state, actor).await?;
    permit(&mut act).await?;
    let grid = read_for_import(bytes, CAPS, MAX_FILE_BYTES)?;
    let regions = store::regions(act.tx()).await?;
    let townships = match parse(&grid, &regions) {
        Ok(t) => t,
        Err(p) => return Ok(Outcome::Refused(p)),
    };
    let known: HashMap<&str, &RegionRow> = regions.iter().map(|r| (r.code.as_str(), r)).collect();
    let mut counts = Counts::default();
    for tw in &townships {
        match known.get(tw.code.as_str()) {
            Some(r) if r.name == tw.name => counts.unchanged += 1,
            Some(r) => {
                store::rename_region(act.tx(), r.id, &tw.name).await?;
                counts.renamed += 1;
            }
            None => {
                let sort: i64 = tw.code[6..9].parse().unwrap_or(0);
                let parent = Some((tw.county.id, tw.county.path.as_str()));
                store::insert_region(
                    act.tx(),
                    &tw.code,
                    &tw.name,
                    "township",
                    parent,
                    false,
                    sort,
                )
                .await?;
                counts.added += 1;
            }
        }
    }
    crate::stamps::bump(act.tx(), crate::stamps::EVERY_ORG).await?;
    act.audit(Event::ok(ACTION, "region", "township").detail(json!({
        "added": counts.added, "renamed": counts.renamed, "unchanged": counts.unchanged,
    })))
    .await?;
    act.commit().await?;
    Ok(Outcome::Imported(counts))
}

/// The template: the header row, and a sheet that explains the columns.
pub fn template() -> Result<Vec<u8>, AppError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let ws = wb.add_worksheet();
    ws.set_name("乡镇街道").map_err(err)?;
    for (c, (_, names)) in FIELDS.iter().enumerate() {
        ws.write_string(0, c as u16, names[0]).map_err(err)?;
        ws.set_column_width(c as u16, 24).map_err(err)?;
    }
    let help = wb.add_worksheet();
    help.set_name("说明").map_err(err)?;
    help.write_string(0, 0, "统计用区划代码：12 位，前 6 位为所属县（市、区）的行政区划代码，第 7–9 位为乡镇（街道），末 3 位为 000，例如 220502001000。")
        .map_err(err)?;
    help.write_string(
        1,
        0,
        "名称：乡镇或街道的名称，例如 东昌街道。每行一个，已有的代码按表中名称更新。",
    )
    .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
