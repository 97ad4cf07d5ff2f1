//! Reading the first worksheet of an uploaded xlsx into a grid of text cells, bounded by what
//! is actually read: the archive's central directory checked and the archive repacked with
//! what is really unpacked capped ([`super::archive`]), then calamine's streaming cell reader
//! (never one dense range: a sheet that declares a million rows must not allocate them), with
//! the non-empty cells and the rows counted as they come. Shared by every xlsx import (policy
//! tables, enterprises, townships); each names its own caps and messages.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::archive::{check_zip_within, repack};
use crate::i18n::Msg;

/// What one import reads at most.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// The most the archive may declare, and really unpack to.
    pub max_unpacked_bytes: u64,
    /// The most rows of the grid (header and title rows included).
    pub max_rows: usize,
    /// The most non-empty cells.
    pub max_cells: usize,
    /// Columns beyond this are not read.
    pub max_cols: usize,
}

/// Why a sheet was not read.
#[derive(Debug)]
pub enum XlsxError {
    /// Not an xlsx archive, unreadable, or a zip bomb (the message says which).
    Unreadable(Msg),
    TooManyCells,
    TooManyRows,
}

/// True when the bytes begin like a zip archive (an xlsx).
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// True for the old binary Excel format (.xls, an OLE compound file).
pub fn looks_like_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
}

