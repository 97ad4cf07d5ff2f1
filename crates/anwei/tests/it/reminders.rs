//! Tests of reminders: the daily sweep (due soon, overdue), exactly once across re-runs and
//! concurrent sweeps; the office digest; the DingTalk / WeCom webhook; manual 催办.

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use anwei::auth::model::Role;

const XF: &str = "220500-XF";
const XF_NAME: &str = "通化市消防救援支队";
const FY: &str = "220500-FY";

/// An app without a background worker, so the test decides when jobs run.
async fn quiet_app(tweak: impl FnOnce(&mut anwei::config::Config) + Send + 'static) -> TestApp {
    spawn_app_with(Opts {
        tweak: Box::new(move |c| {
            c.run_jobs = false;
            tweak(c);
        }),
    })
    .await
}

/// Issues task 5 to the fire brigade (with an account to notify) and the court; returns
/// the office client and the two assignment ids.
async fn issued(app: &TestApp) -> (Api, i64, i64) {
    let office = app.api_as(Role::Office, "220500-AWB").await;
    app.create_user("xf_user", Role::Department, XF).await;
    let r = office
        .post(
            "/api/v1/policy/tasks/5/assignments/issue",
            json!({"orgs": [{"org_code": XF, "role": "lead"}, {"org_code": FY, "role": "support"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let xf = assignment_of(app, XF).await;
    let fy = assignment_of(app, FY).await;
    (office, xf, fy)
}

async fn assignment_of(app: &TestApp, org: &str) -> i64 {
    app.scalar_i64(&format!(
        "SELECT a.id FROM assignment a JOIN org o ON o.id = a.org_id WHERE o.code = '{org}' AND a.task_number = 5"
    ))
    .await
}

fn day(offset: i64) -> String {
    (anwei::time::today() + chrono::Duration::days(offset)).to_string()
}

async fn set_watch(app: &TestApp, id: i64, offset: i64) {
    app.exec(&format!(
        "UPDATE assignment SET watch_due = '{}' WHERE id = {id}",
        day(offset)
    ))
    .await;
}

/// Runs every due job once, as the worker would; returns how many ran.
async fn drain(app: &TestApp) -> usize {
    let mut n = 0;
    while let Some(job) = anwei::jobs::claim(&app.state).await.unwrap() {
        match anwei::jobs::run_job(&app.state, &job).await {
            Ok(()) => anwei::jobs::complete(&app.state, job.id).await.unwrap(),
            Err(e) => panic!("job {} failed: {e}", job.kind),
        }
        n += 1;
    }
    n
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.scalar_i64(sql).await
}

async fn notices(app: &TestApp, title: &str) -> i64 {
    count(
        app,
        &format!("SELECT COUNT(*) FROM notification WHERE title = '{title}'"),
    )
    .await
}

#[tokio::test]
async fn the_sweep_enqueues_one_due_soon_reminder_at_the_lead_time_and_none_for_others() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, fy) = issued(&app).await;
    let lead = app.state.cfg.supervision.lead_days;
    set_watch(&app, xf, lead).await;
    set_watch(&app, fy, lead + 5).await;
    let r = anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    assert_eq!((r.due_soon, r.overdue), (1, 0));
    assert_eq!(
        app.scalar_text("SELECT dedup_key FROM job WHERE kind LIKE 'reminder.%'")
            .await
            .unwrap(),
        format!("reminder.due_soon:{xf}:{}", day(lead))
    );

    // Again, and twice at the same moment: nothing new.
    let again = anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    assert_eq!((again.due_soon, again.overdue), (0, 0));
    let (a, b) = tokio::join!(
        anwei::supervision::reminders::sweep(&app.state),
        anwei::supervision::reminders::sweep(&app.state)
    );
    assert_eq!(a.unwrap().due_soon + b.unwrap().due_soon, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM job WHERE kind = 'reminder.due_soon'"
        )
        .await,
        1
    );

    drain(&app).await;
    assert_eq!(notices(&app, "notice.task_due_soon.title").await, 1);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM assignment_event WHERE assignment_id = {xf} AND kind = 'reminded'")
        )
        .await,
        1
    );
    anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    drain(&app).await;
    assert_eq!(notices(&app, "notice.task_due_soon.title").await, 1);

    // The inbox shows it, translated.
    let xf_user = app.token("xf_user").await;
    let inbox = Api {
        base: app.base.clone(),
        token: xf_user,
        username: "xf_user".into(),
        client: reqwest::Client::new(),
    }
    .get("/api/v1/notifications")
    .await;
    assert!(
        inbox.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["title"] == "督办事项即将到期"
                && n["link"] == format!("/supervision/assignments/{xf}")),
        "{:?}",
        inbox.body
    );
}

