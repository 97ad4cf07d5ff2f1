//! Tests of extension requests (延期申请), the hazard dashboards with their tally, and the xlsx
//! exports (issue 11).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::hazards::credit_code;
use crate::helpers::*;
use anwei::auth::model::Role;

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

fn month(offset: i64) -> String {
    day(offset)[..7].to_string()
}

async fn enterprise_in(api: &Api, first17: &str, region: &str, industry: &str) -> i64 {
    let r = api
        .post(
            "/api/v1/enterprises",
            json!({"name": format!("企业{first17}"), "credit_code": credit_code(first17), "region_code": region, "industry": industry}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

async fn hazard(api: &Api, enterprise: i64, grade: &str, found: i64, deadline: i64) -> i64 {
    let criterion = if grade == "major" {
        anwei_rules::hazard::criteria()[0].code
    } else {
        ""
    };
    let r = api
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": enterprise, "description": "消防通道堵塞", "grade": grade,
                   "criterion": criterion, "found_on": day(found), "deadline": day(deadline)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

async fn submit(api: &Api, id: i64) {
    let r = api
        .post(
            &format!("/api/v1/hazards/{id}/submit"),
            json!({"note": "已整改"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn decide(api: &Api, id: i64, what: &str) {
    let r = api
        .post(
            &format!("/api/v1/hazards/{id}/{what}"),
            json!({"comment": "见意见"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

fn count(v: &Value, table: &str, key: &str) -> i64 {
    v[table]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["key"] == key))
        .map_or(0, |c| c["n"].as_i64().expect("n"))
}

fn rates<'a>(v: &'a Value, table: &str, key: &str) -> &'a Value {
    v[table]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["key"] == key))
        .unwrap_or_else(|| panic!("no {key} in {table}: {v}"))
}

/// The tally agrees with counting the hazards themselves.
async fn tally_matches(app: &TestApp) {
    for s in ["registered", "rectifying", "submitted", "closed"] {
        let counted = app
            .scalar_i64(&format!("SELECT COUNT(*) FROM hazard WHERE status = '{s}'"))
            .await;
        let tallied = app
            .scalar_i64(&format!(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM hazard_tally WHERE status = '{s}'"
            ))
            .await;
        assert_eq!(counted, tallied, "tally of {s}");
    }
    // The open-hazard tally (the overdue figure) holds each place and deadline's open count.
    let groups = "SELECT region_path, deadline, COUNT(*) AS c FROM hazard WHERE status <> 'closed' \
                  GROUP BY region_path, deadline";
    let missing = app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM ({groups}) h WHERE NOT EXISTS (SELECT 1 FROM hazard_open_tally t \
             WHERE t.region_path = h.region_path AND t.deadline = h.deadline AND t.n = h.c)"
        ))
        .await;
    assert_eq!(missing, 0, "open tally per place and deadline");
    let kept = "SELECT COUNT(*) FROM hazard_open_tally WHERE n <> 0";
    let counted = app
        .scalar_i64(&format!("SELECT COUNT(*) FROM ({groups}) h"))
        .await;
    assert_eq!(app.scalar_i64(kept).await, counted, "no stray counter");
}

#[tokio::test]
async fn an_extension_is_requested_and_decided_by_the_office_only() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let eid_org = enterprise_in(&county, "91220502MA0000101", "220502", "C26").await;
    let ent = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000101"))
        .await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let h = hazard(&county, eid_org, "general", -20, -2).await;
    let other = hazard(&county, eid_org, "general", -1, 5).await;
    let overdue = |v: &Value| v["total"].as_i64().expect("total");
    let r = office.get("/api/v1/hazards?overdue=true").await;
    assert_eq!(overdue(&r.body), 1, "{}", r.body);

    // Bad requests name their field.
    let path = format!("/api/v1/hazards/{h}/extensions");
    let r = ent
        .post(&path, json!({"deadline": day(0), "reason": "设备未到货"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("deadline").is_some(), "{}", r.body);
    let r = ent.post(&path, json!({"deadline": day(10)})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("reason").is_some(), "{}", r.body);
    // Another county's territory does not see the hazard.
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let r = ji_an
        .post(&path, json!({"deadline": day(10), "reason": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    let r = ent
        .post(&path, json!({"deadline": day(10), "reason": "设备未到货"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["state"], "pending");
    assert_eq!(r.body["old_deadline"], day(-2));
    let e1 = r.body["id"].as_i64().expect("id");
    let r = ent
        .post(&path, json!({"deadline": day(12), "reason": "再延"}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "one pending at a time: {}",
        r.body
    );

    // Not the enterprise, not a territory, not an id of another hazard.
    let decide = |h: i64, e: i64| format!("/api/v1/hazards/{h}/extensions/{e}/decide");
    let r = ent.post(&decide(h, e1), json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = county.post(&decide(h, e1), json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = office
        .post(&decide(other, e1), json!({"approve": true}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    // A refusal needs a note; refused, the deadline stays.
    let r = office.post(&decide(h, e1), json!({"approve": false})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("note").is_some(), "{}", r.body);
    let r = office
        .post(
            &decide(h, e1),
            json!({"approve": false, "note": "理由不充分"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["state"], "refused");
    let r = office.post(&decide(h, e1), json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "decided once: {}", r.body);
    let d = office.get(&format!("/api/v1/hazards/{h}")).await;
    assert_eq!(d.body["hazard"]["deadline"], day(-2));
    assert_eq!(d.body["hazard"]["overdue"], true);
    let listed = office.get("/api/v1/hazards?overdue=true").await.body["total"].clone();
    let stats = office.get("/api/v1/hazards/stats").await;
    assert!(listed.as_i64().unwrap_or(0) >= 1, "{listed}");
    assert_eq!(
        stats.body["overdue"], listed,
        "the dashboard's overdue is the list's"
    );

    // The office itself asks for the enterprise: it may not decide its own request.
    let r = office
        .post(&path, json!({"deadline": day(15), "reason": "代企业申请"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e2 = r.body["id"].as_i64().expect("id");
    let r = office.post(&decide(h, e2), json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the requester: {}", r.body);
    let office2 = app.api_as(Role::Office, "220500-AWB").await;
    let r = office2
        .post(&decide(h, e2), json!({"approve": true, "note": "同意"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["state"], "approved");
    let d = office.get(&format!("/api/v1/hazards/{h}")).await;
    assert_eq!(d.body["hazard"]["deadline"], day(15));
    assert_eq!(d.body["hazard"]["overdue"], false);
    let r = office.get("/api/v1/hazards?overdue=true").await;
    assert_eq!(overdue(&r.body), 0, "{}", r.body);
    let stats = office.get("/api/v1/hazards/stats").await;
    assert_eq!(
        stats.body["overdue"], 0,
        "the extension left it not overdue: {}",
        stats.body
    );
    tally_matches(&app).await;
    let r = ent.get(&path).await;
    assert_eq!(
        r.body["items"].as_array().map(Vec::len),
        Some(2),
        "{}",
        r.body
    );
    assert_eq!(
        r.body["items"][0]["old_deadline"],
        day(-2),
        "the old deadline kept"
    );
    assert_eq!(app.audit_count("hazard.extension_request", "ok").await, 2);
    assert_eq!(app.audit_count("hazard.extension_decide", "ok").await, 2);
    assert!(app.audit_count("hazard.extension_decide", "denied").await >= 3);

    // A closed hazard takes no request.
    submit(&ent, h).await;
    decide_as(&office2, h).await;
    let r = ent
        .post(&path, json!({"deadline": day(30), "reason": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // The page shows the requests and, for the enterprise, the form.
    let page = app.browser_as(&ent.username).await;
    let p = page.get(&format!("/hazards/{other}")).await;
    assert!(p.body.contains("id=\"extension-request\""), "the form");
    let p = page
        .post_form(
            &format!("/hazards/{other}/extensions"),
            &[("deadline", &day(9)), ("reason", "雨季停工")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let web_office = app.browser_as(&office.username).await;
    let p = web_office.get(&format!("/hazards/{other}")).await;
    assert!(
        p.body.contains("id=\"extension-approve\""),
        "the office decides on the page"
    );
    assert!(p.body.contains("雨季停工"));
    let x = office
        .get(&format!("/api/v1/hazards/{other}/extensions"))
        .await;
    let xid = x.body["items"][0]["id"].as_i64().expect("the request");
    let path = format!("/hazards/{other}/extensions/{xid}/decide");
    let p = web_office.post_form(&path, &[("approve", "false")]).await;
    assert_eq!(
        p.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a refusal needs a note"
    );
    assert!(p.body.contains("id=\"ext-note-err\""));
    let p = web_office.post_form(&path, &[("approve", "true")]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let d = office.get(&format!("/api/v1/hazards/{other}")).await;
    assert_eq!(d.body["hazard"]["deadline"], day(9));
}

async fn decide_as(api: &Api, id: i64) {
    decide(api, id, "accept").await;
}

#[tokio::test]
async fn the_dashboard_counts_follow_every_move_and_stay_in_scope() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let dongchang = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let e1 = enterprise_in(&dongchang, "91220502MA0000201", "220502", "C26").await;
    let e2 = enterprise_in(&ji_an, "91220582MA0000202", "220582", "E47").await;
    let ent1 = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000201"))
        .await;
    let ent2 = app
        .api_as(Role::Enterprise, &credit_code("91220582MA0000202"))
        .await;
    let h1 = hazard(&dongchang, e1, "general", -60, -30).await; // closed late
    let h2 = hazard(&dongchang, e1, "major", -10, 20).await; // open
    let h3 = hazard(&ji_an, e2, "general", -10, 20).await; // closed on time
    let h4 = hazard(&dongchang, e1, "general", -20, -1).await; // overdue
    submit(&ent1, h1).await;
    decide(&office, h1, "accept").await;
    submit(&ent2, h3).await;
    decide(&office, h3, "accept").await;
    tally_matches(&app).await;

    let s = office.get("/api/v1/hazards/stats").await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let b = &s.body;
    assert_eq!(b["total"], 4, "{b}");
    assert_eq!(b["overdue"], 1, "{b}");
    assert_eq!(count(b, "by_grade", "general"), 3);
    assert_eq!(count(b, "by_grade", "major"), 1);
    assert_eq!(count(b, "by_status", "closed"), 2);
    assert_eq!(count(b, "by_status", "registered"), 2);
    assert_eq!(count(b, "by_industry", "C"), 3);
    assert_eq!(count(b, "by_industry", "E"), 1);
    assert_eq!(count(b, "by_month", &month(-60)), 1);
    let recent = [-10, -10, -20]
        .iter()
        .filter(|d| month(**d) == month(-10))
        .count() as i64;
    assert_eq!(count(b, "by_month", &month(-10)), recent);
    let dc = rates(b, "territories", "220502");
    assert_eq!(
        (
            dc["total"].as_i64(),
            dc["closed"].as_i64(),
            dc["closed_on_time"].as_i64()
        ),
        (Some(3), Some(1), Some(0))
    );
    assert_eq!(dc["on_time_rate"], 0.0);
    assert!((dc["rectification_rate"].as_f64().expect("rate") - 0.3333).abs() < 0.001);
    let ja = rates(b, "territories", "220582");
    assert_eq!(ja["rectification_rate"], 1.0);
    assert_eq!(ja["on_time_rate"], 1.0);
    let yj = rates(b, "departments", "emergency");
    assert_eq!(yj["total"], 3, "C26 is 应急's: {b}");
    let zj = rates(b, "departments", "housing");
    assert_eq!(
        (zj["total"].as_i64(), zj["closed_on_time"].as_i64()),
        (Some(1), Some(1))
    );

    // A period: hazards found from the month of ten days ago.
    let s = office
        .get(&format!("/api/v1/hazards/stats?from={}", month(-10)))
        .await;
    let since = [-60, -10, -10, -20]
        .iter()
        .filter(|d| month(**d) >= month(-10))
        .count();
    assert_eq!(s.body["total"], since as i64, "{}", s.body);
    let r = office.get("/api/v1/hazards/stats?from=2026-13").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("from").is_some(), "{}", r.body);

    // Scope: 集安 sees its own; narrowing to 东昌 from 集安 shows nothing; enterprises refused.
    let s = ji_an.get("/api/v1/hazards/stats").await;
    assert_eq!(s.body["total"], 1, "{}", s.body);
    assert_eq!(s.body["territories"].as_array().map(Vec::len), Some(1));
    let s = ji_an.get("/api/v1/hazards/stats?region=220502").await;
    assert_eq!(s.body["total"], 0, "{}", s.body);
    let s = office.get("/api/v1/hazards/stats?region=220502").await;
    assert_eq!(
        (s.body["total"].as_i64(), s.body["overdue"].as_i64()),
        (Some(3), Some(1))
    );
    let r = ent1.get("/api/v1/hazards/stats").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Naming a region never widens one organisation's scope to it.
    for path in [
        "/api/v1/hazards/stats?region=220502",
        "/api/v1/hazards/stats?region=220500",
    ] {
        let r = ent1.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    }
    let r = ent2.get("/api/v1/hazards?region=220502").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items.iter().all(|h| h["enterprise_id"] == e2),
        "its own hazards only, never another county's: {}",
        r.body
    );
    let r = ent1.get("/api/v1/enterprises?region=220502").await;
    let names: Vec<i64> = r.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["id"].as_i64()).collect())
        .unwrap_or_default();
    assert!(names.iter().all(|id| *id == e1), "its own only: {}", r.body);

    // The list's total comes from the tally and agrees with the rows.
    let r = office
        .get("/api/v1/hazards?status=registered&grade=general&region=220502")
        .await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    assert_eq!(r.body["items"][0]["id"], h4);
    let r = office.get("/api/v1/hazards?industry=C").await;
    assert_eq!(r.body["total"], 3, "{}", r.body);

    // Reopen, return and an extension move the counters (or leave them) as they should.
    let r = office
        .post(
            &format!("/api/v1/hazards/{h3}/reopen"),
            json!({"reason": "复查发现反弹"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    submit(&ent1, h2).await;
    decide(&office, h2, "return").await;
    let x = ent1
        .post(
            &format!("/api/v1/hazards/{h4}/extensions"),
            json!({"deadline": day(5), "reason": "等待配件"}),
        )
        .await;
    let xid = x.body["id"].as_i64().expect("extension");
    let r = office
        .post(
            &format!("/api/v1/hazards/{h4}/extensions/{xid}/decide"),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    tally_matches(&app).await;
    let s = office.get("/api/v1/hazards/stats").await;
    let b = &s.body;
    assert_eq!(b["total"], 4);
    assert_eq!(b["overdue"], 0, "the extension cleared it: {b}");
    assert_eq!(count(b, "by_status", "closed"), 1);
    assert_eq!(count(b, "by_status", "rectifying"), 2);
    assert_eq!(count(b, "by_status", "registered"), 1);
    let ja = rates(b, "territories", "220582");
    assert_eq!(
        (ja["closed"].as_i64(), ja["on_time_rate"].clone()),
        (Some(0), Value::Null)
    );

    // The page shows the same figures and links the overdue list.
    let web = app.browser_as(&office.username).await;
    let p = web.get("/hazards/dashboard").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body.contains("<dd id=\"stat-total\">4</dd>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("/hazards?overdue=true"));
    assert!(p.body.contains("集安市"));
    let p = web.get("/hazards/dashboard?from=bad").await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every worksheet of an xlsx workbook by name, as rows of text.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .expect("an xlsx workbook");
    wb.worksheets()
        .into_iter()
        .map(|(name, range)| {
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|c| match c {
                            Data::String(s) => s.clone(),
                            Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                            Data::Float(f) => format!("{f:.4}"),
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

async fn bytes(api: &Api, path: &str) -> (StatusCode, Vec<u8>) {
    let r = api
        .client
        .get(format!("{}{path}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("download");
    let status = r.status();
    (status, r.bytes().await.expect("bytes").to_vec())
}

#[tokio::test]
async fn the_dashboard_and_the_list_export_to_xlsx() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let e = enterprise_in(&county, "91220502MA0000301", "220502", "C26").await;
    let ent = app
        .api_as(Role::Enterprise, &credit_code("91220502MA0000301"))
        .await;
    let h1 = hazard(&county, e, "major", -5, 10).await;
    let h2 = hazard(&county, e, "general", -5, 3).await;
    submit(&ent, h2).await;
    decide(&office, h2, "accept").await;

    let (status, b) = bytes(&office, "/api/v1/hazards/stats.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    let wb = sheets(&b);
    assert_eq!(wb.len(), 7, "summary and six tables");
    let summary = &wb[0].1;
    assert_eq!(summary[1][1], "通化市");
    assert_eq!(summary[3], vec!["隐患总数".to_string(), "2".to_string()]);
    let (name, places) = &wb[5];
    assert_eq!(name, "按属地");
    assert_eq!(places[1][..4], ["东昌区", "2", "1", "1"].map(String::from));
    assert_eq!(places[1][4], "0.5000");
    assert_eq!(app.audit_count("hazard.stats_export", "ok").await, 1);

    let (status, b) = bytes(&office, "/api/v1/hazards/export.xlsx?grade=major").await;
    assert_eq!(status, StatusCode::OK);
    let rows = &sheets(&b)[0].1;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "编号");
    assert_eq!(rows[1][0], h1.to_string());
    assert_eq!(rows[1][4], "重大事故隐患");
    assert_eq!(rows[1][8], day(10));
    let (_, b) = bytes(&office, "/api/v1/hazards/export.xlsx").await;
    assert_eq!(sheets(&b)[0].1.len(), 3);
    // Out of scope: another county's export holds no rows.
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let (_, b) = bytes(&ji_an, "/api/v1/hazards/export.xlsx").await;
    assert_eq!(sheets(&b)[0].1.len(), 1, "the header alone");
    let (status, _) = bytes(&ji_an, "/api/v1/hazards/export.xlsx?grade=bad").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
