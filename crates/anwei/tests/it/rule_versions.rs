//! Duty rules are judged by the day they applied: an edit or a deactivation never rewrites a
//! closed period, and no period before a rule existed is held to it.

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::duties::{COUNTY_DW, compliance, today};
use crate::helpers::*;

const RULE: &str = "party_study_quarterly";

fn this_quarter() -> Period {
    Period::containing(PeriodKind::Quarter, today())
}

fn terms(min_count: i64, active: bool) -> Value {
    json!({
        "article": 2, "tasks": "2", "holder": "party_committee", "kinds": ["study"],
        "period": "quarter", "min_count": min_count, "evidence_required": true,
        "title_zh": "理论学习中心组每季度至少集中学习安全生产", "title_en": "Study", "active": active
    })
}

async fn put_rule(office: &Api, code: &str, body: Value) {
    let url = format!("{}/api/v1/duties/rules/{code}", office.base);
    let r = office
        .send(
            office
                .client
                .put(url)
                .bearer_auth(&office.token)
                .json(&body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// The rule's item for the county committee in `period`, if it is judged there at all.
async fn item(api: &Api, period: &str, rule: &str) -> Option<Value> {
    let c = compliance(api, period, COUNTY_DW).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    c.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["rule"] == rule)
        .cloned()
}

fn figures(i: &Value) -> (i64, i64, &str) {
    (
        i["required"].as_i64().unwrap_or(-1),
        i["done"].as_i64().unwrap_or(-1),
        i["status"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn a_rule_edit_or_deactivation_never_rewrites_a_closed_period() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, COUNTY_DW).await;
    // A study session last quarter, entered with its minutes at the time.
    let last = this_quarter().prev().expect("previous quarter");
    let day = last.start() + chrono::Duration::days(10);
    let minutes = b"%PDF-1.4\n% study last quarter\n%%EOF\n";
    let date = day.to_string();
    let (ct, body) = multipart_files(
        &[
            ("org_code", COUNTY_DW),
            ("kind", "study"),
            ("date", &date),
            ("title", "上季度学习"),
        ],
        &[("纪要.pdf", minutes)],
    );
    let r = county.post_raw("/api/v1/activities", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let then = day
        .and_hms_opt(4, 0, 0)
        .expect("time")
        .and_utc()
        .timestamp_millis();
    app.exec(&format!(
        "UPDATE activity SET created_at = {then}, evidence_at = {then}, entered_late = FALSE WHERE id = {id}"
    ))
    .await;
    let closed = item(&county, &last.code(), RULE).await.expect("judged");
    assert_eq!(figures(&closed), (1, 1, "met"));

    // Raised to twice a quarter today: this quarter needs two, last quarter stays met.
    put_rule(&office, RULE, terms(2, true)).await;
    let now = item(&county, &this_quarter().code(), RULE)
        .await
        .expect("judged");
    assert_eq!(figures(&now).0, 2, "{now}");
    let closed = item(&county, &last.code(), RULE)
        .await
        .expect("still judged");
    assert_eq!(figures(&closed), (1, 1, "met"), "{closed}");

    // Deactivated today: gone from this quarter on, still there for the closed one.
    put_rule(&office, RULE, terms(2, false)).await;
    assert!(item(&county, &this_quarter().code(), RULE).await.is_none());
    let closed = item(&county, &last.code(), RULE)
        .await
        .expect("still judged");
    assert_eq!(figures(&closed), (1, 1, "met"), "{closed}");
    let kept = app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM duty_rule_history WHERE code = '{RULE}'"
        ))
        .await;
    assert_eq!(
        kept, 1,
        "one record a day: the terms before today's first change"
    );
}

#[tokio::test]
async fn no_period_before_a_rule_existed_is_judged() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, COUNTY_DW).await;
    // The built-in rules are in force since 通安委〔2022〕10号 was issued (2022-05-30).
    let c = compliance(&county, "2021", COUNTY_DW).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(
        c.body["items"].as_array().map(Vec::len),
        Some(0),
        "{}",
        c.body
    );
    let y2022 = item(&county, "2022", RULE).await.expect("judged in 2022");
    assert_eq!(
        y2022["periods"],
        json!(["2022Q2", "2022Q3", "2022Q4"]),
        "{y2022}"
    );
    // A rule the office adds today judges this quarter, not the last one.
    let mut added = terms(1, true);
    added["code"] = json!("party_extra_study");
    let r = office.post("/api/v1/duties/rules", added).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["rule"]["effective_from"],
        today().to_string(),
        "{}",
        r.body
    );
    assert!(
        item(&county, &this_quarter().code(), "party_extra_study")
            .await
            .is_some()
    );
    let last = this_quarter().prev().expect("previous quarter");
    assert!(
        item(&county, &last.code(), "party_extra_study")
            .await
            .is_none()
    );
}
