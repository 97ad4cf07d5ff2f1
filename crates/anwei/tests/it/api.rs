//! Cross-cutting API behaviour: error format, bad input, limits, headers, health, metrics,
//! OpenAPI, and unauthenticated access to every API route.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

#[tokio::test]
async fn every_api_route_refuses_unauthenticated_callers_with_json_401() {
    let app = spawn_app().await;
    let anon = app.anon();
    let gets = [
        "/api/v1/me",
        "/api/v1/orgs",
        "/api/v1/orgs/220500-DW",
        "/api/v1/regions",
        "/api/v1/orgs/220500-DW/positions",
        "/api/v1/persons",
        "/api/v1/policies",
        "/api/v1/policy/measures",
        "/api/v1/policy/articles",
        "/api/v1/policy/tasks",
        "/api/v1/policy/tasks/1",
        "/api/v1/policy/deliverables",
        "/api/v1/accounts",
        "/api/v1/accounts/1",
        "/api/v1/audit",
        "/api/v1/tokens",
        "/api/v1/notifications",
    ];
    for p in gets {
        let r = anon.get(p).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "GET {p}");
        assert_eq!(r.body["error"], "unauthenticated", "GET {p}");
        assert!(
            r.body["request_id"].as_str().is_some_and(|s| !s.is_empty()),
            "GET {p} has a request id"
        );
    }
    let posts = [
        "/api/v1/orgs",
        "/api/v1/orgs/220500-DW/rename",
        "/api/v1/orgs/220500-DW/retire",
        "/api/v1/orgs/220500-DW/positions",
        "/api/v1/persons",
        "/api/v1/positions/1/holder",
        "/api/v1/positions/1/vacate",
        "/api/v1/accounts",
        "/api/v1/accounts/1/disable",
        "/api/v1/accounts/1/enable",
        "/api/v1/accounts/1/reset-password",
        "/api/v1/tokens",
        "/api/v1/tokens/1/revoke",
        "/api/v1/notifications/1/read",
        "/api/v1/auth/logout",
    ];
    for p in posts {
        let r = anon.post(p, json!({})).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "POST {p}");
        assert_eq!(r.body["error"], "unauthenticated", "POST {p}");
    }
    for p in ["/api/v1/accounts/1", "/api/v1/policy/tasks/1"] {
        let r = anon.patch(p, json!({})).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "PATCH {p}");
    }
}

#[tokio::test]
async fn a_made_up_bearer_token_is_refused() {
    let app = spawn_app().await;
    let mut api = app.anon();
    api.token = "anw_not-a-real-token".into();
    let r = api.get("/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"], "unauthenticated");
}

#[tokio::test]
async fn errors_come_in_the_requested_language() {
    let app = spawn_app().await;
    let anon = app.anon();
    let zh = anon.get_lang("/api/v1/orgs", "zh-CN").await;
    let en = anon.get_lang("/api/v1/orgs", "en").await;
    assert!(zh.body["message"].as_str().unwrap().contains("登录"));
    assert!(en.body["message"].as_str().unwrap().contains("log in"));
}

#[tokio::test]
async fn malformed_json_missing_fields_wrong_types_and_bad_utf8_are_4xx_naming_the_field() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post_raw("/api/v1/orgs", "application/json", b"{\"code\": ".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["body"].is_string());
    let r = office
        .post(
            "/api/v1/orgs",
            json!({"code": "X1", "kind": "department", "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["fields"]["name"].is_string(),
        "missing name is named: {}",
        r.body
    );
    let r = office
        .post(
            "/api/v1/orgs",
            json!({"code": 12, "name": "x", "kind": "department", "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["fields"]["code"].is_string(),
        "wrong type is named: {}",
        r.body
    );
    let r = office
        .post_raw(
            "/api/v1/orgs",
            "application/json",
            vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"]["body"], "内容不是有效的 UTF-8 文本");
    let r = office
        .post_raw("/api/v1/orgs", "text/plain", b"hello".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was half-saved.
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM org WHERE code = 'X1'")
            .await,
        0
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.body_limit_bytes = 4096),
    })
    .await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let big = json!({"code": "BIG", "name": "x".repeat(10_000), "kind": "department", "region_code": "220502"});
    let r = office.post("/api/v1/orgs", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["error"], "payload_too_large");
}

#[tokio::test]
async fn unknown_api_routes_answer_json_404() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office.get("/api/v1/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"], "not_found");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/login")).await.unwrap();
    let h = r.headers();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(h.get("x-request-id").is_some());
    let body = r.text().await.unwrap();
    assert!(!body.contains("<script>"), "no inline script");
    assert!(body.contains("lang=\"zh-CN\""), "Chinese by default");
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    assert_eq!(
        reqwest::get(app.url("/healthz"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        reqwest::get(app.url("/readyz")).await.unwrap().status(),
        StatusCode::OK
    );
    let office = app.api_as(Role::Office, "220500-AWB").await;
    office.get("/api/v1/policy/tasks").await;
    let m = reqwest::get(app.url("/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        m.contains("anwei_http_requests_total"),
        "request counter present"
    );
    assert!(m.contains("/api/v1/policy/tasks"), "counted by route");
    assert!(m.contains("anwei_job_queue_depth"));
    assert!(m.contains("anwei_db_pool_connections"));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.close().await;
    let r = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn the_openapi_document_lists_the_api_and_the_docs_page_is_served_offline() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/auth/login",
        "/api/v1/orgs",
        "/api/v1/policy/tasks",
        "/api/v1/accounts",
        "/api/v1/audit",
        "/api/v1/tokens",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} documented");
    }
    let r = reqwest::get(app.url("/api/docs/")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("swagger"), "swagger UI page");
    assert!(!html.contains("https://"), "no CDN");
}

#[tokio::test]
async fn both_locales_have_the_same_keys_and_every_template_key_exists() {
    let (zh, en) = anwei::i18n::tables();
    let mut missing: Vec<String> = zh
        .keys()
        .filter(|k| !en.contains_key(*k))
        .map(|k| format!("en lacks {k}"))
        .collect();
    missing.extend(
        en.keys()
            .filter(|k| !zh.contains_key(*k))
            .map(|k| format!("zh-CN lacks {k}")),
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("templates")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let s = std::fs::read_to_string(&p).unwrap();
            for part in s.split("b.t.t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if !zh.contains_key(key) {
                    missing.push(format!("{} uses {key}", p.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
