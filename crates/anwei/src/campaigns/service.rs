//! Use cases of campaigns (大检查, 专项整治, 打非治违), article 十七 of 通安委〔2022〕10号: the city
//! or a county committee office creates one over its own region (what is city-wide, the city
//! office only: a county office cannot reach above its county); its checklist is computed from
//! the enterprise registry (the enterprises in its scope, each the share of the participating
//! departments that supervise it) and ticked off by its inspections; coverage per department
//! and territory; the two deliverables as xlsx (`export`).

use std::collections::{BTreeMap, HashMap};

use anwei_rules::campaign::CampaignKind;
use anwei_rules::enterprise::Industry;
use chrono::NaiveDate;
use serde_json::json;

use super::model::{CampaignRow, ChecklistItem, Coverage, DepartmentRow, NewCampaignInput};
use super::store::{self, NewCampaign};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::now_ms;
use crate::enterprises::model::{EnterpriseRow, EnterpriseView};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{CampaignId, OrgId};
use crate::state::AppState;

const SUBJECT: &str = "campaign";

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

fn list_text(items: &[String]) -> String {
    items.join(",")
}

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty())
}

/// Creates a campaign over the office's region (or parts of it), with its participating
/// departments, in one transaction. A region outside the office's own is refused (403,
/// audited): a county office cannot create a campaign for the city.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &NewCampaignInput,
) -> AppResult<CampaignRow> {
    const ACTION: &str = "campaign.create";
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::CampaignManage, ACTION, target(""))
        .await?;
    let mut e = Vec::new();
    let text = crate::web::extract::text;
    let name = text("name", &input.name, 200, true, &mut e);
    let kind = CampaignKind::parse(input.kind.trim());
    if kind.is_none() {
        e.push(("kind".into(), Msg::new("campaigns.kind_unknown")));
    }
    let start = crate::time::parse_date(&input.start_date);
    let end = crate::time::parse_date(&input.end_date);
    if start.is_none() {
        e.push(("start_date".into(), Msg::new("error.date_format")));
    }
    match (start, end) {
        (_, None) => e.push(("end_date".into(), Msg::new("error.date_format"))),
        (Some(s), Some(t)) if t < s => {
            e.push(("end_date".into(), Msg::new("campaigns.end_before_start")));
        }
        _ => {}
    }
    let mut industries = Vec::new();
    for code in &input.industries {
        match Industry::parse(code.trim().to_uppercase().as_str()) {
            Some(i) => industries.push(i.code()),
            None => {
                e.push(("industries".into(), Msg::new("enterprise.industry_unknown")));
                break;
            }
        }
    }
    let places = crate::enterprises::model::parse_place_types(&input.place_types, &mut e);
    let mut codes = Vec::new();
    let mut paths = Vec::new();
    for code in input
        .region_codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        match crate::orgs::service::region_by_code(&mut act, code).await? {
            Some(r) if r.path.starts_with(&actor.region_path) => {
                codes.push(r.code);
                paths.push(r.path);
            }
            Some(_) => {
                let refusal = AppError::Refused(Msg::new("campaigns.region_outside"));
                return Err(act.refused(ACTION, target(code), refusal).await);
            }
            None => {
                e.push(("region_codes".into(), Msg::new("campaigns.region_unknown")));
                break;
            }
        }
    }
    let mut departments = Vec::new();
    for code in input
        .departments
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        match crate::orgs::service::current_by_code(&mut act, code).await? {
            Ok(o) if o.kind != "enterprise" => {
                if !departments
                    .iter()
                    .any(|d: &crate::orgs::model::OrgRow| d.id == o.id)
                {
                    departments.push(o);
                }
            }
            _ => {
                e.push((
                    "departments".into(),
                    Msg::new("campaigns.department_unknown").with("code", code.to_string()),
                ));
                break;
            }
        }
    }
    let (Some(kind), Some(start), Some(end), true) = (kind, start, end, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let (start_text, end_text) = (start.to_string(), end.to_string());
    let new = NewCampaign {
        name: &name,
        kind: kind.code(),
        start_date: &start_text,
        end_date: &end_text,
        industries: &list_text(&industries),
        place_types: &anwei_rules::campaign::place_types_text(&places),
        region_codes: &list_text(&codes),
        region_paths: &list_text(&paths),
        owner: actor.org_id,
        region_path: &actor.region_path,
        by: actor.account_id,
        now: now_ms(),
    };
    let id = store::insert(act.tx(), &new).await?;
    for d in &departments {
        store::add_department(act.tx(), id, d.id).await?;
    }
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "kind": kind.code(), "start": start_text, "end": end_text, "industries": new.industries,
        "place_types": new.place_types, "regions": new.region_codes,
        "departments": departments.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
    })))
    .await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

