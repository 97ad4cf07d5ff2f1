//! Tests of the accident statistics (issue 12) and the report statistics (issue 13): scope (a
//! county sees only its region), figures from each accident's latest version, year on year,
//! the xlsx export, bad parameters named by field, and no re-identifying detail.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

fn accident(region: &str, occurred_at: &str, deaths: i64) -> Value {
    json!({
        "occurred_at": occurred_at, "region_code": region, "unit_name": "某建筑公司",
        "type": "collapse", "industry": "E47", "deaths": deaths, "serious_injuries": 1, "missing": 0,
        "direct_loss_yuan": 1_200_000, "summary": "基坑坍塌",
    })
}

fn minutes_ago(m: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(m))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

fn field_named(body: &Value, name: &str) -> bool {
    body["fields"].get(name).is_some()
}

#[tokio::test]
async fn accident_statistics_count_latest_versions_in_scope_with_year_on_year() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let now = anwei::time::today();
    let month = now.format("%Y-%m").to_string();
    let last_year = format!(
        "{}-15T12:00:00+08:00",
        (now - chrono::Months::new(12)).format("%Y-%m")
    );
    // 东昌区: one accident, first 1 death, then 3 by a supplementary report (latest counts).
    let r = county
        .post("/api/v1/accidents", accident("220502", &minutes_ago(5), 1))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let update =
        json!({"deaths": 3, "serious_injuries": 2, "missing": 0, "direct_loss_yuan": 2_000_000});
    let r = county
        .post(&format!("/api/v1/accidents/{id}/updates"), update)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // 集安市: one now with 2 deaths; 东昌区 a year earlier: 1 death.
    let r = ji_an
        .post("/api/v1/accidents", accident("220582", &minutes_ago(5), 2))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = county
        .post("/api/v1/accidents", accident("220502", &last_year, 1))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let q = format!("/api/v1/accidents/stats?from={month}&to={month}");
    let r = county.get(&q).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = &r.body;
    assert_eq!(s["region_code"], "220502");
    assert_eq!(s["total"]["accidents"], 1, "{s}");
    assert_eq!(
        s["total"]["deaths"], 3,
        "the latest version, not the first: {s}"
    );
    assert_eq!(s["total"]["serious_injuries"], 2);
    assert_eq!(s["total"]["direct_loss_yuan"], 2_000_000);
    assert_eq!(
        s["by_grade"][0]["key"], "serious",
        "regraded by the update: {s}"
    );
    assert_eq!(s["by_grade"].as_array().unwrap().len(), 1);
    assert_eq!(s["by_type"][0]["label"], "坍塌");
    assert_eq!(s["by_industry"][0]["key"], "E");
    assert_eq!(s["by_month"][0]["key"], month.as_str());
    assert_eq!(s["previous"]["accidents"], 1, "{s}");
    assert_eq!(s["previous"]["deaths"], 1);
    assert_eq!(s["year_on_year"]["deaths"], 2.0);
    assert_eq!(s["year_on_year"]["accidents"], 0.0);
    let places = s["by_territory"].as_array().unwrap();
    assert_eq!(places.len(), 1, "{s}");
    assert_eq!(places[0]["key"], "220502");

    let r = office.get(&q).await;
    assert_eq!(r.body["total"]["accidents"], 2, "{}", r.body);
    assert_eq!(r.body["total"]["deaths"], 5);
    assert_eq!(r.body["by_territory"].as_array().unwrap().len(), 2);
    let r = office.get(&format!("{q}&region_code=220582")).await;
    assert_eq!(r.body["total"]["deaths"], 2, "{}", r.body);

    // A county asking for another county, bad months, a reversed period: 422 naming the field.
    let r = county.get(&format!("{q}&region_code=220582")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "region_code"), "{}", r.body);
    let r = county
        .get("/api/v1/accidents/stats?from=2026-13&to=soon")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_named(&r.body, "from") && field_named(&r.body, "to"),
        "{}",
        r.body
    );
    let r = county
        .get("/api/v1/accidents/stats?from=2026-06&to=2026-05")
        .await;
    assert!(field_named(&r.body, "to"), "{}", r.body);
    let r = county
        .get("/api/v1/accidents/stats?region_code=999999")
        .await;
    assert!(field_named(&r.body, "region_code"), "{}", r.body);
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    assert_eq!(auditor.get(&q).await.status, StatusCode::FORBIDDEN);

    // The workbook: a summary, then one sheet per table.
    let res = office
        .client
        .get(format!(
            "{}/api/v1/accidents/stats.xlsx?from={month}&to={month}",
            office.base
        ))
        .bearer_auth(&office.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let rows = sheet(&res.bytes().await.expect("bytes"));
    assert_eq!(rows[0][1], "事故起数", "{rows:?}");
    assert_eq!(rows[1][1], "2", "{rows:?}");
    assert_eq!(rows[1][2], "5", "{rows:?}");
    assert_eq!(app.audit_count("accident.stats_export", "ok").await, 1);

    // The page, in Chinese.
    let web = app.browser_as(&office.username).await;
    let page = web
        .get(&format!("/accidents/stats?from={month}&to={month}"))
        .await;
    assert!(page.body.contains("事故统计"), "{}", page.body);
    assert!(page.body.contains("id=\"by-territory\""));
    let page = web.get("/accidents/stats?from=2026-13").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn public_report(app: &TestApp, category: &str, region: &str) -> i64 {
    let body = json!({"category": category, "description": "夜间违规动火作业，无人监护",
        "region_code": region, "unit_name": "某被举报化工企业"});
    let r = app.anon().post("/api/v1/public/reports", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.scalar_i64("SELECT MAX(id) FROM report").await
}

#[tokio::test]
async fn report_statistics_are_totals_in_scope_with_verification_and_on_time_rates() {
    let app = spawn_app().await;
    let first = public_report(&app, "violation", "220502").await;
    public_report(&app, "major_hazard", "220502").await;
    public_report(&app, "other", "220582").await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let path = |s: &str| format!("/api/v1/reports/{first}/{s}");
    assert_eq!(
        office.post(&path("accept"), json!({})).await.status,
        StatusCode::OK
    );
    let r = office
        .post(&path("route"), json!({"department_code": "220502-YJ"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = yj
        .post(
            &path("verify"),
            json!({"finding": "true", "note": "属实，已责令整改"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The list's totals come from the tally the triggers keep through every move.
    assert_eq!(office.get("/api/v1/reports").await.body["total"], 2);
    let r = office.get("/api/v1/reports?status=verified").await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    assert_eq!(
        yj.get("/api/v1/reports?status=verified").await.body["total"],
        1
    );
    assert_eq!(
        office.get("/api/v1/reports?status=received").await.body["total"],
        1
    );
    let r = office.get("/api/v1/reports/stats").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = &r.body;
    assert_eq!(s["total"]["reports"], 2, "{s}");
    assert_eq!(s["total"]["accepted"], 1);
    assert_eq!(s["total"]["verified"], 1);
    assert_eq!(s["total"]["verified_on_time"], 1);
    assert_eq!(s["total"]["verification_rate"], 1.0);
    assert_eq!(s["total"]["on_time_rate"], 1.0);
    assert_eq!(s["by_category"].as_array().unwrap().len(), 2, "{s}");
    assert_eq!(s["by_territory"].as_array().unwrap().len(), 1, "{s}");
    let text = s.to_string();
    assert!(
        !text.contains("某被举报化工企业") && !text.contains("动火"),
        "{s}"
    );
    // The city sees both counties; the department only what was routed to it.
    let r = city.get("/api/v1/reports/stats").await;
    assert_eq!(r.body["total"]["reports"], 3, "{}", r.body);
    assert_eq!(r.body["by_territory"].as_array().unwrap().len(), 2);
    let r = yj.get("/api/v1/reports/stats").await;
    assert_eq!(r.body["total"]["reports"], 1, "{}", r.body);
    // Outside the scope, bad months: 422 naming the field; no reader of reports: 403.
    let r = office.get("/api/v1/reports/stats?region_code=220582").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "region_code"), "{}", r.body);
    let r = office.get("/api/v1/reports/stats?from=last-year").await;
    assert!(field_named(&r.body, "from"), "{}", r.body);
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    assert_eq!(
        leader.get("/api/v1/reports/stats").await.status,
        StatusCode::FORBIDDEN
    );
    let web = app.browser_as(&office.username).await;
    let page = web.get("/reports/stats").await;
    assert!(
        page.body.contains("举报统计") && page.body.contains("100.0%"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("某被举报化工企业"));
}
