//! Import of a new policy table (xlsx or csv: measure / number / task / responsible units /
//! deadline): every cell checked and parsed, a preview, all-or-nothing import.
//!
//! The upload is read at the boundary into a grid of text cells (xlsx through calamine's
//! streaming cell reader, after the archive's central directory is checked and the archive is
//! repacked with what is really unpacked capped; csv by hand, RFC 4180, UTF-8 only), then every cell is read by `anwei_rules` — a cell the rules do not understand is
//! listed with its row and column, never guessed. Nothing is stored in the database until the
//! office confirms; the upload waits as a file under a hash of its content and uploader.

use std::io::Cursor;

use anwei_rules::{deadline_phrase, unit_phrase};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use calamine::{DataRef, Reader, Xlsx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::archive::{MAX_UNPACKED_BYTES, check_zip, repack};
use super::model::{DeadlineView, MeasureRow, PolicyRow, SelectorView};
use super::store;
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, render};

/// Largest file accepted (a table of 2,000 tasks is far smaller).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows (tasks) in one table.
pub const MAX_ROWS: usize = 2000;
/// Most non-empty cells read from a sheet; more is not a task table.
pub const MAX_CELLS: usize = 60_000;
/// Columns beyond this are not read.
const MAX_COLS: usize = 50;
/// Rows above the header that may hold a title.
const MAX_HEADER_ROW: usize = 10;

/// The five columns of a task table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Measure,
    Number,
    Task,
    Units,
    Deadline,
}

impl Col {
    pub const ALL: [Col; 5] = [
        Col::Measure,
        Col::Number,
        Col::Task,
        Col::Units,
        Col::Deadline,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Col::Measure => "measure",
            Col::Number => "number",
            Col::Task => "task",
            Col::Units => "units",
            Col::Deadline => "deadline",
        }
    }
    /// The column a header cell names (Chinese as in the document's attachment, or English).
    pub fn from_header(text: &str) -> Option<Col> {
        let h: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        let h = h.trim_end_matches(['：', ':']);
        let names: [(Col, &[&str]); 5] = [
            (
                Col::Measure,
                &[
                    "措施",
                    "主要措施",
                    "工作措施",
                    "重点措施",
                    "具体措施",
                    "measure",
                    "measures",
                ],
            ),
            (
                Col::Number,
                &[
                    "序号",
                    "编号",
                    "任务序号",
                    "任务编号",
                    "number",
                    "no",
                    "no.",
                    "#",
                ],
            ),
            (
                Col::Task,
                &[
                    "重点任务",
                    "任务",
                    "工作任务",
                    "主要任务",
                    "任务内容",
                    "task",
                    "tasks",
                    "keytask",
                ],
            ),
            (
                Col::Units,
                &[
                    "责任单位",
                    "责任部门",
                    "牵头单位",
                    "responsibleunits",
                    "responsibleunit",
                    "units",
                ],
            ),
            (
                Col::Deadline,
                &["完成时限", "时限", "完成时间", "时限要求", "deadline"],
            ),
        ];
        names
            .iter()
            .find(|(_, ns)| ns.contains(&h))
            .map(|(c, _)| *c)
    }
}

/// The spreadsheet letter of a 0-based column (A, B, … Z, AA …).
pub fn letter(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// A cell that was not read: where it is, what it says, and why.
#[derive(Debug, Clone)]
pub struct CellError {
    /// 1-based row of the file (the header is a row too); 0 for the file as a whole.
    pub row: usize,
    /// `measure`, `number`, `task`, `units`, `deadline`, or `file`.
    pub column: &'static str,
    /// The spreadsheet letter of the column, when known.
    pub letter: String,
    pub text: String,
    pub reason: Msg,
}

/// One task as read, with its cells' parsed structure.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: usize,
    pub measure: i64,
    pub measure_title: String,
    pub number: Option<i64>,
    pub content: String,
    pub units_text: String,
    pub deadline_text: String,
    pub deadline: Option<deadline_phrase::Deadline>,
    pub units: Vec<unit_phrase::UnitSelector>,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub measures: Vec<String>,
    pub errors: Vec<CellError>,
}

