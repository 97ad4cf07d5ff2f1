//! `spawn_app()`: a real server on a random port over a fresh database — an SQLite file in a
//! temp folder, or a new PostgreSQL database when `ANWEI_TEST_DATABASE_URL` points at a server.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use anwei::auth::model::Role;
use anwei::config::Config;
use anwei::state::AppState;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;

pub const PASSWORD: &str = "Test-Password-2026";

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pub audit_key_hex: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(h) = self.server.take() {
            h.abort();
        }
    }
}

/// The PostgreSQL server to use, if any.
pub fn pg_url() -> Option<String> {
    std::env::var("ANWEI_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A PostgreSQL server for tests that need one whatever the suite's backend (schema parity).
pub fn pg_server_url() -> String {
    pg_url()
        .or_else(|| std::env::var("ANWEI_TEST_PG_URL").ok().filter(|s| !s.is_empty()))
        .expect("this test needs PostgreSQL: run scripts/test.sh, which starts one, or set ANWEI_TEST_PG_URL")
}

/// Creates an empty database on the server and returns its URL.
pub async fn fresh_pg_database(server_url: &str) -> String {
    let name = format!("anwei_t_{}", uuid::Uuid::new_v4().simple());
    let mut c = sqlx::PgConnection::connect(server_url)
        .await
        .expect("connect to the test PostgreSQL server");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"
    )))
    .execute(&mut c)
    .await
    .expect("create test database");
    let _ = c.close().await;
    let (base, _) = server_url
        .rsplit_once('/')
        .expect("URL has a database part");
    format!("{base}/{name}")
}

/// Storage settings for the S3-compatible server of the test run when `ANWEI_TEST_S3_URL` names
/// one (`ANWEI_TEST_S3_BUCKET`, `…_REGION`, `…_ACCESS_KEY_ID`, `…_SECRET_ACCESS_KEY`), each
/// call under a key prefix of its own so tests never see each other's files.
pub fn s3_storage() -> Option<anwei::config::StorageConfig> {
    let endpoint = std::env::var("ANWEI_TEST_S3_URL")
        .ok()
        .filter(|s| !s.is_empty())?;
    let var = |k: &str, default: &str| {
        std::env::var(format!("ANWEI_TEST_S3_{k}"))
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    Some(anwei::config::StorageConfig {
        backend: "s3".into(),
        endpoint,
        region: var("REGION", "us-east-1"),
        bucket: var("BUCKET", "anwei-test"),
        access_key_id: var("ACCESS_KEY_ID", "test"),
        secret_access_key: var("SECRET_ACCESS_KEY", "test"),
        prefix: format!("t-{}", uuid::Uuid::new_v4().simple()),
        virtual_hosted_style: false,
    })
}

pub struct Opts {
    pub tweak: Box<dyn FnOnce(&mut Config) + Send>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            tweak: Box::new(|_| {}),
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Opts::default()).await
}

pub async fn spawn_app_with(opts: Opts) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match pg_url() {
        Some(server) => fresh_pg_database(&server).await,
        None => format!("sqlite://{}", dir.path().join("anwei.db").display()),
    };
    let key: [u8; 32] = rand::random();
    let audit_key_hex = hex::encode(key);
    let mut cfg = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: database_url.clone(),
        bind: "127.0.0.1:0".into(),
        ..Config::default()
    };
    cfg.audit_key = audit_key_hex.clone();
    cfg.jobs_poll_millis = 50;
    cfg.login_rate_per_minute = 10_000;
    cfg.reports.public_per_minute = 10_000;
    // Which duties are at risk depends on today's date: a sweep at start would send notices
    // (and write audit records) on some days and not others. Tests that want it run it.
    cfg.duties.remind_at_risk = false;
    // `ANWEI_TEST_STORAGE=s3` (scripts/test.sh): every app keeps its files in the test S3 server.
    if std::env::var("ANWEI_TEST_STORAGE").is_ok_and(|v| v == "s3") {
        cfg.uploads.storage =
            s3_storage().expect("ANWEI_TEST_STORAGE=s3 needs ANWEI_TEST_S3_URL (scripts/test.sh)");
    }
    (opts.tweak)(&mut cfg);
    cfg.validate().expect("valid test config");
    let state = AppState::build(cfg).await.expect("app state");
    anwei::bootstrap(&state).await.expect("bootstrap");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let st = state.clone();
    let server = tokio::spawn(async move {
        let _ = anwei::app::serve(st, listener, async {
            let _ = rx.await;
        })
        .await;
    });
    let app = TestApp {
        addr,
        base: format!("http://{addr}"),
        state,
        dir,
        database_url,
        audit_key_hex,
        shutdown: Some(tx),
        server: Some(server),
    };
    // Poll for readiness; never sleep a fixed time.
    let c = Client::new();
    for _ in 0..200 {
        if c.get(app.url("/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            return app;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("server did not become ready");
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn is_pg(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Creates an account directly (as the system) with the test password, no forced change.
    pub async fn create_user(&self, username: &str, role: Role, org: &str) -> i64 {
        let cmd = anwei::accounts::model::NewAccount {
            username: username.into(),
            display_name: format!("测试 {username}"),
            email: String::new(),
            role,
            org_code: org.into(),
            password: PASSWORD.into(),
        };
        anwei::accounts::service::create_as_system(
            &self.state,
            &anwei::audit::Who::system("test"),
            cmd,
            false,
        )
        .await
        .expect("create user")
        .get()
    }

    /// Logs in through the API and returns a bearer token.
    pub async fn token(&self, username: &str) -> String {
        let r = Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .expect("login request");
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "login of {username} should succeed"
        );
        r.json::<Value>().await.expect("json")["token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    /// A user of this role at this organisation, logged in through the API.
    pub async fn api_as(&self, role: Role, org: &str) -> Api {
        let name = format!(
            "{}_{}",
            role.code(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        self.create_user(&name, role, org).await;
        Api {
            base: self.base.clone(),
            token: self.token(&name).await,
            username: name,
            client: Client::new(),
        }
    }

    /// An anonymous API client.
    pub fn anon(&self) -> Api {
        Api {
            base: self.base.clone(),
            token: String::new(),
            username: String::new(),
            client: Client::new(),
        }
    }

    /// A browser-like client with no account (and no scripts): a cookie store only.
    pub fn web_anon(&self) -> Web {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Web {
            base: self.base.clone(),
            client,
            csrf: String::new(),
        }
    }

    /// A browser-like client: cookie store, logged in through the login form.
    pub async fn browser_as(&self, username: &str) -> Web {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut w = Web {
            base: self.base.clone(),
            client,
            csrf: String::new(),
        };
        let r = w.login(username, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "form login of {username} should redirect"
        );
        w.refresh_csrf().await;
        w
    }

    pub async fn audit_count(&self, action: &str, outcome: &str) -> i64 {
        let mut tx = self.state.db.read().await.expect("read");
        anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = $2"
        )
        .bind(action)
        .bind(outcome)
        .fetch_one(c)
        .await)
        .expect("count")
    }

    pub async fn exec(&self, sql: &str) {
        let mut tx = self.state.db.begin().await.expect("begin");
        anwei::on_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(
            sql.to_string()
        ))
        .execute(c)
        .await
        .map(|_| ()))
        .expect("exec");
        tx.commit().await.expect("commit");
    }

    pub async fn scalar_i64(&self, sql: &str) -> i64 {
        let mut tx = self.state.db.read().await.expect("read");
        anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
            sql.to_string()
        ))
        .fetch_one(c)
        .await)
        .expect("scalar")
    }

    pub async fn scalar_text(&self, sql: &str) -> Option<String> {
        let mut tx = self.state.db.read().await.expect("read");
        anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
            sql.to_string()
        ))
        .fetch_optional(c)
        .await)
        .expect("scalar")
    }
}

