//! Every SQL statement of accountability outcomes.

use super::model::{NewOutcome, OutcomeRow};
use crate::db::Tx;
use crate::ids::{AccidentId, AccountId, AccountabilityId, OrgId};
use crate::on_tx;

const SELECT: &str = "SELECT o.id, o.accident_id, o.subject, o.name, o.position, o.id_number_masked, o.kind, \
     o.principal_responsibility, o.fine_yuan, o.income_yuan, o.aggravated, o.decided_on, o.penalty_ends_on, \
     o.document_no, o.note, o.created_at, (SELECT COUNT(*) FROM ban b WHERE b.accountability_id = o.id) AS bans \
     FROM accountability o";

/// The person's ID number as stored: sealed, blind index, masked (all empty when none).
pub struct Protected {
    pub sealed: String,
    pub index: String,
    pub masked: String,
}

/// Who records, and when (server clock).
#[derive(Clone, Copy)]
pub struct By {
    pub account: AccountId,
    pub org: OrgId,
    pub at: i64,
}

pub async fn insert(
    tx: &mut Tx,
    accident: AccidentId,
    o: &NewOutcome,
    p: &Protected,
    by: By,
) -> Result<AccountabilityId, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO accountability (accident_id, subject, name, position, id_number_sealed, id_number_index, \
             id_number_masked, kind, principal_responsibility, fine_yuan, income_yuan, aggravated, decided_on, \
             penalty_ends_on, document_no, note, created_by, created_by_org, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        )
        .bind(accident)
        .bind(o.subject.code())
        .bind(&o.name)
        .bind(&o.position)
        .bind(&p.sealed)
        .bind(&p.index)
        .bind(&p.masked)
        .bind(o.kind.code())
        .bind(o.principal_responsibility)
        .bind(o.fine_yuan)
        .bind(o.income_yuan)
        .bind(o.aggravated)
        .bind(o.decided_on.to_string())
        .bind(o.penalty_ends_on.map(|d| d.to_string()))
        .bind(&o.document_no)
        .bind(&o.note)
        .bind(by.account)
        .bind(by.org)
        .bind(by.at)
        .fetch_one(c)
        .await
    })
}

pub async fn by_id(tx: &mut Tx, id: AccountabilityId) -> Result<Option<OutcomeRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE o.id = $1"));
    on_tx!(tx, |c| sqlx::query_as::<_, OutcomeRow>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// The outcomes of an accident, in the order recorded.
pub async fn of_accident(tx: &mut Tx, id: AccidentId) -> Result<Vec<OutcomeRow>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE o.accident_id = $1 ORDER BY o.id"));
    on_tx!(tx, |c| sqlx::query_as::<_, OutcomeRow>(sql)
        .bind(id)
        .fetch_all(c)
        .await)
}