fn file_error(reason: Msg) -> CellError {
    CellError {
        row: 0,
        column: "file",
        letter: String::new(),
        text: String::new(),
        reason,
    }
}

// --- reading the file into a grid ------------------------------------------------------

/// Reads an upload into rows of text cells, telling xlsx from csv by content.
pub fn read_grid(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    if bytes.is_empty() {
        return Err(Msg::new("file.empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(
            Msg::new("policy_import.too_large").with("max_mb", MAX_FILE_BYTES / (1024 * 1024))
        );
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return Err(Msg::new("policy_import.xls_unsupported"));
    }
    read_csv(bytes)
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => format!("#{e}"),
        _ => String::new(),
    }
}

/// The first worksheet, cell by cell (never as one dense range: a sheet that declares a
/// million rows must not allocate them).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    check_zip(bytes)?;
    let bytes = repack(bytes, MAX_UNPACKED_BYTES)?;
    let bad = || Msg::new("policy_import.xlsx_unreadable");
    let mut wb: Xlsx<Cursor<Vec<u8>>> = Xlsx::new(Cursor::new(bytes)).map_err(|_| bad())?;
    let name = wb.sheet_names().first().cloned().ok_or_else(bad)?;
    let mut reader = wb.worksheet_cells_reader(&name).map_err(|_| bad())?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    while let Some(cell) = reader.next_cell().map_err(|_| bad())? {
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        cells += 1;
        if cells > MAX_CELLS {
            return Err(Msg::new("policy_import.too_many_cells").with("max", MAX_CELLS));
        }
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if c >= MAX_COLS {
            continue;
        }
        if r > MAX_ROWS + MAX_HEADER_ROW {
            return Err(Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS));
        }
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
        let row = &mut grid[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    Ok(grid)
}

/// RFC 4180 csv: comma-separated, fields optionally in double quotes (a quote inside written
/// twice), records ended by CRLF (a bare LF is accepted too). UTF-8 only, with or without BOM.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Msg::new("policy_import.not_utf8"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Msg::new("policy_import.not_utf8"))?;
    if text.contains('\0') {
        return Err(Msg::new("policy_import.not_utf8"));
    }
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    // Whether the current field began with a quote (and so must end with one).
    let mut was_quoted = false;
    let bad_quote = |n: usize| Msg::new("policy_import.csv_quote").with("row", n);
    while let Some(c) = chars.next() {
        let n = grid.len() + 1;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    match chars.peek() {
                        None | Some(',') | Some('\n') | Some('\r') => {}
                        Some(_) => return Err(bad_quote(n)),
                    }
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => return Err(bad_quote(n)),
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                was_quoted = false;
                grid.push(std::mem::take(&mut record));
                if grid.len() > MAX_ROWS + MAX_HEADER_ROW + 1 {
                    return Err(Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS));
                }
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(bad_quote(grid.len() + 1));
    }
    if !field.is_empty() || !record.is_empty() || was_quoted {
        record.push(field);
        grid.push(record);
    }
    if grid.len() > MAX_ROWS + MAX_HEADER_ROW + 1 {
        return Err(Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS));
    }
    Ok(grid)
}

// --- reading the grid into tasks -------------------------------------------------------

fn digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            other => other,
        })
        .collect()
}

