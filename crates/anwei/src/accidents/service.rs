//! Use cases of accidents (事故报告, 条例 第十二条 and 第十三条): file an accident in scope with the
//! six contents, graded by `anwei_rules::accident::grade` (never by the client); file a
//! supplementary report (补报) inside the window, which becomes a new version and regrades; read
//! one with its versions, the chain its grade requires and the flags of verified concealment
//! cases. `create_in`, `correct_in` and `flag_in` serve a verified concealment case inside its
//! own transaction (`concealment/`). The chain: `chain/`; statistics: `stats/`.

use anwei_rules::accident::chain::{self, escalation};
use anwei_rules::accident::{Grade, Grading};
use serde_json::json;

use super::model::{AccidentInput, AccidentRow, Figures, ListRow, UpdateInput, VersionRow};
use super::store::{self, By, Graded, Placed};
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{AccidentId, OrgId};
use crate::state::AppState;

/// What audit records call an accident.
pub const SUBJECT: &str = "accident";

impl Scoped for AccidentRow {
    /// The enterprise's, when one is named; otherwise the filing organisation's.
    fn scope_org_id(&self) -> OrgId {
        self.enterprise_id.unwrap_or(self.reported_by_org)
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

fn by(actor: &Actor, at: i64) -> By {
    By {
        account: actor.account_id,
        org: actor.org_id,
        at,
    }
}

/// 事故报告: checks the fields, the territory (known, in the caller's scope) and the
/// enterprise (visible to the caller; an enterprise files for itself), grades the figures and
/// stores the accident with its first version, audited.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &AccidentInput,
) -> AppResult<AccidentRow> {
    if !actor.can(Perm::AccidentReport) {
        let mut act = Act::read(state, actor).await?;
        act.require(Perm::AccidentReport, "accident.create", target(""))
            .await?;
    }
    let mut act = Act::begin(state, actor).await?;
    let row = create_in(&mut act, input).await?;
    act.commit().await?;
    Ok(row)
}

/// [`create`] inside another use case's transaction (a verified concealment case creates the
/// accident with the verified facts): nothing is committed here.
pub async fn create_in(act: &mut Act<'_>, input: &AccidentInput) -> AppResult<AccidentRow> {
    const ACTION: &str = "accident.create";
    let t = target("");
    let actor = act.actor;
    let now = now_ms();
    let own = (actor.role == Role::Enterprise).then_some(actor.org_id);
    act.require(Perm::AccidentReport, ACTION, t).await?;
    let a = input.parse(now, own)?;
    let region = crate::orgs::service::region_by_code(act, &a.region_code)
        .await?
        .filter(|r| r.path.starts_with(&actor.region_path));
    let Some(region) = region else {
        return Err(AppError::field(
            "region_code",
            Msg::new("accidents.region_unknown"),
        ));
    };
    let ent = match a.enterprise_id {
        Some(id) => Some(crate::enterprises::service::visible(act, id, ACTION).await?),
        None => None,
    };
    let unit_name = match (&ent, a.unit_name.as_str()) {
        (Some(e), "") => e.name.clone(),
        _ => a.unit_name.clone(),
    };
    let industry = match (a.industry, &ent) {
        (Some(i), _) => i.code(),
        (None, Some(e)) => e.industry.clone(),
        (None, None) => String::new(),
    };
    let grading = anwei_rules::accident::grade(&a.figures.casualties);
    let (grade, criterion) = (grading.grade.code(), grading.criterion.code());
    let placed = Placed {
        region_id: region.id,
        region_path: &region.path,
        unit_name: &unit_name,
        industry: &industry,
        grade,
        criterion: &criterion,
    };
    let by = by(actor, now);
    let id = store::insert(act.tx(), &a, &placed, by).await?;
    let graded = Graded {
        figures: &a.figures,
        grade,
        criterion: &criterion,
    };
    store::add_version(act.tx(), id, 1, &graded, by).await?;
    super::chain::service::start_chain(act.tx(), id, grading.grade, a.occurred_at_ms, now).await?;
    let ev = Event::ok(ACTION, SUBJECT, id).detail(json!({
        "region": region.code, "enterprise": a.enterprise_id, "grade": grade,
        "criterion": criterion, "category": a.category.code(),
    }));
    settle(act, id, ev, None).await
}

async fn load(act: &mut Act<'_>, id: AccidentId, action: &'static str) -> AppResult<AccidentRow> {
    act.load_by(Perm::AccidentRead, action, SUBJECT, id, store::by_id)
        .await
}

/// The door for other capabilities (investigations, reports), inside their use case: the
/// accident, when the actor may read accidents and it lies in the actor's scope; otherwise
/// 403 / 404, audited under `action`.
pub async fn visible(
    act: &mut Act<'_>,
    id: AccidentId,
    action: &'static str,
) -> AppResult<AccidentRow> {
    load(act, id, action).await
}

pub struct Detail {
    pub accident: AccidentRow,
    pub versions: Vec<VersionRow>,
    pub chain: Vec<chain::Hop>,
    /// The hops as stored, with their clocks, and the notifications recorded (`chain/`).
    pub hops: Vec<super::chain::store::HopRow>,
    pub notices: Vec<super::chain::store::NoticeRow>,
    /// What verified concealment cases found (瞒报, 谎报, 漏报).
    pub flags: Vec<store::FlagRow>,
    /// The concealment cases that name this accident or were verified onto it.
    pub cases: Vec<i64>,
    /// At a registered enterprise: its open hazards, risk points and last year's inspections,
    /// as far as the actor may read them; `None` for a unit that is not registered.
    pub related: Option<super::related::Related>,
}

/// One accident in scope with every version and the chain its grade requires.
pub async fn get(state: &AppState, actor: &Actor, id: AccidentId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let accident = load(&mut act, id, "accident.read").await?;
    let versions = store::versions(act.tx(), id).await?;
    let (hops, notices) = super::chain::service::of(act.tx(), id).await?;
    let flags = store::flags(act.tx(), id).await?;
    let cases = super::concealment::service::of_accident(&mut act, id).await?;
    let related = match accident.enterprise_id {
        Some(e) => Some(super::related::of(&mut act, e).await?),
        None => None,
    };
    Ok(Detail {
        related,
        chain: chain::hops(accident.grade),
        accident,
        versions,
        hops,
        notices,
        flags,
        cases,
    })
}

/// What a supplementary report did.
pub struct Updated {
    pub accident: AccidentRow,
    pub previous_grade: Grade,
    /// The hops a higher grade adds to the chain (empty when the required level is unchanged).
    pub escalation: Vec<chain::Hop>,
}

/// 补报 / 续报: inside the window of 第十三条 (30 days from the accident's day, 7 for road
/// traffic and fire; server date), a new version with the figures as they now stand; the
/// accident is regraded, and a grade needing a higher level extends the chain. After the
/// window: 409 (later corrections belong to the investigation).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: AccidentId,
    input: &UpdateInput,
) -> AppResult<Updated> {
    const ACTION: &str = "accident.update";
    let sid = id.to_string();
    let t = target(&sid);
    let mut act = Act::begin(state, actor).await?;
    let a = load(&mut act, id, ACTION).await?;
    act.require(Perm::AccidentReport, ACTION, t).await?;
    let mut f: Figures = input.parse()?;
    let today = crate::time::today();
    if !anwei_rules::accident::in_window(a.occurred_on(), a.category, today) {
        return Err(AppError::Conflict(Msg::new("accidents.window_closed")));
    }
    if f.summary.is_empty() {
        f.summary = a.summary.clone();
    }
    let u = revise(&mut act, a, &f, ACTION).await?;
    act.commit().await?;
    Ok(u)
}

