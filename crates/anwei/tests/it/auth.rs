//! Tests of login, sessions, CSRF, TOTP, API tokens and first-run set-up.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

async fn api_login(app: &TestApp, u: &str, p: &str) -> Resp {
    app.anon()
        .post("/api/v1/auth/login", json!({"username": u, "password": p}))
        .await
}

#[tokio::test]
async fn api_login_answers_a_token_that_opens_the_api() {
    let app = spawn_app().await;
    app.create_user("zhang", Role::Office, "220500-AWB").await;
    let r = api_login(&app, "zhang", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut api = app.anon();
    api.token = r.body["token"].as_str().unwrap().to_string();
    let me = api.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["username"], "zhang");
    assert_eq!(me.body["role"], "office");
    assert_eq!(app.audit_count("auth.login", "ok").await, 1);
}

#[tokio::test]
async fn wrong_and_unknown_credentials_get_the_same_401_and_are_audited() {
    let app = spawn_app().await;
    app.create_user("zhang", Role::Office, "220500-AWB").await;
    let wrong = api_login(&app, "zhang", "Wrong-Password-2026").await;
    let unknown = api_login(&app, "nobody", "Wrong-Password-2026").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body["message"], unknown.body["message"],
        "no account enumeration"
    );
    assert_eq!(app.audit_count("auth.login", "failed").await, 2);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password() {
    let app = spawn_app().await;
    app.create_user("li", Role::Department, "220500-YJ").await;
    for i in 1..=4 {
        assert_eq!(
            api_login(&app, "li", "Wrong-Password-2026").await.status,
            StatusCode::UNAUTHORIZED,
            "failure {i}"
        );
    }
    let fifth = api_login(&app, "li", "Wrong-Password-2026").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.body["message"].as_str().unwrap().contains("15"));
    let right = api_login(&app, "li", PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked even with the right password"
    );
    // The lock lives in the database (so it holds across instances) and expires.
    let until = app
        .scalar_i64("SELECT locked_until FROM account WHERE username = 'li'")
        .await;
    let mins = (until - anwei::db::now_ms()) / 60_000;
    assert!(
        (14..=15).contains(&mins),
        "locked for ~15 minutes, got {mins}"
    );
    app.exec("UPDATE account SET locked_until = 1 WHERE username = 'li'")
        .await;
    assert_eq!(api_login(&app, "li", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_per_ip_rate_limit_slows_password_guessing() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.login_rate_per_minute = 3),
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            api_login(&app, "x", "y-Password-2026").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let r = api_login(&app, "x", "y-Password-2026").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.body["error"], "too_many_requests");
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in() {
    let app = spawn_app().await;
    app.create_user("wang", Role::Leader, "220500-ZF").await;
    app.exec("UPDATE account SET disabled = TRUE WHERE username = 'wang'")
        .await;
    assert_eq!(
        api_login(&app, "wang", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.audit_count("auth.login", "denied").await, 1);
}

#[tokio::test]
async fn form_login_sets_a_new_httponly_lax_session_cookie_and_logout_ends_it() {
    let app = spawn_app().await;
    app.create_user("zhao", Role::Territory, "220502-AWB").await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client.get(app.url("/login")).send().await.unwrap();
    let pre = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("anwei_pre="))
        .unwrap();
    let pre_val = pre
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("anwei_pre=")
        .to_string();
    let html = form.text().await.unwrap();
    let csrf = extract_csrf(&html).unwrap();
    assert_eq!(csrf, pre_val);
    let login = |cookie: String| {
        let client = client.clone();
        let url = app.url("/login");
        let csrf = csrf.clone();
        async move {
            client
                .post(url)
                .header("cookie", cookie)
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("username", "zhao"),
                    ("password", PASSWORD),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r1 = login(format!("anwei_pre={pre_val}")).await;
    assert_eq!(r1.status(), StatusCode::SEE_OTHER);
    let set = r1
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.starts_with("anwei_session="));
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"));
    assert!(!set.contains("Secure"), "plain http: no Secure flag");
    let s1 = set.split(';').next().unwrap().to_string();
    let r2 = login(format!("anwei_pre={pre_val}")).await;
    let s2 = r2
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(s1, s2, "every login gets a fresh session id");
    // Only a hash of the id is stored.
    let raw = s1.trim_start_matches("anwei_session=");
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM session WHERE id_hash = '{raw}'"
        ))
        .await,
        0
    );
    let home = client
        .get(app.url("/"))
        .header("cookie", &s1)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let page = home.text().await.unwrap();
    let token = extract_csrf(&page).unwrap();
    let out = client
        .post(app.url("/logout"))
        .header("cookie", &s1)
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = client
        .get(app.url("/"))
        .header("cookie", &s1)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "session ended: redirect to login"
    );
    assert!(
        after
            .headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
}

