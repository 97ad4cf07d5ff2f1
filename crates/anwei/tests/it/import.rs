//! Tests of importing a new policy table: preview with every cell's structure, every bad
//! cell listed with its row and column, all-or-nothing import, several policies side by side.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use anwei::auth::model::Role;
use anwei::i18n::{Lang, Msg};
use anwei::policy::import::{MAX_CELLS, MAX_FILE_BYTES, MAX_ROWS};
use rust_xlsxwriter::Workbook;

const BOUNDARY: &str = "anweiImportBoundary9f8e7d6c5b4a";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, data)) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), b)
}

fn meta(code: &str) -> Vec<(&str, &str)> {
    vec![
        ("code", code),
        ("doc_number", "通安委〔2026〕1号"),
        ("title", "关于开展安全生产专项整治的通知"),
        ("issuer", "通化市安全生产委员会"),
        ("issued_on", "2026-03-01"),
    ]
}

/// Three tasks; the second row's measure cell is blank (continues the first), a quoted cell
/// holds a comma, and the file starts with a BOM.
fn good_csv() -> Vec<u8> {
    let text = "\u{feff}措施,序号,重点任务,责任单位,完成时限\r\n\
        一、压实安全生产责任,1,\"制定责任清单，明确分工\",各级党（工）委、政府,2026年6月底前完成\r\n\
        ,2,开展隐患排查,市应急管理部门,\"2026年9月底前完成，并长期坚持\"\r\n\
        二、强化专项整治,3,加强执法检查,负有安全生产监督管理职责的部门,长期坚持\r\n";
    text.as_bytes().to_vec()
}

async fn import(api: &Api, code: &str, dry_run: bool, name: &str, bytes: &[u8]) -> Resp {
    let (ct, body) = multipart(&meta(code), Some((name, bytes)));
    api.post_raw(
        &format!("/api/v1/policies/import?dry_run={dry_run}"),
        &ct,
        body,
    )
    .await
}

#[tokio::test]
async fn a_valid_csv_previews_and_imports_as_a_second_policy() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = import(&office, "zx-2026-1", true, "tasks.csv", &good_csv()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["errors"], Value::Array(vec![]));
    let rows = r.body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["row"], 2);
    assert_eq!(rows[0]["content"], "制定责任清单，明确分工");
    assert_eq!(rows[0]["deadline"]["due"], "2026-06-30");
    assert_eq!(rows[0]["deadline"]["kind"], "dated");
    assert_eq!(
        rows[1]["measure"], 1,
        "a blank measure cell continues the one above"
    );
    assert_eq!(rows[1]["deadline"]["ongoing"], true);
    assert_eq!(rows[2]["measure"], 2);
    assert!(rows[2]["deadline"]["due"].is_null());
    assert_eq!(rows[0]["units"].as_array().expect("units").len(), 2);
    // A dry run stores nothing.
    assert_eq!(
        office.get("/api/v1/policies").await.body["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );

    let r = import(&office, "zx-2026-1", false, "tasks.csv", &good_csv()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["policy"], "zx-2026-1");
    let p = office.get("/api/v1/policies").await;
    let items = p.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .any(|i| i["code"] == "zx-2026-1" && i["builtin"] == false)
    );
    let t = office.get("/api/v1/policy/tasks?policy=zx-2026-1").await;
    assert_eq!(t.status, StatusCode::OK);
    let tasks = t.body["items"].as_array().expect("items");
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0]["deadline"]["due"], "2026-06-30");
    assert_eq!(tasks[1]["deadline"]["kind"], "dated_then_ongoing");
    assert_eq!(tasks[2]["deadline"]["kind"], "ongoing");
    assert_eq!(tasks[2]["measure"], 2);
    assert_eq!(tasks[1]["units"][0]["code"], "city/department:emergency");
    let m = office.get("/api/v1/policy/measures?policy=zx-2026-1").await;
    assert_eq!(m.body["items"].as_array().expect("measures").len(), 2);
    // The built-in policy is untouched and still the default.
    let b = office.get("/api/v1/policy/tasks").await;
    assert_eq!(b.body["total"], 66);
    assert_eq!(app.audit_count("policy.import", "ok").await, 1);
    // Its code is now taken.
    let again = import(&office, "zx-2026-1", false, "tasks.csv", &good_csv()).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body["fields"]["code"].is_string());
}

