//! 延期申请: extension requests of a hazard's deadline, decided by the committee office.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;
mod store;
