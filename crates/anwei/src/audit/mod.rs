//! 安全审计: the hash-chained, append-only audit log.
//!
//! Every write through a service, every denied call and every login event is recorded in
//! the same transaction as the change. Each record's hash is a MAC over the previous hash
//! and the record's fields with a key kept outside the database (HMAC-SM3 by default,
//! HMAC-SHA-256 by configuration), so `anwei audit verify` can name the first record that
//! was altered, deleted, inserted or reordered, and a truncated tail.

pub mod chain;
pub mod pages;
pub mod service;
pub mod store;

pub use chain::{AuditKey, Outcome};
pub use service::{Event, Who, record, record_alone};

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    use axum::routing::get;
    Router::new()
        .route("/audit", get(pages::list))
        .route("/api/v1/audit", get(pages::api_list))
}
