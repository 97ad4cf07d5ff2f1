//! Tests of 分片包保 coverage: the office assigns areas to standing-committee members; the view
//! shows who covers each area, when they last led an inspection there, and flags areas not
//! visited in the quarter.

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const CITY_OFFICE: &str = "220500-AWB";
const CITY_DW: &str = "220500-DW";
const CITY_ZF: &str = "220500-ZF";
const COUNTY_OFFICE: &str = "220502-AWB";
const COUNTY_DW: &str = "220502-DW";
const OTHER_COUNTY_OFFICE: &str = "220503-AWB";

fn today() -> chrono::NaiveDate {
    anwei::time::today()
}

fn this_quarter() -> Period {
    Period::containing(PeriodKind::Quarter, today())
}

async fn assign(api: &Api, pos: i64, kind: &str, code: &str) -> Resp {
    api.post(
        "/api/v1/duties/coverage",
        json!({"position": pos, "area_kind": kind, "area_code": code, "note": ""}),
    )
    .await
}

/// Records an activity (JSON, no evidence: coverage does not need it).
async fn record(
    api: &Api,
    org: &str,
    kind: &str,
    date: &str,
    title: &str,
    pos: i64,
    area: &str,
) -> Resp {
    let r = api
        .post(
            "/api/v1/activities",
            json!({"org_code": org, "kind": kind, "date": date, "title": title,
                   "led_by_position": pos, "area_code": area}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    r
}

async fn view(api: &Api, quarter: Option<&str>) -> Value {
    let path = match quarter {
        Some(q) => format!("/api/v1/duties/coverage?quarter={q}"),
        None => "/api/v1/duties/coverage".to_string(),
    };
    let r = api.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body
}

async fn del(api: &Api, id: i64) -> StatusCode {
    let url = format!("{}/api/v1/duties/coverage/{id}", api.base);
    api.send(api.client.delete(url).bearer_auth(&api.token))
        .await
        .status
}

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().expect("items")
}

fn area<'a>(body: &'a Value, code: &str) -> &'a Value {
    items(body)
        .iter()
        .find(|i| i["area_code"] == code)
        .unwrap_or_else(|| panic!("no area {code} in {body}"))
}

#[tokio::test]
async fn an_assigned_area_is_unvisited_until_its_member_leads_an_inspection_there() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let m1 = position_id(&office, CITY_DW, "standing_member", 0).await;
    let m2 = position_id(&office, CITY_DW, "standing_member", 1).await;
    let r = assign(&office, m1, "region", "220502").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert!(r.body["id"].as_i64().is_some());
    assert_eq!(app.audit_count("coverage.assign", "ok").await, 1);

    let v = view(&office, None).await;
    assert_eq!(v["quarter"], this_quarter().code());
    assert_eq!(items(&v).len(), 1);
    let a = area(&v, "220502");
    assert_eq!(a["area_kind"], "region");
    assert_eq!(a["area_name"], "东昌区");
    assert_eq!(a["covered_by"][0]["position"], m1);
    assert_eq!(a["covered_by"][0]["org_code"], CITY_DW);
    assert!(a["covered_by"][0]["position_title"].is_string());
    assert!(a["last_inspection"].is_null());
    assert_eq!(a["visited_this_quarter"], false);

    // Another member's inspection there, the member's inspection elsewhere, and a study
    // session "there" do not count.
    let day = today().to_string();
    record(
        &office,
        CITY_DW,
        "led_inspection",
        &day,
        "检查甲",
        m2,
        "220502",
    )
    .await;
    record(
        &office,
        CITY_DW,
        "led_inspection",
        &day,
        "检查乙",
        m1,
        "220503",
    )
    .await;
    record(&office, CITY_DW, "study", &day, "学习", m1, "220502").await;
    record(&office, CITY_DW, "led_inspection", &day, "检查丙", m1, "").await;
    let v = view(&office, None).await;
    let a = area(&v, "220502");
    assert!(a["last_inspection"].is_null(), "{a}");
    assert_eq!(a["visited_this_quarter"], false);

    record(
        &office,
        CITY_DW,
        "led_inspection",
        &day,
        "东昌区督导检查",
        m1,
        "220502",
    )
    .await;
    let v = view(&office, None).await;
    let a = area(&v, "220502");
    assert_eq!(a["last_inspection"], day);
    assert_eq!(a["covered_by"][0]["last_inspection"], day);
    assert_eq!(a["visited_this_quarter"], true);

    // The quarter before: today's inspection lies after it, so it is neither dated nor visited
    // there; an inspection dated inside that quarter visits it.
    let last = this_quarter().prev().expect("previous quarter");
    let v = view(&office, Some(&last.code())).await;
    assert_eq!(v["quarter"], last.code());
    let a = area(&v, "220502");
    assert!(a["last_inspection"].is_null());
    assert_eq!(a["visited_this_quarter"], false);
    let then = last.end().to_string();
    record(&office, CITY_DW, "tour", &then, "巡查", m1, "220502").await;
    let v = view(&office, Some(&last.code())).await;
    let a = area(&v, "220502");
    assert_eq!(a["last_inspection"], then);
    assert_eq!(a["visited_this_quarter"], true);
    let v = view(&office, None).await;
    assert_eq!(area(&v, "220502")["last_inspection"], day, "the latest one");

    // A sector: inspections carry `sector:<code>`; unvisited areas come first.
    let r = assign(&office, m2, "sector", "emergency").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let v = view(&office, None).await;
    assert_eq!(
        items(&v)[0]["area_code"],
        "emergency",
        "unvisited first: {v}"
    );
    assert_eq!(items(&v)[0]["area_name"], "应急");
    assert_eq!(items(&v)[1]["area_code"], "220502");
    let en = office.get_lang("/api/v1/duties/coverage", "en").await;
    assert_eq!(
        area(&en.body, "emergency")["area_name"],
        "Emergency management"
    );
    record(
        &office,
        CITY_DW,
        "led_inspection",
        &day,
        "应急领域检查",
        m2,
        "sector:emergency",
    )
    .await;
    let v = view(&office, None).await;
    assert_eq!(area(&v, "emergency")["visited_this_quarter"], true);
    assert_eq!(area(&v, "emergency")["last_inspection"], day);

    // Two members covering one area: the area's date is the latest of theirs.
    let r = assign(&office, m2, "region", "220502").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let v = view(&office, None).await;
    let a = area(&v, "220502");
    assert_eq!(a["covered_by"].as_array().map(Vec::len), Some(2));
    assert_eq!(a["last_inspection"], day);
}

