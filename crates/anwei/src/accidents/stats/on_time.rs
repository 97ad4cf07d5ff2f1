//! 及时率 (issue 12): the on-time reporting rate per level of the chain, from the hops due in
//! the statistics' period, read through the chain's service (grouped in SQL).

use anwei_rules::accident::chain::ReportLevel;
use chrono::{Datelike, Months, NaiveDate, TimeZone};

use super::model::LevelOnTime;
use crate::act::Act;
use crate::error::AppResult;

/// Midnight at the start of `day` in UTC+8, epoch ms.
fn start_of(day: NaiveDate) -> i64 {
    crate::time::tz()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// One row per reporting level (unit, county, city, province) for the hops under `path_like`
/// due from the first day of `from`'s month to the end of `to`'s month.
pub async fn rates(
    act: &mut Act<'_>,
    path_like: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<LevelOnTime>> {
    let first = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let (from, to) = (first(from), first(to));
    let end = to.checked_add_months(Months::new(1)).unwrap_or(to);
    let now = crate::db::now_ms();
    let rows = crate::accidents::chain::service::on_time_by_level(
        act.tx(),
        path_like,
        start_of(from),
        start_of(end),
        now,
    )
    .await?;
    Ok(ReportLevel::ALL
        .iter()
        .filter_map(|l| l.next().map(|up| (*l, up)))
        .map(|(level, up)| {
            let r = rows.iter().find(|r| r.level == level.code());
            let (due, on_time, late, overdue) =
                r.map_or((0, 0, 0, 0), |r| (r.due, r.on_time, r.late, r.overdue));
            let settled = on_time + late + overdue;
            LevelOnTime {
                level: level.code().to_string(),
                label: level.name_zh().to_string(),
                to: up.code().to_string(),
                due,
                on_time,
                late,
                overdue,
                running: due - settled,
                rate: (settled > 0)
                    .then(|| (on_time as f64 / settled as f64 * 10_000.0).round() / 10_000.0),
            }
        })
        .collect())
}
