//! Results that cannot be gamed, and input that is what it says (issue 10, first part): people
//! named on a record are in the recorder's scope, dates are real dates, a holder's term does
//! not start in 2100, a sensitive period tightens at most three rules.

use anwei::auth::model::Role;
use anwei_rules::duties::{Period, PeriodKind};
use reqwest::StatusCode;
use serde_json::json;

use crate::duties::{COUNTY_DW, MINUTES, today};
use crate::helpers::*;

fn field_error(r: &Resp, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body["fields"][field].is_string(),
        "names {field}: {}",
        r.body
    );
}

#[tokio::test]
async fn a_record_cannot_name_a_person_outside_the_recorders_scope() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = city
        .post("/api/v1/persons", json!({"name": "市政府领导"}))
        .await;
    let city_person = r.body["id"].as_i64().expect("id");
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let local = t
        .post(
            "/api/v1/persons",
            json!({"name": "区委常委", "org_code": COUNTY_DW}),
        )
        .await;
    // A territory account may not keep people; the city office registers one in the county.
    let local_person = if local.status == StatusCode::CREATED {
        local.body["id"].as_i64().expect("id")
    } else {
        city.post(
            "/api/v1/persons",
            json!({"name": "区委常委", "org_code": COUNTY_DW}),
        )
        .await
        .body["id"]
            .as_i64()
            .expect("id")
    };
    let record = async |person: i64| {
        let (ct, body) = multipart_files(
            &[
                ("org_code", COUNTY_DW),
                ("kind", "led_inspection"),
                ("date", &today().to_string()),
                ("title", "带队检查"),
                ("led_by_person", &person.to_string()),
            ],
            &[("纪要.pdf", MINUTES)],
        );
        t.post_raw("/api/v1/activities", &ct, body).await
    };
    let before = app.scalar_i64("SELECT COUNT(*) FROM activity").await;
    let r = record(city_person).await;
    field_error(&r, "led_by_person");
    let missing = record(999_999).await;
    assert_eq!(
        missing.body["fields"]["led_by_person"], r.body["fields"]["led_by_person"],
        "out of scope and missing answer alike"
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity").await,
        before
    );
    let r = record(local_person).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn deliverable_due_dates_are_real_dates() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    for due in ["0000-01-01", "2026-2-3", "2026-02-30", "2026/02/03"] {
        let r = city
            .post(
                "/api/v1/deliverables",
                json!({"code": "monthly_list", "title": "月报", "due": due}),
            )
            .await;
        field_error(&r, "due");
    }
    let r = city
        .post(
            "/api/v1/deliverables",
            json!({"code": "monthly_list", "title": "月报", "due": "2026-02-03"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn a_holders_term_cannot_start_in_2100() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let person = city
        .post("/api/v1/persons", json!({"name": "未来人"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let pos = position_id(&city, "220500-ZF", "principal", 0).await;
    let path = format!("/api/v1/positions/{pos}/holder");
    let r = city
        .post(
            &path,
            json!({"person_id": person, "start_date": "2100-01-01"}),
        )
        .await;
    field_error(&r, "start_date");
    let r = city
        .post(
            &path,
            json!({"person_id": person, "start_date": "2026-2-3"}),
        )
        .await;
    field_error(&r, "start_date");
    let r = city
        .post(
            &path,
            json!({"person_id": person, "start_date": today().to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_sensitive_period_tightens_at_most_three_rules() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let month = Period::containing(PeriodKind::Month, today());
    let rule = |code: &str| json!({"rule": code, "period": "month", "min_count": 1});
    let four = json!({"name": "四项", "start": today().to_string(), "end": month.end().to_string(),
        "rules": [rule("party_member_inspection_quarterly"), rule("party_principal_inspection_quarterly"),
                  rule("gov_principal_meeting_quarterly"), rule("gov_principal_inspection_quarterly")]});
    let r = city.post("/api/v1/duties/sensitive-periods", four).await;
    field_error(&r, "rules");
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM sensitive_period")
            .await,
        0
    );
}

#[tokio::test]
async fn a_duty_rules_kinds_are_a_list_on_get_as_on_put() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = city.get("/api/v1/duties/rules").await;
    let rule = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["code"] == "gov_principal_meeting_quarterly")
        .expect("rule")
        .clone();
    assert_eq!(
        rule["kinds"],
        json!(["executive_meeting", "special_meeting"]),
        "{rule}"
    );
}

pub(crate) async fn issue_to(office: &Api, task: i64, org: &str) -> i64 {
    let r = office
        .post(
            &format!("/api/v1/policy/tasks/{task}/assignments/issue"),
            json!({"orgs": [{"org_code": org, "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = office
        .get(&format!("/api/v1/assignments?task={task}&org={org}"))
        .await;
    list.body["items"][0]["id"].as_i64().expect("assignment id")
}

#[tokio::test]
async fn an_office_cannot_close_its_own_work_and_a_completion_needs_evidence() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let id = issue_to(&city, 23, "220502-AWB").await;
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let r = county
        .post(&format!("/api/v1/assignments/{id}/acknowledge"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // No file: not a completion request.
    let path = format!("/api/v1/assignments/{id}/reports");
    let r = county
        .post(&path, json!({"text": "已完成", "completion": true}))
        .await;
    field_error(&r, "files");
    let (ct, body) = multipart(
        &[("text", "已完成，附工作总结"), ("completion", "true")],
        &[("files", "总结.pdf", MINUTES)],
    );
    let r = county.post_raw(&path, &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Another account of the same office cannot accept it.
    let colleague = app.api_as(Role::Office, "220502-AWB").await;
    let review = format!("/api/v1/assignments/{id}/review");
    let r = colleague.post(&review, json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.audit_count("assignment.review", "denied").await, 1);
    // The office above can.
    let r = city.post(&review, json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "closed", "{}", r.body);
}

#[tokio::test]
async fn an_office_cannot_accept_its_own_deliverable() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let r = city
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({"orgs": ["220502-AWB"]}),
        )
        .await;
    assert_eq!(r.body["created"], 1, "{}", r.body);
    let id = app
        .scalar_i64(
            "SELECT r.id FROM deliverable_requirement r JOIN org o ON o.id = r.org_id WHERE o.code = '220502-AWB'",
        )
        .await;
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let r = county
        .post(
            &format!("/api/v1/deliverable-requirements/{id}/submissions"),
            json!({"note": "实施方案"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let review = format!("/api/v1/deliverable-requirements/{id}/review");
    let r = county.post(&review, json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = city.post(&review, json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_late_records_acceptance_does_not_survive_a_change_of_what_it_is() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let member = position_id(&t, COUNTY_DW, "standing_member", 0).await;
    let past = crate::duties::this_quarter()
        .prev()
        .expect("last quarter")
        .end()
        .to_string();
    let r = crate::duties::record(&t, COUNTY_DW, "special_meeting", &past, "专题会议", None).await;
    assert_eq!(r.body["entered_late"], true, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            &format!("/api/v1/activities/{id}/accept-late"),
            json!({"reason": "系统故障"}),
        )
        .await;
    assert_eq!(r.body["activity"]["accepted_late"], true, "{}", r.body);
    // The author turns it into an inspection led by a member, within the correction window.
    let r = t
        .patch(
            &format!("/api/v1/activities/{id}"),
            json!({"kind": "led_inspection", "led_by_position": member}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["activity"]["accepted_late"], false,
        "the acceptance was for a special meeting: {}",
        r.body
    );
    assert_eq!(r.body["activity"]["entered_late"], true);
}

#[tokio::test]
async fn a_record_corrected_into_a_standing_committee_meeting_copies_its_minutes_up() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let principal = position_id(&t, COUNTY_DW, "principal", 0).await;
    let r = crate::duties::record(
        &t,
        COUNTY_DW,
        "special_meeting",
        &today().to_string(),
        "专题会议",
        Some(principal),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let sql = format!("SELECT COUNT(*) FROM minutes_delivery WHERE activity_id = {id}");
    let copied = async || app.scalar_i64(&sql).await;
    assert_eq!(copied().await, 0);
    let r = t
        .patch(
            &format!("/api/v1/activities/{id}"),
            json!({"kind": "standing_committee_meeting"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(copied().await, 1, "抄报 as on entry");
    let city_office = app.api_as(Role::Office, "220500-AWB").await;
    let got = city_office.get("/api/v1/duties/minutes-received").await;
    assert!(
        got.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|m| m["activity_id"].as_i64() == Some(id) || m["id"].as_i64() == Some(id)),
        "{}",
        got.body
    );
    // A further correction does not copy it twice.
    let r = t
        .patch(
            &format!("/api/v1/activities/{id}"),
            json!({"title": "常委会会议（研究安全生产）"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(copied().await, 1);
}

#[tokio::test]
async fn one_meeting_entered_again_under_another_title_or_with_the_same_file_is_refused() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, COUNTY_DW).await;
    let principal = position_id(&t, COUNTY_DW, "principal", 0).await;
    let day = today().to_string();
    let post = async |title: &str, file: &[u8]| {
        let (ct, body) = multipart_files(
            &[
                ("org_code", COUNTY_DW),
                ("kind", "standing_committee_meeting"),
                ("date", &day),
                ("title", title),
                ("led_by_position", &principal.to_string()),
            ],
            &[("纪要.pdf", file)],
        );
        t.post_raw("/api/v1/activities", &ct, body).await
    };
    let first = b"%PDF-1.4\n% the minutes of meeting X\n%%EOF\n";
    let r = post("会议X", first).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let other = b"%PDF-1.4\n% a photo of the same meeting\n%%EOF\n";
    for title in ["会议x", "会议Ｘ", "会议X（第二次录入）"] {
        let r = post(title, other).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{title}: {}", r.body);
    }
    let r = post("第二次专题研究", first).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the same file: {}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity").await,
        1,
        "one meeting counts once"
    );
    // A different meeting on the same day, with its own minutes, is recorded.
    let r = post("第二次专题研究", other).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn one_filter_check_for_the_list_the_ranking_the_chart_and_the_export() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    for path in [
        "/api/v1/assignments",
        "/api/v1/assignments/ranking",
        "/api/v1/assignments/by-measure",
        "/api/v1/assignments/export.xlsx",
    ] {
        for (query, field) in [
            ("measure=0", "measure"),
            ("role=boss", "role"),
            ("page=0", "page"),
        ] {
            if field == "page" && path != "/api/v1/assignments" {
                continue;
            }
            let r = city.get(&format!("{path}?{query}")).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}: {}",
                r.body
            );
            assert!(
                r.body["fields"][field].is_string(),
                "{path}?{query}: {}",
                r.body
            );
        }
        let ok = city.get(&format!("{path}?measure=1")).await;
        assert_eq!(ok.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_sensitive_period_cannot_start_in_the_past() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let yesterday = (today() - chrono::Duration::days(1)).to_string();
    let r = city
        .post(
            "/api/v1/duties/sensitive-periods",
            json!({"name": "补设", "start": yesterday, "end": today().to_string(),
                   "rules": [{"rule": "party_principal_inspection_quarterly", "period": "month", "min_count": 2}]}),
        )
        .await;
    field_error(&r, "start");
}
