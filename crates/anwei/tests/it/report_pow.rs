//! Tests of 防刷验证, the public form's proof-of-work: the server signs a challenge, a
//! solution counts against the larger per-address budget, a report without one still goes in
//! under the strict limit (the limits hold without the script); a wrong, forged, expired or
//! reused solution is refused naming `pow`; the form carries the challenge and its own script,
//! and nothing else is loaded.

use anwei::reports::pow::{self, Challenge};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn report() -> Value {
    json!({"category": "major_hazard", "description": "储罐区可燃气体报警器长期失效",
           "region_code": "220502"})
}

fn with_pow(c: &Challenge, nonce: &str) -> Value {
    let mut r = report();
    r["pow"] = json!({"challenge": c.challenge, "nonce": nonce});
    r
}

async fn challenge(app: &TestApp) -> Challenge {
    let r = app.anon().get("/api/v1/public/reports/challenge").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    Challenge {
        challenge: r.body["challenge"].as_str().expect("challenge").into(),
        bits: u32::try_from(r.body["bits"].as_u64().expect("bits")).expect("small"),
        expires_at: r.body["expires_at"].as_i64().expect("expires_at"),
    }
}

/// A nonce that does not solve `c` (the first that fails).
fn wrong_nonce(c: &Challenge) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| !pow::solves(&c.challenge, n, c.bits))
        .expect("some nonce fails")
}

fn small(public: u32, solved: u32) -> Opts {
    Opts {
        tweak: Box::new(move |c| {
            c.reports.public_per_minute = public;
            c.reports.pow_per_minute = solved;
            c.reports.pow_bits = 8;
        }),
    }
}

#[tokio::test]
async fn a_solved_report_counts_against_the_larger_budget_a_bare_one_against_the_strict() {
    let app = spawn_app_with(small(2, 4)).await;
    let anon = app.anon();
    let c = challenge(&app).await;
    assert_eq!(c.bits, 8);
    assert!(c.expires_at > anwei::db::now_ms(), "{c:?}");
    // Without a solution (no script): in, until the strict limit.
    for _ in 0..2 {
        let r = anon.post("/api/v1/public/reports", report()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = anon.post("/api/v1/public/reports", report()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // With one: the larger budget, untouched by the bare reports.
    for _ in 0..4 {
        let c = challenge(&app).await;
        let r = anon
            .post("/api/v1/public/reports", with_pow(&c, &pow::solve(&c)))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            r.body.as_object().map(|o| o.len()),
            Some(1),
            "the code only"
        );
    }
    let c = challenge(&app).await;
    let r = anon
        .post("/api/v1/public/reports", with_pow(&c, &pow::solve(&c)))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 6);
    // Both budgets spent: refused before the body is read. A body that cannot be parsed
    // would be a 4xx naming it if it were read first; here it is the 429.
    let r = anon
        .post_raw(
            "/api/v1/public/reports",
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
}

#[tokio::test]
async fn wrong_forged_expired_and_reused_solutions_are_refused_naming_pow() {
    let app = spawn_app_with(small(100, 100)).await;
    let anon = app.anon();
    let refused = |r: &Resp, word: &str| {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let m = r.body["fields"]["pow"].to_string();
        assert!(m.contains(word), "{}", r.body);
    };
    // Wrong: a nonce that does not solve it; an empty or odd one.
    let c = challenge(&app).await;
    let r = anon
        .post("/api/v1/public/reports", with_pow(&c, &wrong_nonce(&c)))
        .await;
    refused(&r, "无效");
    let long = "9".repeat(40);
    for nonce in ["", "1;2", long.as_str()] {
        let r = anon
            .post("/api/v1/public/reports", with_pow(&c, nonce))
            .await;
        refused(&r, "无效");
    }
    // Forged: the difficulty lowered, or a challenge the server never signed.
    let easier = Challenge {
        challenge: format!("1{}", &c.challenge[c.challenge.find('.').expect("dot")..]),
        bits: 1,
        expires_at: c.expires_at,
    };
    let r = anon
        .post(
            "/api/v1/public/reports",
            with_pow(&easier, &pow::solve(&easier)),
        )
        .await;
    refused(&r, "无效");
    // Expired: issued two hours ago, with a lifetime of 30 minutes.
    let old = pow::issue_at(&app.state, anwei::db::now_ms() - 2 * 3_600_000);
    let r = anon
        .post("/api/v1/public/reports", with_pow(&old, &pow::solve(&old)))
        .await;
    refused(&r, "过期");
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 0);
    // Valid once; the same solution again is refused.
    let ok = with_pow(&c, &pow::solve(&c));
    let r = anon.post("/api/v1/public/reports", ok.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = anon.post("/api/v1/public/reports", ok).await;
    refused(&r, "已使用");
    // English on request, the field still named.
    let c = challenge(&app).await;
    let r = anon
        .send(
            anon.client
                .post(app.url("/api/v1/public/reports"))
                .header("accept-language", "en")
                .json(&with_pow(&c, &wrong_nonce(&c))),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["fields"]["pow"].to_string().contains("not valid"),
        "{}",
        r.body
    );
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 1);
}

/// The hidden challenge of a form page.
fn form_challenge(html: &str) -> Challenge {
    let at = html
        .find("id=\"pow_challenge\" value=\"")
        .expect("the challenge in the form");
    let rest = &html[at + "id=\"pow_challenge\" value=\"".len()..];
    let challenge = rest.split('"').next().expect("value").to_string();
    let bits = rest
        .split("data-bits=\"")
        .nth(1)
        .and_then(|b| b.split('"').next())
        .and_then(|b| b.parse().ok())
        .expect("data-bits");
    Challenge {
        challenge,
        bits,
        expires_at: 0,
    }
}

#[tokio::test]
async fn the_form_carries_a_challenge_and_its_own_script_and_works_without_it() {
    let app = spawn_app_with(small(1, 2)).await;
    let mut w = app.web_anon();
    let form = w.get("/report").await;
    assert_eq!(form.status, StatusCode::OK);
    w.csrf = extract_csrf(&form.body).expect("a CSRF field");
    assert!(
        form.body
            .contains("<script src=\"/assets/pow.js\" defer></script>"),
        "the page's own script"
    );
    assert!(!form.body.contains("<script>"), "no inline script");
    let csp = form.headers["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let js = app.anon().get("/assets/pow.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.headers["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
    assert!(
        !js.body.to_string().contains("http"),
        "nothing from outside"
    );
    let fields = [
        ("category", "major_hazard"),
        ("description", "储罐区报警器失效"),
        ("region_code", "220502"),
        ("identity", "anonymous"),
    ];
    // No script: the challenge comes back unsolved; the report goes in (strict budget, 1).
    let c = form_challenge(&form.body);
    let mut bare = fields.to_vec();
    bare.push(("pow_challenge", &c.challenge));
    bare.push(("pow_nonce", ""));
    let p = w.post_form("/report", &bare).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("id=\"receipt-code\""), "{}", p.body);
    let p = w.post_form("/report", &fields).await;
    assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS);
    // The strict budget is spent; a solved form still goes in.
    let fresh = form_challenge(&p.body);
    let nonce = pow::solve(&fresh);
    let mut solved = fields.to_vec();
    solved.push(("pow_challenge", &fresh.challenge));
    solved.push(("pow_nonce", &nonce));
    let p = w.post_form("/report", &solved).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("id=\"receipt-code\""), "{}", p.body);
    // Sent again: refused on the form, what was typed kept, a new challenge to solve.
    let p = w.post_form("/report", &solved).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("id=\"pow-err\""), "{}", p.body);
    assert!(p.body.contains("储罐区报警器失效"), "kept");
    assert_ne!(form_challenge(&p.body).challenge, fresh.challenge);
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM report").await, 2);
}

