//! Tours of the lower level (巡查, articles 二 and 六, tasks 4 and 16).
//!
//! "县级以上党委每年至少对下级党委进行1次安全生产巡查" and "县级以上政府每年要对下级政府至少进行1次
//! 安全生产巡查和考核" are met only when **each** lower-level body was toured in the year. So a
//! tour rule binds its tourer once per lower-level body, and a tour record counts for the body
//! whose region it names (`area_code`, e.g. `220502` for 东昌区). A body with no lower level
//! (a county committee whose townships are not in the tree) has nothing to tour: the rule does
//! not apply to it, it is never "missed".

use std::collections::HashMap;

use anwei_rules::duties::{is_lower_level, is_tour_rule};
use anwei_rules::org::OrgKind;

use super::model::RuleDef;
use super::store;
use crate::db::Tx;
use crate::error::AppResult;
use crate::orgs::model::OrgRow;

/// A lower-level body a tourer must tour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lower {
    pub code: String,
    pub name: String,
    /// The region code a tour record names for it.
    pub region_code: String,
}

/// What tour rules need: each tourer's lower-level bodies (by organisation id) and the region
/// each tour record of the period names (by record id).
#[derive(Debug, Default)]
pub struct TourInputs {
    pub lower: HashMap<i64, Vec<Lower>>,
    pub areas: HashMap<i64, String>,
}

impl TourInputs {
    pub fn lower_of(&self, org_id: i64) -> &[Lower] {
        self.lower.get(&org_id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Could `o` be bound by a tour rule at all (a party committee or government at county level
/// or above)? Only then is the organisation tree read.
fn may_tour(o: &OrgRow) -> bool {
    o.facts().is_some_and(|f| {
        matches!(f.kind, OrgKind::PartyCommittee | OrgKind::Government)
            && f.level.is_at_or_above(anwei_rules::org::Level::County)
    })
}

/// Loads the lower-level bodies of those of `orgs` that may tour, and the regions named by the
/// tour records dated in `[from, to]`; nothing when no active rule is a tour rule.
pub async fn load(
    tx: &mut Tx,
    rules: &[RuleDef],
    orgs: &[OrgRow],
    from: &str,
    to: &str,
) -> AppResult<TourInputs> {
    let tourers: Vec<&OrgRow> = orgs.iter().filter(|o| may_tour(o)).collect();
    if tourers.is_empty() || !rules.iter().any(|r| is_tour_rule(&r.kinds)) {
        return Ok(TourInputs::default());
    }
    let all = crate::orgs::service::all_current(tx).await?;
    let mut lower = HashMap::new();
    for t in tourers {
        lower.insert(t.id.get(), lower_bodies(t, &all));
    }
    let areas = store::tour_areas(tx, from, to).await?.into_iter().collect();
    Ok(TourInputs { lower, areas })
}

/// The bodies one level down of the same kind inside `touring`'s region, in tree order.
pub fn lower_bodies(touring: &OrgRow, all: &[OrgRow]) -> Vec<Lower> {
    let Some(t) = touring.facts() else {
        return Vec::new();
    };
    all.iter()
        .filter(|o| {
            o.region_path.starts_with(&touring.region_path)
                && o.region_path != touring.region_path
                && o.facts().is_some_and(|f| is_lower_level(&t, &f))
        })
        .map(|o| Lower {
            code: o.code.clone(),
            name: o.name.clone(),
            region_code: o.region_code.clone(),
        })
        .collect()
}
