//! Tests of the accident assessment inputs and links (issue 12): 一票否决 / 一票否优 at the
//! grade boundaries, rolled up from the counties to the city, in the caller's scope; the
//! on-time reporting rate per level (a hop on time, one late by a minute, one open past due);
//! an accident's links to its enterprise's open hazards, risk points and last year's
//! inspections, as far as the caller may read them; the pages.

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::{add_enterprise, credit_code, png};
use crate::helpers::*;
use crate::inspections::{day, inspect, officers};
use anwei::auth::model::Role;

/// An instant `minutes` minutes and `seconds` seconds before now, RFC 3339 in UTC+8.
fn ago(minutes: i64, seconds: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(minutes) - chrono::Duration::seconds(seconds))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

fn accident(region: &str, occurred_at: &str, deaths: i64) -> Value {
    json!({
        "occurred_at": occurred_at, "region_code": region, "unit_name": "某建筑公司",
        "type": "collapse", "deaths": deaths, "serious_injuries": 0, "missing": 0,
        "direct_loss_yuan": 0, "summary": "基坑坍塌", "measures": "组织救援",
    })
}

async fn file(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/accidents", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

fn row<'a>(body: &'a Value, code: &str) -> &'a Value {
    body.as_array()
        .expect("one row per territory")
        .iter()
        .find(|t| t["region_code"] == code)
        .unwrap_or_else(|| panic!("no row for {code}: {body}"))
}

