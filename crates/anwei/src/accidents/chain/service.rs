//! Use cases of the reporting chain (条例 第九条 to 第十一条): the hops are created with the
//! accident and extended by a regrade (in those use cases' transactions); a level inside the
//! platform acknowledges its hop (server time), the city office records the hops outside it,
//! and each level records whom it notified (第十条). Every clock is `anwei_rules::accident::chain`.

use anwei_rules::accident::Grade;
use anwei_rules::accident::chain::{self, Hop, Notified, ReportLevel};
use chrono::DateTime;
use serde_json::json;

use super::model::{NoticeInput, RecordInput};
use super::store::{self, Close, HopRow, NewNotice};
use crate::accidents::model::AccidentRow;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::{Tx, is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::AccidentId;
use crate::state::AppState;

/// What audit records call a hop.
pub const SUBJECT: &str = "accident_hop";

fn utc(ms: i64) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// The chain a new accident's grade requires; the unit's clock starts at the accident's time.
pub async fn start_chain(
    tx: &mut Tx,
    id: AccidentId,
    grade: Grade,
    occurred_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    store::add_hops(tx, id, &chain::hops(grade), Some(occurred_at), now).await
}

/// The hops a regrade adds (`chain::escalation`). The first new hop's clock starts now when
/// its level already has the report (a new clock for the new required level), otherwise when
/// that level acknowledges; the city office is told in its inbox (and by mail).
pub async fn escalate(
    tx: &mut Tx,
    id: AccidentId,
    region_path: &str,
    added: &[Hop],
    now: i64,
) -> Result<(), sqlx::Error> {
    let (Some(first), Some(last)) = (added.first(), added.last()) else {
        return Ok(());
    };
    let hops = store::hops(tx, id).await?;
    let has_it = hops
        .iter()
        .any(|h| h.to_level.0 == first.from && h.acknowledged_at.is_some());
    store::add_hops(tx, id, added, has_it.then_some(now), now).await?;
    let args = json!({"level": {"zh": last.to.name_zh(), "en": last.to.name_en()}});
    let link = format!("/accidents/{id}");
    for org in store::offices_at(tx, city_path(region_path)).await? {
        crate::notify::service::notify_org(
            tx,
            org,
            "accident_chain.escalated_title",
            "accident_chain.escalated_body",
            &args,
            &link,
        )
        .await?;
    }
    Ok(())
}

/// The hops and notifications of an accident, for its detail.
pub async fn of(
    tx: &mut Tx,
    id: AccidentId,
) -> Result<(Vec<HopRow>, Vec<store::NoticeRow>), sqlx::Error> {
    Ok((store::hops(tx, id).await?, store::notices(tx, id).await?))
}

/// The path prefix of the region at `depth` slashes (`/1/` the city, `/1/3/` a county), or the
/// whole path when it is shorter.
fn prefix(path: &str, depth: usize) -> &str {
    match path.match_indices('/').nth(depth - 1) {
        Some((i, _)) => &path[..=i],
        None => path,
    }
}

/// The county of an accident's region (its own path when it lies at the city level).
pub fn county_path(region_path: &str) -> &str {
    prefix(region_path, 3)
}

/// The city of an accident's region.
pub fn city_path(region_path: &str) -> &str {
    prefix(region_path, 2)
}

/// Whether `actor` acts for `level` of accident `a`: the county's office, departments and
/// government for `county`; the city office for `city` and for recording the levels above.
pub fn acts_for(actor: &Actor, a: &AccidentRow, level: ReportLevel) -> bool {
    match level {
        ReportLevel::Unit => false,
        ReportLevel::County => {
            matches!(
                actor.role,
                Role::Office | Role::Department | Role::Territory
            ) && actor.region_path == county_path(&a.region_path)
        }
        _ => actor.is_city_office(),
    }
}

fn parse_level(code: &str) -> AppResult<ReportLevel> {
    ReportLevel::parse(code.trim())
        .filter(|l| *l != ReportLevel::Unit)
        .ok_or_else(|| AppError::field("level", Msg::new("accident_chain.level_unknown")))
}

fn conflict(key: &'static str) -> AppError {
    AppError::Conflict(Msg::new(key))
}

/// Opens the use case on a hop: the accident in scope (404), the role (403), the level known
/// (422) and the actor acting for it (403, audited).
async fn open<'s>(
    state: &'s AppState,
    actor: &'s Actor,
    id: AccidentId,
    level: &str,
    action: &'static str,
) -> AppResult<(Act<'s>, AccidentRow, ReportLevel)> {
    let mut act = Act::begin(state, actor).await?;
    let a = crate::accidents::service::visible(&mut act, id, action).await?;
    let sid = format!("{id}/{level}");
    let t = Target {
        kind: SUBJECT,
        id: &sid,
    };
    act.require(Perm::AccidentReport, action, t).await?;
    let level = parse_level(level)?;
    if !acts_for(actor, &a, level) {
        let e = AppError::Refused(Msg::new("accident_chain.not_your_level"));
        return Err(act.refused(action, t, e).await);
    }
    Ok((act, a, level))
}