/// Reads the grid: finds the header, then reads every data row's five cells. Every cell the
/// rules do not understand becomes a `CellError`; nothing is guessed.
pub fn parse_grid(grid: &[Vec<String>]) -> Parsed {
    let mut out = Parsed::default();
    let cell =
        |r: &Vec<String>, i: usize| r.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    // The header: the first row (of the first few) that names at least three columns.
    let header = grid
        .iter()
        .take(MAX_HEADER_ROW)
        .enumerate()
        .find(|(_, r)| r.iter().filter_map(|c| Col::from_header(c)).count() >= 3);
    let Some((hi, header)) = header else {
        out.errors
            .push(file_error(Msg::new("policy_import.no_header")));
        return out;
    };
    let mut cols: Vec<(Col, usize)> = Vec::new();
    for (i, text) in header.iter().enumerate() {
        if let Some(c) = Col::from_header(text) {
            if cols.iter().any(|(k, _)| *k == c) {
                out.errors.push(CellError {
                    row: hi + 1,
                    column: c.code(),
                    letter: letter(i),
                    text: text.trim().to_string(),
                    reason: Msg::new("policy_import.header_twice"),
                });
            } else {
                cols.push((c, i));
            }
        }
    }
    for c in Col::ALL {
        if !cols.iter().any(|(k, _)| *k == c) {
            out.errors.push(CellError {
                row: hi + 1,
                column: c.code(),
                letter: String::new(),
                text: String::new(),
                reason: Msg::new("policy_import.header_missing"),
            });
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    let at = |c: Col| {
        cols.iter()
            .find(|(k, _)| *k == c)
            .map(|(_, i)| *i)
            .unwrap_or(0)
    };
    let data: Vec<(usize, &Vec<String>)> = grid
        .iter()
        .enumerate()
        .skip(hi + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r))
        .collect();
    if data.is_empty() {
        out.errors
            .push(file_error(Msg::new("policy_import.no_rows")));
        return out;
    }
    if data.len() > MAX_ROWS {
        out.errors.push(file_error(
            Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS),
        ));
        return out;
    }
    let n = data.len() as i64;
    let mut current: Option<usize> = None;
    let mut seen_numbers: Vec<(i64, usize)> = Vec::new();
    for (row, r) in data {
        let mut err = |col: Col, text: &str, reason: Msg| {
            out.errors.push(CellError {
                row,
                column: col.code(),
                letter: letter(at(col)),
                text: text.to_string(),
                reason,
            })
        };
        // Measure: a blank cell continues the one above (a merged cell spans rows).
        let m = cell(r, at(Col::Measure));
        if m.is_empty() {
            if current.is_none() {
                err(Col::Measure, "", Msg::new("policy_import.measure_missing"));
            }
        } else if current.is_some_and(|i| out.measures[i] == m) {
        } else if out.measures.contains(&m) {
            err(Col::Measure, &m, Msg::new("policy_import.measure_again"));
        } else if m.chars().count() > 200 {
            err(
                Col::Measure,
                &m,
                Msg::new("error.too_long").with("max", 200),
            );
        } else {
            out.measures.push(m.clone());
            current = Some(out.measures.len() - 1);
        }
        // Number: 1..n, each once.
        let t = cell(r, at(Col::Number));
        let number = match digits(&t).parse::<i64>() {
            _ if t.is_empty() => {
                err(Col::Number, &t, Msg::new("error.required"));
                None
            }
            Ok(k) if (1..=n).contains(&k) => {
                if let Some((_, first)) = seen_numbers.iter().find(|(x, _)| *x == k) {
                    err(
                        Col::Number,
                        &t,
                        Msg::new("policy_import.number_twice").with("row", first),
                    );
                    None
                } else {
                    seen_numbers.push((k, row));
                    Some(k)
                }
            }
            Ok(_) => {
                err(
                    Col::Number,
                    &t,
                    Msg::new("policy_import.number_range").with("n", n),
                );
                None
            }
            Err(_) => {
                err(
                    Col::Number,
                    &t,
                    Msg::new("policy_import.number_not_integer"),
                );
                None
            }
        };
        let content = cell(r, at(Col::Task));
        if content.is_empty() {
            err(Col::Task, "", Msg::new("error.required"));
        } else if content.chars().count() > 2000 {
            err(
                Col::Task,
                &content,
                Msg::new("error.too_long").with("max", 2000),
            );
        }
        let units_text = cell(r, at(Col::Units));
        let units = match unit_phrase::parse(&units_text) {
            Ok(u) => u,
            Err(e) => {
                err(
                    Col::Units,
                    &units_text,
                    Msg::new("policy.units_unparsed").with_msg("reason", Msg::phrase(&e)),
                );
                Vec::new()
            }
        };
        let deadline_text = cell(r, at(Col::Deadline));
        let deadline = match deadline_phrase::parse(&deadline_text) {
            Ok(d) => Some(d),
            Err(e) => {
                err(
                    Col::Deadline,
                    &deadline_text,
                    Msg::new("policy.deadline_unparsed").with_msg("reason", Msg::phrase(&e)),
                );
                None
            }
        };
        out.rows.push(ParsedRow {
            row,
            measure: current.map(|i| i as i64 + 1).unwrap_or(0),
            measure_title: current.map(|i| out.measures[i].clone()).unwrap_or_default(),
            number,
            content,
            units_text,
            deadline_text,
            deadline,
            units,
        });
    }
    out
}

