//! The staff report page opens a suspected concealment case (疑似瞒报案件) from a verified
//! report alleging a concealed accident (issue 12): the form shows only where it applies, posts
//! to the same use case as the API, names a wrong field on the page again, and links the case.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

/// A public report of `category` in 东昌, accepted, routed to 应急局 and verified true; its id.
async fn verified_report(app: &TestApp, office: &Api, yj: &Api, category: &str) -> i64 {
    let body = json!({"category": category, "description": "某矿上周井下冒顶死了两个人，一直没上报",
                      "region_code": "220502", "address": "东昌区某矿", "unit_name": "东昌某矿",
                      "anonymous": true});
    let r = app.anon().post("/api/v1/public/reports", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let step = |s: &str| format!("/api/v1/reports/{id}/{s}");
    let r = office.post(&step("accept"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = office
        .post(&step("route"), json!({"department_code": "220502-YJ"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = yj
        .post(&step("verify"), json!({"finding": "true", "note": "属实"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

#[tokio::test]
async fn the_report_page_opens_a_concealment_case_where_it_applies() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let rid = verified_report(&app, &office, &yj, "concealment").await;
    let other = verified_report(&app, &office, &yj, "major_hazard").await;
    app.create_user("yj_case", Role::Department, "220502-YJ")
        .await;
    let web = app.browser_as("yj_case").await;
    let page = format!("/reports/{rid}");
    let p = web.get(&page).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("id=\"case-form\""), "{}", p.body);
    // Not for a report about something else.
    let p = web.get(&format!("/reports/{other}")).await;
    assert!(!p.body.contains("id=\"case-form\""));
    // Not for an account that reads reports but may not open cases.
    app.create_user("leader_case", Role::Leader, "220500-AWB")
        .await;
    let leader = app.browser_as("leader_case").await;
    let p = leader.get(&page).await;
    assert!(!p.body.contains("id=\"case-form\""), "{}", p.status);

    // A time in the future: the page again, the field named.
    let future = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&anwei::time::tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let action = format!("/reports/{rid}/concealment-case");
    let p = web
        .post_form(
            &action,
            &[("occurred_at", future.as_str()), ("deaths", "2")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"occurred_at-err\""), "{}", p.body);
    let p = web
        .post_form(
            &action,
            &[("occurred_at", "2026-01-01T08:00"), ("deaths", "两")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"deaths-err\""), "{}", p.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM concealment_case")
            .await,
        0
    );
    // The right one opens the case, linked to the report, and shows it.
    let past = (chrono::Utc::now() - chrono::Duration::days(5))
        .with_timezone(&anwei::time::tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let p = web
        .post_form(&action, &[("occurred_at", past.as_str()), ("deaths", "2")])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let case = app.scalar_i64("SELECT MAX(id) FROM concealment_case").await;
    assert_eq!(p.location(), format!("/accidents/concealment/{case}"));
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM report_link WHERE report_id = {rid} \
             AND kind = 'concealment_case' AND target_id = {case}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT source FROM concealment_case WHERE id = {case}"
        ))
        .await
        .as_deref(),
        Some("public_report")
    );
    assert_eq!(app.audit_count("report.concealment_case", "ok").await, 1);
    // Once opened, the form is not offered again.
    let p = web.get(&page).await;
    assert!(!p.body.contains("id=\"case-form\""));
}
