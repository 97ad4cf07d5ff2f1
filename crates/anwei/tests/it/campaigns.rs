//! Tests of campaigns (大检查, issue 11): who may create one over which region, the checklist
//! and its coverage per department and territory, the two xlsx deliverables of article 十七,
//! and the unlisted-major-hazard rule (按事故对待).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::{add_enterprise, credit_code};
use crate::helpers::*;
use crate::inspections::{YJ, day, inspect, officers};
use anwei::auth::model::Role;

async fn create(api: &Api, body: Value) -> Resp {
    api.post("/api/v1/campaigns", body).await
}

fn window() -> Value {
    json!({"name": "安全生产大检查", "kind": "general_inspection", "start_date": day(-30), "end_date": day(30)})
}

async fn xlsx(app: &TestApp, api: &Api, path: &str) -> Vec<Vec<String>> {
    let res = api
        .client
        .get(app.url(path))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(
        ct,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    sheet(&res.bytes().await.expect("bytes"))
}

#[tokio::test]
async fn a_campaign_is_created_by_a_committee_office_over_its_own_region_only() {
    let app = spawn_app().await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let mut city_wide = window();
    city_wide["region_codes"] = json!(["220500"]);
    let r = create(&county_office, city_wide.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a county office cannot reach the city: {}",
        r.body
    );
    assert_eq!(app.audit_count("campaign.create", "denied").await, 1);
    let mut other_county = window();
    other_county["region_codes"] = json!(["220582"]);
    assert_eq!(
        create(&county_office, other_county).await.status,
        StatusCode::FORBIDDEN
    );
    let yj = app.api_as(Role::Department, YJ).await;
    assert_eq!(create(&yj, window()).await.status, StatusCode::FORBIDDEN);
    let mut bad = window();
    bad["end_date"] = json!(day(-40));
    bad["kind"] = json!("party");
    bad["place_types"] = json!(["castle"]);
    bad["industries"] = json!(["C99"]);
    bad["departments"] = json!(["220502-NOPE"]);
    let r = create(&county_office, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for f in [
        "end_date",
        "kind",
        "place_types",
        "industries",
        "departments",
    ] {
        assert!(r.body["fields"][f].is_string(), "{f}: {}", r.body);
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM campaign").await, 0);
    let r = create(&county_office, window()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = create(&city, city_wide).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A department of the county sees both; one of another county only the city's.
    assert_eq!(
        yj.get("/api/v1/campaigns").await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let ji_an = app.api_as(Role::Department, "220582-YJ").await;
    assert_eq!(
        ji_an.get("/api/v1/campaigns").await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

struct Fixture {
    app: TestApp,
    city: Api,
    yj: Api,
    campaign: i64,
    chem: i64,
    mall: i64,
    officers: (i64, i64),
}

/// The city's campaign over manufacturing and crowded places in 东昌区, with 应急 taking part;
/// three enterprises in its scope (a chemical works, a plastics works, a mall that is a
/// crowded place) and one outside it (an office building).
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let chem = add_enterprise(&county, "91220502MA0000201", "东昌某化工", "C26").await;
    add_enterprise(&county, "91220502MA0000202", "东昌某塑料", "C29").await;
    let r = county
        .post(
            "/api/v1/enterprises",
            json!({"name": "东昌某商场", "credit_code": credit_code("91220502MA0000203"), "region_code": "220502",
                   "industry": "F52", "place_types": ["crowded_place"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["place_types"], json!(["crowded_place"]));
    let mall = r.body["id"].as_i64().expect("id");
    let tower = add_enterprise(&county, "91220502MA0000204", "东昌某写字楼", "L72").await;
    // Place types are set on the enterprise through its own door.
    let r = county
        .send(
            county
                .client
                .put(app.url(&format!("/api/v1/enterprises/{tower}/place-types")))
                .bearer_auth(&county.token)
                .json(&json!({"place_types": ["high_rise", "nonsense"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["place_types"].is_string(), "{}", r.body);
    let r = county
        .send(
            county
                .client
                .put(app.url(&format!("/api/v1/enterprises/{tower}/place-types")))
                .bearer_auth(&county.token)
                .json(&json!({"place_types": "high_rise"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["place_types"], json!(["high_rise"]));
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let mut body = window();
    body["industries"] = json!(["C", "F52"]);
    body["region_codes"] = json!(["220502"]);
    body["departments"] = json!([YJ]);
    let r = create(&city, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let campaign = r.body["id"].as_i64().expect("id");
    let officers = officers(&app).await;
    let yj = app.api_as(Role::Department, YJ).await;
    Fixture {
        app,
        city,
        yj,
        campaign,
        chem,
        mall,
        officers,
    }
}

async fn campaign_inspection(f: &Fixture, enterprise: i64, date: &str) -> Resp {
    inspect(
        &f.yj,
        json!({"kind": "enforcement", "enterprise_id": enterprise, "date": date, "checked": "大检查",
               "officers": [f.officers.0, f.officers.1], "campaign_id": f.campaign}),
    )
    .await
}

#[tokio::test]
async fn the_checklist_is_ticked_off_by_the_campaigns_inspections_with_coverage() {
    let f = fixture().await;
    let path = format!("/api/v1/campaigns/{}", f.campaign);
    let r = f.city.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let names: Vec<&str> = r.body["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(!names.contains(&"东昌某写字楼"), "{names:?}");
    assert_eq!(r.body["coverage"]["total"]["inspected"], 0);
    // Outside the window, or outside the scope: refused, naming the field.
    let r = campaign_inspection(&f, f.chem, &day(-31)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["date"].is_string(), "{}", r.body);
    let county = f.app.api_as(Role::Territory, "220502-ZF").await;
    let tower = county.get("/api/v1/enterprises?q=写字楼").await.body["items"][0]["id"]
        .as_i64()
        .expect("id");
    let r = campaign_inspection(&f, tower, &day(0)).await;
    assert!(r.body["fields"]["campaign_id"].is_string(), "{}", r.body);
    let r = campaign_inspection(&f, f.chem, &day(-2)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A second inspection of the same enterprise ticks nothing more.
    assert_eq!(
        campaign_inspection(&f, f.chem, &day(-1)).await.status,
        StatusCode::CREATED
    );
    let r = f.city.get(&path).await;
    let total = &r.body["coverage"]["total"];
    assert_eq!(
        (total["total"].as_i64(), total["inspected"].as_i64()),
        (Some(3), Some(1)),
        "{}",
        r.body
    );
    let dept = &r.body["coverage"]["by_department"][0];
    assert_eq!(dept["code"], YJ);
    // 应急 supervises the two manufacturers (not the mall): 1 of 2.
    assert_eq!(
        (dept["total"].as_i64(), dept["inspected"].as_i64()),
        (Some(2), Some(1)),
        "{dept}"
    );
    assert_eq!(dept["percent"], 50.0);
    let terr = &r.body["coverage"]["by_territory"][0];
    assert_eq!(terr["code"], "220502");
    assert_eq!(terr["percent"], 33.3);
    let chem = r.body["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .find(|i| i["enterprise_id"] == f.chem)
        .expect("on the checklist")
        .clone();
    assert_eq!(chem["inspected_on"], day(-2), "the first inspection's day");
    // The 责任清单: 应急's share, then the territory's, each with whether inspected.
    let rows = xlsx(
        &f.app,
        &f.city,
        &format!("/api/v1/campaigns/{}/responsibility.xlsx", f.campaign),
    )
    .await;
    assert!(rows[0][0].contains("责任清单"), "{:?}", rows[0]);
    assert_eq!(rows[1][0], "责任单位");
    let body: Vec<&Vec<String>> = rows.iter().skip(2).collect();
    assert_eq!(body.len(), 2 + 3, "{rows:?}");
    let chem_row = body
        .iter()
        .find(|r| r[1] == "行业部门" && r[2] == "东昌某化工")
        .expect("应急's row of the chemical works");
    assert_eq!(
        (chem_row[7].as_str(), chem_row[8].as_str()),
        ("是", day(-2).as_str())
    );
    let mall_row = body
        .iter()
        .find(|r| r[1] == "属地" && r[2] == "东昌某商场")
        .expect("the territory's row of the mall");
    assert_eq!(mall_row[6], "人员密集场所");
    assert_eq!(mall_row[7], "否");
    assert_eq!(
        f.app
            .audit_count("campaign.export_responsibility", "ok")
            .await,
        1
    );
    // Another county's department cannot open the city's campaign's 东昌 checklist rows.
    let ji_an = f.app.api_as(Role::Department, "220582-YJ").await;
    let r = ji_an.get(&path).await;
    assert_eq!(
        r.body["checklist"].as_array().map(Vec::len),
        Some(0),
        "{}",
        r.body
    );
}

async fn major(api: &Api, enterprise: i64) -> Resp {
    api.post(
        "/api/v1/hazards",
        json!({"enterprise_id": enterprise, "description": "涉爆粉尘作业场所未按规定设置泄爆装置",
               "grade": "major", "criterion": "gongmao_2023/3.1", "deadline": day(20)}),
    )
    .await
}

#[tokio::test]
async fn a_major_hazard_a_campaign_inspection_missed_is_handled_as_an_accident() {
    let f = fixture().await;
    let r = campaign_inspection(&f, f.chem, &day(-3)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let earlier = r.body["inspection"]["id"].as_i64().expect("id");
    // Later a major hazard is found there (by the enterprise's county): flagged.
    let county = f.app.api_as(Role::Territory, "220502-ZF").await;
    let r = major(&county, f.chem).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["treat_as_accident"], true, "{}", r.body);
    let flagged = r.body["id"].as_i64().expect("id");
    // The office and the discipline role see the earlier inspection, its day and inspectors.
    for api in [&f.city, &f.app.api_as(Role::Discipline, "220500-AWB").await] {
        let d = api.get(&format!("/api/v1/hazards/{flagged}")).await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
        let u = &d.body["unlisted_by"];
        assert_eq!(u["id"], earlier, "{}", d.body);
        assert_eq!(u["date"], day(-3));
        assert_eq!(u["officers"], json!(["王执法", "赵执法"]));
        assert_eq!(u["campaign_name"], "安全生产大检查");
    }
    let d = county.get(&format!("/api/v1/hazards/{flagged}")).await;
    assert_eq!(d.body["hazard"]["treat_as_accident"], true);
    assert_eq!(
        d.body["unlisted_by"],
        Value::Null,
        "only for the office and discipline"
    );
    let l = f.city.get("/api/v1/hazards?flag=treat_as_accident").await;
    assert_eq!(l.body["total"], 1, "{}", l.body);
    assert_eq!(l.body["items"][0]["id"], flagged);
    assert_eq!(
        f.city.get("/api/v1/hazards?flag=nope").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The hazards deliverable lists it with its status and the flag.
    let rows = xlsx(
        &f.app,
        &f.city,
        &format!("/api/v1/campaigns/{}/hazards.xlsx", f.campaign),
    )
    .await;
    assert_eq!(rows[1][0], "序号");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[2][1], "东昌某化工");
    assert_eq!(rows[2][4], "gongmao_2023/3.1");
    assert_eq!(rows[2][9], "已登记");
    assert_eq!(rows[2][11], "是");
    // The page shows the flag and the earlier inspection to the office.
    let web = f.app.browser_as(&f.city.username).await;
    let page = web.get(&format!("/hazards/{flagged}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"treat-as-accident\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("王执法、赵执法"), "{}", page.body);
    // The filtered list keeps its flag in the export link (and the pager).
    let page = web.get("/hazards?flag=treat_as_accident").await;
    assert!(
        page.body
            .contains("/hazards/export.xlsx?flag=treat_as_accident"),
        "{}",
        page.body
    );
    let page = web.get(&format!("/campaigns/{}", f.campaign)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"export-hazards\""));
}

#[tokio::test]
async fn the_unlisted_rule_spares_what_it_should() {
    let f = fixture().await;
    let county = f.app.api_as(Role::Territory, "220502-ZF").await;
    // An inspection outside any campaign: no flag.
    let plastics = county.get("/api/v1/enterprises?q=塑料").await.body["items"][0]["id"]
        .as_i64()
        .expect("id");
    let r = inspect(
        &f.yj,
        json!({"kind": "routine", "enterprise_id": plastics, "date": day(-3), "checked": "日常检查",
               "officers": [f.officers.0]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = major(&county, plastics).await;
    assert_eq!(r.body["treat_as_accident"], false, "{}", r.body);
    // The campaign inspection that found a major hazard: neither that hazard nor a later one.
    let r = campaign_inspection(&f, f.mall, &day(-3)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["inspection"]["id"].as_i64().expect("id");
    let found =
        f.yj.post(
            &format!("/api/v1/inspections/{id}/hazards"),
            json!({"description": "疏散通道堵塞", "grade": "major", "criterion": "gongmao_2023/3.1",
                   "deadline": day(10)}),
        )
        .await;
    assert_eq!(found.status, StatusCode::CREATED, "{}", found.body);
    assert_eq!(found.body["treat_as_accident"], false, "{}", found.body);
    assert_eq!(found.body["source"], "campaign");
    let r = major(&county, f.mall).await;
    assert_eq!(r.body["treat_as_accident"], false, "{}", r.body);
    // A general hazard after a campaign inspection that found nothing: no flag.
    assert_eq!(
        campaign_inspection(&f, f.chem, &day(-3)).await.status,
        StatusCode::CREATED
    );
    let r = county
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": f.chem, "description": "灭火器过期", "grade": "general"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["treat_as_accident"], false, "{}", r.body);
    // A major hazard found before the campaign inspection: no flag either.
    let r = county
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": f.chem, "description": "重大隐患", "grade": "major",
                   "criterion": "gongmao_2023/3.1", "deadline": day(10), "found_on": day(-5)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["treat_as_accident"], false, "{}", r.body);
    assert_eq!(
        f.city
            .get("/api/v1/hazards?flag=treat_as_accident")
            .await
            .body["total"],
        0
    );
}