#[tokio::test]
async fn concurrent_sweeps_over_a_new_reminder_insert_it_once() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, fy) = issued(&app).await;
    set_watch(&app, xf, 1).await;
    set_watch(&app, fy, -1).await;
    let (a, b) = tokio::join!(
        anwei::supervision::reminders::sweep(&app.state),
        anwei::supervision::reminders::sweep(&app.state)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.due_soon + b.due_soon, 1);
    assert_eq!(a.overdue + b.overdue, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM job WHERE kind LIKE 'reminder.%'"
        )
        .await,
        2
    );
    drain(&app).await;
    assert_eq!(notices(&app, "notice.task_due_soon.title").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'supervision.sweep'"
        )
        .await,
        1,
        "only the sweep that enqueued something records it"
    );
}

#[tokio::test]
async fn an_overdue_reminder_is_sent_once_on_the_day_it_goes_red_but_not_for_long_overdue_ones() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, fy) = issued(&app).await;
    set_watch(&app, xf, -1).await;
    set_watch(&app, fy, -30).await;
    let r = anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    assert_eq!((r.due_soon, r.overdue), (0, 1));
    assert_eq!(
        app.scalar_text("SELECT dedup_key FROM job WHERE kind = 'reminder.overdue'")
            .await
            .unwrap(),
        format!("reminder.overdue:{xf}:{}", day(-1))
    );
    // A job run twice (a crash between its commit and `complete`) acts once.
    let job = anwei::jobs::claim(&app.state).await.unwrap().unwrap();
    assert_eq!(job.kind, "reminder.overdue");
    anwei::jobs::run_job(&app.state, &job).await.unwrap();
    anwei::jobs::run_job(&app.state, &job).await.unwrap();
    anwei::jobs::complete(&app.state, job.id).await.unwrap();
    assert_eq!(notices(&app, "notice.task_overdue.title").await, 1);
    assert_eq!(
        app.audit_count("assignment.remind_auto", "ok").await,
        1,
        "audited as the system"
    );
    let r = anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    assert_eq!((r.due_soon, r.overdue), (0, 0));
    drain(&app).await;
    assert_eq!(notices(&app, "notice.task_overdue.title").await, 1);
}

#[tokio::test]
async fn closed_assignments_and_those_waiting_on_the_office_are_not_reminded() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, fy) = issued(&app).await;
    set_watch(&app, xf, 0).await;
    set_watch(&app, fy, 0).await;
    app.exec(&format!(
        "UPDATE assignment SET status = 'closed' WHERE id = {xf}"
    ))
    .await;
    app.exec(&format!(
        "UPDATE assignment SET status = 'completion_requested' WHERE id = {fy}"
    ))
    .await;
    let r = anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    assert_eq!((r.due_soon, r.overdue), (0, 0));

    // Closed between the sweep and the job: the job does nothing.
    app.exec(&format!(
        "UPDATE assignment SET status = 'acknowledged' WHERE id = {xf}"
    ))
    .await;
    let r = anwei::supervision::reminders::sweep(&app.state)
        .await
        .unwrap();
    assert_eq!(r.due_soon, 1);
    app.exec(&format!(
        "UPDATE assignment SET status = 'closed' WHERE id = {xf}"
    ))
    .await;
    drain(&app).await;
    assert_eq!(notices(&app, "notice.task_due_soon.title").await, 0);
}

