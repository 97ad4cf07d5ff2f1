//! Tests of accountability (追责问责, issue 12): fines checked against the grade's range and the
//! principal's share of income, outcomes named by field, 撤职 / 刑事处罚 / principal responsibility
//! registering bans that the enterprise registry then refuses, and read-only 纪检监察.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::bans::{A, B, C};
use crate::helpers::*;
use anwei::auth::model::Role;

fn field_named(body: &Value, name: &str) -> bool {
    body["fields"].get(name).is_some()
}

async fn accident(api: &Api, deaths: i64, industry: &str) -> i64 {
    let at = (chrono::Utc::now() - chrono::Duration::hours(2))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339();
    let r = api
        .post(
            "/api/v1/accidents",
            json!({"occurred_at": at, "region_code": "220502", "unit_name": "东昌某化工公司",
                   "industry": industry, "type": "other_explosion", "deaths": deaths, "serious_injuries": 0,
                   "missing": 0, "direct_loss_yuan": 0, "summary": "反应釜爆炸"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().unwrap()
}

fn outcome(extra: Value) -> Value {
    let mut v = json!({"subject": "person", "name": "王五", "kind": "party_discipline",
                       "decided_on": anwei::time::today().to_string(), "document_no": "吉纪〔2026〕5号"});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

#[tokio::test]
async fn fines_are_checked_against_the_grade_and_removal_bans_the_person_for_five_years() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let discipline = app.api_as(Role::Discipline, "220500-JW").await;
    let id = accident(&county, 3, "C26").await; // 较大事故
    let url = format!("/api/v1/accidents/{id}/accountability");

    // A unit's fine for a 较大 accident: 100万 to 200万 (doubled to quintupled when aggravated).
    let unit = |fine: i64, aggravated: bool| {
        outcome(
            json!({"subject": "organisation", "name": "东昌某化工公司", "kind": "fine",
                       "fine_yuan": fine, "aggravated": aggravated}),
        )
    };
    for (fine, aggravated, ok) in [
        (999_999, false, false),
        (1_000_000, false, true),
        (2_000_000, false, true),
        (2_000_001, false, false),
        (2_000_000, true, true),
        (10_000_000, true, true),
        (10_000_001, true, false),
    ] {
        let r = office.post(&url, unit(fine, aggravated)).await;
        if ok {
            assert_eq!(r.status, StatusCode::CREATED, "{fine}: {}", r.body);
            assert_eq!(r.body["fine_yuan"], fine);
        } else {
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fine}: {}",
                r.body
            );
            assert!(field_named(&r.body, "fine_yuan"), "{}", r.body);
            assert!(r.body.to_string().contains("1000000"), "{}", r.body);
        }
    }
    // A principal's fine: 60% of last year's income for a 较大 accident.
    let principal = |fine: Value| {
        outcome(json!({"kind": "fine", "last_year_income_yuan": 200_000, "fine_yuan": fine}))
    };
    let r = office.post(&url, principal(Value::Null)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["fine_yuan"], 120_000, "computed: {}", r.body);
    let r = office.post(&url, principal(json!(100_000))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.to_string().contains("120000"), "{}", r.body);
    let r = office
        .post(&url, outcome(json!({"kind": "fine", "fine_yuan": 5})))
        .await;
    assert!(field_named(&r.body, "last_year_income_yuan"), "{}", r.body);
    // Bad input, each named.
    let r = office
        .post(
            &url,
            json!({"subject": "organisation", "kind": "removal", "name": "", "decided_on": "2026-13-01",
                   "fine_yuan": 1, "principal_responsibility": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for f in [
        "kind",
        "name",
        "decided_on",
        "document_no",
        "fine_yuan",
        "principal_responsibility",
    ] {
        assert!(field_named(&r.body, f), "{f}: {}", r.body);
    }
    let r = office.post(&url, outcome(json!({"kind": "removal"}))).await;
    assert!(
        field_named(&r.body, "id_number"),
        "removal needs the number: {}",
        r.body
    );
    let r = office
        .post(&url, outcome(json!({"kind": "criminal", "id_number": B})))
        .await;
    assert!(field_named(&r.body, "penalty_ends_on"), "{}", r.body);

    // 撤职 registers a five-year ban from the decision.
    let r = office
        .post(
            &url,
            outcome(json!({"kind": "removal", "id_number": A, "position": "厂长"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["banned"], true);
    assert_eq!(r.body["id_number_masked"], "220502********0014");
    let oid = r.body["id"].clone();
    let until = anwei_rules::ban::five_year_last_day(anwei::time::today()).to_string();
    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": A, "industry": "A01"}),
        )
        .await;
    assert_eq!(r.body["banned"], true, "any industry: {}", r.body);
    assert_eq!(r.body["until"], until);
    let r = office.get(&format!("/api/v1/bans?id_number={A}")).await;
    assert_eq!(r.body[0]["accountability_id"], oid, "{}", r.body);
    assert_eq!(r.body[0]["accident_id"], id);
    // A criminal penalty: five years from the end of the penalty.
    let r = office
        .post(
            &url,
            outcome(json!({"kind": "criminal", "id_number": B, "penalty_ends_on": "2030-06-30"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": B, "industry": "C"}),
        )
        .await;
    assert_eq!(r.body["until"], "2035-06-30", "{}", r.body);
    // A party discipline alone bans nobody.
    let r = office.post(&url, outcome(json!({"id_number": C}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["banned"], false);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM ban").await, 2);

    // 纪检监察 reads, never writes; a territory does neither.
    let r = discipline.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.as_array().unwrap().len(), 8, "{}", r.body);
    let r = discipline.get(&format!("/api/v1/accidents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = discipline.post(&url, outcome(json!({}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = county.get(&url).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = county.post(&url, outcome(json!({}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // An accident out of scope is not there.
    let other = app.api_as(Role::Office, "220503-AWB").await;
    let r = other.get(&url).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("accountability.create", "ok").await, 8);
    assert_eq!(app.audit_count("ban.create", "ok").await, 2);
    let n = app
        .scalar_i64("SELECT COUNT(*) FROM accountability WHERE id_number_sealed LIKE '%19800101%'")
        .await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn principal_responsibility_for_a_very_serious_accident_bans_for_life_in_its_industry() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let serious = accident(&county, 3, "C26").await;
    let very = accident(&county, 10, "C26").await;
    let body = outcome(json!({"id_number": C, "principal_responsibility": true}));
    // A 较大 accident: no lifetime ban.
    let r = office
        .post(
            &format!("/api/v1/accidents/{serious}/accountability"),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["banned"], false);
    let r = office
        .post(&format!("/api/v1/accidents/{very}/accountability"), body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["banned"], true);
    for (industry, banned) in [("C26", true), ("C13", false)] {
        let r = county
            .post(
                "/api/v1/bans/check",
                json!({"id_number": C, "industry": industry}),
            )
            .await;
        assert_eq!(r.body["banned"], banned, "{industry}: {}", r.body);
    }
    // The enterprise registry refuses them as the principal of a chemical plant, not of a food
    // factory.
    let ent = |first17: &str, industry: &str| {
        json!({"name": format!("某企业{first17}"), "credit_code": crate::hazards::credit_code(first17),
               "region_code": "220502", "industry": industry, "principal_name": "李四",
               "principal_id_number": C})
    };
    let r = county
        .post("/api/v1/enterprises", ent("91220502MA0000011", "C26"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.to_string().contains("终身"), "{}", r.body);
    let r = county
        .post("/api/v1/enterprises", ent("91220502MA0000012", "C13"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}
