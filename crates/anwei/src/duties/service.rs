//! Use cases of recurring duties (党政同责、一岗双责): record activities (履职记录) with 抄报 of
//! standing-committee minutes, declare sensitive periods, and compute compliance per holder,
//! rule and period. Permission and data scope are checked here, on every call.

use anwei_rules::duties::{ActivityKind, Period, PeriodKind};
use chrono::NaiveDate;
use serde_json::json;

use super::engine;
use super::model::{
    AcceptLateInput, ActivityFilter, ActivityPatch, ActivityRow, ComplianceItem, DeliveryRow,
    EvidenceRow, NewActivityInput,
};
use super::store::{self, ListParams, NewActivity};
use crate::act::{Act, Scoped, Target};
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm, Role};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
pub use crate::files::Upload;
use crate::i18n::Msg;
use crate::ids::{ActivityId, FileId, OrgId, PersonId};
use crate::orgs::model::OrgRow;
use crate::orgs::service::scope_params;
use crate::state::AppState;

/// What a refusal about a record is called in the audit log.
fn activity(id: &str) -> Target<'_> {
    Target {
        kind: "activity",
        id,
    }
}

/// A record lies in the scope of its organisation.
impl Scoped for ActivityRow {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::time::parse_date(text)
}

/// A record entered after the month of its date had closed is late (the frozen-period rule).
/// The month is the finest period any rule uses, so a late record may still count for a
/// coarser period that was open when it was entered (the compliance core decides per window);
/// for a period already closed it counts only once the office accepts it.
pub fn is_late(date: NaiveDate, today: NaiveDate) -> bool {
    Period::containing(PeriodKind::Month, date).end() < today
}

/// The committee office one level up from `org`: the safety office whose region strictly
/// encloses the organisation's region, the nearest one first. None for city organisations.
fn upper_office(offices: &[(OrgId, String)], org: &OrgRow) -> Option<OrgId> {
    offices
        .iter()
        .filter(|(_, path)| org.region_path.starts_with(path.as_str()) && *path != org.region_path)
        .max_by_key(|(_, path)| path.len())
        .map(|(id, _)| *id)
}

/// The fields of a record, checked: every problem goes to `e`, field by field.
struct Fields {
    kind: Option<ActivityKind>,
    date: Option<NaiveDate>,
    title: String,
    participants: String,
    topics: String,
    places: String,
    findings: String,
    person_id: Option<PersonId>,
    area_code: String,
}

/// An area a led inspection can be about: a region code of the built-in tree (a county or a
/// zone) or `sector:<code>`.
async fn check_area(act: &mut Act<'_>, code: &str) -> AppResult<bool> {
    if let Some(sector) = code.strip_prefix("sector:") {
        return Ok(anwei_rules::org::Sector::parse(sector).is_some());
    }
    Ok(crate::orgs::service::region_by_code(act, code)
        .await?
        .is_some())
}