#[tokio::test]
async fn the_cron_tick_enqueues_one_sweep_per_day_and_the_digest_from_its_hour() {
    let app = quiet_app(|c| c.supervision.digest_hour = 0).await;
    anwei::jobs::tick_cron(&app.state).await.unwrap();
    anwei::jobs::tick_cron(&app.state).await.unwrap();
    let today = anwei::time::today();
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM job WHERE dedup_key = 'supervision.sweep:{today}'")
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM job WHERE dedup_key = 'digest.office:{today}'")
        )
        .await,
        1
    );
    drain(&app).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM job WHERE failed_at IS NOT NULL OR done_at IS NULL"
        )
        .await,
        0
    );
}

async fn enqueue_digest(app: &TestApp) {
    let mut tx = app.state.db.begin().await.unwrap();
    let today = anwei::time::today();
    anwei::jobs::enqueue(
        &mut tx,
        "digest.office",
        &json!({"date": today}),
        Some(&format!("digest.office:{today}")),
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_digest_tells_each_office_in_scope_what_turned_red_today() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, fy) = issued(&app).await;
    let city = app
        .create_user("city_office", Role::Office, "220500-AWB")
        .await;
    let county = app
        .create_user("county_office", Role::Office, "220503-AWB")
        .await;
    set_watch(&app, xf, -1).await;
    set_watch(&app, fy, -20).await;
    enqueue_digest(&app).await;
    drain(&app).await;
    let (key, args) = (
        app.scalar_text(&format!(
            "SELECT body FROM notification WHERE account_id = {city} AND title = 'notice.digest.title'"
        ))
        .await
        .expect("the city office has a digest"),
        app.scalar_text(&format!(
            "SELECT args FROM notification WHERE account_id = {city} AND title = 'notice.digest.title'"
        ))
        .await
        .unwrap_or_default(),
    );
    let body = anwei::notify::service::render(anwei::i18n::Lang::Zh, &key, &args);
    assert!(
        body.contains("新增逾期（红灯）督办事项 1 项") && body.contains("当前逾期共 2 项"),
        "{body}"
    );
    let en = anwei::notify::service::render(anwei::i18n::Lang::En, &key, &args);
    assert!(en.contains("1 assignments in your area turned red"), "{en}");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM notification WHERE account_id = {county} AND title = 'notice.digest.title'")
        )
        .await,
        0,
        "nothing of the county turned red"
    );
    // The same day's digest again: ignored.
    enqueue_digest(&app).await;
    drain(&app).await;
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM notification WHERE account_id = {city} AND title = 'notice.digest.title'")
        )
        .await,
        1
    );
    assert_eq!(app.audit_count("supervision.digest", "ok").await, 1);
}

/// One request the robot sink received: the request target (path and query) and the body.
type Received = (String, String);

/// A minimal HTTP server that answers each request like a robot webhook and keeps the
/// request target and the body.
async fn http_sink() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let body = loop {
                    let n = sock.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse().unwrap())
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        break String::from_utf8(buf[end + 4..end + 4 + len].to_vec()).unwrap();
                    }
                };
                let head = String::from_utf8_lossy(&buf).to_string();
                let target = head
                    .lines()
                    .next()
                    .and_then(|l| l.split(' ').nth(1))
                    .unwrap_or("")
                    .to_string();
                store.lock().unwrap().push((target, body));
                let answer = r#"{"errcode":0,"errmsg":"ok"}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                sock.write_all(reply.as_bytes()).await.unwrap();
            });
        }
    });
    (port, got)
}

/// The digest's robot message to the `[notify]` robot of this kind (no secret).
async fn webhook_for(kind: &'static str) -> Value {
    let (target, v) = webhook_with(move |c, url| {
        c.notify.webhook_url = url;
        c.notify.webhook_kind = kind.into();
    })
    .await;
    let q = query_of(&target);
    assert_eq!(q.get("access_token").map(String::as_str), Some("t"));
    assert!(
        !q.contains_key("timestamp") && !q.contains_key("sign"),
        "no secret, no signature: {target}"
    );
    v
}

