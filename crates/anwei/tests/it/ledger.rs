//! Tests of ledger: the xlsx export in the layout of the document's attachment, the ranking by
//! on-time rate, and the chart of lights per measure — within the actor's data scope.

use anwei::auth::model::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Api, TestApp, multipart, sheet, spawn_app};

const OFFICE: &str = "220500-AWB";
const DONGCHANG: &str = "220502-AWB";

/// Issues tasks with no body (the computed proposal), as the committee office.
async fn issue(app: &TestApp, office: &Api, tasks: &[i64]) {
    for n in tasks {
        let r = office
            .send(
                office
                    .client
                    .post(app.url(&format!("/api/v1/policy/tasks/{n}/assignments/issue")))
                    .bearer_auth(&office.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "issue task {n}: {:?}", r.body);
        assert!(
            r.body["created"].as_i64().unwrap_or(0) > 0,
            "task {n} created assignments"
        );
    }
}

struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(app: &TestApp, api: &Api, path: &str) -> Download {
    let mut r = api.client.get(app.url(path));
    if !api.token.is_empty() {
        r = r.bearer_auth(&api.token);
    }
    let res = r.send().await.expect("download");
    let h = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, disposition) = (h("content-type"), h("content-disposition"));
    Download {
        status: res.status(),
        content_type,
        disposition,
        bytes: res.bytes().await.expect("body").to_vec(),
    }
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} in {header:?}"))
}

fn row_of_task(rows: &[Vec<String>], n: i64) -> &Vec<String> {
    rows.iter()
        .find(|r| r.get(1).map(String::as_str) == Some(n.to_string().as_str()))
        .unwrap_or_else(|| panic!("row of task {n}"))
}

/// Epoch milliseconds of a Shanghai wall-clock time.
fn shanghai_ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(&format!("{s}+08:00"))
        .expect("instant")
        .timestamp_millis()
}

