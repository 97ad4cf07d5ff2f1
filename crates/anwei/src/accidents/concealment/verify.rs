//! 核实 (verification) of a concealment case by its supervising office: 瞒报 creates the
//! accident with the verified facts through the accidents service in the same transaction,
//! 谎报 adds a version with the verified figures (every earlier one kept) and regrades, 漏报
//! names the missing contents of 第十二条; each flags the accident. 不属实 closes the case.

use serde_json::json;

use super::model::{CaseRow, ConcealmentVerifyInput, Outcome, Verification};
use super::service::{SUBJECT, load, supervises, target};
use super::store::{self, Closing};
use crate::accidents::model::{AccidentInput, AccidentRow, Figures};
use crate::act::Act;
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::AccidentId;
use crate::state::AppState;

/// 核实: only the supervising office (403 for any other, audited), once (409 after).
pub async fn verify(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ConcealmentVerifyInput,
) -> AppResult<CaseRow> {
    const ACTION: &str = "concealment.verify";
    let sid = id.to_string();
    let mut act = Act::begin(state, actor).await?;
    let c = load(&mut act, id, ACTION).await?;
    act.require(Perm::AccidentReport, ACTION, target(&sid))
        .await?;
    if !supervises(actor, &c) {
        let e = AppError::Refused(Msg::new("concealment.not_supervisor"));
        return Err(act.refused(ACTION, target(&sid), e).await);
    }
    if c.status != "open" {
        return Err(AppError::Conflict(Msg::new("concealment.closed_already")));
    }
    let v = input.parse()?;
    let k = match v.outcome {
        Outcome::Concealed => concealed(&mut act, &c, &v).await?,
        Outcome::Falsified => falsified(&mut act, &c, &v).await?,
        Outcome::Omitted => omitted(&mut act, &c, &v).await?,
        Outcome::Unfounded => Found::default(),
    };
    let contents = v.missing_contents.join(",");
    let closing = Closing {
        status: if v.outcome == Outcome::Unfounded {
            "unfounded"
        } else {
            "verified"
        },
        outcome: v.outcome.code(),
        verified: figures(&v),
        grade: k.grade,
        concealed_deaths: k.concealed_deaths,
        missing_contents: &contents,
        note: &v.note,
        result_accident_id: k.accident,
        by: actor.account_id,
        at: now_ms(),
    };
    if store::close(act.tx(), id, &closing).await? == 0 {
        return Err(AppError::Conflict(Msg::new("concealment.closed_already")));
    }
    act.audit(Event::ok(ACTION, SUBJECT, id).detail(json!({
        "outcome": v.outcome.code(), "accident": k.accident, "grade": k.grade,
        "concealed_deaths": k.concealed_deaths, "missing_contents": v.missing_contents,
    })))
    .await?;
    let row = store::by_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

fn figures(v: &Verification) -> [Option<i64>; 4] {
    match &v.casualties {
        Some(c) => [
            Some(i64::from(c.deaths)),
            Some(i64::from(c.serious_injuries)),
            Some(i64::from(c.missing)),
            Some(i64::try_from(c.direct_loss_yuan).unwrap_or(i64::MAX)),
        ],
        None => [None; 4],
    }
}

/// What an outcome did to an accident.
#[derive(Default)]
struct Found {
    accident: Option<AccidentId>,
    grade: Option<&'static str>,
    concealed_deaths: Option<i64>,
}

fn outcome_error(key: &'static str) -> AppError {
    AppError::field("outcome", Msg::new(key))
}

/// 瞒报: the accident was never reported — created now with the verified facts, flagged.
async fn concealed(act: &mut Act<'_>, c: &CaseRow, v: &Verification) -> AppResult<Found> {
    if c.accident_id.is_some() {
        return Err(outcome_error("concealment.accident_was_reported"));
    }
    let [deaths, serious_injuries, missing, direct_loss_yuan] = figures(v);
    let input = AccidentInput {
        occurred_at: crate::accidents::views::instant(c.occurred_at),
        region_code: c.region_code.clone(),
        enterprise_id: c.enterprise_id.map(|e| e.0),
        unit_name: c.unit_name.clone(),
        accident_type: v.accident_type.clone(),
        category: v.category.clone(),
        industry: String::new(),
        location: v.location.clone(),
        deaths,
        serious_injuries,
        missing,
        direct_loss_yuan,
        summary: c.description.clone(),
        measures: String::new(),
        other: format!("经核实的瞒报事故（疑似瞒报案件 {}）：{}", c.id, v.note),
    };
    let a = crate::accidents::service::create_in(act, &input).await?;
    crate::accidents::service::flag_in(act, a.id, "concealed", c.id, &v.note).await?;
    Ok(Found {
        accident: Some(a.id),
        grade: Some(a.grade.code()),
        concealed_deaths: deaths,
    })
}

/// The accident the case names, in scope; 422 on `outcome` when it names none.
async fn named(act: &mut Act<'_>, c: &CaseRow) -> AppResult<AccidentRow> {
    let Some(aid) = c.accident_id else {
        return Err(outcome_error("concealment.no_accident_named"));
    };
    crate::accidents::service::visible(act, aid, "concealment.verify").await
}

/// 谎报: the verified figures are worse than the latest reported ones — a new version with
/// them (both kept), regraded through the normal path, flagged.
async fn falsified(act: &mut Act<'_>, c: &CaseRow, v: &Verification) -> AppResult<Found> {
    let a = named(act, c).await?;
    let cas = v.casualties.expect("parsed with figures");
    let reported = a.casualties();
    let pairs = [
        (u64::from(cas.deaths), u64::from(reported.deaths)),
        (
            u64::from(cas.serious_injuries),
            u64::from(reported.serious_injuries),
        ),
        (u64::from(cas.missing), u64::from(reported.missing)),
        (cas.direct_loss_yuan, reported.direct_loss_yuan),
    ];
    if pairs.iter().any(|(v, r)| v < r) || pairs.iter().all(|(v, r)| v == r) {
        return Err(AppError::field("deaths", Msg::new("concealment.not_worse")));
    }
    let detail = format!(
        "已报 死亡{} 重伤{} 失踪{} 损失{}元；核实 死亡{} 重伤{} 失踪{} 损失{}元",
        a.deaths,
        a.serious_injuries,
        a.missing,
        a.direct_loss_yuan,
        cas.deaths,
        cas.serious_injuries,
        cas.missing,
        cas.direct_loss_yuan
    );
    let f = Figures {
        casualties: cas,
        summary: String::new(),
        measures: a.measures.clone(),
        other: format!("核实谎报（疑似瞒报案件 {}）：{}", c.id, v.note),
    };
    let u = crate::accidents::service::correct_in(act, a.id, f, "accident.correct").await?;
    crate::accidents::service::flag_in(act, a.id, "falsified", c.id, &detail).await?;
    Ok(Found {
        accident: Some(a.id),
        grade: Some(u.accident.grade.code()),
        concealed_deaths: Some(i64::from(cas.deaths) - a.deaths.min(i64::from(cas.deaths))),
    })
}

/// 漏报: the report lacked required contents of 第十二条 — flagged, naming them.
async fn omitted(act: &mut Act<'_>, c: &CaseRow, v: &Verification) -> AppResult<Found> {
    let a = named(act, c).await?;
    let detail = v.missing_contents.join(",");
    crate::accidents::service::flag_in(act, a.id, "omitted", c.id, &detail).await?;
    Ok(Found {
        accident: Some(a.id),
        grade: None,
        concealed_deaths: None,
    })
}
