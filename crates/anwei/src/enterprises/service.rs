//! Use cases of the enterprise registry.

use serde_json::json;

use std::collections::HashMap;

use anwei_rules::supervisors::Principle;

use super::model::{
    EnterpriseFilter, EnterpriseRow, EnterpriseView, LeadInput, LeadRow, NewEnterprise,
};
use super::store::{self, ListParams};
use super::supervision::{self, Supervision};
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::OrgId;
use crate::orgs::model::NewOrg;
use crate::state::AppState;
use crate::web::extract::some_text;

impl Scoped for EnterpriseRow {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

/// [`create`] from what was sent: the permission first (a caller who may not add
/// enterprises learns nothing about the fields), then every field.
pub async fn create_from(
    state: &AppState,
    actor: &Actor,
    input: &super::model::NewEnterpriseInput,
) -> AppResult<EnterpriseRow> {
    if !actor.can(Perm::EnterpriseManage) {
        let mut act = Act::read(state, actor).await?;
        let t = Target {
            kind: "enterprise",
            id: "",
        };
        act.require(Perm::EnterpriseManage, "enterprise.create", t)
            .await?;
    }
    create(state, actor, input.parse()?).await
}

/// Adds an enterprise: its organisation in the tree (code: the credit code) and its profile,
/// in one transaction. The region must lie in the actor's scope (403, audited); the credit
/// code must be free (422 naming `credit_code`).
pub async fn create(state: &AppState, actor: &Actor, e: NewEnterprise) -> AppResult<EnterpriseRow> {
    let mut act = Act::begin(state, actor).await?;
    let t = Target {
        kind: "enterprise",
        id: &e.credit_code,
    };
    act.require(Perm::EnterpriseManage, "enterprise.create", t)
        .await?;
    if store::credit_code_taken(act.tx(), &e.credit_code).await? {
        return Err(AppError::field(
            "credit_code",
            Msg::new("enterprise.credit_code_taken"),
        ));
    }
    let org = NewOrg {
        code: e.credit_code.clone(),
        name: e.name.clone(),
        short_name: String::new(),
        kind: anwei_rules::org::OrgKind::Enterprise,
        region_code: e.region_code.clone(),
        parent_code: None,
        supervises_safety: false,
        sectors: Vec::new(),
        note: String::new(),
    };
    let id = match crate::orgs::service::create_in(&mut act, &org).await {
        // The organisation's code is the credit code: taken there means taken here.
        Err(AppError::Validation(f)) if f.iter().any(|(n, _)| n == "code") => {
            return Err(AppError::field(
                "credit_code",
                Msg::new("enterprise.credit_code_taken"),
            ));
        }
        r => r?,
    };
    crate::bans::service::refuse_banned(
        &mut act,
        "principal_id_number",
        &e.principal_id_number,
        e.industry,
    )
    .await?;
    let protected = protect(state, &e.principal_id_number)?;
    store::insert(act.tx(), id, &e, &protected, actor.account_id, now_ms()).await?;
    act.audit(
        Event::ok("enterprise.create", "enterprise", id).detail(json!({
            "credit_code": e.credit_code, "region": e.region_code, "industry": e.industry.code(),
        })),
    )
    .await?;
    let row = store::by_org_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// A principal's ID number (normalised and checked) as stored: sealed, its blind index and its
/// masked form; all empty when none was given. The create form, the edit and the import.
pub(crate) fn protect(state: &AppState, number: &str) -> AppResult<store::Protected> {
    Ok(match number {
        "" => store::Protected {
            sealed: String::new(),
            index: String::new(),
            masked: String::new(),
        },
        n => store::Protected {
            sealed: state.vault.seal(n)?,
            index: state.vault.blind("id_number", n),
            masked: anwei_rules::enterprise::mask_id_number(n),
        },
    })
}

pub struct Page {
    pub items: Vec<EnterpriseView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The filters as SQL patterns: region path (narrowing the scope, never widening it),
/// industry (exact division or section prefix), name / credit code.
struct Patterns {
    path_like: Option<String>,
    org_id: Option<OrgId>,
    industry_like: Option<String>,
    q: Option<String>,
}

async fn patterns(act: &mut Act<'_>, f: &EnterpriseFilter) -> AppResult<Patterns> {
    let scope = crate::orgs::service::scope_within(act, some_text(&f.region).as_deref()).await?;
    let industry_like = industry_like(&f.industry).map_err(|m| AppError::field("industry", m))?;
    Ok(Patterns {
        path_like: scope.path_like,
        org_id: scope.org_id,
        industry_like,
        q: some_text(&f.q),
    })
}

/// An industry filter as a SQL pattern: a division exactly (`C26`), a section as a prefix
/// (`C%`); blank: none. Shared with the hazard list.
pub fn industry_like(code: &Option<String>) -> Result<Option<String>, Msg> {
    let Some(code) = some_text(code) else {
        return Ok(None);
    };
    match anwei_rules::enterprise::Industry::parse(&code.to_uppercase()) {
        Some(i) if i.division().is_some() => Ok(Some(i.code())),
        Some(i) => Ok(Some(format!("{}%", i.code()))),
        None => Err(Msg::new("enterprise.industry_unknown")),
    }
}

/// The enterprises in the actor's scope (an enterprise: itself), filtered. A department sees
/// those it supervises (by its sectors, or named lead); `gap` keeps the supervision gaps.
pub async fn list(state: &AppState, actor: &Actor, f: &EnterpriseFilter) -> AppResult<Page> {
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: "enterprise",
        id: "",
    };
    act.require(Perm::OrgRead, "enterprise.list", t).await?;
    let p = patterns(&mut act, f).await?;
    let (page, per_page) = crate::web::page::page_and_size(f.page, f.per_page)?;
    let sup = Supervision::load(&mut act).await?;
    let offset = (page - 1) * per_page;
    let (rows, total) = if f.gap || actor.role == Role::Department {
        derived_page(&mut act, &sup, &p, f.gap, per_page, offset).await?
    } else {
        let q_like =
            p.q.as_ref()
                .map(|q| format!("%{}%", crate::db::escape_like(q)));
        let params = ListParams {
            path_like: p.path_like.as_deref(),
            org_id: p.org_id,
            industry_like: p.industry_like.as_deref(),
            q_like: q_like.as_deref(),
            limit: per_page,
            offset,
        };
        store::list(act.tx(), &params).await?
    };
    let ids: Vec<OrgId> = rows.iter().map(|r| r.org_id).collect();
    let leads = store::latest_leads(act.tx(), &ids).await?;
    Ok(Page {
        items: supervision::views(&sup, &rows, &leads),
        total,
        page,
        per_page,
    })
}

/// A page of a list that depends on who supervises whom (the gaps, a department's own): every
/// enterprise in scope placed, filtered here, then the page read by id.
async fn derived_page(
    act: &mut Act<'_>,
    sup: &Supervision,
    p: &Patterns,
    gaps_only: bool,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<EnterpriseRow>, i64)> {
    let places = store::placements(act.tx(), p.path_like.as_deref(), p.org_id).await?;
    let led: HashMap<OrgId, OrgId> = store::led(act.tx()).await?.into_iter().collect();
    let me = act.actor.org_id;
    let department = act.actor.role == Role::Department;
    let industry = |code: &str| match &p.industry_like {
        None => true,
        Some(l) if l.ends_with('%') => code.starts_with(l.trim_end_matches('%')),
        Some(l) => code == l,
    };
    let q = p.q.as_deref().map(str::to_uppercase);
    let kept: Vec<OrgId> = places
        .iter()
        .filter(|e| industry(&e.industry))
        .filter(|e| {
            q.as_deref()
                .is_none_or(|q| e.name.to_uppercase().contains(q) || e.credit_code.contains(q))
        })
        .filter(|e| {
            let by = sup.of(&e.region_path, &e.management, &e.industry);
            let lead = led.get(&e.org_id).copied();
            (!gaps_only || (by.is_empty() && lead.is_none()))
                && (!department || lead == Some(me) || by.iter().any(|d| d.id == me))
        })
        .map(|e| e.org_id)
        .collect();
    let total = i64::try_from(kept.len()).unwrap_or(i64::MAX);
    let from = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(kept.len());
    let to = from
        .saturating_add(usize::try_from(limit).unwrap_or(0))
        .min(kept.len());
    let ids = &kept[from..to];
    let mut rows = store::by_ids(act.tx(), ids).await?;
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.org_id));
    Ok((rows, total))
}

