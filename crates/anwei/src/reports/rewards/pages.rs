//! Reward pages: the ledger (`/rewards/ledger`) — the year's budget lines and what was
//! approved, paid and is outstanding per territory, with the xlsx download — and the reward
//! section of a report's staff page (propose, decide) with the report's links.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::ledger;
use super::model::{DecideInput, LedgerFilter, ProposeInput, yuan_text};
use crate::auth::model::{Actor, Perm, Role};
use crate::error::AppResult;
use crate::ids::ReportId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{redirect_or_again, render};

/// A line as shown: amounts as text.
pub struct LineView {
    pub region_code: String,
    pub region_name: String,
    pub budget: String,
    pub approved_count: i64,
    pub approved: String,
    pub paid_count: i64,
    pub paid: String,
    pub outstanding: String,
}

#[derive(Template)]
#[template(path = "rewards/ledger.html")]
pub struct LedgerPage {
    pub b: Base,
    pub year: i64,
    pub region_code: String,
    pub lines: Vec<LineView>,
    pub query: String,
}

pub async fn ledger(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<LedgerFilter>,
) -> AppResult<Response> {
    let l = ledger::ledger(&state, &actor, &f).await?;
    let region_code = f.region_code.clone().unwrap_or_default();
    let query = serde_urlencoded::to_string([
        ("year", l.year.to_string()),
        ("region_code", region_code.clone()),
    ])
    .unwrap_or_default();
    let lines = l
        .lines
        .iter()
        .map(|x| LineView {
            region_code: x.row.region_code.clone(),
            region_name: x.row.region_name.clone(),
            budget: x.budget_fen.map(yuan_text).unwrap_or_default(),
            approved_count: x.row.approved_count,
            approved: yuan_text(x.row.approved_fen),
            paid_count: x.row.paid_count,
            paid: yuan_text(x.row.paid_fen),
            outstanding: yuan_text(x.row.approved_fen - x.row.paid_fen),
        })
        .collect();
    let b = Base::new(&state, &ctx, Some(&actor), "rewards.ledger_title");
    render(&LedgerPage {
        b,
        year: l.year,
        region_code,
        lines,
        query,
    })
}

/// The reward and links section of a report's staff page.
pub struct Panel {
    pub reward: Option<RewardView>,
    pub can_propose: bool,
    pub can_decide: bool,
    /// (kind, id) of what the report produced.
    pub links: Vec<(String, i64)>,
    /// A verified report alleging a concealed accident, with no case yet, and an account that
    /// may open one (an office or a supervising department that verifies reports): the form
    /// opening the suspected concealment case (疑似瞒报案件).
    pub can_open_case: bool,
}

/// A reward as the page shows it (never the payout code).
pub struct RewardView {
    pub status: String,
    pub rule_text: String,
    pub proposed: String,
    pub approved: String,
    pub reason: String,
    pub paid_on: String,
    pub voucher_no: String,
}

impl Panel {
    pub fn new(d: &crate::reports::service::Detail, actor: &Actor) -> Panel {
        use anwei_rules::report::Finding;
        let verified = matches!(d.report.finding(), Some(Finding::True | Finding::Partly));
        let w = d.reward.as_ref();
        let open = w.is_none_or(|w| w.status == "proposed");
        let writes = !actor.is_read_only();
        Panel {
            can_propose: writes && verified && open && actor.can(Perm::ReportVerify),
            can_decide: writes
                && w.is_some_and(|w| w.status == "proposed" && w.proposed_by != actor.account_id)
                && actor.can(Perm::ReportTriage),
            reward: w.map(|w| RewardView {
                status: w.status.clone(),
                rule_text: w.rule_text.clone(),
                proposed: yuan_text(w.proposed_fen),
                approved: w.approved_fen.map(yuan_text).unwrap_or_default(),
                reason: w.decision_reason.clone(),
                paid_on: w.paid_on.clone().unwrap_or_default(),
                voucher_no: w.voucher_no.clone(),
            }),
            links: d
                .links
                .iter()
                .map(|l| (l.kind.clone(), l.target_id))
                .collect(),
            can_open_case: writes
                && verified
                && d.report.category == anwei_rules::report::Category::Concealment
                && !d.links.iter().any(|l| l.kind == "concealment_case")
                && actor.can(Perm::ReportVerify)
                && actor.can(Perm::AccidentReport)
                && matches!(actor.role, Role::Office | Role::Department),
        }
    }
}

/// After a reward form: back to the report's page, or the page again with the errors.
async fn after<T>(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ReportId,
    r: AppResult<T>,
) -> AppResult<Response> {
    redirect_or_again(
        r,
        ctx.lang,
        |_| format!("/reports/{id}"),
        async |errors| {
            let input = crate::reports::model::StepInput::default();
            crate::reports::pages::detail_render(state, ctx, actor, id, input, errors, None).await
        },
    )
    .await
}

pub async fn propose(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<ProposeInput>,
) -> AppResult<Response> {
    let r = super::service::propose(&state, &actor, id, &input).await;
    after(&state, &ctx, &actor, id, r).await
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<DecideInput>,
) -> AppResult<Response> {
    let r = super::service::decide(&state, &actor, id, &input).await;
    after(&state, &ctx, &actor, id, r).await
}
