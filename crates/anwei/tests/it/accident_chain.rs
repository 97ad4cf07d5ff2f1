//! Tests of the reporting chain and its clocks (issue 12): every clock on time and late by
//! under a minute (迟报 rounds up to 1), who may acknowledge, the city office's records of the
//! levels outside the platform, escalation on regrade with a new clock, the notifications of
//! 第十条, the clock sweep (late marked, exactly one reminder), the missing-person regrade.

use anwei_rules::accident::chain::late_minutes;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

const MINUTE: i64 = 60_000;

/// An instant `minutes` minutes and `seconds` seconds before now, RFC 3339 in UTC+8.
fn ago(minutes: i64, seconds: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes) - chrono::Duration::seconds(seconds))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

fn accident(occurred_at: &str, deaths: i64, missing: i64) -> Value {
    json!({
        "occurred_at": occurred_at, "region_code": "220502", "unit_name": "东昌某建筑公司",
        "type": "collapse", "deaths": deaths, "serious_injuries": 0, "missing": missing,
        "direct_loss_yuan": 0, "summary": "基坑坍塌", "measures": "组织救援",
    })
}

fn t(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().expect("an instant"))
        .expect("RFC 3339")
        .to_utc()
}

async fn file(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/accidents", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().unwrap()
}

async fn hops(api: &Api, id: i64) -> Vec<Value> {
    let r = api.get(&format!("/api/v1/accidents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["hops"].as_array().unwrap().clone()
}

fn hop<'a>(hops: &'a [Value], to: &str) -> &'a Value {
    hops.iter().find(|h| h["to"] == to).expect("the hop")
}

async fn ack(api: &Api, id: i64, level: &str) -> Resp {
    api.post(
        &format!("/api/v1/accidents/{id}/hops/{level}/acknowledge"),
        json!({}),
    )
    .await
}

#[tokio::test]
async fn every_clock_is_on_time_at_its_limit_and_late_by_under_a_minute_counts_one() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    // The unit's hour: 30 minutes gone, 29 left; nothing late yet.
    let id = file(&county, accident(&ago(30, 0), 1, 0)).await;
    let h = hops(&county, id).await;
    assert_eq!(h.len(), 2, "一般: unit → county → city");
    let unit = hop(&h, "county");
    assert_eq!(unit["from"], "unit");
    assert_eq!(unit["limit_minutes"], 60);
    assert_eq!(unit["clock"], "running");
    assert!(unit["late_minutes"].is_null() && unit["acknowledged_at"].is_null());
    assert_eq!(
        (t(&unit["due_at"]) - t(&unit["received_at"])).num_minutes(),
        60
    );
    assert!((28..=29).contains(&unit["minutes_left"].as_i64().unwrap()));
    let city = hop(&h, "city");
    assert_eq!(city["clock"], "waiting");
    assert!(city["due_at"].is_null(), "the county has not had it yet");
    let r = ack(&office, id, "city").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not started: {}", r.body);
    // The county acknowledges in time: 0 minutes late; the city's two hours start.
    let r = ack(&county, id, "county").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["late_minutes"], 0);
    assert_eq!(r.body["clock"], "on_time");
    let acked = t(&r.body["acknowledged_at"]);
    assert!(
        (Utc::now() - acked).num_seconds().abs() < 60,
        "server clock"
    );
    let h = hops(&county, id).await;
    let city = hop(&h, "city");
    assert_eq!(t(&city["received_at"]), acked);
    assert_eq!((t(&city["due_at"]) - acked).num_minutes(), 120);
    assert_eq!(
        ack(&county, id, "county").await.status,
        StatusCode::CONFLICT
    );
    // The city's clock ran out 30 seconds ago: overdue by 1 minute live, and acknowledged
    // late by 1 minute (the rules' rounding), visible to the level above.
    let due = anwei::db::now_ms() - 30_000;
    app.exec(&format!(
        "UPDATE accident_hop SET due_at = {due} WHERE accident_id = {id} AND to_level = 'city'"
    ))
    .await;
    let h = hops(&office, id).await;
    assert_eq!(hop(&h, "city")["clock"], "overdue");
    assert_eq!(hop(&h, "city")["late_minutes"], 1);
    let r = ack(&office, id, "city").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["clock"], "late");
    assert_eq!(r.body["late_minutes"], 1);
    assert_eq!(
        late_minutes(t(&r.body["due_at"]), t(&r.body["acknowledged_at"])),
        1
    );
    // The unit's hour ran out 30 seconds before the county acknowledges: 1 minute late.
    let id = file(&county, accident(&ago(60, 30), 1, 0)).await;
    let r = ack(&county, id, "county").await;
    assert_eq!(r.body["late_minutes"], 1, "{}", r.body);
    assert_eq!(r.body["clock"], "late");
    assert_eq!(app.audit_count("accident.hop.acknowledge", "ok").await, 3);
}

