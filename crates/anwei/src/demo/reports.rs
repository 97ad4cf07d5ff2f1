//! Reports from the public for the demo: an anonymous one waiting for triage and a named one
//! the city office accepted and routed to 通化市应急管理局 (the demo `department` account), and
//! `office2` designated as identity custodian by `office`. Everything goes through the services.

use super::{act_as, failed};
use crate::reports::model::{NewReportInput, ReportFilter, ReporterInput, StepInput};
use crate::state::AppState;
use anwei_rules::report::Step;

pub(super) async fn seed(state: &AppState) -> anyhow::Result<()> {
    let office = act_as(state, "office").await?;
    let any = crate::reports::service::list(state, &office, &ReportFilter::default())
        .await
        .map_err(|e| failed("reports", e))?;
    if any.total > 0 {
        return Ok(());
    }
    let anonymous = NewReportInput {
        category: "major_hazard".into(),
        description: "东昌区某小区地下车库电动自行车集中充电，私拉电线，无消防设施（演示）".into(),
        region_code: "220502".into(),
        address: "东昌区（演示地址）".into(),
        anonymous: true,
        ..NewReportInput::default()
    };
    let named = NewReportInput {
        category: "violation".into(),
        description: "通化示范化工有限公司夜间违规动火作业，无人监护（演示）".into(),
        region_code: "220502".into(),
        unit_name: "通化示范化工有限公司（演示）".into(),
        employee: true,
        anonymous: false,
        reporter: Some(ReporterInput {
            name: "演示举报人".into(),
            phone: "13800000000".into(),
            id_number: String::new(),
        }),
        ..NewReportInput::default()
    };
    for input in [&anonymous, &named] {
        crate::reports::service::submit_public(state, "demo", input, &[])
            .await
            .map_err(|e| failed("report", e))?;
    }
    let page = crate::reports::service::list(state, &office, &ReportFilter::default())
        .await
        .map_err(|e| failed("reports", e))?;
    // The newest first: the named one.
    let id = page
        .items
        .first()
        .map(|r| r.id)
        .ok_or_else(|| anyhow::anyhow!("demo report: none listed"))?;
    let accept = StepInput::default();
    crate::reports::handling::step(state, &office, id, Step::Accept, &accept)
        .await
        .map_err(|e| failed("report.accept", e))?;
    let route = StepInput {
        department_code: "220500-YJ".into(),
        note: "请核查并答复".into(),
        ..StepInput::default()
    };
    crate::reports::handling::step(state, &office, id, Step::Route, &route)
        .await
        .map_err(|e| failed("report.route", e))?;
    crate::reports::handling::designate(state, &office, "office2")
        .await
        .map_err(|e| failed("custodian", e))
}
