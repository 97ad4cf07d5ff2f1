//! 风险分级管控 in the browser: the enterprise's own account adds a risk point on its risk page
//! (LEC, two accident types ticked); the point shows red in the four-colour view, the
//! enterprise's grade turns 重大风险, and a factor off its scale comes back named on the form;
//! the county's map shows its territory red.

use anwei::auth::model::Role;

use super::Browser;
use crate::hazards::{add_enterprise, credit_code};
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_enterprise_adds_a_risk_point_on_its_risk_page() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let id = add_enterprise(&county, "91220502MA0000B11", "东昌某液氯企业", "C26").await;
    app.create_user(
        "risk_qiye",
        Role::Enterprise,
        &credit_code("91220502MA0000B11"),
    )
    .await;
    let b = Browser::start().await;
    b.login(&app, "risk_qiye").await;
    let page = format!("/enterprises/{id}/risk-points");
    b.goto(&app, &page).await;
    b.wait_text("#grade", "no grade yet", |t| t.contains("未评定"))
        .await;
    // A factor off the LEC scale first: the page names it.
    b.type_into("#unit", "液氯储罐区").await;
    b.type_into("#hazardous_event", "液氯泄漏扩散").await;
    b.click("#accident-types input[value=\"poisoning_asphyxiation\"]")
        .await;
    b.click("#accident-types input[value=\"vessel_explosion\"]")
        .await;
    b.type_into("#check_cycle_days", "7").await;
    b.type_into("#f-l", "3").await;
    b.type_into("#f-e", "4").await;
    b.type_into("#f-c", "40").await;
    b.click("#add-point-button").await;
    b.wait_text("#f-e-err", "E named as off its scale", |t| t.contains("4"))
        .await;
    b.wait_js(
        "return document.querySelector('#accident-types input[value=\"vessel_explosion\"]').checked",
        "the ticked types kept",
    )
    .await;
    b.type_into("#f-e", "6").await;
    b.click("#add-point-button").await;
    b.wait_path(&page).await;
    b.wait_text("#group-red", "the point in red", |t| {
        t.contains("液氯储罐区")
    })
    .await;
    b.wait_text("#grade", "重大风险", |t| t.contains("重大风险"))
        .await;
    let row = b.text("#risk-points tbody tr").await;
    assert!(row.contains("720") && row.contains("中毒和窒息"), "{row}");
    b.screenshot("risk-points").await;
    b.goto(&app, &format!("/enterprises/{id}")).await;
    b.wait_text("#risk-grade", "the grade on the enterprise's page", |t| {
        t.contains("重大风险")
    })
    .await;
    // The county's inspector sees 东昌区 red on the city's map, and the same in the table.
    app.create_user("risk_xian", Role::Territory, "220502-ZF")
        .await;
    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(&app, "risk_xian").await;
    b.goto(&app, "/risk/map?region=220500").await;
    b.wait_js(
        "return document.querySelector('#riskmap svg rect.tile.red[data-region=\"220502\"]') !== null \
         && document.querySelector('#territory-220502').dataset.colour === 'red'",
        "东昌区 red on the map and in the table",
    )
    .await;
    b.screenshot("risk-map").await;
    b.finish().await;
}
