//! The reward ledger (举报奖励台账) per year and territory: the budget line (举报奖励资金) the
//! office sets, what was approved, paid and is outstanding — amounts and territories only, no
//! reporter, no case text. As JSON and as an xlsx workbook.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};
use serde_json::{Value, json};

use super::model::{BudgetInput, LedgerFilter, LedgerRow, fen, yuan_text, yuan_value};
use super::store;
use crate::act::{Act, Target};
use crate::audit::{self, Event};
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg, t};
use crate::state::AppState;

/// A region as something in or out of a scope.
struct RegionAt<'a>(&'a str);

impl crate::act::Scoped for RegionAt<'_> {
    fn scope_org_id(&self) -> crate::ids::OrgId {
        crate::ids::OrgId(0)
    }
    fn scope_region_path(&self) -> &str {
        self.0
    }
}

fn target() -> Target<'static> {
    Target {
        kind: "reward_budget",
        id: "",
    }
}

/// One territory's line: the budget (if set) and the rewards approved in the year.
pub struct Line {
    pub row: LedgerRow,
    pub budget_fen: Option<i64>,
}

pub struct Ledger {
    pub year: i64,
    pub lines: Vec<Line>,
}

impl Ledger {
    pub fn view(&self) -> Value {
        let sum = |f: fn(&Line) -> i64| self.lines.iter().map(f).sum::<i64>();
        let approved = sum(|l| l.row.approved_fen);
        let paid = sum(|l| l.row.paid_fen);
        json!({
            "year": self.year,
            "items": self.lines.iter().map(|l| l.row.view(l.budget_fen)).collect::<Vec<_>>(),
            "total": {
                "budget_yuan": yuan_value(sum(|l| l.budget_fen.unwrap_or(0))),
                "approved_count": sum(|l| l.row.approved_count),
                "approved_yuan": yuan_value(approved), "paid_count": sum(|l| l.row.paid_count),
                "paid_yuan": yuan_value(paid), "outstanding_yuan": yuan_value(approved - paid),
            },
        })
    }
}

fn year_of(field: &str, v: Option<&str>, e: &mut Vec<(String, Msg)>) -> i64 {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => i64::from(chrono::Datelike::year(&crate::time::today())),
        Some(s) => match s.parse::<i64>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                e.push((field.into(), Msg::new("rewards.year_format")));
                0
            }
        },
    }
}

/// The ledger of `year` (default: this year) for the caller's territory, narrowed to
/// `region_code`; the office only.
pub async fn ledger(state: &AppState, actor: &Actor, f: &LedgerFilter) -> AppResult<Ledger> {
    let mut act = Act::read(state, actor).await?;
    act.require(Perm::ReportTriage, "reward.ledger", target())
        .await?;
    let mut e = Vec::new();
    let year = year_of("year", f.year.as_deref(), &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let region = crate::web::extract::some_text(&f.region_code);
    let scope = crate::orgs::service::scope_within(&mut act, region.as_deref())
        .await
        .map_err(|err| match err {
            AppError::Validation(_) => {
                AppError::field("region_code", Msg::new("org.region_unknown"))
            }
            other => other,
        })?;
    let path = scope.path_like.as_deref();
    let rows = store::ledger(act.tx(), &year.to_string(), path).await?;
    let budgets = store::budgets(act.tx(), year, path).await?;
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|row| Line {
            budget_fen: budgets.iter().find(|b| b.0 == row.region_id).map(|b| b.3),
            row,
        })
        .collect();
    for (region_id, code, name, amount) in budgets {
        if !lines.iter().any(|l| l.row.region_id == region_id) {
            lines.push(Line {
                row: LedgerRow {
                    region_id,
                    region_code: code,
                    region_name: name,
                    approved_count: 0,
                    approved_fen: 0,
                    paid_count: 0,
                    paid_fen: 0,
                },
                budget_fen: Some(amount),
            });
        }
    }
    lines.sort_by(|a, b| a.row.region_code.cmp(&b.row.region_code));
    Ok(Ledger { year, lines })
}

