//! The enterprise registry's doors into the tree: its organisations added in batches (the
//! import) and moved or renamed (the edit), inside the registry's use cases.

use super::bulk_store;
use super::model::RegionRow;
use super::store;
use crate::act::Act;
use crate::db::now_ms;
use crate::error::AppResult;
use crate::ids::OrgId;

/// Which of these codes an organisation already has, for another capability's use case in its
/// own transaction (an import that must not take a code twice).
pub async fn codes_taken(act: &mut Act<'_>, codes: &[&str]) -> AppResult<Vec<String>> {
    Ok(bulk_store::codes_existing(act.tx(), codes).await?)
}

/// An enterprise's organisation for [`add_enterprise_orgs_in`].
pub struct NewEnterpriseOrg<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub region: &'a RegionRow,
}

/// Adds enterprises' organisations in batches inside the caller's use case (the enterprise
/// import), which has checked their regions against the actor's scope and their codes
/// against the tree. No audit record each (the caller records the import) and no tree stamp:
/// an enterprise is never toured as a lower-level body. Their ids, in order.
pub async fn add_enterprise_orgs_in(
    act: &mut Act<'_>,
    orgs: &[NewEnterpriseOrg<'_>],
    now: i64,
) -> AppResult<Vec<OrgId>> {
    let rows: Vec<bulk_store::BulkOrg> = orgs
        .iter()
        .map(|o| bulk_store::BulkOrg {
            code: o.code,
            name: o.name,
            region_id: o.region.id,
            level: org_level(&o.region.level),
        })
        .collect();
    Ok(bulk_store::insert_enterprises(act.tx(), &rows, now).await?)
}

/// An organisation's level from its region's.
pub(super) fn org_level(region_level: &str) -> &'static str {
    match region_level {
        "city" => "city",
        "township" => "township",
        _ => "county",
    }
}

/// Moves or renames an enterprise's organisation inside the caller's use case (the enterprise
/// edit), which has checked the actor may change it and the new region lies in the actor's
/// scope. A new name goes into the name history. No tree stamp: enterprises are not toured.
pub async fn change_enterprise_org_in(
    act: &mut Act<'_>,
    id: OrgId,
    name: Option<&str>,
    region: Option<&RegionRow>,
) -> AppResult<()> {
    let now = now_ms();
    if let Some(n) = name {
        store::rename(act.tx(), id, n, now).await?;
    }
    if let Some(r) = region {
        bulk_store::move_to_region(act.tx(), id, r.id, org_level(&r.level), now).await?;
    }
    Ok(())
}
