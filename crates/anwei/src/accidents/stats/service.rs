//! The accident statistics (事故统计): the figures of each accident's latest version by grade,
//! type, industry section, child territory and month, and the same months a year earlier.
//! Read from the tally, which [`recount`] keeps in step inside the filing's and each
//! supplementary report's transaction.
//!
//! The on-time reporting rate per level (及时率) is `on_time.rs`, read through the chain's
//! service.

use std::collections::BTreeMap;

use anwei_rules::accident::Grade;
use anwei_rules::enterprise::Industry;
use anwei_rules::hazard::AccidentType;
use chrono::{Datelike, NaiveDate};

use super::model::{AccidentStats, AccidentStatsFilter, Figures, YearOnYear};
use super::store::{self, Delta, Dim, Key, Sum};
use crate::accidents::model::AccidentRow;
use crate::act::{Act, Target};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::some_text;

fn key(a: &AccidentRow) -> Key<'_> {
    Key {
        region_path: &a.region_path,
        month: crate::time::shanghai_date(a.occurred_at)
            .format("%Y-%m")
            .to_string(),
        grade: a.grade.code(),
        accident_type: &a.accident_type,
        industry: &a.industry,
    }
}

fn delta(a: &AccidentRow, sign: i64) -> Delta {
    Delta {
        n: sign,
        deaths: sign * a.deaths,
        serious_injuries: sign * a.serious_injuries,
        missing: sign * a.missing,
        direct_loss_yuan: sign * a.direct_loss_yuan,
    }
}

/// Inside a filing's or supplementary report's transaction: the accident as it was (`None`
/// when just filed) leaves the tally, the accident as it now is enters it.
pub async fn recount(
    act: &mut Act<'_>,
    before: Option<&AccidentRow>,
    after: &AccidentRow,
) -> AppResult<()> {
    if let Some(b) = before {
        store::bump(act.tx(), &key(b), &delta(b, -1)).await?;
    }
    store::bump(act.tx(), &key(after), &delta(after, 1)).await?;
    Ok(())
}

/// `YYYY-MM` or `YYYY-MM-DD` (its month's first day), or blank; anything else a 422 on
/// `field`.
pub fn month_of(field: &str, v: &Option<String>, e: &mut Vec<(String, Msg)>) -> Option<NaiveDate> {
    let v = some_text(v)?;
    let day = if v.len() == 7 { format!("{v}-01") } else { v };
    match crate::time::parse_date(&day) {
        Some(d) => d.with_day(1),
        None => {
            e.push((field.to_string(), Msg::new("accident_stats.month_invalid")));
            None
        }
    }
}

/// The period of `from` and `to`: both default (January of `to`'s year; the current month),
/// `from` after `to` is a 422 on `to`.
pub fn period(from: &Option<String>, to: &Option<String>) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut e = Vec::new();
    let f = month_of("from", from, &mut e);
    let t = month_of("to", to, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let today = crate::time::today();
    let t = t.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let f = f.unwrap_or_else(|| t.with_month(1).unwrap_or(t));
    if f > t {
        return Err(AppError::field(
            "to",
            Msg::new("accident_stats.period_reversed"),
        ));
    }
    Ok((f, t))
}

fn ym(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

fn year_before(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1).unwrap_or(d)
}

/// The caller's region scope narrowed to `region_code` (a `LIKE` pattern); a code unknown or
/// outside it is a 422; an account scoped to one organisation (an enterprise's) is refused.
pub async fn scope(
    act: &mut Act<'_>,
    region_code: &Option<String>,
    action: &'static str,
    t: Target<'_>,
) -> AppResult<String> {
    if crate::orgs::service::scope_params(act.actor)
        .path_like
        .is_none()
    {
        return Err(act.refused(action, t, AppError::Forbidden).await);
    }
    let region = some_text(region_code);
    let scope = crate::orgs::service::scope_within(act, region.as_deref())
        .await
        .map_err(|e| match e {
            AppError::Validation(_) => {
                AppError::field("region_code", Msg::new("accident_stats.region_unknown"))
            }
            e => e,
        })?;
    match scope.path_like {
        None => Err(act.refused(action, t, AppError::Forbidden).await),
        Some(p) if p.is_empty() => Err(AppError::field(
            "region_code",
            Msg::new("accident_stats.region_unknown"),
        )),
        Some(p) => Ok(p),
    }
}

