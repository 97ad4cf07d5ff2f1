//! 重复举报提示: on a case's page, other cases of the same region (the same county-level
//! region) that name the same unit or describe much the same thing — a suggestion for the
//! handler, never a merge. Only cases the viewer may read are compared: a department only those
//! routed to it, the office those of the region (which its scope already holds). Similarity of
//! descriptions is the overlap (Jaccard) of their character bigrams after normalising (letters
//! and digits only, lower case), which suits Chinese text without a word segmenter.

use std::collections::BTreeSet;

use serde::Serialize;

use super::model::ReportRow;
use crate::auth::model::{Actor, Role};
use crate::db::Tx;
use crate::error::AppResult;
use crate::ids::{OrgId, RegionId, ReportId};
use crate::on_tx;

/// Descriptions at least this similar are suggested.
pub const SIMILAR: f64 = 0.5;
/// How many recent cases of the region are compared.
const WINDOW: i64 = 500;

/// A case suggested as a possible duplicate, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Duplicate {
    pub id: ReportId,
    pub status: String,
    pub received_on: String,
    pub same_unit: bool,
    /// 0–1, the overlap of the descriptions.
    pub similarity: f64,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: ReportId,
    status: String,
    received_on: String,
    unit_name: String,
    description: String,
}

/// Letters and digits only, lower case.
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn bigrams(s: &str) -> BTreeSet<(char, char)> {
    let c: Vec<char> = normalise(s).chars().collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The Jaccard overlap of two texts' character bigrams (0 when either has none).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (bigrams(a), bigrams(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(&b).count() as f64;
    common / (a.len() as f64 + b.len() as f64 - common)
}

/// Possible duplicates of `r` that `actor` may read, the most similar first.
pub async fn of(tx: &mut Tx, actor: &Actor, r: &ReportRow) -> AppResult<Vec<Duplicate>> {
    let handler = (actor.role == Role::Department).then_some(actor.org_id);
    let rows = candidates(tx, r.region_id, r.id, handler).await?;
    let unit = normalise(&r.unit_name);
    let mut out: Vec<Duplicate> = rows
        .into_iter()
        .filter_map(|c| {
            let same_unit = !unit.is_empty() && normalise(&c.unit_name) == unit;
            let similarity = similarity(&r.description, &c.description);
            (same_unit || similarity >= SIMILAR).then_some(Duplicate {
                id: c.id,
                status: c.status,
                received_on: c.received_on,
                same_unit,
                similarity: (similarity * 100.0).round() / 100.0,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(b.id.0.cmp(&a.id.0))
    });
    out.truncate(10);
    Ok(out)
}

async fn candidates(
    tx: &mut Tx,
    region: RegionId,
    not: ReportId,
    handler: Option<OrgId>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, status, received_on, unit_name, description FROM report \
         WHERE region_id = $1 AND id <> $2 AND ($3 IS NULL OR handler_org_id = $3) \
         ORDER BY id DESC LIMIT $4"
    )
    .bind(region)
    .bind(not)
    .bind(handler)
    .bind(WINDOW)
    .fetch_all(c)
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_descriptions_overlap_and_different_ones_do_not() {
        let a = "某化工厂储罐区可燃气体报警器长期失效";
        assert!((similarity(a, a) - 1.0).abs() < 1e-9);
        assert!(similarity(a, "某化工厂储罐区的可燃气体报警器长期失效，无人管") >= SIMILAR);
        assert!(similarity(a, "夜间违规动火作业，无人监护") < 0.2);
        assert_eq!(similarity("", a), 0.0);
        assert_eq!(normalise(" 东昌 某化工-企业 "), "东昌某化工企业");
    }
}
