//! A living year of 督查督办 and 报送事项 for the demo, dated relative to today: a demo policy
//! (its own code and title say so; the built-in one is untouched) whose assignments show every
//! light, a report waiting for review, a returned one, a closed one, an ongoing task with an
//! accepted report, a reminder in the department's inbox; deliverables submitted, accepted and
//! one overdue. Everything goes through the services as the demo accounts.

use chrono::{Datelike, Duration, NaiveDate};

use super::{act_as, failed};
use crate::auth::model::Actor;
use crate::deliverables::model::{NewDeliverableInput, RequireInput, SubmitInput};
use crate::error::AppError;
use crate::files::Upload;
use crate::ids::AssignmentId;
use crate::policy::import::{ImportMeta, Outcome};
use crate::review::model::DecisionInput;
use crate::state::AppState;
use crate::supervision::model::{AssignmentFilter, IssueInput, IssuePick, ReportInput};

/// The demo policy's code.
pub const POLICY: &str = "DEMO-YEAR";
const DEPARTMENT: &str = "220500-YJ";
const COUNTY_OFFICE: &str = "220502-AWB";

/// What each demo task is for: (number, task, units, days from today to its deadline — None:
/// 长期坚持, the organisation it is issued to).
const TASKS: &[(i64, &str, &str, Option<i64>, &str)] = &[
    (
        1,
        "开展岗位安全生产责任制落实情况检查（演示：已逾期，红灯）",
        "市应急管理部门",
        Some(-20),
        DEPARTMENT,
    ),
    (
        2,
        "开展冬春火灾防控专项检查（演示：临期，进展待审核）",
        "市应急管理部门",
        Some(2),
        DEPARTMENT,
    ),
    (
        3,
        "完成危险化学品企业安全风险分级（演示：进展被退回）",
        "市应急管理部门",
        Some(45),
        DEPARTMENT,
    ),
    (
        4,
        "修订生产安全事故应急预案（演示：已销号）",
        "市应急管理部门",
        Some(30),
        DEPARTMENT,
    ),
    (
        5,
        "组织安全生产月宣传活动（演示：已交办，未签收）",
        "市应急管理部门",
        Some(20),
        DEPARTMENT,
    ),
    (
        6,
        "按月报送隐患排查治理情况（演示：长期坚持）",
        "市应急管理部门",
        None,
        COUNTY_OFFICE,
    ),
];

fn deadline(today: NaiveDate, days: Option<i64>) -> String {
    match days {
        None => "长期坚持".to_string(),
        Some(d) => {
            let day = today + Duration::days(d);
            format!("{}年{}月{}日前完成", day.year(), day.month(), day.day())
        }
    }
}

fn pdf(what: &str) -> Vec<Upload> {
    vec![Upload {
        filename: "工作材料.pdf".into(),
        bytes: format!("%PDF-1.4\n% {what}（演示）\n%%EOF\n").into_bytes(),
    }]
}

fn decision(decision: &str, comment: &str) -> DecisionInput {
    DecisionInput {
        decision: decision.into(),
        comment: comment.into(),
    }
}

/// Loads the demo year unless the demo policy exists already.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let office = act_as(state, "office").await?;
    if !import_policy(state, &office).await? {
        return Ok(());
    }
    supervision(state, &office).await?;
    deliverables(state, &office).await
}

/// Imports the demo policy; false when it is there already.
async fn import_policy(state: &AppState, office: &Actor) -> anyhow::Result<bool> {
    let today = crate::time::today();
    let mut csv = String::from("措施,序号,重点任务,责任单位,完成时限\n");
    for (n, task, units, days, _) in TASKS {
        let measure = if *n == 1 {
            "一、演示：压实安全生产责任"
        } else {
            ""
        };
        csv.push_str(&format!(
            "{measure},{n},{task},{units},{}\n",
            deadline(today, *days)
        ));
    }
    let meta = ImportMeta {
        code: POLICY.into(),
        doc_number: "演示〔2026〕1号".into(),
        title: "演示文件：一年的督查督办（演示数据，非正式文件）".into(),
        issuer: "通化市安委办（演示）".into(),
        issued_on: (today - Duration::days(60)).to_string(),
    };
    match crate::policy::import::import(state, office, &meta, csv.as_bytes()).await {
        Ok(Outcome::Imported { .. }) => Ok(true),
        Ok(Outcome::Refused(p)) if p.fields.iter().any(|(f, _)| f == "code") => Ok(false),
        Ok(Outcome::Refused(p)) => Err(anyhow::anyhow!(
            "demo policy refused: {:?} {:?}",
            p.fields,
            p.parsed.errors
        )),
        Err(e) => Err(failed("policy", e)),
    }
}

async fn assignment(state: &AppState, office: &Actor, task: i64) -> anyhow::Result<AssignmentId> {
    let f = AssignmentFilter {
        policy: Some(POLICY.into()),
        task: Some(task),
        ..AssignmentFilter::default()
    };
    let list = crate::supervision::service::list(state, office, &f)
        .await
        .map_err(|e| failed("assignments", e))?;
    list.items
        .first()
        .map(|a| a.id)
        .ok_or_else(|| anyhow::anyhow!("demo task {task} was not issued"))
}

