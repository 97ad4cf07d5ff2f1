//! Import of a new policy table (xlsx or csv: measure / number / task / responsible units /
//! deadline): every cell checked and parsed, a preview, all-or-nothing import.

use axum::Router;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
