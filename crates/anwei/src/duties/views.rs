//! Views over compliance: the heat map of organisations × quarters, the at-risk list and its
//! daily reminders, the per-leader scorecard across the positions a person held, and the
//! compliance table as xlsx for the annual assessment.

use std::collections::HashMap;
use std::sync::Arc;

use anwei_rules::duties::{self, Period};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::engine::{self, OrgYear, Tally};
use super::model::{ComplianceItem, RuleDef};
use super::store;
use crate::act::{Act, Target};
use crate::audit::{self, Event, Who};
use crate::auth::model::{Actor, Perm, Role, Scope};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg, t};
use crate::ids::{Day, OrgId, PersonId, PositionId};
use crate::orgs::model::OrgRow;
use crate::state::AppState;

/// The organisations a city-wide view covers: every one in the office's scope (optionally of
/// one kind, or in one region), or the actor's own organisation for everyone else.
async fn view_orgs(
    act: &mut Act<'_>,
    kind: Option<&str>,
    region: Option<&str>,
) -> AppResult<Vec<OrgRow>> {
    if act.actor.role != Role::Office {
        let own_id = act.actor.org_id;
        let own = crate::orgs::service::by_id_in(act, own_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // A committee office's liaison (a territory account of 安委办) watches its region's
        // organisations, not its own office, which holds no duties.
        if own.kind != "safety_office" {
            return Ok(vec![own]);
        }
    }
    orgs_where(act, kind, region).await
}

/// What a refusal of a view over duties is called in the audit log.
const DUTY: Target<'static> = Target {
    kind: "duty",
    id: "",
};

/// What is wrong in duties right now, for a board: the duties missed in the last closed
/// quarter and those at risk in this one, over the organisations in the actor's view.
pub async fn board_counts(state: &AppState, actor: &Actor) -> AppResult<(usize, usize)> {
    let mut act = Act::read(state, actor).await?;
    let orgs = view_orgs(&mut act, None, None).await?;
    drop(act);
    let last = anwei_rules::duties::Period::containing(
        anwei_rules::duties::PeriodKind::Quarter,
        crate::time::today(),
    )
    .prev();
    let missed = match last {
        Some(q) => {
            let code = q.code();
            super::service::compliance_of(state, Some(&code), orgs)
                .await?
                .1
                .iter()
                .filter(|i| i.status == "missed")
                .count()
        }
        None => 0,
    };
    let at_risk = at_risk(state, actor, &HeatQuery::default()).await?.len();
    Ok((missed, at_risk))
}

/// The current organisations in the actor's scope, optionally of one kind or in one region.
pub async fn orgs_where(
    act: &mut Act<'_>,
    kind: Option<&str>,
    region: Option<&str>,
) -> AppResult<Vec<OrgRow>> {
    crate::orgs::service::current_in_scope_where(act, kind, region).await
}

/// Every current organisation (the daily sweep and the warm-up see the whole city).
async fn all_orgs(tx: &mut crate::db::Tx) -> anyhow::Result<Vec<OrgRow>> {
    crate::orgs::service::all_current(tx)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// Reads a year (2000–2100), default this year.
pub fn parse_year(text: Option<&str>) -> AppResult<i32> {
    match nonempty(text) {
        None => Ok(chrono::Datelike::year(&crate::time::today())),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::field("year", Msg::new("duties.year_invalid"))),
    }
}

/// One organisation's row: its four quarters.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HeatRow {
    pub org_code: String,
    pub org_name: String,
    pub org_kind: String,
    pub cells: Vec<Tally>,
}

/// The heat map: for each organisation and quarter, how many duty windows ending in that
/// quarter are met, due and missed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HeatMap {
    pub year: i32,
    pub quarters: Vec<String>,
    pub rule: Option<String>,
    pub rows: Vec<HeatRow>,
}

/// `GET /api/v1/duties/heatmap` filters.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HeatQuery {
    pub year: Option<String>,
    pub rule: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
}

