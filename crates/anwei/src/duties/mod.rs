//! 党政同责、一岗双责: recurring duties of leaders and departments — activity records
//! (履职记录) with 抄报 of standing-committee minutes, sensitive periods, and compliance per
//! holder, rule and period over the built-in rules of `anwei_rules::duties`.

pub mod api;
pub mod compliance_page;
pub mod coverage;
pub mod engine;
pub mod inspection_link;
pub mod model;
pub mod pages;
pub mod rules;
pub mod sensitive;
pub mod sensitive_pages;
pub mod service;
pub mod store;
pub mod tours;
pub mod views;

use axum::Router;
use axum::routing::{get, post, put};

use crate::state::AppState;

/// The routes; those that take evidence files (activity records and added evidence) declare
/// the upload body limit (`[uploads]`).
pub fn routes(up: &crate::config::UploadsConfig) -> Router<AppState> {
    Router::new()
        .merge(coverage::routes())
        .route("/duties", get(compliance_page::compliance))
        .route(
            "/duties/activities/new",
            get(pages::activities::new_activity),
        )
        .route(
            "/duties/activities",
            post(pages::activities::create_activity).layer(crate::files::accepts_files(up)),
        )
        .route(
            "/duties/activities/{id}",
            get(pages::activities::activity).post(pages::activities::correct_activity),
        )
        .route(
            "/duties/activities/{id}/edit",
            get(pages::activities::edit_activity),
        )
        .route(
            "/duties/activities/{id}/evidence",
            post(pages::activities::add_evidence).layer(crate::files::accepts_files(up)),
        )
        .route(
            "/duties/activities/{id}/accept-late",
            post(pages::activities::accept_late),
        )
        .route("/duties/heatmap", get(pages::views::heatmap))
        .route("/duties/at-risk", get(pages::views::at_risk))
        .route("/duties/people/{id}", get(pages::views::scorecard))
        .route("/duties/export.xlsx", get(pages::views::export))
        .route(
            "/duties/rules",
            get(pages::rules::rules_list).post(pages::rules::rule_create),
        )
        .route("/duties/rules/new", get(pages::rules::rule_new))
        .route(
            "/duties/rules/{code}",
            get(pages::rules::rule_edit).post(pages::rules::rule_update),
        )
        .route(
            "/api/v1/activities",
            post(api::create)
                .get(api::list)
                .layer(crate::files::accepts_files(up)),
        )
        .route("/api/v1/activities/{id}", get(api::get).patch(api::correct))
        .route(
            "/api/v1/activities/{id}/evidence",
            post(api::add_evidence).layer(crate::files::accepts_files(up)),
        )
        .route(
            "/api/v1/duties/rules",
            get(api::rules).post(api::create_rule),
        )
        .route("/api/v1/duties/rules/{code}", put(api::update_rule))
        .route("/api/v1/duties/heatmap", get(api::heatmap))
        .route("/api/v1/duties/at-risk", get(api::at_risk))
        .route("/api/v1/duties/scorecard/{person}", get(api::scorecard))
        .route("/api/v1/duties/compliance.xlsx", get(api::export))
        .route("/api/v1/activity-evidence/{id}", get(api::evidence))
        .route(
            "/api/v1/activities/{id}/accept-late",
            post(api::accept_late),
        )
        .route("/api/v1/duties/compliance", get(api::compliance))
        .route(
            "/api/v1/duties/sensitive-periods",
            post(api::create_sensitive).get(api::list_sensitive),
        )
        .route(
            "/api/v1/duties/sensitive-periods/{id}/end",
            post(api::end_sensitive),
        )
        .route(
            "/api/v1/duties/sensitive-periods/{id}/withdraw",
            post(api::withdraw_sensitive),
        )
        .route(
            "/api/v1/duties/minutes-received",
            get(api::minutes_received),
        )
        .route(
            "/duties/sensitive",
            get(sensitive_pages::sensitive).post(sensitive_pages::create_sensitive),
        )
        .route(
            "/duties/sensitive/{id}/end",
            post(sensitive_pages::end_sensitive),
        )
        .route(
            "/duties/sensitive/{id}/withdraw",
            post(sensitive_pages::withdraw_sensitive),
        )
}
