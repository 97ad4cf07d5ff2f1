//! Tests of technical appraisal in an investigation (技术鉴定, issue 12): each period's days
//! (both ends included) move the report's due date by exactly those days; only the office that
//! opened the investigation records them, inside its life; bad input is named; the page shows
//! them and takes them.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

fn period(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Value {
    json!({"starts_on": from.to_string(), "ends_on": to.to_string(),
           "subject": "塔吊结构件断裂原因", "appraiser": "省特种设备检验研究院"})
}

#[tokio::test]
async fn appraisal_days_move_the_due_date_exactly_and_only_the_opener_records_them() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let other_county = app.api_as(Role::Office, "220503-AWB").await;
    let today = anwei::time::today();
    let at = (chrono::Utc::now() - Duration::days(30)).with_timezone(&anwei::time::tz());
    let r = county
        .post(
            "/api/v1/accidents",
            json!({"occurred_at": at.to_rfc3339(), "region_code": "220502", "unit_name": "东昌某建筑",
                   "type": "lifting", "deaths": 3, "serious_injuries": 0, "missing": 0,
                   "direct_loss_yuan": 0, "summary": "塔吊倒塌"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let occurred = at.date_naive();
    let url = format!("/api/v1/accidents/{id}/investigation");
    let appraisals = format!("{url}/appraisals");
    // Before an investigation is open there is nothing to record it on.
    let r = city.post(&appraisals, period(today, today)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let team = json!({"team": [{"name": "赵六", "organisation": "市应急管理局", "role": "组长"}]});
    let r = city.post(&url, team).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let due0 = occurred + Duration::days(60);
    assert_eq!(r.body["report_due"], due0.to_string());
    assert_eq!(r.body["appraisal_days"], 0);
    // Opened twenty days ago, for the periods below.
    let opened = today - Duration::days(20);
    app.exec(&format!(
        "UPDATE investigation SET opened_on = '{opened}' WHERE accident_id = {id}"
    ))
    .await;

    // Five days (both ends included): due five days later, exactly.
    let r = city
        .post(
            &appraisals,
            period(today - Duration::days(15), today - Duration::days(11)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["appraisal_days"], 5, "{}", r.body);
    assert_eq!(r.body["report_due"], (due0 + Duration::days(5)).to_string());
    assert_eq!(r.body["appraisals"][0]["days"], 5);
    assert_eq!(r.body["appraisals"][0]["appraiser"], "省特种设备检验研究院");
    // One day more: six in all.
    let r = city.post(&appraisals, period(today, today)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = city.get(&url).await;
    assert_eq!(r.body["appraisal_days"], 6, "{}", r.body);
    assert_eq!(r.body["report_due"], (due0 + Duration::days(6)).to_string());
    assert_eq!(app.audit_count("investigation.appraisal", "ok").await, 2);

    // Bad input, each field named; nothing recorded.
    let bad = |k: &str, v: Value| {
        let mut p = period(today - Duration::days(5), today - Duration::days(4));
        p[k] = v;
        p
    };
    for (body, field) in [
        (bad("starts_on", json!("2026-02-30")), "starts_on"),
        (bad("ends_on", json!("明天")), "ends_on"),
        (
            bad("ends_on", json!((today - Duration::days(6)).to_string())),
            "ends_on",
        ),
        (bad("subject", json!(" ")), "subject"),
        (bad("appraiser", json!("")), "appraiser"),
        // Before the investigation was opened, after today, overlapping a period recorded.
        (period(opened - Duration::days(1), opened), "starts_on"),
        (
            period(today + Duration::days(1), today + Duration::days(2)),
            "starts_on",
        ),
        (
            period(today - Duration::days(12), today - Duration::days(8)),
            "starts_on",
        ),
    ] {
        let r = city.post(&appraisals, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(r.body["fields"].get(field).is_some(), "{body}: {}", r.body);
    }
    // Who: the county's government may not manage investigations (403); the county's office
    // sees the accident but did not open the investigation (403, audited); another county's
    // office does not see the accident at all (404).
    let ok = period(today - Duration::days(3), today - Duration::days(2));
    let r = county.post(&appraisals, ok.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = county_office.post(&appraisals, ok.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = other_county.post(&appraisals, ok.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(
        app.audit_count("investigation.appraisal", "denied").await,
        3
    );
    let r = city.get(&url).await;
    assert_eq!(r.body["appraisal_days"], 6, "nothing more recorded");

    // Once the report is in, the investigation's life is over: 409.
    let r = city
        .post(
            &format!("{url}/report"),
            json!({"summary": "塔吊标准节螺栓断裂", "findings": "施工单位负主要责任"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = city.post(&appraisals, ok).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

#[tokio::test]
async fn the_investigation_page_shows_and_takes_an_appraisal() {
    let app = spawn_app().await;
    app.create_user("inv_office", Role::Office, "220500-AWB")
        .await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let at = (chrono::Utc::now() - Duration::days(2)).with_timezone(&anwei::time::tz());
    let r = city
        .post(
            "/api/v1/accidents",
            json!({"occurred_at": at.to_rfc3339(), "region_code": "220502", "unit_name": "东昌某化工",
                   "type": "vessel_explosion", "deaths": 1, "serious_injuries": 0, "missing": 0,
                   "direct_loss_yuan": 0, "summary": "反应釜爆炸"}),
        )
        .await;
    let id = r.body["id"].as_i64().unwrap();
    let web = app.browser_as("inv_office").await;
    let page = format!("/accidents/{id}/investigation");
    let p = web
        .post_form(&page, &[("team", "赵六，市应急管理局，组长")])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = web.get(&page).await;
    assert!(p.body.contains("id=\"appraisal-form\""), "{}", p.body);
    let due0 = at.date_naive() + Duration::days(60);
    assert!(p.body.contains(&due0.to_string()));
    let today = anwei::time::today().to_string();
    // A bad end re-renders the form with the message and what was typed.
    let bad = [
        ("starts_on", today.as_str()),
        ("ends_on", "2000-01-01"),
        ("subject", "反应釜材质"),
        ("appraiser", "市质检院"),
    ];
    let p = web.post_form(&format!("{page}/appraisals"), &bad).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"ends_on-err\""), "{}", p.body);
    assert!(p.body.contains("市质检院"));
    let good = vec![
        ("starts_on", today.as_str()),
        ("ends_on", today.as_str()),
        ("subject", "反应釜材质"),
        ("appraiser", "市质检院"),
    ];
    let p = web.post_form(&format!("{page}/appraisals"), &good).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = web.get(&page).await;
    assert!(p.body.contains("id=\"appraisals\""), "{}", p.body);
    assert!(p.body.contains("市质检院"));
    let due1 = due0 + Duration::days(1);
    assert!(p.body.contains(&due1.to_string()), "due moved by a day");
}
