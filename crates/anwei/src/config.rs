//! Configuration: defaults → `anwei.toml` → `ANWEI_*` environment → command-line flags.
//! Validated once at start; an invalid setting stops start-up with a message naming it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder for the SQLite file, the audit key, attachments and backups.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/anwei.db`.
    pub database_url: String,
    pub bind: String,
    /// The URL people use to reach Anwei; `https://…` turns on Secure cookies and HSTS.
    pub public_url: String,
    /// Hash used for the audit chain: `hmac-sm3` (default) or `hmac-sha256`.
    pub audit_hash: String,
    /// Path of the audit chain key; empty means `<data_dir>/audit.key`. `ANWEI_AUDIT_KEY`
    /// (hex) overrides the file.
    pub audit_key_file: String,
    pub audit_key: String,
    /// Path of the master key of protected personal data (`vault`); empty means
    /// `<data_dir>/vault.key`. `ANWEI_VAULT_KEY` (hex) overrides the file.
    pub vault_key_file: String,
    pub vault_key: String,
    /// `[vault]`: how new protected values are sealed.
    pub vault: crate::vault::VaultConfig,
    pub session_idle_minutes: i64,
    pub session_idle_minutes_admin: i64,
    pub session_absolute_hours: i64,
    pub lockout_failures: i64,
    pub lockout_minutes: i64,
    /// Administrators must set up TOTP before they can work.
    pub require_totp_for_admin: bool,
    pub body_limit_bytes: usize,
    pub request_timeout_seconds: u64,
    /// Login attempts allowed per client IP per minute.
    pub login_rate_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` is believed (exact IPs).
    pub trusted_proxies: Vec<String>,
    pub log_json: bool,
    pub smtp: SmtpConfig,
    pub notify: NotifyConfig,
    pub supervision: SupervisionConfig,
    pub duties: DutiesConfig,
    pub uploads: UploadsConfig,
    pub enterprises: EnterprisesConfig,
    pub hazards: HazardsConfig,
    /// `[risk]`: the bands that turn an LEC or LS score into a risk level. No national rule
    /// fixes them (`docs/hazards.md`): configurable, with the defaults of `anwei_rules::risk`.
    pub risk: anwei_rules::risk::Bands,
    pub reports: ReportsConfig,
    pub jobs_poll_millis: u64,
    /// Run the job worker in this process (turn off for web-only instances).
    pub run_jobs: bool,
    pub db_max_connections: u32,
}

/// 督查督办 settings. The national document fixes none of these numbers; they are local
/// practice, so they are configuration with these defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SupervisionConfig {
    /// An assignment turns yellow this many days before its due date.
    pub lead_days: i64,
    /// Ongoing (长期坚持) tasks report once per period of this many months (3: quarterly).
    pub report_period_months: u32,
    /// Deprecated: use `uploads.max_file_bytes`. Honoured when `[uploads]` keeps its
    /// default, then moved there at start-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment_max_bytes: Option<usize>,
    /// Deprecated: use `uploads.file_types`; moved like `attachment_max_bytes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment_types: Option<Vec<String>>,
    /// Deprecated: use `notify.webhook_url`. Still read (file or
    /// `ANWEI_SUPERVISION__WEBHOOK_URL`) when `notify.webhook_url` is empty, and then moved
    /// there at start-up; printed only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// Deprecated: use `notify.webhook_kind`; taken together with `supervision.webhook_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_kind: Option<String>,
    /// Hour (Asia/Shanghai) of the daily digest to the committee office.
    pub digest_hour: u32,
    /// Manual 催办 of one assignment at most once per this many hours (0: no limit).
    pub remind_interval_hours: i64,
    /// Who reviews the work of the top committee office (the city's 安委办), which has no
    /// office above it: the organisation with this code; empty (the default): the government of
    /// the office's own region (the committee is chaired by the mayor). Its accounts of a role
    /// that reports (`territory`, `department`, `office`) accept or return those reports.
    pub top_office_reviewer: String,
}

/// `[enterprises]`: the registry. `industry_sectors` lays the local division of supervision
/// duties over the default map of `anwei_rules::supervisors` key by key: a GB/T 4754 section
/// or division → the sectors whose departments supervise it (`[]` unmaps it, which puts its
/// enterprises on the supervision-gap list), e.g. `R90 = ["culture_tourism"]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnterprisesConfig {
    pub industry_sectors: std::collections::BTreeMap<String, Vec<String>>,
}