/// The heat map of the organisations in the actor's view; organisations no rule binds are
/// left out.
pub async fn heatmap(state: &AppState, actor: &Actor, q: &HeatQuery) -> AppResult<HeatMap> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "duties.heatmap", DUTY).await?;
    let year = parse_year(q.year.as_deref())?;
    let Filters { rule, kind, region } = filters(act.tx(), q).await?;
    let today = crate::time::today();
    // The same view with nothing changed since: the assembled map.
    let scope = match (actor.role == Role::Office, actor.scope()) {
        (true, Scope::Region(p)) => format!("office:{p}"),
        _ => format!("org:{}", actor.org_id),
    };
    let cache_key = format!(
        "{scope}|{year}|{}|{}|{}",
        rule.as_deref().unwrap_or(""),
        kind.unwrap_or(""),
        region.unwrap_or("")
    );
    let fp = engine::heat_key(act.tx(), today).await?;
    if let Some(h) = engine::cache(state).heatmap(&cache_key, &fp) {
        return Ok((*h).clone());
    }
    let orgs = view_orgs(&mut act, kind, region).await?;
    let sums = engine::summaries(&engine::cache(state), act.tx(), &orgs, year, today).await?;
    let rows = orgs
        .iter()
        .zip(&sums)
        .filter_map(|(o, s)| {
            let cells = s.quarters(rule.as_deref());
            (cells.iter().map(Tally::total).sum::<u32>() > 0).then(|| HeatRow {
                org_code: o.code.clone(),
                org_name: o.name.clone(),
                org_kind: o.kind.clone(),
                cells: cells.to_vec(),
            })
        })
        .collect();
    let h = HeatMap {
        year,
        quarters: (1..=4).map(|q| format!("{year}Q{q}")).collect(),
        rule,
        rows,
    };
    engine::cache(state).put_heatmap(cache_key, fp, Arc::new(h.clone()));
    Ok(h)
}

/// Computes this year's summaries of every organisation, so that the first heat map after a
/// start does not wait for them (run in the background at start).
pub async fn warm(state: &AppState) -> anyhow::Result<usize> {
    let today = crate::time::today();
    let mut tx = state.db.read().await?;
    let orgs = all_orgs(&mut tx).await?;
    engine::summaries(
        &engine::cache(state),
        &mut tx,
        &orgs,
        chrono::Datelike::year(&today),
        today,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(orgs.len())
}

/// The colour band of a cell: nothing bound, all met, some still due (none missed), or the
/// share missed.
pub fn band(c: &Tally) -> &'static str {
    if c.total() == 0 {
        "none"
    } else if c.missed == 0 && c.due == 0 {
        "met"
    } else if c.missed == 0 {
        "due"
    } else if c.missed * 2 <= c.total() {
        "part"
    } else {
        "missed"
    }
}

fn band_fill(band: &str) -> &'static str {
    match band {
        "met" => "#2e7d32",
        "due" => "#f9a825",
        "part" => "#ef6c00",
        "missed" => "#c62828",
        _ => "#e0e0e0",
    }
}

