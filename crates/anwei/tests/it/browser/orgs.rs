//! An organisation's page with its positions.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_organisation_page_shows_its_positions() {
    let app = spawn_app().await;
    app.create_user("zhou", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "zhou").await;

    b.goto(&app, "/orgs").await;
    let link = b.find("a[href=\"/orgs/220502-DW\"]").await;
    let name = link.text().await.expect("link text");
    assert!(
        name.contains("东昌区"),
        "东昌区's party committee: {name:?}"
    );
    link.click().await.expect("open the organisation");
    b.wait_path("/orgs/220502-DW").await;

    let h1 = b.text("main h1").await;
    assert_eq!(
        h1.trim(),
        name.trim(),
        "the page is the organisation clicked"
    );
    let table = b.text("#positions").await;
    assert!(
        table.contains("党委书记"),
        "the seeded positions are listed: {table:?}"
    );
    let rows = b.find_all("#positions tbody tr").await;
    assert!(rows.len() >= 5, "five seeded positions, got {}", rows.len());
    b.screenshot("org-220502-DW").await;

    b.finish().await;
}