// --- use cases -------------------------------------------------------------------------

/// The new policy's identity, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ImportMeta {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub doc_number: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub issued_on: String,
}

fn check_meta(m: &ImportMeta) -> (ImportMeta, Vec<(String, Msg)>) {
    let mut e = Vec::new();
    let code = m.code.trim().to_string();
    if code.is_empty() {
        e.push(("code".to_string(), Msg::new("error.required")));
    } else if code.len() > 40
        || !code.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        e.push(("code".to_string(), Msg::new("policy_import.code_format")));
    }
    let text = crate::web::extract::text;
    let doc_number = text("doc_number", &m.doc_number, 100, true, &mut e);
    let title = text("title", &m.title, 300, true, &mut e);
    let issuer = text("issuer", &m.issuer, 100, true, &mut e);
    let issued_on = m.issued_on.trim().to_string();
    if issued_on.is_empty() {
        e.push(("issued_on".to_string(), Msg::new("error.required")));
    } else if crate::time::parse_date(&issued_on).is_none() {
        e.push(("issued_on".to_string(), Msg::new("error.date_format")));
    }
    (
        ImportMeta {
            code,
            doc_number,
            title,
            issuer,
            issued_on,
        },
        e,
    )
}

/// What a preview or a refused import shows.
pub struct Preview {
    pub meta: ImportMeta,
    pub parsed: Parsed,
    /// Problems with the metadata or the file as a whole, by field.
    pub fields: Vec<(String, Msg)>,
    /// The stored upload's key, once the table read without errors.
    pub sha: Option<String>,
}

impl Preview {
    pub fn ok(&self) -> bool {
        self.fields.is_empty() && self.parsed.errors.is_empty()
    }
}

/// The key an upload waits under: the SHA-256 of the uploader and the content, so that a
/// confirmation can only name a file its own account uploaded for import.
fn upload_key(actor: &Actor, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"anwei.policy-import\n");
    h.update(actor.account_id.to_string().as_bytes());
    h.update(b"\n");
    h.update(bytes);
    hex::encode(h.finalize())
}

async fn require(state: &AppState, actor: &Actor, code: &str) -> AppResult<()> {
    if actor.can(Perm::PolicyEdit) {
        Ok(())
    } else {
        Err(audit::service::deny(state, &actor.who(), "policy.import", "policy", code).await)
    }
}

async fn check(state: &AppState, meta: &ImportMeta, bytes: &[u8]) -> AppResult<Preview> {
    let (meta, mut fields) = check_meta(meta);
    if !meta.code.is_empty() && !fields.iter().any(|(k, _)| k == "code") {
        let mut tx = state.db.read().await?;
        if store::policy_by_code(&mut tx, &meta.code).await?.is_some() {
            fields.push(("code".to_string(), Msg::new("policy_import.code_taken")));
        }
    }
    let parsed = match read_grid(bytes) {
        Ok(grid) => parse_grid(&grid),
        Err(m) => {
            fields.push(("file".to_string(), m.clone()));
            Parsed {
                errors: vec![file_error(m)],
                ..Default::default()
            }
        }
    };
    Ok(Preview {
        meta,
        parsed,
        fields,
        sha: None,
    })
}

/// Reads an upload and shows what it would import; keeps the file (not the data) for the
/// confirmation when it reads without errors.
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    meta: &ImportMeta,
    bytes: &[u8],
) -> AppResult<Preview> {
    require(state, actor, meta.code.trim()).await?;
    let mut p = check(state, meta, bytes).await?;
    if p.parsed.errors.is_empty() && !p.parsed.rows.is_empty() {
        let key = upload_key(actor, bytes);
        crate::files::store(&state.files, &key, bytes)
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("storing a policy upload: {e}")))?;
        p.sha = Some(key);
    }
    Ok(p)
}

pub enum Outcome {
    Imported { code: String, tasks: usize },
    Refused(Box<Preview>),
}

