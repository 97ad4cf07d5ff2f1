//! The phone layout: nothing is wider than the screen.

use anwei::auth::model::Role;

use super::Browser;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, position_id, spawn_app};

#[tokio::test]
async fn the_phone_layout_has_no_horizontal_scrolling() {
    let app = spawn_app().await;
    app.create_user("zheng", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "zheng").await;
    b.c.set_window_size(390, 844).await.expect("phone size");

    let mut wide = Vec::new();
    for (path, shot) in [
        ("/", "phone-home"),
        ("/policy", "phone-policy"),
        ("/policy/tasks/28", "phone-task-28"),
        ("/orgs", "phone-orgs"),
        ("/orgs/220502-DW", "phone-org-220502-DW"),
    ] {
        b.goto(&app, path).await;
        b.find("main h1").await;
        let w = b
            .js("return [document.documentElement.scrollWidth, window.innerWidth]")
            .await;
        let scroll = w[0].as_f64().expect("scrollWidth");
        let inner = w[1].as_f64().expect("innerWidth");
        assert!(
            inner <= 420.0,
            "the window is phone-sized on {path}: {inner}"
        );
        b.screenshot(shot).await;
        if scroll > inner + 1.0 {
            // Name the culprits so a failure says what to fix.
            let culprits = b
                .js(
                    r#"const w = window.innerWidth; return [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"#,
                )
                .await;
            wide.push(format!(
                "{path}: scrollWidth {scroll} > innerWidth {inner}; {culprits}"
            ));
        }
    }
    assert!(
        wide.is_empty(),
        "horizontal scrolling on a phone:\n{}",
        wide.join("\n")
    );

    b.finish().await;
}

/// What a page measured at phone width: where it ended up and how wide it scrolls.
struct Measured {
    /// The page's path after loading (a redirect shows here).
    path: String,
    /// The page is the error page (403, 404, …): the account cannot see it.
    error: bool,
    scroll: f64,
    inner: f64,
    /// The elements that reach furthest past the right edge, when the page scrolls sideways.
    culprits: String,
}

/// Opens `path` and measures how wide the page scrolls.
async fn measure(b: &Browser, app: &TestApp, path: &str) -> Measured {
    b.goto(app, path).await;
    b.find("main").await;
    let v = b
        .js(r#"const w = window.innerWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
                .slice(0, 4)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (typeof e.className === 'string' && e.className
                        ? '.' + e.className.trim().split(/\s+/).join('.') : '')
                    + ' (' + Math.round(e.getBoundingClientRect().right) + ')');
            return [document.documentElement.scrollWidth, w, location.pathname,
                !!document.querySelector('.error-message'), wide.join(', ')]"#)
        .await;
    Measured {
        scroll: v[0].as_f64().expect("scrollWidth"),
        inner: v[1].as_f64().expect("innerWidth"),
        path: v[2].as_str().unwrap_or_default().to_string(),
        error: v[3].as_bool().unwrap_or(true),
        culprits: v[4].as_str().unwrap_or_default().to_string(),
    }
}

/// The `href` of the first link matching `css` on `page`, if there is one.
async fn first_link(b: &Browser, app: &TestApp, page: &str, css: &str) -> Option<String> {
    b.goto(app, page).await;
    b.find("main").await;
    let v = b
        .js(&format!(
            "const a = document.querySelector({}); return a ? a.getAttribute('href') : null",
            serde_json::Value::String(css.to_string())
        ))
        .await;
    v.as_str().map(str::to_string)
}

