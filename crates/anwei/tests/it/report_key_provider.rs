//! Tests of `[vault] key_provider = "command"` with a real outside program: a small shell
//! script, written here, that wraps data keys with `openssl enc`. **A test provider only**
//! (AES-256-CBC under a passphrase, unauthenticated): it stands in for an HSM or KMS client.
//! A report round-trips through it (filed, revealed, its file downloaded); a failing or hanging
//! program answers 503 and saves nothing; values sealed under the local key stay readable while
//! that key is configured, and only then.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::hazards::png;
use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "举报人标记庚辛壬";
const PHONE: &str = "13900007531";

/// The test provider: `sh kp.sh <passphrase> <mode>`; `wrap` fails (exit 3) or hangs when
/// the script is written with `fail` or `hang`.
fn script(dir: &Path, wrap: &str) -> String {
    let wrap_line = match wrap {
        "fail" => "wrap) echo 'hsm offline' >&2; exit 3 ;;".to_string(),
        "hang" => "wrap) sleep 20 ;;".to_string(),
        _ => "wrap) openssl base64 -d -A | openssl enc -aes-256-cbc -pbkdf2 -iter 1000 \
              -pass \"pass:$1\" | openssl base64 -A ;;"
            .to_string(),
    };
    let body = format!(
        "# Test key provider only (AES-256-CBC via openssl enc): not an HSM.\n\
         case \"$2\" in\n\
         key-id) echo kms1 ;;\n\
         {wrap_line}\n\
         unwrap) openssl base64 -d -A | openssl enc -d -aes-256-cbc -pbkdf2 -iter 1000 \
         -pass \"pass:$1\" | openssl base64 -A ;;\n\
         *) exit 2 ;;\n\
         esac\n"
    );
    let path = dir.join(format!("kp-{wrap}.sh"));
    std::fs::write(&path, body).expect("script");
    path.display().to_string()
}

/// A vault config running the script through `/bin/sh` (never exec'ing a file just written).
fn command_vault(script: String, timeout_ms: u64) -> anwei::vault::VaultConfig {
    anwei::vault::VaultConfig {
        key_provider: "command".into(),
        command: "/bin/sh".into(),
        command_args: vec![script, "test-passphrase".into()],
        command_timeout_ms: timeout_ms,
        ..Default::default()
    }
}

async fn spawn_with_provider(wrap: &str, timeout_ms: u64) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let s = script(dir.path(), wrap);
    let app = spawn_app_with(Opts {
        tweak: Box::new(move |c| c.vault = command_vault(s, timeout_ms)),
    })
    .await;
    (app, dir)
}

fn named_report(photo: &[u8]) -> (String, Vec<u8>) {
    multipart_files(
        &[
            ("category", "violation"),
            ("description", "仓库违规存放危险化学品"),
            ("region_code", "220502"),
            ("identity", "named"),
            ("reporter_name", NAME),
            ("reporter_phone", PHONE),
        ],
        &[("现场.png", photo)],
    )
}

fn stored_files(app: &TestApp) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    every_file(&app.data_dir().join("files"), &mut out);
    out
}

fn every_file(dir: &Path, out: &mut Vec<Vec<u8>>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            every_file(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push(b);
        }
    }
}