/// A campaign is seen by those whose region it reaches or who sit above it; never by an
/// enterprise's account.
fn sees(actor: &Actor, c: &CampaignRow) -> bool {
    match actor.scope() {
        Scope::Region(p) => c.region_path.starts_with(&p) || p.starts_with(&c.region_path),
        Scope::Org(_) => false,
    }
}

async fn load(act: &mut Act<'_>, id: CampaignId, action: &'static str) -> AppResult<CampaignRow> {
    let sid = id.to_string();
    act.require(Perm::InspectionRead, action, target(&sid))
        .await?;
    match store::by_id(act.tx(), id).await? {
        Some(c) if sees(act.actor, &c) => Ok(c),
        _ => Err(act.refused(action, target(&sid), AppError::NotFound).await),
    }
}

/// The campaigns the actor sees, the latest first.
pub async fn list(state: &AppState, actor: &Actor) -> AppResult<Vec<CampaignRow>> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::InspectionRead, "campaign.list", target(""))
        .await?;
    match actor.scope() {
        Scope::Region(p) => Ok(store::around(act.tx(), &p).await?),
        Scope::Org(_) => Ok(Vec::new()),
    }
}

/// True when the campaign's scope takes in an enterprise at `region_path`, of `industry`,
/// with `place_types` (comma-separated codes).
pub fn covers(c: &CampaignRow, region_path: &str, industry: &str, place_types: &str) -> bool {
    let region = if c.region_paths.is_empty() {
        region_path.starts_with(&c.region_path)
    } else {
        split(&c.region_paths).any(|p| region_path.starts_with(p))
    };
    let industry_ok = c.industries.is_empty()
        || split(&c.industries).any(|i| {
            if i.len() == 1 {
                industry.starts_with(i)
            } else {
                industry == i
            }
        });
    let places_ok = c.place_types.is_empty()
        || split(&c.place_types).any(|p| split(place_types).any(|q| q == p));
    region && industry_ok && places_ok
}

/// The door for inspections, inside their use case: the campaign an inspection belongs to —
/// one the actor sees, whose window holds the day and whose scope holds the enterprise;
/// otherwise a problem naming the field goes to `e`.
pub async fn for_inspection(
    act: &mut Act<'_>,
    id: CampaignId,
    ent: &EnterpriseRow,
    date: Option<NaiveDate>,
    e: &mut Vec<(String, Msg)>,
) -> AppResult<Option<CampaignId>> {
    let c = match store::by_id(act.tx(), id).await? {
        Some(c) if sees(act.actor, &c) => c,
        _ => {
            e.push((
                "campaign_id".into(),
                Msg::new("inspections.campaign_unknown"),
            ));
            return Ok(None);
        }
    };
    if let Some(d) = date
        && (d < c.start_date.0 || d > c.end_date.0)
    {
        let m = Msg::new("inspections.outside_window")
            .with("start", c.start_date.to_string())
            .with("end", c.end_date.to_string());
        e.push(("date".into(), m));
    }
    if !covers(&c, &ent.region_path, &ent.industry, &ent.place_types) {
        e.push((
            "campaign_id".into(),
            Msg::new("inspections.not_in_campaign_scope"),
        ));
    }
    Ok(Some(c.id))
}

