//! Tests of dated deliverables (报送事项): requiring, submitting (on time or late by the
//! server's date), reviewing, files by content, and who may do what.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

async fn requirement_id(app: &TestApp, code: &str, org: &str) -> i64 {
    app.scalar_i64(&format!(
        "SELECT q.id FROM deliverable_requirement q JOIN org o ON o.id = q.org_id WHERE q.deliverable_code = '{code}' AND o.code = '{org}'"
    ))
    .await
}

fn summary<'a>(body: &'a Value, code: &str) -> &'a Value {
    &body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["code"] == code)
        .expect("deliverable listed")["summary"]
}

#[tokio::test]
async fn the_six_builtin_deliverables_are_listed_with_their_dates() {
    let app = spawn_app().await;
    let d = app.api_as(Role::Department, "220500-YJ").await;
    let r = d.get("/api/v1/deliverables").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 6);
    let due = |c: &str| {
        items.iter().find(|d| d["code"] == c).expect(c)["due"]
            .as_str()
            .expect("due")
            .to_string()
    };
    assert_eq!(due("implementation_plan"), "2022-06-10");
    assert_eq!(due("interim_progress"), "2022-06-28");
    assert_eq!(due("work_summary"), "2022-09-28");
    assert_eq!(due("responsibility_list"), "2022-06-30");
    assert_eq!(due("major_hazard_list"), "2022-09-30");
    assert_eq!(due("intrinsic_safety_projects"), "2022-09-30");
    assert_eq!(summary(&r.body, "work_summary")["required"], 0);
    assert_eq!(
        app.anon().get("/api/v1/deliverables").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_office_requires_from_the_default_set_once_and_others_may_not() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = office
        .post_raw(
            "/api/v1/deliverables/implementation_plan/require",
            "application/json",
            Vec::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let created = r.body["created"].as_i64().expect("created");
    // 7 county governments + 2 zone 管委会 + 15 supervising city departments.
    assert_eq!(created, 24);
    let r = office.list_codes("implementation_plan").await;
    for code in [
        "220502-ZF",
        "220582-ZF",
        "220500-GX-GWH",
        "220500-GW-GWH",
        "220500-YJ",
        "220500-ZJ",
    ] {
        assert!(
            r.contains(&code.to_string()),
            "{code} is in the default set"
        );
    }
    for code in ["220500-ZF", "220500-CZ", "220502-YJ", "220500-DW"] {
        assert!(
            !r.contains(&code.to_string()),
            "{code} is not in the default set"
        );
    }
    // Idempotent.
    let again = office
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["created"], 0);
    assert_eq!(again.body["existing"], 24);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM deliverable_requirement")
            .await,
        24
    );
    // By codes: unknown codes are field errors, nothing is created.
    let bad = office
        .post(
            "/api/v1/deliverables/work_summary/require",
            json!({"orgs": ["220502-ZF", "NOPE"]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["fields"]["orgs[1]"].is_string(), "{:?}", bad.body);
    let ok = office
        .post(
            "/api/v1/deliverables/work_summary/require",
            json!({"orgs": ["220502-ZF"]}),
        )
        .await;
    assert_eq!(ok.body["created"], 1);
    let unknown = office
        .post("/api/v1/deliverables/no_such/require", json!({}))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // Forbidden actors.
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    let r = dept
        .post("/api/v1/deliverables/work_summary/require", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = county
        .post("/api/v1/deliverables/work_summary/require", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.audit_count("deliverable.require", "ok").await >= 3);
    assert!(app.audit_count("deliverable.require", "denied").await >= 2);
    // The required organisation was told.
    assert!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id JOIN org o ON o.id = a.org_id WHERE o.code = '220502-ZF'"
        )
        .await
            >= 1
    );
}

