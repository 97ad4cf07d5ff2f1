//! 隐患排查治理 in the browser: an inspector registers a hazard on a phone with a photo from
//! the file input; the enterprise submits its rectification with an after-photo; another
//! inspector (never the reporter) accepts it and the hazard is closed (已销号); the pages in
//! English.

use anwei::auth::model::Role;
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;

use super::Browser;
use crate::hazards::{add_enterprise, credit_code, png};
use crate::helpers::{Api, TestApp, multipart, spawn_app};

/// The first 17 characters of the test enterprise's credit code (东昌区, 220502).
const ENTERPRISE: &str = "91220502MA0000B01";

/// Signs the browser out (a fresh cookie jar) and in again as `username`.
async fn switch_to(b: &Browser, app: &TestApp, username: &str) {
    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(app, username).await;
}

async fn status_is(b: &Browser, want: &str) {
    b.wait_text("#hazard-status", want, |t| t.trim().starts_with(want))
        .await;
}

/// Whether an element matching `css` is in the page right now (no waiting).
async fn present(b: &Browser, css: &str) -> bool {
    b.c.find(Locator::Css(css)).await.is_ok()
}

/// Fails, naming the widest elements, when the page scrolls sideways.
pub(super) async fn fits_the_window(b: &Browser, what: &str) {
    let v = b
        .js(r#"const w = window.innerWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (typeof e.className === 'string' && e.className
                        ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
            return [document.documentElement.scrollWidth, w, wide.join(', ')]"#)
        .await;
    let scroll = v[0].as_f64().expect("scrollWidth");
    let inner = v[1].as_f64().expect("innerWidth");
    assert!(
        inner <= 420.0,
        "the window is phone-sized on {what}: {inner}"
    );
    assert!(
        scroll <= inner + 1.0,
        "{what} scrolls sideways on a phone: scrollWidth {scroll} > innerWidth {inner}; \
         too wide: {}",
        v[2]
    );
}

/// The hazard's id from the current path `/hazards/{id}`.
async fn hazard_id(b: &Browser) -> i64 {
    let path = b.path().await;
    path.strip_prefix("/hazards/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("on a hazard's page, not {path}"))
}

/// Waits until the browser has left `/hazards` for a hazard's page; returns its id.
async fn wait_hazard_page(b: &Browser) -> i64 {
    let deadline = std::time::Instant::now() + super::WAIT;
    loop {
        let path = b.path().await;
        if path
            .strip_prefix("/hazards/")
            .is_some_and(|s| s.parse::<i64>().is_ok())
        {
            return hazard_id(b).await;
        }
        if std::time::Instant::now() > deadline {
            // Name what the form said, if it came back refused.
            let mut said = Vec::new();
            for e in b.find_all(".field-error, .error-message").await {
                said.push(e.text().await.unwrap_or_default());
            }
            panic!("expected a hazard's page, still on {path}: {said:?}");
        }
        tokio::time::sleep(super::POLL).await;
    }
}

/// The (size, type) of the file behind the first link matching `css`, fetched by the page.
async fn fetched(b: &Browser, css: &str) -> (u64, String) {
    let v = b
        .js(&format!(
            "const a = document.querySelector({}); \
             return fetch(a.href).then(r => r.blob()).then(x => [x.size, x.type]);",
            serde_json::Value::String(css.to_string())
        ))
        .await;
    (
        v[0].as_u64().expect("size"),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

/// An inspector and a second inspector of 东昌区, an enterprise there with its own account.
struct World {
    app: TestApp,
    inspector: Api,
    reviewer: Api,
    enterprise_user: String,
    enterprise_id: i64,
}

async fn world() -> World {
    let app = spawn_app().await;
    let inspector = app.api_as(Role::Territory, "220502-ZF").await;
    let reviewer = app.api_as(Role::Territory, "220502-ZF").await;
    let enterprise_id = add_enterprise(&inspector, ENTERPRISE, "东昌某危化企业", "C26").await;
    let enterprise_user = "dongchang_qiye".to_string();
    app.create_user(&enterprise_user, Role::Enterprise, &credit_code(ENTERPRISE))
        .await;
    World {
        app,
        inspector,
        reviewer,
        enterprise_user,
        enterprise_id,
    }
}

/// Registers a hazard through the API as `api`, with one photo; returns its id.
async fn register(api: &Api, enterprise_id: i64, description: &str) -> i64 {
    let (t, body) = multipart(
        &[
            ("enterprise_id", &enterprise_id.to_string()),
            ("description", description),
            ("grade", "general"),
            ("location", "2号罐区"),
        ],
        &[("files", "现场.png", &png())],
    );
    let r = api.post_raw("/api/v1/hazards", &t, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().expect("id")
}

#[tokio::test]
async fn an_inspector_registers_a_hazard_with_a_photo_on_a_phone() {
    let w = world().await;
    let (app, e) = (&w.app, w.enterprise_id);
    let b = Browser::start().await;
    b.login(app, &w.inspector.username).await;
    b.c.set_window_size(390, 844).await.expect("phone size");

    b.goto(app, "/hazards").await;
    b.find("#register-button").await;
    fits_the_window(&b, "/hazards").await;
    // Nothing is chosen before the inspector chooses.
    let chosen = b
        .find("#enterprise_id")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(chosen.as_deref().unwrap_or_default(), "", "no enterprise 0");

    // A major hazard without its criterion and deadline comes back with both named, and what
    // was typed is still there.
    b.type_into("#enterprise_id", &e.to_string()).await;
    b.type_into("#description", "储罐区可燃气体报警器失效")
        .await;
    b.find("#grade option[value=major]")
        .await
        .click()
        .await
        .expect("choose major");
    b.type_into("#location", "2号罐区").await;
    b.type_into("#responsible_person", "王安全").await;
    b.type_into("#measures", "更换报警器并校验").await;
    b.click("#register-button").await;
    b.find("#criterion-err").await;
    b.find("#deadline-err").await;
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM hazard").await, 0);
    for (css, want) in [
        ("#enterprise_id", e.to_string()),
        ("#description", "储罐区可燃气体报警器失效".into()),
        ("#grade", "major".into()),
        ("#location", "2号罐区".into()),
        ("#responsible_person", "王安全".into()),
        ("#measures", "更换报警器并校验".into()),
    ] {
        let v = b.find(css).await.prop("value").await.expect("value");
        assert_eq!(
            v.as_deref(),
            Some(want.as_str()),
            "{css} kept after the 422"
        );
    }
    // On a phone the form is far below the filters and the list: the page comes back
    // scrolled to it, so the errors are in sight.
    b.wait_js(
        "const r = document.getElementById('criterion-err').getBoundingClientRect(); \
         return document.readyState === 'complete' && r.top >= 0 && r.bottom <= innerHeight",
        "the form's errors should be in sight after a 422",
    )
    .await;
    fits_the_window(&b, "the form with its errors").await;
    b.screenshot("hazards-phone-1-errors").await;

    // A general one at an enterprise that is not there: the enterprise field says so.
    b.find("#grade option[value=general]")
        .await
        .click()
        .await
        .expect("choose general");
    b.type_into("#enterprise_id", "999999").await;
    b.click("#register-button").await;
    b.find("#enterprise_id-err").await;
    assert!(!present(&b, "#criterion-err").await, "the grade was fixed");
    let kept = b
        .find("#description")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("储罐区可燃气体报警器失效"));
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM hazard").await, 0);

    // The right one, with a photo from the camera input: registered, on its own page.
    b.type_into("#enterprise_id", &e.to_string()).await;
    let capture = b
        .find("#files")
        .await
        .attr("capture")
        .await
        .expect("capture");
    assert_eq!(capture.as_deref(), Some("environment"), "the rear camera");
    let _photo = b.attach("#files", "现场照片.png", &png()).await;
    b.click("#register-button").await;
    let id = wait_hazard_page(&b).await;
    status_is(&b, "已登记").await;
    let photos = b.text("#photos").await;
    assert!(
        photos.contains("现场照片.png"),
        "the photo is listed: {photos}"
    );
    let (size, mime) = fetched(&b, "#photos a").await;
    assert_eq!(size, png().len() as u64, "the photo's bytes come back");
    assert_eq!(mime, "image/png");
    assert!(b.text("main").await.contains("东昌某危化企业"));
    fits_the_window(&b, "the hazard's page").await;
    b.screenshot("hazards-phone-2-registered").await;

    // Stored as sent, by this inspector, at this enterprise.
    let r = w.inspector.get(&format!("/api/v1/hazards/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["hazard"]["enterprise_id"], e);
    assert_eq!(r.body["hazard"]["grade"], "general");
    assert_eq!(r.body["hazard"]["location"], "2号罐区");
    assert_eq!(r.body["photos"].as_array().map(Vec::len), Some(1));

    // Listed, and the list with a row still fits.
    b.goto(app, "/hazards").await;
    let row = b.text(&format!("#hazard-{id}")).await;
    assert!(row.contains("储罐区可燃气体报警器失效"), "{row}");
    fits_the_window(&b, "/hazards with a hazard").await;
    b.screenshot("hazards-phone-3-list").await;

    b.finish().await;
}

#[tokio::test]
async fn the_enterprise_submits_and_another_inspector_accepts_never_the_reporter() {
    let w = world().await;
    let app = &w.app;
    let id = register(&w.inspector, w.enterprise_id, "消防通道堆放杂物").await;
    let page = format!("/hazards/{id}");
    let b = Browser::start().await;

    // The enterprise's own account: the rectification form, no reviewer's form.
    b.login(app, &w.enterprise_user).await;
    b.goto(app, &page).await;
    status_is(&b, "已登记").await;
    assert!(!present(&b, "#review").await, "an enterprise never accepts");
    b.type_into("#note", "已清理杂物并设置禁止堆放标识").await;
    let _after = b.attach("#files", "整改后.png", &png()).await;
    b.click("#submit-button").await;
    status_is(&b, "待验收").await;
    let record = b.text("main").await;
    assert!(record.contains("已清理杂物并设置禁止堆放标识"), "{record}");
    assert!(record.contains("整改后.png"), "the after-photo is listed");
    assert!(
        !present(&b, "#submit").await,
        "nothing to submit while it waits"
    );
    b.screenshot("hazards-1-submitted").await;

    // The inspector who registered it: the page hides the reviewer's form …
    switch_to(&b, app, &w.inspector.username).await;
    b.goto(app, &page).await;
    status_is(&b, "待验收").await;
    assert!(
        !present(&b, "#review").await && !present(&b, "#accept").await,
        "the reporter sees no reviewer's form"
    );
    // … and a decision posted anyway, from the page's session or over the API, is refused.
    let answer = b
        .js(&format!(
            "const t = document.querySelector('input[name=_csrf]').value;
             return fetch('/hazards/{id}/review', {{method: 'POST',
                 headers: {{'Content-Type': 'application/x-www-form-urlencoded'}},
                 body: '_csrf=' + encodeURIComponent(t) + '&decision=accept'}})
               .then(r => r.status);"
        ))
        .await;
    assert_eq!(answer, json!(403), "the reporter's session may not accept");
    let r = w
        .inspector
        .post(&format!("/api/v1/hazards/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    b.goto(app, &page).await;
    status_is(&b, "待验收").await;

    // Another inspector of the county accepts: closed.
    switch_to(&b, app, &w.reviewer.username).await;
    b.goto(app, &page).await;
    status_is(&b, "待验收").await;
    b.type_into("#comment", "现场复核合格，同意销号").await;
    b.screenshot("hazards-2-review").await;
    b.click("#accept").await;
    status_is(&b, "已销号").await;
    assert!(!present(&b, "#review").await, "nothing left to decide");
    assert!(b.text("main").await.contains("现场复核合格，同意销号"));
    b.screenshot("hazards-3-closed").await;

    let r = w.reviewer.get(&format!("/api/v1/hazards/{id}")).await;
    assert_eq!(r.body["hazard"]["status"], "closed", "{}", r.body);
    assert_eq!(app.audit_count("hazard.review", "denied").await, 2);
    b.finish().await;
}

#[tokio::test]
async fn the_hazard_pages_speak_english() {
    let w = world().await;
    let app = &w.app;
    let id = register(&w.inspector, w.enterprise_id, "配电室未配备绝缘垫").await;
    let b = Browser::start().await;
    b.login(app, &w.inspector.username).await;

    let detail = format!("/hazards/{id}?lang=en");
    for (path, labels) in [
        (
            "/hazards?lang=en",
            &[
                ("main h1", "Hazards"),
                ("label[for=description]", "Description"),
                ("label[for=enterprise_id]", "Enterprise"),
                ("label[for=files]", "Photos"),
                ("#register-button", "Register a hazard"),
                ("#hazards th:last-child", "Status"),
            ][..],
        ),
        (
            detail.as_str(),
            &[("#hazard-status", "Registered"), ("#photos", "现场.png")][..],
        ),
        (
            "/enterprises?lang=en",
            &[("main h1", "Enterprise registry")][..],
        ),
    ] {
        b.goto(app, path).await;
        for (css, want) in labels {
            let t = b.text(css).await;
            assert!(t.contains(want), "{path} {css}: {t:?} should say {want:?}");
        }
        // The interface's own words: no Chinese and no raw keys (data stays as it is).
        let texts = b
            .js(r#"return [...document.querySelectorAll(
                'header nav a, th, label, button, .hint, .crumbs > a, dt, h2')]
                .map(e => e.innerText.trim())"#)
            .await;
        let texts: Vec<&str> = texts
            .as_array()
            .expect("texts")
            .iter()
            .filter_map(|t| t.as_str())
            .collect();
        let bad: Vec<&&str> = texts
            .iter()
            .filter(|t| {
                let chinese = t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                let raw = t.split_whitespace().any(|w| {
                    w.starts_with("hazard") && w.contains('.')
                        || w.starts_with("enterprise") && w.contains('.')
                });
                chinese || raw
            })
            .collect();
        assert!(bad.is_empty(), "{path} in English shows {bad:?}");
        let lang = b.js("return document.documentElement.lang").await;
        assert_eq!(lang, json!("en"), "{path}");
        b.screenshot(&format!(
            "en-hazards-{}",
            path.trim_start_matches('/').replace(['/', '?', '='], "-")
        ))
        .await;
    }
    b.finish().await;
}
