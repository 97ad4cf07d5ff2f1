//! Where the bytes of stored files live: one interface, two backends chosen by
//! `[uploads.storage]`.
//!
//! - `local` (the default): `<data_dir>/files/<2 hex>/<sha256>`, the layout Anwei has always
//!   used, so existing data keeps working. Several instances need a shared mount for it.
//! - `s3`: an S3-compatible object store (MinIO, Ceph RGW, the Chinese clouds' S3 APIs) under
//!   `<prefix>/<2 hex>/<sha256>` in one bucket; instances then share nothing but the database
//!   and the bucket.
//!
//! Both go through `object_store` (Apache Arrow's; the crate Delta Lake, DataFusion and
//! InfluxDB use): `LocalFileSystem` writes to a staged file and renames it, S3 `PUT` replaces
//! an object whole, so a reader never sees half a file. Names are content hashes, so a `put`
//! is idempotent and two instances writing the same name write the same bytes.

use std::sync::Arc;
use std::time::Duration;

use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::config::{Config, StorageConfig};

/// What can go wrong reading or writing a stored file.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Not a lowercase hex SHA-256: never turned into a path or an object name.
    #[error("not a SHA-256 name: {0:?}")]
    BadName(String),
    #[error("stored file {0} not found")]
    NotFound(String),
    #[error("file storage ({backend}): {source}")]
    Backend {
        backend: &'static str,
        source: object_store::Error,
    },
}

/// The file store of this installation. Cheap to clone (one shared client).
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Folder (local) or key prefix (s3) under which the `<2 hex>/<sha256>` names live.
    prefix: Key,
    backend: &'static str,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({}: {})", self.backend, self.store)
    }
}

