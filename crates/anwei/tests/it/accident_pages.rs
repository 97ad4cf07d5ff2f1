//! Page tests of issue 12's forms beyond filing: accountability outcomes and the four
//! notifications on the accident page, the investigation page, the ban registry and its check.
//! Each page renders, each form writes, and a wrong field re-renders the form with what was
//! typed (422).

use reqwest::StatusCode;
use serde_json::json;

use crate::bans::{A, B};
use crate::helpers::*;
use anwei::auth::model::Role;

fn ago(minutes: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(minutes))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

async fn file(api: &Api, deaths: i64) -> i64 {
    let body = json!({
        "occurred_at": ago(20), "region_code": "220502", "unit_name": "东昌某建筑公司",
        "type": "collapse", "deaths": deaths, "serious_injuries": 0, "missing": 0,
        "direct_loss_yuan": 0, "summary": "基坑坍塌", "measures": "组织救援",
    });
    let r = api.post("/api/v1/accidents", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

#[tokio::test]
async fn the_accident_page_records_accountability_outcomes_and_notifications() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let id = file(&county, 12).await;
    let web = app.browser_as(&office.username).await;
    let page = web.get(&format!("/accidents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"outcome-form\""), "{}", page.body);
    assert!(page.body.contains("id=\"investigation-link\""));
    // A fine that is not a number: the form again, with what was typed.
    let path = format!("/accidents/{id}/accountability");
    let bad = web
        .post_form(
            &path,
            &[
                ("subject", "organisation"),
                ("name", "东昌某建筑公司"),
                ("kind", "fine"),
                ("fine_yuan", "三百万"),
                ("decided_on", &anwei::time::today().to_string()),
                ("document_no", "通应急罚〔2026〕1号"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("id=\"o-fine_yuan-err\""), "{}", bad.body);
    assert!(bad.body.contains("value=\"三百万\""));
    assert!(bad.body.contains("通应急罚〔2026〕1号"));
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accountability").await,
        0
    );
    // 撤职 of the principal bearing principal responsibility for a 重大 accident: written, banned.
    let ok = web
        .post_form(
            &path,
            &[
                ("subject", "person"),
                ("name", "张某"),
                ("position", "总经理"),
                ("id_number", A),
                ("kind", "removal"),
                ("principal_responsibility", "true"),
                ("decided_on", &anwei::time::today().to_string()),
                ("industry", "E47"),
                ("document_no", "通纪〔2026〕3号"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), format!("/accidents/{id}#accountability"));
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accountability").await,
        1
    );
    assert!(app.scalar_i64("SELECT COUNT(*) FROM ban").await >= 1);
    let page = web.get(&format!("/accidents/{id}")).await;
    assert!(
        page.body.contains("张某") && page.body.contains("撤职"),
        "{}",
        page.body
    );
    // 纪检监察 reads the outcomes without the form; a county's account sees neither.
    let discipline = app.api_as(Role::Discipline, "220500-AWB").await;
    let dweb = app.browser_as(&discipline.username).await;
    let page = dweb.get(&format!("/accidents/{id}")).await;
    assert!(page.body.contains("id=\"outcomes\"") && !page.body.contains("id=\"outcome-form\""));
    let cweb = app.browser_as(&county.username).await;
    let page = cweb.get(&format!("/accidents/{id}")).await;
    assert!(!page.body.contains("id=\"outcomes\""));
    let r = cweb
        .post_form(
            &path,
            &[
                ("subject", "person"),
                ("name", "李某"),
                ("kind", "party_discipline"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Notifications: the county, once it has the report, records 公安 once.
    let r = county
        .post(
            &format!("/api/v1/accidents/{id}/hops/county/acknowledge"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = cweb.get(&format!("/accidents/{id}")).await;
    assert!(page.body.contains("id=\"notice-form\""), "{}", page.body);
    let at = (chrono::Utc::now() - chrono::Duration::minutes(5))
        .with_timezone(&anwei::time::tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let path = format!("/accidents/{id}/notifications");
    let fields = [
        ("level", "county"),
        ("body", "public_security"),
        ("notified_at", at.as_str()),
        ("method", "电话"),
    ];
    let r = cweb.post_form(&path, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM accident_notice WHERE body = 'public_security'")
            .await,
        1
    );
    // Twice: shown on the form, not written again.
    let r = cweb.post_form(&path, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"notice-body-err\""), "{}", r.body);
    let r = cweb
        .post_form(
            &path,
            &[
                ("level", "county"),
                ("body", "trade_union"),
                ("notified_at", "昨天"),
                ("method", "电话"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"notice-notified_at-err\"") && r.body.contains("value=\"昨天\""));
    let page = cweb.get(&format!("/accidents/{id}")).await;
    assert!(page.body.contains("公安机关"), "{}", page.body);
}

#[tokio::test]
async fn the_investigation_page_opens_requests_an_extension_and_takes_the_report() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let id = file(&office, 1).await;
    let web = app.browser_as(&office.username).await;
    let path = format!("/accidents/{id}/investigation");
    let page = web.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"open-form\""), "{}", page.body);
    let r = web.post_form(&path, &[("team", "  \n")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"team-err\""), "{}", r.body);
    let r = web
        .post_form(
            &path,
            &[("team", "王某，通化市应急管理局，组长\n赵某，市公安局，成员")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = web.get(&path).await;
    assert!(
        page.body.contains("王某") && page.body.contains("赵某"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"extension-form\""));
    let r = web
        .post_form(
            &format!("{path}/extension"),
            &[("days", "九十"), ("reason", "技术鉴定")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"days-err\"") && r.body.contains("value=\"九十\""));
    let r = web
        .post_form(
            &format!("{path}/extension"),
            &[("days", "30"), ("reason", "技术鉴定")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = web.get(&path).await;
    assert!(page.body.contains("id=\"inv-request\""), "{}", page.body);
    // One's own request is decided by someone else: refused on the page.
    let r = web
        .post_form(
            &format!("{path}/extension/decision"),
            &[("approve", "true")],
        )
        .await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = web
        .post_form(
            &format!("{path}/report"),
            &[("summary", "坍塌原因"), ("findings", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"findings-err\"") && r.body.contains("坍塌原因"));
    let r = web
        .post_form(
            &format!("{path}/report"),
            &[("summary", "坍塌原因"), ("findings", "施工单位负主要责任")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT status FROM investigation WHERE accident_id = {id}"
        ))
        .await
        .as_deref(),
        Some("reported")
    );
    // A county's account reads it, without forms.
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let cweb = app.browser_as(&county.username).await;
    let page = cweb.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("施工单位负主要责任") && !page.body.contains("id=\"approve-form\""));
    let r = cweb.post_form(&format!("{path}/approval"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn the_ban_registry_page_searches_takes_a_manual_entry_and_checks() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let web = app.browser_as(&office.username).await;
    let page = web.get("/bans").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"ban-form\""), "{}", page.body);
    let today = anwei::time::today().to_string();
    // A wrong check digit: the form again with what was typed.
    let wrong = format!("{}9", &B[..17]);
    let r = web
        .post_form(
            "/bans",
            &[
                ("name", "钱某"),
                ("id_number", &wrong),
                ("ground", "removal"),
                ("starts_on", &today),
                ("document_no", "通纪〔2026〕9号"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"n-id_number-err\""), "{}", r.body);
    assert!(r.body.contains("通纪〔2026〕9号"));
    let r = web
        .post_form(
            "/bans",
            &[
                ("name", "钱某"),
                ("id_number", B),
                ("ground", "removal"),
                ("starts_on", &today),
                ("document_no", "通纪〔2026〕9号"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = web.get(&r.location()).await;
    assert!(
        page.body.contains("钱某") && page.body.contains("220502********0028"),
        "{}",
        page.body
    );
    let page = web.get(&format!("/bans?id_number={B}")).await;
    assert!(page.body.contains("钱某"));
    let page = web.get("/bans?id_number=123").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The check: banned, with the reason; a county may check but not search.
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let cweb = app.browser_as(&county.username).await;
    let page = cweb.get("/bans/check").await;
    assert_eq!(page.status, StatusCode::OK);
    let r = cweb
        .post_form("/bans/check", &[("id_number", B), ("industry", "C26")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"verdict-banned\""), "{}", r.body);
    let r = cweb
        .post_form("/bans/check", &[("id_number", A), ("industry", "C26")])
        .await;
    assert!(r.body.contains("id=\"verdict-clear\""), "{}", r.body);
    let r = cweb
        .post_form(
            "/bans/check",
            &[("id_number", "22050"), ("industry", "C26")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"id_number-err\"") && r.body.contains("value=\"22050\""));
    assert_eq!(cweb.get("/bans").await.status, StatusCode::FORBIDDEN);
}
