//! Use cases of rewards (举报奖励): the proposal by rule from what a verified case led to, the
//! office's decision (approve as proposed or adjust with a reason, never by the proposer), the
//! payout code shown only to the reporter through the follow-up, and the payout recorded
//! against the code the reporter presents — no identity is read or kept on the way.

use anwei_rules::report::Finding;
use anwei_rules::reward::{Basis, propose as by_rule};
use serde_json::{Value, json};

use super::model::{DecideInput, PayoutInput, ProposeInput, PublicReward, RewardRow, fen};
use super::store::{self, Decided, Proposed};
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::{OrgId, ReportId};
use crate::reports::service::SUBJECT;
use crate::state::AppState;
use crate::web::extract::text;

/// Digits of a payout code.
pub const PAYOUT_DIGITS: usize = 20;

impl Scoped for RewardRow {
    fn scope_org_id(&self) -> OrgId {
        OrgId(0)
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

fn target(sid: &str) -> Target<'_> {
    Target {
        kind: SUBJECT,
        id: sid,
    }
}

fn payout_index(state: &AppState, digits: &str) -> String {
    state.vault.blind("report_payout", digits)
}

/// The digits of a payout code as typed (spaces and hyphens allowed), or `None`.
fn normalise_payout(code: &str) -> Option<String> {
    let d: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (d.len() == PAYOUT_DIGITS && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// 20 digits in groups of four.
pub fn format_payout(digits: &str) -> String {
    let v: Vec<String> = digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    v.join(" ")
}

fn new_payout() -> String {
    use rand::Rng;
    let mut r = rand::rng();
    (0..PAYOUT_DIGITS)
        .map(|_| char::from(b'0' + r.random_range(0..10u8)))
        .collect()
}

/// The proposal's answer: the amount and the rule that produced it.
pub fn proposal_view(w: &RewardRow) -> Value {
    json!({
        "amount_yuan": super::model::yuan_value(w.proposed_fen), "amount_fen": w.proposed_fen,
        "rule": w.rule, "rule_text": w.rule_text, "status": w.status,
    })
}

/// Proposes the reward of verified report `id` by the configured rule; a new proposal replaces
/// an undecided one. 409 when the case is not verified true or partly true, or was decided.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &ProposeInput,
) -> AppResult<RewardRow> {
    const ACTION: &str = "reward.propose";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportVerify, ACTION, target(&sid))
        .await?;
    let r = crate::reports::service::load(&mut act, id, ACTION).await?;
    match r.finding() {
        Some(Finding::True | Finding::Partly) => {}
        Some(Finding::False) => {
            return Err(AppError::Conflict(Msg::new("rewards.finding_false")));
        }
        None => return Err(AppError::Conflict(Msg::new("rewards.not_verified"))),
    }
    let mut input = from_case(&mut act, id, input, ACTION).await?;
    // The fine may come from the penalties (行政处罚) the case is linked to.
    if input.basis.trim() == "fine"
        && input.fine_yuan.is_none()
        && let Some(y) = crate::reports::links::linked_fine_yuan(&mut act, id).await?
    {
        input.fine_yuan = Some(serde_json::Value::from(y));
    }
    let basis = input.parse()?;
    let p = by_rule(&state.cfg.reports.reward, basis);
    let (name, fine_fen, grade, deaths) = match basis {
        Basis::Fine { fine_fen } => ("fine", Some(fine_fen as i64), None, None),
        Basis::ConcealedAccident {
            grade,
            concealed_deaths,
        } => (
            "concealed_accident",
            None,
            Some(grade.code()),
            Some(i64::from(concealed_deaths)),
        ),
    };
    let rule_text = p.rule.describe_zh();
    let row = Proposed {
        report_id: id,
        region_id: r.region_id,
        region_path: &r.region_path,
        basis: name,
        fine_fen,
        grade,
        deaths,
        rule: p.rule.code(),
        rule_text: &rule_text,
        amount_fen: i64::try_from(p.amount_fen).unwrap_or(i64::MAX),
        by: actor.account_id,
        now: now_ms(),
    };
    if store::propose(act.tx(), &row).await? == 0 {
        return Err(AppError::Conflict(Msg::new("rewards.decided_already")));
    }
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "basis": name, "rule": p.rule, "amount_fen": p.amount_fen,
    })))
    .await?;
    let w = store::by_report(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(w)
}

