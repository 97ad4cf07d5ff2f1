//! Risk points for the demo (风险分级管控): the chemical plant red (a major risk at its chlorine
//! tanks), the builder orange, the escape room blue, and one enterprise each in 二道江区
//! (yellow) and 集安市 (blue), so the city's four-colour map shows colours. Recorded through
//! the services as the demo office; idempotent (nothing is added once the plant has points).

use super::{act_as, failed};
use crate::enterprises::model::{EnterpriseFilter, NewEnterpriseInput};
use crate::ids::OrgId;
use crate::risks::model::RiskPointInput;
use crate::state::AppState;

/// A valid credit code from its first 17 characters.
fn credit_code(first17: &str) -> String {
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|c| format!("{first17}{c}"))
        .find(|c| anwei_rules::enterprise::credit_code_valid(c).is_ok())
        .unwrap_or_default()
}

/// The enterprise with this code, added by the city office in `region` when missing.
async fn enterprise(
    state: &AppState,
    code: &str,
    name: &str,
    region: &str,
    industry: &str,
) -> anyhow::Result<OrgId> {
    let office = act_as(state, "office").await?;
    let f = EnterpriseFilter {
        q: Some(code.into()),
        ..EnterpriseFilter::default()
    };
    let found = crate::enterprises::service::list(state, &office, &f)
        .await
        .map_err(|e| failed("enterprises", e))?;
    if let Some(e) = found.items.first() {
        return Ok(e.id);
    }
    let input = NewEnterpriseInput {
        name: name.into(),
        credit_code: code.into(),
        region_code: region.into(),
        industry: industry.into(),
        address: "吉林省通化市（演示）".into(),
        ..NewEnterpriseInput::default()
    };
    let e = crate::enterprises::service::create_from(state, &office, &input)
        .await
        .map_err(|e| failed("enterprise", e))?;
    Ok(e.org_id)
}

fn point(
    unit: &str,
    event: &str,
    types: &[&str],
    method: &str,
    f: [Option<f64>; 4],
) -> RiskPointInput {
    RiskPointInput {
        unit: unit.into(),
        hazardous_event: event.into(),
        accident_types: types.iter().map(|t| t.to_string()).collect(),
        control_measures: "岗位巡检、定期检测、应急处置卡（演示）".into(),
        responsible_person: "安全总监（演示）".into(),
        check_cycle_days: 7,
        method: method.into(),
        l: f[0],
        e: f[1],
        c: f[2],
        s: f[3],
    }
}

pub(super) async fn seed(
    state: &AppState,
    chem_code: &str,
    others: [&str; 2],
) -> anyhow::Result<()> {
    let office = act_as(state, "office").await?;
    let chem =
        super::hazards::enterprise(state, chem_code, "通化示范化工有限公司（演示）", "C26").await?;
    let existing = crate::risks::service::list(state, &office, chem, true)
        .await
        .map_err(|e| failed("risk points", e))?;
    if !existing.points.is_empty() {
        return Ok(());
    }
    let builder =
        super::hazards::enterprise(state, others[0], "东昌示范建筑工程有限公司（演示）", "E47")
            .await?;
    let escape = super::hazards::enterprise(
        state,
        others[1],
        "东昌某密室逃脱馆（演示：监管空白）",
        "R90",
    )
    .await?;
    let erdao = enterprise(
        state,
        &credit_code("91220503MA0DEMR01"),
        "二道江示范机械厂（演示）",
        "220503",
        "C34",
    )
    .await?;
    let ji_an = enterprise(
        state,
        &credit_code("91220582MA0DEMR02"),
        "集安示范葡萄酒厂（演示）",
        "220582",
        "C15",
    )
    .await?;
    let lec = |l, e, c| [Some(l), Some(e), Some(c), None];
    let ls = |l, s| [Some(l), None, None, Some(s)];
    let points = [
        (
            chem,
            point(
                "液氯储罐区",
                "液氯泄漏扩散",
                &["poisoning_asphyxiation", "vessel_explosion"],
                "LEC",
                lec(3.0, 6.0, 40.0),
            ),
        ),
        (
            chem,
            point(
                "氯化反应釜",
                "反应失控超温超压",
                &["vessel_explosion", "fire"],
                "LEC",
                lec(1.0, 6.0, 15.0),
            ),
        ),
        (
            chem,
            point(
                "维修动火作业",
                "动火引燃可燃物",
                &["fire"],
                "LS",
                ls(2.0, 4.0),
            ),
        ),
        (
            builder,
            point(
                "塔吊作业",
                "吊物坠落",
                &["lifting", "object_strike"],
                "LS",
                ls(4.0, 4.0),
            ),
        ),
        (
            builder,
            point(
                "外脚手架",
                "作业人员高处坠落",
                &["fall_from_height"],
                "LS",
                ls(3.0, 4.0),
            ),
        ),
        (
            escape,
            point("密室通道", "火灾时疏散不畅", &["fire"], "LS", ls(2.0, 3.0)),
        ),
        (
            erdao,
            point(
                "冲压车间",
                "冲床伤手",
                &["machinery"],
                "LEC",
                lec(3.0, 6.0, 7.0),
            ),
        ),
        (
            ji_an,
            point(
                "发酵车间",
                "二氧化碳积聚窒息",
                &["poisoning_asphyxiation"],
                "LS",
                ls(1.0, 4.0),
            ),
        ),
    ];
    for (enterprise, p) in &points {
        crate::risks::service::create(state, &office, *enterprise, p)
            .await
            .map_err(|e| failed("risk point", e))?;
    }
    Ok(())
}
