//! Use cases of 分片包保 coverage: the committee office assigns areas to standing-committee
//! members and removes assignments; anyone who reads supervision sees, per area in scope, who
//! covers it and when they last led an inspection there. Permission and scope are checked
//! here, on every call.

use std::collections::HashMap;

use anwei_rules::duties::{Period, PeriodKind};
use anwei_rules::org::Sector;
use serde_json::json;

use super::model::{
    AreaKind, AssignmentRow, Candidate, CoverageInput, CoverageItem, CoverageView, CoveringMember,
};
use super::store::{self, NewAssignment};
use crate::act::{Act, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm, Role, Scope};
use crate::db::{is_unique_violation, now_ms};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg};
use crate::orgs::model::RegionRow;
use crate::orgs::service::{in_scope, scope_params};
use crate::state::AppState;

const TARGET: &str = "coverage_area";

/// What a refusal about an assignment (or the position it names) is called in the audit log.
fn area(id: &str) -> Target<'_> {
    Target { kind: TARGET, id }
}

/// Only the committee office assigns: the one that issues supervision tasks.
fn may_manage(actor: &Actor) -> bool {
    actor.role == Role::Office && actor.can(Perm::TaskIssue)
}

fn region_in_scope(actor: &Actor, region: &RegionRow) -> bool {
    match actor.scope() {
        Scope::Region(p) => region.path.starts_with(&p),
        Scope::Org(_) => false,
    }
}

/// Reads `?quarter=`: `2026Q4`; the current quarter (Asia/Shanghai) when absent.
pub fn parse_quarter(text: Option<&str>) -> AppResult<Period> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Ok(Period::containing(
            PeriodKind::Quarter,
            crate::time::today(),
        ));
    }
    match Period::parse(text) {
        Ok(p) if p.kind() == PeriodKind::Quarter => Ok(p),
        _ => Err(AppError::field(
            "quarter",
            Msg::new("coverage.quarter_invalid"),
        )),
    }
}

/// 分片包保: the office assigns an area to a standing-committee member (or the principal) of
/// a party committee in its scope. Audited; a second identical assignment is a conflict.
pub async fn assign(state: &AppState, actor: &Actor, input: &CoverageInput) -> AppResult<i64> {
    const ACTION: &str = "coverage.assign";
    let target = input.position.to_string();
    let mut act = Act::begin(state, actor).await?;
    if !may_manage(actor) {
        return Err(act
            .refused(ACTION, area(&target), AppError::Forbidden)
            .await);
    }
    let mut e = Vec::new();
    let text = crate::web::extract::text;
    let note = text("note", &input.note, 500, false, &mut e);
    let code = text("area_code", &input.area_code, 60, true, &mut e);
    let kind = AreaKind::parse(input.area_kind.trim());
    if kind.is_none() {
        e.push(("area_kind".to_string(), Msg::new("coverage.kind_unknown")));
    }
    let position = crate::people::service::position_in(&mut act, input.position).await?;
    let org = match &position {
        Some(p) => crate::orgs::service::by_id_in(&mut act, p.org_id).await?,
        None => None,
    };
    // Outside the scope a position does not exist: 404, audited.
    let (Some(position), Some(org)) = (position, org.filter(|o| in_scope(actor, o))) else {
        return Err(act.refused(ACTION, area(&target), AppError::NotFound).await);
    };
    if !(org.kind == "party_committee"
        && matches!(position.kind.as_str(), "principal" | "standing_member"))
    {
        e.push((
            "position".to_string(),
            Msg::new("coverage.position_not_member"),
        ));
    } else if position.retired_at.is_some() || org.retired_at.is_some() {
        e.push((
            "position".to_string(),
            Msg::new("coverage.position_retired"),
        ));
    }
    let code = match kind {
        Some(AreaKind::Region) if !code.is_empty() => {
            match crate::orgs::service::region_by_code(&mut act, &code).await? {
                None => {
                    e.push(("area_code".to_string(), Msg::new("coverage.region_unknown")));
                    code
                }
                Some(r) if !region_in_scope(actor, &r) => {
                    e.push((
                        "area_code".to_string(),
                        Msg::new("coverage.region_out_of_scope"),
                    ));
                    code
                }
                Some(r) => r.code,
            }
        }
        Some(AreaKind::Sector) if !code.is_empty() => {
            let bare = code.strip_prefix("sector:").unwrap_or(&code).trim();
            match Sector::parse(bare) {
                Some(s) => s.code().to_string(),
                None => {
                    e.push(("area_code".to_string(), Msg::new("coverage.sector_unknown")));
                    code
                }
            }
        }
        _ => code,
    };
    let (Some(kind), true) = (kind, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let new = NewAssignment {
        position_id: position.id,
        area_kind: kind.code(),
        area_code: &code,
        note: &note,
        created_by: actor.account_id,
        now: now_ms(),
    };
    let id = match store::insert(act.tx(), &new).await {
        Ok(id) => id,
        Err(err) if is_unique_violation(&err) => {
            return Err(AppError::Conflict(Msg::new("coverage.duplicate")));
        }
        Err(err) => return Err(err.into()),
    };
    act.audit(Event::ok(ACTION, TARGET, id).detail(json!({
        "position": position.id, "org": org.code, "area_kind": kind.code(), "area_code": code,
        "note": note,
    })))
    .await?;
    act.commit().await?;
    Ok(id)
}

/// The office removes an assignment in its scope. Audited with what it was.
pub async fn remove(state: &AppState, actor: &Actor, id: i64) -> AppResult<()> {
    const ACTION: &str = "coverage.remove";
    let target = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    if !may_manage(actor) {
        return Err(act
            .refused(ACTION, area(&target), AppError::Forbidden)
            .await);
    }
    let Some(row) = store::by_id(act.tx(), id).await? else {
        return Err(AppError::NotFound);
    };
    let org = crate::orgs::service::by_id_in(&mut act, row.org_id).await?;
    // Outside the scope an assignment does not exist: 404, audited.
    let Some(org) = org.filter(|o| in_scope(actor, o)) else {
        return Err(act.refused(ACTION, area(&target), AppError::NotFound).await);
    };
    if store::delete(act.tx(), id).await? == 0 {
        return Err(AppError::NotFound);
    }
    act.audit(Event::ok(ACTION, TARGET, id).detail(json!({
        "position": row.position_id, "org": org.code, "area_kind": row.area_kind,
        "area_code": row.area_code,
    })))
    .await?;
    act.commit().await?;
    Ok(())
}

/// The coverage view of a quarter (default: the current one): every assigned area whose
/// covering position belongs to an organisation in scope, unvisited areas first.
pub async fn view(
    state: &AppState,
    actor: &Actor,
    quarter: Option<&str>,
    lang: Lang,
) -> AppResult<CoverageView> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "coverage.read", area(""))
        .await?;
    let quarter = parse_quarter(quarter)?;
    let scope = scope_params(actor);
    let rows = store::list(
        act.tx(),
        scope.path_like.as_deref(),
        scope.org_id,
        &quarter.end().to_string(),
    )
    .await?;
    let regions = crate::orgs::service::all_regions(&mut act).await?;
    Ok(build(quarter, rows, &regions, lang))
}

