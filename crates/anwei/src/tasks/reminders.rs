//! Reminders (催办): to the assignee at the lead time and on the day an assignment goes
//! overdue, a daily digest to the committee office, and an optional DingTalk / WeCom robot
//! webhook. Each reminder is a job with a de-duplication key, so several instances never
//! send the same reminder twice.

use crate::app::AppState;

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub due_soon: usize,
    pub overdue: usize,
}

/// Finds assignments entering the lead time or going overdue today and enqueues their
/// reminders (once each).
pub async fn sweep(_state: &AppState) -> anyhow::Result<SweepReport> {
    anyhow::bail!("reminder sweep not built yet")
}

/// Runs one reminder-family job (`reminder.*`, `digest.*`, `webhook.*`).
pub async fn run(
    _state: &AppState,
    kind: &str,
    _payload: &serde_json::Value,
) -> anyhow::Result<()> {
    anyhow::bail!("job kind {kind} not built yet")
}