#[tokio::test]
async fn the_export_has_the_attachment_layout_with_a_status_column_per_organisation() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, OFFICE).await;
    issue(&app, &office, &[5, 7, 18]).await;
    // Task 5 goes to one organisation: make it acknowledged and overdue.
    let a5 = app
        .scalar_i64("SELECT MIN(id) FROM assignment WHERE task_number = 5")
        .await;
    app.exec(&format!(
        "UPDATE assignment SET status = 'acknowledged', watch_due = '2000-01-01' WHERE id = {a5}"
    ))
    .await;
    let org5 = app
        .scalar_text(&format!(
            "SELECT o.name FROM assignment a JOIN org o ON o.id = a.org_id WHERE a.id = {a5}"
        ))
        .await
        .expect("org of task 5");
    // An organisation whose name a spreadsheet would read as a formula.
    app.exec(
        "UPDATE org SET name = '=HYPERLINK(\"http://x\",\"y\")' WHERE id = \
         (SELECT org_id FROM assignment WHERE task_number = 18 ORDER BY id LIMIT 1)",
    )
    .await;
    let orgs = app
        .scalar_i64("SELECT COUNT(DISTINCT org_id) FROM assignment")
        .await as usize;

    let d = download(&app, &office, "/api/v1/assignments/export.xlsx").await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(
        d.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        d.disposition.starts_with("attachment;"),
        "{}",
        d.disposition
    );
    // 督办台账-YYYY-MM-DD.xlsx, percent-encoded as UTF-8.
    assert!(
        d.disposition
            .contains("filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E5%8F%B0%E8%B4%A6-20"),
        "{}",
        d.disposition
    );
    assert!(d.disposition.contains("filename=\"ledger-20"));

    let rows = sheet(&d.bytes);
    let header = &rows[0];
    assert_eq!(
        header[..5],
        [
            "国务院安委会安全生产15条措施内容",
            "序号",
            "重点任务",
            "责任单位",
            "完成时限"
        ]
    );
    assert_eq!(header.len(), 5 + orgs + 3, "one column per organisation");
    assert_eq!(header[5 + orgs..], ["交办单位数", "已销号", "红灯"]);
    assert_eq!(rows.len(), 1 + 66, "one row per task of the policy");
    assert_eq!(rows[1][0], "1. 严格落实党委安全生产责任");
    // Status and light of the known cell, and the row's counts.
    let r5 = row_of_task(&rows, 5);
    assert_eq!(r5[col(header, &org5)], "办理中·红灯");
    assert_eq!(r5[5 + orgs], "1");
    assert_eq!(r5[5 + orgs + 2], "1");
    // An organisation without task 5 has an empty cell there.
    assert_eq!(r5[5..5 + orgs].iter().filter(|c| !c.is_empty()).count(), 1);
    // The formula-like name is neutralised with an apostrophe.
    assert!(
        header.contains(&"'=HYPERLINK(\"http://x\",\"y\")".to_string()),
        "{header:?}"
    );
    assert!(!header.iter().any(|h| h.starts_with('=')));
    // Task 7 went to several organisations; each shows a status and a light.
    let r7 = row_of_task(&rows, 7);
    let n7 = app
        .scalar_i64("SELECT COUNT(*) FROM assignment WHERE task_number = 7")
        .await;
    assert_eq!(r7[5 + orgs], n7.to_string());
    assert_eq!(
        r7[5..5 + orgs].iter().filter(|c| c.contains('·')).count() as i64,
        n7
    );

    // Filters as on the ledger page: only red → only task rows with a red assignment.
    app.exec(&format!(
        "UPDATE assignment SET status = 'acknowledged', watch_due = '2999-12-31' WHERE id <> {a5}"
    ))
    .await;
    let d = download(&app, &office, "/api/v1/assignments/export.xlsx?light=red").await;
    assert_eq!(d.status, StatusCode::OK);
    let rows = sheet(&d.bytes);
    assert_eq!(rows.len(), 2, "header and task 5");
    assert_eq!(rows[0].len(), 5 + 1 + 3);
    assert_eq!(rows[0][5], org5);
    assert_eq!(rows[1][5], "办理中·红灯");
    // A measure filter keeps that measure's tasks; the page route gives the same workbook.
    let web_user = format!(
        "office_web_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    app.create_user(&web_user, Role::Office, OFFICE).await;
    let web = app.browser_as(&web_user).await;
    let res = web
        .client
        .get(app.url("/supervision/export.xlsx?measure=1"))
        .send()
        .await
        .expect("page export");
    assert_eq!(res.status(), StatusCode::OK);
    let rows = sheet(&res.bytes().await.expect("bytes"));
    let in_measure_1 = app
        .scalar_i64("SELECT COUNT(*) FROM policy_task WHERE measure_number = 1")
        .await as usize;
    assert_eq!(rows.len(), 1 + in_measure_1);
    // A bad filter is named, not ignored.
    let r = office
        .get("/api/v1/assignments/export.xlsx?light=purple")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_territory_user_exports_only_the_organisations_of_its_territory() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, OFFICE).await;
    issue(&app, &office, &[7, 18]).await;
    let territory = app.api_as(Role::Territory, DONGCHANG).await;
    let d = download(&app, &territory, "/api/v1/assignments/export.xlsx").await;
    assert_eq!(d.status, StatusCode::OK);
    let rows = sheet(&d.bytes);
    let header = &rows[0];
    let orgs = &header[5..header.len() - 3];
    let expected = app
        .scalar_i64(
            "SELECT COUNT(DISTINCT a.org_id) FROM assignment a JOIN org o ON o.id = a.org_id \
             JOIN region r ON r.id = o.region_id WHERE r.code = '220502'",
        )
        .await as usize;
    assert!(expected > 0);
    assert_eq!(orgs.len(), expected, "{orgs:?}");
    assert!(orgs.iter().all(|n| n.contains("东昌区")), "{orgs:?}");
    // The office sees more organisations than the territory.
    let all = sheet(
        &download(&app, &office, "/api/v1/assignments/export.xlsx")
            .await
            .bytes,
    );
    assert!(all[0].len() > header.len());
    // The ranking is scoped the same way.
    let r = territory.get("/api/v1/assignments/ranking").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().expect("items");
    assert_eq!(items.len(), expected);
    assert!(
        items
            .iter()
            .all(|i| i["org_name"].as_str().unwrap_or("").contains("东昌区"))
    );
}

