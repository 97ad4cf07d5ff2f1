//! The findings of the outside probe (issue 8), each pinned: what applies city-wide is changed
//! by the city office only, token revocation within scope, TOTP kept on until replaced with a
//! code, no open redirect, read-only tokens change nothing, the audit log scoped, and no
//! mistyped password kept in the audit log.

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::duties::{COUNTY_DW, compliance, item, record, this_quarter, today};
use crate::helpers::*;

/// After each scenario the audit chain still verifies: every record these findings add
/// (denials included) is linked and keyed like any other.
async fn chain_verifies(app: &TestApp) {
    let n = app.scalar_i64("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        anwei::audit::store::verify(&app.state.db, &app.state.audit_key)
            .await
            .expect("verify"),
        Ok(n as u64)
    );
}

const CSV: &str = "措施,序号,重点任务,责任单位,完成时限\r\n\
    一、压实安全生产责任,1,制定责任清单,各级党（工）委、政府,2026年6月底前完成\r\n";

#[tokio::test]
async fn a_county_office_cannot_change_what_applies_to_the_whole_city() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let before = city.get("/api/v1/policy/tasks/10").await.body;
    let edit = json!({"content": "县里改的", "units_text": "各级政府", "deadline_text": "2030年1月底前完成"});
    let r = county.patch("/api/v1/policy/tasks/10", edit.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        city.get("/api/v1/policy/tasks/10").await.body,
        before,
        "the task is as it was"
    );
    // An imported policy would be listed in every county.
    let (ct, body) = multipart(
        &[
            ("code", "county-2026"),
            ("doc_number", "东安委〔2026〕1号"),
            ("title", "县里的表"),
            ("issuer", "东昌区安委会"),
            ("issued_on", "2026-03-01"),
        ],
        &[("file", "tasks.csv", CSV.as_bytes())],
    );
    let r = county
        .post_raw("/api/v1/policies/import?dry_run=false", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy WHERE code = 'county-2026'")
            .await,
        0
    );
    let r = county
        .post(
            "/api/v1/deliverables",
            json!({"code": "county_list", "title": "县里的报送", "due": "2030-01-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let month = Period::containing(PeriodKind::Month, today());
    let period = json!({"name": "县定敏感期", "start": today().to_string(), "end": month.end().to_string(),
                        "rules": [{"rule": "party_member_inspection_quarterly", "period": "month", "min_count": 100}]});
    let r = county
        .post("/api/v1/duties/sensitive-periods", period.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM sensitive_period")
            .await,
        0
    );
    for action in [
        "policy.task_edit",
        "policy.import",
        "deliverable.add",
        "sensitive_period.create",
    ] {
        assert_eq!(app.audit_count(action, "denied").await, 1, "{action}");
    }
    // The city office still can.
    let r = city.patch("/api/v1/policy/tasks/10", edit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = city.post("/api/v1/duties/sensitive-periods", period).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    chain_verifies(&app).await;
}

#[tokio::test]
async fn the_city_office_ends_or_withdraws_a_sensitive_period_and_it_stops_tightening() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let member = position_id(&t, COUNTY_DW, "standing_member", 0).await;
    let r = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &today().to_string(),
        "常委带队检查",
        Some(member),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let q = this_quarter().code();
    let rule = "party_member_inspection_quarterly";
    let status = |b: &Value| item(b, rule, Some(member))["status"].clone();
    assert_eq!(status(&compliance(&t, &q, COUNTY_DW).await.body), "met");
    let month = Period::containing(PeriodKind::Month, today());
    let r = city
        .post(
            "/api/v1/duties/sensitive-periods",
            json!({"name": "误设的时期", "start": today().to_string(), "end": month.end().to_string(),
                   "rules": [{"rule": rule, "period": "month", "min_count": 100}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    assert_eq!(status(&compliance(&t, &q, COUNTY_DW).await.body), "due");
    // Only the city office, with a reason.
    let path = format!("/api/v1/duties/sensitive-periods/{id}/withdraw");
    assert_eq!(
        county.post(&path, json!({"reason": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = city.post(&path, json!({"reason": ""})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["reason"].is_string(), "{}", r.body);
    let r = city.post(&path, json!({"reason": "最低次数填错"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        status(&compliance(&t, &q, COUNTY_DW).await.body),
        "met",
        "a withdrawn period tightens nothing"
    );
    assert_eq!(
        city.post(&path, json!({"reason": "again"})).await.status,
        StatusCode::CONFLICT
    );
    let list = city.get("/api/v1/duties/sensitive-periods").await;
    let listed = &list.body["items"][0];
    assert_eq!(listed["withdrawn"], true, "kept for the record: {listed}");
    assert_eq!(listed["withdraw_reason"], "最低次数填错");
    assert_eq!(app.audit_count("sensitive_period.withdraw", "ok").await, 1);
    assert_eq!(
        app.audit_count("sensitive_period.withdraw", "denied").await,
        1
    );
    // Ending one early: its last day becomes today, never earlier.
    let r = city
        .post(
            "/api/v1/duties/sensitive-periods",
            json!({"name": "汛期", "start": today().to_string(), "end": month.end().to_string(),
                   "rules": [{"rule": rule, "period": "month", "min_count": 1}]}),
        )
        .await;
    let id = r.body["id"].as_i64().expect("id");
    let end = format!("/api/v1/duties/sensitive-periods/{id}/end");
    let yesterday = (today() - chrono::Duration::days(1)).to_string();
    let r = city
        .post(&end, json!({"reason": "提前结束", "end": yesterday}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = city.post(&end, json!({"reason": "提前结束"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = city.get("/api/v1/duties/sensitive-periods").await;
    let ended = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["id"].as_i64() == Some(id))
        .expect("listed")
        .clone();
    assert_eq!(ended["end_date"], today().to_string());
    assert_eq!(app.audit_count("sensitive_period.end", "ok").await, 1);
    chain_verifies(&app).await;
}

#[tokio::test]
async fn a_county_administrator_revokes_tokens_in_the_county_only() {
    let app = spawn_app().await;
    app.create_user("cityadmin", Role::Admin, "220500-AWB")
        .await;
    let city_token = app.token("cityadmin").await;
    let city_token_id = app.scalar_i64("SELECT MAX(id) FROM api_token").await;
    app.create_user("a502", Role::Admin, "220502-AWB").await;
    let mut county_admin = app.anon();
    county_admin.token = app.token("a502").await;
    let r = county_admin
        .post(&format!("/api/v1/tokens/{city_token_id}/revoke"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(app.audit_count("token.revoke", "denied").await, 1);
    let mut city = app.anon();
    city.token = city_token;
    assert_eq!(
        city.get("/api/v1/me").await.status,
        StatusCode::OK,
        "the city's login still works"
    );
    // A token of an account in the county can be revoked by the county's administrator.
    app.create_user("dc_staff", Role::Territory, "220502-AWB")
        .await;
    let staff_token = app.token("dc_staff").await;
    let staff_id = app.scalar_i64("SELECT MAX(id) FROM api_token").await;
    let r = county_admin
        .post(&format!("/api/v1/tokens/{staff_id}/revoke"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut staff = app.anon();
    staff.token = staff_token;
    assert_eq!(
        staff.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    // An id that does not exist answers the same.
    assert_eq!(
        county_admin
            .post("/api/v1/tokens/999999/revoke", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    chain_verifies(&app).await;
}

fn code(raw: &[u8], steps_ahead: i64) -> String {
    anwei::auth::crypto::totp_code(raw, anwei::db::now_ms() / 30_000 + steps_ahead)
}

async fn login_with(app: &TestApp, user: &str, totp: &str) -> StatusCode {
    app.anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": user, "password": PASSWORD, "totp": totp}),
        )
        .await
        .status
}

#[tokio::test]
async fn totp_stays_on_until_a_new_secret_is_confirmed_and_is_turned_off_only_with_a_code() {
    let app = spawn_app().await;
    app.create_user("sun", Role::Office, "220500-AWB").await;
    // A bearer token of the same account, made before TOTP is on.
    let mut bearer = app.anon();
    bearer.token = app.token("sun").await;
    let w = app.browser_as("sun").await;
    w.post_form("/account/totp/begin", &[]).await;
    let first = totp_secret(&w.get("/account/totp").await.body);
    let r = w
        .post_form("/account/totp/confirm", &[("code", &code(&first, 0))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Beginning again without a current code (or with a wrong one) changes nothing.
    let r = w.post_form("/account/totp/begin", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .post_form("/account/totp/begin", &[("current_code", "000000")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let on_and_nothing_pending = "SELECT COUNT(*) FROM account WHERE username = 'sun' AND totp_enabled AND totp_pending IS NULL";
    assert_eq!(app.scalar_i64(on_and_nothing_pending).await, 1);
    // From a bearer token: never, whatever its role.
    let r = bearer.post("/account/totp/begin", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = bearer.post("/account/totp/disable", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.scalar_i64(on_and_nothing_pending).await, 1);
    // Replacing with a current code: the old secret stays in force until the new one is
    // confirmed.
    let r = w
        .post_form("/account/totp/begin", &[("current_code", &code(&first, 1))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let second = totp_secret(&w.get("/account/totp").await.body);
    assert_ne!(first, second);
    assert_eq!(
        login_with(&app, "sun", &code(&second, 0)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the pending secret does not open a login"
    );
    let r = w
        .post_form("/account/totp/confirm", &[("code", &code(&second, 0))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar_i64(on_and_nothing_pending).await,
        1,
        "the new secret is the active one"
    );
    // Turning it off asks for the password and a current code.
    let r = w
        .post_form(
            "/account/totp/disable",
            &[
                ("password", "wrong-password"),
                ("current_code", &code(&second, 1)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .post_form(
            "/account/totp/disable",
            &[("password", PASSWORD), ("current_code", &code(&second, 1))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "sun", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "off: the password alone again");
    assert_eq!(app.audit_count("auth.totp_disable", "ok").await, 1);
    assert_eq!(app.audit_count("auth.totp_begin", "denied").await, 1);
    assert_eq!(app.audit_count("auth.totp_disable", "denied").await, 1);
    chain_verifies(&app).await;
}

#[tokio::test]
async fn a_read_only_token_changes_nothing_not_even_its_own_account() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post("/api/v1/tokens", json!({"name": "看板", "role": "leader"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mut ro = app.anon();
    ro.token = r.body["token"].as_str().expect("token").to_string();
    assert_eq!(
        ro.get("/api/v1/me").await.status,
        StatusCode::OK,
        "it reads"
    );
    let full_id = app
        .scalar_i64(&format!(
            "SELECT MIN(t.id) FROM api_token t JOIN account a ON a.id = t.account_id WHERE a.username = '{}'",
            office.username
        ))
        .await;
    let calls: Vec<(&str, Value)> = vec![
        (
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "Zq7!vR2#mK9@wL4$"}),
        ),
        ("/api/v1/tokens", json!({"name": "x"})),
        (
            &*Box::leak(format!("/api/v1/tokens/{full_id}/revoke").into_boxed_str()),
            json!({}),
        ),
        ("/account/totp/begin", json!({})),
        ("/api/v1/auth/logout", json!({})),
    ];
    for (path, body) in calls {
        let r = ro.post(path, body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        if path.starts_with("/api/") {
            assert_eq!(r.body["error"], "read_only_token", "{path}");
        }
    }
    assert_eq!(
        office.get("/api/v1/me").await.status,
        StatusCode::OK,
        "the owner's full token still works"
    );
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM api_token t JOIN account a ON a.id = t.account_id WHERE a.username = '{}'",
            office.username
        ))
        .await,
        2,
        "no token was made"
    );
    assert_eq!(app.audit_count("token.read_only", "denied").await, 5);
    chain_verifies(&app).await;
}

#[tokio::test]
async fn only_local_paths_without_control_characters_are_followed() {
    let app = spawn_app().await;
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for back in [
        "/%09/127.0.0.1:18091/x",
        "/%0a/x",
        "/%0d%0a/x",
        "/%5C%5Cevil.example",
        "/%20/evil.example",
    ] {
        let r = c
            .get(app.url(&format!("/lang?to=en&back={back}")))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{back}");
        assert_eq!(r.headers()["location"], "/", "{back}");
    }
    let r = c
        .get(app.url("/lang?to=en&back=/policy%3Fpolicy%3Dx"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()["location"], "/policy?policy=x");
    // Signed in, `/login?next=` redirects at once: the same rule.
    app.create_user("li", Role::Office, "220500-AWB").await;
    let w = app.browser_as("li").await;
    for next in ["/%09/127.0.0.1:18091/x", "/%0a/x"] {
        let p = w.get(&format!("/login?next={next}")).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(p.location(), "/", "{next}");
    }
    for (input, want) in [
        ("/\t/evil", "/"),
        ("/\n/x", "/"),
        ("/ok/\u{7f}", "/"),
        ("/a\\b", "/"),
        ("/duties?period=2026Q3", "/duties?period=2026Q3"),
    ] {
        assert_eq!(
            anwei::auth::pages::safe_next(Some(input)),
            want,
            "{input:?}"
        );
    }
    chain_verifies(&app).await;
}

#[tokio::test]
async fn the_audit_log_is_scoped_like_every_other_list() {
    let app = spawn_app().await;
    let city_office = app.api_as(Role::Office, "220500-AWB").await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let county_admin = app.api_as(Role::Admin, "220502-AWB").await;
    let city_auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    let actors = |r: &Resp| -> Vec<String> {
        r.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["actor_name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let r = county_admin
        .get(&format!("/api/v1/audit?actor={}", city_office.username))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        actors(&r).is_empty(),
        "the city's records are outside: {:?}",
        actors(&r)
    );
    let r = county_admin.get("/api/v1/audit").await;
    let seen = actors(&r);
    assert!(seen.contains(&county_office.username), "{seen:?}");
    assert!(!seen.contains(&city_office.username), "{seen:?}");
    assert!(
        !seen.iter().any(|a| a.starts_with("system:")),
        "system records belong to the city: {seen:?}"
    );
    let r = city_auditor
        .get(&format!("/api/v1/audit?actor={}", city_office.username))
        .await;
    assert!(!actors(&r).is_empty(), "the city's auditor sees all");
    let r = city_auditor
        .get("/api/v1/audit?action=account.create")
        .await;
    assert!(
        actors(&r).iter().any(|a| a.starts_with("system:")),
        "system records too"
    );
    chain_verifies(&app).await;
}

#[tokio::test]
async fn a_password_typed_as_a_username_is_not_kept_in_the_audit_log() {
    let app = spawn_app().await;
    app.create_user("zhou", Role::Office, "220500-AWB").await;
    let typed = "Mistyped-Secret-9Q!";
    for _ in 0..2 {
        let r = app
            .anon()
            .post(
                "/api/v1/auth/login",
                json!({"username": typed, "password": "whatever"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE actor_name LIKE '%{typed}%' OR detail LIKE '%{typed}%'"
        ))
        .await,
        0
    );
    let names = app
        .scalar_i64(
            "SELECT COUNT(DISTINCT actor_name) FROM audit_log WHERE action = 'auth.login' AND actor_name LIKE 'unknown:%'",
        )
        .await;
    assert_eq!(names, 1, "the same text gives the same pseudonym");
    // A known username is kept as it is.
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "zhou", "password": "wrong-password"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM audit_log WHERE actor_name = 'zhou' AND outcome = 'failed'"
        )
        .await,
        1
    );
    chain_verifies(&app).await;
}

#[tokio::test]
async fn outside_the_scope_a_change_is_not_found_like_a_read() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let county_admin = app.api_as(Role::Admin, "220502-AWB").await;
    let city_position = position_id(&city, "220500-ZF", "principal", 0).await;
    let r = county_office
        .get(&format!("/api/v1/positions/{city_position}"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = county_office
        .post("/api/v1/orgs/220500-ZF/rename", json!({"name": "改名"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let city_account = app
        .create_user("cityperson", Role::Office, "220500-AWB")
        .await;
    let r = county_admin
        .post(
            &format!("/api/v1/accounts/{city_account}/reset-password"),
            json!({"password": "Zq7!vR2#mK9@wL4$"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Inside the scope, a missing permission is 403.
    let dept = app.api_as(Role::Department, "220502-YJ").await;
    let r = dept
        .post("/api/v1/orgs/220502-YJ/rename", json!({"name": "改名"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(app.audit_count("org.rename", "denied").await >= 2);
    chain_verifies(&app).await;
}

#[tokio::test]
async fn names_with_bidirectional_controls_are_refused() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            "/api/v1/persons",
            json!({"name": "张\u{202e}三", "org_code": "220500-AWB"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["name"].is_string(), "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM person WHERE name LIKE '张%三'")
            .await,
        0
    );
    chain_verifies(&app).await;
}

#[tokio::test]
async fn an_upload_whose_file_name_is_not_utf8_is_refused_whole() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let before = app.scalar_i64("SELECT COUNT(*) FROM activity").await;
    let boundary = "XbOuNdArY";
    let mut body = Vec::new();
    for (k, v) in [
        ("org_code", COUNTY_DW),
        ("kind", "special_meeting"),
        ("date", &today().to_string()),
        ("title", "专题会议"),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"")
            .as_bytes(),
    );
    body.extend_from_slice(b"\xff\xfe\xb4\xfa.pdf");
    body.extend_from_slice(b"\"\r\nContent-Type: application/pdf\r\n\r\n");
    body.extend_from_slice(crate::duties::MINUTES);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = t
        .post_raw(
            "/api/v1/activities",
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["files"].is_string(), "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity").await,
        before,
        "nothing saved"
    );
    chain_verifies(&app).await;
}

#[tokio::test]
async fn a_chunked_json_body_over_the_limit_is_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut s = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    s.write_all(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )
    .await
    .expect("head");
    let chunk = vec![b' '; 64 * 1024];
    // 3 MiB of whitespace, more than the 2 MiB limit; the server may stop reading early.
    for _ in 0..48 {
        let mut part = format!("{:x}\r\n", chunk.len()).into_bytes();
        part.extend_from_slice(&chunk);
        part.extend_from_slice(b"\r\n");
        if s.write_all(&part).await.is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        s.read_to_end(&mut answer),
    )
    .await;
    let head = String::from_utf8_lossy(&answer[..answer.len().min(40)]).to_string();
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    chain_verifies(&app).await;
}

#[tokio::test]
async fn the_api_docs_page_keeps_object_src_none_and_the_pre_login_cookie_is_secure_over_https() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.public_url = "https://anwei.example.gov.cn".into()),
    })
    .await;
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let docs = c.get(app.url("/api/docs/")).send().await.expect("docs");
    let csp = docs.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_string();
    assert!(csp.contains("object-src 'none'"), "{csp}");
    let login = c.get(app.url("/login")).send().await.expect("login");
    let cookie = login.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cookie.starts_with("anwei_pre="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    chain_verifies(&app).await;
}
