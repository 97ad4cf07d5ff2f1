//! Tests of recurring duties: activity records (履职记录) and their rules, 抄报 of
//! standing-committee minutes, compliance per holder and period, sensitive periods.

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

pub(crate) const COUNTY_DW: &str = "220502-DW";
const COUNTY_ZF: &str = "220502-ZF";

pub(crate) fn today() -> chrono::NaiveDate {
    anwei::time::today()
}

pub(crate) fn this_quarter() -> Period {
    Period::containing(PeriodKind::Quarter, today())
}

fn last_quarter() -> Period {
    this_quarter().prev().expect("previous quarter")
}

/// Records an activity with minutes attached (every built-in rule requires evidence).
pub(crate) async fn record(
    api: &Api,
    org: &str,
    kind: &str,
    date: &str,
    title: &str,
    pos: Option<i64>,
) -> Resp {
    let pos = pos.map(|p| p.to_string()).unwrap_or_default();
    // Each record its own minutes: the same file twice would be one meeting entered twice.
    let minutes = format!("%PDF-1.4\n% minutes: {title}\n%%EOF\n").into_bytes();
    let (ct, body) = multipart_files(
        &[
            ("org_code", org),
            ("kind", kind),
            ("date", date),
            ("title", title),
            ("led_by_position", &pos),
            ("participants", "全体常委"),
            ("topics", "安全生产"),
        ],
        &[("纪要.pdf", &minutes)],
    );
    api.post_raw("/api/v1/activities", &ct, body).await
}

pub(crate) const MINUTES: &[u8] = b"%PDF-1.4\n% minutes\n%%EOF\n";

pub(crate) async fn compliance(api: &Api, period: &str, org: &str) -> Resp {
    api.get(&format!(
        "/api/v1/duties/compliance?period={period}&org={org}"
    ))
    .await
}

pub(crate) fn item<'a>(body: &'a Value, rule: &str, pos: Option<i64>) -> &'a Value {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["rule"] == rule && i["position"].as_i64() == pos)
        .unwrap_or_else(|| panic!("no item {rule} {pos:?} in {body}"))
}