#[tokio::test]
async fn a_report_under_a_command_key_provider_is_filed_revealed_and_downloaded() {
    let (app, _dir) = spawn_with_provider("ok", 10_000).await;
    assert_eq!(app.state.vault.key_id(), "kms1");
    let photo = png();
    let (ct, body) = named_report(&photo);
    let r = app
        .anon()
        .post_raw("/api/v1/public/reports", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    let sealed = app
        .scalar_text(&format!(
            "SELECT identity_sealed FROM report WHERE id = {id}"
        ))
        .await
        .expect("sealed");
    assert!(
        sealed.starts_with("kms1.sm4gcm.") && !sealed.contains(PHONE),
        "{sealed}"
    );
    if std::env::var("ANWEI_TEST_STORAGE").is_err() {
        let stored = stored_files(&app);
        assert_eq!(stored.len(), 1, "one sealed file");
        assert!(
            stored[0].starts_with(b"ANWEIkms1G"),
            "{:?}",
            &stored[0][..10]
        );
    }

    let office = app.api_as(Role::Office, "220502-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = city
        .post(
            "/api/v1/report-custodians",
            json!({"username": office.username}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = office
        .post(
            &format!("/api/v1/reports/{id}/reveal"),
            json!({"reason": "核查需要联系举报人"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], NAME);
    assert_eq!(r.body["phone"], PHONE);
    let file = office
        .client
        .get(app.url(&format!("/api/v1/reports/{id}/attachments/1")))
        .bearer_auth(&office.token)
        .send()
        .await
        .expect("download");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.expect("bytes").as_ref(), &photo[..]);
}

/// 503 with the Chinese message first, and nothing of the report anywhere.
async fn refused_and_nothing_saved(app: &TestApp) {
    let (ct, body) = named_report(&png());
    let r = app
        .anon()
        .post_raw("/api/v1/public/reports", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    let msg = r.body["message"].as_str().expect("message");
    assert!(msg.starts_with("加密服务暂不可用"), "{msg}");
    assert!(r.body.get("receipt_code").is_none(), "{}", r.body);
    assert!(!r.body.to_string().contains(PHONE));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 0);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM report_attachment")
            .await,
        0
    );
    assert_eq!(app.audit_count("report.submit", "ok").await, 0);
    if std::env::var("ANWEI_TEST_STORAGE").is_err() {
        assert!(stored_files(app).is_empty(), "no file stored");
    }
}

#[tokio::test]
async fn a_failing_key_provider_answers_503_and_saves_nothing() {
    let (app, _dir) = spawn_with_provider("fail", 10_000).await;
    refused_and_nothing_saved(&app).await;
    // The form (no script) answers 503 with the message on the form, what was typed kept.
    let mut w = app.web_anon();
    let form = w.get("/report").await;
    w.csrf = extract_csrf(&form.body).expect("a CSRF field");
    let p = w
        .post_form(
            "/report",
            &[
                ("category", "violation"),
                ("description", "夜间违规动火作业"),
                ("region_code", "220502"),
                ("identity", "named"),
                ("reporter_name", NAME),
                ("reporter_phone", PHONE),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SERVICE_UNAVAILABLE, "{}", p.body);
    assert!(p.body.contains("加密服务暂不可用"), "{}", p.body);
    assert!(!p.body.contains("receipt-code"));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 0);
    // A principal's ID number goes through the same vault: 503, no enterprise.
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let before = app.scalar_i64("SELECT COUNT(*) FROM enterprise").await;
    let r = county
        .post(
            "/api/v1/enterprises",
            json!({
                "name": "密钥失败测试有限公司",
                "credit_code": crate::hazards::credit_code("91220502MA0007531"),
                "region_code": "220502",
                "industry": "C26",
                "principal_name": "张三",
                "principal_id_number": "220502198505050028",
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM enterprise").await,
        before
    );
}

#[tokio::test]
async fn a_hanging_key_provider_is_killed_at_its_timeout_and_answers_503() {
    let (app, _dir) = spawn_with_provider("hang", 300).await;
    let started = Instant::now();
    refused_and_nothing_saved(&app).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn values_sealed_under_the_local_key_open_only_while_that_key_is_configured() {
    let app = spawn_app().await;
    let (ct, body) = named_report(&png());
    let r = app
        .anon()
        .post_raw("/api/v1/public/reports", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let old = app
        .scalar_text("SELECT identity_sealed FROM report")
        .await
        .expect("sealed");
    assert!(old.starts_with("v1."), "{old}");

    // The same data folder (its vault.key) with the command provider: old values open, new
    // ones are wrapped by the program, the blind index (receipt codes) is unchanged.
    let dir = tempfile::tempdir().expect("dir");
    let s = script(dir.path(), "ok");
    let mut cfg = (*app.state.cfg).clone();
    cfg.vault = command_vault(s.clone(), 10_000);
    let v = anwei::vault::Vault::load(&cfg).expect("vault");
    assert!(v.open(&old).expect("opens").contains(PHONE));
    let new = v.seal("新值").expect("seals");
    assert!(new.starts_with("kms1."), "{new}");
    assert_eq!(&*v.open(&new).expect("opens"), "新值");
    assert_eq!(
        v.blind("report_receipt", "1234"),
        app.state.vault.blind("report_receipt", "1234")
    );
    // The local key alone cannot open what the program wrapped.
    assert!(app.state.vault.open(&new).is_err());

    // Another data folder (a fresh local key): the program still works, the old value no
    // longer opens. Re-wrapping old values under the program is not built.
    let other = tempfile::tempdir().expect("dir");
    let mut cfg2 = cfg.clone();
    cfg2.data_dir = other.path().to_path_buf();
    cfg2.vault_key = String::new();
    let v2 = anwei::vault::Vault::load(&cfg2).expect("vault");
    assert!(v2.open(&old).is_err());
    assert_eq!(&*v2.open(&new).expect("the program opens it"), "新值");

    // A program that cannot name its key stops the start.
    let mut cfg3 = cfg.clone();
    cfg3.vault.command_args = vec![s, "x".into(), "extra".into()];
    cfg3.vault.command = "/nonexistent/kms-client".into();
    assert!(anwei::vault::Vault::load(&cfg3).is_err());
}
