//! 管行业必须管安全: which departments supervise an enterprise — those with safety supervision
//! duties at its level (its county for a county-managed enterprise, the city for a
//! city-managed one) whose sectors cover its industry under the configured map — and the
//! supervision gap where none do and no lead department has been named.

use std::collections::HashMap;

use anwei_rules::enterprise::Industry;
use anwei_rules::org::Sector;

use super::model::{EnterpriseRow, EnterpriseView, LeadRow, SupervisorView};
use crate::act::Act;
use crate::error::AppResult;
use crate::ids::OrgId;
use crate::orgs::model::OrgRow;

/// The departments and the industry map, loaded once per use case.
pub struct Supervision {
    departments: Vec<OrgRow>,
    map: Vec<(String, Vec<Sector>)>,
}

impl Supervision {
    pub async fn load(act: &mut Act<'_>) -> AppResult<Supervision> {
        let departments = crate::orgs::service::supervising_departments(act).await?;
        let map = act.state.cfg.enterprises.sector_map();
        Ok(Supervision { departments, map })
    }

    /// The departments supervising an enterprise placed at `region_path`, managed at
    /// `management` (`city` or `county`), of `industry`.
    pub fn of(&self, region_path: &str, management: &str, industry: &str) -> Vec<&OrgRow> {
        let Some(industry) = Industry::parse(industry) else {
            return Vec::new();
        };
        let sectors = anwei_rules::supervisors::sectors_for(industry, &self.map);
        if sectors.is_empty() {
            return Vec::new();
        }
        let level = if management == "city" {
            "city"
        } else {
            "county"
        };
        self.departments
            .iter()
            .filter(|d| d.level == level && region_path.starts_with(&d.region_path))
            .filter(|d| {
                d.sectors
                    .split(',')
                    .filter_map(|s| Sector::parse(s.trim()))
                    .any(|s| sectors.contains(&s))
            })
            .collect()
    }

    /// The enterprise as shown: its profile, its supervisors, the lead decision in force and
    /// whether it is a gap.
    pub fn view(&self, e: &EnterpriseRow, lead: Option<&LeadRow>) -> EnterpriseView {
        let mut v = e.view();
        v.supervisors = self
            .of(&e.region_path, &e.management, &e.industry)
            .into_iter()
            .map(|d| SupervisorView {
                code: d.code.clone(),
                name: d.name.clone(),
            })
            .collect();
        v.lead = lead.map(|l| SupervisorView {
            code: l.department_code.clone(),
            name: l.department_name.clone(),
        });
        v.gap = v.supervisors.is_empty() && v.lead.is_none();
        v
    }
}

/// The views of `rows` in their order, with the leads in force among `leads`.
pub fn views(s: &Supervision, rows: &[EnterpriseRow], leads: &[LeadRow]) -> Vec<EnterpriseView> {
    let by: HashMap<OrgId, &LeadRow> = leads.iter().map(|l| (l.enterprise_id, l)).collect();
    rows.iter()
        .map(|e| s.view(e, by.get(&e.org_id).copied()))
        .collect()
}

/// The door for reports (举报的转办), re-exported by the service: the industry of the current
/// enterprise named exactly `name` at `region_path` or below, and the departments that supervise
/// it (its named lead when none do); `None` when no registered enterprise has that name there.
pub async fn named_supervisors(
    act: &mut Act<'_>,
    name: &str,
    region_path: &str,
) -> AppResult<Option<(String, Vec<SupervisorView>)>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let like = format!("{region_path}%");
    let Some(e) = super::store::named_under(act.tx(), name, &like).await? else {
        return Ok(None);
    };
    let sup = Supervision::load(act).await?;
    let leads = super::store::latest_leads(act.tx(), &[e.org_id]).await?;
    let v = sup.view(&e, leads.first());
    let mut departments = v.supervisors;
    if departments.is_empty() {
        departments.extend(v.lead);
    }
    Ok(Some((e.industry, departments)))
}

/// The door for reports, re-exported by the service: the county-level departments at
/// `region_path` (or the city's for a city-level path) whose sectors cover `industry`.
pub async fn industry_supervisors(
    act: &mut Act<'_>,
    region_path: &str,
    industry: &str,
) -> AppResult<Vec<SupervisorView>> {
    let sup = Supervision::load(act).await?;
    let mut found = sup.of(region_path, "county", industry);
    if found.is_empty() {
        found = sup.of(region_path, "city", industry);
    }
    Ok(found
        .into_iter()
        .map(|d| SupervisorView {
            code: d.code.clone(),
            name: d.name.clone(),
        })
        .collect())
}
