//! 风险点排查: checking a risk point against its cycle (`check_cycle_days`), the second half
//! of 双重预防机制 — each check is recorded (controlled, or a hazard found, linked to the
//! hazard registered for it) and moves the point's next due date to one cycle after the latest
//! check; a point whose due date has passed is overdue (排查逾期) and listed for its territory.
//! A point's first cycle runs from the day it was recorded.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::model::RiskPointRow;
use super::service::SUBJECT;
use super::store;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccountId, HazardId, OrgId, RiskPointId};
use crate::state::AppState;

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckResult {
    /// 管控有效: the control measures are in place.
    Controlled,
    /// 发现隐患: a hazard was found (and is registered as one).
    HazardFound,
}

impl CheckResult {
    pub fn code(&self) -> &'static str {
        match self {
            CheckResult::Controlled => "controlled",
            CheckResult::HazardFound => "hazard_found",
        }
    }

    pub fn parse(s: &str) -> Option<CheckResult> {
        match s.trim() {
            "controlled" => Some(CheckResult::Controlled),
            "hazard_found" => Some(CheckResult::HazardFound),
            _ => None,
        }
    }
}

/// `POST /api/v1/risk-points/{id}/checks` (and the page's form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CheckInput {
    /// YYYY-MM-DD, not after today nor before the point was recorded; blank: today.
    #[serde(default)]
    pub checked_on: String,
    /// `controlled` (管控有效) or `hazard_found` (发现隐患).
    #[serde(default)]
    pub result: String,
    /// What was checked or found; required when a hazard was found.
    #[serde(default)]
    pub note: String,
    /// The hazard registered for what was found (at the same enterprise), if any.
    #[serde(default, deserialize_with = "crate::web::forms::opt_int_from_any")]
    pub hazard_id: Option<i64>,
}

/// A checked [`CheckInput`].
pub struct NewCheck {
    pub checked_on: NaiveDate,
    pub result: CheckResult,
    pub note: String,
    pub hazard_id: Option<HazardId>,
}

