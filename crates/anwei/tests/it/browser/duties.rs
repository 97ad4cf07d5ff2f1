//! 履职考核 in the browser: the city office sees the county party committee's standing-committee
//! meeting still due on the heat map; the county records the meeting with its minutes
//! attached; the minutes are copied (抄报) to the city office; the heat map cell turns met.

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};

use super::Browser;
use crate::helpers::{TestApp, spawn_app};

const COUNTY_DW: &str = "220502-DW";

async fn switch_to(b: &Browser, app: &TestApp, username: &str) {
    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(app, username).await;
}

/// The class of the heat map cell of the county party committee in the current quarter.
async fn cell_class(b: &Browser, quarter: &str) -> String {
    let css = format!("rect[data-org='{COUNTY_DW}'][data-quarter='{quarter}']");
    b.find(&css)
        .await
        .attr("class")
        .await
        .expect("class attribute")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_meeting_with_minutes_turns_the_heat_map() {
    let app = spawn_app().await;
    app.create_user("ban", Role::Office, "220500-AWB").await;
    app.create_user("dongchang", Role::Territory, COUNTY_DW)
        .await;
    let quarter = Period::containing(PeriodKind::Quarter, anwei::time::today()).code();
    let heat = "/duties/heatmap?rule=party_standing_meeting_quarterly";
    let b = Browser::start().await;

    b.login(&app, "ban").await;
    b.goto(&app, heat).await;
    b.find("#heatmap svg").await;
    assert_eq!(cell_class(&b, &quarter).await, "cell due", "no meeting yet");
    b.screenshot("duties-1-heatmap-due").await;

    // The county party committee records its standing-committee meeting with the minutes.
    switch_to(&b, &app, "dongchang").await;
    b.goto(&app, "/duties").await;
    b.click("#new-activity").await;
    b.find("#activity-form").await;
    b.find("#kind")
        .await
        .select_by_value("standing_committee_meeting")
        .await
        .expect("choose the kind");
    b.type_into("#title", "区委常委会研究安全生产工作").await;
    let chose = b
        .js("const s = document.querySelector('#led_by_position'); \
             const o = [...s.options].find(o => o.textContent.includes('党委书记')); \
             if (o) { s.value = o.value; } return !!o;")
        .await;
    assert_eq!(
        chose,
        serde_json::Value::Bool(true),
        "the secretary's position is offered"
    );
    b.type_into("#topics", "传达学习上级安全生产会议精神").await;
    let _dir = b
        .attach(
            "#files",
            "常委会纪要.pdf",
            b"%PDF-1.4\n% minutes of the meeting\n%%EOF\n",
        )
        .await;
    b.screenshot("duties-2-form").await;
    b.click("#activity-submit").await;
    b.wait_text("#evidence", "the minutes", |t| t.contains("常委会纪要.pdf"))
        .await;
    assert!(b.path().await.starts_with("/duties/activities/"));
    let copied = b
        .wait_text("#deliveries", "the city office", |t| {
            t.contains("安全生产委员会办公室")
        })
        .await;
    assert!(!copied.is_empty());
    b.screenshot("duties-3-recorded").await;

    // Back at the city office, the cell has turned.
    switch_to(&b, &app, "ban").await;
    b.goto(&app, heat).await;
    b.find("#heatmap svg").await;
    assert_eq!(
        cell_class(&b, &quarter).await,
        "cell met",
        "the meeting counts"
    );
    b.screenshot("duties-4-heatmap-met").await;
    b.finish().await;
}
