//! Protected personal data at rest (SECURITY.md, "Protected personal data"): ID numbers of
//! people, and the identities and files of those who report hazards.
//!
//! **Envelope encryption.** Each value gets its own random data key; the value is sealed with
//! the configured cipher (`[vault] cipher`: `sm4-gcm`, GB/T 32907 in GCM, RFC 8998, the
//! default; or `xchacha20-poly1305`) under that key, and the data key is wrapped by the
//! [`KeyProvider`] (the master key). A sealed value is text:
//! `<key id>.<cipher>.<wrapped data key>.<sealed value>`, e.g. `v1.sm4gcm.…` or
//! `v1.xchacha20poly1305.…` (each part base64url: the random nonce, then the ciphertext and
//! its 16-byte tag), so the key and the algorithm travel with it: [`Vault::open`] reads every
//! cipher whatever the setting, and changing the setting never makes old data unreadable.
//! **Blind index.** An exact lookup (the same ID number again) compares HMAC-SM3 of the
//! normalised value under a key derived from the master key, never the value.
//!
//! The master key is 32 random bytes, hex, in `vault_key_file` (default `<data_dir>/vault.key`,
//! created mode 0600 on first start) or `ANWEI_VAULT_KEY`. Back it up apart from the database:
//! without it nothing sealed can be read; with the database alone nothing can. An HSM or KMS
//! takes its place through [`KeyProvider`] (see `vault/provider.rs`): `[vault] key_provider =
//! "command"` wraps data keys with an outside program (`vault/command.rs`), the local key then
//! only opening what it sealed before and keying the blind index.
//!
//! **A failing provider** makes [`Vault::seal`] return [`KeyUnavailable`], which the boundary
//! answers with 503 "加密服务暂不可用": the caller's transaction rolls back, nothing is saved.

mod cipher;
mod command;
mod provider;
#[cfg(test)]
mod tests;

pub use cipher::Cipher;
pub use command::CommandKey;
pub use provider::{KeyProvider, LocalKey};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sm3::Sm3;
use zeroize::Zeroizing;

/// `[vault]`: how new protected values are sealed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VaultConfig {
    /// The cipher new values are sealed with: `sm4-gcm` (default, GB/T 32907) or
    /// `xchacha20-poly1305`. Sealed values name their cipher, so both always open.
    pub cipher: String,
    /// Who wraps data keys: `local` (default: the master key file) or `command` (an outside
    /// program, `command` with `command_args`, speaking the protocol of `vault/command.rs`).
    pub key_provider: String,
    /// `command`: the program's path.
    pub command: String,
    /// `command`: arguments before the mode (`key-id`, `wrap`, `unwrap`).
    pub command_args: Vec<String>,
    /// `command`: how long one run may take before it is killed and counts as failed.
    pub command_timeout_ms: u64,
}

impl Default for VaultConfig {
    fn default() -> Self {
        VaultConfig {
            cipher: Cipher::Sm4Gcm.config_name().into(),
            key_provider: "local".into(),
            command: String::new(),
            command_args: Vec::new(),
            command_timeout_ms: 5_000,
        }
    }
}

impl VaultConfig {
    /// The `[vault]` problems, as (setting, what is wrong).
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if Cipher::parse(&self.cipher).is_none() {
            return Err(("vault.cipher", "must be sm4-gcm or xchacha20-poly1305"));
        }
        match self.key_provider.as_str() {
            "local" => Ok(()),
            "command" if self.command.trim().is_empty() => {
                Err(("vault.command", "must name the key provider's program"))
            }
            "command" if !(100..=600_000).contains(&self.command_timeout_ms) => {
                Err(("vault.command_timeout_ms", "must be 100–600000"))
            }
            "command" => Ok(()),
            _ => Err(("vault.key_provider", "must be local or command")),
        }
    }
}

/// The key provider could not wrap a data key (it failed, timed out or answered nonsense).
/// Its cause names the provider's failure, never the value being sealed; the boundary answers
/// 503 and logs the cause once.
#[derive(Debug)]
pub struct KeyUnavailable(pub anyhow::Error);

impl std::fmt::Display for KeyUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the key provider failed: {:#}", self.0)
    }
}

impl std::error::Error for KeyUnavailable {}

impl From<KeyUnavailable> for crate::error::AppError {
    fn from(e: KeyUnavailable) -> Self {
        tracing::error!(error = %e, "key provider unavailable; nothing sealed");
        crate::error::AppError::UnavailableFor(crate::i18n::Msg::new(
            "error.key_provider_unavailable",
        ))
    }
}

/// The key provider, the cipher new values are sealed with, and the blind-index key.
pub struct Vault {
    /// Wraps the data keys of new values (and opens them).
    provider: Box<dyn KeyProvider>,
    /// Earlier providers, kept to open what they sealed (the local key under `command`).
    earlier: Vec<Box<dyn KeyProvider>>,
    cipher: Cipher,
    /// HMAC-SM3(master, "anwei blind index v1").
    index_key: Zeroizing<Vec<u8>>,
}

