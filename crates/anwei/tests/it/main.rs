//! The one integration-test binary. Each test gets its own app and fresh database.

mod helpers;

mod accounts;
mod api;
mod architecture;
mod audit;
mod auth;
mod browser;
mod campaigns;
mod cli;
mod coverage;
mod deliverables;
mod demo_year;
mod duties;
mod duty_views;
mod gaming;
mod hardening;
mod hazards;
mod import;
mod inspections;
mod jobs;
mod ledger;
mod listings;
mod orgs;
mod people;
mod policy;
mod reminders;
mod reports;
mod review;
mod risks;
mod rule_versions;
mod schema;
mod security;
mod storage;
mod supervision;
mod tours;
