//! Browser tests: real headless Chromium driven through Debian's chromedriver (WebDriver).
//!
//! Each test starts its own chromedriver on a free port, in its own process group, and a fresh
//! Chromium profile. The session is closed when the test ends; if the test panics first, dropping
//! the [`Browser`] kills the chromedriver's process group (Chromium included) so nothing lingers.
//!
//! Screenshots go to `<workspace>/test-output/screenshots/`.

mod accidents;
mod accounts;
mod concealment;
mod dashboard;
mod duties;
mod hazards;
mod import;
mod keyboard;
mod language;
mod login;
mod orgs;
mod phone;
mod policy;
mod registry;
mod reports;
mod risks;
mod supervision;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

/// How long any single wait in a browser test may take before the test fails.
const WAIT: Duration = Duration::from_secs(20);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);

fn chromedriver_path() -> PathBuf {
    std::env::var_os("ANWEI_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}

fn chromium_path() -> PathBuf {
    std::env::var_os("ANWEI_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// `<workspace>/test-output/screenshots`, created on first use.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-output/screenshots");
    std::fs::create_dir_all(&dir).expect("create test-output/screenshots");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("find a free port")
        .port()
}

/// A chromedriver process that leads its own process group; dropping it kills the whole group.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start() -> Driver {
        let exe = chromedriver_path();
        let browser = chromium_path();
        // A missing browser must fail loudly: a skipped browser test looks like a passing one.
        assert!(
            exe.is_file(),
            "chromedriver not found at {} — browser tests need Debian's chromium and \
             chromium-driver; run scripts/test.sh (or `apt-get install chromium chromium-driver`)",
            exe.display()
        );
        assert!(
            browser.is_file(),
            "chromium not found at {} — browser tests need Debian's chromium and \
             chromium-driver; run scripts/test.sh (or `apt-get install chromium chromium-driver`)",
            browser.display()
        );
        let mut last_err = String::new();
        // The port is free when we look and could be taken before chromedriver binds it;
        // a few attempts make that race harmless.
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(&exe)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e} — run scripts/test.sh", exe.display()));
            let mut d = Driver { child, port };
            match d.wait_ready().await {
                Ok(()) => return d,
                Err(e) => last_err = e,
            }
        }
        panic!("chromedriver did not become ready: {last_err}");
    }

    /// Polls `/status` until chromedriver answers ready, or it exits, or time runs out.
    async fn wait_ready(&mut self) -> Result<(), String> {
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{}/status", self.port);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("chromedriver exited early with {status}"));
            }
            if let Ok(r) = http.get(&url).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == json!(true)
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("no ready answer from {url} within {WAIT:?}"));
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group id is chromedriver's pid (process_group(0)); Chromium, started by
        // chromedriver, is in the same group unless it has already been shut down cleanly.
        let pgid = self.child.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session with its own chromedriver and profile folder.
pub struct Browser {
    pub c: Client,
    // Field order matters for drop: the profile folder goes after the processes using it.
    driver: Driver,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let driver = Driver::start().await;
        let profile = tempfile::tempdir().expect("profile temp dir");
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium_path().display().to_string(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1280,900",
                    // The office's users read Chinese: without this, headless Chromium sends
                    // `Accept-Language: en-US` and the app (rightly) answers in English.
                    "--lang=zh-CN",
                ],
                "prefs": { "intl.accept_languages": "zh-CN,zh" },
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!("capabilities are a JSON object")
        };
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "open a Chromium session through chromedriver: {e} — check that \
                     /usr/bin/chromium runs (scripts/test.sh installs it)"
                )
            });
        Browser {
            c,
            driver,
            _profile: profile,
        }
    }

    /// Ends the session (Chromium quits) and stops chromedriver.
    pub async fn finish(self) {
        let Browser {
            c,
            driver,
            _profile,
        } = self;
        let _ = c.close().await;
        drop(driver);
    }

    pub async fn goto(&self, app: &TestApp, path: &str) {
        self.c
            .goto(&app.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The current URL's path (no query).
    pub async fn path(&self) -> String {
        self.c
            .current_url()
            .await
            .expect("current url")
            .path()
            .to_string()
    }

    /// Waits until an element matching `css` is in the page.
    pub async fn find(&self, css: &str) -> Element {
        self.c
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?} within {WAIT:?}: {e}"))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.c
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find all {css:?}: {e}"))
    }

    /// The visible text of the first element matching `css` (waiting for it to appear).
    pub async fn text(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of {css:?}: {e}"))
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    /// Attaches a file with these bytes to the file input `css`, as a person choosing it would.
    pub async fn attach(&self, css: &str, name: &str, bytes: &[u8]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the file");
        self.find(css)
            .await
            .send_keys(&path.display().to_string())
            .await
            .expect("attach the file");
        dir
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear()
            .await
            .unwrap_or_else(|err| panic!("clear {css:?}: {err}"));
        e.send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("type into {css:?}: {err}"));
    }

    /// Waits until the current URL's path is `path`.
    pub async fn wait_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.path().await;
            if now == path {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "expected to reach {path}, still on {now} after {WAIT:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the text of `css` satisfies `ok`; returns that text.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(e) = self.c.find(Locator::Css(css)).await
                && let Ok(t) = e.text().await
                && ok(&t)
            {
                return t;
            }
            if Instant::now() > deadline {
                let now = match self.c.find(Locator::Css(css)).await {
                    Ok(e) => e.text().await.unwrap_or_default(),
                    Err(_) => "<missing>".into(),
                };
                panic!("{css:?} should show {what} within {WAIT:?}; it shows {now:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until `script` returns `true` (polling, at most `WAIT`); `what` names the wait.
    pub async fn wait_js(&self, script: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        while self.js(script).await != json!(true) {
            assert!(Instant::now() < deadline, "{what} within {WAIT:?}");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.c
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("run script {script:?}: {e}"))
    }

    /// Saves a PNG of the viewport as `test-output/screenshots/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.c.screenshot().await.expect("take a screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG image");
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }

    /// Signs in through the login form and waits to leave the login page.
    pub async fn login(&self, app: &TestApp, username: &str) {
        self.goto(app, "/login").await;
        self.type_into("#username", username).await;
        self.type_into("#password", PASSWORD).await;
        self.click("#login-submit").await;
        let deadline = Instant::now() + WAIT;
        while self.path().await == "/login" {
            if let Ok(e) = self.c.find(Locator::Css("#login-error")).await {
                panic!(
                    "login of {username} failed: {}",
                    e.text().await.unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "login of {username} did not finish"
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

// Issue 12: the live clocks.
mod accident_clocks;
