//! Tests of the vault's cipher setting (`[vault] cipher`): a report filed under
//! XChaCha20-Poly1305 is sealed with it (identity and attachment), the custodian reveals it and
//! a handler downloads the file; a value sealed with SM4-GCM before the switch still opens.

use reqwest::StatusCode;
use serde_json::json;

use crate::hazards::png;
use crate::helpers::*;
use anwei::auth::model::Role;

const NAME: &str = "举报人标记丁戊己";
const PHONE: &str = "13900005678";

#[tokio::test]
async fn a_report_filed_under_xchacha20_poly1305_is_sealed_with_it_and_revealed() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.vault.cipher = "xchacha20-poly1305".into()),
    })
    .await;
    let photo = png();
    let (ct, body) = multipart_files(
        &[
            ("category", "violation"),
            ("description", "夜间违规动火作业，无人监护"),
            ("region_code", "220502"),
            ("identity", "named"),
            ("reporter_name", NAME),
            ("reporter_phone", PHONE),
        ],
        &[("现场.png", &photo)],
    );
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
        sealed.starts_with("v1.xchacha20poly1305.") && !sealed.contains(PHONE),
        "{sealed}"
    );
    let meta = app
        .scalar_text("SELECT meta_sealed FROM report_attachment WHERE n = 1")
        .await
        .expect("meta");
    assert!(meta.starts_with("v1.xchacha20poly1305."), "{meta}");
    if std::env::var("ANWEI_TEST_STORAGE").is_err() {
        let mut stored = Vec::new();
        every_file(&app.data_dir().join("files"), &mut stored);
        assert_eq!(stored.len(), 1, "one sealed file");
        assert!(stored[0].starts_with(b"ANWEIv1X"), "{:?}", &stored[0][..8]);
        assert!(!stored[0].windows(32).any(|w| w == &photo[8..40]));
    }

    // The custodian reveals it; a handler downloads the file, the bytes as sent.
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = city
        .post(
            "/api/v1/report-custodians",
            json!({"username": office.username}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let reveal = format!("/api/v1/reports/{id}/reveal");
    let reason = json!({"reason": "核查需要联系举报人"});
    let r = office.post(&reveal, reason.clone()).await;
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

    // A value sealed with SM4-GCM (before the switch) opens under the XChaCha setting.
    let key = std::fs::read_to_string(app.data_dir().join("vault.key")).expect("vault key");
    let sm4 = anwei::vault::Vault::new(&hex::decode(key.trim()).expect("hex")).expect("vault");
    assert_eq!(sm4.cipher(), anwei::vault::Cipher::Sm4Gcm);
    let plain = app.state.vault.open(&sealed).expect("opens");
    let old = sm4.seal(&plain).expect("seals");
    assert!(old.starts_with("v1.sm4gcm."), "{old}");
    app.exec(&format!(
        "UPDATE report SET identity_sealed = '{old}' WHERE id = {id}"
    ))
    .await;
    let r = office.post(&reveal, reason).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], NAME);
    assert_eq!(app.audit_count("report.reveal", "ok").await, 2);
}

/// The bytes of every file under `dir`.
fn every_file(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            every_file(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push(b);
        }
    }
}
