//! Tests of account administration: create, disable, reset password, change role or
//! organisation, the administrator's scope, and the pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

fn uniq(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

fn new_account(username: &str, role: &str, org: &str) -> Value {
    json!({"username": username, "display_name": "新同事", "email": "x@example.cn",
           "role": role, "org_code": org, "password": PASSWORD})
}

/// A user made by the system, with an API token and a browser session.
async fn user_with_sessions(app: &TestApp, role: Role, org: &str) -> (i64, String, Api, Web) {
    let name = uniq(role.code());
    let id = app.create_user(&name, role, org).await;
    let web = app.browser_as(&name).await;
    let api = Api {
        base: app.base.clone(),
        token: app.token(&name).await,
        username: name.clone(),
        client: reqwest::Client::new(),
    };
    (id, name, api, web)
}

async fn denied_counts(app: &TestApp) -> [i64; 6] {
    let mut out = [0; 6];
    for (i, a) in [
        "account.list",
        "account.create",
        "account.read",
        "account.update",
        "account.disable",
        "account.reset_password",
    ]
    .into_iter()
    .enumerate()
    {
        out[i] = app.audit_count(a, "denied").await;
    }
    out
}

async fn login_status(app: &TestApp, username: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login")
        .status()
}

#[tokio::test]
async fn the_administrator_creates_an_account_that_must_change_its_password_at_first_login() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let name = uniq("new");
    let r = admin
        .post(
            "/api/v1/accounts",
            new_account(&name, "department", "220502-YJ"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let acc = &r.body["account"];
    assert_eq!(acc["username"], name.as_str());
    assert_eq!(acc["role"], "department");
    assert_eq!(acc["org_code"], "220502-YJ");
    assert_eq!(acc["must_change_password"], true);
    assert_eq!(acc["disabled"], false);
    assert!(acc.get("password_hash").is_none());
    assert_eq!(
        app.audit_count("account.create", "ok").await,
        2,
        "the admin and this one"
    );
    let hash = app
        .scalar_text(&format!(
            "SELECT password_hash FROM account WHERE username = '{name}'"
        ))
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(PASSWORD));
    // At first login every page sends the person to change the password.
    let w = app.browser_as(&name).await;
    let p = w.get("/orgs").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location(), "/account/password");
    let id = acc["id"].as_i64().unwrap();
    let g = admin.get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(g.body["account"]["username"], name.as_str());
    let list = admin.get("/api/v1/accounts?role=department").await;
    assert!(
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id)
    );
}