#[tokio::test]
async fn an_activity_is_recorded_and_listed() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let principal = position_id(&t, COUNTY_DW, "principal", 0).await;
    let r = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &today().to_string(),
        "节前安全检查",
        Some(principal),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    assert_eq!(r.body["entered_late"], false);
    assert_eq!(app.audit_count("activity.create", "ok").await, 1);
    let list = t
        .get(&format!(
            "/api/v1/activities?org={COUNTY_DW}&kind=led_inspection"
        ))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id);
    assert_eq!(items[0]["led_by_position_id"], principal);
    let got = t.get(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["activity"]["title"], "节前安全检查");
    assert_eq!(
        t.get("/api/v1/activities?kind=nope").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn bad_records_are_refused_field_by_field() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let principal = position_id(&t, COUNTY_DW, "principal", 0).await;
    let other_org_position = position_id(&t, COUNTY_ZF, "principal", 0).await;
    let tomorrow = (today() + Duration::days(1)).to_string();
    let r = record(&t, COUNTY_DW, "study", &tomorrow, "学习", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["date"].is_string(), "{:?}", r.body);
    let r = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &today().to_string(),
        "检查",
        Some(other_org_position),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["fields"]["led_by_position"].is_string(),
        "{:?}",
        r.body
    );
    let r = record(
        &t,
        COUNTY_DW,
        "picnic",
        &today().to_string(),
        "x",
        Some(principal),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["kind"].is_string(), "{:?}", r.body);
    let r = record(&t, COUNTY_DW, "study", "2026-13-01", "x", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let day = today().to_string();
    let first = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &day,
        "检查",
        Some(principal),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &day,
        "检查",
        Some(principal),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let study = record(&t, COUNTY_DW, "study", &day, "学习", None).await;
    assert_eq!(study.status, StatusCode::CREATED);
    let study_again = record(&t, COUNTY_DW, "study", &day, "学习", None).await;
    assert_eq!(
        study_again.status,
        StatusCode::CONFLICT,
        "no position: still a duplicate"
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM activity").await, 2);
}

#[tokio::test]
async fn only_the_org_itself_or_the_office_in_scope_may_record() {
    let app = spawn_app().await;
    let day = today().to_string();
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    let r = record(&dept, COUNTY_DW, "study", &day, "学习", None).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "another organisation's account"
    );
    let other_county = app.api_as(Role::Territory, "220503-DW").await;
    let r = record(&other_county, COUNTY_DW, "study", &day, "学习", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "out of scope");
    let leader = app.api_as(Role::Leader, COUNTY_DW).await;
    let r = record(&leader, COUNTY_DW, "study", &day, "学习", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "leaders read only");
    assert_eq!(app.audit_count("activity.create", "denied").await, 3);
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = record(&office, COUNTY_DW, "study", &day, "学习", None).await;
    assert_eq!(r.status, StatusCode::CREATED, "the office in scope");
    let county_office = app.api_as(Role::Office, "220503-AWB").await;
    let r = record(&county_office, COUNTY_DW, "study", &day, "学习2", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let id = app.scalar_i64("SELECT MAX(id) FROM activity").await;
    assert_eq!(
        other_county
            .get(&format!("/api/v1/activities/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_record_dated_in_a_closed_quarter_is_late_and_does_not_count() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let past = last_quarter();
    let r = record(
        &t,
        COUNTY_DW,
        "study",
        &past.end().to_string(),
        "补录学习",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["entered_late"], true);
    let c = compliance(&t, &past.code(), COUNTY_DW).await;
    assert_eq!(c.status, StatusCode::OK);
    let study = item(&c.body, "party_study_quarterly", None);
    assert_eq!(study["status"], "missed");
    assert_eq!(study["done"], 0);
    assert_eq!(study["late"], 1);
    let id = r.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/activities/{id}/accept-late");
    let refused = t.post(&path, json!({"reason": "自己认可"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office.post(&path, json!({"reason": ""})).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let r = office
        .post(&path, json!({"reason": "系统故障未能按时录入"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["activity"]["accepted_late"], true);
    assert_eq!(
        office.post(&path, json!({"reason": "again"})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(app.audit_count("activity.accept_late", "ok").await, 1);
    let c = compliance(&t, &past.code(), COUNTY_DW).await;
    assert_eq!(
        item(&c.body, "party_study_quarterly", None)["status"],
        "met",
        "accepted by the office"
    );
}

#[tokio::test]
async fn a_record_entered_after_its_month_is_late_for_the_monthly_rule_until_accepted() {
    let app = spawn_app().await;
    const DEPT: &str = "220502-YJ";
    let t = app.api_as(Role::Territory, DEPT).await;
    let month = Period::containing(PeriodKind::Month, today())
        .prev()
        .expect("last month");
    let r = record(
        &t,
        DEPT,
        "led_inspection",
        &month.start().to_string(),
        "危化品企业检查（补录）",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["entered_late"], true, "its month has closed");
    let monthly =
        |body: &Value| item(body, "dept_inspection_county_monthly", None)["status"].clone();
    let c = compliance(&t, &month.code(), DEPT).await;
    assert_eq!(monthly(&c.body), "missed");
    let id = r.body["id"].as_i64().expect("id");
    let office = app.api_as(Role::Office, "220502-AWB").await;
    let r = office
        .post(
            &format!("/api/v1/activities/{id}/accept-late"),
            json!({"reason": "检查当月已开展，录入延误"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let c = compliance(&t, &month.code(), DEPT).await;
    assert_eq!(monthly(&c.body), "met");
}

#[tokio::test]
async fn compliance_is_met_with_a_record_due_without_and_missed_for_a_past_quarter() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let q = this_quarter();
    let c = compliance(&t, &q.code(), COUNTY_DW).await;
    assert_eq!(c.status, StatusCode::OK, "{:?}", c.body);
    assert_eq!(
        item(&c.body, "party_study_quarterly", None)["status"],
        "due"
    );
    let c = compliance(&t, &last_quarter().code(), COUNTY_DW).await;
    assert_eq!(
        item(&c.body, "party_study_quarterly", None)["status"],
        "missed"
    );
    let r = record(
        &t,
        COUNTY_DW,
        "study",
        &today().to_string(),
        "理论学习",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let c = compliance(&t, &q.code(), COUNTY_DW).await;
    let study = item(&c.body, "party_study_quarterly", None);
    assert_eq!(
        (
            study["status"].as_str(),
            study["required"].as_i64(),
            study["done"].as_i64()
        ),
        (Some("met"), Some(1), Some(1))
    );
    assert_eq!(study["org_code"], COUNTY_DW);
    // The month form covers the quarterly rule's quarter; the year form every quarter.
    let month = Period::containing(PeriodKind::Month, today()).code();
    let c = compliance(&t, &month, COUNTY_DW).await;
    assert_eq!(
        item(&c.body, "party_study_quarterly", None)["status"],
        "met"
    );
    let year = Period::containing(PeriodKind::Year, today()).code();
    let c = compliance(&t, &year, COUNTY_DW).await;
    let y = item(&c.body, "party_study_quarterly", None);
    assert_eq!(y["periods"].as_array().map(Vec::len), Some(4));
    assert_eq!(y["required"], 4);
    // Without an org the account sees its own organisation.
    let own = t
        .get(&format!("/api/v1/duties/compliance?period={}", q.code()))
        .await;
    assert!(
        own.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["org_code"] == COUNTY_DW)
    );
}

#[tokio::test]
async fn position_bound_rules_count_only_the_holders_own_records() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_ZF).await;
    let principal = position_id(&t, COUNTY_ZF, "principal", 0).await;
    let deputy = position_id(&t, COUNTY_ZF, "deputy", 0).await;
    let other_deputy = position_id(&t, COUNTY_ZF, "deputy", 1).await;
    let r = record(
        &t,
        COUNTY_ZF,
        "led_inspection",
        &today().to_string(),
        "副职带队检查",
        Some(deputy),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let c = compliance(&t, &this_quarter().code(), COUNTY_ZF).await;
    assert_eq!(
        item(&c.body, "gov_deputy_inspection_quarterly", Some(deputy))["status"],
        "met"
    );
    assert_eq!(
        item(
            &c.body,
            "gov_deputy_inspection_quarterly",
            Some(other_deputy)
        )["status"],
        "due"
    );
    assert_eq!(
        item(
            &c.body,
            "gov_principal_inspection_quarterly",
            Some(principal)
        )["status"],
        "due"
    );
    assert_eq!(
        item(&c.body, "gov_deputy_report_quarterly", Some(deputy))["status"],
        "due",
        "an inspection is not a report"
    );
    // Standing members of the party committee are bound one by one.
    let p = app.api_as(Role::Territory, COUNTY_DW).await;
    let c = compliance(&p, &this_quarter().code(), COUNTY_DW).await;
    let members = c.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["rule"] == "party_member_inspection_quarterly")
        .count();
    assert_eq!(members, 4);
}

#[tokio::test]
async fn bad_periods_and_foreign_orgs_are_refused() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    for bad in ["2026Q5", "2026M02-03", "26Q1", "q3"] {
        let r = compliance(&t, bad, COUNTY_DW).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(r.body["fields"]["period"].is_string(), "{:?}", r.body);
    }
    assert_eq!(
        t.get("/api/v1/duties/compliance").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        compliance(&t, "2026M09-10", COUNTY_DW).await.status,
        StatusCode::OK
    );
    assert_eq!(
        compliance(&t, "2026Q3", "220503-DW").await.status,
        StatusCode::NOT_FOUND
    );
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    assert_eq!(
        compliance(&auditor, "2026Q3", COUNTY_DW).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_sensitive_period_tightens_a_rule_inside_its_window() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let member = position_id(&t, COUNTY_DW, "standing_member", 0).await;
    let day = today().to_string();
    let r = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &day,
        "常委带队检查",
        Some(member),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let q = this_quarter().code();
    let rule = "party_member_inspection_quarterly";
    let c = compliance(&t, &q, COUNTY_DW).await;
    assert_eq!(item(&c.body, rule, Some(member))["status"], "met");
    let month = Period::containing(PeriodKind::Month, today());
    let body = json!({"name": "重点敏感时期", "start": today().to_string(), "end": month.end().to_string(),
                      "rules": [{"rule": rule, "period": "month", "min_count": 2}]});
    assert_eq!(
        t.post("/api/v1/duties/sensitive-periods", body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = json!({"name": "x", "start": "2026-09-01", "end": "2026-08-01",
                     "rules": [{"rule": "nope", "period": "week", "min_count": 0}]});
    let r = office.post("/api/v1/duties/sensitive-periods", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in [
        "end",
        "rules[0].rule",
        "rules[0].period",
        "rules[0].min_count",
    ] {
        assert!(r.body["fields"][f].is_string(), "{f}: {:?}", r.body);
    }
    let r = office.post("/api/v1/duties/sensitive-periods", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(app.audit_count("sensitive_period.create", "ok").await, 1);
    let c = compliance(&t, &q, COUNTY_DW).await;
    let it = item(&c.body, rule, Some(member));
    assert_eq!(
        it["status"], "due",
        "two per month inside the window: one is not enough"
    );
    let windows = it["windows"].as_array().expect("windows");
    assert_eq!(windows.len(), 2);
    assert_eq!(windows[1]["required"], 2);
    assert_eq!(windows[1]["sensitive"], "重点敏感时期");
    assert_eq!(
        it["required"].as_i64(),
        Some(windows[0]["required"].as_i64().unwrap() + 2),
        "the item's minimum includes the sensitive window's: {it}"
    );
    let r = record(
        &t,
        COUNTY_DW,
        "led_inspection",
        &day,
        "第二次检查",
        Some(member),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let c = compliance(&t, &q, COUNTY_DW).await;
    assert_eq!(item(&c.body, rule, Some(member))["status"], "met");
}

#[tokio::test]
async fn standing_committee_minutes_are_copied_to_the_upper_office() {
    let app = spawn_app().await;
    let city_office = app.api_as(Role::Office, "220500-AWB").await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let principal = position_id(&t, COUNTY_DW, "principal", 0).await;
    let r = record(
        &t,
        COUNTY_DW,
        "standing_committee_meeting",
        &today().to_string(),
        "常委会研究安全生产",
        Some(principal),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let got = city_office.get(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    let deliveries = got.body["deliveries"].as_array().expect("deliveries");
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["to_org_code"], "220500-AWB");
    let inbox = city_office.get("/api/v1/notifications").await;
    assert_eq!(inbox.body["unread"], 1, "{:?}", inbox.body);
    assert_eq!(
        inbox.body["items"][0]["link"],
        format!("/api/v1/activities/{id}")
    );
    assert_eq!(t.get("/api/v1/notifications").await.body["unread"], 0);
    // A city party committee has no upper office here.
    let city = app.api_as(Role::Territory, "220500-DW").await;
    let r = record(
        &city,
        "220500-DW",
        "standing_committee_meeting",
        &today().to_string(),
        "市委常委会",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["deliveries"].as_array().map(Vec::len), Some(0));
    // Other kinds are not copied.
    let r = record(&t, COUNTY_DW, "study", &today().to_string(), "学习", None).await;
    assert_eq!(r.body["deliveries"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM minutes_delivery")
            .await,
        1
    );
}

#[tokio::test]
async fn the_pages_record_an_activity_with_minutes_and_show_the_lights() {
    let app = spawn_app().await;
    app.create_user("duty_dw", Role::Territory, COUNTY_DW).await;
    let w = app.browser_as("duty_dw").await;
    let p = w.get("/duties").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("href=\"/duties\""), "nav entry");
    assert!(p.body.contains("light yellow"), "due before any record");
    assert!(p.body.contains("待完成"));
    let form = w.get("/duties/activities/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("党委书记（主要负责人）"));
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("/duties/activities?_csrf="));
    let day = today().to_string();
    let post = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, &'static [u8])>| {
        let fields: Vec<(&str, String)> = fields;
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (ct, body) = multipart_files(&refs, &files);
        w.client
            .post(format!("{}/duties/activities?_csrf={}", w.base, w.csrf))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let bad = post(
        vec![
            ("org_code", COUNTY_DW.to_string()),
            ("kind", "study".to_string()),
            ("date", "2999-01-01".to_string()),
            ("title", "学习".to_string()),
        ],
        vec![("纪要.pdf", MINUTES)],
    )
    .await
    .expect("post");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("html");
    assert!(html.contains("日期不能晚于今天"));
    // Without the CSRF token in the query the upload is refused.
    let (ct, body) = multipart_files(&[("org_code", COUNTY_DW)], &[]);
    let no_csrf = w
        .client
        .post(format!("{}/duties/activities", w.base))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("post");
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let ok = post(
        vec![
            ("org_code", COUNTY_DW.to_string()),
            ("kind", "study".to_string()),
            ("date", day.clone()),
            ("title", "学习".to_string()),
            ("led_by_position", String::new()),
        ],
        vec![("纪要.pdf", MINUTES)],
    )
    .await
    .expect("post");
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let location = ok
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(location.starts_with("/duties/activities/"), "{location}");
    let detail = w.get(&location).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("纪要.pdf"), "evidence listed");
    // More evidence from the record's page (multipart; the CSRF token in the query).
    assert!(detail.body.contains("/evidence?_csrf="));
    let location = location.split('?').next().unwrap_or("").to_string();
    let (ct, body) = multipart_files(&[], &[("现场照片.pdf", MINUTES)]);
    let more = w
        .client
        .post(format!("{}{location}/evidence?_csrf={}", w.base, w.csrf))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("post");
    assert_eq!(more.status(), StatusCode::SEE_OTHER);
    let detail = w.get(&location).await;
    assert!(detail.body.contains("现场照片.pdf"));
    // The author corrects the title from the page.
    let edit = w.get(&format!("{location}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    let fixed = w
        .post_form(
            &location,
            &[
                ("org_code", COUNTY_DW),
                ("kind", "study"),
                ("date", &day),
                ("title", "学习（更正后）"),
                ("led_by_position", ""),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
    assert!(w.get(&location).await.body.contains("学习（更正后）"));
    let p = w
        .get(&format!("/duties?period={}", this_quarter().code()))
        .await;
    assert!(p.body.contains("light green"));
    assert!(p.body.contains("已完成"));
    assert!(p.body.contains("id=\"activities\""));
    let bad_period = w.get("/duties?period=2026Q9").await;
    assert_eq!(bad_period.status, StatusCode::UNPROCESSABLE_ENTITY);
    let en = w.get("/duties?lang=en").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("Recent activity records"));
}

#[tokio::test]
async fn minutes_are_attached_as_evidence_and_readable_in_scope_only() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let principal = position_id(&t, COUNTY_DW, "principal", 0).await;
    let pdf = b"%PDF-1.4\n% minutes\n%%EOF\n".to_vec();
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
        &[("纪要.pdf", &pdf)],
    );
    let r = t.post_raw("/api/v1/activities", &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let evidence = r.body["evidence"].as_array().expect("evidence");
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0]["filename"], "纪要.pdf");
    assert_eq!(r.body["activity"]["led_by_position_id"], principal);
    let fid = evidence[0]["id"].as_i64().expect("id");
    let got = t
        .client
        .get(format!("{}/api/v1/activity-evidence/{fid}", t.base))
        .bearer_auth(&t.token)
        .send()
        .await
        .expect("download");
    assert_eq!(got.status(), StatusCode::OK);
    let cd = got
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert_eq!(
        got.headers().get("content-type").expect("type"),
        "application/pdf"
    );
    assert_eq!(
        got.bytes().await.expect("bytes").to_vec(),
        pdf,
        "the bytes uploaded"
    );
    let other = app.api_as(Role::Territory, "220503-DW").await;
    assert_eq!(
        other
            .get(&format!("/api/v1/activity-evidence/{fid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (ct, body) = multipart_files(
        &[
            ("org_code", COUNTY_DW),
            ("kind", "study"),
            ("date", &day),
            ("title", "学习"),
        ],
        &[("x.exe", b"MZ\x90\x00 not a document")],
    );
    let r = t.post_raw("/api/v1/activities", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
}

#[tokio::test]
async fn a_township_party_committee_is_not_held_to_standing_committee_meetings() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    // A township (乡镇) under 东昌区, as the office would import it.
    let (county_id, county_path) = (
        app.scalar_i64("SELECT id FROM region WHERE code = '220502'")
            .await,
        app.scalar_text("SELECT path FROM region WHERE code = '220502'")
            .await
            .expect("path"),
    );
    let id = app.scalar_i64("SELECT MAX(id) + 1 FROM region").await;
    app.exec(&format!(
        "INSERT INTO region (id, code, name, level, parent_id, path, has_gb2260_code, sort_order) \
         VALUES ({id}, '220502100', '示范镇', 'township', {county_id}, '{county_path}{id}/', FALSE, 1)"
    ))
    .await;
    let r = office
        .post(
            "/api/v1/orgs",
            json!({"code": "220502100-DW", "name": "中共示范镇委员会", "kind": "party_committee",
                   "region_code": "220502100"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = office
        .post(
            "/api/v1/orgs/220502100-DW/positions",
            json!({"kind": "principal", "title": "镇党委书记"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = compliance(&office, &this_quarter().code(), "220502100-DW").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let rules: Vec<&str> = c.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["rule"].as_str())
        .collect();
    assert!(
        !rules.contains(&"party_standing_meeting_quarterly"),
        "no 常委会 in a township: {rules:?}"
    );
    assert!(
        rules.contains(&"party_principal_inspection_quarterly"),
        "task 9 binds every level's secretary: {rules:?}"
    );
    // The county's committee still is.
    let c = compliance(&office, &this_quarter().code(), COUNTY_DW).await;
    assert!(
        c.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["rule"] == "party_standing_meeting_quarterly")
    );
}