async fn supervision(state: &AppState, office: &Actor) -> anyhow::Result<()> {
    use crate::supervision::service as s;
    let dept = act_as(state, "department").await?;
    let county = act_as(state, "territory").await?;
    let mut ids = Vec::new();
    for (n, _, _, _, org) in TASKS {
        let input = IssueInput {
            orgs: Some(vec![IssuePick {
                org_code: org.to_string(),
                role: "lead".into(),
            }]),
            policy: Some(POLICY.into()),
        };
        s::issue(state, office, *n, &input)
            .await
            .map_err(|e| failed("issue", e))?;
        ids.push(assignment(state, office, *n).await?);
    }
    let step = |e: AppError| failed("assignment", e);
    let report = |text: &str, completion: bool| ReportInput {
        text: text.into(),
        completion,
    };
    // 1: acknowledged, overdue, and reminded (催办): the department's inbox shows it.
    s::acknowledge(state, &dept, ids[0]).await.map_err(step)?;
    crate::supervision::reminders::remind(state, office, ids[0])
        .await
        .map_err(step)?;
    // 2: a progress report waiting for the office's review.
    s::acknowledge(state, &dept, ids[1]).await.map_err(step)?;
    let r = report("已完成全市80%的检查，余下部分本周内完成。", false);
    s::report(state, &dept, ids[1], &r, pdf("检查进展"))
        .await
        .map_err(step)?;
    // 3: a report the office returned with a comment.
    s::acknowledge(state, &dept, ids[2]).await.map_err(step)?;
    let r = report("已完成分级方案。", false);
    s::report(state, &dept, ids[2], &r, pdf("分级方案"))
        .await
        .map_err(step)?;
    let d = decision("return", "请补充各县（市、区）的分级结果清单。");
    s::review(state, office, ids[2], &d).await.map_err(step)?;
    // 4: completion requested with evidence and accepted: closed.
    s::acknowledge(state, &dept, ids[3]).await.map_err(step)?;
    let r = report("预案已修订并印发。", true);
    s::report(state, &dept, ids[3], &r, pdf("预案印发通知"))
        .await
        .map_err(step)?;
    s::review(state, office, ids[3], &decision("accept", ""))
        .await
        .map_err(step)?;
    // 5: issued, not acknowledged yet. 6: ongoing, this period's report accepted.
    s::acknowledge(state, &county, ids[5]).await.map_err(step)?;
    let r = report("本月排查隐患12处，已整改10处。", false);
    s::report(state, &county, ids[5], &r, pdf("隐患排查月报"))
        .await
        .map_err(step)?;
    s::review(state, office, ids[5], &decision("accept", ""))
        .await
        .map_err(step)?;
    Ok(())
}

async fn deliverables(state: &AppState, office: &Actor) -> anyhow::Result<()> {
    use crate::deliverables::service as d;
    let dept = act_as(state, "department").await?;
    let county = act_as(state, "territory").await?;
    let today = crate::time::today();
    let step = |e: AppError| failed("deliverable", e);
    for (code, title, days, orgs) in [
        (
            "demo_year_summary",
            "年度安全生产工作总结（演示）",
            15,
            vec![DEPARTMENT, COUNTY_OFFICE],
        ),
        (
            "demo_hazard_list",
            "重大隐患清单（演示：已逾期）",
            -5,
            vec![COUNTY_OFFICE],
        ),
    ] {
        let input = NewDeliverableInput {
            code: code.into(),
            title: title.into(),
            title_en: String::new(),
            due: (today + Duration::days(days)).to_string(),
            policy: Some(POLICY.into()),
        };
        d::add(state, office, &input).await.map_err(step)?;
        let input = RequireInput {
            orgs: Some(orgs.iter().map(|o| o.to_string()).collect()),
            policy: Some(POLICY.into()),
        };
        d::require(state, office, code, &input)
            .await
            .map_err(step)?;
    }
    let f = crate::deliverables::model::RequirementFilter {
        policy: Some(POLICY.into()),
        deliverable: Some("demo_year_summary".into()),
        ..Default::default()
    };
    let list = d::list(state, office, &f).await.map_err(step)?;
    for r in &list.items {
        let note = SubmitInput {
            note: "年度工作总结已按要求编制，请审核。".into(),
        };
        if r.org_code == DEPARTMENT {
            // Submitted, waiting for review.
            d::submit(state, &dept, r.id, &note, pdf("年度总结"))
                .await
                .map_err(step)?;
        } else {
            // Submitted and accepted.
            d::submit(state, &county, r.id, &note, pdf("年度总结"))
                .await
                .map_err(step)?;
            d::review(state, office, r.id, &decision("accept", ""))
                .await
                .map_err(step)?;
        }
    }
    Ok(())
}
