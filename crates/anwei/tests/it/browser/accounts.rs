//! An administrator creates an account in the browser: the form keeps its input and says what
//! is wrong next to the field.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn an_administrator_creates_an_account_and_the_form_keeps_input_and_shows_field_errors() {
    let app = spawn_app().await;
    app.create_user("admin1", Role::Admin, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "admin1").await;

    b.goto(&app, "/admin/accounts/new").await;
    b.type_into("#username", "wu_ganshi").await;
    b.type_into("#display_name", "吴干事").await;
    b.type_into("#email", "wu@example.org").await;
    b.find("#role")
        .await
        .select_by_value("office")
        .await
        .expect("choose a role");
    b.type_into("#org_code", "220500-AWB").await;
    b.type_into("#password", "short").await;
    b.click("#create-account").await;

    let err = b
        .wait_text("#password-err", "a password error", |t| {
            !t.trim().is_empty()
        })
        .await;
    assert!(
        err.contains("密码"),
        "the error speaks of the password: {err:?}"
    );
    assert_eq!(b.path().await, "/admin/accounts", "the form is shown again");
    let invalid = b
        .find("#password")
        .await
        .attr("aria-invalid")
        .await
        .expect("attr");
    assert_eq!(invalid.as_deref(), Some("true"));
    // The error sits right after the password field.
    let next = b
        .js("return document.getElementById('password').nextElementSibling.id")
        .await;
    assert_eq!(
        next, "password-err",
        "the error is next to the password field"
    );
    for (css, want) in [
        ("#username", "wu_ganshi"),
        ("#display_name", "吴干事"),
        ("#email", "wu@example.org"),
        ("#org_code", "220500-AWB"),
        ("#role", "office"),
    ] {
        let v = b.find(css).await.prop("value").await.expect("value");
        assert_eq!(v.as_deref(), Some(want), "{css} keeps what was typed");
    }
    assert!(
        b.c.find(fantoccini::Locator::Css("#username-err"))
            .await
            .is_err(),
        "no error on a valid username"
    );
    b.screenshot("account-new-errors").await;

    // Fix the password and submit again.
    b.type_into("#password", PASSWORD).await;
    b.click("#create-account").await;
    let h1 = b
        .wait_text("main h1", "the new account", |t| t.starts_with("wu_ganshi"))
        .await;
    let path = b.path().await;
    assert!(
        path.starts_with("/admin/accounts/")
            && path["/admin/accounts/".len()..].parse::<i64>().is_ok(),
        "lands on the account's page: {path} ({h1})"
    );
    assert!(b.text("dl.facts").await.contains("吴干事"));
    b.screenshot("account-created").await;

    b.finish().await;
}
