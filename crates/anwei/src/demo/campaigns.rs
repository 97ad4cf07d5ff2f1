//! A campaign for the demo: the city's 安全生产大检查 over manufacturing and construction in its
//! window, with 东昌区应急局 taking part; two officers of the city's 应急局; an enforcement
//! inspection of the chemical plant led by the 东昌区 party secretary (so it is his duty record)
//! that found nothing, a routine one of the builder, and a major hazard found at the chemical
//! plant afterwards — flagged to be handled as an accident (article 十七). Everything goes
//! through the services as the demo accounts; dates are relative to today.

use chrono::Duration;

use super::{act_as, failed};
use crate::act::Act;
use crate::campaigns::model::NewCampaignInput;
use crate::hazards::model::NewHazardInput;
use crate::ids::OrgId;
use crate::inspections::model::NewInspectionInput;
use crate::state::AppState;

fn day(offset: i64) -> String {
    (crate::time::today() + Duration::days(offset)).to_string()
}

pub(super) async fn seed(state: &AppState, chem: OrgId, builder: OrgId) -> anyhow::Result<()> {
    let office = act_as(state, "office").await?;
    let existing = crate::campaigns::service::list(state, &office)
        .await
        .map_err(|e| failed("campaigns", e))?;
    if !existing.is_empty() {
        return Ok(());
    }
    let mut officers = Vec::new();
    for name in ["演示执法员甲", "演示执法员乙"] {
        let mut act = Act::begin(state, &office)
            .await
            .map_err(|e| failed("officer", e))?;
        let id = crate::people::service::create_person(
            &mut act,
            Some("220500-YJ"),
            name,
            "执法证（演示）",
        )
        .await
        .map_err(|e| failed("officer", e))?;
        act.commit().await.map_err(|e| failed("officer", e))?;
        officers.push(id.get());
    }
    let input = NewCampaignInput {
        name: "安全生产大检查（演示）".into(),
        kind: "general_inspection".into(),
        start_date: day(-60),
        end_date: day(60),
        industries: vec!["C".into(), "E".into()],
        departments: vec!["220502-YJ".into(), "220500-YJ".into()],
        ..NewCampaignInput::default()
    };
    let campaign = crate::campaigns::service::create(state, &office, &input)
        .await
        .map_err(|e| failed("campaign", e))?;
    let secretary = crate::people::service::positions_of_org(state, &office, "220502-DW")
        .await
        .map_err(|e| failed("positions", e))?
        .into_iter()
        .find(|p| p.kind == "principal")
        .map(|p| p.id.get());
    let department = act_as(state, "department").await?;
    let inspect =
        async |enterprise: OrgId, kind: &str, date: i64, checked: &str, leader: Option<i64>| {
            let input = NewInspectionInput {
                kind: kind.into(),
                enterprise_id: enterprise.get(),
                date: day(date),
                place: "生产区、仓储区（演示）".into(),
                checked: checked.into(),
                findings: "未发现重大事故隐患（演示）".into(),
                officers: officers.clone(),
                leader_position: leader,
                campaign_id: Some(campaign.id.get()),
                ..NewInspectionInput::default()
            };
            crate::inspections::service::create(state, &department, &input)
                .await
                .map_err(|e| failed("inspection", e))
        };
    inspect(
        chem,
        "enforcement",
        -25,
        "危险化学品储存、动火作业、自动化控制（演示）",
        secretary,
    )
    .await?;
    inspect(
        builder,
        "routine",
        -5,
        "脚手架、临时用电、高处作业（演示）",
        None,
    )
    .await?;
    let county = act_as(state, "territory").await?;
    let missed = NewHazardInput {
        enterprise_id: chem.get(),
        description: "甲类仓库防爆电气失效（演示：大检查后发现，按事故对待）".into(),
        grade: "major".into(),
        criterion: "chemical_2017/4".into(),
        found_on: day(-2),
        deadline: day(28),
        responsible_person: "生产副总（演示）".into(),
        ..NewHazardInput::default()
    };
    crate::hazards::service::create(state, &county, &missed, Vec::new())
        .await
        .map_err(|e| failed("hazard", e))?;
    Ok(())
}
