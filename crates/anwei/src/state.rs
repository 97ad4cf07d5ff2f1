//! The state every handler, service and job receives: configuration, the database, the audit
//! key, metrics, the login limiter and per-process caches. It knows no capability: a
//! capability keeps its cache here by type (`Caches`), so the state is not part of any import
//! circle; the router is assembled apart from it (`crate::app`).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use metrics_exporter_prometheus::PrometheusHandle;

use crate::audit::AuditKey;
use crate::config::Config;
use crate::db::Db;
use crate::web::limiter::LoginLimiter;

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<Config>,
    pub db: Db,
    pub audit_key: Arc<AuditKey>,
    /// The master key of protected personal data (`vault`).
    pub vault: Arc<crate::vault::Vault>,
    pub metrics: PrometheusHandle,
    pub login_limiter: Arc<LoginLimiter>,
    pub instance_id: Arc<String>,
    /// Where the bytes of uploaded files live: the data folder or an S3-compatible bucket.
    pub files: crate::files::Storage,
    /// Per-process caches that capabilities keep without the state knowing them.
    pub caches: Arc<Caches>,
}

impl AppState {
    pub async fn build(cfg: Config) -> anyhow::Result<AppState> {
        // One TLS provider (ring) for the whole process: mail and webhooks share it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        std::fs::create_dir_all(&cfg.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "无法创建数据目录 / cannot create data_dir {}: {e}",
                cfg.data_dir.display()
            )
        })?;
        let files = crate::files::Storage::from_config(&cfg)?;
        files.check().await?;
        let audit_key = AuditKey::load(&cfg)?;
        let vault = crate::vault::Vault::load(&cfg)?;
        let db = Db::connect(&cfg.database_url, cfg.db_max_connections)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "无法连接数据库 / cannot open database_url {}: {e}",
                    crate::config::redact_url(&cfg.database_url)
                )
            })?;
        db.migrate().await?;
        Ok(AppState {
            login_limiter: Arc::new(LoginLimiter::new(cfg.login_rate_per_minute)),
            cfg: Arc::new(cfg),
            db,
            audit_key: Arc::new(audit_key),
            vault: Arc::new(vault),
            metrics: crate::telemetry::metrics_handle(),
            instance_id: Arc::new(uuid::Uuid::now_v7().to_string()),
            files,
            caches: Arc::default(),
        })
    }
}

/// One value per type, created on first use and shared by every clone of the state (for
/// example the duties' compliance cache, `duties::engine::cache`). Per process: caches whose
/// validity several instances share keep their stamps in the database.
#[derive(Default)]
pub struct Caches {
    map: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Caches {
    /// The cache of type `T`, created empty the first time it is asked for.
    pub fn get<T: Any + Send + Sync + Default>(&self) -> Arc<T> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        match Arc::clone(entry).downcast::<T>() {
            Ok(v) => v,
            // The map is keyed by the type itself, so the downcast cannot fail.
            Err(_) => unreachable!("caches are keyed by their type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Caches;

    #[derive(Default)]
    struct Counter(std::sync::atomic::AtomicU32);

    #[test]
    fn a_cache_is_created_once_and_shared() {
        let c = Caches::default();
        c.get::<Counter>()
            .0
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            c.get::<Counter>()
                .0
                .load(std::sync::atomic::Ordering::SeqCst),
            1
        );
    }
}
