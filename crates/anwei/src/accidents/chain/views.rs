//! The chain as the API and the pages show it: each hop with its live clock.

use anwei_rules::accident::chain::{self, Clock, Notified, ReportLevel};
use chrono::DateTime;
use serde::Serialize;

use super::store::{HopRow, NoticeRow};
use crate::accidents::views::instant;

/// One hop of an accident's chain with its clock, seen at the server's `now`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HopStateView {
    /// The level that has the report and must pass it on: `unit`, `county`, `city`, `province`.
    pub from: String,
    /// The level it goes to: `county`, `city`, `province`, `state_council`.
    pub to: String,
    pub from_name: String,
    pub to_name: String,
    /// 60 for the unit, 120 for each level above.
    pub limit_minutes: i64,
    /// The receiving level is inside the platform (acknowledged) or not (recorded by the city office).
    pub inside_platform: bool,
    /// When `from` had the report: the clock's start (RFC 3339, UTC+8); null until then.
    pub received_at: Option<String>,
    /// The clock's end; null until it starts.
    pub due_at: Option<String>,
    /// When the receiving level acknowledged it (or, outside the platform, when it was sent).
    pub acknowledged_at: Option<String>,
    pub acknowledged_by_name: Option<String>,
    /// 迟报: minutes late, rounded up — final once acknowledged (0: on time); while open, the
    /// lateness so far by the server's clock; null while open and not late.
    pub late_minutes: Option<i64>,
    /// `waiting` (not started), `running`, `overdue`, `on_time` or `late`.
    pub clock: String,
    /// Whole minutes left while running.
    pub minutes_left: Option<i64>,
    /// When the one reminder after an hour's silence went out.
    pub reminded_at: Option<String>,
    /// Outside the platform: how, to whom, the receipt, when recorded.
    pub method: String,
    pub recipient: String,
    pub receipt: String,
    pub recorded_at: Option<String>,
}

fn utc(ms: i64) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl HopRow {
    /// The hop's clock at `now` (epoch ms); `None` while it has not started.
    pub fn clock(&self, now: i64) -> Option<Clock> {
        self.due_at
            .map(|due| chain::clock(utc(due), self.acknowledged_at.map(utc), utc(now)))
    }

    pub fn view(&self, now: i64) -> HopStateView {
        let clock = self.clock(now);
        let (state, left, late) = match clock {
            None => ("waiting", None, None),
            Some(Clock::Running { minutes_left }) => ("running", Some(minutes_left), None),
            Some(Clock::Overdue { minutes }) => ("overdue", None, Some(minutes)),
            Some(Clock::OnTime) => ("on_time", None, Some(0)),
            Some(Clock::Late { minutes }) => ("late", None, Some(minutes)),
        };
        let (from, to) = (self.from_level.0, self.to_level.0);
        HopStateView {
            from: from.code().to_string(),
            to: to.code().to_string(),
            from_name: from.name_zh().to_string(),
            to_name: to.name_zh().to_string(),
            limit_minutes: self.limit_minutes,
            inside_platform: ReportLevel::inside_platform(&to),
            received_at: self.received_at.map(instant),
            due_at: self.due_at.map(instant),
            acknowledged_at: self.acknowledged_at.map(instant),
            acknowledged_by_name: self.acknowledged_by_name.clone(),
            late_minutes: late,
            clock: state.to_string(),
            minutes_left: left,
            reminded_at: self.reminded_at.map(instant),
            method: self.method.clone(),
            recipient: self.recipient.clone(),
            receipt: self.receipt.clone(),
            recorded_at: self.recorded_at.map(instant),
        }
    }
}

/// A recorded notification (条例 第十条).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub level: String,
    pub body: String,
    pub body_name: String,
    pub notified_at: String,
    pub method: String,
    pub note: String,
    pub recorded_by_name: String,
    pub recorded_at: String,
}

impl From<&NoticeRow> for NoticeView {
    fn from(n: &NoticeRow) -> Self {
        NoticeView {
            level: n.level.clone(),
            body: n.body.clone(),
            body_name: Notified::parse(&n.body)
                .map(|b| b.name_zh().to_string())
                .unwrap_or_default(),
            notified_at: instant(n.notified_at),
            method: n.method.clone(),
            note: n.note.clone(),
            recorded_by_name: n.recorded_by_name.clone(),
            recorded_at: instant(n.recorded_at),
        }
    }
}
