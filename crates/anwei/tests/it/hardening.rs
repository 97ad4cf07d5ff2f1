//! Tests of the security rules of docs/security.md that the other files leave out: the
//! enterprise role's data scope beyond organisations and people, the client address behind
//! (un)trusted proxies, the response headers on every kind of answer, the request timeout,
//! TOTP set-up and TOTP lockout on the API, token expiry, the evidence count limit, unknown
//! JSON fields, and a known-answer vector of the audit chain's MAC.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use anwei::audit::chain::{AuditKey, AuditRow};
use anwei::auth::model::Role;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

const CITY_OFFICE: &str = "220500-AWB";
const ENT_A: &str = "220502-QYA";
const ENT_B: &str = "220502-QYB";

fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% 佐证材料\n{body}\n%%EOF\n").into_bytes()
}

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().expect("items")
}

fn org_codes(body: &Value) -> BTreeSet<String> {
    items(body)
        .iter()
        .map(|i| i["org_code"].as_str().expect("org_code").to_string())
        .collect()
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

/// Issues `task` to the chosen organisations (or, with none, to the computed proposal).
async fn issue(office: &Api, task: i64, orgs: &[&str]) {
    let body = if orgs.is_empty() {
        json!({})
    } else {
        json!({"orgs": orgs.iter().map(|o| json!({"org_code": o, "role": "lead"})).collect::<Vec<_>>()})
    };
    let r = office
        .post(
            &format!("/api/v1/policy/tasks/{task}/assignments/issue"),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "issue task {task}: {}", r.body);
    assert!(r.body["created"].as_i64().unwrap_or(0) > 0, "{}", r.body);
}

/// The id of the assignment of `task` to `org`, as the office sees it.
async fn assignment_id(office: &Api, task: i64, org: &str) -> i64 {
    let r = office
        .get(&format!("/api/v1/assignments?task={task}&org={org}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["total"], 1, "{}", r.body);
    items(&r.body)[0]["id"].as_i64().expect("id")
}

/// Acknowledges assignment `id` and reports on it with `files`; answers the report.
async fn ack_and_report(api: &Api, id: i64, files: &[(&str, &[u8])]) -> Resp {
    let r = api
        .post(&format!("/api/v1/assignments/{id}/acknowledge"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (ct, body) = multipart_files(&[("text", "整改情况见附件。")], files);
    api.post_raw(&format!("/api/v1/assignments/{id}/reports"), &ct, body)
        .await
}

/// The ids of the evidence files of assignment `id`.
async fn attachment_ids(api: &Api, id: i64) -> Vec<i64> {
    let d = api.get(&format!("/api/v1/assignments/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    d.body["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .map(|f| f["id"].as_i64().expect("id"))
        .collect()
}

/// A GET with the caller's token, answering the raw bytes.
async fn download(api: &Api, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut rb = api.client.get(format!("{}{path}", api.base));
    if !api.token.is_empty() {
        rb = rb.bearer_auth(&api.token);
    }
    let res = rb.send().await.expect("download");
    let status = res.status();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.expect("body").to_vec())
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The ledger export's organisation columns, and the sum of its 交办单位数 column.
fn export_orgs_and_count(bytes: &[u8]) -> (Vec<String>, i64) {
    let rows = sheet(bytes);
    let header = &rows[0];
    assert_eq!(
        header[header.len() - 3..],
        ["交办单位数", "已销号", "红灯"],
        "{header:?}"
    );
    let orgs = header[5..header.len() - 3].to_vec();
    let count_col = header.len() - 3;
    let total = rows[1..]
        .iter()
        .map(|r| {
            r.get(count_col)
                .and_then(|c| c.parse::<i64>().ok())
                .unwrap_or(0)
        })
        .sum();
    (orgs, total)
}

async fn last_login_failure_ip(app: &TestApp) -> Option<String> {
    app.scalar_text(
        "SELECT ip FROM audit_log WHERE action = 'auth.login' AND outcome = 'failed' \
         ORDER BY seq DESC LIMIT 1",
    )
    .await
}

// ---------------------------------------------------------------- the enterprise scope

#[tokio::test]
async fn an_enterprise_account_sees_only_its_own_assignments_export_deliverables_activities_and_files()
 {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    // No enterprise among the built-in organisations: two in 东昌区, made by the office.
    for (code, name) in [
        (ENT_A, "东昌区测试化工有限公司"),
        (ENT_B, "东昌区测试建材有限公司"),
    ] {
        let r = office
            .post(
                "/api/v1/orgs",
                json!({"code": code, "name": name, "kind": "enterprise", "region_code": "220502"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let ent_a = app.api_as(Role::Enterprise, ENT_A).await;
    let ent_b = app.api_as(Role::Enterprise, ENT_B).await;
    let county = app.api_as(Role::Territory, "220502-AWB").await;

    // Assignments: task 6 to both enterprises, task 7 to the party committees.
    issue(&office, 6, &[ENT_A, ENT_B]).await;
    issue(&office, 7, &[]).await;
    let id_a = assignment_id(&office, 6, ENT_A).await;
    let id_b = assignment_id(&office, 6, ENT_B).await;
    let l = ent_a.get("/api/v1/assignments?per_page=500").await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    assert_eq!(l.body["total"], 1, "{}", l.body);
    assert_eq!(org_codes(&l.body), set(&[ENT_A]));
    let sum: i64 = l.body["counts"]
        .as_object()
        .expect("counts")
        .values()
        .map(|v| v.as_i64().expect("count"))
        .sum();
    assert_eq!(sum, 1, "the light counts cover the same scope");
    // The county, whose region holds both, sees both and its party committee.
    let l = county.get("/api/v1/assignments?per_page=500").await;
    assert_eq!(org_codes(&l.body), set(&[ENT_A, ENT_B, "220502-DW"]));
    // Asking for the other enterprise's list or assignment finds nothing.
    let l = ent_a.get(&format!("/api/v1/assignments?org={ENT_B}")).await;
    assert_eq!(l.body["total"], 0, "{}", l.body);
    assert_eq!(
        ent_a
            .get(&format!("/api/v1/assignments/{id_b}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ent_a
            .get(&format!("/api/v1/assignments/{id_a}"))
            .await
            .status,
        StatusCode::OK
    );
    let ranking = ent_a.get("/api/v1/assignments/ranking").await;
    assert_eq!(ranking.status, StatusCode::OK, "{}", ranking.body);
    assert_eq!(items(&ranking.body).len(), 1, "{}", ranking.body);

    // The ledger export: one organisation column, its own, and only its own assignment counted.
    let (status, _, bytes) = download(&ent_a, "/api/v1/assignments/export.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    let (orgs, count) = export_orgs_and_count(&bytes);
    assert_eq!(orgs, ["东昌区测试化工有限公司"]);
    assert_eq!(count, 1);
    let (_, _, bytes) = download(&office, "/api/v1/assignments/export.xlsx").await;
    let (orgs, count) = export_orgs_and_count(&bytes);
    assert!(orgs.len() > 2 && count == 12, "{orgs:?} {count}");

    // Deliverables: required from both enterprises and the default set.
    let r = office
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({"orgs": [ENT_A, ENT_B]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = office
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let l = ent_a
        .get("/api/v1/deliverable-requirements?per_page=500")
        .await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    assert_eq!(l.body["total"], 1, "{}", l.body);
    assert_eq!(org_codes(&l.body), set(&[ENT_A]));
    let overview = ent_a.get("/api/v1/deliverables").await;
    let plan = items(&overview.body)
        .iter()
        .find(|d| d["code"] == "implementation_plan")
        .expect("the plan");
    assert_eq!(plan["summary"]["required"], 1, "{plan}");
    let req_b = app
        .scalar_i64(&format!(
            "SELECT q.id FROM deliverable_requirement q JOIN org o ON o.id = q.org_id \
             WHERE q.deliverable_code = 'implementation_plan' AND o.code = '{ENT_B}'"
        ))
        .await;
    assert_eq!(
        ent_a
            .get(&format!("/api/v1/deliverable-requirements/{req_b}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Activities: recorded by the office for both enterprises and the county party committee.
    let day = anwei::time::today().to_string();
    let mut activity = std::collections::HashMap::new();
    for org in [ENT_A, ENT_B, "220502-DW"] {
        let (ct, body) = multipart_files(
            &[
                ("org_code", org),
                ("kind", "study"),
                ("date", &day),
                ("title", "安全生产学习"),
            ],
            &[("纪要.pdf", &pdf(org))],
        );
        let r = office.post_raw("/api/v1/activities", &ct, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{org}: {}", r.body);
        let evidence = r.body["evidence"][0]["id"].as_i64().expect("evidence id");
        activity.insert(org, (r.body["id"].as_i64().expect("id"), evidence));
    }
    let l = ent_a.get("/api/v1/activities").await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    let ids: Vec<i64> = items(&l.body)
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [activity[ENT_A].0], "{}", l.body);
    let l = ent_a.get(&format!("/api/v1/activities?org={ENT_B}")).await;
    assert!(items(&l.body).is_empty(), "{}", l.body);
    assert_eq!(
        ent_a
            .get(&format!("/api/v1/activities/{}", activity[ENT_B].0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Evidence files: the other enterprise's report, deliverable and activity files are 404.
    let b_pdf = pdf("乙企业整改报告");
    let r = ack_and_report(&ent_b, id_b, &[("整改报告.pdf", &b_pdf)]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let fid_b = attachment_ids(&office, id_b).await[0];
    let (ct, body) = multipart(
        &[("note", "实施方案")],
        &[("files", "实施方案.pdf", &pdf("乙企业实施方案"))],
    );
    let r = ent_b
        .post_raw(
            &format!("/api/v1/deliverable-requirements/{req_b}/submissions"),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let dfid_b = app
        .scalar_i64("SELECT MAX(attachment_id) FROM submission_file")
        .await;
    let denied = "SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'";
    let denied_before = app.scalar_i64(denied).await;
    for path in [
        format!("/api/v1/attachments/{fid_b}"),
        format!("/api/v1/deliverable-files/{dfid_b}"),
        format!("/api/v1/activity-evidence/{}", activity[ENT_B].1),
    ] {
        let (status, _, body) = download(&ent_a, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.starts_with(b"%PDF"), "{path}: no content leaks");
        // The owner reads the same file.
        let (status, _, body) = download(&ent_b, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.starts_with(b"%PDF"), "{path}");
    }
    assert_eq!(
        app.scalar_i64(denied).await,
        denied_before + 3,
        "each denied read is audited"
    );
    assert_eq!(app.audit_count("attachment.read", "denied").await, 1);
    // Its own evidence is readable.
    let (status, _, body) = download(
        &ent_a,
        &format!("/api/v1/activity-evidence/{}", activity[ENT_A].1),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, pdf(ENT_A));
}

// ---------------------------------------------------------------- X-Forwarded-For

#[tokio::test]
async fn x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let spoof = |app: &TestApp, xff: &'static str| {
        let api = app.anon();
        async move {
            let rb = api
                .client
                .post(format!("{}/api/v1/auth/login", api.base))
                .header("x-forwarded-for", xff)
                .json(&json!({"username": "nobody", "password": "Wrong-Password-2026"}));
            api.send(rb).await
        }
    };
    let app = spawn_app().await;
    let r = spoof(&app, "203.0.113.9").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        last_login_failure_ip(&app).await.as_deref(),
        Some("127.0.0.1"),
        "no trusted proxy: the socket's address"
    );

    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.trusted_proxies = vec!["127.0.0.1".to_string()]),
    })
    .await;
    let r = spoof(&app, "203.0.113.9").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        last_login_failure_ip(&app).await.as_deref(),
        Some("203.0.113.9"),
        "behind the trusted proxy: the forwarded address"
    );
    // The first hop is the client's to write: the last untrusted one counts.
    spoof(&app, "198.51.100.7, 203.0.113.10").await;
    assert_eq!(
        last_login_failure_ip(&app).await.as_deref(),
        Some("203.0.113.10")
    );
    // Without the header the proxy's own address is recorded.
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "nobody", "password": "Wrong-Password-2026"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        last_login_failure_ip(&app).await.as_deref(),
        Some("127.0.0.1")
    );
}

// ---------------------------------------------------------------- response headers

fn assert_security_headers(what: &str, h: &HeaderMap) {
    assert_eq!(header(h, "referrer-policy"), "same-origin", "{what}");
    assert_eq!(header(h, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(h, "x-content-type-options"), "nosniff", "{what}");
    let csp = header(h, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!header(h, "x-request-id").is_empty(), "{what}");
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers_and_only_assets_are_cached() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let dw = app.api_as(Role::Territory, "220502-DW").await;
    let web_name = format!("web_{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    app.create_user(&web_name, Role::Office, CITY_OFFICE).await;
    let web = app.browser_as(&web_name).await;
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    let mut dynamic: Vec<(&str, StatusCode, HeaderMap)> = Vec::new();
    let p = web.get("/").await;
    assert!(
        header(&p.headers, "content-type").starts_with("text/html"),
        "{:?}",
        p.headers
    );
    dynamic.push(("HTML page", p.status, p.headers));
    let r = office.get("/api/v1/me").await;
    assert!(header(&r.headers, "content-type").starts_with("application/json"));
    dynamic.push(("JSON answer", r.status, r.headers));
    let p = web.get("/no-such-page").await;
    assert!(header(&p.headers, "content-type").starts_with("text/html"));
    dynamic.push(("404 page", p.status, p.headers));
    let r = office.get("/api/v1/no-such-thing").await;
    assert_eq!(r.body["error"], "not_found", "{}", r.body);
    dynamic.push(("404 JSON", r.status, r.headers));
    let res = anon.get(app.url("/")).send().await.expect("get");
    assert!(header(res.headers(), "location").starts_with("/login"));
    dynamic.push(("redirect", res.status(), res.headers().clone()));
    let expected = [
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::NOT_FOUND,
        StatusCode::NOT_FOUND,
        StatusCode::SEE_OTHER,
    ];
    for ((what, status, h), want) in dynamic.iter().zip(expected) {
        assert_eq!(*status, want, "{what}");
        assert_security_headers(what, h);
        assert_eq!(header(h, "cache-control"), "no-store", "{what}");
    }

    // A file download.
    issue(&office, 6, &["220502-DW"]).await;
    let id = assignment_id(&office, 6, "220502-DW").await;
    let bytes = pdf("会议纪要");
    let r = ack_and_report(&dw, id, &[("纪要.pdf", &bytes)]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let fid = attachment_ids(&office, id).await[0];
    let (status, h, body) = download(&office, &format!("/api/v1/attachments/{fid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_security_headers("download", &h);
    assert_eq!(header(&h, "cache-control"), "private, no-store");
    assert!(header(&h, "content-disposition").starts_with("attachment;"));
    assert_eq!(body, bytes);

    // Static assets may be cached, and still carry the headers.
    let res = anon
        .get(app.url("/assets/app.css"))
        .send()
        .await
        .expect("asset");
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_security_headers("asset", &h);
    let cc = header(&h, "cache-control");
    assert!(!cc.contains("no-store") && cc.contains("max-age"), "{cc}");
}

// ---------------------------------------------------------------- request timeout

#[tokio::test]
async fn a_request_whose_body_never_completes_is_answered_408_after_the_timeout() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.request_timeout_seconds = 1),
    })
    .await;
    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        let mut s = tokio::net::TcpStream::connect(app.addr)
            .await
            .expect("connect");
        let head = format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: 100\r\n\r\n{{\"username\": \"slow\", ",
            app.addr
        );
        s.write_all(head.as_bytes()).await.expect("send");
        s.flush().await.expect("flush");
        let mut got = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            got.extend_from_slice(&chunk[..n]);
            if got.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        String::from_utf8_lossy(&got).to_string()
    })
    .await
    .expect("an answer within 10 seconds");
    let took = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(
        took >= Duration::from_millis(900),
        "answered only after waiting for the body: {took:?}"
    );
    assert!(took < Duration::from_secs(6), "{took:?}");
}

// ---------------------------------------------------------------- TOTP

#[tokio::test]
async fn an_administrator_without_totp_gets_totp_setup_required_on_the_api_except_me() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.require_totp_for_admin = true),
    })
    .await;
    let admin = app.api_as(Role::Admin, CITY_OFFICE).await;
    let r = admin.get("/api/v1/accounts").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.body["error"], "totp_setup_required");
    let r = admin
        .post(
            "/api/v1/accounts",
            json!({"username": "sneaky", "role": "office", "org_code": CITY_OFFICE, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["error"], "totp_setup_required");
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM account WHERE username = 'sneaky'")
            .await,
        0
    );
    let me = admin.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["role"], "admin");
    // Another role is not held, and without the setting the administrator is not either.
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    assert_eq!(office.get("/api/v1/orgs").await.status, StatusCode::OK);
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, CITY_OFFICE).await;
    assert_eq!(admin.get("/api/v1/accounts").await.status, StatusCode::OK);
}

/// A six-digit code that is none of the codes valid around now.
fn wrong_code(raw: &[u8]) -> String {
    let step = anwei::db::now_ms() / 30_000;
    let valid: BTreeSet<String> = (step - 3..=step + 3)
        .map(|s| anwei::auth::crypto::totp_code(raw, s))
        .collect();
    (0..10u32)
        .map(|d| d.to_string().repeat(6))
        .find(|c| !valid.contains(c))
        .expect("a wrong code")
}

#[tokio::test]
async fn five_wrong_totp_codes_with_the_right_password_lock_the_account() {
    let app = spawn_app().await;
    app.create_user("qian", Role::Office, CITY_OFFICE).await;
    let w = app.browser_as("qian").await;
    assert_eq!(
        w.post_form("/account/totp/begin", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let raw = totp_secret(&w.get("/account/totp").await.body);
    let code = anwei::auth::crypto::totp_code(&raw, anwei::db::now_ms() / 30_000);
    assert_eq!(
        w.post_form("/account/totp/confirm", &[("code", &code)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let login = |totp: String| {
        let api = app.anon();
        async move {
            api.post(
                "/api/v1/auth/login",
                json!({"username": "qian", "password": PASSWORD, "totp": totp}),
            )
            .await
        }
    };
    for i in 1..=5 {
        let r = login(wrong_code(&raw)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong code {i}: {}",
            r.body
        );
        assert!(r.body["fields"]["totp"].is_string(), "{}", r.body);
    }
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'failed' \
             AND detail LIKE '%bad_totp%'"
        )
        .await,
        5
    );
    // Right password, right code: still locked.
    let right = anwei::auth::crypto::totp_code(&raw, anwei::db::now_ms() / 30_000 + 1);
    let r = login(right).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.headers.get("retry-after").expect("Retry-After"), "60");
    assert!(r.body.get("token").is_none());
    // It was the lock: lifted, the same kind of code logs in.
    app.exec("UPDATE account SET locked_until = 1 WHERE username = 'qian'")
        .await;
    let right = anwei::auth::crypto::totp_code(&raw, anwei::db::now_ms() / 30_000 + 1);
    let r = login(right).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

// ---------------------------------------------------------------- API tokens

#[tokio::test]
async fn a_token_made_for_one_day_stops_working_once_it_expires() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let before = anwei::db::now_ms();
    let r = office
        .post("/api/v1/tokens", json!({"name": "一天", "days": 1}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let mut t = app.anon();
    t.token = r.body["token"].as_str().expect("token").to_string();
    let expires = app
        .scalar_i64(&format!("SELECT expires_at FROM api_token WHERE id = {id}"))
        .await;
    let day = 86_400_000;
    assert!(
        expires >= before + day && expires <= anwei::db::now_ms() + day,
        "expires a day after creation: {expires}"
    );
    assert_eq!(t.get("/api/v1/me").await.status, StatusCode::OK);
    app.exec(&format!(
        "UPDATE api_token SET expires_at = {} WHERE id = {id}",
        anwei::db::now_ms() - 1_000
    ))
    .await;
    let r = t.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(
        t.get("/api/v1/policy/tasks").await.status,
        StatusCode::UNAUTHORIZED
    );
    // The owner's other credentials are untouched.
    assert_eq!(office.get("/api/v1/me").await.status, StatusCode::OK);
}

// ---------------------------------------------------------------- evidence count

#[tokio::test]
async fn a_report_with_more_than_ten_files_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let dw = app.api_as(Role::Territory, "220502-DW").await;
    issue(&office, 6, &["220502-DW"]).await;
    let id = assignment_id(&office, 6, "220502-DW").await;
    let bodies: Vec<(String, Vec<u8>)> = (1..=11)
        .map(|i| (format!("佐证{i}.pdf"), pdf(&format!("第 {i} 份"))))
        .collect();
    let files: Vec<(&str, &[u8])> = bodies
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let before = app.scalar_i64("SELECT COUNT(*) FROM attachment").await;
    let r = ack_and_report(&dw, id, &files).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["files"].is_string(), "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM attachment").await,
        before
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM submission WHERE subject_kind = 'assignment'")
            .await,
        0
    );
    assert!(
        !app.data_dir().join("files").exists(),
        "no file is written when the report is refused"
    );
    // Ten are accepted.
    let (ct, body) = multipart_files(&[("text", "十份佐证")], &files[..10]);
    let r = dw
        .post_raw(&format!("/api/v1/assignments/{id}/reports"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM attachment").await,
        before + 10
    );
}

// ---------------------------------------------------------------- unknown JSON fields

#[tokio::test]
async fn login_and_token_requests_with_unknown_fields_are_refused() {
    let app = spawn_app().await;
    app.create_user("zhou", Role::Office, CITY_OFFICE).await;
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "zhou", "password": PASSWORD, "admin": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body["fields"]["admin"].is_string(),
        "names the field: {}",
        r.body
    );
    assert!(r.body.get("token").is_none(), "{}", r.body);
    assert_eq!(app.audit_count("auth.login", "ok").await, 0);
    // The same request without the extra field logs in.
    let ok = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "zhou", "password": PASSWORD}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let mut u = app.anon();
    u.token = ok.body["token"].as_str().expect("token").to_string();
    let before = app.scalar_i64("SELECT COUNT(*) FROM api_token").await;
    let r = u
        .post(
            "/api/v1/tokens",
            json!({"name": "x", "role": "office", "account_id": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body["fields"]["account_id"].is_string(),
        "names the field: {}",
        r.body
    );
    assert!(r.body.get("token").is_none(), "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM api_token").await,
        before
    );
    let r = u
        .post("/api/v1/tokens", json!({"name": "x", "role": "office"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

// ---------------------------------------------------------------- the audit MAC

/// A fixed record; its MACs below were computed independently (Python's `hmac` and
/// `hashlib`, with OpenSSL's SM3) over the canonical encoding: each field as a 4-byte
/// big-endian length and its UTF-8 bytes, in the order prev_hash, seq, at, actor_id (empty
/// when none), actor_name, action, target_type, target_id, outcome, request_id, ip, detail.
fn fixed_row(actor: bool) -> (String, AuditRow) {
    if actor {
        let prev = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".to_string();
        let row = AuditRow {
            seq: 42,
            at: 1_700_000_000_123,
            actor_id: Some(7),
            actor_name: "张三".into(),
            action: "auth.login".into(),
            target_type: "account".into(),
            target_id: "7".into(),
            outcome: "ok".into(),
            request_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
            ip: "203.0.113.9".into(),
            detail: "{\"reason\":\"密码错误\"}".into(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        (prev, row)
    } else {
        let row = AuditRow {
            seq: 1,
            at: 1_700_000_000_000,
            actor_id: None,
            actor_name: "system".into(),
            action: "system.start".into(),
            target_type: "system".into(),
            target_id: String::new(),
            outcome: "ok".into(),
            request_id: "r-1".into(),
            ip: "-".into(),
            detail: String::new(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        (String::new(), row)
    }
}

#[test]
fn the_audit_mac_matches_independently_computed_hmac_sha256_and_hmac_sm3_vectors() {
    let key: Vec<u8> = (0u8..32).collect();
    let vectors = [
        (
            "hmac-sha256",
            true,
            "fbde9f04f1f259b786fdbe8e0e6df2959d2b50f66d41341af807fa90353871eb",
        ),
        (
            "hmac-sm3",
            true,
            "8a122bd9f47ec8f3176b5519fa31901a9e8b7da882a3cfb3e2c27985a7d23c63",
        ),
        (
            "hmac-sha256",
            false,
            "b067d4705ee09d954c4a5959ebd583796055a22a18d57583996519406934682f",
        ),
        (
            "hmac-sm3",
            false,
            "c27e3d75d0b2fd08a006848592ac72c2f5adc04831bf06716969b2e60bb2d8a4",
        ),
    ];
    for (algo, actor, expected) in vectors {
        let (prev, row) = fixed_row(actor);
        let k = AuditKey::new(key.clone(), algo);
        assert_eq!(k.mac(&prev, &row), expected, "{algo}, actor {actor}");
    }
    // The stored hash (the MAC itself) is not covered.
    let (prev, mut row) = fixed_row(true);
    row.hash = "anything".into();
    assert_eq!(
        AuditKey::new(key.clone(), "hmac-sha256").mac(&prev, &row),
        vectors[0].2
    );
}
