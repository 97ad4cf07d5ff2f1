//! Tests of orgs: the region tree, data scope, create / rename / retire, and their pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

/// A browser signed in as a new user of this role at this organisation.
async fn web_as(app: &TestApp, role: Role, org: &str) -> Web {
    let name = format!(
        "w{}_{}",
        role.code(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    app.create_user(&name, role, org).await;
    app.browser_as(&name).await
}

fn codes(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["code"].as_str().expect("code").to_string())
        .collect()
}

fn new_dept(code: &str, region: &str) -> Value {
    json!({"code": code, "name": "测试局", "kind": "department", "region_code": region})
}

#[tokio::test]
async fn the_city_office_sees_every_region_and_the_zones_have_internal_codes() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office.get("/api/v1/regions").await;
    assert_eq!(r.status, StatusCode::OK);
    let regions = r.body["items"].as_array().unwrap();
    let mut got: Vec<&str> = regions
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "220500",
            "220500-GW",
            "220500-GX",
            "220502",
            "220503",
            "220521",
            "220523",
            "220524",
            "220581",
            "220582"
        ]
    );
    for z in regions {
        let code = z["code"].as_str().unwrap();
        assert_eq!(
            z["has_gb2260_code"].as_bool().unwrap(),
            !code.contains('-'),
            "{code}"
        );
    }
    let r = office.get("/api/v1/orgs").await;
    let all = codes(&r.body);
    for c in ["220500-DW", "220502-AWB", "220503-DW", "220500-GX-AJ"] {
        assert!(all.contains(&c.to_string()), "{c} listed");
    }
    assert_eq!(r.body["total"].as_u64().unwrap() as usize, all.len());
}

