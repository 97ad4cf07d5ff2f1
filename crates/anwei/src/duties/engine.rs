//! Compliance evaluation: loads the rules in force, the sensitive periods, the positions and a
//! compact projection of the activity records for many organisations in a handful of queries,
//! and assesses every holder × rule × period with `anwei_rules::duties`.
//!
//! [`Cache`] keeps, per organisation and year, the compact records (valid while the
//! organisation's stamp holds) and a summary computed from them — the heat map's tallies and
//! the open windows the at-risk list needs — valid while the organisation's stamp, the global
//! stamp and today's date hold; and the assembled heat maps. See `docs/duties.md`, "Speed".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anwei_rules::duties::{
    self, ActivityKind, Period, PositionKind, Record, SensitivePeriod, Status,
};
use chrono::{Datelike, NaiveDate};

use super::model::{ComplianceItem, RuleDef, WindowView};
use super::store;
use super::tours::{Lower, TourInputs};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::ids::{ActivityId, PositionId};
use crate::orgs::model::OrgRow;
use crate::people::model::PositionRow;
use crate::state::AppState;

/// Above this many organisations the records are read by date alone and filtered here, which
/// is cheaper than a long `IN` list.
const IN_LIST_MAX: usize = 400;

pub use crate::time::shanghai_date;

/// A record as compliance sees it, with the position that led it and, for a tour record, the
/// region it names (a tour counts for the lower-level body of that region).
pub type LedRecord = (Option<i64>, Record, Option<Box<str>>);

/// Everything compliance needs for a set of organisations over `[from, to]`.
pub struct Inputs {
    pub rules: Vec<RuleDef>,
    pub sensitive: Vec<SensitivePeriod>,
    pub positions: HashMap<i64, Vec<PositionRow>>,
    pub records: HashMap<i64, Arc<Vec<LedRecord>>>,
    /// The lower-level bodies of tourers.
    pub tours: TourInputs,
}

