//! Use cases of organisations: permission and data scope first, then one transaction with
//! its audit record.

use serde_json::json;

use super::model::{NameHistory, NewOrg, OrgFilter, OrgRow, RegionRow};
use super::seed;
use super::store::{self, InsertOrg, ListParams, ScopeParams};
use crate::act::{Act, Target};
use crate::audit::{self, Event, Who};
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::{Tx, is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{OrgId, RegionId};
use crate::state::AppState;

pub fn scope_params(actor: &Actor) -> ScopeParams {
    match actor.scope() {
        Scope::Region(p) => ScopeParams {
            path_like: Some(format!("{p}%")),
            org_id: None,
        },
        Scope::Org(id) => ScopeParams {
            path_like: None,
            org_id: Some(id),
        },
    }
}

/// The actor's scope narrowed to the region with this code (and below), for a list's `region`
/// filter: never widened — a region outside the scope lists nothing, and an account scoped to
/// one organisation stays scoped to it. An unknown code is a 422 on `region`.
pub async fn scope_within(act: &mut Act<'_>, region: Option<&str>) -> AppResult<ScopeParams> {
    let mut scope = scope_params(act.actor);
    if let Some(code) = region {
        let Some(r) = store::region_by_code(act.tx(), code).await? else {
            return Err(AppError::field("region", Msg::new("org.region_unknown")));
        };
        scope.path_like = match scope.path_like {
            // One organisation's scope (an enterprise's) is never widened to a region.
            None => None,
            Some(p) if !r.path.starts_with(p.trim_end_matches('%')) => Some(String::new()),
            Some(_) => Some(format!("{}%", r.path)),
        };
    }
    Ok(scope)
}

/// True when the organisation lies inside the actor's data scope.
pub fn in_scope(actor: &Actor, org: &OrgRow) -> bool {
    crate::act::in_scope(actor, org)
}

/// The organisation with this id, for another capability's use case in its own transaction:
/// outside the actor's scope it does not exist (404, audited under `action`).
pub async fn visible_by_id(
    act: &mut crate::act::Act<'_>,
    id: OrgId,
    action: &'static str,
    target: crate::act::Target<'_>,
) -> AppResult<OrgRow> {
    let org = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.sees(&org, action, target).await?;
    Ok(org)
}

/// The organisation with this code, like `visible_by_id`.
pub async fn visible_by_code(
    act: &mut crate::act::Act<'_>,
    code: &str,
    action: &'static str,
    target: crate::act::Target<'_>,
) -> AppResult<OrgRow> {
    let org = store::by_code(act.tx(), code)
        .await?
        .ok_or(AppError::NotFound)?;
    act.sees(&org, action, target).await?;
    Ok(org)
}

async fn require(
    state: &AppState,
    actor: &Actor,
    perm: Perm,
    action: &'static str,
    target: &str,
) -> AppResult<()> {
    if actor.can(perm) {
        Ok(())
    } else {
        Err(audit::service::deny(state, &actor.who(), action, "org", target).await)
    }
}

/// The organisations in the actor's scope, filtered: the tree's bodies, and enterprises only
/// when asked for (`kind=enterprise`, a search, or an enterprise's own scope) — the registry
/// lists those, paged. Every row (the home page counts them).
pub async fn list(state: &AppState, actor: &Actor, f: &OrgFilter) -> AppResult<Vec<OrgRow>> {
    Ok(list_page(state, actor, f, false).await?.rows)
}

/// One page of [`list`].
pub struct OrgPage {
    pub rows: Vec<OrgRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Rows per page of the organisation list: by default all the bodies of a city's tree.
pub const DEFAULT_PER_PAGE: i64 = 1000;

/// [`list`], one page of it when `paged` (`page`, `per_page` up to 1000, default 1000).
pub async fn list_page(
    state: &AppState,
    actor: &Actor,
    f: &OrgFilter,
    paged: bool,
) -> AppResult<OrgPage> {
    require(state, actor, Perm::OrgRead, "org.list", "").await?;
    if f.page
        .is_some_and(|p| !(1..=crate::web::page::MAX_PAGE).contains(&p))
    {
        return Err(AppError::field("page", Msg::new("error.page_range")));
    }
    let page = f.page.unwrap_or(1);
    let per_page = f
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, DEFAULT_PER_PAGE);
    let scope = scope_params(actor);
    let q =
        f.q.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
    let kind = f.kind.as_deref().filter(|s| !s.is_empty());
    let p = ListParams {
        enterprises: f.include_enterprises
            || q.is_some()
            || kind == Some("enterprise")
            || scope.org_id.is_some(),
        scope: &scope,
        q,
        kind,
        region_code: f.region.as_deref().filter(|s| !s.is_empty()),
        level: f.level.as_deref().filter(|s| !s.is_empty()),
        supervising: f.supervising,
        include_retired: f.include_retired,
        page: paged.then_some((per_page, (page - 1) * per_page)),
    };
    let mut tx = state.db.read().await?;
    let rows = store::list(&mut tx, &p).await?;
    let total = if !paged || (page == 1 && (rows.len() as i64) < per_page) {
        rows.len() as i64
    } else {
        store::count_list(&mut tx, &p).await?
    };
    Ok(OrgPage {
        rows,
        total,
        page,
        per_page,
    })
}

pub struct OrgDetail {
    pub org: OrgRow,
    pub children: Vec<OrgRow>,
    pub history: Vec<NameHistory>,
    pub parent: Option<OrgRow>,
}

/// One organisation. Outside the actor's scope it does not exist (404, and the denial is
/// audited).
pub async fn get(state: &AppState, actor: &Actor, code: &str) -> AppResult<OrgDetail> {
    require(state, actor, Perm::OrgRead, "org.read", code).await?;
    let mut tx = state.db.read().await?;
    let org = store::by_code(&mut tx, code)
        .await?
        .ok_or(AppError::NotFound)?;
    if !in_scope(actor, &org) {
        drop(tx);
        audit::record_alone(state, &actor.who(), Event::denied("org.read", "org", code)).await?;
        return Err(AppError::NotFound);
    }
    let children = store::children(&mut tx, org.id).await?;
    let history = store::name_history(&mut tx, org.id).await?;
    let parent = match org.parent_id {
        Some(p) => store::by_id(&mut tx, p).await?,
        None => None,
    };
    Ok(OrgDetail {
        org,
        children,
        history,
        parent,
    })
}

pub async fn regions(state: &AppState, actor: &Actor) -> AppResult<Vec<RegionRow>> {
    require(state, actor, Perm::OrgRead, "region.list", "").await?;
    let mut tx = state.db.read().await?;
    let all = store::regions(&mut tx).await?;
    Ok(match actor.scope() {
        Scope::Region(p) => all.into_iter().filter(|r| r.path.starts_with(&p)).collect(),
        Scope::Org(_) => Vec::new(),
    })
}

pub async fn create(state: &AppState, actor: &Actor, cmd: NewOrg) -> AppResult<String> {
    let mut act = Act::begin(state, actor).await?;
    let t = Target {
        kind: "org",
        id: &cmd.code,
    };
    act.require(Perm::OrgManage, "org.create", t).await?;
    create_in(&mut act, &cmd).await?;
    act.commit().await?;
    Ok(cmd.code)
}

/// Adds an organisation inside the caller's use case (enterprises add theirs with their
/// profile): the region must exist and lie in the actor's scope (403 outside it, audited),
/// the parent must be current and of the same region, the code free. The permission is the
/// caller's to settle (`org.manage` here, `enterprise.manage` for an enterprise). Audited.
pub async fn create_in(act: &mut Act<'_>, cmd: &NewOrg) -> AppResult<OrgId> {
    let region = store::region_by_code(act.tx(), &cmd.region_code)
        .await?
        .ok_or_else(|| AppError::field("region_code", Msg::new("org.region_unknown")))?;
    if let Scope::Region(p) = act.actor.scope()
        && !region.path.starts_with(&p)
    {
        let t = Target {
            kind: "org",
            id: &cmd.code,
        };
        return Err(act.refused("org.create", t, AppError::Forbidden).await);
    }
    let parent = match &cmd.parent_code {
        Some(pc) => {
            let p = store::by_code(act.tx(), pc)
                .await?
                .ok_or_else(|| AppError::field("parent_code", Msg::new("org.parent_unknown")))?;
            if p.retired_at.is_some() {
                return Err(AppError::field(
                    "parent_code",
                    Msg::new("org.parent_retired"),
                ));
            }
            if p.region_id != region.id {
                return Err(AppError::field(
                    "parent_code",
                    Msg::new("org.parent_other_region"),
                ));
            }
            Some(p)
        }
        None => None,
    };
    let level = super::enterprise_orgs::org_level(&region.level);
    let sectors: Vec<&str> = cmd.sectors.iter().map(|s| s.code()).collect();
    let r = store::insert(
        act.tx(),
        &InsertOrg {
            code: &cmd.code,
            name: &cmd.name,
            short_name: &cmd.short_name,
            kind: cmd.kind.code(),
            level,
            region_id: region.id,
            parent_id: parent.as_ref().map(|p| p.id),
            supervises: cmd.supervises_safety,
            sectors: &sectors.join(","),
            note: &cmd.note,
            sort: 1000,
            builtin: false,
            now: now_ms(),
        },
    )
    .await;
    let id = match r {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field("code", Msg::new("org.code_taken")));
        }
        Err(e) => return Err(e.into()),
    };
    // The tree changed: the bodies above it may have one more lower-level body to tour. An
    // enterprise is never toured as a lower-level body, so adding one leaves those caches be.
    if cmd.kind != anwei_rules::org::OrgKind::Enterprise {
        crate::stamps::bump(act.tx(), crate::stamps::EVERY_ORG).await?;
    }
    act.audit(Event::ok("org.create", "org", &cmd.code).detail(
        json!({"id": id, "name": cmd.name, "kind": cmd.kind.code(), "region": cmd.region_code}),
    ))
    .await?;
    Ok(id)
}