/// Every page of the product, as each kind of account sees it, fits a 390 px wide phone
/// screen: the page never scrolls sideways (wide tables become cards or scroll inside
/// their own box). One assertion names every page that does not fit.
#[tokio::test]
async fn every_page_fits_a_390_px_phone() {
    let app = spawn_app().await;
    app.create_user("zheng", Role::Office, "220500-AWB").await;
    app.create_user("nanguan", Role::Territory, "220502-AWB")
        .await;
    app.create_user("guan", Role::Admin, "220500-AWB").await;
    app.create_user("shen", Role::Auditor, "220500-AWB").await;
    // Data that fills the pages' tables and forms, and objects behind pages with ids: a
    // coverage assignment, an inspection led in the covered area, a sensitive period, a
    // person holding the covering position, required deliverables.
    let api = app.api_as(Role::Office, "220500-AWB").await;
    let member = position_id(&api, "220500-DW", "standing_member", 0).await;
    let r = api
        .post(
            "/api/v1/duties/coverage",
            json!({"position": member, "area_kind": "region", "area_code": "220502",
                   "note": "重点包保：危险化学品、道路交通和城镇燃气企业"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let today = anwei::time::today();
    let r = api
        .post(
            "/api/v1/activities",
            json!({"org_code": "220500-DW", "kind": "led_inspection", "date": today.to_string(),
                   "title": "带队检查东昌区危险化学品企业安全生产工作",
                   "led_by_position": member, "area_code": "220502"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let activity = format!("/duties/activities/{}", r.body["id"].as_i64().expect("id"));
    let r = api
        .post(
            "/api/v1/duties/sensitive-periods",
            json!({"name": "全国两会和春节期间重点敏感时期", "start": today.to_string(),
                   "end": (today + chrono::Days::new(30)).to_string(),
                   "rules": [{"rule": "party_member_inspection_quarterly", "period": "month",
                              "min_count": 2}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    let r = api
        .post("/api/v1/persons", json!({"name": "欧阳思远"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let person = r.body["id"].as_i64().expect("id");
    let r = api
        .post(
            &format!("/api/v1/positions/{member}/holder"),
            json!({"person_id": person, "start_date": "2024-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = api
        .post(
            "/api/v1/deliverables/implementation_plan/require",
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    let b = Browser::start().await;
    b.c.set_window_size(390, 844).await.expect("phone size");

    // An issued task gives assignments.
    b.login(&app, "zheng").await;
    b.goto(&app, "/supervision/tasks/6").await;
    b.click("#issue-submit").await;
    b.wait_text("#task-assignments tbody", "the issued assignments", |t| {
        !t.trim().is_empty()
    })
    .await;

    let office = [
        "/",
        "/policy",
        "/policy/tasks/1",
        "/policy/tasks/28",
        "/policy/tasks/1/edit",
        "/policy/articles/1",
        "/policy/import",
        "/supervision",
        "/supervision/inbox",
        "/supervision/tasks/6",
        "/supervision/tasks/7",
        "/supervision/ranking",
        "/supervision/summary",
        "/deliverables",
        "/duties",
        "/duties/heatmap",
        "/duties/at-risk",
        "/duties/coverage",
        "/duties/sensitive",
        "/duties/rules",
        "/duties/rules/new",
        "/duties/activities/new",
        "/orgs",
        "/orgs/220500-AWB",
        "/orgs/220502-DW",
        "/people",
        "/inbox",
        "/account",
        "/account/password",
        "/account/totp",
        "/account/tokens",
        "/enterprises",
        "/hazards",
        "/hazards/dashboard",
        "/risk/map",
        "/risk/overdue-checks",
        "/inspections",
        "/campaigns",
        "/listings",
        "/reports",
    ];
    let office = office.iter().map(|p| p.to_string()).chain([
        activity.clone(),
        format!("{activity}/edit"),
        format!("/duties/people/{person}"),
    ]);
    // (where to look, which link to follow) for pages that need an id.
    let office_links = [
        (
            "/supervision/tasks/6",
            "#task-assignments a[href^='/supervision/assignments/']",
        ),
        ("/orgs/220500-AWB", "a[href^='/positions/']"),
        ("/deliverables", "a.requirement-link"),
        (
            "/duties/rules",
            "a[href^='/duties/rules/']:not([href$='/new'])",
        ),
    ];
    let territory = [
        "/",
        "/policy",
        "/policy/tasks/1",
        "/supervision",
        "/supervision/inbox",
        "/supervision/ranking",
        "/deliverables",
        "/duties",
        "/duties/heatmap",
        "/duties/at-risk",
        "/duties/coverage",
        "/duties/sensitive",
        "/duties/activities/new",
        "/orgs",
        "/orgs/220502-AWB",
        "/people",
        "/inbox",
        "/account",
        "/account/password",
        "/account/totp",
        "/account/tokens",
    ];
    let admin = [
        "/admin/accounts",
        "/admin/accounts/new",
        "/orgs",
        "/orgs/new",
        "/people",
    ];
    let admin_links = [(
        "/admin/accounts",
        "a[href^='/admin/accounts/']:not([href$='/new'])",
    )];
    let auditor = ["/audit"];

    let mut wide = Vec::new();
    let mut unopened = Vec::new();
    let mut covered = 0;
    let mut check = async |who: &str, path: &str| {
        let m = measure(&b, &app, path).await;
        let want = path.split('?').next().unwrap_or(path);
        if m.error || m.path != want {
            unopened.push(format!(
                "{who} {path}: ended on {} (error page: {})",
                m.path, m.error
            ));
        }
        assert!(
            m.inner <= 420.0,
            "the window is phone-sized on {path}: {}",
            m.inner
        );
        if m.scroll > m.inner + 1.0 {
            wide.push(format!(
                "{who} {path}: scrollWidth {} > innerWidth {}; widest: {}",
                m.scroll, m.inner, m.culprits
            ));
        }
        covered += 1;
    };

    for path in office {
        check("office", &path).await;
    }
    b.goto(&app, "/duties/coverage").await;
    b.find("main h1").await;
    b.screenshot("phone-duties-coverage").await;
    b.js("document.querySelector('#assign').scrollIntoView(); return null")
        .await;
    b.screenshot("phone-duties-coverage-assign").await;
    b.goto(&app, "/supervision").await;
    b.find("#measure-rollup").await;
    b.js("document.querySelector('#measure-rollup').scrollIntoView(); return null")
        .await;
    b.screenshot("phone-supervision-rollup").await;
    for (page, css) in office_links {
        let href = first_link(&b, &app, page, css)
            .await
            .unwrap_or_else(|| panic!("no link {css:?} on {page}"));
        check("office", &href).await;
    }

    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(&app, "nanguan").await;
    for path in territory {
        check("territory", path).await;
    }

    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(&app, "guan").await;
    for path in admin {
        check("admin", path).await;
    }
    for (page, css) in admin_links {
        let href = first_link(&b, &app, page, css)
            .await
            .unwrap_or_else(|| panic!("no link {css:?} on {page}"));
        check("admin", &href).await;
    }

    b.c.delete_all_cookies().await.expect("clear cookies");
    b.login(&app, "shen").await;
    for path in auditor {
        check("auditor", path).await;
    }

    b.c.delete_all_cookies().await.expect("clear cookies");
    check("anonymous", "/login").await;

    assert!(
        wide.is_empty(),
        "pages that scroll sideways at 390 px ({covered} pages checked):\n{}",
        wide.join("\n")
    );
    assert!(
        unopened.is_empty(),
        "every listed page opens for its account:\n{}",
        unopened.join("\n")
    );

    b.finish().await;
}