#[tokio::test]
async fn a_territory_user_sees_only_the_orgs_of_their_own_county() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, "220502-AWB").await;
    let r = t.get("/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().unwrap();
    assert!(items.len() > 10, "the county has its organisations");
    for o in items {
        assert_eq!(o["region_code"], "220502", "{o}");
        assert_eq!(o["region_name"], "东昌区");
    }
    let regions = t.get("/api/v1/regions").await;
    let rc: Vec<&str> = regions.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_eq!(rc, ["220502"]);
    // A region filter cannot widen the scope.
    let r = t.get("/api/v1/orgs?region=220503").await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn an_org_outside_the_scope_is_404_and_the_denial_is_audited() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, "220502-AWB").await;
    assert_eq!(app.audit_count("org.read", "denied").await, 0);
    let r = t.get("/api/v1/orgs/220503-DW").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"], "not_found");
    assert_eq!(app.audit_count("org.read", "denied").await, 1);
    // Its positions are hidden the same way.
    let r = t.get("/api/v1/orgs/220503-DW/positions").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("org.read", "denied").await, 2);
    // Inside the scope the same call works.
    let r = t.get("/api/v1/orgs/220502-DW").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["org"]["name"], "中共东昌区委员会");
    // A city-level org is above the county: also outside.
    assert_eq!(
        t.get("/api/v1/orgs/220500-DW").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_enterprise_role_sees_only_its_own_org() {
    let app = spawn_app().await;
    let e = app.api_as(Role::Enterprise, "220502-YJ").await;
    let r = e.get("/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(codes(&r.body), ["220502-YJ"]);
    assert_eq!(e.get("/api/v1/orgs/220502-YJ").await.status, StatusCode::OK);
    assert_eq!(
        e.get("/api/v1/orgs/220502-ZF").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.audit_count("org.read", "denied").await, 1);
    let regions = e.get("/api/v1/regions").await;
    assert_eq!(regions.body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_auditor_cannot_read_organisations_and_each_refusal_is_audited() {
    let app = spawn_app().await;
    let a = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = a.get("/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["error"], "forbidden");
    assert_eq!(app.audit_count("org.list", "denied").await, 1);
    assert_eq!(
        a.get("/api/v1/orgs/220500-DW").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.audit_count("org.read", "denied").await, 1);
    assert_eq!(a.get("/api/v1/regions").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("region.list", "denied").await, 1);
}

#[tokio::test]
async fn the_office_creates_an_organisation_and_the_creation_is_audited() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let before = app.audit_count("org.create", "ok").await;
    let r = office
        .post(
            "/api/v1/orgs",
            json!({"code": "220502-TEST", "name": "东昌区测试局", "kind": "department",
                   "region_code": "220502", "parent_code": "220502-ZF",
                   "supervises_safety": true, "sectors": ["emergency", "housing"], "note": "备注"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let o = &r.body["org"];
    assert_eq!(o["code"], "220502-TEST");
    assert_eq!(o["level"], "county");
    assert_eq!(o["parent_code"], "220502-ZF");
    assert_eq!(o["supervises_safety"], true);
    assert_eq!(o["sectors"], json!(["emergency", "housing"]));
    assert_eq!(o["retired"], false);
    assert_eq!(app.audit_count("org.create", "ok").await, before + 1);
    // It now appears as a child of its parent, and under the supervising filter.
    let p = office.get("/api/v1/orgs/220502-ZF").await;
    assert!(
        p.body["children"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "220502-TEST")
    );
    let sup = office
        .get("/api/v1/orgs?region=220502&supervising=true")
        .await;
    assert!(codes(&sup.body).contains(&"220502-TEST".to_string()));
    let non = office
        .get("/api/v1/orgs?q=%E6%B5%8B%E8%AF%95%E5%B1%80")
        .await; // q=测试局
    assert_eq!(codes(&non.body), ["220502-TEST"]);
}

#[tokio::test]
async fn the_administrator_may_create_and_a_department_user_may_not() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin
        .post("/api/v1/orgs", new_dept("220503-ADM", "220503"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for role in [
        Role::Department,
        Role::Territory,
        Role::Leader,
        Role::Discipline,
        Role::Enterprise,
        Role::Auditor,
    ] {
        let u = app.api_as(role, "220500-YJ").await;
        let code = format!("220503-{}", role.code().to_uppercase());
        let before = app.audit_count("org.create", "denied").await;
        let r = u.post("/api/v1/orgs", new_dept(&code, "220503")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(
            app.audit_count("org.create", "denied").await,
            before + 1,
            "{role:?} denial audited"
        );
        let n = app
            .scalar_i64(&format!("SELECT COUNT(*) FROM org WHERE code = '{code}'"))
            .await;
        assert_eq!(n, 0, "{role:?} created nothing");
    }
}

#[tokio::test]
async fn a_county_office_cannot_create_an_org_in_another_county() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office
        .post("/api/v1/orgs", new_dept("220503-X", "220503"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.create", "denied").await, 1);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM org WHERE code = '220503-X'")
            .await,
        0
    );
    let r = office
        .post("/api/v1/orgs", new_dept("220502-X", "220502"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn a_duplicate_code_is_422_naming_code_and_nothing_is_half_saved() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let orgs = app.scalar_i64("SELECT COUNT(*) FROM org").await;
    let hist = app
        .scalar_i64("SELECT COUNT(*) FROM org_name_history")
        .await;
    let ok = app.audit_count("org.create", "ok").await;
    let r = office
        .post(
            "/api/v1/orgs",
            json!({"code": "220502-YJ", "name": "另一个应急局", "kind": "department", "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["error"], "validation");
    assert_eq!(r.body["fields"]["code"], "该单位代码已存在");
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM org").await, orgs);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM org_name_history")
            .await,
        hist
    );
    assert_eq!(app.audit_count("org.create", "ok").await, ok);
    let yj = office.get("/api/v1/orgs/220502-YJ").await;
    assert_eq!(yj.body["org"]["name"], "东昌区应急管理局");
}

#[tokio::test]
async fn bad_input_on_create_names_each_field() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let orgs = app.scalar_i64("SELECT COUNT(*) FROM org").await;
    let cases = [
        (
            json!({"code": "bad code!", "name": "x", "kind": "department", "region_code": "220502"}),
            "code",
        ),
        (
            json!({"code": "220502-Q", "name": "  ", "kind": "department", "region_code": "220502"}),
            "name",
        ),
        (
            json!({"code": "220502-Q", "name": "x", "kind": "spaceship", "region_code": "220502"}),
            "kind",
        ),
        (
            json!({"code": "220502-Q", "name": "x", "kind": "department", "region_code": "999999"}),
            "region_code",
        ),
        (
            json!({"code": "220502-Q", "name": "x", "kind": "department", "region_code": "220502", "sectors": ["nope"]}),
            "sectors",
        ),
        (
            json!({"code": "220502-Q", "name": "x", "kind": "department", "region_code": "220502", "parent_code": "NO-SUCH"}),
            "parent_code",
        ),
        (
            json!({"code": "220502-Q", "name": "x", "kind": "department", "region_code": "220502", "parent_code": "220503-ZF"}),
            "parent_code",
        ),
        (
            json!({"code": "220502-Q", "name": "x".repeat(101), "kind": "department", "region_code": "220502"}),
            "name",
        ),
    ];
    for (body, field) in cases {
        let r = office.post("/api/v1/orgs", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            r.body["fields"][field].is_string(),
            "{field} named for {body}: {}",
            r.body
        );
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM org").await, orgs);
}

#[tokio::test]
async fn a_rename_keeps_the_old_name_in_the_history() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            "/api/v1/orgs/220502-JT/rename",
            json!({"name": "东昌区交通运输和港航局"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.audit_count("org.rename", "ok").await, 1);
    let g = office.get("/api/v1/orgs/220502-JT").await;
    assert_eq!(g.body["org"]["name"], "东昌区交通运输和港航局");
    let h = g.body["name_history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["name"], "东昌区交通运输和港航局");
    assert!(h[0]["valid_to"].is_null());
    assert_eq!(h[1]["name"], "东昌区交通运输局");
    assert!(h[1]["valid_to"].is_i64(), "the old name's term ended");
    // Positions stay with the org, and its code is unchanged.
    assert_eq!(g.body["org"]["code"], "220502-JT");
    assert_eq!(g.body["positions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_empty_or_unchanged_name_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post("/api/v1/orgs/220502-JT/rename", json!({"name": "   "}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"]["name"], "必填");
    let r = office
        .post(
            "/api/v1/orgs/220502-JT/rename",
            json!({"name": "东昌区交通运输局"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["name"].is_string());
    let g = office.get("/api/v1/orgs/220502-JT").await;
    assert_eq!(g.body["name_history"].as_array().unwrap().len(), 1);
    assert_eq!(app.audit_count("org.rename", "ok").await, 0);
    let r = office
        .post("/api/v1/orgs/NO-SUCH/rename", json!({"name": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_department_user_cannot_rename_or_retire_and_both_denials_are_audited() {
    let app = spawn_app().await;
    let d = app.api_as(Role::Department, "220500-YJ").await;
    let r = d
        .post("/api/v1/orgs/220502-JT/rename", json!({"name": "改名"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.rename", "denied").await, 1);
    let r = d.post("/api/v1/orgs/220502-FY/retire", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.retire", "denied").await, 1);
    // Bad input from a refused caller is still a refusal, and still audited.
    let r = d
        .post("/api/v1/orgs/220502-JT/rename", json!({"name": ""}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.rename", "denied").await, 2);
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let g = office.get("/api/v1/orgs/220502-JT").await;
    assert_eq!(g.body["org"]["name"], "东昌区交通运输局");
    let g = office.get("/api/v1/orgs/220502-FY").await;
    assert_eq!(g.body["org"]["retired"], false);
}

#[tokio::test]
async fn a_county_office_cannot_rename_an_org_of_another_county() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office
        .post("/api/v1/orgs/220503-JT/rename", json!({"name": "改名"}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "outside the scope it does not exist"
    );
    assert_eq!(app.audit_count("org.rename", "denied").await, 1);
    let r = office
        .post(
            "/api/v1/orgs/220502-JT/rename",
            json!({"name": "东昌区交通局"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn an_org_with_active_children_cannot_be_retired() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post("/api/v1/orgs/220502-DW/retire", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"], "conflict");
    assert_eq!(app.audit_count("org.retire", "ok").await, 0);
    let g = office.get("/api/v1/orgs/220502-DW").await;
    assert_eq!(g.body["org"]["retired"], false);
}

#[tokio::test]
async fn a_retired_org_is_still_readable_flagged_retired_and_hidden_from_the_default_list() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post("/api/v1/orgs/220502-FY/retire", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.audit_count("org.retire", "ok").await, 1);
    let g = office.get("/api/v1/orgs/220502-FY").await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.body["org"]["retired"], true);
    assert_eq!(g.body["org"]["name"], "东昌区人民法院");
    let list = office.get("/api/v1/orgs?region=220502").await;
    assert!(!codes(&list.body).contains(&"220502-FY".to_string()));
    let list = office
        .get("/api/v1/orgs?region=220502&include_retired=true")
        .await;
    assert!(codes(&list.body).contains(&"220502-FY".to_string()));
    // Retiring twice is a conflict; a retired org gets no new positions or children.
    let again = office
        .post("/api/v1/orgs/220502-FY/retire", json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let child = office
        .post(
            "/api/v1/orgs",
            json!({"code": "220502-FY-1", "name": "x", "kind": "department", "region_code": "220502", "parent_code": "220502-FY"}),
        )
        .await;
    assert_eq!(child.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(child.body["fields"]["parent_code"].is_string());
    let pos = office
        .post(
            "/api/v1/orgs/220502-FY/positions",
            json!({"kind": "principal", "title": "院长"}),
        )
        .await;
    assert_eq!(pos.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_tree_page_shows_the_counties_and_is_chinese_by_default_english_on_request() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let p = w.get("/orgs").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("lang=\"zh-CN\""));
    assert!(p.body.contains("组织机构"));
    assert!(p.body.contains("东昌区"));
    assert!(p.body.contains("二道江区"));
    assert!(p.body.contains("220502-AWB"));
    let en = w.get("/orgs?lang=en").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("lang=\"en\""));
    assert!(en.body.contains("Organisations"));
}

#[tokio::test]
async fn a_territory_user_tree_page_has_only_their_county_and_other_pages_are_404() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Territory, "220502-AWB").await;
    let p = w.get("/orgs").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("东昌区"));
    assert!(!p.body.contains("二道江区"));
    assert!(!p.body.contains("220503-"));
    let d = w.get("/orgs/220503-DW").await;
    assert_eq!(d.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("org.read", "denied").await, 1);
}

#[tokio::test]
async fn the_detail_page_shows_positions_and_name_history() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let p = w.get("/orgs/220500-DW").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("中共通化市委员会"));
    assert!(p.body.contains("id=\"positions\""));
    assert!(p.body.contains("党委书记（主要负责人）"));
    assert!(p.body.contains("名称沿革"));
    let en = w.get("/orgs/220500-DW?lang=en").await;
    assert!(en.body.contains("Name history") || en.body.contains("lang=\"en\""));
}

#[tokio::test]
async fn the_new_org_form_re_renders_with_field_errors_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let f = w.get("/orgs/new").await;
    assert_eq!(f.status, StatusCode::OK);
    let orgs = app.scalar_i64("SELECT COUNT(*) FROM org").await;
    let p = w
        .post_form(
            "/orgs",
            &[
                ("code", "220502-YJ"),
                ("name", "我输入的名称"),
                ("kind", "department"),
                ("region_code", "220502"),
                ("note", "我的备注"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("该单位代码已存在"));
    assert!(p.body.contains("value=\"我输入的名称\""));
    assert!(p.body.contains("我的备注"));
    assert!(p.body.contains("aria-invalid=\"true\""));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM org").await, orgs);
    let ok = w
        .post_form(
            "/orgs",
            &[
                ("code", "220502-NEW"),
                ("name", "东昌区新局"),
                ("kind", "department"),
                ("region_code", "220502"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/orgs/220502-NEW");
}

#[tokio::test]
async fn the_rename_form_shows_the_field_error_and_a_department_user_gets_403_on_the_new_form() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let p = w.post_form("/orgs/220502-JT/rename", &[("name", "")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("必填"));
    assert!(p.body.contains("id=\"name-err\""));
    let ok = w
        .post_form("/orgs/220502-JT/rename", &[("name", "东昌区交通局")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let d = w.get("/orgs/220502-JT").await;
    assert!(d.body.contains("东昌区交通运输局"), "old name in history");
    assert!(d.body.contains("东昌区交通局"));

    let dept = web_as(&app, Role::Department, "220500-YJ").await;
    let f = dept.get("/orgs/new").await;
    assert_eq!(f.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.create", "denied").await, 1);
    let r = dept.post_form("/orgs/220502-JT/retire", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.retire", "denied").await, 1);
}

#[tokio::test]
async fn retire_and_reinstate_through_the_pages_are_audited() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let r = w.post_form("/orgs/220502-FY/retire", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let d = w.get("/orgs/220502-FY").await;
    assert!(d.body.contains("已撤销"));
    let r = w.post_form("/orgs/220502-FY/reinstate", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.audit_count("org.retire", "ok").await, 1);
    assert_eq!(app.audit_count("org.reinstate", "ok").await, 1);
    let again = w.post_form("/orgs/220502-FY/reinstate", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let g = office.get("/api/v1/orgs/220502-FY").await;
    assert_eq!(g.body["org"]["retired"], false);
}
