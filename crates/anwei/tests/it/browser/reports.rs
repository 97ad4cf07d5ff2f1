//! 安全生产举报 in the browser, on a phone: a visitor with no account reports a hazard, keeps
//! the receipt code shown once, comes back with it (typed with spaces), reads the status and
//! sends a message; the office finds the report in its list. The code never appears in a URL.
//! A reporter sends a photo from a phone (the page's own script solving the proof-of-work),
//! talks with the handler, and the handler downloads the photo, its bytes as sent.

use anwei::auth::model::Role;
use serde_json::json;

use super::Browser;
use super::hazards::fits_the_window;
use crate::helpers::{Opts, spawn_app, spawn_app_with};

/// A real 12×12 RGB PNG (IHDR, zlib-compressed IDAT, IEND, each with its CRC).
fn photo() -> Vec<u8> {
    hex::decode(concat!(
        "89504e470d0a1a0a0000000d494844520000000c0000000c0802000000d917cbb0000000e14944415478da0d",
        "cac10000510840c12f914412492491441209bc6312492491c6ee9ce7bd873cf4610f7fc4231ff5e8c73cf671",
        "8ff704115430c185105228a185115638f993228a2aa6b8124a2aa5b432ca2aa77f32c450c30c37c248a38c36",
        "c658e3ec4f8e38ea98e34e38e994d3ce38eb9cff299040030b3c8820830a3a9860838b3f2592686289279164",
        "524927936c72f9a7420a2dacf0228a2caae8628a2daefed448a38d35de44934d35dd4cb3cdf59f061974b0c1",
        "871872a8a1871976b8f9d3228b2eb6f8124b2eb5f432cb2eb77f3ae4d0c30e3fe2c8a38e3ee6d8e38e0fae0c",
        "dbf127fb57260000000049454e44ae426082"
    ))
    .expect("hex")
}

#[tokio::test]
async fn a_visitor_reports_on_a_phone_and_follows_up_with_the_receipt_code() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    b.c.set_window_size(390, 844).await.expect("phone size");
    b.goto(&app, "/report").await;
    fits_the_window(&b, "/report").await;
    b.find("#category option[value=major_hazard]")
        .await
        .click()
        .await
        .expect("choose a category");
    b.type_into("#description", "小区地下车库电动自行车集中充电，私拉电线")
        .await;
    // No county: refused naming it, what was typed kept.
    b.click("#report-button").await;
    b.find("#region_code-err").await;
    let kept = b
        .find("#description")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(
        kept.as_deref(),
        Some("小区地下车库电动自行车集中充电，私拉电线")
    );
    b.type_into("#region_code", "220502").await;
    b.click("#report-button").await;
    let code = b
        .wait_text("#receipt-code", "the receipt code", |t| {
            t.chars().filter(char::is_ascii_digit).count() == 16
        })
        .await;
    fits_the_window(&b, "the receipt").await;
    let url = b.c.current_url().await.expect("url").to_string();
    assert!(!url.contains(&code.replace(' ', "")), "{url}");

    b.goto(&app, "/report/follow").await;
    b.type_into("#receipt_code", code.trim()).await;
    b.click("#follow-button").await;
    b.wait_text("#follow-status", "the status", |t| t.contains("待受理"))
        .await;
    b.type_into("#body", "补充：每晚十点后充电的车最多").await;
    b.click("#message-button").await;
    b.wait_text("#messages", "the message", |t| t.contains("每晚十点后"))
        .await;
    fits_the_window(&b, "/report/follow").await;
    let url = b.c.current_url().await.expect("url").to_string();
    assert!(!url.contains(&code.replace(' ', "")), "{url}");

    let office = app.api_as(Role::Office, "220502-AWB").await;
    b.c.set_window_size(1280, 900).await.expect("desk size");
    b.login(&app, &office.username).await;
    b.goto(&app, "/reports").await;
    b.wait_text("#reports", "the report in the list", |t| {
        t.contains("重大事故隐患")
    })
    .await;
    b.finish().await;
}

