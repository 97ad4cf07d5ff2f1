//! 党政同责、一岗双责: recurring duties of leaders and departments — activity records
//! (履职记录) with 抄报 of standing-committee minutes, sensitive periods, and compliance per
//! holder, rule and period over the built-in rules of `anwei_rules::duties`.

pub mod api;
pub mod compliance_page;
pub mod coverage;
pub mod engine;
pub mod model;
pub mod pages;
pub mod rules;
pub mod sensitive;
pub mod sensitive_pages;
pub mod service;
pub mod store;
pub mod views;

use axum::Router;
use axum::routing::{get, post, put};

use crate::state::AppState;

/// Evidence uploads on activities: the body-limit middleware enforces the configured upload
/// limit (see `tasks::is_upload_path`); this only lifts axum's own default cap.
const UPLOAD_LIMIT: usize = 512 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(coverage::routes())
        .route("/duties", get(compliance_page::compliance))
        .route("/duties/activities/new", get(pages::new_activity))
        .route(
            "/duties/activities",
            post(pages::create_activity).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/duties/activities/{id}",
            get(pages::activity).post(pages::correct_activity),
        )
        .route("/duties/activities/{id}/edit", get(pages::edit_activity))
        .route(
            "/duties/activities/{id}/evidence",
            post(pages::add_evidence).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/duties/activities/{id}/accept-late",
            post(pages::accept_late),
        )
        .route("/duties/heatmap", get(pages::heatmap))
        .route("/duties/at-risk", get(pages::at_risk))
        .route("/duties/people/{id}", get(pages::scorecard))
        .route("/duties/export.xlsx", get(pages::export))
        .route(
            "/duties/rules",
            get(pages::rules_list).post(pages::rule_create),
        )
        .route("/duties/rules/new", get(pages::rule_new))
        .route(
            "/duties/rules/{code}",
            get(pages::rule_edit).post(pages::rule_update),
        )
        .route(
            "/api/v1/activities",
            post(api::create)
                .get(api::list)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/api/v1/activities/{id}", get(api::get).patch(api::correct))
        .route(
            "/api/v1/activities/{id}/evidence",
            post(api::add_evidence).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
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
