//! Signing in, the language switch, and a refused password — in a real browser.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_person_logs_in_sees_the_chinese_home_page_and_switches_to_english_and_back() {
    let app = spawn_app().await;
    app.create_user("zhao", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;

    b.login(&app, "zhao").await;
    b.wait_path("/").await;
    assert_eq!(b.text("main h1").await, "工作台");
    let title = b.c.title().await.expect("title");
    assert!(title.starts_with("工作台"), "page title {title:?}");
    assert_eq!(b.js("return document.documentElement.lang").await, "zh-CN");
    b.screenshot("home-zh").await;

    b.click("#lang-switch").await;
    b.wait_text("main h1", "Dashboard", |t| t == "Dashboard")
        .await;
    b.wait_path("/").await;
    assert_eq!(b.js("return document.documentElement.lang").await, "en");
    let title = b.c.title().await.expect("title");
    assert!(title.starts_with("Dashboard"), "page title {title:?}");
    b.screenshot("home-en").await;

    b.click("#lang-switch").await;
    b.wait_text("main h1", "工作台", |t| t == "工作台").await;
    assert_eq!(b.js("return document.documentElement.lang").await, "zh-CN");

    b.finish().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_message_and_opens_no_session() {
    let app = spawn_app().await;
    app.create_user("qian", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;

    b.goto(&app, "/login").await;
    b.type_into("#username", "qian").await;
    b.type_into("#password", "not-the-password-1").await;
    b.click("#login-submit").await;

    let msg = b
        .wait_text("#login-error", "an error message", |t| !t.trim().is_empty())
        .await;
    assert_eq!(b.path().await, "/login");
    let username = b
        .find("#username")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(username.as_deref(), Some("qian"), "the username is kept");
    let password = b
        .find("#password")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(
        password.as_deref(),
        Some(""),
        "the password is not echoed back"
    );
    b.screenshot("login-wrong-password").await;

    // No session: a signed-in page sends the browser back to the login form.
    b.goto(&app, "/").await;
    b.wait_path("/login").await;
    assert!(
        b.c.find(fantoccini::Locator::Css("#logout")).await.is_err(),
        "no logout button without a session (error shown was {msg:?})"
    );

    b.finish().await;
}