/// The heat map as inline SVG: a row per organisation, a column per quarter; each cell shows
/// met/total as text so colour is not the only carrier, and links to the organisation's page
/// for that quarter.
pub fn heatmap_svg(h: &HeatMap, lang: Lang) -> String {
    use crate::web::svg::{escape, fit};
    let (label_w, cell_w, cell_h, head_h) = (260.0, 96.0, 26.0, 30.0);
    let width = label_w + cell_w * 4.0 + 10.0;
    let height = head_h + cell_h * h.rows.len() as f64 + 10.0;
    let title = t(lang, "duties.heatmap_title");
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" role=\"img\" aria-labelledby=\"hm-title hm-desc\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"13\">\
         <title id=\"hm-title\">{} {}</title><desc id=\"hm-desc\">{}</desc>",
        escape(&title),
        h.year,
        escape(&t(lang, "duties.heatmap_desc"))
    );
    for (i, q) in h.quarters.iter().enumerate() {
        let x = label_w + cell_w * i as f64 + cell_w / 2.0;
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
            escape(q)
        ));
    }
    let rule_q = h
        .rule
        .as_deref()
        .map(|r| format!("&amp;rule={}", crate::web::middleware::urlencode(r)))
        .unwrap_or_default();
    for (r, row) in h.rows.iter().enumerate() {
        let y = head_h + cell_h * r as f64;
        s.push_str(&format!(
            "<text x=\"4\" y=\"{}\">{}</text>",
            y + 17.0,
            escape(&fit(&row.org_name, label_w - 8.0, 13.0))
        ));
        for (i, c) in row.cells.iter().enumerate() {
            let b = band(c);
            let x = label_w + cell_w * i as f64;
            let fill = band_fill(b);
            let text_fill = if b == "none" || b == "due" {
                "#000"
            } else {
                "#fff"
            };
            let label = if c.total() == 0 {
                "—".to_string()
            } else {
                format!("{}/{}", c.met, c.total())
            };
            s.push_str(&format!(
                "<a href=\"/duties?org={}&amp;period={}{rule_q}\">\
                 <rect class=\"cell {b}\" data-org=\"{}\" data-quarter=\"{}\" x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#fff\">\
                 <title>{} {}: {} {} · {} {} · {} {}</title></rect>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{text_fill}\">{label}</text></a>",
                crate::web::middleware::urlencode(&row.org_code),
                escape(&h.quarters[i]),
                escape(&row.org_code),
                escape(&h.quarters[i]),
                cell_w - 2.0,
                cell_h - 2.0,
                escape(&row.org_name),
                escape(&h.quarters[i]),
                t(lang, "duties.status.met"),
                c.met,
                t(lang, "duties.status.due"),
                c.due,
                t(lang, "duties.status.missed"),
                c.missed,
                x + cell_w / 2.0,
                y + 17.0,
            ));
        }
    }
    s.push_str("</svg>");
    s
}

// ---------------------------------------------------------------------------------------------
// At risk
// ---------------------------------------------------------------------------------------------

/// A holder short in a window that closes within the configured number of days.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AtRiskItem {
    pub org_code: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_id: OrgId,
    pub position: Option<PositionId>,
    pub position_title: Option<String>,
    pub holder_name: Option<String>,
    /// For a tour rule: the lower-level body still to tour this year.
    pub toured_name: Option<String>,
    pub rule: String,
    pub rule_title: String,
    pub start: String,
    pub end: String,
    pub required: u32,
    pub done: u32,
    pub days_left: i64,
    pub sensitive: Option<String>,
}

fn at_risk_of(
    orgs: &[OrgRow],
    sums: &[Arc<OrgYear>],
    rules: &[RuleDef],
    today: NaiveDate,
    threshold: i64,
) -> Vec<AtRiskItem> {
    let titles: HashMap<&str, &str> = rules
        .iter()
        .map(|r| (r.row.code.as_str(), r.row.title_zh.as_str()))
        .collect();
    let mut out = Vec::new();
    for (o, s) in orgs.iter().zip(sums) {
        for w in &s.open {
            let left = duties::days_left(w.end, today);
            if !duties::at_risk(w.done, w.required, left, threshold) {
                continue;
            }
            out.push(AtRiskItem {
                org_code: o.code.clone(),
                org_name: o.name.clone(),
                org_id: o.id,
                position: w.position_id,
                position_title: w.position_title.clone(),
                holder_name: w.holder_name.clone(),
                toured_name: w.toured_name.clone(),
                rule: w.rule.to_string(),
                rule_title: titles.get(&*w.rule).unwrap_or(&"").to_string(),
                start: w.start.to_string(),
                end: w.end.to_string(),
                required: w.required,
                done: w.done,
                days_left: left,
                sensitive: w.sensitive.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then(a.org_code.cmp(&b.org_code))
    });
    out
}

/// The filters a view over organisations takes: a rule, a kind of organisation, a region.
/// Checked here: an unknown kind or rule is a field error.
struct Filters<'a> {
    rule: Option<String>,
    kind: Option<&'a str>,
    region: Option<&'a str>,
}

async fn filters<'a>(tx: &mut crate::db::Tx, q: &'a HeatQuery) -> AppResult<Filters<'a>> {
    let rule = nonempty(q.rule.as_deref()).map(str::to_string);
    let kind = nonempty(q.kind.as_deref());
    if kind.is_some_and(|k| anwei_rules::org::OrgKind::parse(k).is_none()) {
        return Err(AppError::field("kind", Msg::new("org.kind_unknown")));
    }
    if let Some(r) = &rule
        && store::rule(tx, r).await?.is_none()
    {
        return Err(AppError::field("rule", Msg::new("duties.rule_unknown")));
    }
    Ok(Filters {
        rule,
        kind,
        region: nonempty(q.region.as_deref()),
    })
}

