//! The supervision ledger's exports and summaries: xlsx in the layout of the document's
//! attachment with status columns, ranking of organisations by on-time rate, and the chart
//! of lights per measure.

use axum::Router;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
