//! Anwei (安委): the work-safety responsibility platform. One binary serves the web UI,
//! the JSON API and the background jobs, on SQLite or PostgreSQL.

#![forbid(unsafe_code)]

pub mod accidents;
pub mod accounts;
pub mod act;
pub mod api_docs;
pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod bans;
pub mod campaigns;
pub mod cli;
pub mod config;
pub mod db;
pub mod deliverables;
pub mod demo;
pub mod duties;
pub mod enterprises;
pub mod error;
pub mod files;
pub mod hazards;
pub mod home;
pub mod i18n;
pub mod ids;
pub mod inspections;
pub mod jobs;
pub mod listings;
pub mod notify;
pub mod orgs;
pub mod people;
pub mod policy;
pub mod reports;
pub mod review;
pub mod risks;
pub mod stamps;
pub mod state;
pub mod supervision;
pub mod telemetry;
pub mod time;
pub mod vault;
pub mod web;

/// Loads the built-in organisations, policy and duty rules when missing. Safe to run at every start.
pub async fn bootstrap(state: &state::AppState) -> anyhow::Result<()> {
    orgs::service::seed_builtin(state)
        .await
        .map_err(|e| anyhow::anyhow!("seeding organisations: {e:?}"))?;
    policy::service::seed_builtin(state)
        .await
        .map_err(|e| anyhow::anyhow!("loading the built-in policy: {e:?}"))?;
    duties::rules::seed_builtin(state)
        .await
        .map_err(|e| anyhow::anyhow!("loading the built-in duty rules: {e:?}"))?;
    accounts::system::ensure(state)
        .await
        .map_err(|e| anyhow::anyhow!("creating the system account: {e:?}"))?;
    Ok(())
}
