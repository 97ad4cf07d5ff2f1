//! Backups: SQLite is copied online and consistently with `VACUUM INTO`; PostgreSQL is
//! dumped with `pg_dump` (custom format). Restore is in docs/operations.md.

use std::path::Path;

use crate::config::Config;

pub async fn run(cfg: &Config, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        anyhow::bail!("目标文件已存在 / refusing to overwrite {}", out.display());
    }
    if let Some(d) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(d)?;
    }
    if cfg.is_sqlite() {
        let db = crate::db::Db::connect(&cfg.database_url, 2).await?;
        if let crate::db::Db::Sqlite { write, .. } = &db {
            let target = out.to_string_lossy().to_string();
            sqlx::query("VACUUM INTO $1")
                .bind(&target)
                .execute(write)
                .await?;
        }
        db.close().await;
        Ok(())
    } else {
        let status = tokio::process::Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--file")
            .arg(out)
            .arg(&cfg.database_url)
            .status()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "无法运行 pg_dump / cannot run pg_dump (install postgresql-client): {e}"
                )
            })?;
        if !status.success() {
            anyhow::bail!("pg_dump 失败 / pg_dump failed: {status}");
        }
        Ok(())
    }
}