/// Loads the organisation to change inside the use case: outside the scope it does not exist
/// (404), inside it the role must manage organisations (403); both audited. A refusal rolls
/// the use case back before the denial is recorded (see `Act`).
async fn load_for_change(act: &mut Act<'_>, code: &str, action: &'static str) -> AppResult<OrgRow> {
    let t = Target {
        kind: "org",
        id: code,
    };
    let org = store::by_code(act.tx(), code)
        .await?
        .ok_or(AppError::NotFound)?;
    act.sees(&org, action, t).await?;
    act.require(Perm::OrgManage, action, t).await?;
    Ok(org)
}

pub async fn rename(act: &mut Act<'_>, code: &str, name: &str) -> AppResult<()> {
    // Permission and scope first: a refused caller learns nothing from field errors, and
    // the refusal is audited whatever the input.
    let org = load_for_change(act, code, "org.rename").await?;
    let mut e = Vec::new();
    let name = crate::web::extract::text("name", name, 100, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if org.name == name {
        return Err(AppError::field("name", Msg::new("org.name_unchanged")));
    }
    store::rename(act.tx(), org.id, &name, now_ms()).await?;
    // The tree changed: the bodies above it name it among those they must tour.
    crate::stamps::bump(act.tx(), crate::stamps::EVERY_ORG).await?;
    act.audit(Event::ok("org.rename", "org", code).detail(json!({"from": org.name, "to": name})))
        .await
}

pub async fn retire(act: &mut Act<'_>, code: &str) -> AppResult<()> {
    let org = load_for_change(act, code, "org.retire").await?;
    if store::active_children_count(act.tx(), org.id).await? > 0 {
        return Err(AppError::Conflict(Msg::new("org.has_active_children")));
    }
    if store::retire(act.tx(), org.id, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("org.already_retired")));
    }
    crate::stamps::bump(act.tx(), crate::stamps::EVERY_ORG).await?;
    act.audit(Event::ok("org.retire", "org", code)).await
}

