//! Tests of 转办 (issue 13): a report handed to another territory or department carries the
//! case but not the reporter's identity — the receiving custodian's reveal is refused (403,
//! audited) — unless a custodian holding the identity right includes it with a reason (audited
//! as its own event); the chain is kept and shown; a department transfers only what it was
//! routed; the case leaves the sender's lists and reaches the receiver's.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "转办举报人甲乙丙";
const PHONE: &str = "13900007788";

struct Sides {
    app: TestApp,
    /// 东昌区安委办, a custodian.
    sender: Api,
    /// 东昌区安委办, not a custodian.
    sender_plain: Api,
    /// 集安市安委办, a custodian.
    receiver: Api,
}

async fn sides() -> Sides {
    let app = spawn_app().await;
    let sender = app.api_as(Role::Office, "220502-AWB").await;
    let sender_plain = app.api_as(Role::Office, "220502-AWB").await;
    let receiver = app.api_as(Role::Office, "220582-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    for who in [&sender, &receiver] {
        let r = city
            .post(
                "/api/v1/report-custodians",
                json!({"username": who.username}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
    Sides {
        app,
        sender,
        sender_plain,
        receiver,
    }
}

/// A named report of 东昌区, accepted by its office.
async fn accepted(s: &Sides) -> i64 {
    let r = s
        .app
        .anon()
        .post(
            "/api/v1/public/reports",
            json!({"category": "major_hazard", "description": "跨区经营的危化品仓库违规储存",
                   "region_code": "220502", "anonymous": false,
                   "reporter": {"name": NAME, "phone": PHONE}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = s.app.scalar_i64("SELECT MAX(id) FROM report").await;
    let r = s
        .sender
        .post(&format!("/api/v1/reports/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

#[tokio::test]
async fn a_transfer_without_the_identity_keeps_it_from_the_receiving_custodian() {
    let s = sides().await;
    let id = accepted(&s).await;
    let transfer = format!("/api/v1/reports/{id}/transfer");
    // Fields named; an unknown receiver named.
    let r = s.sender.post(&transfer, json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("to_org").is_some() && r.body["fields"].get("reason").is_some());
    let r = s
        .sender
        .post(
            &transfer,
            json!({"to_org": "999999-XX", "reason": "属地管辖"}),
        )
        .await;
    assert!(r.body["fields"].get("to_org").is_some(), "{}", r.body);
    // To 集安市安委办 without the identity.
    let r = s
        .sender
        .post(
            &transfer,
            json!({"to_org": "220582-AWB", "reason": "仓库实际位于集安市"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["to_org"], "220582-AWB");
    assert!(r.body["report"].is_null(), "the sender no longer sees it");
    // It left the sender's list and reached the receiver's, with the case and the chain.
    assert_eq!(s.sender.get("/api/v1/reports").await.body["total"], 0);
    assert_eq!(
        s.sender.get(&format!("/api/v1/reports/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(s.receiver.get("/api/v1/reports").await.body["total"], 1);
    let d = s.receiver.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["report"]["status"], "accepted");
    assert_eq!(d.body["report"]["region_code"], "220582");
    assert!(d.body.to_string().contains("危化品仓库"));
    assert_eq!(
        d.body["transfers"][0]["to_code"], "220582-AWB",
        "{}",
        d.body
    );
    assert_eq!(d.body["transfers"][0]["from_code"], "220502-AWB");
    assert_eq!(d.body["transfers"][0]["identity_included"], false);
    assert_eq!(d.body["can_reveal"], false);
    assert!(!d.body.to_string().contains(NAME));
    // The receiving custodian cannot reveal: 403 saying why, audited.
    let r = s
        .receiver
        .post(
            &format!("/api/v1/reports/{id}/reveal"),
            json!({"reason": "需联系举报人核实"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.to_string().contains("转办"), "{}", r.body);
    assert_eq!(s.app.audit_count("report.reveal", "denied").await, 1);
    assert_eq!(s.app.audit_count("report.reveal", "ok").await, 0);
    assert_eq!(s.app.audit_count("report.transfer", "ok").await, 1);
    assert_eq!(s.app.audit_count("report.transfer_identity", "ok").await, 0);
    // The receiver routes it to its own department, which sees it.
    let r = s
        .receiver
        .post(
            &format!("/api/v1/reports/{id}/route"),
            json!({"department_code": "220582-YJ"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let yj = s.app.api_as(Role::Department, "220582-YJ").await;
    assert_eq!(yj.get("/api/v1/reports").await.body["total"], 1);
    // The identity is nowhere in clear: not in the chain, not in the audit log.
    let leaked = s
        .app
        .scalar_i64(&format!(
            "SELECT (SELECT COUNT(*) FROM report_transfer WHERE reason LIKE '%{NAME}%' \
             OR identity_reason LIKE '%{NAME}%') + (SELECT COUNT(*) FROM audit_log \
             WHERE detail LIKE '%{NAME}%' OR detail LIKE '%{PHONE}%')"
        ))
        .await;
    assert_eq!(leaked, 0);
}

#[tokio::test]
async fn a_custodian_includes_the_identity_with_a_reason_and_the_receiver_reveals_it() {
    let s = sides().await;
    let id = accepted(&s).await;
    let transfer = format!("/api/v1/reports/{id}/transfer");
    let body = json!({"to_org": "220582-AWB", "reason": "仓库实际位于集安市",
                      "include_identity": true, "identity_reason": "需由集安市联系举报人现场指认"});
    // A reason is required; an office account that is not a custodian: 403, audited.
    let r = s
        .sender
        .post(
            &transfer,
            json!({"to_org": "220582-AWB", "reason": "x", "include_identity": true}),
        )
        .await;
    assert!(
        r.body["fields"].get("identity_reason").is_some(),
        "{}",
        r.body
    );
    let r = s.sender_plain.post(&transfer, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        s.app
            .audit_count("report.transfer_identity", "denied")
            .await,
        1
    );
    assert_eq!(
        s.app
            .scalar_i64("SELECT COUNT(*) FROM report_transfer")
            .await,
        0
    );
    // The custodian includes it: both events audited.
    let r = s.sender.post(&transfer, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(s.app.audit_count("report.transfer", "ok").await, 1);
    assert_eq!(s.app.audit_count("report.transfer_identity", "ok").await, 1);
    let d = s.receiver.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(d.body["transfers"][0]["identity_included"], true);
    assert_eq!(d.body["can_reveal"], true);
    let r = s
        .receiver
        .post(
            &format!("/api/v1/reports/{id}/reveal"),
            json!({"reason": "联系举报人现场指认"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], NAME);
    assert_eq!(s.app.audit_count("report.reveal", "ok").await, 1);
    // The sealed identity was not copied: one sealed value, still the report's own.
    let sealed = s
        .app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM report WHERE identity_sealed LIKE 'v1.%' AND id = {id}"
        ))
        .await;
    assert_eq!(sealed, 1);
}

#[tokio::test]
async fn a_department_transfers_only_what_it_was_routed_and_it_leaves_its_list() {
    let s = sides().await;
    let id = accepted(&s).await;
    let r = s
        .sender
        .post(
            &format!("/api/v1/reports/{id}/route"),
            json!({"department_code": "220502-YJ"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let yj = s.app.api_as(Role::Department, "220502-YJ").await;
    let zj = s.app.api_as(Role::Department, "220502-ZJ").await;
    let transfer = format!("/api/v1/reports/{id}/transfer");
    let body = json!({"to_org": "220502-ZJ", "reason": "属住建领域"});
    // Not routed to 住建局: 404, as if missing.
    assert_eq!(
        zj.post(&transfer, body.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    // A department cannot include the identity.
    let r = yj
        .post(
            &transfer,
            json!({"to_org": "220502-ZJ", "reason": "属住建领域",
                   "include_identity": true, "identity_reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = yj.post(&transfer, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["report"].is_null());
    assert_eq!(yj.get("/api/v1/reports").await.body["total"], 0);
    let d = zj.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["report"]["status"], "verifying");
    assert_eq!(d.body["transfers"][0]["from_code"], "220502-YJ");
    // Back to itself: named.
    let r = zj.post(&transfer, body).await;
    assert!(r.body["fields"].get("to_org").is_some(), "{}", r.body);
    // The office's page shows the chain.
    let web = s.app.browser_as(&s.sender.username).await;
    let page = web.get(&format!("/reports/{id}")).await;
    assert!(page.body.contains("id=\"transfers\""), "{}", page.body);
}