impl Api {
    async fn list_codes(&self, deliverable: &str) -> Vec<String> {
        let r = self
            .get(&format!(
                "/api/v1/deliverable-requirements?deliverable={deliverable}&per_page=500"
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["org_code"].as_str().expect("org_code").to_string())
            .collect()
    }
}

#[tokio::test]
async fn the_office_adds_a_deliverable_to_the_policy() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            "/api/v1/deliverables",
            json!({"code": "flood_plan", "title": "防汛预案", "due": "2026-07-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["deliverable"]["title_zh"], "防汛预案");
    let list = office.get("/api/v1/deliverables").await;
    assert_eq!(list.body["items"].as_array().expect("items").len(), 7);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy_deliverable")
            .await,
        7
    );
    let dup = office
        .post(
            "/api/v1/deliverables",
            json!({"code": "flood_plan", "title": "again", "due": "2026-07-01"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.body["fields"]["code"].is_string());
    let bad = office
        .post(
            "/api/v1/deliverables",
            json!({"code": "Bad Code", "title": "", "due": "2026-13-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["code", "title", "due"] {
        assert!(bad.body["fields"][f].is_string(), "{f}: {:?}", bad.body);
    }
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    let r = dept
        .post(
            "/api/v1/deliverables",
            json!({"code": "x_plan", "title": "x", "due": "2026-07-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("deliverable.add", "ok").await, 1);
    // The new one can be required.
    let r = office
        .post(
            "/api/v1/deliverables/flood_plan/require",
            json!({"orgs": ["220500-YJ"]}),
        )
        .await;
    assert_eq!(r.body["created"], 1);
}

#[tokio::test]
async fn submissions_are_late_by_the_server_date_and_reviewed_by_the_office() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({"orgs": ["220500-YJ", "220502-ZF"]}),
        )
        .await;
    assert_eq!(r.body["created"], 2);
    let id = requirement_id(&app, "implementation_plan", "220500-YJ").await;
    app.exec(&format!(
        "UPDATE deliverable_requirement SET due = '{}'",
        day(1)
    ))
    .await;
    let path = format!("/api/v1/deliverable-requirements/{id}/submissions");

    // Only the required organisation submits.
    let other = app.api_as(Role::Department, "220502-YJ").await;
    assert_eq!(
        other.post(&path, json!({"note": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
    let city_other = app.api_as(Role::Department, "220500-ZJ").await;
    assert_eq!(
        city_other.post(&path, json!({"note": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        office.post(&path, json!({"note": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    let yj = app.api_as(Role::Department, "220500-YJ").await;
    let empty = yj.post(&path, json!({"note": "  "})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body["fields"]["note"].is_string());

    // On time: due tomorrow.
    let r = yj.post(&path, json!({"note": "实施方案已制定"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["late"], false);
    assert_eq!(r.body["requirement"]["status"], "submitted");
    // Not twice while waiting for review.
    assert_eq!(
        yj.post(&path, json!({"note": "again"})).await.status,
        StatusCode::CONFLICT
    );

    // Review: the office only; a return needs a comment.
    let review = format!("/api/v1/deliverable-requirements/{id}/review");
    assert_eq!(
        yj.post(&review, json!({"decision": "accept"})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = office.post(&review, json!({"decision": "return"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["comment"].is_string());
    assert_eq!(
        office
            .post(&review, json!({"decision": "maybe"}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = office
        .post(
            &review,
            json!({"decision": "return", "comment": "缺少附件"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["requirement"]["status"], "returned");
    assert_eq!(
        office
            .post(&review, json!({"decision": "accept"}))
            .await
            .status,
        StatusCode::CONFLICT,
        "nothing waits for review"
    );

    // Due yesterday now: a resubmission is late. Files are checked by content.
    app.exec(&format!(
        "UPDATE deliverable_requirement SET due = '{}'",
        day(-1)
    ))
    .await;
    let (ct, body) = multipart(
        &[("note", "补充附件")],
        &[("files", "report.pdf", &[0x7f, b'E', b'L', b'F', 0, 1, 2])],
    );
    let r = yj.post_raw(&path, &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert!(r.body["fields"]["files"].is_string());
    let pdf = b"%PDF-1.4\n% implementation plan\n%%EOF\n".to_vec();
    let (ct, body) = multipart(&[("note", "补充附件")], &[("files", "实施方案.pdf", &pdf)]);
    let r = yj.post_raw(&path, &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["late"], true);
    assert_eq!(r.body["requirement"]["late"], true);

    let detail = office
        .get(&format!("/api/v1/deliverable-requirements/{id}"))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    let subs = detail.body["submissions"].as_array().expect("submissions");
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0]["late"], true);
    assert_eq!(subs[1]["late"], false);
    assert_eq!(subs[1]["decision"], "returned");
    let files = detail.body["files"].as_array().expect("files");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["filename"], "实施方案.pdf");
    assert_eq!(files[0]["mime"], "application/pdf");
    let fid = files[0]["id"].as_i64().expect("id");
    let dl = office
        .client
        .get(format!("{}/deliverables/files/{fid}", office.base))
        .bearer_auth(&office.token)
        .send()
        .await
        .expect("download");
    assert_eq!(dl.status(), StatusCode::OK);
    assert!(
        dl.headers()["content-disposition"]
            .to_str()
            .expect("cd")
            .starts_with("attachment")
    );
    assert_eq!(dl.bytes().await.expect("bytes").to_vec(), pdf);
    assert_eq!(
        other
            .get(&format!("/api/v1/deliverable-files/{fid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Accept; then nothing more to submit.
    let r = office
        .post(&review, json!({"decision": "accept", "comment": "收到"}))
        .await;
    assert_eq!(r.body["requirement"]["status"], "accepted");
    assert_eq!(
        yj.post(&path, json!({"note": "more"})).await.status,
        StatusCode::CONFLICT
    );

    // Summary and filters. The other requirement is pending past its due day: late too.
    let list = office.get("/api/v1/deliverables").await;
    let s = summary(&list.body, "implementation_plan");
    assert_eq!(s["required"], 2);
    assert_eq!(s["submitted"], 1);
    assert_eq!(s["accepted"], 1);
    assert_eq!(s["late"], 2);
    let r = office
        .get("/api/v1/deliverable-requirements?status=accepted")
        .await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["org_code"], "220500-YJ");
    let r = office
        .get("/api/v1/deliverable-requirements?status=pending&org=220502-ZF")
        .await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["overdue"], true);
    assert_eq!(r.body["items"][0]["late"], true);
    let r = office
        .get("/api/v1/deliverable-requirements?status=bogus")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A county's accounts see only their own region.
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = county.get("/api/v1/deliverable-requirements").await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["org_code"], "220502-ZF");
    assert_eq!(app.audit_count("deliverable.submit", "ok").await, 2);
    assert_eq!(app.audit_count("deliverable.review", "ok").await, 2);
    assert!(app.audit_count("deliverable.submit", "denied").await >= 2);
}

#[tokio::test]
async fn the_pages_list_and_take_a_multipart_submission_with_the_token_in_the_query() {
    let app = spawn_app().await;
    app.create_user("dlv_office", Role::Office, "220500-AWB")
        .await;
    app.create_user("dlv_yj", Role::Department, "220500-YJ")
        .await;
    let office = app.browser_as("dlv_office").await;
    let p = office.get("/deliverables").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("实施方案"));
    let p = office
        .post_form(
            "/deliverables/implementation_plan/require",
            &[("orgs", "220500-YJ")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = office
        .post_form(
            "/deliverables",
            &[
                ("code", "flood_plan"),
                ("title", "防汛预案"),
                ("due", "2026-07-01"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = office
        .post_form(
            "/deliverables",
            &[
                ("code", "flood_plan"),
                ("title", "防汛预案"),
                ("due", "2026-07-01"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = requirement_id(&app, "implementation_plan", "220500-YJ").await;
    let yj = app.browser_as("dlv_yj").await;
    let p = yj.get(&format!("/deliverables/requirements/{id}")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body
            .contains(&format!("/deliverables/requirements/{id}/submit?_csrf="))
    );
    let (ct, body) = multipart(
        &[("note", "网页报送")],
        &[("files", "a.txt", "报送内容：实施方案已制定".as_bytes())],
    );
    let without = yj
        .client
        .post(format!("{}/deliverables/requirements/{id}/submit", yj.base))
        .header("content-type", &ct)
        .body(body.clone())
        .send()
        .await
        .expect("post");
    assert_eq!(without.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let r = yj
        .client
        .post(format!(
            "{}/deliverables/requirements/{id}/submit?_csrf={}",
            yj.base, yj.csrf
        ))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = office
        .get(&format!("/deliverables/requirements/{id}"))
        .await;
    assert!(p.body.contains("网页报送"));
    assert!(p.body.contains("id=\"review\""));
    let p = office
        .post_form(
            &format!("/deliverables/requirements/{id}/review"),
            &[("decision", "accept")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT status FROM deliverable_requirement WHERE id = {id}"
        ))
        .await
        .as_deref(),
        Some("accepted")
    );
}
