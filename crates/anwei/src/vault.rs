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
//! takes its place through [`KeyProvider`] (see `vault/provider.rs`).

mod cipher;
mod provider;
#[cfg(test)]
mod tests;

pub use cipher::Cipher;
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
}

impl Default for VaultConfig {
    fn default() -> Self {
        VaultConfig {
            cipher: Cipher::Sm4Gcm.config_name().into(),
        }
    }
}

/// The key provider, the cipher new values are sealed with, and the blind-index key.
pub struct Vault {
    provider: Box<dyn KeyProvider>,
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
            cipher,
            index_key,
        }
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
    /// (mode 0600) with 32 random bytes on first start; seals with `[vault] cipher`.
    pub fn load(cfg: &crate::config::Config) -> anyhow::Result<Vault> {
        let cipher = Cipher::parse(&cfg.vault.cipher)
            .ok_or_else(|| anyhow::anyhow!("vault.cipher must be sm4-gcm or xchacha20-poly1305"))?;
        Ok(Vault::load_master(cfg)?.with_cipher(cipher))
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

    /// Seals `plain` under a fresh data key. Panics only if the key provider fails (the local
    /// key never does); a remote provider's callers use [`Vault::try_seal`].
    pub fn seal(&self, plain: &str) -> String {
        self.try_seal(plain)
            .expect("the key provider wraps a data key")
    }

    /// [`Vault::seal`], with the provider's failure as an error.
    pub fn try_seal(&self, plain: &str) -> anyhow::Result<String> {
        let c = self.cipher;
        let dek = c.data_key();
        let wrapped = self.provider.wrap(&dek)?;
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
        if key_id != self.provider.key_id() {
            return Err(bad());
        }
        let c = Cipher::from_text_tag(tag).ok_or_else(bad)?;
        let wrapped = B64.decode(wrapped).map_err(|_| bad())?;
        let dek = self.provider.unwrap(&wrapped).map_err(|_| bad())?;
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
    /// bytes ‖ …). Panics only if the key provider fails, like [`Vault::seal`].
    pub fn seal_bytes(&self, plain: &[u8]) -> Vec<u8> {
        self.try_seal_bytes(plain)
            .expect("the key provider wraps a data key")
    }

    /// [`Vault::seal_bytes`], with the provider's failure as an error.
    pub fn try_seal_bytes(&self, plain: &[u8]) -> anyhow::Result<Vec<u8>> {
        let c = self.cipher;
        let dek = c.data_key();
        let wrapped = self.provider.wrap(&dek)?;
        let mut out = BYTES_MAGIC.to_vec();
        out.extend(self.provider.key_id().as_bytes());
        match c {
            Cipher::Sm4Gcm if wrapped.len() == WRAPPED_LEN => out.push(b'S'),
            _ => {
                out.push(if c == Cipher::Sm4Gcm { b'G' } else { b'X' });
                let len = u16::try_from(wrapped.len())
                    .map_err(|_| anyhow::anyhow!("a wrapped data key is too long"))?;
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
            .and_then(|r| r.strip_prefix(self.provider.key_id().as_bytes()))
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
        let dek = self.provider.unwrap(wrapped).map_err(|_| bad())?;
        Ok(Zeroizing::new(c.open(&dek, body).ok_or_else(bad)?))
    }
}
