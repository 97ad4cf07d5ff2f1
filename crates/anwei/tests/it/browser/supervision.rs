//! 督查督办 in the browser: the office issues a task, a county party committee acknowledges
//! and reports, the office returns the report, the county asks to close, the office accepts
//! and the assignment is closed (销号) with a grey light.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::{TestApp, spawn_app};

/// Signs the browser out (a fresh cookie jar) and in again as `username`.
async fn switch_to(b: &Browser, app: &TestApp, username: &str) {
    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(app, username).await;
}

async fn status_is(b: &Browser, want: &str) {
    b.wait_text("#assignment-status", want, |t| t.trim() == want)
        .await;
}

#[tokio::test]
async fn issue_acknowledge_report_return_report_again_accept_and_close() {
    let app = spawn_app().await;
    app.create_user("ban", Role::Office, "220500-AWB").await;
    app.create_user("dongchang", Role::Territory, "220502-DW")
        .await;
    let b = Browser::start().await;

    // The office reviews the proposal of task 6 (各级党(工)委, 2022年9月底前完成 — a one-off
    // task, so it can be closed) and issues it in one step.
    b.login(&app, "ban").await;
    b.goto(&app, "/supervision/tasks/6").await;
    let ticked = b
        .find_all("#issue input[type=checkbox][name=org]:checked")
        .await;
    assert_eq!(ticked.len(), 10, "every party committee is proposed");
    b.screenshot("supervision-1-proposal").await;
    b.click("#issue-submit").await;
    b.wait_text("#task-assignments tbody", "the issued assignments", |t| {
        t.contains("中共东昌区委员会")
    })
    .await;
    let rows = b.find_all("#task-assignments tbody tr").await;
    assert_eq!(rows.len(), 10, "ten assignments issued");
    assert!(
        b.find_all("#issue input[name=org]:checked")
            .await
            .is_empty(),
        "nothing is left to issue"
    );
    b.screenshot("supervision-2-issued").await;

    // The county party committee finds it in its inbox, acknowledges and reports.
    switch_to(&b, &app, "dongchang").await;
    b.goto(&app, "/supervision/inbox").await;
    let links = b.find_all(".assignment-link").await;
    assert_eq!(links.len(), 1, "its own assignment only");
    b.click(".assignment-link").await;
    b.find("#acknowledge").await;
    let path = b.path().await;
    assert!(path.starts_with("/supervision/assignments/"), "{path}");
    status_is(&b, "已交办").await;
    b.screenshot("supervision-3-assignment").await;
    b.click("#acknowledge").await;
    status_is(&b, "办理中").await;
    b.type_into("#text", "已召开区委常委会专题研究安全生产工作。")
        .await;
    b.click("#report-submit").await;
    status_is(&b, "已报送").await;
    assert!(
        b.text("main").await.contains("已召开区委常委会专题研究"),
        "the report is listed"
    );
    b.screenshot("supervision-4-reported").await;

    // The office returns it with a reason.
    switch_to(&b, &app, "ban").await;
    b.goto(&app, &path).await;
    b.type_into("#comment", "请补充会议纪要。").await;
    b.click("#return").await;
    status_is(&b, "已退回").await;
    b.screenshot("supervision-5-returned").await;

    // The county sees the reason, reports again and asks to close.
    switch_to(&b, &app, "dongchang").await;
    b.goto(&app, &path).await;
    assert!(b.text("main").await.contains("请补充会议纪要。"));
    b.type_into("#text", "已补充会议纪要，申请销号。").await;
    // A completion request carries its evidence.
    let _dir = b
        .attach(
            "#files",
            "会议纪要.pdf",
            b"%PDF-1.4\n% minutes of the meeting\n%%EOF\n",
        )
        .await;
    b.click("#completion").await;
    b.click("#report-submit").await;
    status_is(&b, "申请办结").await;
    b.screenshot("supervision-6-completion-requested").await;

    // The office accepts: closed, grey.
    switch_to(&b, &app, "ban").await;
    b.goto(&app, &path).await;
    b.click("#accept").await;
    status_is(&b, "已销号").await;
    let class = b
        .find("#assignment-light")
        .await
        .attr("class")
        .await
        .expect("class")
        .unwrap_or_default();
    assert!(class.split(' ').any(|c| c == "grey"), "grey light: {class}");
    assert!(b.text("#assignment-light").await.contains("灰灯"));
    assert!(
        b.c.find(fantoccini::Locator::Css("#accept")).await.is_err(),
        "nothing left to review"
    );
    b.screenshot("supervision-7-closed").await;

    // The ledger counts it as grey.
    b.goto(&app, "/supervision?task=6").await;
    let grey = b.text("#count-grey .tile-value").await;
    assert_eq!(grey.trim(), "1");
    b.screenshot("supervision-8-ledger").await;

    b.finish().await;
}
