//! Tests of listed supervision (挂牌督办): only a major hazard is listed, once; the board's
//! light turns red on a missed month or a passed deadline (the server's clock decides);
//! progress once a month; delisting only by the office that listed it, once the hazard is
//! closed, with real evidence; stop orders and referrals audited; the public notices name no
//! person; another county sees nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::{add_enterprise, credit_code, png};
use crate::helpers::*;
use anwei::auth::model::Role;

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

fn month_of(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// A county (东昌区) with an enterprise, its account, a county inspector, the county office and
/// two hazards at the enterprise: one major, one general.
struct County {
    app: TestApp,
    inspector: Api,
    enterprise: Api,
    office: Api,
    major: i64,
    general: i64,
}

const PERSON: &str = "王五责任人";
const ENTERPRISE: &str = "东昌某危化企业";

async fn county() -> County {
    let app = spawn_app().await;
    let inspector = app.api_as(Role::Territory, "220502-ZF").await;
    let eid = add_enterprise(&inspector, "91220502MA0000021", ENTERPRISE, "C26").await;
    let enterprise = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000021"))
        .await;
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let mut ids = Vec::new();
    for (grade, criterion, deadline) in [
        ("major", "chemical_2017/4", day(90)),
        ("general", "", day(30)),
    ] {
        let r = inspector
            .post(
                "/api/v1/hazards",
                json!({"enterprise_id": eid, "description": "涉及重点监管危险化工工艺的装置未实现自动化控制",
                       "grade": grade, "criterion": criterion, "deadline": deadline,
                       "responsible_person": PERSON}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.body["id"].as_i64().expect("id"));
    }
    County {
        app,
        inspector,
        enterprise,
        office,
        major: ids[0],
        general: ids[1],
    }
}

async fn list(c: &County, hazard: i64, notice: &str) -> Value {
    let r = c
        .office
        .post(
            "/api/v1/listings",
            json!({"hazard_id": hazard, "notice_no": notice, "deadline": day(60)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

/// Accepts the hazard's rectification through the hazards loop: the enterprise submits, a
/// county account other than the reporter accepts.
async fn close_hazard(c: &County, hazard: i64) {
    let r = c
        .enterprise
        .post(
            &format!("/api/v1/hazards/{hazard}/submit"),
            json!({"note": "已实现自动化控制"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reviewer = c.app.api_as(Role::Territory, "220502-ZF").await;
    let r = reviewer
        .post(
            &format!("/api/v1/hazards/{hazard}/accept"),
            json!({"comment": "验收通过"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "closed");
}

#[tokio::test]
async fn only_a_major_hazard_not_closed_is_listed_once_under_a_free_notice_number() {
    let c = county().await;
    // Only the office lists.
    let r = c
        .inspector
        .post(
            "/api/v1/listings",
            json!({"hazard_id": c.major, "notice_no": "东安委办督〔2026〕1号", "deadline": day(60)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.app.audit_count("listing.create", "denied").await >= 1);
    // A general hazard is not listed.
    let r = c
        .office
        .post(
            "/api/v1/listings",
            json!({"hazard_id": c.general, "notice_no": "东安委办督〔2026〕1号", "deadline": day(60)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("hazard_id").is_some(), "{}", r.body);
    // A deadline before today (the server's date) is refused.
    let r = c
        .office
        .post(
            "/api/v1/listings",
            json!({"hazard_id": c.major, "notice_no": "东安委办督〔2026〕1号", "deadline": day(-1)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("deadline").is_some(), "{}", r.body);
    assert_eq!(c.app.scalar_i64("SELECT COUNT(*) FROM listing").await, 0);
    // Listed: the responsible unit defaults to the territory's government.
    let l = list(&c, c.major, "东安委办督〔2026〕1号").await;
    assert_eq!(l["status"], "active");
    assert_eq!(l["light"], "green");
    assert_eq!(l["responsible_org"], "220502-ZF");
    assert_eq!(l["listed_on"], day(0));
    // Once per hazard; a notice number once.
    let r = c
        .office
        .post(
            "/api/v1/listings",
            json!({"hazard_id": c.major, "notice_no": "东安委办督〔2026〕2号", "deadline": day(60)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let e = c
        .app
        .scalar_i64("SELECT enterprise_id FROM hazard LIMIT 1")
        .await;
    let r = c
        .inspector
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": e, "description": "另一处重大隐患", "grade": "major",
                   "criterion": "chemical_2017/4", "deadline": day(90)}),
        )
        .await;
    let other = r.body["id"].as_i64().expect("id");
    let r = c
        .office
        .post(
            "/api/v1/listings",
            json!({"hazard_id": other, "notice_no": " 东安委办督〔2026〕1号 ", "deadline": day(60)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("notice_no").is_some(), "{}", r.body);
    assert_eq!(c.app.audit_count("listing.create", "ok").await, 1);
    // The board's form: a field error shows the form again (422), a good one leads to the page.
    let web = c.app.browser_as(&c.office.username).await;
    let other = other.to_string();
    let p = web
        .post_form(
            "/listings",
            &[
                ("hazard_id", other.as_str()),
                ("notice_no", "东安委办督〔2026〕1号"),
                ("deadline", &day(30)),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("督办文号已被使用"), "{}", p.body);
    let p = web
        .post_form(
            "/listings",
            &[
                ("hazard_id", other.as_str()),
                ("notice_no", "东安委办督〔2026〕9号"),
                ("responsible_org", ""),
                ("deadline", &day(30)),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location().starts_with("/listings/"), "{}", p.location());
    assert_eq!(c.app.audit_count("listing.create", "ok").await, 2);
    // The board and the pages, in Chinese.
    let p = web.get("/listings").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("东安委办督〔2026〕1号"), "{}", p.body);
    assert!(p.body.contains("绿灯"));
    assert!(p.body.contains("id=\"list-button\""), "the office may list");
    let id = l["id"].as_i64().expect("id");
    let p = web.get(&format!("/listings/{id}")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("stop-order-button"), "{}", p.body);
}

#[tokio::test]
async fn the_light_turns_red_on_a_missed_month_or_a_passed_deadline_and_progress_is_once_a_month() {
    let c = county().await;
    let l = list(&c, c.major, "东安委办督〔2026〕3号").await;
    let id = l["id"].as_i64().expect("id");
    // The enterprise reports this month; a second report this month is refused.
    let r = c
        .enterprise
        .post(
            &format!("/api/v1/listings/{id}/progress"),
            json!({"text": "自动化改造已完成设计"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["month"], month_of(anwei::time::today()));
    let r = c
        .enterprise
        .post(
            &format!("/api/v1/listings/{id}/progress"),
            json!({"text": "再报一次"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The responsible unit may report too, but this month is reported.
    let (t, b) = multipart_files(&[("text", "属地督促")], &[("现场.png", &png())]);
    let r = c
        .inspector
        .post_raw(&format!("/api/v1/listings/{id}/progress"), &t, b)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Neither the enterprise nor the responsible unit: refused, audited.
    let r = c
        .office
        .post(
            &format!("/api/v1/listings/{id}/progress"),
            json!({"text": "代报"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.app.audit_count("listing.progress", "denied").await >= 1);
    assert_eq!(c.app.audit_count("listing.progress", "ok").await, 1);

    // Listed three months ago: the two months that ended since have no report → red.
    let today = anwei::time::today();
    let listed = today - chrono::Months::new(3);
    c.app
        .exec(&format!(
            "UPDATE listing SET listed_on = '{listed}' WHERE id = {id}"
        ))
        .await;
    let first = month_of(listed + chrono::Months::new(1));
    let second = month_of(listed + chrono::Months::new(2));
    let board = c.office.get("/api/v1/listings").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let item = &board.body["items"][0];
    assert_eq!(item["light"], "red", "{}", board.body);
    assert_eq!(item["missing_months"], json!([first, second]));
    // One month reported: still red; both: green.
    for (m, light) in [(&first, "red"), (&second, "green")] {
        c.app
            .exec(&format!(
                "INSERT INTO listing_progress (listing_id, month, body, reported_by, reported_by_org, reported_at) \
                 SELECT id, '{m}', '补报', listed_by, enterprise_id, 0 FROM listing WHERE id = {id}"
            ))
            .await;
        let d = c.enterprise.get(&format!("/api/v1/listings/{id}")).await;
        assert_eq!(d.body["listing"]["light"], light, "{}", d.body);
    }
    // The deadline passed: red again.
    c.app
        .exec(&format!(
            "UPDATE listing SET deadline = '{}' WHERE id = {id}",
            day(-1)
        ))
        .await;
    let d = c.office.get(&format!("/api/v1/listings/{id}")).await;
    assert_eq!(d.body["listing"]["light"], "red");
    assert_eq!(d.body["listing"]["missing_months"], json!([]));
    assert_eq!(d.body["progress"].as_array().map(Vec::len), Some(3));
    let web = c.app.browser_as(&c.office.username).await;
    let p = web.get("/listings").await;
    assert!(p.body.contains("light red"), "{}", p.body);
}

#[tokio::test]
async fn delisting_needs_the_closed_hazard_real_evidence_and_the_office_that_listed_it() {
    let c = county().await;
    let l = list(&c, c.major, "东安委办督〔2026〕4号").await;
    let id = l["id"].as_i64().expect("id");
    let path = format!("/api/v1/listings/{id}/delist");
    let with_png = || multipart_files(&[("note", "现场核查已整改到位")], &[("核查.png", &png())]);
    // Not closed yet.
    let (t, b) = with_png();
    let r = c.office.post_raw(&path, &t, b).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The responsible unit reports this month's progress with a photo.
    let (t, b) = multipart_files(&[("text", "属地督促企业落实整改")], &[("现场.png", &png())]);
    let r = c
        .inspector
        .post_raw(&format!("/api/v1/listings/{id}/progress"), &t, b)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["reported_by_org_name"], "东昌区人民政府");
    close_hazard(&c, c.major).await;
    // Another office (the city's, which sees it) is not the listing body.
    let city = c.app.api_as(Role::Office, "220500-AWB").await;
    let (t, b) = with_png();
    let r = city.post_raw(&path, &t, b).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.app.audit_count("listing.delist", "denied").await >= 1);
    // No evidence, or a file that is no real file: refused naming `files`.
    let r = c
        .office
        .post(&path, json!({"note": "现场核查已整改到位"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("files").is_some(), "{}", r.body);
    let (t, b) = multipart_files(
        &[("note", "现场核查已整改到位")],
        &[("核查.png", &[0u8, 1, 2, 3, 0, 255][..])],
    );
    let r = c.office.post_raw(&path, &t, b).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("files").is_some(), "{}", r.body);
    // No note.
    let (t, b) = multipart_files(&[("note", " ")], &[("核查.png", &png())]);
    let r = c.office.post_raw(&path, &t, b).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        c.app
            .scalar_i64("SELECT COUNT(*) FROM listing WHERE status = 'delisted'")
            .await,
        0
    );
    // The office that listed it, with a note and a real file.
    let (t, b) = with_png();
    let r = c.office.post_raw(&path, &t, b).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "delisted");
    assert_eq!(r.body["light"], "grey");
    assert_eq!(r.body["delisted_on"], day(0));
    assert!(r.body["delisted_by_name"].is_string(), "{}", r.body);
    assert_eq!(c.app.audit_count("listing.delist", "ok").await, 1);
    let d = c.office.get(&format!("/api/v1/listings/{id}")).await;
    let files = d.body["files"].as_array().expect("files");
    assert_eq!(files.len(), 2, "{}", d.body);
    assert!(
        files
            .iter()
            .any(|f| f["purpose"] == "progress" && f["progress_id"].is_i64())
    );
    let f = files
        .iter()
        .find(|f| f["purpose"] == "delisting")
        .and_then(|f| f["id"].as_i64())
        .expect("evidence kept");
    let r = c
        .enterprise
        .get(&format!("/api/v1/listing-files/{f}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Once.
    let (t, b) = with_png();
    let r = c.office.post_raw(&path, &t, b).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = c
        .enterprise
        .post(
            &format!("/api/v1/listings/{id}/progress"),
            json!({"text": "摘牌后"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

#[tokio::test]
async fn stop_orders_and_referrals_are_the_offices_once_each_and_audited() {
    let c = county().await;
    let l = list(&c, c.major, "东安委办督〔2026〕5号").await;
    let id = l["id"].as_i64().expect("id");
    let stop = format!("/api/v1/listings/{id}/stop-order");
    let refer = format!("/api/v1/listings/{id}/referral");
    let r = c
        .enterprise
        .post(
            &stop,
            json!({"document_no": "东安监停〔2026〕1号", "ordered_on": day(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.app.audit_count("listing.stop_order", "denied").await >= 1);
    let r = c
        .office
        .post(
            &stop,
            json!({"document_no": "东安监停〔2026〕1号", "ordered_on": day(1)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("ordered_on").is_some());
    let r = c
        .office
        .post(
            &stop,
            json!({"document_no": "东安监停〔2026〕1号", "ordered_on": day(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["stop_order_no"], "东安监停〔2026〕1号");
    assert_eq!(r.body["stop_order_on"], day(0));
    let r = c
        .office
        .post(
            &stop,
            json!({"document_no": "东安监停〔2026〕2号", "ordered_on": day(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(c.app.audit_count("listing.stop_order", "ok").await, 1);
    // The referral: the office only, with a note, once.
    let r = c.inspector.post(&refer, json!({"note": "拒不整改"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.app.audit_count("listing.referral", "denied").await >= 1);
    let r = c.office.post(&refer, json!({"note": ""})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = c
        .office
        .post(
            &refer,
            json!({"note": "拒不执行停产停工指令，涉嫌危险作业罪"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["referred"], true);
    let r = c.office.post(&refer, json!({"note": "再移送"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(c.app.audit_count("listing.referral", "ok").await, 1);
    let detail = c
        .app
        .scalar_text(
            "SELECT detail FROM audit_log WHERE action = 'listing.referral' AND outcome = 'ok'",
        )
        .await
        .unwrap_or_default();
    assert!(detail.contains("第一百三十四条之一"), "{detail}");
    // The page shows the order and the referral with the offence cited.
    let web = c.app.browser_as(&c.office.username).await;
    let p = web.get(&format!("/listings/{id}")).await;
    assert!(p.body.contains("东安监停〔2026〕1号"), "{}", p.body);
    assert!(p.body.contains("危险作业罪"));
}

#[tokio::test]
async fn the_public_notices_need_no_login_and_name_no_person_and_another_county_sees_nothing() {
    let c = county().await;
    let l = list(&c, c.major, "东安委办督〔2026〕6号").await;
    let id = l["id"].as_i64().expect("id");
    let r = c.app.anon().get("/public/listings").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let html = r.body.as_str().expect("a page").to_string();
    assert!(html.contains("东安委办督〔2026〕6号"), "{html}");
    assert!(html.contains(ENTERPRISE));
    assert!(html.contains("东昌区"));
    assert!(html.contains(&day(0)));
    let listed_by = c
        .app
        .scalar_text("SELECT a.display_name FROM account a JOIN listing l ON l.listed_by = a.id")
        .await
        .expect("a name");
    for private in [
        PERSON,
        listed_by.as_str(),
        c.office.username.as_str(),
        c.inspector.username.as_str(),
        "/listings/",
        "/hazards/",
        "涉及重点监管",
    ] {
        assert!(!html.contains(private), "{private} in the public page");
    }
    // Another county's office: not found, whatever it tries.
    let other = c.app.api_as(Role::Office, "220503-AWB").await;
    assert_eq!(
        other.get(&format!("/api/v1/listings/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(other.get("/api/v1/listings").await.body["total"], 0);
    for (path, body) in [
        (
            format!("/api/v1/listings/{id}/stop-order"),
            json!({"document_no": "x", "ordered_on": day(0)}),
        ),
        (
            format!("/api/v1/listings/{id}/referral"),
            json!({"note": "x"}),
        ),
        (
            format!("/api/v1/listings/{id}/delist"),
            json!({"note": "x"}),
        ),
        (
            "/api/v1/listings".to_string(),
            json!({"hazard_id": c.major, "notice_no": "二安委办督〔2026〕1号", "deadline": day(30)}),
        ),
    ] {
        let r = other.post(&path, body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    let web = c.app.browser_as(&other.username).await;
    assert_eq!(
        web.get(&format!("/listings/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(c.app.audit_count("listing.read", "denied").await >= 1);
}
