//! The value ciphers of the vault: SM4-GCM (GB/T 32907 in GCM, RFC 8998; the default) and
//! XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), chosen by `[vault] cipher`. Each sealed value
//! names its cipher, so both always open whatever the setting.

use aes_gcm::AesGcm;
use aes_gcm::aead::{Aead, KeyInit};
use chacha20poly1305::XChaCha20Poly1305;
use sm4::cipher::consts::U12;

pub(super) type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// A value cipher (AEAD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// SM4-GCM: 16-byte key, 12-byte random nonce, 16-byte tag.
    Sm4Gcm,
    /// XChaCha20-Poly1305: 32-byte key, 24-byte random nonce, 16-byte tag.
    XChaCha20Poly1305,
}

impl Cipher {
    pub const ALL: [Cipher; 2] = [Cipher::Sm4Gcm, Cipher::XChaCha20Poly1305];

    /// From the configuration's name: `sm4-gcm` or `xchacha20-poly1305`.
    pub fn parse(name: &str) -> Option<Cipher> {
        Cipher::ALL.into_iter().find(|c| c.config_name() == name)
    }

    pub fn config_name(self) -> &'static str {
        match self {
            Cipher::Sm4Gcm => "sm4-gcm",
            Cipher::XChaCha20Poly1305 => "xchacha20-poly1305",
        }
    }

    /// Its name in a sealed text value (`v1.sm4gcm.…`, `v1.xchacha20poly1305.…`).
    pub(super) fn text_tag(self) -> &'static str {
        match self {
            Cipher::Sm4Gcm => "sm4gcm",
            Cipher::XChaCha20Poly1305 => "xchacha20poly1305",
        }
    }

    pub(super) fn from_text_tag(tag: &str) -> Option<Cipher> {
        Cipher::ALL.into_iter().find(|c| c.text_tag() == tag)
    }

    pub(super) fn key_len(self) -> usize {
        match self {
            Cipher::Sm4Gcm => 16,
            Cipher::XChaCha20Poly1305 => 32,
        }
    }

    fn nonce_len(self) -> usize {
        match self {
            Cipher::Sm4Gcm => 12,
            Cipher::XChaCha20Poly1305 => 24,
        }
    }

    /// A fresh random data key for this cipher.
    pub(super) fn data_key(self) -> zeroize::Zeroizing<Vec<u8>> {
        let k: zeroize::Zeroizing<[u8; 32]> = zeroize::Zeroizing::new(rand::random());
        zeroize::Zeroizing::new(k[..self.key_len()].to_vec())
    }

    /// nonce (random) ‖ ciphertext ‖ tag. `key` has [`Cipher::key_len`] bytes.
    pub(super) fn seal(self, key: &[u8], plain: &[u8]) -> Vec<u8> {
        match self {
            Cipher::Sm4Gcm => {
                let key: &[u8; 16] = key.try_into().expect("an SM4 key is 16 bytes");
                let nonce: [u8; 12] = rand::random();
                let mut out = nonce.to_vec();
                out.extend(
                    Sm4Gcm::new(key.into())
                        .encrypt(&nonce.into(), plain)
                        .expect("SM4-GCM takes any plaintext of this size"),
                );
                out
            }
            Cipher::XChaCha20Poly1305 => {
                let key: &[u8; 32] = key.try_into().expect("an XChaCha20 key is 32 bytes");
                let nonce: [u8; 24] = rand::random();
                let mut out = nonce.to_vec();
                out.extend(
                    XChaCha20Poly1305::new(key.into())
                        .encrypt(&nonce.into(), plain)
                        .expect("XChaCha20-Poly1305 takes any plaintext of this size"),
                );
                out
            }
        }
    }

    /// Opens what [`Cipher::seal`] made; `None` when the key is wrong or anything was altered.
    pub(super) fn open(self, key: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if key.len() != self.key_len() || sealed.len() < self.nonce_len() + 16 {
            return None;
        }
        let (nonce, body) = sealed.split_at(self.nonce_len());
        match self {
            Cipher::Sm4Gcm => {
                let key: &[u8; 16] = key.try_into().ok()?;
                let nonce: [u8; 12] = nonce.try_into().ok()?;
                Sm4Gcm::new(key.into()).decrypt(&nonce.into(), body).ok()
            }
            Cipher::XChaCha20Poly1305 => {
                let key: &[u8; 32] = key.try_into().ok()?;
                let nonce: [u8; 24] = nonce.try_into().ok()?;
                XChaCha20Poly1305::new(key.into())
                    .decrypt(&nonce.into(), body)
                    .ok()
            }
        }
    }
}