/// Imports the table as a new policy: policy, measures and tasks in one transaction with its
/// audit record, or nothing at all.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    meta: &ImportMeta,
    bytes: &[u8],
) -> AppResult<Outcome> {
    require(state, actor, meta.code.trim()).await?;
    let p = check(state, meta, bytes).await?;
    if !p.ok() {
        return Ok(Outcome::Refused(Box::new(p)));
    }
    let mut tasks = Vec::new();
    let mut errors = Vec::new();
    for r in &p.parsed.rows {
        let number = r.number.unwrap_or(0);
        match super::service::structure(
            number,
            r.measure,
            String::new(),
            r.content.clone(),
            r.units_text.clone(),
            r.deadline_text.clone(),
        ) {
            Ok(t) => tasks.push(t),
            Err(AppError::Validation(v)) => {
                for (field, msg) in v {
                    let column = match field.as_str() {
                        "deadline_text" => "deadline",
                        "units_text" => "units",
                        _ => "task",
                    };
                    errors.push(CellError {
                        row: r.row,
                        column,
                        letter: String::new(),
                        text: String::new(),
                        reason: msg,
                    });
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        let mut p = p;
        p.parsed.errors = errors;
        return Ok(Outcome::Refused(Box::new(p)));
    }
    let m = &p.meta;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let pid = match store::insert_policy(
        &mut tx,
        &PolicyRow {
            id: 0,
            code: m.code.clone(),
            doc_number: m.doc_number.clone(),
            title: m.title.clone(),
            issuer: m.issuer.clone(),
            issued_on: m.issued_on.clone(),
            builtin: false,
        },
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "code",
                Msg::new("policy_import.code_taken"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    for (i, title) in p.parsed.measures.iter().enumerate() {
        store::insert_measure(
            &mut tx,
            pid,
            &MeasureRow {
                number: i as i64 + 1,
                title_zh: title.clone(),
                title_en: title.clone(),
            },
        )
        .await?;
    }
    for t in &tasks {
        store::insert_task(&mut tx, pid, t).await?;
    }
    audit::record(
        state,
        &mut tx,
        &actor.who(),
        Event::ok("policy.import", "policy", &m.code).detail(json!({
            "doc_number": m.doc_number, "title": m.title,
            "measures": p.parsed.measures.len(), "tasks": tasks.len(),
            "sha256": hex::encode(Sha256::digest(bytes)),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Imported {
        code: m.code.clone(),
        tasks: tasks.len(),
    })
}

/// Imports the upload a preview kept, re-reading every cell.
pub async fn confirm(
    state: &AppState,
    actor: &Actor,
    meta: &ImportMeta,
    sha: &str,
) -> AppResult<Outcome> {
    require(state, actor, meta.code.trim()).await?;
    let gone = || AppError::field("file", Msg::new("policy_import.upload_gone"));
    let bytes = crate::files::read(&state.files, sha.trim())
        .await
        .map_err(|_| gone())?;
    if upload_key(actor, &bytes) != sha.trim() {
        return Err(gone());
    }
    import(state, actor, meta, &bytes).await
}

// --- boundary --------------------------------------------------------------------------

/// A parsed row as the preview shows it (API and page).
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub row: usize,
    pub measure: i64,
    pub measure_title: String,
    pub number: Option<i64>,
    pub content: String,
    pub units_text: String,
    pub units: Vec<SelectorView>,
    pub deadline_text: String,
    pub deadline: Option<DeadlineView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub row: usize,
    pub column: String,
    pub letter: String,
    pub text: String,
    pub reason: String,
}

fn views(p: &Parsed, lang: Lang) -> (Vec<RowView>, Vec<ErrorView>) {
    let rows = p
        .rows
        .iter()
        .map(|r| RowView {
            row: r.row,
            measure: r.measure,
            measure_title: r.measure_title.clone(),
            number: r.number,
            content: r.content.clone(),
            units_text: r.units_text.clone(),
            units: r
                .units
                .iter()
                .map(|s| SelectorView {
                    code: s.code(),
                    scope: s.scope.code().to_string(),
                    target: s.target.code(),
                    description: if lang == Lang::En {
                        s.describe_en()
                    } else {
                        s.describe_zh()
                    },
                })
                .collect(),
            deadline_text: r.deadline_text.clone(),
            deadline: r.deadline.as_ref().map(|d| DeadlineView {
                kind: d.kind.code().to_string(),
                due: d.due.map(|x| x.to_string()),
                ongoing: d.ongoing,
                window_start: d.window_start.map(|x| x.to_string()),
                window_end: d.window_end.map(|x| x.to_string()),
            }),
        })
        .collect();
    let errors = p
        .errors
        .iter()
        .map(|e| ErrorView {
            row: e.row,
            column: e.column.to_string(),
            letter: e.letter.clone(),
            text: e.text.clone(),
            reason: e.reason.render(lang),
        })
        .collect();
    (rows, errors)
}

/// The multipart upload: `file` plus the metadata fields.
async fn read_upload(req: Request, state: &AppState) -> AppResult<(ImportMeta, Vec<u8>)> {
    let unreadable = || AppError::field("body", Msg::new("error.body_unreadable"));
    let too_large = || {
        AppError::field(
            "file",
            Msg::new("policy_import.too_large").with("max_mb", MAX_FILE_BYTES / (1024 * 1024)),
        )
    };
    let is_multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::field(
            "body",
            Msg::new("policy_import.expected_multipart"),
        ));
    }
    let mut mp = Multipart::from_request(req, state)
        .await
        .map_err(|_| unreadable())?;
    let mut meta = ImportMeta::default();
    let mut file: Option<Vec<u8>> = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_string();
        // Read in chunks and stop at the cap instead of buffering whatever is sent.
        let cap = if name == "file" {
            MAX_FILE_BYTES
        } else {
            64 * 1024
        };
        let mut data = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if data.len() + c.len() > cap {
                        return Err(if name == "file" {
                            too_large()
                        } else {
                            AppError::field(&name, Msg::new("error.too_long").with("max", cap))
                        });
                    }
                    data.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => return Err(unreadable()),
            }
        }
        let text = || {
            String::from_utf8(data.clone())
                .map_err(|_| AppError::field(&name, Msg::new("error.invalid_utf8")))
        };
        match name.as_str() {
            "file" => file = Some(data.clone()),
            "code" => meta.code = text()?,
            "doc_number" => meta.doc_number = text()?,
            "title" => meta.title = text()?,
            "issuer" => meta.issuer = text()?,
            "issued_on" => meta.issued_on = text()?,
            _ => {}
        }
    }
    let file = file
        .filter(|f| !f.is_empty())
        .ok_or_else(|| AppError::field("file", Msg::new("error.required")))?;
    Ok((meta, file))
}

#[derive(Deserialize, Default)]
pub struct DryRun {
    #[serde(default)]
    pub dry_run: Option<bool>,
}

fn refused_json(p: &Preview, lang: Lang) -> Response {
    let (rows, errors) = views(&p.parsed, lang);
    let fields: serde_json::Map<String, serde_json::Value> = p
        .fields
        .iter()
        .map(|(k, m)| (k.clone(), serde_json::Value::String(m.render(lang))))
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": "validation",
            "message": Msg::new("error.validation").render(lang),
            "fields": fields, "rows": rows, "errors": errors,
        })),
    )
        .into_response()
}

