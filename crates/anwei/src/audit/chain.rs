//! The chain's arithmetic: canonical encoding of a record and its MAC.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sm3::Sm3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Denied,
    Failed,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

#[derive(Clone)]
pub enum Algo {
    HmacSm3,
    HmacSha256,
}

/// The chain key. Never stored in the database; never printed.
#[derive(Clone)]
pub struct AuditKey {
    key: Vec<u8>,
    algo: Algo,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(<redacted>)")
    }
}

/// The fields of one record that the MAC covers, in a fixed order.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub outcome: String,
    pub request_id: String,
    pub ip: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditKey {
    pub fn new(key: Vec<u8>, algo_name: &str) -> AuditKey {
        let algo = if algo_name == "hmac-sha256" {
            Algo::HmacSha256
        } else {
            Algo::HmacSm3
        };
        AuditKey { key, algo }
    }

    /// Loads the key from configuration (hex) or the key file, creating the file (mode
    /// 0600) with 32 random bytes on first start.
    pub fn load(cfg: &crate::config::Config) -> anyhow::Result<AuditKey> {
        if !cfg.audit_key.is_empty() {
            return Ok(AuditKey::new(hex::decode(&cfg.audit_key)?, &cfg.audit_hash));
        }
        let path = cfg.audit_key_path();
        if path.exists() {
            let text = std::fs::read_to_string(&path)?;
            let key = hex::decode(text.trim()).map_err(|_| {
                anyhow::anyhow!(
                    "审计密钥文件损坏 / audit key file is not hex: {}",
                    path.display()
                )
            })?;
            if key.len() < 32 {
                anyhow::bail!(
                    "审计密钥过短 / audit key must be at least 32 bytes: {}",
                    path.display()
                );
            }
            return Ok(AuditKey::new(key, &cfg.audit_hash));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let key: [u8; 32] = rand::random();
        write_private(&path, hex::encode(key).as_bytes())?;
        Ok(AuditKey::new(key.to_vec(), &cfg.audit_hash))
    }

    /// A keyed pseudonym of a text that must not be kept (a username that matched no
    /// account may be a password typed into the wrong field): the same text gives the same
    /// pseudonym, so repeated attempts can be told apart and counted, but the text cannot be
    /// read back or searched for without the key.
    pub fn pseudonym(&self, purpose: &str, text: &str) -> String {
        let mut data = Vec::with_capacity(purpose.len() + text.len() + 1);
        data.extend_from_slice(purpose.as_bytes());
        data.push(0);
        data.extend_from_slice(text.as_bytes());
        let mut h = self.mac_bytes(&data);
        h.truncate(16);
        h
    }

    pub fn mac(&self, prev_hash: &str, row: &AuditRow) -> String {
        self.mac_bytes(&canonical(prev_hash, row))
    }

    fn mac_bytes(&self, data: &[u8]) -> String {
        match self.algo {
            Algo::HmacSm3 => {
                let mut m = <Hmac<Sm3> as KeyInit>::new_from_slice(&self.key)
                    .expect("HMAC takes any key length");
                m.update(data);
                hex::encode(m.finalize().into_bytes())
            }
            Algo::HmacSha256 => {
                let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
                    .expect("HMAC takes any key length");
                m.update(data);
                hex::encode(m.finalize().into_bytes())
            }
        }
    }
}

fn canonical(prev_hash: &str, r: &AuditRow) -> Vec<u8> {
    // Unit separators cannot appear unescaped in our fields' meaning; lengths make the
    // encoding unambiguous anyway.
    let fields: [&str; 11] = [
        prev_hash,
        &r.seq.to_string(),
        &r.at.to_string(),
        &r.actor_id.map(|i| i.to_string()).unwrap_or_default(),
        &r.actor_name,
        &r.action,
        &r.target_type,
        &r.target_id,
        &r.outcome,
        &r.request_id,
        &r.ip,
    ];
    let mut out = Vec::with_capacity(256 + r.detail.len());
    for f in fields.iter().chain(std::iter::once(&r.detail.as_str())) {
        out.extend_from_slice(&(f.len() as u32).to_be_bytes());
        out.extend_from_slice(f.as_bytes());
    }
    out
}

#[cfg(unix)]
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Break {
    /// The record's fields no longer match its hash.
    Altered { seq: i64 },
    /// A sequence number is missing: records were deleted.
    Missing { expected: i64, found: i64 },
    /// The record does not follow the one before it: inserted or reordered.
    Unlinked { seq: i64 },
    /// The chain ends before the head says it does: the tail was removed.
    Truncated { last_seq: i64, head_seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Altered { seq } => write!(f, "第 {seq} 条记录被篡改 / record {seq} was altered"),
            Break::Missing { expected, found } => {
                write!(
                    f,
                    "第 {expected} 条记录缺失（下一条为 {found}）/ record {expected} is missing (next present: {found}): deleted"
                )
            }
            Break::Unlinked { seq } => write!(
                f,
                "第 {seq} 条记录与前一条不衔接 / record {seq} does not follow its predecessor: inserted or reordered"
            ),
            Break::Truncated { last_seq, head_seq } => {
                write!(
                    f,
                    "链在第 {last_seq} 条结束，但链头为第 {head_seq} 条 / chain ends at {last_seq} but the head says {head_seq}: records removed"
                )
            }
        }
    }
}