/// A name is 64 lowercase hex digits, nothing else (no path can hide in it).
fn valid(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Storage {
    /// The store the configuration names; `data_dir` must exist for the local backend.
    pub fn from_config(cfg: &Config) -> anyhow::Result<Storage> {
        let s = &cfg.uploads.storage;
        match s.backend.as_str() {
            "s3" => Self::s3(s),
            _ => Self::local(&cfg.data_dir),
        }
    }

    /// `<data_dir>/files/<2 hex>/<sha256>`.
    pub fn local(data_dir: &std::path::Path) -> anyhow::Result<Storage> {
        let fs = object_store::local::LocalFileSystem::new_with_prefix(data_dir).map_err(|e| {
            anyhow::anyhow!(
                "无法使用数据目录存放文件 / cannot keep files in data_dir {}: {e}",
                data_dir.display()
            )
        })?;
        Ok(Storage {
            store: Arc::new(fs),
            prefix: Key::from("files"),
            backend: "local",
        })
    }

    /// An S3-compatible bucket. Path-style requests unless `virtual_hosted_style`; plain
    /// `http://` only when the endpoint says so. Credentials come from the configuration
    /// only: never from the environment or an instance-metadata service.
    pub fn s3(s: &StorageConfig) -> anyhow::Result<Storage> {
        use object_store::aws::AmazonS3Builder;
        use object_store::{BackoffConfig, ClientOptions, RetryConfig};
        // The process's one TLS provider (ring), also when no AppState installed it yet.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let options = ClientOptions::new()
            .with_allow_http(s.endpoint.starts_with("http://"))
            .with_connect_timeout(Duration::from_secs(5))
            .with_timeout(Duration::from_secs(120));
        // A few quick retries: a request waits for them, so a dead store must fail soon.
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 3,
            retry_timeout: Duration::from_secs(20),
        };
        let store = AmazonS3Builder::new()
            .with_endpoint(s.endpoint.trim_end_matches('/'))
            .with_region(&s.region)
            .with_bucket_name(&s.bucket)
            .with_access_key_id(&s.access_key_id)
            .with_secret_access_key(&s.secret_access_key)
            .with_virtual_hosted_style_request(s.virtual_hosted_style)
            .with_client_options(options)
            .with_retry(retry)
            .build()
            .map_err(|e| anyhow::anyhow!("对象存储配置无效 / invalid S3 storage settings: {e}"))?;
        Ok(Storage {
            store: Arc::new(store),
            prefix: Key::parse(s.prefix.trim_matches('/')).map_err(|e| {
                anyhow::anyhow!("配置项 uploads.storage.prefix 无效 / invalid prefix: {e}")
            })?,
            backend: "s3",
        })
    }

    /// `local` or `s3`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    fn key(&self, sha: &str) -> Result<Key, StorageError> {
        if !valid(sha) {
            return Err(StorageError::BadName(sha.chars().take(80).collect()));
        }
        Ok(self.prefix.clone().join(&sha[..2]).join(sha))
    }

    fn fail(&self, sha: &str, e: object_store::Error) -> StorageError {
        match e {
            object_store::Error::NotFound { .. } => StorageError::NotFound(sha.to_string()),
            source => StorageError::Backend {
                backend: self.backend,
                source,
            },
        }
    }

    /// Stores `bytes` under their name unless already there. The caller names them by their
    /// SHA-256 (or another 64-hex digest that fixes the content).
    pub async fn put(&self, sha: &str, bytes: &[u8]) -> Result<(), StorageError> {
        if self.exists(sha).await? {
            return Ok(());
        }
        let key = self.key(sha)?;
        self.store
            .put(&key, PutPayload::from(bytes.to_vec()))
            .await
            .map(|_| ())
            .map_err(|e| self.fail(sha, e))
    }

    /// The bytes stored under `sha`.
    pub async fn get(&self, sha: &str) -> Result<Vec<u8>, StorageError> {
        let key = self.key(sha)?;
        let got = self.store.get(&key).await.map_err(|e| self.fail(sha, e))?;
        let bytes = got.bytes().await.map_err(|e| self.fail(sha, e))?;
        Ok(bytes.to_vec())
    }

    /// True when something is stored under `sha`.
    pub async fn exists(&self, sha: &str) -> Result<bool, StorageError> {
        let key = self.key(sha)?;
        match self.store.head(&key).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.fail(sha, e)),
        }
    }

    /// At start: the bucket answers with these credentials (a misconfigured store stops
    /// start-up instead of failing the first upload). Nothing to check for the local folder.
    pub async fn check(&self) -> anyhow::Result<()> {
        if self.backend == "local" {
            return Ok(());
        }
        let probe = self.store.list_with_delimiter(Some(&self.prefix));
        match tokio::time::timeout(Duration::from_secs(30), probe).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(anyhow::anyhow!(
                "无法访问对象存储 / cannot reach the S3 storage ({}): {e}",
                self.store
            )),
            Err(_) => Err(anyhow::anyhow!(
                "对象存储无响应 / the S3 storage did not answer within 30 s ({})",
                self.store
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[tokio::test]
    async fn the_local_folder_keeps_the_layout_of_files_two_hex_digits_and_the_hash() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = Storage::local(dir.path()).expect("local storage");
        assert!(!s.exists(SHA).await.expect("exists"));
        s.put(SHA, b"test").await.expect("put");
        s.put(SHA, b"test")
            .await
            .expect("a second put of the same content is fine");
        let path = dir.path().join("files").join("9f").join(SHA);
        assert_eq!(std::fs::read(path).expect("the file"), b"test");
        assert_eq!(s.get(SHA).await.expect("get"), b"test");
        assert!(s.exists(SHA).await.expect("exists"));
        let other = SHA.replace('9', "8");
        assert!(matches!(
            s.get(&other).await,
            Err(StorageError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn names_that_are_not_a_lowercase_sha256_are_refused_before_any_io() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = Storage::local(dir.path()).expect("local storage");
        for bad in [
            "",
            "../../etc/passwd",
            &SHA.to_uppercase(),
            &format!("{}/x", &SHA[..62]),
            &SHA[..63],
        ] {
            assert!(
                matches!(s.get(bad).await, Err(StorageError::BadName(_))),
                "{bad}"
            );
            assert!(
                matches!(s.put(bad, b"x").await, Err(StorageError::BadName(_))),
                "{bad}"
            );
        }
        assert!(!dir.path().join("files").exists());
    }
}