/// The open hop into `level` whose clock runs; 409 when the level is not in the chain, is
/// acknowledged already, or the level below has not had the report yet.
fn open_hop(hops: Vec<HopRow>, level: ReportLevel) -> AppResult<(HopRow, i64)> {
    let hop = hops
        .into_iter()
        .find(|h| h.to_level.0 == level)
        .ok_or_else(|| conflict("accident_chain.not_in_chain"))?;
    if hop.acknowledged_at.is_some() {
        return Err(conflict("accident_chain.already_acknowledged"));
    }
    let due = hop
        .due_at
        .ok_or_else(|| conflict("accident_chain.not_started"))?;
    Ok((hop, due))
}

/// 接报确认: the receiving level (county or city) acknowledges its hop at the server's time;
/// late past the due time (迟报, minutes rounded up); the clock of the hop above starts.
pub async fn acknowledge(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    level: &str,
) -> AppResult<HopRow> {
    const ACTION: &str = "accident.hop.acknowledge";
    let (mut act, _, level) = open(state, actor, id, level, ACTION).await?;
    if !level.inside_platform() {
        return Err(conflict("accident_chain.outside_platform"));
    }
    let hops = store::hops(act.tx(), id).await?;
    let (hop, due) = open_hop(hops, level)?;
    let now = now_ms();
    let late = chain::late_minutes(utc(due), utc(now));
    let close = Close {
        at: now,
        by: actor.account_id,
        org: actor.org_id,
        late_minutes: late,
        method: "",
        recipient: "",
        receipt: "",
        recorded_at: None,
    };
    finish(act, id, hop.id, level, &close, ACTION).await
}

/// 上报记录: the city office records a hop outside the platform (to the province, to the State
/// Council level): when it was sent (not in the future, not before the level had it), how, to
/// whom and the receipt; late against the same clock.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    level: &str,
    input: &RecordInput,
) -> AppResult<HopRow> {
    const ACTION: &str = "accident.hop.record";
    let (mut act, _, level) = open(state, actor, id, level, ACTION).await?;
    if level.inside_platform() {
        return Err(conflict("accident_chain.inside_platform"));
    }
    let now = now_ms();
    let r = input.parse(now)?;
    let hops = store::hops(act.tx(), id).await?;
    let (hop, due) = open_hop(hops, level)?;
    if hop.received_at.is_some_and(|start| r.sent_at < start) {
        return Err(AppError::field(
            "sent_at",
            Msg::new("accident_chain.sent_before_received"),
        ));
    }
    let close = Close {
        at: r.sent_at,
        by: actor.account_id,
        org: actor.org_id,
        late_minutes: chain::late_minutes(utc(due), utc(r.sent_at)),
        method: &r.method,
        recipient: &r.recipient,
        receipt: &r.receipt,
        recorded_at: Some(now),
    };
    finish(act, id, hop.id, level, &close, ACTION).await
}

