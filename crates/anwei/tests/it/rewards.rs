//! Tests of 举报奖励 and of what a report produced: the reward proposed by rule at every
//! boundary, only for a case verified true or partly true; decided by another office account
//! than the proposer; paid once against the payout code only the reporter sees, a wrong code
//! looking like a missing one; the ledger's totals per territory with its budget line and no
//! identity anywhere. Links: `report_links.rs`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "奖励举报人甲乙丙";
const PHONE: &str = "13900005678";

pub struct Case {
    pub app: TestApp,
    pub office: Api,
    pub other_office: Api,
    pub yj: Api,
}

pub async fn case_app() -> Case {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let other_office = app.api_as(Role::Office, "220502-AWB").await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    Case {
        app,
        office,
        other_office,
        yj,
    }
}

/// A named report, accepted, routed to 应急局 and verified with `finding`; its id and receipt.
pub async fn verified(c: &Case, finding: &str) -> (i64, String) {
    let r = c
        .app
        .anon()
        .post(
            "/api/v1/public/reports",
            json!({"category": "major_hazard", "description": "储罐区可燃气体报警器长期失效",
                   "region_code": "220502", "address": "东昌区某路1号", "anonymous": false,
                   "reporter": {"name": NAME, "phone": PHONE}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["receipt_code"]
        .as_str()
        .expect("code")
        .replace(' ', "");
    let id = c.app.scalar_i64("SELECT MAX(id) FROM report").await;
    let step = |s: &str| format!("/api/v1/reports/{id}/{s}");
    assert_eq!(
        c.office.post(&step("accept"), json!({})).await.status,
        StatusCode::OK
    );
    let r = c
        .office
        .post(&step("route"), json!({"department_code": "220502-YJ"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    if !finding.is_empty() {
        let r =
            c.yj.post(
                &step("verify"),
                json!({"finding": finding, "note": "现场核实"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    (id, code)
}

async fn propose(api: &Api, id: i64, body: Value) -> Value {
    let r = api
        .post(&format!("/api/v1/reports/{id}/reward"), body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

#[tokio::test]
async fn the_reward_is_proposed_by_rule_at_every_boundary() {
    let c = case_app().await;
    let (id, _) = verified(&c, "true").await;
    let fine = |y: i64| json!({"basis": "fine", "fine_yuan": y});
    // 15% of the fine, at least 3,000 and at most 300,000 yuan.
    for (fine_yuan, amount, bound) in [
        (19_999, json!(3000), "最低奖励"),
        (20_000, json!(3000), ""),
        (20_001, json!(3000.15), ""),
        (2_000_000, json!(300000), ""),
        (2_000_001, json!(300000), "最高奖励"),
    ] {
        let b = propose(&c.yj, id, fine(fine_yuan)).await;
        assert_eq!(b["amount_yuan"], amount, "{fine_yuan}: {b}");
        assert_eq!(b["rule"], "fine_share", "{b}");
        let text = b["rule_text"].as_str().expect("rule text");
        assert!(text.contains("15%"), "{text}");
        assert_eq!(text.contains("最低奖励"), bound == "最低奖励", "{text}");
        assert_eq!(text.contains("最高奖励"), bound == "最高奖励", "{text}");
    }
    // Per verified concealed death by grade, at most 300,000.
    for (grade, deaths, amount, capped) in [
        ("ordinary", 1, 30_000, false),
        ("ordinary", 10, 300_000, false),
        ("ordinary", 11, 300_000, true),
        ("serious", 2, 80_000, false),
        ("very_serious", 6, 300_000, false),
        ("very_serious", 7, 300_000, true),
        ("extremely_serious", 5, 300_000, false),
        ("extremely_serious", 3, 180_000, false),
        ("extremely_serious", 6, 300_000, true),
    ] {
        let b = propose(
            &c.yj,
            id,
            json!({"basis": "concealed_accident", "grade": grade, "deaths": deaths}),
        )
        .await;
        assert_eq!(b["amount_yuan"], json!(amount), "{grade} × {deaths}: {b}");
        assert_eq!(b["rule"], "per_death");
        let text = b["rule_text"].as_str().expect("rule text");
        assert_eq!(text.contains("最高奖励"), capped, "{text}");
    }
    // Bad input names the field.
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "concealed_accident", "grade": "huge", "deaths": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("grade").is_some() && r.body["fields"].get("deaths").is_some());
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "fine", "fine_yuan": "12.345"}),
        )
        .await;
    assert!(r.body["fields"].get("fine_yuan").is_some(), "{}", r.body);
    assert_eq!(c.app.audit_count("reward.propose", "ok").await, 14);
}

#[tokio::test]
async fn no_reward_for_an_unverified_or_untrue_case() {
    let c = case_app().await;
    let body = json!({"basis": "fine", "fine_yuan": 50000});
    let (unverified, _) = verified(&c, "").await;
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{unverified}/reward"),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.to_string().contains("核查"), "{}", r.body);
    let (untrue, _) = verified(&c, "false").await;
    let r =
        c.yj.post(&format!("/api/v1/reports/{untrue}/reward"), body.clone())
            .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.to_string().contains("不属实"), "{}", r.body);
    let (partly, _) = verified(&c, "partly").await;
    let b = propose(&c.yj, partly, body).await;
    assert_eq!(b["amount_yuan"], json!(7500));
    assert_eq!(
        c.app.scalar_i64("SELECT COUNT(*) FROM report_reward").await,
        1
    );
}

#[tokio::test]
async fn the_decider_is_never_the_proposer_and_the_payout_is_recorded_once_by_code() {
    let c = case_app().await;
    let (id, receipt) = verified(&c, "true").await;
    propose(&c.office, id, json!({"basis": "fine", "fine_yuan": 100000})).await;
    let decide = format!("/api/v1/reports/{id}/reward/decide");
    // The proposer: 403, audited; a department: 403.
    let r = c.office.post(&decide, json!({"decision": "approve"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(c.app.audit_count("reward.decide", "denied").await, 1);
    let r = c.yj.post(&decide, json!({"decision": "approve"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Adjusting needs an amount and a reason.
    let r = c
        .other_office
        .post(&decide, json!({"decision": "adjust"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body["fields"].get("reason").is_some() && r.body["fields"].get("amount_yuan").is_some()
    );
    let r = c
        .other_office
        .post(
            &decide,
            json!({"decision": "adjust", "amount_yuan": 12000, "reason": "举报人提供关键证据，酌情调整"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["approved_yuan"], json!(12000));
    assert_eq!(r.body["amount_yuan"], json!(15000), "the proposal stays");
    // Decided: no new proposal, no second decision.
    let r =
        c.yj.post(
            &format!("/api/v1/reports/{id}/reward"),
            json!({"basis": "fine", "fine_yuan": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The reporter sees the payout code with the receipt code; staff never do.
    let follow = c
        .app
        .anon()
        .get(&format!("/api/v1/public/reports/{receipt}"))
        .await;
    assert_eq!(follow.status, StatusCode::OK, "{}", follow.body);
    assert_eq!(follow.body["reward"]["status"], "approved");
    assert_eq!(follow.body["reward"]["amount_yuan"], json!(12000));
    let payout = follow.body["reward"]["payout_code"]
        .as_str()
        .expect("payout code")
        .to_string();
    let digits = payout.replace(' ', "");
    assert_eq!(digits.len(), 20, "{payout}");
    // The public follow-up page shows it too (the receipt code in the form body).
    let mut w = c.app.web_anon();
    let form = w.get("/report/follow").await;
    w.csrf = extract_csrf(&form.body).expect("a CSRF field");
    let p = w
        .post_form("/report/follow", &[("receipt_code", &receipt)])
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body.contains(&payout),
        "the payout code on the follow-up page"
    );
    // The staff page shows the reward, never the code.
    let page = c.other_office.get(&format!("/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.to_string().contains("reward-approved"),
        "{}",
        page.body
    );
    assert!(!page.body.to_string().contains(&digits[..12]));
    let staff = c.other_office.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(staff.body["reward"]["status"], "approved", "{}", staff.body);
    assert!(
        !staff.body.to_string().contains(&digits[..12]),
        "{}",
        staff.body
    );
    let stored = c
        .app
        .scalar_text("SELECT payout_index || payout_sealed FROM report_reward")
        .await
        .expect("stored");
    assert!(
        !stored.contains(&digits),
        "kept only as an index and sealed"
    );
    // A wrong code and a malformed one: the same 404.
    let mut wrong: Vec<char> = digits.chars().collect();
    wrong[19] = if wrong[19] == '0' { '1' } else { '0' };
    let wrong: String = wrong.into_iter().collect();
    let pay = |code: &str, amount: i64| {
        json!({"payout_code": code, "paid_on": anwei::time::today().to_string(),
               "amount_yuan": amount, "voucher_no": "记-2026-0815"})
    };
    let a = c
        .other_office
        .post("/api/v1/rewards/payouts", pay(&wrong, 12000))
        .await;
    let b = c
        .other_office
        .post("/api/v1/rewards/payouts", pay("1234", 12000))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert_eq!(b.status, StatusCode::NOT_FOUND, "{}", b.body);
    assert_eq!(a.body["error"], b.body["error"]);
    assert_eq!(a.body["message"], b.body["message"]);
    // Another amount than approved: named.
    let r = c
        .other_office
        .post("/api/v1/rewards/payouts", pay(&payout, 15000))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("amount_yuan").is_some(), "{}", r.body);
    // The code as shown (with spaces) pays, once.
    let r = c
        .other_office
        .post("/api/v1/rewards/payouts", pay(&payout, 12000))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "paid");
    assert_eq!(r.body["voucher_no"], "记-2026-0815");
    let r = c
        .other_office
        .post("/api/v1/rewards/payouts", pay(&payout, 12000))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(c.app.audit_count("reward.pay", "ok").await, 1);
    let follow = c
        .app
        .anon()
        .get(&format!("/api/v1/public/reports/{receipt}"))
        .await;
    assert_eq!(follow.body["reward"]["status"], "paid");
    assert!(
        follow.body["reward"]["payout_code"].is_null(),
        "{}",
        follow.body
    );
}

async fn put(api: &Api, path: &str, body: Value) -> StatusCode {
    api.client
        .put(format!("{}{path}", api.base))
        .bearer_auth(&api.token)
        .json(&body)
        .send()
        .await
        .expect("put")
        .status()
}

async fn approve(c: &Case, id: i64, fine_yuan: i64) {
    propose(&c.yj, id, json!({"basis": "fine", "fine_yuan": fine_yuan})).await;
    let r = c
        .office
        .post(
            &format!("/api/v1/reports/{id}/reward/decide"),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn the_ledger_totals_per_territory_with_the_budget_and_no_identity() {
    let c = case_app().await;
    let year = chrono::Datelike::year(&anwei::time::today());
    let (a, receipt_a) = verified(&c, "true").await;
    let (b, _) = verified(&c, "partly").await;
    approve(&c, a, 100_000).await; // 15,000
    approve(&c, b, 10_000).await; // the minimum, 3,000
    let follow = c
        .app
        .anon()
        .get(&format!("/api/v1/public/reports/{receipt_a}"))
        .await;
    let payout = follow.body["reward"]["payout_code"]
        .as_str()
        .expect("code")
        .to_string();
    let r = c
        .office
        .post(
            "/api/v1/rewards/payouts",
            json!({"payout_code": payout, "paid_on": anwei::time::today().to_string(),
                   "amount_yuan": 15000, "voucher_no": "V1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The budget line: in scope only.
    let budget = json!({"year": year, "region_code": "220502", "amount_yuan": 100000});
    assert_eq!(
        put(&c.office, "/api/v1/rewards/budget", budget).await,
        StatusCode::NO_CONTENT
    );
    let outside = json!({"year": year, "region_code": "220582", "amount_yuan": 1});
    assert_eq!(
        put(&c.office, "/api/v1/rewards/budget", outside).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        put(&c.yj, "/api/v1/rewards/budget", json!({})).await,
        StatusCode::FORBIDDEN
    );
    let r = c
        .office
        .get(&format!("/api/v1/rewards/ledger?year={year}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", r.body);
    let line = &items[0];
    assert_eq!(line["region_code"], "220502");
    assert_eq!(line["budget_yuan"], json!(100000));
    assert_eq!(line["approved_count"], 2);
    assert_eq!(line["approved_yuan"], json!(18000));
    assert_eq!(line["paid_count"], 1);
    assert_eq!(line["paid_yuan"], json!(15000));
    assert_eq!(line["outstanding_yuan"], json!(3000));
    assert_eq!(r.body["total"]["outstanding_yuan"], json!(3000));
    // Another year is empty; a department may not read the ledger.
    let r = c
        .office
        .get(&format!("/api/v1/rewards/ledger?year={}", year - 1))
        .await;
    assert_eq!(r.body["items"].as_array().expect("items").len(), 0);
    assert_eq!(
        c.yj.get("/api/v1/rewards/ledger").await.status,
        StatusCode::FORBIDDEN
    );
    let r = c.office.get("/api/v1/rewards/ledger?year=19").await;
    assert!(r.body["fields"].get("year").is_some(), "{}", r.body);
    // No identity in the ledger or its export.
    let r = c.office.get("/api/v1/rewards/ledger").await;
    let text = r.body.to_string();
    assert!(!text.contains(NAME) && !text.contains(PHONE), "{text}");
    let x = c
        .office
        .client
        .get(format!(
            "{}/api/v1/rewards/ledger.xlsx?year={year}",
            c.office.base
        ))
        .bearer_auth(&c.office.token)
        .send()
        .await
        .expect("export");
    assert_eq!(x.status(), StatusCode::OK);
    let rows = sheet(&x.bytes().await.expect("bytes"));
    assert_eq!(rows[1][0], "220502", "{rows:?}");
    assert_eq!(rows[1][4], "18000.00", "{rows:?}");
    assert_eq!(rows[1][7], "3000.00", "{rows:?}");
    let all: String = rows.concat().concat();
    assert!(!all.contains(NAME) && !all.contains(PHONE), "{all}");
    let page = c.office.get("/rewards/ledger").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[test]
fn reward_settings_are_checked_at_start_up_and_configured_amounts_apply() {
    let mut cfg = anwei::config::Config::default();
    assert_eq!(
        cfg.reports.reward,
        anwei_rules::reward::RewardRules::default()
    );
    cfg.reports.reward.fine_min_yuan = 400_000;
    let e = cfg.validate().expect_err("min above max").to_string();
    assert!(e.contains("reports.reward"), "{e}");
    let mut cfg = anwei::config::Config::default();
    cfg.reports.reward.fine_share_bp = 10_001;
    assert!(cfg.validate().is_err());
}

#[tokio::test]
async fn a_configured_rule_is_the_one_proposed() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| {
            c.reports.reward.fine_share_bp = 2000;
            c.reports.reward.fine_min_yuan = 1000;
        }),
    })
    .await;
    let c = Case {
        office: app.api_as(Role::Office, "220502-AWB").await,
        other_office: app.api_as(Role::Office, "220502-AWB").await,
        yj: app.api_as(Role::Department, "220502-YJ").await,
        app,
    };
    let (id, _) = verified(&c, "true").await;
    let b = propose(&c.yj, id, json!({"basis": "fine", "fine_yuan": 10000})).await;
    assert_eq!(b["amount_yuan"], json!(2000), "20% of 10,000: {b}");
    assert!(
        b["rule_text"].as_str().expect("text").contains("20%"),
        "{b}"
    );
}