pub struct Detail {
    pub view: EnterpriseView,
    /// Every lead decision, the latest first.
    pub leads: Vec<LeadRow>,
    /// The actor may name the lead department (the office or the territory's government).
    pub can_name_lead: bool,
    /// A principal's ID number is recorded and the actor may reveal it (with a reason).
    pub can_reveal: bool,
}

/// One enterprise the actor may see, with who supervises it and the decisions about it.
pub async fn get(state: &AppState, actor: &Actor, id: OrgId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let e = visible(&mut act, id, "enterprise.read").await?;
    let sup = Supervision::load(&mut act).await?;
    let leads = store::leads_of(act.tx(), id).await?;
    Ok(Detail {
        can_reveal: may_reveal(actor) && !e.principal_id_masked.is_empty(),
        view: sup.view(&e, leads.first()),
        leads,
        can_name_lead: may_name_lead(actor) && !actor.is_read_only(),
    })
}

/// The government names lead departments: the committee office and the territories'
/// accounts, never a department (it would name itself or another out of its reach).
fn may_name_lead(actor: &Actor) -> bool {
    actor.can(Perm::EnterpriseManage) && actor.role != Role::Department
}

/// 谁主管谁牵头、谁为主谁牵头、谁靠近谁牵头: the government names the department that leads the
/// supervision of an enterprise. The department must be current and sit at or above the
/// enterprise's region. Every decision is kept with who, when, the principle and why.
pub async fn name_lead(
    state: &AppState,
    actor: &Actor,
    id: OrgId,
    input: &LeadInput,
) -> AppResult<Detail> {
    const ACTION: &str = "enterprise.lead";
    let mut act = Act::begin(state, actor).await?;
    let sid = id.to_string();
    let t = Target {
        kind: "enterprise",
        id: &sid,
    };
    act.require(Perm::EnterpriseManage, ACTION, t).await?;
    let e = visible(&mut act, id, ACTION).await?;
    if !may_name_lead(actor) {
        let refusal = AppError::Refused(Msg::new("enterprise.only_government_names_lead"));
        return Err(act.refused(ACTION, t, refusal).await);
    }
    let mut errors = Vec::new();
    let principle = Principle::parse(input.principle.trim());
    if principle.is_none() {
        errors.push(("principle".into(), Msg::new("enterprise.principle_unknown")));
    }
    let reason = crate::web::extract::text("reason", &input.reason, 500, true, &mut errors);
    let department = match crate::orgs::service::current_by_code(
        &mut act,
        input.department_code.trim(),
    )
    .await?
    {
        Ok(d) if d.kind == "department" && e.region_path.starts_with(&d.region_path) => Some(d),
        Ok(_) => {
            errors.push((
                "department_code".into(),
                Msg::new("enterprise.lead_not_here"),
            ));
            None
        }
        Err(m) => {
            errors.push(("department_code".into(), m));
            None
        }
    };
    let (Some(principle), Some(department)) = (principle, department) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let lead = store::NewLead {
        enterprise: id,
        department: department.id,
        principle: principle.code(),
        reason: &reason,
        by: actor.account_id,
        now: now_ms(),
    };
    store::insert_lead(act.tx(), &lead).await?;
    act.audit(Event::ok(ACTION, "enterprise", id).detail(json!({
        "department": department.code, "principle": principle.code(), "reason": reason,
    })))
    .await?;
    act.commit().await?;
    get(state, actor, id).await
}

