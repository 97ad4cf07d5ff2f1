//! The OpenAPI document (`/api/v1/openapi.json`) and the vendored Swagger UI (`/api/docs`):
//! nothing is fetched from outside at build or run time.

use axum::Router;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_swagger_ui::SwaggerUi;

use crate::state::AppState;

pub mod contract;

#[derive(OpenApi)]
#[openapi(
    info(title = "Anwei API", description = "安委 — work-safety responsibility platform. Errors are `{\"error\", \"message\", \"fields\", \"request_id\"}`; send `Accept-Language: en` for English messages."),
    paths(
        crate::auth::api::login, crate::auth::api::logout, crate::auth::api::change_password, crate::auth::api::list_tokens, crate::auth::api::create_token, crate::auth::api::revoke_token,
        crate::accounts::pages::api_me, crate::accounts::pages::api_list, crate::accounts::pages::api_create, crate::accounts::pages::api_get,
        crate::accounts::pages::api_update, crate::accounts::pages::api_disable, crate::accounts::pages::api_enable, crate::accounts::pages::api_reset_password,
        crate::orgs::api::api_list, crate::orgs::api::api_get, crate::orgs::api::api_create, crate::orgs::api::api_rename, crate::orgs::api::api_retire,
        crate::orgs::api::api_regions,
        crate::people::pages::api_positions, crate::people::pages::api_create_position, crate::people::pages::api_persons, crate::people::pages::api_create_person,
        crate::people::pages::api_position, crate::people::pages::api_assign, crate::people::pages::api_vacate,
        crate::policy::pages::api_policies, crate::policy::pages::api_measures, crate::policy::pages::api_articles, crate::policy::pages::api_tasks,
        crate::policy::pages::api_task, crate::policy::pages::api_edit, crate::policy::pages::api_deliverables,
        crate::audit::pages::api_list,
        crate::supervision::api::list, crate::supervision::api::get, crate::supervision::api::proposal, crate::supervision::api::issue, crate::supervision::api::acknowledge,
        crate::supervision::api::report, crate::supervision::api::review, crate::supervision::api::timeline,
        crate::deliverables::pages::api_list, crate::deliverables::pages::api_add, crate::deliverables::pages::api_require, crate::deliverables::pages::api_requirements,
        crate::deliverables::pages::api_requirement, crate::deliverables::pages::api_submit, crate::deliverables::pages::api_review, crate::deliverables::pages::download, crate::policy::import::api_import,
        crate::supervision::reminders::api_remind, crate::supervision::api::by_task, crate::supervision::api::by_org, crate::supervision::ledger::export_api, crate::supervision::ledger::ranking_api, crate::supervision::ledger::by_measure_api, crate::supervision::pages::download,
        crate::notify::pages::api_list, crate::notify::pages::api_mark_read,
        crate::duties::api::create, crate::duties::api::list, crate::duties::api::get, crate::duties::api::compliance, crate::duties::api::create_sensitive, crate::duties::api::evidence, crate::duties::api::accept_late, crate::duties::api::correct, crate::duties::api::add_evidence, crate::duties::api::rules, crate::duties::api::create_rule, crate::duties::api::update_rule, crate::duties::api::heatmap, crate::duties::api::at_risk, crate::duties::api::scorecard, crate::duties::api::export, crate::duties::api::minutes_received, crate::duties::api::list_sensitive, crate::duties::api::end_sensitive, crate::duties::api::withdraw_sensitive, crate::duties::coverage::api::assign, crate::duties::coverage::api::remove, crate::duties::coverage::api::view,
        crate::enterprises::api::create, crate::enterprises::api::list, crate::enterprises::api::get, crate::enterprises::api::leads, crate::enterprises::api::name_lead, crate::enterprises::api::reveal_principal_id,
        crate::hazards::api::create, crate::hazards::api::list, crate::hazards::api::get, crate::hazards::api::submit, crate::hazards::api::accept,
        crate::hazards::api::return_, crate::hazards::api::reopen, crate::hazards::api::download, crate::hazards::api::criteria,
        crate::listings::api::create, crate::listings::api::list, crate::listings::api::get, crate::listings::api::progress, crate::listings::api::delist,
        crate::listings::api::stop_order, crate::listings::api::referral, crate::listings::api::download,
        crate::reports::api::submit, crate::reports::api::follow, crate::reports::api::reporter_message, crate::reports::api::enter,
        crate::reports::api::list, crate::reports::api::get, crate::reports::api::step, crate::reports::api::message,
        crate::reports::api::reveal, crate::reports::api::designate,
        crate::risks::api::create, crate::risks::api::list, crate::risks::api::get, crate::risks::api::update, crate::risks::api::retire,
        crate::risks::api::risk_map, crate::risks::api::assess,
        crate::risks::api::record_check, crate::risks::api::checks, crate::risks::api::overdue_checks,
        crate::enterprises::api::set_place_types,
        crate::inspections::api::create, crate::inspections::api::list, crate::inspections::api::get, crate::inspections::api::add_hazard,
        crate::campaigns::api::create, crate::campaigns::api::list, crate::campaigns::api::get, crate::campaigns::api::responsibility, crate::campaigns::api::hazards,
        crate::hazards::extensions::api::request, crate::hazards::extensions::api::list, crate::hazards::extensions::api::decide,
        crate::hazards::stats::api::stats, crate::hazards::stats::api::stats_xlsx, crate::hazards::stats::api::list_xlsx,
        crate::enterprises::api::update, crate::enterprises::api::import, crate::enterprises::api::import_template,
        crate::orgs::api::import_townships, crate::orgs::api::township_template,
        crate::accidents::api::create, crate::accidents::api::get, crate::accidents::api::update,
        crate::reports::rewards::api::propose, crate::reports::rewards::api::decide, crate::reports::rewards::api::pay,
        crate::reports::rewards::api::ledger, crate::reports::rewards::api::ledger_xlsx, crate::reports::rewards::api::budget,
        crate::reports::links::link, crate::reports::links::hazard,
        crate::bans::api::check, crate::bans::api::search, crate::bans::api::create,
        crate::accidents::accountability::api::record, crate::accidents::accountability::api::list,
        crate::accidents::investigation::api::open, crate::accidents::investigation::api::get,
        crate::accidents::investigation::api::request_extension, crate::accidents::investigation::api::decide_extension,
        crate::accidents::investigation::api::submit_report, crate::accidents::investigation::api::approve,
        crate::accidents::chain::api::acknowledge, crate::accidents::chain::api::record, crate::accidents::chain::api::notice,
        crate::accidents::stats::api::stats, crate::accidents::stats::api::stats_xlsx,
        crate::reports::stats::api::stats,
        crate::reports::api::attachment,
        crate::accidents::concealment::api::create, crate::accidents::concealment::api::list,
        crate::accidents::concealment::api::get, crate::accidents::concealment::api::verify,
        crate::reports::links::concealment_case,
        crate::accidents::assessment::api::veto,
        crate::reports::api::transfer, crate::reports::api::extension, crate::reports::api::extension_decide,
        crate::reports::api::challenge,
        crate::accidents::api::list,
        crate::accidents::investigation::api::record_appraisal,
    ),
    modifiers(&BearerAuth, &Contract),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The error answers, the validation's limits and the upload bodies (`contract.rs`).
struct Contract;

impl utoipa::Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut doc = serde_json::to_value(&*openapi).expect("the OpenAPI document serialises");
        let missed = contract::apply(&mut doc);
        debug_assert!(missed.is_empty(), "API limits without a target: {missed:?}");
        *openapi = serde_json::from_value(doc).expect("the patched OpenAPI document reads back");
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", ApiDoc::openapi()))
}