impl EnterprisesConfig {
    /// The map in force: the default with this configuration laid over it.
    pub fn sector_map(&self) -> Vec<(String, Vec<anwei_rules::org::Sector>)> {
        let overrides: Vec<(String, Vec<String>)> = self
            .industry_sectors
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Checked at start-up (`Config::validate`).
        anwei_rules::supervisors::merged_map(&overrides).unwrap_or_default()
    }
}

/// `[hazards]`: hazard rectification (隐患排查治理). The national rules set no general
/// rectification period; the default is the office's practice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HazardsConfig {
    /// A general hazard registered without a deadline must be rectified within this many days
    /// of being found.
    pub general_deadline_days: u32,
}

impl Default for HazardsConfig {
    fn default() -> Self {
        HazardsConfig {
            general_deadline_days: anwei_rules::hazard::DEFAULT_DEADLINE_DAYS,
        }
    }
}

pub use crate::reports::config::ReportsConfig;

/// `[duties]`: recurring duties (履职考核). The document names no figures for these; they are
/// the office's practice, so they are configuration with these defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DutiesConfig {
    /// A holder with no record yet and fewer than this many days left in the period is at risk
    /// (listed, and reminded once per period).
    pub at_risk_days: i64,
    /// The author may correct a record within this many hours of entering it; afterwards only
    /// the committee office may.
    pub correction_hours: i64,
    /// Send the daily at-risk reminders (job `duties.sweep`).
    pub remind_at_risk: bool,
}

impl Default for DutiesConfig {
    fn default() -> Self {
        DutiesConfig {
            at_risk_days: 15,
            correction_hours: 72,
            remind_at_risk: true,
        }
    }
}

impl Default for SupervisionConfig {
    fn default() -> Self {
        SupervisionConfig {
            lead_days: 3,
            report_period_months: 3,
            attachment_max_bytes: None,
            attachment_types: None,
            webhook_url: None,
            webhook_kind: None,
            digest_hour: 8,
            remind_interval_hours: 24,
            top_office_reviewer: String::new(),
        }
    }
}

/// `[notify]`: the notification part's group robot (钉钉 / 企业微信群机器人). Every message
/// to a group (today the supervision digest; later duties, hazards and accidents) goes to
/// this robot.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// DingTalk or WeCom group-robot webhook URL (secret: it holds the robot's token);
    /// empty: no robot message.
    pub webhook_url: String,
    /// `dingtalk` or `wecom`.
    pub webhook_kind: String,
    /// DingTalk 加签 secret (`SEC…`, shown when the robot's security setting is 加签): each
    /// message URL then carries `timestamp` and `sign`. Secret: never printed. Empty: no
    /// signature (keyword or IP-restricted robots). WeCom robots have no such setting.
    pub webhook_secret: String,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            webhook_url: String::new(),
            webhook_kind: "dingtalk".into(),
            webhook_secret: String::new(),
        }
    }
}

/// `[uploads]`: uploaded files — evidence of every capability (supervision reports,
/// deliverables, duty records, and next hazards, accidents and public reports) and where their
/// bytes are kept. A route that takes files declares its own body limit from these numbers
/// where it is declared ([`UploadsConfig::request_limit`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploadsConfig {
    /// Largest evidence file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Most evidence files in one submission or record.
    pub max_files: usize,
    /// File types accepted as evidence, checked by content: pdf, png, jpg, gif, webp, docx,
    /// xlsx, pptx, doc, xls, zip, txt.
    pub file_types: Vec<String>,
    /// `[uploads.storage]`: where the bytes of evidence files and policy uploads are kept.
    pub storage: StorageConfig,
}