/// Imports a policy table (multipart: `file` — xlsx or UTF-8 csv with columns measure /
/// number / task / responsible units / deadline — and `code`, `doc_number`, `title`,
/// `issuer`, `issued_on`). `dry_run=true`: the parsed rows, nothing stored. Otherwise the
/// table becomes a new policy, all or nothing. Any unparsed cell: 422 with every error's row
/// and column.
#[utoipa::path(post, path = "/api/v1/policies/import", tag = "policy", params(("dry_run" = Option<bool>, Query)),
    responses((status = 200, description = "dry run: {\"rows\": [...], \"errors\": []}"), (status = 201, description = "{\"policy\": code, \"tasks\": n}"),
              (status = 403), (status = 422, description = "{\"rows\", \"errors\": [{\"row\", \"column\", \"text\", \"reason\"}], \"fields\"}")))]
pub async fn api_import(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(q): Q<DryRun>,
    req: Request,
) -> AppResult<Response> {
    require(&state, &actor, "").await?;
    let (meta, bytes) = read_upload(req, &state).await?;
    if q.dry_run.unwrap_or(false) {
        let p = check(&state, &meta, &bytes).await?;
        if !p.ok() {
            return Ok(refused_json(&p, ctx.lang));
        }
        let (rows, errors) = views(&p.parsed, ctx.lang);
        return Ok(
            Json(json!({"rows": rows, "errors": errors, "measures": p.parsed.measures}))
                .into_response(),
        );
    }
    match import(&state, &actor, &meta, &bytes).await? {
        Outcome::Imported { code, tasks } => Ok((
            StatusCode::CREATED,
            Json(json!({"policy": code, "tasks": tasks})),
        )
            .into_response()),
        Outcome::Refused(p) => Ok(refused_json(&p, ctx.lang)),
    }
}