#[tokio::test]
async fn secure_cookies_and_hsts_when_the_public_url_is_https() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.public_url = "https://anwei.example.gov.cn".into()),
    })
    .await;
    app.create_user("zhao", Role::Territory, "220502-AWB").await;
    let mut w = Web {
        base: app.base.clone(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        csrf: String::new(),
    };
    // Without a cookie store, log in by hand to read the header.
    let form = w.client.get(app.url("/login")).send().await.unwrap();
    assert!(form.headers().get("strict-transport-security").is_some());
    let pre = form
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = extract_csrf(&form.text().await.unwrap()).unwrap();
    let r = w
        .client
        .post(app.url("/login"))
        .header("cookie", pre)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "zhao"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let set = r.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(set.contains("; Secure"), "{set}");
    w.csrf = String::new();
}

#[tokio::test]
async fn an_idle_session_expires_after_thirty_minutes_and_any_after_twelve_hours() {
    let app = spawn_app().await;
    app.create_user("zhao", Role::Territory, "220502-AWB").await;
    let w = app.browser_as("zhao").await;
    assert_eq!(w.get("/").await.status, StatusCode::OK);
    let now = anwei::db::now_ms();
    app.exec(&format!(
        "UPDATE session SET last_seen_at = {}",
        now - 31 * 60_000
    ))
    .await;
    let p = w.get("/").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "idle too long");
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM session").await,
        0,
        "the stale session is deleted"
    );

    let w = app.browser_as("zhao").await;
    app.exec(&format!("UPDATE session SET expires_at = {}", now - 1))
        .await;
    assert_eq!(
        w.get("/").await.status,
        StatusCode::SEE_OTHER,
        "absolute limit"
    );
}

