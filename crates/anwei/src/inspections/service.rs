//! Use cases of inspections (检查记录): record an inspection at an enterprise in scope — by the
//! caller's own organisation (the office: by any organisation in its scope), with its officers
//! (two at least for an enforcement inspection), optionally led by a leader (then it is that
//! position's duty record, created here through the duties service in the same transaction)
//! and optionally part of a campaign (in its window and scope); list and read them; the doors
//! other capabilities use (hazards found by an inspection, the unlisted rule, campaigns'
//! checklists).

use std::collections::BTreeSet;

use anwei_rules::campaign::InspectionKind;
use chrono::NaiveDate;
use serde_json::json;

use super::model::{
    InspectionFilter, InspectionRow, InspectionSummary, NewInspectionInput, OfficerRow, Tick,
};
use super::store::{self, ListParams, NewInspection};
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{ActivityId, CampaignId, InspectionId, OrgId, PersonId, PositionId};
use crate::orgs::model::OrgRow;
use crate::state::AppState;

const SUBJECT: &str = "inspection";

/// An inspection lies in the scope of the enterprise it inspected.
impl Scoped for InspectionRow {
    fn scope_org_id(&self) -> OrgId {
        self.enterprise_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

fn target(id: &str) -> Target<'_> {
    Target { kind: SUBJECT, id }
}

/// The inspecting organisation: blank is the caller's own; another one only for the office,
/// in its scope; never an enterprise.
async fn inspecting_org(act: &mut Act<'_>, code: &str, action: &'static str) -> AppResult<OrgRow> {
    let code = match code.trim() {
        "" => act.actor.org_code.clone(),
        c => c.to_string(),
    };
    let org = match crate::orgs::service::current_by_code(act, &code).await? {
        Ok(o) if o.kind != "enterprise" => o,
        Ok(_) => {
            return Err(AppError::field(
                "org_code",
                Msg::new("inspections.org_not_inspector"),
            ));
        }
        Err(m) => return Err(AppError::field("org_code", m)),
    };
    if org.id != act.actor.org_id && act.actor.role != Role::Office {
        let refusal = AppError::Refused(Msg::new("inspections.only_own_org"));
        return Err(act.refused(action, target(&code), refusal).await);
    }
    Ok(org)
}

/// The officers: distinct people of the inspecting organisation, enough for the kind.
async fn officers(
    act: &mut Act<'_>,
    org: &OrgRow,
    kind: Option<InspectionKind>,
    ids: &[i64],
    e: &mut Vec<(String, Msg)>,
) -> AppResult<Vec<PersonId>> {
    let mut out = BTreeSet::new();
    for &id in ids {
        let person = match id {
            1.. => crate::people::service::person_in(act, PersonId(id)).await?,
            _ => None,
        };
        match person {
            Some(p) if p.org_id == org.id => {
                out.insert(p.id);
            }
            _ => {
                e.push((
                    "officers".into(),
                    Msg::new("inspections.officer_not_of_org").with("id", id),
                ));
                return Ok(Vec::new());
            }
        }
    }
    if let Some(k) = kind
        && !anwei_rules::campaign::enough_officers(k, out.len())
    {
        let key = match k {
            InspectionKind::Enforcement => "inspections.two_officers",
            InspectionKind::Routine => "inspections.one_officer",
        };
        e.push(("officers".into(), Msg::new(key)));
    }
    Ok(out.into_iter().collect())
}

/// The leading position: current, of an organisation in the caller's scope.
async fn leader(
    act: &mut Act<'_>,
    id: Option<i64>,
    e: &mut Vec<(String, Msg)>,
) -> AppResult<Option<crate::people::model::PositionRow>> {
    let Some(id) = id else { return Ok(None) };
    let p = match id {
        1.. => crate::people::service::position_in(act, PositionId(id)).await?,
        _ => None,
    };
    let org = match &p {
        Some(p) if p.retired_at.is_none() => crate::orgs::service::by_id_in(act, p.org_id).await?,
        _ => None,
    };
    if org.is_some_and(|o| crate::orgs::service::in_scope(act.actor, &o)) {
        return Ok(p);
    }
    e.push((
        "leader_position".into(),
        Msg::new("inspections.position_unknown"),
    ));
    Ok(None)
}

/// 检查记录: records one inspection, its officers and — when a leader led it — the leader's
/// duty record, in one transaction.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &NewInspectionInput,
) -> AppResult<InspectionRow> {
    const ACTION: &str = "inspection.create";
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::InspectionRecord, ACTION, target(""))
        .await?;
    let org = inspecting_org(&mut act, &input.org_code, ACTION).await?;
    if input.enterprise_id < 1 {
        return Err(AppError::field(
            "enterprise_id",
            Msg::new("hazards.enterprise_unknown"),
        ));
    }
    let ent =
        crate::enterprises::service::visible(&mut act, OrgId(input.enterprise_id), ACTION).await?;
    let mut e = Vec::new();
    let kind = InspectionKind::parse(input.kind.trim());
    if kind.is_none() {
        e.push(("kind".into(), Msg::new("inspections.kind_unknown")));
    }
    let today = crate::time::today();
    let date = crate::time::parse_date(&input.date);
    match date {
        None => e.push(("date".into(), Msg::new("error.date_format"))),
        Some(d) if d > today => e.push(("date".into(), Msg::new("inspections.date_future"))),
        Some(_) => {}
    }
    let text = crate::web::extract::text;
    let place = text("place", &input.place, 200, false, &mut e);
    let checked = text("checked", &input.checked, 2000, true, &mut e);
    let findings = text("findings", &input.findings, 5000, false, &mut e);
    let officers = officers(&mut act, &org, kind, &input.officers, &mut e).await?;
    let lead = leader(&mut act, input.leader_position, &mut e).await?;
    let campaign = match input.campaign_id {
        Some(id) => {
            crate::campaigns::service::for_inspection(&mut act, CampaignId(id), &ent, date, &mut e)
                .await?
        }
        None => None,
    };
    let (Some(kind), Some(date), true) = (kind, date, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let date_text = date.to_string();
    let new = NewInspection {
        kind: kind.code(),
        org_id: org.id,
        enterprise_id: ent.org_id,
        region_path: &ent.region_path,
        industry: &ent.industry,
        campaign_id: campaign,
        leader_position_id: lead.as_ref().map(|p| p.id),
        leader_person_id: lead.as_ref().and_then(|p| p.holder_id),
        date: &date_text,
        place: &place,
        checked: &checked,
        findings: &findings,
        created_by: actor.account_id,
        now: now_ms(),
    };
    let id = store::insert(act.tx(), &new).await?;
    for p in &officers {
        store::add_officer(act.tx(), id, *p).await?;
    }
    let activity = match &lead {
        Some(p) => {
            let title = format!("带队检查：{}（检查记录 {id}）", ent.name);
            let l = crate::duties::inspection_link::LedInspection {
                inspection: id,
                org_id: p.org_id,
                position: p.id,
                person: p.holder_id,
                date,
                title: &title,
                places: &ent.name,
                findings: &findings,
                area_code: &ent.region_code,
            };
            Some(crate::duties::inspection_link::record_led_inspection(&mut act, &l).await?)
        }
        None => None,
    };
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "kind": kind.code(), "org": org.code, "enterprise": ent.org_id, "date": date_text,
        "officers": officers.len(), "leader_position": new.leader_position_id,
        "campaign": campaign, "activity": activity,
    })))
    .await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