#[tokio::test]
async fn the_veto_follows_the_grade_boundaries_rolls_up_to_the_city_and_keeps_to_scope() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let now = ago(10, 0);
    // 2 deaths (一般) in 220521; 9 (较大, the top of it) in 220502; 10 (重大) in 220582.
    let ordinary = file(&office, accident("220521", &now, 2)).await;
    let serious = file(&office, accident("220502", &now, 9)).await;
    let very = file(&office, accident("220582", &now, 10)).await;
    // 3 deaths (较大, the bottom of it) in 220503; and a 重大 one in 220503 a year earlier.
    file(&office, accident("220503", &now, 3)).await;
    let year = anwei::time::today().year();
    let last_year = format!("{}-06-15T12:00:00+08:00", year - 1);
    file(&office, accident("220503", &last_year, 12)).await;

    let r = office.get("/api/v1/assessment/veto").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert_eq!(
        b[0]["region_code"], "220500",
        "the territory asked for first: {b}"
    );
    let clear = row(b, "220521");
    assert_eq!(
        (clear["veto"].as_bool(), clear["no_excellent"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(clear["rule"], "clear");
    assert!(
        clear["accidents"].as_array().unwrap().is_empty(),
        "一般 does not decide: {b}"
    );
    let dc = row(b, "220502");
    assert_eq!(dc["veto"], false, "9 deaths is 较大: {b}");
    assert_eq!(dc["no_excellent"], true);
    assert_eq!(dc["rule"], "no_excellent");
    assert_eq!(dc["rule_name"], "一票否优");
    assert_eq!(dc["accidents"][0]["id"], serious);
    assert_eq!(dc["accidents"][0]["grade"], "serious");
    assert!(dc["accidents"][0]["occurred_at"].is_string());
    let ja = row(b, "220582");
    assert_eq!(
        (ja["veto"].as_bool(), ja["no_excellent"].as_bool()),
        (Some(true), Some(false)),
        "{b}"
    );
    assert_eq!(ja["rule_name"], "一票否决");
    assert_eq!(ja["accidents"][0]["id"], very);
    let ld = row(b, "220503");
    assert_eq!(
        ld["no_excellent"], true,
        "3 deaths is 较大 and last year's 重大 is not this year's: {b}"
    );
    assert_eq!(ld["veto"], false);
    // The city's figure counts every county below it.
    let city = row(b, "220500");
    assert_eq!(city["veto"], true, "{b}");
    assert_eq!(city["accidents"].as_array().unwrap().len(), 3, "{b}");
    assert!(
        city["accidents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["id"] != ordinary)
    );
    // Last year: the 重大 one in 220503 vetoes it and the city.
    let r = office
        .get(&format!("/api/v1/assessment/veto?year={}", year - 1))
        .await;
    assert_eq!(row(&r.body, "220503")["veto"], true, "{}", r.body);
    assert_eq!(row(&r.body, "220502")["rule"], "clear");
    // A regrade counts: 220521's accident becomes 重大 by a supplementary report.
    let up = json!({"deaths": 10, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": 0});
    let r = office
        .post(&format!("/api/v1/accidents/{ordinary}/updates"), up)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = office
        .get("/api/v1/assessment/veto?region_code=220521")
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.body);
    assert_eq!(r.body[0]["veto"], true, "{}", r.body);

    // Scope: a county sees its own county only; another county's code is a 422.
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = county.get("/api/v1/assessment/veto").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.body.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{}", r.body);
    assert_eq!(rows[0]["region_code"], "220502");
    assert_eq!(rows[0]["no_excellent"], true);
    let r = county
        .get("/api/v1/assessment/veto?region_code=220582")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["region_code"].is_string(), "{}", r.body);
    let r = office
        .get("/api/v1/assessment/veto?region_code=999999")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["region_code"].is_string(), "{}", r.body);
    for bad in ["abc", "1999", &(year + 1).to_string()] {
        let r = office
            .get(&format!("/api/v1/assessment/veto?year={bad}"))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert!(r.body["fields"]["year"].is_string(), "{}", r.body);
    }
    let e = add_enterprise(&county, "91220502MA0000W01", "东昌某企业", "C26").await;
    assert!(e > 0);
    let own = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000W01"))
        .await;
    let r = own.get("/api/v1/assessment/veto").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    assert_eq!(
        auditor.get("/api/v1/assessment/veto").await.status,
        StatusCode::FORBIDDEN
    );

    // The page: one row per territory, linked from the accidents and the dashboard.
    let web = app.browser_as(&office.username).await;
    let page = web.get("/assessment/veto").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"veto-220582\""), "{}", page.body);
    assert!(page.body.contains("一票否决") && page.body.contains("一票否优"));
    assert!(page.body.contains(&format!("href=\"/accidents/{very}\"")));
    let page = web.get("/assessment/veto?year=abc").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"year-err\""), "{}", page.body);
    assert!(page.body.contains("value=\"abc\""), "what was typed stays");
    let list = web.get("/accidents").await;
    assert!(
        list.body.contains("href=\"/assessment/veto\""),
        "{}",
        list.body
    );
    let home = web.get("/").await;
    assert!(
        home.body.contains("href=\"/assessment/veto\""),
        "{}",
        home.body
    );
    // The territory's own bodies show its outcome on their page; a county sees its own only
    // (another county's page is not found, and no refusal of the outcome is recorded).
    let gov = web.get("/orgs/220582-ZF").await;
    assert_eq!(gov.status, StatusCode::OK, "{}", gov.body);
    let veto = &gov.body[gov.body.find("id=\"veto\"").expect("the outcome")..];
    assert!(veto.contains("一票否决"), "{veto}");
    assert!(veto.contains(&format!("href=\"/accidents/{very}\"")));
    let web_county = app.browser_as(&county.username).await;
    let own_page = web_county.get("/orgs/220502-ZF").await;
    assert!(own_page.body.contains("id=\"veto\""), "{}", own_page.body);
    assert!(own_page.body.contains("一票否优"));
    let refused = "SELECT COUNT(*) FROM audit_log WHERE action = 'accident.assessment_veto'";
    let before = app.scalar_i64(refused).await;
    let other = web_county.get("/orgs/220582-ZF").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "another county's page");
    assert_eq!(app.scalar_i64(refused).await, before);
}

fn level<'a>(stats: &'a Value, code: &str) -> &'a Value {
    stats["on_time"]
        .as_array()
        .expect("on_time")
        .iter()
        .find(|l| l["level"] == code)
        .unwrap_or_else(|| panic!("no level {code}: {stats}"))
}