/// The door for other capabilities (hazards), inside their use case: the enterprise with this
/// organisation id, when it lies in the actor's scope; otherwise it does not exist (404,
/// audited under `action`).
pub async fn visible(
    act: &mut Act<'_>,
    id: OrgId,
    action: &'static str,
) -> AppResult<EnterpriseRow> {
    act.load_by(Perm::OrgRead, action, "enterprise", id, store::by_org_id)
        .await
}

/// The door for risk points, inside their use case (which has checked the enterprise through
/// [`visible`]): records the enterprise's risk grade, the highest level of its active points.
/// Kept on the enterprise so the four-colour map counts enterprises by grade in one grouped
/// read, however many points they hold.
pub async fn set_risk_level(
    act: &mut Act<'_>,
    id: OrgId,
    level: Option<anwei_rules::risk::RiskLevel>,
) -> AppResult<()> {
    let code = level.map(|l| l.code()).unwrap_or("");
    store::set(act.tx(), id, store::Column::RiskLevel, code, now_ms()).await?;
    Ok(())
}

/// The door for the four-colour map: per region path, how many current enterprises in the
/// actor's scope, narrowed to the region with this code, hold each risk grade ('' for none).
pub async fn risk_tally(
    act: &mut Act<'_>,
    region: Option<&str>,
) -> AppResult<Vec<(String, String, i64)>> {
    let scope = crate::orgs::service::scope_within(act, region).await?;
    let rows = store::risk_tally(act.tx(), scope.path_like.as_deref(), scope.org_id).await?;
    Ok(rows)
}