/// Runs the digest with the robot set by `set(config, sink URL)`; returns the request target
/// (path and query) and the JSON body the robot received.
async fn webhook_with(
    set: impl FnOnce(&mut anwei::config::Config, String) + Send + 'static,
) -> (String, Value) {
    let (port, got) = http_sink().await;
    let app = quiet_app(move |c| {
        set(
            c,
            format!("http://127.0.0.1:{port}/robot/send?access_token=t"),
        );
        c.public_url = "https://aw.example.cn".into();
    })
    .await;
    let (_, xf, fy) = issued(&app).await;
    set_watch(&app, xf, -1).await;
    set_watch(&app, fy, app.state.cfg.supervision.lead_days).await;
    enqueue_digest(&app).await;
    drain(&app).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one message a day: {received:?}");
    let (target, body) = received[0].clone();
    let v: Value = serde_json::from_str(&body).unwrap();
    let text = v["text"]["content"].as_str().unwrap();
    assert!(text.starts_with("【督查督办】"), "{text}");
    assert!(text.contains("今日新增逾期 1 项"), "{text}");
    assert!(text.contains(&format!("任务5：{XF_NAME}")), "{text}");
    assert!(text.contains("进入临期（3 日内到期）1 项"), "{text}");
    assert!(
        text.contains("https://aw.example.cn/supervision?light=red"),
        "{text}"
    );
    assert!(
        !text.contains("测试") && !text.contains("xf_user"),
        "no person in the text: {text}"
    );
    (target, v)
}

/// The query of a request target, values as sent (still percent-encoded).
fn query_of(target: &str) -> std::collections::HashMap<String, String> {
    let q = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// DingTalk 加签, computed here from the vendor's description rather than with Anwei's
/// function: Base64 of HMAC-SHA256(key = secret, message = timestamp + "\n" + secret),
/// URL-encoded.
fn expected_sign(secret: &str, timestamp: &str) -> String {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(format!("{timestamp}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD
        .encode(m.finalize().into_bytes())
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

#[tokio::test]
async fn a_dingtalk_robot_with_a_secret_gets_a_fresh_timestamp_and_its_sign() {
    const SECRET: &str = "SEC5f3c0e1b7d2a4c6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
    let (target, v) = webhook_with(|c, url| {
        c.notify.webhook_url = url;
        c.notify.webhook_kind = "dingtalk".into();
        c.notify.webhook_secret = SECRET.into();
    })
    .await;
    assert_eq!(v["at"], json!({"isAtAll": false}));
    assert!(
        target.starts_with("/robot/send?access_token=t&timestamp="),
        "{target}"
    );
    let q = query_of(&target);
    let ts = &q["timestamp"];
    let ms: i64 = ts.parse().expect("timestamp in milliseconds");
    let now = chrono::Utc::now().timestamp_millis();
    assert!(
        (now - ms).abs() < 60_000,
        "server clock, now: {ms} vs {now}"
    );
    assert_eq!(q["sign"], expected_sign(SECRET, ts), "{target}");
    assert!(!target.contains(SECRET), "the secret itself is never sent");
}

#[tokio::test]
async fn the_old_supervision_webhook_keys_still_reach_the_robot() {
    let (target, v) = webhook_with(|c, url| {
        c.supervision.webhook_url = Some(url);
        c.supervision.webhook_kind = Some("wecom".into());
    })
    .await;
    assert_eq!(v.as_object().unwrap().len(), 2, "a WeCom body: {v}");
    assert_eq!(target, "/robot/send?access_token=t");
}

#[test]
fn a_wecom_robot_takes_no_secret_and_the_new_keys_win_over_the_old() {
    let mut c = anwei::config::Config::default();
    c.notify.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into();
    c.notify.webhook_kind = "wecom".into();
    c.notify.webhook_secret = "SECx".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("notify.webhook_secret"), "{err}");
    let mut c = anwei::config::Config::default();
    c.notify.webhook_url = "https://oapi.dingtalk.com/robot/send?access_token=new".into();
    c.supervision.webhook_url = Some("https://old.example.cn/robot/send?access_token=old".into());
    c.supervision.webhook_kind = Some("wecom".into());
    c.validate().unwrap();
    assert!(c.notify.webhook_url.ends_with("=new"));
    assert_eq!(c.notify.webhook_kind, "dingtalk");
    assert_eq!(c.supervision.webhook_url, None, "moved, never read again");
}

#[tokio::test]
async fn the_dingtalk_webhook_gets_a_text_message_that_mentions_nobody() {
    let v = webhook_for("dingtalk").await;
    assert_eq!(v["msgtype"], "text");
    assert_eq!(v["at"], json!({"isAtAll": false}));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{v}");
}

#[tokio::test]
async fn the_wecom_webhook_gets_a_text_message() {
    let v = webhook_for("wecom").await;
    assert_eq!(v["msgtype"], "text");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 2, "only msgtype and text: {v}");
    assert_eq!(v["text"].as_object().unwrap().len(), 1, "{v}");
}

#[tokio::test]
async fn the_office_chases_an_assignment_and_the_assignee_is_told() {
    let app = quiet_app(|_| {}).await;
    let (office, xf, _) = issued(&app).await;
    let r = office
        .post(&format!("/api/v1/assignments/{xf}/remind"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["notified"], 1);
    assert_eq!(notices(&app, "notice.task_reminded.title").await, 1);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM assignment_event WHERE assignment_id = {xf} AND kind = 'reminded' AND actor_id IS NOT NULL")
        )
        .await,
        1
    );
    assert_eq!(app.audit_count("assignment.remind", "ok").await, 1);
    let events = office.get(&format!("/api/v1/assignments/{xf}")).await;
    assert!(
        events.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "reminded"),
        "{:?}",
        events.body
    );
}