/// Who is at risk of missing a window open today: short, with fewer than
/// `duties.at_risk_days` days left; optionally for one rule, kind of organisation or region
/// (the `year` of the query is not used).
pub async fn at_risk(state: &AppState, actor: &Actor, q: &HeatQuery) -> AppResult<Vec<AtRiskItem>> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, "duties.at_risk", DUTY).await?;
    let f = filters(act.tx(), q).await?;
    let orgs = view_orgs(&mut act, f.kind, f.region).await?;
    let today = crate::time::today();
    let year = chrono::Datelike::year(&today);
    let sums = engine::summaries(&engine::cache(state), act.tx(), &orgs, year, today).await?;
    let rules = engine::rules(act.tx()).await?;
    let mut items = at_risk_of(&orgs, &sums, &rules, today, state.cfg.duties.at_risk_days);
    if let Some(r) = &f.rule {
        items.retain(|i| &i.rule == r);
    }
    Ok(items)
}

/// The daily reminder: every holder newly at risk gets one notice per window, sent to the
/// accounts of its organisation. Returns how many holders were reminded.
pub async fn sweep(state: &AppState) -> anyhow::Result<usize> {
    let today = crate::time::today();
    let year = chrono::Datelike::year(&today);
    let mut rtx = state.db.read().await?;
    let orgs = all_orgs(&mut rtx).await?;
    let sums = engine::summaries(&engine::cache(state), &mut rtx, &orgs, year, today)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let rules = engine::rules(&mut rtx)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    drop(rtx);
    let items = at_risk_of(&orgs, &sums, &rules, today, state.cfg.duties.at_risk_days);
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let mut reminded = 0;
    for i in &items {
        let fresh = store::insert_reminder(
            &mut tx,
            i.org_id,
            i.position.unwrap_or_default(),
            &i.rule,
            &i.end,
            now,
        )
        .await?;
        if !fresh {
            continue;
        }
        reminded += 1;
        let rule = rules.iter().find(|r| r.row.code == i.rule);
        let title = |lang| {
            rule.map(|r| r.title(lang).to_string())
                .unwrap_or(i.rule.clone())
        };
        let args = json!({
            "org": i.org_name,
            "holder": i.position_title.clone().unwrap_or_default(),
            "rule": {"zh": title(Lang::Zh), "en": title(Lang::En)},
            "end": i.end,
            "days": i.days_left.to_string(),
            "done": i.done.to_string(),
            "required": i.required.to_string(),
        });
        crate::notify::service::notify_org(
            &mut tx,
            i.org_id,
            "notice.duty_at_risk.title",
            "notice.duty_at_risk.body",
            &args,
            &format!(
                "/duties?org={}",
                crate::web::middleware::urlencode(&i.org_code)
            ),
        )
        .await?;
    }
    if reminded > 0 {
        audit::record(
            state,
            &mut tx,
            &Who::system("reminders"),
            Event::ok("duties.sweep", "date", today)
                .detail(json!({"reminded": reminded, "at_risk": items.len()})),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    tx.commit().await?;
    Ok(reminded)
}

// ---------------------------------------------------------------------------------------------
// Scorecard
// ---------------------------------------------------------------------------------------------

/// One position a person held, with the duties it carried while they held it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HeldPosition {
    pub org_code: String,
    pub org_name: String,
    pub position: PositionId,
    pub position_title: String,
    pub start: Day,
    pub end: Option<Day>,
    pub items: Vec<ComplianceItem>,
}

/// The per-leader scorecard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Scorecard {
    pub person: PersonId,
    pub name: String,
    pub year: i32,
    pub positions: Vec<HeldPosition>,
    pub met: u32,
    pub due: u32,
    pub missed: u32,
}