impl CheckInput {
    /// Every field checked against the point and today; each problem names its field.
    pub fn parse(&self, point: &RiskPointRow, today: NaiveDate) -> AppResult<NewCheck> {
        let mut e = Vec::new();
        let recorded = crate::time::shanghai_date(point.created_at);
        let checked_on = match self.checked_on.trim() {
            "" => Some(today),
            t => match crate::time::parse_date(t) {
                None => {
                    e.push(("checked_on".into(), Msg::new("error.date_format")));
                    None
                }
                Some(d) if d > today => {
                    e.push(("checked_on".into(), Msg::new("risk.check_in_future")));
                    None
                }
                Some(d) if d < recorded => {
                    let m = Msg::new("risk.check_before_point").with("date", recorded);
                    e.push(("checked_on".into(), m));
                    None
                }
                Some(d) => Some(d),
            },
        };
        let result = CheckResult::parse(&self.result);
        if result.is_none() {
            e.push(("result".into(), Msg::new("risk.check_result_unknown")));
        }
        let found = result == Some(CheckResult::HazardFound);
        let note = crate::web::extract::text("note", &self.note, 2000, found, &mut e);
        if self.hazard_id.is_some() && !found {
            e.push(("hazard_id".into(), Msg::new("risk.check_hazard_not_found")));
        }
        match (checked_on, result) {
            (Some(checked_on), Some(result)) if e.is_empty() => Ok(NewCheck {
                checked_on,
                result,
                note,
                hazard_id: self.hazard_id.map(HazardId),
            }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// A stored check.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckRow {
    pub id: i64,
    pub risk_point_id: RiskPointId,
    pub checked_on: String,
    pub result: String,
    pub note: String,
    pub hazard_id: Option<HazardId>,
    pub checked_by: AccountId,
    pub checked_by_name: String,
    pub created_at: i64,
}

/// A check as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckView {
    pub id: i64,
    pub risk_point_id: RiskPointId,
    pub checked_on: String,
    /// `controlled` or `hazard_found`.
    pub result: String,
    pub note: String,
    pub hazard_id: Option<HazardId>,
    pub checked_by_name: String,
    pub created_at: i64,
}

impl CheckRow {
    pub fn view(&self) -> CheckView {
        CheckView {
            id: self.id,
            risk_point_id: self.risk_point_id,
            checked_on: self.checked_on.clone(),
            result: self.result.clone(),
            note: self.note.clone(),
            hazard_id: self.hazard_id,
            checked_by_name: self.checked_by_name.clone(),
            created_at: self.created_at,
        }
    }
}

/// The day the next check is due: one cycle after the latest check (or the recording day).
pub fn next_due(from: NaiveDate, cycle_days: i64) -> NaiveDate {
    from.checked_add_days(Days::new(cycle_days.max(1) as u64))
        .unwrap_or(from)
}

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

/// Records a check of an active point in scope (an enterprise: its own): the hazard it names
/// must be one the actor may see at the same enterprise; the point's next due date moves to
/// one cycle after its latest check. Audited `risk_point.check`.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    id: RiskPointId,
    input: &CheckInput,
) -> AppResult<CheckRow> {
    const ACTION: &str = "risk_point.check";
    let mut act = Act::begin(state, actor).await?;
    let sid = id.to_string();
    act.require(Perm::RiskManage, ACTION, target(&sid)).await?;
    let p = act
        .load_by(Perm::HazardRead, ACTION, SUBJECT, id, store::by_id)
        .await?;
    if p.retired_at.is_some() {
        return Err(AppError::Conflict(Msg::new("risk.retired_already")));
    }
    let c = input.parse(&p, crate::time::today())?;
    if let Some(h) = c.hazard_id {
        let hazard = crate::hazards::service::visible(&mut act, h, ACTION).await?;
        if hazard.enterprise_id != p.enterprise_id {
            let m = Msg::new("risk.check_hazard_elsewhere");
            return Err(AppError::field("hazard_id", m));
        }
    }
    let now = now_ms();
    let check = store::insert_check(act.tx(), &p, &c, actor.account_id, now).await?;
    let latest = match p
        .last_checked_on
        .as_deref()
        .and_then(crate::time::parse_date)
    {
        Some(d) if d > c.checked_on => d,
        _ => c.checked_on,
    };
    let due = next_due(latest, p.check_cycle_days);
    store::set_checked(act.tx(), id, latest, due).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "enterprise": p.enterprise_id, "checked_on": c.checked_on.to_string(),
        "result": c.result.code(), "hazard": c.hazard_id, "next_check_on": due.to_string(),
    })))
    .await?;
    let row = store::check_by_id(act.tx(), check)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// A point's checks, the latest first.
pub async fn list(state: &AppState, actor: &Actor, id: RiskPointId) -> AppResult<Vec<CheckRow>> {
    let mut act = Act::read(state, actor).await?;
    act.load_by(
        Perm::HazardRead,
        "risk_point.read",
        SUBJECT,
        id,
        store::by_id,
    )
    .await?;
    Ok(store::checks_of(act.tx(), id).await?)
}

/// `GET /api/v1/risk/overdue-checks`: the page asked for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OverdueQuery {
    #[serde(default, deserialize_with = "crate::web::forms::opt_int_from_any")]
    pub page: Option<i64>,
}

pub const PER_PAGE: i64 = 50;

/// One page of the overdue points.
pub struct Overdue {
    pub items: Vec<RiskPointRow>,
    pub page: i64,
    pub total: i64,
}

/// The active points in the actor's scope whose check is overdue (due before today), the
/// longest overdue first. An enterprise sees its own; every other role its region.
pub async fn overdue(state: &AppState, actor: &Actor, q: &OverdueQuery) -> AppResult<Overdue> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::HazardRead, "risk_point.overdue", target(""))
        .await?;
    let page = q.page.unwrap_or(1);
    if !(1..=1_000_000).contains(&page) {
        return Err(AppError::field("page", Msg::new("error.page_range")));
    }
    let (path, own): (String, Option<OrgId>) = match actor.scope() {
        Scope::Region(p) => (p, None),
        Scope::Org(o) => (String::new(), Some(o)),
    };
    let today = crate::time::today().to_string();
    let f = store::OverdueFilter {
        today: &today,
        path_like: format!("{path}%"),
        enterprise: own,
    };
    let total = store::overdue_count(act.tx(), &f).await?;
    let items = store::overdue(act.tx(), &f, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(Overdue { items, page, total })
}
