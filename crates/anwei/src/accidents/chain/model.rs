//! What is sent to the reporting chain: the record of a hop outside the platform, and a
//! notification to one of the four bodies of 第十条.

use anwei_rules::accident::chain::Notified;
use serde::{Deserialize, Serialize};

use crate::accidents::model::parse_instant;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::web::extract::text;

/// 上报记录 of a hop outside the platform (to the province or the State Council level), by the
/// city office.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RecordInput {
    /// When the report was sent: RFC 3339 with an offset, not in the future.
    #[serde(default)]
    pub sent_at: String,
    /// How it was sent (电话、传真、政务专网 …).
    #[serde(default)]
    pub method: String,
    /// To whom (the receiving office and person).
    #[serde(default)]
    pub recipient: String,
    /// The receipt (回执): who confirmed, a reference.
    #[serde(default)]
    pub receipt: String,
}

pub struct Record {
    pub sent_at: i64,
    pub method: String,
    pub recipient: String,
    pub receipt: String,
}

/// An instant not in the future by the server's clock, or the field's error.
fn past_instant(field: &str, v: &str, now: i64, e: &mut Vec<(String, Msg)>) -> i64 {
    match parse_instant(v) {
        None => e.push((field.into(), Msg::new("accident_chain.instant_format"))),
        Some(t) if t > now => e.push((field.into(), Msg::new("accident_chain.in_future"))),
        Some(t) => return t,
    }
    0
}

impl RecordInput {
    pub fn parse(&self, now: i64) -> Result<Record, AppError> {
        let mut e = Vec::new();
        let sent_at = past_instant("sent_at", &self.sent_at, now, &mut e);
        let method = text("method", &self.method, 100, true, &mut e);
        let recipient = text("recipient", &self.recipient, 200, true, &mut e);
        let receipt = text("receipt", &self.receipt, 500, false, &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(Record {
            sent_at,
            method,
            recipient,
            receipt,
        })
    }
}

/// A notification by a level that has the report to 公安机关 (`public_security`), 人社部门
/// (`human_resources`), 工会 (`trade_union`) or 人民检察院 (`procuratorate`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NoticeInput {
    /// The notifying level: `county`, `city`, `province` or `state_council`.
    #[serde(default)]
    pub level: String,
    /// `public_security`, `human_resources`, `trade_union` or `procuratorate`.
    #[serde(default)]
    pub body: String,
    /// When: RFC 3339 with an offset, not in the future.
    #[serde(default)]
    pub notified_at: String,
    /// How (电话、书面 …).
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub note: String,
}

pub struct Notice {
    pub body: Notified,
    pub notified_at: i64,
    pub method: String,
    pub note: String,
}

impl NoticeInput {
    pub fn parse(&self, now: i64) -> Result<Notice, AppError> {
        let mut e = Vec::new();
        let body = Notified::parse(self.body.trim());
        if body.is_none() {
            e.push(("body".into(), Msg::new("accident_chain.body_unknown")));
        }
        let notified_at = past_instant("notified_at", &self.notified_at, now, &mut e);
        let method = text("method", &self.method, 100, true, &mut e);
        let note = text("note", &self.note, 500, false, &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(Notice {
            body: body.expect("checked"),
            notified_at,
            method,
            note,
        })
    }
}
