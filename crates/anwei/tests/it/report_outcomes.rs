//! Tests of what a verified report led to (issue 13): a penalty (行政处罚) linked by number
//! — an accountability outcome with a fine, read through its service — whose fine the reward
//! proposal takes when the client leaves `fine_yuan` out; a hazard registered from a report
//! whose source is `public_report` and which the hazard list's source filter finds; and the
//! rewards proposed, approved and paid in the report statistics, as totals only.

use reqwest::StatusCode;
use serde_json::json;

use crate::hazards::add_enterprise;
use crate::helpers::*;
use crate::rewards::{case_app, verified};
use anwei::auth::model::Role;

/// A 较大 accident of 东昌区 (three deaths) and an organisation's fine of `fine` yuan for it;
/// the outcome's id.
async fn fine_outcome(app: &TestApp, fine: i64) -> i64 {
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let at = (chrono::Utc::now() - chrono::Duration::hours(2))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339();
    let r = county
        .post(
            "/api/v1/accidents",
            json!({"occurred_at": at, "region_code": "220502", "unit_name": "东昌某化工公司",
                   "industry": "C26", "type": "other_explosion", "deaths": 3, "serious_injuries": 0,
                   "missing": 0, "direct_loss_yuan": 0, "summary": "反应釜爆炸"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let accident = r.body["id"].as_i64().expect("id");
    let r = city
        .post(
            &format!("/api/v1/accidents/{accident}/accountability"),
            json!({"subject": "organisation", "name": "东昌某化工公司", "kind": "fine",
                   "fine_yuan": fine, "decided_on": anwei::time::today().to_string(),
                   "document_no": "通应急罚〔2026〕7号"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_linked_penalty_gives_the_reward_its_fine() {
    let c = case_app().await;
    let (id, _) = verified(&c, "true").await;
    let penalty = fine_outcome(&c.app, 1_000_000).await;
    let links = format!("/api/v1/reports/{id}/links");
    // Unknown outcome: 404; the department may not read outcomes: 403.
    let r = c
        .office
        .post(&links, json!({"kind": "penalty", "id": 999_999}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r =
        c.yj.post(&links, json!({"kind": "penalty", "id": penalty}))
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Without a penalty linked, a fine basis still needs the amount.
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "fine"}),
        )
        .await;
    assert!(r.body["fields"].get("fine_yuan").is_some(), "{}", r.body);
    let r = c
        .office
        .post(&links, json!({"kind": "penalty", "id": penalty}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["links"][0]["kind"], "penalty");
    // The reward from the linked fine: 15% of 1,000,000 = 150,000 yuan.
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "fine"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount_yuan"], json!(150000), "{}", r.body);
    // A fine the client gives still wins.
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "fine", "fine_yuan": 100000}),
        )
        .await;
    assert_eq!(r.body["amount_yuan"], json!(15000), "{}", r.body);
    // The staff page offers the link form with the penalty kind.
    let web = c.app.browser_as(&c.office.username).await;
    let page = web.get(&format!("/reports/{id}")).await;
    assert!(page.body.contains("value=\"penalty\""), "{}", page.body);
}

#[tokio::test]
async fn an_outcome_without_a_fine_is_no_penalty() {
    let c = case_app().await;
    let (id, _) = verified(&c, "true").await;
    let penalty = fine_outcome(&c.app, 1_000_000).await;
    let city = c.app.api_as(Role::Office, "220500-AWB").await;
    let accident = c
        .app
        .scalar_i64(&format!(
            "SELECT accident_id FROM accountability WHERE id = {penalty}"
        ))
        .await;
    let r = city
        .post(
            &format!("/api/v1/accidents/{accident}/accountability"),
            json!({"subject": "person", "name": "王五", "kind": "party_discipline",
                   "decided_on": anwei::time::today().to_string(), "document_no": "吉纪〔2026〕5号"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let discipline = r.body["id"].as_i64().expect("id");
    let r = c
        .office
        .post(
            &format!("/api/v1/reports/{id}/links"),
            json!({"kind": "penalty", "id": discipline}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("id").is_some(), "{}", r.body);
}

#[tokio::test]
async fn a_hazard_from_a_report_has_the_public_report_source() {
    let c = case_app().await;
    let (id, _) = verified(&c, "true").await;
    let county = c.app.api_as(Role::Territory, "220502-ZF").await;
    let ent = add_enterprise(&county, "91220502MA0000202", "东昌某储运公司", "G59").await;
    let r = county
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": ent, "description": "检查发现的隐患", "grade": "general"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Even a body naming another source: the report's hazard is a public report's.
    let r = c
        .office
        .post(
            &format!("/api/v1/reports/{id}/hazard"),
            json!({"enterprise_id": ent, "grade": "general", "source": "self_check"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hazard = r.body["id"].as_i64().expect("id");
    let h = c.office.get(&format!("/api/v1/hazards/{hazard}")).await;
    assert_eq!(h.body["hazard"]["source"], "public_report", "{}", h.body);
    let l = c.office.get("/api/v1/hazards?source=public_report").await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    assert_eq!(l.body["total"], 1, "{}", l.body);
    assert_eq!(l.body["items"][0]["id"], hazard);
    let all = c.office.get("/api/v1/hazards").await;
    assert_eq!(all.body["total"], 2, "{}", all.body);
    let r = c.office.get("/api/v1/hazards?source=rumour").await;
    assert!(r.body["fields"].get("source").is_some(), "{}", r.body);
}

#[tokio::test]
async fn the_statistics_count_rewards_proposed_approved_and_paid_without_cases() {
    let c = case_app().await;
    let (paid, receipt) = verified(&c, "true").await;
    let (proposed, _) = verified(&c, "partly").await;
    let propose = |id: i64, fine: i64| {
        (
            format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "fine", "fine_yuan": fine}),
        )
    };
    for (id, fine) in [(paid, 100_000), (proposed, 50_000)] {
        let (url, body) = propose(id, fine);
        let r = c.office.post(&url, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = c
        .other_office
        .post(
            &format!("/api/v1/reports/{paid}/reward/decide"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let follow = c
        .app
        .anon()
        .get(&format!("/api/v1/public/reports/{receipt}"))
        .await;
    let payout = follow.body["reward"]["payout_code"]
        .as_str()
        .expect("payout code")
        .to_string();
    let r = c
        .other_office
        .post(
            "/api/v1/rewards/payouts",
            json!({"payout_code": payout, "paid_on": anwei::time::today().to_string(),
                   "amount_yuan": 15000, "voucher_no": "记-2026-0901"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = c.office.get("/api/v1/reports/stats").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let w = &r.body["total"]["rewards"];
    assert_eq!(w["proposed"], 2, "{}", r.body);
    assert_eq!(w["proposed_yuan"], json!(22500.0), "{}", r.body);
    assert_eq!(w["approved"], 1);
    assert_eq!(w["approved_yuan"], json!(15000.0));
    assert_eq!(w["paid"], 1);
    assert_eq!(w["paid_yuan"], json!(15000.0));
    let cat = &r.body["by_category"][0];
    assert_eq!(cat["key"], "major_hazard");
    assert_eq!(cat["rewards"]["paid"], 1);
    assert_eq!(r.body["by_month"][0]["rewards"]["proposed"], 2);
    // Totals only: no case id, no payout code, no voucher.
    let text = r.body.to_string();
    assert!(
        !text.contains("payout") && !text.contains("记-2026-0901"),
        "{text}"
    );
    assert!(r.body["total"]["rewards"].get("report_id").is_none());
    let web = c.app.browser_as(&c.office.username).await;
    let page = web.get("/reports/stats").await;
    assert!(page.body.contains("奖励兑现"), "{}", page.body);
}