/// Two instances on one database (the same vault key, so each accepts the other's
/// challenges): a solution spent on one is refused on the other, and expired spent challenges
/// are pruned from `report_pow_spent`.
#[tokio::test]
async fn a_solution_is_accepted_once_across_instances_sharing_the_database() {
    let a = spawn_app_with(small(1000, 1000)).await;
    let key = std::fs::read_to_string(a.data_dir().join("vault.key")).expect("vault key");
    let (url, audit) = (a.database_url.clone(), a.audit_key_hex.clone());
    let b = spawn_app_with(Opts {
        tweak: Box::new(move |c| {
            c.database_url = url;
            c.vault_key = key.trim().into();
            c.audit_key = audit;
            c.reports.pow_bits = 8;
        }),
    })
    .await;
    let refused = |r: &Resp, word: &str| {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body["fields"]["pow"].to_string().contains(word),
            "{}",
            r.body
        );
    };
    let c = challenge(&a).await;
    let solved = with_pow(&c, &pow::solve(&c));
    let r = a
        .anon()
        .post("/api/v1/public/reports", solved.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = b.anon().post("/api/v1/public/reports", solved).await;
    refused(&r, "已使用");
    // B's own challenge goes in on B once, then not on A.
    let c = challenge(&b).await;
    let solved = with_pow(&c, &pow::solve(&c));
    let r = b
        .anon()
        .post("/api/v1/public/reports", solved.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = a.anon().post("/api/v1/public/reports", solved).await;
    refused(&r, "已使用");
    assert_eq!(a.scalar_i64("SELECT COUNT(*) FROM report").await, 2);
    assert_eq!(
        a.scalar_i64("SELECT COUNT(*) FROM report_pow_spent").await,
        2
    );
    // A row whose challenge has expired is pruned by the next spend.
    a.exec("UPDATE report_pow_spent SET expires_at = 1").await;
    let c = challenge(&a).await;
    let r = a
        .anon()
        .post("/api/v1/public/reports", with_pow(&c, &pow::solve(&c)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        a.scalar_i64("SELECT COUNT(*) FROM report_pow_spent").await,
        1
    );
}
