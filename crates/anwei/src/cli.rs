//! Command line: `serve`, `demo`, `migrate`, `user create|disable`, `backup`,
//! `audit verify`, `print-config`, `bench`.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Overrides};

#[derive(Parser, Debug)]
#[command(
    name = "anwei",
    version,
    about = "安委 Anwei — 安全生产责任落实平台 / work-safety responsibility platform"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Configuration file (default: ./anwei.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Data folder (SQLite file, audit key, backups). Env: ANWEI_DATA_DIR.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://…). Env: ANWEI_DATABASE_URL.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Run the server (no demo data; prints a one-time set-up link when there is no account).
    Serve {
        #[arg(long)]
        port: Option<u16>,
    },
    /// Run the server with demo accounts for every role, and print the logins.
    Demo {
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply database migrations and load the built-in organisations and policy.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Online, consistent copy of the SQLite database (PostgreSQL: runs pg_dump).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Audit-log operations.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Print the effective configuration with secrets hidden.
    PrintConfig,
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        username: String,
        /// admin, office, department, territory, enterprise, discipline, leader, auditor
        #[arg(long)]
        role: String,
        /// Organisation code, e.g. 220500-AWB.
        #[arg(long)]
        org: String,
        #[arg(long, default_value = "")]
        display_name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: its sessions and tokens end at once.
    Disable {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Walk the hash chain; names the first broken record; exit status 1 when broken.
    Verify,
}

fn load(g: &Global, port: Option<u16>) -> anyhow::Result<Config> {
    Config::load(&Overrides {
        config_file: g.config.clone(),
        data_dir: g.data_dir.clone(),
        port,
        database_url: g.database_url.clone(),
    })
}

/// Runs the command; returns the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.cmd {
        Cmd::Serve { port } => {
            let cfg = load(&cli.global, port)?;
            crate::telemetry::init_logging(cfg.log_json);
            serve(cfg, false).await?;
            Ok(0)
        }
        Cmd::Demo { port } => {
            let cfg = load(&cli.global, port)?;
            crate::telemetry::init_logging(cfg.log_json);
            serve(cfg, true).await?;
            Ok(0)
        }
        Cmd::Migrate => {
            let cfg = load(&cli.global, None)?;
            let state = crate::state::AppState::build(cfg).await?;
            crate::bootstrap(&state).await?;
            println!("数据库已迁移 / database migrated");
            Ok(0)
        }
        Cmd::PrintConfig => {
            let cfg = load(&cli.global, None)?;
            println!("{}", toml::to_string_pretty(&cfg.redacted())?);
            Ok(0)
        }
        Cmd::User { cmd } => {
            let cfg = load(&cli.global, None)?;
            let state = crate::state::AppState::build(cfg).await?;
            crate::bootstrap(&state).await?;
            match cmd {
                UserCmd::Create {
                    username,
                    role,
                    org,
                    display_name,
                    email,
                    password_stdin,
                } => {
                    if !password_stdin {
                        anyhow::bail!(
                            "请使用 --password-stdin 从标准输入提供密码 / use --password-stdin: passwords never go on the command line"
                        );
                    }
                    let mut pw = String::new();
                    std::io::stdin().read_to_string(&mut pw)?;
                    let pw = pw.trim_end_matches(['\n', '\r']).to_string();
                    let input = crate::accounts::model::NewAccountInput {
                        username,
                        display_name,
                        email,
                        role,
                        org_code: org,
                        password: pw,
                    };
                    let cmd = match input.parse() {
                        Ok(c) => c,
                        Err(e) => {
                            print_error(&e);
                            return Ok(2);
                        }
                    };
                    match crate::accounts::service::create_as_system(
                        &state,
                        &crate::audit::Who::system("cli"),
                        cmd,
                        false,
                    )
                    .await
                    {
                        Ok(id) => {
                            println!("已创建账号 / account created: id {id}");
                            Ok(0)
                        }
                        Err(e) => {
                            print_error(&e);
                            Ok(2)
                        }
                    }
                }
                UserCmd::Disable { username } => {
                    match crate::accounts::service::disable_by_username(&state, &username).await {
                        Ok(id) => {
                            println!("已停用账号 / account disabled: id {id}");
                            Ok(0)
                        }
                        Err(e) => {
                            print_error(&e);
                            Ok(2)
                        }
                    }
                }
            }
        }
        Cmd::Backup { out } => {
            let cfg = load(&cli.global, None)?;
            crate::backup::run(&cfg, &out).await?;
            println!("备份完成 / backup written: {}", out.display());
            Ok(0)
        }
        Cmd::Audit {
            cmd: AuditCmd::Verify,
        } => {
            let cfg = load(&cli.global, None)?;
            let state = crate::state::AppState::build(cfg).await?;
            let start = std::time::Instant::now();
            match crate::audit::store::verify(&state.db, &state.audit_key).await? {
                Ok(n) => {
                    println!(
                        "审计链完整 / audit chain intact: {n} records verified in {:.1}s",
                        start.elapsed().as_secs_f64()
                    );
                    Ok(0)
                }
                Err(b) => {
                    println!("审计链被破坏 / AUDIT CHAIN BROKEN: {b}");
                    Ok(1)
                }
            }
        }
    }
}

