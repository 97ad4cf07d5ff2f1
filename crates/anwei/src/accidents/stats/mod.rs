//! 事故统计 (issue 12): accidents, deaths, serious injuries, missing persons and direct loss by
//! grade, GB 6441 type, industry section, child territory and month, with the same months a
//! year earlier (同比), for the caller's region; the page and its xlsx export. Read from the
//! tally (`accident_tally`) that every filing and supplementary report keeps in step, so the
//! figures are always those of each accident's latest version.

pub mod api;
pub mod export;
pub mod model;
pub mod on_time;
pub mod pages;
pub mod service;
mod store;
