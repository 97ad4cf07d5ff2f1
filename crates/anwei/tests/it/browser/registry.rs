//! The enterprise registry and listed supervision in the browser: the county office adds an
//! enterprise through the form (a wrong check character comes back named, with what was typed
//! kept and nothing saved), reveals its principal's ID number with a reason (on the page, never
//! in the URL; one audit record), names a lead department for a supervision gap; then lists a
//! major hazard on the board, the enterprise reports the month's progress with a file, and the
//! light and the report show.

use anwei::auth::model::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;
use crate::hazards::{add_enterprise, credit_code, png};
use crate::helpers::spawn_app;

/// 110105194912310021 with its GB 11643 check digit corrected: the standard's own example.
const ID_NUMBER: &str = "11010519491231002X";

#[tokio::test]
async fn the_office_adds_an_enterprise_reveals_its_principal_and_names_a_lead() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let b = Browser::start().await;
    b.login(&app, &office.username).await;
    b.goto(&app, "/enterprises").await;

    // A credit code with a wrong check character: refused naming it, the rest kept, nothing
    // saved.
    let good = credit_code("91220502MA0000B07");
    let mut wrong = good.clone();
    let last = wrong.pop().expect("a check character");
    wrong.push(if last == '0' { '1' } else { '0' });
    b.type_into("#name", "东昌某密室逃脱馆").await;
    b.type_into("#credit_code", &wrong).await;
    b.type_into("#region_code", "220502").await;
    b.type_into("#industry", "R90").await;
    b.type_into("#principal_name", "张三").await;
    b.type_into("#principal_id_number", ID_NUMBER).await;
    b.click("#add-enterprise-button").await;
    b.find("#credit_code-err").await;
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM enterprise").await,
        0,
        "nothing saved"
    );
    for (css, want) in [("#name", "东昌某密室逃脱馆"), ("#industry", "R90")] {
        let v = b.find(css).await.prop("value").await.expect("value");
        assert_eq!(v.as_deref(), Some(want), "{css} kept after the 422");
    }

    // Corrected, it is saved and listed; an escape room is a supervision gap by default.
    b.find("#credit_code").await.clear().await.expect("clear");
    b.type_into("#credit_code", &good).await;
    b.click("#add-enterprise-button").await;
    b.wait_js(
        "return location.search.includes('q=');",
        "the list of the added enterprise",
    )
    .await;
    let id = app
        .scalar_i64(&format!(
            "SELECT org_id FROM enterprise WHERE credit_code = '{good}'"
        ))
        .await;
    b.wait_text(&format!("#enterprise-{id}"), "the new row", |t| {
        t.contains("东昌某密室逃脱馆")
    })
    .await;

    // The principal's number shows masked; revealing needs a reason, then shows it on the page.
    b.goto(&app, &format!("/enterprises/{id}")).await;
    let masked = b.text("#principal-id-masked").await;
    assert!(
        masked.starts_with("110105") && masked.ends_with("002X") && !masked.contains("1949"),
        "masked: {masked}"
    );
    b.click("#reveal-button").await;
    b.find("#reveal-reason-err").await;
    assert_eq!(
        app.audit_count("enterprise.reveal_principal_id", "ok")
            .await,
        0
    );
    b.type_into("#reveal-reason", "核实主要负责人身份").await;
    b.click("#reveal-button").await;
    let shown = b
        .wait_text("#principal-id-revealed", "the full number", |t| {
            !t.is_empty()
        })
        .await;
    assert_eq!(shown.trim(), ID_NUMBER);
    assert!(
        !b.c.current_url()
            .await
            .expect("url")
            .as_str()
            .contains(ID_NUMBER),
        "the number never travels in a URL"
    );
    assert_eq!(
        app.audit_count("enterprise.reveal_principal_id", "ok")
            .await,
        1
    );

    // The gap is closed by naming a lead department with a principle and a reason.
    b.goto(&app, &format!("/enterprises/{id}")).await;
    b.type_into("#department_code", "220502-YJ").await;
    b.find("#principle option[value=closest]")
        .await
        .click()
        .await
        .expect("choose a principle");
    b.click("#name-lead-button").await;
    b.find("#reason-err").await;
    b.type_into("#reason", "场所消防和应急疏散由应急局牵头")
        .await;
    b.click("#name-lead-button").await;
    b.wait_text("#leads", "the decision", |t| {
        t.contains("场所消防和应急疏散由应急局牵头")
    })
    .await;
    let r = office.get(&format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(r.body["gap"], false, "{}", r.body);
    assert_eq!(r.body["lead"]["code"], "220502-YJ", "{}", r.body);
    b.finish().await;
}

#[tokio::test]
async fn the_office_lists_a_major_hazard_and_the_enterprise_reports_progress() {
    let app = spawn_app().await;
    let inspector = app.api_as(Role::Territory, "220502-ZF").await;
    let code = "91220502MA0000B08";
    let eid = add_enterprise(&inspector, code, "东昌某化工企业", "C26").await;
    let deadline = (anwei::time::today() + chrono::Duration::days(90)).to_string();
    let r = inspector
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": eid, "description": "涉及重点监管危险化工工艺的装置未实现自动化控制",
                   "grade": "major", "criterion": "chemical_2017/4", "deadline": deadline}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hazard = r.body["id"].as_i64().expect("id");
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let enterprise = app.api_as(Role::Enterprise, &credit_code(code)).await;

    let b = Browser::start().await;
    b.login(&app, &office.username).await;
    b.goto(&app, "/listings").await;
    b.type_into("#hazard_id", &hazard.to_string()).await;
    b.type_into("#notice_no", "东安委督〔2026〕1号").await;
    // No deadline: refused naming it, nothing listed.
    b.click("#list-button").await;
    b.find("#deadline-err").await;
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM listing").await, 0);
    b.js(&format!(
        "document.querySelector('#deadline').value = '{deadline}'; return true;"
    ))
    .await;
    b.click("#list-button").await;
    b.wait_js(
        "return /^\\/listings\\/\\d+$/.test(location.pathname);",
        "the listing's page",
    )
    .await;
    let listing = app.scalar_i64("SELECT MAX(id) FROM listing").await;
    b.wait_path(&format!("/listings/{listing}")).await;
    b.wait_text("#listing-status", "active", |t| !t.trim().is_empty())
        .await;

    // The enterprise reports this month's progress with a photo; a second report is refused.
    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(&app, &enterprise.username).await;
    b.goto(&app, &format!("/listings/{listing}")).await;
    b.type_into("#text", "已完成自动化控制系统改造方案评审")
        .await;
    let _dir = b.attach("#progress-files", "进展.png", &png()).await;
    b.click("#report-button").await;
    b.wait_text(".report", "the report", |t| {
        t.contains("已完成自动化控制系统改造方案评审")
    })
    .await;
    assert!(
        b.find_all("#progress-form").await.is_empty(),
        "one report a month: the form is gone once this month's is in"
    );
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM listing_progress WHERE listing_id = {listing}"
        ))
        .await,
        1
    );
    b.finish().await;
}