impl Vault {
    /// The local master key ([`LocalKey`]) sealing with SM4-GCM.
    pub fn new(master: &[u8]) -> anyhow::Result<Vault> {
        if master.len() < 32 {
            anyhow::bail!("保护数据主密钥过短 / the vault key must be at least 32 bytes");
        }
        let mut m = <Hmac<Sm3> as hmac::KeyInit>::new_from_slice(master).expect("any key length");
        m.update(b"anwei blind index v1");
        let index_key = Zeroizing::new(m.finalize().into_bytes().to_vec());
        Ok(Vault::from_provider(
            Box::new(LocalKey::new(master)),
            index_key,
            Cipher::Sm4Gcm,
        ))
    }

    /// A vault whose data keys another provider (an HSM, a KMS) wraps; `index_key` keys the
    /// blind index (at least 32 bytes, kept as secret as the master key).
    pub fn from_provider(
        provider: Box<dyn KeyProvider>,
        index_key: Zeroizing<Vec<u8>>,
        cipher: Cipher,
    ) -> Vault {
        Vault {
            provider,
            earlier: Vec::new(),
            cipher,
            index_key,
        }
    }

    /// The same blind-index key and cipher, wrapping new data keys with `provider`; the
    /// current provider stays to open what it sealed.
    pub fn wrapping_with(mut self, provider: Box<dyn KeyProvider>) -> Vault {
        let old = std::mem::replace(&mut self.provider, provider);
        self.earlier.insert(0, old);
        self
    }

    /// The key id new values are sealed under.
    pub fn key_id(&self) -> &str {
        self.provider.key_id()
    }

    /// The provider whose key id is `key_id`.
    fn provider_for(&self, key_id: &str) -> Option<&dyn KeyProvider> {
        std::iter::once(&self.provider)
            .chain(&self.earlier)
            .find(|p| p.key_id() == key_id)
            .map(|p| p.as_ref())
    }

    /// The same keys, sealing new values with `cipher` (every cipher still opens).
    pub fn with_cipher(mut self, cipher: Cipher) -> Vault {
        self.cipher = cipher;
        self
    }

    /// The cipher new values are sealed with.
    pub fn cipher(&self) -> Cipher {
        self.cipher
    }

    /// Loads the master key from `ANWEI_VAULT_KEY` (hex) or the key file, creating the file
    /// (mode 0600) with 32 random bytes on first start; seals with `[vault] cipher`. Under
    /// `[vault] key_provider = "command"` the program wraps new data keys (its key id asked
    /// once here: a failure stops the start) and the master key keys the blind index and opens
    /// what it sealed before.
    pub fn load(cfg: &crate::config::Config) -> anyhow::Result<Vault> {
        let cipher = Cipher::parse(&cfg.vault.cipher)
            .ok_or_else(|| anyhow::anyhow!("vault.cipher must be sm4-gcm or xchacha20-poly1305"))?;
        let vault = Vault::load_master(cfg)?.with_cipher(cipher);
        match cfg.vault.key_provider.as_str() {
            "command" => {
                let c = CommandKey::start(
                    &cfg.vault.command,
                    &cfg.vault.command_args,
                    std::time::Duration::from_millis(cfg.vault.command_timeout_ms),
                )?;
                Ok(vault.wrapping_with(Box::new(c)))
            }
            _ => Ok(vault),
        }
    }

    fn load_master(cfg: &crate::config::Config) -> anyhow::Result<Vault> {
        if !cfg.vault_key.is_empty() {
            let key = Zeroizing::new(hex::decode(cfg.vault_key.trim())?);
            return Vault::new(&key);
        }
        let path = cfg.vault_key_path();
        if path.exists() {
            let text = Zeroizing::new(std::fs::read_to_string(&path)?);
            let key = Zeroizing::new(hex::decode(text.trim()).map_err(|_| {
                anyhow::anyhow!(
                    "保护数据主密钥文件损坏 / vault key file is not hex: {}",
                    path.display()
                )
            })?);
            return Vault::new(&key);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let key = Zeroizing::new(rand::random::<[u8; 32]>());
        crate::audit::chain::write_private(&path, hex::encode(*key).as_bytes())?;
        Vault::new(&*key)
    }

    /// Seals `plain` under a fresh data key; [`KeyUnavailable`] when the provider cannot wrap
    /// it (the local key never fails; an outside one can).
    pub fn seal(&self, plain: &str) -> Result<String, KeyUnavailable> {
        let c = self.cipher;
        let dek = c.data_key();
        let wrapped = self.provider.wrap(&dek).map_err(KeyUnavailable)?;
        let sealed = c.seal(&dek, plain.as_bytes());
        Ok(format!(
            "{}.{}.{}.{}",
            self.provider.key_id(),
            c.text_tag(),
            B64.encode(wrapped),
            B64.encode(sealed)
        ))
    }

    /// Opens a value [`Vault::seal`] made under this key, with either cipher.
    pub fn open(&self, sealed: &str) -> anyhow::Result<Zeroizing<String>> {
        let bad = || anyhow::anyhow!("a protected value cannot be opened (wrong key or altered)");
        let mut parts = sealed.split('.');
        let (Some(key_id), Some(tag), Some(wrapped), Some(body), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad());
        };
        let provider = self.provider_for(key_id).ok_or_else(bad)?;
        let c = Cipher::from_text_tag(tag).ok_or_else(bad)?;
        let wrapped = B64.decode(wrapped).map_err(|_| bad())?;
        let dek = provider.unwrap(&wrapped).map_err(|_| bad())?;
        let body = B64.decode(body).map_err(|_| bad())?;
        let plain = c.open(&dek, &body).ok_or_else(bad)?;
        Ok(Zeroizing::new(String::from_utf8(plain).map_err(|_| bad())?))
    }