/// Walks records in `seq` order. Feed every row, then `finish` with the head.
pub struct Verifier<'a> {
    key: &'a AuditKey,
    expected: i64,
    prev: String,
    pub checked: u64,
}

impl<'a> Verifier<'a> {
    pub fn new(key: &'a AuditKey) -> Self {
        Verifier {
            key,
            expected: 1,
            prev: String::new(),
            checked: 0,
        }
    }
    pub fn feed(&mut self, row: &AuditRow) -> Result<(), Break> {
        if row.seq != self.expected {
            return Err(if row.seq > self.expected {
                Break::Missing {
                    expected: self.expected,
                    found: row.seq,
                }
            } else {
                Break::Unlinked { seq: row.seq }
            });
        }
        if self.key.mac(&row.prev_hash, row) != row.hash {
            return Err(Break::Altered { seq: row.seq });
        }
        if row.prev_hash != self.prev {
            return Err(Break::Unlinked { seq: row.seq });
        }
        self.prev = row.hash.clone();
        self.expected += 1;
        self.checked += 1;
        Ok(())
    }
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), Break> {
        let last = self.expected - 1;
        if head_seq != last || head_hash != self.prev {
            return Err(Break::Truncated {
                last_seq: last,
                head_seq,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, prev: &str, key: &AuditKey) -> AuditRow {
        let mut r = AuditRow {
            seq,
            at: 1_700_000_000_000 + seq,
            actor_id: Some(1),
            actor_name: "admin".into(),
            action: "account.create".into(),
            target_type: "account".into(),
            target_id: seq.to_string(),
            outcome: "ok".into(),
            request_id: "r".into(),
            ip: "127.0.0.1".into(),
            detail: "{}".into(),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        r.hash = key.mac(prev, &r);
        r
    }

    fn chain(n: i64, key: &AuditKey) -> Vec<AuditRow> {
        let mut out: Vec<AuditRow> = Vec::new();
        for i in 1..=n {
            let prev = out.last().map(|r| r.hash.clone()).unwrap_or_default();
            out.push(row(i, &prev, key));
        }
        out
    }

    fn verify(rows: &[AuditRow], head: (i64, &str), key: &AuditKey) -> Result<(), Break> {
        let mut v = Verifier::new(key);
        for r in rows {
            v.feed(r)?;
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn an_untouched_chain_verifies_with_both_algorithms() {
        for algo in ["hmac-sm3", "hmac-sha256"] {
            let key = AuditKey::new(vec![7; 32], algo);
            let rows = chain(5, &key);
            assert_eq!(verify(&rows, (5, &rows[4].hash), &key), Ok(()));
        }
    }

    #[test]
    fn an_edited_field_is_named_as_altered() {
        let key = AuditKey::new(vec![7; 32], "hmac-sm3");
        let mut rows = chain(5, &key);
        rows[2].actor_name = "someone else".into();
        let head = rows[4].hash.clone();
        assert_eq!(
            verify(&rows, (5, &head), &key),
            Err(Break::Altered { seq: 3 })
        );
    }

    #[test]
    fn a_deleted_record_is_named_as_missing() {
        let key = AuditKey::new(vec![7; 32], "hmac-sm3");
        let mut rows = chain(5, &key);
        rows.remove(1);
        let head = rows[3].hash.clone();
        assert_eq!(
            verify(&rows, (5, &head), &key),
            Err(Break::Missing {
                expected: 2,
                found: 3
            })
        );
    }

    #[test]
    fn a_removed_tail_is_named_as_truncation() {
        let key = AuditKey::new(vec![7; 32], "hmac-sm3");
        let rows = chain(5, &key);
        let head = rows[4].hash.clone();
        assert_eq!(
            verify(&rows[..3], (5, &head), &key),
            Err(Break::Truncated {
                last_seq: 3,
                head_seq: 5
            })
        );
    }

    #[test]
    fn swapping_two_records_and_renumbering_is_detected() {
        let key = AuditKey::new(vec![7; 32], "hmac-sm3");
        let mut rows = chain(5, &key);
        rows.swap(1, 2);
        rows[1].seq = 2;
        rows[2].seq = 3;
        let head = rows[4].hash.clone();
        assert_eq!(
            verify(&rows, (5, &head), &key),
            Err(Break::Altered { seq: 2 })
        );
    }

    #[test]
    fn a_chain_made_with_another_key_does_not_verify() {
        let key = AuditKey::new(vec![7; 32], "hmac-sm3");
        let other = AuditKey::new(vec![8; 32], "hmac-sm3");
        let rows = chain(2, &other);
        assert_eq!(
            verify(&rows, (2, &rows[1].hash), &key),
            Err(Break::Altered { seq: 1 })
        );
    }
}
