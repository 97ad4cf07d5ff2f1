//! 防刷验证: a proof-of-work on the public report form that needs no outside service.
//!
//! The form page (and `GET /api/v1/public/reports/challenge`) carries a **challenge** the
//! server signs: `<bits>.<expires at, ms>.<random>.<HMAC-SHA256, 128 bits>`, the HMAC under a key
//! derived from the vault's index key (so every instance sharing the vault key accepts the
//! others' challenges, and nothing new has to be kept). The page's own script
//! (`/assets/pow.js`, no outside resource) finds a **nonce** such that
//! SHA-256(`<challenge>:<nonce>`) starts with `bits` zero bits (hashcash) and puts it in a
//! hidden field before the form is sent.
//!
//! A submission with a valid solution counts against the larger per-IP budget
//! (`[reports] pow_per_minute`); one without a solution (no script, an old client) still
//! works and counts against the strict `public_per_minute` it shares with receipt-code
//! look-ups, so the limits hold without the script. A wrong, expired or reused solution is
//! refused (422, field `pow`). Each solution is accepted once **across every instance**: the
//! spent challenge's signature is kept in the database (`report_pow_spent`, migration 0030)
//! until the challenge expires; expired rows are pruned on every spend, so the table holds only
//! challenges still within their lifetime (`[reports] pow_minutes`).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::limiter::LoginLimiter;

/// A challenge to solve.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Challenge {
    /// The signed challenge, sent back as `pow.challenge`.
    pub challenge: String,
    /// Leading zero bits SHA-256(`challenge:nonce`) must have.
    pub bits: u32,
    /// When it stops being accepted (ms since the epoch).
    pub expires_at: i64,
}

/// A solution: `pow: {"challenge", "nonce"}` in `POST /api/v1/public/reports`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Solution {
    #[serde(default)]
    pub challenge: String,
    /// Letters and digits, at most 32.
    #[serde(default)]
    pub nonce: String,
}

/// The budget of solved submissions per address, in memory (the address is never stored).
#[derive(Default)]
pub struct PowCache {
    solved: LoginLimiter,
}

fn key(state: &AppState) -> Vec<u8> {
    state.vault.blind("report_pow_key", "v1").into_bytes()
}

fn mac(state: &AppState, payload: &str) -> Hmac<Sha256> {
    let mut m =
        <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&key(state)).expect("any key length");
    m.update(payload.as_bytes());
    m
}

/// Checks `[reports] pow_bits` (1–32), `pow_minutes` (1–1440) and `pow_per_minute` (≥ 1) at
/// start-up: the setting's name and what is wrong.
pub fn check_settings(
    r: &crate::config::ReportsConfig,
) -> Result<(), (&'static str, &'static str)> {
    if !(1..=32).contains(&r.pow_bits) {
        return Err(("reports.pow_bits", "must be between 1 and 32"));
    }
    if !(1..=1440).contains(&r.pow_minutes) {
        return Err(("reports.pow_minutes", "must be between 1 and 1440"));
    }
    if r.pow_per_minute == 0 {
        return Err(("reports.pow_per_minute", "must be positive"));
    }
    Ok(())
}

/// A fresh challenge with the configured difficulty and lifetime.
pub fn issue(state: &AppState) -> Challenge {
    issue_at(state, crate::db::now_ms())
}

/// A challenge as if issued at `now_ms` (tests issue one already expired).
pub fn issue_at(state: &AppState, now_ms: i64) -> Challenge {
    let r = &state.cfg.reports;
    let bits = r.pow_bits;
    let expires_at = now_ms + i64::from(r.pow_minutes) * 60_000;
    let payload = format!(
        "{bits}.{expires_at}.{}",
        hex::encode(rand::random::<[u8; 16]>())
    );
    // The MAC cut to 128 bits keeps the challenge within two SHA-256 blocks.
    let tag = hex::encode(&mac(state, &payload).finalize().into_bytes()[..16]);
    Challenge {
        challenge: format!("{payload}.{tag}"),
        bits,
        expires_at,
    }
}

