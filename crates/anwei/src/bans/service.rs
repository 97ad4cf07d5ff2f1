//! Use cases of the ban registry (从业禁止, 安全生产法 第九十四条): check a person against it, register
//! an entry (from an accountability outcome inside its transaction, or by hand by the city's
//! office), search it. The rule itself is `anwei_rules::ban::check`; the ID number is only ever
//! compared through its blind index and stored sealed.

use anwei_rules::ban::{Ground, Penalty, Record, Verdict, five_year_last_day};
use anwei_rules::enterprise::{Industry, mask_id_number};
use serde_json::json;

use super::model::{BanCheckInput, BanFilter, BanRow, NewBan, NewBanInput, reason_msg};
use super::store::{self, Stored};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::ids::BanId;
use crate::state::AppState;

/// What audit records call an entry.
pub const SUBJECT: &str = "ban";
const PURPOSE: &str = "id_number";
/// The most entries a search answers.
const SEARCH_LIMIT: i64 = 200;

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

/// The verdict for a normalised, valid ID number in `industry` on the server's date.
async fn verdict(act: &mut Act<'_>, id_number: &str, industry: Industry) -> AppResult<Verdict> {
    let index = act.state.vault.blind(PURPOSE, id_number);
    let rows = store::by_index(act.tx(), &index).await?;
    let records: Vec<Record> = rows
        .iter()
        .filter_map(BanRow::ground)
        .map(|ground| Record {
            id_number: id_number.to_string(),
            ground,
        })
        .collect();
    anwei_rules::ban::check(&records, id_number, industry, crate::time::today())
        .map_err(|p| AppError::field("id_number", crate::enterprises::model::code_problem(&p)))
}

/// The door for the enterprise registry, inside its use case: refuses (422 naming `field`,
/// with the reason) a banned person as the principal of a unit in `industry`. An empty ID
/// number passes (none recorded).
pub async fn refuse_banned(
    act: &mut Act<'_>,
    field: &str,
    id_number: &str,
    industry: Industry,
) -> AppResult<()> {
    match banned_reason(act, id_number, industry).await? {
        Some(m) => Err(AppError::field(field, m)),
        None => Ok(()),
    }
}

/// Why a person may not be the principal of a unit in `industry`, as a message; None when
/// they may (or no number is given). For the import, which reports per row.
pub async fn banned_reason(
    act: &mut Act<'_>,
    id_number: &str,
    industry: Industry,
) -> AppResult<Option<crate::i18n::Msg>> {
    if id_number.is_empty() {
        return Ok(None);
    }
    let v = verdict(act, id_number, industry).await?;
    Ok(v.reason.as_ref().filter(|_| v.banned).map(reason_msg))
}

/// `POST /api/v1/bans/check`: the permission first, then the fields; the check is audited
/// (whether the person is banned, never the number).
pub async fn check(state: &AppState, actor: &Actor, input: &BanCheckInput) -> AppResult<Verdict> {
    const ACTION: &str = "ban.check";
    if !actor.can(Perm::BanCheck) {
        let mut act = Act::read(state, actor).await?;
        act.require(Perm::BanCheck, ACTION, target("")).await?;
    }
    let (id_number, industry) = input.parse()?;
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::BanCheck, ACTION, target("")).await?;
    let v = verdict(&mut act, &id_number, industry).await?;
    act.audit(Event::ok(ACTION, SUBJECT, "").detail(json!({
        "industry": industry.code(), "banned": v.banned,
        "masked": mask_id_number(&id_number),
    })))
    .await?;
    act.commit().await?;
    Ok(v)
}