#[tokio::test]
async fn the_ranking_orders_organisations_by_on_time_rate() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, OFFICE).await;
    issue(&app, &office, &[18]).await;
    // Every assignment overdue, then three chosen ones: closed on time, closed late, on track.
    app.exec("UPDATE assignment SET status = 'acknowledged', due = '2022-09-30', watch_due = '2000-01-01'")
        .await;
    let ids: Vec<i64> = {
        let mut v = Vec::new();
        for k in 0..3 {
            v.push(
                app.scalar_i64(&format!(
                    "SELECT id FROM assignment ORDER BY id LIMIT 1 OFFSET {k}"
                ))
                .await,
            );
        }
        v
    };
    let (on_time, late, on_track) = (ids[0], ids[1], ids[2]);
    // Closed at 23:30 Shanghai time on the due day: on time.
    app.exec(&format!(
        "UPDATE assignment SET status = 'closed', closed_at = {} WHERE id = {on_time}",
        shanghai_ms("2022-09-30T23:30:00")
    ))
    .await;
    app.exec(&format!(
        "UPDATE assignment SET status = 'closed', closed_at = {} WHERE id = {late}",
        shanghai_ms("2022-10-01T00:30:00")
    ))
    .await;
    app.exec(&format!(
        "UPDATE assignment SET watch_due = '2999-12-31' WHERE id = {on_track}"
    ))
    .await;
    let code = |id: i64| {
        let app = &app;
        async move {
            app.scalar_text(&format!(
                "SELECT o.code FROM assignment a JOIN org o ON o.id = a.org_id WHERE a.id = {id}"
            ))
            .await
            .expect("org code")
        }
    };
    let (c_on_time, c_late, c_on_track) =
        (code(on_time).await, code(late).await, code(on_track).await);
    let total = app.scalar_i64("SELECT COUNT(*) FROM assignment").await as usize;

    let r = office.get("/api/v1/assignments/ranking").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let items = r.body["items"].as_array().expect("items").clone();
    assert_eq!(
        items.len(),
        total,
        "one row per organisation (one task each)"
    );
    let first = &items[0];
    assert_eq!(first["org_code"], c_on_time.as_str());
    assert_eq!(first["rank"], 1);
    assert_eq!(first["on_time_rate"], 1.0);
    assert_eq!(first["closed"], 1);
    assert_eq!(first["closed_on_time"], 1);
    // Closed late and overdue both rate 0 and share rank 2; fewer overdue comes first.
    let second = &items[1];
    assert_eq!(second["org_code"], c_late.as_str());
    assert_eq!(second["rank"], 2);
    assert_eq!(second["on_time_rate"], 0.0);
    assert_eq!(second["overdue"], 0);
    assert!(
        items[2..total - 1]
            .iter()
            .all(|i| i["rank"] == 2 && i["overdue"] == 1 && i["red"] == 1)
    );
    // Nothing decided yet: no rate, no rank, last.
    let last = &items[total - 1];
    assert_eq!(last["org_code"], c_on_track.as_str());
    assert_eq!(last["rank"], Value::Null);
    assert_eq!(last["on_time_rate"], Value::Null);
    assert_eq!(last["green"], 1);

    // The page shows the same order, with rank numbers and light counts as text.
    let user = format!(
        "office_rank_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    app.create_user(&user, Role::Office, OFFICE).await;
    let web = app.browser_as(&user).await;
    let page = web.get("/supervision/ranking").await;
    assert_eq!(page.status, StatusCode::OK);
    let name = |i: &Value| i["org_name"].as_str().expect("name").to_string();
    let pos = |s: &str| {
        page.body
            .find(s)
            .unwrap_or_else(|| panic!("{s} on the page"))
    };
    assert!(pos(&name(&items[0])) < pos(&name(&items[1])));
    assert!(pos(&name(&items[1])) < pos(&name(&items[total - 1])));
    assert!(page.body.contains("100.0%"));
    assert!(page.body.contains("红灯 1"));
    assert!(page.body.contains("按期办结率"));
}

#[tokio::test]
async fn the_chart_of_lights_per_measure_states_its_counts_as_text() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, OFFICE).await;
    issue(&app, &office, &[5, 7]).await;
    app.exec("UPDATE assignment SET status = 'acknowledged', watch_due = '2999-12-31'")
        .await;
    app.exec("UPDATE assignment SET watch_due = '2000-01-01' WHERE task_number = 5")
        .await;
    let m5 = app
        .scalar_i64("SELECT measure_number FROM policy_task WHERE number = 5")
        .await;
    let title = app
        .scalar_text(&format!(
            "SELECT title_zh FROM policy_measure WHERE number = {m5}"
        ))
        .await
        .expect("measure title");
    let green = app
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM assignment WHERE measure_number = {m5} AND task_number <> 5"
        ))
        .await;

    let user = format!(
        "office_chart_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    app.create_user(&user, Role::Office, OFFICE).await;
    let web = app.browser_as(&user).await;
    let page = web.get("/supervision/summary").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("<svg"), "inline SVG");
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("aria-labelledby=\"lights-by-measure-title lights-by-measure-desc\""));
    assert!(html.contains("<title id=\"lights-by-measure-title\">各措施任务灯色分布</title>"));
    let row = format!("措施{m5}（{title}）：红灯1，黄灯0，绿灯{green}，灰灯0");
    assert!(
        html.contains(&row),
        "text alternative names the counts: {row}"
    );
    // The roll-up table: worst light with its label, counts that open the rows behind them.
    assert!(html.contains("id=\"measure-rollup\""));
    let link = format!("href=\"/supervision?measure={m5}&#38;light=red\">1</a>");
    assert!(
        html.contains(&link),
        "{link} in {}",
        &html[html.find("measure-rollup").unwrap_or(0)..]
    );
    assert!(html.contains("<span class=\"light red\">红灯</span>"));

    // The same numbers as JSON.
    let r = office.get("/api/v1/assignments/by-measure").await;
    assert_eq!(r.status, StatusCode::OK);
    let m = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["measure"] == m5)
        .expect("measure")
        .clone();
    assert_eq!(m["red"], 1);
    assert_eq!(m["green"], green);
    assert_eq!(m["worst"], "red");

    // The ledger page links to the export, the ranking and the chart, keeping its filters.
    let ledger = web.get(&format!("/supervision?measure={m5}")).await;
    assert_eq!(ledger.status, StatusCode::OK);
    assert!(
        ledger
            .body
            .contains(&format!("href=\"/supervision/export.xlsx?measure={m5}\""))
    );
    assert!(
        ledger
            .body
            .contains(&format!("href=\"/supervision/ranking?measure={m5}\""))
    );
    assert!(
        ledger
            .body
            .contains(&format!("href=\"/supervision/summary?measure={m5}\""))
    );
    assert!(ledger.body.contains("导出 Excel") && ledger.body.contains("排名"));
}