pub struct Page {
    pub items: Vec<InspectionRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Inspections in scope (an enterprise: its own), the latest first.
pub async fn list(state: &AppState, actor: &Actor, f: &InspectionFilter) -> AppResult<Page> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::InspectionRead, "inspection.list", target(""))
        .await?;
    let (page, per_page) = crate::web::page::page_and_size(f.page, f.per_page)?;
    let scope = crate::orgs::service::scope_within(&mut act, None).await?;
    let (items, total) = store::list(
        act.tx(),
        &ListParams {
            path_like: scope.path_like.as_deref(),
            org_id: scope.org_id,
            enterprise: f.enterprise.map(OrgId),
            campaign: f.campaign.map(CampaignId),
            limit: per_page,
            offset: (page - 1) * per_page,
        },
    )
    .await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

pub struct Detail {
    pub inspection: InspectionRow,
    pub officers: Vec<OfficerRow>,
    pub hazards: Vec<crate::hazards::model::HazardRow>,
    /// The leader's duty record this inspection is the evidence of.
    pub activity_id: Option<ActivityId>,
    /// May register the hazards it found.
    pub can_add_hazards: bool,
}

async fn load(
    act: &mut Act<'_>,
    id: InspectionId,
    action: &'static str,
) -> AppResult<InspectionRow> {
    act.load_by(Perm::InspectionRead, action, SUBJECT, id, store::by_id)
        .await
}