#[tokio::test]
async fn only_the_receiving_level_acknowledges_and_refusals_are_audited() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let county_dept = app.api_as(Role::Department, "220502-YJ").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let city_dept = app.api_as(Role::Department, "220500-YJ").await;
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    let id = file(&county, accident(&ago(10, 0), 1, 0)).await;
    // Another county does not see the accident at all.
    assert_eq!(
        ack(&ji_an, id, "county").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.audit_count("accident.hop.acknowledge", "denied").await,
        1
    );
    // The city office is not the county level; a city department is not the city office.
    for (who, level) in [(&office, "county"), (&city_dept, "city"), (&county, "city")] {
        let r = ack(who, id, level).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{level}: {}", r.body);
    }
    assert_eq!(
        ack(&leader, id, "county").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.audit_count("accident.hop.acknowledge", "denied").await,
        5
    );
    let r = ack(&county, id, "town").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("level").is_some());
    // Outside the platform, or beyond the chain an 一般 accident requires: 409.
    let r = ack(&office, id, "province").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // A county department acknowledges for the county.
    assert_eq!(ack(&county_dept, id, "county").await.status, StatusCode::OK);
    assert_eq!(ack(&office, id, "city").await.status, StatusCode::OK);
    let r = office
        .post(
            &format!("/api/v1/accidents/{id}/hops/province/record"),
            json!({"sent_at": ago(0, 5), "method": "电话", "recipient": "省应急厅值班室"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "not in the chain: {}",
        r.body
    );
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM accident_hop WHERE accident_id = {id} AND acknowledged_at IS NOT NULL"
        ))
        .await,
        2
    );
}

