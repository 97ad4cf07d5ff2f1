//! 事故报告 in the browser: a county files an accident on a phone-sized window, sees the
//! chain with the unit's clock on the accident's page, acknowledges it and sees it on time;
//! the city office's board shows the city's running clock.

use crate::helpers::*;
use anwei::auth::model::Role;

use super::Browser;
use super::hazards::fits_the_window;

#[tokio::test]
async fn a_county_files_an_accident_on_a_phone_and_sees_its_clock() {
    let app = spawn_app().await;
    app.create_user("dongchang_ac", Role::Territory, "220502-ZF")
        .await;
    app.create_user("office_ac", Role::Office, "220500-AWB")
        .await;
    let b = Browser::start().await;
    b.login(&app, "dongchang_ac").await;
    b.c.set_window_size(390, 844).await.expect("phone size");

    b.goto(&app, "/accidents/new").await;
    b.find("#file-button").await;
    fits_the_window(&b, "the filing form").await;
    // Twenty minutes ago, in UTC+8, as a datetime-local value.
    let at = (chrono::Utc::now() - chrono::Duration::minutes(20))
        .with_timezone(&anwei::time::tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    b.js(&format!(
        "document.getElementById('occurred_at').value = '{at}'; return true"
    ))
    .await;
    b.type_into("#unit_name", "东昌某建筑公司").await;
    b.type_into("#region_code", "220502").await;
    b.type_into("#location", "基坑").await;
    b.find("#type option[value=collapse]")
        .await
        .click()
        .await
        .expect("choose collapse");
    b.type_into("#deaths", "1").await;
    b.type_into("#summary", "基坑坍塌").await;
    b.click("#file-button").await;
    // The accident's page: the unit's hour runs, the city waits for the county.
    let left = b
        .wait_text("#clock-county", "the unit's clock", |t| t.contains("剩余"))
        .await;
    let minutes: i64 = left
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("the minutes left");
    assert!((38..=40).contains(&minutes), "{left}");
    assert!(b.text("#clock-city").await.contains("待下级接报"));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM accident_hop").await, 2);
    fits_the_window(&b, "the accident's page").await;
    b.screenshot("accidents-phone-1-clock").await;

    // The county acknowledges: on time; the city's two hours start.
    b.click("#ack-county").await;
    b.wait_text("#clock-county", "on time", |t| t.contains("按时"))
        .await;
    b.wait_text("#clock-city", "the city's clock", |t| t.contains("剩余"))
        .await;
    b.screenshot("accidents-phone-2-acknowledged").await;
    // The list shows it.
    b.goto(&app, "/accidents").await;
    b.wait_text("#accidents", "the accident", |t| {
        t.contains("东昌某建筑公司")
    })
    .await;
    fits_the_window(&b, "the accident list").await;
    b.finish().await;

    // The city office's board lists the city's open hop.
    let b = Browser::start().await;
    b.login(&app, "office_ac").await;
    b.goto(&app, "/accidents/board").await;
    let row = b
        .wait_text("#board", "the open hop", |t| t.contains("东昌某建筑公司"))
        .await;
    assert!(row.contains("剩余"), "{row}");
    b.finish().await;
}

/// Issue 12: the city office records an accountability outcome from the accident's page; a
/// wrong fine comes back on the form with what was typed, the right one lands in the list.
#[tokio::test]
async fn the_office_records_an_accountability_outcome_on_the_accident_page() {
    let app = spawn_app().await;
    app.create_user("office_acc", Role::Office, "220500-AWB")
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
    let b = Browser::start().await;
    b.login(&app, "office_acc").await;
    b.goto(&app, &format!("/accidents/{id}")).await;
    b.find("#outcome-form").await;
    b.find("#o-subject option[value=organisation]")
        .await
        .click()
        .await
        .expect("organisation");
    b.type_into("#o-name", "东昌某建筑公司").await;
    b.find("#o-kind option[value=fine]")
        .await
        .click()
        .await
        .expect("fine");
    b.type_into("#o-fine_yuan", "三十万").await;
    let today = anwei::time::today().to_string();
    b.js(&format!(
        "document.getElementById('o-decided_on').value = '{today}'; return true"
    ))
    .await;
    b.type_into("#o-document_no", "通应急罚〔2026〕7号").await;
    b.click("#outcome-submit").await;
    b.wait_text("#o-fine_yuan-err", "the fine's error", |t| !t.is_empty())
        .await;
    b.wait_js(
        "return document.getElementById('o-name').value === '东昌某建筑公司'",
        "what was typed",
    )
    .await;
    b.js("document.getElementById('o-fine_yuan').value = '300000'; return true")
        .await;
    b.click("#outcome-submit").await;
    b.wait_text("#outcomes", "the outcome", |t| {
        t.contains("通应急罚〔2026〕7号")
    })
    .await;
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accountability").await,
        1
    );
    b.screenshot("accidents-accountability").await;
    b.finish().await;
}