async fn ack(api: &Api, id: i64, level: &str) -> Resp {
    let r = api
        .post(
            &format!("/api/v1/accidents/{id}/hops/{level}/acknowledge"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r
}

#[tokio::test]
async fn the_on_time_rate_counts_a_hop_on_time_one_late_by_a_minute_and_one_open_past_due() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    // The unit's hour: 30 minutes left (acknowledged on time), 30 seconds gone (acknowledged
    // late by a minute), and 1 minute gone (still open).
    let on_time = file(&county, accident("220502", &ago(30, 0), 1)).await;
    let late = file(&county, accident("220502", &ago(60, 30), 1)).await;
    let open = file(&county, accident("220502", &ago(61, 0), 1)).await;
    assert_eq!(
        ack(&county, on_time, "county").await.body["late_minutes"],
        0
    );
    assert_eq!(ack(&county, late, "county").await.body["late_minutes"], 1);

    let r = office.get("/api/v1/accidents/stats").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let unit = level(&r.body, "unit");
    assert_eq!(unit["to"], "county");
    assert_eq!(unit["due"], 3, "{}", r.body);
    assert_eq!(unit["on_time"], 1);
    assert_eq!(unit["late"], 1);
    assert_eq!(unit["overdue"], 1);
    assert_eq!(unit["running"], 0);
    assert_eq!(unit["rate"], 0.3333);
    // The county's two hours run for the two it has; nothing settled yet.
    let c = level(&r.body, "county");
    assert_eq!(
        (c["due"].as_i64(), c["running"].as_i64()),
        (Some(2), Some(2)),
        "{}",
        r.body
    );
    assert!(c["rate"].is_null());
    assert_eq!(level(&r.body, "city")["due"], 0);
    assert_eq!(level(&r.body, "province")["due"], 0);
    // The city acknowledges one in time and one 30 seconds past its clock (late by a minute).
    let due = anwei::db::now_ms() - 30_000;
    app.exec(&format!(
        "UPDATE accident_hop SET due_at = {due} WHERE accident_id = {late} AND to_level = 'city'"
    ))
    .await;
    assert_eq!(ack(&office, on_time, "city").await.body["late_minutes"], 0);
    assert_eq!(ack(&office, late, "city").await.body["late_minutes"], 1);
    let r = office.get("/api/v1/accidents/stats").await;
    let c = level(&r.body, "county");
    assert_eq!(
        (
            c["on_time"].as_i64(),
            c["late"].as_i64(),
            c["overdue"].as_i64()
        ),
        (Some(1), Some(1), Some(0)),
        "{}",
        r.body
    );
    assert_eq!(c["rate"], 0.5);
    // Scope: another county has none of these hops.
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let r = ji_an.get("/api/v1/accidents/stats").await;
    assert_eq!(level(&r.body, "unit")["due"], 0, "{}", r.body);
    let _ = open;
    // A period before the hops were due has none of them.
    let r = office
        .get("/api/v1/accidents/stats?from=2020-01&to=2020-12")
        .await;
    assert_eq!(level(&r.body, "unit")["due"], 0, "{}", r.body);

    // The page and the workbook carry the table.
    let web = app.browser_as(&office.username).await;
    let page = web.get("/accidents/stats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"on-time-unit\""), "{}", page.body);
    assert!(
        page.body.contains("33.3%") && page.body.contains("50.0%"),
        "{}",
        page.body
    );
    let res = office
        .client
        .get(format!("{}/api/v1/accidents/stats.xlsx", office.base))
        .bearer_auth(&office.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.expect("bytes").to_vec();
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = wb.worksheet_range("及时率").expect("the on-time sheet");
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("报告层级".into()), "{rows:?}");
    assert_eq!(rows[1][1], Data::Float(3.0), "unit: 3 due: {rows:?}");
    assert_eq!(rows[2][6], Data::Float(0.5), "county: 50%: {rows:?}");
}