#[tokio::test]
async fn a_regrade_extends_the_chain_with_a_new_clock_and_the_city_office_records_outside() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let id = file(&county, accident(&ago(20, 0), 1, 0)).await;
    assert_eq!(ack(&county, id, "county").await.status, StatusCode::OK);
    assert_eq!(ack(&office, id, "city").await.status, StatusCode::OK);
    let before = app
        .scalar_i64(
            "SELECT COUNT(*) FROM notification WHERE title = 'accident_chain.escalated_title'",
        )
        .await;
    let update = json!({"deaths": 3, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": 0});
    let r = county
        .post(&format!("/api/v1/accidents/{id}/updates"), update)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["grade"], "serious");
    let d = county.get(&format!("/api/v1/accidents/{id}")).await.body;
    assert_eq!(d["versions"].as_array().unwrap().len(), 2);
    let h = d["hops"].as_array().unwrap();
    assert_eq!(h.len(), 3);
    let p = hop(h, "province");
    assert_eq!(p["from"], "city");
    assert_eq!(
        p["clock"], "running",
        "a new clock: the city has the regrade now"
    );
    assert!((Utc::now() - t(&p["received_at"])).num_seconds().abs() < 60);
    assert_eq!((t(&p["due_at"]) - t(&p["received_at"])).num_minutes(), 120);
    assert!(p["inside_platform"] == false);
    assert!(
        app.scalar_i64(
            "SELECT COUNT(*) FROM notification WHERE title = 'accident_chain.escalated_title'"
        )
        .await
            > before,
        "the city office is told"
    );
    // Outside the platform: only the city office records, never in the future.
    let path = format!("/api/v1/accidents/{id}/hops/province/record");
    let good = json!({"sent_at": ago(0, 0), "method": "政务专网", "recipient": "省应急厅值班室", "receipt": "张三 已收"});
    let r = county.post(&path, good.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.audit_count("accident.hop.record", "denied").await, 1);
    let future = (Utc::now() + chrono::Duration::minutes(5)).to_rfc3339();
    let r = office
        .post(
            &path,
            json!({"sent_at": future, "method": "", "recipient": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("sent_at").is_some() && r.body["fields"].get("method").is_some());
    let r = office
        .post(
            &format!("/api/v1/accidents/{id}/hops/city/record"),
            good.clone(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the city is inside: {}",
        r.body
    );
    let r = office.post(&path, good.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["late_minutes"], 0);
    assert_eq!(r.body["recipient"], "省应急厅值班室");
    assert_eq!(r.body["receipt"], "张三 已收");
    assert!(r.body["recorded_at"].is_string());
    assert_eq!(office.post(&path, good).await.status, StatusCode::CONFLICT);

    // A regrade while the city has not had the report: the new hops wait for the city.
    let id = file(&county, accident(&ago(20, 0), 1, 0)).await;
    let update = json!({"deaths": 10, "serious_injuries": 0, "missing": 0, "direct_loss_yuan": 0});
    let r = county
        .post(&format!("/api/v1/accidents/{id}/updates"), update)
        .await;
    assert_eq!(r.body["grade"], "very_serious", "{}", r.body);
    let h = hops(&county, id).await;
    assert_eq!(h.len(), 4, "up to the State Council level");
    assert_eq!(hop(&h, "province")["clock"], "waiting");
    assert_eq!(hop(&h, "state_council")["clock"], "waiting");
    assert_eq!(ack(&county, id, "county").await.status, StatusCode::OK);
    let r = ack(&office, id, "city").await;
    let city_at = t(&r.body["acknowledged_at"]);
    let h = hops(&county, id).await;
    assert_eq!(t(&hop(&h, "province")["received_at"]), city_at);
    // Recorded 3 hours after the city had it: 60 minutes late; the State Council level's
    // clock starts when the province had it.
    let due = t(&hop(&h, "province")["due_at"]);
    app.exec(&format!(
        "UPDATE accident_hop SET received_at = received_at - {m}, due_at = due_at - {m} WHERE accident_id = {id} AND to_level = 'province'",
        m = 180 * MINUTE
    ))
    .await;
    let sent = (due - chrono::Duration::minutes(120)).with_timezone(&anwei::time::tz());
    let r = office
        .post(
            &format!("/api/v1/accidents/{id}/hops/province/record"),
            json!({"sent_at": sent.to_rfc3339(), "method": "传真", "recipient": "省应急厅"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["late_minutes"], 60);
    let h = hops(&county, id).await;
    assert_eq!(t(&hop(&h, "state_council")["received_at"]), sent.to_utc());
    assert_tally_matches_hops(&app).await;
}

/// The hop tally (kept by triggers through inserts, clock starts, acknowledgements, records
/// and direct moves of the due time) sums to what a recount of the hops gives.
async fn assert_tally_matches_hops(app: &TestApp) {
    let tally = "SELECT CAST(COALESCE(SUM({c}), 0) AS BIGINT) FROM accident_hop_tally";
    let hops = "SELECT COUNT(*) FROM accident_hop WHERE due_at IS NOT NULL";
    for (col, cond) in [
        ("due", ""),
        (
            "on_time",
            " AND acknowledged_at IS NOT NULL AND COALESCE(late_minutes, 0) = 0",
        ),
        (
            "late",
            " AND acknowledged_at IS NOT NULL AND late_minutes > 0",
        ),
    ] {
        let kept = app.scalar_i64(&tally.replace("{c}", col)).await;
        let counted = app.scalar_i64(&format!("{hops}{cond}")).await;
        assert_eq!(kept, counted, "{col}");
        assert!(counted > 0 || col == "on_time", "{col}: the flow has some");
    }
    let negative =
        "SELECT COUNT(*) FROM accident_hop_tally WHERE due < 0 OR on_time < 0 OR late < 0";
    assert_eq!(app.scalar_i64(negative).await, 0);
}

#[tokio::test]
async fn each_level_that_has_the_report_records_its_notifications_once() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let id = file(&county, accident(&ago(5, 0), 1, 0)).await;
    let path = format!("/api/v1/accidents/{id}/notifications");
    let n = |level: &str, body: &str| json!({"level": level, "body": body, "notified_at": ago(0, 10), "method": "电话"});
    let r = county.post(&path, n("county", "public_security")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not had it yet: {}", r.body);
    assert_eq!(ack(&county, id, "county").await.status, StatusCode::OK);
    for body in [
        "public_security",
        "human_resources",
        "trade_union",
        "procuratorate",
    ] {
        let r = county.post(&path, n("county", body)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{body}: {}", r.body);
    }
    let r = county.post(&path, n("county", "trade_union")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = county.post(&path, n("county", "court")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        county.post(&path, n("city", "trade_union")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        office.post(&path, n("city", "trade_union")).await.status,
        StatusCode::CONFLICT
    );
    let d = county.get(&format!("/api/v1/accidents/{id}")).await.body;
    let got = d["notifications"].as_array().unwrap();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0]["body_name"], "公安机关");
    assert_eq!(got[0]["level"], "county");
    assert_eq!(app.audit_count("accident.notice.record", "ok").await, 4);
}

#[tokio::test]
async fn the_sweep_marks_late_hops_and_reminds_each_silent_level_exactly_once() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.run_jobs = false),
    })
    .await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let county_office = app.api_as(Role::Office, "220502-AWB").await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let id = file(&county, accident(&ago(30, 0), 1, 0)).await;
    let reminders = |who: &Api| {
        format!(
            "SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id \
             WHERE a.username = '{}' AND n.title = 'accident_chain.reminder_title'",
            who.username
        )
    };
    let sweep = |at: i64| anwei::accidents::chain::sweep::sweep_at(&app.state, at);
    let now = anwei::db::now_ms();
    // Half an hour of silence: nothing yet.
    let r = sweep(now).await.unwrap();
    assert_eq!((r.late, r.reminded), (0, 0));
    // An hour of silence (and half a minute past the unit's hour): late and reminded.
    let r = sweep(now + 30 * MINUTE + 30_000).await.unwrap();
    assert_eq!((r.late, r.reminded), (1, 1));
    assert_eq!(app.scalar_i64(&reminders(&county_office)).await, 1);
    assert_eq!(
        app.scalar_i64(&reminders(&office)).await,
        0,
        "the county's level"
    );
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT late_minutes FROM accident_hop WHERE accident_id = {id} AND to_level = 'county'"
        ))
        .await,
        1
    );
    // Later sweeps update the lateness but send nothing again.
    let r = sweep(now + 40 * MINUTE).await.unwrap();
    assert_eq!((r.late, r.reminded), (1, 0));
    let (a, b) = tokio::join!(sweep(now + 41 * MINUTE), sweep(now + 41 * MINUTE));
    assert_eq!(a.unwrap().reminded + b.unwrap().reminded, 0);
    assert_eq!(app.scalar_i64(&reminders(&county_office)).await, 1);
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT late_minutes FROM accident_hop WHERE accident_id = {id} AND to_level = 'county'"
        ))
        .await,
        12,
        "11 minutes and the moments since filing, rounded up"
    );
    assert_eq!(app.audit_count("accident.chain.remind", "ok").await, 1);
    // The county acknowledges now; the city's silence is the city office's reminder.
    assert_eq!(ack(&county, id, "county").await.status, StatusCode::OK);
    let now = anwei::db::now_ms();
    assert_eq!(sweep(now + 59 * MINUTE).await.unwrap().reminded, 0);
    let r = sweep(now + 61 * MINUTE).await.unwrap();
    assert_eq!((r.late, r.reminded), (0, 1));
    assert_eq!(app.scalar_i64(&reminders(&office)).await, 1);
    // The cron tick enqueues the sweep.
    anwei::jobs::tick_cron(&app.state).await.unwrap();
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM job WHERE kind = 'accidents.clock_sweep'")
            .await,
        1
    );
}