/// Groups assignments by area, dates each area by its latest inspection, and sorts: areas
/// not visited in the quarter first, then regions (in tree order) before sectors.
pub fn build(
    quarter: Period,
    rows: Vec<AssignmentRow>,
    regions: &[RegionRow],
    lang: Lang,
) -> CoverageView {
    let region_at: HashMap<&str, (usize, &RegionRow)> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), (i, r)))
        .collect();
    let start = quarter.start().to_string();
    let mut items: Vec<CoverageItem> = Vec::new();
    for row in rows {
        let member = CoveringMember {
            id: row.id,
            position: row.position_id,
            position_title: row.position_title,
            holder_name: row.holder_name,
            org_code: row.org_code,
            org_name: row.org_name,
            position_retired: row.position_retired_at.is_some(),
            note: row.note,
            last_inspection: row.last_inspection,
        };
        let at = items
            .iter()
            .position(|i| i.area_kind == row.area_kind && i.area_code == row.area_code);
        let item = match at {
            Some(i) => &mut items[i],
            None => {
                let area_name = area_name(&row.area_kind, &row.area_code, &region_at, lang);
                items.push(CoverageItem {
                    area_kind: row.area_kind,
                    area_code: row.area_code,
                    area_name,
                    covered_by: Vec::new(),
                    last_inspection: None,
                    visited_this_quarter: false,
                });
                let last = items.len() - 1;
                &mut items[last]
            }
        };
        if member.last_inspection > item.last_inspection {
            item.last_inspection = member.last_inspection.clone();
        }
        item.covered_by.push(member);
    }
    for item in &mut items {
        item.visited_this_quarter = item
            .last_inspection
            .as_deref()
            .is_some_and(|d| d >= start.as_str());
    }
    let rank = |i: &CoverageItem| -> (bool, u8, usize) {
        match i.area_kind.as_str() {
            "region" => (
                i.visited_this_quarter,
                0,
                region_at
                    .get(i.area_code.as_str())
                    .map_or(usize::MAX, |(n, _)| *n),
            ),
            _ => (
                i.visited_this_quarter,
                1,
                Sector::ALL
                    .iter()
                    .position(|s| s.code() == i.area_code)
                    .unwrap_or(usize::MAX),
            ),
        }
    };
    items.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.area_code.cmp(&b.area_code))
    });
    CoverageView {
        quarter: quarter.code(),
        items,
    }
}

