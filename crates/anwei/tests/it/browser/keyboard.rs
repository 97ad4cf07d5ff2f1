//! Keyboard use: the first Tab stop is the skip link.

use anwei::auth::model::Role;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use super::Browser;
use crate::helpers::spawn_app;

async fn press_tab(b: &Browser) {
    let tab = KeyActions::new("keyboard".into())
        .then(KeyAction::Down {
            value: Key::Tab.into(),
        })
        .then(KeyAction::Up {
            value: Key::Tab.into(),
        });
    b.c.perform_actions(tab).await.expect("press Tab");
}

#[tokio::test]
async fn tab_from_the_top_of_the_page_reaches_the_skip_link_first() {
    let app = spawn_app().await;
    app.create_user("sun", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "sun").await;

    for path in ["/", "/policy", "/orgs"] {
        b.goto(&app, path).await;
        b.find("main h1").await;
        press_tab(&b).await;
        let class = b.js("return document.activeElement.className").await;
        assert_eq!(class, "skip", "first Tab stop on {path}");
        let href = b
            .js("return document.activeElement.getAttribute('href')")
            .await;
        assert_eq!(
            href, "#main",
            "the skip link on {path} points at the main content"
        );
    }

    // Following it moves focus to the main content.
    b.find("a.skip")
        .await
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .expect("Enter");
    let id = b.js("return document.activeElement.id").await;
    assert_eq!(id, "main", "Enter on the skip link focuses <main>");

    b.finish().await;
}
