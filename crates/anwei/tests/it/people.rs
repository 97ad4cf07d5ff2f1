//! Tests of people: persons, positions, who holds them, and the people pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

async fn web_as(app: &TestApp, role: Role, org: &str) -> Web {
    let name = format!(
        "w{}_{}",
        role.code(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    app.create_user(&name, role, org).await;
    app.browser_as(&name).await
}

async fn person(api: &Api, name: &str) -> i64 {
    let r = api.post("/api/v1/persons", json!({"name": name})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

async fn position(api: &Api, org: &str, kind: &str, title: &str) -> i64 {
    let r = api
        .post(
            &format!("/api/v1/orgs/{org}/positions"),
            json!({"kind": kind, "title": title}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

fn find_position(list: &Value, id: i64) -> Value {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("position {id} listed in {list}"))
}

#[tokio::test]
async fn the_office_adds_a_person_and_the_record_is_audited_without_the_name() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let id = person(&office, "张三").await;
    assert_eq!(app.audit_count("person.create", "ok").await, 1);
    let detail = app
        .scalar_text(&format!(
            "SELECT detail FROM audit_log WHERE action = 'person.create' AND target_id = '{id}'"
        ))
        .await
        .expect("audit record");
    assert!(!detail.contains("张三"), "personal name kept out: {detail}");
    let list = office.get("/api/v1/persons?q=%E5%BC%A0").await; // q=张
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id && p["name"] == "张三")
    );
}

#[tokio::test]
async fn only_office_and_admin_add_people_and_refusals_are_audited() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    person(&admin, "管理员添加").await;
    for role in [
        Role::Department,
        Role::Territory,
        Role::Leader,
        Role::Auditor,
    ] {
        let u = app.api_as(role, "220500-YJ").await;
        let before = app.audit_count("person.create", "denied").await;
        let r = u.post("/api/v1/persons", json!({"name": "李四"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(app.audit_count("person.create", "denied").await, before + 1);
    }
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM person WHERE name = '李四'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_person_without_a_name_is_422_and_nothing_is_saved() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM person").await;
    let r = office.post("/api/v1/persons", json!({"name": " "})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"]["name"], "必填");
    let r = office
        .post("/api/v1/persons", json!({"name": "名".repeat(51)}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["name"].is_string());
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM person").await, n);
    assert_eq!(app.audit_count("person.create", "ok").await, 0);
}

#[tokio::test]
async fn the_auditor_cannot_read_people_or_positions() {
    let app = spawn_app().await;
    let a = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = a.get("/api/v1/persons").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("person.list", "denied").await, 1);
    let r = a.get("/api/v1/orgs/220500-DW/positions").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    assert_eq!(leader.get("/api/v1/persons").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_built_in_positions_are_listed_for_an_org() {
    let app = spawn_app().await;
    let d = app.api_as(Role::Department, "220500-YJ").await;
    let r = d.get("/api/v1/orgs/220500-ZF/positions").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["title"], "政府主要负责人");
    assert_eq!(items[0]["kind"], "principal");
    assert!(items.iter().all(|p| p["holder_id"].is_null()));
    assert!(
        items
            .iter()
            .any(|p| p["kind"] == "deputy" && p["sectors"] == "housing,transport")
    );
}

#[tokio::test]
async fn the_office_adds_a_position_and_a_department_user_may_not() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let id = position(&office, "220502-YJ", "deputy", "副局长").await;
    assert_eq!(app.audit_count("position.create", "ok").await, 1);
    let list = office.get("/api/v1/orgs/220502-YJ/positions").await;
    let p = find_position(&list.body, id);
    assert_eq!(p["title"], "副局长");
    assert_eq!(p["org_code"], "220502-YJ");

    let d = app.api_as(Role::Department, "220500-YJ").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM org_position").await;
    let r = d
        .post(
            "/api/v1/orgs/220502-YJ/positions",
            json!({"kind": "other", "title": "科员"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("position.create", "denied").await, 1);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM org_position").await, n);
}

#[tokio::test]
async fn a_position_in_an_org_outside_the_scope_is_404_and_audited() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office
        .post(
            "/api/v1/orgs/220503-YJ/positions",
            json!({"kind": "other", "title": "科员"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("position.create", "denied").await, 1);
    assert_eq!(app.audit_count("position.create", "ok").await, 0);
}

#[tokio::test]
async fn bad_position_input_names_the_field() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM org_position").await;
    for (body, field) in [
        (json!({"kind": "king", "title": "x"}), "kind"),
        (json!({"kind": "other", "title": ""}), "title"),
        (
            json!({"kind": "principal", "title": "x", "sectors": ["emergency"]}),
            "sectors",
        ),
        (
            json!({"kind": "deputy", "title": "x", "sectors": ["moon"]}),
            "sectors",
        ),
    ] {
        let r = office
            .post("/api/v1/orgs/220502-YJ/positions", body.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(r.body["fields"][field].is_string(), "{field}: {}", r.body);
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM org_position").await, n);
}

#[tokio::test]
async fn a_new_holder_ends_the_previous_term_the_day_before_and_the_position_stays() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let pos = position(&office, "220502-ZJ", "principal", "局长").await;
    let a = person(&office, "王甲").await;
    let b = person(&office, "王乙").await;
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": a, "start_date": "2024-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": b, "start_date": "2024-03-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let h = r.body["holdings"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["person_id"], b);
    assert_eq!(h[0]["start_date"], "2024-03-01");
    assert!(h[0]["end_date"].is_null());
    assert_eq!(h[1]["person_id"], a);
    assert_eq!(h[1]["start_date"], "2024-01-01");
    assert_eq!(h[1]["end_date"], "2024-02-29", "the day before, leap year");
    assert!(h.iter().all(|x| x["position_id"] == pos));
    assert_eq!(app.audit_count("position.assign", "ok").await, 2);

    let list = office.get("/api/v1/orgs/220502-ZJ/positions").await;
    let p = find_position(&list.body, pos);
    assert_eq!(p["holder_id"], b);
    assert_eq!(p["holder_name"], "王乙");
    assert_eq!(p["holder_since"], "2024-03-01");
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM org_position WHERE org_id = (SELECT org_id FROM org_position WHERE id = {pos})"
        ))
        .await,
        3,
        "no position was added by the change of holder"
    );
}

#[tokio::test]
async fn bad_assignments_name_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let pos = position(&office, "220502-ZJ", "principal", "局长").await;
    let a = person(&office, "赵甲").await;
    let b = person(&office, "赵乙").await;
    let path = format!("/api/v1/positions/{pos}/holder");
    let r = office
        .post(&path, json!({"person_id": a, "start_date": "2024-05-01"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let holdings = app
        .scalar_i64("SELECT COUNT(*) FROM position_holding")
        .await;
    let cases = [
        (
            json!({"person_id": b, "start_date": "2024-05-01"}),
            "start_date",
        ),
        (
            json!({"person_id": b, "start_date": "2024-04-01"}),
            "start_date",
        ),
        (
            json!({"person_id": b, "start_date": "2024/06/01"}),
            "start_date",
        ),
        (
            json!({"person_id": 999_999, "start_date": "2024-06-01"}),
            "person_id",
        ),
        (json!({"person_id": "abc"}), "person_id"),
    ];
    for (body, field) in cases {
        let r = office.post(&path, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(r.body["fields"][field].is_string(), "{field}: {}", r.body);
    }
    let r = office
        .post(&path, json!({"person_id": a, "start_date": "2024-07-01"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "already the holder");
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM position_holding")
            .await,
        holdings
    );
    let open = app
        .scalar_text(&format!(
            "SELECT start_date FROM position_holding WHERE position_id = {pos} AND end_date IS NULL"
        ))
        .await;
    assert_eq!(open.as_deref(), Some("2024-05-01"));
    assert_eq!(app.audit_count("position.assign", "ok").await, 1);
    let r = office
        .post(
            "/api/v1/positions/999999/holder",
            json!({"person_id": a, "start_date": "2024-07-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn vacating_ends_the_term_and_a_second_vacate_is_a_conflict() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let pos = position(&office, "220502-ZJ", "principal", "局长").await;
    let a = person(&office, "钱甲").await;
    office
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": a, "start_date": "2024-01-01"}),
        )
        .await;
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/vacate"),
            json!({"end_date": "2024-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.audit_count("position.vacate", "ok").await, 1);
    let list = office.get("/api/v1/orgs/220502-ZJ/positions").await;
    let p = find_position(&list.body, pos);
    assert!(p["holder_id"].is_null());
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT end_date FROM position_holding WHERE position_id = {pos}"
        ))
        .await
        .as_deref(),
        Some("2024-12-31")
    );
    let r = office
        .post(&format!("/api/v1/positions/{pos}/vacate"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(app.audit_count("position.vacate", "ok").await, 1);
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/vacate"),
            json!({"end_date": "yesterday"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["end_date"].is_string());
}

#[tokio::test]
async fn assigning_and_vacating_are_refused_to_other_roles_and_out_of_scope_and_audited() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let pos = position(&office, "220503-ZJ", "principal", "局长").await;
    let a = person(&office, "孙甲").await;
    let d = app.api_as(Role::Department, "220500-YJ").await;
    let r = d
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": a, "start_date": "2024-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("position.assign", "denied").await, 1);
    let r = d
        .post(&format!("/api/v1/positions/{pos}/vacate"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("position.vacate", "denied").await, 1);
    // An office of another county: outside the scope.
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let r = county
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": a, "start_date": "2024-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("position.assign", "denied").await, 2);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM position_holding")
            .await,
        0
    );
}

#[tokio::test]
async fn a_territory_user_sees_only_positions_of_their_county_on_the_people_page() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Territory, "220502-AWB").await;
    let p = w.get("/people").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("人员岗位"));
    assert!(p.body.contains("东昌区"));
    assert!(!p.body.contains("二道江区"));
    assert!(!p.body.contains("通化市人民政府"));
    let en = w.get("/people?lang=en").await;
    assert!(en.body.contains("lang=\"en\""));
    assert!(
        en.body.contains("People &#38; positions") || en.body.contains("People &amp; positions")
    );
}

#[tokio::test]
async fn the_person_form_re_renders_with_the_field_error() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM person").await;
    let p = w
        .post_form("/people/persons", &[("name", ""), ("note", "备注")])
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("必填"));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM person").await, n);
    let ok = w
        .post_form("/people/persons", &[("name", "周五"), ("note", "")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM person").await, n + 1);
    let dept = web_as(&app, Role::Department, "220500-YJ").await;
    let r = dept.post_form("/people/persons", &[("name", "吴六")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("person.create", "denied").await, 1);
}

#[tokio::test]
async fn the_position_form_on_the_org_page_shows_field_errors_and_assignment_works() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let p = w
        .post_form(
            "/orgs/220502-ZJ/positions",
            &[("kind", "other"), ("title", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"pos-title-err\""));
    let ok = w
        .post_form(
            "/orgs/220502-ZJ/positions",
            &[("kind", "other"), ("title", "安全生产科科长")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = w.get("/orgs/220502-ZJ").await;
    assert!(page.body.contains("安全生产科科长"));
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let pid = person(&office, "郑七").await;
    let list = office.get("/api/v1/orgs/220502-ZJ/positions").await;
    let pos = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "安全生产科科长")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = w
        .post_form(
            &format!("/positions/{pos}/assign"),
            &[
                ("person_id", &pid.to_string()),
                ("start_date", "2024-02-01"),
                ("back", "/orgs/220502-ZJ"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/orgs/220502-ZJ");
    let page = w.get("/orgs/220502-ZJ").await;
    assert!(page.body.contains("郑七"));
}

#[tokio::test]
async fn the_person_directory_is_scoped_to_the_organisations_a_user_may_see() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let r = city
        .post("/api/v1/persons", json!({"name": "市级人员"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let city_person = r.body["id"].as_i64().unwrap();
    let r = county
        .post("/api/v1/persons", json!({"name": "区级人员"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let names = |v: &serde_json::Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let seen_by_county = names(&county.get("/api/v1/persons").await.body);
    assert!(seen_by_county.contains(&"区级人员".to_string()));
    assert!(
        !seen_by_county.contains(&"市级人员".to_string()),
        "a county does not see the city's people"
    );
    let seen_by_city = names(&city.get("/api/v1/persons").await.body);
    assert!(
        seen_by_city.contains(&"区级人员".to_string())
            && seen_by_city.contains(&"市级人员".to_string())
    );
    // A county cannot register a person for the city, nor appoint the city's person.
    let r = county
        .post(
            "/api/v1/persons",
            json!({"name": "越权", "org_code": "220500-AWB"}),
        )
        .await;
    // Outside the scope the organisation does not exist: a field error, audited.
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["org_code"].is_string(), "{}", r.body);
    assert_eq!(app.audit_count("person.create", "denied").await, 1);
    let pos = county.get("/api/v1/orgs/220502-ZF/positions").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let r = county
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": city_person}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["person_id"].is_string());
    // An enterprise account sees no one else's people.
    let ent = app.api_as(Role::Enterprise, "220502-ZF").await;
    assert!(names(&ent.get("/api/v1/persons").await.body).is_empty());
}

#[tokio::test]
async fn a_term_cannot_end_before_it_began() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let person = office
        .post("/api/v1/persons", json!({"name": "任职人"}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let pos = office.get("/api/v1/orgs/220500-ZF/positions").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/holder"),
            json!({"person_id": person, "start_date": "2026-03-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/vacate"),
            json!({"end_date": "2026-02-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["end_date"].is_string());
    let r = office
        .post(
            &format!("/api/v1/positions/{pos}/vacate"),
            json!({"end_date": "2026-03-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let h = office.get(&format!("/api/v1/positions/{pos}")).await;
    assert_eq!(h.body["holdings"][0]["end_date"], "2026-03-31");
    assert!(h.body["position"]["holder_id"].is_null());
}
