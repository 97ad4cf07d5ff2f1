//! The one integration-test binary. Each test gets its own app and fresh database.

mod helpers;

mod accident_chain;
mod accident_concealment;
mod accidents;
mod accountability;
mod accounts;
mod api;
mod architecture;
mod audit;
mod auth;
mod bans;
mod browser;
mod campaigns;
mod cli;
mod coverage;
mod deliverables;
mod demo_year;
mod duties;
mod duty_views;
mod enterprise_import;
mod gaming;
mod hardening;
mod hazard_dashboard;
mod hazards;
mod import;
mod inspections;
mod investigation;
mod jobs;
mod ledger;
mod listings;
mod orgs;
mod people;
mod policy;
mod reminders;
mod report_cipher;
mod report_deadlines;
mod report_duplicates;
mod report_extension;
mod report_files;
mod report_key_provider;
mod report_leak;
mod report_links;
mod report_outcomes;
mod report_pow;
mod report_routing;
mod report_transfer;
mod reports;
mod review;
mod rewards;
mod risk_checks;
mod risks;
mod rule_versions;
mod schema;
mod security;
mod stats;
mod storage;
mod supervision;
mod tours;

// Issue 12: assessment inputs, on-time rate per level, links from an accident.
mod accident_assessment;
mod accident_pages;

// Issue 12: the accident list, technical appraisal, the system account.
mod accident_appraisal;
mod accident_list;
mod accident_system;
mod report_case_page;