#[tokio::test]
async fn bad_assignments_are_refused_field_by_field() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let m1 = position_id(&office, CITY_DW, "standing_member", 0).await;
    let principal = position_id(&office, CITY_DW, "principal", 0).await;
    let deputy = position_id(&office, CITY_ZF, "deputy", 0).await;
    let gov_principal = position_id(&office, CITY_ZF, "principal", 0).await;

    let field = |r: &Resp, f: &str| {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
        assert!(r.body["fields"][f].is_string(), "field {f}: {:?}", r.body);
    };
    field(
        &assign(&office, m1, "township", "220502").await,
        "area_kind",
    );
    field(&assign(&office, m1, "region", "999999").await, "area_code");
    field(&assign(&office, m1, "region", "").await, "area_code");
    field(&assign(&office, m1, "sector", "picnics").await, "area_code");
    field(
        &assign(&office, deputy, "region", "220502").await,
        "position",
    );
    field(
        &assign(&office, gov_principal, "region", "220502").await,
        "position",
    );
    let r = office
        .post(
            "/api/v1/duties/coverage",
            json!({"position": "x", "area_kind": "region", "area_code": "220502"}),
        )
        .await;
    field(&r, "position");
    let r = assign(&office, 999_999, "region", "220502").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The principal may cover; `sector:` in the code is read as the sector.
    let r = assign(&office, principal, "sector", "sector:housing").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let v = view(&office, None).await;
    assert_eq!(area(&v, "housing")["area_kind"], "sector");
    let again = assign(&office, principal, "sector", "housing").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM coverage_area").await,
        1
    );

    // A retired position no longer covers.
    app.exec(&format!(
        "UPDATE org_position SET retired_at = 1 WHERE id = {m1}"
    ))
    .await;
    field(&assign(&office, m1, "region", "220502").await, "position");

    for q in ["2026", "2026Q5", "2026-10", "q4"] {
        let r = office
            .get(&format!("/api/v1/duties/coverage?quarter={q}"))
            .await;
        field(&r, "quarter");
    }
}

#[tokio::test]
async fn only_the_office_assigns_and_only_within_its_scope() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, CITY_OFFICE).await;
    let city_member = position_id(&city, CITY_DW, "standing_member", 0).await;
    let county_member = position_id(&city, COUNTY_DW, "standing_member", 0).await;

    for role in [Role::Territory, Role::Leader] {
        let api = app.api_as(role, COUNTY_DW).await;
        let r = assign(&api, county_member, "region", "220502").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    assert_eq!(
        assign(&dept, city_member, "region", "220502").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.audit_count("coverage.assign", "denied").await, 3);

    let county = app.api_as(Role::Office, COUNTY_OFFICE).await;
    let r = assign(&county, city_member, "region", "220502").await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a city member is out of scope"
    );
    assert_eq!(app.audit_count("coverage.assign", "denied").await, 4);
    let r = assign(&county, county_member, "region", "220503").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["area_code"].is_string(), "{:?}", r.body);
    let r = assign(&county, county_member, "region", "220500").await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the city is above the county"
    );
    let r = assign(&county, county_member, "region", "220502").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let county_assignment = r.body["id"].as_i64().expect("id");

    let r = assign(&city, city_member, "region", "220503").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let city_assignment = r.body["id"].as_i64().expect("id");

    // Each sees the assignments of the positions in its scope.
    let v = view(&county, None).await;
    assert_eq!(items(&v).len(), 1, "{v}");
    assert_eq!(items(&v)[0]["covered_by"][0]["position"], county_member);
    let v = view(&city, None).await;
    assert_eq!(items(&v).len(), 2, "{v}");
    let leader = app.api_as(Role::Leader, COUNTY_DW).await;
    assert_eq!(items(&view(&leader, None).await).len(), 1, "leaders read");
    let auditor = app.api_as(Role::Auditor, CITY_OFFICE).await;
    let r = auditor.get("/api/v1/duties/coverage").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.api_as(Role::Office, OTHER_COUNTY_OFFICE).await;
    assert!(items(&view(&other, None).await).is_empty());

    // Removal: the office in scope only.
    let territory = app.api_as(Role::Territory, COUNTY_DW).await;
    assert_eq!(
        del(&territory, county_assignment).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(del(&other, county_assignment).await, StatusCode::NOT_FOUND);
    assert_eq!(del(&county, city_assignment).await, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("coverage.remove", "denied").await, 3);
    assert_eq!(
        del(&county, county_assignment).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.audit_count("coverage.remove", "ok").await, 1);
    assert_eq!(del(&county, county_assignment).await, StatusCode::NOT_FOUND);
    assert!(items(&view(&county, None).await).is_empty());
    assert_eq!(del(&city, city_assignment).await, StatusCode::NO_CONTENT);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM coverage_area").await,
        0
    );
}

