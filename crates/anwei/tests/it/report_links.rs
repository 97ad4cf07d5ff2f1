//! Tests of what a verified report produced (links): only to what the caller sees, a hazard
//! registered from the report comes prefilled and linked, an unverified report links nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::hazards::add_enterprise;
use crate::rewards::{case_app, verified};
use anwei::auth::model::Role;

#[tokio::test]
async fn links_reach_only_what_the_caller_sees_and_a_hazard_comes_prefilled() {
    let c = case_app().await;
    let (id, _) = verified(&c, "true").await;
    let ji_an = c.app.api_as(Role::Territory, "220582-ZF").await;
    let r = ji_an
        .post(
            "/api/v1/enterprises",
            json!({"name": "集安某厂", "credit_code": crate::hazards::credit_code("91220582MA0000009"),
                   "region_code": "220582", "industry": "C30"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let far_ent = r.body["id"].as_i64().expect("id");
    let r = ji_an
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": far_ent, "description": "集安的隐患", "grade": "general"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let far_hazard = r.body["id"].as_i64().expect("id");
    let links = format!("/api/v1/reports/{id}/links");
    // Out of the caller's scope: 404, as if missing; an unknown kind: 422.
    let r = c
        .office
        .post(&links, json!({"kind": "hazard", "id": far_hazard}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = c
        .office
        .post(&links, json!({"kind": "hazard", "id": 999_999}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = c
        .office
        .post(&links, json!({"kind": "rumour", "id": 1}))
        .await;
    assert!(r.body["fields"].get("kind").is_some(), "{}", r.body);
    assert_eq!(
        c.app.scalar_i64("SELECT COUNT(*) FROM report_link").await,
        0
    );
    // A hazard registered from the report: prefilled, linked, shown on the report.
    let county = c.app.api_as(Role::Territory, "220502-ZF").await;
    let ent = add_enterprise(&county, "91220502MA0000019", "东昌某化工", "C26").await;
    let r = c
        .office
        .post(
            &format!("/api/v1/reports/{id}/hazard"),
            json!({"enterprise_id": ent, "grade": "general"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hazard = r.body["id"].as_i64().expect("id");
    let h = c.office.get(&format!("/api/v1/hazards/{hazard}")).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.body);
    assert!(h.body.to_string().contains("报警器长期失效"), "{}", h.body);
    let d = c.office.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(d.body["links"][0]["kind"], "hazard", "{}", d.body);
    assert_eq!(d.body["links"][0]["target_id"], hazard);
    // Linking the same again does not double it; an unverified report links nothing.
    let r = c
        .office
        .post(&links, json!({"kind": "hazard", "id": hazard}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["links"].as_array().expect("links").len(), 1);
    let (open, _) = verified(&c, "").await;
    let r = c
        .office
        .post(
            &format!("/api/v1/reports/{open}/links"),
            json!({"kind": "hazard", "id": hazard}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}
