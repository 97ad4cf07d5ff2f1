//! Tours of the lower level (巡查, articles 二 and 六, tasks 4 and 16): met only when each
//! lower-level committee (government) was toured in the year; a body with no lower level has
//! nothing to tour.

use anwei::auth::model::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::duties::{compliance, today};
use crate::helpers::*;

const CITY_DW: &str = "220500-DW";
const CITY_ZF: &str = "220500-ZF";

/// A tour of the body in `region`, with its minutes.
async fn tour(api: &Api, org: &str, region: &str, title: &str) -> Resp {
    let minutes = format!("%PDF-1.4\n% tour: {title}\n%%EOF\n").into_bytes();
    let date = today().to_string();
    let (ct, body) = multipart_files(
        &[
            ("org_code", org),
            ("kind", "tour"),
            ("date", &date),
            ("title", title),
            ("area_code", region),
        ],
        &[("巡查报告.pdf", &minutes)],
    );
    api.post_raw("/api/v1/activities", &ct, body).await
}

/// The tour items of `org` this year: (toured body's code, status, done).
async fn tours_of(api: &Api, org: &str, rule: &str) -> Vec<(String, String, i64)> {
    let year = today().format("%Y").to_string();
    let c = compliance(api, &year, org).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    c.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["rule"] == rule)
        .map(|i: &Value| {
            (
                i["toured_code"].as_str().unwrap_or("").to_string(),
                i["status"].as_str().unwrap_or("").to_string(),
                i["done"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

#[tokio::test]
async fn each_lower_level_committee_must_be_toured_one_tour_does_not_count_for_all() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let before = tours_of(&office, CITY_DW, "party_tour_yearly").await;
    let codes: Vec<&str> = before.iter().map(|(c, _, _)| c.as_str()).collect();
    // Every county's committee and the zones' 党工委 (各级党（工）委), nothing else.
    assert!(codes.contains(&"220502-DW"), "{codes:?}");
    assert!(codes.contains(&"220500-GX-DGW"), "{codes:?}");
    assert!(codes.len() >= 7, "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c.ends_with("-DW") || c.ends_with("-DGW")),
        "{codes:?}"
    );
    assert!(
        before.iter().all(|(_, s, d)| s != "met" && *d == 0),
        "{before:?}"
    );

    let r = tour(&office, CITY_DW, "220502", "巡查东昌区委").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = tours_of(&office, CITY_DW, "party_tour_yearly").await;
    for (code, status, done) in &after {
        if code == "220502-DW" {
            assert_eq!((status.as_str(), *done), ("met", 1), "{after:?}");
        } else {
            // One tour of 东昌区 is no tour of the others.
            assert_ne!(status, "met", "{code} was not toured: {after:?}");
            assert_eq!(*done, 0, "{after:?}");
        }
    }
    // The compliance page names each body to tour, in Chinese and in English.
    app.create_user("tour_office", Role::Office, "220500-AWB")
        .await;
    let w = app.browser_as("tour_office").await;
    let year = today().format("%Y").to_string();
    let page = w.get(&format!("/duties?org={CITY_DW}&period={year}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("巡查对象：中共") && page.body.contains("东昌区"),
        "{}",
        page.body
    );
    let en = w
        .get(&format!("/duties?org={CITY_DW}&period={year}&lang=en"))
        .await;
    assert!(en.body.contains("Tour of 中共"), "{}", en.body);
}

#[tokio::test]
async fn a_government_tours_the_lower_governments_not_the_zones_and_a_county_has_nothing_to_tour() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let gov = tours_of(&office, CITY_ZF, "gov_tour_yearly").await;
    let codes: Vec<&str> = gov.iter().map(|(c, _, _)| c.as_str()).collect();
    assert!(codes.contains(&"220502-ZF"), "{codes:?}");
    // 下级政府: the zones' 管委会 are not governments (task 16).
    assert!(codes.iter().all(|c| c.ends_with("-ZF")), "{codes:?}");
    // A county whose townships are not in the tree has no lower level: not applicable, never
    // "missed".
    assert!(
        tours_of(&office, "220502-DW", "party_tour_yearly")
            .await
            .is_empty()
    );
    assert!(
        tours_of(&office, "220502-ZF", "gov_tour_yearly")
            .await
            .is_empty()
    );
}

/// The party committees `org` must tour this year: (code, name).
async fn bodies_to_tour(api: &Api, org: &str) -> Vec<(String, String)> {
    let year = today().format("%Y").to_string();
    let c = compliance(api, &year, org).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    c.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["rule"] == "party_tour_yearly")
        .map(|i| {
            (
                i["toured_code"].as_str().unwrap_or("").to_string(),
                i["toured_name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_bodies_to_tour_follow_the_tree_as_it_changes() {
    // The tree tour rules read is kept between requests while the stamp that applies to every
    // organisation holds: adding, renaming and retiring a committee each show at once.
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    const CODE: &str = "220502-TOURDW";
    let named =
        |all: &[(String, String)]| all.iter().find(|(c, _)| c == CODE).map(|(_, n)| n.clone());
    let before = bodies_to_tour(&office, CITY_DW).await;
    assert_eq!(named(&before), None, "{before:?}");

    let r = office
        .post(
            "/api/v1/orgs",
            serde_json::json!({"code": CODE, "name": "东昌区巡查测试党委", "kind": "party_committee",
                   "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let added = bodies_to_tour(&office, CITY_DW).await;
    assert_eq!(added.len(), before.len() + 1, "{added:?}");
    assert_eq!(named(&added).as_deref(), Some("东昌区巡查测试党委"));

    let r = office
        .post(
            &format!("/api/v1/orgs/{CODE}/rename"),
            serde_json::json!({"name": "东昌区巡查测试党工委"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let renamed = bodies_to_tour(&office, CITY_DW).await;
    assert_eq!(named(&renamed).as_deref(), Some("东昌区巡查测试党工委"));

    let r = office
        .post(
            &format!("/api/v1/orgs/{CODE}/retire"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let retired = bodies_to_tour(&office, CITY_DW).await;
    assert_eq!(retired, before);
}
