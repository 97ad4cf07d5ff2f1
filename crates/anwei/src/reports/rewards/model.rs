//! Rewards (举报奖励): what the office sends and what each side sees. Money is integer fen
//! inside and yuan at the boundary (a JSON number with at most two decimals, or such a string).

use anwei_rules::accident::Grade;
use anwei_rules::reward::Basis;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccountId, RegionId, ReportId};

/// The most a money field takes, yuan (a fine, an adjusted reward, a budget line).
const MAX_YUAN: u64 = 1_000_000_000_000;

/// Yuan as sent (a number or a decimal string, at most two decimals) → fen; `None` when blank.
pub fn fen(field: &str, v: &Option<Value>, e: &mut Vec<(String, Msg)>) -> Option<u64> {
    let s = match v {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => String::new(),
    };
    match parse_fen(&s) {
        Some(f) if f <= MAX_YUAN * 100 => Some(f),
        _ => {
            e.push((field.into(), Msg::new("rewards.amount_format")));
            None
        }
    }
}

fn parse_fen(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 13 || frac.len() > 2 || !digits(whole) || !digits(frac) {
        return None;
    }
    let f: u64 = format!("{frac:0<2}").parse().ok()?;
    whole.parse::<u64>().ok()?.checked_mul(100)?.checked_add(f)
}

/// Fen as a JSON number of yuan: `3000` or `2999.85`.
pub fn yuan_value(fen: i64) -> Value {
    if fen % 100 == 0 {
        Value::from(fen / 100)
    } else {
        Value::from(fen as f64 / 100.0)
    }
}

/// Fen as text for pages and sheets: `3000.00`.
pub fn yuan_text(fen: i64) -> String {
    anwei_rules::reward::yuan(u64::try_from(fen).unwrap_or(0))
}

/// `POST /api/v1/reports/{id}/reward`: what the verified case led to.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ProposeInput {
    /// `fine` (a hazard or violation, with `fine_yuan`) or `concealed_accident` (with `grade`
    /// and `deaths`).
    #[serde(default)]
    pub basis: String,
    /// The administrative fine imposed, yuan.
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub fine_yuan: Option<Value>,
    /// The accident's final grade: `ordinary`, `serious`, `very_serious`, `extremely_serious`.
    #[serde(default)]
    pub grade: String,
    /// The verified concealed (or falsely reported) deaths.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub deaths: Option<Value>,
}

impl ProposeInput {
    pub fn parse(&self) -> Result<Basis, AppError> {
        let mut e = Vec::new();
        let basis = match self.basis.trim() {
            "fine" => match fen("fine_yuan", &self.fine_yuan, &mut e) {
                Some(fine_fen) => Some(Basis::Fine { fine_fen }),
                None => {
                    if e.is_empty() {
                        e.push(("fine_yuan".into(), Msg::new("error.required")));
                    }
                    None
                }
            },
            "concealed_accident" => {
                let grade = Grade::parse(self.grade.trim());
                if grade.is_none() {
                    e.push(("grade".into(), Msg::new("rewards.grade_unknown")));
                }
                let deaths = match self.deaths.as_ref() {
                    Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
                    Some(v) => v.as_u64(),
                    None => None,
                }
                .filter(|d| (1..=10_000).contains(d));
                if deaths.is_none() {
                    e.push(("deaths".into(), Msg::new("rewards.deaths_format")));
                }
                match (grade, deaths) {
                    (Some(grade), Some(d)) => Some(Basis::ConcealedAccident {
                        grade,
                        concealed_deaths: d as u32,
                    }),
                    _ => None,
                }
            }
            _ => {
                e.push(("basis".into(), Msg::new("rewards.basis_unknown")));
                None
            }
        };
        match basis {
            Some(b) if e.is_empty() => Ok(b),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// `POST /api/v1/reports/{id}/reward/decide`: `approve` as proposed, or `adjust` to
/// `amount_yuan` with a `reason`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DecideInput {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub amount_yuan: Option<Value>,
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/rewards/payouts`: the payout against the code the reporter presents.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PayoutInput {
    #[serde(default)]
    pub payout_code: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    pub paid_on: String,
    /// Must equal the approved amount.
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub amount_yuan: Option<Value>,
    /// The payment voucher's number (凭证号).
    #[serde(default)]
    pub voucher_no: String,
}

/// `PUT /api/v1/rewards/budget`: the 举报奖励资金 line of a territory for a year.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BudgetInput {
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub year: Option<Value>,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub amount_yuan: Option<Value>,
}

/// `GET /api/v1/rewards/ledger`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LedgerFilter {
    pub year: Option<String>,
    pub region_code: Option<String>,
}

/// A stored reward (never an identity; the payout code only sealed and blind-indexed).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RewardRow {
    pub id: i64,
    pub report_id: ReportId,
    pub region_id: RegionId,
    pub region_path: String,
    pub basis: String,
    pub rule: String,
    pub rule_text: String,
    pub proposed_fen: i64,
    pub proposed_by: AccountId,
    pub status: String,
    pub approved_fen: Option<i64>,
    pub decision_reason: String,
    pub decided_on: Option<String>,
    pub payout_sealed: String,
    pub paid_on: Option<String>,
    pub paid_fen: Option<i64>,
    pub voucher_no: String,
}

impl RewardRow {
    /// What staff see: the rule, the amounts and the state — never the payout code.
    pub fn view(&self) -> Value {
        serde_json::json!({
            "status": self.status, "basis": self.basis, "rule": self.rule,
            "rule_text": self.rule_text, "amount_yuan": yuan_value(self.proposed_fen),
            "approved_yuan": self.approved_fen.map(yuan_value),
            "reason": self.decision_reason, "decided_on": self.decided_on,
            "paid_on": self.paid_on, "paid_yuan": self.paid_fen.map(yuan_value),
            "voucher_no": self.voucher_no,
        })
    }
}

/// What the reporter sees on the follow-up: the approved amount and, until it is paid, the
/// payout code to present.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicReward {
    /// `approved` or `paid`.
    pub status: String,
    #[schema(value_type = f64)]
    pub amount_yuan: Value,
    /// 20 digits in groups of four; present it to the paying office. Absent once paid.
    pub payout_code: Option<String>,
    pub paid_on: Option<String>,
}

/// One territory's line of the ledger.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub region_id: RegionId,
    pub region_code: String,
    pub region_name: String,
    pub approved_count: i64,
    pub approved_fen: i64,
    pub paid_count: i64,
    pub paid_fen: i64,
}

impl LedgerRow {
    pub fn view(&self, budget_fen: Option<i64>) -> Value {
        serde_json::json!({
            "region_code": self.region_code, "region_name": self.region_name,
            "budget_yuan": budget_fen.map(yuan_value),
            "approved_count": self.approved_count, "approved_yuan": yuan_value(self.approved_fen),
            "paid_count": self.paid_count, "paid_yuan": yuan_value(self.paid_fen),
            "outstanding_yuan": yuan_value(self.approved_fen - self.paid_fen),
        })
    }
}

/// Rewards grouped for the statistics: by the report's place, month received, category and the
/// reward's status, with the sums — no case-level row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RewardGroup {
    pub region_path: String,
    pub month: String,
    pub category: String,
    pub status: String,
    pub n: i64,
    pub proposed_fen: i64,
    pub approved_fen: i64,
    pub paid_fen: i64,
}
