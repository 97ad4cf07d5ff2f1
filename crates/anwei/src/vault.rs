//! Protected personal data at rest (SECURITY.md, "Protected personal data"): ID numbers of
//! people, and next the identities of those who report hazards.
//!
//! **Envelope encryption.** Each value gets its own random data key; the value is sealed with
//! SM4-GCM (GB/T 32907 block cipher in GCM, RFC 8998) under that key, and the data key is
//! sealed under the master key. A sealed value is text:
//! `v1.sm4gcm.<wrapped data key>.<sealed value>` (each part base64url: a 12-byte nonce, then
//! the ciphertext and its 16-byte tag), so the algorithm and key version travel with it.
//! **Blind index.** An exact lookup (the same ID number again) compares HMAC-SM3 of the
//! normalised value under a key derived from the master key, never the value.
//!
//! The master key is 32 random bytes, hex, in `vault_key_file` (default `<data_dir>/vault.key`,
//! created mode 0600 on first start) or `ANWEI_VAULT_KEY`. Back it up apart from the database:
//! without it nothing sealed can be read; with the database alone nothing can.

use aes_gcm::AesGcm;
use aes_gcm::aead::{Aead, KeyInit};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sm3::Sm3;
use sm4::cipher::consts::U12;
use zeroize::Zeroizing;

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

const PREFIX: &str = "v1.sm4gcm.";

/// The master key and what is derived from it.
pub struct Vault {
    /// The key-encryption key: the first 16 bytes of the master key.
    kek: Zeroizing<[u8; 16]>,
    /// HMAC-SM3(master, "anwei blind index v1").
    index_key: Zeroizing<Vec<u8>>,
}

impl Vault {
    pub fn new(master: &[u8]) -> anyhow::Result<Vault> {
        if master.len() < 32 {
            anyhow::bail!("保护数据主密钥过短 / the vault key must be at least 32 bytes");
        }
        let mut kek = Zeroizing::new([0u8; 16]);
        kek.copy_from_slice(&master[..16]);
        let mut m = <Hmac<Sm3> as hmac::KeyInit>::new_from_slice(master).expect("any key length");
        m.update(b"anwei blind index v1");
        let index_key = Zeroizing::new(m.finalize().into_bytes().to_vec());
        Ok(Vault { kek, index_key })
    }

