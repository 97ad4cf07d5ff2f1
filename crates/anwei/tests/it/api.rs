//! Cross-cutting API behaviour: error format, bad input, limits, headers, health, metrics,
//! OpenAPI, and unauthenticated access to every API route.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

/// Operations in the OpenAPI document that anyone may call. Keep this list short and say why
/// for each: every other documented operation must refuse an anonymous caller with 401.
/// (Also public, but not in the document: `/api/v1/openapi.json` itself — fetched anonymously
/// below — and `/healthz`, `/readyz`, `/metrics`, which live outside `/api`.)
const PUBLIC_OPERATIONS: &[(&str, &str)] = &[
    // Logging in is how a caller gets credentials in the first place.
    ("post", "/api/v1/auth/login"),
    // 安全生产举报: the public reports and follows up without an account (issue 13).
    ("post", "/api/v1/public/reports"),
    ("get", "/api/v1/public/reports/{receipt_code}"),
    ("post", "/api/v1/public/reports/{receipt_code}/messages"),
    // 防刷验证: the proof-of-work challenge the public form solves before sending.
    ("get", "/api/v1/public/reports/challenge"),
];

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A `$ref` to a component schema, followed (typed ids may be documented that way).
fn resolve<'a>(doc: &'a serde_json::Value, schema: &'a serde_json::Value) -> &'a serde_json::Value {
    match schema["$ref"].as_str() {
        Some(r) => r
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(doc, |v, k| &v[k]))
            .unwrap_or(schema),
        None => schema,
    }
}

/// A plausible value for a path parameter, from its documented schema type (the name decides
/// only when the parameter is not documented): a number for ids and numbers, an organisation
/// code for codes, a word otherwise. The values need not exist: the call is refused before
/// anything is looked up.
fn sample_value(doc: &serde_json::Value, params: &[&serde_json::Value], name: &str) -> String {
    let declared = params
        .iter()
        .find(|p| p["in"] == "path" && p["name"] == name)
        .map(|p| resolve(doc, &p["schema"]));
    let is_number = |t: &serde_json::Value| matches!(t.as_str(), Some("integer" | "number"));
    let numeric = declared.map(|s| {
        is_number(&s["type"])
            || s["type"]
                .as_array()
                .is_some_and(|a| a.iter().any(is_number))
    });
    match (numeric, name) {
        (Some(true), _) => "1".into(),
        (None, "id" | "number" | "person") => "1".into(),
        (_, n) if n.contains("code") => "220500-AWB".into(),
        _ => "x".into(),
    }
}

