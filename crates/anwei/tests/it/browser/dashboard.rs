//! The hazard dashboard in the browser: the city office sees the county's two hazards, one of
//! them overdue; narrowing to a month with none empties the counts (the form is a plain GET);
//! the overdue figure links to the list filtered to exactly that hazard.

use anwei::auth::model::Role;
use serde_json::json;

use super::Browser;
use crate::hazards::add_enterprise;
use crate::helpers::spawn_app;

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

#[tokio::test]
async fn the_office_reads_the_dashboard_and_follows_the_overdue_figure() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = add_enterprise(&county, "91220502MA0000B21", "东昌某仓储", "G59").await;
    let mut ids = Vec::new();
    for (description, found, deadline) in [("消防通道堵塞", -20, -2), ("疏散指示灯损坏", -3, 20)]
    {
        let r = county
            .post(
                "/api/v1/hazards",
                json!({"enterprise_id": e, "description": description, "grade": "general",
                       "found_on": day(found), "deadline": day(deadline)}),
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        ids.push(r.body["id"].as_i64().expect("id"));
    }
    app.create_user("dash_office", Role::Office, "220500-AWB")
        .await;
    let b = Browser::start().await;
    b.login(&app, "dash_office").await;
    b.goto(&app, "/hazards/dashboard").await;
    b.wait_text("#stat-total", "both hazards", |t| t.trim() == "2")
        .await;
    let overdue = b.text("#stat-overdue").await;
    assert!(overdue.starts_with('1'), "{overdue}");
    let territory = b.text("#by-territory").await;
    assert!(territory.contains("东昌区"), "{territory}");
    b.screenshot("hazard-dashboard").await;
    // A month long past: nothing found then.
    b.js("document.querySelector('#f-from').value = '2020-01'; \
          document.querySelector('#f-to').value = '2020-01'; return true")
        .await;
    b.click("form.filters button[type=submit]").await;
    b.wait_text("#stat-total", "nothing in 2020-01", |t| t.trim() == "0")
        .await;
    // The overdue figure opens the list of exactly the overdue one.
    b.goto(&app, "/hazards/dashboard").await;
    b.click("#stat-overdue a").await;
    b.wait_path("/hazards").await;
    b.wait_js(
        &format!(
            "const rows = document.querySelectorAll('#hazards tbody tr'); \
             return rows.length === 1 && rows[0].id === 'hazard-{}'",
            ids[0]
        ),
        "the list holds only the overdue hazard",
    )
    .await;
    assert!(b.text("#hazards").await.contains("消防通道堵塞"));
    b.finish().await;
}