async fn check_fields(
    act: &mut Act<'_>,
    org: &OrgRow,
    input: &NewActivityInput,
    today: NaiveDate,
    e: &mut Vec<(String, Msg)>,
) -> AppResult<Fields> {
    let kind = ActivityKind::parse(input.kind.trim());
    if kind.is_none() {
        e.push(("kind".to_string(), Msg::new("duties.kind_unknown")));
    }
    let date = parse_date(&input.date);
    match date {
        None => e.push(("date".to_string(), Msg::new("duties.date_invalid"))),
        Some(d) if d > today => e.push(("date".to_string(), Msg::new("duties.date_future"))),
        Some(_) => {}
    }
    let text = crate::web::extract::text;
    let title = text("title", &input.title, 200, true, e);
    let participants = text("participants", &input.participants, 2000, false, e);
    let topics = text("topics", &input.topics, 2000, false, e);
    let places = text("places", &input.places, 2000, false, e);
    let findings = text("findings", &input.findings, 5000, false, e);
    let area_code = text("area_code", &input.area_code, 60, false, e);
    if !area_code.is_empty() && !check_area(act, &area_code).await? {
        e.push(("area_code".to_string(), Msg::new("duties.area_unknown")));
    }
    let mut person_id = input.led_by_person;
    if let Some(pid) = input.led_by_position {
        match crate::people::service::position_in(act, pid).await? {
            Some(p) if p.org_id == org.id && p.retired_at.is_none() => {
                if person_id.is_none() {
                    person_id = p.holder_id;
                }
            }
            _ => e.push((
                "led_by_position".to_string(),
                Msg::new("duties.position_not_of_org"),
            )),
        }
    }
    // A person outside the recorder's scope is as unknown as one who does not exist: no
    // false credit to someone the recorder cannot see, and no way to probe who exists.
    if let Some(pid) = input.led_by_person
        && !crate::people::service::person_in(act, pid)
            .await?
            .is_some_and(|p| crate::act::in_scope(act.actor, &p))
    {
        e.push((
            "led_by_person".to_string(),
            Msg::new("duties.person_unknown"),
        ));
    }
    Ok(Fields {
        kind,
        date,
        title,
        participants,
        topics,
        places,
        findings,
        person_id,
        area_code,
    })
}

/// 履职记录: records one activity. Only the organisation's own accounts, or the committee
/// office for organisations in its scope, may record; see the module doc for the rules.
pub async fn create_activity(
    state: &AppState,
    actor: &Actor,
    input: &NewActivityInput,
    files: Vec<Upload>,
) -> AppResult<ActivityId> {
    const ACTION: &str = "activity.create";
    let org_code = input.org_code.trim();
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::DutyRecord, ACTION, activity(org_code))
        .await?;
    // Outside the scope (or unknown) the organisation does not exist: 404, audited.
    let Some(org) = crate::orgs::service::in_scope_by_code(&mut act, org_code).await? else {
        return Err(act
            .refused(ACTION, activity(org_code), AppError::NotFound)
            .await);
    };
    let own = actor.org_id == org.id;
    if !own && actor.role != Role::Office {
        let refusal = AppError::Refused(Msg::new("duties.only_own_org"));
        return Err(act.refused(ACTION, activity(org_code), refusal).await);
    }
    let today = crate::time::today();
    let mut e = Vec::new();
    let f = check_fields(&mut act, &org, input, today, &mut e).await?;
    drop(act);
    let checked = crate::files::check_uploads(&files, 0, &state.cfg.uploads, &mut e)?;
    let (Some(kind), Some(date), true) = (f.kind, f.date, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    crate::files::store_uploads(&state.files, &checked).await?;
    let date_text = date.to_string();
    let late = is_late(date, today);
    let now = now_ms();
    let new = NewActivity {
        org_id: org.id,
        kind: kind.code(),
        date: &date_text,
        title: &f.title,
        position_id: input.led_by_position,
        person_id: f.person_id,
        participants: &f.participants,
        topics: &f.topics,
        places: &f.places,
        findings: &f.findings,
        area_code: &f.area_code,
        created_by: actor.account_id,
        entered_late: late,
        now,
    };
    let duplicate = || AppError::Conflict(Msg::new("duties.duplicate"));
    // The files are kept before the write lock is taken; the record, its evidence, its 抄报
    // and the audit record commit together.
    let mut act = Act::begin(state, actor).await?;
    if store::duplicate_exists(act.tx(), &new, None).await? {
        return Err(duplicate());
    }
    super::inspection_link::refuse_if_recorded(act.tx(), &new).await?;
    let hashes: Vec<String> = checked.iter().map(|(c, _)| c.sha256.clone()).collect();
    near_duplicate(act.tx(), &new, None, &hashes).await?;
    let id = match store::insert(act.tx(), &new).await {
        Ok(id) => id,
        Err(err) if is_unique_violation(&err) => return Err(duplicate()),
        Err(err) => return Err(err.into()),
    };
    for (c, _) in &checked {
        store::insert_evidence(act.tx(), id, c, actor.account_id, now).await?;
    }
    crate::stamps::bump(act.tx(), org.id).await?;
    let delivered = deliver_minutes(act.tx(), &org, kind, id, now).await?;
    act.audit(Event::ok(ACTION, "activity", id).detail(json!({
        "org": org.code, "kind": kind.code(), "date": date_text, "position": input.led_by_position,
        "entered_late": late, "delivered_to": delivered, "files": checked.len(),
    })))
    .await?;
    act.commit().await?;
    Ok(id)
}

