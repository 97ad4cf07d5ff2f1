//! The assessment inputs (一票否决 / 一票否优, 通安委〔2022〕10号 第十二条) per territory and
//! year, for the caller's region scope: each territory's figure counts the accidents in it and
//! in the territories below it (region path), graded as they now stand (latest version).

use anwei_rules::accident::Grade;
use anwei_rules::accident::liability::{AssessmentVeto, assessment_veto};
use chrono::{Datelike, NaiveDate, TimeZone};

use super::model::{TerritoryVeto, VetoAccident, VetoFilter};
use super::store::{self, GraveRow};
use crate::act::{Act, Target};
use crate::auth::model::{Actor, Perm, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::some_text;

/// The answer with the year and the territory asked for, for the page.
pub struct Veto {
    pub year: i32,
    /// The territory the scope was narrowed to (the caller's own by default).
    pub region_code: String,
    pub region_name: String,
    /// That territory first, then the ones below it (city and county levels), by code.
    pub territories: Vec<TerritoryVeto>,
}

/// The year asked for: `YYYY` from 2000 to the current year (UTC+8); blank: the current year.
fn year(v: &Option<String>) -> AppResult<i32> {
    let this = crate::time::today().year();
    match some_text(v) {
        None => Ok(this),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=this).contains(y))
            .ok_or_else(|| AppError::field("year", Msg::new("assessment.year_invalid"))),
    }
}

/// Midnight of 1 January of `year` in UTC+8, epoch ms.
fn year_start(year: i32) -> i64 {
    let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    crate::time::tz()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// 一票否决 / 一票否优 for every territory in the actor's scope (narrowed to `region_code`)
/// and the year. Government accounts only: an enterprise's account is refused (403); a code
/// unknown or outside the scope is a 422 on `region_code`, a bad year on `year`.
pub async fn veto(state: &AppState, actor: &Actor, f: &VetoFilter) -> AppResult<Veto> {
    const ACTION: &str = "accident.assessment_veto";
    let t = Target {
        kind: crate::accidents::service::SUBJECT,
        id: "",
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccidentRead, ACTION, t).await?;
    let path_like =
        crate::accidents::stats::service::scope(&mut act, &f.region_code, ACTION, t).await?;
    let year = year(&f.year)?;
    let base = path_like.trim_end_matches('%').to_string();
    let grave = store::grave(act.tx(), &path_like, year_start(year), year_start(year + 1)).await?;
    let regions = crate::orgs::service::all_regions(&mut act).await?;
    drop(act);
    let here = regions.iter().find(|r| r.path == base);
    let mut places: Vec<_> = regions
        .iter()
        .filter(|r| r.path == base || (r.path.starts_with(&base) && r.level == "county"))
        .collect();
    places.sort_by(|a, b| (a.path != base, &a.code).cmp(&(b.path != base, &b.code)));
    let territories = places
        .into_iter()
        .map(|r| territory(&r.code, &r.name, &r.level, &r.path, &grave))
        .collect();
    Ok(Veto {
        year,
        region_code: here.map(|r| r.code.clone()).unwrap_or_default(),
        region_name: here.map(|r| r.name.clone()).unwrap_or_default(),
        territories,
    })
}

/// One territory's outcome from the grave accidents under its path.
fn territory(code: &str, name: &str, level: &str, path: &str, grave: &[GraveRow]) -> TerritoryVeto {
    let mine: Vec<(&GraveRow, Grade)> = grave
        .iter()
        .filter(|a| a.region_path.starts_with(path))
        .filter_map(|a| Grade::parse(&a.grade).map(|g| (a, g)))
        .collect();
    let outcome = assessment_veto(mine.iter().map(|(_, g)| *g));
    TerritoryVeto {
        region_code: code.to_string(),
        name: name.to_string(),
        level: level.to_string(),
        veto: outcome == AssessmentVeto::Veto,
        no_excellent: outcome == AssessmentVeto::NoExcellent,
        rule: outcome.code().to_string(),
        rule_name: outcome.name_zh().to_string(),
        accidents: mine
            .into_iter()
            .map(|(a, g)| VetoAccident {
                id: a.id,
                grade: g.code().to_string(),
                grade_name: g.name_zh().to_string(),
                occurred_at: crate::accidents::views::instant(a.occurred_at),
                unit_name: a.unit_name.clone(),
                region_code: a.region_code.clone(),
            })
            .collect(),
    }
}

/// The current year's outcome of the territory at `region_code` (`region_path`), for that
/// territory's organisation pages (its party committee, government, committee and office).
/// `None` when the actor may not read accidents or the territory lies outside its scope:
/// checked before reading, so a county looking at another county's page records no refusal.
pub async fn of_territory(
    state: &AppState,
    actor: &Actor,
    region_code: &str,
    region_path: &str,
) -> AppResult<Option<TerritoryVeto>> {
    if !actor.can(Perm::AccidentRead)
        || actor.role == Role::Enterprise
        || !region_path.starts_with(&actor.region_path)
    {
        return Ok(None);
    }
    let f = VetoFilter {
        year: None,
        region_code: Some(region_code.to_string()),
    };
    let v = veto(state, actor, &f).await?;
    Ok(v.territories
        .into_iter()
        .find(|t| t.region_code == region_code))
}
