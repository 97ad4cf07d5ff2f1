//! Tests of audit: who reads the log, its filters and pages, records written in the same
//! transaction as the change, and `audit verify` against tampering.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::audit::chain::{AuditRow, Break};
use anwei::auth::model::Role;

/// Runs one statement and reports the database's refusal instead of panicking.
async fn try_exec(app: &TestApp, sql: &str) -> Result<(), String> {
    let mut tx = app.state.db.begin().await.map_err(|e| e.to_string())?;
    anwei::on_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(
        sql.to_string()
    ))
    .execute(c)
    .await
    .map(|_| ()))
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

async fn drop_append_only_triggers(app: &TestApp) {
    if app.is_pg() {
        app.exec("DROP TRIGGER audit_log_no_update ON audit_log")
            .await;
    } else {
        app.exec("DROP TRIGGER audit_log_no_update").await;
        app.exec("DROP TRIGGER audit_log_no_delete").await;
    }
}

async fn verify(app: &TestApp) -> Result<u64, Break> {
    anwei::audit::store::verify(&app.state.db, &app.state.audit_key)
        .await
        .expect("verify runs")
}

/// Leaves a handful of records of different kinds and returns the head's seq.
async fn some_activity(app: &TestApp) -> i64 {
    let office = app.api_as(Role::Office, "220500-AWB").await;
    for i in 0..3 {
        let r = office
            .post(
                "/api/v1/orgs",
                json!({"code": format!("220502-A{i}"), "name": format!("局{i}"), "kind": "department", "region_code": "220502"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    auditor.get("/api/v1/orgs").await;
    app.scalar_i64("SELECT seq FROM audit_head WHERE id = 1")
        .await
}

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().expect("items")
}

#[tokio::test]
async fn the_administrator_and_the_auditor_read_the_log_and_nobody_else_does() {
    let app = spawn_app().await;
    let head = some_activity(&app).await;
    for role in [Role::Admin, Role::Auditor] {
        let u = app.api_as(role, "220500-AWB").await;
        let r = u.get("/api/v1/audit").await;
        assert_eq!(r.status, StatusCode::OK, "{role:?}");
        let first = &items(&r.body)[0];
        assert!(first["seq"].as_i64().unwrap() > head, "newest first");
        for k in [
            "at",
            "actor_name",
            "action",
            "target_id",
            "outcome",
            "request_id",
            "hash",
        ] {
            assert!(first.get(k).is_some(), "{k}");
        }
    }
    for (i, role) in [
        Role::Office,
        Role::Department,
        Role::Territory,
        Role::Enterprise,
        Role::Discipline,
        Role::Leader,
    ]
    .into_iter()
    .enumerate()
    {
        let u = app.api_as(role, "220500-AWB").await;
        let r = u.get("/api/v1/audit").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(app.audit_count("audit.read", "denied").await, i as i64 + 1);
    }
}

#[tokio::test]
async fn the_auditor_reads_only_the_audit_log() {
    let app = spawn_app().await;
    let a = app.api_as(Role::Auditor, "220500-AWB").await;
    for p in [
        "/api/v1/orgs",
        "/api/v1/orgs/220500-DW",
        "/api/v1/regions",
        "/api/v1/persons",
        "/api/v1/orgs/220500-DW/positions",
        "/api/v1/policy/tasks",
        "/api/v1/policy/tasks/1",
        "/api/v1/accounts",
    ] {
        assert_eq!(a.get(p).await.status, StatusCode::FORBIDDEN, "GET {p}");
    }
    let r = a
        .post("/api/v1/persons", json!({"name": "审计员添加"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = a
        .patch(
            "/api/v1/policy/tasks/1",
            json!({"content": "x", "units_text": "各级党（工）委", "deadline_text": "长期坚持"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let log = a.get("/api/v1/audit?outcome=denied").await;
    assert_eq!(log.status, StatusCode::OK);
    let mine: Vec<&Value> = items(&log.body)
        .iter()
        .filter(|r| r["actor_name"] == a.username.as_str())
        .collect();
    assert_eq!(mine.len(), 10, "every refusal of the auditor is on record");
}

#[tokio::test]
async fn a_denied_out_of_scope_read_is_recorded_with_actor_target_and_request_id() {
    let app = spawn_app().await;
    let t = app.api_as(Role::Territory, "220502-AWB").await;
    let res = t
        .client
        .get(app.url("/api/v1/orgs/220503-DW"))
        .bearer_auth(&t.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin.get("/api/v1/audit?target=220503-DW").await;
    let rows = items(&r.body);
    assert_eq!(rows.len(), 1, "{}", r.body);
    assert_eq!(rows[0]["action"], "org.read");
    assert_eq!(rows[0]["outcome"], "denied");
    assert_eq!(rows[0]["actor_name"], t.username.as_str());
    assert_eq!(rows[0]["target_type"], "org");
    assert_eq!(rows[0]["request_id"], request_id.as_str());
}

#[tokio::test]
async fn filters_by_actor_action_outcome_target_and_dates() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin.get("/api/v1/audit?action=org.create").await;
    let rows = items(&r.body);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|x| x["action"] == "org.create"));
    // The action filter is a prefix: "org." matches org.create, org.list, org.seed.
    let r = admin.get("/api/v1/audit?action=org.").await;
    let rows = items(&r.body);
    assert!(rows.iter().any(|x| x["action"] == "org.list"));
    assert!(rows.iter().any(|x| x["action"] == "org.seed"));
    assert!(
        rows.iter()
            .all(|x| x["action"].as_str().unwrap().starts_with("org."))
    );
    let r = admin.get("/api/v1/audit?outcome=denied").await;
    let rows = items(&r.body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["action"], "org.list");
    let r = admin.get("/api/v1/audit?target=220502-A1").await;
    let rows = items(&r.body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["target_id"], "220502-A1");
    let r = admin.get("/api/v1/audit?actor=office_").await;
    let rows = items(&r.body);
    assert!(rows.len() >= 4, "logins and creations of the office user");
    assert!(
        rows.iter()
            .all(|x| x["actor_name"].as_str().unwrap().contains("office_"))
    );
    // A literal underscore is not a wildcard.
    let r = admin.get("/api/v1/audit?actor=office%25").await;
    assert_eq!(items(&r.body).len(), 0);
    let today = anwei::time::today().to_string();
    let r = admin
        .get(&format!(
            "/api/v1/audit?from={today}&to={today}&action=org.create"
        ))
        .await;
    assert_eq!(items(&r.body).len(), 3);
    let r = admin.get("/api/v1/audit?to=2000-01-01").await;
    assert_eq!(items(&r.body).len(), 0);
    let r = admin.get("/api/v1/audit?from=2999-01-01").await;
    assert_eq!(items(&r.body).len(), 0);
}

#[tokio::test]
async fn bad_filters_are_422_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = admin.get("/api/v1/audit?from=yesterday").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["from"].is_string());
    let r = admin.get("/api/v1/audit?to=2024-13-40").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["to"].is_string());
    let r = admin.get("/api/v1/audit?outcome=maybe").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["outcome"].is_string());
    let r = admin.get("/api/v1/audit?before=abc").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn pages_follow_each_other_by_keyset_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    for _ in 0..60 {
        auditor.get("/api/v1/orgs").await;
    }
    let total = app.scalar_i64("SELECT COUNT(*) FROM audit_log").await;
    assert!(total > 60);
    let mut seen: Vec<i64> = Vec::new();
    let mut path = "/api/v1/audit".to_string();
    loop {
        let r = auditor.get(&path).await;
        assert_eq!(r.status, StatusCode::OK);
        let page: Vec<i64> = items(&r.body)
            .iter()
            .map(|x| x["seq"].as_i64().unwrap())
            .collect();
        assert!(page.len() <= 50);
        seen.extend(&page);
        match r.body["next_before"].as_i64() {
            Some(b) => {
                assert_eq!(page.len(), 50);
                assert_eq!(b, *page.last().unwrap());
                path = format!("/api/v1/audit?before={b}");
            }
            None => break,
        }
    }
    // The reads of the auditor's own list pages are not writes: nothing new was recorded.
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM audit_log").await,
        total
    );
    assert_eq!(seen.len() as i64, total);
    let expected: Vec<i64> = (1..=total).rev().collect();
    assert_eq!(seen, expected, "newest first, each record once");
    // Filters hold across pages too.
    let r = auditor
        .get("/api/v1/audit?outcome=denied&before=1000000")
        .await;
    assert_eq!(items(&r.body).len(), 50);
    let b = r.body["next_before"].as_i64().unwrap();
    let r2 = auditor
        .get(&format!("/api/v1/audit?outcome=denied&before={b}"))
        .await;
    assert_eq!(items(&r2.body).len(), 10);
    assert!(
        items(&r2.body)
            .iter()
            .all(|x| x["seq"].as_i64().unwrap() < b)
    );
    assert!(r2.body["next_before"].is_null());
}

#[tokio::test]
async fn a_write_and_its_record_commit_together_or_not_at_all() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    // Make the database refuse the audit record of a rename, after the rename itself ran.
    if app.is_pg() {
        app.exec(
            "CREATE FUNCTION refuse_rename_record() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.action = 'org.rename' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$",
        )
        .await;
        app.exec(
            "CREATE TRIGGER refuse_rename_record BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_rename_record()",
        )
        .await;
    } else {
        app.exec(
            "CREATE TRIGGER refuse_rename_record BEFORE INSERT ON audit_log WHEN NEW.action = 'org.rename' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        .await;
    }
    let head = app
        .scalar_i64("SELECT seq FROM audit_head WHERE id = 1")
        .await;
    let r = office
        .post(
            "/api/v1/orgs/220502-JT/rename",
            json!({"name": "不该留下的名字"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.body["error"], "internal");
    assert!(
        !r.body.to_string().contains("refused"),
        "internal cause hidden"
    );
    let g = office.get("/api/v1/orgs/220502-JT").await;
    assert_eq!(g.body["org"]["name"], "东昌区交通运输局");
    assert_eq!(g.body["name_history"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.scalar_i64("SELECT seq FROM audit_head WHERE id = 1")
            .await,
        head
    );
    assert_eq!(app.audit_count("org.rename", "ok").await, 0);
    // Other writes still go through, and the chain is whole.
    let r = office
        .post("/api/v1/orgs/220502-FY/retire", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(app.audit_count("org.retire", "ok").await, 1);
    let n = app.scalar_i64("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(verify(&app).await, Ok(n as u64));
}

#[tokio::test]
async fn a_refused_write_leaves_a_denied_record_and_no_ok_record() {
    let app = spawn_app().await;
    let d = app.api_as(Role::Department, "220500-YJ").await;
    let r = d
        .post(
            "/api/v1/orgs",
            json!({"code": "220502-D", "name": "x", "kind": "department", "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("org.create", "denied").await, 1);
    assert_eq!(app.audit_count("org.create", "ok").await, 0);
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            "/api/v1/orgs",
            json!({"code": "220502-YJ", "name": "x", "kind": "department", "region_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_count("org.create", "ok").await, 0);
}

#[tokio::test]
async fn an_untouched_chain_verifies_in_full() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let n = app.scalar_i64("SELECT COUNT(*) FROM audit_log").await;
    assert!(n > 5);
    assert_eq!(verify(&app).await, Ok(n as u64));
}

#[tokio::test]
async fn the_log_refuses_update_and_delete_while_the_triggers_are_in_place() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let u = try_exec(
        &app,
        "UPDATE audit_log SET actor_name = 'someone' WHERE seq = 1",
    )
    .await;
    assert!(
        u.as_ref().is_err_and(|e| e.contains("append-only")),
        "{u:?}"
    );
    let d = try_exec(&app, "DELETE FROM audit_log WHERE seq = 2").await;
    assert!(
        d.as_ref().is_err_and(|e| e.contains("append-only")),
        "{d:?}"
    );
    let n = app.scalar_i64("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(verify(&app).await, Ok(n as u64));
}

#[tokio::test]
async fn an_edited_record_is_named_as_altered() {
    let app = spawn_app().await;
    some_activity(&app).await;
    drop_append_only_triggers(&app).await;
    app.exec(
        "UPDATE audit_log SET outcome = 'ok' WHERE action = 'org.list' AND outcome = 'denied'",
    )
    .await;
    let seq = app
        .scalar_i64("SELECT seq FROM audit_log WHERE action = 'org.list'")
        .await;
    assert_eq!(verify(&app).await, Err(Break::Altered { seq }));
    // An edit of the detail alone is found too.
    let app = spawn_app().await;
    some_activity(&app).await;
    drop_append_only_triggers(&app).await;
    app.exec("UPDATE audit_log SET detail = '{}' WHERE seq = 1")
        .await;
    assert_eq!(verify(&app).await, Err(Break::Altered { seq: 1 }));
}

#[tokio::test]
async fn a_deleted_record_is_named_as_missing() {
    let app = spawn_app().await;
    some_activity(&app).await;
    drop_append_only_triggers(&app).await;
    app.exec("DELETE FROM audit_log WHERE seq = 3").await;
    assert_eq!(
        verify(&app).await,
        Err(Break::Missing {
            expected: 3,
            found: 4
        })
    );
}

#[tokio::test]
async fn a_removed_tail_is_named_as_truncated() {
    let app = spawn_app().await;
    let head = some_activity(&app).await;
    drop_append_only_triggers(&app).await;
    app.exec(&format!("DELETE FROM audit_log WHERE seq > {}", head - 2))
        .await;
    assert_eq!(
        verify(&app).await,
        Err(Break::Truncated {
            last_seq: head - 2,
            head_seq: head
        })
    );
}

#[tokio::test]
async fn two_records_swapped_are_found() {
    let app = spawn_app().await;
    some_activity(&app).await;
    drop_append_only_triggers(&app).await;
    app.exec("UPDATE audit_log SET seq = -2 WHERE seq = 2")
        .await;
    app.exec("UPDATE audit_log SET seq = 2 WHERE seq = 3").await;
    app.exec("UPDATE audit_log SET seq = 3 WHERE seq = -2")
        .await;
    assert_eq!(verify(&app).await, Err(Break::Altered { seq: 2 }));
}

#[tokio::test]
async fn a_record_inserted_with_a_valid_mac_but_the_wrong_predecessor_is_named_as_unlinked() {
    let app = spawn_app().await;
    let head = some_activity(&app).await;
    // Someone holding the key forges a record that chains to record 1 instead of the head.
    let first = app
        .scalar_text("SELECT hash FROM audit_log WHERE seq = 1")
        .await
        .unwrap();
    let mut row = AuditRow {
        seq: head + 1,
        at: 1_800_000_000_000,
        actor_id: None,
        actor_name: "forger".into(),
        action: "org.create".into(),
        target_type: "org".into(),
        target_id: "220502-FAKE".into(),
        outcome: "ok".into(),
        request_id: String::new(),
        ip: String::new(),
        detail: "{}".into(),
        prev_hash: first.clone(),
        hash: String::new(),
    };
    row.hash = app.state.audit_key.mac(&first, &row);
    app.exec(&format!(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target_type, target_id, outcome, request_id, ip, detail, prev_hash, hash) \
         VALUES ({}, {}, NULL, 'forger', 'org.create', 'org', '220502-FAKE', 'ok', '', '', '{{}}', '{}', '{}')",
        row.seq, row.at, row.prev_hash, row.hash
    ))
    .await;
    app.exec(&format!(
        "UPDATE audit_head SET seq = {}, hash = '{}' WHERE id = 1",
        row.seq, row.hash
    ))
    .await;
    assert_eq!(verify(&app).await, Err(Break::Unlinked { seq: head + 1 }));
}

#[tokio::test]
async fn the_audit_page_is_for_the_auditor_and_a_department_user_gets_403() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let name = "page_auditor";
    app.create_user(name, Role::Auditor, "220500-AWB").await;
    let w = app.browser_as(name).await;
    let p = w.get("/audit").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("lang=\"zh-CN\""));
    assert!(p.body.contains("审计日志"));
    assert!(p.body.contains("org.create"));
    let f = w.get("/audit?action=org.create&outcome=ok").await;
    assert!(f.body.contains("220502-A2"));
    assert!(!f.body.contains(">org.list<"));
    let en = w.get("/audit?lang=en").await;
    assert!(en.body.contains("lang=\"en\""));
    assert!(en.body.contains("Audit log"));
    let bad = w.get("/audit?from=notadate").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The auditor's other pages are refused.
    assert_eq!(w.get("/orgs").await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.get("/policy").await.status, StatusCode::FORBIDDEN);

    let dept = "page_dept";
    app.create_user(dept, Role::Department, "220500-YJ").await;
    let d = app.browser_as(dept).await;
    let before = app.audit_count("audit.read", "denied").await;
    let p = d.get("/audit").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("audit.read", "denied").await, before + 1);
}

#[tokio::test]
async fn the_audit_log_cannot_be_truncated_wholesale() {
    let app = spawn_app().await;
    let sql = if app.is_pg() {
        "TRUNCATE audit_log"
    } else {
        "DELETE FROM audit_log"
    };
    let mut tx = app.state.db.begin().await.unwrap();
    let r = anwei::on_tx!(&mut tx, |c| sqlx::query(sql).execute(c).await.map(|_| ()));
    assert!(r.is_err(), "refused by the append-only guard");
    drop(tx);
    assert!(app.scalar_i64("SELECT COUNT(*) FROM audit_log").await > 0);
}