/// Refuses a record that is another entry of one already kept: same organisation, kind, date
/// and leading position, and the same title once normalised (会议X, 会议Ｘ, 会议X（第二次录入）)
/// or the same evidence file. One meeting counts once, however it is typed.
async fn near_duplicate(
    tx: &mut crate::db::Tx,
    new: &NewActivity<'_>,
    except: Option<ActivityId>,
    hashes: &[String],
) -> AppResult<()> {
    let title = anwei_rules::duties::normalised_title(new.title);
    for (other, other_title, sha) in store::same_occasion(tx, new, except).await? {
        let same_title = anwei_rules::duties::normalised_title(&other_title) == title;
        let same_file = !sha.is_empty() && hashes.contains(&sha);
        if same_title || same_file {
            return Err(AppError::Conflict(
                Msg::new(if same_file {
                    "duties.near_duplicate_file"
                } else {
                    "duties.near_duplicate_title"
                })
                .with("id", other),
            ));
        }
    }
    Ok(())
}

/// 抄报: when a rule in force that counts this kind asks for its minutes to be copied, the
/// record goes to the committee office one level up (with a notice). Returns the offices it
/// went to; a record already copied there is not copied twice.
async fn deliver_minutes(
    tx: &mut crate::db::Tx,
    org: &OrgRow,
    kind: ActivityKind,
    id: ActivityId,
    now: i64,
) -> AppResult<Vec<i64>> {
    let facts = org.facts();
    let copy = engine::rules(tx).await?.iter().any(|r| {
        r.row.copy_to_upper_office
            && r.kinds.contains(&kind)
            && facts.as_ref().is_some_and(|f| r.holder.covers_org(f))
    });
    let mut delivered: Vec<i64> = Vec::new();
    if !copy {
        return Ok(delivered);
    }
    let offices = store::safety_offices(tx).await?;
    if let Some(office) = upper_office(&offices, org) {
        if store::deliveries_of(tx, id).await?.contains(&office) {
            return Ok(delivered);
        }
        store::insert_delivery(tx, id, office, now).await?;
        crate::notify::service::notify_org(
            tx,
            office,
            "notice.minutes_delivered.title",
            "notice.minutes_delivered.body",
            &json!({}),
            &format!("/api/v1/activities/{id}"),
        )
        .await?;
        delivered.push(office.get());
    }
    Ok(delivered)
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Activities in scope, newest first (at most 1,000).
pub async fn list_activities(
    state: &AppState,
    actor: &Actor,
    f: &ActivityFilter,
) -> AppResult<Vec<ActivityRow>> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "activity.list", activity(""))
        .await?;
    let mut e = Vec::new();
    let kind = nonempty(&f.kind);
    if kind.is_some_and(|k| ActivityKind::parse(k).is_none()) {
        e.push(("kind".to_string(), Msg::new("duties.kind_unknown")));
    }
    let mut dates = [None, None];
    for (i, (field, v)) in [("from", &f.from), ("to", &f.to)].into_iter().enumerate() {
        if let Some(t) = nonempty(v) {
            match parse_date(t) {
                Some(d) => dates[i] = Some(d.to_string()),
                None => e.push((field.to_string(), Msg::new("duties.date_invalid"))),
            }
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let scope = scope_params(actor);
    // An organisation outside the scope filters as one that does not exist: nothing.
    let org_ids = match nonempty(&f.org) {
        Some(code) => match crate::orgs::service::in_scope_by_code(&mut act, code).await? {
            Some(o) => Some(vec![o.id.get()]),
            None => Some(Vec::new()),
        },
        None => None,
    };
    Ok(store::list(
        act.tx(),
        &ListParams {
            path_like: scope.path_like.as_deref(),
            org_id_scope: scope.org_id,
            org_ids: org_ids.as_deref(),
            kind,
            from: dates[0].as_deref(),
            to: dates[1].as_deref(),
            limit: f.limit.unwrap_or(1000).clamp(1, 1000),
        },
    )
    .await?)
}

/// One activity the actor may see, with its 抄报 deliveries.
pub async fn get_activity(
    state: &AppState,
    actor: &Actor,
    id: ActivityId,
) -> AppResult<(ActivityRow, Vec<DeliveryRow>, Vec<EvidenceRow>)> {
    const ACTION: &str = "activity.read";
    let target = id.to_string();
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, ACTION, activity(&target))
        .await?;
    let a = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.sees(&a, ACTION, activity(&target)).await?;
    let deliveries = store::deliveries(act.tx(), id).await?;
    let evidence = store::evidence(act.tx(), id).await?;
    Ok((a, deliveries, evidence))
}