#[tokio::test]
async fn an_assignment_is_chased_at_most_once_per_interval_and_the_answer_says_when_next() {
    let app = quiet_app(|_| {}).await;
    let (office, xf, _) = issued(&app).await;
    let path = format!("/api/v1/assignments/{xf}/remind");
    assert_eq!(office.post(&path, json!({})).await.status, StatusCode::OK);
    let again = office.post(&path, json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let message = again.body["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("24 小时"), "{message}");
    let last = count(
        &app,
        &format!(
            "SELECT MAX(at) FROM assignment_event WHERE assignment_id = {xf} AND kind = 'reminded'"
        ),
    )
    .await;
    let next = chrono::DateTime::from_timestamp_millis(last + 24 * 3_600_000)
        .expect("time")
        .with_timezone(&anwei::time::tz())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert!(message.contains(&next), "says when: {message} / {next}");
    assert_eq!(
        notices(&app, "notice.task_reminded.title").await,
        1,
        "one notice only"
    );
    // Once the interval has passed, it can be chased again.
    app.exec(&format!(
        "UPDATE assignment_event SET at = at - 86400001 WHERE assignment_id = {xf} AND kind = 'reminded'"
    ))
    .await;
    assert_eq!(office.post(&path, json!({})).await.status, StatusCode::OK);
    assert_eq!(notices(&app, "notice.task_reminded.title").await, 2);
}

#[tokio::test]
async fn only_the_office_in_scope_chases_and_not_a_closed_assignment() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, fy) = issued(&app).await;
    let dept = app.api_as(Role::Department, FY).await;
    let r = dept
        .post(&format!("/api/v1/assignments/{xf}/remind"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("assignment.remind", "denied").await, 1);

    let county = app.api_as(Role::Office, "220503-AWB").await;
    let r = county
        .post(&format!("/api/v1/assignments/{xf}/remind"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let office = app.api_as(Role::Office, "220500-AWB").await;
    app.exec(&format!(
        "UPDATE assignment SET status = 'closed' WHERE id = {fy}"
    ))
    .await;
    let r = office
        .post(&format!("/api/v1/assignments/{fy}/remind"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(notices(&app, "notice.task_reminded.title").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM assignment_event WHERE kind = 'reminded'"
        )
        .await,
        0
    );
    let anon = app
        .anon()
        .post(&format!("/api/v1/assignments/{xf}/remind"), json!({}))
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_assignment_page_offers_the_office_a_reminder_button() {
    let app = quiet_app(|_| {}).await;
    let (_, xf, _) = issued(&app).await;
    app.create_user("page_office", Role::Office, "220500-AWB")
        .await;
    let web = app.browser_as("page_office").await;
    let page = web.get(&format!("/supervision/assignments/{xf}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"remind\""), "button shown");
    let r = web
        .post_form(&format!("/supervision/assignments/{xf}/remind"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/supervision/assignments/{xf}"));
    assert_eq!(notices(&app, "notice.task_reminded.title").await, 1);

    // Without the CSRF token: refused, nothing sent.
    let r = web
        .post_form_with(
            "wrong",
            &format!("/supervision/assignments/{xf}/remind"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(notices(&app, "notice.task_reminded.title").await, 1);

    let dept_web = app.browser_as("xf_user").await;
    let page = dept_web
        .get(&format!("/supervision/assignments/{xf}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("id=\"remind\""),
        "no button for the assignee"
    );
}

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_sweep_window_reaches_from_the_catch_up_days_back_to_the_lead_time_ahead() {
    assert_eq!(
        anwei::supervision::reminders::sweep_window(date("2026-11-30"), 3),
        (date("2026-11-23"), date("2026-12-03"))
    );
}

#[test]
fn a_long_webhook_text_is_cut_below_the_robot_limit_and_says_so() {
    let rows: Vec<(String, i64, String)> = (0..200)
        .map(|i| ("P".to_string(), i, format!("某某县第{i}局")))
        .collect();
    let s = anwei::supervision::reminders::webhook_text(
        date("2026-11-30"),
        3,
        &(rows, 200),
        &(Vec::new(), 0),
        250,
        "https://aw.example.cn/",
        2000,
    );
    assert!(s.len() <= 2000, "{} bytes", s.len());
    assert!(s.starts_with("【督查督办】2026年11月30日"), "{s}");
    assert!(s.contains("……（未尽列出，详见督办台账）"), "{s}");
    assert!(
        s.ends_with("督办台账：https://aw.example.cn/supervision?light=red"),
        "{s}"
    );
}

#[test]
fn tasks_of_several_policies_are_named_with_their_policy() {
    let rows = vec![
        ("A".to_string(), 7, "甲".to_string()),
        ("A".to_string(), 7, "乙".to_string()),
        ("B".to_string(), 7, "丙".to_string()),
    ];
    let s = anwei::supervision::reminders::webhook_text(
        date("2026-11-30"),
        3,
        &(rows, 3),
        &(Vec::new(), 0),
        3,
        "",
        2000,
    );
    assert!(s.contains("A 任务7：甲、乙\nB 任务7：丙"), "{s}");
    assert!(
        !s.contains("督办台账："),
        "no link without a public URL: {s}"
    );
}

#[tokio::test]
async fn a_failed_webhook_fails_its_job_without_telling_the_robot_token() {
    let port = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let app = quiet_app(move |c| {
        c.notify.webhook_url =
            format!("http://127.0.0.1:{port}/robot/send?access_token=SECRET-TOKEN");
        c.notify.webhook_secret = "SEC-SIGNING-SECRET".into();
    })
    .await;
    let mut tx = app.state.db.begin().await.unwrap();
    anwei::jobs::enqueue(
        &mut tx,
        "webhook.post",
        &json!({"text": "【督查督办】x"}),
        None,
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let job = anwei::jobs::claim(&app.state).await.unwrap().unwrap();
    let err = anwei::jobs::run_job(&app.state, &job)
        .await
        .unwrap_err()
        .to_string();
    assert!(!err.contains("SECRET-TOKEN"), "{err}");
    assert!(
        !err.contains("SEC-SIGNING-SECRET") && !err.contains("sign="),
        "{err}"
    );
}
