//! Tests of the enterprise registry, hazards and the risk calculator (issue 11): check
//! characters, scope, the rectification loop with its independence rules, and bad input.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use anwei::auth::model::Role;

/// A valid 统一社会信用代码 from its first 17 characters: the one check character that makes
/// the rules accept it.
pub fn credit_code(first17: &str) -> String {
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|c| format!("{first17}{c}"))
        .find(|c| anwei_rules::enterprise::credit_code_valid(c).is_ok())
        .expect("a check character")
}

/// The same code with its check character changed: wrong.
fn with_wrong_check(code: &str) -> String {
    let last = code.chars().last().expect("a code");
    let other = if last == '0' { '1' } else { '0' };
    format!("{}{other}", &code[..17])
}

/// A small real PNG (signature, bytes, IEND).
pub fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    b.extend((0..400u32).map(|i| (i * 7 % 251) as u8));
    b.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    b
}

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

/// Adds an enterprise in 东昌区 (220502) as `api` and returns its id.
pub async fn add_enterprise(api: &Api, first17: &str, name: &str, industry: &str) -> i64 {
    let r = api
        .post(
            "/api/v1/enterprises",
            json!({"name": name, "credit_code": credit_code(first17), "region_code": "220502", "industry": industry}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

fn field_named(body: &Value, name: &str) -> bool {
    body["fields"].get(name).is_some()
}

#[tokio::test]
async fn an_enterprise_needs_a_right_check_character_and_a_real_industry() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let good = credit_code("91220502MA0000001");
    let bad = with_wrong_check(&good);
    let r = county
        .post(
            "/api/v1/enterprises",
            json!({"name": "通化某化工", "credit_code": bad, "region_code": "220502", "industry": "C99"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "credit_code"), "{}", r.body);
    assert!(
        field_named(&r.body, "industry"),
        "C99 is no division of C: {}",
        r.body
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM enterprise").await, 0);
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM org WHERE kind = 'enterprise'")
            .await,
        0,
        "nothing half-saved"
    );
    let r = county
        .post(
            "/api/v1/enterprises",
            json!({"name": "通化某化工", "credit_code": good.to_lowercase(), "region_code": "220502", "industry": "c26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["credit_code"], good, "stored upper-case");
    assert_eq!(r.body["org_code"], good, "the organisation is coded by it");
    assert_eq!(r.body["industry"], "C26");
    assert_eq!(r.body["industry_name"], "化学原料和化学制品制造业");
    // The same code again is taken.
    let r = county
        .post(
            "/api/v1/enterprises",
            json!({"name": "另一家", "credit_code": good, "region_code": "220502", "industry": "C26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_named(&r.body, "credit_code"), "{}", r.body);
    // Listed with its filters; English messages on request.
    let r = county.get("/api/v1/enterprises?industry=C&q=化工").await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    let r = county.get("/api/v1/enterprises?industry=B").await;
    assert_eq!(r.body["total"], 0);
    let r = county.get("/api/v1/enterprises?industry=Z9").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_county_adds_enterprises_only_in_its_region_and_sees_only_its_own() {
    let app = spawn_app().await;
    let dongchang = app.api_as(Role::Territory, "220502-ZF").await;
    let ji_an = app.api_as(Role::Territory, "220582-ZF").await;
    let r = dongchang
        .post(
            "/api/v1/enterprises",
            json!({"name": "集安某厂", "credit_code": credit_code("91220582MA0000002"), "region_code": "220582", "industry": "C30"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM enterprise").await, 0);
    let id = add_enterprise(&dongchang, "91220502MA0000003", "东昌某厂", "C30").await;
    assert_eq!(
        ji_an.get(&format!("/api/v1/enterprises/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ji_an.get("/api/v1/enterprises").await.body["total"], 0);
    // A leader may read, never add.
    let leader = app.api_as(Role::Leader, "220500-AWB").await;
    let r = leader
        .post(
            "/api/v1/enterprises",
            json!({"name": "", "credit_code": "x", "region_code": "", "industry": ""}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the permission before the fields"
    );
}

/// A county inspector registers; the enterprise submits; a third account accepts.
struct Loop {
    app: TestApp,
    inspector: Api,
    enterprise: Api,
    reviewer: Api,
    enterprise_id: i64,
}

async fn a_loop() -> Loop {
    let app = spawn_app().await;
    let inspector = app.api_as(Role::Territory, "220502-ZF").await;
    let enterprise_id =
        add_enterprise(&inspector, "91220502MA0000004", "东昌某危化企业", "C26").await;
    let code = credit_code("91220502MA0000004");
    let enterprise = app.api_as(Role::Enterprise, &code).await;
    let reviewer = app.api_as(Role::Territory, "220502-ZF").await;
    Loop {
        app,
        inspector,
        enterprise,
        reviewer,
        enterprise_id,
    }
}

#[tokio::test]
async fn a_hazard_is_closed_only_on_evidence_by_someone_other_than_reporter_submitter_or_enterprise()
 {
    let l = a_loop().await;
    let (body_type, body) = multipart(
        &[
            ("enterprise_id", &l.enterprise_id.to_string()),
            ("description", "储罐区可燃气体报警器失效"),
            ("grade", "general"),
            ("location", "2号罐区"),
        ],
        &[("files", "现场.png", &png())],
    );
    let r = l
        .inspector
        .post_raw("/api/v1/hazards", &body_type, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().expect("id");
    assert_eq!(r.body["status"], "registered");
    assert_eq!(r.body["source"], "inspection");
    assert_eq!(r.body["deadline"], day(30), "the configured default");
    let d = l.enterprise.get(&format!("/api/v1/hazards/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "the enterprise sees its own");
    assert_eq!(d.body["photos"].as_array().map(Vec::len), Some(1));
    assert_eq!(d.body["can_submit"], true);
    let photo = d.body["photos"][0]["id"].as_i64().expect("photo");
    let f = l
        .enterprise
        .get(&format!("/api/v1/hazard-files/{photo}"))
        .await;
    assert_eq!(f.status, StatusCode::OK);

    // Nothing to accept yet.
    let r = l
        .reviewer
        .post(&format!("/api/v1/hazards/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // The enterprise submits its rectification with an after-photo.
    let (t, b) = multipart_files(&[("note", "已更换报警器并校验")], &[("整改后.png", &png())]);
    let r = l
        .enterprise
        .post_raw(&format!("/api/v1/hazards/{id}/submit"), &t, b)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "submitted");

    // The enterprise itself, and the inspector who registered it, may not accept.
    let r = l
        .enterprise
        .post(&format!("/api/v1/hazards/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = l
        .inspector
        .post(&format!("/api/v1/hazards/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(l.app.audit_count("hazard.review", "denied").await >= 2);
    // A return needs a comment; with one the hazard is rectifying again.
    let r = l
        .reviewer
        .post(&format!("/api/v1/hazards/{id}/return"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = l
        .reviewer
        .post(
            &format!("/api/v1/hazards/{id}/return"),
            json!({"note": "未见校验记录"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "rectifying");
    // Submitted again by the inspector for the enterprise: now the inspector is the submitter.
    let r = l
        .inspector
        .post(
            &format!("/api/v1/hazards/{id}/submit"),
            json!({"note": "补充校验记录"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = l
        .reviewer
        .post(
            &format!("/api/v1/hazards/{id}/accept"),
            json!({"comment": "同意销号"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "closed");
    assert!(r.body["closed_at"].is_i64());
    // Closed: no more submissions; only the office reopens, with a reason.
    let r = l
        .enterprise
        .post(
            &format!("/api/v1/hazards/{id}/submit"),
            json!({"note": "再报"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = l
        .reviewer
        .post(
            &format!("/api/v1/hazards/{id}/reopen"),
            json!({"reason": "复查发现"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let office = l.app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .post(
            &format!("/api/v1/hazards/{id}/reopen"),
            json!({"reason": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = office
        .post(
            &format!("/api/v1/hazards/{id}/reopen"),
            json!({"reason": "复查发现报警器再次失效"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "rectifying");
    let d = office.get(&format!("/api/v1/hazards/{id}")).await;
    assert_eq!(d.body["rectifications"].as_array().map(Vec::len), Some(2));
    assert_eq!(l.app.audit_count("hazard.reopen", "ok").await, 1);
}

#[tokio::test]
async fn bad_hazards_are_refused_naming_the_field_and_nothing_is_saved() {
    let l = a_loop().await;
    let e = l.enterprise_id;
    let cases = [
        (
            json!({"enterprise_id": e, "description": "x", "grade": "major", "deadline": day(60)}),
            "criterion",
        ),
        (
            json!({"enterprise_id": e, "description": "x", "grade": "major", "criterion": "gongmao_2023/3.1"}),
            "deadline",
        ),
        (
            json!({"enterprise_id": e, "description": "x", "grade": "general", "criterion": "no/such"}),
            "criterion",
        ),
        (
            json!({"enterprise_id": e, "description": "x", "grade": "general", "found_on": day(-3), "deadline": day(-5)}),
            "deadline",
        ),
        (
            json!({"enterprise_id": e, "description": "x", "grade": "general", "found_on": day(1)}),
            "found_on",
        ),
        (
            json!({"enterprise_id": e, "description": "x", "grade": "huge"}),
            "grade",
        ),
        (
            json!({"enterprise_id": e, "description": "", "grade": "general"}),
            "description",
        ),
        (
            json!({"enterprise_id": e, "description": "x", "grade": "general", "accident_type": "meteor"}),
            "accident_type",
        ),
        // No enterprise (a blank one in a form is the same): named, not a type error.
        (
            json!({"description": "x", "grade": "general"}),
            "enterprise_id",
        ),
    ];
    for (body, field) in cases {
        let r = l.inspector.post("/api/v1/hazards", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(
            field_named(&r.body, field),
            "{body} names {field}: {}",
            r.body
        );
    }
    // A form's blank numbers are "not given": the enterprise is then named as missing.
    let (t, b) = multipart(
        &[
            ("enterprise_id", ""),
            ("description", "x"),
            ("grade", "general"),
            ("funds_yuan", ""),
        ],
        &[],
    );
    let r = l.inspector.post_raw("/api/v1/hazards", &t, b).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "enterprise_id"), "{}", r.body);
    assert!(!field_named(&r.body, "funds_yuan"), "{}", r.body);
    // A photo that is not an image.
    let (t, b) = multipart(
        &[
            ("enterprise_id", &e.to_string()),
            ("description", "x"),
            ("grade", "general"),
        ],
        &[(
            "files",
            "photo.pdf",
            b"%PDF-1.4\n% not a photo at all\n%%EOF\n",
        )],
    );
    let r = l.inspector.post_raw("/api/v1/hazards", &t, b).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(field_named(&r.body, "files"), "{}", r.body);
    assert_eq!(l.app.scalar_i64("SELECT COUNT(*) FROM hazard").await, 0);
    assert_eq!(
        l.app.scalar_i64("SELECT COUNT(*) FROM hazard_photo").await,
        0
    );
    // A major hazard citing its criterion is taken.
    let r = l
        .inspector
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": e, "description": "涉及重点监管危险化工工艺的装置未实现自动化控制", "grade": "major",
                   "criterion": "chemical_2017/4", "deadline": day(90)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Another county's inspector cannot see the enterprise: 404, not a hint.
    let ji_an = l.app.api_as(Role::Territory, "220582-ZF").await;
    let r = ji_an
        .post(
            "/api/v1/hazards",
            json!({"enterprise_id": e, "description": "x", "grade": "general"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let id = l.app.scalar_i64("SELECT MAX(id) FROM hazard").await;
    assert_eq!(
        ji_an.get(&format!("/api/v1/hazards/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ji_an.get("/api/v1/hazards").await.body["total"], 0);
}

#[tokio::test]
async fn the_hazard_list_filters_by_grade_status_and_overdue_by_the_servers_date() {
    let l = a_loop().await;
    let e = l.enterprise_id;
    for (desc, grade, found, deadline, criterion) in [
        ("逾期一般", "general", day(-40), day(-10), ""),
        ("未到期一般", "general", day(-1), day(20), ""),
        ("重大", "major", day(-5), day(5), "coal_2020/3.2"),
    ] {
        let r = l
            .inspector
            .post(
                "/api/v1/hazards",
                json!({"enterprise_id": e, "description": desc, "grade": grade, "found_on": found, "deadline": deadline, "criterion": criterion}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = l.reviewer.get("/api/v1/hazards?overdue=true").await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    assert_eq!(r.body["items"][0]["description"], "逾期一般");
    assert_eq!(r.body["items"][0]["overdue"], true);
    let r = l.reviewer.get("/api/v1/hazards?grade=major").await;
    assert_eq!(r.body["total"], 1);
    let r = l
        .reviewer
        .get("/api/v1/hazards?status=registered&region=220502&industry=C26")
        .await;
    assert_eq!(r.body["total"], 3);
    let first = r.body["items"][0]["description"].clone();
    assert_eq!(first, "逾期一般", "the nearest deadline first");
    let r = l.reviewer.get("/api/v1/hazards?status=done").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = l.reviewer.get("/api/v1/hazards?enterprise=0").await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no enterprise has id 0: {}",
        r.body
    );
    let r = l.reviewer.get("/api/v1/hazards?region=220582").await;
    assert_eq!(r.body["total"], 0, "another county's region lists nothing");
}

#[tokio::test]
async fn risk_is_graded_by_lec_and_ls_with_the_default_bands_and_off_scale_values_are_refused() {
    let app = spawn_app().await;
    let a = app.api_as(Role::Enterprise, "220500-AWB").await;
    let assess = async |b: Value| a.post("/api/v1/risk/assess", b).await;
    let r = assess(json!({"method": "LEC", "l": 6, "e": 6, "c": 15})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body["score"].as_f64(),
            &r.body["level"],
            &r.body["colour"]
        ),
        (Some(540.0), &json!("major"), &json!("red"))
    );
    let r = assess(json!({"method": "lec", "l": 3, "e": 6, "c": 15})).await;
    assert_eq!(
        (&r.body["level"], &r.body["colour"]),
        (&json!("high"), &json!("orange")),
        "270"
    );
    let r = assess(json!({"method": "LEC", "l": 1, "e": 2, "c": 40})).await;
    assert_eq!(r.body["level"], "general", "80: {}", r.body);
    let r = assess(json!({"method": "LEC", "l": 1, "e": 1, "c": 7})).await;
    assert_eq!(
        (&r.body["level"], &r.body["colour"]),
        (&json!("low"), &json!("blue"))
    );
    let r = assess(json!({"method": "LS", "l": 4, "s": 5})).await;
    assert_eq!(r.body["level"], "major", "{}", r.body);
    let r = assess(json!({"method": "LS", "l": 3, "s": 3})).await;
    assert_eq!(r.body["level"], "general");
    let r = assess(json!({"method": "LEC", "l": 5, "e": 6, "c": 15})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_named(&r.body, "l"), "{}", r.body);
    let r = assess(json!({"method": "LS", "l": 3, "s": 6})).await;
    assert!(field_named(&r.body, "s"), "{}", r.body);
    let r = assess(json!({"method": "AHP", "l": 3})).await;
    assert!(field_named(&r.body, "method"), "{}", r.body);
}

#[tokio::test]
async fn a_trade_no_department_covers_is_a_gap_until_the_government_names_a_lead() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let chem = add_enterprise(&county, "91220502MA0000005", "东昌某化工", "C26").await;
    let escape = add_enterprise(&county, "91220502MA0000006", "东昌某密室逃脱", "R90").await;
    let r = county.get(&format!("/api/v1/enterprises/{chem}")).await;
    assert_eq!(r.body["gap"], false, "{}", r.body);
    let codes: Vec<&str> = r.body["supervisors"]
        .as_array()
        .expect("supervisors")
        .iter()
        .filter_map(|s| s["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"220502-YJ"),
        "应急 supervises 化工 in its county: {codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.starts_with("220582")),
        "never another county's"
    );
    let r = county.get("/api/v1/enterprises?gap=true").await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    assert_eq!(r.body["items"][0]["id"], escape);
    // A department sees the enterprises it supervises, not the others.
    let yj = app.api_as(Role::Department, "220502-YJ").await;
    let r = yj.get("/api/v1/enterprises").await;
    let ids: Vec<i64> = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![chem], "{}", r.body);
    // A department does not name the lead; a bad principle or another county's department is
    // refused naming the field; nothing is kept.
    let body = json!({"department_code": "220502-YJ", "principle": "closest", "reason": "场所消防和应急疏散"});
    let r = yj
        .post(&format!("/api/v1/enterprises/{escape}/lead"), body.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = county
        .post(
            &format!("/api/v1/enterprises/{escape}/lead"),
            json!({"department_code": "220582-YJ", "principle": "nearest", "reason": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["department_code", "principle", "reason"] {
        assert!(field_named(&r.body, f), "{f}: {}", r.body);
    }
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM enterprise_lead").await,
        0
    );
    let r = county
        .post(&format!("/api/v1/enterprises/{escape}/lead"), body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["gap"], false);
    assert_eq!(r.body["lead"]["code"], "220502-YJ");
    assert_eq!(
        county.get("/api/v1/enterprises?gap=true").await.body["total"],
        0
    );
    let r = yj.get("/api/v1/enterprises").await;
    assert_eq!(
        r.body["total"], 2,
        "the lead department sees it now: {}",
        r.body
    );
    let r = county
        .get(&format!("/api/v1/enterprises/{escape}/leads"))
        .await;
    assert_eq!(r.body["items"][0]["principle"], "closest");
    assert_eq!(r.body["items"][0]["reason"], "场所消防和应急疏散");
    assert_eq!(app.audit_count("enterprise.lead", "ok").await, 1);
    assert_eq!(app.audit_count("enterprise.lead", "denied").await, 1);
}

#[tokio::test]
async fn the_principals_id_number_is_checked_sealed_shown_masked_and_revealed_only_with_a_reason() {
    let app = spawn_app().await;
    let county = app.api_as(Role::Territory, "220502-ZF").await;
    let code = credit_code("91220502MA0000007");
    let mut body = json!({"name": "东昌某厂", "credit_code": code, "region_code": "220502", "industry": "C30",
                          "principal_name": "张三", "principal_id_number": "110105194912310021"});
    let r = county.post("/api/v1/enterprises", body.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a wrong check digit: {}",
        r.body
    );
    assert!(field_named(&r.body, "principal_id_number"), "{}", r.body);
    body["principal_id_number"] = json!("11010519491231002x");
    let r = county.post("/api/v1/enterprises", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["principal_id_masked"], "110105********002X");
    let id = r.body["id"].as_i64().expect("id");
    let stored = app
        .scalar_text("SELECT principal_id_sealed FROM enterprise")
        .await
        .expect("sealed");
    assert!(stored.starts_with("v1.sm4gcm."), "{stored}");
    assert!(!stored.contains("19491231"), "never in clear");
    let path = format!("/api/v1/enterprises/{id}/principal-id");
    for (role, org) in [(Role::Leader, "220500-AWB"), (Role::Admin, "220500-AWB")] {
        let who = app.api_as(role, org).await;
        let r = who.post(&path, json!({"reason": "核查"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}: {}", r.body);
    }
    let r = county.post(&path, json!({"reason": ""})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = county.post(&path, json!({"reason": "执法文书送达"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["principal_id_number"], "11010519491231002X");
    assert_eq!(
        app.audit_count("enterprise.reveal_principal_id", "ok")
            .await,
        1
    );
    assert_eq!(
        app.audit_count("enterprise.reveal_principal_id", "denied")
            .await,
        2
    );
    let leaked = app
        .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%19491231%'")
        .await;
    assert_eq!(leaked, 0, "the audit keeps the reason, never the number");
    let other = app.api_as(Role::Territory, "220582-ZF").await;
    assert_eq!(
        other.post(&path, json!({"reason": "x"})).await.status,
        StatusCode::NOT_FOUND
    );
}
