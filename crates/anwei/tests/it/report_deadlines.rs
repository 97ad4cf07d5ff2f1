//! Tests of 举报时限: the handler list filters the overdue; the daily sweep (a job once per
//! date) reminds the handling department of reports due soon or overdue, in its inbox, never
//! naming the reporter.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "时限测试举报人";

#[tokio::test]
async fn overdue_reports_are_filtered_and_the_department_is_reminded_daily() {
    let app = spawn_app().await;
    let anon = app.anon();
    let body = json!({"category": "violation", "description": "违规动火", "region_code": "220502",
        "anonymous": false, "reporter": {"name": NAME, "phone": "13900005555"}});
    for _ in 0..2 {
        let r = anon.post("/api/v1/public/reports", body.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    for id in [1, 2] {
        office
            .post(&format!("/api/v1/reports/{id}/accept"), json!({}))
            .await;
        let r = office
            .post(
                &format!("/api/v1/reports/{id}/route"),
                json!({"department_code": "220502-YJ"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // Report 1 is past its verification deadline; report 2 is not.
    let yesterday = (anwei::time::today() - chrono::Days::new(1)).to_string();
    app.exec(&format!(
        "UPDATE report SET verify_due = '{yesterday}' WHERE id = 1"
    ))
    .await;
    for who in [&office, &yj] {
        let r = who.get("/api/v1/reports?overdue=true").await;
        assert_eq!(r.body["total"], 1, "{}", r.body);
        assert_eq!(r.body["items"][0]["id"], 1);
        assert_eq!(r.body["items"][0]["overdue"], true);
        assert_eq!(who.get("/api/v1/reports").await.body["total"], 2);
    }
    let r = yj.get("/api/v1/reports?overdue=maybe").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The daily tick enqueues the sweep once per date; the sweep tells 应急局.
    anwei::jobs::tick_cron(&app.state).await.expect("tick");
    anwei::jobs::tick_cron(&app.state).await.expect("tick");
    let date = anwei::time::today();
    let jobs = app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM job WHERE dedup_key = 'reports.sweep:{date}'"
        ))
        .await;
    assert!(jobs <= 1, "one sweep per date: {jobs}");
    assert_eq!(
        anwei::reports::deadlines::sweep(&app.state)
            .await
            .expect("sweep"),
        1
    );
    let inbox = yj.get("/api/v1/notifications").await;
    let text = inbox.body.to_string();
    assert!(text.contains("#1"), "{text}");
    assert!(
        !text.contains(NAME) && !text.contains("13900005555"),
        "{text}"
    );
    assert!(
        !text.contains("违规动火"),
        "no description in a reminder: {text}"
    );
    assert!(app.audit_count("report.remind", "ok").await >= 1);
    // The office is not the handling department: nothing in its inbox about it.
    let r = office.get("/api/v1/notifications").await;
    assert!(!r.body.to_string().contains("#1"), "{}", r.body);
}