/// The office accepts a late record with a reason: from then on it counts for its period.
pub async fn accept_late(
    state: &AppState,
    actor: &Actor,
    id: ActivityId,
    input: &AcceptLateInput,
) -> AppResult<ActivityRow> {
    const ACTION: &str = "activity.accept_late";
    let (a, _, _) = get_activity(state, actor, id).await?;
    if !(actor.role == Role::Office && actor.can(Perm::TaskReview)) {
        audit::record_alone(state, &actor.who(), Event::denied(ACTION, "activity", id)).await?;
        return Err(AppError::Refused(Msg::new("duties.only_office_accepts")));
    }
    let mut e = Vec::new();
    let reason = crate::web::extract::text("reason", &input.reason, 1000, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if !a.entered_late || a.accepted_late {
        return Err(AppError::Conflict(Msg::new("duties.not_late")));
    }
    // Accepting a late record is a review: never by the recorded organisation itself nor by
    // the account that entered the record (the review core's rule).
    let mut act = crate::act::Act::begin(state, actor).await?;
    let work = crate::review::model::Work {
        org_id: a.org_id,
        submitted_by: Some(a.created_by),
    };
    let subject = crate::review::model::Subject {
        kind: "activity",
        id: id.get(),
    };
    crate::review::service::may_review(&mut act, work, ACTION, subject).await?;
    if store::accept_late(act.tx(), id, &reason, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("duties.not_late")));
    }
    crate::stamps::bump(act.tx(), a.org_id).await?;
    act.audit(Event::ok(ACTION, "activity", id).detail(json!({"reason": reason})))
        .await?;
    act.commit().await?;
    let (a, _, _) = get_activity(state, actor, id).await?;
    Ok(a)
}

/// True when `actor` may correct record `a` now: its author within the window, or the office.
pub fn may_correct(state: &AppState, actor: &Actor, a: &ActivityRow) -> bool {
    let window_ms = state.cfg.duties.correction_hours * 3_600_000;
    let author_in_window = a.created_by == actor.account_id && now_ms() - a.created_at <= window_ms;
    actor.can(Perm::DutyRecord)
        && (author_in_window || (actor.role == Role::Office && actor.can(Perm::TaskReview)))
}

