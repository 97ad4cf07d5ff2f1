//! 转办建议: the departments a report should go to, by its territory and its industry — the
//! same industry → department map the enterprise registry uses (管行业必须管安全,
//! `anwei_rules::supervisors`). The industry is the named enterprise's when the report names
//! a registered one in its territory, else the one the office set at triage.

use anwei_rules::enterprise::Industry;
use serde::Serialize;

use super::model::ReportRow;
use crate::act::Act;
use crate::error::AppResult;
use crate::i18n::Msg;

/// A suggested department.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// The department's code, as `department_code` takes it (e.g. `220502-YJ`).
    pub code: String,
    pub name: String,
    /// Where the industry came from: `enterprise` (the registered unit named) or `triage`.
    pub basis: &'static str,
    /// The industry (GB/T 4754) the suggestion rests on.
    pub industry: String,
}

/// The industry sent at triage: `None` when blank; a wrong code is a 422 on `industry`.
pub fn industry(raw: &str, e: &mut Vec<(String, Msg)>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match Industry::parse(raw) {
        Some(i) => Some(i.code()),
        None => {
            e.push(("industry".into(), Msg::new("enterprise.industry_unknown")));
            None
        }
    }
}

/// The departments suggested for report `r`, in the order the registry lists them; empty when
/// neither a registered enterprise nor an industry is known, or no department covers it.
pub async fn suggested(act: &mut Act<'_>, r: &ReportRow) -> AppResult<Vec<Suggestion>> {
    let named =
        crate::enterprises::service::named_supervisors(act, &r.unit_name, &r.region_path).await?;
    let (basis, industry, found) = match named {
        Some((industry, found)) => ("enterprise", industry, found),
        None if !r.industry.is_empty() => {
            let found =
                crate::enterprises::service::industry_supervisors(act, &r.region_path, &r.industry)
                    .await?;
            ("triage", r.industry.clone(), found)
        }
        None => return Ok(Vec::new()),
    };
    Ok(found
        .into_iter()
        .map(|d| Suggestion {
            code: d.code,
            name: d.name,
            basis,
            industry: industry.clone(),
        })
        .collect())
}
