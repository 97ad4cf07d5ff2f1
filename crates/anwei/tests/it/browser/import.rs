//! The committee office imports a new policy table in the browser: the preview lists every
//! cell it could not read with its row and column, and nothing is imported until the table is
//! clean and confirmed.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::spawn_app;

const HEADER: &str = "措施,序号,重点任务,责任单位,完成时限\n";

async fn fill_meta(b: &Browser, code: &str) {
    b.type_into("#code", code).await;
    b.type_into("#doc_number", "通安委〔2026〕1号").await;
    b.type_into("#title", "关于开展安全生产专项整治的通知")
        .await;
    b.type_into("#issuer", "通化市安全生产委员会").await;
    b.js("document.getElementById('issued_on').value = '2026-03-01'; return 1;")
        .await;
}

#[tokio::test]
async fn the_import_preview_lists_an_unreadable_cell_and_imports_only_a_clean_table() {
    let app = spawn_app().await;
    app.create_user("office1", Role::Office, "220500-AWB").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, format!("{HEADER}一、严格落实党委安全生产责任,1,各级党委每季度研究安全生产,各级党（工）委,2026年6月底前完成\n,2,各级政府组织开展隐患排查,各级政府,尽快\n")).expect("write csv");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, format!("{HEADER}一、严格落实党委安全生产责任,1,各级党委每季度研究安全生产,各级党（工）委,2026年6月底前完成\n,2,各级政府组织开展隐患排查,各级政府,长期坚持\n")).expect("write csv");

    let b = Browser::start().await;
    b.login(&app, "office1").await;
    b.goto(&app, "/policy").await;
    b.click("#policy-import-link").await;
    b.wait_path("/policy/import").await;
    fill_meta(&b, "special-2026-1").await;
    b.find("#file")
        .await
        .send_keys(bad.to_str().expect("utf-8 path"))
        .await
        .expect("choose the file");
    b.click("#preview-submit").await;

    let table = b
        .wait_text("#error-table", "the error table", |t| t.contains("尽快"))
        .await;
    assert!(
        table.contains('3'),
        "the row of the bad cell (the file's third line) is named: {table}"
    );
    assert!(
        table.contains("完成时限") || table.contains("E"),
        "the column is named: {table}"
    );
    let rows = b.find_all("#error-table tr.import-error").await;
    assert_eq!(rows.len(), 1, "exactly one unreadable cell");
    assert!(
        b.c.find(fantoccini::Locator::Css("#confirm-form"))
            .await
            .is_err(),
        "no confirm button while a cell is unreadable"
    );
    b.screenshot("import-preview-error").await;
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy").await,
        1,
        "nothing imported"
    );

    b.goto(&app, "/policy/import").await;
    fill_meta(&b, "special-2026-1").await;
    b.find("#file")
        .await
        .send_keys(good.to_str().expect("utf-8 path"))
        .await
        .expect("choose the file");
    b.click("#preview-submit").await;
    let preview = b
        .wait_text("#preview-table", "the preview", |t| t.contains("长期坚持"))
        .await;
    assert!(
        preview.contains("各级政府"),
        "each row's parsed units are shown: {preview}"
    );
    b.screenshot("import-preview-clean").await;
    b.click("#confirm-import").await;
    b.wait_text("main h1", "a page after the import", |t| !t.is_empty())
        .await;
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM policy WHERE code = 'special-2026-1'")
            .await,
        1
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM policy_task t JOIN policy p ON p.id = t.policy_id WHERE p.code = 'special-2026-1'").await, 2);
    b.finish().await;
}
