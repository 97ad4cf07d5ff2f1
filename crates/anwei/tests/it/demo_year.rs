//! The demo is a living year: a demo policy whose assignments show every light and every step
//! of the review loop, a reminder in the inbox, deliverables submitted, accepted and overdue —
//! and running it again reuses it.

use std::collections::BTreeSet;

use anwei::auth::model::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn field(items: &Value, name: &str) -> BTreeSet<String> {
    items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i[name].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn the_demo_shows_a_living_year_of_supervision_and_deliverables_once() {
    let app = spawn_app().await;
    anwei::demo::seed(&app.state).await.expect("demo");
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let a = office
        .get("/api/v1/assignments?policy=DEMO-YEAR&per_page=100")
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let lights = field(&a.body["items"], "light");
    for l in ["red", "yellow", "green", "grey"] {
        assert!(lights.contains(l), "{l} missing from {lights:?}");
    }
    let statuses = field(&a.body["items"], "status");
    for s in ["issued", "acknowledged", "reported", "returned", "closed"] {
        assert!(statuses.contains(s), "{s} missing from {statuses:?}");
    }
    // The built-in policy is untouched: nothing issued from it.
    let builtin = office.get("/api/v1/assignments?per_page=1").await;
    assert_eq!(builtin.body["total"], 0, "{}", builtin.body);
    // The overdue task was reminded (催办): the demo department account's inbox says so.
    let reminded = app
        .scalar_i64(
            "SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id \
             WHERE a.username = 'department' AND n.title LIKE '%remind%'",
        )
        .await;
    assert!(reminded >= 1, "{reminded}");
    let d = office
        .get("/api/v1/deliverable-requirements?policy=DEMO-YEAR&per_page=100")
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let items = d.body["items"].as_array().expect("items");
    let st = field(&d.body["items"], "status");
    for s in ["submitted", "accepted", "pending"] {
        assert!(st.contains(s), "{s} missing from {st:?}");
    }
    assert!(items.iter().any(|i| i["overdue"] == true), "{}", d.body);

    let counts = async || {
        (
            app.scalar_i64("SELECT COUNT(*) FROM assignment").await,
            app.scalar_i64("SELECT COUNT(*) FROM submission").await,
            app.scalar_i64("SELECT COUNT(*) FROM policy").await,
        )
    };
    let before = counts().await;
    anwei::demo::seed(&app.state).await.expect("demo again");
    assert_eq!(counts().await, before);
}

#[tokio::test]
async fn the_demo_shows_enterprises_and_hazards_at_every_step_once() {
    let app = spawn_app().await;
    anwei::demo::seed(&app.state).await.expect("demo");
    anwei::demo::seed(&app.state).await.expect("demo again");
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let e = office.get("/api/v1/enterprises").await;
    assert_eq!(
        e.body["total"], 5,
        "three in 东昌区, one each in 二道江区 and 集安市: {}",
        e.body
    );
    let gaps = office.get("/api/v1/enterprises?gap=true").await;
    assert_eq!(gaps.body["total"], 1, "the escape room: {}", gaps.body);
    let h = office.get("/api/v1/hazards?per_page=100").await;
    assert_eq!(h.body["total"], 5, "once, not twice: {}", h.body);
    let statuses = field(&h.body["items"], "status");
    for s in ["registered", "submitted", "closed"] {
        assert!(statuses.contains(s), "{s} missing from {statuses:?}");
    }
    let overdue = office.get("/api/v1/hazards?overdue=true").await;
    assert_eq!(overdue.body["total"], 1, "{}", overdue.body);
    // The demo enterprise's account sees its own hazards, not the builder's.
    let mine = app.api_as(Role::Enterprise, "91220502MA0DEMA01L").await;
    let r = mine.get("/api/v1/hazards").await;
    // Risk points colour the city's four-colour map, recorded once.
    let points = app.scalar_i64("SELECT COUNT(*) FROM risk_point").await;
    assert_eq!(points, 8);
    let m = office.get("/api/v1/risk/map?region=220500").await;
    let colour = |code: &str| {
        m.body["territories"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["code"] == code))
            .map(|t| t["colour"].clone())
    };
    assert_eq!(
        colour("220502"),
        Some(serde_json::json!("red")),
        "{}",
        m.body
    );
    assert_eq!(colour("220503"), Some(serde_json::json!("yellow")));
    assert_eq!(colour("220582"), Some(serde_json::json!("blue")));
    assert_eq!(r.body["total"], 4, "{}", r.body);
    // The demo campaign: one, with two inspections (one led by a leader: his duty record)
    // and the major hazard found afterwards, handled as an accident.
    let c = office.get("/api/v1/campaigns").await;
    assert_eq!(
        c.body["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        c.body
    );
    let id = c.body["items"][0]["id"].as_i64().expect("id");
    let d = office.get(&format!("/api/v1/campaigns/{id}")).await;
    assert_eq!(d.body["coverage"]["total"]["inspected"], 2, "{}", d.body);
    let i = office
        .get(&format!("/api/v1/inspections?campaign={id}"))
        .await;
    assert_eq!(i.body["total"], 2, "{}", i.body);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM activity WHERE inspection_id IS NOT NULL")
            .await,
        1
    );
    let flagged = office.get("/api/v1/hazards?flag=treat_as_accident").await;
    assert_eq!(flagged.body["total"], 1, "{}", flagged.body);
}
