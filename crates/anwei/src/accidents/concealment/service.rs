//! Use cases of concealment cases (疑似瞒报案件): a lead opens a case in the territory, listed
//! for supervision by the committee office one level up, which alone verifies it (`verify.rs`);
//! the list, one case, and the doors for reports (links and rewards).

use anwei_rules::accident::Grade;
use serde_json::json;

use super::model::{CaseRow, ConcealmentCaseInput, NewCase};
use super::store::{self, Filter, NewRow};
use crate::accidents::model::AccidentRow;
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccidentId, OrgId, ReportId};
use crate::state::AppState;

/// What audit records call a concealment case.
pub const SUBJECT: &str = "concealment_case";

impl Scoped for CaseRow {
    fn scope_org_id(&self) -> OrgId {
        self.opened_by_org
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

pub(super) fn target(sid: &str) -> Target<'_> {
    Target {
        kind: SUBJECT,
        id: sid,
    }
}

/// The region whose committee office supervises a case in the territory at `path`: its parent
/// (`/1/3/` → `/1/`); the city's own for a city-level case (the province is outside the system).
pub fn supervising_path(path: &str) -> &str {
    if path.matches('/').count() <= 2 {
        return path;
    }
    let inner = &path[..path.len() - 1];
    match inner.rfind('/') {
        Some(i) => &path[..=i],
        None => path,
    }
}

/// Whether `actor` is the supervising office of case `c` (the only one that verifies it).
pub fn supervises(actor: &Actor, c: &CaseRow) -> bool {
    actor.role == Role::Office && actor.region_path == c.supervising_path
}

pub(super) async fn load(act: &mut Act<'_>, id: i64, action: &'static str) -> AppResult<CaseRow> {
    let c = act
        .load_by(Perm::AccidentRead, action, SUBJECT, id, store::by_id)
        .await?;
    if act.actor.role == Role::Enterprise {
        let sid = id.to_string();
        return Err(act.refused(action, target(&sid), AppError::NotFound).await);
    }
    Ok(c)
}

/// The door for reports (links, rewards), inside their use case: the case in the actor's
/// scope, else 404.
pub async fn visible(act: &mut Act<'_>, id: i64, action: &'static str) -> AppResult<CaseRow> {
    load(act, id, action).await
}

/// 立案: a lead opens a case (committee offices and supervising departments, in scope).
pub async fn open(
    state: &AppState,
    actor: &Actor,
    input: &ConcealmentCaseInput,
) -> AppResult<CaseRow> {
    let mut act = Act::begin(state, actor).await?;
    let c = open_in(&mut act, input, None).await?;
    act.commit().await?;
    Ok(c)
}

/// [`open`] inside another use case's transaction; `report`: the public report it comes from.
pub async fn open_in(
    act: &mut Act<'_>,
    input: &ConcealmentCaseInput,
    report: Option<ReportId>,
) -> AppResult<CaseRow> {
    const ACTION: &str = "concealment.open";
    let t = target("");
    act.require(Perm::AccidentReport, ACTION, t).await?;
    let actor = act.actor;
    if !matches!(actor.role, Role::Office | Role::Department) {
        return Err(act.refused(ACTION, t, AppError::Forbidden).await);
    }
    let now = now_ms();
    let mut n: NewCase = input.parse(now)?;
    if let Some(aid) = n.accident_id {
        let a = crate::accidents::service::visible(act, aid, ACTION).await?;
        fill_from_accident(&mut n, &a);
    }
    if let Some(eid) = n.enterprise_id {
        let e = crate::enterprises::service::visible(act, eid, ACTION).await?;
        if n.unit_name.is_empty() {
            n.unit_name = e.name;
        }
    }
    let region = crate::orgs::service::region_by_code(act, &n.region_code)
        .await?
        .filter(|r| r.path.starts_with(&actor.region_path));
    let Some(region) = region else {
        return Err(AppError::field(
            "region_code",
            Msg::new("accidents.region_unknown"),
        ));
    };
    let row = NewRow {
        region_id: region.id,
        region_path: &region.path,
        supervising_path: supervising_path(&region.path),
        source: n.source,
        source_note: &n.source_note,
        unit_name: &n.unit_name,
        enterprise_id: n.enterprise_id,
        occurred_at: n.occurred_at_ms.unwrap_or(now),
        description: &n.description,
        alleged: n.alleged,
        accident_id: n.accident_id,
        report_id: report,
        by: actor.account_id,
        by_org: actor.org_id,
        at: now,
    };
    let id = store::insert(act.tx(), &row).await?;
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "source": n.source, "region": region.code, "supervising": row.supervising_path,
        "accident": n.accident_id, "report": report,
    })))
    .await?;
    store::by_id(act.tx(), id).await?.ok_or(AppError::NotFound)
}

