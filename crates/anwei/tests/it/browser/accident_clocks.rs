//! The live reporting clocks (issue 12): on the accident's page and the office's board the
//! clocks, rendered right by the server, tick every second without a reload
//! (`assets/clock.js`, counting from the server's time at render), and a deadline passing
//! turns the clock into the overdue text and style the server would render.

use crate::helpers::*;
use anwei::auth::model::Role;

use super::Browser;

#[tokio::test]
async fn the_clocks_tick_without_reload_and_turn_overdue_at_the_deadline() {
    let app = spawn_app().await;
    app.create_user("office_clock", Role::Office, "220500-AWB")
        .await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let at = (chrono::Utc::now() - chrono::Duration::minutes(20))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339();
    let r = office
        .post(
            "/api/v1/accidents",
            serde_json::json!({"occurred_at": at, "region_code": "220502", "unit_name": "东昌某建筑公司",
                "type": "collapse", "deaths": 1, "serious_injuries": 0, "missing": 0,
                "direct_loss_yuan": 0, "summary": "基坑坍塌"}),
        )
        .await;
    let id = r.body["id"].as_i64().expect("id");
    // The unit's hour ends a few seconds from now.
    app.exec(&format!(
        "UPDATE accident_hop SET due_at = {} WHERE accident_id = {id} AND to_level = 'county'",
        anwei::db::now_ms() + 9_000
    ))
    .await;
    let b = Browser::start().await;
    b.login(&app, "office_clock").await;
    b.goto(&app, &format!("/accidents/{id}")).await;
    let shown = b
        .wait_text("#clock-county", "the running clock", |t| t.contains("剩余"))
        .await;
    assert!(shown.contains("秒"), "{shown}");
    b.js("window.__same_page = true; return true").await;
    let first = b.text("#clock-county .seconds").await;
    b.wait_js(
        &format!(
            "var s = document.querySelector('#clock-county .seconds'); \
             return !!s && s.textContent !== '{first}'"
        ),
        "the seconds tick",
    )
    .await;
    b.wait_js(
        "var c = document.getElementById('clock-county'); \
         return c.textContent.indexOf('迟报 1 分钟') >= 0 \
           && !!c.querySelector('span.light.red') \
           && document.getElementById('hop-county').classList.contains('overdue')",
        "the clock turns overdue at the deadline",
    )
    .await;
    assert_eq!(
        b.js("return window.__same_page === true").await,
        serde_json::json!(true),
        "no reload"
    );
    // The server renders the same once the page is loaded again.
    b.goto(&app, &format!("/accidents/{id}")).await;
    let t = b.text("#clock-county").await;
    assert!(t.contains("迟报"), "{t}");
    b.finish().await;

    // The board's clocks tick too.
    app.exec(&format!(
        "UPDATE accident_hop SET due_at = {} WHERE accident_id = {id} AND to_level = 'county'",
        anwei::db::now_ms() + 600_000
    ))
    .await;
    let b = Browser::start().await;
    b.login(&app, "office_clock").await;
    b.goto(&app, "/accidents/board").await;
    let cell = format!("#clock-{id}-county .seconds");
    let first = b.text(&cell).await;
    b.wait_js(
        &format!(
            "var s = document.querySelector('{cell}'); return !!s && s.textContent !== '{first}'"
        ),
        "the board's seconds tick",
    )
    .await;
    b.finish().await;
}