/// The statistics for the actor's scope (narrowed to `region_code`) and the months
/// `from..=to`. Government accounts only: an enterprise's account is refused (403).
pub async fn stats(
    state: &AppState,
    actor: &Actor,
    f: &AccidentStatsFilter,
) -> AppResult<AccidentStats> {
    const ACTION: &str = "accident.stats";
    let t = Target {
        kind: crate::accidents::service::SUBJECT,
        id: "",
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::AccidentRead, ACTION, t).await?;
    let (from, to) = period(&f.from, &f.to)?;
    let path_like = scope(&mut act, &f.region_code, ACTION, t).await?;
    let base = path_like.trim_end_matches('%').to_string();
    let (pf, pt) = (year_before(from), year_before(to));
    let sums = store::sums(
        act.tx(),
        &path_like,
        (&ym(from), &ym(to)),
        (&ym(pf), &ym(pt)),
    )
    .await?;
    let on_time = super::on_time::rates(&mut act, &path_like, from, to).await?;
    let regions = crate::orgs::service::all_regions(&mut act).await?;
    drop(act);
    let here = regions.iter().find(|r| r.path == base);
    let mut s = AccidentStats {
        region_code: here.map(|r| r.code.clone()).unwrap_or_default(),
        region_name: here.map(|r| r.name.clone()).unwrap_or_default(),
        from: ym(from),
        to: ym(to),
        previous_from: ym(pf),
        previous_to: ym(pt),
        on_time,
        ..AccidentStats::default()
    };
    let mut grade = BTreeMap::<String, Figures>::new();
    let mut kind = BTreeMap::<String, Figures>::new();
    let mut section = BTreeMap::<String, Figures>::new();
    let mut places = BTreeMap::<String, Figures>::new();
    let mut months = BTreeMap::<String, Figures>::new();
    for r in &sums {
        let x = figures(r);
        match r.dim {
            Dim::Previous => s.previous.add(&x),
            Dim::Grade => {
                // Every accident has one grade: the grades' sum is the total.
                s.total.add(&x);
                grade.entry(r.key.clone()).or_default().add(&x);
            }
            Dim::Type => kind.entry(r.key.clone()).or_default().add(&x),
            Dim::Industry => {
                let sec =
                    Industry::parse(&r.key).map_or(String::new(), |i| i.section().to_string());
                section.entry(sec).or_default().add(&x);
            }
            Dim::Place => places.entry(child_path(&base, &r.key)).or_default().add(&x),
            Dim::Month => months.entry(r.key.clone()).or_default().add(&x),
        }
    }
    s.year_on_year = YearOnYear::between(&s.total, &s.previous);
    // The grades from the gravest down, as the national forms list them.
    let order = |k: &str| Grade::parse(k).map_or(9, |g| 4 - g as usize);
    let mut grades: Vec<(String, Figures)> = grade.into_iter().collect();
    grades.sort_by_key(|(k, _)| order(k));
    s.by_grade = table(grades, &|k| {
        Grade::parse(k).map_or(k.to_string(), |g| g.name_zh().to_string())
    });
    s.by_type = table(kind, &|k| {
        AccidentType::parse(k).map_or(k.to_string(), |x| x.name_zh().to_string())
    });
    s.by_industry = table(section, &|k| {
        Industry::parse(k).map_or("—".to_string(), |i| i.section_name_zh().to_string())
    });
    s.by_month = table(months, &|k| k.to_string());
    s.by_territory = places
        .into_iter()
        .map(|(path, mut x)| {
            let reg = regions.iter().find(|g| g.path == path);
            x.key = reg.map_or(path.clone(), |g| g.code.clone());
            x.label = reg.map_or(path, |g| g.name.clone());
            x
        })
        .collect();
    Ok(s)
}

fn figures(r: &Sum) -> Figures {
    Figures {
        accidents: r.n,
        deaths: r.deaths,
        serious_injuries: r.serious_injuries,
        missing: r.missing,
        direct_loss_yuan: r.direct_loss_yuan,
        ..Figures::default()
    }
}

fn table(
    m: impl IntoIterator<Item = (String, Figures)>,
    label: &dyn Fn(&str) -> String,
) -> Vec<Figures> {
    m.into_iter()
        .map(|(key, mut x)| {
            x.label = label(&key);
            x.key = key;
            x
        })
        .collect()
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
