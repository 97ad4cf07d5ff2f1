//! 转办: the office (or the department handling it) hands a report to another department or
//! to another territory's office. The receiving side gets the case — description, category,
//! place, attachments as evidence — but not the reporter's identity: its custodians cannot
//! reveal it (403, audited) unless a custodian with identity rights on the sending side
//! explicitly includes it, with a reason (audited as its own event, `report.transfer_identity`).
//! The identity itself is never copied: the sealed column stays as it is and only the region
//! path of the side holding the right to reveal it (`report.identity_path`) moves.
//!
//! A transfer to a department makes it the handler (the report is then being verified); to a
//! territory's office (安委办) moves the report into that territory, unrouted, for its office
//! to route. Either way the case leaves the sender's lists (a department's list holds only what
//! is routed to it; a county's only its territory) and the chain is kept (`report_transfer`).

use anwei_rules::report::Status;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::model::ReportRow;
use super::service::{Detail, SUBJECT};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::{Tx, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccountId, OrgId, RegionId, ReportId};
use crate::on_tx;
use crate::orgs::model::OrgRow;
use crate::state::AppState;
use crate::web::extract::text;

/// `POST /api/v1/reports/{id}/transfer`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TransferInput {
    /// The receiving organisation's code: a department (`220503-YJ`) or a territory's office
    /// (`220503-AWB`).
    #[serde(default)]
    pub to_org: String,
    /// Why (转办理由).
    #[serde(default)]
    pub reason: String,
    /// Hand the right to reveal the identity to the receiving side (a custodian only).
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub include_identity: bool,
    /// Why the identity goes along; required with `include_identity`.
    #[serde(default)]
    pub identity_reason: String,
}

/// One link of the transfer chain, as staff see it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct TransferRow {
    pub from_code: String,
    pub from_name: String,
    pub to_code: String,
    pub to_name: String,
    pub account_name: String,
    pub reason: String,
    pub identity_included: bool,
    pub at: i64,
}

fn target(sid: &str) -> Target<'_> {
    Target {
        kind: SUBJECT,
        id: sid,
    }
}

/// Whether `actor` may transfer report `r` now: the office (triage), or the department it is
/// routed to, while it is accepted or being verified.
pub fn may_transfer(actor: &Actor, r: &ReportRow) -> bool {
    let open = matches!(r.status, Status::Accepted | Status::Verifying);
    let who = if actor.role == Role::Department {
        actor.can(Perm::ReportVerify) && r.handler_org_id == Some(actor.org_id)
    } else {
        actor.can(Perm::ReportTriage)
    };
    open && who && !actor.is_read_only()
}

/// The region path of the side holding the right to reveal the identity.
pub fn identity_path(r: &ReportRow) -> &str {
    if r.identity_path.is_empty() {
        &r.region_path
    } else {
        &r.identity_path
    }
}

/// Whether a custodian at `actor`'s place holds the right to reveal `r`'s identity: at or above
/// the territory keeping it.
pub fn holds_identity(actor: &Actor, r: &ReportRow) -> bool {
    identity_path(r).starts_with(&actor.region_path)
}

/// Transfers report `id` in one transaction: the permission (403), the report in scope (a
/// department: routed to it; else 404), the status (409), the fields (422), the identity right
/// (403, audited), then the move, the chain link and the audit records.
pub async fn transfer(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &TransferInput,
) -> AppResult<(String, Option<Detail>)> {
    const ACTION: &str = "report.transfer";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    let perm = if actor.role == Role::Department {
        Perm::ReportVerify
    } else {
        Perm::ReportTriage
    };
    act.require(perm, ACTION, target(&sid)).await?;
    let r = super::service::load(&mut act, id, ACTION).await?;
    if !matches!(r.status, Status::Accepted | Status::Verifying) {
        return Err(AppError::Conflict(Msg::new("reports.step_not_now")));
    }
    let mut e = Vec::new();
    let reason = text("reason", &input.reason, 500, true, &mut e);
    let to = receiver(&mut act, &input.to_org, &r, &mut e).await?;
    let identity_reason = text(
        "identity_reason",
        &input.identity_reason,
        500,
        input.include_identity,
        &mut e,
    );
    if input.include_identity && r.anonymous {
        e.push((
            "include_identity".into(),
            Msg::new("report_handling.anonymous_no_identity"),
        ));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let to = to.expect("checked");
    if input.include_identity {
        let custodian = actor.role == Role::Office
            && !actor.is_read_only()
            && super::store::is_custodian(act.tx(), actor.account_id).await?
            && holds_identity(actor, &r);
        if !custodian {
            let why = AppError::Refused(Msg::new("report_handling.identity_not_yours"));
            return Err(act
                .refused("report.transfer_identity", target(&sid), why)
                .await);
        }
    }
    let keeps = if input.include_identity {
        to.region_path.clone()
    } else {
        identity_path(&r).to_string()
    };
    let now = now_ms();
    let moved = if to.kind == "department" {
        let due = match &r.verify_due {
            Some(d) => d.clone(),
            None => anwei_rules::report::due(crate::time::today(), state.cfg.reports.verify_days)
                .to_string(),
        };
        to_department(act.tx(), &r, to.id, &due, &keeps, now).await?
    } else {
        to_territory(act.tx(), &r, to.region_id, &to.region_path, &keeps, now).await?
    };
    if moved == 0 {
        return Err(AppError::Conflict(Msg::new("reports.changed_meanwhile")));
    }
    let from = r
        .handler_org_id
        .filter(|_| actor.role == Role::Department)
        .unwrap_or(actor.org_id);
    let link = Link {
        from,
        to: to.id,
        by: actor.account_id,
        reason: &reason,
        identity_included: input.include_identity,
        identity_reason: &identity_reason,
        at: now,
    };
    insert(act.tx(), id, &link).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "to": to.code, "reason": reason, "identity_included": input.include_identity,
    })))
    .await?;
    if input.include_identity {
        act.audit(
            Event::ok("report.transfer_identity", SUBJECT, id)
                .detail(json!({"to": to.code, "reason": identity_reason})),
        )
        .await?;
    }
    act.commit().await?;
    // The case may have left the sender's sight with the transfer (a department handing it on,
    // a county handing it to another): then there is nothing more to show it.
    let still = actor.role != Role::Department
        && (to.kind == "department" || to.region_path.starts_with(&actor.region_path));
    let after = if still {
        Some(super::service::get(state, actor, id).await?)
    } else {
        None
    };
    Ok((to.code, after))
}