/// A version with verified figures, inside another use case's transaction (a verified 谎报
/// case): like a supplementary report — every earlier version kept, regraded, the chain
/// extended — but outside the window, which binds the reporting unit, not the verifier.
pub async fn correct_in(
    act: &mut Act<'_>,
    id: AccidentId,
    mut f: Figures,
    action: &'static str,
) -> AppResult<Updated> {
    let a = load(act, id, action).await?;
    act.require(Perm::AccidentReport, action, target(&id.to_string()))
        .await?;
    if f.summary.is_empty() {
        f.summary = a.summary.clone();
    }
    revise(act, a, &f, action).await
}

/// Writes the next version of `a` with figures `f`, regrades and escalates (nothing committed).
async fn revise(
    act: &mut Act<'_>,
    a: AccidentRow,
    f: &Figures,
    action: &'static str,
) -> AppResult<Updated> {
    let id = a.id;
    let grading: Grading = anwei_rules::accident::grade(&f.casualties);
    let (grade, criterion) = (grading.grade.code(), grading.criterion.code());
    let graded = Graded {
        figures: f,
        grade,
        criterion: &criterion,
    };
    let now = now_ms();
    let next = a.version + 1;
    let by = by(act.actor, now);
    store::add_version(act.tx(), id, next, &graded, by).await?;
    if store::set_latest(act.tx(), id, a.version, next, &graded, now).await? == 0 {
        return Err(AppError::Conflict(Msg::new("accidents.changed_meanwhile")));
    }
    let added = escalation(a.grade, grading.grade);
    super::chain::service::escalate(act.tx(), id, &a.region_path, &added, now).await?;
    let ev = Event::ok(action, SUBJECT, id).detail(json!({
        "version": next, "from_grade": a.grade.code(), "grade": grade, "criterion": criterion,
        "escalated_to": added.last().map(|h| h.to.code()),
    }));
    let accident = settle(act, id, ev, Some(&a)).await?;
    Ok(Updated {
        accident,
        previous_grade: a.grade,
        escalation: added,
    })
}