    /// Loads the master key from `ANWEI_VAULT_KEY` (hex) or the key file, creating the file
    /// (mode 0600) with 32 random bytes on first start.
    pub fn load(cfg: &crate::config::Config) -> anyhow::Result<Vault> {
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

    /// Seals `plain` under a fresh data key.
    pub fn seal(&self, plain: &str) -> String {
        let dek = Zeroizing::new(rand::random::<[u8; 16]>());
        let wrapped = seal_with(&self.kek, &*dek);
        let sealed = seal_with(&dek, plain.as_bytes());
        format!("{PREFIX}{}.{}", B64.encode(wrapped), B64.encode(sealed))
    }

    /// Opens a value [`Vault::seal`] made with this master key.
    pub fn open(&self, sealed: &str) -> anyhow::Result<Zeroizing<String>> {
        let bad = || anyhow::anyhow!("a protected value cannot be opened (wrong key or altered)");
        let rest = sealed.strip_prefix(PREFIX).ok_or_else(bad)?;
        let (wrapped, body) = rest.split_once('.').ok_or_else(bad)?;
        let wrapped = B64.decode(wrapped).map_err(|_| bad())?;
        let dek = Zeroizing::new(open_with(&self.kek, &wrapped).ok_or_else(bad)?);
        let dek: [u8; 16] = dek.as_slice().try_into().map_err(|_| bad())?;
        let body = B64.decode(body).map_err(|_| bad())?;
        let plain = open_with(&dek, &body).ok_or_else(bad)?;
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

/// The magic of a sealed file: `ANWEIv1S` (SM4-GCM, master key version 1).
const BYTES_MAGIC: &[u8; 8] = b"ANWEIv1S";
/// A wrapped data key: nonce (12) ‖ key (16) ‖ tag (16).
const WRAPPED_LEN: usize = 12 + 16 + 16;

impl Vault {
    /// Seals the bytes of a file under a fresh data key, the same envelope as [`Vault::seal`]
    /// in binary: `ANWEIv1S` ‖ wrapped data key (44 bytes) ‖ nonce ‖ ciphertext ‖ tag.
    pub fn seal_bytes(&self, plain: &[u8]) -> Vec<u8> {
        let dek = Zeroizing::new(rand::random::<[u8; 16]>());
        let mut out = BYTES_MAGIC.to_vec();
        out.extend(seal_with(&self.kek, &*dek));
        out.extend(seal_with(&dek, plain));
        out
    }

    /// Opens bytes [`Vault::seal_bytes`] made with this master key.
    pub fn open_bytes(&self, sealed: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        let bad = || anyhow::anyhow!("a protected file cannot be opened (wrong key or altered)");
        let rest = sealed.strip_prefix(BYTES_MAGIC).ok_or_else(bad)?;
        if rest.len() < WRAPPED_LEN {
            return Err(bad());
        }
        let (wrapped, body) = rest.split_at(WRAPPED_LEN);
        let dek = Zeroizing::new(open_with(&self.kek, wrapped).ok_or_else(bad)?);
        let dek: [u8; 16] = dek.as_slice().try_into().map_err(|_| bad())?;
        Ok(Zeroizing::new(open_with(&dek, body).ok_or_else(bad)?))
    }
}

/// nonce (12, random) ‖ ciphertext ‖ tag (16).
fn seal_with(key: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    let cipher = Sm4Gcm::new(key.into());
    let nonce: [u8; 12] = rand::random();
    let mut out = nonce.to_vec();
    out.extend(
        cipher
            .encrypt(&nonce.into(), plain)
            .expect("SM4-GCM takes any plaintext of this size"),
    );
    out
}

fn open_with(key: &[u8; 16], sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < 12 + 16 {
        return None;
    }
    let (nonce, body) = sealed.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    Sm4Gcm::new(key.into()).decrypt(&nonce.into(), body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::Payload;

    /// RFC 8998 appendix A.1: SM4-GCM.
    #[test]
    fn sm4_gcm_matches_the_rfc_8998_vector() {
        let key = hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap();
        let nonce: [u8; 12] = hex::decode("00001234567800000000ABCD")
            .unwrap()
            .try_into()
            .unwrap();
        let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").unwrap();
        let plain = hex::decode(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        )
        .unwrap();
        let key: [u8; 16] = key.try_into().unwrap();
        let out = Sm4Gcm::new(&key.into())
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .unwrap();
        assert_eq!(
            hex::encode_upper(out),
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D83DE3541E4C2B58177E065A9BF7B62EC"
        );
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_only_and_never_shows_the_plaintext() {
        let v = Vault::new(&[7u8; 32]).unwrap();
        let a = v.seal("22050219900101123X");
        let b = v.seal("22050219900101123X");
        assert_ne!(a, b, "a fresh data key and nonce each time");
        assert!(!a.contains("1990"), "{a}");
        assert_eq!(&*v.open(&a).unwrap(), "22050219900101123X");
        let other = Vault::new(&[8u8; 32]).unwrap();
        assert!(other.open(&a).is_err(), "another master key opens nothing");
        let mut altered = a.clone();
        altered.pop();
        altered.push(if a.ends_with('A') { 'B' } else { 'A' });
        assert!(v.open(&altered).is_err(), "an altered value is refused");
        assert_eq!(v.blind("id", "x"), v.blind("id", "x"));
        assert_ne!(v.blind("id", "x"), v.blind("phone", "x"));
        assert_ne!(v.blind("id", "x"), other.blind("id", "x"));
    }

    #[test]
    fn sealed_bytes_open_with_their_key_only() {
        let v = Vault::new(&[7u8; 32]).unwrap();
        let plain = b"%PDF-1.4 marker-plain-bytes %%EOF".to_vec();
        let a = v.seal_bytes(&plain);
        assert_ne!(
            a,
            v.seal_bytes(&plain),
            "a fresh data key and nonce each time"
        );
        assert!(!a.windows(12).any(|w| w == b"marker-plain"));
        assert_eq!(&*v.open_bytes(&a).unwrap(), &plain);
        assert!(Vault::new(&[8u8; 32]).unwrap().open_bytes(&a).is_err());
        let mut altered = a.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(
            v.open_bytes(&altered).is_err(),
            "an altered file is refused"
        );
        assert!(
            v.open_bytes(&a[..20]).is_err(),
            "a truncated file is refused"
        );
    }
}
