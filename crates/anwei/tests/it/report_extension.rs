//! Tests of 延期 (issue 13): the department verifying a report asks for more time with a
//! reason; the office approves (the deadline moves by 30 days in the same transaction) or
//! refuses with a note — never the requester; at most one extension by default; shown on the
//! case and used by the deadline sweep.

use reqwest::StatusCode;
use serde_json::json;

use crate::rewards::{case_app, verified};
use anwei::auth::model::Role;

#[tokio::test]
async fn an_extension_is_asked_by_the_handler_and_decided_by_the_office_only() {
    let c = case_app().await;
    let (id, _) = verified(&c, "").await;
    let ask = format!("/api/v1/reports/{id}/extension");
    let decide = format!("/api/v1/reports/{id}/extension/decide");
    let due = (anwei::time::today() + chrono::Days::new(60)).to_string();
    // Only the department handling it asks; a reason is required.
    let r = c
        .office
        .post(&ask, json!({"reason": "现场需第三方检测"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let zj = c.app.api_as(Role::Department, "220502-ZJ").await;
    let r = zj.post(&ask, json!({"reason": "现场需第三方检测"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = c.yj.post(&ask, json!({"reason": " "})).await;
    assert!(r.body["fields"].get("reason").is_some(), "{}", r.body);
    let r =
        c.yj.post(&ask, json!({"reason": "现场需第三方检测", "days": 31}))
            .await;
    assert!(r.body["fields"].get("days").is_some(), "{}", r.body);
    // Nothing pending: nothing to decide.
    let r = c.office.post(&decide, json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = c.yj.post(&ask, json!({"reason": "现场需第三方检测"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["extensions"][0]["status"], "pending");
    assert_eq!(r.body["extensions"][0]["days"], 30);
    assert_eq!(r.body["can_extend"], false);
    // A second request while one is pending: 409.
    let r = c.yj.post(&ask, json!({"reason": "再次申请"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The requester cannot decide; the deadline has not moved.
    let r = c.yj.post(&decide, json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let d = c.office.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(d.body["report"]["verify_due"], due.as_str());
    assert_eq!(d.body["can_decide_extension"], true);
    // Say the deadline is today: the sweep reminds of it.
    let today = anwei::time::today().to_string();
    c.app
        .exec(&format!(
            "UPDATE report SET verify_due = '{today}' WHERE id = {id}"
        ))
        .await;
    let due = today;
    let swept = anwei::reports::deadlines::sweep(&c.app.state)
        .await
        .expect("sweep");
    assert_eq!(swept, 1);
    // The office approves: the deadline moves by 30 days, in the same transaction, and the
    // sweep no longer reminds.
    let r = c.office.post(&decide, json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let moved = (anwei::time::today() + chrono::Days::new(30)).to_string();
    let swept = anwei::reports::deadlines::sweep(&c.app.state)
        .await
        .expect("sweep");
    assert_eq!(swept, 0);
    assert_eq!(r.body["report"]["verify_due"], moved.as_str());
    assert_eq!(r.body["extensions"][0]["status"], "approved");
    assert_eq!(r.body["extensions"][0]["due_before"], due.as_str());
    assert_eq!(r.body["extensions"][0]["due_after"], moved.as_str());
    assert_eq!(c.app.audit_count("report.extension_decide", "ok").await, 1);
    // One extension by default: used up.
    let r = c.yj.post(&ask, json!({"reason": "仍需检测"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The case page shows it.
    let web = c.app.browser_as(&c.office.username).await;
    let page = web.get(&format!("/reports/{id}")).await;
    assert!(page.body.contains("id=\"extensions\""), "{}", page.body);
    assert!(page.body.contains(&moved), "{}", page.body);
}

#[tokio::test]
async fn a_refused_extension_needs_a_note_and_leaves_the_deadline() {
    let c = case_app().await;
    let (id, _) = verified(&c, "").await;
    let due = (anwei::time::today() + chrono::Days::new(60)).to_string();
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/extension"),
            json!({"reason": "人手不足", "days": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let decide = format!("/api/v1/reports/{id}/extension/decide");
    let r = c.office.post(&decide, json!({"approve": false})).await;
    assert!(r.body["fields"].get("note").is_some(), "{}", r.body);
    let r = c
        .office
        .post(
            &decide,
            json!({"approve": false, "note": "理由不充分，按期核查"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["extensions"][0]["status"], "refused");
    assert_eq!(r.body["report"]["verify_due"], due.as_str());
    // A refusal does not use up the allowance: the department may ask again.
    assert_eq!(r.body["can_extend"], false, "the office is not the handler");
    let d = c.yj.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(d.body["can_extend"], true, "{}", d.body);
}
