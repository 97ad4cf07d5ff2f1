//! Demo data: one account per role, a demo enterprise, people in the main positions, the
//! duty records of this year's closed quarters, a living year of supervision and
//! deliverables under a demo policy (`year`), and enterprises with hazards at every step of
//! their rectification (`hazards`) and risk points that colour the four-colour map
//! (`risks`). Idempotent: running `demo` again reuses what is
//! there.
//!
//! The loader acts as the demo accounts (`auth::service::command_actor`): everything goes
//! through the same services, checks and audit records as a person's work would. Records of
//! quarters already closed are entered now, so they are late by the server's clock; a second
//! office account accepts them as the historical records they are (补录), which is what an
//! office does when the system goes live in the middle of a year.

mod campaigns;
mod hazards;
mod reports;
mod risks;
mod year;

use anwei_rules::duties::{Period, PeriodKind};

use crate::accounts::model::NewAccount;
use crate::audit::Who;
use crate::auth::model::{Actor, Role};
use crate::duties::model::{AcceptLateInput, ActivityFilter, NewActivityInput};
use crate::error::AppError;
use crate::files::Upload;
use crate::state::AppState;

/// Shared password of the demo accounts (never used by `serve`).
pub const DEMO_PASSWORD: &str = "Anwei-Demo-2022";

/// The demo enterprise: its organisation code is its 统一社会信用代码 (a valid one).
const ENTERPRISE: &str = "91220502MA0DEMA01L";

const ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "系统管理员", Role::Admin, "220500-AWB"),
    ("office", "市安委办 王主任", Role::Office, "220500-AWB"),
    ("office2", "市安委办 陈副主任", Role::Office, "220500-AWB"),
    (
        "department",
        "市应急管理局 李科长",
        Role::Department,
        "220500-YJ",
    ),
    (
        "territory",
        "东昌区安委办 赵干事",
        Role::Territory,
        "220502-AWB",
    ),
    (
        "enterprise",
        "示范化工 安全员",
        Role::Enterprise,
        ENTERPRISE,
    ),
    (
        "discipline",
        "市纪委监委 孙同志",
        Role::Discipline,
        "220500-JW",
    ),
    ("leader", "市政府 周领导", Role::Leader, "220500-ZF"),
    (
        "government",
        "市政府办 刘秘书",
        Role::Territory,
        "220500-ZF",
    ),
    ("auditor", "审计员", Role::Auditor, "220500-AWB"),
];

fn failed(what: &str, e: AppError) -> anyhow::Error {
    anyhow::anyhow!("demo {what}: {e:?}")
}

async fn act_as(state: &AppState, username: &str) -> anyhow::Result<Actor> {
    crate::auth::service::command_actor(state, username)
        .await
        .map_err(|e| failed(username, e))?
        .ok_or_else(|| anyhow::anyhow!("demo account {username} missing"))
}

pub async fn seed(state: &AppState) -> anyhow::Result<Vec<(String, String)>> {
    let who = Who::system("demo");
    let mut out = Vec::new();
    for (u, name, role, org) in ACCOUNTS {
        if *org == ENTERPRISE {
            enterprise(state).await?;
        }
        let exists = crate::auth::service::command_actor(state, u)
            .await
            .map_err(|e| failed(u, e))?
            .is_some();
        if !exists {
            let cmd = NewAccount {
                username: u.to_string(),
                display_name: name.to_string(),
                email: String::new(),
                role: *role,
                org_code: org.to_string(),
                password: DEMO_PASSWORD.into(),
            };
            crate::accounts::service::create_as_system(state, &who, cmd, false)
                .await
                .map_err(|e| failed(u, e))?;
        }
        out.push((
            u.to_string(),
            crate::i18n::t(crate::i18n::Lang::Zh, &role.label_key()),
        ));
    }
    people(state).await?;
    activities(state).await?;
    year::seed(state).await?;
    hazards::seed(state, ENTERPRISE).await?;
    reports::seed(state).await?;
    risks::seed(state, ENTERPRISE, [hazards::BUILDER, hazards::ESCAPE_ROOM]).await?;
    Ok(out)
}

/// The demo enterprise, registered with its profile by the city office in 东昌区.
async fn enterprise(state: &AppState) -> anyhow::Result<()> {
    hazards::enterprise(state, ENTERPRISE, "通化示范化工有限公司（演示）", "C26")
        .await
        .map(|_| ())
}