/// Sets `flag` (`concealed`, `falsified`, `omitted`) on accident `id` for concealment case
/// `case_id`, audited, inside the case's use case (the accident already loaded in scope).
pub async fn flag_in(
    act: &mut Act<'_>,
    id: AccidentId,
    flag: &str,
    case_id: i64,
    detail: &str,
) -> AppResult<()> {
    let row = store::FlagRow {
        flag: flag.to_string(),
        case_id,
        detail: detail.to_string(),
        created_at: now_ms(),
    };
    store::add_flag(act.tx(), id, &row).await?;
    act.audit(Event::ok("accident.flag", SUBJECT, id).detail(json!({
        "flag": flag, "case": case_id, "detail": detail,
    })))
    .await
}

/// Records the use case's event, reads the accident as it now is and moves it in the
/// statistics' tally (from `before`, when it was filed earlier); the caller commits.
async fn settle(
    act: &mut Act<'_>,
    id: AccidentId,
    ev: Event,
    before: Option<&AccidentRow>,
) -> AppResult<AccidentRow> {
    act.audit(ev).await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::stats::service::recount(act, before, &row).await?;
    Ok(row)
}

/// What the missing-person regrade wrote.
pub struct MissingRegraded {
    pub accident: AccidentRow,
    pub version: i64,
    pub grade: Grade,
}

/// The missing-person regrade of one accident on `today`, for the system's job in its own
/// transaction: when its window has closed (`missing_regrade_due`) and counting the missing as
/// dead changes the grade, a version with those figures, written by the system's account
/// (`accounts::system`, 系统; the job audits it as `system:accident_missing`). `None` when
/// nothing is due or the grade stays.
pub async fn write_missing_regrade(
    tx: &mut crate::db::Tx,
    id: AccidentId,
    today: chrono::NaiveDate,
    now: i64,
) -> AppResult<Option<MissingRegraded>> {
    let Some(a) = store::by_id(tx, id).await? else {
        return Ok(None);
    };
    let due = anwei_rules::accident::missing_regrade_due(
        &a.casualties(),
        a.occurred_on(),
        a.category,
        today,
    );
    let Some(r) = due.filter(|r| r.grading.grade != a.grade) else {
        return Ok(None);
    };
    let figures = Figures {
        casualties: r.casualties,
        summary: a.summary.clone(),
        measures: a.measures.clone(),
        other: format!(
            "系统按规定将 {} 名下落不明人员计为死亡（自 {} 起）。",
            a.missing, r.effective_from
        ),
    };
    let criterion = r.grading.criterion.code();
    let graded = Graded {
        figures: &figures,
        grade: r.grading.grade.code(),
        criterion: &criterion,
    };
    let (account, org) = crate::accounts::system::account_in(tx).await?;
    let by = By {
        account,
        org,
        at: now,
    };
    let next = a.version + 1;
    store::add_version(tx, id, next, &graded, by).await?;
    if store::set_latest(tx, id, a.version, next, &graded, now).await? == 0 {
        return Err(AppError::Conflict(Msg::new("accidents.changed_meanwhile")));
    }
    Ok(Some(MissingRegraded {
        accident: a,
        version: next,
        grade: r.grading.grade,
    }))
}

/// One page of the accident list and how many match.
pub struct ListPage {
    pub items: Vec<ListRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The accidents in the actor's scope (its region and below; an enterprise's own), the latest
/// first, by the filter: `region_code` narrows the scope (unknown or outside it: 422), `grade`,
/// `status`, `flag` (瞒报/谎报/漏报), the days of occurrence and one enterprise. The page and
/// `GET /api/v1/accidents` both read through here.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    f: &super::filter::AccidentFilter,
) -> AppResult<ListPage> {
    let filter = f.parse()?;
    let (page, per_page) = crate::web::page::page_and_size(f.page, f.per_page)?;
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccidentRead, "accident.list", target(""))
        .await?;
    let mut path = actor.region_path.clone();
    if let Some(code) = &filter.region_code {
        let region = crate::orgs::service::region_by_code(&mut act, code)
            .await?
            .filter(|r| r.path.starts_with(&actor.region_path));
        let Some(region) = region else {
            return Err(AppError::field(
                "region_code",
                Msg::new("accidents.region_unknown"),
            ));
        };
        path = region.path;
    }
    let own = (actor.role == Role::Enterprise).then_some(actor.org_id);
    let p = store::ListParams {
        path: &path,
        own,
        f: &filter,
        now: now_ms(),
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let (items, total) = store::list(act.tx(), &p).await?;
    Ok(ListPage {
        items,
        total,
        page,
        per_page,
    })
}