/// A cell as text: whole numbers without a decimal point (a code typed as a number reads as
/// typed), dates as calamine shows them.
pub fn cell_text(v: &DataRef<'_>) -> String {
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

/// The first worksheet, cell by cell, into rows of text cells (blank cells as empty text).
pub fn read_first_sheet(bytes: &[u8], caps: Caps) -> Result<Vec<Vec<String>>, XlsxError> {
    check_zip_within(bytes, caps.max_unpacked_bytes).map_err(XlsxError::Unreadable)?;
    let bytes = repack(bytes, caps.max_unpacked_bytes).map_err(XlsxError::Unreadable)?;
    let bad = || XlsxError::Unreadable(Msg::new("policy_import.xlsx_unreadable"));
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
        if cells > caps.max_cells {
            return Err(XlsxError::TooManyCells);
        }
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if c >= caps.max_cols {
            continue;
        }
        if r >= caps.max_rows {
            return Err(XlsxError::TooManyRows);
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

/// A column's letter as a spreadsheet shows it: 0 → `A`, 26 → `AA`.
pub fn letter(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A problem with one cell of an import (or with its header row): the sheet's row number as
/// the spreadsheet shows it (1-based), the column's letter (empty for a column that is
/// missing), the field it is read into, and why.
#[derive(Debug, Clone)]
pub struct CellProblem {
    pub row: usize,
    pub column: String,
    pub field: String,
    pub msg: Msg,
}

impl CellProblem {
    /// As the API and the pages show it, in the reader's language.
    pub fn view(&self, lang: crate::i18n::Lang) -> serde_json::Value {
        serde_json::json!({
            "row": self.row, "column": self.column, "field": self.field,
            "message": self.msg.render(lang),
        })
    }
}

/// A table's header: the row it is on (0-based) and the field each known column is read into.
pub struct Header {
    pub row: usize,
    pub cols: Vec<(usize, &'static str)>,
}

impl Header {
    /// The column (0-based) a field is read from, when the header has it.
    pub fn col(&self, field: &str) -> Option<usize> {
        self.cols.iter().find(|(_, f)| *f == field).map(|(c, _)| *c)
    }
    /// The text of a field's cell in a row ('' when the column or the cell is missing).
    pub fn cell<'g>(&self, row: &'g [String], field: &str) -> &'g str {
        self.col(field)
            .and_then(|c| row.get(c))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// A header cell as compared: without blanks and the `*` marking a required column.
fn header_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect::<String>()
        .to_lowercase()
}

/// Finds the header among the first `max_row` rows: the first row naming at least two of the
/// known columns (`fields`: a field and the header texts it is known by; the first is the
/// template's). Titles above it are skipped; unknown columns are not read.
pub fn find_header(
    grid: &[Vec<String>],
    max_row: usize,
    fields: &[(&'static str, &[&str])],
) -> Option<Header> {
    for (r, row) in grid.iter().enumerate().take(max_row) {
        let mut cols = Vec::new();
        for (c, text) in row.iter().enumerate() {
            let k = header_key(text);
            if let Some((f, _)) = fields
                .iter()
                .find(|(f, names)| names.iter().any(|n| header_key(n) == k) || header_key(f) == k)
                && !cols.iter().any(|(_, g)| g == f)
            {
                cols.push((c, *f));
            }
        }
        if cols.len() >= 2.min(fields.len()) {
            return Some(Header { row: r, cols });
        }
    }
    None
}

/// The xlsx file of an import's multipart upload (the part `file`): its bytes, or a `file`
/// field error when none was sent or it is not an xlsx (judged by content, never the name).
pub async fn read_upload(
    req: axum::extract::Request,
    state: &crate::state::AppState,
) -> Result<Vec<u8>, crate::error::AppError> {
    use crate::error::AppError;
    if !super::is_multipart(&req) {
        return Err(AppError::field("file", Msg::new("error.required")));
    }
    let form = super::read_multipart(req, state).await?;
    let file = form
        .files
        .into_iter()
        .next()
        .filter(|f| !f.bytes.is_empty())
        .ok_or_else(|| AppError::field("file", Msg::new("error.required")))?;
    if looks_like_xls(&file.bytes) {
        return Err(AppError::field(
            "file",
            Msg::new("policy_import.xls_unsupported"),
        ));
    }
    if !looks_like_xlsx(&file.bytes) {
        return Err(AppError::field("file", Msg::new("xlsx.not_xlsx")));
    }
    Ok(file.bytes)
}

/// Reads an import's sheet with its caps; what stops the reading is a `file` field error.
pub fn read_for_import(
    bytes: &[u8],
    caps: Caps,
    max_file_bytes: usize,
) -> Result<Vec<Vec<String>>, crate::error::AppError> {
    use crate::error::AppError;
    if bytes.len() > max_file_bytes {
        return Err(AppError::field(
            "file",
            Msg::new("xlsx.too_large").with("max_mb", max_file_bytes / (1024 * 1024)),
        ));
    }
    read_first_sheet(bytes, caps).map_err(|e| {
        let m = match e {
            XlsxError::Unreadable(m) => m,
            XlsxError::TooManyCells => Msg::new("xlsx.too_many_cells").with("max", caps.max_cells),
            XlsxError::TooManyRows => Msg::new("xlsx.too_many_rows").with("max", caps.max_rows),
        };
        AppError::field("file", m)
    })
}

/// An import's problems as the 422 answer: `{"error": "validation", "message", "fields":
/// {"file": …}, "errors": [{row, column, field, message}]}` — every problem, in sheet order.
pub fn refused(problems: &[CellProblem], lang: crate::i18n::Lang) -> axum::response::Response {
    use axum::response::IntoResponse;
    let errors: Vec<serde_json::Value> = problems.iter().map(|p| p.view(lang)).collect();
    let message = Msg::new("xlsx.rows_refused")
        .with("n", problems.len())
        .render(lang);
    (
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(serde_json::json!({
            "error": "validation",
            "fields": {"file": message},
            "message": message,
            "errors": errors,
        })),
    )
        .into_response()
}

/// What an import page shows after an upload: what was done, or every problem by row and
/// column (then answered with 422).
#[derive(askama::Template)]
#[template(path = "files/import_result.html")]
pub struct ResultPage {
    pub b: crate::web::Base,
    pub heading: String,
    pub back: String,
    pub back_label: String,
    pub done: String,
    pub refused: String,
    pub problems: Vec<(usize, String, String)>,
}

impl ResultPage {
    /// Renders the page: 200 when imported, 422 with the problems.
    pub fn answer(
        mut self,
        problems: &[CellProblem],
    ) -> Result<axum::response::Response, crate::error::AppError> {
        let lang = self.b.t.lang;
        self.refused = Msg::new("xlsx.rows_refused")
            .with("n", problems.len())
            .render(lang);
        self.problems = problems
            .iter()
            .map(|p| (p.row, p.column.clone(), p.msg.render(lang)))
            .collect();
        crate::web::page::render_form(&self, !problems.is_empty())
    }
}

/// A refusal of the upload itself (no file, not an xlsx, too large) as the one problem the
/// result page lists; `None` for any other error.
pub fn file_problem(
    e: &crate::error::AppError,
    lang: crate::i18n::Lang,
) -> Option<Vec<CellProblem>> {
    let crate::error::AppError::Validation(fields) = e else {
        return None;
    };
    let why: Vec<String> = fields.iter().map(|(_, m)| m.render(lang)).collect();
    Some(vec![CellProblem {
        row: 0,
        column: String::new(),
        field: "file".into(),
        msg: Msg::new("xlsx.file_refused").with("why", why.join("；")),
    }])
}
