//! Tests of 安全生产举报: the public intake answers with a receipt code and nothing else; the
//! code (and only the code) leads back to the report, a wrong one looks like a missing one;
//! the identity is sealed and opened only by a custodian the city office designated, with a
//! reason, audited; handling moves only forward, by the right roles; a department sees only
//! what was routed to it; the public is rate-limited by address without the address being
//! kept.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "举报人标记甲乙丙";
const PHONE: &str = "13900001234";
const ID_NUMBER: &str = "11010519491231002X";

fn field_named(body: &Value, name: &str) -> bool {
    body["fields"].get(name).is_some()
}

fn anonymous_report() -> Value {
    json!({"category": "major_hazard", "description": "某化工厂储罐区可燃气体报警器长期失效",
           "region_code": "220502", "unit_name": "东昌某化工企业", "employee": true})
}

fn named_report() -> Value {
    json!({"category": "violation", "description": "夜间违规动火作业，无人监护",
           "region_code": "220502", "anonymous": false,
           "reporter": {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER}})
}

async fn submit(app: &TestApp, body: Value) -> String {
    let r = app.anon().post("/api/v1/public/reports", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let keys: Vec<&String> = r.body.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        vec!["receipt_code"],
        "the receipt code and nothing else"
    );
    let code = r.body["receipt_code"].as_str().expect("code").to_string();
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(digits.len(), 16, "{code}");
    assert!(digits.chars().all(|c| c.is_ascii_digit()), "{code}");
    code
}

fn follow_path(code: &str) -> String {
    format!("/api/v1/public/reports/{}", code.replace(' ', ""))
}

