//! Tests of the second slice of recurring duties: evidence required to count, duty rules the
//! city office edits or adds, correcting a record, the heat map, the at-risk list and its
//! reminders, the per-leader scorecard and the xlsx export.

use std::io::Cursor;

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};
use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const COUNTY_DW: &str = "220502-DW";
const CITY_OFFICE: &str = "220500-AWB";
const COUNTY_OFFICE: &str = "220502-AWB";
const MINUTES: &[u8] = b"%PDF-1.4\n% minutes\n%%EOF\n";

fn today() -> chrono::NaiveDate {
    anwei::time::today()
}

fn quarter() -> String {
    Period::containing(PeriodKind::Quarter, today()).code()
}

/// A study session of the county party committee today, with or without minutes.
async fn study(api: &Api, title: &str, evidence: bool) -> i64 {
    let day = today().to_string();
    let fields = [
        ("org_code", COUNTY_DW),
        ("kind", "study"),
        ("date", day.as_str()),
        ("title", title),
    ];
    // Each session its own minutes (one file backs one record).
    let minutes = format!("%PDF-1.4\n% minutes: {title}\n%%EOF\n").into_bytes();
    let with: [(&str, &[u8]); 1] = [("纪要.pdf", &minutes)];
    let files: &[(&str, &[u8])] = if evidence { &with } else { &[] };
    let (ct, body) = multipart_files(&fields, files);
    let r = api.post_raw("/api/v1/activities", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    r.body["id"].as_i64().expect("id")
}

async fn study_item(api: &Api, period: &str) -> Value {
    let r = api
        .get(&format!(
            "/api/v1/duties/compliance?period={period}&org={COUNTY_DW}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["rule"] == "party_study_quarterly")
        .cloned()
        .expect("study item")
}

fn rule_body(min_count: i64) -> Value {
    json!({
        "article": 1, "tasks": "2", "holder": "party_committee", "kinds": ["study"],
        "period": "quarter", "min_count": min_count, "evidence_required": true,
        "title_zh": "党委理论学习中心组每季度至少学习安全生产2次", "title_en": "Study twice a quarter",
        "active": true
    })
}

#[tokio::test]
async fn a_record_counts_only_with_evidence_and_evidence_can_be_added_later() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let id = study(&t, "无附件的学习", false).await;
    let item = study_item(&t, &quarter()).await;
    assert_eq!(
        (item["done"].as_i64(), item["status"].as_str()),
        (Some(0), Some("due"))
    );
    let (ct, body) = multipart_files(&[], &[("照片.pdf", MINUTES)]);
    let r = t
        .post_raw(&format!("/api/v1/activities/{id}/evidence"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["evidence"].as_array().map(Vec::len), Some(1));
    let item = study_item(&t, &quarter()).await;
    assert_eq!(
        (item["done"].as_i64(), item["status"].as_str()),
        (Some(1), Some("met"))
    );
    assert_eq!(app.audit_count("activity.add_evidence", "ok").await, 1);
    // Nothing to upload is a field error; another county's account cannot add anything.
    let (ct, body) = multipart_files(&[], &[]);
    let r = t
        .post_raw(&format!("/api/v1/activities/{id}/evidence"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let other = app.api_as(Role::Territory, "220503-DW").await;
    let (ct, body) = multipart_files(&[], &[("x.pdf", MINUTES)]);
    let r = other
        .post_raw(&format!("/api/v1/activities/{id}/evidence"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_city_office_edits_a_rule_and_compliance_follows() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    study(&t, "学习一", true).await;
    assert_eq!(study_item(&t, &quarter()).await["status"], "met");
    let rules = office.get("/api/v1/duties/rules").await;
    assert_eq!(rules.status, StatusCode::OK);
    assert_eq!(rules.body["items"].as_array().map(Vec::len), Some(14));
    let r = office
        .send(
            office
                .client
                .put(format!(
                    "{}/api/v1/duties/rules/party_study_quarterly",
                    office.base
                ))
                .bearer_auth(&office.token)
                .json(&rule_body(2)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["rule"]["min_count"], 2);
    let item = study_item(&t, &quarter()).await;
    assert_eq!(
        (
            item["required"].as_i64(),
            item["done"].as_i64(),
            item["status"].as_str()
        ),
        (Some(2), Some(1), Some("due"))
    );
    assert_eq!(app.audit_count("duty_rule.update", "ok").await, 1);
    // A county office may not change rules that bind every level; the holder is fixed.
    let county = app.api_as(Role::Office, COUNTY_OFFICE).await;
    let put = |api: &Api, code: &str, body: Value| {
        api.client
            .put(format!("{}/api/v1/duties/rules/{code}", api.base))
            .bearer_auth(&api.token)
            .json(&body)
    };
    let r = county
        .send(put(&county, "party_study_quarterly", rule_body(1)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut moved = rule_body(1);
    moved["holder"] = json!("party_principal");
    let r = office
        .send(put(&office, "party_study_quarterly", moved))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["holder"].is_string(), "{:?}", r.body);
    let r = office
        .send(put(&office, "no_such_rule", rule_body(1)))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Deactivated, the rule no longer binds anyone.
    let mut off = rule_body(2);
    off["active"] = json!(false);
    let r = office
        .send(put(&office, "party_study_quarterly", off))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let c = t
        .get(&format!(
            "/api/v1/duties/compliance?period={}&org={COUNTY_DW}",
            quarter()
        ))
        .await;
    assert!(
        c.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["rule"] != "party_study_quarterly")
    );
}

#[tokio::test]
async fn the_city_office_adds_a_rule_with_checked_fields() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let mut bad = rule_body(0);
    bad["code"] = json!("Bad Code");
    bad["holder"] = json!("nobody");
    bad["kinds"] = json!(["dancing"]);
    bad["period"] = json!("week");
    bad["title_zh"] = json!("");
    let r = office.post("/api/v1/duties/rules", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["code", "holder", "kinds", "period", "min_count", "title_zh"] {
        assert!(r.body["fields"][f].is_string(), "{f}: {:?}", r.body);
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM duty_rule").await, 14);
    let mut good = rule_body(1);
    good["code"] = json!("party_safety_lecture_yearly");
    good["period"] = json!("year");
    let r = office.post("/api/v1/duties/rules", good.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["rule"]["builtin"], false);
    let r = office.post("/api/v1/duties/rules", good).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let year = today().year().to_string();
    let c = t
        .get(&format!(
            "/api/v1/duties/compliance?period={year}&org={COUNTY_DW}"
        ))
        .await;
    assert!(
        c.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["rule"] == "party_safety_lecture_yearly"),
        "the added rule binds every party committee"
    );
    let r = t.post("/api/v1/duties/rules", rule_body(1)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_rule_pages_list_and_save_rules() {
    let app = spawn_app().await;
    app.create_user("rules_office", Role::Office, CITY_OFFICE)
        .await;
    let w = app.browser_as("rules_office").await;
    let list = w.get("/duties/rules").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("id=\"rule-party_study_quarterly\""));
    let form = w.get("/duties/rules/party_study_quarterly").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"kinds\" value=\"study\" checked"));
    let fields = [
        ("code", "party_study_quarterly"),
        ("title_zh", "理论学习中心组每季度学习2次"),
        ("holder", "party_committee"),
        ("kinds", "study"),
        ("kinds", "special_meeting"),
        ("period", "quarter"),
        ("min_count", "2"),
        ("article", "1"),
        ("tasks", "2"),
        ("evidence_required", "on"),
        ("active", "on"),
    ];
    let r = w
        .post_form("/duties/rules/party_study_quarterly", &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = app
        .scalar_i64("SELECT min_count FROM duty_rule WHERE code = 'party_study_quarterly'")
        .await;
    assert_eq!(stored, 2);
    let kinds = app
        .scalar_text("SELECT kinds FROM duty_rule WHERE code = 'party_study_quarterly'")
        .await
        .unwrap_or_default();
    assert_eq!(kinds, "study,special_meeting");
    let bad = w
        .post_form(
            "/duties/rules",
            &[
                ("code", "x"),
                ("title_zh", ""),
                ("period", "quarter"),
                ("min_count", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("规则代码应为"));
    let en = w.get("/duties/rules?lang=en").await;
    assert!(en.body.contains("Duty rules"));
}

#[tokio::test]
async fn the_author_corrects_a_record_within_the_window_then_only_the_office() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let id = study(&t, "学习（初稿）", true).await;
    let path = format!("/api/v1/activities/{id}");
    let r = t.patch(&path, json!({"title": "学习（更正）"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["activity"]["title"], "学习（更正）");
    let positions = t.get(&format!("/api/v1/orgs/{COUNTY_DW}/positions")).await;
    let principal = positions.body["items"][0]["id"]
        .as_i64()
        .expect("a position");
    let r = t.patch(&path, json!({"led_by_position": principal})).await;
    assert_eq!(r.body["activity"]["led_by_position_id"], principal);
    let r = t.patch(&path, json!({"title": "学习（更正）"})).await;
    assert_eq!(
        r.body["activity"]["led_by_position_id"], principal,
        "absent: unchanged"
    );
    let r = t.patch(&path, json!({"led_by_position": null})).await;
    assert!(
        r.body["activity"]["led_by_position_id"].is_null(),
        "null: cleared"
    );
    let r = t.patch(&path, json!({"date": "2999-01-01"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["date"].is_string());
    // Another account of the same organisation is not the author.
    let colleague = app.api_as(Role::Department, COUNTY_DW).await;
    let r = colleague.patch(&path, json!({"title": "别人改"})).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "in scope, but not the author: 403 (outside the scope it would be 404)"
    );
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let r = office.patch(&path, json!({"title": "安委办更正"})).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "office needs a reason"
    );
    assert!(r.body["fields"]["reason"].is_string());
    let r = office
        .patch(&path, json!({"title": "安委办更正", "reason": "标题有误"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(app.audit_count("activity.correct", "ok").await, 5);
    let detail = app
        .scalar_text(
            "SELECT detail FROM audit_log WHERE action = 'activity.correct' ORDER BY seq DESC LIMIT 1",
        )
        .await
        .unwrap_or_default();
    assert!(
        detail.contains("学习（更正）") && detail.contains("安委办更正"),
        "{detail}"
    );
}

#[tokio::test]
async fn after_the_window_the_author_is_refused() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.duties.correction_hours = 1),
    })
    .await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let id = study(&t, "学习", true).await;
    // Entered two hours ago: the one-hour window has passed.
    app.exec(&format!(
        "UPDATE activity SET created_at = created_at - 7200000 WHERE id = {id}"
    ))
    .await;
    let r = t
        .patch(&format!("/api/v1/activities/{id}"), json!({"title": "改"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("已超过可自行更正的时限"),
        "{:?}",
        r.body
    );
    assert_eq!(app.audit_count("activity.correct", "denied").await, 1);
}

#[tokio::test]
async fn the_heat_map_turns_when_a_record_arrives() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let year = today().year();
    let q = (today().month0() / 3) as usize;
    let path = format!("/api/v1/duties/heatmap?year={year}&rule=party_study_quarterly");
    let cell = |body: &Value| -> Value {
        body["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["org_code"] == COUNTY_DW)
            .map(|r| r["cells"][q].clone())
            .expect("county party committee row")
    };
    let before = office.get(&path).await;
    assert_eq!(before.status, StatusCode::OK, "{:?}", before.body);
    assert_eq!(before.body["quarters"].as_array().map(Vec::len), Some(4));
    assert_eq!(cell(&before.body), json!({"met": 0, "due": 1, "missed": 0}));
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    study(&t, "学习", true).await;
    let after = office.get(&path).await;
    assert_eq!(cell(&after.body), json!({"met": 1, "due": 0, "missed": 0}));
    // A rule edit re-evaluates every organisation (from cached records): two now required.
    let r = office
        .send(
            office
                .client
                .put(format!(
                    "{}/api/v1/duties/rules/party_study_quarterly",
                    office.base
                ))
                .bearer_auth(&office.token)
                .json(&rule_body(2)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let edited = office.get(&path).await;
    assert_eq!(cell(&edited.body), json!({"met": 0, "due": 1, "missed": 0}));
    study(&t, "第二次学习", true).await;
    let again = office.get(&path).await;
    assert_eq!(cell(&again.body), json!({"met": 1, "due": 0, "missed": 0}));
    // Only governments: no party committee rows.
    let gov = office
        .get(&format!(
            "/api/v1/duties/heatmap?year={year}&kind=government"
        ))
        .await;
    assert!(
        gov.body["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["org_kind"] == "government")
    );
    // The county office sees its county only; a bad year or rule is a field error.
    let county = app.api_as(Role::Office, COUNTY_OFFICE).await;
    let c = county
        .get(&format!("/api/v1/duties/heatmap?year={year}"))
        .await;
    assert!(
        c.body["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["org_code"].as_str().unwrap_or("").starts_with("220502"))
    );
    assert_eq!(
        office.get("/api/v1/duties/heatmap?year=99").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        office.get("/api/v1/duties/heatmap?rule=nope").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.create_user("heat_office", Role::Office, CITY_OFFICE)
        .await;
    let w = app.browser_as("heat_office").await;
    let page = w
        .get(&format!(
            "/duties/heatmap?year={year}&rule=party_study_quarterly"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg"));
    assert!(page.body.contains(&format!("data-org=\"{COUNTY_DW}\"")));
    let en = w.get("/duties/heatmap?lang=en").await;
    assert!(en.body.contains("Duty heat map"));
}

#[tokio::test]
async fn holders_short_near_the_period_end_are_listed_and_reminded_once() {
    // With a threshold longer than any period, every open window that is short is at risk.
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| {
            c.duties.at_risk_days = 366;
            // The sweep is run by hand below, not by the job worker at start.
            c.run_jobs = false;
            c.duties.remind_at_risk = true;
        }),
    })
    .await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let r = t.get("/api/v1/duties/at-risk").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().expect("items").clone();
    assert!(
        items
            .iter()
            .any(|i| i["rule"] == "party_study_quarterly" && i["org_code"] == COUNTY_DW),
        "{items:?}"
    );
    assert!(
        items.iter().all(|i| i["org_code"] == COUNTY_DW),
        "own org only"
    );
    let only = t
        .get("/api/v1/duties/at-risk?rule=party_principal_inspection_quarterly")
        .await;
    let only = only.body["items"].as_array().expect("items").clone();
    assert!(!only.is_empty());
    assert!(
        only.iter()
            .all(|i| i["rule"] == "party_principal_inspection_quarterly")
    );
    assert_eq!(
        t.get("/api/v1/duties/at-risk?kind=castle").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The city office narrows the city to one county.
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let county = office.get("/api/v1/duties/at-risk?region=220502").await;
    let county = county.body["items"].as_array().expect("items").clone();
    assert!(!county.is_empty());
    assert!(
        county
            .iter()
            .all(|i| i["org_code"].as_str().unwrap_or("").starts_with("220502-"))
    );
    study(&t, "学习", true).await;
    let r = t.get("/api/v1/duties/at-risk").await;
    assert!(
        r.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["rule"] != "party_study_quarterly"),
        "met: no longer at risk"
    );
    let notices = "SELECT COUNT(*) FROM notification WHERE title = 'notice.duty_at_risk.title'";
    let first = anwei::duties::views::sweep(&app.state)
        .await
        .expect("sweep");
    assert!(first > 0);
    let sent = app.scalar_i64(notices).await;
    assert!(sent > 0);
    // The notice names the duty, the period's end and the days left, in the reader's language.
    let inbox = t.get("/api/v1/notifications").await;
    let bodies: Vec<String> = inbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["body"].as_str().map(str::to_string))
        .collect();
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("党委主要负责人每季度至少带队督促检查") && b.contains("还剩")),
        "{bodies:?}"
    );
    assert!(
        bodies.iter().all(|b| !b.contains('{')),
        "no placeholder left: {bodies:?}"
    );
    let en = t.get_lang("/api/v1/notifications", "en").await;
    assert!(
        en.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|n| n["body"].as_str().unwrap_or("").contains("days left")),
        "{:?}",
        en.body
    );
    let again = anwei::duties::views::sweep(&app.state)
        .await
        .expect("sweep");
    assert_eq!(again, 0, "reminded once per window");
    assert_eq!(app.scalar_i64(notices).await, sent);
    app.create_user("risk_dw", Role::Territory, COUNTY_DW).await;
    let w = app.browser_as("risk_dw").await;
    let page = w.get("/duties/at-risk").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"at-risk\""));
    assert!(page.body.contains("id=\"region\""));
    let bad = w.get("/duties/at-risk?rule=nope").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_leaders_scorecard_follows_the_positions_they_held() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    // Last year, so that every date below is in the past whatever today is.
    let year = today().year() - 1;
    let first_of = |month: u32| format!("{year}-{month:02}-01");
    let position = |org: &'static str, kind: &'static str| {
        let office = &office;
        async move {
            let r = office.get(&format!("/api/v1/orgs/{org}/positions")).await;
            r.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|p| p["kind"] == kind)
                .and_then(|p| p["id"].as_i64())
                .expect("position")
        }
    };
    let principal = position(COUNTY_DW, "principal").await;
    let deputy = position("220502-ZF", "deputy").await;
    let person = |name: &'static str| {
        let office = &office;
        async move {
            let r = office
                .post(
                    "/api/v1/persons",
                    json!({"name": name, "org_code": COUNTY_DW}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            r.body["id"].as_i64().expect("id")
        }
    };
    let a = person("张领导").await;
    let b = person("李领导").await;
    let assign = |pos: i64, who: i64, start: String| {
        let office = &office;
        async move {
            let r = office
                .post(
                    &format!("/api/v1/positions/{pos}/holder"),
                    json!({"person_id": who, "start_date": start}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        }
    };
    // 张 is party secretary for the first half, then a deputy county head.
    assign(principal, a, first_of(1)).await;
    assign(principal, b, first_of(7)).await;
    assign(deputy, a, first_of(7)).await;
    let r = office
        .get(&format!("/api/v1/duties/scorecard/{a}?year={year}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let held = r.body["positions"].as_array().expect("positions");
    assert_eq!(held.len(), 2, "{held:?}");
    let of = |pos: i64| held.iter().find(|p| p["position"] == pos).expect("held");
    let windows = |p: &Value| -> Vec<String> {
        p["items"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|i| i["windows"].as_array().into_iter().flatten())
            .filter_map(|w| w["start"].as_str().map(str::to_string))
            .collect()
    };
    let secretary = windows(of(principal));
    assert!(!secretary.is_empty());
    assert!(
        secretary.iter().all(|s| s.as_str() < first_of(7).as_str()),
        "only the windows while held: {secretary:?}"
    );
    let rules: Vec<&str> = of(principal)["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["rule"].as_str())
        .collect();
    assert!(
        rules.contains(&"party_principal_inspection_quarterly"),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"party_study_quarterly"),
        "organisation-bound rules are not personal"
    );
    let deputy_windows = windows(of(deputy));
    assert!(
        deputy_windows
            .iter()
            .all(|s| s.as_str() >= first_of(7).as_str())
    );
    let other = app.api_as(Role::Territory, "220503-DW").await;
    assert_eq!(
        other
            .get(&format!("/api/v1/duties/scorecard/{a}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.create_user("score_office", Role::Office, CITY_OFFICE)
        .await;
    let w = app.browser_as("score_office").await;
    let org_page = w.get(&format!("/duties?org={COUNTY_DW}")).await;
    assert!(
        org_page
            .body
            .contains(&format!("href=\"/duties/people/{b}\"")),
        "the current holder's scorecard is linked from the organisation's page"
    );
    let page = w.get(&format!("/duties/people/{a}?year={year}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"score-summary\""));
    assert!(page.body.contains("张领导"));
}

#[tokio::test]
async fn the_compliance_table_exports_to_xlsx() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    study(&t, "学习", true).await;
    let q = quarter();
    let res = t
        .client
        .get(app.url(&format!(
            "/api/v1/duties/compliance.xlsx?period={q}&org={COUNTY_DW}"
        )))
        .bearer_auth(&t.token)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let bytes = res.bytes().await.expect("bytes").to_vec();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx workbook");
    let range = wb
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{}", *f as i64),
                    Data::Int(i) => i.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    assert!(rows[0][0].contains(&q));
    let study_row = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("理论学习")))
        .expect("the study duty's row");
    assert!(study_row.contains(&"已完成".to_string()), "{study_row:?}");
    assert!(study_row.contains(&"1".to_string()));
    assert_eq!(app.audit_count("duties.export", "ok").await, 1);
    let bad = t.get("/api/v1/duties/compliance.xlsx?period=nope").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_demo_gives_the_heat_map_records_with_minutes_once() {
    let app = spawn_app().await;
    anwei::demo::seed(&app.state).await.expect("demo");
    // The records typed in with minutes; the demo campaign's leader-led inspection is its
    // leader's record too, with the inspection as its evidence (`inspection_id`).
    let n = app
        .scalar_i64("SELECT COUNT(*) FROM activity WHERE inspection_id IS NULL")
        .await;
    // Records go into this year's closed quarters: none from January to March.
    let closed_quarters = i64::from(today().month0() / 3);
    // Seven counties, at most three records each per closed quarter.
    assert!(n <= 7 * 3 * closed_quarters, "{n} records");
    assert_eq!(n > 0, closed_quarters > 0, "{n} records");
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM activity WHERE evidence_count = 0 AND inspection_id IS NULL"
        )
        .await,
        0,
        "every demo record has its minutes"
    );
    // Entered through the services now, so late by the server's clock, and accepted as
    // historical records by another office account than the one that entered them.
    assert_eq!(app.audit_count("activity.create", "ok").await, n);
    assert_eq!(app.audit_count("activity.accept_late", "ok").await, n);
    assert_eq!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM activity a JOIN account c ON c.id = a.created_by \
             WHERE a.accepted_late AND c.username = 'office'"
        )
        .await,
        n
    );
    anwei::demo::seed(&app.state).await.expect("demo again");
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity WHERE inspection_id IS NULL")
            .await,
        n
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity WHERE inspection_id IS NOT NULL")
            .await,
        1
    );
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let h = office
        .get(&format!(
            "/api/v1/duties/heatmap?year={}&rule=party_study_quarterly",
            today().year()
        ))
        .await;
    assert_eq!(h.status, StatusCode::OK, "{:?}", h.body);
    let cells: Vec<&Value> = h.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|r| r["cells"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(
        cells.iter().any(|c| c["met"].as_i64() > Some(0)),
        closed_quarters > 0,
        "some met once a quarter has closed"
    );
    assert_eq!(
        cells.iter().any(|c| c["missed"].as_i64() > Some(0)),
        closed_quarters > 0,
        "some missed once a quarter has closed"
    );
}

#[tokio::test]
async fn the_office_sees_which_minutes_arrived_and_each_item_lists_its_records() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let positions = t.get(&format!("/api/v1/orgs/{COUNTY_DW}/positions")).await;
    let principal = positions.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["kind"] == "principal")
        .and_then(|p| p["id"].as_i64())
        .expect("principal");
    let day = today().to_string();
    let pos = principal.to_string();
    let (ct, body) = multipart_files(
        &[
            ("org_code", COUNTY_DW),
            ("kind", "standing_committee_meeting"),
            ("date", &day),
            ("title", "常委会会议"),
            ("led_by_position", &pos),
        ],
        &[("纪要.pdf", MINUTES)],
    );
    let r = t.post_raw("/api/v1/activities", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.body["id"].as_i64().expect("id");
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let got = office.get("/api/v1/duties/minutes-received").await;
    assert_eq!(got.status, StatusCode::OK);
    let items = got.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["activity_id"], id);
    assert_eq!(items[0]["org_code"], COUNTY_DW);
    assert!(items[0]["delivered_at"].as_i64().is_some());
    // Another county's office received nothing; the county itself receives nothing.
    let other = app.api_as(Role::Office, "220503-AWB").await;
    let none = other.get("/api/v1/duties/minutes-received").await;
    assert_eq!(none.body["items"].as_array().map(Vec::len), Some(0));
    // The record counts for the principal's meeting duty and is listed with it.
    let c = t
        .get(&format!(
            "/api/v1/duties/compliance?period={}&org={COUNTY_DW}",
            quarter()
        ))
        .await;
    let item = c.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["rule"] == "party_standing_meeting_quarterly")
        .cloned()
        .expect("meeting duty");
    assert_eq!(item["records"], json!([id]));
    app.create_user("minutes_office", Role::Office, CITY_OFFICE)
        .await;
    let w = app.browser_as("minutes_office").await;
    let page = w.get(&format!("/duties?org={COUNTY_DW}")).await;
    assert!(page.body.contains("id=\"received-minutes\""));
    assert!(page.body.contains(&format!("/duties/activities/{id}")));
}

#[tokio::test]
async fn the_office_declares_a_sensitive_period_from_its_page() {
    let app = spawn_app().await;
    app.create_user("sens_office", Role::Office, CITY_OFFICE)
        .await;
    let w = app.browser_as("sens_office").await;
    let page = w.get("/duties/sensitive").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"sensitive-form\""));
    let (start, end) = (
        today().to_string(),
        (today() + chrono::Duration::days(6)).to_string(),
    );
    let bad = w
        .post_form(
            "/duties/sensitive",
            &[("name", "国庆"), ("start", &end), ("end", &start)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("结束日期早于开始日期"));
    assert!(
        bad.body.contains("value=\"国庆\""),
        "the form keeps what was typed"
    );
    let ok = w
        .post_form(
            "/duties/sensitive",
            &[
                ("name", "国庆假期"),
                ("start", &start),
                ("end", &end),
                ("rule_1", "party_principal_inspection_quarterly"),
                ("period_1", "month"),
                ("min_1", "1"),
                ("rule_2", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let office = app.api_as(Role::Office, CITY_OFFICE).await;
    let list = office.get("/api/v1/duties/sensitive-periods").await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "国庆假期");
    assert_eq!(
        items[0]["tightenings"][0]["rule_code"],
        "party_principal_inspection_quarterly"
    );
    assert_eq!(items[0]["tightenings"][0]["period"], "month");
    let page = w.get("/duties/sensitive").await;
    assert!(page.body.contains("国庆假期"));
    // Nobody but the office may declare one.
    app.create_user("sens_dw", Role::Territory, COUNTY_DW).await;
    let t = app.browser_as("sens_dw").await;
    let page = t.get("/duties/sensitive").await;
    assert!(!page.body.contains("id=\"sensitive-form\""));
    let r = t
        .post_form(
            "/duties/sensitive",
            &[
                ("name", "x"),
                ("start", "2026-10-01"),
                ("end", "2026-10-07"),
                ("rule_1", "party_study_quarterly"),
                ("period_1", "month"),
                ("min_1", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn evidence_attached_after_the_month_closed_makes_the_record_late() {
    let app = spawn_app().await;
    const DEPT: &str = "220502-YJ";
    let t = app.api_as(Role::Territory, DEPT).await;
    let month = Period::containing(PeriodKind::Month, today())
        .prev()
        .expect("last month");
    // Entered on time is impossible for last month now, so enter it bare and as the office
    // would see it: late already. The check that matters: the first evidence after the month
    // closed keeps it from counting until the office accepts it.
    let r = t
        .post(
            "/api/v1/activities",
            json!({"org_code": DEPT, "kind": "led_inspection", "date": month.end().to_string(),
                   "title": "月末检查"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    // Pretend it was entered on the last day of its month (it was, on paper), so that only
    // the evidence is late.
    let on_time = month
        .end()
        .and_hms_opt(12, 0, 0)
        .expect("noon")
        .and_utc()
        .timestamp_millis();
    app.exec(&format!(
        "UPDATE activity SET created_at = {on_time}, entered_late = FALSE WHERE id = {id}"
    ))
    .await;
    let (ct, body) = multipart_files(&[], &[("检查记录.pdf", MINUTES)]);
    let r = t
        .post_raw(&format!("/api/v1/activities/{id}/evidence"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let got = t.get(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(got.body["activity"]["entered_late"], true);
    let monthly = |body: &Value| -> Value {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["rule"] == "dept_inspection_county_monthly")
            .map(|i| i["status"].clone())
            .expect("monthly duty")
    };
    let path = format!(
        "/api/v1/duties/compliance?period={}&org={DEPT}",
        month.code()
    );
    assert_eq!(monthly(&t.get(&path).await.body), "missed");
    let office = app.api_as(Role::Office, COUNTY_OFFICE).await;
    let r = office
        .post(
            &format!("/api/v1/activities/{id}/accept-late"),
            json!({"reason": "纪要后补"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(monthly(&t.get(&path).await.body), "met");
}

#[tokio::test]
async fn the_daily_tick_schedules_the_at_risk_sweep_only_when_reminders_are_on() {
    for on in [true, false] {
        let app = spawn_app_with(Opts {
            tweak: Box::new(move |c| {
                c.run_jobs = false;
                c.duties.remind_at_risk = on;
            }),
        })
        .await;
        anwei::jobs::tick_cron(&app.state).await.expect("tick");
        anwei::jobs::tick_cron(&app.state)
            .await
            .expect("tick again");
        let n = app
            .scalar_i64("SELECT COUNT(*) FROM job WHERE kind = 'duties.sweep'")
            .await;
        assert_eq!(n, i64::from(on), "once a day when on, never when off");
    }
}

#[tokio::test]
async fn a_county_liaison_opens_duties_on_the_countys_party_committee_government_and_departments() {
    let app = spawn_app().await;
    app.create_user("dc_liaison", Role::Territory, COUNTY_OFFICE)
        .await;
    let w = app.browser_as("dc_liaison").await;
    let page = w.get("/duties").await;
    assert_eq!(page.status, StatusCode::OK);
    let name = |code: &'static str| {
        let app = &app;
        async move {
            app.scalar_text(&format!("SELECT name FROM org WHERE code = '{code}'"))
                .await
                .expect("org")
        }
    };
    let (dw, zf, yj) = (
        name("220502-DW").await,
        name("220502-ZF").await,
        name("220502-YJ").await,
    );
    assert!(
        !page.body.contains("该单位在此期间没有适用的职责"),
        "not empty"
    );
    let at = |n: &str| page.body.find(n).unwrap_or_else(|| panic!("{n} shown"));
    assert!(
        at(&dw) < at(&zf),
        "the party committee first, then the government"
    );
    assert!(at(&zf) < at(&yj), "then the departments");
    assert!(
        page.body
            .contains("id=\"region-heatmap\" href=\"/duties/heatmap?region=220502\"")
    );
    // One organisation of the county on request; another county's is not there.
    let one = w.get("/duties?org=220502-YJ").await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains(&yj) && !one.body.contains(&dw));
    let other = w.get("/duties?org=220503-DW").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // The heat map one click away shows the county, not the liaison's own office.
    let heat = w.get("/duties/heatmap?region=220502").await;
    assert_eq!(heat.status, StatusCode::OK);
    assert!(
        heat.body.contains(&dw),
        "the county's party committee on the heat map"
    );
    // The board says what is wrong in duties, each count opening the list behind it.
    let home = w.get("/").await;
    assert!(
        home.body.contains("上季度未完成的职责"),
        "missed last quarter"
    );
    assert!(home.body.contains("href=\"/duties/heatmap\""));
    assert!(home.body.contains("本期有风险的职责"));
    assert!(home.body.contains("href=\"/duties/at-risk\""));
}