/// People in the principal positions of the city's and 东昌区's party committee and
/// government, so the directory and the scorecards are not empty.
async fn people(state: &AppState) -> anyhow::Result<()> {
    let office = act_as(state, "office").await?;
    let known = crate::people::service::persons(state, &office, None)
        .await
        .map_err(|e| failed("people", e))?;
    if !known.is_empty() {
        return Ok(());
    }
    let today = crate::time::today();
    let names = ["演示人员甲", "演示人员乙", "演示人员丙", "演示人员丁"];
    for (name, code) in names
        .iter()
        .zip(["220500-DW", "220500-ZF", "220502-DW", "220502-ZF"])
    {
        let positions = crate::people::service::positions_of_org(state, &office, code)
            .await
            .map_err(|e| failed(code, e))?;
        let Some(p) = positions.iter().find(|p| p.kind == "principal") else {
            continue;
        };
        let mut act = crate::act::Act::begin(state, &office)
            .await
            .map_err(|e| failed(code, e))?;
        let pid = crate::people::service::create_person(&mut act, Some(code), name, "演示数据")
            .await
            .map_err(|e| failed(code, e))?;
        crate::people::service::assign(&mut act, p.id, pid, today)
            .await
            .map_err(|e| failed(code, e))?;
        act.commit().await.map_err(|e| failed(code, e))?;
    }
    Ok(())
}

/// 履职记录 of the county-level party committees and governments in this year's closed
/// quarters, with minutes attached, in a pattern that gives the heat map every colour; the
/// second office account accepts them as historical records.
async fn activities(state: &AppState) -> anyhow::Result<()> {
    let office = act_as(state, "office").await?;
    let any = crate::duties::service::list_activities(
        state,
        &office,
        &ActivityFilter {
            limit: Some(1),
            ..ActivityFilter::default()
        },
    )
    .await
    .map_err(|e| failed("activities", e))?;
    if !any.is_empty() {
        return Ok(());
    }
    let deputy = act_as(state, "office2").await?;
    let today = crate::time::today();
    let this = Period::containing(PeriodKind::Quarter, today);
    let quarters: Vec<Period> = Period::containing(PeriodKind::Year, today)
        .sub_periods(PeriodKind::Quarter)
        .into_iter()
        .filter(|q| q.end() < this.start())
        .collect();
    let counties = [
        "220502", "220503", "220521", "220523", "220524", "220581", "220582",
    ];
    for (i, region) in counties.iter().enumerate() {
        for (suffix, kind, title) in [
            ("DW", "study", "理论学习中心组学习安全生产"),
            (
                "DW",
                "standing_committee_meeting",
                "常委会会议研究安全生产工作",
            ),
            ("ZF", "executive_meeting", "政府常务会议研究安全生产工作"),
        ] {
            let code = format!("{region}-{suffix}");
            let principal =
                match crate::people::service::positions_of_org(state, &office, &code).await {
                    Ok(ps) => ps.into_iter().find(|p| p.kind == "principal").map(|p| p.id),
                    Err(AppError::NotFound) => continue,
                    Err(e) => return Err(failed(&code, e)),
                };
            for (q, quarter) in quarters.iter().enumerate() {
                if (i + q + title.len()) % 4 == 0 {
                    continue;
                }
                let date = quarter.start() + chrono::Duration::days(20 + (i as i64) * 3);
                let input = NewActivityInput {
                    org_code: code.clone(),
                    kind: kind.into(),
                    date: date.to_string(),
                    title: title.into(),
                    led_by_position: if kind == "study" { None } else { principal },
                    topics: "安全生产".into(),
                    ..NewActivityInput::default()
                };
                // Each meeting has its own minutes (the same file twice would be refused as
                // the same meeting entered again).
                let minutes = format!("%PDF-1.4\n% {code} {kind} {date} 会议纪要（演示）\n%%EOF\n");
                let files = vec![Upload {
                    filename: "会议纪要.pdf".into(),
                    bytes: minutes.into_bytes(),
                }];
                let id = crate::duties::service::create_activity(state, &office, &input, files)
                    .await
                    .map_err(|e| failed(&code, e))?;
                let reason = AcceptLateInput {
                    reason: "系统上线前的履职记录，按原始会议纪要补录".into(),
                };
                match crate::duties::service::accept_late(state, &deputy, id, &reason).await {
                    Ok(_) | Err(AppError::Conflict(_)) => {}
                    Err(e) => return Err(failed(&code, e)),
                }
            }
        }
    }
    Ok(())
}
