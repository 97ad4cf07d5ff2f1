//! Where the master key lives: behind [`KeyProvider`], which wraps and unwraps data keys.
//!
//! The default, [`LocalKey`], holds the master key in memory (read from `vault_key_file` or
//! `ANWEI_VAULT_KEY`) and wraps each data key with SM4-GCM under the first 16 bytes of it.
//!
//! **An HSM or KMS provider** implements the same three methods: `wrap` sends the data key to
//! the device or service (a PKCS#11 `C_WrapKey`/`C_Encrypt` under a non-exportable key, or a
//! KMS `Encrypt`/`GenerateDataKey` call) and returns what it answers; `unwrap` does the
//! reverse (`C_Decrypt`, KMS `Decrypt`); `key_id` names the key so a sealed value says which
//! key wrapped it. The master key then never enters this process. The blind index needs a key
//! of its own ([`super::Vault::from_provider`]'s `index_key`): derive it in the device (an
//! HMAC under a key that never leaves it) or keep it as a separate secret. Wrapping happens
//! once per sealed value and unwrapping once per opened value, so a remote provider's latency
//! is paid per value, not per byte.

use zeroize::Zeroizing;

/// Wraps and unwraps data keys under a key-encryption key the provider holds.
pub trait KeyProvider: Send + Sync {
    /// A short name of the key-encryption key (ASCII letters and digits, no dot): it leads
    /// every sealed value (`v1` for the local master key), so a value names the key it needs.
    fn key_id(&self) -> &str;
    /// The data key, sealed under the key-encryption key.
    fn wrap(&self, data_key: &[u8]) -> anyhow::Result<Vec<u8>>;
    /// The data key back from what [`KeyProvider::wrap`] returned; an error when it was
    /// altered or wrapped under another key.
    fn unwrap(&self, wrapped: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>>;
}

/// The master key file or `ANWEI_VAULT_KEY`: data keys wrapped with SM4-GCM under the first
/// 16 bytes of the master key (the wrapped form: nonce 12 ‖ key ‖ tag 16).
pub struct LocalKey {
    kek: Zeroizing<[u8; 16]>,
}

impl LocalKey {
    /// `master` is at least 32 bytes (checked by [`super::Vault::new`]).
    pub fn new(master: &[u8]) -> LocalKey {
        let mut kek = Zeroizing::new([0u8; 16]);
        kek.copy_from_slice(&master[..16]);
        LocalKey { kek }
    }
}

impl KeyProvider for LocalKey {
    fn key_id(&self) -> &str {
        "v1"
    }

    fn wrap(&self, data_key: &[u8]) -> anyhow::Result<Vec<u8>> {
        Ok(super::cipher::Cipher::Sm4Gcm.seal(&self.kek[..], data_key))
    }

    fn unwrap(&self, wrapped: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        super::cipher::Cipher::Sm4Gcm
            .open(&self.kek[..], wrapped)
            .map(Zeroizing::new)
            .ok_or_else(|| anyhow::anyhow!("a data key cannot be unwrapped (wrong key or altered)"))
    }
}
