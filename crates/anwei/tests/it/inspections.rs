//! Tests of inspections (检查记录, issue 11): the two-officer rule of an enforcement
//! inspection, scope, a leader-led inspection as exactly one duty record with the inspection
//! as its evidence, and hazards registered with an inspection.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::add_enterprise;
use crate::helpers::*;
use anwei::auth::model::Role;

pub const YJ: &str = "220502-YJ";

pub fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

/// A person of `org`, added by the city office; returns the id.
pub async fn person(app: &TestApp, org: &str, name: &str) -> i64 {
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post("/api/v1/persons", json!({"name": name, "org_code": org}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

/// Two officers of the county's 应急局.
pub async fn officers(app: &TestApp) -> (i64, i64) {
    (
        person(app, YJ, "王执法").await,
        person(app, YJ, "赵执法").await,
    )
}

pub async fn inspect(api: &Api, body: Value) -> Resp {
    api.post("/api/v1/inspections", body).await
}

#[tokio::test]
async fn an_enforcement_inspection_needs_two_officers_of_the_inspecting_organisation() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000101", "东昌某化工", "C26").await;
    let (a, b) = officers(&app).await;
    let stranger = person(&app, "220502-ZF", "钱某").await;
    let yj = app.api_as(Role::Department, YJ).await;
    let base = json!({"kind": "enforcement", "enterprise_id": e, "date": day(0),
                      "checked": "动火作业审批、可燃气体报警", "officers": [a]});
    let r = inspect(&yj, base.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["officers"].is_string(), "{}", r.body);
    // The same officer twice is still one officer.
    let mut twice = base.clone();
    twice["officers"] = json!([a, a]);
    let r = inspect(&yj, twice).await;
    assert!(r.body["fields"]["officers"].is_string(), "{}", r.body);
    // Someone of another organisation is no officer of this one.
    let mut other = base.clone();
    other["officers"] = json!([a, stranger]);
    let r = inspect(&yj, other).await;
    assert!(r.body["fields"]["officers"].is_string(), "{}", r.body);
    let mut future = base.clone();
    future["officers"] = json!([a, b]);
    future["date"] = json!(day(1));
    future["kind"] = json!("patrol");
    let r = inspect(&yj, future).await;
    assert!(r.body["fields"]["date"].is_string(), "{}", r.body);
    assert!(r.body["fields"]["kind"].is_string(), "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM inspection").await, 0);
    let mut good = base.clone();
    good["officers"] = json!([a, b]);
    let r = inspect(&yj, good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["officers"].as_array().map(Vec::len), Some(2));
    assert_eq!(r.body["inspection"]["kind"], "enforcement");
    assert_eq!(
        r.body["activity_id"],
        Value::Null,
        "no leader, no duty record"
    );
    assert_eq!(app.audit_count("inspection.create", "ok").await, 1);
    // A routine inspection with one officer is fine.
    let r = inspect(
        &yj,
        json!({"kind": "routine", "enterprise_id": e, "date": day(0), "checked": "消防通道", "officers": [a]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let list = yj.get(&format!("/api/v1/inspections?enterprise={e}")).await;
    assert_eq!(list.body["total"], 2, "{}", list.body);
}

#[tokio::test]
async fn inspections_keep_to_scope_and_to_ones_own_organisation() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000102", "东昌某厂", "C30").await;
    let (a, _) = officers(&app).await;
    let body = json!({"kind": "routine", "enterprise_id": e, "date": day(0), "checked": "x", "officers": [a]});
    // Another county's department does not see the enterprise.
    let ji_an = app.api_as(Role::Department, "220582-YJ").await;
    assert_eq!(
        inspect(&ji_an, body.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    // A department records its own inspections only.
    let zj = app.api_as(Role::Department, "220502-ZJ").await;
    let mut for_yj = body.clone();
    for_yj["org_code"] = json!(YJ);
    assert_eq!(
        inspect(&zj, for_yj.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    // The office records for an organisation in its scope.
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = inspect(&office, for_yj).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["inspection"]["org_code"], YJ);
    let id = r.body["inspection"]["id"].as_i64().expect("id");
    // Enterprises and the discipline role record none.
    let ent = app.api_as(Role::Enterprise, "220502-ZF").await;
    assert_eq!(
        inspect(&ent, body.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    // Reading is scoped like the enterprise.
    assert_eq!(
        ji_an.get(&format!("/api/v1/inspections/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ji_an.get("/api/v1/inspections").await.body["total"], 0);
    assert_eq!(
        zj.get(&format!("/api/v1/inspections/{id}")).await.status,
        StatusCode::OK
    );
    // Only the inspecting organisation (or the office) adds the hazards it found.
    let h = json!({"description": "消防通道堵塞", "grade": "general"});
    let r = zj
        .post(&format!("/api/v1/inspections/{id}/hazards"), h.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let yj = app.api_as(Role::Department, YJ).await;
    let r = yj
        .post(&format!("/api/v1/inspections/{id}/hazards"), h)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["inspection_id"], id);
    assert_eq!(r.body["source"], "inspection");
    assert_eq!(r.body["enterprise_id"], e);
    let d = yj.get(&format!("/api/v1/inspections/{id}")).await;
    assert_eq!(
        d.body["hazards"].as_array().map(Vec::len),
        Some(1),
        "{}",
        d.body
    );
    // A hazard cannot claim an inspection of another enterprise.
    let other = add_enterprise(&county, "91220502MA0000103", "东昌另一厂", "C30").await;
    let r = yj
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": other, "description": "x", "grade": "general", "inspection_id": id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["inspection_id"].is_string(), "{}", r.body);
}

async fn led_records(api: &Api, date: &str) -> Vec<Value> {
    let r = api
        .get("/api/v1/activities?org=220502-DW&kind=led_inspection")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|a| a["date"] == date)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_leader_led_inspection_is_exactly_one_duty_record_with_the_inspection_as_evidence() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000104", "东昌某危化品仓库", "G59").await;
    let (a, b) = officers(&app).await;
    let dw = app.api_as(Role::Territory, "220502-DW").await;
    let secretary = position_id(&dw, "220502-DW", "principal", 0).await;
    let yj = app.api_as(Role::Department, YJ).await;
    let today = day(0);
    let r = inspect(
        &yj,
        json!({"kind": "enforcement", "enterprise_id": e, "date": today, "checked": "危化品储存",
               "officers": [a, b], "leader_position": secretary}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let inspection = r.body["inspection"]["id"].as_i64().expect("id");
    let activity = r.body["activity_id"].as_i64().expect("a duty record");
    let records = led_records(&dw, &today).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["id"], activity);
    let got = dw.get(&format!("/api/v1/activities/{activity}")).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.body["activity"]["kind"], "led_inspection");
    assert_eq!(got.body["activity"]["led_by_position_id"], secretary);
    assert_eq!(
        got.body["activity"]["inspection_id"], inspection,
        "its evidence link"
    );
    // Typing the same inspection in by hand is refused: one inspection counts once.
    let typed = crate::duties::record(
        &dw,
        "220502-DW",
        "led_inspection",
        &today,
        "书记带队检查",
        Some(secretary),
    )
    .await;
    assert_eq!(typed.status, StatusCode::CONFLICT, "{}", typed.body);
    assert_eq!(led_records(&dw, &today).await.len(), 1);
    // A record typed by hand before the inspection was entered is taken over, not doubled.
    let yesterday = day(-1);
    let typed = crate::duties::record(
        &dw,
        "220502-DW",
        "led_inspection",
        &yesterday,
        "书记检查企业",
        Some(secretary),
    )
    .await;
    assert_eq!(typed.status, StatusCode::CREATED, "{}", typed.body);
    let typed_id = typed.body["id"].as_i64().expect("id");
    let r = inspect(
        &yj,
        json!({"kind": "routine", "enterprise_id": e, "date": yesterday, "checked": "安全管理制度",
               "officers": [a], "leader_position": secretary}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["activity_id"], typed_id);
    let records = led_records(&dw, &yesterday).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["inspection_id"], r.body["inspection"]["id"]);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity WHERE inspection_id IS NOT NULL")
            .await,
        2
    );
    // A position out of the recorder's scope is refused, naming the field.
    let ji_an_dw = app.api_as(Role::Territory, "220582-DW").await;
    let far = position_id(&ji_an_dw, "220582-DW", "principal", 0).await;
    let r = inspect(
        &yj,
        json!({"kind": "routine", "enterprise_id": e, "date": today, "checked": "x",
               "officers": [a], "leader_position": far}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body["fields"]["leader_position"].is_string(),
        "{}",
        r.body
    );
}
