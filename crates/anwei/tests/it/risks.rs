//! Tests of risk points (风险分级管控, issue 11): the server grades by the configured bands at
//! their boundaries, refuses factors off the method's scale, keeps to the caller's scope, sets
//! the enterprise's grade from its highest active point, and the four-colour map counts
//! enterprises by grade per territory (JSON, SVG and page).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::{add_enterprise, credit_code};
use crate::helpers::*;
use anwei::auth::model::Role;

fn lec(l: f64, e: f64, c: f64) -> Value {
    json!({"unit": "储罐区", "hazardous_event": "储罐泄漏遇点火源", "accident_types": ["fire", "other_explosion"],
           "control_measures": "可燃气体报警、动火审批", "responsible_person": "张三", "check_cycle_days": 7,
           "method": "LEC", "l": l, "e": e, "c": c})
}

fn ls(l: i64, s: i64) -> Value {
    json!({"unit": "配电室", "hazardous_event": "带电检修", "accident_types": "electric_shock",
           "check_cycle_days": 30, "method": "ls", "l": l, "s": s})
}

async fn add(api: &Api, enterprise: i64, body: Value) -> Resp {
    api.post(
        &format!("/api/v1/enterprises/{enterprise}/risk-points"),
        body,
    )
    .await
}

async fn level_of(api: &Api, enterprise: i64, body: Value) -> (String, f64) {
    let r = add(api, enterprise, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (
        r.body["level"].as_str().expect("level").to_string(),
        r.body["score"].as_f64().expect("score"),
    )
}

#[tokio::test]
async fn levels_follow_the_bands_at_their_boundaries_and_a_level_sent_is_ignored() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000R01", "东昌某化工", "C26").await;
    // LEC: a D exactly on a threshold falls in the lower band.
    for (l, ee, c, level, score) in [
        (10.0, 1.0, 7.0, "low", 70.0),
        (1.0, 2.0, 40.0, "general", 80.0),
        (10.0, 1.0, 15.0, "general", 150.0),
        (6.0, 2.0, 15.0, "high", 180.0),
        (6.0, 6.0, 7.0, "high", 252.0),
        (3.0, 3.0, 40.0, "major", 360.0),
        (0.2, 0.5, 7.0, "low", 0.7),
    ] {
        let got = level_of(&county, e, lec(l, ee, c)).await;
        assert_eq!(got, (level.to_string(), score), "{l} × {ee} × {c}");
    }
    // LS: a threshold value belongs to its band.
    for (l, s, level) in [
        (2, 4, "low"),
        (3, 3, "general"),
        (3, 5, "high"),
        (4, 4, "high"),
        (4, 5, "major"),
        (5, 5, "major"),
    ] {
        let got = level_of(&county, e, ls(l, s)).await;
        assert_eq!(got.0, level, "{l} × {s}");
        assert_eq!(got.1, (l * s) as f64);
    }
    // A level or score the client sends is ignored: the server computes both.
    let mut body = lec(0.1, 0.5, 1.0);
    body["level"] = json!("major");
    body["score"] = json!(999);
    let r = add(&county, e, body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        (r.body["level"].clone(), r.body["score"].clone()),
        (json!("low"), json!(0.05))
    );
    assert_eq!(r.body["colour"], "blue");
    assert_eq!(r.body["accident_types"], json!(["fire", "other_explosion"]));
    assert_eq!(app.audit_count("risk_point.create", "ok").await, 14);
}

