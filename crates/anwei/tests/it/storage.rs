//! File storage on both backends: evidence uploaded through the API (task reports, duty
//! records, deliverable submissions) and policy tables kept between preview and confirmation
//! come back byte for byte — from the local data folder always, and from an S3-compatible
//! server when `ANWEI_TEST_S3_URL` names one (scripts/test.sh starts moto for it).

use anwei::auth::model::Role;
use anwei::config::{Config, StorageConfig};
use anwei::files::{Storage, StorageError};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;

use crate::helpers::*;

#[derive(Clone, Copy, Debug)]
enum Backend {
    Local,
    S3,
}

/// The storage settings of `backend`, or `None` when no S3 server is given for this run.
fn storage(backend: Backend) -> Option<StorageConfig> {
    match backend {
        Backend::Local => Some(StorageConfig::default()),
        Backend::S3 => s3_storage(),
    }
}

/// An app on `backend` (whatever `ANWEI_TEST_STORAGE` says), or `None` when there is no S3.
async fn app_on(backend: Backend) -> Option<TestApp> {
    let Some(st) = storage(backend) else {
        eprintln!("storage tests on S3 skipped: ANWEI_TEST_S3_URL is not set");
        return None;
    };
    Some(
        spawn_app_with(Opts {
            tweak: Box::new(move |c| c.uploads.storage = st),
        })
        .await,
    )
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Deterministic bytes of every value (no randomness: a failure repeats).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

async fn download(api: &Api, path: &str) -> Vec<u8> {
    let res = api
        .client
        .get(format!("{}{path}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let cd = res
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(cd.starts_with("attachment;"), "{path}: {cd}");
    res.bytes().await.expect("bytes").to_vec()
}

/// Uploads evidence through every upload route and downloads it back; returns the hashes
/// stored (each checked against the bytes sent).
async fn evidence_round_trip(app: &TestApp) -> Vec<String> {
    let mut stored = Vec::new();
    let office = app.api_as(Role::Office, "220500-AWB").await;

    // 督查督办: a report with a PDF, a PNG and a 3 MiB zip (binary, every byte value).
    let dw = app.api_as(Role::Territory, "220502-DW").await;
    let r = office
        .post_raw(
            "/api/v1/policy/tasks/6/assignments/issue",
            "application/json",
            Vec::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = office.get("/api/v1/assignments?task=6&org=220502-DW").await;
    let id = r.body["items"][0]["id"].as_i64().expect("assignment id");
    let r = dw
        .post(&format!("/api/v1/assignments/{id}/acknowledge"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pdf = b"%PDF-1.4\n% \xe6\x95\xb4\xe6\x94\xb9\xe4\xbd\x90\xe8\xaf\x81\n%%EOF\n".to_vec();
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend(noise(40_000, 7));
    // A whole file ends as its kind does (evidence must be a real file): IEND, end record.
    png.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend(noise(3 * 1024 * 1024, 11));
    zip.extend_from_slice(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    let (ct, body) = multipart_files(
        &[("text", "整改佐证见附件")],
        &[("纪要.pdf", &pdf), ("照片.png", &png), ("台账.zip", &zip)],
    );
    let r = dw
        .post_raw(&format!("/api/v1/assignments/{id}/reports"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = office.get(&format!("/api/v1/assignments/{id}")).await;
    let files = d.body["attachments"]
        .as_array()
        .expect("attachments")
        .clone();
    assert_eq!(files.len(), 3, "{}", d.body);
    for (f, sent) in files.iter().zip([&pdf, &png, &zip]) {
        let fid = f["id"].as_i64().expect("id");
        let sha = app
            .scalar_text(&format!("SELECT sha256 FROM attachment WHERE id = {fid}"))
            .await
            .expect("hash");
        assert_eq!(sha, sha256(sent));
        for who in [&office, &dw] {
            let got = download(who, &format!("/api/v1/attachments/{fid}")).await;
            assert!(got == *sent, "{} comes back as sent", f["filename"]);
        }
        stored.push(sha);
    }

    // 履职记录: an activity with its minutes.
    let minutes = b"%PDF-1.4\n% minutes of the standing committee\n%%EOF\n".to_vec();
    let day = anwei::time::today().to_string();
    let (ct, body) = multipart_files(
        &[
            ("org_code", "220502-DW"),
            ("kind", "study"),
            ("date", &day),
            ("title", "学习安全生产法"),
        ],
        &[("纪要.pdf", &minutes)],
    );
    let r = dw.post_raw("/api/v1/activities", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let fid = r.body["evidence"][0]["id"].as_i64().expect("evidence id");
    assert_eq!(
        download(&dw, &format!("/api/v1/activity-evidence/{fid}")).await,
        minutes
    );
    stored.push(sha256(&minutes));

    // 报送事项: a submission with a text file.
    let r = office
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({"orgs": ["220500-YJ"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rid = app
        .scalar_i64(
            "SELECT q.id FROM deliverable_requirement q JOIN org o ON o.id = q.org_id \
             WHERE q.deliverable_code = 'implementation_plan' AND o.code = '220500-YJ'",
        )
        .await;
    let yj = app.api_as(Role::Department, "220500-YJ").await;
    let plan = "实施方案：一、总体要求……\n".repeat(200).into_bytes();
    let (ct, body) = multipart_files(&[("note", "实施方案已制定")], &[("方案.txt", &plan)]);
    let r = yj
        .post_raw(
            &format!("/api/v1/deliverable-requirements/{rid}/submissions"),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = yj
        .get(&format!("/api/v1/deliverable-requirements/{rid}"))
        .await;
    let fid = d.body["files"][0]["id"].as_i64().expect("file id");
    for who in [&yj, &office] {
        assert_eq!(
            download(who, &format!("/api/v1/deliverable-files/{fid}")).await,
            plan
        );
    }
    stored.push(sha256(&plan));
    stored
}

/// A policy table previewed in the page is kept in the storage until it is confirmed.
async fn policy_upload_round_trip(app: &TestApp) -> String {
    app.create_user("st_office", Role::Office, "220500-AWB")
        .await;
    let w = app.browser_as("st_office").await;
    let meta = [
        ("code", "st-2026"),
        ("doc_number", "通安委〔2026〕9号"),
        ("title", "关于开展专项整治的通知"),
        ("issuer", "通化市安全生产委员会"),
        ("issued_on", "2026-03-01"),
    ];
    let csv = "措施,序号,重点任务,责任单位,完成时限\n\
        一、压实责任,1,制定责任清单,各级党（工）委、政府,2026年6月底前完成\n";
    let (ct, body) = multipart(&meta, &[("file", "tasks.csv", csv.as_bytes())]);
    let r = w
        .client
        .post(format!("{}/policy/import?_csrf={}", w.base, w.csrf))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    let sha = html
        .split("name=\"sha\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the confirm form carries the upload's key")
        .to_string();
    assert!(
        app.state.files.exists(&sha).await.expect("exists"),
        "the upload waits in the storage"
    );
    let mut fields: Vec<(&str, &str)> = vec![("sha", sha.as_str())];
    fields.extend(meta);
    let p = w.post_form("/policy/import/confirm", &fields).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy WHERE code = 'st-2026'")
            .await,
        1
    );
    sha
}

#[tokio::test]
async fn evidence_comes_back_byte_for_byte_from_the_local_folder_in_the_old_layout() {
    let app = app_on(Backend::Local).await.expect("local storage");
    assert_eq!(app.state.files.backend(), "local");
    let mut stored = evidence_round_trip(&app).await;
    stored.push(policy_upload_round_trip(&app).await);
    for sha in &stored {
        let path = app.data_dir().join("files").join(&sha[..2]).join(sha);
        assert!(path.is_file(), "{} is where it always was", path.display());
    }
}

#[tokio::test]
async fn evidence_comes_back_byte_for_byte_from_the_s3_store_and_nothing_is_written_locally() {
    let Some(app) = app_on(Backend::S3).await else {
        return;
    };
    assert_eq!(app.state.files.backend(), "s3");
    let mut stored = evidence_round_trip(&app).await;
    stored.push(policy_upload_round_trip(&app).await);
    assert!(
        !app.data_dir().join("files").exists(),
        "no file in the data folder"
    );
    // A second instance shares nothing with the first but the bucket (and the database).
    let other = Storage::from_config(&app.state.cfg).expect("storage");
    for sha in &stored {
        assert!(other.exists(sha).await.expect("exists"), "{sha}");
    }
    let zip = other.get(&stored[2]).await.expect("the zip");
    assert_eq!(sha256(&zip), stored[2]);
}

/// put, get and exists behave alike on both backends.
async fn interface_contract(s: &Storage) {
    let bytes = noise(100_000, 3);
    let sha = sha256(&bytes);
    assert!(!s.exists(&sha).await.expect("exists"));
    assert!(matches!(s.get(&sha).await, Err(StorageError::NotFound(_))));
    s.put(&sha, &bytes).await.expect("put");
    s.put(&sha, &bytes)
        .await
        .expect("the same content again is fine");
    assert!(s.exists(&sha).await.expect("exists"));
    assert_eq!(s.get(&sha).await.expect("get"), bytes);
    for bad in ["../../etc/passwd", "abc", &sha.to_uppercase()] {
        assert!(
            matches!(s.get(bad).await, Err(StorageError::BadName(_))),
            "{bad}"
        );
        assert!(
            matches!(s.put(bad, b"x").await, Err(StorageError::BadName(_))),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_storage_interface_is_idempotent_and_refuses_names_that_are_no_hash_on_both_backends() {
    let dir = tempfile::tempdir().expect("temp dir");
    interface_contract(&Storage::local(dir.path()).expect("local")).await;
    if let Some(st) = storage(Backend::S3) {
        interface_contract(&Storage::s3(&st).expect("s3")).await;
    }
}

#[tokio::test]
async fn a_bucket_that_does_not_exist_stops_start_up() {
    let Some(mut st) = storage(Backend::S3) else {
        eprintln!("skipped: ANWEI_TEST_S3_URL is not set");
        return;
    };
    st.bucket = format!(
        "missing-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = Config {
        data_dir: dir.path().to_path_buf(),
        audit_key: "ab".repeat(32),
        ..Config::default()
    };
    cfg.uploads.storage = st;
    cfg.validate().expect("valid settings");
    let err = match anwei::state::AppState::build(cfg).await {
        Ok(_) => panic!("start-up must fail"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("S3"), "{err}");
}

#[test]
fn storage_settings_are_checked_at_start_and_the_secret_is_never_printed() {
    let check = |f: &dyn Fn(&mut StorageConfig)| -> Result<(), String> {
        let mut cfg = Config::default();
        f(&mut cfg.uploads.storage);
        cfg.validate().map_err(|e| e.to_string())
    };
    assert!(check(&|_| {}).is_ok(), "local needs nothing");
    let e = check(&|s| s.backend = "nfs".into()).unwrap_err();
    assert!(
        e.contains("uploads.storage.backend") && e.contains("无效"),
        "{e}"
    );
    let s3 = |s: &mut StorageConfig| {
        s.backend = "s3".into();
        s.endpoint = "https://minio.example.gov.cn:9000".into();
        s.bucket = "anwei".into();
        s.access_key_id = "AKIDEXAMPLE".into();
        s.secret_access_key = "very-secret-key".into();
    };
    assert!(check(&s3).is_ok());
    for (setting, broken) in [
        (
            "uploads.storage.endpoint",
            (|s: &mut StorageConfig| s.endpoint.clear()) as fn(&mut StorageConfig),
        ),
        ("uploads.storage.endpoint", |s| {
            s.endpoint = "minio:9000".into()
        }),
        ("uploads.storage.bucket", |s| s.bucket.clear()),
        ("uploads.storage.access_key_id", |s| {
            s.secret_access_key.clear()
        }),
        ("uploads.storage.prefix", |s| s.prefix = "a/../b".into()),
    ] {
        let e = check(&|s| {
            s3(s);
            broken(s)
        })
        .unwrap_err();
        assert!(e.contains(setting), "{setting}: {e}");
    }
    let mut cfg = Config::default();
    s3(&mut cfg.uploads.storage);
    let printed = toml::to_string_pretty(&cfg.redacted()).expect("toml");
    assert!(!printed.contains("very-secret-key"), "{printed}");
    assert!(printed.contains("AKIDEXAMPLE") && printed.contains("<redacted>"));
    let v: Value = serde_json::to_value(cfg.redacted()).expect("json");
    assert_eq!(v["uploads"]["storage"]["backend"], "s3");
}