#[tokio::test]
async fn an_unparseable_deadline_is_listed_with_its_row_and_column_and_nothing_is_imported() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let csv = "措施,序号,重点任务,责任单位,完成时限\n\
        一、压实责任,1,任务一,各级政府,长期坚持\n\
        ,2,任务二,市应急管理部门,尽快\n\
        ,3,任务三,各级政府,长期坚持\n";
    for dry in [true, false] {
        let r = import(&office, "bad-2026", dry, "bad.csv", csv.as_bytes()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
        let errors = r.body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0]["row"], 3);
        assert_eq!(errors[0]["column"], "deadline");
        assert_eq!(errors[0]["letter"], "E");
        assert_eq!(errors[0]["text"], "尽快");
        assert!(errors[0]["reason"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(r.body["rows"].as_array().expect("rows").len(), 3);
    }
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy").await, 1);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy_task WHERE policy_id <> (SELECT id FROM policy WHERE builtin = TRUE)").await,
        0
    );
    // Other kinds of bad cells, all listed at once.
    let csv = "措施,序号,重点任务,责任单位,完成时限\n\
        ,1,任务一,各级政府,长期坚持\n\
        甲,1,,火星管理局,长期坚持\n";
    let r = import(&office, "bad-2026", true, "bad.csv", csv.as_bytes()).await;
    let at: Vec<(i64, String)> = r.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().expect("row"),
                e["column"].as_str().expect("col").to_string(),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            (2, "measure".to_string()),
            (3, "number".to_string()),
            (3, "task".to_string()),
            (3, "units".to_string())
        ]
    );
    // Not UTF-8 (GBK): a clear error.
    let gbk: Vec<u8> = vec![0xb4, 0xeb, 0xca, 0xa9, b',', 0xd0, 0xf2, 0xba, 0xc5, b'\n'];
    let r = import(&office, "bad-2026", true, "gbk.csv", &gbk).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["fields"]["file"]
            .as_str()
            .is_some_and(|s| s.contains("UTF-8")),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn an_xlsx_with_a_merged_measure_cell_previews_and_imports() {
    use rust_xlsxwriter::Format;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "重点任务分工表").expect("title");
    for (c, h) in ["措施", "序号", "重点任务", "责任单位", "完成时限"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).expect("header");
    }
    ws.merge_range(2, 0, 3, 0, "一、压实安全生产责任", &Format::new())
        .expect("merge");
    ws.write_number(2, 1, 1.0).expect("n");
    ws.write_string(2, 2, "制定责任清单").expect("t");
    ws.write_string(2, 3, "各级政府").expect("u");
    ws.write_string(2, 4, "2026年6月底前完成").expect("d");
    ws.write_number(3, 1, 2.0).expect("n");
    ws.write_string(3, 2, "开展专项检查").expect("t");
    ws.write_string(3, 3, "市应急管理部门").expect("u");
    ws.write_string(3, 4, "2026年4月至2026年9月").expect("d");
    let bytes = wb.save_to_buffer().expect("xlsx");

    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = import(&office, "xlsx-2026", true, "tasks.xlsx", &bytes).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let rows = r.body["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["row"], 3,
        "file rows count from 1, title and header included"
    );
    assert_eq!(rows[0]["number"], 1);
    assert_eq!(rows[1]["measure"], 1);
    assert_eq!(rows[1]["measure_title"], "一、压实安全生产责任");
    assert_eq!(rows[1]["deadline"]["kind"], "window");
    assert_eq!(rows[1]["deadline"]["window_start"], "2026-04-01");
    assert_eq!(rows[1]["deadline"]["window_end"], "2026-09-30");
    let r = import(&office, "xlsx-2026", false, "tasks.xlsx", &bytes).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let t = office.get("/api/v1/policy/tasks?policy=xlsx-2026").await;
    assert_eq!(t.body["total"], 2);
    // A truncated xlsx is refused, not guessed at.
    let r = import(
        &office,
        "xlsx-2027",
        true,
        "broken.xlsx",
        &bytes[..bytes.len() / 2],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["file"].is_string());
}