impl Default for UploadsConfig {
    fn default() -> Self {
        UploadsConfig {
            max_file_bytes: 20 * 1024 * 1024,
            max_files: 10,
            file_types: [
                "pdf", "png", "jpg", "gif", "webp", "docx", "xlsx", "pptx", "doc", "xls", "zip",
                "txt",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            storage: StorageConfig::default(),
        }
    }
}

impl UploadsConfig {
    /// The body limit of a request that carries evidence files: every file at its largest,
    /// plus 1 MiB for the form's text and the multipart framing.
    pub fn request_limit(&self) -> usize {
        self.max_files
            .saturating_mul(self.max_file_bytes)
            .saturating_add(1024 * 1024)
    }
}

/// `[uploads.storage]`: the local data folder (default) or an S3-compatible object store.
/// `ANWEI_UPLOADS__STORAGE__BACKEND=s3`, `ANWEI_UPLOADS__STORAGE__SECRET_ACCESS_KEY=…`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// `local`: `<data_dir>/files/<2 hex>/<sha256>`; `s3`: an S3-compatible bucket (MinIO,
    /// Ceph, the clouds' S3 APIs), so several instances need no shared mount.
    pub backend: String,
    /// s3: the service URL, e.g. `https://minio.example.gov.cn:9000` (`http://` is allowed).
    pub endpoint: String,
    /// s3: the signing region (`us-east-1` for MinIO and most S3-compatible servers).
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    /// Secret: never printed.
    pub secret_access_key: String,
    /// s3: key prefix in the bucket; objects are `<prefix>/<2 hex>/<sha256>`.
    pub prefix: String,
    /// s3: `https://<bucket>.<endpoint host>/…` instead of `https://<endpoint>/<bucket>/…`
    /// (some clouds require it; MinIO and Ceph take either).
    pub virtual_hosted_style: bool,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            backend: "local".into(),
            endpoint: String::new(),
            region: "us-east-1".into(),
            bucket: String::new(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            prefix: "files".into(),
            virtual_hosted_style: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    /// Empty: mail is off; notifications stay in the in-app inbox.
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    pub password: String,
    pub from: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            bind: "127.0.0.1:8080".into(),
            public_url: String::new(),
            audit_hash: "hmac-sm3".into(),
            audit_key_file: String::new(),
            audit_key: String::new(),
            vault_key_file: String::new(),
            vault_key: String::new(),
            vault: crate::vault::VaultConfig::default(),
            session_idle_minutes: 30,
            session_idle_minutes_admin: 15,
            session_absolute_hours: 12,
            lockout_failures: 5,
            lockout_minutes: 15,
            require_totp_for_admin: false,
            body_limit_bytes: 2 * 1024 * 1024,
            request_timeout_seconds: 30,
            login_rate_per_minute: 20,
            trusted_proxies: Vec::new(),
            log_json: false,
            smtp: SmtpConfig {
                port: 25,
                security: "none".into(),
                ..Default::default()
            },
            notify: NotifyConfig::default(),
            supervision: SupervisionConfig::default(),
            duties: DutiesConfig::default(),
            enterprises: EnterprisesConfig::default(),
            hazards: HazardsConfig::default(),
            risk: anwei_rules::risk::Bands::default(),
            reports: ReportsConfig::default(),
            uploads: UploadsConfig::default(),
            jobs_poll_millis: 1000,
            run_jobs: true,
            db_max_connections: 8,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub port: Option<u16>,
    pub database_url: Option<String>,
}

impl Config {
    /// Loads defaults, then `anwei.toml` (or the given file), then `ANWEI_*` variables
    /// (`ANWEI_SMTP__HOST` for nested keys), then flags; then validates.
    pub fn load(o: &Overrides) -> anyhow::Result<Config> {
        let file = o
            .config_file
            .clone()
            .unwrap_or_else(|| PathBuf::from("anwei.toml"));
        if o.config_file.is_some() && !file.exists() {
            anyhow::bail!("配置文件不存在 / config file not found: {}", file.display());
        }
        // Only variables that name a setting are configuration; others with the prefix
        // (ANWEI_LOG, ANWEI_TEST_…, ANWEI_BENCH_…) belong to logging, tests and benchmarks.
        let known: Vec<String> = match serde_json::to_value(Config::default()) {
            Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        // A misspelt setting must not be ignored silently: refuse unknown ANWEI_* names.
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy().to_string();
            let Some(rest) = k.strip_prefix("ANWEI_") else {
                continue;
            };
            let lower = rest.to_ascii_lowercase();
            let first = lower.split("__").next().unwrap_or("");
            let reserved =
                lower == "log" || lower.starts_with("test_") || lower.starts_with("bench_");
            if !reserved && !known.iter().any(|f| f == first) {
                anyhow::bail!(
                    "未知的环境变量 {k}：不是配置项 / unknown environment variable `{k}`: not a setting (see print-config for the names)"
                );
            }
        }
        let fig = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("ANWEI_").split("__").filter(move |k| {
                let first = k
                    .as_str()
                    .split("__")
                    .next()
                    .and_then(|x| x.split('.').next())
                    .unwrap_or("");
                known.iter().any(|f| f.eq_ignore_ascii_case(first))
            }));
        let mut cfg: Config = fig.extract().map_err(|e| {
            let name = e.path.join(".");
            anyhow::anyhow!("配置项 {name} 无效 / invalid setting `{name}`: {e}")
        })?;
        if let Some(d) = &o.data_dir {
            cfg.data_dir = d.clone();
        }
        if let Some(p) = o.port {
            let host = cfg
                .bind
                .rsplit_once(':')
                .map(|(h, _)| h.to_string())
                .unwrap_or("127.0.0.1".into());
            cfg.bind = format!("{host}:{p}");
        }
        if let Some(u) = &o.database_url {
            cfg.database_url = u.clone();
        }
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&mut self) -> anyhow::Result<()> {
        fn bad(name: &str, why: &str) -> anyhow::Error {
            anyhow::anyhow!("配置项 {name} 无效：{why} / invalid setting `{name}`: {why}")
        }
        if self.database_url.is_empty() {
            self.database_url = format!("sqlite://{}", self.data_dir.join("anwei.db").display());
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(bad(
                "database_url",
                "must start with sqlite:// or postgres://",
            ));
        }
        if self.bind.parse::<SocketAddr>().is_err() {
            return Err(bad("bind", "expected host:port, e.g. 127.0.0.1:8080"));
        }
        if !matches!(self.audit_hash.as_str(), "hmac-sm3" | "hmac-sha256") {
            return Err(bad("audit_hash", "must be hmac-sm3 or hmac-sha256"));
        }
        if !self.audit_key.is_empty() {
            match hex::decode(&self.audit_key) {
                Ok(k) if k.len() >= 32 => {}
                _ => return Err(bad("audit_key", "must be at least 32 bytes as hex")),
            }
        }
        if !self.vault_key.is_empty() {
            match hex::decode(self.vault_key.trim()) {
                Ok(k) if k.len() >= 32 => {}
                _ => return Err(bad("vault_key", "must be at least 32 bytes as hex")),
            }
        }
        if let Err((setting, what)) = self.vault.check() {
            return Err(bad(setting, what));
        }
        if !(self.public_url.is_empty()
            || self.public_url.starts_with("http://")
            || self.public_url.starts_with("https://"))
        {
            return Err(bad("public_url", "must start with http:// or https://"));
        }
        if self.session_idle_minutes < 1
            || self.session_absolute_hours < 1
            || self.session_idle_minutes_admin < 1
        {
            return Err(bad(
                "session_idle_minutes",
                "session timeouts must be positive",
            ));
        }
        if self.lockout_failures < 1 || self.lockout_minutes < 1 {
            return Err(bad("lockout_failures", "must be positive"));
        }
        if self.body_limit_bytes < 1024 {
            return Err(bad("body_limit_bytes", "must be at least 1024"));
        }
        if self.request_timeout_seconds == 0 {
            return Err(bad("request_timeout_seconds", "must be positive"));
        }
        if self.login_rate_per_minute == 0 {
            return Err(bad("login_rate_per_minute", "must be positive"));
        }
        for p in &self.trusted_proxies {
            if p.parse::<std::net::IpAddr>().is_err() {
                return Err(bad("trusted_proxies", "each entry must be an IP address"));
            }
        }
        if !self.smtp.host.is_empty() {
            if !matches!(self.smtp.security.as_str(), "none" | "starttls" | "tls") {
                return Err(bad("smtp.security", "must be none, starttls or tls"));
            }
            if !self.smtp.from.contains('@') {
                return Err(bad("smtp.from", "must be an e-mail address"));
            }
        }
        let r = &self.reports;
        for (name, v) in [
            ("reports.verify_days", r.verify_days),
            ("reports.answer_days", r.answer_days),
            ("reports.extension_days", r.extension_days),
        ] {
            if !(1..=3650).contains(&v) {
                return Err(bad(name, "must be between 1 and 3650 days"));
            }
        }
        if r.public_per_minute == 0 {
            return Err(bad("reports.public_per_minute", "must be positive"));
        }
        if let Err((name, why)) = crate::reports::pow::check_settings(r) {
            return Err(bad(name, why));
        }
        if let Err(p) = r.reward.validate() {
            return Err(bad(
                "reports.reward",
                match p {
                    anwei_rules::reward::RulesProblem::ShareAboveWhole => {
                        "fine_share_bp must be at most 10000 (100%)"
                    }
                    anwei_rules::reward::RulesProblem::MinAboveMax => {
                        "fine_min_yuan must not exceed fine_max_yuan"
                    }
                },
            ));
        }
        if !(1..=3650).contains(&self.hazards.general_deadline_days) {
            return Err(bad(
                "hazards.general_deadline_days",
                "must be between 1 and 3650",
            ));
        }
        let overrides: Vec<(String, Vec<String>)> = self
            .enterprises
            .industry_sectors
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Err(why) = anwei_rules::supervisors::merged_map(&overrides) {
            return Err(bad("enterprises.industry_sectors", &why));
        }
        if let Err(p) = self.risk.validate() {
            return Err(bad("risk", p.message_en()));
        }
        if !(1..=366).contains(&self.duties.at_risk_days) {
            return Err(bad("duties.at_risk_days", "must be between 1 and 366"));
        }
        if !(0..=24 * 90).contains(&self.duties.correction_hours) {
            return Err(bad("duties.correction_hours", "must be between 0 and 2160"));
        }
        // The deprecated `supervision.attachment_*` keys: honoured when `[uploads]` keeps its
        // default, then moved, so the rest of the program reads only `[uploads]`.
        let defaults = UploadsConfig::default();
        if let Some(max) = self.supervision.attachment_max_bytes.take()
            && self.uploads.max_file_bytes == defaults.max_file_bytes
        {
            self.uploads.max_file_bytes = max;
        }
        if let Some(types) = self.supervision.attachment_types.take()
            && self.uploads.file_types == defaults.file_types
        {
            self.uploads.file_types = types;
        }
        let up = &self.uploads;
        if up.max_file_bytes < 1024 {
            return Err(bad("uploads.max_file_bytes", "must be at least 1024"));
        }
        if !(1..=100).contains(&up.max_files) {
            return Err(bad("uploads.max_files", "must be between 1 and 100"));
        }
        for t in &up.file_types {
            if !crate::files::KNOWN_TYPES.contains(&t.as_str()) {
                return Err(bad(
                    "uploads.file_types",
                    "unknown type; see the documentation for the list",
                ));
            }
        }
        // The deprecated `supervision.webhook_*` keys: honoured when `notify.webhook_url` is
        // not set, then moved, so the rest of the program reads only `[notify]`.
        let old_url = self.supervision.webhook_url.take();
        let old_kind = self.supervision.webhook_kind.take();
        if self.notify.webhook_url.is_empty()
            && let Some(url) = old_url.filter(|u| !u.is_empty())
        {
            self.notify.webhook_url = url;
            if let Some(kind) = old_kind {
                self.notify.webhook_kind = kind;
            }
        }
        let nt = &self.notify;
        if !(nt.webhook_url.is_empty()
            || nt.webhook_url.starts_with("http://")
            || nt.webhook_url.starts_with("https://"))
        {
            return Err(bad(
                "notify.webhook_url",
                "must start with http:// or https://",
            ));
        }
        if !matches!(nt.webhook_kind.as_str(), "dingtalk" | "wecom") {
            return Err(bad("notify.webhook_kind", "must be dingtalk or wecom"));
        }
        if !nt.webhook_secret.is_empty() && nt.webhook_kind != "dingtalk" {
            return Err(bad(
                "notify.webhook_secret",
                "only DingTalk robots sign (加签); leave it empty for wecom",
            ));
        }
        let sv = &self.supervision;
        if !(0..=60).contains(&sv.lead_days) {
            return Err(bad("supervision.lead_days", "must be between 0 and 60"));
        }
        if !(1..=12).contains(&sv.report_period_months) {
            return Err(bad(
                "supervision.report_period_months",
                "must be between 1 and 12",
            ));
        }
        if !(0..=720).contains(&sv.remind_interval_hours) {
            return Err(bad("supervision.remind_interval_hours", "must be 0-720"));
        }
        if sv.digest_hour > 23 {
            return Err(bad("supervision.digest_hour", "must be 0-23"));
        }
        if self.db_max_connections == 0 {
            return Err(bad("db_max_connections", "must be positive"));
        }
        self.uploads
            .storage
            .validate()
            .map_err(|(k, why)| bad(k, why))?;
        Ok(())
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn vault_key_path(&self) -> PathBuf {
        if self.vault_key_file.is_empty() {
            self.data_dir.join("vault.key")
        } else {
            PathBuf::from(&self.vault_key_file)
        }
    }

    pub fn audit_key_path(&self) -> PathBuf {
        if self.audit_key_file.is_empty() {
            self.data_dir.join("audit.key")
        } else {
            PathBuf::from(&self.audit_key_file)
        }
    }

    /// The configuration as it may be printed: secrets replaced.
    pub fn redacted(&self) -> Config {
        let mut c = self.clone();
        if !c.vault_key.is_empty() {
            c.vault_key = "<redacted>".into();
        }
        if !c.audit_key.is_empty() {
            c.audit_key = "<redacted>".into();
        }
        // The robot's access token is in the URL.
        let cut = |u: &str| u.split('?').next().unwrap_or("").to_string() + "?<redacted>";
        if !c.notify.webhook_url.is_empty() {
            c.notify.webhook_url = cut(&c.notify.webhook_url);
        }
        if let Some(u) = c.supervision.webhook_url.as_mut().filter(|u| !u.is_empty()) {
            *u = cut(u);
        }
        if !c.notify.webhook_secret.is_empty() {
            c.notify.webhook_secret = "<redacted>".into();
        }
        if !c.smtp.password.is_empty() {
            c.smtp.password = "<redacted>".into();
        }
        // The key provider's arguments may carry a token.
        for a in &mut c.vault.command_args {
            *a = "<redacted>".into();
        }
        let st = &mut c.uploads.storage;
        if !st.secret_access_key.is_empty() {
            st.secret_access_key = "<redacted>".into();
        }
        st.endpoint = redact_url(&st.endpoint);
        c.database_url = redact_url(&c.database_url);
        c
    }

    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        Some(Path::new(path).to_path_buf())
    }
}

