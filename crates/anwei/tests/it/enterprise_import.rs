//! Townships (乡镇、街道) imported under the counties, the enterprise edit, the enterprise
//! import from xlsx (every problem by row and column, all or nothing) and the organisation
//! list that leaves enterprises to the registry.

use anwei::auth::model::Role;
use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::hazards::{credit_code, png};
use crate::helpers::*;

/// An xlsx of one sheet: these rows of text.
fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

async fn upload(api: &Api, path: &str, name: &str, bytes: &[u8]) -> Resp {
    let (ct, body) = multipart(&[], &[("file", name, bytes)]);
    api.post_raw(path, &ct, body).await
}

const TOWNSHIPS: &str = "/api/v1/regions/townships/import";
const IMPORT: &str = "/api/v1/enterprises/import";

/// A valid ID number born on that day (the check character computed).
fn id_number(first17: &str) -> String {
    "0123456789X"
        .chars()
        .map(|c| format!("{first17}{c}"))
        .find(|n| anwei_rules::enterprise::id_number_valid(n).is_ok())
        .expect("a check character")
}

/// Every problem of a refused import as (row, column, field).
fn problems(body: &Value) -> Vec<(i64, String, String)> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors in {body}"))
        .iter()
        .map(|e| {
            assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{e}");
            (
                e["row"].as_i64().expect("row"),
                e["column"].as_str().expect("column").to_string(),
                e["field"].as_str().expect("field").to_string(),
            )
        })
        .collect()
}

async fn import_townships(app: &TestApp) -> Api {
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let file = xlsx(&[
        vec!["统计用区划代码", "名称"],
        vec!["220502001000", "东昌街道"],
        vec!["220502100000", "金厂镇"],
    ]);
    let r = upload(&office, TOWNSHIPS, "t.xlsx", &file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["added"], 2);
    office
}

#[tokio::test]
async fn townships_are_imported_by_the_city_office_under_their_counties() {
    let app = spawn_app().await;
    let office = import_townships(&app).await;
    let r = office.get("/api/v1/regions?parent=220502").await;
    let items = r.body["items"].as_array().expect("items");
    let codes: Vec<&str> = items.iter().filter_map(|x| x["code"].as_str()).collect();
    assert_eq!(codes, ["220502001000", "220502100000"]);
    assert!(items.iter().all(|x| x["level"] == "township"));
    // Again, one renamed: updated, nothing added twice.
    let again = xlsx(&[
        vec!["代码", "名称"],
        vec!["220502001000", "东昌街道办事处"],
        vec!["220502100000", "金厂镇"],
    ]);
    let r = upload(&office, TOWNSHIPS, "t.xlsx", &again).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (&r.body["added"], &r.body["renamed"], &r.body["unchanged"]),
        (&json!(0), &json!(1), &json!(1))
    );
    assert_eq!(app.audit_count("region.township_import", "ok").await, 2);

    // Bad rows: every one named by row and column, nothing stored.
    let before = app.scalar_i64("SELECT COUNT(*) FROM region").await;
    let bad = xlsx(&[
        vec!["统计用区划代码", "名称"],
        vec!["22050200100", "短了一位"],
        vec!["229999001000", "外市某镇"],
        vec!["220502000000", "县本身"],
        vec!["220503001000", ""],
        vec!["220503002000", "新镇"],
        vec!["220503002000", "新镇"],
    ]);
    let r = upload(&office, TOWNSHIPS, "t.xlsx", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let p = problems(&r.body);
    let at = |row: i64, col: &str| p.iter().any(|(r, c, _)| *r == row && c == col);
    assert!(
        at(2, "A") && at(3, "A") && at(4, "A") && at(5, "B") && at(7, "A"),
        "{p:?}"
    );
    assert!(!at(6, "A") && !at(6, "B"), "{p:?}");
    assert_eq!(p.len(), 5, "{p:?}");
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM region").await, before);

    // A county's office may not: 403, audited.
    let county = app.api_as(Role::Office, "220502-AWB").await;
    let file = xlsx(&[vec!["统计用区划代码", "名称"], vec!["220502200000", "某镇"]]);
    let r = upload(&county, TOWNSHIPS, "t.xlsx", &file).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.audit_count("region.township_import", "denied").await, 1);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM region").await, before);
}