#[derive(Template)]
#[template(path = "policy/import.html")]
pub struct FormPage {
    pub b: Base,
    pub meta: ImportMeta,
    pub errors: FieldErrors,
    pub max_mb: usize,
    pub max_rows: usize,
}

#[derive(Template)]
#[template(path = "policy/import_preview.html")]
pub struct PreviewPage {
    pub b: Base,
    pub meta: ImportMeta,
    pub rows: Vec<RowView>,
    pub errors: Vec<ErrorView>,
    pub fields: FieldErrors,
    pub sha: String,
    pub measures: Vec<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
) -> AppResult<Response> {
    require(&state, &actor, "").await?;
    let b = Base::new(&state, &ctx, Some(&actor), "policy_import.title");
    render(&FormPage {
        b,
        meta: ImportMeta::default(),
        errors: FieldErrors::default(),
        max_mb: MAX_FILE_BYTES / (1024 * 1024),
        max_rows: MAX_ROWS,
    })
}

fn preview_page(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    p: &Preview,
) -> AppResult<Response> {
    let (rows, errors) = views(&p.parsed, ctx.lang);
    let b = Base::new(state, ctx, Some(actor), "policy_import.preview_title");
    let mut r = render(&PreviewPage {
        b,
        meta: p.meta.clone(),
        rows,
        errors,
        fields: FieldErrors(
            p.fields
                .iter()
                .map(|(k, m)| (k.clone(), m.render(ctx.lang)))
                .collect(),
        ),
        sha: p.sha.clone().unwrap_or_default(),
        measures: p.parsed.measures.clone(),
    })?;
    if !p.ok() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The upload form posts here (multipart, CSRF token in the query string): the preview.
pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    req: Request,
) -> AppResult<Response> {
    require(&state, &actor, "").await?;
    let upload = read_upload(req, &state).await;
    let (meta, bytes) = match upload {
        Ok(x) => x,
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(errors) => {
                let b = Base::new(&state, &ctx, Some(&actor), "policy_import.title");
                let mut r = render(&FormPage {
                    b,
                    meta: ImportMeta::default(),
                    errors,
                    max_mb: MAX_FILE_BYTES / (1024 * 1024),
                    max_rows: MAX_ROWS,
                })?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(r);
            }
            None => return Err(e),
        },
    };
    let p = preview(&state, &actor, &meta, &bytes).await?;
    preview_page(&state, &ctx, &actor, &p)
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    pub sha: String,
    #[serde(flatten)]
    pub meta: ImportMeta,
}

/// 确认导入: re-reads the kept upload and imports it in one transaction.
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    WebForm(form): WebForm<ConfirmForm>,
) -> AppResult<Response> {
    match confirm(&state, &actor, &form.meta, &form.sha).await {
        Ok(Outcome::Imported { code, .. }) => Ok(Redirect::to(&format!(
            "/policy?policy={}",
            crate::web::middleware::urlencode(&code)
        ))
        .into_response()),
        Ok(Outcome::Refused(p)) => preview_page(&state, &ctx, &actor, &p),
        Err(e) => match FieldErrors::from_error(&e, ctx.lang) {
            Some(fields) => {
                let p = Preview {
                    meta: form.meta.clone(),
                    parsed: Parsed::default(),
                    fields: Vec::new(),
                    sha: None,
                };
                let (rows, errors) = views(&p.parsed, ctx.lang);
                let b = Base::new(&state, &ctx, Some(&actor), "policy_import.preview_title");
                let mut r = render(&PreviewPage {
                    b,
                    meta: p.meta,
                    rows,
                    errors,
                    fields,
                    sha: String::new(),
                    measures: Vec::new(),
                })?;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(r)
            }
            None => Err(e),
        },
    }
}