/// Corrects a record. Its author may, within `duties.correction_hours` of entering it;
/// afterwards only the committee office (with a reason). The organisation cannot change.
/// The same checks as on entry apply; the audit record keeps the record before and after.
pub async fn correct_activity(
    state: &AppState,
    actor: &Actor,
    id: ActivityId,
    patch: &ActivityPatch,
) -> AppResult<ActivityRow> {
    const ACTION: &str = "activity.correct";
    let (before, _, _) = get_activity(state, actor, id).await?;
    let window_ms = state.cfg.duties.correction_hours * 3_600_000;
    let author_in_window =
        before.created_by == actor.account_id && now_ms() - before.created_at <= window_ms;
    let office = actor.role == Role::Office && actor.can(Perm::TaskReview);
    let target = id.to_string();
    let mut act = Act::read(state, actor).await?;
    if !actor.can(Perm::DutyRecord) || !(author_in_window || office) {
        let key = if before.created_by == actor.account_id {
            "duties.correction_window_over"
        } else {
            "duties.only_author_or_office"
        };
        let refusal = AppError::Refused(Msg::new(key));
        return Err(act.refused(ACTION, activity(&target), refusal).await);
    }
    let mut e = Vec::new();
    let reason =
        crate::web::extract::text("reason", &patch.reason, 1000, !author_in_window, &mut e);
    let pick = |v: &Option<String>, old: &str| v.clone().unwrap_or_else(|| old.to_string());
    let input = NewActivityInput {
        org_code: before.org_code.clone(),
        kind: pick(&patch.kind, before.kind.code()),
        date: pick(&patch.date, &before.date.to_string()),
        title: pick(&patch.title, &before.title),
        led_by_position: patch.led_by_position.unwrap_or(before.led_by_position_id),
        led_by_person: None,
        participants: pick(&patch.participants, &before.participants),
        topics: pick(&patch.topics, &before.topics),
        places: pick(&patch.places, &before.places),
        findings: pick(&patch.findings, &before.findings),
        area_code: pick(&patch.area_code, &before.area_code),
    };
    // The record's organisation: in scope, since the record is (`get_activity`).
    let org = crate::orgs::service::by_id_in(&mut act, before.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = crate::time::today();
    let f = check_fields(&mut act, &org, &input, today, &mut e).await?;
    drop(act);
    let (Some(kind), Some(date), true) = (f.kind, f.date, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let date_text = date.to_string();
    let person_id = if input.led_by_position == before.led_by_position_id {
        before.led_by_person_id
    } else {
        f.person_id
    };
    let new = NewActivity {
        org_id: org.id,
        kind: kind.code(),
        date: &date_text,
        title: &f.title,
        position_id: input.led_by_position,
        person_id,
        participants: &f.participants,
        topics: &f.topics,
        places: &f.places,
        findings: &f.findings,
        area_code: &f.area_code,
        created_by: before.created_by,
        entered_late: is_late(date, engine::shanghai_date(before.created_at)),
        now: now_ms(),
    };
    let mut act = Act::begin(state, actor).await?;
    if store::duplicate_exists(act.tx(), &new, Some(id)).await? {
        return Err(AppError::Conflict(Msg::new("duties.duplicate")));
    }
    let hashes = store::evidence_hashes(act.tx(), id).await?;
    near_duplicate(act.tx(), &new, Some(id), &hashes).await?;
    // A late record's acceptance was given for what it was: a change of kind, leading
    // position or date clears it, so it cannot be turned into something else that counts.
    let changes_what_it_is = date != before.date.date()
        || kind != before.kind
        || input.led_by_position != before.led_by_position_id;
    match store::update(act.tx(), id, &new, changes_what_it_is).await {
        Ok(_) => {}
        Err(err) if is_unique_violation(&err) => {
            return Err(AppError::Conflict(Msg::new("duties.duplicate")));
        }
        Err(err) => return Err(err.into()),
    }
    crate::stamps::bump(act.tx(), org.id).await?;
    // Corrected into a kind whose minutes go up (a standing-committee meeting): copied as on
    // entry.
    if kind != before.kind {
        deliver_minutes(act.tx(), &org, kind, id, now_ms()).await?;
    }
    let after = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.audit(Event::ok(ACTION, "activity", id).detail(json!({
        "by": if author_in_window { "author" } else { "office" },
        "reason": reason,
        "before": record_terms(&before),
        "after": record_terms(&after),
    })))
    .await?;
    act.commit().await?;
    Ok(after)
}

/// The fields of a record the audit log keeps on a correction (no names of people).
fn record_terms(a: &ActivityRow) -> serde_json::Value {
    json!({
        "kind": a.kind, "date": a.date, "title": a.title, "position": a.led_by_position_id,
        "participants": a.participants, "topics": a.topics, "places": a.places,
        "findings": a.findings, "area_code": a.area_code, "entered_late": a.entered_late,
        "accepted_late": a.accepted_late,
    })
}

/// Attaches more evidence (minutes, photos) to a record: the same people as a correction, and
/// the same checks as on entry.
pub async fn add_evidence(
    state: &AppState,
    actor: &Actor,
    id: ActivityId,
    files: Vec<Upload>,
) -> AppResult<Vec<EvidenceRow>> {
    const ACTION: &str = "activity.add_evidence";
    let (a, _, _) = get_activity(state, actor, id).await?;
    let window_ms = state.cfg.duties.correction_hours * 3_600_000;
    let author_in_window = a.created_by == actor.account_id && now_ms() - a.created_at <= window_ms;
    let own_org = actor.org_id == a.org_id;
    let office = actor.role == Role::Office && actor.can(Perm::TaskReview);
    if !actor.can(Perm::DutyRecord) || !(author_in_window || own_org || office) {
        audit::record_alone(state, &actor.who(), Event::denied(ACTION, "activity", id)).await?;
        return Err(AppError::Refused(Msg::new("duties.only_own_org")));
    }
    let mut e = Vec::new();
    if files.is_empty() {
        e.push(("files".to_string(), Msg::new("duties.files_required")));
    }
    let already = usize::try_from(a.evidence_count).unwrap_or(0);
    let checked = crate::files::check_uploads(&files, already, &state.cfg.uploads, &mut e)?;
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    crate::files::store_uploads(&state.files, &checked).await?;
    let now = now_ms();
    let mut act = Act::begin(state, actor).await?;
    for (c, _) in &checked {
        store::insert_evidence(act.tx(), id, c, actor.account_id, now).await?;
    }
    // The first evidence is what makes the record count: arriving after the record's month
    // closed, it makes the record late (the office may accept it).
    let late_evidence =
        a.evidence_count == 0 && !a.entered_late && is_late(a.date.date(), crate::time::today());
    if late_evidence {
        store::mark_late(act.tx(), id).await?;
    }
    crate::stamps::bump(act.tx(), a.org_id).await?;
    act.audit(
        Event::ok(ACTION, "activity", id)
            .detail(json!({"files": checked.len(), "late_evidence": late_evidence})),
    )
    .await?;
    act.commit().await?;
    let (_, _, evidence) = get_activity(state, actor, id).await?;
    Ok(evidence)
}

/// An evidence file, for someone who may see its activity.
pub async fn evidence_file(
    state: &AppState,
    actor: &Actor,
    attachment_id: FileId,
) -> AppResult<(String, String, Vec<u8>)> {
    let mut tx = state.db.read().await?;
    let (activity_id, sha, name, mime) = store::evidence_owner(&mut tx, attachment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    get_activity(state, actor, activity_id).await?;
    let bytes = crate::files::read(&state.files, &sha)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading evidence {sha}: {e}")))?;
    Ok((name, mime, bytes))
}

/// The minutes copied (抄报) to the actor's committee office, newest first (at most 200).
/// Only a committee office receives minutes; for anyone else the list is empty.
pub async fn received_minutes(
    state: &AppState,
    actor: &Actor,
) -> AppResult<Vec<store::ReceivedRow>> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "duties.minutes", activity(""))
        .await?;
    if actor.role != Role::Office {
        return Ok(Vec::new());
    }
    Ok(store::received_minutes(act.tx(), actor.org_id, 200).await?)
}

/// Reads a period in any of the API's forms, as a field error otherwise.
pub fn parse_period(text: Option<&str>) -> AppResult<Period> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Err(AppError::field("period", Msg::new("error.required")));
    }
    Period::parse(text).map_err(|_| AppError::field("period", Msg::new("duties.period_invalid")))
}