fn print_error(e: &crate::error::AppError) {
    let info = e.info();
    let mut line = format!(
        "{} / {}",
        info.msg.render(crate::i18n::Lang::Zh),
        info.msg.render(crate::i18n::Lang::En)
    );
    for (f, m) in &info.fields {
        line.push_str(&format!(
            "\n  {f}: {} / {}",
            m.render(crate::i18n::Lang::Zh),
            m.render(crate::i18n::Lang::En)
        ));
    }
    eprintln!("{line}");
}

/// Holds an exclusive lock next to the SQLite file while the server runs, so two servers
/// never share one file.
fn lock_sqlite(cfg: &Config) -> anyhow::Result<Option<std::fs::File>> {
    let Some(path) = cfg.sqlite_path() else {
        return Ok(None);
    };
    let lock_path = PathBuf::from(format!("{}.lock", path.display()));
    if let Some(d) = lock_path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)?;
    match f.try_lock() {
        Ok(()) => Ok(Some(f)),
        Err(_) => anyhow::bail!(
            "另一个 anwei 实例正在使用 {} / another anwei instance is using this SQLite file; use PostgreSQL to run several instances",
            path.display()
        ),
    }
}

async fn serve(cfg: Config, demo: bool) -> anyhow::Result<()> {
    let _lock = lock_sqlite(&cfg)?;
    let bind = cfg.bind.clone();
    let state = crate::state::AppState::build(cfg).await?;
    crate::bootstrap(&state).await?;
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| anyhow::anyhow!("无法监听 / cannot bind {bind}: {e}"))?;
    let url = format!("http://{}", listener.local_addr()?);
    if demo {
        let logins = crate::demo::seed(&state).await?;
        println!("\n安委 Anwei 演示环境 / demo running at {url}");
        println!(
            "演示账号（密码相同）/ demo logins (same password): {}",
            crate::demo::DEMO_PASSWORD
        );
        for (u, role) in logins {
            println!("  {u:<12} {role}");
        }
        println!();
    } else {
        println!("安委 Anwei listening on {url}");
        if let Some(token) = crate::auth::setup::issue_if_needed(&state).await? {
            println!(
                "尚无账号。请在 24 小时内打开以下一次性链接创建首个管理员 / no account yet; create the first administrator (link valid 24 h, once):"
            );
            println!("  {url}/setup?token={token}");
        }
    }
    // This year's duty summaries, computed in the background so the first heat map is quick.
    let warm_state = state.clone();
    tokio::spawn(async move {
        match crate::duties::views::warm(&warm_state).await {
            Ok(n) => tracing::info!(organisations = n, "duty compliance cache warmed"),
            Err(e) => tracing::warn!(error = %e, "warming the duty compliance cache failed"),
        }
    });
    // Stop gracefully on Ctrl-C and on SIGTERM (systemd, container runtimes).
    let shutdown = async {
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let term_recv = async {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term_recv => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    };
    crate::app::serve(state, listener, shutdown).await
}