pub fn routes() -> Router<AppState> {
    // The uploads are capped by `web::middleware::body_limit` (their paths are in
    // `crate::tasks::is_upload_path`) and the file itself at MAX_FILE_BYTES while it is read.
    let uploads = Router::new()
        .route("/policy/import", get(form).post(upload))
        .route("/api/v1/policies/import", post(api_import))
        .layer(DefaultBodyLimit::disable());
    Router::new()
        .merge(uploads)
        .route("/policy/import/confirm", post(confirm_form))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn csv_follows_rfc_4180_quoting() {
        let g = read_csv("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\r\n".as_bytes())
            .expect("csv");
        assert_eq!(g[0], vec!["a", "b,1", "say \"hi\""]);
        assert_eq!(g[1], vec!["multi\nline", "x", ""]);
        assert_eq!(g.len(), 2);
        assert!(
            read_csv(b"a,b\"c\n").is_err(),
            "a quote inside an unquoted field"
        );
        assert!(read_csv(b"\"open,b\n").is_err(), "an unterminated quote");
        assert!(
            read_csv(b"\"a\"b,c\n").is_err(),
            "text after a closing quote"
        );
    }

    #[test]
    fn csv_is_utf8_with_or_without_bom_and_nothing_else() {
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), "序号,任务\n".as_bytes()].concat();
        assert_eq!(read_csv(&with_bom).expect("bom")[0][0], "序号");
        // 序号 in GBK.
        assert!(read_csv(&[0xd0, 0xf2, 0xba, 0xc5, b',', b'a']).is_err());
        assert!(read_csv(&[0xff, 0xfe, b'a', 0]).is_err());
    }

    #[test]
    fn a_blank_measure_continues_the_one_above_and_every_bad_cell_is_listed() {
        let g = grid(&[
            &["措施", "序号", "重点任务", "责任单位", "完成时限"],
            &["一、压实责任", "1", "任务一", "各级政府", "长期坚持"],
            &["", "2", "任务二", "市委巡察办", "2022年9月底前完成"],
            &["二、专项整治", "3", "任务三", "各级党委", "尽快"],
            &["", "3", "任务四", "某某单位", "长期坚持"],
        ]);
        let p = parse_grid(&g);
        assert_eq!(p.measures, vec!["一、压实责任", "二、专项整治"]);
        assert_eq!(p.rows[1].measure, 1);
        assert_eq!(p.rows[2].measure, 2);
        let at: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(at, vec![(4, "deadline"), (5, "number"), (5, "units")]);
        assert_eq!(p.errors[0].text, "尽快");
        assert_eq!(p.errors[0].letter, "E");
    }

    #[test]
    fn numbers_run_from_one_to_n_once_each() {
        let g = grid(&[
            &["序号", "措施", "任务", "责任单位", "完成时限"],
            &["1", "甲", "t", "各级政府", "长期坚持"],
            &["5", "", "t", "各级政府", "长期坚持"],
            &["x", "", "t", "各级政府", "长期坚持"],
        ]);
        let p = parse_grid(&g);
        let at: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(at, vec![(3, "number"), (4, "number")]);
    }

    #[test]
    fn a_missing_header_or_first_measure_is_an_error_not_a_guess() {
        let p = parse_grid(&grid(&[&["a", "b"], &["1", "2"]]));
        assert_eq!(p.errors[0].column, "file");
        let p = parse_grid(&grid(&[&["措施", "序号", "任务", "完成时限"]]));
        assert_eq!(p.errors[0].column, "units");
        let p = parse_grid(&grid(&[
            &["措施", "序号", "任务", "责任单位", "完成时限"],
            &["", "1", "t", "各级政府", "长期坚持"],
        ]));
        assert_eq!(p.errors[0].column, "measure");
    }

    #[test]
    fn spreadsheet_letters_count_past_z() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }
}
