//! The command line, run as a real process: accounts, audit verify, backup, configuration,
//! and the single-instance guard on SQLite.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::*;

const BIN: &str = env!("CARGO_BIN_EXE_anwei");

struct Cli {
    dir: tempfile::TempDir,
    db_url: Option<String>,
}

impl Cli {
    async fn new() -> Cli {
        let db_url = match pg_url() {
            Some(s) => Some(fresh_pg_database(&s).await),
            None => None,
        };
        Cli {
            dir: tempfile::tempdir().unwrap(),
            db_url,
        }
    }
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(self.dir.path());
        if let Some(u) = &self.db_url {
            c.arg("--database-url").arg(u);
        }
        c.args(args)
            .env_remove("ANWEI_DATABASE_URL")
            .env_remove("ANWEI_BIND")
            .env_remove("ANWEI_AUDIT_KEY")
            .current_dir(self.dir.path());
        c
    }
    fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }
}

#[tokio::test]
async fn user_create_reads_the_password_from_stdin_and_reports_bad_input_by_field() {
    let cli = Cli::new().await;
    let (code, out, err) = cli.run(
        &[
            "user",
            "create",
            "--username",
            "chief",
            "--role",
            "admin",
            "--org",
            "220500-AWB",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("account created"));
    let (code, _, err) = cli.run(
        &[
            "user",
            "create",
            "--username",
            "weak1",
            "--role",
            "office",
            "--org",
            "220500-AWB",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("password") && err.contains("密码强度不足"),
        "{err}"
    );
    let (code, _, err) = cli.run(
        &[
            "user",
            "create",
            "--username",
            "x1y",
            "--role",
            "boss",
            "--org",
            "999999-XX",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("role"), "{err}");
    let (code, _, err) = cli.run(
        &[
            "user",
            "create",
            "--username",
            "chief",
            "--role",
            "admin",
            "--org",
            "220500-AWB",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 2, "duplicate");
    assert!(err.contains("用户名已被使用"), "{err}");
    let (code, _, err) = cli.run(
        &[
            "user",
            "create",
            "--username",
            "nostdin",
            "--role",
            "admin",
            "--org",
            "220500-AWB",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("--password-stdin"), "{err}");
    let (code, out, _) = cli.run(&["user", "disable", "--username", "chief"], "");
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = cli.run(&["user", "disable", "--username", "nobody"], "");
    assert_eq!(code, 2);
}

#[tokio::test]
async fn audit_verify_passes_on_an_intact_chain_and_names_the_first_altered_record() {
    let cli = Cli::new().await;
    let (code, out, err) = cli.run(
        &[
            "user",
            "create",
            "--username",
            "chief",
            "--role",
            "admin",
            "--org",
            "220500-AWB",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = cli.run(&["audit", "verify"], "");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("intact"));
    // Tamper as someone with database access would: drop the guard, edit record 2.
    let url = cli
        .db_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", cli.dir.path().join("anwei.db").display()));
    let db = anwei::db::Db::connect(&url, 2).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let drop_sql = if url.starts_with("sqlite") {
        "DROP TRIGGER audit_log_no_update"
    } else {
        "DROP TRIGGER audit_log_no_update ON audit_log"
    };
    anwei::on_tx!(&mut tx, |c| sqlx::query(drop_sql)
        .execute(c)
        .await
        .map(|_| ()))
    .unwrap();
    anwei::on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 2"
    )
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    db.close().await;
    let (code, out, _) = cli.run(&["audit", "verify"], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("record 2 was altered"), "{out}");
}

#[tokio::test]
async fn backup_writes_a_consistent_sqlite_copy_that_opens_and_refuses_to_overwrite() {
    if pg_url().is_some() {
        // The PostgreSQL backup is pg_dump, exercised in operations; this test is about the SQLite copy.
        let cli = Cli::new().await;
        assert_eq!(cli.run(&["migrate"], "").0, 0);
        let out = cli.dir.path().join("b.dump");
        let (code, o, e) = cli.run(&["backup", "--out", out.to_str().unwrap()], "");
        assert_eq!(code, 0, "{o}{e}");
        assert!(std::fs::metadata(&out).unwrap().len() > 1000);
        return;
    }
    let cli = Cli::new().await;
    let (code, _, _) = cli.run(&["migrate"], "");
    assert_eq!(code, 0);
    let out = cli.dir.path().join("backups/anwei-backup.db");
    let (code, o, e) = cli.run(&["backup", "--out", out.to_str().unwrap()], "");
    assert_eq!(code, 0, "{o}{e}");
    let copy = anwei::db::Db::connect(&format!("sqlite://{}", out.display()), 2)
        .await
        .unwrap();
    let mut tx = copy.read().await.unwrap();
    let n: i64 = anwei::on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM org")
        .fetch_one(c)
        .await)
    .unwrap();
    assert!(n > 200, "the copy has the organisations");
    let tasks: i64 = anwei::on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM policy_task"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(tasks, 66);
    let (code, _, err) = cli.run(&["backup", "--out", out.to_str().unwrap()], "");
    assert_eq!(code, 2);
    assert!(err.contains("refusing to overwrite"));
}

#[tokio::test]
async fn invalid_configuration_stops_start_up_naming_the_setting() {
    let cli = Cli::new().await;
    let out = cli
        .cmd(&["print-config"])
        .env("ANWEI_BIND", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bind"));
    let out = cli
        .cmd(&["print-config"])
        .env("ANWEI_AUDIT_HASH", "md5")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("audit_hash"));
    std::fs::write(
        cli.dir.path().join("anwei.toml"),
        "session_idle_minutes = \"thirty\"\n",
    )
    .unwrap();
    let out = cli.cmd(&["print-config"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("session_idle_minutes"));
}

#[tokio::test]
async fn print_config_hides_secrets() {
    let cli = Cli::new().await;
    let key = "ab".repeat(32);
    let out = cli
        .cmd(&["print-config"])
        .env("ANWEI_AUDIT_KEY", &key)
        .env("ANWEI_SMTP__PASSWORD", "smtp-secret")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains(&key) && !text.contains("smtp-secret"));
    assert!(text.contains("<redacted>"));
}

#[tokio::test]
async fn print_config_hides_the_robot_token_and_its_signing_secret() {
    let cli = Cli::new().await;
    let out = cli
        .cmd(&["print-config"])
        .env(
            "ANWEI_NOTIFY__WEBHOOK_URL",
            "https://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
        )
        .env("ANWEI_NOTIFY__WEBHOOK_SECRET", "SECsigning456")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("TOKEN123") && !text.contains("SECsigning456"),
        "{text}"
    );
    assert!(
        text.contains("webhook_url = \"https://oapi.dingtalk.com/robot/send?<redacted>\""),
        "{text}"
    );
    assert!(text.contains("webhook_secret = \"<redacted>\""), "{text}");
}

#[tokio::test]
async fn the_deprecated_supervision_webhook_keys_are_moved_to_notify() {
    let cli = Cli::new().await;
    std::fs::write(
        cli.dir.path().join("anwei.toml"),
        "[supervision]\nwebhook_kind = \"wecom\"\n",
    )
    .unwrap();
    let out = cli
        .cmd(&["print-config"])
        .env(
            "ANWEI_SUPERVISION__WEBHOOK_URL",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=OLDKEY",
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("OLDKEY"), "{text}");
    let v: toml::Value = toml::from_str(&text).expect("print-config prints TOML");
    assert_eq!(
        v["notify"]["webhook_url"].as_str(),
        Some("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?<redacted>")
    );
    assert_eq!(v["notify"]["webhook_kind"].as_str(), Some("wecom"));
    assert!(v["supervision"].get("webhook_url").is_none(), "{text}");
}

#[tokio::test]
async fn serve_prints_a_setup_link_and_a_second_server_on_the_same_sqlite_file_is_refused() {
    if pg_url().is_some() {
        return; // The guard is about SQLite files; PostgreSQL allows several instances by design.
    }
    let cli = Cli::new().await;
    let mut first = cli
        .cmd(&["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(first.stdout.take().unwrap());
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !seen.contains("/setup?token=") && std::time::Instant::now() < deadline {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut reader, &mut line).unwrap() == 0 {
            break;
        }
        seen.push_str(&line);
    }
    assert!(
        seen.contains("/setup?token="),
        "first start prints a set-up link: {seen}"
    );
    let second = cli.cmd(&["serve", "--port", "0"]).output().unwrap();
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("another anwei instance"));
}

#[tokio::test]
async fn environment_variables_that_are_not_settings_do_not_stop_start_up() {
    let cli = Cli::new().await;
    let out = cli
        .cmd(&["print-config"])
        .env("ANWEI_LOG", "debug")
        .env("ANWEI_TEST_PG_URL", "postgres://x/y")
        .env("ANWEI_BENCH_ORGS", "5")
        .env("ANWEI_SMTP__HOST", "mail.example.gov.cn")
        .env("ANWEI_SMTP__FROM", "a@example.gov.cn")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("mail.example.gov.cn"),
        "nested settings still read: {text}"
    );
}

#[tokio::test]
async fn a_misspelt_setting_variable_stops_start_up_naming_it() {
    let cli = Cli::new().await;
    let out = cli
        .cmd(&["print-config"])
        .env("ANWEI_BIDN", "127.0.0.1:9999")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ANWEI_BIDN"));
}