/// Sets the budget line of a territory in the office's scope for a year.
pub async fn set_budget(state: &AppState, actor: &Actor, input: &BudgetInput) -> AppResult<()> {
    const ACTION: &str = "reward.budget";
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportTriage, ACTION, target()).await?;
    let mut e = Vec::new();
    let year = match input.year.as_ref() {
        Some(Value::Number(n)) => year_of("year", Some(&n.to_string()), &mut e),
        Some(Value::String(s)) if !s.trim().is_empty() => year_of("year", Some(s), &mut e),
        _ => {
            e.push(("year".into(), Msg::new("error.required")));
            0
        }
    };
    let amount = fen("amount_yuan", &input.amount_yuan, &mut e);
    if amount.is_none() && !e.iter().any(|(f, _)| f == "amount_yuan") {
        e.push(("amount_yuan".into(), Msg::new("error.required")));
    }
    let code = input.region_code.trim();
    let region = crate::orgs::service::region_by_code(&mut act, code).await?;
    let region = region.filter(|g| crate::act::in_scope(act.actor, &RegionAt(&g.path)));
    if region.is_none() {
        e.push(("region_code".into(), Msg::new("reports.region_unknown")));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (region, fen) = (region.expect("checked"), amount.expect("checked") as i64);
    store::set_budget(act.tx(), region.id, year, fen, actor.account_id, now_ms()).await?;
    act.audit(
        Event::ok(ACTION, "region", region.id).detail(json!({"year": year, "amount_fen": fen})),
    )
    .await?;
    act.commit().await?;
    Ok(())
}

pub fn workbook(l: &Ledger, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(format!("{} {}", t(lang, "rewards.ledger_title"), l.year))?;
    let cols = [
        "rewards.col_region_code",
        "rewards.col_region",
        "rewards.col_budget",
        "rewards.col_approved_count",
        "rewards.col_approved",
        "rewards.col_paid_count",
        "rewards.col_paid",
        "rewards.col_outstanding",
    ];
    for (i, k) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, t(lang, k), &head)?;
        ws.set_column_width(i as u16, 14)?;
    }
    for (i, line) in l.lines.iter().enumerate() {
        let r = &line.row;
        let n = i as u32 + 1;
        let neutral = |s: &str| crate::supervision::ledger::neutralise(s).into_owned();
        ws.write_string_with_format(n, 0, neutral(&r.region_code), &cell)?;
        ws.write_string_with_format(n, 1, neutral(&r.region_name), &cell)?;
        let budget = line.budget_fen.map(yuan_text).unwrap_or_default();
        ws.write_string_with_format(n, 2, budget, &cell)?;
        ws.write_number_with_format(n, 3, r.approved_count as f64, &cell)?;
        ws.write_string_with_format(n, 4, yuan_text(r.approved_fen), &cell)?;
        ws.write_number_with_format(n, 5, r.paid_count as f64, &cell)?;
        ws.write_string_with_format(n, 6, yuan_text(r.paid_fen), &cell)?;
        ws.write_string_with_format(n, 7, yuan_text(r.approved_fen - r.paid_fen), &cell)?;
    }
    wb.save_to_buffer()
}

/// The ledger as xlsx, audited (`reward.ledger_export`).
pub async fn export(
    state: &AppState,
    actor: &Actor,
    f: &LedgerFilter,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    let l = ledger(state, actor, f).await?;
    let detail = json!({"year": l.year, "region_code": f.region_code, "lines": l.lines.len()});
    let bytes = tokio::task::spawn_blocking(move || workbook(&l, lang))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export thread: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let ev = Event::ok("reward.ledger_export", "reward_budget", "").detail(detail);
    audit::record_alone(state, &actor.who(), ev).await?;
    Ok(bytes)
}