impl StorageConfig {
    /// The setting at fault and why, when the storage settings cannot work.
    fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        match self.backend.as_str() {
            "local" => return Ok(()),
            "s3" => {}
            _ => return Err(("uploads.storage.backend", "must be local or s3")),
        }
        if !(self.endpoint.starts_with("http://") || self.endpoint.starts_with("https://")) {
            return Err((
                "uploads.storage.endpoint",
                "backend s3 needs the endpoint URL (http:// or https://)",
            ));
        }
        if self.bucket.trim().is_empty() {
            return Err(("uploads.storage.bucket", "backend s3 needs a bucket"));
        }
        if self.region.trim().is_empty() {
            return Err((
                "uploads.storage.region",
                "must not be empty (e.g. us-east-1)",
            ));
        }
        // Anonymous access and instance credentials are never tried: a missing key is a
        // mistake, and the metadata service is no place for a government intranet to call.
        if self.access_key_id.is_empty() || self.secret_access_key.is_empty() {
            return Err((
                "uploads.storage.access_key_id",
                "backend s3 needs access_key_id and secret_access_key",
            ));
        }
        let p = self.prefix.trim_matches('/');
        let bad_segment =
            |seg: &str| seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\');
        if !p.is_empty() && p.split('/').any(bad_segment) {
            return Err((
                "uploads.storage.prefix",
                "must be folder names separated by /, without . or ..",
            ));
        }
        Ok(())
    }
}

/// Hides the password part of a database URL.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((cred, host)) = rest.split_once('@')
    {
        let user = cred.split(':').next().unwrap_or("");
        return format!("{scheme}://{user}:<redacted>@{host}");
    }
    url.to_string()
}