fn may_add_findings(actor: &Actor, i: &InspectionRow) -> bool {
    actor.can(Perm::InspectionRecord)
        && !actor.is_read_only()
        && (actor.org_id == i.org_id || actor.role == Role::Office)
}

pub async fn get(state: &AppState, actor: &Actor, id: InspectionId) -> AppResult<Detail> {
    let mut act = Act::read(state, actor).await?;
    let inspection = load(&mut act, id, "inspection.read").await?;
    let officers = store::officers(act.tx(), id).await?;
    let hazards = crate::hazards::service::of_inspection(&mut act, id).await?;
    let activity_id = crate::duties::inspection_link::of_inspection(&mut act, id).await?;
    Ok(Detail {
        can_add_hazards: may_add_findings(actor, &inspection),
        inspection,
        officers,
        hazards,
        activity_id,
    })
}

/// The door for hazards, inside their use case: the inspection a finding is registered with —
/// one the actor sees and may add findings to (its own organisation's; the office: any in
/// scope), at the hazard's enterprise (422 naming `inspection_id` otherwise).
pub async fn for_finding(
    act: &mut Act<'_>,
    id: InspectionId,
    enterprise: OrgId,
    action: &'static str,
) -> AppResult<InspectionRow> {
    let unknown = || AppError::field("inspection_id", Msg::new("inspections.unknown_inspection"));
    let i = match load(act, id, action).await {
        Err(AppError::NotFound) => return Err(unknown()),
        r => r?,
    };
    if i.enterprise_id != enterprise {
        return Err(AppError::field(
            "inspection_id",
            Msg::new("inspections.other_enterprise"),
        ));
    }
    if !may_add_findings(act.actor, &i) {
        let sid = id.to_string();
        let refusal = AppError::Refused(Msg::new("inspections.only_own_org"));
        return Err(act.refused(action, target(&sid), refusal).await);
    }
    Ok(i)
}

/// The door for the unlisted rule: every inspection of the enterprise — id, day, whether it
/// belonged to a campaign.
pub async fn at_enterprise(
    act: &mut Act<'_>,
    enterprise: OrgId,
) -> AppResult<Vec<(InspectionId, NaiveDate, bool)>> {
    Ok(store::at_enterprise(act.tx(), enterprise)
        .await?
        .into_iter()
        .map(|(id, d, c)| (id, d.0, c.is_some()))
        .collect())
}

/// The door for a flagged hazard's page: the inspection, its date and inspectors (the caller
/// has settled who may see it).
pub async fn summary(act: &mut Act<'_>, id: InspectionId) -> AppResult<Option<InspectionSummary>> {
    let Some(i) = store::by_id(act.tx(), id).await? else {
        return Ok(None);
    };
    let officers = store::officers(act.tx(), id).await?;
    Ok(Some(InspectionSummary {
        id,
        date: i.date.to_string(),
        kind: i.kind,
        org_name: i.org_name,
        campaign_id: i.campaign_id,
        campaign_name: i.campaign_name,
        leader_name: i.leader_name,
        officers: officers.into_iter().map(|o| o.name).collect(),
    }))
}

/// The door for campaigns: the campaign's inspections (who, where, when).
pub async fn ticks(act: &mut Act<'_>, campaign: CampaignId) -> AppResult<Vec<Tick>> {
    Ok(store::ticks(act.tx(), campaign).await?)
}

/// The door for accidents (issue 12), inside their read: the inspections of `enterprise` on
/// or after `since` that the actor sees in the inspection list (none when the actor may not
/// read inspections), the latest first.
pub async fn at_enterprise_since(
    act: &mut Act<'_>,
    enterprise: OrgId,
    since: NaiveDate,
) -> AppResult<Vec<InspectionRow>> {
    if !act.actor.can(Perm::InspectionRead) {
        return Ok(Vec::new());
    }
    let scope = crate::orgs::service::scope_params(act.actor);
    let (items, _) = store::list(
        act.tx(),
        &ListParams {
            path_like: scope.path_like.as_deref(),
            org_id: scope.org_id,
            enterprise: Some(enterprise),
            campaign: None,
            limit: 500,
            offset: 0,
        },
    )
    .await?;
    Ok(items.into_iter().filter(|i| i.date.0 >= since).collect())
}
