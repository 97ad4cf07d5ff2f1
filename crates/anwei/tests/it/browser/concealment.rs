//! 疑似瞒报案件 in the browser: a county office opens a case (an error comes back with what was
//! typed), the city office finds it on its supervised list, verifies it as 瞒报 on the case's
//! page, and the accident created shows the flag and links back to the case.

use crate::helpers::*;
use anwei::auth::model::Role;

use super::Browser;

#[tokio::test]
async fn a_county_opens_a_case_and_the_city_verifies_it_as_concealed() {
    let app = spawn_app().await;
    app.create_user("dongchang_cc", Role::Office, "220502-AWB")
        .await;
    app.create_user("city_cc", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "dongchang_cc").await;
    b.goto(&app, "/accidents/concealment").await;
    b.click("#open-link").await;
    b.wait_path("/accidents/concealment/new").await;
    b.find("#source option[value=hospital]")
        .await
        .click()
        .await
        .expect("choose hospital");
    b.type_into("#unit_name", "东昌某矿业公司").await;
    b.type_into("#region_code", "220502").await;
    let at = (chrono::Utc::now() - chrono::Duration::hours(10))
        .with_timezone(&anwei::time::tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    b.js(&format!(
        "document.getElementById('occurred_at').value = '{at}'; return true"
    ))
    .await;
    // No description: the form comes back with the error and what was typed.
    b.click("#open-button").await;
    b.wait_text("#description-err", "the missing description", |t| {
        !t.is_empty()
    })
    .await;
    b.wait_js(
        "return document.getElementById('unit_name').value === '东昌某矿业公司'",
        "the unit name kept",
    )
    .await;
    b.type_into("#description", "医院收治井下受伤人员，企业未报告")
        .await;
    b.click("#open-button").await;
    b.wait_text("#case-status", "the open case", |t| t.contains("待核实"))
        .await;
    assert!(
        b.find_all("#verify-form").await.is_empty(),
        "the county does not verify its own case"
    );
    let case = app.scalar_i64("SELECT MAX(id) FROM concealment_case").await;
    b.finish().await;

    let b = Browser::start().await;
    b.login(&app, "city_cc").await;
    b.goto(&app, "/accidents/concealment").await;
    b.click("#mine-link").await;
    b.wait_text(&format!("#case-{case}"), "the supervised case", |t| {
        t.contains("东昌某矿业公司")
    })
    .await;
    b.goto(&app, &format!("/accidents/concealment/{case}"))
        .await;
    b.find("#outcome option[value=concealed]")
        .await
        .click()
        .await
        .expect("choose concealed");
    b.type_into("#deaths", "3").await;
    b.type_into("#serious_injuries", "0").await;
    b.type_into("#missing", "0").await;
    b.type_into("#direct_loss_yuan", "1500000").await;
    b.find("#type option[value=roof_fall]")
        .await
        .click()
        .await
        .expect("choose roof fall");
    b.type_into("#note", "调取医院记录核实").await;
    b.click("#verify-button").await;
    b.wait_text("#case-outcome", "the outcome", |t| t.contains("瞒报"))
        .await;
    b.click("#result-accident").await;
    b.wait_text("#accident-flags", "the flag", |t| t.contains("瞒报"))
        .await;
    assert!(
        b.text("#accident-cases")
            .await
            .contains(&format!("#{case}"))
    );
    assert!(b.text("#accident-grade").await.contains("较大"));
    b.screenshot("concealment-verified").await;
    b.finish().await;
}
