//! Tests of the JSON accident list `GET /api/v1/accidents` (issue 12): scope (a county sees its
//! own, an enterprise its own), each filter — region, grade, reporting status, the 瞒报/谎报/漏报
//! flag, the days of occurrence, the enterprise — paging, bad values named; the list page reads
//! through the same use case.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::{add_enterprise, credit_code};
use crate::helpers::*;
use anwei::auth::model::Role;

fn ago(minutes: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(minutes))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

fn accident(region: &str, unit: &str, deaths: i64) -> Value {
    json!({
        "occurred_at": ago(30), "region_code": region, "unit_name": unit,
        "type": "collapse", "deaths": deaths, "serious_injuries": 0, "missing": 0,
        "direct_loss_yuan": 100_000, "summary": "基坑坍塌", "measures": "组织救援",
    })
}

async fn file(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/accidents", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

/// The ids listed (sorted) and the total, asserting a 200.
async fn ids(api: &Api, query: &str) -> (Vec<i64>, i64) {
    let r = api.get(&format!("/api/v1/accidents{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    let mut v: Vec<i64> = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    v.sort_unstable();
    (v, r.body["total"].as_i64().expect("total"))
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

#[tokio::test]
async fn the_list_keeps_to_scope_and_filters_by_region_grade_days_and_enterprise() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let a1 = file(&county, accident("220502", "东昌甲公司", 1)).await;
    let a2 = file(&county, accident("220502", "东昌乙公司", 3)).await;
    let b1 = file(&ji_an, accident("220582", "集安丙公司", 1)).await;
    let ent = add_enterprise(&county, "91220502MA0000071", "东昌某化工", "C26").await;
    let enterprise = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000071"))
        .await;
    let e1 = file(&enterprise, accident("220502", "", 1)).await;

    // Scope: each county its own, the city all, the enterprise its own only.
    assert_eq!(ids(&county, "").await, (sorted(vec![a1, a2, e1]), 3));
    assert_eq!(ids(&ji_an, "").await, (vec![b1], 1));
    assert_eq!(ids(&office, "").await, (sorted(vec![a1, a2, b1, e1]), 4));
    assert_eq!(ids(&enterprise, "").await, (vec![e1], 1));
    assert_eq!(ids(&enterprise, "?region_code=220502").await, (vec![e1], 1));
    // The items carry the accident as GET /api/v1/accidents/{id} does.
    let r = county.get("/api/v1/accidents?grade=serious").await;
    let item = &r.body["items"][0];
    assert_eq!(item["unit_name"], "东昌乙公司", "{}", r.body);
    assert_eq!(item["deaths"], 3);
    assert_eq!(item["criterion"]["measure"], "deaths");
    assert_eq!(item["open_late"], 0);

    // Region: narrowed inside the scope; another county's region or an unknown code is a 422.
    assert_eq!(ids(&office, "?region_code=220582").await, (vec![b1], 1));
    for (who, q) in [
        (&county, "?region_code=220582"),
        (&county, "?region_code=999999"),
    ] {
        let r = who.get(&format!("/api/v1/accidents{q}")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.body
        );
        assert!(r.body["fields"].get("region_code").is_some(), "{}", r.body);
    }
    // Grade.
    assert_eq!(ids(&office, "?grade=serious").await, (vec![a2], 1));
    assert_eq!(
        ids(&office, "?grade=ordinary").await,
        (sorted(vec![a1, b1, e1]), 3)
    );
    // Enterprise.
    assert_eq!(
        ids(&county, &format!("?enterprise={ent}")).await,
        (vec![e1], 1)
    );
    // Days of occurrence (UTC+8, both ends included): a1 forty days back.
    app.exec(&format!(
        "UPDATE accident SET occurred_at = occurred_at - {} WHERE id = {a1}",
        40 * 86_400_000_i64
    ))
    .await;
    let today = anwei::time::today();
    let day = |n: i64| (today - chrono::Duration::days(n)).to_string();
    assert_eq!(
        ids(&county, &format!("?from={}", day(10))).await,
        (sorted(vec![a2, e1]), 2)
    );
    assert_eq!(
        ids(&county, &format!("?to={}", day(20))).await,
        (vec![a1], 1)
    );
    assert_eq!(
        ids(&county, &format!("?from={}&to={}", day(40), day(40))).await,
        (vec![a1], 1)
    );
    // Paging: the latest first, the total kept.
    let r = office.get("/api/v1/accidents?per_page=2&page=2").await;
    assert_eq!(r.body["total"], 4, "{}", r.body);
    assert_eq!(r.body["per_page"], 2);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["items"][1]["id"], a1, "the oldest last");
}

#[tokio::test]
async fn the_list_filters_by_reporting_status_and_flag_and_names_bad_values() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let a1 = file(&county, accident("220502", "东昌甲公司", 1)).await;
    let a2 = file(&county, accident("220502", "东昌乙公司", 1)).await;
    let a3 = file(&county, accident("220502", "东昌丙公司", 1)).await;
    // a1: an open hop past its limit (迟报); a2: every hop closed; a3: being reported on time.
    let now = anwei::db::now_ms();
    app.exec(&format!(
        "UPDATE accident_hop SET due_at = {} WHERE accident_id = {a1} AND due_at IS NOT NULL",
        now - 60_000
    ))
    .await;
    app.exec(&format!(
        "UPDATE accident_hop SET acknowledged_at = {now}, received_at = COALESCE(received_at, {now}) \
         WHERE accident_id = {a2}"
    ))
    .await;
    assert_eq!(ids(&county, "?status=late").await, (vec![a1], 1));
    assert_eq!(ids(&county, "?status=reported").await, (vec![a2], 1));
    assert_eq!(
        ids(&county, "?status=reporting").await,
        (sorted(vec![a1, a3]), 2)
    );
    let r = county.get("/api/v1/accidents?status=late").await;
    assert_eq!(r.body["items"][0]["open_late"], 1, "{}", r.body);

    // 谎报: a verified case flags a3; the flag filter finds it and nothing else.
    let lead = json!({"source": "police", "accident_id": a3, "description": "公安掌握死亡四人，企业只报一人"});
    let r = county_office.post("/api/v1/concealment-cases", lead).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let case = r.body["id"].as_i64().unwrap();
    let verify = json!({"outcome": "falsified", "deaths": 4, "serious_injuries": 0, "missing": 0,
                        "direct_loss_yuan": 100_000, "note": "公安与医院记录核实"});
    let r = city
        .post(&format!("/api/v1/concealment-cases/{case}/verify"), verify)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(&county, "?flag=falsified").await, (vec![a3], 1));
    assert_eq!(ids(&county, "?flag=concealed").await, (vec![], 0));
    assert_eq!(
        ids(&county, "?flag=falsified&grade=serious").await,
        (vec![a3], 1)
    );

    // Bad values: 422 naming each field, the Chinese message first.
    for (q, field) in [
        ("?grade=minor", "grade"),
        ("?status=closed", "status"),
        ("?flag=hidden", "flag"),
        ("?from=2026-13-01", "from"),
        ("?to=yesterday", "to"),
        ("?from=2026-06-02&to=2026-06-01", "to"),
        ("?enterprise=abc", "enterprise"),
        ("?page=0", "page"),
    ] {
        let r = county.get(&format!("/api/v1/accidents{q}")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.body
        );
        assert!(r.body["fields"].get(field).is_some(), "{q}: {}", r.body);
    }
    let r = county.get("/api/v1/accidents?status=closed").await;
    let msg = r.body["fields"]["status"].to_string();
    assert!(msg.contains("未知的报告状态"), "{msg}");
    // The page reads through the same use case: its filter, and the same 422.
    let mut web = app.web_anon();
    app.create_user("list_reader", Role::Territory, "220502-ZF")
        .await;
    web.login("list_reader", PASSWORD).await;
    let p = web.get("/accidents?status=late").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains(&format!("id=\"accident-{a1}\"")));
    assert!(!p.body.contains(&format!("id=\"accident-{a2}\"")));
    assert!(!p.body.contains(&format!("id=\"accident-{a3}\"")));
    let p = web.get("/accidents?grade=minor").await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An account that may not read accidents: 403.
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = auditor.get("/api/v1/accidents").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