    /// The blind index of a normalised value for `purpose` (e.g. `id_number`): equal values
    /// give equal indexes, and nothing else can be learnt from one.
    pub fn blind(&self, purpose: &str, normalised: &str) -> String {
        let mut m =
            <Hmac<Sm3> as hmac::KeyInit>::new_from_slice(&self.index_key).expect("any key length");
        m.update(purpose.as_bytes());
        m.update(&[0]);
        m.update(normalised.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }
}

/// A sealed file starts `ANWEI` ‖ key id (`v1`) ‖ a letter naming the cipher and framing:
/// `S` SM4-GCM with the local provider's 44-byte wrapped key (nonce 12 ‖ key 16 ‖ tag 16);
/// `G` SM4-GCM and `X` XChaCha20-Poly1305, each with a 2-byte big-endian length and then
/// the wrapped key (any provider).
const BYTES_MAGIC: &[u8; 5] = b"ANWEI";
/// The local provider's wrapped SM4 data key: nonce (12) ‖ key (16) ‖ tag (16).
const WRAPPED_LEN: usize = 12 + 16 + 16;

impl Vault {
    /// Seals the bytes of a file under a fresh data key, the same envelope as [`Vault::seal`]
    /// in binary: magic ‖ wrapped data key ‖ nonce ‖ ciphertext ‖ tag (e.g. `ANWEIv1S` ‖ 44
    /// bytes ‖ …). [`KeyUnavailable`] when the provider cannot wrap, like [`Vault::seal`].
    pub fn seal_bytes(&self, plain: &[u8]) -> Result<Vec<u8>, KeyUnavailable> {
        let c = self.cipher;
        let dek = c.data_key();
        let wrapped = self.provider.wrap(&dek).map_err(KeyUnavailable)?;
        let mut out = BYTES_MAGIC.to_vec();
        out.extend(self.provider.key_id().as_bytes());
        match c {
            Cipher::Sm4Gcm if wrapped.len() == WRAPPED_LEN => out.push(b'S'),
            _ => {
                out.push(if c == Cipher::Sm4Gcm { b'G' } else { b'X' });
                let len = u16::try_from(wrapped.len()).map_err(|_| {
                    KeyUnavailable(anyhow::anyhow!("a wrapped data key is too long"))
                })?;
                out.extend(len.to_be_bytes());
            }
        }
        out.extend(wrapped);
        out.extend(c.seal(&dek, plain));
        Ok(out)
    }

    /// Opens bytes [`Vault::seal_bytes`] made under this key, with either cipher.
    pub fn open_bytes(&self, sealed: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        let bad = || anyhow::anyhow!("a protected file cannot be opened (wrong key or altered)");
        let rest = sealed
            .strip_prefix(BYTES_MAGIC.as_slice())
            .ok_or_else(bad)?;
        // Key ids are letters and digits and none is a prefix of another (`vault/command.rs`).
        let (provider, rest) = std::iter::once(&self.provider)
            .chain(&self.earlier)
            .find_map(|p| Some((p, rest.strip_prefix(p.key_id().as_bytes())?)))
            .ok_or_else(bad)?;
        let (&letter, rest) = rest.split_first().ok_or_else(bad)?;
        let (c, wrapped_len, rest) = match letter {
            b'S' => (Cipher::Sm4Gcm, WRAPPED_LEN, rest),
            b'G' | b'X' => {
                let c = if letter == b'G' {
                    Cipher::Sm4Gcm
                } else {
                    Cipher::XChaCha20Poly1305
                };
                let (len, rest) = rest.split_at_checked(2).ok_or_else(bad)?;
                (c, usize::from(u16::from_be_bytes([len[0], len[1]])), rest)
            }
            _ => return Err(bad()),
        };
        let (wrapped, body) = rest.split_at_checked(wrapped_len).ok_or_else(bad)?;
        let dek = provider.unwrap(wrapped).map_err(|_| bad())?;
        Ok(Zeroizing::new(c.open(&dek, body).ok_or_else(bad)?))
    }
}
