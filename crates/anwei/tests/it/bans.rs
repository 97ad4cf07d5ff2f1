//! Tests of the ban registry (从业禁止, issue 12): the check at the five-year boundary, wrong ID
//! numbers named by field, the enterprise registry refusing a banned principal (create, edit,
//! import), manual entries by the city's office only, search, and no plaintext at rest.

use chrono::{Duration, Months};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::credit_code;
use crate::helpers::*;
use anwei::auth::model::Role;

pub const A: &str = "220502198001010014";
pub const B: &str = "220502198505050028";
pub const C: &str = "220502199009090033";

fn field_named(body: &Value, name: &str) -> bool {
    body["fields"].get(name).is_some()
}

fn manual(id: &str, ground: &str, from: chrono::NaiveDate) -> Value {
    json!({"name": "张三", "id_number": id, "ground": ground, "starts_on": from.to_string(),
           "document_no": "通安委〔2026〕1号"})
}

#[tokio::test]
async fn a_ban_holds_up_to_the_fifth_anniversary_and_the_registry_refuses_the_principal() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let today = anwei::time::today();
    let from = today.checked_sub_months(Months::new(60)).unwrap();
    let r = city.post("/api/v1/bans", manual(A, "removal", from)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["until"], today.to_string(), "{}", r.body);
    assert_eq!(r.body["active"], true);
    assert_eq!(r.body["id_number_masked"], "220502********0014");
    let day_before = from - Duration::days(1);
    let r = city
        .post("/api/v1/bans", manual(B, "criminal", day_before))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["active"], false, "ended yesterday: {}", r.body);

    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": A, "industry": "C26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["banned"], true,
        "the anniversary is the last banned day"
    );
    assert_eq!(r.body["until"], today.to_string());
    assert_eq!(r.body["reason_code"], "ban.five_years");
    assert!(
        r.body["reason"].as_str().unwrap().contains("撤职处分"),
        "{}",
        r.body
    );
    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": B, "industry": "C26"}),
        )
        .await;
    assert_eq!(r.body["banned"], false, "free the day after: {}", r.body);
    assert_eq!(r.body["until"], Value::Null);
    assert_eq!(r.body["reason"], Value::Null);
    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": C, "industry": "C"}),
        )
        .await;
    assert_eq!(r.body["banned"], false, "never registered: {}", r.body);

    // A wrong check digit, a bad industry: 422 naming each field.
    let wrong = format!("{}5", &A[..17]);
    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": wrong, "industry": "Z99"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "id_number"), "{}", r.body);
    assert!(field_named(&r.body, "industry"), "{}", r.body);
    assert_eq!(app.audit_count("ban.check", "ok").await, 3);

    // Registering A as a principal is refused with the reason; B passes.
    let ent = |name: &str, first17: &str, id: &str| {
        json!({"name": name, "credit_code": credit_code(first17), "region_code": "220502",
               "industry": "C26", "principal_name": "张三", "principal_id_number": id})
    };
    let r = county
        .post(
            "/api/v1/enterprises",
            ent("通化某化工", "91220502MA0000001", A),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "principal_id_number"), "{}", r.body);
    assert!(r.body.to_string().contains("第九十四条"), "{}", r.body);
    let r = county
        .post(
            "/api/v1/enterprises",
            ent("通化某化工", "91220502MA0000001", B),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    // Changing the principal to a banned person is refused too, and nothing changes.
    let r = county
        .patch(
            &format!("/api/v1/enterprises/{id}"),
            json!({"principal_id_number": A}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "principal_id_number"), "{}", r.body);
    let r = county.get(&format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(r.body["principal_id_masked"], "220502********0028");

    // Never the plain number at rest.
    for (table, col) in [("ban", "id_number_sealed"), ("ban", "id_number_index")] {
        let n = app
            .scalar_i64(&format!(
                "SELECT COUNT(*) FROM {table} WHERE {col} LIKE '%19800101%'"
            ))
            .await;
        assert_eq!(n, 0, "{table}.{col}");
    }
}

#[tokio::test]
async fn only_the_city_office_enters_bans_by_hand_and_only_the_office_and_discipline_search() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let discipline = app.api_as(Role::Discipline, "220500-JW").await;
    let today = anwei::time::today();
    let r = county_office
        .post("/api/v1/bans", manual(A, "removal", today))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = city
        .post(
            "/api/v1/bans",
            json!({"name": "", "id_number": "123", "ground": "responsibility", "grade": "serious",
                   "industry": "", "document_no": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for f in ["name", "id_number", "grade", "industry", "document_no"] {
        assert!(field_named(&r.body, f), "{f}: {}", r.body);
    }
    let r = city
        .post(
            "/api/v1/bans",
            json!({"name": "李四", "id_number": C, "ground": "responsibility",
                   "grade": "very_serious", "industry": "C26", "document_no": "吉安委〔2026〕3号"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["lifetime"], true);
    assert_eq!(r.body["until"], Value::Null);

    // Lifetime in the same industry (division, or a section on either side), not in another.
    for (industry, banned) in [("C26", true), ("C", true), ("C13", false), ("B", false)] {
        let r = county
            .post(
                "/api/v1/bans/check",
                json!({"id_number": C, "industry": industry}),
            )
            .await;
        assert_eq!(r.body["banned"], banned, "{industry}: {}", r.body);
    }
    let r = county
        .post(
            "/api/v1/bans/check",
            json!({"id_number": C, "industry": "C26"}),
        )
        .await;
    assert_eq!(r.body["reason_code"], "ban.lifetime");
    assert_eq!(r.body["until"], Value::Null);

    for api in [&city, &discipline] {
        let r = api.get(&format!("/api/v1/bans?id_number={C}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.body);
        assert_eq!(r.body[0]["name"], "李四");
        assert!(!r.body.to_string().contains(C), "never the full number");
        let r = api.get("/api/v1/bans?name=李").await;
        assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.body);
        let r = api.get(&format!("/api/v1/bans?id_number={A}")).await;
        assert_eq!(r.body.as_array().unwrap().len(), 0, "{}", r.body);
    }
    let r = city.get("/api/v1/bans?id_number=220502").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "id_number"), "{}", r.body);
    let r = county.get("/api/v1/bans").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = discipline
        .post(
            "/api/v1/bans/check",
            json!({"id_number": C, "industry": "C26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.audit_count("ban.search", "ok").await >= 6);
}

#[tokio::test]
async fn an_import_naming_a_banned_principal_is_refused_on_that_row_and_saves_nothing() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = city
        .post("/api/v1/bans", manual(A, "criminal", anwei::time::today()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let template = county
        .client
        .get(format!(
            "{}/api/v1/enterprises/import-template.xlsx",
            county.base
        ))
        .bearer_auth(&county.token)
        .send()
        .await
        .expect("template")
        .bytes()
        .await
        .expect("bytes");
    let header = sheet(&template)[0].clone();
    let (c1, c2) = (
        credit_code("91220502MA0000B01"),
        credit_code("91220502MA0000B02"),
    );
    let row = |name: &'static str, code: &str, id: &str| -> Vec<String> {
        [name, code, "220502", "C26", "", "", "", "", "", "张三", id]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [header, row("甲厂", &c1, B), row("乙厂", &c2, A)];
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let (ct, body) = multipart(&[], &[("file", "e.xlsx", &bytes)]);
    let r = county
        .post_raw("/api/v1/enterprises/import", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{}", r.body);
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["field"], "principal_id_number");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("刑罚执行完毕")
    );
    let n = app.scalar_i64("SELECT COUNT(*) FROM enterprise").await;
    assert_eq!(n, 0, "all or nothing");
}
