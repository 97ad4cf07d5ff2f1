//! Changing an enterprise's profile: the fields sent, checked as the create form checks them;
//! a new region must exist and lie in the actor's scope; a new principal's ID number is sealed
//! again. Audited with the names of the fields that changed — never their values, some of
//! which are personal data.

use serde_json::json;

use super::model::{EnterprisePatch, EnterpriseRow, NewEnterpriseInput};
use super::service::{protect, visible};
use super::store;
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Scope};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::OrgId;
use crate::state::AppState;

const ACTION: &str = "enterprise.update";

/// Changes the enterprise with this id: the permission first (403, audited), then the scope
/// (404 outside it, audited), then every field (422 naming each).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: OrgId,
    p: &EnterprisePatch,
) -> AppResult<EnterpriseRow> {
    let mut act = Act::begin(state, actor).await?;
    let sid = id.to_string();
    let t = Target {
        kind: "enterprise",
        id: &sid,
    };
    act.require(Perm::EnterpriseManage, ACTION, t).await?;
    let cur = visible(&mut act, id, ACTION).await?;
    if let Some(code) = &p.credit_code
        && anwei_rules::enterprise::normalise_credit_code(code) != cur.credit_code
    {
        return Err(AppError::field(
            "credit_code",
            Msg::new("enterprise.credit_code_fixed"),
        ));
    }
    let or = |v: &Option<String>, c: &str| v.clone().unwrap_or_else(|| c.to_string());
    let input = NewEnterpriseInput {
        name: or(&p.name, &cur.name),
        credit_code: cur.credit_code.clone(),
        region_code: or(&p.region_code, &cur.region_code),
        industry: or(&p.industry, &cur.industry),
        address: or(&p.address, &cur.address),
        scale: or(&p.scale, &cur.scale),
        central_provincial: p.central_provincial.unwrap_or(cur.central_provincial),
        management: or(&p.management, &cur.management),
        major_hazard_source: p.major_hazard_source.unwrap_or(cur.major_hazard_source),
        principal_name: or(&p.principal_name, &cur.principal_name),
        principal_id_number: p.principal_id_number.clone().unwrap_or_default(),
        // Changed by `PUT …/place-types`, never here: kept as they are.
        place_types: cur
            .place_types
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
    };
    let e = input.parse()?;
    let mut changed: Vec<&str> = Vec::new();
    let mut note = |differs: bool, field: &'static str| {
        if differs {
            changed.push(field);
        }
    };
    note(e.name != cur.name, "name");
    note(e.region_code != cur.region_code, "region_code");
    note(e.industry.code() != cur.industry, "industry");
    note(e.address != cur.address, "address");
    note(
        e.scale.map(|s| s.code()).unwrap_or("") != cur.scale,
        "scale",
    );
    note(
        e.central_provincial != cur.central_provincial,
        "central_provincial",
    );
    note(e.management.code() != cur.management, "management");
    note(
        e.major_hazard_source != cur.major_hazard_source,
        "major_hazard_source",
    );
    note(e.principal_name != cur.principal_name, "principal_name");
    note(p.principal_id_number.is_some(), "principal_id_number");
    let region = if e.region_code != cur.region_code {
        let r = crate::orgs::service::region_by_code(&mut act, &e.region_code)
            .await?
            .ok_or_else(|| AppError::field("region_code", Msg::new("org.region_unknown")))?;
        if let Scope::Region(path) = actor.scope()
            && !r.path.starts_with(&path)
        {
            return Err(act.refused(ACTION, t, AppError::Forbidden).await);
        }
        Some(r)
    } else {
        None
    };
    let name = (e.name != cur.name).then_some(e.name.as_str());
    crate::orgs::service::change_enterprise_org_in(&mut act, id, name, region.as_ref()).await?;
    if p.principal_id_number.is_some() {
        crate::bans::service::refuse_banned(
            &mut act,
            "principal_id_number",
            &e.principal_id_number,
            e.industry,
        )
        .await?;
    }
    let sealed = p
        .principal_id_number
        .as_ref()
        .map(|_| protect(state, &e.principal_id_number))
        .transpose()?;
    store::update(act.tx(), id, &e, sealed.as_ref(), now_ms()).await?;
    act.audit(Event::ok(ACTION, "enterprise", id).detail(json!({"changed": changed})))
        .await?;
    let row = store::by_org_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}