/// A `concealed_accident` proposal that leaves out the grade or the deaths takes them from the
/// concealment case opened from the report, once verified 瞒报 or 谎报 (the accident's grade
/// and the deaths concealed); what the client sent is kept.
async fn from_case(
    act: &mut Act<'_>,
    id: ReportId,
    input: &ProposeInput,
    action: &'static str,
) -> AppResult<ProposeInput> {
    let mut input = input.clone();
    let wanted = input.grade.trim().is_empty() || input.deaths.is_none();
    if input.basis.trim() != "concealed_accident" || !wanted {
        return Ok(input);
    }
    let links = crate::reports::links::of_report(act, id).await?;
    let kind = crate::reports::links::Kind::Concealment.code();
    let Some(case) = links.iter().rev().find(|l| l.kind == kind) else {
        return Ok(input);
    };
    let found =
        crate::accidents::concealment::service::reward_figures(act, case.target_id, action).await?;
    if let Some((grade, deaths)) = found {
        if input.grade.trim().is_empty() {
            input.grade = grade.code().to_string();
        }
        if input.deaths.is_none() {
            input.deaths = Some(Value::from(deaths));
        }
    }
    Ok(input)
}

/// The office approves the proposal as it stands or adjusts it with a reason; the decider is
/// never the proposer (403, audited). Approval issues the payout code, kept only blind-indexed
/// and sealed for the reporter's follow-up.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: ReportId,
    input: &DecideInput,
) -> AppResult<RewardRow> {
    const ACTION: &str = "reward.decide";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportTriage, ACTION, target(&sid))
        .await?;
    crate::reports::service::load(&mut act, id, ACTION).await?;
    let w = store::by_report(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if w.status != "proposed" {
        return Err(AppError::Conflict(Msg::new("rewards.decided_already")));
    }
    if w.proposed_by == actor.account_id {
        let err = AppError::Refused(Msg::new("rewards.decider_is_proposer"));
        return Err(act.refused(ACTION, target(&sid), err).await);
    }
    let mut e = Vec::new();
    let adjust = match input.decision.trim() {
        "approve" => false,
        "adjust" => true,
        _ => {
            e.push(("decision".into(), Msg::new("rewards.decision_unknown")));
            false
        }
    };
    let reason = text("reason", &input.reason, 500, adjust, &mut e);
    let amount = if adjust {
        let a = fen("amount_yuan", &input.amount_yuan, &mut e);
        if a.is_none() && !e.iter().any(|(f, _)| f == "amount_yuan") {
            e.push(("amount_yuan".into(), Msg::new("error.required")));
        }
        a.map(|f| f as i64)
    } else {
        Some(w.proposed_fen)
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let approved_fen = amount.expect("checked");
    let digits = new_payout();
    let index = payout_index(state, &digits);
    let sealed = state.vault.seal(&digits)?;
    let d = Decided {
        approved_fen,
        reason: &reason,
        by: actor.account_id,
        on: crate::time::today().to_string(),
        payout_index: &index,
        payout_sealed: &sealed,
        now: now_ms(),
    };
    if store::decide(act.tx(), w.id, &d).await? == 0 {
        return Err(AppError::Conflict(Msg::new("rewards.decided_already")));
    }
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "adjusted": adjust, "proposed_fen": w.proposed_fen, "approved_fen": approved_fen,
        "reason": reason,
    })))
    .await?;
    let w = store::by_report(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(w)
}

/// The reward of a report as staff see it (never the payout code), for the report's detail.
pub async fn of_report(act: &mut Act<'_>, id: ReportId) -> AppResult<Option<RewardRow>> {
    Ok(store::by_report(act.tx(), id).await?)
}