#[tokio::test]
async fn the_page_shows_coverage_and_the_office_assigns_through_the_form() {
    let app = spawn_app().await;
    app.create_user("cov_office", Role::Office, CITY_OFFICE)
        .await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let m1 = position_id(&office, CITY_DW, "standing_member", 1).await;
    let w = app.browser_as("cov_office").await;

    let p = w.get("/duties/coverage").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("分片包保"));
    assert!(p.body.contains("尚未分配包保区域"));
    assert!(
        p.body
            .contains("method=\"post\" action=\"/duties/coverage\""),
        "the form"
    );
    assert!(
        p.body.contains("常委、组织部部长"),
        "a standing member to choose"
    );
    assert!(
        !p.body.contains("政府主要负责人"),
        "no government positions"
    );
    assert!(
        p.body.contains(&this_quarter().code()),
        "the quarter selector"
    );

    let m1s = m1.to_string();
    let ok = w
        .post_form(
            "/duties/coverage",
            &[
                ("position", &m1s),
                ("area_code", "220502"),
                ("note", "包保东昌区"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(ok.location().starts_with("/duties/coverage"));
    let p = w.get(&ok.location()).await;
    assert!(p.body.contains("包保区域已分配"));
    assert!(p.body.contains("东昌区（220502）"));
    assert!(p.body.contains("本季度未检查"));

    let bad = w
        .post_form(
            "/duties/coverage",
            &[("position", &m1s), ("area_code", "999999")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("未知的地区代码"));
    let none = w
        .post_form(
            "/duties/coverage",
            &[("position", ""), ("area_code", "220502")],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("请选择包保领导"));
    let dup = w
        .post_form(
            "/duties/coverage",
            &[("position", &m1s), ("area_code", "220502")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(dup.body.contains("该领导已包保这个区域"));
    let sector = w
        .post_form(
            "/duties/coverage",
            &[
                ("position", &m1s),
                ("area_code", "sector:emergency"),
                ("quarter", &this_quarter().code()),
            ],
        )
        .await;
    assert_eq!(sector.status, StatusCode::SEE_OTHER, "{}", sector.body);
    assert!(
        sector
            .location()
            .contains(&format!("quarter={}", this_quarter().code()))
    );
    assert_eq!(
        app.scalar_text("SELECT area_kind FROM coverage_area WHERE area_code = 'emergency'")
            .await
            .as_deref(),
        Some("sector")
    );

    record(
        &office,
        CITY_DW,
        "led_inspection",
        &today().to_string(),
        "检查",
        m1,
        "220502",
    )
    .await;
    let p = w.get("/duties/coverage").await;
    assert!(p.body.contains("本季度已检查"));
    assert!(
        p.body.contains("本季度未检查"),
        "the sector is still unvisited"
    );

    let en = w.get("/duties/coverage?lang=en").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("Area coverage"));
    assert!(en.body.contains("Not visited this quarter"));
    assert!(en.body.contains("Emergency management"));

    let id = app
        .scalar_i64("SELECT id FROM coverage_area WHERE area_code = 'emergency'")
        .await;
    let gone = w
        .post_form(&format!("/duties/coverage/{id}/delete"), &[])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM coverage_area").await,
        1
    );
    assert_eq!(app.audit_count("coverage.remove", "ok").await, 1);

    // Others read the page without the form; a bad quarter is a field error.
    app.create_user("cov_dw", Role::Territory, CITY_DW).await;
    let t = app.browser_as("cov_dw").await;
    let p = t.get("/duties/coverage").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("东昌区（220502）"));
    assert!(
        !p.body
            .contains("method=\"post\" action=\"/duties/coverage\"")
    );
    let bad = t.get("/duties/coverage?quarter=2026Q9").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("季度的写法应为"),
        "the message says how to write it"
    );
    let refused = t
        .post_form(
            "/duties/coverage",
            &[("position", &m1s), ("area_code", "220503")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
