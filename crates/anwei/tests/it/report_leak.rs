//! The leak test of 安全生产举报 (issue 13): reports whose reporter name, phone, ID number and
//! attachment name carry unique markers go through every handling step, the reporter's
//! follow-up, messages, error paths, the custodian's reveal and the handlers' download; then
//! the logs (every level), the database (the SQLite file and its WAL, or every row of every
//! PostgreSQL table as text), the file store, the audit log and its export, the notifications
//! and every other role's pages are searched for the markers: zero hits. Each reveal and each
//! download: exactly one audit record.

use std::io::Write;
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;

use crate::hazards::png;
use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "泄密标记姓名QX";
const PHONE: &str = "13957246813";
const FILE_NAME: &str = "泄密标记附件ZW.png";
const CONTENT: &[u8] = b"LEAKMARKERPHOTOBYTES";

/// A valid 居民身份证号码 (GB 11643 check digit) used nowhere else.
fn id_number() -> String {
    let body = "33010619870523471";
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(w)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn markers() -> Vec<String> {
    vec![
        NAME.into(),
        PHONE.into(),
        id_number(),
        "泄密标记附件".into(),
        String::from_utf8(CONTENT.to_vec()).expect("ascii"),
    ]
}

/// Every tracing event of this test's thread (the server runs on it: `#[tokio::test]` is a
/// current-thread runtime), at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

fn hits(what: &str, hay: &[u8], found: &mut Vec<String>) {
    for m in markers() {
        let m = m.as_bytes();
        if hay.windows(m.len()).any(|w| w == m) {
            found.push(format!("{what}: {}", String::from_utf8_lossy(m)));
        }
    }
}

fn scan_dir(dir: &std::path::Path, found: &mut Vec<String>) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            n += scan_dir(&p, found);
        } else if let Ok(b) = std::fs::read(&p) {
            n += 1;
            hits(&p.display().to_string(), &b, found);
        }
    }
    n
}

fn collect(dir: &std::path::Path, out: &mut Vec<u8>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.extend(b);
        }
    }
}

fn photo() -> Vec<u8> {
    let mut b = png();
    let end = b.len() - 12;
    b.splice(end..end, CONTENT.iter().copied());
    b
}

