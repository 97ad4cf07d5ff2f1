//! 举报时限: a routed report is verified within `[reports] verify_days` (default 60) of its
//! routing and answered within `answer_days` (default 10) of its verification; the deadlines
//! are set by the handling steps on the server's date. The handler list filters the overdue
//! (`overdue=true`); once a day the sweep reminds the handling department of each report due
//! within [`REMIND_DAYS`] or overdue, in its inbox. A reminder names the case by number and
//! its deadline, never the reporter, the description or a file. An approved extension (延期,
//! `extension`) moves `verify_due`, so the sweep reminds on the moved date and says so
//! (`extended`).

use serde_json::json;

use super::service::SUBJECT;
use crate::audit::{self, Event, Who};
use crate::db::Tx;
use crate::ids::{OrgId, ReportId};
use crate::on_tx;
use crate::state::AppState;

/// Days before a deadline the handling department is reminded.
pub const REMIND_DAYS: u64 = 3;

/// A report whose deadline is near or past.
#[derive(sqlx::FromRow)]
struct Due {
    id: ReportId,
    handler_org_id: OrgId,
    status: String,
    due: String,
    /// The verification deadline was moved by an approved extension (延期).
    extended: bool,
}

/// The daily sweep (job `reports.sweep`, once per date): one notice per report due within
/// [`REMIND_DAYS`] or overdue to every account of its handling department, audited as the
/// system. Returns how many reports were reminded of.
pub async fn sweep(state: &AppState) -> anyhow::Result<usize> {
    let today = crate::time::today();
    let horizon = (today + chrono::Days::new(REMIND_DAYS)).to_string();
    let mut tx = state.db.begin().await?;
    let due = due_by(&mut tx, &horizon).await?;
    for d in &due {
        let overdue = crate::time::parse_date(&d.due).is_some_and(|x| x < today);
        let kind = match (d.status.as_str(), overdue) {
            ("verifying", true) => "report_verify_overdue",
            ("verifying", false) => "report_verify_due",
            (_, true) => "report_answer_overdue",
            (_, false) => "report_answer_due",
        };
        let link = format!("/reports/{}", d.id);
        let notified = crate::notify::service::notify_org(
            &mut tx,
            d.handler_org_id,
            &format!("notice.{kind}.title"),
            &format!("notice.{kind}.body"),
            &json!({"id": d.id.to_string(), "due": d.due, "extended": d.extended}),
            &link,
        )
        .await?;
        audit::record(
            state,
            &mut tx,
            &Who::system("reports"),
            Event::ok("report.remind", SUBJECT, d.id)
                .detail(json!({"kind": kind, "due": d.due, "notified": notified,
                    "extended": d.extended})),
        )
        .await
        .map_err(|e| anyhow::anyhow!("audit of a report reminder: {e:?}"))?;
    }
    tx.commit().await?;
    Ok(due.len())
}

async fn due_by(tx: &mut Tx, horizon: &str) -> Result<Vec<Due>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, handler_org_id, status, \
         CASE WHEN status = 'verifying' THEN verify_due ELSE answer_due END AS due, \
         EXISTS (SELECT 1 FROM report_extension x WHERE x.report_id = report.id \
         AND x.status = 'approved') AS extended FROM report \
         WHERE handler_org_id IS NOT NULL AND ((status = 'verifying' AND verify_due <= $1) \
         OR (status = 'verified' AND answer_due <= $1)) ORDER BY id"
    )
    .bind(horizon)
    .fetch_all(c)
    .await)
}