#[tokio::test]
async fn a_duplicate_code_and_missing_fields_are_422_and_only_the_office_imports() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = import(&office, "tonghua-2022-10", false, "t.csv", &good_csv()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["code"].is_string(), "{:?}", r.body);
    let (ct, body) = multipart(&[("code", "x-1")], Some(("t.csv", &good_csv())));
    let r = office.post_raw("/api/v1/policies/import", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["doc_number", "title", "issuer", "issued_on"] {
        assert!(r.body["fields"][f].is_string(), "{f}: {:?}", r.body);
    }
    let (ct, body) = multipart(&meta("x-2"), None);
    let r = office.post_raw("/api/v1/policies/import", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["file"].is_string());
    for (role, org) in [
        (Role::Department, "220500-YJ"),
        (Role::Territory, "220502-ZF"),
        (Role::Admin, "220500-AWB"),
    ] {
        let a = app.api_as(role, org).await;
        let r = import(&a, "x-3", false, "t.csv", &good_csv()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let r = import(&app.anon(), "x-3", false, "t.csv", &good_csv()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy").await, 1);
    assert!(app.audit_count("policy.import", "denied").await >= 3);
}

#[tokio::test]
async fn the_page_previews_then_confirms_and_a_forged_upload_is_refused() {
    let app = spawn_app().await;
    app.create_user("imp_office", Role::Office, "220500-AWB")
        .await;
    app.create_user("imp_office2", Role::Office, "220500-AWB")
        .await;
    let w = app.browser_as("imp_office").await;
    let p = w.get("/policy").await;
    assert!(p.body.contains("/policy/import"));
    let p = w.get("/policy/import").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("/policy/import?_csrf="));
    let (ct, body) = multipart(&meta("web-2026"), Some(("tasks.csv", &good_csv())));
    let r = w
        .client
        .post(format!("{}/policy/import?_csrf={}", w.base, w.csrf))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    assert!(html.contains("id=\"preview-table\""));
    assert!(html.contains("2026年6月30日"), "parsed due date shown");
    let sha = html
        .split("name=\"sha\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("confirm form carries the upload's key")
        .to_string();
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy").await,
        1,
        "nothing stored before confirming"
    );

    // Another account cannot confirm this upload.
    let w2 = app.browser_as("imp_office2").await;
    let mut fields: Vec<(&str, &str)> = vec![("sha", sha.as_str())];
    fields.extend(meta("web-2026"));
    let p = w2.post_form("/policy/import/confirm", &fields).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy").await, 1);

    let p = w.post_form("/policy/import/confirm", &fields).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(p.location(), "/policy?policy=web-2026");
    let p = w.get("/policy?policy=web-2026").await;
    assert!(p.body.contains("开展隐患排查"));
    // Confirming twice: the code is taken now.
    let p = w.post_form("/policy/import/confirm", &fields).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy").await, 2);

    // A file with a bad cell shows the error table and no confirm form.
    let csv = "措施,序号,重点任务,责任单位,完成时限\n甲,1,任务,各级政府,尽快\n";
    let (ct, body) = multipart(&meta("web-2027"), Some(("bad.csv", csv.as_bytes())));
    let r = w
        .client
        .post(format!("{}/policy/import?_csrf={}", w.base, w.csrf))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("id=\"error-table\""));
    assert!(html.contains("尽快"));
    assert!(!html.contains("id=\"confirm-form\""));
    // A department cannot open the page.
    app.create_user("imp_dept", Role::Department, "220500-YJ")
        .await;
    let d = app.browser_as("imp_dept").await;
    assert_eq!(d.get("/policy/import").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn tasks_of_an_imported_policy_are_issued_and_followed_through_the_pages() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = import(&office, "zx-2026-1", false, "tasks.csv", &good_csv()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let w = app.browser_as(&office.username).await;
    let page = w.get("/policy?policy=zx-2026-1").await;
    assert!(
        page.body
            .contains("href=\"/policy/tasks/3?policy=zx-2026-1\""),
        "task links keep the policy"
    );
    assert!(
        page.body.contains("<select id=\"policy\" name=\"policy\">"),
        "a selector when several policies exist"
    );
    let task = w.get("/supervision/tasks/3?policy=zx-2026-1").await;
    assert_eq!(task.status, StatusCode::OK);
    assert!(
        task.body.contains("加强执法检查"),
        "the imported task, not the built-in one"
    );
    let p = w
        .post_form(
            "/supervision/tasks/3/issue",
            &[
                ("policy", "zx-2026-1"),
                ("org", "220500-YJ:lead"),
                ("org", "220502-YJ:support"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location().contains("policy=zx-2026-1"));
    let n = app
        .scalar_i64("SELECT COUNT(*) FROM assignment a JOIN policy p ON p.id = a.policy_id WHERE p.code = 'zx-2026-1' AND a.task_number = 3")
        .await;
    assert_eq!(n, 2);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM assignment a JOIN policy p ON p.id = a.policy_id WHERE p.builtin = TRUE").await, 0, "the built-in policy untouched");
    let ledger = office.get("/api/v1/assignments?policy=zx-2026-1").await;
    assert_eq!(ledger.body["total"], 2);
    let html = w.get("/supervision?policy=zx-2026-1").await;
    assert!(
        html.body.contains("/supervision/tasks/3?policy=zx-2026-1"),
        "ledger links keep the policy"
    );
}

/// What the response says about the file as a whole: the field error when the file was not
/// read, else the first listed error (row 0, column `file`).
fn file_message(body: &Value) -> String {
    let first = &body["errors"][0];
    let listed = if first["column"] == "file" {
        first["reason"].as_str()
    } else {
        None
    };
    body["fields"]["file"]
        .as_str()
        .or(listed)
        .unwrap_or_default()
        .to_string()
}

fn zh(m: Msg) -> String {
    m.render(Lang::Zh)
}

#[tokio::test]
async fn a_file_over_5_mb_is_refused_while_it_is_read() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    let r = import(&office, "big-2026", true, "big.csv", &big).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.body["error"], "validation");
    assert_eq!(
        r.body["fields"]["file"],
        zh(Msg::new("policy_import.too_large").with("max_mb", 5))
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy").await, 1);
}

#[tokio::test]
async fn a_table_of_2000_tasks_reads_and_one_more_row_is_refused() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let table = |n: usize| {
        let mut csv = String::from("措施,序号,重点任务,责任单位,完成时限\n");
        for i in 1..=n {
            let measure = if i == 1 { "一、压实责任" } else { "" };
            csv.push_str(&format!("{measure},{i},任务{i},各级政府,长期坚持\n"));
        }
        csv.into_bytes()
    };
    let r = import(&office, "rows-2026", true, "rows.csv", &table(MAX_ROWS)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body["errors"]);
    assert_eq!(r.body["rows"].as_array().expect("rows").len(), MAX_ROWS);
    let too_many = zh(Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS));
    let r = import(&office, "rows-2026", true, "rows.csv", &table(MAX_ROWS + 1)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(file_message(&r.body), too_many, "{:?}", r.body["errors"]);
    // Far more lines: the csv reader stops at once.
    let r = import(&office, "rows-2026", true, "rows.csv", &table(3000)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"]["file"], too_many.as_str());
    // An xlsx with a cell far below the last allowed row.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["措施", "序号", "重点任务", "责任单位", "完成时限"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    ws.write_string(5000, 2, "任务").expect("far cell");
    let xlsx = wb.save_to_buffer().expect("xlsx");
    let r = import(&office, "rows-2026", true, "rows.xlsx", &xlsx).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"]["file"], too_many.as_str());
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy").await, 1);
}

#[tokio::test]
async fn a_sheet_of_more_than_60000_cells_is_refused() {
    // 1,201 rows of 50 numbers: 60,050 cells, within the row limit.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..1201u32 {
        for c in 0..50u16 {
            ws.write_number(r, c, 1.0).expect("cell");
        }
    }
    let xlsx = wb.save_to_buffer().expect("xlsx");
    assert!(xlsx.len() < MAX_FILE_BYTES);
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = import(&office, "cells-2026", true, "cells.xlsx", &xlsx).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["fields"]["file"],
        zh(Msg::new("policy_import.too_many_cells").with("max", MAX_CELLS))
    );
}