/// A person's duties in `year` across every position they held, each limited to the windows
/// that overlap the time they held it.
pub async fn scorecard(
    state: &AppState,
    actor: &Actor,
    person_id: PersonId,
    year: Option<&str>,
) -> AppResult<Scorecard> {
    const ACTION: &str = "duties.scorecard";
    let id = person_id.to_string();
    let target = Target {
        kind: "person",
        id: &id,
    };
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::TaskRead, ACTION, target).await?;
    let year = parse_year(year)?;
    let period = Period::year(year).ok_or(AppError::NotFound)?;
    let person = crate::people::service::person_in(&mut act, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Outside the scope the person does not exist (404, audited).
    act.sees(&person, ACTION, target).await?;
    let held = store::holdings_of_person(act.tx(), person_id).await?;
    let today = crate::time::today();
    let mut positions = Vec::new();
    let (mut met, mut due, mut missed) = (0, 0, 0);
    for h in held {
        let (start, end) = (h.start_date.date(), h.end_date.map(Day::date));
        if start > period.end() || end.is_some_and(|e| e < period.start()) {
            continue;
        }
        // The organisation where the position was held; the scope was checked on the person.
        let Some(org) = crate::orgs::service::by_id_in(&mut act, h.org_id).await? else {
            continue;
        };
        let inputs = engine::load(
            &engine::cache(state),
            act.tx(),
            std::slice::from_ref(&org),
            period.start(),
            period.end(),
        )
        .await?;
        let mut items: Vec<ComplianceItem> = engine::evaluate_org(&org, &inputs, period, today)
            .into_iter()
            .filter(|i| i.position == Some(h.position_id))
            .collect();
        let last = end.unwrap_or(period.end());
        for i in &mut items {
            i.windows.retain(|w| {
                w.end.as_str() >= start.to_string().as_str()
                    && w.start.as_str() <= last.to_string().as_str()
            });
            for w in &i.windows {
                match w.status.as_str() {
                    "met" => met += 1,
                    "due" => due += 1,
                    _ => missed += 1,
                }
            }
            let worst = i
                .windows
                .iter()
                .filter_map(|w| duties::Status::parse(&w.status))
                .max()
                .unwrap_or(duties::Status::Met);
            i.status = worst.code().to_string();
            i.required = i
                .windows
                .iter()
                .filter(|w| w.sensitive.is_none())
                .map(|w| w.required)
                .sum();
            i.done = i
                .windows
                .iter()
                .filter(|w| w.sensitive.is_none())
                .map(|w| w.done)
                .sum();
        }
        items.retain(|i| !i.windows.is_empty());
        positions.push(HeldPosition {
            org_code: org.code.clone(),
            org_name: org.name.clone(),
            position: h.position_id,
            position_title: h.position_title,
            start: h.start_date,
            end: h.end_date,
            items,
        });
    }
    Ok(Scorecard {
        person: person.id,
        name: person.name,
        year,
        positions,
        met,
        due,
        missed,
    })
}

// ---------------------------------------------------------------------------------------------
// xlsx export
// ---------------------------------------------------------------------------------------------

