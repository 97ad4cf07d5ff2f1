//! Tours of the lower level (巡查, articles 二 and 六, tasks 4 and 16).
//!
//! "县级以上党委每年至少对下级党委进行1次安全生产巡查" and "县级以上政府每年要对下级政府至少进行1次
//! 安全生产巡查和考核" are met only when **each** lower-level body was toured in the year. So a
//! tour rule binds its tourer once per lower-level body, and a tour record counts for the body
//! whose region it names (`area_code`, e.g. `220502` for 东昌区). A body with no lower level
//! (a county committee whose townships are not in the tree) has nothing to tour: the rule does
//! not apply to it, it is never "missed".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anwei_rules::duties::{is_lower_level, is_tour_rule};
use anwei_rules::org::OrgKind;
use anwei_rules::supervision::OrgFacts;

use super::model::RuleDef;
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

/// What tour rules need: each tourer's lower-level bodies, by organisation id. (The region a
/// tour record names travels with the record: `engine::LedRecord`.)
#[derive(Debug, Default)]
pub struct TourInputs {
    pub lower: HashMap<i64, Vec<Arc<Lower>>>,
}

impl TourInputs {
    pub fn lower_of(&self, org_id: i64) -> &[Arc<Lower>] {
        self.lower.get(&org_id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The bodies a tourer may have to tour — the current party committees and governments — by
/// the path of the region directly above theirs, in tree order.
#[derive(Debug, Default)]
pub struct Tree {
    by_parent: HashMap<String, Vec<(OrgFacts, Arc<Lower>)>>,
}

/// The tree as last read, with the every-organisation stamp it was read under. The tree
/// changes only when an organisation is created, renamed, retired or reinstated, and each of
/// those bumps that stamp (`stamps::EVERY_ORG`), as must a bulk write that bypasses the
/// application; so a request reads that stamp instead of the tree.
#[derive(Default)]
pub struct TreeCache(Mutex<Option<(i64, Arc<Tree>)>>);

impl TreeCache {
    pub fn clear(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(i64, Arc<Tree>)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The tree valid under `stamp`, read (and kept) when the one kept is older.
    async fn get(&self, tx: &mut Tx, stamp: i64) -> AppResult<Arc<Tree>> {
        if let Some((s, t)) = &*self.lock()
            && *s == stamp
        {
            return Ok(t.clone());
        }
        let mut candidates = Vec::new();
        for kind in [OrgKind::PartyCommittee, OrgKind::Government] {
            candidates
                .extend(crate::orgs::service::current_of_kind_below(tx, kind.code(), None).await?);
        }
        let tree = Arc::new(Tree::of(&candidates));
        *self.lock() = Some((stamp, tree.clone()));
        Ok(tree)
    }
}

/// Could an organisation be bound by a tour rule at all (a party committee or government at
/// county level or above)? Only then is the organisation tree looked at.
fn may_tour(f: &OrgFacts) -> bool {
    matches!(f.kind, OrgKind::PartyCommittee | OrgKind::Government)
        && f.level.is_at_or_above(anwei_rules::org::Level::County)
}

/// The lower-level bodies of those of `orgs` that may tour; nothing when no rule is a tour
/// rule. The tree comes from `cache` while the every-organisation stamp is still `stamp`, else
/// from the database (two queries, then kept).
pub async fn load(
    tx: &mut Tx,
    cache: &TreeCache,
    stamp: i64,
    rules: &[RuleDef],
    orgs: &[OrgRow],
) -> AppResult<TourInputs> {
    let tourers: Vec<(&OrgRow, OrgFacts)> = orgs
        .iter()
        .filter_map(|o| o.facts().filter(may_tour).map(|f| (o, f)))
        .collect();
    if tourers.is_empty() || !rules.iter().any(|r| is_tour_rule(&r.kinds)) {
        return Ok(TourInputs::default());
    }
    let tree = cache.get(tx, stamp).await?;
    Ok(TourInputs {
        lower: lower_bodies(&tourers, &tree),
    })
}

/// The region path of the region directly above `path` (`/1/3/` → `/1/`).
fn parent_path(path: &str) -> &str {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    trimmed.rfind('/').map_or("", |i| &path[..=i])
}

impl Tree {
    /// Groups `candidates` by their region's parent, keeping their order.
    pub fn of(candidates: &[OrgRow]) -> Tree {
        let mut by_parent: HashMap<String, Vec<(OrgFacts, Arc<Lower>)>> = HashMap::new();
        for c in candidates {
            if let Some(f) = c.facts() {
                let lower = Lower {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    region_code: c.region_code.clone(),
                };
                by_parent
                    .entry(parent_path(&c.region_path).to_string())
                    .or_default()
                    .push((f, Arc::new(lower)));
            }
        }
        Tree { by_parent }
    }
}

/// Each tourer's bodies one level down of the same kind, in its region's direct sub-regions,
/// in tree order.
pub fn lower_bodies(tourers: &[(&OrgRow, OrgFacts)], tree: &Tree) -> HashMap<i64, Vec<Arc<Lower>>> {
    tourers
        .iter()
        .map(|(t, tf)| {
            let lower = tree
                .by_parent
                .get(t.region_path.as_str())
                .into_iter()
                .flatten()
                .filter(|(f, _)| is_lower_level(tf, f))
                .map(|(_, l)| l.clone())
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
