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