#[tokio::test]
async fn missing_persons_count_as_deaths_after_the_window_and_the_chain_escalates() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let road = json!("road_traffic");
    let mut body = accident(&ago(5, 0), 2, 1);
    let other = file(&county, body.clone()).await;
    body["category"] = road;
    let road = file(&county, body.clone()).await;
    let none = file(&county, accident(&ago(5, 0), 0, 1)).await;
    // Eight days ago: the road traffic window (7 days) has closed, the other (30) has not.
    let days = |n: i64| n * 86_400_000;
    app.exec(&format!(
        "UPDATE accident SET occurred_at = occurred_at - {} WHERE id IN ({other}, {road}, {none})",
        days(8)
    ))
    .await;
    let today = anwei::time::today();
    let sweep = || anwei::accidents::chain::sweep::missing_sweep(&app.state, today);
    assert_eq!(sweep().await.unwrap(), 1, "only the road traffic accident");
    let d = county.get(&format!("/api/v1/accidents/{road}")).await.body;
    assert_eq!(d["grade"], "serious", "{d}");
    assert_eq!(d["deaths"], 3);
    assert_eq!(d["missing"], 0);
    assert_eq!(d["version"], 2);
    assert_eq!(
        hop(d["hops"].as_array().unwrap(), "province")["from"],
        "city"
    );
    assert_eq!(sweep().await.unwrap(), 0, "once");
    // One missing of none dead stays 一般: no version is written.
    assert_eq!(
        county.get(&format!("/api/v1/accidents/{none}")).await.body["version"],
        1
    );
    app.exec(&format!(
        "UPDATE accident SET occurred_at = occurred_at - {} WHERE id = {other}",
        days(30)
    ))
    .await;
    assert_eq!(sweep().await.unwrap(), 1);
    assert_eq!(app.audit_count("accident.missing_regrade", "ok").await, 2);
}
