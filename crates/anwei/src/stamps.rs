//! Organisation data stamps: one counter per organisation (and `0` for what applies to
//! every organisation), bumped in the caller's transaction whenever data that other
//! capabilities derive views from changes — a record, a position or its holder, a rule.
//! A capability that caches such views (duties' compliance) compares stamps; a capability that
//! changes the data bumps the stamp without knowing who caches what. Bulk writes that bypass
//! the application must bump it too. (The table is `duty_stamp`, named after its first
//! reader.)

use crate::db::Tx;
use crate::ids::OrgId;
use crate::on_tx;

/// The stamp of what applies to every organisation (rules, sensitive periods).
pub const EVERY_ORG: OrgId = OrgId(0);

/// Marks `org_id`'s data as changed ([`EVERY_ORG`]: data that applies to every organisation).
pub async fn bump(tx: &mut Tx, org_id: OrgId) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO duty_stamp (org_id, stamp) VALUES ($1, 1) ON CONFLICT (org_id) DO UPDATE SET stamp = duty_stamp.stamp + 1",
        )
        .bind(org_id)
        .execute(c)
        .await
        .map(|_| ())
    })
}

/// The current stamp of `org_id` (0 before its first bump): a cache of what the stamp covers
/// is valid while it is unchanged.
pub async fn current(tx: &mut Tx, org_id: OrgId) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COALESCE(MAX(stamp), 0) FROM duty_stamp WHERE org_id = $1")
            .bind(org_id)
            .fetch_one(c)
            .await
    })
}