#[tokio::test]
async fn a_factor_off_its_scale_is_refused_naming_it_and_nothing_is_saved() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000R02", "东昌某厂", "C30").await;
    let mut missing_c = lec(10.0, 6.0, 7.0);
    missing_c.as_object_mut().expect("object").remove("c");
    let mut bad_method = ls(2, 2);
    bad_method["method"] = json!("HAZOP");
    let mut bad_type = ls(2, 2);
    bad_type["accident_types"] = json!(["meteor"]);
    let mut bad_cycle = ls(2, 2);
    bad_cycle["check_cycle_days"] = json!(0);
    for (body, field) in [
        (lec(2.0, 6.0, 7.0), "l"),
        (lec(10.0, 4.0, 7.0), "e"),
        (lec(10.0, 6.0, 50.0), "c"),
        (missing_c, "c"),
        (ls(6, 2), "l"),
        (ls(3, 0), "s"),
        (
            json!({"unit": "u", "hazardous_event": "h", "check_cycle_days": 7, "method": "LS", "l": 2.5, "s": 2}),
            "l",
        ),
        (bad_method, "method"),
        (bad_type, "accident_types"),
        (bad_cycle, "check_cycle_days"),
    ] {
        let r = add(&county, e, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(
            r.body["fields"].get(field).is_some(),
            "{field} named: {}",
            r.body
        );
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM risk_point").await, 0);
    // The calculator answers the same.
    let r = county
        .post(
            "/api/v1/risk/assess",
            json!({"method": "LEC", "l": 10, "e": 4, "c": 7}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"].get("e").is_some(), "{}", r.body);
    let r = county
        .post(
            "/api/v1/risk/assess",
            json!({"method": "ls", "l": 4, "s": 5}),
        )
        .await;
    assert_eq!(
        (r.body["level"].clone(), r.body["colour"].clone()),
        (json!("major"), json!("red"))
    );
}

#[tokio::test]
async fn points_stay_in_scope_and_an_enterprise_records_only_its_own() {
    let app = spawn_app().await;
    let dongchang = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let mine = add_enterprise(&dongchang, "91220502MA0000R03", "东昌某厂", "C30").await;
    let other = add_enterprise(&dongchang, "91220502MA0000R04", "东昌另一厂", "C30").await;
    // Another county: the enterprise does not exist for it.
    let r = add(&ji_an, mine, lec(10.0, 6.0, 7.0)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = ji_an
        .get(&format!("/api/v1/enterprises/{mine}/risk-points"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The enterprise's own account: itself only.
    let own = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000R03"))
        .await;
    let r = add(&own, mine, ls(4, 5)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.body["id"].as_i64().expect("id");
    assert_eq!(
        add(&own, other, ls(4, 5)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = dongchang
        .post(
            &format!("/api/v1/enterprises/{other}/risk-points"),
            ls(1, 1),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let theirs = r.body["id"].as_i64().expect("id");
    let r = own
        .post(
            &format!("/api/v1/risk-points/{theirs}/retire"),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another enterprise's point"
    );
    let r = ji_an
        .patch(&format!("/api/v1/risk-points/{pid}"), json!({"l": 1}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ji_an
            .get(&format!("/api/v1/risk-points/{pid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A leader reads but never records; the auditor reads the audit log, not the points.
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    let r = leader
        .get(&format!("/api/v1/enterprises/{mine}/risk-points"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        add(&leader, mine, ls(1, 1)).await.status,
        StatusCode::FORBIDDEN
    );
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = auditor
        .get(&format!("/api/v1/enterprises/{mine}/risk-points"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.audit_count("risk_point.create", "denied").await >= 3);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM risk_point").await, 2);
}

#[tokio::test]
async fn the_grade_follows_the_highest_active_point_and_drops_when_it_is_retired() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000R05", "东昌某化工", "C26").await;
    let grade = async |want: Value, colour: Value| {
        let r = county.get(&format!("/api/v1/enterprises/{e}")).await;
        assert_eq!(r.body["risk_level"], want, "{}", r.body);
        assert_eq!(r.body["risk_colour"], colour);
        let r = county
            .get(&format!("/api/v1/enterprises/{e}/risk-points"))
            .await;
        assert_eq!(r.body["risk_level"], want);
    };
    grade(Value::Null, Value::Null).await;
    let r = add(&county, e, ls(2, 2)).await;
    let low = r.body["id"].as_i64().expect("id");
    grade(json!("low"), json!("blue")).await;
    let r = add(&county, e, lec(3.0, 3.0, 40.0)).await;
    let major = r.body["id"].as_i64().expect("id");
    grade(json!("major"), json!("red")).await;
    // Re-assessed (the method kept, one factor changed): 3 × 3 × 15 = 135 → 一般.
    let r = county
        .patch(
            &format!("/api/v1/risk-points/{major}"),
            json!({"c": 15, "level": "major"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["score"].clone(), r.body["level"].clone()),
        (json!(135.0), json!("general"))
    );
    grade(json!("general"), json!("yellow")).await;
    let r = county
        .patch(&format!("/api/v1/risk-points/{major}"), json!({"e": 4}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"].get("e").is_some());
    // Switched to LS: its factors must fit LS.
    let r = county
        .patch(
            &format!("/api/v1/risk-points/{major}"),
            json!({"method": "LS", "l": 5, "s": 4}),
        )
        .await;
    assert_eq!(r.body["level"], "major", "{}", r.body);
    assert_eq!(r.body["e"], Value::Null);
    grade(json!("major"), json!("red")).await;
    // Retired: a reason is required; the grade falls back to the other point.
    let url = format!("/api/v1/risk-points/{major}/retire");
    let r = county.post(&url, json!({"reason": " "})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"].get("reason").is_some());
    let r = county.post(&url, json!({"reason": "工艺已拆除"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["retired"], true);
    grade(json!("low"), json!("blue")).await;
    assert_eq!(
        county.post(&url, json!({"reason": "again"})).await.status,
        StatusCode::CONFLICT
    );
    let r = county
        .patch(&format!("/api/v1/risk-points/{major}"), json!({"l": 1}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a retired point is not re-assessed"
    );
    let r = county
        .post(
            &format!("/api/v1/risk-points/{low}/retire"),
            json!({"reason": "合并"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    grade(Value::Null, Value::Null).await;
    // Kept, never deleted; listed with `retired=true`.
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM risk_point").await, 2);
    let r = county
        .get(&format!("/api/v1/enterprises/{e}/risk-points?retired=true"))
        .await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(2));
    let r = county
        .get(&format!("/api/v1/enterprises/{e}/risk-points"))
        .await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(app.audit_count("risk_point.update", "ok").await, 2);
    assert_eq!(app.audit_count("risk_point.retire", "ok").await, 2);
}

fn territory<'a>(map: &'a Value, code: &str) -> &'a Value {
    map["territories"]
        .as_array()
        .expect("territories")
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {map}"))
}

#[tokio::test]
async fn the_map_counts_enterprises_by_grade_per_territory_in_the_callers_scope() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let dongchang = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let red = add_enterprise(&dongchang, "91220502MA0000R06", "东昌甲", "C26").await;
    let yellow = add_enterprise(&dongchang, "91220502MA0000R07", "东昌乙", "C26").await;
    add_enterprise(&dongchang, "91220502MA0000R08", "东昌丙（无风险点）", "C26").await;
    let r = ji_an
        .post(
            "/api/v1/enterprises",
            json!({"name": "集安某厂", "credit_code": credit_code("91220582MA0000R09"), "region_code": "220582", "industry": "C30"}),
        )
        .await;
    let blue = r.body["id"].as_i64().expect("id");
    add(&dongchang, red, ls(4, 5)).await;
    add(&dongchang, red, ls(1, 1)).await;
    add(&dongchang, yellow, ls(3, 3)).await;
    add(&ji_an, blue, ls(1, 2)).await;
    let r = office.get("/api/v1/risk/map?region=220500").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = territory(&r.body, "220502");
    assert_eq!(
        [
            &d["red"],
            &d["orange"],
            &d["yellow"],
            &d["blue"],
            &d["none"],
            &d["total"]
        ],
        [
            &json!(1),
            &json!(0),
            &json!(1),
            &json!(0),
            &json!(1),
            &json!(3)
        ]
    );
    assert_eq!(d["colour"], "red");
    let j = territory(&r.body, "220582");
    assert_eq!(
        (j["blue"].clone(), j["colour"].clone()),
        (json!(1), json!("blue"))
    );
    assert_eq!(territory(&r.body, "220503")["colour"], "none");
    assert_eq!(r.body["totals"]["total"], 4);
    assert_eq!(r.body["totals"]["colour"], "red");
    // A county counts only its own: the city's map shows nothing of 集安 to 东昌.
    let r = dongchang.get("/api/v1/risk/map?region=220500").await;
    assert_eq!(territory(&r.body, "220582")["total"], 0);
    assert_eq!(territory(&r.body, "220502")["total"], 3);
    let r = ji_an.get("/api/v1/risk/map").await;
    assert_eq!(r.body["region_code"], "220582", "its own region by default");
    assert_eq!(r.body["totals"]["blue"], 1);
    let r = office.get("/api/v1/risk/map?region=999999").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Retiring the red point turns 东昌 yellow.
    let pid = app
        .scalar_i64(&format!(
            "SELECT id FROM risk_point WHERE enterprise_id = {red} AND level = 'major'"
        ))
        .await;
    office
        .post(
            &format!("/api/v1/risk-points/{pid}/retire"),
            json!({"reason": "已整改消除"}),
        )
        .await;
    let r = office.get("/api/v1/risk/map?region=220500").await;
    let d = territory(&r.body, "220502");
    assert_eq!(
        (d["red"].clone(), d["blue"].clone(), d["colour"].clone()),
        (json!(0), json!(1), json!("yellow"))
    );
    // The SVG, as an image.
    let res = reqwest::Client::new()
        .get(app.url("/risk/map.svg?region=220500"))
        .bearer_auth(&office.token)
        .send()
        .await
        .expect("svg");
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res.headers()["content-type"]
        .to_str()
        .expect("ct")
        .to_string();
    assert!(ct.starts_with("image/svg+xml"), "{ct}");
    let svg = res.text().await.expect("body");
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(
        svg.contains("class=\"tile yellow\" data-region=\"220502\""),
        "{svg}"
    );
    assert!(svg.contains("class=\"tile blue\" data-region=\"220582\""));
}

#[tokio::test]
async fn the_pages_add_a_point_show_the_four_colours_and_the_map_table() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000R10", "东昌某化工", "C26").await;
    app.create_user("risk_web", Role::Territory, "220502-ZF")
        .await;
    let w = app.browser_as("risk_web").await;
    let page = w.get(&format!("/enterprises/{e}/risk-points")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"add-point\""));
    let url = format!("/enterprises/{e}/risk-points");
    let form = [
        ("unit", "液氯储罐区"),
        ("hazardous_event", "液氯泄漏"),
        ("accident_types", "poisoning_asphyxiation"),
        ("accident_types", "vessel_explosion"),
        ("check_cycle_days", "7"),
        ("method", "LEC"),
        ("l", "3"),
        ("e", "6"),
        ("c", "40"),
        ("s", ""),
    ];
    let r = w.post_form(&url, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let row: (String, String) = (
        app.scalar_text("SELECT level FROM risk_point")
            .await
            .expect("level"),
        app.scalar_text("SELECT accident_types FROM risk_point")
            .await
            .expect("types"),
    );
    assert_eq!(
        row,
        (
            "major".into(),
            "poisoning_asphyxiation,vessel_explosion".into()
        )
    );
    let mut bad = form.to_vec();
    bad[6] = ("l", "4");
    let r = w.post_form(&url, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-l-err\""),
        "the field is named on the page"
    );
    let page = w.get(&url).await;
    assert!(page.body.contains("id=\"group-red\""));
    assert!(page.body.contains("class=\"risk-badge red\""));
    assert!(page.body.contains("液氯储罐区"));
    let page = w.get(&format!("/enterprises/{e}")).await;
    assert!(
        page.body
            .contains("id=\"risk-grade\"><span class=\"risk-badge red\">重大风险"),
        "{}",
        page.body
    );
    let page = w.get("/risk/map").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("id=\"risk-map-table\""));
    assert!(page.body.contains("href=\"/risk/map\""), "the nav link");
}
