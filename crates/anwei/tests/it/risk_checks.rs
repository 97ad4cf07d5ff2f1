//! Tests of 风险点排查 (issue 11): a point's check falls due one cycle after its latest check
//! (or the day it was recorded); a check is refused with its field named when its date, result,
//! note or hazard is wrong; a late-entered earlier check never moves the due day back; the
//! overdue list keeps to the caller's scope; the page records a check and re-assesses a point.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::add_enterprise;
use crate::helpers::*;
use anwei::auth::model::Role;

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

async fn point(api: &Api, enterprise: i64, cycle: i64) -> i64 {
    let body = json!({"unit": "储罐区", "hazardous_event": "泄漏", "check_cycle_days": cycle,
                      "method": "LS", "l": 3, "s": 4});
    let r = api
        .post(
            &format!("/api/v1/enterprises/{enterprise}/risk-points"),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

async fn check(api: &Api, id: i64, body: Value) -> Resp {
    api.post(&format!("/api/v1/risk-points/{id}/checks"), body)
        .await
}

/// Moves the point's recording `days` back, as if it had been recorded then.
async fn recorded_days_ago(app: &TestApp, id: i64, days: i64) {
    let ms = chrono::Utc::now().timestamp_millis() - days * 86_400_000;
    app.exec(&format!(
        "UPDATE risk_point SET created_at = {ms} WHERE id = {id}"
    ))
    .await;
}

#[tokio::test]
async fn a_check_moves_the_due_day_one_cycle_after_the_latest_check() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000K01", "东昌某厂", "C26").await;
    let p = point(&county, e, 7).await;
    let r = county.get(&format!("/api/v1/risk-points/{p}")).await;
    assert_eq!(r.body["next_check_on"], day(7));
    assert_eq!(r.body["last_checked_on"], Value::Null);
    assert_eq!(r.body["check_overdue"], false);
    recorded_days_ago(&app, p, 30).await;
    let r = check(
        &county,
        p,
        json!({"checked_on": day(-20), "result": "controlled"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body["checked_by_name"].as_str().is_some());
    let r = county.get(&format!("/api/v1/risk-points/{p}")).await;
    assert_eq!(r.body["last_checked_on"], day(-20));
    assert_eq!(r.body["next_check_on"], day(-13));
    assert_eq!(r.body["check_overdue"], true, "{}", r.body);
    // An earlier check entered late is kept but never moves the due day back.
    let r = check(
        &county,
        p,
        json!({"checked_on": day(-25), "result": "controlled"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = county.get(&format!("/api/v1/risk-points/{p}")).await;
    assert_eq!(r.body["next_check_on"], day(-13));
    // Listed overdue for the county, not for another one.
    let o = county.get("/api/v1/risk/overdue-checks").await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    assert_eq!(o.body["total"], 1);
    assert_eq!(o.body["items"][0]["id"], p);
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    assert_eq!(
        ji_an.get("/api/v1/risk/overdue-checks").await.body["total"],
        0
    );
    assert_eq!(
        check(&ji_an, p, json!({"result": "controlled"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A blank date is today; the point is no longer overdue.
    let r = check(&county, p, json!({"result": "controlled"})).await;
    assert_eq!(r.body["checked_on"], day(0));
    let r = county.get(&format!("/api/v1/risk-points/{p}")).await;
    assert_eq!(r.body["next_check_on"], day(7));
    assert_eq!(r.body["check_overdue"], false);
    assert_eq!(
        county.get("/api/v1/risk/overdue-checks").await.body["total"],
        0
    );
    // A new cycle runs from the last check.
    let r = county
        .patch(
            &format!("/api/v1/risk-points/{p}"),
            json!({"check_cycle_days": 30}),
        )
        .await;
    assert_eq!(r.body["next_check_on"], day(30), "{}", r.body);
    let l = county.get(&format!("/api/v1/risk-points/{p}/checks")).await;
    let days: Vec<&str> = l.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["checked_on"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(days, [day(0), day(-20), day(-25)]);
    assert_eq!(app.audit_count("risk_point.check", "ok").await, 3);
}

#[tokio::test]
async fn a_wrong_check_names_its_field_and_saves_nothing() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000K02", "东昌某厂", "C26").await;
    let other = add_enterprise(&county, "91220502MA0000K03", "东昌另一厂", "C26").await;
    let p = point(&county, e, 30).await;
    let h = county
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": other, "description": "消防通道堵塞", "grade": "general"}),
        )
        .await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.body);
    let elsewhere = h.body["id"].as_i64().expect("hazard");
    let cases = [
        (
            json!({"checked_on": day(1), "result": "controlled"}),
            "checked_on",
        ),
        (
            json!({"checked_on": day(-1), "result": "controlled"}),
            "checked_on",
        ),
        (
            json!({"checked_on": "2026-2-3", "result": "controlled"}),
            "checked_on",
        ),
        (json!({"result": "fine"}), "result"),
        (json!({"result": "hazard_found"}), "note"),
        (
            json!({"result": "controlled", "hazard_id": elsewhere}),
            "hazard_id",
        ),
        (
            json!({"result": "hazard_found", "note": "通道堵塞", "hazard_id": elsewhere}),
            "hazard_id",
        ),
    ];
    for (body, field) in cases {
        let r = check(&county, p, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(
            r.body["fields"].get(field).is_some(),
            "{body}: {field} in {}",
            r.body
        );
    }
    // The hazard found at the point's own enterprise is linked.
    let h = county
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": e, "description": "储罐区静电接地断开", "grade": "general"}),
        )
        .await;
    let own = h.body["id"].as_i64().expect("hazard");
    let r = check(
        &county,
        p,
        json!({"result": "hazard_found", "note": "接地断开", "hazard_id": own}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["hazard_id"], own);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM risk_check").await, 1);
    // A leader reads but never records; a retired point takes no check.
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    assert_eq!(
        check(&leader, p, json!({"result": "controlled"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = county
        .post(
            &format!("/api/v1/risk-points/{p}/retire"),
            json!({"reason": "设备拆除"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        check(&county, p, json!({"result": "controlled"}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        county
            .get("/api/v1/risk/overdue-checks?page=0")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_page_records_a_check_and_re_assesses_a_point() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000K04", "东昌某化工", "C26").await;
    let p = point(&county, e, 7).await;
    app.create_user("check_web", Role::Territory, "220502-ZF")
        .await;
    let w = app.browser_as("check_web").await;
    let page = w.get(&format!("/enterprises/{e}/risk-points")).await;
    assert!(page.body.contains(&format!("id=\"check-form-{p}\"")));
    assert!(page.body.contains(&format!("id=\"assess-form-{p}\"")));
    // A future date comes back on the point's own form, what was typed kept.
    let url = format!("/risk-points/{p}/checks");
    let future = day(3);
    let r = w
        .post_form(
            &url,
            &[
                ("checked_on", &future),
                ("result", "hazard_found"),
                ("note", "阀门渗漏"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("排查日期不能晚于今天"), "{}", r.body);
    assert!(r.body.contains("阀门渗漏"));
    assert!(!r.body.contains("id=\"f-l-err\""), "not on the add form");
    let today = day(0);
    let r = w
        .post_form(&url, &[("checked_on", &today), ("result", "controlled")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w.get(&format!("/enterprises/{e}/risk-points")).await;
    assert!(
        page.body
            .contains(&format!("id=\"next-check-{p}\">{}", day(7))),
        "{}",
        page.body
    );
    // Re-assessed to a graver level from the page: LS 5×5 is 重大.
    let url = format!("/risk-points/{p}/assess");
    let r = w
        .post_form(
            &url,
            &[
                ("method", "LS"),
                ("l", "5"),
                ("s", "9"),
                ("check_cycle_days", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"9\""), "what was typed is kept");
    let r = w
        .post_form(
            &url,
            &[
                ("method", "LS"),
                ("l", "5"),
                ("s", "5"),
                ("check_cycle_days", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let level = app
        .scalar_text(&format!("SELECT level FROM risk_point WHERE id = {p}"))
        .await;
    assert_eq!(level.as_deref(), Some("major"));
    // The overdue page lists a point past its day.
    app.exec(&format!(
        "UPDATE risk_point SET next_check_on = '2020-01-01' WHERE id = {p}"
    ))
    .await;
    let page = w.get("/risk/overdue-checks").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("id=\"overdue-{p}\"")),
        "{}",
        page.body
    );
}
