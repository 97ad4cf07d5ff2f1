//! The report statistics (举报统计): reports by category, child territory and month received;
//! the verification rate (verified / accepted) and the on-time rate (verified by the
//! deadline / verified). Totals only: no reporter, no reported unit, no contents; each table
//! is one dimension. A department counts only the reports routed to it, as its list shows.
//!
//! Rewards (奖励兑现) are one more figure of each row, read through the rewards' service:
//! proposed, approved and paid, counts and yuan, of the reports the row counts (by their month
//! received) — sums only, never a case.

use std::collections::BTreeMap;

use anwei_rules::report::{Category, Status};
use chrono::Months;

use super::model::{Handling, ReportStats, ReportStatsFilter, Rewards};
use super::store::{self, GroupRow};
use crate::accidents::stats::service::{period, scope};
use crate::act::{Act, Target};
use crate::auth::model::{Actor, Perm, Role};
use crate::error::AppResult;
use crate::state::AppState;

fn handling(r: &GroupRow) -> Handling {
    let status = Status::parse(&r.status);
    let accepted = !matches!(status, Some(Status::Received | Status::Rejected) | None);
    let verified = matches!(status, Some(Status::Verified | Status::Answered));
    Handling {
        reports: r.n,
        accepted: if accepted { r.n } else { 0 },
        verified: if verified { r.n } else { 0 },
        verified_on_time: if verified && r.on_time == 1 { r.n } else { 0 },
        ..Handling::default()
    }
}

fn reward(w: &crate::reports::rewards::model::RewardGroup) -> Rewards {
    let approved = matches!(w.status.as_str(), "approved" | "paid");
    let paid = w.status == "paid";
    Rewards {
        proposed: w.n,
        proposed_fen: w.proposed_fen,
        approved: if approved { w.n } else { 0 },
        approved_fen: if approved { w.approved_fen } else { 0 },
        paid: if paid { w.n } else { 0 },
        paid_fen: if paid { w.paid_fen } else { 0 },
        ..Rewards::default()
    }
}

/// The statistics for the actor's scope (narrowed to `region_code`) and the months received
/// `from..=to`. The office and departments only (`ReportRead`).
pub async fn stats(
    state: &AppState,
    actor: &Actor,
    f: &ReportStatsFilter,
) -> AppResult<ReportStats> {
    const ACTION: &str = "report.stats";
    let t = Target {
        kind: crate::reports::service::SUBJECT,
        id: "",
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::ReportRead, ACTION, t).await?;
    let (from, to) = period(&f.from, &f.to)?;
    let path_like = scope(&mut act, &f.region_code, ACTION, t).await?;
    let base = path_like.trim_end_matches('%').to_string();
    let handler = (actor.role == Role::Department).then_some(actor.org_id);
    let end = to.checked_add_months(Months::new(1)).unwrap_or(to);
    let rows = store::groups(
        act.tx(),
        &path_like,
        handler,
        &from.to_string(),
        &end.to_string(),
    )
    .await?;
    let rewards = crate::reports::rewards::service::tally(
        &mut act,
        &path_like,
        handler,
        &from.to_string(),
        &end.to_string(),
    )
    .await?;
    let regions = crate::orgs::service::all_regions(&mut act).await?;
    drop(act);
    let here = regions.iter().find(|r| r.path == base);
    let mut total = Handling::default();
    let mut category = BTreeMap::<String, Handling>::new();
    let mut places = BTreeMap::<String, Handling>::new();
    let mut months = BTreeMap::<String, Handling>::new();
    for r in &rows {
        let h = handling(r);
        total.add(&h);
        category.entry(r.category.clone()).or_default().add(&h);
        places
            .entry(child_path(&base, &r.region_path))
            .or_default()
            .add(&h);
        months.entry(r.month.clone()).or_default().add(&h);
    }
    for w in &rewards {
        let h = Handling {
            rewards: reward(w),
            ..Handling::default()
        };
        total.add(&h);
        category.entry(w.category.clone()).or_default().add(&h);
        places
            .entry(child_path(&base, &w.region_path))
            .or_default()
            .add(&h);
        months.entry(w.month.clone()).or_default().add(&h);
    }
    let label = |m: BTreeMap<String, Handling>, f: &dyn Fn(&str) -> String| -> Vec<Handling> {
        m.into_iter()
            .map(|(key, mut h)| {
                h.label = f(&key);
                h.key = key;
                h.finish()
            })
            .collect()
    };
    Ok(ReportStats {
        region_code: here.map(|r| r.code.clone()).unwrap_or_default(),
        region_name: here.map(|r| r.name.clone()).unwrap_or_default(),
        from: from.format("%Y-%m").to_string(),
        to: to.format("%Y-%m").to_string(),
        total: total.finish(),
        by_category: label(category, &|k| {
            Category::parse(k).map_or(k.to_string(), |c| c.name_zh().to_string())
        }),
        by_territory: label(places, &|path| {
            regions
                .iter()
                .find(|g| g.path == path)
                .map_or(path.to_string(), |g| g.name.clone())
        }),
        by_month: label(months, &|k| k.to_string()),
    })
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