/// The receiving organisation: a current department or territory office (安委办), anywhere,
/// other than the one holding the case now.
async fn receiver(
    act: &mut Act<'_>,
    code: &str,
    r: &ReportRow,
    e: &mut Vec<(String, Msg)>,
) -> AppResult<Option<OrgRow>> {
    let code = code.trim();
    if code.is_empty() {
        e.push(("to_org".into(), Msg::new("error.required")));
        return Ok(None);
    }
    let found = crate::orgs::service::current_anywhere(act, code).await?;
    let Some(o) = found.filter(|o| matches!(o.kind.as_str(), "department" | "safety_office"))
    else {
        e.push((
            "to_org".into(),
            Msg::new("report_handling.receiver_unknown"),
        ));
        return Ok(None);
    };
    let same = if o.kind == "department" {
        r.handler_org_id == Some(o.id)
    } else {
        r.handler_org_id.is_none() && o.region_path == r.region_path
    };
    if same {
        e.push(("to_org".into(), Msg::new("report_handling.receiver_same")));
        return Ok(None);
    }
    Ok(Some(o))
}

async fn to_department(
    tx: &mut Tx,
    r: &ReportRow,
    dept: OrgId,
    due: &str,
    keeps: &str,
    now: i64,
) -> AppResult<u64> {
    Ok(on_tx!(tx, |c| sqlx::query(
        "UPDATE report SET status = 'verifying', handler_org_id = $3, verify_due = $4, \
         identity_path = $5, updated_at = $6 WHERE id = $1 AND status = $2"
    )
    .bind(r.id)
    .bind(r.status.code())
    .bind(dept)
    .bind(due)
    .bind(keeps)
    .bind(now)
    .execute(c)
    .await
    .map(|x| x.rows_affected()))?)
}

async fn to_territory(
    tx: &mut Tx,
    r: &ReportRow,
    region: RegionId,
    path: &str,
    keeps: &str,
    now: i64,
) -> AppResult<u64> {
    Ok(on_tx!(tx, |c| sqlx::query(
        "UPDATE report SET status = 'accepted', handler_org_id = NULL, verify_due = NULL, \
         region_id = $3, region_path = $4, identity_path = $5, updated_at = $6 \
         WHERE id = $1 AND status = $2"
    )
    .bind(r.id)
    .bind(r.status.code())
    .bind(region)
    .bind(path)
    .bind(keeps)
    .bind(now)
    .execute(c)
    .await
    .map(|x| x.rows_affected()))?)
}

struct Link<'a> {
    from: OrgId,
    to: OrgId,
    by: AccountId,
    reason: &'a str,
    identity_included: bool,
    identity_reason: &'a str,
    at: i64,
}

async fn insert(tx: &mut Tx, id: ReportId, l: &Link<'_>) -> AppResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO report_transfer (report_id, from_org_id, to_org_id, account_id, reason, \
         identity_included, identity_reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(id)
    .bind(l.from)
    .bind(l.to)
    .bind(l.by)
    .bind(l.reason)
    .bind(l.identity_included)
    .bind(l.identity_reason)
    .bind(l.at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The transfer chain of a report, oldest first.
pub async fn chain(tx: &mut Tx, id: ReportId) -> AppResult<Vec<TransferRow>> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT f.code AS from_code, f.name AS from_name, o.code AS to_code, o.name AS to_name, \
         a.display_name AS account_name, t.reason, t.identity_included, t.at \
         FROM report_transfer t JOIN org f ON f.id = t.from_org_id JOIN org o ON o.id = t.to_org_id \
         JOIN account a ON a.id = t.account_id WHERE t.report_id = $1 ORDER BY t.id"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })?)
}
