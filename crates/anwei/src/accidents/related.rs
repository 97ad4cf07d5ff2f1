//! Links from an accident at a registered enterprise (issue 12): its open hazards, its risk
//! points and its inspections of the last year, each read through that capability's service
//! with the caller's scope (someone who cannot read the enterprise's hazards sees none). An
//! accident at a unit that is not registered has none.

use chrono::Months;
use serde::Serialize;

use crate::act::Act;
use crate::error::AppResult;
use crate::ids::OrgId;

/// The most open hazards listed.
const MAX_HAZARDS: usize = 50;

/// One linked record, short.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RelatedItem {
    pub id: i64,
    /// The hazard's description, the risk point's hazardous event, the inspection's place.
    pub title: String,
    /// A hazard's status (`registered`, `rectifying`, `submitted`), a risk point's level
    /// (`major`, `high`, `general`, `low`), an inspection's kind (`routine`, `enforcement`).
    pub status: String,
    /// The hazard's deadline, the risk point's last check (or its assessment), the
    /// inspection's day: `YYYY-MM-DD`.
    pub date: String,
    /// The page of the record.
    pub href: String,
}

/// What an accident at a registered enterprise links to.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Related {
    /// Hazards not yet closed (销号), the nearest deadline first.
    pub hazards_open: Vec<RelatedItem>,
    /// Active risk points, the gravest first.
    pub risk_points: Vec<RelatedItem>,
    /// Inspections in the year up to today, the latest first.
    pub inspections_last_year: Vec<RelatedItem>,
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        t.push('…');
    }
    t
}

/// The links of an accident at `enterprise`, inside the accident's read.
pub async fn of(act: &mut Act<'_>, enterprise: OrgId) -> AppResult<Related> {
    let hazards = crate::hazards::service::open_at_enterprise(act, enterprise, MAX_HAZARDS).await?;
    let points = crate::risks::service::active_at_enterprise(act, enterprise).await?;
    let today = crate::time::today();
    let since = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let inspections =
        crate::inspections::service::at_enterprise_since(act, enterprise, since).await?;
    Ok(Related {
        hazards_open: hazards
            .into_iter()
            .map(|h| RelatedItem {
                id: h.id.0,
                title: short(&h.description),
                status: h.status.code().to_string(),
                date: h.deadline.0.to_string(),
                href: format!("/hazards/{}", h.id.0),
            })
            .collect(),
        risk_points: points
            .into_iter()
            .map(|p| RelatedItem {
                id: p.id.0,
                title: short(&format!("{} · {}", p.unit, p.hazardous_event)),
                status: p.level.code().to_string(),
                date: p
                    .last_checked_on
                    .clone()
                    .unwrap_or_else(|| crate::time::shanghai_date(p.updated_at).to_string()),
                href: format!("/enterprises/{enterprise}/risk-points"),
            })
            .collect(),
        inspections_last_year: inspections
            .into_iter()
            .map(|i| RelatedItem {
                id: i.id.0,
                title: short(&format!("{} · {}", i.org_name, i.place)),
                status: i.kind.clone(),
                date: i.date.0.to_string(),
                href: format!("/inspections/{}", i.id.0),
            })
            .collect(),
    })
}