#[tokio::test]
async fn the_receipt_code_is_the_only_way_back_and_a_wrong_one_looks_missing() {
    let app = spawn_app().await;
    let code = submit(&app, anonymous_report()).await;
    let anon = app.anon();
    let r = anon.get(&follow_path(&code)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "received");
    assert!(r.body.get("id").is_none(), "no internal id: {}", r.body);
    // The code as typed with spaces works too (the path carries it encoded).
    let spaced = format!("/api/v1/public/reports/{}", code.replace(' ', "%20"));
    assert_eq!(anon.get(&spaced).await.status, StatusCode::OK);
    // A wrong code, a malformed one: the same 404, the same body.
    let mut wrong: Vec<char> = code.replace(' ', "").chars().collect();
    wrong[15] = if wrong[15] == '0' { '1' } else { '0' };
    let wrong: String = wrong.into_iter().collect();
    let a = anon.get(&follow_path(&wrong)).await;
    let b = anon.get("/api/v1/public/reports/12345").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(b.status, StatusCode::NOT_FOUND);
    assert_eq!(a.body["code"], b.body["code"]);
    // The database keeps a keyed hash of the code, never the code.
    let digits = code.replace(' ', "");
    let stored = app
        .scalar_text("SELECT receipt_index FROM report")
        .await
        .expect("index");
    assert!(!stored.contains(&digits) && stored.len() == 64, "{stored}");
    // The reporter adds a message; the public audit record names no address.
    let r = anon
        .post(
            &format!("{}/messages", follow_path(&code)),
            json!({"body": "补充：报警器型号为 GT-100"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["messages"][0]["from"], "reporter");
    let ips = app
        .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'report.%' AND ip <> ''")
        .await;
    assert_eq!(ips, 0, "no address is kept with a public report");
}

#[tokio::test]
async fn bad_reports_are_refused_naming_the_field_never_repeating_the_identity() {
    let app = spawn_app().await;
    let anon = app.anon();
    let r = anon
        .post(
            "/api/v1/public/reports",
            json!({"category": "rumour", "description": "", "region_code": "999999",
                   "occurred_on": "2999-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for f in ["category", "description", "occurred_on"] {
        assert!(field_named(&r.body, f), "{f}: {}", r.body);
    }
    let r = anon
        .post(
            "/api/v1/public/reports",
            json!({"category": "other", "description": "x", "region_code": "999999"}),
        )
        .await;
    assert!(field_named(&r.body, "region_code"), "{}", r.body);
    // Anonymous with an identity; a wrong ID number: named, never echoed.
    let mut body = named_report();
    body["anonymous"] = json!(true);
    let r = anon.post("/api/v1/public/reports", body).await;
    assert!(field_named(&r.body, "reporter"), "{}", r.body);
    let mut body = named_report();
    body["reporter"]["id_number"] = json!("110105194912310021");
    let r = anon.post("/api/v1/public/reports", body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_named(&r.body, "reporter.id_number"), "{}", r.body);
    let text = r.body.to_string();
    assert!(
        !text.contains("110105") && !text.contains(NAME),
        "never echoed: {text}"
    );
    // A web report cannot pretend to be the office's entry.
    let mut body = anonymous_report();
    body["channel"] = json!("phone");
    let r = anon.post("/api/v1/public/reports", body).await;
    assert!(field_named(&r.body, "channel"), "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 0);
}

#[tokio::test]
async fn the_public_is_limited_per_address() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.reports.public_per_minute = 3),
    })
    .await;
    let anon = app.anon();
    let code = submit(&app, anonymous_report()).await;
    assert_eq!(anon.get(&follow_path(&code)).await.status, StatusCode::OK);
    assert_eq!(
        anon.get("/api/v1/public/reports/0000000000000000")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The fourth request this minute, right code or not.
    let r = anon.get(&follow_path(&code)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
}

/// A report routed to 应急局 of 东昌区 and the accounts that handle it.
struct Handling {
    app: TestApp,
    office: Api,
    yj: Api,
    other_dept: Api,
    id: i64,
    code: String,
}

async fn handling() -> Handling {
    let app = spawn_app().await;
    let code = submit(&app, named_report()).await;
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let other_dept = app.api_as(Role::Department, "220502-ZJ").await;
    Handling {
        app,
        office,
        yj,
        other_dept,
        id,
        code,
    }
}

#[tokio::test]
async fn handling_moves_forward_by_the_right_roles_and_the_reporter_reads_the_answer() {
    let h = handling().await;
    let (app, id) = (&h.app, h.id);
    let path = |s: &str| format!("/api/v1/reports/{id}/{s}");
    // Nobody but the office and departments reads reports; a department sees none unrouted.
    let ent = app.api_as(Role::Leader, "220500-AWB").await;
    assert_eq!(
        ent.get("/api/v1/reports").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(h.yj.get("/api/v1/reports").await.body["total"], 0);
    assert_eq!(
        h.yj.get(&format!("/api/v1/reports/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // The handlers never see the identity.
    let r = h.office.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["anonymous"], false);
    assert!(!r.body.to_string().contains(NAME), "{}", r.body);
    // Verify before routing: 409; a department cannot triage: 403.
    let r = h
        .office
        .post(&path("verify"), json!({"finding": "true", "note": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        h.yj.post(&path("accept"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.office.post(&path("accept"), json!({})).await.status,
        StatusCode::OK
    );
    // Route: to a department only.
    let r = h
        .office
        .post(&path("route"), json!({"department_code": "220502-ZF"}))
        .await;
    assert!(field_named(&r.body, "department_code"), "{}", r.body);
    let r = h
        .office
        .post(&path("route"), json!({"department_code": "220502-YJ"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["status"], "verifying");
    let due = (anwei::time::today() + chrono::Days::new(60)).to_string();
    assert_eq!(r.body["report"]["verify_due"], due.as_str());
    // The routed department sees it; another does not.
    assert_eq!(h.yj.get("/api/v1/reports").await.body["total"], 1);
    assert_eq!(
        h.other_dept
            .get(&format!("/api/v1/reports/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        h.other_dept
            .post(&path("verify"), json!({"finding": "true", "note": "x"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Verify needs a finding and a note.
    let r =
        h.yj.post(&path("verify"), json!({"finding": "maybe"}))
            .await;
    assert!(
        field_named(&r.body, "finding") && field_named(&r.body, "note"),
        "{}",
        r.body
    );
    let r =
        h.yj.post(
            &path("verify"),
            json!({"finding": "true", "note": "现场核实，报警器失效属实，已责令整改"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r =
        h.yj.post(
            &format!("/api/v1/reports/{id}/messages"),
            json!({"body": "感谢您的举报，正在处理。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r =
        h.yj.post(
            &path("answer"),
            json!({"note": "经核查举报属实，已责令企业停止违规动火并处罚。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["status"], "answered");
    assert_eq!(r.body["steps"].as_array().expect("steps").len(), 4);
    // Answered is final.
    assert_eq!(
        h.office
            .post(&path("route"), json!({"department_code": "220502-YJ"}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    // The reporter reads the answer and the message, without any handler's name.
    let r = app.anon().get(&follow_path(&h.code)).await;
    assert_eq!(r.body["status"], "answered");
    assert!(r.body["answer"].as_str().expect("answer").contains("属实"));
    assert_eq!(r.body["messages"][0]["from"], "handler");
    assert!(!r.body.to_string().contains(&h.yj.username), "{}", r.body);
    assert_eq!(app.audit_count("report.answer", "ok").await, 1);
}

#[tokio::test]
async fn only_a_designated_custodian_reveals_the_identity_with_a_reason_once_audited() {
    let h = handling().await;
    let (app, id) = (&h.app, h.id);
    let reveal = format!("/api/v1/reports/{id}/reveal");
    let body = json!({"reason": "核查需要联系举报人"});
    // The office, the administrator, a department: 403, each audited.
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    for who in [&h.office, &admin, &h.yj] {
        let r = who.post(&reveal, body.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    assert_eq!(app.audit_count("report.reveal", "denied").await, 3);
    // Only the city office designates; never itself; only an office account.
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let d = "/api/v1/report-custodians";
    assert_eq!(
        h.office
            .post(d, json!({"username": h.office.username}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = city.post(d, json!({"username": city.username})).await;
    assert!(field_named(&r.body, "username"), "{}", r.body);
    let r = city.post(d, json!({"username": h.yj.username})).await;
    assert!(field_named(&r.body, "username"), "{}", r.body);
    let r = city.post(d, json!({"username": h.office.username})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // The custodian needs a reason; then sees the identity; one audit record, no identity in it.
    let r = h.office.post(&reveal, json!({"reason": " "})).await;
    assert!(field_named(&r.body, "reason"), "{}", r.body);
    let r = h.office.post(&reveal, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], NAME);
    assert_eq!(r.body["phone"], PHONE);
    assert_eq!(r.body["id_number"], ID_NUMBER);
    assert_eq!(app.audit_count("report.reveal", "ok").await, 1);
    let leaked = app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%{NAME}%' OR detail LIKE '%{PHONE}%'"
        ))
        .await;
    assert_eq!(leaked, 0, "the audit log never holds the identity");
    // Stored sealed: the plain values are nowhere in the report's row.
    let row = app
        .scalar_text(&format!(
            "SELECT identity_sealed FROM report WHERE id = {id}"
        ))
        .await
        .expect("sealed");
    assert!(
        row.starts_with("v1.sm4gcm.") && !row.contains(PHONE),
        "{row}"
    );
    // An anonymous report has nothing to reveal.
    submit(app, anonymous_report()).await;
    let anon_id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let r = h
        .office
        .post(&format!("/api/v1/reports/{anon_id}/reveal"), body)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

#[tokio::test]
async fn the_office_enters_a_phone_report_in_its_own_region() {
    let h = handling().await;
    let mut body = anonymous_report();
    body["channel"] = json!("phone");
    let r = h.office.post("/api/v1/reports", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body["receipt_code"].is_string());
    // Another county's code is outside its scope: as if it did not exist.
    body["region_code"] = json!("220582");
    let r = h.office.post("/api/v1/reports", body.clone()).await;
    assert!(field_named(&r.body, "region_code"), "{}", r.body);
    body["region_code"] = json!("220502");
    body["channel"] = json!("web");
    let r = h.office.post("/api/v1/reports", body.clone()).await;
    assert!(field_named(&r.body, "channel"), "{}", r.body);
    assert_eq!(
        h.yj.post("/api/v1/reports", body).await.status,
        StatusCode::FORBIDDEN
    );
    let list = h.office.get("/api/v1/reports?status=received").await;
    assert_eq!(list.body["total"], 2, "{}", list.body);
    let phone: Vec<&Value> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["channel"] == "phone")
        .collect();
    assert_eq!(phone.len(), 1);
}

/// The text of the element with `id` in a page (its first text node).
fn element_text(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} in the page"));
    let rest = &html[start..];
    let open = rest.find('>').expect("tag end") + 1;
    rest[open..]
        .split('<')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

#[tokio::test]
async fn the_public_pages_work_without_scripts_and_the_code_never_travels_in_a_url() {
    let app = spawn_app().await;
    let mut w = app.web_anon();
    let form = w.get("/report").await;
    assert_eq!(form.status, StatusCode::OK);
    w.csrf = extract_csrf(&form.body).expect("a CSRF field");
    // Nothing is loaded from anywhere but the server itself.
    for attr in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!form.body.contains(attr), "an outside resource: {attr}");
    }
    // A named report with a wrong ID number: the field named, nothing saved.
    let named = [
        ("category", "violation"),
        ("description", "夜间违规动火作业"),
        ("region_code", "220502"),
        ("identity", "named"),
        ("reporter_name", NAME),
        ("reporter_phone", PHONE),
        ("reporter_id_number", "110105194912310021"),
    ];
    let p = w.post_form("/report", &named).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body.contains("id=\"reporter_id_number-err\""),
        "{}",
        p.body
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 0);
    // Anonymous: the receipt code, shown on the answer to the post itself.
    let p = w
        .post_form(
            "/report",
            &[
                ("category", "major_hazard"),
                ("description", "储罐区报警器失效"),
                ("region_code", "220502"),
                ("identity", "anonymous"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let code = element_text(&p.body, "receipt-code");
    assert_eq!(code.replace(' ', "").len(), 16, "{code}");
    // Following up: the code goes in the form body; a wrong one says not found.
    let p = w
        .post_form("/report/follow", &[("receipt_code", "0000 0000 0000 0000")])
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(p.body.contains("id=\"follow-message\""), "{}", p.body);
    let p = w
        .post_form("/report/follow", &[("receipt_code", &code)])
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(element_text(&p.body, "follow-status"), "待受理");
    let p = w
        .post_form(
            "/report/follow/message",
            &[("receipt_code", &code), ("body", "补充：每晚十点后动火")],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("每晚十点后动火"));
    // A blank message: named, the report still shown.
    let p = w
        .post_form(
            "/report/follow/message",
            &[("receipt_code", &code), ("body", " ")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"body-err\"") && p.body.contains("id=\"follow-status\""));
    // The office handles it on its pages: accept, then route.
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let ow = app.browser_as(&office.username).await;
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let list = ow.get("/reports").await;
    assert!(
        list.body.contains(&format!("id=\"report-{id}\"")),
        "{}",
        list.body
    );
    let p = ow
        .post_form(&format!("/reports/{id}/step/accept"), &[])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = ow
        .post_form(
            &format!("/reports/{id}/step/route"),
            &[("department_code", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"department_code-err\""));
    let p = ow
        .post_form(
            &format!("/reports/{id}/step/route"),
            &[("department_code", "220502-YJ"), ("note", "请核查")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let page = ow.get(&format!("/reports/{id}")).await;
    assert_eq!(element_text(&page.body, "report-status"), "核查中");
}