/// Leading zero bits of `hash`.
pub fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut n = 0;
    for b in hash {
        if *b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

/// SHA-256(`challenge:nonce`) has at least `bits` leading zero bits.
pub fn solves(challenge: &str, nonce: &str, bits: u32) -> bool {
    let h = Sha256::new()
        .chain_update(challenge.as_bytes())
        .chain_update(b":")
        .chain_update(nonce.as_bytes())
        .finalize();
    leading_zero_bits(&h) >= bits
}

/// The first nonce (decimal, from 0) that solves `c`, as the page's script finds it.
pub fn solve(c: &Challenge) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| solves(&c.challenge, n, c.bits))
        .expect("some nonce solves it")
}

fn refused(key: &'static str) -> AppError {
    AppError::field("pow", Msg::new(key))
}

/// Checks a solution and spends it (its own short transaction): 422 (`pow`) when it is not
/// one of ours, does not solve its challenge, has expired or was used before, here or on
/// another instance.
pub async fn verify(state: &AppState, s: &Solution) -> AppResult<()> {
    let invalid = || refused("reports.pow_invalid");
    let (payload, tag) = s.challenge.rsplit_once('.').ok_or_else(invalid)?;
    let tag = hex::decode(tag).map_err(|_| invalid())?;
    if tag.len() != 16 {
        return Err(invalid());
    }
    mac(state, payload)
        .verify_truncated_left(&tag)
        .map_err(|_| invalid())?;
    let mut parts = payload.split('.');
    let bits: u32 = parts
        .next()
        .and_then(|b| b.parse().ok())
        .ok_or_else(invalid)?;
    let expires_at: i64 = parts
        .next()
        .and_then(|e| e.parse().ok())
        .ok_or_else(invalid)?;
    let nonce_ok = !s.nonce.is_empty()
        && s.nonce.len() <= 32
        && s.nonce.bytes().all(|b| b.is_ascii_alphanumeric());
    if !nonce_ok || !solves(&s.challenge, &s.nonce, bits) {
        return Err(invalid());
    }
    let now = crate::db::now_ms();
    if expires_at <= now {
        return Err(refused("reports.pow_expired"));
    }
    let mut tx = state.db.begin().await?;
    if !super::store::spend_challenge(&mut tx, &hex::encode(&tag), expires_at, now).await? {
        return Err(refused("reports.pow_used"));
    }
    tx.commit().await?;
    Ok(())
}

/// Before a public submission's body is read: 429 when `ip` has used up both budgets this
/// minute (the strict one and the one for solved challenges), so an address past its limits
/// cannot make the server read upload-sized bodies it will refuse anyway. Counts nothing:
/// [`admit`] counts once the body says which budget applies.
pub fn gate(state: &AppState, ip: &str) -> AppResult<()> {
    let r = &state.cfg.reports;
    let solved = &state.caches.get::<PowCache>().solved;
    if super::service::public_spent(state, ip) && solved.spent(ip, r.pow_per_minute) {
        return Err(AppError::TooManyRequests(Msg::new("reports.too_many")));
    }
    Ok(())
}

/// Admits one public submission from `ip`: with a solution, verified and counted against
/// `pow_per_minute`; without, counted against the strict `public_per_minute`.
pub async fn admit(state: &AppState, ip: &str, pow: Option<&Solution>) -> AppResult<()> {
    let Some(s) = pow else {
        return super::service::limit_public(state, ip);
    };
    verify(state, s).await?;
    let cache = state.caches.get::<PowCache>();
    if cache
        .solved
        .allow_at_most(ip, state.cfg.reports.pow_per_minute)
    {
        Ok(())
    } else {
        Err(AppError::TooManyRequests(Msg::new("reports.too_many")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_bits_are_counted_from_the_first_byte() {
        assert_eq!(leading_zero_bits(&[0, 0, 0x80]), 16);
        assert_eq!(leading_zero_bits(&[0, 0x0F]), 12);
        assert_eq!(leading_zero_bits(&[0xFF]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn a_solution_has_the_zero_bits_and_a_changed_challenge_loses_them() {
        let c = Challenge {
            challenge: "8.1.abc.def".into(),
            bits: 8,
            expires_at: 1,
        };
        let n = solve(&c);
        assert!(solves(&c.challenge, &n, 8));
        let h = Sha256::digest(format!("{}:{n}", c.challenge).as_bytes());
        assert_eq!(h[0], 0);
        assert!(!(0..50).all(|i| solves("8.1.abc.deg", &i.to_string(), 8)));
    }
}