impl Inputs {
    /// The positions and records of one organisation (none when it has none).
    pub fn of(&self, org_id: i64) -> (&[PositionRow], &[LedRecord]) {
        let positions = self
            .positions
            .get(&org_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let records = self
            .records
            .get(&org_id)
            .map(|r| r.as_slice())
            .unwrap_or(&[]);
        (positions, records)
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The active rules, parsed; rows that no longer parse are skipped (the store's checks keep
/// them valid).
pub async fn rules(tx: &mut Tx) -> AppResult<Vec<RuleDef>> {
    Ok(store::rules(tx, true)
        .await?
        .into_iter()
        .filter_map(RuleDef::from_row)
        .collect())
}

/// Every version of every rule, each with the periods it judges: the terms a rule had before
/// an edit or a deactivation judge the periods that ended before it; the current terms (of an
/// active rule) the rest, from the rule's `effective_from`. A closed period is judged by the
/// rules in force when it closed.
pub async fn rule_versions(tx: &mut Tx) -> AppResult<Vec<RuleDef>> {
    let history = store::rule_history(tx).await?;
    let mut out = Vec::new();
    for row in store::rules(tx, false).await? {
        let mut from = row.effective_from.date();
        for h in history.iter().filter(|h| h.code == row.code) {
            let until = h.until.date();
            let mut old = row.clone();
            (old.kinds, old.period) = (h.kinds.clone(), h.period.clone());
            (old.min_count, old.evidence_required) = (h.min_count, h.evidence_required);
            if h.active && from < until {
                out.extend(RuleDef::from_row(old).map(|d| RuleDef {
                    valid_from: from,
                    valid_until: Some(until),
                    ..d
                }));
            }
            from = from.max(until);
        }
        if row.active {
            out.extend(RuleDef::from_row(row).map(|d| RuleDef {
                valid_from: from,
                ..d
            }));
        }
    }
    Ok(out)
}

pub async fn sensitive_periods(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<SensitivePeriod>> {
    let rows = store::sensitive_overlapping(tx, &from.to_string(), &to.to_string()).await?;
    let mut out = Vec::new();
    for r in rows {
        let (Some(start), Some(end)) = (Some(r.start_date.date()), Some(r.end_date.date())) else {
            continue;
        };
        let tightenings = serde_json::from_str(&r.tightenings)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("sensitive period {}: {e}", r.id)))?;
        out.push(SensitivePeriod {
            name: r.name,
            start,
            end,
            tightenings,
        });
    }
    Ok(out)
}

/// The records of `org_ids` (every organisation when `None`) dated in `[from, to]`, by
/// organisation, in one query.
pub async fn load_records(
    tx: &mut Tx,
    org_ids: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i64, Vec<LedRecord>>> {
    let rows = store::compact_records(tx, org_ids, &from.to_string(), &to.to_string()).await?;
    let mut records: HashMap<i64, Vec<LedRecord>> = HashMap::new();
    for r in rows {
        let (Some(date), Some(kind)) = (parse_date(&r.date), ActivityKind::parse(&r.kind)) else {
            continue;
        };
        records.entry(r.org_id).or_default().push((
            r.position_id,
            Record {
                date,
                kind,
                entered_on: shanghai_date(r.created_at),
                accepted_late: r.accepted_late,
                evidenced_on: r.evidence_at.map(shanghai_date),
                id: r.id,
            },
            (!r.tour_area.is_empty()).then(|| r.tour_area.into_boxed_str()),
        ));
    }
    Ok(records)
}

/// The id filter for `orgs`: a list when short, everything (filtered here) otherwise.
fn id_filter(ids: &[i64]) -> Option<&[i64]> {
    (ids.len() <= IN_LIST_MAX).then_some(ids)
}

/// The rules, sensitive periods and positions for `orgs` over `[from, to]`, with no records.
async fn load_context(
    cache: &Cache,
    tx: &mut Tx,
    orgs: &[OrgRow],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Inputs> {
    // The rules and the tree change only with the every-organisation stamp: read once per
    // change, not per request.
    let stamp = crate::stamps::current(tx, crate::stamps::EVERY_ORG).await?;
    let rules = cache.rule_versions(tx, stamp).await?;
    let sensitive = sensitive_periods(tx, from, to).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id.get()).collect();
    let mut positions: HashMap<i64, Vec<PositionRow>> = HashMap::new();
    for p in store::positions_of_orgs(tx, id_filter(&ids)).await? {
        positions.entry(p.org_id.get()).or_default().push(p);
    }
    let tours = super::tours::load(tx, &cache.tours, stamp, &rules, orgs).await?;
    Ok(Inputs {
        rules,
        sensitive,
        positions,
        records: HashMap::new(),
        tours,
    })
}

/// Loads the inputs for `orgs` over `[from, to]` in a handful of queries (the organisation
/// tree tour rules read comes from `cache` while it holds).
pub async fn load(
    cache: &Cache,
    tx: &mut Tx,
    orgs: &[OrgRow],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Inputs> {
    let mut inputs = load_context(cache, tx, orgs, from, to).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id.get()).collect();
    inputs.records = load_records(tx, id_filter(&ids), from, to)
        .await?
        .into_iter()
        .map(|(k, v)| (k, Arc::new(v)))
        .collect();
    Ok(inputs)
}

/// One holder a rule binds in an organisation: a position, or the organisation itself (for a
/// tour rule, once per lower-level body it must tour).
pub struct Bound<'a> {
    pub rule: &'a RuleDef,
    pub position: Option<&'a PositionRow>,
    pub toured: Option<&'a Lower>,
    pub records: Vec<Record>,
}

/// Every rule × holder pair in `org`, each with the holder's own records: a position-bound
/// rule counts only records led by that position (whoever held it then); an
/// organisation-bound rule counts every record of the organisation.
pub fn bindings<'a>(
    org: &OrgRow,
    inputs: &'a Inputs,
    positions: &'a [PositionRow],
    records: &[LedRecord],
) -> Vec<Bound<'a>> {
    let rules = &inputs.rules;
    let Some(f) = org.facts() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for rule in rules {
        // A rule met only by standing-committee meetings binds no township committee.
        if !anwei_rules::duties::rule_applies(rule.holder, &rule.kinds, &f) {
            continue;
        }
        if rule.holder.binds_positions() {
            for p in positions {
                let Some(kind) = PositionKind::parse(&p.kind) else {
                    continue;
                };
                if rule.holder.binds_position(&f, kind) {
                    let mine = records
                        .iter()
                        .filter(|(pos, _, _)| *pos == Some(p.id.get()))
                        .map(|(_, r, _)| *r)
                        .collect();
                    out.push(Bound {
                        rule,
                        position: Some(p),
                        toured: None,
                        records: mine,
                    });
                }
            }
        } else if rule.holder.binds_org(&f) && anwei_rules::duties::is_tour_rule(&rule.kinds) {
            // Each lower-level body is toured on its own; none: nothing to tour. Only the tour
            // records that name a region can count for one.
            let toured: Vec<&LedRecord> = records.iter().filter(|r| r.2.is_some()).collect();
            for l in inputs.tours.lower_of(org.id.get()) {
                let of_this = |r: &&&LedRecord| r.2.as_deref() == Some(l.region_code.as_str());
                out.push(Bound {
                    rule,
                    position: None,
                    toured: Some(l.as_ref()),
                    records: toured.iter().filter(of_this).map(|r| r.1).collect(),
                });
            }
        } else if rule.holder.binds_org(&f) {
            out.push(Bound {
                rule,
                position: None,
                toured: None,
                records: records.iter().map(|(_, r, _)| *r).collect(),
            });
        }
    }
    out
}

/// Compliance items of one organisation in `period`.
///
/// The rule is assessed in each of its own periods that overlap the requested one
/// (`Period::sub_periods`): the one period containing it when the requested period is finer
/// (2026-08 → 2026Q3 for a quarterly rule), every sub-period when it is coarser (2026 → the
/// four quarters). `required`, `done` and `late` add up every window of those periods — their
/// own and the sensitive periods' (each window counts the records inside it); the
/// status is the worst over every window, sensitive windows included (missed over due over
/// met), so a year with one missed quarter is missed.
pub fn evaluate_org(
    org: &OrgRow,
    inputs: &Inputs,
    period: Period,
    today: NaiveDate,
) -> Vec<ComplianceItem> {
    let (positions, records) = inputs.of(org.id.get());
    bindings(org, inputs, positions, records)
        .into_iter()
        .filter_map(|b| assess_item(org, &b, period, &inputs.sensitive, today))
        .collect()
}

fn assess_item(
    org: &OrgRow,
    b: &Bound<'_>,
    period: Period,
    sensitive: &[SensitivePeriod],
    today: NaiveDate,
) -> Option<ComplianceItem> {
    let terms = b.rule.terms();
    // Only the periods these terms judge: none before the rule existed, and a closed period
    // by the terms in force when it closed.
    let bases: Vec<Period> = period
        .sub_periods(terms.period)
        .into_iter()
        .filter(|p| b.rule.judges(p.end()))
        .collect();
    if bases.is_empty() {
        return None;
    }
    let (mut required, mut done, mut late) = (0, 0, 0);
    let mut statuses = Vec::new();
    let mut windows = Vec::new();
    let mut counted = Vec::new();
    for base in &bases {
        counted.extend(
            b.records
                .iter()
                .filter_map(|r| {
                    if terms.evidence_required {
                        r.as_evidenced()
                    } else {
                        Some(*r)
                    }
                })
                .filter(|r| {
                    duties::standing(terms.kinds, base.start(), base.end(), r, today).counts()
                })
                .map(|r| r.id),
        );
        let a = duties::assess(&terms, *base, sensitive, &b.records, today);
        // Every window's own minimum counts, the sensitive periods' included: a record inside
        // a sensitive window serves both its period and that window.
        for w in &a.windows {
            required += w.compliance.required;
            done += w.compliance.done;
            late += w.compliance.late;
        }
        statuses.push(a.status);
        windows.extend(a.windows.iter().map(|w| WindowView {
            start: w.window.start.to_string(),
            end: w.window.end.to_string(),
            required: w.compliance.required,
            done: w.compliance.done,
            late: w.compliance.late,
            status: w.compliance.status.code().to_string(),
            sensitive: w.window.sensitive.clone(),
        }));
    }
    Some(ComplianceItem {
        org_code: org.code.clone(),
        org_name: org.name.clone(),
        position: b.position.map(|p| p.id),
        position_title: b.position.map(|p| p.title.clone()),
        holder_name: b.position.and_then(|p| p.holder_name.clone()),
        holder_id: b.position.and_then(|p| p.holder_id),
        toured_code: b.toured.map(|l| l.code.clone()),
        toured_name: b.toured.map(|l| l.name.clone()),
        rule: b.rule.row.code.clone(),
        rule_title: b.rule.row.title_zh.clone(),
        periods: bases.iter().map(Period::code).collect(),
        required,
        done,
        late,
        status: Status::worst(statuses).code().to_string(),
        windows,
        records: counted.into_iter().map(ActivityId).collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Per organisation and year: tallies for the heat map, open windows for the at-risk list
// ---------------------------------------------------------------------------------------------

/// Windows by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub met: u32,
    pub due: u32,
    pub missed: u32,
}

impl Tally {
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Met => self.met += 1,
            Status::Due => self.due += 1,
            Status::Missed => self.missed += 1,
        }
    }
    pub fn merge(&mut self, o: &Tally) {
        self.met += o.met;
        self.due += o.due;
        self.missed += o.missed;
    }
    pub fn total(&self) -> u32 {
        self.met + self.due + self.missed
    }
}

/// A window open today that is not yet met.
#[derive(Debug, Clone)]
pub struct OpenWindow {
    pub position_id: Option<PositionId>,
    pub position_title: Option<String>,
    pub holder_name: Option<String>,
    /// For a tour rule: the lower-level body still to tour.
    pub toured_name: Option<String>,
    pub rule: Arc<str>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub required: u32,
    pub done: u32,
    pub sensitive: Option<String>,
}

/// One organisation's year: per rule, the windows by the quarter they end in; and the
/// windows open today that are short.
#[derive(Debug, Default)]
pub struct OrgYear {
    pub by_rule: Vec<(Arc<str>, [Tally; 4])>,
    pub open: Vec<OpenWindow>,
}

impl OrgYear {
    /// The four quarters' tallies over every rule, or over one rule.
    pub fn quarters(&self, rule: Option<&str>) -> [Tally; 4] {
        let mut out = [Tally::default(); 4];
        for (code, t) in &self.by_rule {
            if rule.is_some_and(|r| r != &**code) {
                continue;
            }
            for (o, q) in out.iter_mut().zip(t) {
                o.merge(q);
            }
        }
        out
    }
}

/// Summarises one organisation's `year` (the inputs must cover it).
pub fn summarise(org: &OrgRow, inputs: &Inputs, year: i32, today: NaiveDate) -> OrgYear {
    let Some(period) = Period::year(year) else {
        return OrgYear::default();
    };
    let (positions, records) = inputs.of(org.id.get());
    let mut by_rule: Vec<(Arc<str>, [Tally; 4])> = Vec::new();
    let mut open = Vec::new();
    // A tourer's lower-level bodies without a tour record (most of them, often all) share one
    // assessment per rule version and period: it is made once.
    let mut untoured: HashMap<(usize, Period), duties::Assessment> = HashMap::new();
    for b in bindings(org, inputs, positions, records) {
        let idx = match by_rule.iter().position(|(c, _)| **c == b.rule.row.code) {
            Some(i) => i,
            None => {
                let code: Arc<str> = Arc::from(b.rule.row.code.as_str());
                by_rule.push((code, [Tally::default(); 4]));
                by_rule.len() - 1
            }
        };
        let code = by_rule[idx].0.clone();
        let terms = b.rule.terms();
        for base in period.sub_periods(terms.period) {
            if !b.rule.judges(base.end()) {
                continue;
            }
            let assess = || duties::assess(&terms, base, &inputs.sensitive, &b.records, today);
            let fresh;
            let a = if b.toured.is_some() && b.records.is_empty() {
                let rule = std::ptr::from_ref(b.rule) as usize;
                &*untoured.entry((rule, base)).or_insert_with(assess)
            } else {
                fresh = assess();
                &fresh
            };
            for w in &a.windows {
                let q = (w.window.end.month0() / 3) as usize;
                by_rule[idx].1[q].add(w.compliance.status);
                if w.window.start <= today
                    && today <= w.window.end
                    && w.compliance.status == Status::Due
                {
                    open.push(OpenWindow {
                        position_id: b.position.map(|p| p.id),
                        position_title: b.position.map(|p| p.title.clone()),
                        holder_name: b.position.and_then(|p| p.holder_name.clone()),
                        toured_name: b.toured.map(|l| l.name.clone()),
                        rule: code.clone(),
                        start: w.window.start,
                        end: w.window.end,
                        required: w.compliance.required,
                        done: w.compliance.done,
                        sensitive: w.window.sensitive.clone(),
                    });
                }
            }
        }
    }
    OrgYear { by_rule, open }
}

/// (global stamp, organisation stamp, today): a summary is valid while all three hold.
type Key = (i64, i64, NaiveDate);
type Entries = HashMap<(i64, i32), (Key, Arc<OrgYear>)>;
/// An organisation's records of one year, valid while the organisation's stamp holds.
type RecordEntries = HashMap<(i64, i32), (i64, Arc<Vec<LedRecord>>)>;

/// Per organisation and year: the summaries (tallies, open windows) and the compact records
/// they were computed from. A rule edit or a new sensitive period (the global stamp) or a new
/// day re-evaluates from the cached records; a write to one organisation (its stamp) reloads
/// that organisation's records alone. Assembled heat maps are kept too, keyed by a
/// fingerprint of every stamp and of the organisation table.
#[derive(Default)]
pub struct Cache {
    inner: Mutex<Entries>,
    records: Mutex<RecordEntries>,
    heatmaps: Mutex<HashMap<String, (HeatKey, Arc<super::views::HeatMap>)>>,
    /// The organisation tree as tour rules read it.
    tours: super::tours::TreeCache,
    /// Every rule version, with the every-organisation stamp it was read under (each rule
    /// edit bumps it).
    rules: Mutex<Option<(i64, Vec<RuleDef>)>>,
}

/// What an assembled heat map depends on besides its request: every stamp (their sum and
/// count change with any bump), the organisation table (count, versions, retirements) and
/// today.
pub type HeatKey = (i64, i64, i64, i64, i64, NaiveDate);

/// The process's compliance cache, kept in the state's type map.
pub fn cache(state: &AppState) -> Arc<Cache> {
    state.caches.get::<Cache>()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Cache {
    /// Drops every entry (the benchmark's cold start).
    pub fn clear(&self) {
        lock(&self.inner).clear();
        lock(&self.records).clear();
        lock(&self.heatmaps).clear();
        self.tours.clear();
        *lock(&self.rules) = None;
    }

    /// [`rule_versions`], read again only when the every-organisation stamp is no longer
    /// `stamp`.
    async fn rule_versions(&self, tx: &mut Tx, stamp: i64) -> AppResult<Vec<RuleDef>> {
        if let Some((s, rules)) = &*lock(&self.rules)
            && *s == stamp
        {
            return Ok(rules.clone());
        }
        let rules = rule_versions(tx).await?;
        *lock(&self.rules) = Some((stamp, rules.clone()));
        Ok(rules)
    }

    pub fn heatmap(&self, key: &str, fp: &HeatKey) -> Option<Arc<super::views::HeatMap>> {
        lock(&self.heatmaps)
            .get(key)
            .filter(|(k, _)| k == fp)
            .map(|(_, v)| v.clone())
    }

    pub fn put_heatmap(&self, key: String, fp: HeatKey, h: Arc<super::views::HeatMap>) {
        let mut map = lock(&self.heatmaps);
        // Each office × year × filter is one entry; a stale one is replaced on its next use.
        if map.len() > 1_000 {
            map.clear();
        }
        map.insert(key, (fp, h));
    }
}

/// The fingerprint of everything a heat map depends on, in two small queries.
pub async fn heat_key(tx: &mut Tx, today: NaiveDate) -> AppResult<HeatKey> {
    let (a, b, c, d, e) = store::fingerprint(tx).await?;
    Ok((a, b, c, d, e, today))
}

/// The summaries of `orgs` for `year`, from the cache where still valid, the rest computed
/// from cached records where still valid and the database otherwise. Returned in the order of
/// `orgs`.
pub async fn summaries(
    cache: &Cache,
    tx: &mut Tx,
    orgs: &[OrgRow],
    year: i32,
    today: NaiveDate,
) -> AppResult<Vec<Arc<OrgYear>>> {
    let stamps = store::stamps(tx).await?;
    let global = stamps.get(&0).copied().unwrap_or(0);
    let stamp = |id: i64| stamps.get(&id).copied().unwrap_or(0);
    let key = |id: i64| (global, stamp(id), today);
    let mut out: Vec<Option<Arc<OrgYear>>> = {
        let map = lock(&cache.inner);
        orgs.iter()
            .map(|o| {
                map.get(&(o.id.get(), year))
                    .filter(|(k, _)| *k == key(o.id.get()))
                    .map(|(_, v)| v.clone())
            })
            .collect()
    };
    let missing: Vec<OrgRow> = orgs
        .iter()
        .zip(&out)
        .filter(|(_, s)| s.is_none())
        .map(|(o, _)| o.clone())
        .collect();
    if missing.is_empty() {
        return Ok(out.into_iter().map(Option::unwrap_or_default).collect());
    }
    let period = Period::year(year).ok_or(AppError::NotFound)?;
    let mut inputs = load_context(cache, tx, &missing, period.start(), period.end()).await?;
    // Records: from the cache while the organisation's stamp holds, else one load.
    let mut need = Vec::new();
    {
        let map = lock(&cache.records);
        for o in &missing {
            match map
                .get(&(o.id.get(), year))
                .filter(|(s, _)| *s == stamp(o.id.get()))
            {
                Some((_, r)) => {
                    inputs.records.insert(o.id.get(), r.clone());
                }
                None => need.push(o.id.get()),
            }
        }
    }
    if !need.is_empty() {
        let mut loaded = load_records(tx, id_filter(&need), period.start(), period.end()).await?;
        let mut map = lock(&cache.records);
        for id in &need {
            let r = Arc::new(loaded.remove(id).unwrap_or_default());
            map.insert((*id, year), (stamp(*id), r.clone()));
            inputs.records.insert(*id, r);
        }
    }
    let fresh: HashMap<i64, Arc<OrgYear>> = missing
        .iter()
        .map(|o| (o.id.get(), Arc::new(summarise(o, &inputs, year, today))))
        .collect();
    {
        let mut map = lock(&cache.inner);
        for o in &missing {
            if let Some(s) = fresh.get(&o.id.get()) {
                map.insert((o.id.get(), year), (key(o.id.get()), s.clone()));
            }
        }
    }
    for (slot, o) in out.iter_mut().zip(orgs) {
        if slot.is_none() {
            *slot = fresh.get(&o.id.get()).cloned();
        }
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}
