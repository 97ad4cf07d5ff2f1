//! Tests of 举报附件: the reporter attaches photos and documents to a report (API and the
//! script-free form) and to a follow-up message; each file is sealed before it reaches file
//! storage, its name, type and size sealed too; only the handlers of the case download it,
//! each download audited; the reporter's follow-up shows only how many are attached; a bad
//! file is refused naming the field and never the file.

use reqwest::StatusCode;
use serde_json::Value;
use sha2::Digest;

use crate::hazards::png;
use crate::helpers::*;
use anwei::auth::model::Role;

const PHOTO_NAME: &str = "储罐区照片-附件名.png";

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n% report evidence, plain marker PLAINPDFBYTES\n%%EOF\n".to_vec()
}

fn fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("category", "major_hazard"),
        ("description", "储罐区可燃气体报警器长期失效"),
        ("region_code", "220502"),
        ("unit_name", "东昌某化工企业"),
        ("identity", "anonymous"),
    ]
}

/// Submits a report with `files` through the API's multipart form; the receipt code.
pub async fn submit_with(app: &TestApp, files: &[(&str, &[u8])]) -> String {
    let (ct, body) = multipart_files(&fields(), files);
    let r = app
        .anon()
        .post_raw("/api/v1/public/reports", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["receipt_code"]
        .as_str()
        .expect("code")
        .replace(' ', "")
}

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

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn attachments_are_sealed_at_rest_and_only_the_handlers_of_the_case_download_them() {
    let app = spawn_app().await;
    let photo = png();
    let code = submit_with(&app, &[(PHOTO_NAME, &photo), ("检测报告.pdf", &pdf())]).await;
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM report_attachment")
            .await,
        2
    );
    // The stored bytes are sealed: neither the content nor its hash is in file storage.
    if std::env::var("ANWEI_TEST_STORAGE").is_err() {
        let mut stored = Vec::new();
        every_file(&app.data_dir().join("files"), &mut stored);
        assert_eq!(stored.len(), 2, "two sealed files");
        for b in &stored {
            assert!(b.starts_with(b"ANWEIv1S"), "sealed");
            assert!(!contains(b, b"PLAINPDFBYTES") && !contains(b, &photo[8..40]));
        }
    }
    let plain_hash = hex::encode(sha2::Sha256::digest(&photo));
    let names = app
        .scalar_text("SELECT blob_name || meta_sealed FROM report_attachment WHERE n = 1")
        .await
        .expect("row");
    assert!(
        !names.contains(&plain_hash) && !names.contains("储罐区照片"),
        "{names}"
    );
    // The reporter sees how many, nothing more; adds one with a message.
    let follow = format!("/api/v1/public/reports/{code}");
    let r = app.anon().get(&follow).await;
    assert_eq!(r.body["attachments"], 2, "{}", r.body);
    assert!(!r.body.to_string().contains("png"), "{}", r.body);
    let (ct, body) = multipart_files(&[("body", "补充一张现场照片")], &[("现场2.jpg", &jpg())]);
    let r = app
        .anon()
        .post_raw(&format!("{follow}/messages"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["attachments"], 3, "{}", r.body);
    // Handlers see numbers, never names, in the case.
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office.get(&format!("/api/v1/reports/{id}")).await;
    let files = r.body["attachments"].as_array().expect("attachments");
    assert_eq!(files.len(), 3, "{}", r.body);
    assert!(!r.body.to_string().contains("储罐区照片"), "{}", r.body);
    // The office downloads file 1: the original bytes and name, audited with its number.
    let path = format!("/api/v1/reports/{id}/attachments/1");
    let res = office
        .client
        .get(format!("{}{path}", office.base))
        .bearer_auth(&office.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let cd = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(cd.contains(&anwei::files::rfc5987(PHOTO_NAME)), "{cd}");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), photo);
    assert_eq!(app.audit_count("report.attachment_download", "ok").await, 1);
    let detail = app
        .scalar_text("SELECT detail FROM audit_log WHERE action = 'report.attachment_download'")
        .await
        .unwrap_or_default();
    assert!(!detail.contains("储罐区"), "{detail}");
    // A department the case is not routed to: 404; a leader: 403; nobody: 401; no file 9.
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    assert_eq!(yj.get(&path).await.status, StatusCode::NOT_FOUND);
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    assert_eq!(leader.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.anon().get(&path).await.status, StatusCode::UNAUTHORIZED);
    let r = office
        .get(&format!("/api/v1/reports/{id}/attachments/9"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Routed to 应急局, the department downloads it too.
    let step = |s: &str| format!("/api/v1/reports/{id}/{s}");
    office.post(&step("accept"), serde_json::json!({})).await;
    let r = office
        .post(
            &step("route"),
            serde_json::json!({"department_code": "220502-YJ"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(yj.get(&path).await.status, StatusCode::OK);
    assert_eq!(app.audit_count("report.attachment_download", "ok").await, 2);
}

/// A whole JPEG: start and end of image around some bytes.
pub fn jpg() -> Vec<u8> {
    let mut b = vec![0xff, 0xd8, 0xff, 0xe0];
    b.extend((0..300u32).map(|i| (i * 13 % 200) as u8));
    b.extend_from_slice(&[0xff, 0xd9]);
    b
}

#[tokio::test]
async fn bad_files_are_refused_naming_the_field_never_the_file_and_nothing_is_kept() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.reports.max_attachments = 2),
    })
    .await;
    let anon = app.anon();
    // A text dressed up as a PDF, with a form error besides: both answered at once.
    let mut f = fields();
    f[1] = ("description", "");
    let (ct, body) = multipart_files(&f, &[("机密名称.pdf", b"<html>not a pdf at all</html>")]);
    let r = anon.post_raw("/api/v1/public/reports", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("files").is_some(), "{}", r.body);
    assert!(r.body["fields"].get("description").is_some(), "{}", r.body);
    assert!(!r.body.to_string().contains("机密名称"), "{}", r.body);
    assert!(r.body.to_string().contains("#1"), "{}", r.body);
    // Too many for one report.
    let photo = png();
    let (ct, body) = multipart_files(
        &fields(),
        &[("a.png", &photo), ("b.png", &photo), ("c.png", &photo)],
    );
    let r = anon.post_raw("/api/v1/public/reports", &ct, body).await;
    assert!(r.body["fields"].get("files").is_some(), "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 0);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM report_attachment")
            .await,
        0
    );
    let mut stored = Vec::new();
    every_file(&app.data_dir().join("files"), &mut stored);
    assert!(stored.is_empty(), "nothing stored for a refused report");
    // Two on the report; a third with a message is one too many.
    let code = submit_with(&app, &[("a.png", &photo), ("b.pdf", &pdf())]).await;
    let (ct, body) = multipart_files(&[("body", "再补充")], &[("c.jpg", &jpg())]);
    let r = anon
        .post_raw(
            &format!("/api/v1/public/reports/{code}/messages"),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = anon.get(&format!("/api/v1/public/reports/{code}")).await;
    assert_eq!(r.body["messages"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn the_script_free_form_takes_a_photo_and_the_follow_up_shows_only_the_count() {
    let app = spawn_app().await;
    let mut w = app.web_anon();
    let form = w.get("/report").await;
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("type=\"file\""));
    w.csrf = extract_csrf(&form.body).expect("a CSRF field");
    let (ct, body) = multipart_files(&fields(), &[(PHOTO_NAME, &png())]);
    let post = |path: String, ct: String, body: Vec<u8>| {
        w.client
            .post(format!("{}{path}", w.base))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let res = post(
        format!("/report?_csrf={}", w.csrf),
        ct.clone(),
        body.clone(),
    )
    .await
    .expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.expect("page");
    assert!(page.contains("id=\"receipt-code\""), "{page}");
    // Without the token in the query: refused.
    let res = post("/report".into(), ct, body).await.expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let code = page
        .split("id=\"receipt-code\"")
        .nth(1)
        .and_then(|r| r.split('>').nth(1))
        .and_then(|r| r.split('<').next())
        .expect("code")
        .trim()
        .to_string();
    let p = w
        .post_form("/report/follow", &[("receipt_code", &code)])
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("已附 1 个文件"), "{}", p.body);
    assert!(!p.body.contains("储罐区照片"), "{}", p.body);
    // A message with a photo from the follow-up page.
    let (ct, body) = multipart_files(
        &[("receipt_code", &code), ("body", "又拍了一张")],
        &[("x.jpg", &jpg())],
    );
    let res = post(format!("/report/follow/message?_csrf={}", w.csrf), ct, body)
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.expect("page");
    assert!(page.contains("已附 2 个文件"), "{page}");
    // The office's page of the case lists 附件 1 and 2 as links, without their names.
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;
    app.create_user("awb_files", Role::Office, "220502-AWB")
        .await;
    let office = app.browser_as("awb_files").await;
    let p = office.get(&format!("/reports/{id}")).await;
    assert!(
        p.body.contains(&format!("/reports/{id}/attachments/2")),
        "{}",
        p.body
    );
    assert!(!p.body.contains("储罐区照片"), "{}", p.body);
    let r = office.get(&format!("/reports/{id}/attachments/1")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    assert!(v.is_null(), "a file, not JSON");
}