fn area_name(
    kind: &str,
    code: &str,
    regions: &HashMap<&str, (usize, &RegionRow)>,
    lang: Lang,
) -> String {
    if kind == AreaKind::Sector.code() {
        return match (Sector::parse(code), lang) {
            (Some(s), Lang::En) => s.name_en().to_string(),
            (Some(s), Lang::Zh) => s.name_zh().to_string(),
            (None, _) => code.to_string(),
        };
    }
    regions
        .get(code)
        .map_or_else(|| code.to_string(), |(_, r)| r.name.clone())
}

/// What the office's assignment form offers: the positions that may cover (principals and
/// standing-committee members of party committees in scope) and the regions in scope.
pub struct Choices {
    pub positions: Vec<Candidate>,
    pub regions: Vec<RegionRow>,
}

/// The form's choices; empty for anyone but the committee office.
pub async fn choices(state: &AppState, actor: &Actor) -> AppResult<Choices> {
    if !may_manage(actor) {
        return Ok(Choices {
            positions: Vec::new(),
            regions: Vec::new(),
        });
    }
    let scope = scope_params(actor);
    let mut act = Act::read(state, actor).await?;
    let positions = store::candidates(act.tx(), scope.path_like.as_deref(), scope.org_id).await?;
    let regions = crate::orgs::service::all_regions(&mut act)
        .await?
        .into_iter()
        .filter(|r| region_in_scope(actor, r))
        .collect();
    Ok(Choices { positions, regions })
}

/// Whether the actor may assign and remove (the page shows the form and the buttons).
pub fn can_manage(actor: &Actor) -> bool {
    may_manage(actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{PositionId, RegionId};

    fn q(code: &str) -> Period {
        Period::parse(code).unwrap()
    }

    fn region(id: i64, code: &str, name: &str, path: &str) -> RegionRow {
        RegionRow {
            id: RegionId(id),
            code: code.into(),
            name: name.into(),
            level: "county".into(),
            parent_id: Some(RegionId(1)),
            path: path.into(),
            has_gb2260_code: true,
        }
    }

    fn row(id: i64, pos: i64, kind: &str, code: &str, last: Option<&str>) -> AssignmentRow {
        AssignmentRow {
            id,
            position_id: PositionId(pos),
            area_kind: kind.into(),
            area_code: code.into(),
            note: String::new(),
            position_title: format!("常委{pos}"),
            position_retired_at: None,
            holder_name: None,
            org_code: "220500-DW".into(),
            org_name: "中共通化市委员会".into(),
            last_inspection: last.map(str::to_string),
        }
    }

    fn regions() -> Vec<RegionRow> {
        vec![
            region(2, "220502", "东昌区", "/1/2/"),
            region(3, "220503", "二道江区", "/1/3/"),
        ]
    }

    #[test]
    fn an_area_is_visited_when_any_member_inspected_it_inside_the_quarter() {
        let v = build(
            q("2026Q4"),
            vec![
                row(1, 10, "region", "220502", Some("2026-08-01")),
                row(2, 11, "region", "220502", Some("2026-10-15")),
            ],
            &regions(),
            Lang::Zh,
        );
        assert_eq!(v.items.len(), 1);
        let item = &v.items[0];
        assert_eq!(item.area_name, "东昌区");
        assert_eq!(item.covered_by.len(), 2);
        assert_eq!(item.last_inspection.as_deref(), Some("2026-10-15"));
        assert!(item.visited_this_quarter);
    }

    #[test]
    fn an_inspection_before_the_quarter_dates_the_area_but_does_not_visit_it() {
        let v = build(
            q("2026Q4"),
            vec![row(1, 10, "region", "220503", Some("2026-09-30"))],
            &regions(),
            Lang::Zh,
        );
        assert_eq!(v.items[0].last_inspection.as_deref(), Some("2026-09-30"));
        assert!(!v.items[0].visited_this_quarter);
    }

    #[test]
    fn unvisited_areas_come_first_then_regions_in_tree_order_before_sectors() {
        let v = build(
            q("2026Q4"),
            vec![
                row(1, 10, "sector", "emergency", None),
                row(2, 10, "region", "220503", Some("2026-11-01")),
                row(3, 11, "region", "220503", None),
                row(4, 11, "region", "220502", None),
            ],
            &regions(),
            Lang::En,
        );
        let order: Vec<_> = v.items.iter().map(|i| i.area_code.as_str()).collect();
        assert_eq!(order, ["220502", "emergency", "220503"]);
        assert_eq!(v.items[1].area_name, "Emergency management");
        assert_eq!(v.quarter, "2026Q4");
    }

    #[test]
    fn only_a_quarter_is_a_quarter() {
        assert!(parse_quarter(Some("2026Q4")).is_ok());
        assert!(parse_quarter(None).is_ok());
        assert!(parse_quarter(Some("2026")).is_err());
        assert!(parse_quarter(Some("2026-10")).is_err());
        assert!(parse_quarter(Some("2026Q5")).is_err());
    }
}