/// A lead naming an accident takes what it leaves blank from the accident.
fn fill_from_accident(n: &mut NewCase, a: &AccidentRow) {
    if n.region_code.is_empty() {
        n.region_code = a.region_code.clone();
    }
    if n.unit_name.is_empty() {
        n.unit_name = a.unit_name.clone();
    }
    if n.enterprise_id.is_none() {
        n.enterprise_id = a.enterprise_id;
    }
    n.occurred_at_ms = n.occurred_at_ms.or(Some(a.occurred_at));
}

/// One case in scope, and whether the caller's office supervises it.
pub async fn get(state: &AppState, actor: &Actor, id: i64) -> AppResult<(CaseRow, bool)> {
    let mut act = Act::read(state, actor).await?;
    let c = load(&mut act, id, "concealment.read").await?;
    let may = supervises(actor, &c) && !actor.is_read_only();
    Ok((c, may))
}

/// The list's query.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct CaseQuery {
    /// `open`, `verified` or `unfounded`.
    #[serde(default)]
    pub status: Option<String>,
    /// GB/T 2260 code: cases in this territory and below.
    #[serde(default)]
    pub region_code: Option<String>,
    /// `true` (or `1`, `on`): only the cases the caller's office supervises (listed one
    /// level up).
    #[serde(default)]
    pub supervised_by_me: Option<String>,
}

pub const STATUSES: [&str; 3] = ["open", "verified", "unfounded"];

/// Cases in the caller's scope, the newest first (at most 500).
pub async fn list(state: &AppState, actor: &Actor, q: &CaseQuery) -> AppResult<Vec<CaseRow>> {
    const ACTION: &str = "concealment.list";
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccidentRead, ACTION, target("")).await?;
    if actor.role == Role::Enterprise {
        return Err(act.refused(ACTION, target(""), AppError::Forbidden).await);
    }
    let status = match q.status.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        s => match STATUSES.into_iter().find(|x| *x == s) {
            Some(x) => Some(x),
            None => {
                let m = Msg::new("concealment.status_unknown");
                return Err(AppError::field("status", m));
            }
        },
    };
    let mut under = actor.region_path.clone();
    let code = q.region_code.as_deref().map(str::trim).unwrap_or("");
    if !code.is_empty() {
        let Some(r) = crate::orgs::service::region_by_code(&mut act, code).await? else {
            let m = Msg::new("accidents.region_unknown");
            return Err(AppError::field("region_code", m));
        };
        if r.path.starts_with(&under) {
            under = r.path;
        } else if !under.starts_with(&r.path) {
            return Ok(Vec::new());
        }
    }
    let mine = match q.supervised_by_me.as_deref().map(str::trim).unwrap_or("") {
        "" | "false" | "0" | "off" => false,
        "true" | "1" | "on" => true,
        _ => {
            let m = Msg::new("error.wrong_type");
            return Err(AppError::field("supervised_by_me", m));
        }
    };
    if mine && actor.role != Role::Office {
        return Ok(Vec::new());
    }
    let f = Filter {
        under: &under,
        status,
        supervising: mine.then_some(actor.region_path.as_str()),
    };
    Ok(store::list(act.tx(), &f, 500).await?)
}

/// The ids of the cases about accident `id` (already loaded in scope by the caller's use
/// case); none for an enterprise.
pub async fn of_accident(act: &mut Act<'_>, id: AccidentId) -> AppResult<Vec<i64>> {
    if act.actor.role == Role::Enterprise {
        return Ok(Vec::new());
    }
    Ok(store::of_accident(act.tx(), id).await?)
}

/// For a reward (举报奖励, basis `concealed_accident`): the verified grade and concealed
/// deaths of case `id` when it was verified 瞒报 or 谎报 with deaths concealed.
pub async fn reward_figures(
    act: &mut Act<'_>,
    id: i64,
    action: &'static str,
) -> AppResult<Option<(Grade, u32)>> {
    let c = load(act, id, action).await?;
    let grade = c.verified_grade.as_deref().and_then(Grade::parse);
    Ok(match (c.outcome.as_deref(), grade, c.concealed_deaths) {
        (Some("concealed" | "falsified"), Some(g), Some(d)) if d > 0 => {
            Some((g, u32::try_from(d).unwrap_or(u32::MAX)))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::supervising_path;

    #[test]
    fn a_case_is_supervised_one_level_up_and_the_city_supervises_its_own() {
        assert_eq!(supervising_path("/1/3/"), "/1/");
        assert_eq!(supervising_path("/1/3/9/"), "/1/3/");
        assert_eq!(supervising_path("/1/"), "/1/");
    }
}
