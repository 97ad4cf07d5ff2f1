//! Tests of the routing suggestion (转办建议, issue 13): the departments suggested by the
//! report's territory and industry — the named registered enterprise's industry first, else
//! the one the office set at triage — under the registry's industry → department map; shown
//! preselected on the staff page's route form; routing outside the territory stays 422.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::add_enterprise;
use crate::helpers::*;
use anwei::auth::model::Role;

async fn report(app: &TestApp, unit_name: &str) -> i64 {
    let r = app
        .anon()
        .post(
            "/api/v1/public/reports",
            json!({"category": "violation", "description": "夜间违规作业，无人监护",
                   "region_code": "220502", "unit_name": unit_name}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.scalar_i64("SELECT MAX(id) FROM report").await
}

fn codes(body: &Value) -> Vec<String> {
    body["suggested_departments"]
        .as_array()
        .expect("suggested_departments")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

#[tokio::test]
async fn the_suggestion_follows_the_named_enterprise_or_the_industry_set_at_triage() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    // A registered chemical plant (C26: 应急 and 工信) named by the report.
    add_enterprise(&county, "91220502MA0000101", "东昌某化工厂", "C26").await;
    let named = report(&app, "东昌某化工厂").await;
    let r = office.get(&format!("/api/v1/reports/{named}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut got = codes(&r.body);
    got.sort();
    assert_eq!(got, vec!["220502-GX", "220502-YJ"], "{}", r.body);
    assert_eq!(r.body["suggested_departments"][0]["basis"], "enterprise");
    assert_eq!(r.body["suggested_departments"][0]["industry"], "C26");

    // An unregistered unit: nothing until the office sets the industry at triage.
    let other = report(&app, "某无名物流点").await;
    let path = |s: &str| format!("/api/v1/reports/{other}/{s}");
    let r = office.get(&format!("/api/v1/reports/{other}")).await;
    assert!(codes(&r.body).is_empty(), "{}", r.body);
    let r = office
        .post(&path("accept"), json!({"industry": "Z99"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("industry").is_some(), "{}", r.body);
    // Road transport (G54: 交通运输).
    let r = office
        .post(&path("accept"), json!({"industry": "G54"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["industry"], "G54");
    assert_eq!(codes(&r.body), vec!["220502-JT"], "{}", r.body);
    assert_eq!(r.body["suggested_departments"][0]["basis"], "triage");
    // A named registered enterprise wins over the industry set at triage.
    assert_eq!(
        office
            .post(
                &format!("/api/v1/reports/{named}/accept"),
                json!({"industry": "G54"})
            )
            .await
            .status,
        StatusCode::OK
    );
    let r = office.get(&format!("/api/v1/reports/{named}")).await;
    assert!(
        codes(&r.body).contains(&"220502-YJ".to_string()),
        "{}",
        r.body
    );

    // The staff page's route form comes with the suggestion preselected.
    let web = app.browser_as(&office.username).await;
    let page = web.get(&format!("/reports/{other}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(
            "name=\"department_code\" list=\"suggested-departments\" value=\"220502-JT\""
        ),
        "the route form preselects the suggestion"
    );
    assert!(page.body.contains("id=\"suggested-departments-hint\""));

    // Routing outside the report's territory: 422 naming the field, for the county (outside
    // its scope) and for the city office (outside the report's territory).
    let r = office
        .post(&path("route"), json!({"department_code": "220582-YJ"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("department_code").is_some());
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = city
        .post(&path("route"), json!({"department_code": "220582-YJ"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("department_code").is_some());
    let r = office
        .post(&path("route"), json!({"department_code": "220502-JT"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["status"], "verifying");
}
