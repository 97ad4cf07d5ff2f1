//! 报送事项 (dated deliverables): documents each organisation must send the committee
//! office by a date — required, submitted with files, on time or late by server time,
//! reviewed like reports.

use axum::Router;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
