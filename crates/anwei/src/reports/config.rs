//! `[reports]` settings, kept with the capability (re-exported as
//! `crate::config::ReportsConfig`).

use serde::{Deserialize, Serialize};

/// `[reports]`: 安全生产举报. The verification and answer periods are the office's practice
/// (no national figure binds them), so they are configuration with these defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsConfig {
    /// Days the competent department has to verify a routed report (核查时限).
    pub verify_days: u32,
    /// Days after verification to answer the reporter (答复时限).
    pub answer_days: u32,
    /// Public submissions and receipt-code look-ups allowed per client IP per minute (in
    /// memory, per instance; the IP is never stored with a report).
    pub public_per_minute: u32,
    /// `[reports.reward]`: 举报奖励 amounts (安监总财〔2018〕19号 national defaults: 15% of the
    /// fine, 3,000 to 300,000 yuan; 30,000 / 40,000 / 50,000 / 60,000 yuan per verified
    /// concealed death by grade, at most 300,000), all configurable.
    pub reward: anwei_rules::reward::RewardRules,
    /// Most files one report may carry, with its follow-up messages (举报附件; each request
    /// is also bound by `[uploads] max_files` and `max_file_bytes`).
    pub max_attachments: usize,
    /// Days an approved extension (延期) adds to the verification deadline.
    pub extension_days: u32,
    /// Extensions a report may have approved (or pending) at most.
    pub max_extensions: u32,
    /// Proof-of-work (`reports::pow`): zero bits (17: about a second on a phone), a
    /// challenge's lifetime in minutes, and submissions per IP per minute with a solution.
    pub pow_bits: u32,
    pub pow_minutes: u32,
    pub pow_per_minute: u32,
}

impl Default for ReportsConfig {
    fn default() -> Self {
        ReportsConfig {
            verify_days: anwei_rules::report::DEFAULT_VERIFY_DAYS,
            answer_days: anwei_rules::report::DEFAULT_ANSWER_DAYS,
            public_per_minute: 10,
            reward: anwei_rules::reward::RewardRules::default(),
            max_attachments: 20,
            extension_days: 30,
            max_extensions: 1,
            pow_bits: 17,
            pow_minutes: 30,
            pow_per_minute: 60,
        }
    }
}