#[tokio::test]
async fn a_weak_password_is_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM account").await;
    for pw in ["short1A!", "abcdefghijkl", "abcdefGHIJKL", "Password1234"] {
        let mut body = new_account("weakling", "office", "220500-AWB");
        body["password"] = json!(pw);
        let r = admin.post("/api/v1/accounts", body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{pw}");
        assert!(r.body["fields"]["password"].is_string(), "{pw}: {}", r.body);
    }
    let mut body = new_account("weakling", "office", "220500-AWB");
    body["password"] = json!("weakling-Password-1");
    let r = admin.post("/api/v1/accounts", body).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "contains username"
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM account").await, n);
    // A long passphrase alone is enough; so are 12 characters of three classes.
    for (u, pw) in [
        ("phrase_user", "correct horse battery staple"),
        ("classes_user", "abcdefGHIJ12"),
    ] {
        let mut body = new_account(u, "office", "220500-AWB");
        body["password"] = json!(pw);
        let r = admin.post("/api/v1/accounts", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{pw}: {}", r.body);
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM account").await, n + 2);
}

#[tokio::test]
async fn bad_account_input_names_the_field() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM account").await;
    let cases = [
        (
            new_account(&admin.username, "office", "220500-AWB"),
            "username",
        ),
        (new_account("ab", "office", "220500-AWB"), "username"),
        (new_account("has space", "office", "220500-AWB"), "username"),
        (new_account("goodname", "king", "220500-AWB"), "role"),
        (new_account("goodname", "office", "NO-SUCH"), "org_code"),
        (new_account("goodname", "office", ""), "org_code"),
    ];
    for (body, field) in cases {
        let r = admin.post("/api/v1/accounts", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(r.body["fields"][field].is_string(), "{field}: {}", r.body);
    }
    let mut body = new_account("goodname", "office", "220500-AWB");
    body["email"] = json!("not-an-email");
    let r = admin.post("/api/v1/accounts", body).await;
    assert!(r.body["fields"]["email"].is_string());
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM account").await, n);
}

#[tokio::test]
async fn only_the_administrator_manages_accounts_and_every_refusal_is_audited() {
    let app = spawn_app().await;
    let (victim, _, _, _) = user_with_sessions(&app, Role::Department, "220502-YJ").await;
    for role in [
        Role::Office,
        Role::Department,
        Role::Territory,
        Role::Enterprise,
        Role::Discipline,
        Role::Leader,
        Role::Auditor,
    ] {
        let u = app.api_as(role, "220500-AWB").await;
        let before = denied_counts(&app).await;
        assert_eq!(
            u.get("/api/v1/accounts").await.status,
            StatusCode::FORBIDDEN,
            "{role:?}"
        );
        let r = u
            .post(
                "/api/v1/accounts",
                new_account(&uniq("x"), "admin", "220500-AWB"),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(
            u.get(&format!("/api/v1/accounts/{victim}")).await.status,
            StatusCode::FORBIDDEN
        );
        let r = u
            .patch(
                &format!("/api/v1/accounts/{victim}"),
                json!({"role": "admin"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = u
            .post(&format!("/api/v1/accounts/{victim}/disable"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = u
            .post(
                &format!("/api/v1/accounts/{victim}/reset-password"),
                json!({"password": "Another-Secret-2027"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let after = denied_counts(&app).await;
        assert_eq!(
            after,
            before.map(|n| n + 1),
            "{role:?}: each refusal audited"
        );
        // Everyone may read their own account.
        let me = u.get("/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.body["role"], role.code());
    }
    let role: Option<String> = app
        .scalar_text(&format!("SELECT role FROM account WHERE id = {victim}"))
        .await;
    assert_eq!(role.as_deref(), Some("department"));
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM account WHERE id = {victim} AND disabled = FALSE"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn a_county_administrator_manages_only_accounts_of_their_county() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220502-AWB").await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM account").await;
    let r = admin
        .post(
            "/api/v1/accounts",
            new_account("outsider", "office", "220503-AWB"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["org_code"].is_string(), "{}", r.body);
    assert_eq!(app.audit_count("account.assign_org", "denied").await, 1);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM account").await, n);
    let other = app
        .create_user("other_county", Role::Office, "220503-AWB")
        .await;
    let r = admin.get(&format!("/api/v1/accounts/{other}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("account.read", "denied").await, 1);
    let list = admin.get("/api/v1/accounts").await;
    assert!(
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["org_code"].as_str().unwrap().starts_with("220502-"))
    );
    // Outside the county an account does not exist for this administrator.
    let r = admin
        .post(&format!("/api/v1/accounts/{other}/disable"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("account.disable", "denied").await, 1);
    // Moving an own-county account into another county is refused too.
    let mine = app
        .create_user("mine_county", Role::Office, "220502-AWB")
        .await;
    let r = admin
        .patch(
            &format!("/api/v1/accounts/{mine}"),
            json!({"org_code": "220503-AWB"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["org_code"].is_string(), "{}", r.body);
    assert_eq!(app.audit_count("account.assign_org", "denied").await, 2);
    let org = app
        .scalar_text(&format!(
            "SELECT o.code FROM account a JOIN org o ON o.id = a.org_id WHERE a.id = {mine}"
        ))
        .await;
    assert_eq!(org.as_deref(), Some("220502-AWB"));
    let r = admin
        .post(
            "/api/v1/accounts",
            new_account("insider", "office", "220502-YJ"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn disabling_ends_sessions_and_revokes_tokens_at_once() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let (id, name, api, web) = user_with_sessions(&app, Role::Office, "220500-AWB").await;
    assert_eq!(api.get("/api/v1/orgs").await.status, StatusCode::OK);
    assert_eq!(web.get("/orgs").await.status, StatusCode::OK);
    let r = admin
        .post(&format!("/api/v1/accounts/{id}/disable"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.audit_count("account.disable", "ok").await, 1);
    let r = api.get("/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let p = web.get("/orgs").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p.location().starts_with("/login"), "{}", p.location());
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM api_token WHERE account_id = {id} AND revoked_at IS NULL"
        ))
        .await,
        0
    );
    assert_eq!(
        login_status(&app, &name, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    let g = admin.get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(g.body["account"]["disabled"], true);
    // Disabling twice is a conflict; enabling lets the person log in again.
    let again = admin
        .post(&format!("/api/v1/accounts/{id}/disable"), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let r = admin
        .post(&format!("/api/v1/accounts/{id}/enable"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(app.audit_count("account.enable", "ok").await, 1);
    assert_eq!(login_status(&app, &name, PASSWORD).await, StatusCode::OK);
    // The old token stays revoked.
    assert_eq!(
        api.get("/api/v1/orgs").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_administrator_cannot_disable_their_own_account() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let me = admin.get("/api/v1/me").await.body["id"].as_i64().unwrap();
    let r = admin
        .post(&format!("/api/v1/accounts/{me}/disable"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(admin.get("/api/v1/accounts").await.status, StatusCode::OK);
    assert_eq!(app.audit_count("account.disable", "ok").await, 0);
    // Nor demote themselves.
    let r = admin
        .patch(&format!("/api/v1/accounts/{me}"), json!({"role": "office"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["role"].is_string());
    assert_eq!(admin.get("/api/v1/me").await.body["role"], "admin");
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_the_new_password_must_be_changed() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let (id, name, _api, web) = user_with_sessions(&app, Role::Office, "220500-AWB").await;
    let r = admin
        .post(
            &format!("/api/v1/accounts/{id}/reset-password"),
            json!({"password": "short"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["password"].is_string());
    assert_eq!(
        web.get("/orgs").await.status,
        StatusCode::OK,
        "weak reset changed nothing"
    );
    assert_eq!(login_status(&app, &name, PASSWORD).await, StatusCode::OK);
    let r = admin
        .post(
            &format!("/api/v1/accounts/{id}/reset-password"),
            json!({"password": "Another-Secret-2027"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.audit_count("account.reset_password", "ok").await, 1);
    let p = web.get("/orgs").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p.location().starts_with("/login"));
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM session WHERE account_id = {id}"
        ))
        .await,
        0
    );
    assert_eq!(
        login_status(&app, &name, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, &name, "Another-Secret-2027").await,
        StatusCode::OK
    );
    let g = admin.get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(g.body["account"]["must_change_password"], true);
    // The audit record does not carry the password.
    let detail = app
        .scalar_text("SELECT detail FROM audit_log WHERE action = 'account.reset_password'")
        .await
        .unwrap();
    assert!(!detail.contains("Another-Secret-2027"));
}

#[tokio::test]
async fn a_change_of_role_ends_sessions_and_the_old_token_stops_working() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let (id, name, api, web) = user_with_sessions(&app, Role::Office, "220500-AWB").await;
    let r = admin
        .patch(&format!("/api/v1/accounts/{id}"), json!({"role": "nobody"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["role"].is_string());
    assert_eq!(web.get("/orgs").await.status, StatusCode::OK);
    let r = admin
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({"role": "department"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["account"]["role"], "department");
    assert_eq!(app.audit_count("account.update", "ok").await, 1);
    let p = web.get("/orgs").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "session ended");
    // A token issued to the office role must not keep the office's powers.
    let r = api
        .post(
            "/api/v1/orgs",
            json!({"code": "220502-TOK", "name": "x", "kind": "department", "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM org WHERE code = '220502-TOK'")
            .await,
        0
    );
    // Logging in again gives the new role.
    let fresh = app.token(&name).await;
    let me = Api {
        base: app.base.clone(),
        token: fresh,
        username: name.clone(),
        client: reqwest::Client::new(),
    };
    assert_eq!(me.get("/api/v1/me").await.body["role"], "department");
}

#[tokio::test]
async fn a_change_of_organisation_ends_sessions_and_moves_the_data_scope() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let (id, name, _api, web) = user_with_sessions(&app, Role::Territory, "220502-AWB").await;
    let r = admin
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({"org_code": "220503-AWB", "display_name": "调岗的人"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["account"]["org_code"], "220503-AWB");
    assert_eq!(r.body["account"]["display_name"], "调岗的人");
    assert_eq!(web.get("/orgs").await.status, StatusCode::SEE_OTHER);
    let t = Api {
        base: app.base.clone(),
        token: app.token(&name).await,
        username: name.clone(),
        client: reqwest::Client::new(),
    };
    assert_eq!(t.get("/api/v1/orgs/220503-DW").await.status, StatusCode::OK);
    assert_eq!(
        t.get("/api/v1/orgs/220502-DW").await.status,
        StatusCode::NOT_FOUND
    );
    // A display-name-only change keeps the session.
    let (id2, _, _, web2) = user_with_sessions(&app, Role::Office, "220500-AWB").await;
    let r = admin
        .patch(
            &format!("/api/v1/accounts/{id2}"),
            json!({"display_name": "改个名字"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(web2.get("/orgs").await.status, StatusCode::OK);
    // A retired organisation cannot be given.
    let office = app.api_as(Role::Office, "220500-AWB").await;
    office
        .post("/api/v1/orgs/220502-FY/retire", json!({}))
        .await;
    let r = admin
        .patch(
            &format!("/api/v1/accounts/{id2}"),
            json!({"org_code": "220502-FY"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["org_code"].is_string());
}

#[tokio::test]
async fn a_department_user_gets_403_on_the_accounts_pages() {
    let app = spawn_app().await;
    let name = uniq("dept");
    app.create_user(&name, Role::Department, "220500-YJ").await;
    let w = app.browser_as(&name).await;
    let p = w.get("/admin/accounts").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(p.body.contains("您没有执行此操作的权限"));
    assert_eq!(app.audit_count("account.list", "denied").await, 1);
    assert_eq!(
        w.get("/admin/accounts/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.get("/admin/accounts/1").await.status,
        StatusCode::FORBIDDEN
    );
    let r = w.post_form("/admin/accounts/1/disable", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("account.disable", "denied").await, 1);
    let en = w.get("/admin/accounts?lang=en").await;
    assert_eq!(en.status, StatusCode::FORBIDDEN);
    assert!(en.body.contains("lang=\"en\""));
}

#[tokio::test]
async fn the_new_account_form_re_renders_with_field_errors_keeping_input_but_not_the_password() {
    let app = spawn_app().await;
    let name = uniq("admin");
    app.create_user(&name, Role::Admin, "220500-AWB").await;
    let w = app.browser_as(&name).await;
    let list = w.get("/admin/accounts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("账号管理"));
    assert!(list.body.contains(&name));
    let n = app.scalar_i64("SELECT COUNT(*) FROM account").await;
    let p = w
        .post_form(
            "/admin/accounts",
            &[
                ("username", "typed_name"),
                ("display_name", "输入的姓名"),
                ("email", ""),
                ("role", "office"),
                ("org_code", "220500-AWB"),
                ("password", "weak-secret"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("密码强度不足"));
    assert!(p.body.contains("id=\"password-err\""));
    assert!(p.body.contains("value=\"typed_name\""));
    assert!(p.body.contains("value=\"输入的姓名\""));
    assert!(
        !p.body.contains("weak-secret"),
        "the password is not echoed"
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM account").await, n);
    let ok = w
        .post_form(
            "/admin/accounts",
            &[
                ("username", "typed_name"),
                ("display_name", "输入的姓名"),
                ("email", ""),
                ("role", "office"),
                ("org_code", "220500-AWB"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ok.location().starts_with("/admin/accounts/"));
    let detail = w.get(&ok.location()).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("typed_name"));
    let en = w.get("/admin/accounts?lang=en").await;
    assert!(en.body.contains("Accounts"));
}

#[tokio::test]
async fn a_password_reset_also_ends_the_persons_api_logins() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let user = app.api_as(Role::Office, "220500-AWB").await;
    let id = user.get("/api/v1/me").await.body["id"].as_i64().unwrap();
    let r = admin
        .post(
            &format!("/api/v1/accounts/{id}/reset-password"),
            json!({"password": "Temporary-Pass-2026"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        user.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}
