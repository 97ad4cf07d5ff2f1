//! Demo data: one account per role, a demo enterprise, and people in the main positions.
//! Idempotent: running `demo` again reuses what is there.

use crate::accounts::model::NewAccount;
use crate::audit::Who;
use crate::auth::model::Role;
use crate::db::now_ms;
use crate::state::AppState;

/// Shared password of the demo accounts (never used by `serve`).
pub const DEMO_PASSWORD: &str = "Anwei-Demo-2022";

const ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "系统管理员", Role::Admin, "220500-AWB"),
    ("office", "市安委办 王主任", Role::Office, "220500-AWB"),
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
        "E-DEMO-0001",
    ),
    (
        "discipline",
        "市纪委监委 孙同志",
        Role::Discipline,
        "220500-JW",
    ),
    ("leader", "市政府 周领导", Role::Leader, "220500-ZF"),
    ("auditor", "审计员", Role::Auditor, "220500-AWB"),
];

pub async fn seed(state: &AppState) -> anyhow::Result<Vec<(String, String)>> {
    let who = Who::system("demo");
    let mut tx = state.db.begin().await?;
    if crate::orgs::store::by_code(&mut tx, "E-DEMO-0001")
        .await?
        .is_none()
    {
        let region = crate::orgs::store::region_by_code(&mut tx, "220502")
            .await?
            .ok_or_else(|| anyhow::anyhow!("region 220502 missing"))?;
        crate::orgs::store::insert(
            &mut tx,
            &crate::orgs::store::InsertOrg {
                code: "E-DEMO-0001",
                name: "通化示范化工有限公司（演示）",
                short_name: "示范化工",
                kind: "enterprise",
                level: "county",
                region_id: region.id,
                parent_id: None,
                supervises: false,
                sectors: "",
                note: "演示数据",
                sort: 999,
                builtin: false,
                now: now_ms(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    let mut out = Vec::new();
    for (u, name, role, org) in ACCOUNTS {
        let mut rtx = state.db.read().await?;
        let exists = crate::accounts::store::by_username(&mut rtx, u)
            .await?
            .is_some();
        drop(rtx);
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
                .map_err(|e| anyhow::anyhow!("demo account {u}: {e:?}"))?;
        }
        out.push((
            u.to_string(),
            crate::i18n::t(crate::i18n::Lang::Zh, &role.label_key()),
        ));
    }
    // People in the city's principal positions, so the directory is not empty.
    let mut tx = state.db.begin().await?;
    let n: i64 = crate::on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM person"
    )
    .fetch_one(c)
    .await)?;
    if n == 0 {
        let today = crate::time::today().to_string();
        let names = ["演示人员甲", "演示人员乙", "演示人员丙", "演示人员丁"];
        for (i, code) in ["220500-DW", "220500-ZF", "220502-DW", "220502-ZF"]
            .iter()
            .enumerate()
        {
            if let Some(org) = crate::orgs::store::by_code(&mut tx, code).await? {
                let positions = crate::people::store::positions_of(&mut tx, org.id).await?;
                if let Some(p) = positions.iter().find(|p| p.kind == "principal") {
                    let pid = crate::people::store::insert_person(
                        &mut tx,
                        org.id,
                        names[i],
                        "演示数据",
                        now_ms(),
                    )
                    .await?;
                    crate::people::store::assign(&mut tx, p.id, pid, &today, &today, now_ms())
                        .await?;
                }
            }
        }
        crate::audit::record(
            state,
            &mut tx,
            &who,
            crate::audit::Event::ok("demo.seed", "person", "demo"),
        )
        .await?;
    }
    tx.commit().await?;
    seed_activities(state).await?;
    Ok(out)
}

/// 履职记录 of the county-level party committees and governments in this year's closed
/// quarters, with minutes attached, in a pattern that gives the heat map every colour.
async fn seed_activities(state: &AppState) -> anyhow::Result<()> {
    use anwei_rules::duties::{Period, PeriodKind};
    let mut tx = state.db.begin().await?;
    let n: i64 = crate::on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM activity"
    )
    .fetch_one(c)
    .await)?;
    let office = crate::accounts::store::by_username(&mut tx, "office").await?;
    let (0, Some(office)) = (n, office) else {
        return Ok(());
    };
    let minutes = b"%PDF-1.4\n% demo minutes\n%%EOF\n";
    let checked = crate::files::check(
        minutes,
        "会议纪要.pdf",
        state.cfg.supervision.attachment_max_bytes,
        &state.cfg.supervision.attachment_types,
        "files",
    )
    .map_err(|e| anyhow::anyhow!("demo minutes: {e:?}"))?;
    crate::files::store(&state.files, &checked.sha256, minutes).await?;
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
            let Some(org) =
                crate::orgs::store::by_code(&mut tx, &format!("{region}-{suffix}")).await?
            else {
                continue;
            };
            let positions = crate::people::store::positions_of(&mut tx, org.id).await?;
            let principal = positions
                .iter()
                .find(|p| p.kind == "principal")
                .map(|p| p.id);
            for (q, quarter) in quarters.iter().enumerate() {
                if (i + q + title.len()) % 4 == 0 {
                    continue;
                }
                let date = quarter.start() + chrono::Duration::days(20 + (i as i64) * 3);
                let at = date
                    .and_hms_opt(10, 0, 0)
                    .and_then(|d| d.and_local_timezone(crate::time::tz()).single())
                    .map(|d| d.timestamp_millis())
                    .unwrap_or_else(now_ms);
                let date_text = date.to_string();
                let position = if kind == "study" { None } else { principal };
                let new = crate::duties::store::NewActivity {
                    org_id: org.id,
                    kind,
                    date: &date_text,
                    title,
                    position_id: position,
                    person_id: None,
                    participants: "",
                    topics: "安全生产",
                    places: "",
                    findings: "",
                    area_code: "",
                    created_by: office.id,
                    entered_late: false,
                    now: at,
                };
                let id = crate::duties::store::insert(&mut tx, &new).await?;
                crate::duties::store::insert_evidence(&mut tx, id, &checked, office.id, at).await?;
            }
            crate::stamps::bump(&mut tx, org.id).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
