//! Tests of accident investigations (事故调查, issue 12): the lead level by grade, the report due
//! 60 days from the accident, extensions of at most 60 days decided by someone other than the
//! requester, the report and its approval (15 days; 30 for 特别重大), overdue, read-only 纪检监察.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

/// An accident `days_ago` days ago with `deaths` deaths; its id.
async fn accident(app: &TestApp, api: &Api, deaths: i64, days_ago: i64) -> i64 {
    let at = (Utc::now() - Duration::days(days_ago)).with_timezone(&anwei::time::tz());
    let r = api
        .post(
            "/api/v1/accidents",
            json!({"occurred_at": at.to_rfc3339(), "region_code": "220502", "unit_name": "东昌某矿",
                   "type": "collapse", "deaths": deaths, "serious_injuries": 0, "missing": 0,
                   "direct_loss_yuan": 0, "summary": "冒顶"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let _ = app;
    r.body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_investigation_runs_to_its_deadlines_and_nobody_decides_their_own_request() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let other = app.api_as(Role::Office, "220500-AWB").await;
    let discipline = app.api_as(Role::Discipline, "220500-JW").await;
    let id = accident(&app, &county, 3, 61).await;
    let url = format!("/api/v1/accidents/{id}/investigation");
    let r = office.get(&url).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = office.post(&url, json!({"team": [{"name": ""}]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("team").is_some(), "{}", r.body);
    let r = county.post(&url, json!({"team": [{"name": "赵六"}]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let team = json!({"team": [{"name": "赵六", "organisation": "市应急管理局", "role": "组长"},
                               {"name": "钱七", "organisation": "市公安局", "role": "成员"}]});
    let r = office.post(&url, team.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["lead_level"], "city", "较大事故: the city leads");
    assert_eq!(r.body["team"].as_array().unwrap().len(), 2);
    let occurred = anwei::time::today() - Duration::days(61);
    let due = occurred + Duration::days(60);
    assert_eq!(r.body["report_due"], due.to_string());
    assert_eq!(r.body["overdue"], true, "61 days on: {}", r.body);
    let r = office.post(&url, team).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Extension: at most 60 days in all, never decided by the requester.
    let ext = format!("{url}/extension");
    let r = office
        .post(&ext, json!({"days": 61, "reason": "技术鉴定"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("days").is_some(), "{}", r.body);
    let r = office
        .post(&ext, json!({"days": 40, "reason": "技术鉴定"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["requested_days"], 40);
    let r = office
        .post(&ext, json!({"days": 10, "reason": "再延"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one pending at a time");
    let r = office
        .post(&format!("{ext}/decision"), json!({"approve": true}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        app.audit_count("investigation.extension_decide", "denied")
            .await,
        1
    );
    let r = other
        .post(&format!("{ext}/decision"), json!({"approve": true}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["extension_days"], 40);
    assert_eq!(r.body["report_due"], (due + Duration::days(40)).to_string());
    assert_eq!(r.body["overdue"], false);
    let r = office
        .post(&ext, json!({"days": 21, "reason": "再延"}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "20 days are left: {}",
        r.body
    );

    // Report, then approval by someone other than the submitter, due 15 days on.
    let r = office
        .post(
            &format!("{url}/report"),
            json!({"summary": "", "findings": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = office
        .post(
            &format!("{url}/report"),
            json!({"summary": "冒顶事故调查报告", "findings": "矿长负主要责任"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "reported");
    let today = anwei::time::today();
    assert_eq!(
        r.body["approval_due"],
        (today + Duration::days(15)).to_string()
    );
    let r = office.post(&format!("{url}/approval"), json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = discipline.post(&format!("{url}/approval"), json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = other.post(&format!("{url}/approval"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "approved");
    let r = other.post(&format!("{url}/approval"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = discipline.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["findings"], "矿长负主要责任");
}

#[tokio::test]
async fn the_lead_and_the_approval_follow_the_grade() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let other = app.api_as(Role::Office, "220500-AWB").await;
    for (deaths, level, approval_days) in [
        (1, "county", 15),
        (10, "province", 15),
        (30, "state_council", 30),
    ] {
        let id = accident(&app, &county, deaths, 0).await;
        let url = format!("/api/v1/accidents/{id}/investigation");
        let r = office.post(&url, json!({"team": [{"name": "赵六"}]})).await;
        assert_eq!(r.body["lead_level"], level, "{}", r.body);
        assert_eq!(r.body["overdue"], false);
        let r = other
            .post(
                &format!("{url}/report"),
                json!({"summary": "报告", "findings": "认定"}),
            )
            .await;
        let due = anwei::time::today() + Duration::days(approval_days);
        assert_eq!(r.body["approval_due"], due.to_string(), "{}", r.body);
    }
}
