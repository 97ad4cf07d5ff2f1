//! Hazards found by inspections, and article 十七's unlisted major hazard: 对大检查中未列入清单、
//! 检查后发生的重大风险隐患，一律按事故对待. When a major hazard is registered at an enterprise
//! that a campaign inspection covered on or before the day it was found without registering a
//! major hazard, the hazard is flagged (`unlisted_by_inspection_id`) in the same transaction;
//! the office and the discipline role see the earlier inspection, its date and its inspectors.
//! The rule itself is `anwei_rules::campaign::unlisted`.

use std::collections::HashSet;

use anwei_rules::hazard::{Grade, Source};
use chrono::NaiveDate;

use super::model::{HazardRow, NewHazard};
use super::store;
use crate::act::Act;
use crate::auth::model::Role;
use crate::error::AppResult;
use crate::ids::InspectionId;
use crate::inspections::model::InspectionSummary;

/// A hazard registered with an inspection: the inspection must be one the actor may add
/// findings to, at the same enterprise (422 naming `inspection_id` otherwise); without a
/// source sent, the source is `campaign` for a campaign's inspection, `inspection` otherwise.
pub async fn from_inspection(
    act: &mut Act<'_>,
    h: &mut NewHazard,
    action: &'static str,
) -> AppResult<()> {
    let Some(id) = h.inspection_id else {
        return Ok(());
    };
    let i = crate::inspections::service::for_finding(act, id, h.enterprise_id, action).await?;
    if !h.source_given {
        h.source = if i.campaign_id.is_some() {
            Source::Campaign
        } else {
            Source::Inspection
        };
    }
    Ok(())
}

/// The earlier campaign inspection this new hazard was missed by, if the rule applies.
pub async fn check(act: &mut Act<'_>, h: &NewHazard) -> AppResult<Option<InspectionId>> {
    if h.grade != Grade::Major {
        return Ok(None);
    }
    let found: HashSet<InspectionId> = store::majors_found_by(act.tx(), h.enterprise_id)
        .await?
        .into_iter()
        .collect();
    let earlier: Vec<anwei_rules::campaign::Earlier> =
        crate::inspections::service::at_enterprise(act, h.enterprise_id)
            .await?
            .into_iter()
            .map(|(id, date, in_campaign)| anwei_rules::campaign::Earlier {
                id: id.get(),
                date,
                in_campaign,
                found_major: found.contains(&id),
            })
            .collect();
    let own = h.inspection_id.map(InspectionId::get);
    Ok(
        anwei_rules::campaign::unlisted(true, h.found_on, own, &earlier)
            .map(|e| InspectionId(e.id)),
    )
}

/// Who is shown the earlier inspection: the committee office and the discipline role.
fn may_see(role: Role) -> bool {
    matches!(role, Role::Office | Role::Discipline)
}

/// The earlier inspection of a flagged hazard, for those who may see it.
pub async fn shown(act: &mut Act<'_>, h: &HazardRow) -> AppResult<Option<InspectionSummary>> {
    match h.unlisted_by_inspection_id {
        Some(id) if may_see(act.actor.role) => crate::inspections::service::summary(act, id).await,
        _ => Ok(None),
    }
}

/// The door for inspections, inside their use case: the hazards an inspection found (the
/// caller has settled that the actor sees the inspection, at one enterprise).
pub async fn of_inspection(
    act: &mut Act<'_>,
    id: crate::ids::InspectionId,
) -> AppResult<Vec<HazardRow>> {
    Ok(store::of_inspection(act.tx(), id).await?)
}

/// The door for campaigns, inside their use case: the major hazards found from `from` to `to`
/// (inclusive) under the region-path pattern, with their status (重大风险隐患清单及整改情况).
pub async fn majors_between(
    act: &mut Act<'_>,
    path_like: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<HazardRow>> {
    Ok(store::majors_between(act.tx(), path_like, &from.to_string(), &to.to_string()).await?)
}
