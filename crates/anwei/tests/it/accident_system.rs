//! Tests of the system's account (issue 12): the missing-person version is written by it, not
//! by the reporter; it never logs in — not by password (API or form), not by a session or an
//! API token, not as a command actor — cannot be enabled, and stays out of the account list.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .with_timezone(&anwei::time::tz())
        .to_rfc3339()
}

#[tokio::test]
async fn the_missing_person_version_is_the_system_accounts_and_it_cannot_log_in() {
    let app = spawn_app().await;
    let system_id = app
        .scalar_i64("SELECT id FROM account WHERE is_system = TRUE")
        .await;
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT username FROM account WHERE id = {system_id}"
        ))
        .await
        .as_deref(),
        Some("@system")
    );
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT o.code FROM account a JOIN org o ON o.id = a.org_id WHERE a.id = {system_id}"
        ))
        .await
        .as_deref(),
        Some("220500-AWB"),
        "in the city office"
    );
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let body = json!({
        "occurred_at": days_ago(5), "region_code": "220502", "unit_name": "东昌某运输公司",
        "type": "vehicle", "category": "road_traffic", "deaths": 2, "serious_injuries": 0,
        "missing": 1, "direct_loss_yuan": 0, "summary": "车辆坠河", "measures": "搜救",
    });
    let r = county.post("/api/v1/accidents", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    app.exec(&format!(
        "UPDATE accident SET occurred_at = occurred_at - {} WHERE id = {id}",
        8 * 86_400_000_i64
    ))
    .await;
    let today = anwei::time::today();
    let n = anwei::accidents::chain::sweep::missing_sweep(&app.state, today)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let d = county.get(&format!("/api/v1/accidents/{id}")).await.body;
    let versions = d["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "{d}");
    assert_eq!(versions[1]["deaths"], 3);
    assert_eq!(versions[1]["reported_by_name"], "系统", "{d}");
    assert_ne!(versions[0]["reported_by_name"], "系统");
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT reported_by FROM accident_version WHERE accident_id = {id} AND version = 2"
        ))
        .await,
        system_id
    );
    assert_eq!(app.audit_count("accident.missing_regrade", "ok").await, 1);

    // No password logs it in: not the marker stored as its hash, not a blank one.
    for pw in ["!", "", PASSWORD] {
        let r = app
            .anon()
            .post(
                "/api/v1/auth/login",
                json!({"username": "@system", "password": pw}),
            )
            .await;
        assert!(
            r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{pw:?}: {} {}",
            r.status,
            r.body
        );
        assert!(r.body.get("token").is_none());
    }
    let mut web = app.web_anon();
    let p = web.login("@system", "!").await;
    assert_ne!(p.status, StatusCode::SEE_OTHER, "the form refuses it too");
    // Nor does a session or an API token made for it behind the system's back.
    let id = anwei::ids::AccountId(system_id);
    let cookie = anwei::auth::service::new_session_for(&app.state, id)
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/accidents"))
        .header("cookie", format!("anwei_session={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let token = "anw_systemtokenthatmustnotwork0000000000";
    let hash = anwei::auth::crypto::sha256_hex(token);
    app.exec(&format!(
        "INSERT INTO api_token (account_id, name, token_hash, prefix, role, created_at) \
         VALUES ({system_id}, 'forged', '{hash}', 'anw_syst', 'office', 0)"
    ))
    .await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/accidents"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        anwei::auth::service::command_actor(&app.state, "@system")
            .await
            .unwrap()
            .is_none()
    );
    // It cannot be enabled: not by an administrator (409), not in the database (its check).
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin
        .post(&format!("/api/v1/accounts/{system_id}/enable"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let mut tx = app.state.db.begin().await.unwrap();
    let sql = "UPDATE account SET disabled = FALSE WHERE is_system = TRUE";
    let refused = anwei::on_tx!(&mut tx, |c| sqlx::query(sql).execute(c).await.map(|_| ()));
    assert!(refused.is_err(), "the table's check refuses it");
    drop(tx);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM account WHERE is_system = TRUE AND disabled = TRUE")
            .await,
        1
    );
    let r = admin.get("/api/v1/accounts?q=system").await;
    if r.status == StatusCode::OK {
        assert!(!r.body.to_string().contains("\"system\""), "{}", r.body);
    }
}
