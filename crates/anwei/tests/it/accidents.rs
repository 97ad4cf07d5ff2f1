//! Tests of accident reporting (issue 12, first part): grading by the rules at the boundaries,
//! a client's grade ignored, bad input named by field, scope, supplementary reports as new
//! versions with regrading and escalation, and the supplementary window.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::{add_enterprise, credit_code};
use crate::helpers::*;
use anwei::auth::model::Role;

/// An instant `days` days and `minutes` minutes before now, RFC 3339 in UTC+8.
fn ago(days: i64, minutes: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days) - chrono::Duration::minutes(minutes))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

fn accident(deaths: i64, injuries: i64, loss: i64) -> Value {
    json!({
        "occurred_at": ago(0, 30), "region_code": "220502", "unit_name": "东昌某建筑公司",
        "type": "collapse", "deaths": deaths, "serious_injuries": injuries, "missing": 0,
        "direct_loss_yuan": loss, "summary": "基坑坍塌", "measures": "组织救援",
    })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn field_named(body: &Value, name: &str) -> bool {
    body["fields"].get(name).is_some()
}

#[tokio::test]
async fn an_accident_is_graded_by_its_figures_at_every_boundary_and_a_client_grade_is_ignored() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let cases: [(i64, i64, i64, &str, &str); 12] = [
        (2, 9, 9_999_999, "ordinary", "below_serious"),
        (3, 0, 0, "serious", "deaths>=3"),
        (9, 0, 0, "serious", "deaths>=3"),
        (10, 0, 0, "very_serious", "deaths>=10"),
        (29, 0, 0, "very_serious", "deaths>=10"),
        (30, 0, 0, "extremely_serious", "deaths>=30"),
        (0, 10, 0, "serious", "serious_injuries>=10"),
        (0, 50, 0, "very_serious", "serious_injuries>=50"),
        (0, 100, 0, "extremely_serious", "serious_injuries>=100"),
        (0, 0, 10_000_000, "serious", "direct_loss>=10000000"),
        (0, 0, 99_999_999, "very_serious", "direct_loss>=50000000"),
        (
            2,
            10,
            100_000_000,
            "extremely_serious",
            "direct_loss>=100000000",
        ),
    ];
    for (d, s, l, grade, criterion) in cases {
        let body = with(accident(d, s, l), "grade", json!("ordinary"));
        let r = county.post("/api/v1/accidents", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["grade"], grade, "{d} {s} {l}: {}", r.body);
        assert_eq!(r.body["criterion"]["code"], criterion, "{}", r.body);
    }
    let r = county.post("/api/v1/accidents", accident(12, 0, 0)).await;
    assert_eq!(r.body["grade_name"], "重大事故");
    assert_eq!(r.body["criterion"]["measure"], "deaths");
    assert_eq!(r.body["criterion"]["threshold"], 10);
    assert_eq!(r.body["criterion"]["value"], 12);
    assert_eq!(r.body["criterion"]["text"], "死亡人数12人，达到10人以上");
    assert_eq!(r.body["required_level"], "state_council");
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["region_name"], "东昌区");
    assert_eq!(r.body["in_window"], true);
    assert_eq!(app.audit_count("accident.create", "ok").await, 13);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accident WHERE grade = 'extremely_serious'")
            .await,
        3,
        "the stored grade is the computed one"
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let future = (chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc3339();
    let bad: Vec<(Value, &str)> = vec![
        (
            with(accident(1, 0, 0), "occurred_at", json!(future)),
            "occurred_at",
        ),
        (
            with(
                accident(1, 0, 0),
                "occurred_at",
                json!("2026-06-01T08:30:00"),
            ),
            "occurred_at",
        ),
        (
            with(accident(1, 0, 0), "occurred_at", json!("")),
            "occurred_at",
        ),
        (accident(-1, 0, 0), "deaths"),
        (accident(0, -3, 0), "serious_injuries"),
        (accident(1_000_000, 0, 0), "deaths"),
        (with(accident(1, 0, 0), "missing", json!(-1)), "missing"),
        (accident(0, 0, -1), "direct_loss_yuan"),
        (
            with(accident(1, 0, 0), "direct_loss_yuan", json!("100万")),
            "direct_loss_yuan",
        ),
        (with(accident(1, 0, 0), "deaths", json!("3")), "deaths"),
        (with(accident(1, 0, 0), "deaths", Value::Null), "deaths"),
        (
            with(accident(1, 0, 0), "region_code", json!("999999")),
            "region_code",
        ),
        (
            with(accident(1, 0, 0), "region_code", json!("220582")),
            "region_code",
        ),
        (with(accident(1, 0, 0), "type", json!("meteor")), "type"),
        (
            with(accident(1, 0, 0), "category", json!("flood")),
            "category",
        ),
        (
            with(accident(1, 0, 0), "industry", json!("C99")),
            "industry",
        ),
        (with(accident(1, 0, 0), "unit_name", json!("")), "unit_name"),
        (with(accident(1, 0, 0), "summary", json!("  ")), "summary"),
    ];
    for (body, field) in bad {
        let r = county.post("/api/v1/accidents", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(field_named(&r.body, field), "{field} not named: {}", r.body);
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM accident").await, 0);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accident_version")
            .await,
        0
    );
    // An offset other than +08:00 is fine; so is UTC.
    let utc = chrono::Utc::now() - chrono::Duration::hours(1);
    let r = county
        .post(
            "/api/v1/accidents",
            with(accident(1, 0, 0), "occurred_at", json!(utc.to_rfc3339())),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn who_may_file_and_read_and_where() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    let discipline = app.api_as(Role::Discipline, "220500-JW").await;
    let r = leader.post("/api/v1/accidents", accident(1, 0, 0)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.audit_count("accident.create", "denied").await, 1);
    let r = county.post("/api/v1/accidents", accident(1, 0, 0)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/accidents/{id}");
    assert_eq!(ji_an.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("accident.read", "denied").await, 1);
    assert_eq!(office.get(&path).await.status, StatusCode::OK);
    assert_eq!(leader.get(&path).await.status, StatusCode::OK);
    assert_eq!(discipline.get(&path).await.status, StatusCode::OK);
    assert_eq!(auditor.get(&path).await.status, StatusCode::FORBIDDEN);
    let update = json!({"deaths": 1, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": 0});
    let r = ji_an.post(&format!("{path}/updates"), update.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The city office files anywhere in the city; a county's region above it is refused.
    let r = office
        .post(
            "/api/v1/accidents",
            with(accident(1, 0, 0), "region_code", json!("220582")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = county
        .post(
            "/api/v1/accidents",
            with(accident(1, 0, 0), "region_code", json!("220500")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn an_enterprise_files_for_itself_and_a_named_enterprise_must_be_visible() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let ent = add_enterprise(&county, "91220502MA0000071", "东昌某化工", "C26").await;
    let enterprise = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000071"))
        .await;
    let body = with(accident(1, 0, 0), "unit_name", json!(""));
    let r = enterprise.post("/api/v1/accidents", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["enterprise_id"], ent);
    assert_eq!(r.body["unit_name"], "东昌某化工", "the enterprise's name");
    assert_eq!(r.body["industry"], "C26", "the enterprise's industry");
    let id = r.body["id"].as_i64().unwrap();
    // The county sees it; the enterprise sees its own.
    let path = format!("/api/v1/accidents/{id}");
    assert_eq!(county.get(&path).await.status, StatusCode::OK);
    assert_eq!(enterprise.get(&path).await.status, StatusCode::OK);
    // Another county cannot name the enterprise: it does not exist for it.
    let r = ji_an
        .post(
            "/api/v1/accidents",
            with(
                with(body.clone(), "enterprise_id", json!(ent)),
                "region_code",
                json!("220582"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // An accident the county filed without the enterprise is not the enterprise's to read.
    let r = county.post("/api/v1/accidents", accident(1, 0, 0)).await;
    let other = r.body["id"].as_i64().unwrap();
    let r = enterprise.get(&format!("/api/v1/accidents/{other}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_supplementary_report_is_a_new_version_regrades_and_extends_the_chain() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = county.post("/api/v1/accidents", accident(2, 0, 0)).await;
    assert_eq!(r.body["grade"], "ordinary");
    assert_eq!(r.body["required_level"], "city");
    let id = r.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/accidents/{id}");
    let d = county.get(&path).await;
    assert_eq!(d.body["chain"].as_array().unwrap().len(), 2, "{}", d.body);
    assert_eq!(d.body["chain"][0]["limit_minutes"], 60);
    assert_eq!(d.body["chain"][1]["to"], "city");
    assert_eq!(d.body["chain"][1]["limit_minutes"], 120);
    // One more death: 较大, the chain goes on to the province.
    let r = county
        .post(
            &format!("{path}/updates"),
            json!({"deaths": 3, "serious_injuries": 1, "missing": 0, "direct_loss_yuan": 200000,
                   "summary": "一名重伤人员经抢救无效死亡", "grade": "ordinary"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["grade"], "serious");
    assert_eq!(r.body["previous_grade"], "ordinary");
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["criterion"]["code"], "deaths>=3");
    assert_eq!(
        r.body["escalation"],
        json!([{"from": "city", "to": "province", "limit_minutes": 120, "inside_platform": false}])
    );
    assert_eq!(r.body["required_level"], "province");
    // The same grade again: no new hop; a blank summary keeps the previous one.
    let r = county
        .post(
            &format!("{path}/updates"),
            json!({"deaths": 3, "serious_injuries": 2, "missing": 1, "direct_loss_yuan": 300000}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["escalation"], json!([]));
    assert_eq!(r.body["summary"], "一名重伤人员经抢救无效死亡");
    assert!(r.body["missing_count_as_dead_from"].is_string());
    // Every version kept, the first report first.
    let d = county.get(&path).await;
    let v = d.body["versions"].as_array().unwrap();
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["deaths"], 2);
    assert_eq!(v[0]["grade"], "ordinary");
    assert_eq!(v[0]["summary"], "基坑坍塌");
    assert_eq!(v[1]["grade"], "serious");
    assert_eq!(v[2]["missing"], 1);
    assert_eq!(d.body["grade"], "serious");
    assert_eq!(d.body["deaths"], 3);
    assert_eq!(d.body["chain"].as_array().unwrap().len(), 3);
    assert_eq!(app.audit_count("accident.update", "ok").await, 2);
    // Bad figures in an update are named.
    let r = county
        .post(
            &format!("{path}/updates"),
            json!({"deaths": -1, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "direct_loss_yuan"), "{}", r.body);
    let r = county
        .post(
            &format!("{path}/updates"),
            json!({"deaths": -1, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": 0}),
        )
        .await;
    assert!(field_named(&r.body, "deaths"), "{}", r.body);
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM accident_version WHERE accident_id = {id}"
        ))
        .await,
        3
    );
}

#[tokio::test]
async fn the_supplementary_window_is_30_days_and_7_for_road_traffic_and_fire() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let update = json!({"deaths": 1, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": 0});
    let cases = [
        ("other", 30, StatusCode::CREATED),
        ("other", 31, StatusCode::CONFLICT),
        ("road_traffic", 7, StatusCode::CREATED),
        ("road_traffic", 8, StatusCode::CONFLICT),
        ("fire", 7, StatusCode::CREATED),
        ("fire", 8, StatusCode::CONFLICT),
    ];
    for (category, days, want) in cases {
        let body = with(
            with(accident(0, 1, 0), "category", json!(category)),
            "occurred_at",
            json!(ago(days, 0)),
        );
        let r = county.post("/api/v1/accidents", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            r.body["in_window"],
            want == StatusCode::CREATED,
            "{}",
            r.body
        );
        let id = r.body["id"].as_i64().unwrap();
        let r = county
            .post(&format!("/api/v1/accidents/{id}/updates"), update.clone())
            .await;
        assert_eq!(r.status, want, "{category} {days} days: {}", r.body);
    }
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accident_version")
            .await,
        9
    );
}