/// `(method, path)` of every `/api/v1/…` route registered with `.route(…)` in `src/`, read
/// from the source (axum cannot list a router's routes); `*` when the method router is not
/// one of `get(…)`, `post(…)`, … written in the call.
fn registered_api_routes() -> std::collections::BTreeSet<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = std::collections::BTreeSet::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            for (at, _) in src.match_indices(".route(") {
                let args = &src[at + ".route(".len()..];
                let Some(rest) = args.trim_start().strip_prefix('"') else {
                    continue;
                };
                let path = rest.split('"').next().unwrap_or_default();
                if !path.starts_with("/api/v1/") {
                    continue;
                }
                // The call's arguments end at the parenthesis that closes `.route(`.
                let mut depth = 1;
                let mut in_str = false;
                let mut end = args.len();
                for (i, c) in args.char_indices() {
                    match c {
                        '"' => in_str = !in_str,
                        '(' if !in_str => depth += 1,
                        ')' if !in_str => {
                            depth -= 1;
                            if depth == 0 {
                                end = i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let call = &args[..end];
                let mut methods: Vec<&str> = HTTP_METHODS
                    .iter()
                    .copied()
                    .filter(|m| {
                        call.match_indices(&format!("{m}(")).any(|(i, _)| {
                            !call[..i]
                                .chars()
                                .next_back()
                                .is_some_and(|c| c.is_alphanumeric() || c == '_')
                        })
                    })
                    .collect();
                if methods.is_empty() {
                    methods.push("*");
                }
                for m in methods {
                    out.insert((m.to_string(), path.to_string()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_documented_api_operation_refuses_anonymous_callers_with_json_401() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the document itself is public");
    let doc: serde_json::Value = r.json().await.unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    // No cookie store and no token: an anonymous caller.
    let client = reqwest::Client::new();
    let mut operations = 0;
    let mut public_seen = Vec::new();
    let mut failures = Vec::new();
    for (path, item) in paths {
        for method in HTTP_METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            operations += 1;
            if PUBLIC_OPERATIONS.contains(&(*method, path.as_str())) {
                public_seen.push((*method, path.as_str()));
                continue;
            }
            let params: Vec<&serde_json::Value> = op["parameters"]
                .as_array()
                .into_iter()
                .chain(item["parameters"].as_array())
                .flatten()
                .collect();
            let mut url = String::new();
            let mut rest = path.as_str();
            while let Some(i) = rest.find('{') {
                let j = rest[i..].find('}').expect("closing brace") + i;
                url.push_str(&rest[..i]);
                url.push_str(&sample_value(&doc, &params, &rest[i + 1..j]));
                rest = &rest[j + 1..];
            }
            url.push_str(rest);
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut rb = client.request(m.clone(), app.url(&url));
            // A well-formed JSON body, so a refusal cannot be a 400 or 415 about the body.
            if !m.is_safe() {
                rb = rb
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body("{}");
            }
            let res = rb.send().await.unwrap();
            let status = res.status();
            let text = res.text().await.unwrap();
            let body: serde_json::Value =
                serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
            let json_401 = status == StatusCode::UNAUTHORIZED
                && body["error"] == "unauthenticated"
                && body["request_id"].as_str().is_some_and(|s| !s.is_empty());
            if !json_401 {
                failures.push(format!("{m} {path} (as {url}): {status} {body}"));
            }
        }
    }
    assert!(
        operations >= 60,
        "the document lists the whole API ({operations} operations)"
    );
    for p in PUBLIC_OPERATIONS {
        assert!(
            public_seen.contains(p),
            "allow-listed {p:?} is not in the document: drop it from the list"
        );
    }
    assert!(
        failures.is_empty(),
        "anonymous calls not refused with a JSON 401:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_api_route_in_the_router_is_in_the_openapi_document() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let routes = registered_api_routes();
    assert!(
        routes.len() >= 60,
        "the source scan finds the routes ({} found)",
        routes.len()
    );
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| {
            let item = &doc["paths"][p.as_str()];
            if m == "*" {
                !item.is_object()
            } else {
                item.get(m.as_str()).is_none()
            }
        })
        .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document:\n{}",
        missing.join("\n")
    );
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

/// The OpenAPI document is 3.1, where `2.0` is the integer 2 (JSON has one number type): a
/// body that writes a whole number with a fraction is read as that integer, and a real
/// fraction is still refused naming the field. Found by schemathesis (scripts/schemathesis.sh).
#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_an_integer() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post("/api/v1/tokens", json!({"name": "ci", "days": 30.0}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = office
        .post("/api/v1/tokens", json!({"name": "ci", "days": 30.5}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["days"].is_string(), "{:?}", r.body);
}

/// Every operation declares the error answers it can give, with the one error body, so a
/// client generated from the document knows them (the contract is in `api_docs/contract.rs`).
#[tokio::test]
async fn every_operation_declares_its_error_answers_with_the_error_body() {
    let app = spawn_app().await;
    let doc: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["components"]["schemas"]["ErrorBody"]["required"].is_array());
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for status in ["400", "401", "403", "404", "422", "500", "503"] {
                let schema = &op["responses"][status]["content"]["application/json"]["schema"];
                // The imports' 422 lists the cells they could not read as well.
                let imports = [
                    "/api/v1/policies/import",
                    "/api/v1/enterprises/import",
                    "/api/v1/regions/townships/import",
                ];
                if status == "422" && imports.contains(&path.as_str()) {
                    assert!(
                        schema["required"]
                            .as_array()
                            .unwrap()
                            .contains(&json!("error"))
                    );
                    continue;
                }
                assert_eq!(
                    schema["$ref"],
                    json!("#/components/schemas/ErrorBody"),
                    "{method} {path} {status}"
                );
            }
        }
    }
    // Lists the ranking and the roll-up answer inside an object, as documented.
    let ranking = &doc["paths"]["/api/v1/assignments/ranking"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(ranking["type"], json!("object"));
    assert_eq!(ranking["properties"]["items"]["type"], json!("array"));
}
