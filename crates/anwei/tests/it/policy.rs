//! Tests of policy: the 66 key tasks with their deadlines, editing by the office, and pages.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use anwei::auth::model::Role;

async fn web_as(app: &TestApp, role: Role, org: &str) -> Web {
    let name = format!(
        "w{}_{}",
        role.code(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    app.create_user(&name, role, org).await;
    app.browser_as(&name).await
}

#[tokio::test]
async fn the_task_list_has_66_numbered_tasks_with_structured_deadlines() {
    let app = spawn_app().await;
    let d = app.api_as(Role::Department, "220500-YJ").await;
    let r = d.get("/api/v1/policy/tasks").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 66);
    assert_eq!(r.body["total"], 66);
    let numbers: Vec<i64> = items
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=66).collect::<Vec<_>>());
    for t in items {
        assert!(t["measure"].as_i64().is_some_and(|m| (1..=15).contains(&m)));
        assert!(t["content"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(t["units_text"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(t["deadline_text"].as_str().is_some_and(|s| !s.is_empty()));
        let dl = &t["deadline"];
        for k in ["due", "ongoing", "window_start", "window_end", "kind"] {
            assert!(dl.get(k).is_some(), "deadline.{k} present in {t}");
        }
    }
    let t1 = &items[0];
    assert_eq!(t1["deadline_text"], "2022年9月底前完成，并长期坚持");
    assert_eq!(t1["deadline"]["due"], "2022-09-30");
    assert_eq!(t1["deadline"]["ongoing"], true);
    assert_eq!(t1["measure"], 1);
    // A task that is only "长期坚持" is ongoing with no due date.
    let ongoing = items
        .iter()
        .find(|t| t["deadline_text"] == "长期坚持")
        .expect("an ongoing task");
    assert!(ongoing["deadline"]["due"].is_null());
    assert_eq!(ongoing["deadline"]["ongoing"], true);
    // 2022年4月至党的二十大结束的: a window.
    let window = items
        .iter()
        .find(|t| t["deadline_text"] == "2022年4月至党的二十大结束的")
        .expect("a window task");
    assert!(window["deadline"]["window_start"].is_string());
    assert!(window["deadline"]["window_end"].is_string());
}

#[tokio::test]
async fn task_filters_narrow_the_list() {
    let app = spawn_app().await;
    let d = app.api_as(Role::Leader, "220500-AWB").await;
    let r = d.get("/api/v1/policy/tasks?measure=1").await;
    let items = r.body["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() < 66);
    assert!(items.iter().all(|t| t["measure"] == 1));
    let r = d.get("/api/v1/policy/tasks?kind=ongoing").await;
    let items = r.body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|t| t["deadline"]["kind"] == "ongoing"));
    let r = d
        .get("/api/v1/policy/tasks?q=%E5%AE%A3%E4%BC%A0%E9%83%A8%E9%97%A8") // 宣传部门
        .await;
    let items = r.body["items"].as_array().unwrap();
    assert!(items.iter().any(|t| t["number"] == 2));
    assert!(items.len() < 66);
    let m = d.get("/api/v1/policy/measures").await;
    assert_eq!(m.body["items"].as_array().unwrap().len(), 15);
    let a = d.get("/api/v1/policy/articles").await;
    assert_eq!(a.body["items"].as_array().unwrap().len(), 43);
    let one = d.get("/api/v1/policy/tasks/2").await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["task"]["number"], 2);
    assert_eq!(one.body["articles"][0]["number"], 1);
    assert_eq!(
        d.get("/api/v1/policy/tasks/67").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_role_but_the_auditor_reads_the_policy_and_the_auditor_refusal_is_audited() {
    let app = spawn_app().await;
    for role in [
        Role::Admin,
        Role::Office,
        Role::Department,
        Role::Territory,
        Role::Enterprise,
        Role::Discipline,
        Role::Leader,
    ] {
        let u = app.api_as(role, "220502-YJ").await;
        let r = u.get("/api/v1/policy/tasks").await;
        assert_eq!(r.status, StatusCode::OK, "{role:?}");
    }
    let a = app.api_as(Role::Auditor, "220500-AWB").await;
    let r = a.get("/api/v1/policy/tasks").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("policy.read", "denied").await, 1);
    assert_eq!(
        a.get("/api/v1/policy/tasks/1").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        a.get("/api/v1/policies").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.audit_count("policy.read", "denied").await, 2);
    assert_eq!(app.audit_count("policy.list", "denied").await, 1);
}

#[tokio::test]
async fn the_office_edits_a_task_and_its_deadline_is_read_again() {
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let r = office
        .patch(
            "/api/v1/policy/tasks/1",
            json!({"content": "修改后的任务内容", "units_text": "各级党（工）委， 宣传部门", "deadline_text": "2022年12月底前完成"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = &r.body["task"];
    assert_eq!(t["content"], "修改后的任务内容");
    assert_eq!(t["deadline"]["due"], "2022-12-31");
    assert_eq!(t["deadline"]["ongoing"], false);
    assert_eq!(t["units"].as_array().unwrap().len(), 2);
    assert_eq!(app.audit_count("policy.task_edit", "ok").await, 1);
    let detail = app
        .scalar_text("SELECT detail FROM audit_log WHERE action = 'policy.task_edit'")
        .await
        .unwrap();
    assert!(
        detail.contains("2022年9月底前完成，并长期坚持"),
        "before kept"
    );
    assert!(detail.contains("2022年12月底前完成"), "after kept");
    let again = office.get("/api/v1/policy/tasks/1").await;
    assert_eq!(again.body["task"]["content"], "修改后的任务内容");
    assert_eq!(again.body["task"]["deadline"]["kind"], "dated");
}

#[tokio::test]
async fn an_unparseable_deadline_or_unit_phrase_is_422_naming_the_field_and_the_task_is_unchanged()
{
    let app = spawn_app().await;
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let before = office.get("/api/v1/policy/tasks/1").await.body["task"].clone();
    let r = office
        .patch(
            "/api/v1/policy/tasks/1",
            json!({"content": "新内容", "units_text": "各级党（工）委", "deadline_text": "等有空的时候"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["fields"]["deadline_text"]
            .as_str()
            .is_some_and(|m| m.starts_with("无法解析的时限")),
        "{}",
        r.body
    );
    assert!(r.body["fields"].get("units_text").is_none());
    let r = office
        .patch(
            "/api/v1/policy/tasks/1",
            json!({"content": "新内容", "units_text": "隔壁老王", "deadline_text": "长期坚持"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["fields"]["units_text"], "无法解析的责任单位：无法识别的责任单位“隔壁老王”",
        "the reason is Chinese too"
    );
    let en = office
        .send(
            office
                .client
                .patch(office.base.clone() + "/api/v1/policy/tasks/1")
                .bearer_auth(&office.token)
                .header("accept-language", "en")
                .json(&json!({"content": "新内容", "units_text": "隔壁老王", "deadline_text": "2022年13月底前"})),
        )
        .await;
    assert_eq!(
        en.body["fields"]["units_text"],
        "Responsible units not understood: unknown responsible unit “隔壁老王”"
    );
    assert_eq!(
        en.body["fields"]["deadline_text"],
        "Deadline not understood: “13” is not a month"
    );
    let r = office
        .patch(
            "/api/v1/policy/tasks/1",
            json!({"content": " ", "units_text": "各级党（工）委", "deadline_text": "长期坚持"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"]["content"], "必填");
    let r = office
        .patch("/api/v1/policy/tasks/1", json!({"content": "只有内容"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["fields"]["units_text"].is_string());
    let after = office.get("/api/v1/policy/tasks/1").await.body["task"].clone();
    assert_eq!(before, after);
    assert_eq!(app.audit_count("policy.task_edit", "ok").await, 0);
    let r = office
        .patch(
            "/api/v1/policy/tasks/99",
            json!({"content": "x", "units_text": "各级党（工）委", "deadline_text": "长期坚持"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_the_office_edits_tasks_and_each_refusal_is_audited() {
    let app = spawn_app().await;
    let body =
        json!({"content": "越权修改", "units_text": "各级党（工）委", "deadline_text": "长期坚持"});
    for (i, role) in [
        Role::Admin,
        Role::Department,
        Role::Territory,
        Role::Leader,
        Role::Enterprise,
        Role::Discipline,
        Role::Auditor,
    ]
    .into_iter()
    .enumerate()
    {
        let u = app.api_as(role, "220500-AWB").await;
        let r = u.patch("/api/v1/policy/tasks/1", body.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(
            app.audit_count("policy.task_edit", "denied").await,
            i as i64 + 1
        );
    }
    let office = app.api_as(Role::Office, "220500-AWB").await;
    let t = office.get("/api/v1/policy/tasks/1").await;
    assert_ne!(t.body["task"]["content"], "越权修改");
}

#[tokio::test]
async fn the_policy_page_is_chinese_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let w = web_as(&app, Role::Department, "220500-YJ").await;
    let p = w.get("/policy").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("lang=\"zh-CN\""));
    assert!(p.body.contains("政策与重点任务"));
    assert!(p.body.contains("/policy/tasks/66"));
    let en = w.get("/policy?lang=en").await;
    assert!(en.body.contains("lang=\"en\""));
    assert!(
        en.body.contains("Policy &#38; key tasks") || en.body.contains("Policy &amp; key tasks")
    );
    let t = w.get("/policy/tasks/1").await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(t.body.contains("各级党（工）委"));
    let a = w.get("/policy/articles/1").await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn the_edit_form_is_office_only_and_re_renders_with_the_field_error_and_the_typed_text() {
    let app = spawn_app().await;
    let dept = web_as(&app, Role::Department, "220500-YJ").await;
    let f = dept.get("/policy/tasks/1/edit").await;
    assert_eq!(f.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("policy.task_edit", "denied").await, 1);
    let r = dept
        .post_form(
            "/policy/tasks/1/edit",
            &[
                ("content", "x"),
                ("units_text", "各级党（工）委"),
                ("deadline_text", "长期坚持"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("policy.task_edit", "denied").await, 2);

    let w = web_as(&app, Role::Office, "220500-AWB").await;
    let f = w.get("/policy/tasks/1/edit").await;
    assert_eq!(f.status, StatusCode::OK);
    assert!(f.body.contains("2022年9月底前完成，并长期坚持"));
    let p = w
        .post_form(
            "/policy/tasks/1/edit",
            &[
                ("content", "我改过的内容"),
                ("units_text", "各级党（工）委"),
                ("deadline_text", "明年某个时候"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("无法解析的时限"));
    assert!(p.body.contains("明年某个时候"));
    assert!(p.body.contains("我改过的内容"));
    let ok = w
        .post_form(
            "/policy/tasks/1/edit",
            &[
                ("content", "我改过的内容"),
                ("units_text", "各级党（工）委"),
                ("deadline_text", "长期坚持"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/policy/tasks/1");
    let t = w.get("/policy/tasks/1").await;
    assert!(t.body.contains("我改过的内容"));
    assert_eq!(app.audit_count("policy.task_edit", "ok").await, 1);
}

#[tokio::test]
async fn the_tables_own_errors_are_shown_as_notes_on_the_task() {
    let app = spawn_app().await;
    let api = app.api_as(Role::Territory, "220502-AWB").await;
    let r = api.get("/api/v1/policy/tasks/24").await;
    assert_eq!(r.status, StatusCode::OK);
    let notes = r.body["notes"].as_array().expect("notes").clone();
    let veto = notes
        .iter()
        .find(|n| n["source"] == "第十二条")
        .unwrap_or_else(|| panic!("task 24's note: {notes:?}"));
    assert_eq!(veto["kind"], "differs");
    assert_eq!(veto["table_text"], "较大事故一票否决");
    assert_eq!(veto["other_text"], "较大事故“一票否优”");
    assert!(
        veto["note"]
            .as_str()
            .unwrap()
            .contains("考核以第十二条为准")
    );
    let en = api.get_lang("/api/v1/policy/tasks/24", "en").await;
    assert!(
        en.body["notes"][0]["note"]
            .as_str()
            .unwrap()
            .contains("assessment follows article 12"),
        "{}",
        en.body["notes"]
    );
    for (n, want) in [(1, "第一条"), (56, "第三十五条"), (57, "第三十六条")] {
        let r = api.get(&format!("/api/v1/policy/tasks/{n}")).await;
        assert!(
            r.body["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["source"] == want),
            "task {n}: {}",
            r.body["notes"]
        );
    }
    let r = api.get("/api/v1/policy/tasks/2").await;
    assert_eq!(r.body["notes"], json!([]), "a faithful task has none");
    let w = web_as(&app, Role::Territory, "220502-AWB").await;
    let page = w.get("/policy/tasks/24").await;
    assert!(page.body.contains("id=\"task-notes\""), "shown on the page");
    assert!(page.body.contains("一票否优"));
}