#[tokio::test]
async fn a_reporter_sends_a_photo_from_a_phone_and_the_handler_downloads_it() {
    // Three look-ups a minute without proof-of-work: the follow-up needs all three, so the
    // report itself must come in on the solved budget.
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| {
            c.reports.public_per_minute = 3;
            c.reports.pow_bits = 12;
        }),
    })
    .await;
    let photo = photo();
    let b = Browser::start().await;
    b.c.set_window_size(390, 844).await.expect("phone size");
    b.goto(&app, "/report").await;
    b.find("#category option[value=major_hazard]")
        .await
        .click()
        .await
        .expect("choose a category");
    b.type_into("#description", "加油站卸油区静电接地线断开，见照片")
        .await;
    b.type_into("#region_code", "220502").await;
    let _file = b.attach("#files", "卸油区.png", &photo).await;
    fits_the_window(&b, "/report with a photo").await;
    // The page's own script solves the challenge (the CSP allows no other).
    b.wait_js(
        "return document.getElementById('pow_nonce').value !== ''",
        "the proof-of-work should be solved",
    )
    .await;
    let pow = b
        .js("return [document.getElementById('pow_challenge').value, \
             document.getElementById('pow_nonce').value]")
        .await;
    let (challenge, nonce) = (
        pow[0].as_str().expect("challenge"),
        pow[1].as_str().expect("nonce"),
    );
    assert!(anwei::reports::pow::solves(challenge, nonce, 12), "{pow}");
    b.click("#report-button").await;
    let code = b
        .wait_text("#receipt-code", "the receipt code", |t| {
            t.chars().filter(char::is_ascii_digit).count() == 16
        })
        .await;
    let id = app.scalar_i64("SELECT MAX(id) FROM report").await;

    // The follow-up: the reporter writes, the handler answers (over the API), the reporter
    // reads the answer and sees one file attached, nothing more about it.
    b.goto(&app, "/report/follow").await;
    b.type_into("#receipt_code", code.trim()).await;
    b.click("#follow-button").await;
    b.wait_text("#follow-files", "one file", |t| t.contains("已附 1 个文件"))
        .await;
    b.type_into("#body", "照片拍摄于昨天下午").await;
    b.click("#message-button").await;
    b.wait_text("#messages", "the message", |t| {
        t.contains("照片拍摄于昨天下午")
    })
    .await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office
        .post(
            &format!("/api/v1/reports/{id}/messages"),
            json!({"body": "已收到照片，将安排核查"}),
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.body);
    b.goto(&app, "/report/follow").await;
    b.type_into("#receipt_code", code.trim()).await;
    b.click("#follow-button").await;
    b.wait_text("#messages", "the handler's answer", |t| {
        t.contains("已收到照片") && t.contains("照片拍摄于昨天下午")
    })
    .await;
    let files = b.text("#follow-files").await;
    assert!(files.contains("已附 1 个文件"), "{files}");
    assert!(!b.text("main").await.contains("卸油区.png"), "no file name");
    fits_the_window(&b, "/report/follow with a file").await;

    // The handler, in the browser: the file is listed and downloads as sent.
    b.login(&app, &office.username).await;
    b.goto(&app, &format!("/reports/{id}")).await;
    b.wait_text("#attachments", "the file", |t| t.contains('1'))
        .await;
    b.js("window.__dl = null; \
          const a = document.querySelector('#attachments a[download]'); \
          fetch(a.href).then(r => r.arrayBuffer().then(buf => { window.__dl = { \
            status: r.status, disposition: r.headers.get('content-disposition') || '', \
            bytes: Array.from(new Uint8Array(buf)) }; })); \
          return a.getAttribute('href');")
        .await;
    b.wait_js("return window.__dl !== null", "the download should finish")
        .await;
    let dl = b.js("return window.__dl").await;
    assert_eq!(dl["status"], 200, "{}", dl["disposition"]);
    assert!(
        dl["disposition"]
            .as_str()
            .unwrap_or("")
            .starts_with("attachment"),
        "{}",
        dl["disposition"]
    );
    let got: Vec<u8> = dl["bytes"]
        .as_array()
        .expect("bytes")
        .iter()
        .map(|v| u8::try_from(v.as_u64().expect("byte")).expect("a byte"))
        .collect();
    assert_eq!(got, photo, "the download is the photo as sent");
    b.finish().await;
}