#[tokio::test]
async fn exports_and_summaries_need_a_login_and_the_task_read_permission() {
    let app = spawn_app().await;
    let anon = app.anon();
    let auditor = app.api_as(Role::Auditor, OFFICE).await;
    for path in [
        "/api/v1/assignments/export.xlsx",
        "/api/v1/assignments/ranking",
        "/api/v1/assignments/by-measure",
    ] {
        assert_eq!(
            anon.get(path).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            auditor.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert!(app.audit_count("assignment.export", "denied").await >= 1);
}

#[tokio::test]
async fn an_imported_policys_export_is_headed_by_its_own_measures() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, OFFICE).await;
    let csv = "措施,序号,重点任务,责任单位,完成时限\r\n\
        一、压实安全生产责任,1,制定责任清单,各级党（工）委、政府,2026年6月底前完成\r\n";
    let (ct, body) = multipart(
        &[
            ("code", "zx-2026-9"),
            ("doc_number", "通安委〔2026〕9号"),
            ("title", "专项整治任务表"),
            ("issuer", "通化市安全生产委员会"),
            ("issued_on", "2026-03-01"),
        ],
        &[("file", "tasks.csv", csv.as_bytes())],
    );
    let r = office
        .post_raw("/api/v1/policies/import?dry_run=false", &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = download(
        &app,
        &office,
        "/api/v1/assignments/export.xlsx?policy=zx-2026-9",
    )
    .await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(sheet(&d.bytes)[0][0], "措施");
    let d = download(&app, &office, "/api/v1/assignments/export.xlsx").await;
    assert_eq!(
        sheet(&d.bytes)[0][0],
        "国务院安委会安全生产15条措施内容",
        "the built-in policy keeps the attachment's header"
    );
}

#[tokio::test]
async fn on_time_is_judged_by_the_day_completion_was_requested_not_accepted() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, OFFICE).await;
    issue(&app, &office, &[18]).await;
    app.exec("UPDATE assignment SET status = 'acknowledged', due = '2022-09-30', watch_due = '2000-01-01'")
        .await;
    let id = app
        .scalar_i64("SELECT id FROM assignment ORDER BY id LIMIT 1")
        .await;
    // Asked on the due day at 22:00; the office accepted after midnight.
    let asked = shanghai_ms("2022-09-30T22:00:00");
    let accepted = shanghai_ms("2022-10-01T09:00:00");
    app.exec(&format!(
        "INSERT INTO submission (subject_kind, subject_id, kind, body, submitted_at, submitted_by, decision, reviewed_at, reviewed_by) \
         VALUES ('assignment', {id}, 'completion', '已完成', {asked}, 1, 'accepted', {accepted}, NULL)"
    ))
    .await;
    app.exec(&format!(
        "UPDATE assignment SET status = 'closed', closed_at = {accepted} WHERE id = {id}"
    ))
    .await;
    let org = app
        .scalar_text(&format!(
            "SELECT o.code FROM assignment a JOIN org o ON o.id = a.org_id WHERE a.id = {id}"
        ))
        .await
        .expect("org");
    let r = office.get("/api/v1/assignments/ranking").await;
    let row = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["org_code"] == org.as_str())
        .expect("row")
        .clone();
    assert_eq!(
        row["closed_on_time"], 1,
        "not blamed for the office's day: {row}"
    );
    assert_eq!(row["on_time_rate"], 1.0);
}