/// Registers an entry inside the caller's use case (an accountability outcome of 撤职, a
/// criminal penalty or principal responsibility for a 重大 / 特别重大 accident), audited. A
/// responsibility for a lower grade bans nobody and registers nothing (None).
pub async fn register_in(act: &mut Act<'_>, b: &NewBan) -> AppResult<Option<BanId>> {
    let (ground, grade, industry, starts_on, ends_on) = match b.ground {
        Ground::Penalty { penalty, from } => (
            match penalty {
                Penalty::Removal => "removal",
                Penalty::Criminal => "criminal",
            },
            String::new(),
            String::new(),
            from.to_string(),
            Some(five_year_last_day(from).to_string()),
        ),
        Ground::Responsibility { grade, industry } => {
            if grade < anwei_rules::accident::Grade::VerySerious {
                return Ok(None);
            }
            (
                "responsibility",
                grade.code().to_string(),
                industry.code(),
                crate::time::today().to_string(),
                None,
            )
        }
    };
    let sealed = act.state.vault.seal(&b.id_number)?;
    let index = act.state.vault.blind(PURPOSE, &b.id_number);
    let masked = mask_id_number(&b.id_number);
    let row = Stored {
        sealed: &sealed,
        index: &index,
        masked: &masked,
        name: &b.name,
        ground,
        grade: &grade,
        industry: &industry,
        starts_on,
        ends_on: ends_on.clone(),
        accountability_id: b.accountability_id,
        document_no: &b.document_no,
    };
    let by = act.actor.account_id;
    let id = store::insert(act.tx(), &row, by, now_ms()).await?;
    act.audit(Event::ok("ban.create", SUBJECT, id).detail(json!({
        "ground": ground, "grade": grade, "industry": industry, "until": ends_on,
        "accountability": b.accountability_id, "document_no": b.document_no,
    })))
    .await?;
    Ok(Some(id))
}

/// `POST /api/v1/bans`: an entry by hand, by the city's office, with its document number.
pub async fn create(state: &AppState, actor: &Actor, input: &NewBanInput) -> AppResult<BanRow> {
    const ACTION: &str = "ban.create";
    if !actor.can(Perm::BanManage) {
        let mut act = Act::read(state, actor).await?;
        act.require(Perm::BanManage, ACTION, target("")).await?;
    }
    let b = input.parse()?;
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::BanManage, ACTION, target("")).await?;
    let id = register_in(&mut act, &b)
        .await?
        .ok_or_else(|| AppError::field("grade", crate::i18n::Msg::new("bans.grade_too_low")))?;
    let index = state.vault.blind(PURPOSE, &b.id_number);
    let row = store::by_index(act.tx(), &index)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// `GET /api/v1/bans`: by exact ID number (blind index), by part of the name, or the newest;
/// audited with how it was searched and how many were found (never the number).
pub async fn search(state: &AppState, actor: &Actor, f: &BanFilter) -> AppResult<Vec<BanRow>> {
    const ACTION: &str = "ban.search";
    if !actor.can(Perm::BanRead) {
        let mut act = Act::read(state, actor).await?;
        act.require(Perm::BanRead, ACTION, target("")).await?;
    }
    let id_number = crate::web::extract::some_text(&f.id_number)
        .map(|t| super::model::id_number("id_number", &t))
        .transpose()
        .map_err(|p| AppError::Validation(vec![p]))?;
    let name = crate::web::extract::some_text(&f.name);
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::BanRead, ACTION, target("")).await?;
    let (by, rows) = match (&id_number, &name) {
        (Some(n), _) => {
            let index = state.vault.blind(PURPOSE, n);
            ("id_number", store::by_index(act.tx(), &index).await?)
        }
        (None, Some(q)) => {
            let like = format!("%{}%", crate::db::escape_like(q));
            ("name", store::by_name(act.tx(), &like, SEARCH_LIMIT).await?)
        }
        (None, None) => ("latest", store::latest(act.tx(), SEARCH_LIMIT).await?),
    };
    act.audit(Event::ok(ACTION, SUBJECT, "").detail(json!({
        "by": by, "found": rows.len(),
    })))
    .await?;
    act.commit().await?;
    Ok(rows)
}
