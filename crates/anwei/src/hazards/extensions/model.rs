//! Extension requests (延期申请): what is sent and what is stored.

use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, ExtensionId, HazardId};

/// `POST /api/v1/hazards/{id}/extensions`: the deadline asked for and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ExtensionInput {
    /// YYYY-MM-DD, after the current deadline and after today.
    #[serde(default)]
    pub deadline: String,
    /// Why the rectification needs longer (required).
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/hazards/{id}/extensions/{eid}/decide`: approve or refuse (a refusal needs a
/// note).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ExtensionDecision {
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub approve: bool,
    #[serde(default)]
    pub note: String,
}

/// A request as stored and answered: `state` is `pending`, `approved` or `refused`; the
/// deadline it would replace is kept.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ExtensionRow {
    pub id: ExtensionId,
    pub hazard_id: HazardId,
    pub old_deadline: String,
    pub new_deadline: String,
    pub reason: String,
    pub state: String,
    pub requested_by: AccountId,
    pub requested_by_name: String,
    pub requested_at: i64,
    pub decided_by: Option<AccountId>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub note: String,
}
