//! The SQL of the enterprise registry's batches in the tree: codes looked up, organisations
//! added 1,000 a statement, an enterprise moved to another region.

use crate::db::Tx;
use crate::ids::{OrgId, RegionId};
use crate::on_tx;

/// Which of these codes an organisation already has (1,000 a statement).
pub async fn codes_existing(tx: &mut Tx, codes: &[&str]) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in codes.chunks(1000) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT code FROM org WHERE code IN ({})",
            crate::db::in_list(tx.backend(), chunk.len())
        ));
        let mut found: Vec<String> = on_tx!(&mut *tx, |c| {
            let mut q = sqlx::query_scalar(sql);
            for code in chunk {
                q = q.bind(*code);
            }
            q.fetch_all(c).await
        })?;
        out.append(&mut found);
    }
    Ok(out)
}

/// An enterprise's organisation in a batch: code (the credit code), name, region, level.
pub struct BulkOrg<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub region_id: RegionId,
    pub level: &'a str,
}

/// Enterprises' organisations in batches of 1,000 (each with its first name in the history, as
/// [`insert`] does); their ids in the order given.
pub async fn insert_enterprises(
    tx: &mut Tx,
    rows: &[BulkOrg<'_>],
    now: i64,
) -> Result<Vec<OrgId>, sqlx::Error> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(1000) {
        let b = tx.backend();
        // Four parameters a row, the constants written in (`now` is an integer: formatting it
        // cannot inject anything).
        let rows: Vec<String> = crate::db::values_rows(b, 4, chunk.len())
            .split("),(")
            .map(|r| {
                let p: Vec<&str> = r
                    .trim_matches(|c| c == '(' || c == ')')
                    .split(',')
                    .collect();
                format!(
                    "({}, {}, 'enterprise', {}, {}, 1000, FALSE, {now}, {now})",
                    p[0], p[1], p[2], p[3]
                )
            })
            .collect();
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO org (code, name, kind, level, region_id, sort_order, builtin, created_at, updated_at) VALUES {}",
            rows.join(",")
        ));
        on_tx!(&mut *tx, |c| {
            let mut q = sqlx::query(sql);
            for o in chunk {
                q = q.bind(o.code).bind(o.name).bind(o.level).bind(o.region_id);
            }
            q.execute(c).await.map(|_| ())
        })?;
        let list = crate::db::in_list(b, chunk.len());
        let sql = sqlx::AssertSqlSafe(format!("SELECT id, code FROM org WHERE code IN ({list})"));
        let found: Vec<(OrgId, String)> = on_tx!(&mut *tx, |c| {
            let mut q = sqlx::query_as(sql);
            for o in chunk {
                q = q.bind(o.code);
            }
            q.fetch_all(c).await
        })?;
        let by_code: std::collections::HashMap<&str, OrgId> = found
            .iter()
            .map(|(id, code)| (code.as_str(), *id))
            .collect();
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO org_name_history (org_id, name, valid_from) SELECT id, name, created_at FROM org WHERE code IN ({list})"
        ));
        on_tx!(&mut *tx, |c| {
            let mut q = sqlx::query(sql);
            for o in chunk {
                q = q.bind(o.code);
            }
            q.execute(c).await.map(|_| ())
        })?;
        for o in chunk {
            ids.push(*by_code.get(o.code).ok_or(sqlx::Error::RowNotFound)?);
        }
    }
    Ok(ids)
}

pub async fn move_to_region(
    tx: &mut Tx,
    id: OrgId,
    region: RegionId,
    level: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE org SET region_id = $2, level = $3, updated_at = $4, version = version + 1 WHERE id = $1"
    )
    .bind(id)
    .bind(region)
    .bind(level)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ())
    })
}
