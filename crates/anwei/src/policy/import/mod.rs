//! Import of a new policy table (xlsx or csv: measure / number / task / responsible units /
//! deadline): every cell checked and parsed, a preview, all-or-nothing import.
//!
//! The upload is read at the boundary into a grid of text cells (xlsx through calamine's
//! streaming cell reader, after the archive's central directory is checked and the archive is
//! repacked with what is really unpacked capped; csv by hand, RFC 4180, UTF-8 only), then every cell is read by `anwei_rules` — a cell the rules do not understand is
//! listed with its row and column, never guessed. Nothing is stored in the database until the
//! office confirms; the upload waits as a file under a hash of its content and uploader.
//!
//! The steps, one file each: `read` (the upload, an xlsx archive or a csv, into a grid of text
//! cells), `parse` (the grid into tasks, every cell checked), `service` (the use cases: preview,
//! import, confirm) and `pages` (the boundary: the JSON API and the HTML pages).

mod pages;
mod parse;
mod read;
mod service;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

#[doc(hidden)]
pub use pages::__path_api_import;
pub use pages::{
    ConfirmForm, DryRun, ErrorView, FormPage, PreviewPage, RowView, api_import, confirm_form, form,
    upload,
};
pub use parse::{CellError, Col, Parsed, ParsedRow, letter, parse_grid};
pub use read::{read_csv, read_grid};
pub use service::{ImportMeta, Outcome, Preview, confirm, import, preview};

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

/// The routes; an upload declares the upload body limit (`[uploads]`) and the table itself is
/// capped at MAX_FILE_BYTES while it is read.
pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    let uploads = Router::new()
        .route("/policy/import", get(form).post(upload))
        .route("/api/v1/policies/import", post(api_import))
        .layer(crate::files::accepts_files(up));
    Router::new()
        .merge(uploads)
        .route("/policy/import/confirm", post(confirm_form))
}
