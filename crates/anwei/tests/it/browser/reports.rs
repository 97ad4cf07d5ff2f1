//! 安全生产举报 in the browser, on a phone: a visitor with no account reports a hazard, keeps
//! the receipt code shown once, comes back with it (typed with spaces), reads the status and
//! sends a message; the office finds the report in its list. The code never appears in a URL.

use anwei::auth::model::Role;

use super::Browser;
use super::hazards::fits_the_window;
use crate::helpers::spawn_app;

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
