//! Tests of supervision (督查督办): proposing and issuing assignments, the ledger API and its
//! lights, acknowledging, reporting with evidence, reviewing, closing, the timeline,
//! notifications, audit records, and the pages.

use std::collections::BTreeSet;

use anwei::auth::model::Role;
use anwei_rules::supervision::{self, Light, Status};
use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;

const TASK7_ORGS: [&str; 10] = [
    "220500-DW",
    "220502-DW",
    "220503-DW",
    "220521-DW",
    "220523-DW",
    "220524-DW",
    "220581-DW",
    "220582-DW",
    "220500-GX-DGW",
    "220500-GW-DGW",
];

async fn office(app: &TestApp) -> Api {
    app.api_as(Role::Office, "220500-AWB").await
}

async fn issue(api: &Api, task: i64) -> Resp {
    api.post_raw(
        &format!("/api/v1/policy/tasks/{task}/assignments/issue"),
        "application/json",
        Vec::new(),
    )
    .await
}

/// The proposal of a task: its picks, after checking the answer is 200.
async fn proposal(office: &Api, task: i64) -> Vec<Value> {
    let p = office
        .get(&format!("/api/v1/policy/tasks/{task}/assignments/proposal"))
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    p.body["picks"].as_array().expect("picks").clone()
}

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().expect("items")
}