#[tokio::test]
async fn an_enterprise_in_a_township_lies_in_its_county_s_scope() {
    let app = spawn_app().await;
    import_townships(&app).await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let body = json!({"name": "东昌街道某厂", "credit_code": credit_code("91220502MA0000T01"),
                      "region_code": "220502001000", "industry": "C26"});
    let r = county.post("/api/v1/enterprises", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["region_name"], "东昌街道");
    let id = r.body["id"].as_i64().expect("id");
    let list = county.get("/api/v1/enterprises?region=220502").await;
    assert_eq!(list.body["total"], 1, "{}", list.body);
    let list = county.get("/api/v1/enterprises?region=220502001000").await;
    assert_eq!(list.body["total"], 1, "{}", list.body);
    // Another county neither sees it nor may put one in that township.
    let other = app.api_as(Role::Territory, "220503-ZF").await;
    let r = other.get(&format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let body = json!({"name": "越界", "credit_code": credit_code("91220502MA0000T02"),
                      "region_code": "220502100000", "industry": "C26"});
    let r = other.post("/api/v1/enterprises", body).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Six-digit codes still work.
    let body = json!({"name": "县里某厂", "credit_code": credit_code("91220502MA0000T03"),
                      "region_code": "220502", "industry": "C26"});
    assert_eq!(
        county.post("/api/v1/enterprises", body).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_enterprise_is_edited_with_the_create_form_s_checks_resealed_and_audited() {
    let app = spawn_app().await;
    import_townships(&app).await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let first = id_number("11010519491231002");
    let code = credit_code("91220502MA0000E01");
    let body = json!({"name": "某化工", "credit_code": code, "region_code": "220502", "industry": "C26",
                      "principal_name": "张三", "principal_id_number": first});
    let r = county.post("/api/v1/enterprises", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    let path = format!("/api/v1/enterprises/{id}");
    let sealed_before = app
        .scalar_text("SELECT principal_id_sealed FROM enterprise")
        .await;

    let r = county
        .patch(&path, json!({"industry": "C99", "scale": "huge"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("industry").is_some() && r.body["fields"].get("scale").is_some());
    let r = county
        .patch(
            &path,
            json!({"credit_code": credit_code("91220502MA0000E02")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("credit_code").is_some(), "{}", r.body);
    let r = county.patch(&path, json!({"region_code": "220503"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let other = app.api_as(Role::Territory, "220503-ZF").await;
    let r = other.patch(&path, json!({"name": "别人改"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    let second = id_number("22050219800101001");
    let r = county
        .patch(
            &path,
            json!({"name": "某化工（改名）", "region_code": "220502001000",
                             "principal_id_number": second}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], "某化工（改名）");
    assert_eq!(r.body["region_code"], "220502001000");
    assert_eq!(r.body["industry"], "C26", "absent fields stay");
    assert_eq!(r.body["principal_name"], "张三");
    assert_eq!(
        r.body["principal_id_masked"],
        anwei_rules::enterprise::mask_id_number(&second)
    );
    let sealed_after = app
        .scalar_text("SELECT principal_id_sealed FROM enterprise")
        .await;
    assert_ne!(sealed_before, sealed_after);
    assert!(!sealed_after.unwrap_or_default().contains(&second));
    let r = county
        .post(
            &format!("{path}/principal-id"),
            json!({"reason": "执法核查"}),
        )
        .await;
    assert_eq!(r.body["principal_id_number"], second.as_str());
    // The organisation's name and its history follow.
    let org = county.get(&format!("/api/v1/orgs/{code}")).await;
    assert_eq!(org.body["org"]["name"], "某化工（改名）");
    assert_eq!(org.body["name_history"].as_array().map(Vec::len), Some(2));
    // Audited with the changed fields' names, never their values.
    assert_eq!(app.audit_count("enterprise.update", "ok").await, 1);
    let detail = app
        .scalar_text(
            "SELECT detail FROM audit_log WHERE action = 'enterprise.update' AND outcome = 'ok'",
        )
        .await
        .expect("detail");
    for f in ["name", "region_code", "principal_id_number"] {
        assert!(detail.contains(f), "{detail}");
    }
    assert!(
        !detail.contains(&second) && !detail.contains("某化工"),
        "{detail}"
    );
    assert!(app.audit_count("enterprise.update", "denied").await >= 2);
}

/// The template's header row and these rows under it.
fn filled(header: &[String], rows: &[Vec<&str>]) -> Vec<u8> {
    let mut all: Vec<Vec<&str>> = vec![header.iter().map(String::as_str).collect()];
    all.extend(rows.iter().cloned());
    xlsx(&all)
}

async fn template_header(api: &Api) -> Vec<String> {
    let bytes = api
        .client
        .get(format!(
            "{}/api/v1/enterprises/import-template.xlsx",
            api.base
        ))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("template")
        .bytes()
        .await
        .expect("bytes");
    sheet(&bytes)[0].clone()
}

#[tokio::test]
async fn the_template_round_trips_into_enterprises_sealed_like_the_form() {
    let app = spawn_app().await;
    import_townships(&app).await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let header = template_header(&county).await;
    assert_eq!(header[0], "企业名称*");
    assert_eq!(header.len(), 12);
    assert_eq!(header[11], "场所类型");
    let idn = id_number("22050219800101001");
    let (a, b) = (
        credit_code("91220502MA0000R01"),
        credit_code("91220502MA0000R02"),
    );
    let file = filled(
        &header,
        &[
            vec![
                "甲化工有限公司",
                &a,
                "220502001000",
                "C26",
                "东昌路 1 号",
                "小型",
                "否",
                "市管",
                "是",
                "李四",
                &idn,
                "人员密集场所、high_rise",
            ],
            vec![
                "乙商贸有限公司",
                &b,
                "220502",
                "F",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    );
    let r = upload(&county, IMPORT, "企业.xlsx", &file).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["enterprises"], 2);
    let list = county.get(&format!("/api/v1/enterprises?q={a}")).await;
    let e = &list.body["items"][0];
    assert_eq!(e["name"], "甲化工有限公司");
    assert_eq!(e["region_name"], "东昌街道");
    assert_eq!(e["scale"], "small");
    assert_eq!(e["management"], "city");
    assert_eq!(e["major_hazard_source"], true);
    assert_eq!(
        e["place_types"],
        json!(["crowded_place", "high_rise"]),
        "{e}"
    );
    assert_eq!(
        e["principal_id_masked"],
        anwei_rules::enterprise::mask_id_number(&idn)
    );
    let id = e["id"].as_i64().expect("id");
    let r = county
        .post(
            &format!("/api/v1/enterprises/{id}/principal-id"),
            json!({"reason": "核查"}),
        )
        .await;
    assert_eq!(r.body["principal_id_number"], idn.as_str());
    let sealed = app
        .scalar_text(&format!(
            "SELECT principal_id_sealed FROM enterprise WHERE credit_code = '{a}'"
        ))
        .await
        .expect("sealed");
    assert!(!sealed.contains(&idn));
    assert_eq!(app.audit_count("enterprise.import", "ok").await, 1);
    // Each has its organisation, with its name in the history.
    let n = app
        .scalar_i64(&format!("SELECT COUNT(*) FROM org_name_history h JOIN org o ON o.id = h.org_id WHERE o.code IN ('{a}', '{b}')"))
        .await;
    assert_eq!(n, 2);
}

#[tokio::test]
async fn an_import_with_bad_rows_lists_each_row_and_column_and_saves_nothing() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let header = template_header(&county).await;
    let good = credit_code("91220502MA0000B01");
    let wrong = format!("{}0", &credit_code("91220502MA0000B02")[..17]);
    let wrong = if anwei_rules::enterprise::credit_code_valid(&wrong).is_ok() {
        format!("{}1", &wrong[..17])
    } else {
        wrong
    };
    let outside = credit_code("91220502MA0000B03");
    let file = filled(
        &header,
        &[
            vec!["好企业", &good, "220502", "C26"],
            vec!["校验码错", &wrong, "220502", "C26"],
            vec!["", &credit_code("91220502MA0000B04"), "999999", "C99"],
            vec!["越界企业", &outside, "220503", "C26", "", "巨型", "也许"],
            vec![
                "场所不明",
                &credit_code("91220502MA0000B05"),
                "220502",
                "C26",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "人员密集场所、游乐园",
            ],
            vec!["重复", &good, "220502", "C26"],
        ],
    );
    let before = app.scalar_i64("SELECT COUNT(*) FROM org").await;
    let r = upload(&county, IMPORT, "企业.xlsx", &file).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let p = problems(&r.body);
    let expect = [
        (3, "B", "credit_code"),
        (4, "A", "name"),
        (4, "C", "region_code"),
        (4, "D", "industry"),
        (5, "C", "region_code"),
        (5, "F", "scale"),
        (5, "G", "central_provincial"),
        (6, "L", "place_types"),
        (7, "B", "credit_code"),
    ];
    for (row, col, field) in expect {
        assert!(
            p.contains(&(row, col.to_string(), field.to_string())),
            "({row}, {col}, {field}) missing from {p:?}"
        );
    }
    assert_eq!(p.len(), expect.len(), "{p:?}");
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM org").await, before);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM enterprise").await, 0);
    // In English too.
    let (ct, body) = multipart(&[], &[("file", "e.xlsx", &file)]);
    let en = county
        .send(
            county
                .client
                .post(format!("{}{IMPORT}", county.base))
                .bearer_auth(&county.token)
                .header("accept-language", "en")
                .header("content-type", ct)
                .body(body),
        )
        .await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        en.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("nothing was imported"),
        "{}",
        en.body
    );
}

#[tokio::test]
async fn credit_codes_already_registered_are_refused_by_row() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let header = template_header(&county).await;
    let taken = credit_code("91220502MA0000D01");
    let body =
        json!({"name": "已登记", "credit_code": taken, "region_code": "220502", "industry": "C26"});
    assert_eq!(
        county.post("/api/v1/enterprises", body).await.status,
        StatusCode::CREATED
    );
    let file = filled(
        &header,
        &[
            vec!["新企业", &credit_code("91220502MA0000D02"), "220502", "C26"],
            vec!["又一个", &taken.to_lowercase(), "220502", "C26"],
        ],
    );
    let r = upload(&county, IMPORT, "企业.xlsx", &file).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        problems(&r.body),
        [(3, "B".to_string(), "credit_code".to_string())]
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM enterprise").await, 1);
}

#[tokio::test]
async fn a_file_that_is_not_an_xlsx_or_a_caller_who_may_not_is_refused() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let r = upload(&county, IMPORT, "企业.xlsx", &png()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("file").is_some(), "{}", r.body);
    let r = upload(
        &county,
        IMPORT,
        "企业.csv",
        "企业名称,统一社会信用代码\n".as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["fields"].get("file").is_some(), "{}", r.body);
    let r = upload(&county, IMPORT, "e.xlsx", &xlsx(&[vec!["随便", "什么"]])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(problems(&r.body)[0].2, "file");
    let auditor = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = upload(&auditor, IMPORT, "e.xlsx", &xlsx(&[vec!["企业名称"]])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.audit_count("enterprise.import", "denied").await, 1);
}

#[tokio::test]
async fn the_org_list_leaves_enterprises_to_the_registry_and_pages() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let code = credit_code("91220502MA0000L01");
    let body = json!({"name": "树外企业", "credit_code": code, "region_code": "220502", "industry": "C26"});
    assert_eq!(
        office.post("/api/v1/enterprises", body).await.status,
        StatusCode::CREATED
    );
    let all = office.get("/api/v1/orgs").await;
    let items = all.body["items"].as_array().expect("items");
    assert!(items.len() > 100, "the built-in tree in one page");
    assert!(items.iter().all(|o| o["kind"] != "enterprise"));
    assert_eq!(all.body["total"].as_u64(), Some(items.len() as u64));
    let with = office
        .get("/api/v1/orgs?include_enterprises=true&region=220502")
        .await;
    assert!(
        with.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|o| o["code"] == code.as_str())
    );
    let kind = office.get("/api/v1/orgs?kind=enterprise").await;
    assert_eq!(kind.body["total"], 1);
    // Pages: the same rows, a page at a time.
    let p1 = office.get("/api/v1/orgs?per_page=7").await;
    let p2 = office.get("/api/v1/orgs?per_page=7&page=2").await;
    assert_eq!(p1.body["items"].as_array().map(Vec::len), Some(7));
    assert_eq!(p1.body["total"], all.body["total"]);
    assert_eq!(p2.body["items"][0]["code"], items[7]["code"]);
    assert_eq!(
        office.get("/api/v1/orgs?page=0").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The tree page links each region to its enterprises instead of listing them.
    app.create_user("tree_office", Role::Office, "220500-AWB")
        .await;
    let web = app.browser_as("tree_office").await;
    let page = web.get("/orgs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("树外企业"),
        "enterprises are not listed in the tree"
    );
    assert!(page.body.contains("/enterprises?region=220502"));
    assert!(
        page.body.contains("township-import"),
        "the city office may import townships"
    );
}

#[tokio::test]
async fn the_registry_page_imports_and_lists_problems_by_row() {
    let app = spawn_app().await;
    app.create_user("page_county", Role::Territory, "220502-ZF")
        .await;
    let web = app.browser_as("page_county").await;
    let list = web.get("/enterprises").await;
    assert!(
        list.body
            .contains("/api/v1/enterprises/import-template.xlsx")
    );
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let header = template_header(&county).await;
    let post = |file: Vec<u8>| {
        let (ct, body) = multipart(&[], &[("file", "企业.xlsx", &file)]);
        web.client
            .post(format!(
                "{}/enterprises/import?_csrf={}",
                web.base, web.csrf
            ))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let bad = filled(
        &header,
        &[vec![
            "缺行业",
            &credit_code("91220502MA0000P01"),
            "220502",
            "",
        ]],
    );
    let r = post(bad).await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("import-errors") && html.contains("<td>2</td><td>D</td>"),
        "{html}"
    );
    let good = filled(
        &header,
        &[vec![
            "有行业",
            &credit_code("91220502MA0000P02"),
            "220502",
            "C26",
        ]],
    );
    let r = post(good).await.expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.expect("html").contains("import-done"));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM enterprise").await, 1);
}
