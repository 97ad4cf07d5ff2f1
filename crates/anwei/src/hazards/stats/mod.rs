//! 隐患统计: the dashboards, their xlsx exports and the export of the hazard list, read from the
//! tally (`hazard_tally`) that every registration and move keeps in step.

pub mod api;
pub mod export;
pub mod model;
pub mod pages;
pub mod service;
pub(super) mod store;