fn codes(body: &Value) -> BTreeSet<String> {
    items(body)
        .iter()
        .map(|a| a["org_code"].as_str().expect("org_code").to_string())
        .collect()
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

/// The assignment of `task` to `org`, as the office sees it.
async fn assignment(api: &Api, task: i64, org: &str) -> Value {
    let r = api
        .get(&format!("/api/v1/assignments?task={task}&org={org}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["total"], 1, "one assignment of task {task} to {org}");
    items(&r.body)[0].clone()
}

async fn id_of(api: &Api, task: i64, org: &str) -> i64 {
    assignment(api, task, org).await["id"].as_i64().expect("id")
}

async fn detail(api: &Api, id: i64) -> Value {
    let r = api.get(&format!("/api/v1/assignments/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

async fn ack(api: &Api, id: i64) -> Resp {
    api.post(&format!("/api/v1/assignments/{id}/acknowledge"), json!({}))
        .await
}

/// A report; a completion request carries one evidence file, as it must.
async fn report(api: &Api, id: i64, text: &str, completion: bool) -> Resp {
    if !completion {
        return api
            .post(
                &format!("/api/v1/assignments/{id}/reports"),
                json!({"text": text, "completion": false}),
            )
            .await;
    }
    let form = Form::new()
        .text("text", text.to_string())
        .text("completion", "true")
        .part(
            "files",
            Part::bytes(pdf("办结佐证")).file_name("办结佐证.pdf".to_string()),
        );
    let rb = api
        .client
        .post(format!("{}/api/v1/assignments/{id}/reports", api.base))
        .bearer_auth(&api.token)
        .multipart(form);
    api.send(rb).await
}

async fn review(api: &Api, id: i64, decision: &str, comment: &str) -> Resp {
    api.post(
        &format!("/api/v1/assignments/{id}/review"),
        json!({"decision": decision, "comment": comment}),
    )
    .await
}

async fn report_files(api: &Api, id: i64, text: &str, files: Vec<(&str, Vec<u8>)>) -> Resp {
    let mut form = Form::new().text("text", text.to_string());
    for (name, bytes) in files {
        form = form.part("files", Part::bytes(bytes).file_name(name.to_string()));
    }
    let rb = api
        .client
        .post(format!("{}/api/v1/assignments/{id}/reports", api.base))
        .bearer_auth(&api.token)
        .multipart(form);
    api.send(rb).await
}

fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% 整改佐证\n{body}\n%%EOF\n").into_bytes()
}

/// An app with task `task` issued by the office, and an account at the assignee 220502-DW
/// (created before issuing, so it is notified).
struct Issued {
    app: TestApp,
    office: Api,
    dw: Api,
    id: i64,
}

async fn issued(task: i64) -> Issued {
    issued_with(task, Opts::default()).await
}

async fn issued_with(task: i64, opts: Opts) -> Issued {
    let app = spawn_app_with(opts).await;
    let office = office(&app).await;
    let dw = app.api_as(Role::Territory, "220502-DW").await;
    let r = issue(&office, task).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = id_of(&office, task, "220502-DW").await;
    Issued {
        app,
        office,
        dw,
        id,
    }
}

fn today() -> NaiveDate {
    anwei::time::today()
}

fn days(n: i64) -> String {
    (today() + Duration::days(n)).to_string()
}

async fn set_due(app: &TestApp, id: i64, due: Option<&str>) {
    let v = due.map_or("NULL".to_string(), |d| format!("'{d}'"));
    app.exec(&format!(
        "UPDATE assignment SET due = {v}, watch_due = {v} WHERE id = {id}"
    ))
    .await;
}

// ---------------------------------------------------------------- proposing and issuing

#[tokio::test]
async fn task_seven_is_proposed_to_every_party_committee_including_the_zones_all_leading() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let p = office
        .get("/api/v1/policy/tasks/7/assignments/proposal")
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let picks = p.body["picks"].as_array().expect("picks");
    let proposed: BTreeSet<String> = picks
        .iter()
        .map(|k| k["org_code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(proposed, set(&TASK7_ORGS));
    assert_eq!(picks.len(), 10, "each organisation once");
    assert!(picks.iter().all(|k| k["role"] == "lead"), "{picks:?}");
    assert!(picks.iter().all(|k| k["issued"] == false));
    assert!(p.body["open"].as_array().unwrap().is_empty());

    let r = issue(&office, 7).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, json!({"created": 10, "existing": 0}));
    let l = office.get("/api/v1/assignments?task=7").await;
    assert_eq!(l.status, StatusCode::OK);
    assert_eq!(l.body["total"], 10);
    assert_eq!(codes(&l.body), set(&TASK7_ORGS));
    for a in items(&l.body) {
        assert!(a["id"].as_i64().is_some(), "{a}");
        assert_eq!(a["task_number"], 7);
        assert_eq!(a["role"], "lead");
        assert_eq!(a["status"], "issued");
        assert_eq!(a["due"], "2022-09-30");
        assert!(
            ["red", "yellow", "green", "grey"].contains(&a["light"].as_str().unwrap()),
            "{a}"
        );
    }
    // The proposal now says they were issued.
    let p = office
        .get("/api/v1/policy/tasks/7/assignments/proposal")
        .await;
    assert!(
        p.body["picks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["issued"] == true)
    );
}

#[tokio::test]
async fn task_eighteen_goes_to_every_supervising_department_of_the_city_the_counties_and_the_zones()
{
    let app = spawn_app().await;
    let office = office(&app).await;
    let r = issue(&office, 18).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let expected = app
        .scalar_i64(
            "SELECT COUNT(*) FROM org WHERE kind = 'department' AND supervises_safety = TRUE \
             AND level IN ('city', 'county') AND retired_at IS NULL",
        )
        .await;
    // 15 at the city, 15 in each of the 7 counties, the 安监局 and 建设局 of each zone.
    assert_eq!(expected, 15 + 7 * 15 + 2 * 2);
    assert_eq!(r.body["created"], expected);
    let l = office.get("/api/v1/assignments?task=18&per_page=500").await;
    assert_eq!(l.body["total"], expected);
    let got = codes(&l.body);
    assert_eq!(got.len() as i64, expected);
    for c in [
        "220500-YJ",
        "220500-ZJ",
        "220502-YJ",
        "220582-LY",
        "220500-GX-AJ",
        "220500-GX-JS",
        "220500-GW-AJ",
        "220500-GW-JS",
    ] {
        assert!(got.contains(c), "{c} supervises safety and is assigned");
    }
    for c in [
        "220500-XF",  // a fire-rescue body, not a department
        "220500-CZ",  // finance does not supervise safety
        "220502-XCB", // publicity neither
        "220500-AWB",
        "220500-DW",
    ] {
        assert!(!got.contains(c), "{c} is not a supervising department");
    }
    assert!(items(&l.body).iter().all(|a| a["role"] == "lead"));
    assert!(items(&l.body).iter().all(|a| a["due"] == "2022-12-31"));
}

#[tokio::test]
async fn task_five_goes_to_the_city_inspection_office_alone() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let r = issue(&office, 5).await;
    assert_eq!(r.body, json!({"created": 1, "existing": 0}));
    let l = office.get("/api/v1/assignments?task=5").await;
    assert_eq!(codes(&l.body), set(&["220500-XCHB"]));
    let a = &items(&l.body)[0];
    assert_eq!(a["role"], "lead");
    assert!(
        a["due"].is_null(),
        "按照市委年度巡察工作安排 has no fixed date"
    );
    // It recurs every year: reported once a year, never closed.
    assert_eq!(a["ongoing"], true, "{a}");
    let next_year_end =
        anwei_rules::supervision::next_period_end(anwei::time::today(), 12).to_string();
    assert_eq!(a["watch_due"], next_year_end.as_str(), "{a}");
    assert_eq!(a["light"], "green");
    let task = office.get("/api/v1/policy/tasks/5").await;
    assert_eq!(
        task.body["task"]["deadline"]["kind"], "yearly",
        "{}",
        task.body
    );
}

#[tokio::test]
async fn task_two_makes_party_committees_and_publicity_departments_each_responsible() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let r = issue(&office, 2).await;
    assert_eq!(r.status, StatusCode::OK);
    let support = office.get("/api/v1/assignments?task=2&role=support").await;
    assert!(
        codes(&support.body).is_empty(),
        "support is never inferred from the phrase's word order"
    );
    let lead = office.get("/api/v1/assignments?task=2&role=lead").await;
    let publicity = set(&[
        "220500-XCB",
        "220502-XCB",
        "220503-XCB",
        "220521-XCB",
        "220523-XCB",
        "220524-XCB",
        "220581-XCB",
        "220582-XCB",
    ]);
    let mut responsible = set(&TASK7_ORGS);
    responsible.extend(publicity);
    assert_eq!(codes(&lead.body), responsible);
    assert_eq!(r.body["created"], 18);
}

#[tokio::test]
async fn issuing_twice_does_not_duplicate_assignments_events_or_notifications() {
    let app = spawn_app().await;
    let office = office(&app).await;
    app.api_as(Role::Territory, "220502-DW").await;
    assert_eq!(issue(&office, 7).await.body["created"], 10);
    let r = issue(&office, 7).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, json!({"created": 0, "existing": 10}));
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM assignment WHERE task_number = 7")
            .await,
        10
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM assignment_event WHERE kind = 'issued'")
            .await,
        10
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM notification").await,
        1,
        "the one account of 220502-DW was notified once"
    );
    assert_eq!(app.audit_count("assignment.issue", "ok").await, 2);
}

#[tokio::test]
async fn issuing_chosen_organisations_issues_only_those_with_their_role() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let r = office
        .post(
            "/api/v1/policy/tasks/7/assignments/issue",
            json!({"orgs": [{"org_code": "220502-YJ", "role": "support"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, json!({"created": 1, "existing": 0}));
    let l = office.get("/api/v1/assignments?task=7").await;
    assert_eq!(codes(&l.body), set(&["220502-YJ"]));
    assert_eq!(items(&l.body)[0]["role"], "support");
    // The proposal is added beside it; 220502-YJ stays as it was.
    assert_eq!(issue(&office, 7).await.body["created"], 10);
    let a = assignment(&office, 7, "220502-YJ").await;
    assert_eq!(a["role"], "support");
}

#[tokio::test]
async fn an_unknown_org_code_or_role_is_422_naming_the_entry_and_nothing_is_saved() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let r = office
        .post(
            "/api/v1/policy/tasks/7/assignments/issue",
            json!({"orgs": [
                {"org_code": "999999-XX", "role": "lead"},
                {"org_code": "220502-DW", "role": "boss"},
                {"org_code": "220503-DW", "role": "lead"},
            ]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields = r.body["fields"].as_object().expect("fields");
    assert!(
        fields.contains_key("orgs[0].org_code"),
        "the unknown code is named: {fields:?}"
    );
    assert!(
        fields.contains_key("orgs[1].role"),
        "the bad role is named: {fields:?}"
    );
    assert!(!fields.keys().any(|k| k.starts_with("orgs[2]")));
    assert!(
        fields["orgs[0].org_code"]
            .as_str()
            .unwrap()
            .contains("单位代码")
    );
    let r = office
        .post(
            "/api/v1/policy/tasks/7/assignments/issue",
            json!({"orgs": [{"org_code": "220502-DW", "role": "chief"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["orgs[0].role"].is_string(), "{}", r.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM assignment").await,
        0,
        "nothing is half issued"
    );
    assert_eq!(app.audit_count("assignment.issue", "ok").await, 0);
    // An unknown task is 404.
    assert_eq!(issue(&office, 67).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_the_office_may_propose_or_issue_and_each_refusal_is_audited() {
    let app = spawn_app().await;
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    let terr = app.api_as(Role::Territory, "220502-AWB").await;
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    for u in [&dept, &terr, &leader] {
        let r = issue(u, 7).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", u.username);
        assert_eq!(r.body["error"], "forbidden");
        let r = u
            .post(
                "/api/v1/policy/tasks/7/assignments/issue",
                json!({"orgs": [{"org_code": "220502-YJ", "role": "lead"}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let p = u.get("/api/v1/policy/tasks/7/assignments/proposal").await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.audit_count("assignment.issue", "denied").await, 6);
    assert_eq!(app.audit_count("assignment.propose", "denied").await, 3);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM assignment").await, 0);
    // Anonymous callers are not let in at all.
    assert_eq!(issue(&app.anon(), 7).await.status, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------- the list

#[tokio::test]
async fn the_list_filters_by_task_org_status_and_light_and_refuses_unknown_values() {
    let app = spawn_app().await;
    let office = office(&app).await;
    issue(&office, 7).await;
    issue(&office, 5).await;
    let all = office.get("/api/v1/assignments").await;
    assert_eq!(all.body["total"], 11);
    let one = office.get("/api/v1/assignments?org=220503-DW").await;
    assert_eq!(codes(&one.body), set(&["220503-DW"]));
    let five = office.get("/api/v1/assignments?task=5").await;
    assert_eq!(five.body["total"], 1);
    let issued = office.get("/api/v1/assignments?status=issued").await;
    assert_eq!(issued.body["total"], 11);
    let closed = office.get("/api/v1/assignments?status=closed").await;
    assert_eq!(closed.body["total"], 0);
    assert!(items(&closed.body).is_empty());
    // The built-in due dates lie in 2022: task 7 is red by the server's clock; task 5 has none.
    let red = office.get("/api/v1/assignments?light=red").await;
    assert_eq!(codes(&red.body), set(&TASK7_ORGS));
    assert_eq!(all.body["counts"], json!({"red": 10, "green": 1}));

    for (q, field) in [
        ("light=purple", "light"),
        ("status=done", "status"),
        ("light=RED", "light"),
    ] {
        let r = office.get(&format!("/api/v1/assignments?{q}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.body["fields"][field].is_string(), "{q}: {}", r.body);
    }
}

#[tokio::test]
async fn a_territory_user_sees_only_the_assignments_of_their_own_county() {
    let app = spawn_app().await;
    let office = office(&app).await;
    issue(&office, 18).await;
    issue(&office, 7).await;
    let t = app.api_as(Role::Territory, "220502-AWB").await;
    let r = t.get("/api/v1/assignments?per_page=500").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["total"], 16,
        "15 departments and the party committee"
    );
    assert!(
        codes(&r.body).iter().all(|c| c.starts_with("220502-")),
        "{:?}",
        codes(&r.body)
    );
    let sum: i64 = r.body["counts"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(sum, 16, "the light counts cover the same scope");
    // Another county's or the city's assignment does not exist for them.
    let other = id_of(&office, 7, "220503-DW").await;
    let city = id_of(&office, 7, "220500-DW").await;
    for id in [other, city] {
        let r = t.get(&format!("/api/v1/assignments/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(app.audit_count("assignment.read", "denied").await, 2);
    let r = t.get("/api/v1/assignments?org=220503-DW").await;
    assert_eq!(r.body["total"], 0);
    // The timeline is scoped the same way.
    let tl = t.get("/api/v1/policy/tasks/7/timeline").await;
    assert_eq!(tl.status, StatusCode::OK);
    let orgs: BTreeSet<&str> = tl.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["org_code"].as_str().unwrap())
        .collect();
    assert_eq!(orgs, BTreeSet::from(["220502-DW"]));
    // An auditor sees no assignments and the refusal is recorded.
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    assert_eq!(
        auditor.get("/api/v1/assignments").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.audit_count("assignment.list", "denied").await, 1);
}

// ---------------------------------------------------------------- acknowledging

#[tokio::test]
async fn the_assignee_acknowledges_once_and_a_second_time_is_refused_with_a_clear_message() {
    let s = issued(7).await;
    let r = ack(&s.dw, s.id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "acknowledged");
    assert!(r.body["assignment"]["acknowledged_at"].as_i64().is_some());
    let r = ack(&s.dw, s.id).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"], "conflict");
    assert!(
        r.body["message"].as_str().unwrap().contains("不能重复签收"),
        "{}",
        r.body
    );
    assert_eq!(app_status(&s, s.id).await, "acknowledged");
    assert_eq!(
        s.app.audit_count("assignment.acknowledge", "ok").await,
        1,
        "one record per acknowledgement that happened"
    );
    assert_eq!(
        s.app
            .scalar_i64("SELECT COUNT(*) FROM assignment_event WHERE kind = 'acknowledged'")
            .await,
        1
    );
}

async fn app_status(s: &Issued, id: i64) -> String {
    detail(&s.office, id).await["assignment"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn only_the_assignee_organisation_acknowledges_others_in_scope_get_403_and_outside_404() {
    let s = issued(7).await;
    let county_office = s.app.api_as(Role::Territory, "220502-AWB").await;
    let county_dept = s.app.api_as(Role::Department, "220502-YJ").await;
    for u in [&county_office, &county_dept, &s.office] {
        let r = ack(u, s.id).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", u.username);
        assert!(
            r.body["message"]
                .as_str()
                .unwrap()
                .starts_with("只有承办单位"),
            "{}",
            r.body
        );
    }
    let other_county = s.app.api_as(Role::Territory, "220503-DW").await;
    let r = ack(&other_county, s.id).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.app.audit_count("assignment.acknowledge", "denied").await,
        4
    );
    assert_eq!(app_status(&s, s.id).await, "issued");
    // A department account works for a department's assignment.
    let yj = s.app.api_as(Role::Department, "220500-YJ").await;
    issue(&s.office, 18).await;
    let id = id_of(&s.office, 18, "220500-YJ").await;
    assert_eq!(ack(&yj, id).await.status, StatusCode::OK);
}

// ---------------------------------------------------------------- reporting

#[tokio::test]
async fn a_report_needs_acknowledgement_first_and_text() {
    let s = issued(6).await;
    let r = report(&s.dw, s.id, "已召开常委会专题研究。", false).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body["message"].as_str().unwrap().contains("请先签收"),
        "{}",
        r.body
    );
    ack(&s.dw, s.id).await;
    let r = report(&s.dw, s.id, "   ", false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["text"].is_string(), "{}", r.body);
    assert_eq!(
        s.app
            .scalar_i64("SELECT COUNT(*) FROM submission WHERE subject_kind = 'assignment'")
            .await,
        0
    );
    let r = report(&s.dw, s.id, "已召开常委会专题研究。", false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body["report_id"].as_i64().is_some());
    assert_eq!(r.body["assignment"]["status"], "reported");
    // A second report while the first waits for review is refused.
    let r = report(&s.dw, s.id, "补充材料", false).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Another organisation may not report for the assignee.
    let county_office = s.app.api_as(Role::Territory, "220502-AWB").await;
    let r = report(&county_office, s.id, "代为报送", false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .starts_with("只有承办单位"),
        "{}",
        r.body
    );
    assert_eq!(s.app.audit_count("assignment.report", "ok").await, 1);
    assert_eq!(s.app.audit_count("assignment.report", "denied").await, 1);
    let d = detail(&s.office, s.id).await;
    let reports = d["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["text"], "已召开常委会专题研究。");
    assert_eq!(reports[0]["kind"], "progress");
    assert!(reports[0]["decision"].is_null());
    assert_eq!(
        reports[0]["submitted_by_name"],
        format!("测试 {}", s.dw.username)
    );
}

#[tokio::test]
async fn a_pdf_is_stored_by_its_hash_and_downloadable_by_those_who_see_the_assignment() {
    let s = issued(6).await;
    ack(&s.dw, s.id).await;
    let bytes = pdf("东昌区委常委会会议纪要");
    let r = report_files(
        &s.dw,
        s.id,
        "会议纪要见附件。",
        vec![("会议纪要.pdf", bytes.clone())],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = detail(&s.office, s.id).await;
    let files = d["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{d}");
    assert_eq!(files[0]["filename"], "会议纪要.pdf");
    assert_eq!(files[0]["mime"], "application/pdf");
    assert_eq!(files[0]["size"], bytes.len() as i64);
    assert_eq!(files[0]["report_id"], r.body["report_id"]);
    let fid = files[0]["id"].as_i64().unwrap();

    // Stored outside the database under its SHA-256.
    let sha = s
        .app
        .scalar_text(&format!("SELECT sha256 FROM attachment WHERE id = {fid}"))
        .await
        .expect("a hash");
    use sha2::Digest;
    assert_eq!(sha, hex::encode(sha2::Sha256::digest(&bytes)));
    let path = s.app.data_dir().join("files").join(&sha[..2]).join(&sha);
    assert_eq!(std::fs::read(&path).expect("the stored file"), bytes);

    for who in [&s.office, &s.dw] {
        let res = who
            .client
            .get(format!("{}/api/v1/attachments/{fid}", who.base))
            .bearer_auth(&who.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cd = res
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(cd.starts_with("attachment;"), "{cd}");
        assert!(cd.contains(".pdf"), "{cd}");
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/pdf"
        );
        assert_eq!(res.bytes().await.unwrap().to_vec(), bytes);
    }
    // An account of another county does not see the assignment, nor its evidence.
    let other = s.app.api_as(Role::Territory, "220503-AWB").await;
    let r = other.get(&format!("/api/v1/attachments/{fid}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(s.app.audit_count("attachment.read", "denied").await, 1);
    assert_eq!(
        s.app
            .anon()
            .get(&format!("/api/v1/attachments/{fid}"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.office.get("/api/v1/attachments/999999").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_executable_named_report_pdf_is_refused_by_its_content_and_nothing_is_saved() {
    let s = issued(6).await;
    ack(&s.dw, s.id).await;
    let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    elf.extend_from_slice(&[0u8; 200]);
    let r = report_files(
        &s.dw,
        s.id,
        "见附件",
        vec![("ok.pdf", pdf("fine")), ("report.pdf", elf)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let msg = r.body["fields"]["files"].as_str().expect("files error");
    assert!(msg.contains("report.pdf"), "the file is named: {msg}");
    assert_eq!(
        s.app
            .scalar_i64("SELECT COUNT(*) FROM submission WHERE subject_kind = 'assignment'")
            .await,
        0
    );
    assert_eq!(s.app.scalar_i64("SELECT COUNT(*) FROM attachment").await, 0);
    assert!(
        !s.app.data_dir().join("files").exists(),
        "no file is written when the report is refused"
    );
    assert_eq!(app_status(&s, s.id).await, "acknowledged");
}

#[tokio::test]
async fn a_file_over_the_configured_size_is_refused() {
    let s = issued_with(
        6,
        Opts {
            tweak: Box::new(|c| c.uploads.max_file_bytes = 2048),
        },
    )
    .await;
    ack(&s.dw, s.id).await;
    let big = pdf(&"x".repeat(5000));
    let r = report_files(&s.dw, s.id, "大文件", vec![("big.pdf", big)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let msg = r.body["fields"]["files"].as_str().expect("files error");
    assert!(msg.contains("big.pdf"), "{msg}");
    assert_eq!(s.app.scalar_i64("SELECT COUNT(*) FROM attachment").await, 0);
    // A file within the limit passes.
    let r = report_files(&s.dw, s.id, "小文件", vec![("small.pdf", pdf("ok"))]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

// ---------------------------------------------------------------- reviewing

#[tokio::test]
async fn only_the_office_reviews_and_a_return_needs_a_comment() {
    let s = issued(6).await;
    ack(&s.dw, s.id).await;
    report(&s.dw, s.id, "已完成。", true).await;
    let dept = s.app.api_as(Role::Department, "220502-YJ").await;
    let r = review(&dept, s.id, "accept", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .starts_with("只有安委办"),
        "{}",
        r.body
    );
    let r = review(&s.dw, s.id, "accept", "").await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the assignee cannot accept itself"
    );
    let other = s.app.api_as(Role::Department, "220503-YJ").await;
    assert_eq!(
        review(&other, s.id, "accept", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(s.app.audit_count("assignment.review", "denied").await, 3);

    let r = review(&s.office, s.id, "return", "  ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["comment"].is_string(), "{}", r.body);
    let r = review(&s.office, s.id, "approve", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["decision"].is_string(), "{}", r.body);
    assert_eq!(app_status(&s, s.id).await, "completion_requested");
    assert_eq!(s.app.audit_count("assignment.review", "ok").await, 0);
}

#[tokio::test]
async fn a_return_turns_the_light_yellow_notifies_the_assignee_and_a_new_report_waits_again() {
    let s = issued(6).await;
    set_due(&s.app, s.id, Some(&days(30))).await;
    ack(&s.dw, s.id).await;
    report(&s.dw, s.id, "初步完成。", false).await;
    assert_eq!(
        assignment(&s.office, 6, "220502-DW").await["light"],
        "green"
    );
    let r = review(&s.office, s.id, "return", "请补充会议纪要。").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "returned");
    assert_eq!(r.body["assignment"]["light"], "yellow");
    let a = assignment(&s.office, 6, "220502-DW").await;
    assert_eq!(
        (a["status"].as_str(), a["light"].as_str()),
        (Some("returned"), Some("yellow"))
    );

    let n = s.dw.get("/api/v1/notifications").await;
    let titles: Vec<&str> = items(&n.body)
        .iter()
        .map(|x| x["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"报送被退回"), "{titles:?}");
    assert!(
        items(&n.body)
            .iter()
            .all(|x| x["link"] == format!("/supervision/assignments/{}", s.id))
    );

    let r = report(&s.dw, s.id, "已补充会议纪要。", false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "reported");
    assert_eq!(
        r.body["assignment"]["light"], "green",
        "re-reported: no longer yellow"
    );
    let d = detail(&s.office, s.id).await;
    let reports = d["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    // Newest first: the new report waits, the first one was returned with its reason.
    assert!(reports[0]["decision"].is_null());
    assert_eq!(reports[1]["decision"], "returned");
    assert_eq!(reports[1]["review_comment"], "请补充会议纪要。");
    assert_eq!(
        reports[1]["reviewed_by_name"],
        format!("测试 {}", s.office.username)
    );
    assert!(reports[1]["reviewed_at"].as_i64().is_some());
    assert_eq!(d["can_review"], true);
}

#[tokio::test]
async fn a_returned_assignment_past_its_due_date_is_red_not_yellow() {
    let s = issued(6).await;
    ack(&s.dw, s.id).await;
    report(&s.dw, s.id, "进展。", false).await;
    let r = review(&s.office, s.id, "return", "不完整").await;
    assert_eq!(r.body["assignment"]["status"], "returned");
    assert_eq!(
        r.body["assignment"]["light"], "red",
        "due 2022-09-30 is long past"
    );
}

#[tokio::test]
async fn accepting_a_completion_request_closes_the_assignment_grey_and_nothing_more_is_taken() {
    let s = issued(6).await;
    ack(&s.dw, s.id).await;
    let r = report(&s.dw, s.id, "已全部完成，申请销号。", true).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "completion_requested");
    let r = review(&s.office, s.id, "accept", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "closed");
    assert_eq!(r.body["assignment"]["light"], "grey");
    assert!(r.body["assignment"]["closed_at"].as_i64().is_some());
    let a = assignment(&s.office, 6, "220502-DW").await;
    assert_eq!(a["light"], "grey");
    let grey = s.office.get("/api/v1/assignments?task=6&light=grey").await;
    assert_eq!(codes(&grey.body), set(&["220502-DW"]));

    let r = report(&s.dw, s.id, "再报一次", false).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body["message"].as_str().unwrap().contains("已销号"),
        "{}",
        r.body
    );
    let r = review(&s.office, s.id, "accept", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(ack(&s.dw, s.id).await.status, StatusCode::CONFLICT);
    assert_eq!(
        detail(&s.dw, s.id).await["can_act"],
        false,
        "nothing left to do on a closed assignment"
    );
}

#[tokio::test]
async fn a_review_with_nothing_pending_is_409() {
    let s = issued(6).await;
    let r = review(&s.office, s.id, "accept", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body["message"].as_str().unwrap().contains("没有待审核"),
        "{}",
        r.body
    );
    ack(&s.dw, s.id).await;
    assert_eq!(
        review(&s.office, s.id, "return", "无").await.status,
        StatusCode::CONFLICT
    );
    report(&s.dw, s.id, "进展", false).await;
    assert_eq!(
        review(&s.office, s.id, "accept", "").await.status,
        StatusCode::OK
    );
    assert_eq!(app_status(&s, s.id).await, "acknowledged");
    let r = review(&s.office, s.id, "accept", "").await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the report was already reviewed"
    );
    assert_eq!(s.app.audit_count("assignment.review", "ok").await, 1);
}

#[tokio::test]
async fn an_ongoing_task_cannot_ask_to_close_and_accepting_its_progress_sets_the_next_quarter_end()
{
    let s = issued(1).await;
    let a = assignment(&s.office, 1, "220502-DW").await;
    assert_eq!(a["due"], "2022-09-30");
    let d = detail(&s.office, s.id).await;
    assert_eq!(d["assignment"]["ongoing"], true);
    ack(&s.dw, s.id).await;
    let r = report(&s.dw, s.id, "申请销号", true).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body["message"].as_str().unwrap().contains("长期坚持"),
        "{}",
        r.body
    );
    let r = report(&s.dw, s.id, "本季度已集中学习1次。", false).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = review(&s.office, s.id, "accept", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let next = supervision::next_period_end(today(), 3).to_string();
    assert_eq!(r.body["assignment"]["status"], "acknowledged");
    assert_eq!(r.body["assignment"]["watch_due"], next);
    assert_eq!(
        r.body["assignment"]["due"], "2022-09-30",
        "the task's date stays"
    );
    // The next report date lies more than the lead time ahead: green again.
    assert_eq!(r.body["assignment"]["light"], "green");
    assert_eq!(
        assignment(&s.office, 1, "220502-DW").await["watch_due"],
        next
    );
    // The report came after its date (2022-09-30): green now, but that period stays late in
    // the ranking.
    let r = s.office.get("/api/v1/assignments/ranking?task=1").await;
    let row = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|x| x["org_code"] == "220502-DW")
        .expect("ranked")
        .clone();
    assert_eq!(row["reports_late"], 1, "{row}");
    assert_eq!(row["reports_on_time"], 0, "{row}");
    assert_eq!(row["on_time_rate"], 0.0, "{row}");
}

// ---------------------------------------------------------------- lights

#[tokio::test]
async fn the_api_light_and_the_light_filter_agree_with_the_rule() {
    let app = spawn_app().await;
    let office = office(&app).await;
    issue(&office, 6).await;
    // (org, status, due relative to today)
    let cases: [(&str, &str, Option<i64>); 10] = [
        ("220500-DW", "acknowledged", Some(10)),
        ("220502-DW", "acknowledged", Some(4)),
        ("220503-DW", "acknowledged", Some(3)),
        ("220521-DW", "reported", Some(2)),
        ("220523-DW", "issued", Some(0)),
        ("220524-DW", "acknowledged", Some(-1)),
        ("220581-DW", "returned", Some(20)),
        ("220582-DW", "returned", Some(-3)),
        ("220500-GX-DGW", "closed", Some(-5)),
        ("220500-GW-DGW", "acknowledged", None),
    ];
    let mut expected_red = BTreeSet::new();
    for (org, status, rel) in cases {
        let id = id_of(&office, 6, org).await;
        let due = rel.map(days);
        set_due(&app, id, due.as_deref()).await;
        app.exec(&format!(
            "UPDATE assignment SET status = '{status}' WHERE id = {id}"
        ))
        .await;
        let want = supervision::light(
            Status::parse(status).unwrap(),
            rel.map(|n| today() + Duration::days(n)),
            today(),
            3,
        );
        if want == Light::Red {
            expected_red.insert(org.to_string());
        }
        let a = assignment(&office, 6, org).await;
        assert_eq!(a["light"], want.code(), "{org} {status} {due:?}");
        assert_eq!(a["due"], due.map_or(Value::Null, Value::from));
        // The SQL filter puts it in the same light.
        let f = office
            .get(&format!(
                "/api/v1/assignments?task=6&org={org}&light={}",
                want.code()
            ))
            .await;
        assert_eq!(
            f.body["total"],
            1,
            "{org}: SQL light agrees with {}",
            want.code()
        );
    }
    assert_eq!(expected_red.len(), 2, "the cases include two reds");
    let red = office.get("/api/v1/assignments?task=6&light=red").await;
    assert_eq!(codes(&red.body), expected_red);
    let l = office.get("/api/v1/assignments?task=6").await;
    assert_eq!(
        l.body["counts"],
        json!({"red": 2, "yellow": 4, "green": 3, "grey": 1})
    );
    for light in ["yellow", "green", "grey"] {
        let f = office
            .get(&format!("/api/v1/assignments?task=6&light={light}"))
            .await;
        assert_eq!(f.body["total"], l.body["counts"][light]);
        assert!(items(&f.body).iter().all(|a| a["light"] == light));
    }
}

#[tokio::test]
async fn the_lead_time_is_configurable() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.supervision.lead_days = 7),
    })
    .await;
    let office = office(&app).await;
    issue(&office, 5).await;
    let id = id_of(&office, 5, "220500-XCHB").await;
    set_due(&app, id, Some(&days(6))).await;
    assert_eq!(
        assignment(&office, 5, "220500-XCHB").await["light"],
        "yellow"
    );
    let f = office.get("/api/v1/assignments?light=yellow").await;
    assert_eq!(f.body["total"], 1);
    set_due(&app, id, Some(&days(8))).await;
    assert_eq!(
        assignment(&office, 5, "220500-XCHB").await["light"],
        "green"
    );
}

// ---------------------------------------------------------------- timeline

#[tokio::test]
async fn the_timeline_shows_what_happened_across_organisations_newest_first() {
    let s = issued(6).await;
    let erdao = s.app.api_as(Role::Territory, "220503-DW").await;
    let id2 = id_of(&s.office, 6, "220503-DW").await;
    ack(&s.dw, s.id).await;
    ack(&erdao, id2).await;
    report(&s.dw, s.id, "东昌区进展", false).await;
    review(&s.office, s.id, "return", "请补充").await;
    report(&erdao, id2, "二道江区完成", true).await;
    review(&s.office, id2, "accept", "").await;

    let tl = s.office.get("/api/v1/policy/tasks/6/timeline").await;
    assert_eq!(tl.status, StatusCode::OK, "{}", tl.body);
    let events = tl.body["events"].as_array().unwrap();
    let kinds: BTreeSet<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for k in [
        "issued",
        "acknowledged",
        "reported",
        "returned",
        "completion_requested",
        "accepted",
        "closed",
    ] {
        assert!(kinds.contains(k), "{k} in {kinds:?}");
    }
    assert_eq!(events.len(), 10 + 2 + 1 + 1 + 1 + 1 + 1);
    let ats: Vec<i64> = events.iter().map(|e| e["at"].as_i64().unwrap()).collect();
    assert!(
        ats.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {ats:?}"
    );
    assert_eq!(events[0]["kind"], "closed");
    assert_eq!(events[0]["org_code"], "220503-DW");
    assert_eq!(events[1]["kind"], "accepted");
    let returned = events.iter().find(|e| e["kind"] == "returned").unwrap();
    assert_eq!(returned["org_code"], "220502-DW");
    assert_eq!(returned["comment"], "请补充");
    assert_eq!(
        returned["actor_name"],
        format!("测试 {}", s.office.username)
    );
    let statuses: BTreeSet<(String, String)> = tl.body["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["org_code"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, st)| st != "issued")
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from([
            ("220502-DW".to_string(), "returned".to_string()),
            ("220503-DW".to_string(), "closed".to_string()),
        ])
    );
    // The assignment's own history and its reports with decisions and reviewer.
    let d = detail(&s.office, id2).await;
    let ev: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        ev,
        [
            "closed",
            "accepted",
            "completion_requested",
            "acknowledged",
            "issued"
        ]
    );
    let reports = d["reports"].as_array().unwrap();
    assert_eq!(reports[0]["kind"], "completion");
    assert_eq!(reports[0]["decision"], "accepted");
    assert_eq!(
        reports[0]["reviewed_by_name"],
        format!("测试 {}", s.office.username)
    );
}

// ---------------------------------------------------------------- notifications and audit

#[tokio::test]
async fn issuing_notifies_the_assignee_accounts_and_no_one_else() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let dw1 = app.api_as(Role::Territory, "220502-DW").await;
    let dw2 = app.api_as(Role::Territory, "220502-DW").await;
    let awb = app.api_as(Role::Territory, "220502-AWB").await;
    issue(&office, 7).await;
    let id = id_of(&office, 7, "220502-DW").await;
    for u in [&dw1, &dw2] {
        let n = u.get("/api/v1/notifications").await;
        assert_eq!(n.status, StatusCode::OK);
        assert_eq!(items(&n.body).len(), 1, "{}", n.body);
        assert_eq!(items(&n.body)[0]["title"], "新的督办任务");
        assert_eq!(
            items(&n.body)[0]["link"],
            format!("/supervision/assignments/{id}")
        );
        assert_eq!(n.body["unread"], 1);
    }
    let n = awb.get("/api/v1/notifications").await;
    assert!(
        items(&n.body).is_empty(),
        "the county office is not the assignee"
    );
    let n = office.get("/api/v1/notifications").await;
    assert!(items(&n.body).is_empty());
}

#[tokio::test]
async fn every_step_leaves_one_audit_record_and_refusals_are_recorded_too() {
    let s = issued(6).await;
    assert_eq!(s.app.audit_count("assignment.issue", "ok").await, 1);
    ack(&s.dw, s.id).await;
    report(&s.dw, s.id, "进展", false).await;
    review(&s.office, s.id, "return", "补充").await;
    report(&s.dw, s.id, "完成", true).await;
    review(&s.office, s.id, "accept", "").await;
    assert_eq!(s.app.audit_count("assignment.acknowledge", "ok").await, 1);
    assert_eq!(s.app.audit_count("assignment.report", "ok").await, 2);
    assert_eq!(s.app.audit_count("assignment.review", "ok").await, 2);
    // Rule refusals (409) change nothing and leave no success record.
    assert_eq!(
        report(&s.dw, s.id, "再报", false).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(s.app.audit_count("assignment.report", "ok").await, 2);
    // Refusals of the wrong actor are recorded.
    let stranger = s.app.api_as(Role::Territory, "220502-ZF").await;
    assert_eq!(ack(&stranger, s.id).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        report(&stranger, s.id, "x", false).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        review(&stranger, s.id, "accept", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.app.audit_count("assignment.acknowledge", "denied").await,
        1
    );
    assert_eq!(s.app.audit_count("assignment.report", "denied").await, 1);
    assert_eq!(s.app.audit_count("assignment.review", "denied").await, 1);
    let target = s
        .app
        .scalar_text("SELECT target_id FROM audit_log WHERE action = 'assignment.review' AND outcome = 'ok' ORDER BY seq DESC LIMIT 1")
        .await;
    assert_eq!(target, Some(s.id.to_string()));
}

// ---------------------------------------------------------------- pages

async fn web_as(app: &TestApp, role: Role, org: &str) -> Web {
    let name = format!(
        "w{}_{}",
        role.code(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    app.create_user(&name, role, org).await;
    app.browser_as(&name).await
}

/// The number in the light tile `count-<light>`.
fn tile(body: &str, light: &str) -> i64 {
    let at = body
        .find(&format!("id=\"count-{light}\""))
        .unwrap_or_else(|| panic!("tile {light} on the page"));
    let rest = &body[at..];
    let v = rest.find("tile-value\">").expect("tile value") + "tile-value\">".len();
    rest[v..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn the_ledger_page_shows_counts_per_light_and_keeps_the_filters() {
    let app = spawn_app().await;
    let office = office(&app).await;
    issue(&office, 7).await;
    issue(&office, 5).await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let p = w.get("/supervision").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(tile(&p.body, "red"), 10);
    assert_eq!(tile(&p.body, "green"), 1);
    assert_eq!(tile(&p.body, "yellow"), 0);
    assert_eq!(tile(&p.body, "grey"), 0);
    assert_eq!(p.body.matches("class=\"assignment-link\"").count(), 11);
    assert!(p.body.contains("中共通化市委巡察工作办公室"));

    let p = w.get("/supervision?task=5&light=green").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.body.matches("class=\"assignment-link\"").count(), 1);
    assert!(
        p.body
            .contains("id=\"task\" name=\"task\" inputmode=\"numeric\" size=\"4\" value=\"5\"")
    );
    assert!(p.body.contains("<option value=\"green\" selected>"));
    // The tiles keep the other filters and switch the light.
    assert!(
        p.body
            .contains("href=\"/supervision?task=5&#38;light=red\""),
        "tile links keep task=5 and switch the light"
    );
    assert_eq!(tile(&p.body, "red"), 0, "counts follow the task filter");
    assert_eq!(tile(&p.body, "green"), 1);

    let p = w.get("/supervision?light=purple").await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The inbox of a county party committee shows its own assignment only.
    let dw = web_as(&app, Role::Territory, "220502-DW").await;
    let p = dw.get("/supervision/inbox").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.body.matches("class=\"assignment-link\"").count(), 1);
    assert!(p.body.contains("中共东昌区委员会"));
}

#[tokio::test]
async fn the_task_page_shows_the_proposal_with_checkboxes_to_the_office_only() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let p = w.get("/supervision/tasks/7").await;
    assert_eq!(p.status, StatusCode::OK);
    for c in TASK7_ORGS {
        assert!(
            p.body
                .contains(&format!("name=\"org\" value=\"{c}:lead\" checked")),
            "{c} is proposed and ticked"
        );
    }
    assert!(p.body.contains("id=\"issue-submit\""));

    let dept = web_as(&app, Role::Department, "220500-YJ").await;
    let p = dept.get("/supervision/tasks/7").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.body.contains("name=\"org\""));
    assert!(!p.body.contains("id=\"issue-submit\""));

    // Issuing through the form: untick all but two, add a code by hand (responsible, like
    // every unit named) and one the office chooses to give a supporting role.
    let r = w
        .post_form(
            "/supervision/tasks/7/issue",
            &[
                ("org", "220502-DW:lead"),
                ("org", "220503-DW:lead"),
                ("extra", "220502-YJ"),
                ("org", "220503-YJ:support"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/supervision/tasks/7?issued=4"));
    let office = office(&app).await;
    let l = office.get("/api/v1/assignments?task=7").await;
    assert_eq!(
        codes(&l.body),
        set(&["220502-DW", "220503-DW", "220502-YJ", "220503-YJ"])
    );
    assert_eq!(assignment(&office, 7, "220502-YJ").await["role"], "lead");
    assert_eq!(assignment(&office, 7, "220503-YJ").await["role"], "support");
    let p = w.get("/supervision/tasks/7").await;
    assert!(
        p.body
            .contains("name=\"org\" value=\"220502-DW:lead\" disabled"),
        "issued ones are no longer ticked"
    );
    assert!(
        p.body
            .contains("name=\"org\" value=\"220521-DW:lead\" checked")
    );

    // An unknown extra code re-renders the form with the error and saves nothing.
    let r = w
        .post_form("/supervision/tasks/7/issue", &[("extra", "NOPE-1")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未找到该单位代码"));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM assignment").await, 4);
    // A department cannot issue through the form either.
    let r = dept
        .post_form("/supervision/tasks/7/issue", &[("org", "220521-DW:lead")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_assignment_page_shows_each_control_only_to_the_right_people() {
    let s = issued(6).await;
    let office_w = web_as(&s.app, Role::Office, "220500-AWB").await;
    let dw_name = format!("wdw_{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    s.app
        .create_user(&dw_name, Role::Territory, "220502-DW")
        .await;
    let dw_w = s.app.browser_as(&dw_name).await;
    let county_w = web_as(&s.app, Role::Territory, "220502-AWB").await;
    let other_w = web_as(&s.app, Role::Territory, "220503-AWB").await;
    let path = format!("/supervision/assignments/{}", s.id);

    let p = dw_w.get(&path).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("id=\"acknowledge\""));
    assert!(!p.body.contains("id=\"report-submit\""));
    assert!(!p.body.contains("id=\"review\""));
    for w in [&office_w, &county_w] {
        let p = w.get(&path).await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(!p.body.contains("id=\"acknowledge\""));
        assert!(!p.body.contains("id=\"report-submit\""));
        assert!(!p.body.contains("id=\"accept\""));
    }
    assert_eq!(other_w.get(&path).await.status, StatusCode::NOT_FOUND);

    let r = dw_w.post_form(&format!("{path}/acknowledge"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = dw_w.get(&path).await;
    assert!(!p.body.contains("id=\"acknowledge\""));
    assert!(p.body.contains("id=\"report-submit\""));
    assert!(
        p.body.contains("id=\"completion\""),
        "a one-off task may ask to close"
    );
    assert!(p.body.contains("id=\"assignment-status\">办理中<"));

    report(&s.dw, s.id, "已完成", false).await;
    let p = dw_w.get(&path).await;
    assert!(
        !p.body.contains("id=\"report-submit\""),
        "waiting for review"
    );
    assert!(!p.body.contains("id=\"accept\""));
    let p = office_w.get(&path).await;
    assert!(p.body.contains("id=\"accept\""));
    assert!(p.body.contains("id=\"return\""));
    assert!(p.body.contains("id=\"comment\""));
    let p = county_w.get(&path).await;
    assert!(!p.body.contains("id=\"accept\""));

    // A return without a reason re-renders with the field error.
    let r = office_w
        .post_form(
            &format!("{path}/review"),
            &[("decision", "return"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"comment-err\""));
    let r = office_w
        .post_form(
            &format!("{path}/review"),
            &[("decision", "return"), ("comment", "请补充")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = dw_w.get(&path).await;
    assert!(p.body.contains("id=\"report-submit\""));
    assert!(p.body.contains("请补充"));
    assert!(p.body.contains("class=\"light yellow\"") || p.body.contains("class=\"light red\""));

    // An ongoing task offers no completion box.
    issue(&s.office, 1).await;
    let id1 = id_of(&s.office, 1, "220502-DW").await;
    ack(&s.dw, id1).await;
    let p = dw_w.get(&format!("/supervision/assignments/{id1}")).await;
    assert!(p.body.contains("id=\"report-submit\""));
    assert!(!p.body.contains("id=\"completion\""));
}

#[tokio::test]
async fn a_window_task_is_due_at_the_end_of_its_window() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let t = office.get("/api/v1/policy/tasks/28").await;
    let end = t.body["task"]["deadline"]["window_end"].clone();
    assert!(end.is_string(), "task 28 has a window: {}", t.body);
    issue(&office, 28).await;
    let a = assignment(&office, 28, "220500-YJ").await;
    assert_eq!(
        a["due"], end,
        "2022年4月至党的二十大结束的 ends with the window"
    );
    assert_eq!(a["watch_due"], end);
    assert_eq!(a["light"], "red", "the window closed in 2022");
}

#[tokio::test]
async fn lights_roll_up_per_task_and_per_organisation_with_the_worst_light() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    assert_eq!(
        office
            .post("/api/v1/policy/tasks/6/assignments/issue", json!({}))
            .await
            .status,
        StatusCode::OK
    );
    let today = anwei::time::today();
    let far = (today + chrono::Duration::days(30)).to_string();
    app.exec(&format!(
        "UPDATE assignment SET due = '{far}', watch_due = '{far}'"
    ))
    .await;
    let city = (today - chrono::Duration::days(1)).to_string();
    app.exec(&format!("UPDATE assignment SET watch_due = '{city}' WHERE org_id = (SELECT id FROM org WHERE code = '220500-DW')")).await;
    let by_task = office.get("/api/v1/assignments/by-task").await;
    assert_eq!(by_task.status, StatusCode::OK, "{}", by_task.body);
    let t6 = by_task.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "6")
        .unwrap()
        .clone();
    assert_eq!(t6["worst"], "red");
    assert_eq!(t6["red"], 1);
    assert_eq!(t6["green"], 9);
    let by_org = office.get("/api/v1/assignments/by-org").await;
    let rows = by_org.body["items"].as_array().unwrap();
    assert_eq!(
        rows.iter().find(|r| r["key"] == "220500-DW").unwrap()["worst"],
        "red"
    );
    assert_eq!(
        rows.iter().find(|r| r["key"] == "220502-DW").unwrap()["worst"],
        "green"
    );
    // A county sees only its own organisations in the roll-up.
    let county = app.api_as(Role::Territory, "220502-AWB").await;
    let rows = county.get("/api/v1/assignments/by-org").await.body["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["key"], "220502-DW");
    // The policy page shows the task's worst light with its label.
    let w = app.browser_as(&office.username).await;
    let page = w.get("/policy").await;
    assert!(
        page.body
            .contains("href=\"/supervision/tasks/6?policy=tonghua-2022-10\" class=\"light red\""),
        "policy page shows task 6's light"
    );
    assert_eq!(
        app.anon().get("/api/v1/assignments/by-task").await.status,
        StatusCode::UNAUTHORIZED
    );
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    assert_eq!(
        auditor.get("/api/v1/assignments/by-org").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn task_twenty_four_makes_every_party_committee_government_and_zone_committee_responsible() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let picks = proposal(&office, 24).await;
    let kinds: BTreeSet<String> = picks
        .iter()
        .map(|k| {
            k["org_code"]
                .as_str()
                .unwrap()
                .rsplit('-')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    for k in ["DW", "ZF"] {
        assert!(kinds.contains(k), "{k} named: {kinds:?}");
    }
    // 党政同责: no unit the phrase names is a mere supporter.
    assert!(
        picks.iter().all(|k| k["role"] == "lead"),
        "every unit named is responsible: {picks:?}"
    );
    let governments = picks
        .iter()
        .filter(|k| k["org_code"].as_str().unwrap().ends_with("-ZF"))
        .count();
    assert!(
        governments >= 8,
        "the city's and every county's government: {governments}"
    );
    for zone in [
        "220500-GX-GWH",
        "220500-GW-GWH",
        "220500-GX-DGW",
        "220500-GW-DGW",
    ] {
        assert!(
            picks.iter().any(|k| k["org_code"] == zone),
            "the zone's 管委会 and 党工委 are responsible: {zone}"
        );
    }
}

#[tokio::test]
async fn task_thirty_five_goes_to_each_governments_own_party_committee_at_every_level() {
    let app = spawn_app().await;
    let office = office(&app).await;
    let proposed: BTreeSet<String> = proposal(&office, 35)
        .await
        .iter()
        .map(|k| k["org_code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        proposed,
        set(&TASK7_ORGS),
        "同级党委 is every government's own party committee, not the city's alone"
    );
}