/// Who may see a principal's full ID number: the office, departments and territories in scope
/// (enforcement needs it), never an administrator, an auditor, a leader or the discipline role
/// (they see it masked), nor the enterprise itself through this door.
fn may_reveal(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::Office | Role::Department | Role::Territory
    ) && !actor.is_read_only()
}

/// Reveals the principal's ID number to a role that needs it, with a reason. Every reveal is
/// audited with the reason (never the number); a refusal too.
pub async fn reveal_principal_id(
    state: &AppState,
    actor: &Actor,
    id: OrgId,
    input: &super::model::RevealInput,
) -> AppResult<String> {
    const ACTION: &str = "enterprise.reveal_principal_id";
    let mut act = Act::begin(state, actor).await?;
    let e = visible(&mut act, id, ACTION).await?;
    let sid = id.to_string();
    let t = Target {
        kind: "enterprise",
        id: &sid,
    };
    if !may_reveal(actor) {
        return Err(act.refused(ACTION, t, AppError::Forbidden).await);
    }
    let mut errors = Vec::new();
    let reason = crate::web::extract::text("reason", &input.reason, 500, true, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let sealed = store::sealed_principal_id(act.tx(), e.org_id).await?;
    if sealed.is_empty() {
        return Err(AppError::Conflict(Msg::new("enterprise.no_principal_id")));
    }
    let number = state.vault.open(&sealed).map_err(AppError::Internal)?;
    act.audit(Event::ok(ACTION, "enterprise", id).detail(json!({"reason": reason})))
        .await?;
    act.commit().await?;
    Ok(number.to_string())
}

/// Sets an enterprise's place types (人员密集场所, 高层建筑 …), replacing them: those who keep
/// the registry, for an enterprise in scope. Audited with the codes.
pub async fn set_place_types(
    state: &AppState,
    actor: &Actor,
    id: OrgId,
    input: &super::model::PlaceTypesInput,
) -> AppResult<EnterpriseView> {
    const ACTION: &str = "enterprise.place_types";
    let mut act = Act::begin(state, actor).await?;
    let sid = id.to_string();
    let t = Target {
        kind: "enterprise",
        id: &sid,
    };
    act.require(Perm::EnterpriseManage, ACTION, t).await?;
    visible(&mut act, id, ACTION).await?;
    let mut e = Vec::new();
    let types = super::model::parse_place_types(&input.place_types, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let codes = anwei_rules::campaign::place_types_text(&types);
    store::set(act.tx(), id, store::Column::PlaceTypes, &codes, now_ms()).await?;
    act.audit(Event::ok(ACTION, "enterprise", id).detail(json!({"place_types": codes})))
        .await?;
    let row = store::by_org_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sup = Supervision::load(&mut act).await?;
    let leads = store::latest_leads(act.tx(), &[id]).await?;
    act.commit().await?;
    Ok(sup.view(&row, leads.first()))
}

/// The door for campaigns, inside their use case: every current enterprise under the
/// region-path pattern `path_like` (`/1/3/%`) with who supervises it (departments by sector,
/// or the named lead), by region and name. The caller narrows to its scope and filters.
pub async fn all_under(act: &mut Act<'_>, path_like: &str) -> AppResult<Vec<EnterpriseView>> {
    let rows = store::under(act.tx(), path_like).await?;
    let sup = Supervision::load(act).await?;
    let ids: Vec<OrgId> = rows.iter().map(|r| r.org_id).collect();
    let leads = store::latest_leads(act.tx(), &ids).await?;
    let mut views = supervision::views(&sup, &rows, &leads);
    for (v, r) in views.iter_mut().zip(&rows) {
        v.region_path = r.region_path.clone();
    }
    Ok(views)
}

/// Doors for reports: who supervises a named enterprise, or an industry, in a territory.
pub use super::supervision::{industry_supervisors, named_supervisors};
