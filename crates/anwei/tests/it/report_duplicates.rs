//! Tests of 重复举报提示: a handler sees other cases of the same region with the same unit or a
//! much the same description, and never a case outside what it may read.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

async fn file(app: &TestApp, region: &str, unit: &str, description: &str) -> i64 {
    let r = app
        .anon()
        .post(
            "/api/v1/public/reports",
            json!({"category": "major_hazard", "description": description,
                   "region_code": region, "unit_name": unit}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.scalar_i64("SELECT MAX(id) FROM report").await
}

fn ids(body: &Value) -> Vec<i64> {
    body["duplicates"]
        .as_array()
        .expect("duplicates")
        .iter()
        .map(|d| d["id"].as_i64().expect("id"))
        .collect()
}

#[tokio::test]
async fn duplicates_are_suggested_within_the_region_and_the_viewers_reach_only() {
    let app = spawn_app().await;
    let a = file(
        &app,
        "220502",
        "东昌某化工企业",
        "储罐区可燃气体报警器长期失效",
    )
    .await;
    let same_unit = file(&app, "220502", " 东昌某化工 企业", "夜间违规动火作业").await;
    let similar = file(&app, "220502", "", "储罐区的可燃气体报警器长期失效无人管").await;
    let unrelated = file(&app, "220502", "别的单位", "道路运输车辆超载").await;
    // The same words in another county: never suggested.
    let elsewhere = file(
        &app,
        "220582",
        "东昌某化工企业",
        "储罐区可燃气体报警器长期失效",
    )
    .await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office.get(&format!("/api/v1/reports/{a}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let found = ids(&r.body);
    assert!(
        found.contains(&same_unit) && found.contains(&similar),
        "{found:?}"
    );
    assert!(
        !found.contains(&unrelated) && !found.contains(&elsewhere),
        "{found:?}"
    );
    let d = &r.body["duplicates"][0];
    assert_eq!(d["id"], similar, "the most similar first: {}", r.body);
    // A department sees only duplicates routed to it.
    for id in [a, similar] {
        office
            .post(&format!("/api/v1/reports/{id}/accept"), json!({}))
            .await;
    }
    office
        .post(
            &format!("/api/v1/reports/{a}/route"),
            json!({"department_code": "220502-YJ"}),
        )
        .await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let r = yj.get(&format!("/api/v1/reports/{a}")).await;
    assert_eq!(ids(&r.body), Vec::<i64>::new(), "{}", r.body);
    office
        .post(
            &format!("/api/v1/reports/{similar}/route"),
            json!({"department_code": "220502-YJ"}),
        )
        .await;
    let r = yj.get(&format!("/api/v1/reports/{a}")).await;
    assert_eq!(ids(&r.body), vec![similar], "{}", r.body);
    // The page lists them.
    app.create_user("awb_dup", Role::Office, "220502-AWB").await;
    let w = app.browser_as("awb_dup").await;
    let p = w.get(&format!("/reports/{a}")).await;
    assert!(p.body.contains("id=\"duplicates\""), "{}", p.body);
    assert!(p.body.contains(&format!("href=\"/reports/{similar}\"")));
}
