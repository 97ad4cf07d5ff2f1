//! The phone layout: nothing is wider than the screen.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_phone_layout_has_no_horizontal_scrolling() {
    let app = spawn_app().await;
    app.create_user("zheng", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "zheng").await;
    b.c.set_window_size(390, 844).await.expect("phone size");

    let mut wide = Vec::new();
    for (path, shot) in [
        ("/", "phone-home"),
        ("/policy", "phone-policy"),
        ("/policy/tasks/28", "phone-task-28"),
        ("/orgs", "phone-orgs"),
        ("/orgs/220502-DW", "phone-org-220502-DW"),
    ] {
        b.goto(&app, path).await;
        b.find("main h1").await;
        let w = b
            .js("return [document.documentElement.scrollWidth, window.innerWidth]")
            .await;
        let scroll = w[0].as_f64().expect("scrollWidth");
        let inner = w[1].as_f64().expect("innerWidth");
        assert!(
            inner <= 420.0,
            "the window is phone-sized on {path}: {inner}"
        );
        b.screenshot(shot).await;
        if scroll > inner + 1.0 {
            // Name the culprits so a failure says what to fix.
            let culprits = b
                .js(
                    r#"const w = window.innerWidth; return [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"#,
                )
                .await;
            wide.push(format!(
                "{path}: scrollWidth {scroll} > innerWidth {inner}; {culprits}"
            ));
        }
    }
    assert!(
        wide.is_empty(),
        "horizontal scrolling on a phone:\n{}",
        wide.join("\n")
    );

    b.finish().await;
}
