//! The submit-and-review core (issue 9, item 4): one table of submissions for every
//! capability, the reviewer rule applied to duties' late acceptance too, the data of the
//! former per-capability tables moved over, and upload limits declared per route.

use std::str::FromStr;

use anwei::auth::model::Role;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use crate::duties::{COUNTY_DW, record};
use crate::helpers::*;

const PDF: &[u8] = b"%PDF-1.4\n% evidence for the review core\n%%EOF\n";

async fn required(app: &TestApp, office: &Api, org: &str) -> i64 {
    let r = office
        .post(
            "/api/v1/deliverables/work_summary/require",
            json!({"orgs": [org]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.scalar_i64(&format!(
        "SELECT q.id FROM deliverable_requirement q JOIN org o ON o.id = q.org_id \
         WHERE q.deliverable_code = 'work_summary' AND o.code = '{org}'"
    ))
    .await
}

#[tokio::test]
async fn a_deliverable_submission_is_kept_by_the_core_with_its_file_and_its_decision() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    let id = required(&app, &office, "220500-YJ").await;
    let (ct, body) = multipart_files(&[("note", "年度工作总结")], &[("总结.pdf", PDF)]);
    let path = format!("/api/v1/deliverable-requirements/{id}/submissions");
    let r = dept.post_raw(&path, &ct, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let sid = r.body["submission_id"].as_i64().expect("submission id");
    // The core keeps it under the requirement, with its file; a second submission while it
    // waits is refused by the requirement's state machine and could not be stored anyway.
    let row = format!(
        "SELECT COUNT(*) FROM submission WHERE id = {sid} AND subject_kind = 'deliverable_requirement' \
         AND subject_id = {id} AND kind = 'delivery' AND decision IS NULL"
    );
    assert_eq!(app.scalar_i64(&row).await, 1);
    let files = format!("SELECT COUNT(*) FROM submission_file WHERE submission_id = {sid}");
    assert_eq!(app.scalar_i64(&files).await, 1);
    let again = dept.post_raw(&path, &ct, body).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let r = dept
        .get(&format!("/api/v1/deliverable-requirements/{id}"))
        .await;
    assert_eq!(
        r.body["submissions"][0]["note"], "年度工作总结",
        "{}",
        r.body
    );
    assert_eq!(r.body["files"][0]["submission_id"], sid, "{}", r.body);
    // The file is served through its requirement, and only there.
    let fid = r.body["files"][0]["id"].as_i64().expect("file id");
    let got = dept.get(&format!("/api/v1/deliverable-files/{fid}")).await;
    assert_eq!(got.status, StatusCode::OK);
    let as_evidence = dept.get(&format!("/api/v1/attachments/{fid}")).await;
    assert_eq!(
        as_evidence.status,
        StatusCode::NOT_FOUND,
        "a deliverable's file is not a supervision report's evidence"
    );
    // Returning needs a comment; the notice reaches the department.
    let review = format!("/api/v1/deliverable-requirements/{id}/review");
    let r = office.post(&review, json!({"decision": "return"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["comment"].is_string(), "{}", r.body);
    let r = office
        .post(
            &review,
            json!({"decision": "return", "comment": "请补充数据"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["requirement"]["status"], "returned");
    let notices = "SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id \
         JOIN org o ON o.id = a.org_id WHERE o.code = '220500-YJ' AND n.title = 'notice.deliverable_returned.title'";
    assert!(app.scalar_i64(notices).await >= 1);
    let decided = format!(
        "SELECT COUNT(*) FROM submission WHERE id = {sid} AND decision = 'returned' AND review_comment = '请补充数据'"
    );
    assert_eq!(app.scalar_i64(&decided).await, 1);
}

#[tokio::test]
async fn the_database_refuses_a_second_waiting_submission_and_a_decision_by_the_submitter() {
    let app = spawn_app().await;
    let uid = app.create_user("rv_one", Role::Office, "220500-AWB").await;
    let insert = |n: i64| {
        format!(
            "INSERT INTO submission (subject_kind, subject_id, kind, body, submitted_at, submitted_by) \
             VALUES ('assignment', 999999, 'progress', 'x', {n}, {uid})"
        )
    };
    app.exec(&insert(1)).await;
    let mut tx = app.state.db.begin().await.expect("begin");
    let second = anwei::on_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(insert(2)))
        .execute(c)
        .await
        .map(|_| ()));
    assert!(second.is_err(), "one waiting submission per subject");
    drop(tx);
    let mut tx = app.state.db.begin().await.expect("begin");
    let own = anwei::on_tx!(&mut tx, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE submission SET decision = 'accepted', reviewed_at = 5, reviewed_by = {uid} WHERE subject_id = 999999"
    )))
    .execute(c)
    .await
    .map(|_| ())
    });
    assert!(own.is_err(), "the submitter never decides");
}

#[tokio::test]
async fn an_office_that_entered_a_late_record_does_not_accept_it_itself() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let past = crate::duties::this_quarter()
        .prev()
        .expect("last quarter")
        .end()
        .to_string();
    let r = record(&office, COUNTY_DW, "study", &past, "补录学习", None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["entered_late"], true, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/activities/{id}/accept-late");
    let denied = app.audit_count("activity.accept_late", "denied").await;
    let r = office
        .post(&path, json!({"reason": "我录的，我认可"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("自己提交"),
        "{}",
        r.body
    );
    assert_eq!(
        app.audit_count("activity.accept_late", "denied").await,
        denied + 1
    );
    let colleague = app.api_as(Role::Office, "220500-AWB").await;
    let r = colleague
        .post(&path, json!({"reason": "系统故障未能按时录入"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["activity"]["accepted_late"], true);
}

#[tokio::test]
async fn an_upload_route_takes_what_its_declaration_allows_and_other_routes_keep_the_body_limit() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| {
            c.body_limit_bytes = 8 * 1024;
            c.uploads.max_file_bytes = 64 * 1024;
            c.uploads.max_files = 2;
        }),
    })
    .await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let dept = app.api_as(Role::Department, "220500-YJ").await;
    let id = required(&app, &office, "220500-YJ").await;
    // 20 KiB of evidence: over the ordinary limit, within the upload route's.
    let mut big = PDF.to_vec();
    big.splice(9..9, std::iter::repeat_n(b'%', 20 * 1024));
    let (ct, body) = multipart_files(&[("note", "附件较大")], &[("大.pdf", &big)]);
    let path = format!("/api/v1/deliverable-requirements/{id}/submissions");
    let r = dept.post_raw(&path, &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The same size as JSON on an ordinary route is refused, declared or not.
    let padding = "x".repeat(20 * 1024);
    let r = office
        .post(
            "/api/v1/deliverables",
            json!({"code": "big", "title": padding, "due": "2026-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    // Three files where two are allowed: the configured count, on the field.
    let id2 = required(&app, &office, "220500-GA").await;
    let police = app.api_as(Role::Department, "220500-GA").await;
    let (ct, body) = multipart_files(
        &[("note", "三份")],
        &[("a.pdf", PDF), ("b.pdf", PDF), ("c.pdf", PDF)],
    );
    let r = police
        .post_raw(
            &format!("/api/v1/deliverable-requirements/{id2}/submissions"),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["files"].is_string(), "{}", r.body);
    // Over the upload route's own limit (2 × 64 KiB + 1 MiB) is 413 before anything is read.
    let huge = vec![b'%'; 2 * 64 * 1024 + 1024 * 1024 + 1];
    let (ct, body) = multipart_files(&[("note", "太大")], &[("huge.pdf", &huge)]);
    let r = police
        .post_raw(
            &format!("/api/v1/deliverable-requirements/{id2}/submissions"),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
}

#[test]
fn the_former_supervision_attachment_keys_are_read_into_uploads() {
    let mut c = anwei::config::Config::default();
    c.supervision.attachment_max_bytes = Some(4096);
    c.supervision.attachment_types = Some(vec!["pdf".into()]);
    c.validate().unwrap();
    assert_eq!(c.uploads.max_file_bytes, 4096);
    assert_eq!(c.uploads.file_types, vec!["pdf".to_string()]);
    assert_eq!(
        c.supervision.attachment_max_bytes, None,
        "moved, never read again"
    );
    let mut c = anwei::config::Config::default();
    c.uploads.max_file_bytes = 8192;
    c.supervision.attachment_max_bytes = Some(4096);
    c.validate().unwrap();
    assert_eq!(c.uploads.max_file_bytes, 8192, "the new key wins");
    let mut c = anwei::config::Config::default();
    c.uploads.max_files = 0;
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("uploads.max_files"), "{err}");
    assert_eq!(
        anwei::config::UploadsConfig::default().request_limit(),
        10 * 20 * 1024 * 1024 + 1024 * 1024
    );
}

/// The rows the former tables held, as a database migrated up to 0007 had them.
const OLD_ROWS: &str = "\
INSERT INTO attachment (id, sha256, size, mime, filename, uploaded_by, uploaded_at) VALUES \
  (1, 'aa', 10, 'application/pdf', 'r.pdf', 7, 100), (2, 'bb', 20, 'application/pdf', 'd.pdf', 8, 200);
INSERT INTO assignment_report (id, assignment_id, kind, text, submitted_at, submitted_by, decision, review_comment, reviewed_at, reviewed_by) VALUES \
  (1, 11, 'progress', '进展', 100, 7, 'returned', '补充', 150, 9), (2, 11, 'completion', '办结', 160, 7, NULL, '', NULL, NULL);
INSERT INTO report_attachment (report_id, attachment_id) VALUES (2, 1);
INSERT INTO deliverable_submission (id, requirement_id, note, submitted_at, submitted_by, late, decision, review_comment, reviewed_at, reviewed_by) VALUES \
  (1, 21, '总结', 200, 8, TRUE, 'accepted', '', 250, 9);
INSERT INTO submission_attachment (submission_id, attachment_id) VALUES (1, 2);";

const MOVED: &[(&str, i64)] = &[
    ("SELECT COUNT(*) FROM submission", 3),
    (
        "SELECT COUNT(*) FROM submission WHERE id = 1 AND subject_kind = 'assignment' AND subject_id = 11 AND decision = 'returned' AND review_comment = '补充' AND reviewed_by = 9",
        1,
    ),
    (
        "SELECT COUNT(*) FROM submission WHERE id = 2 AND kind = 'completion' AND body = '办结' AND decision IS NULL",
        1,
    ),
    (
        "SELECT COUNT(*) FROM submission WHERE id = 3 AND subject_kind = 'deliverable_requirement' AND subject_id = 21 AND kind = 'delivery' AND late = TRUE AND body = '总结'",
        1,
    ),
    (
        "SELECT COUNT(*) FROM submission_file WHERE (submission_id = 2 AND attachment_id = 1) OR (submission_id = 3 AND attachment_id = 2)",
        2,
    ),
];

fn migrations(backend: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Runs `backend`'s migrations on connection `c`, putting [`OLD_ROWS`] in just before 0008, and
/// checks that [`MOVED`] holds afterwards.
macro_rules! migrate_with_old_rows {
    ($c:ident, $backend:literal) => {
        for (name, sql) in migrations($backend) {
            if name.starts_with("0008") {
                sqlx::raw_sql(sqlx::AssertSqlSafe(OLD_ROWS))
                    .execute(&mut $c)
                    .await
                    .unwrap();
            }
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut $c)
                .await
                .unwrap();
        }
        for (q, want) in MOVED {
            let got: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(*q))
                .fetch_one(&mut $c)
                .await
                .unwrap();
            assert_eq!(got, *want, "{}: {q}", $backend);
        }
    };
}

#[tokio::test]
async fn migration_0008_moves_reports_and_submissions_into_the_core_keeping_report_ids() {
    // SQLite, foreign keys off: the rows stand alone, as in a restored dump.
    let dir = tempfile::tempdir().unwrap();
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&format!(
        "sqlite://{}",
        dir.path().join("m.db").display()
    ))
    .unwrap()
    .create_if_missing(true)
    .foreign_keys(false);
    let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    migrate_with_old_rows!(c, "sqlite");
    // PostgreSQL, foreign-key triggers off for the session; the identity continues after
    // the moved ids.
    let url = fresh_pg_database(&pg_server_url()).await;
    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("SET session_replication_role = replica")
        .execute(&mut c)
        .await
        .unwrap();
    migrate_with_old_rows!(c, "postgres");
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO submission (subject_kind, subject_id, kind, body, submitted_at, submitted_by) \
         VALUES ('assignment', 12, 'progress', 'x', 1, 7) RETURNING id",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(next, 4);
}

/// The assignee acknowledges and asks for completion with a file.
async fn ask_completion(assignee: &Api, path: &str) {
    let r = assignee
        .post(&format!("{path}/acknowledge"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (ct, body) = multipart(
        &[("text", "已完成，附总结"), ("completion", "true")],
        &[("files", "总结.pdf", PDF)],
    );
    let r = assignee
        .post_raw(&format!("{path}/reports"), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn the_city_offices_own_work_is_decided_by_the_city_government_not_by_itself() {
    let app = spawn_app().await;
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let id = crate::gaming::issue_to(&city, 21, "220500-AWB").await;
    let path = format!("/api/v1/assignments/{id}");
    ask_completion(&city, &path).await;
    let r = city.get(&path).await;
    assert_eq!(r.body["can_review"], false, "{}", r.body);
    let gov = app.api_as(Role::Territory, "220500-ZF").await;
    let g = gov.get(&path).await;
    let government = g.body["reviewer"]
        .as_str()
        .expect("a named reviewer")
        .to_string();
    assert!(government.contains("政府"), "{government}");
    assert_eq!(g.body["can_review"], true, "{}", g.body);
    // Neither the office itself, nor a colleague, nor another office, nor a read-only leader.
    let review = format!("{path}/review");
    for who in [
        city,
        app.api_as(Role::Office, "220500-AWB").await,
        app.api_as(Role::Office, "220502-AWB").await,
        app.api_as(Role::Leader, "220500-ZF").await,
    ] {
        let r = who.post(&review, json!({"decision": "accept"})).await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}",
            r.body
        );
    }
    let r = gov.post(&review, json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["assignment"]["status"], "closed", "{}", r.body);
    // A county office's own work is still decided by the city office, never by its county's
    // government.
    let city = app.api_as(Role::Office, "220500-AWB").await;
    let id = crate::gaming::issue_to(&city, 21, "220502-AWB").await;
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let path = format!("/api/v1/assignments/{id}");
    ask_completion(&county, &path).await;
    let county_gov = app.api_as(Role::Territory, "220502-ZF").await;
    let r = county_gov
        .post(&format!("{path}/review"), json!({"decision": "accept"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = city
        .post(&format!("{path}/review"), json!({"decision": "accept"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_page_outside_one_to_a_million_is_refused_on_both_paged_lists_never_a_500() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    for list in ["/api/v1/assignments", "/api/v1/deliverable-requirements"] {
        for page in ["0", "1000001", "9223372036854775807"] {
            let r = office.get(&format!("{list}?page={page}")).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{list} {page}: {}",
                r.body
            );
            assert!(r.body["fields"]["page"].is_string(), "{}", r.body);
        }
        let r = office.get(&format!("{list}?page=1000000")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["items"], json!([]), "past the last page: empty");
        assert_eq!(r.body["page"], 1000000);
    }
}

#[tokio::test]
async fn a_caller_who_may_not_create_accounts_gets_403_before_any_field_is_checked() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let before = app.audit_count("account.create", "denied").await;
    let bad = json!({"username": "", "role": "nope", "org_code": "x", "password": "1"});
    let r = office.post("/api/v1/accounts", bad).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        r.body["fields"],
        json!({}),
        "no field rules revealed: {}",
        r.body
    );
    assert_eq!(
        app.audit_count("account.create", "denied").await,
        before + 1
    );
    // The administrator still gets the field errors.
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let bad = json!({"username": "", "role": "nope", "org_code": "x", "password": "1"});
    let r = admin.post("/api/v1/accounts", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"]["username"].is_string(), "{}", r.body);
}
