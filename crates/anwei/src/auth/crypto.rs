//! Password hashing (argon2id), random secrets, token hashing and TOTP (RFC 6238).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let h = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(h.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A hash that verifies nothing, to spend the same time when the username is unknown.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("dummy-password-for-timing-Aa1!").unwrap_or_default())
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let b: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Constant-time comparison of two short strings.
pub fn ct_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    let mut buf: u64 = 0;
    let mut bits = 0;
    for &b in data {
        buf = (buf << 8) | b as u64;
        bits += 8;
        while bits >= 5 {
            out.push(B32[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(B32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf: u64 = 0;
    let mut bits = 0;
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = B32
            .iter()
            .position(|&x| x as char == c.to_ascii_uppercase())? as u64;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buf >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

pub fn new_totp_secret() -> String {
    let b: [u8; 20] = rand::random();
    base32_encode(&b)
}

/// The 6-digit code for a 30-second step.
pub fn totp_code(secret: &[u8], step: i64) -> String {
    let mut m = <Hmac<Sha1> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(&(step as u64).to_be_bytes());
    let h = m.finalize().into_bytes();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = ((h[off] as u32 & 0x7f) << 24)
        | ((h[off + 1] as u32) << 16)
        | ((h[off + 2] as u32) << 8)
        | h[off + 3] as u32;
    format!("{:06}", bin % 1_000_000)
}

/// Checks a code against the current step ±1; returns the matching step so it can't be
/// used twice.
pub fn totp_check(
    secret_b32: &str,
    code: &str,
    now_ms: i64,
    last_step: Option<i64>,
) -> Option<i64> {
    let secret = base32_decode(secret_b32)?;
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = now_ms.div_euclid(30_000);
    for s in [step - 1, step, step + 1] {
        if last_step.is_some_and(|l| s <= l) {
            continue;
        }
        if ct_eq(&totp_code(&secret, s), code) {
            return Some(s);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_the_rfc_6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        // RFC 6238 appendix B, truncated to 6 digits.
        assert_eq!(totp_code(secret, 59 / 30), "287082");
        assert_eq!(totp_code(secret, 1111111109 / 30), "081804");
        assert_eq!(totp_code(secret, 1234567890 / 30), "005924");
    }

    #[test]
    fn base32_round_trips() {
        let data = b"12345678901234567890";
        assert_eq!(base32_encode(data), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            base32_decode(&base32_encode(data)).as_deref(),
            Some(&data[..])
        );
    }

    #[test]
    fn a_totp_code_cannot_be_used_twice() {
        let secret = new_totp_secret();
        let raw = base32_decode(&secret).unwrap();
        let now = 1_700_000_000_000;
        let code = totp_code(&raw, now / 30_000);
        let step = totp_check(&secret, &code, now, None).unwrap();
        assert_eq!(totp_check(&secret, &code, now, Some(step)), None);
    }

    #[test]
    fn a_password_hash_verifies_only_its_password() {
        let h = hash_password("Correct-horse-1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Correct-horse-1", &h));
        assert!(!verify_password("Correct-horse-2", &h));
    }
}
