//! The job queue, the inbox and mail through a real SMTP conversation.

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::*;
use anwei::auth::model::Role;

#[tokio::test]
async fn a_deduplicated_job_is_enqueued_once_and_claimed_by_one_worker() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.run_jobs = false),
    })
    .await;
    let before = app.scalar_i64("SELECT COUNT(*) FROM job").await;
    let mut tx = app.state.db.begin().await.unwrap();
    let far = anwei::db::now_ms() + 3_600_000;
    assert!(
        anwei::jobs::enqueue(&mut tx, "test.noop", &json!({}), Some("tick:1"), far)
            .await
            .unwrap()
    );
    assert!(
        !anwei::jobs::enqueue(&mut tx, "test.noop", &json!({}), Some("tick:1"), far)
            .await
            .unwrap(),
        "same key ignored"
    );
    tx.commit().await.unwrap();
    assert_eq!(app.scalar_i64("SELECT COUNT(*) FROM job").await, before + 1);
    app.exec("UPDATE job SET run_at = 0 WHERE dedup_key = 'tick:1'")
        .await;
    let a = anwei::jobs::claim(&app.state).await.unwrap();
    let b = anwei::jobs::claim(&app.state).await.unwrap();
    let claimed: Vec<_> = [a, b]
        .into_iter()
        .flatten()
        .filter(|j| j.kind == "test.noop")
        .collect();
    assert_eq!(claimed.len(), 1, "the lease keeps a second claim away");
}

#[tokio::test]
async fn a_failing_job_is_retried_later_and_given_up_after_its_attempts() {
    let app = spawn_app_with(Opts {
        tweak: Box::new(|c| c.run_jobs = false),
    })
    .await;
    app.exec("DELETE FROM job").await;
    let mut tx = app.state.db.begin().await.unwrap();
    anwei::jobs::enqueue(&mut tx, "no.such.kind", &json!({}), None, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.exec("UPDATE job SET max_attempts = 2").await;
    let j = anwei::jobs::claim(&app.state).await.unwrap().unwrap();
    let err = anwei::jobs::run_job(&app.state, &j).await.unwrap_err();
    anwei::jobs::fail(&app.state, &j, &err.to_string())
        .await
        .unwrap();
    assert!(
        anwei::jobs::claim(&app.state).await.unwrap().is_none(),
        "backed off"
    );
    assert!(app.scalar_i64("SELECT run_at FROM job").await > anwei::db::now_ms());
    app.exec("UPDATE job SET run_at = 0").await;
    let j = anwei::jobs::claim(&app.state).await.unwrap().unwrap();
    assert_eq!(j.attempts, 2);
    anwei::jobs::fail(&app.state, &j, "again").await.unwrap();
    app.exec("UPDATE job SET run_at = 0").await;
    assert!(
        anwei::jobs::claim(&app.state).await.unwrap().is_none(),
        "gave up"
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM job WHERE failed_at IS NOT NULL")
            .await,
        1
    );
}

/// A minimal SMTP server that accepts one conversation at a time and keeps each message.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data = false;
                let mut msg = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if data {
                        if line == "." {
                            data = false;
                            store.lock().unwrap().push(std::mem::take(&mut msg));
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            msg.push_str(&line);
                            msg.push('\n');
                        }
                        continue;
                    }
                    let up = line.to_ascii_uppercase();
                    let reply: &[u8] = if up.starts_with("EHLO") || up.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if up.starts_with("DATA") {
                        data = true;
                        b"354 go on\r\n"
                    } else if up.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

#[tokio::test]
async fn a_password_reset_lands_in_the_inbox_and_is_mailed_through_smtp() {
    let (port, got) = smtp_sink().await;
    let app = spawn_app_with(Opts {
        tweak: Box::new(move |c| {
            c.smtp.host = "127.0.0.1".into();
            c.smtp.port = port;
            c.smtp.security = "none".into();
            c.smtp.from = "anwei@example.gov.cn".into();
        }),
    })
    .await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin.post("/api/v1/accounts", json!({"username": "mailme", "email": "mailme@example.gov.cn", "role": "office", "org_code": "220500-AWB", "password": PASSWORD})).await;
    let id = r.body["account"]["id"].as_i64().unwrap();
    let r = admin
        .post(
            &format!("/api/v1/accounts/{id}/reset-password"),
            json!({"password": "Temporary-Pass-2026"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut mail = String::new();
    for _ in 0..300 {
        if let Some(m) = got.lock().unwrap().first() {
            mail = m.clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        mail.contains("mailme@example.gov.cn"),
        "mail delivered to the account's address: {mail}"
    );
    assert!(mail.contains("anwei@example.gov.cn"));
    // The worker records completion just after the SMTP conversation ends.
    let mut done = 0;
    for _ in 0..300 {
        done = app
            .scalar_i64(
                "SELECT COUNT(*) FROM job WHERE kind = 'mail.notification' AND done_at IS NOT NULL",
            )
            .await;
        if done == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(done, 1, "sent once");
    assert_eq!(got.lock().unwrap().len(), 1, "exactly one mail");
    // The inbox has it too, in the reader's language.
    let tok = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "mailme", "password": "Temporary-Pass-2026"}),
        )
        .await;
    let mut user = app.anon();
    user.token = tok.body["token"].as_str().unwrap().to_string();
    // A reset password must be changed before anything else.
    assert_eq!(
        user.get("/api/v1/notifications").await.status,
        StatusCode::FORBIDDEN
    );
    let r = user
        .post(
            "/api/v1/me/password",
            json!({"current_password": "Temporary-Pass-2026", "new_password": "Chosen-By-Me-2026"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tok = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"username": "mailme", "password": "Chosen-By-Me-2026"}),
        )
        .await;
    user.token = tok.body["token"].as_str().unwrap().to_string();
    let inbox = user.get_lang("/api/v1/notifications", "en").await;
    assert_eq!(inbox.body["unread"], 1);
    assert!(
        inbox.body["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("password was reset")
    );
    let nid = inbox.body["items"][0]["id"].as_i64().unwrap();
    // Nobody else can touch it.
    let other = app.api_as(Role::Office, "220500-AWB").await;
    assert_eq!(
        other
            .post(&format!("/api/v1/notifications/{nid}/read"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        user.post(&format!("/api/v1/notifications/{nid}/read"), json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(user.get("/api/v1/notifications").await.body["unread"], 0);
}

#[tokio::test]
async fn without_smtp_notifications_stay_in_the_inbox_only() {
    let app = spawn_app().await;
    let admin = app.api_as(Role::Admin, "220500-AWB").await;
    let r = admin.post("/api/v1/accounts", json!({"username": "nomail", "role": "office", "org_code": "220500-AWB", "password": PASSWORD})).await;
    let id = r.body["account"]["id"].as_i64().unwrap();
    admin
        .post(
            &format!("/api/v1/accounts/{id}/reset-password"),
            json!({"password": "Temporary-Pass-2026"}),
        )
        .await;
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT COUNT(*) FROM notification WHERE account_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar_i64("SELECT COUNT(*) FROM job WHERE kind = 'mail.notification'")
            .await,
        0,
        "no address, no mail job"
    );
}
