//! The chain's jobs: the clock sweep (a cron tick every five minutes) marks every open hop
//! past due as late (迟报) and sends one reminder — inbox and mail to the receiving level's
//! committee office, and the robot when one is configured — to each hop silent for an hour;
//! the missing-person sweep (daily) writes, after the supplementary window, the version that
//! counts the missing as dead when that changes the grade, and the chain escalates.

use std::collections::HashMap;

use anwei_rules::accident::chain::{ReportLevel, escalation};
use chrono::NaiveDate;
use serde_json::json;

use super::store::{self, Silent};
use crate::audit::{self, Event, Who};
use crate::db::{Tx, now_ms};
use crate::ids::{AccidentId, OrgId};
use crate::on_tx;
use crate::state::AppState;

/// An hour of silence at a level brings its reminder.
pub const SILENCE_MS: i64 = 3_600_000;
const BATCH: i64 = 500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Open hops past due, marked late.
    pub late: u64,
    /// Reminders sent (one per hop, ever).
    pub reminded: usize,
}

/// The clock sweep at the server's time.
pub async fn sweep(state: &AppState) -> anyhow::Result<SweepReport> {
    sweep_at(state, now_ms()).await
}

/// The clock sweep as of `now` (epoch ms): one statement marks the late hops; the silent ones
/// are read in batches over their index, each reminded once (`reminded_at`, set only where
/// still unset, so a second sweep — here or on another instance — sends nothing again).
pub async fn sweep_at(state: &AppState, now: i64) -> anyhow::Result<SweepReport> {
    let mut tx = state.db.begin().await?;
    let late = store::mark_late(&mut tx, now).await?;
    let mut offices: HashMap<String, Vec<OrgId>> = HashMap::new();
    let mut reminded = Vec::new();
    loop {
        let batch = store::silent(&mut tx, now - SILENCE_MS, BATCH).await?;
        for s in &batch {
            if store::set_reminded(&mut tx, s.id, now).await? == 1 {
                remind(&mut tx, s, &mut offices).await?;
                reminded.push(s.accident_id);
            }
        }
        if (batch.len() as i64) < BATCH {
            break;
        }
    }
    if !reminded.is_empty() {
        if !state.cfg.notify.webhook_url.is_empty() {
            let text = robot_text(&reminded, &state.cfg.public_url);
            crate::jobs::enqueue(
                &mut tx,
                "webhook.post",
                &json!({"text": text}),
                Some(&format!("webhook.accident_chain:{now}")),
                now,
            )
            .await?;
        }
        let ev = Event::ok("accident.chain.remind", super::service::SUBJECT, "")
            .detail(json!({"reminded": reminded.len(), "late": late}));
        audit::record(state, &mut tx, &Who::system("accident_chain"), ev).await?;
    }
    tx.commit().await?;
    Ok(SweepReport {
        late,
        reminded: reminded.len(),
    })
}

/// The reminder of one silent hop to the receiving level's committee office: the county's for
/// the hop to the county, the city's for the others (the city records those outside).
async fn remind(
    tx: &mut Tx,
    s: &Silent,
    offices: &mut HashMap<String, Vec<OrgId>>,
) -> Result<(), sqlx::Error> {
    let path = match s.to_level.0 {
        ReportLevel::County => super::service::county_path(&s.region_path),
        _ => super::service::city_path(&s.region_path),
    };
    if !offices.contains_key(path) {
        let found = store::offices_at(tx, path).await?;
        offices.insert(path.to_string(), found);
    }
    let args = json!({
        "unit": s.unit_name,
        "level": {"zh": s.to_level.0.name_zh(), "en": s.to_level.0.name_en()},
        "due": crate::accidents::views::instant(s.due_at),
    });
    let link = format!("/accidents/{}", s.accident_id);
    for org in offices.get(path).into_iter().flatten() {
        crate::notify::service::notify_org(
            tx,
            *org,
            "accident_chain.reminder_title",
            "accident_chain.reminder_body",
            &args,
            &link,
        )
        .await?;
    }
    Ok(())
}

/// The robot's text: how many hops went silent, and links to the first few accidents.
fn robot_text(ids: &[AccidentId], public_url: &str) -> String {
    let mut text = format!(
        "事故报告提醒：{} 个上报环节已超过1小时未确认，请尽快接报、上报。",
        ids.len()
    );
    for id in ids.iter().take(10) {
        text.push_str(&format!("\n{public_url}/accidents/{id}"));
    }
    text
}

/// The missing-person sweep on `today` (Asia/Shanghai): for each accident with missing persons
/// whose window has closed, the rule's regrade (`missing_regrade_due`); when it changes the
/// grade, a version counting the missing as dead is written (attributed to the original
/// reporter, audited as the system's) and the chain escalates. Returns how many were regraded.
pub async fn missing_sweep(state: &AppState, today: NaiveDate) -> anyhow::Result<usize> {
    let now = now_ms();
    // The shortest window is 7 days: nothing younger can be due.
    let before = now - 7 * 86_400_000;
    let mut tx = state.db.read().await?;
    let ids: Vec<AccidentId> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
        "SELECT a.id FROM accident a JOIN accident_version v ON v.accident_id = a.id AND v.version = a.version \
         WHERE v.missing > 0 AND a.occurred_at < $1 ORDER BY a.id"
    )
    .bind(before)
    .fetch_all(c)
    .await
    })?;
    drop(tx);
    let mut regraded = 0;
    for id in ids {
        let mut tx = state.db.begin().await?;
        if regrade_missing(state, &mut tx, id, today, now).await? {
            regraded += 1;
        }
        tx.commit().await?;
    }
    Ok(regraded)
}

async fn regrade_missing(
    state: &AppState,
    tx: &mut Tx,
    id: AccidentId,
    today: NaiveDate,
    now: i64,
) -> anyhow::Result<bool> {
    let written = crate::accidents::service::write_missing_regrade(tx, id, today, now)
        .await
        .map_err(|e| anyhow::anyhow!("missing-person regrade of accident {id}: {e:?}"))?;
    let Some(w) = written else {
        return Ok(false);
    };
    let a = &w.accident;
    let added = escalation(a.grade, w.grade);
    super::service::escalate(tx, id, &a.region_path, &added, now).await?;
    let ev = Event::ok(
        "accident.missing_regrade",
        crate::accidents::service::SUBJECT,
        id,
    )
    .detail(json!({
        "version": w.version, "from_grade": a.grade.code(), "grade": w.grade.code(),
        "missing": a.missing, "escalated_to": added.last().map(|h| h.to.code()),
    }));
    audit::record(state, tx, &Who::system("accident_missing"), ev).await?;
    Ok(true)
}