/// The compliance table of `items` as an xlsx workbook: one row per holder × rule, with the
/// counts and the status, in the reader's language.
pub fn compliance_xlsx(
    items: &[ComplianceItem],
    rules: &[RuleDef],
    period: Period,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    use crate::supervision::ledger::neutralise;
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let xerr = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let titles: HashMap<&str, &RuleDef> = rules.iter().map(|r| (r.row.code.as_str(), r)).collect();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t(lang, "duties.export_sheet")).map_err(xerr)?;
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let heading = format!("{} {}", t(lang, "duties.export_title"), period.code());
    ws.write_string(0, 0, &heading).map_err(xerr)?;
    let cols = [
        "duties.org_col",
        "duties.holder_col",
        "duties.person_col",
        "duties.rule_col",
        "duties.article_col",
        "duties.periods_col",
        "duties.required_col",
        "duties.done_col",
        "duties.late_col",
        "duties.status_col",
    ];
    let widths = [28.0, 22.0, 12.0, 48.0, 8.0, 22.0, 8.0, 8.0, 8.0, 10.0];
    for (c, (key, w)) in cols.iter().zip(widths).enumerate() {
        let c = c as u16;
        ws.write_string_with_format(2, c, t(lang, key), &head)
            .map_err(xerr)?;
        ws.set_column_width(c, w).map_err(xerr)?;
    }
    for (r, i) in items.iter().enumerate() {
        let row = 3 + r as u32;
        let rule = titles.get(i.rule.as_str());
        let title = rule
            .map(|d| d.title(lang).to_string())
            .unwrap_or(i.rule.clone());
        let article = rule.map(|d| d.row.article.to_string()).unwrap_or_default();
        let holder = i
            .position_title
            .clone()
            .unwrap_or_else(|| t(lang, "duties.org_bound"));
        let status = t(lang, &format!("duties.status.{}", i.status));
        let texts = [
            i.org_name.as_str(),
            holder.as_str(),
            i.holder_name.as_deref().unwrap_or(""),
            title.as_str(),
            article.as_str(),
            &i.periods.join(" "),
        ];
        for (c, v) in texts.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, neutralise(v), &cell)
                .map_err(xerr)?;
        }
        for (c, n) in [(6u16, i.required), (7, i.done), (8, i.late)] {
            ws.write_number_with_format(row, c, f64::from(n), &cell)
                .map_err(xerr)?;
        }
        ws.write_string_with_format(row, 9, status, &cell)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(3, 0).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(met: u32, due: u32, missed: u32) -> Tally {
        Tally { met, due, missed }
    }

    #[test]
    fn a_cell_band_follows_its_worst_part() {
        assert_eq!(band(&tally(0, 0, 0)), "none");
        assert_eq!(band(&tally(3, 0, 0)), "met");
        assert_eq!(band(&tally(2, 1, 0)), "due");
        assert_eq!(band(&tally(1, 0, 1)), "part");
        assert_eq!(band(&tally(1, 1, 1)), "part");
        assert_eq!(band(&tally(1, 0, 2)), "missed");
    }

    #[test]
    fn the_heat_map_escapes_names_and_shows_counts_as_text() {
        let h = HeatMap {
            year: 2026,
            quarters: (1..=4).map(|q| format!("2026Q{q}")).collect(),
            rule: Some("a&b".into()),
            rows: vec![HeatRow {
                org_code: "X-1".into(),
                org_name: "<script>alert(1)</script>局".into(),
                org_kind: "department".into(),
                cells: vec![
                    tally(1, 0, 0),
                    tally(0, 1, 0),
                    tally(0, 0, 1),
                    tally(0, 0, 0),
                ],
            }],
        };
        let svg = heatmap_svg(&h, Lang::Zh);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("rule=a%26b"));
        assert!(svg.contains(">1/1<") && svg.contains(">0/1<") && svg.contains(">—<"));
        assert!(svg.contains("class=\"cell met\"") && svg.contains("class=\"cell missed\""));
    }
}