/// What the reporter sees on the follow-up (the caller found the report by its receipt code):
/// the approved reward and, until it is paid, the payout code.
pub async fn for_reporter(
    state: &AppState,
    tx: &mut crate::db::Tx,
    id: ReportId,
) -> AppResult<Option<PublicReward>> {
    let Some(w) = store::by_report(tx, id).await? else {
        return Ok(None);
    };
    let (Some(fen), false) = (w.approved_fen, w.status == "proposed") else {
        return Ok(None);
    };
    let code = if w.status == "approved" && !w.payout_sealed.is_empty() {
        let opened = state
            .vault
            .open(&w.payout_sealed)
            .map_err(|e| AppError::Internal(e.context("open a payout code")))?;
        Some(format_payout(&opened))
    } else {
        None
    };
    Ok(Some(PublicReward {
        status: w.status,
        amount_yuan: super::model::yuan_value(fen),
        payout_code: code,
        paid_on: w.paid_on,
    }))
}

/// 兑付: the paying office records the payout against the code the reporter presents, once.
/// A wrong code, a malformed one and one outside the office's territory are the same 404.
pub async fn pay(state: &AppState, actor: &Actor, input: &PayoutInput) -> AppResult<RewardRow> {
    const ACTION: &str = "reward.pay";
    let mut act = Act::begin(state, actor).await?;
    act.require(Perm::ReportTriage, ACTION, target("")).await?;
    let digits = normalise_payout(&input.payout_code);
    let index = payout_index(state, digits.as_deref().unwrap_or("-"));
    let found = store::by_payout(act.tx(), &index)
        .await?
        .filter(|_| digits.is_some());
    let Some(w) = found else {
        return Err(act.refused(ACTION, target(""), AppError::NotFound).await);
    };
    let sid = w.report_id.to_string();
    act.sees(&w, ACTION, target(&sid)).await?;
    if w.status == "paid" {
        return Err(AppError::Conflict(Msg::new("rewards.paid_already")));
    }
    let mut e = Vec::new();
    let paid_on = match crate::time::parse_date(input.paid_on.trim()) {
        Some(d) if d <= crate::time::today() => Some(d),
        Some(_) => {
            e.push(("paid_on".into(), Msg::new("reports.in_future")));
            None
        }
        None => {
            e.push(("paid_on".into(), Msg::new("error.date_format")));
            None
        }
    };
    let amount = fen("amount_yuan", &input.amount_yuan, &mut e);
    if amount.map(|a| a as i64) != w.approved_fen && !e.iter().any(|(f, _)| f == "amount_yuan") {
        e.push((
            "amount_yuan".into(),
            Msg::new("rewards.amount_not_approved"),
        ));
    }
    let voucher = text("voucher_no", &input.voucher_no, 64, true, &mut e);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let paid_on = paid_on.expect("checked").to_string();
    let fen = amount.expect("checked") as i64;
    let n = store::pay(
        act.tx(),
        w.id,
        &paid_on,
        fen,
        &voucher,
        actor.account_id,
        now_ms(),
    )
    .await?;
    if n == 0 {
        return Err(AppError::Conflict(Msg::new("rewards.paid_already")));
    }
    act.audit(Event::ok(ACTION, SUBJECT, w.report_id).detail(json!({
        "paid_on": paid_on, "paid_fen": fen, "voucher_no": voucher,
    })))
    .await?;
    let w = store::by_report(act.tx(), w.report_id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(w)
}

/// The door for the report statistics (举报统计, 奖励兑现): the rewards of the reports under
/// `path_like` received on `first..last_excl`, grouped by place, month, category and status
/// with their sums — never a case-level row. A department's only those routed to it.
pub async fn tally(
    act: &mut Act<'_>,
    path_like: &str,
    handler: Option<crate::ids::OrgId>,
    first: &str,
    last_excl: &str,
) -> AppResult<Vec<super::model::RewardGroup>> {
    Ok(store::groups(act.tx(), path_like, handler, first, last_excl).await?)
}
