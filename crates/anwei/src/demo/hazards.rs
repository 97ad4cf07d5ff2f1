//! Enterprises and hazards for the demo: three enterprises in 东昌区 (a chemical plant, a
//! builder, and an escape room no department covers — a supervision gap), and hazards at
//! every step: one just registered with a photo, one overdue, a major one whose rectification
//! waits for acceptance, and one closed. Everything goes through the services as the demo
//! accounts; dates are relative to today. Then the demo campaign (`campaigns`).

use chrono::Duration;

use super::{act_as, failed};
use crate::enterprises::model::{EnterpriseFilter, NewEnterpriseInput};
use crate::files::Upload;
use crate::hazards::model::{HazardFilter, NewHazardInput, RectificationInput};
use crate::ids::{HazardId, OrgId};
use crate::review::model::DecisionInput;
use crate::state::AppState;

pub(super) const BUILDER: &str = "91220502MA0DEMA02P";
pub(super) const ESCAPE_ROOM: &str = "91220502MA0DEMA03T";

/// The enterprise with this credit code, registered by the city office when missing.
pub(super) async fn enterprise(
    state: &AppState,
    code: &str,
    name: &str,
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
        region_code: "220502".into(),
        industry: industry.into(),
        address: "吉林省通化市东昌区（演示）".into(),
        ..NewEnterpriseInput::default()
    };
    let e = crate::enterprises::service::create_from(state, &office, &input)
        .await
        .map_err(|e| failed("enterprise", e))?;
    Ok(e.org_id)
}

/// A small whole PNG, as a phone's photo would be (signature, data, IEND).
fn photo(name: &str) -> Upload {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    bytes.extend((0..512u32).map(|i| (i * 13 % 251) as u8));
    bytes.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    Upload {
        filename: name.into(),
        bytes,
    }
}

fn day(offset: i64) -> String {
    (crate::time::today() + Duration::days(offset)).to_string()
}

pub(super) async fn seed(state: &AppState, demo_enterprise: &str) -> anyhow::Result<()> {
    let chem = enterprise(
        state,
        demo_enterprise,
        "通化示范化工有限公司（演示）",
        "C26",
    )
    .await?;
    let builder = enterprise(state, BUILDER, "东昌示范建筑工程有限公司（演示）", "E47").await?;
    enterprise(
        state,
        ESCAPE_ROOM,
        "东昌某密室逃脱馆（演示：监管空白）",
        "R90",
    )
    .await?;
    let county = act_as(state, "territory").await?;
    let f = HazardFilter::default();
    let existing = crate::hazards::service::list(state, &county, &f)
        .await
        .map_err(|e| failed("hazards", e))?;
    if existing.total > 0 {
        return super::campaigns::seed(state, chem, builder).await;
    }
    let register = async |enterprise: OrgId,
                          description: &str,
                          grade: &str,
                          found: i64,
                          deadline: Option<i64>,
                          criterion: &str,
                          photos: Vec<Upload>| {
        let input = NewHazardInput {
            enterprise_id: enterprise.get(),
            description: description.into(),
            grade: grade.into(),
            criterion: criterion.into(),
            found_on: day(found),
            deadline: deadline.map(day).unwrap_or_default(),
            responsible_person: "生产副总（演示）".into(),
            ..NewHazardInput::default()
        };
        crate::hazards::service::create(state, &county, &input, photos)
            .await
            .map(|h| h.id)
            .map_err(|e| failed("hazard", e))
    };
    register(
        chem,
        "2号储罐区可燃气体报警器失效（演示：刚登记）",
        "general",
        0,
        None,
        "",
        vec![photo("报警器.png")],
    )
    .await?;
    register(
        builder,
        "脚手架连墙件缺失（演示：已逾期）",
        "general",
        -45,
        Some(-15),
        "",
        Vec::new(),
    )
    .await?;
    let major = register(
        chem,
        "氯化工艺装置未实现自动化控制（演示：重大隐患，整改待验收）",
        "major",
        -20,
        Some(40),
        "chemical_2017/4",
        Vec::new(),
    )
    .await?;
    let closed = register(
        chem,
        "配电室门口堆放杂物（演示：已销号）",
        "general",
        -10,
        Some(5),
        "",
        Vec::new(),
    )
    .await?;
    let enterprise = act_as(state, "enterprise").await?;
    let submit = async |id: HazardId, note: &str| {
        let input = RectificationInput { note: note.into() };
        crate::hazards::service::submit(state, &enterprise, id, &input, vec![photo("整改后.png")])
            .await
            .map_err(|e| failed("rectification", e))
    };
    submit(major, "已完成自动化控制系统改造并通过联调").await?;
    submit(closed, "杂物已清理，设置禁止堆放标识").await?;
    let office = act_as(state, "office").await?;
    let accept = DecisionInput {
        decision: "accept".into(),
        comment: "现场核查已整改到位，同意销号".into(),
    };
    crate::hazards::service::review(state, &office, closed, &accept)
        .await
        .map_err(|e| failed("acceptance", e))?;
    super::campaigns::seed(state, chem, builder).await
}
