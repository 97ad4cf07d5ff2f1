//! 举报统计 (issue 13): reports by category, child territory and month received, with the
//! verification rate and the on-time rate, for the caller's region — totals only, never a
//! reporter, a reported unit or a report's contents, and never crossed below one dimension at
//! a time (see `docs/reports.md`, "Statistics"). Rewards paid are not counted here yet.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;
