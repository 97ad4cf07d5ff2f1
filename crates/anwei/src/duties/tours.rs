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
use anwei_rules::supervision::OrgFacts;

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

/// Could an organisation be bound by a tour rule at all (a party committee or government at
/// county level or above)? Only then is the organisation tree read.
fn may_tour(f: &OrgFacts) -> bool {
    matches!(f.kind, OrgKind::PartyCommittee | OrgKind::Government)
        && f.level.is_at_or_above(anwei_rules::org::Level::County)
}

/// Loads the lower-level bodies of those of `orgs` that may tour, and the regions named by the
/// tour records dated in `[from, to]`; nothing when no active rule is a tour rule. Two small
/// queries: the candidates (party committees or governments, in the regions directly below the
/// one tourer's region when there is one) and the tour records (by kind and date, indexed).
pub async fn load(
    tx: &mut Tx,
    rules: &[RuleDef],
    orgs: &[OrgRow],
    from: &str,
    to: &str,
) -> AppResult<TourInputs> {
    let tourers: Vec<(&OrgRow, OrgFacts)> = orgs
        .iter()
        .filter_map(|o| o.facts().filter(may_tour).map(|f| (o, f)))
        .collect();
    if tourers.is_empty() || !rules.iter().any(|r| is_tour_rule(&r.kinds)) {
        return Ok(TourInputs::default());
    }
    let below = match tourers.as_slice() {
        [(one, _)] => Some(one.region_id),
        _ => None,
    };
    let mut kinds: Vec<&str> = tourers.iter().map(|(o, _)| o.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut candidates = Vec::new();
    for kind in kinds {
        candidates.extend(crate::orgs::service::current_of_kind_below(tx, kind, below).await?);
    }
    let lower = lower_bodies(&tourers, &candidates);
    // Only the tour records of tourers that have a lower level (all of them when there are
    // many such tourers: a long `IN` list costs more than the index range); none when no
    // tourer has one.
    let ids: Vec<i64> = lower
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        return Ok(TourInputs {
            lower,
            areas: HashMap::new(),
        });
    }
    let ids = (ids.len() <= 400).then_some(ids.as_slice());
    let areas = store::tour_areas(tx, ids, from, to)
        .await?
        .into_iter()
        .collect();
    Ok(TourInputs { lower, areas })
}

/// The region path of the region directly above `path` (`/1/3/` → `/1/`).
fn parent_path(path: &str) -> &str {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    trimmed.rfind('/').map_or("", |i| &path[..=i])
}

/// Each tourer's bodies one level down of the same kind, in its region's direct sub-regions,
/// in tree order: the candidates are grouped by their region's parent once.
pub fn lower_bodies(
    tourers: &[(&OrgRow, OrgFacts)],
    candidates: &[OrgRow],
) -> HashMap<i64, Vec<Lower>> {
    let mut by_parent: HashMap<&str, Vec<(&OrgRow, OrgFacts)>> = HashMap::new();
    for c in candidates {
        if let Some(f) = c.facts() {
            by_parent
                .entry(parent_path(&c.region_path))
                .or_default()
                .push((c, f));
        }
    }
    tourers
        .iter()
        .map(|(t, tf)| {
            let lower = by_parent
                .get(t.region_path.as_str())
                .into_iter()
                .flatten()
                .filter(|(_, f)| is_lower_level(tf, f))
                .map(|(o, _)| Lower {
                    code: o.code.clone(),
                    name: o.name.clone(),
                    region_code: o.region_code.clone(),
                })
                .collect();
            (t.id.get(), lower)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parent_path;

    #[test]
    fn the_parent_of_a_region_path_is_the_path_without_its_last_step() {
        assert_eq!(parent_path("/0000000001/0000000003/"), "/0000000001/");
        assert_eq!(parent_path("/0000000001/"), "/");
        assert_eq!(parent_path("/"), "");
    }
}