#[tokio::test]
async fn administrators_idle_out_after_fifteen_minutes() {
    let app = spawn_app().await;
    app.create_user("root1", Role::Admin, "220500-AWB").await;
    let w = app.browser_as("root1").await;
    let now = anwei::db::now_ms();
    app.exec(&format!(
        "UPDATE session SET last_seen_at = {}",
        now - 16 * 60_000
    ))
    .await;
    assert_eq!(w.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unsafe_requests_without_the_csrf_token_or_from_another_site_are_refused() {
    let app = spawn_app().await;
    app.create_user("office1", Role::Office, "220500-AWB").await;
    let w = app.browser_as("office1").await;
    let before = app.scalar_i64("SELECT COUNT(*) FROM org").await;
    let r = w
        .post_form_with(
            "wrong-token",
            "/orgs",
            &[
                ("code", "220502-NEW"),
                ("name", "新单位"),
                ("kind", "department"),
                ("region_code", "220502"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .client
        .post(app.url("/orgs"))
        .form(&[
            ("code", "220502-NEW"),
            ("name", "新单位"),
            ("kind", "department"),
            ("region_code", "220502"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no token at all");
    let r = w
        .client
        .post(app.url("/orgs"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("_csrf", w.csrf.as_str()),
            ("code", "220502-NEW"),
            ("name", "新单位"),
            ("kind", "department"),
            ("region_code", "220502"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "cross-site");
    let r = w
        .client
        .post(app.url("/orgs"))
        .header("origin", "http://evil.example")
        .form(&[
            ("_csrf", w.csrf.as_str()),
            ("code", "220502-NEW"),
            ("name", "新单位"),
            ("kind", "department"),
            ("region_code", "220502"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "foreign origin");
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM org").await,
        before,
        "nothing saved"
    );
    let ok = w
        .post_form(
            "/orgs",
            &[
                ("code", "220502-NEW"),
                ("name", "新单位"),
                ("kind", "department"),
                ("region_code", "220502"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "with the token it works");
    // The JSON API with a session cookie needs the header token too.
    let r = w
        .client
        .post(app.url("/api/v1/persons"))
        .json(&json!({"name": "某人"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = w
        .client
        .post(app.url("/api/v1/persons"))
        .header("x-csrf-token", &w.csrf)
        .json(&json!({"name": "某人"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_new_account_must_change_its_password_first_and_the_policy_is_enforced() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin.post("/api/v1/accounts", json!({"username": "newbie", "role": "department", "org_code": "220500-YJ", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut w = Web {
        base: app.base.clone(),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        csrf: String::new(),
    };
    assert_eq!(
        w.login("newbie", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let home = w.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location(), "/account/password");
    let form = w.get("/account/password").await;
    w.csrf = extract_csrf(&form.body).unwrap();
    let weak = w
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "short1A"),
                ("confirm_password", "short1A"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("密码强度不足"), "field error shown");
    let mism = w
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "Another-Strong-2026"),
                ("confirm_password", "Different-Strong-2026"),
            ],
        )
        .await;
    assert!(mism.body.contains("两次输入的密码不一致"));
    let ok = w
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "Another-Strong-2026"),
                ("confirm_password", "Another-Strong-2026"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.get("/").await.status,
        StatusCode::OK,
        "the new session works"
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM account WHERE username = 'newbie' AND must_change_password = FALSE").await, 1);
    assert_eq!(app.audit_count("auth.password_change", "ok").await, 1);
}

#[tokio::test]
async fn totp_once_enabled_is_required_at_login_and_a_code_works_once() {
    let app = spawn_app().await;
    app.create_user("sun", Role::Office, "220500-AWB").await;
    let w = app.browser_as("sun").await;
    assert_eq!(
        w.post_form("/account/totp/begin", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let raw = totp_secret(&w.get("/account/totp").await.body);
    let now = anwei::db::now_ms();
    let wrong = w
        .post_form("/account/totp/confirm", &[("code", "000000")])
        .await;
    assert!(wrong.body.contains("动态验证码不正确"));
    let code = anwei::auth::crypto::totp_code(&raw, now / 30_000);
    assert_eq!(
        w.post_form("/account/totp/confirm", &[("code", &code)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Password alone is no longer enough.
    let r = api_login(&app, "sun", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["totp"].is_string());
    // The code used to enable cannot be replayed; the next step's code works.
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "sun", "password": PASSWORD, "totp": code}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "replayed code refused"
    );
    let next = anwei::auth::crypto::totp_code(&raw, now / 30_000 + 1);
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "sun", "password": PASSWORD, "totp": next}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn administrators_must_set_up_totp_when_the_configuration_requires_it() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.require_totp_for_admin = true),
    })
    .await;
    app.create_user("root1", Role::Admin, "220500-AWB").await;
    app.create_user("office1", Role::Office, "220500-AWB").await;
    let w = app.browser_as("root1").await;
    let p = w.get("/admin/accounts").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location(), "/account/totp");
    let o = app.browser_as("office1").await;
    assert_eq!(
        o.get("/").await.status,
        StatusCode::OK,
        "other roles are not forced"
    );
}

#[tokio::test]
async fn api_tokens_are_shown_once_stored_hashed_scoped_and_revocable() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            "/api/v1/tokens",
            json!({"name": "数据对接", "role": "leader", "days": 30}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.body["token"].as_str().unwrap().to_string();
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM api_token WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "not stored in clear"
    );
    let list = office.get("/api/v1/tokens").await;
    assert!(
        !list.body.to_string().contains(&token),
        "never listed again"
    );
    let mut integ = app.anon();
    integ.token = token.clone();
    assert_eq!(
        integ.get("/api/v1/policy/tasks").await.status,
        StatusCode::OK
    );
    let me = integ.get("/api/v1/me").await;
    assert_eq!(me.body["role"], "leader", "acts with the token's role");
    // Leader tokens cannot edit the policy, though the owner (office) can.
    let edit = integ
        .patch(
            "/api/v1/policy/tasks/1",
            json!({"content": "x", "units_text": "各级党（工）委", "deadline_text": "长期坚持"}),
        )
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    // A token cannot be granted a role above its owner's.
    let up = office
        .post("/api/v1/tokens", json!({"name": "x", "role": "admin"}))
        .await;
    assert_eq!(up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(up.body["fields"]["role"].is_string());
    // Someone else cannot revoke it: to them it does not exist.
    let other = app.api_as(Role::Department, "220500-YJ").await;
    assert_eq!(
        other
            .post(&format!("/api/v1/tokens/{id}/revoke"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        office
            .post(&format!("/api/v1/tokens/{id}/revoke"), json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        integ.get("/api/v1/policy/tasks").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        office
            .post(&format!("/api/v1/tokens/{id}/revoke"), json!({}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(app.audit_count("token.create", "ok").await, 1);
    assert_eq!(app.audit_count("token.revoke", "ok").await, 1);
    assert_eq!(app.audit_count("token.revoke", "denied").await, 1);
}

#[tokio::test]
async fn the_token_page_shows_a_new_token_once() {
    let app = spawn_app().await;
    app.create_user("office1", Role::Office, "220500-AWB").await;
    let w = app.browser_as("office1").await;
    let p = w
        .post_form(
            "/account/tokens",
            &[("name", "对接"), ("role", "office"), ("days", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    let tok = p
        .body
        .split("id=\"new-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(tok.starts_with("anw_"));
    let again = w.get("/account/tokens").await;
    assert!(!again.body.contains(&tok));
    let bad = w
        .post_form(
            "/account/tokens",
            &[("name", ""), ("role", "office"), ("days", "abc")],
        )
        .await;
    assert!(bad.body.contains("有效天数应为"), "days error shown");
}

#[tokio::test]
async fn first_run_setup_link_creates_the_administrator_once() {
    let app = spawn_app().await;
    let token = anwei::auth::setup::issue_if_needed(&app.state)
        .await
        .unwrap()
        .expect("no account yet, so a token");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(
        client
            .get(app.url("/setup?token=wrong"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let form = client
        .get(app.url(&format!("/setup?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let csrf = extract_csrf(&form.text().await.unwrap()).unwrap();
    let weak = client
        .post(app.url("/setup"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("token", token.as_str()),
            ("username", "chief"),
            ("display_name", "管理员"),
            ("password", "weak"),
            ("confirm_password", "weak"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = client
        .post(app.url("/setup"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("token", token.as_str()),
            ("username", "chief"),
            ("display_name", "管理员"),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM account WHERE username = 'chief' AND role = 'admin'")
            .await,
        1
    );
    assert_eq!(
        client
            .get(app.url(&format!("/setup?token={token}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND,
        "spent"
    );
    assert!(
        anwei::auth::setup::issue_if_needed(&app.state)
            .await
            .unwrap()
            .is_none(),
        "no new link once an account exists"
    );
}

#[tokio::test]
async fn login_redirects_only_to_local_paths() {
    assert_eq!(anwei::auth::pages::safe_next(Some("/policy")), "/policy");
    assert_eq!(anwei::auth::pages::safe_next(Some("//evil.example")), "/");
    assert_eq!(
        anwei::auth::pages::safe_next(Some("https://evil.example")),
        "/"
    );
    assert_eq!(anwei::auth::pages::safe_next(Some("/\\evil")), "/");
    assert_eq!(anwei::auth::pages::safe_next(None), "/");
}

#[tokio::test]
async fn the_api_also_holds_a_forced_password_change_until_it_is_done() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin.post("/api/v1/accounts", json!({"username": "apinew", "role": "office", "org_code": "220500-AWB", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mut u = app.anon();
    u.token = api_login(&app, "apinew", PASSWORD).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let blocked = u.get("/api/v1/orgs").await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert_eq!(blocked.body["error"], "password_change_required");
    assert_eq!(
        u.get("/api/v1/me").await.status,
        StatusCode::OK,
        "who am I still answers"
    );
    let weak = u
        .post(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "weak"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body["fields"]["new_password"].is_string());
    let ok = u
        .post(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "Brand-New-Pass-2026"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        u.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "the login token ended with the change"
    );
    let again = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "apinew", "password": "Brand-New-Pass-2026"}),
        )
        .await;
    u.token = again.body["token"].as_str().unwrap().to_string();
    assert_eq!(u.get("/api/v1/orgs").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_keyboard_row_as_the_new_password_is_refused_saying_why_in_either_language() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let body = json!({"current_password": PASSWORD, "new_password": "qwertyuiopasdfgh"});
    let zh = office.post("/api/v1/me/password", body.clone()).await;
    assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zh.body);
    let msg = zh.body["fields"]["new_password"]
        .as_str()
        .unwrap_or_default();
    assert!(
        msg.contains("容易被猜出") && msg.contains("键盘"),
        "Chinese by default, naming the keyboard: {}",
        zh.body
    );
    let en = office
        .send(
            office
                .client
                .post(app.url("/api/v1/me/password"))
                .bearer_auth(&office.token)
                .header("accept-language", "en")
                .json(&body),
        )
        .await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", en.body);
    let msg = en.body["fields"]["new_password"]
        .as_str()
        .unwrap_or_default();
    assert!(
        msg.contains("easy to guess") && msg.contains("keyboard"),
        "English on request: {}",
        en.body
    );
    assert_eq!(
        api_login(&app, &office.username, PASSWORD).await.status,
        StatusCode::OK,
        "the password is unchanged"
    );
}

#[tokio::test]
async fn a_demoted_owners_tokens_stop_working_except_read_only_ones() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let full = office
        .post("/api/v1/tokens", json!({"name": "full"}))
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let ro = office
        .post("/api/v1/tokens", json!({"name": "ro", "role": "leader"}))
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let id = office.get("/api/v1/me").await.body["id"].as_i64().unwrap();
    // Even if the role changed behind the service's back, a token never acts above it.
    app.exec(&format!(
        "UPDATE account SET role = 'department' WHERE id = {id}"
    ))
    .await;
    let mut t = app.anon();
    t.token = full.clone();
    assert_eq!(
        t.get("/api/v1/policy/tasks").await.status,
        StatusCode::UNAUTHORIZED,
        "office token of a department user"
    );
    t.token = ro.clone();
    assert_eq!(
        t.get("/api/v1/policy/tasks").await.status,
        StatusCode::OK,
        "a read-only token stays within the new role"
    );
    // Through the service, a change of role revokes every token at once.
    app.exec(&format!(
        "UPDATE account SET role = 'office' WHERE id = {id}"
    ))
    .await;
    let r = admin
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({"role": "department"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        t.get("/api/v1/policy/tasks").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn rate_limited_and_locked_answers_say_when_to_retry() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.login_rate_per_minute = 1),
    })
    .await;
    api_login(&app, "x", "y-Password-2026").await;
    let r = api_login(&app, "x", "y-Password-2026").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.body["error"], "too_many_requests");
    assert_eq!(r.headers.get("retry-after").unwrap(), "60");
    // A locked account (five wrong passwords, under the per-IP limit) says it too.
    let app = spawn_app().await;
    app.create_user("li", Role::Department, "220500-YJ").await;
    for i in 1..=4 {
        let r = api_login(&app, "li", "Wrong-Password-2026").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failure {i}");
        assert!(r.headers.get("retry-after").is_none(), "failure {i}");
    }
    let fifth = api_login(&app, "li", "Wrong-Password-2026").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fifth.headers.get("retry-after").unwrap(), "60");
    let locked = api_login(&app, "li", PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    assert_eq!(locked.headers.get("retry-after").unwrap(), "60");
    assert_eq!(
        app.audit_count("auth.login", "denied").await,
        1,
        "the locked login"
    );
}

#[tokio::test]
async fn auditors_and_enterprises_cannot_widen_their_reach_with_a_leader_token() {
    let app = spawn_app().await;
    for (role, org) in [
        (Role::Auditor, "220500-AWB"),
        (Role::Enterprise, "220502-ZF"),
    ] {
        let u = app.api_as(role, org).await;
        let r = u
            .post("/api/v1/tokens", json!({"name": "wider", "role": "leader"}))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{role:?}: {}",
            r.body
        );
        assert!(r.body["fields"]["role"].is_string());
    }
    // Even a leader token that exists for such an owner (made before a role change) is refused.
    let u = app.api_as(Role::Office, "220500-AWB").await;
    let tok = u
        .post("/api/v1/tokens", json!({"name": "ro", "role": "leader"}))
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    app.exec(&format!(
        "UPDATE account SET role = 'auditor' WHERE username = '{}'",
        u.username
    ))
    .await;
    let mut t = app.anon();
    t.token = tok;
    assert_eq!(t.get("/api/v1/orgs").await.status, StatusCode::UNAUTHORIZED);
}