#[tokio::test]
async fn no_marker_of_the_reporter_leaks_anywhere_and_each_reveal_is_audited_once() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // `log` records (the database driver's statements) into the same subscriber; another test
    // may have installed the bridge already.
    let _ = tracing_log::LogTracer::init();
    // Callsites another test's thread registered before this subscriber existed were cached as
    // uninteresting: ask every callsite again.
    tracing::callsite::rebuild_interest_cache();
    let app = spawn_app().await;
    tracing::callsite::rebuild_interest_cache();
    let anon = app.anon();
    let id_no = id_number();
    let named: Vec<(&str, &str)> = vec![
        ("category", "violation"),
        ("description", "夜间违规动火作业，无人监护"),
        ("region_code", "220502"),
        ("unit_name", "东昌某机械厂"),
        ("identity", "named"),
        ("reporter_name", NAME),
        ("reporter_phone", PHONE),
        ("reporter_id_number", &id_no),
    ];
    // Error paths first: a bad phone, a file that is no PNG, both carrying the markers.
    let mut bad = named.clone();
    bad[6] = ("reporter_phone", "139-PHONE-泄密标记姓名QX");
    let (ct, body) = multipart_files(&bad, &[(FILE_NAME, b"<html>LEAKMARKERPHOTOBYTES</html>")]);
    let r = anon.post_raw("/api/v1/public/reports", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let mut found = Vec::new();
    hits("a refusal", r.body.to_string().as_bytes(), &mut found);
    // The report with its photo, then the reporter's follow-up with another.
    let (ct, body) = multipart_files(&named, &[(FILE_NAME, &photo())]);
    let r = anon.post_raw("/api/v1/public/reports", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["receipt_code"]
        .as_str()
        .expect("code")
        .replace(' ', "");
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let follow = format!("/api/v1/public/reports/{code}");
    let (ct, body) = multipart_files(&[("body", "补充照片")], &[(FILE_NAME, &photo())]);
    let r = anon
        .post_raw(&format!("{follow}/messages"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    hits("the follow-up", r.body.to_string().as_bytes(), &mut found);
    // Handling: every step, messages, a wrong department, a refused reveal.
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let zj = app.api_as(Role::Department, "220502-ZJ").await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let step = |s: &str| format!("/api/v1/reports/{id}/{s}");
    let mut answers = Vec::new();
    answers.push(office.post(&step("accept"), json!({})).await);
    answers.push(
        office
            .post(&step("route"), json!({"department_code": "220502-YJ"}))
            .await,
    );
    answers.push(zj.get(&format!("/api/v1/reports/{id}")).await);
    answers.push(yj.post(&step("verify"), json!({"finding": "maybe"})).await);
    answers.push(
        yj.post(&step("verify"), json!({"finding": "true", "note": "属实"}))
            .await,
    );
    answers.push(
        yj.post(
            &format!("/api/v1/reports/{id}/messages"),
            json!({"body": "正在处理"}),
        )
        .await,
    );
    answers.push(yj.post(&step("answer"), json!({"note": "已处罚"})).await);
    answers.push(admin.post(&step("reveal"), json!({"reason": "试探"})).await);
    assert_eq!(answers.last().expect("one").status, StatusCode::FORBIDDEN);
    for a in &answers {
        hits(
            "a handling answer",
            a.body.to_string().as_bytes(),
            &mut found,
        );
    }
    // The custodian reveals once; a handler downloads the file once.
    let r = city
        .post(
            "/api/v1/report-custodians",
            json!({"username": office.username}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = office
        .post(&step("reveal"), json!({"reason": "核查需要联系举报人"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], NAME);
    assert_eq!(r.body["id_number"], id_no.as_str());
    let res = yj
        .client
        .get(format!("{}/api/v1/reports/{id}/attachments/1", yj.base))
        .bearer_auth(&yj.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let cd = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cd.contains(&anwei::files::rfc5987(FILE_NAME)), "{cd}");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), photo());
    assert_eq!(app.audit_count("report.reveal", "ok").await, 1);
    assert_eq!(app.audit_count("report.reveal", "denied").await, 1);
    assert_eq!(app.audit_count("report.attachment_download", "ok").await, 1);
    // 转办 and 延期 (issue 13): a second named report with a photo, an extension asked and
    // decided, transferred between departments, then to another county without the identity
    // (its custodian's reveal refused) and back with it; every answer scanned.
    let (ct, body) = multipart_files(&named, &[(FILE_NAME, &photo())]);
    let r = anon.post_raw("/api/v1/public/reports", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let second = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let s2 = |s: &str| format!("/api/v1/reports/{second}/{s}");
    let ji_an = app.api_as(Role::Office, "220582-AWB").await;
    let r = city
        .post(
            "/api/v1/report-custodians",
            json!({"username": ji_an.username}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let mut moves = Vec::new();
    moves.push(office.post(&s2("accept"), json!({"industry": "C26"})).await);
    moves.push(
        office
            .post(&s2("route"), json!({"department_code": "220502-YJ"}))
            .await,
    );
    moves.push(
        yj.post(&s2("extension"), json!({"reason": "需第三方检测"}))
            .await,
    );
    moves.push(
        yj.post(&s2("extension/decide"), json!({"approve": true}))
            .await,
    );
    moves.push(
        office
            .post(&s2("extension/decide"), json!({"approve": true}))
            .await,
    );
    moves.push(
        yj.post(
            &s2("transfer"),
            json!({"to_org": "220502-ZJ", "reason": "属住建领域"}),
        )
        .await,
    );
    moves.push(
        office
            .post(
                &s2("transfer"),
                json!({"to_org": "220582-AWB", "reason": "属地管辖"}),
            )
            .await,
    );
    moves.push(ji_an.get(&format!("/api/v1/reports/{second}")).await);
    moves.push(
        ji_an
            .post(&s2("reveal"), json!({"reason": "联系举报人"}))
            .await,
    );
    assert_eq!(moves.last().expect("one").status, StatusCode::FORBIDDEN);
    moves.push(
        ji_an
            .post(
                &s2("transfer"),
                json!({"to_org": "220502-AWB", "reason": "退回",
        "include_identity": true, "identity_reason": "试探"}),
            )
            .await,
    );
    assert_eq!(moves.last().expect("one").status, StatusCode::FORBIDDEN);
    moves.push(
        ji_an
            .post(
                &s2("transfer"),
                json!({"to_org": "220502-AWB", "reason": "退回"}),
            )
            .await,
    );
    moves.push(
        office
            .post(
                &s2("transfer"),
                json!({"to_org": "220582-AWB", "reason": "再次转办",
                "include_identity": true, "identity_reason": "需集安联系举报人"}),
            )
            .await,
    );
    for m in &moves {
        assert!(m.status.as_u16() < 500, "{}", m.body);
        hits(
            "a transfer or extension answer",
            m.body.to_string().as_bytes(),
            &mut found,
        );
    }
    assert_eq!(app.audit_count("report.transfer", "ok").await, 4);
    assert_eq!(app.audit_count("report.transfer_identity", "ok").await, 1);
    assert_eq!(app.audit_count("report.extension_decide", "ok").await, 1);
    for p in [
        format!("/api/v1/reports/{second}"),
        "/api/v1/reports".to_string(),
    ] {
        for who in [&ji_an, &office, &zj, &yj] {
            hits(
                &format!("{} {p}", who.username),
                who.get(&p).await.body.to_string().as_bytes(),
                &mut found,
            );
        }
    }
    assert_eq!(app.audit_count("report.reveal", "ok").await, 1);
    // Every other page and list, of every role: the audit log and its answers, notifications,
    // the report lists and the case.
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    let ent = app.api_as(Role::Enterprise, "220502-DW").await;
    let paths = [
        "/api/v1/reports".to_string(),
        format!("/api/v1/reports/{id}"),
        "/api/v1/audit".to_string(),
        "/api/v1/audit?per_page=200".to_string(),
        "/api/v1/notifications".to_string(),
        "/reports".to_string(),
        format!("/reports/{id}"),
        "/audit".to_string(),
        "/inbox".to_string(),
        "/".to_string(),
    ];
    for who in [&office, &yj, &zj, &admin, &city, &leader, &ent] {
        for p in &paths {
            let r = who.get(p).await;
            hits(
                &format!("{} {p}", who.username),
                r.body.to_string().as_bytes(),
                &mut found,
            );
        }
    }
    for who in ["awb_leak", "yj_leak"] {
        let org = if who == "awb_leak" {
            "220502-AWB"
        } else {
            "220502-YJ"
        };
        let role = if who == "awb_leak" {
            Role::Office
        } else {
            Role::Department
        };
        app.create_user(who, role, org).await;
        let w = app.browser_as(who).await;
        for p in [
            format!("/reports/{id}"),
            "/reports".into(),
            "/audit".into(),
            "/inbox".into(),
        ] {
            hits(
                &format!("{who} {p}"),
                w.get(&p).await.body.as_bytes(),
                &mut found,
            );
        }
    }
    // The database: every file of the data folder (the SQLite database and its WAL, the file
    // store, anything written there), or every row of every PostgreSQL table as text.
    let scanned = scan_dir(&app.data_dir(), &mut found);
    // The scan sees what is stored in the clear (a control: the unit's name is not protected).
    let mut control = Vec::new();
    let unit = "东昌某机械厂".as_bytes();
    if app.is_pg() {
        let tables = app
            .scalar_text(
                "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = current_schema()",
            )
            .await
            .expect("tables");
        for t in tables.split(',') {
            let rows = app
                .scalar_text(&format!(
                    "SELECT COALESCE(string_agg(x::text, E'\\n'), '') FROM \"{t}\" x"
                ))
                .await
                .unwrap_or_default();
            hits(&format!("table {t}"), rows.as_bytes(), &mut found);
            control.extend_from_slice(rows.as_bytes());
        }
        assert!(tables.contains("report_attachment"), "{tables}");
    } else {
        let db = app.data_dir().join("anwei.db");
        assert!(db.exists(), "the SQLite file is scanned");
        assert!(
            scanned >= 3,
            "the database, its WAL and the sealed files: {scanned}"
        );
        collect(&app.data_dir(), &mut control);
    }
    assert!(
        control.windows(unit.len()).any(|w| w == unit),
        "the scan reads the stored reports"
    );
    drop(app);
    let logged = logs.0.lock().expect("logs").clone();
    let text = String::from_utf8_lossy(&logged);
    assert!(
        ["anwei::", "sqlx::query", "axum::serve"]
            .iter()
            .any(|t| text.contains(t)),
        "the server's events were heard: {}",
        &text[..text.len().min(2000)]
    );
    hits("the logs", &logged, &mut found);
    assert!(found.is_empty(), "markers found: {found:#?}");
}