/// The organisations a compliance request covers: the one named (in scope, else 404), or the
/// actor's own; the committee office without a code gets every organisation in its scope.
async fn compliance_orgs(act: &mut Act<'_>, org_code: Option<&str>) -> AppResult<Vec<OrgRow>> {
    if let Some(code) = org_code {
        return match crate::orgs::service::in_scope_by_code(act, code).await? {
            Some(o) => Ok(vec![o]),
            None => Err(act
                .refused("duties.compliance", activity(code), AppError::NotFound)
                .await),
        };
    }
    if act.actor.role != Role::Office {
        let own_id = act.actor.org_id;
        let own = crate::orgs::service::by_id_in(act, own_id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(vec![own]);
    }
    super::views::orgs_where(act, None, None).await
}

/// What a committee office watches first: the organisations of its own region (a county
/// office: the county's party committee and government first, then its departments), the
/// office itself left out (it holds no duties of its own).
pub async fn home_orgs(state: &AppState, actor: &Actor) -> AppResult<Vec<OrgRow>> {
    let mut act = Act::read(state, actor).await?;
    let mut orgs: Vec<OrgRow> = super::views::orgs_where(&mut act, None, None)
        .await?
        .into_iter()
        .filter(|o| o.region_path == actor.region_path && o.kind != "safety_office")
        .collect();
    let rank = |kind: &str| match kind {
        "party_committee" => 0,
        "government" => 1,
        "department" => 2,
        _ => 3,
    };
    orgs.sort_by_key(|o| rank(&o.kind));
    Ok(orgs)
}

/// Compliance for every rule in force and every holder it binds in the organisations covered:
/// see [`engine::evaluate_org`].
pub async fn compliance(
    state: &AppState,
    actor: &Actor,
    period_text: Option<&str>,
    org_code: Option<&str>,
) -> AppResult<(Period, Vec<ComplianceItem>)> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "duties.compliance", activity(""))
        .await?;
    let orgs = compliance_orgs(&mut act, org_code).await?;
    drop(act);
    compliance_of(state, period_text, orgs).await
}

/// Compliance of organisations already checked against the actor's scope.
pub async fn compliance_of(
    state: &AppState,
    period_text: Option<&str>,
    orgs: Vec<OrgRow>,
) -> AppResult<(Period, Vec<ComplianceItem>)> {
    let period = parse_period(period_text)?;
    let today = crate::time::today();
    // Every rule period overlapping the request lies within the enclosing years.
    let from = Period::containing(PeriodKind::Year, period.start()).start();
    let to = Period::containing(PeriodKind::Year, period.end()).end();
    let mut tx = state.db.read().await?;
    let inputs = engine::load(&engine::cache(state), &mut tx, &orgs, from, to).await?;
    let items = orgs
        .iter()
        .flat_map(|org| engine::evaluate_org(org, &inputs, period, today))
        .collect();
    Ok((period, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_record_is_late_only_once_its_month_has_closed() {
        assert!(!is_late(d("2026-09-30"), d("2026-09-30")));
        assert!(is_late(d("2026-09-30"), d("2026-10-01")));
        assert!(!is_late(d("2026-07-01"), d("2026-07-31")));
        assert!(is_late(d("2026-07-01"), d("2026-08-01")));
    }
}