/// A campaign with its checklist and coverage, as the actor sees it (its part of the scope).
pub struct Checklist {
    pub campaign: CampaignRow,
    pub departments: Vec<DepartmentRow>,
    pub items: Vec<ChecklistItem>,
    pub total: Coverage,
    pub by_department: Vec<Coverage>,
    pub by_territory: Vec<Coverage>,
}

fn item(v: &EnterpriseView, depts: &[DepartmentRow], first: Option<&NaiveDate>) -> ChecklistItem {
    let mut codes: Vec<&str> = v.supervisors.iter().map(|s| s.code.as_str()).collect();
    if let Some(l) = &v.lead {
        codes.push(&l.code);
    }
    ChecklistItem {
        enterprise_id: v.id,
        name: v.name.clone(),
        credit_code: v.credit_code.clone(),
        region_code: v.region_code.clone(),
        region_name: v.region_name.clone(),
        industry: v.industry.clone(),
        place_types: v.place_types.clone(),
        departments: depts
            .iter()
            .filter(|d| codes.contains(&d.code.as_str()))
            .map(|d| d.code.clone())
            .collect(),
        inspected_on: first.map(NaiveDate::to_string),
    }
}

/// The checklist: the enterprises in the campaign's scope and the actor's, each with its
/// departments' share and the first day a campaign inspection covered it; coverage per
/// participating department and per territory (county-level region).
pub async fn checklist(state: &AppState, actor: &Actor, id: CampaignId) -> AppResult<Checklist> {
    let mut act = Act::read(state, actor).await?;
    checklist_in(&mut act, id, "campaign.read").await
}

pub async fn checklist_in(
    act: &mut Act<'_>,
    id: CampaignId,
    action: &'static str,
) -> AppResult<Checklist> {
    let campaign = load(act, id, action).await?;
    let departments = store::departments(act.tx(), id).await?;
    let under = format!("{}%", campaign.region_path);
    let all = crate::enterprises::service::all_under(act, &under).await?;
    let mut first: HashMap<OrgId, NaiveDate> = HashMap::new();
    for t in crate::inspections::service::ticks(act, id).await? {
        first.entry(t.enterprise_id).or_insert(t.date.0);
    }
    let mine = |path: &str| match act.actor.scope() {
        Scope::Region(p) => path.starts_with(&p),
        Scope::Org(_) => false,
    };
    let items: Vec<ChecklistItem> = all
        .iter()
        .filter(|v| mine(&v.region_path))
        .filter(|v| {
            covers(
                &campaign,
                &v.region_path,
                &v.industry,
                &v.place_types.join(","),
            )
        })
        .map(|v| item(v, &departments, first.get(&v.id)))
        .collect();
    let done = |xs: &[&ChecklistItem]| xs.iter().filter(|i| i.inspected_on.is_some()).count();
    let by_department = departments
        .iter()
        .map(|d| {
            let xs: Vec<&ChecklistItem> = items
                .iter()
                .filter(|i| i.departments.contains(&d.code))
                .collect();
            Coverage::new(d.code.clone(), d.name.clone(), xs.len(), done(&xs))
        })
        .collect();
    let mut territories: BTreeMap<(String, String), Vec<&ChecklistItem>> = BTreeMap::new();
    for i in &items {
        territories
            .entry((i.region_code.clone(), i.region_name.clone()))
            .or_default()
            .push(i);
    }
    let by_territory = territories
        .into_iter()
        .map(|((code, name), xs)| Coverage::new(code, name, xs.len(), done(&xs)))
        .collect();
    let all_items: Vec<&ChecklistItem> = items.iter().collect();
    let total = Coverage::new(
        String::new(),
        campaign.name.clone(),
        items.len(),
        done(&all_items),
    );
    Ok(Checklist {
        campaign,
        departments,
        items,
        total,
        by_department,
        by_territory,
    })
}