#[tokio::test]
async fn an_accident_at_a_registered_enterprise_links_what_the_caller_may_read() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let e = add_enterprise(&county, "91220502MA0000L01", "东昌某危化企业", "C26").await;
    // An open hazard, a risk point, an inspection ten days ago.
    let (t, body) = multipart(
        &[
            ("enterprise_id", &e.to_string()),
            ("description", "储罐区可燃气体报警器失效"),
            ("grade", "general"),
        ],
        &[("files", "现场.png", &png())],
    );
    let r = county.post_raw("/api/v1/hazards", &t, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hazard = r.body["id"].as_i64().expect("id");
    let point = json!({"unit": "配电室", "hazardous_event": "带电检修", "accident_types": "electric_shock",
        "check_cycle_days": 30, "method": "ls", "l": 4, "s": 5});
    let r = county
        .post(&format!("/api/v1/enterprises/{e}/risk-points"), point)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (a, b) = officers(&app).await;
    let yj = app.api_as(Role::Department, crate::inspections::YJ).await;
    let r = inspect(
        &yj,
        json!({"kind": "enforcement", "enterprise_id": e, "date": day(-10),
               "checked": "动火作业审批", "officers": [a, b]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let mut body = accident("220502", &ago(10, 0), 1);
    body["enterprise_id"] = json!(e);
    let id = file(&office, body).await;
    let r = county.get(&format!("/api/v1/accidents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rel = &r.body["related"];
    assert_eq!(
        rel["hazards_open"].as_array().map(Vec::len),
        Some(1),
        "{rel}"
    );
    assert_eq!(rel["hazards_open"][0]["id"], hazard);
    assert_eq!(rel["hazards_open"][0]["status"], "registered");
    assert!(
        rel["hazards_open"][0]["title"]
            .as_str()
            .unwrap()
            .contains("报警器")
    );
    assert!(rel["hazards_open"][0]["date"].is_string());
    assert_eq!(
        rel["risk_points"].as_array().map(Vec::len),
        Some(1),
        "{rel}"
    );
    assert_eq!(
        rel["inspections_last_year"].as_array().map(Vec::len),
        Some(1),
        "{rel}"
    );
    assert_eq!(rel["inspections_last_year"][0]["date"], day(-10));
    // The enterprise's own account sees its own.
    let own = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000L01"))
        .await;
    let r = own.get(&format!("/api/v1/accidents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["related"]["hazards_open"].as_array().map(Vec::len),
        Some(1)
    );

    // Placed in 集安市: 集安 reads the accident but not the enterprise's records.
    let mut body = accident("220582", &ago(10, 0), 1);
    body["enterprise_id"] = json!(e);
    let there = file(&office, body).await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let r = ji_an.get(&format!("/api/v1/accidents/{there}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rel = &r.body["related"];
    assert!(rel.is_object(), "{}", r.body);
    for list in ["hazards_open", "risk_points", "inspections_last_year"] {
        assert!(rel[list].as_array().unwrap().is_empty(), "{list}: {rel}");
    }
    let r = office.get(&format!("/api/v1/accidents/{there}")).await;
    assert_eq!(
        r.body["related"]["hazards_open"].as_array().map(Vec::len),
        Some(1)
    );
    // A unit that is not registered has no links.
    let plain = file(&office, accident("220502", &ago(10, 0), 1)).await;
    let r = office.get(&format!("/api/v1/accidents/{plain}")).await;
    assert!(r.body["related"].is_null(), "{}", r.body);

    // The page links them.
    let web = app.browser_as(&county.username).await;
    let page = web.get(&format!("/accidents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"related-hazards\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("href=\"/hazards/{hazard}\"")));
    assert!(
        page.body
            .contains(&format!("href=\"/enterprises/{e}/risk-points\""))
    );
    let page = web.get(&format!("/accidents/{plain}")).await;
    assert!(!page.body.contains("id=\"related\""));
}