/// A JSON API client with a bearer token (or none).
pub struct Api {
    pub base: String,
    pub token: String,
    pub username: String,
    pub client: Client,
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Api {
    fn req(&self, m: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.client.request(m, format!("{}{path}", self.base));
        if self.token.is_empty() {
            r
        } else {
            r.bearer_auth(&self.token)
        }
    }
    pub async fn send(&self, r: reqwest::RequestBuilder) -> Resp {
        let res = r.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            headers,
        }
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.req(reqwest::Method::GET, path)).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.req(reqwest::Method::POST, path).json(&body))
            .await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(self.req(reqwest::Method::PATCH, path).json(&body))
            .await
    }
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        self.send(
            self.req(reqwest::Method::POST, path)
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }
    pub async fn get_lang(&self, path: &str, lang: &str) -> Resp {
        self.send(
            self.req(reqwest::Method::GET, path)
                .header("accept-language", lang),
        )
        .await
    }
}

/// A browser-like HTML client with cookies; `post_form` adds the CSRF field.
pub struct Web {
    pub base: String,
    pub client: Client,
    pub csrf: String,
}

pub struct Page {
    pub status: StatusCode,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let i = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[i..].split('"').next()?.to_string())
}

impl Web {
    pub async fn login(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let token = extract_csrf(&form.body).expect("login form has a CSRF field");
        self.post_form_with(
            &token,
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
    }
    pub async fn refresh_csrf(&mut self) {
        let p = self.get("/account").await;
        if let Some(t) = extract_csrf(&p.body) {
            self.csrf = t;
        }
    }
    pub async fn get(&self, path: &str) -> Page {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get");
        let status = res.status();
        let headers = res.headers().clone();
        Page {
            status,
            headers,
            body: res.text().await.expect("body"),
        }
    }
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let t = self.csrf.clone();
        self.post_form_with(&t, path, fields).await
    }
    pub async fn post_form_with(&self, csrf: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf)];
        all.extend_from_slice(fields);
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .form(&all)
            .send()
            .await
            .expect("post");
        let status = res.status();
        let headers = res.headers().clone();
        Page {
            status,
            headers,
            body: res.text().await.expect("body"),
        }
    }
}

const BOUNDARY: &str = "anweiTestBoundary7MA4YWxkTrZu0gW";

/// A multipart body by hand (the test client has no multipart feature): text `fields`, then
/// `files` as (field name, file name, bytes).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, data) in files {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), b)
}

/// `multipart` with every file under the field `files` (evidence uploads).
pub fn multipart_files(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let files: Vec<(&str, &str, &[u8])> = files.iter().map(|(n, b)| ("files", *n, *b)).collect();
    multipart(fields, &files)
}

/// The id of the `nth` position of `kind` in `org`.
pub async fn position_id(api: &Api, org: &str, kind: &str, nth: usize) -> i64 {
    let r = api.get(&format!("/api/v1/orgs/{org}/positions")).await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{:?}", r.body);
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| p["kind"] == kind)
        .nth(nth)
        .and_then(|p| p["id"].as_i64())
        .expect("position")
}

/// The first worksheet of an xlsx download as rows of text (numbers as integers, empty as "").
pub fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .expect("the export is an xlsx workbook");
    let range = wb
        .worksheet_range_at(0)
        .expect("a worksheet")
        .expect("readable worksheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{}", *f as i64),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The TOTP secret the set-up page shows (`id="totp-secret"`), decoded.
pub fn totp_secret(page: &str) -> Vec<u8> {
    let secret = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .expect("the secret on the page")
        .split('<')
        .next()
        .expect("secret text")
        .to_string();
    anwei::auth::crypto::base32_decode(&secret).expect("base32")
}
