//! 带队检查 from the inspection register: an inspection led by a leader in a position is that
//! position's duty record of kind `led_inspection`, with the inspection as its evidence — kept
//! once. The record carries the inspection's id (`activity.inspection_id`, unique):
//!
//! - recording the inspection creates the record in the same transaction, counted as
//!   evidenced from the moment it is entered (the inspection is the evidence);
//! - if the position already has a hand-typed `led_inspection` record of that day without an
//!   inspection, that record is taken over (linked and evidenced) instead of a second one;
//! - a hand-typed `led_inspection` record for a position and day that an inspection already
//!   recorded is refused (409, naming the record): one inspection counts once.

use anwei_rules::duties::ActivityKind;
use serde_json::json;

use super::store::{self, NewActivity};
use crate::act::Act;
use crate::audit::Event;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{ActivityId, InspectionId, OrgId, PersonId, PositionId};
use crate::on_tx;

/// What the inspection register tells duties about a leader-led inspection.
pub struct LedInspection<'a> {
    pub inspection: InspectionId,
    /// The position's organisation: whose duty record it is.
    pub org_id: OrgId,
    pub position: PositionId,
    pub person: Option<PersonId>,
    pub date: chrono::NaiveDate,
    pub title: &'a str,
    pub places: &'a str,
    pub findings: &'a str,
    /// The enterprise's region code (分片包保: where the leader went).
    pub area_code: &'a str,
}

/// The door for inspections, inside their use case: the one duty record of the leader-led
/// inspection, created or taken over. Returns its id.
pub async fn record_led_inspection(
    act: &mut Act<'_>,
    l: &LedInspection<'_>,
) -> AppResult<ActivityId> {
    let date = l.date.to_string();
    let now = crate::db::now_ms();
    let adopted = unlinked_same_day(act.tx(), l.org_id, l.position, &date).await?;
    let id = match adopted {
        Some(id) => {
            link(act.tx(), id, l.inspection, now).await?;
            id
        }
        None => {
            let late = super::service::is_late(l.date, crate::time::today());
            let new = NewActivity {
                org_id: l.org_id,
                kind: ActivityKind::LedInspection.code(),
                date: &date,
                title: l.title,
                position_id: Some(l.position),
                person_id: l.person,
                participants: "",
                topics: "",
                places: l.places,
                findings: l.findings,
                area_code: l.area_code,
                created_by: act.actor.account_id,
                entered_late: late,
                now,
            };
            let id = store::insert(act.tx(), &new).await?;
            link(act.tx(), id, l.inspection, now).await?;
            id
        }
    };
    crate::stamps::bump(act.tx(), l.org_id).await?;
    act.audit(
        Event::ok("activity.from_inspection", "activity", id).detail(json!({
            "inspection": l.inspection, "position": l.position, "date": date,
            "taken_over": adopted.is_some(),
        })),
    )
    .await?;
    Ok(id)
}

/// The duty record an inspection is the evidence of, if any.
pub async fn of_inspection(act: &mut Act<'_>, id: InspectionId) -> AppResult<Option<ActivityId>> {
    Ok(on_tx!(act.tx(), |c| sqlx::query_scalar(
        "SELECT id FROM activity WHERE inspection_id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)?)
}

/// Refuses a hand-typed `led_inspection` record for a position and day already recorded from
/// an inspection (409 naming that record).
pub async fn refuse_if_recorded(tx: &mut Tx, a: &NewActivity<'_>) -> AppResult<()> {
    let (Some(position), true) = (a.position_id, a.kind == ActivityKind::LedInspection.code())
    else {
        return Ok(());
    };
    let other: Option<ActivityId> = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM activity WHERE org_id = $1 AND led_by_position_id = $2 AND kind = 'led_inspection' \
         AND date = $3 AND inspection_id IS NOT NULL ORDER BY id LIMIT 1"
    )
    .bind(a.org_id)
    .bind(position)
    .bind(a.date)
    .fetch_optional(c)
    .await
    })?;
    match other {
        Some(id) => Err(AppError::Conflict(
            Msg::new("duties.recorded_by_inspection").with("id", id),
        )),
        None => Ok(()),
    }
}

async fn unlinked_same_day(
    tx: &mut Tx,
    org: OrgId,
    position: PositionId,
    date: &str,
) -> Result<Option<ActivityId>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM activity WHERE org_id = $1 AND led_by_position_id = $2 AND kind = 'led_inspection' \
         AND date = $3 AND inspection_id IS NULL ORDER BY id LIMIT 1"
    )
    .bind(org)
    .bind(position)
    .bind(date)
    .fetch_optional(c)
    .await
    })
}

/// Links the record to its inspection; the inspection is its evidence from now on.
async fn link(
    tx: &mut Tx,
    id: ActivityId,
    inspection: InspectionId,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE activity SET inspection_id = $2, evidence_at = COALESCE(evidence_at, $3), updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(inspection)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}