async fn finish(
    mut act: Act<'_>,
    id: AccidentId,
    hop_id: i64,
    level: ReportLevel,
    c: &Close<'_>,
    action: &'static str,
) -> AppResult<HopRow> {
    if store::close(act.tx(), hop_id, c).await? == 0 {
        return Err(conflict("accident_chain.already_acknowledged"));
    }
    store::start(act.tx(), id, level, c.at).await?;
    let ev = Event::ok(action, SUBJECT, hop_id).detail(json!({
        "accident": id, "level": level.code(), "at": c.at, "late_minutes": c.late_minutes,
    }));
    act.audit(ev).await?;
    let hop = store::hops(act.tx(), id)
        .await?
        .into_iter()
        .find(|h| h.id == hop_id)
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(hop)
}

/// 通知: records that a level which has the report notified one of the four bodies of 第十条
/// (公安、人社、工会、检察院), once per level and body.
pub async fn notice(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &NoticeInput,
) -> AppResult<()> {
    const ACTION: &str = "accident.notice.record";
    let (mut act, _, level) = open(state, actor, id, &input.level, ACTION).await?;
    let now = now_ms();
    let n = input.parse(now)?;
    let body: Notified = n.body;
    let hops = store::hops(act.tx(), id).await?;
    let has_it = hops
        .iter()
        .any(|h| h.to_level.0 == level && h.acknowledged_at.is_some());
    if !has_it {
        return Err(conflict("accident_chain.level_has_no_report"));
    }
    let new = NewNotice {
        level,
        body: body.code(),
        notified_at: n.notified_at,
        method: &n.method,
        note: &n.note,
        by: actor.account_id,
        at: now,
    };
    match store::add_notice(act.tx(), id, &new).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(conflict("accident_chain.notice_recorded"));
        }
        r => r?,
    }
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "level": level.code(), "body": body.code(), "notified_at": n.notified_at,
    }));
    act.audit(ev).await?;
    act.commit().await
}

/// The office's board: the open hops with a running clock of accidents in the actor's region,
/// the most urgent first (an enterprise has no board: 403).
pub async fn board(state: &AppState, actor: &Actor) -> AppResult<Vec<store::BoardRow>> {
    const ACTION: &str = "accident.board";
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: SUBJECT,
        id: "",
    };
    act.require(Perm::AccidentRead, ACTION, t).await?;
    if actor.role == Role::Enterprise {
        return Err(act.refused(ACTION, t, AppError::Forbidden).await);
    }
    Ok(store::board(act.tx(), &actor.region_path, 500).await?)
}

/// 及时率 (issue 12), for the accident statistics inside their read: the hops of accidents
/// under `path_like` due in `from..to` (epoch ms, whole UTC+8 months), per reporting level,
/// from the hop tally (migration 0028); open hops past due are the tally's unacknowledged ones
/// less those whose clock still runs at `now` (server clock).
pub async fn on_time_by_level(
    tx: &mut Tx,
    path_like: &str,
    from: i64,
    to: i64,
    now: i64,
) -> Result<Vec<store::LevelTally>, sqlx::Error> {
    let month = |ms: i64| crate::time::shanghai_date(ms).format("%Y-%m").to_string();
    let mut rows = store::tally_by_level(tx, path_like, &month(from), &month(to - 1)).await?;
    let running = store::running_by_level(tx, path_like, from, to, now).await?;
    for r in &mut rows {
        let still = running
            .iter()
            .find(|(l, _)| *l == r.level)
            .map_or(0, |x| x.1);
        r.overdue = (r.due - r.on_time - r.late - still).max(0);
    }
    Ok(rows)
}
