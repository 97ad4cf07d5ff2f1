//! The one SQL statement of the assessment inputs.

use crate::db::Tx;
use crate::ids::AccidentId;
use crate::on_tx;

/// An accident of grade 较大 or worse, as the veto reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraveRow {
    pub id: AccidentId,
    pub region_path: String,
    pub region_code: String,
    pub grade: String,
    pub occurred_at: i64,
    pub unit_name: String,
}

/// The accidents graded 较大 or worse under `path_like` that happened in `from..to` (epoch
/// ms), the latest first: few, over the (region_path, occurred_at) index.
pub async fn grave(
    tx: &mut Tx,
    path_like: &str,
    from: i64,
    to: i64,
) -> Result<Vec<GraveRow>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as::<_, GraveRow>(
            "SELECT a.id, a.region_path, r.code AS region_code, a.grade, a.occurred_at, a.unit_name \
             FROM accident a JOIN region r ON r.id = a.region_id \
             WHERE a.region_path LIKE $1 AND a.occurred_at >= $2 AND a.occurred_at < $3 \
             AND a.grade IN ('serious', 'very_serious', 'extremely_serious') \
             ORDER BY a.occurred_at DESC, a.id DESC",
        )
        .bind(path_like)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await
    })
}
