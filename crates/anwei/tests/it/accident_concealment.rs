//! Tests of concealment cases (疑似瞒报案件, issue 12): a case is listed one level up and only
//! that office verifies it; each outcome (瞒报 creates the accident, 谎报 keeps both figures and
//! escalates, 漏报 names the missing contents, 不属实 closes); scope; a case opened from a
//! verified public report, linked, whose verified deaths feed the reward; bad input named.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

const CITY: &str = "220500-AWB";
const COUNTY: &str = "220502-AWB";
const OTHER_COUNTY: &str = "220503-AWB";

fn ago(minutes: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(minutes))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

fn lead() -> Value {
    json!({
        "source": "hospital", "source_note": "市中心医院急诊", "region_code": "220502",
        "unit_name": "东昌某矿业公司", "occurred_at": ago(600),
        "description": "医院收治三名井下作业受伤人员，其中一人死亡，企业未报告", "deaths": 1,
    })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

async fn open(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/concealment-cases", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

fn case_ids(r: &Resp) -> Vec<i64> {
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

/// An accident filed by the county with `deaths` deaths; its id.
async fn reported(app: &TestApp, deaths: i64) -> i64 {
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = county
        .post(
            "/api/v1/accidents",
            json!({"occurred_at": ago(120), "region_code": "220502", "unit_name": "东昌某建筑公司",
                   "type": "collapse", "deaths": deaths, "serious_injuries": 0, "missing": 0,
                   "direct_loss_yuan": 100_000, "summary": "基坑坍塌", "measures": "组织救援"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_county_case_is_supervised_by_the_city_which_alone_verifies_it_as_concealed() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Office, COUNTY).await;
    let city = app.api_as(Role::Office, CITY).await;
    let other = app.api_as(Role::Office, OTHER_COUNTY).await;
    let id = open(&county, lead()).await;
    let path = format!("/api/v1/concealment-cases/{id}");
    let r = county.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "open");
    assert_eq!(
        r.body["may_verify"], false,
        "the county does not verify its own"
    );
    assert_eq!(r.body["alleged_deaths"], 1);
    // Listed one level up: on the city office's supervised list, not on the county's.
    let mine = "/api/v1/concealment-cases?supervised_by_me=true";
    assert_eq!(case_ids(&city.get(mine).await), vec![id]);
    assert!(case_ids(&county.get(mine).await).is_empty());
    assert_eq!(
        case_ids(&county.get("/api/v1/concealment-cases").await),
        vec![id]
    );
    let r = city.get(&path).await;
    assert_eq!(r.body["may_verify"], true, "{}", r.body);
    // Another county: as if missing.
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(case_ids(&other.get("/api/v1/concealment-cases").await).is_empty());
    let verify = format!("{path}/verify");
    let found = json!({"outcome": "concealed", "deaths": 3, "serious_injuries": 2, "missing": 0,
                       "direct_loss_yuan": 2_000_000, "type": "roof_fall", "note": "经调取医院记录和现场核查属实"});
    let r = other.post(&verify, found.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // The county's own office cannot close its case.
    let r = county.post(&verify, found.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM accident").await, 0);
    assert_eq!(app.audit_count("concealment.verify", "denied").await, 2);
    // The city office verifies: the accident is created with the verified facts, flagged.
    let r = city.post(&verify, found.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "verified");
    assert_eq!(r.body["outcome"], "concealed");
    assert_eq!(r.body["verified_grade"], "serious");
    assert_eq!(r.body["concealed_deaths"], 3);
    let aid = r.body["result_accident_id"].as_i64().expect("accident");
    let r = city.get(&format!("/api/v1/accidents/{aid}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["flags"], json!(["concealed"]));
    assert_eq!(r.body["concealment_cases"], json!([id]));
    assert_eq!(r.body["deaths"], 3);
    assert_eq!(r.body["grade"], "serious");
    assert_eq!(r.body["unit_name"], "东昌某矿业公司");
    assert_eq!(r.body["region_code"], "220502");
    // Once only.
    let r = city.post(&verify, found).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM accident").await, 1);
    assert_eq!(app.audit_count("concealment.open", "ok").await, 1);
    assert_eq!(app.audit_count("concealment.verify", "ok").await, 1);
    assert_eq!(app.audit_count("accident.create", "ok").await, 1);
    assert_eq!(app.audit_count("accident.flag", "ok").await, 1);
    // The list filters by status; a city-level case is supervised by the city itself.
    let r = city.get("/api/v1/concealment-cases?status=open").await;
    assert!(case_ids(&r).is_empty(), "{}", r.body);
    let own = open(&city, with(lead(), "region_code", json!("220500"))).await;
    let r = city.get(&format!("/api/v1/concealment-cases/{own}")).await;
    assert_eq!(r.body["may_verify"], true, "{}", r.body);
    let r = city
        .get("/api/v1/concealment-cases?status=open&region_code=220502")
        .await;
    assert!(case_ids(&r).is_empty(), "{}", r.body);
    let r = city
        .post(
            &format!("/api/v1/concealment-cases/{own}/verify"),
            json!({"outcome": "unfounded", "note": "医院记录与该单位无关"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "unfounded");
    assert!(r.body["result_accident_id"].is_null());
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accident_flag").await,
        1
    );
}

#[tokio::test]
async fn a_falsified_report_keeps_both_figures_regrades_and_escalates_the_chain() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Office, COUNTY).await;
    let city = app.api_as(Role::Office, CITY).await;
    let aid = reported(&app, 1).await;
    let lead = json!({"source": "police", "accident_id": aid,
                      "description": "公安掌握死亡四人，企业只报一人"});
    let id = open(&county, lead).await;
    let r = county.get(&format!("/api/v1/concealment-cases/{id}")).await;
    assert_eq!(
        r.body["unit_name"], "东昌某建筑公司",
        "taken from the accident"
    );
    assert_eq!(r.body["region_code"], "220502");
    let verify = format!("/api/v1/concealment-cases/{id}/verify");
    let figures = |deaths: i64| {
        json!({"outcome": "falsified", "deaths": deaths, "serious_injuries": 0, "missing": 0,
               "direct_loss_yuan": 100_000, "note": "公安与医院记录核实"})
    };
    // Not worse than reported: refused naming the figures; a case about a reported accident
    // is not 瞒报.
    let r = city.post(&verify, figures(1)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("deaths").is_some(), "{}", r.body);
    let concealed = with(figures(4), "outcome", json!("concealed"));
    let r = city
        .post(&verify, with(concealed, "type", json!("collapse")))
        .await;
    assert!(r.body["fields"].get("outcome").is_some(), "{}", r.body);
    let r = city.post(&verify, figures(4)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["outcome"], "falsified");
    assert_eq!(r.body["result_accident_id"], aid);
    assert_eq!(r.body["concealed_deaths"], 3);
    let r = city.get(&format!("/api/v1/accidents/{aid}")).await;
    assert_eq!(r.body["flags"], json!(["falsified"]), "{}", r.body);
    assert_eq!(r.body["grade"], "serious");
    assert_eq!(r.body["required_level"], "province");
    let versions = r.body["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "both figures kept");
    assert_eq!(versions[0]["deaths"], 1);
    assert_eq!(versions[0]["grade"], "ordinary");
    assert_eq!(versions[1]["deaths"], 4);
    let hops = r.body["hops"].as_array().expect("hops");
    assert!(
        hops.iter().any(|h| h["to"] == "province"),
        "the chain reaches the province: {hops:?}"
    );
    assert_eq!(r.body["concealment_cases"], json!([id]));
}

#[tokio::test]
async fn an_omission_names_the_missing_contents_and_bad_input_is_named() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Office, COUNTY).await;
    let city = app.api_as(Role::Office, CITY).await;
    let aid = reported(&app, 0).await;
    let id = open(
        &county,
        json!({"source": "inspection", "accident_id": aid, "description": "报告未写已采取措施"}),
    )
    .await;
    let verify = format!("/api/v1/concealment-cases/{id}/verify");
    for (body, field) in [
        (
            json!({"outcome": "omitted", "note": "x"}),
            "missing_contents",
        ),
        (
            json!({"outcome": "omitted", "missing_contents": ["weather"], "note": "x"}),
            "missing_contents",
        ),
        (json!({"outcome": "guessed", "note": "x"}), "outcome"),
        (json!({"outcome": "unfounded", "note": " "}), "note"),
        (
            json!({"outcome": "falsified", "deaths": -1, "serious_injuries": 0, "missing": 0,
                   "direct_loss_yuan": 0, "note": "x"}),
            "deaths",
        ),
        (
            json!({"outcome": "falsified", "deaths": 1, "serious_injuries": 0, "missing": 0, "note": "x"}),
            "direct_loss_yuan",
        ),
    ] {
        let r = city.post(&verify, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(r.body["fields"].get(field).is_some(), "{body}: {}", r.body);
    }
    let r = city
        .post(
            &verify,
            json!({"outcome": "omitted", "missing_contents": ["measures", "unit"], "note": "现场核查"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["missing_contents"], json!(["unit", "measures"]));
    let r = city.get(&format!("/api/v1/accidents/{aid}")).await;
    assert_eq!(r.body["flags"], json!(["omitted"]));
    assert_eq!(r.body["version"], 1, "an omission changes no figures");
    // Opening: every bad field named, Chinese first; nothing saved.
    let future = (chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc3339();
    for (body, field) in [
        (with(lead(), "source", json!("rumour")), "source"),
        (with(lead(), "occurred_at", json!(future)), "occurred_at"),
        (
            with(lead(), "occurred_at", json!("2026-06-01 08:00")),
            "occurred_at",
        ),
        (with(lead(), "region_code", json!("220503")), "region_code"),
        (with(lead(), "region_code", json!("999999")), "region_code"),
        (with(lead(), "deaths", json!(-2)), "deaths"),
        (with(lead(), "deaths", json!("2")), "deaths"),
        (with(lead(), "description", json!("")), "description"),
        (with(lead(), "unit_name", json!("")), "unit_name"),
    ] {
        let r = county.post("/api/v1/concealment-cases", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(r.body["fields"].get(field).is_some(), "{body}: {}", r.body);
    }
    let r = county
        .post(
            "/api/v1/concealment-cases",
            with(lead(), "source", json!("rumour")),
        )
        .await;
    let msg = r.body["fields"]["source"].as_str().unwrap_or_default();
    assert!(msg.starts_with("线索来源"), "{}", r.body);
    let r = county
        .post(
            "/api/v1/concealment-cases",
            with(lead(), "accident_id", json!(999_999)),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Who opens: offices and supervising departments, not territories' governments.
    let zf = app.api_as(Role::Territory, "220502-ZF").await;
    let r = zf.post("/api/v1/concealment-cases", lead()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    open(&yj, lead()).await;
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM concealment_case")
            .await,
        2
    );
    let r = county.get("/api/v1/concealment-cases?status=lost").await;
    assert!(r.body["fields"].get("status").is_some(), "{}", r.body);
}

#[tokio::test]
async fn a_case_opened_from_a_report_is_linked_and_its_verified_deaths_feed_the_reward() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, COUNTY).await;
    let city = app.api_as(Role::Office, CITY).await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let report = |category: &str| {
        json!({"category": category, "description": "某矿上周井下冒顶死了两个人，一直没上报",
               "region_code": "220502", "address": "东昌区某矿", "unit_name": "东昌某矿",
               "anonymous": true})
    };
    let mut ids = Vec::new();
    for category in ["concealment", "major_hazard"] {
        let r = app
            .anon()
            .post("/api/v1/public/reports", report(category))
            .await;
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
        ids.push(id);
    }
    let (rid, hazard_report) = (ids[0], ids[1]);
    let body = json!({"occurred_at": ago(60 * 24 * 5), "deaths": 2});
    let r = yj
        .post(
            &format!("/api/v1/reports/{hazard_report}/concealment-case"),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = yj
        .post(
            &format!("/api/v1/reports/{rid}/concealment-case"),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // One case per report: a second is refused, and nothing more is opened or linked.
    let again = yj
        .post(&format!("/api/v1/reports/{rid}/concealment-case"), body)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM concealment_case")
            .await,
        1
    );
    assert_eq!(r.body["source"], "public_report");
    assert_eq!(r.body["report_id"], rid);
    assert_eq!(r.body["region_code"], "220502");
    assert_eq!(r.body["unit_name"], "东昌某矿");
    let case = r.body["id"].as_i64().expect("id");
    let linked = app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM report_link WHERE report_id = {rid} \
             AND kind = 'concealment_case' AND target_id = {case}"
        ))
        .await;
    assert_eq!(linked, 1);
    // Before verification there is nothing to take: the reward names the missing fields.
    let reward = format!("/api/v1/reports/{rid}/reward");
    let r = yj
        .post(&reward, json!({"basis": "concealed_accident"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = city
        .post(
            &format!("/api/v1/concealment-cases/{case}/verify"),
            json!({"outcome": "concealed", "deaths": 3, "serious_injuries": 0, "missing": 0,
                   "direct_loss_yuan": 3_000_000, "type": "roof_fall", "note": "查实瞒报"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // 较大 (3 deaths) × 40,000 per concealed death.
    let r = yj
        .post(&reward, json!({"basis": "concealed_accident"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount_yuan"], json!(120_000), "{}", r.body);
    // What the client sends still wins.
    let r = yj
        .post(
            &reward,
            json!({"basis": "concealed_accident", "grade": "ordinary", "deaths": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount_yuan"], json!(30_000), "{}", r.body);
}
