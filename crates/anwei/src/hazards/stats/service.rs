//! The dashboards' figures (隐患统计): counts by grade, status, child territory, industry
//! section and month found; the overdue count; the rectification rate (closed / all) and the
//! on-time rate (closed by the deadline / closed) per child territory and per supervising
//! sector. Read from the tally, which every registration and move keeps in step.

use std::collections::BTreeMap;

use anwei_rules::enterprise::Industry;
use anwei_rules::hazard::{Grade, Status};
use chrono::NaiveDate;

use super::model::{Count, Rates, Stats, StatsFilter};
use super::store::{self, Dim, Key};
use crate::act::{Act, Target};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::hazards::model::HazardRow;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::some_text;

fn month(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// A new hazard counts as registered in the month it was found, and as open until its
/// deadline.
pub async fn registered(
    act: &mut Act<'_>,
    region_path: &str,
    industry: &str,
    grade: Grade,
    (found_on, deadline): (NaiveDate, NaiveDate),
) -> AppResult<()> {
    let k = Key {
        region_path,
        industry,
        grade: grade.code(),
        status: Status::Registered.code(),
        month: month(found_on),
        on_time: false,
    };
    store::bump(act.tx(), &k, 1).await?;
    store::bump_open(act.tx(), region_path, &deadline.to_string(), 1).await?;
    Ok(())
}

/// `h` moves from its status to `next`: one counter down, one up. Closing counts as on time
/// when the server's date is not after the deadline.
pub async fn moved(act: &mut Act<'_>, h: &HazardRow, next: Status) -> AppResult<()> {
    let key = |status: Status, on_time: bool| Key {
        region_path: &h.region_path,
        industry: &h.industry,
        grade: h.grade.code(),
        status: status.code(),
        month: month(h.found_on.0),
        on_time,
    };
    let was_on_time = h.status == Status::Closed
        && h.closed_at
            .is_some_and(|ms| crate::time::shanghai_date(ms) <= h.deadline.0);
    let on_time = next == Status::Closed && crate::time::today() <= h.deadline.0;
    store::bump(act.tx(), &key(h.status, was_on_time), -1).await?;
    store::bump(act.tx(), &key(next, on_time), 1).await?;
    let open = |s: Status| i64::from(s != Status::Closed);
    let by = open(next) - open(h.status);
    if by != 0 {
        let deadline = h.deadline.0.to_string();
        store::bump_open(act.tx(), &h.region_path, &deadline, by).await?;
    }
    Ok(())
}

/// An approved extension moved the open hazard `h`'s deadline to `to`.
pub async fn deadline_moved(act: &mut Act<'_>, h: &HazardRow, to: &str) -> AppResult<()> {
    if h.status != Status::Closed {
        let from = h.deadline.0.to_string();
        store::bump_open(act.tx(), &h.region_path, &from, -1).await?;
        store::bump_open(act.tx(), &h.region_path, to, 1).await?;
    }
    Ok(())
}

/// `YYYY-MM` or `YYYY-MM-DD` (its month), or blank; anything else a 422 on `field`.
fn month_of(field: &str, v: &Option<String>, e: &mut Vec<(String, Msg)>) -> Option<String> {
    let v = some_text(v)?;
    let day = if v.len() == 7 { format!("{v}-01") } else { v };
    match crate::time::parse_date(&day) {
        Some(d) => Some(month(d)),
        None => {
            e.push((field.to_string(), Msg::new("hazards.month_invalid")));
            None
        }
    }
}

/// The figures for the actor's scope, narrowed to `region` and the months `from..=to`.
/// Government accounts only: an enterprise's account is refused (403).
pub async fn stats(state: &AppState, actor: &Actor, f: &StatsFilter) -> AppResult<Stats> {
    const ACTION: &str = "hazard.stats";
    let t = Target {
        kind: crate::hazards::service::SUBJECT,
        id: "",
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::HazardRead, ACTION, t).await?;
    let mut e = Vec::new();
    let from = month_of("from", &f.from, &mut e);
    let to = month_of("to", &f.to, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let region = some_text(&f.region);
    let scope = crate::orgs::service::scope_within(&mut act, region.as_deref()).await?;
    let Some(path_like) = scope.path_like else {
        return Err(act.refused(ACTION, t, AppError::Forbidden).await);
    };
    let base = path_like.trim_end_matches('%').to_string();
    let sums = store::sums(act.tx(), &path_like, from.as_deref(), to.as_deref()).await?;
    let overdue = if base.is_empty() {
        0
    } else {
        let today = crate::time::today().to_string();
        store::overdue(act.tx(), &path_like, &today).await?
    };
    let regions = crate::orgs::service::all_regions(&mut act).await?;
    let map = state.cfg.enterprises.sector_map();
    drop(act);
    let here = regions.iter().find(|r| r.path == base);
    let mut s = Stats {
        region_code: here.map(|r| r.code.clone()).unwrap_or_default(),
        region_name: here.map(|r| r.name.clone()).unwrap_or_default(),
        from,
        to,
        overdue,
        ..Stats::default()
    };
    let mut grade = BTreeMap::<String, i64>::new();
    let mut status = BTreeMap::<String, i64>::new();
    let mut section = BTreeMap::<String, i64>::new();
    let mut months = BTreeMap::<String, i64>::new();
    let mut places = BTreeMap::<String, Rates>::new();
    let mut sectors = BTreeMap::<String, Rates>::new();
    for r in &sums {
        let rates = |m: &mut BTreeMap<String, Rates>, key: String| {
            m.entry(key).or_default().add(r.n, r.closed, r.on_time);
        };
        match r.dim {
            Dim::Grade => {
                s.total += r.n;
                *grade.entry(r.key.clone()).or_default() += r.n;
            }
            Dim::Status => *status.entry(r.key.clone()).or_default() += r.n,
            Dim::Month => *months.entry(r.key.clone()).or_default() += r.n,
            Dim::Place => rates(&mut places, child_path(&base, &r.key)),
            Dim::Industry => {
                let industry = Industry::parse(&r.key);
                let sec = industry
                    .map(|i| i.section().to_string())
                    .unwrap_or_default();
                *section.entry(sec).or_default() += r.n;
                let covering = industry
                    .map(|i| anwei_rules::supervisors::sectors_for(i, &map))
                    .unwrap_or(&[]);
                for sector in covering {
                    rates(&mut sectors, sector.code().to_string());
                }
            }
        }
    }
    let counts = |m: BTreeMap<String, i64>, label: &dyn Fn(&str) -> String| -> Vec<Count> {
        m.into_iter()
            .map(|(key, n)| Count {
                label: label(&key),
                key,
                n,
            })
            .collect()
    };
    s.by_grade = counts(grade, &|k| {
        Grade::parse(k).map_or(k.to_string(), |g| g.name_zh().to_string())
    });
    s.by_status = counts(status, &|k| {
        Status::parse(k).map_or(k.to_string(), |g| g.name_zh().to_string())
    });
    s.by_industry = counts(section, &|k| {
        Industry::parse(k).map_or(k.to_string(), |i| i.section_name_zh().to_string())
    });
    s.by_month = counts(months, &|k| k.to_string());
    s.territories = places
        .into_iter()
        .map(|(path, mut r)| {
            let reg = regions.iter().find(|g| g.path == path);
            r.key = reg.map_or(path.clone(), |g| g.code.clone());
            r.label = reg.map_or(path, |g| g.name.clone());
            r.finish()
        })
        .collect();
    s.departments = sectors
        .into_iter()
        .map(|(code, mut r)| {
            r.label = anwei_rules::org::Sector::parse(&code)
                .map_or(code.clone(), |x| x.name_zh().to_string());
            r.key = code;
            r.finish()
        })
        .collect();
    Ok(s)
}

/// The child territory of `base` that `path` lies in (its own path when it is `base`).
fn child_path(base: &str, path: &str) -> String {
    match path
        .strip_prefix(base)
        .and_then(|rest| rest.split_once('/'))
    {
        Some((seg, _)) if !seg.is_empty() => format!("{base}{seg}/"),
        _ => path.to_string(),
    }
}