pub async fn reinstate(act: &mut Act<'_>, code: &str) -> AppResult<()> {
    let org = load_for_change(act, code, "org.reinstate").await?;
    if store::reinstate(act.tx(), org.id, now_ms()).await? == 0 {
        return Err(AppError::Conflict(Msg::new("org.not_retired")));
    }
    crate::stamps::bump(act.tx(), crate::stamps::EVERY_ORG).await?;
    act.audit(Event::ok("org.reinstate", "org", code)).await
}

/// Loads the built-in regions, organisations and their positions when the database has
/// none. Idempotent: does nothing on a database that already has regions.
pub async fn seed_builtin(state: &AppState) -> AppResult<bool> {
    let mut tx = state.db.begin().await?;
    if store::count_regions(&mut tx).await? > 0 {
        return Ok(false);
    }
    let now = now_ms();
    let city = store::insert_region(
        &mut tx,
        seed::CITY.code,
        seed::CITY.name,
        "city",
        None,
        true,
        0,
    )
    .await?;
    let mut n_orgs = insert_orgs(&mut tx, &city, "city", seed::city_orgs(), now).await?;
    for (i, c) in seed::COUNTIES.iter().enumerate() {
        let r = store::insert_region(
            &mut tx,
            c.code,
            c.name,
            c.level,
            Some((city.id, &city.path)),
            c.gb2260,
            i as i64 + 1,
        )
        .await?;
        n_orgs += insert_orgs(&mut tx, &r, "county", seed::county_orgs(c), now).await?;
    }
    for (i, z) in seed::ZONES.iter().enumerate() {
        let r = store::insert_region(
            &mut tx,
            z.code,
            z.name,
            z.level,
            Some((city.id, &city.path)),
            z.gb2260,
            100 + i as i64,
        )
        .await?;
        n_orgs += insert_orgs(&mut tx, &r, "county", seed::zone_orgs(z), now).await?;
    }
    audit::record(
        state,
        &mut tx,
        &Who::system("seed"),
        Event::ok("org.seed", "org", "builtin").detail(json!({"organisations": n_orgs})),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn insert_orgs(
    tx: &mut Tx,
    region: &RegionRow,
    level: &str,
    orgs: Vec<seed::OrgSeed>,
    now: i64,
) -> AppResult<usize> {
    let mut ids: std::collections::HashMap<&str, OrgId> = std::collections::HashMap::new();
    let n = orgs.len();
    for (i, o) in orgs.iter().enumerate() {
        let code = format!("{}-{}", region.code, o.suffix);
        let id = store::insert(
            tx,
            &InsertOrg {
                code: &code,
                name: &o.name,
                short_name: "",
                kind: o.kind,
                level,
                region_id: region.id,
                parent_id: o.parent.and_then(|p| ids.get(p).copied()),
                supervises: o.supervises,
                sectors: o.sectors,
                note: o.note,
                sort: i as i64,
                builtin: true,
                now,
            },
        )
        .await?;
        ids.insert(o.suffix, id);
        let positions = match o.kind {
            "party_committee" => seed::party_positions(),
            "government" => seed::government_positions(),
            "safety_office" => vec![("office_staff", "安委办工作人员", "")],
            "department" if o.supervises => vec![
                ("principal", "主要负责人", ""),
                ("liaison", "安全生产联络员", ""),
            ],
            _ => vec![],
        };
        crate::people::service::add_builtin_positions(tx, id, &positions, now).await?;
    }
    Ok(n)
}

/// Every current organisation in the actor's scope, for another capability's use case in its
/// own transaction (e.g. the default set a deliverable is required from).
pub async fn current_in_scope(act: &mut Act<'_>) -> AppResult<Vec<OrgRow>> {
    current_in_scope_where(act, None, None).await
}

/// The current organisations under `scope`, optionally of one kind or in one region.
async fn current(
    tx: &mut Tx,
    scope: &ScopeParams,
    kind: Option<&str>,
    region_code: Option<&str>,
) -> AppResult<Vec<OrgRow>> {
    let p = ListParams {
        scope,
        q: None,
        kind,
        region_code,
        level: None,
        supervising: false,
        include_retired: false,
        enterprises: true,
        page: None,
    };
    Ok(store::list(tx, &p).await?)
}

/// The current organisations of `kind` whose region lies directly below region `parent`
/// (everywhere when `None`), whoever asks: for a use case that derives facts about the tree
/// itself (which bodies a committee must tour), never to show them.
pub async fn current_of_kind_below(
    tx: &mut Tx,
    kind: &str,
    parent: Option<RegionId>,
) -> AppResult<Vec<OrgRow>> {
    match parent {
        Some(region) => Ok(store::current_in_child_regions(tx, region, kind).await?),
        None => {
            let all = ScopeParams {
                path_like: None,
                org_id: None,
            };
            current(tx, &all, Some(kind), None).await
        }
    }
}

/// The organisation with this code when it lies in the actor's scope (retired ones too);
/// `None` otherwise, without an audit record — for a body field naming organisations, where
/// an unknown one is a field error, not a refusal.
pub async fn in_scope_by_code(act: &mut Act<'_>, code: &str) -> AppResult<Option<OrgRow>> {
    Ok(store::by_code(act.tx(), code)
        .await?
        .filter(|o| in_scope(act.actor, o)))
}

/// The organisation with this id, in or out of the actor's scope, for another capability's
/// use case in its own transaction that has already settled the scope (an organisation named
/// by an object the actor sees) or decides it itself. Retired ones too.
pub async fn by_id_in(act: &mut Act<'_>, id: OrgId) -> AppResult<Option<OrgRow>> {
    Ok(store::by_id(act.tx(), id).await?)
}

/// The current organisations in the actor's scope, optionally of one kind or in one region
/// (by region code), for another capability's use case in its own transaction.
pub async fn current_in_scope_where(
    act: &mut Act<'_>,
    kind: Option<&str>,
    region_code: Option<&str>,
) -> AppResult<Vec<OrgRow>> {
    let scope = scope_params(act.actor);
    current(act.tx(), &scope, kind, region_code).await
}

/// Every current organisation of the city, for a job that runs with no actor (the duties'
/// daily sweep and cache warm-up) in its own transaction. Never for a request: a request has
/// an actor and sees its scope (`current_in_scope`).
pub async fn all_current(tx: &mut Tx) -> AppResult<Vec<OrgRow>> {
    let all = ScopeParams {
        path_like: None,
        org_id: None,
    };
    current(tx, &all, None, None).await
}

/// Every current department with safety supervision duties (负有安全生产监督管理职责的部门),
/// whoever asks: which department supervises an enterprise is public organisational fact,
/// and a city-managed enterprise's supervisors sit outside a county's scope.
pub async fn supervising_departments(act: &mut Act<'_>) -> AppResult<Vec<OrgRow>> {
    let all = ScopeParams {
        path_like: None,
        org_id: None,
    };
    let p = ListParams {
        scope: &all,
        q: None,
        kind: Some("department"),
        region_code: None,
        level: None,
        supervising: true,
        include_retired: false,
        enterprises: true,
        page: None,
    };
    Ok(store::list(act.tx(), &p).await?)
}

/// The region with this code (any region of the tree, in or out of the actor's scope), for
/// another capability's use case in its own transaction: e.g. checking an area code.
pub async fn region_by_code(act: &mut Act<'_>, code: &str) -> AppResult<Option<RegionRow>> {
    Ok(store::region_by_code(act.tx(), code).await?)
}

/// Every region of the tree in tree order, unfiltered, for another capability's use case in
/// its own transaction (e.g. naming areas, or offering those in scope). The directory's own
/// list, filtered by scope and permission, is `regions`.
pub async fn all_regions(act: &mut Act<'_>) -> AppResult<Vec<RegionRow>> {
    Ok(store::regions(act.tx()).await?)
}

/// The region with this code, for a use case with no actor in its own transaction: the public
/// report form, whose sender names the county the report is about.
pub async fn region_by_code_as_system(tx: &mut Tx, code: &str) -> AppResult<Option<RegionRow>> {
    Ok(store::region_by_code(tx, code).await?)
}

/// The organisation with this code (retired ones too), for a use case the system runs with no
/// actor — the command line, the first-run set-up, the demo data — in its own transaction.
/// Never for a request: a request has an actor and sees its scope (`visible_by_code`).
pub async fn by_code_as_system(tx: &mut Tx, code: &str) -> AppResult<Option<OrgRow>> {
    Ok(store::by_code(tx, code).await?)
}

/// An organisation named by code in a body field, for a use case that hands work to it: the
/// organisation when it lies in the actor's scope and is current; otherwise the message for
/// that field — "unknown" outside the scope (as if it did not exist), "retired" for a retired
/// one in scope.
pub async fn current_by_code(act: &mut Act<'_>, code: &str) -> AppResult<Result<OrgRow, Msg>> {
    Ok(match in_scope_by_code(act, code).await? {
        Some(o) if o.retired_at.is_none() => Ok(o),
        Some(_) => Err(Msg::new("org.is_retired")),
        None => Err(Msg::new("org.unknown")),
    })
}

/// The current government (人民政府, or a zone's 管委会) of the region at `region_path`, for a
/// rule that needs it whatever the actor's scope (e.g. who reviews the top office's own work).
pub async fn government_at(act: &mut Act<'_>, region_path: &str) -> AppResult<Option<OrgRow>> {
    let scope = ScopeParams {
        path_like: Some(region_path.to_string()),
        org_id: None,
    };
    let found = current(act.tx(), &scope, Some("government"), None).await?;
    Ok(found.into_iter().find(|o| o.region_path == region_path))
}

pub use super::enterprise_orgs::{
    NewEnterpriseOrg, add_enterprise_orgs_in, change_enterprise_org_in, codes_taken,
};

/// An organisation named by code for a hand-over across territories (举报转办 to another
/// county's office or department): the current organisation with that code wherever it sits,
/// inside the caller's transaction; `None` when missing or retired. Which organisations exist
/// is public organisational fact; what the caller may hand over is its own use case's check.
pub async fn current_anywhere(act: &mut Act<'_>, code: &str) -> AppResult<Option<OrgRow>> {
    Ok(store::by_code(act.tx(), code)
        .await?
        .filter(|o| o.retired_at.is_none()))
}
