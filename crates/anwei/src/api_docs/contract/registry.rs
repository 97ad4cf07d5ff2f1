//! The limits of the registry's and the public's operations: enterprises, hazards, risk
//! points, listings and reports (see the parent module for what a limit is).

use serde_json::{Value, json};

use super::Target;
use super::{WS, clamped, date, date_or_blank, filter_of, int, text, vocabulary};

/// Enterprises, hazards and the risk calculator (`enterprises::model::NewEnterpriseInput::parse`,
/// `hazards::model::NewHazardInput::parse`, `hazards::service::list`, `hazards::api::assess`).
pub(super) fn hazards(out: &mut Vec<(Target, Value)>) {
    use Target::{Param, Prop};
    use anwei_rules::enterprise::{Management, Scale};
    use anwei_rules::hazard::{AccidentType, Grade, Status as HazardStatus};
    // A credit code: 18 characters of GB 32100's alphabet, either case (the check character
    // is the validation's: a wrong one is a 422 naming `credit_code`).
    let credit = json!({ "type": "string",
        "pattern": format!("^[{WS}]*[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{{18}}[{WS}]*$") });
    // An industry: a section letter, or one with a two-digit division (which must belong to
    // the section: a 422 naming `industry` otherwise).
    let industry =
        json!({ "type": "string", "pattern": format!("^[{WS}]*[A-Ta-t]([0-9]{{2}})?[{WS}]*$") });
    let industry_filter =
        json!({ "type": "string", "pattern": format!("^[{WS}]*([A-Ta-t]([0-9]{{2}})?)?[{WS}]*$") });
    let e = "NewEnterpriseInput";
    out.push((Prop(e, "name"), text(100, true)));
    out.push((Prop(e, "credit_code"), credit));
    out.push((Prop(e, "region_code"), text(40, true)));
    out.push((Prop(e, "industry"), industry));
    out.push((Prop(e, "address"), text(200, false)));
    out.push((Prop(e, "principal_name"), text(50, false)));
    out.push((
        Prop(e, "principal_id_number"),
        json!({ "type": "string",
        "pattern": format!("^[{WS}]*([0-9]{{17}}[0-9Xx])?[{WS}]*$") }),
    ));
    out.push((Prop("RevealInput", "reason"), text(500, true)));
    out.push((
        Prop(e, "scale"),
        filter_of(Scale::ALL.iter().map(|s| s.code())),
    ));
    out.push((
        Prop(e, "management"),
        filter_of(Management::ALL.iter().map(|s| s.code())),
    ));
    out.push((
        Prop("LeadInput", "principle"),
        vocabulary(
            anwei_rules::supervisors::Principle::ALL
                .iter()
                .map(|p| p.code()),
        ),
    ));
    out.push((Prop("LeadInput", "reason"), text(500, true)));
    out.push((Prop("LeadInput", "department_code"), text(40, true)));
    let list = "GET /api/v1/enterprises";
    out.push((
        Param(list, "gap"),
        json!({ "type": "string",
        "enum": ["", "true", "on", "1", "yes", "false", "off", "0", "no"] }),
    ));
    out.push((Param(list, "industry"), industry_filter.clone()));
    out.push((Param(list, "page"), int(1, 1_000_000)));
    out.push((Param(list, "per_page"), clamped(1, 500, 50)));
    let h = "NewHazardInput";
    out.push((Prop(h, "enterprise_id"), int(1, i64::from(i32::MAX))));
    // Defaults to 0 so a blank form field is a field error, not a lost form: required here.
    out.push((Target::Required(h), json!("enterprise_id")));
    out.push((Prop(h, "description"), text(2000, true)));
    out.push((
        Prop(h, "grade"),
        vocabulary(Grade::ALL.iter().map(|g| g.code())),
    ));
    out.push((
        Prop(h, "criterion"),
        filter_of(anwei_rules::hazard::criteria().iter().map(|c| c.code)),
    ));
    out.push((Prop(h, "deadline"), date_or_blank()));
    out.push((Prop(h, "found_on"), date_or_blank()));
    out.push((
        Prop(h, "source"),
        filter_of(["self_check", "inspection", "campaign"]),
    ));
    out.push((Prop(h, "location"), text(200, false)));
    out.push((
        Prop(h, "accident_type"),
        filter_of(AccidentType::ALL.iter().map(|t| t.code())),
    ));
    out.push((Prop(h, "responsible_person"), text(50, false)));
    out.push((Prop(h, "measures"), text(2000, false)));
    out.push((Prop(h, "funds_yuan"), int(0, 10_000_000_000)));
    let list = "GET /api/v1/hazards";
    out.push((
        Param(list, "grade"),
        filter_of(Grade::ALL.iter().map(|g| g.code())),
    ));
    out.push((
        Param(list, "status"),
        filter_of(HazardStatus::ALL.iter().map(|s| s.code())),
    ));
    out.push((Param(list, "industry"), industry_filter));
    out.push((Param(list, "enterprise"), int(1, i64::MAX)));
    out.push((
        Param(list, "overdue"),
        json!({ "type": "string",
        "enum": ["", "true", "on", "1", "yes", "false", "off", "0", "no"] }),
    ));
    out.push((Param(list, "page"), int(1, 1_000_000)));
    out.push((Param(list, "per_page"), clamped(1, 500, 50)));
    out.push((
        Prop("RectificationInput", "note"),
        text(crate::review::service::BODY_MAX, true),
    ));
    out.push((Prop("ReopenInput", "reason"), text(1000, true)));
    out.push((
        Prop("CommentInput", "comment"),
        text(crate::review::service::COMMENT_MAX, false),
    ));
    out.push((
        Prop("ReturnInput", "comment"),
        text(crate::review::service::COMMENT_MAX, true),
    ));
}

/// Risk points and the calculator (`risks::model::{AssessInput::assess, RiskPointInput::parse}`).
pub(super) fn risks(out: &mut Vec<(Target, Value)>) {
    use Target::{Prop, Required};
    use anwei_rules::hazard::AccidentType;
    let method = json!({ "type": "string",
        "pattern": format!("^[{WS}]*([Ll][Ee][Cc]|[Ll][Ss])[{WS}]*$") });
    out.push((Prop("AssessInput", "method"), method.clone()));
    let p = "RiskPointInput";
    out.push((Prop(p, "unit"), text(200, true)));
    out.push((Prop(p, "hazardous_event"), text(1000, true)));
    out.push((Prop(p, "control_measures"), text(2000, false)));
    out.push((Prop(p, "responsible_person"), text(50, false)));
    out.push((Prop(p, "check_cycle_days"), int(1, 366)));
    out.push((Required(p), json!("check_cycle_days")));
    out.push((
        Prop(p, "accident_types"),
        json!({ "type": "array",
        "items": vocabulary(AccidentType::ALL.iter().map(|t| t.code())) }),
    ));
    out.push((Prop("RiskPointPatch", "method"), method));
    out.push((Prop("RetireInput", "reason"), text(500, true)));
    out.push((
        Prop("CheckInput", "result"),
        vocabulary(["controlled", "hazard_found"]),
    ));
    out.push((Required("CheckInput"), json!("result")));
    out.push((Prop("CheckInput", "note"), text(2000, false)));
    out.push((Prop("CheckInput", "checked_on"), date_or_blank()));
    out.push((Prop("CheckInput", "hazard_id"), int(1, i64::from(i32::MAX))));
    for f in ["id_number", "industry"] {
        out.push((Target::Required("BanCheckInput"), json!(f)));
    }
    for f in ["id_number", "name", "ground", "document_no"] {
        out.push((Target::Required("NewBanInput"), json!(f)));
    }
    let overdue = "GET /api/v1/risk/overdue-checks";
    out.push((Target::Param(overdue, "page"), int(1, 1_000_000)));
}

/// Listed supervision (`listings::service::{create, list, report, delist, stop_order, refer}`).
pub(super) fn listings(out: &mut Vec<(Target, Value)>) {
    use Target::{Param, Prop};
    let l = "ListingInput";
    out.push((Prop(l, "hazard_id"), int(1, i64::from(i32::MAX))));
    out.push((Prop(l, "notice_no"), text(100, true)));
    out.push((Prop(l, "responsible_org"), text(40, false)));
    out.push((Prop(l, "deadline"), date()));
    let body = crate::review::service::BODY_MAX;
    out.push((Prop("ProgressInput", "text"), text(body, true)));
    out.push((Prop("DelistInput", "note"), text(body, true)));
    out.push((Prop("StopOrderInput", "document_no"), text(100, true)));
    out.push((Prop("StopOrderInput", "ordered_on"), date()));
    out.push((Prop("ReferralInput", "note"), text(2000, true)));
    let list = "GET /api/v1/listings";
    out.push((Param(list, "status"), filter_of(["active", "delisted"])));
    out.push((Param(list, "page"), int(1, 1_000_000)));
    out.push((Param(list, "per_page"), clamped(1, 500, 50)));
}

/// Reports from the public and their handling (`reports::model::NewReportInput::parse`,
/// `reports::service::list`, `reports::handling`).
pub(super) fn reports(out: &mut Vec<(Target, Value)>) {
    use Target::{Param, Prop, Required};
    use anwei_rules::report::{Category, Channel, Finding, Status as ReportStatus};
    let r = "NewReportInput";
    for f in ["category", "description", "region_code"] {
        out.push((Required(r), json!(f)));
    }
    out.push((
        Prop(r, "category"),
        vocabulary(Category::ALL.iter().map(|c| c.code())),
    ));
    out.push((Prop(r, "description"), text(5000, true)));
    out.push((Prop(r, "region_code"), text(12, true)));
    out.push((Prop(r, "address"), text(200, false)));
    out.push((Prop(r, "unit_name"), text(100, false)));
    out.push((Prop(r, "occurred_on"), date_or_blank()));
    out.push((
        Prop(r, "channel"),
        filter_of(Channel::ALL.iter().map(|c| c.code())),
    ));
    out.push((Prop("ReporterInput", "name"), text(50, false)));
    out.push((Prop("ReporterInput", "phone"), text(30, false)));
    out.push((
        Prop("ReporterInput", "id_number"),
        json!({ "type": "string",
        "pattern": format!("^[{WS}]*([0-9]{{17}}[0-9Xx])?[{WS}]*$") }),
    ));
    let list = "GET /api/v1/reports";
    out.push((
        Param(list, "status"),
        filter_of(ReportStatus::ALL.iter().map(|s| s.code())),
    ));
    out.push((
        Param(list, "category"),
        filter_of(Category::ALL.iter().map(|c| c.code())),
    ));
    out.push((Param(list, "page"), int(1, 1_000_000)));
    out.push((Param(list, "per_page"), clamped(1, 500, 50)));
    out.push((Prop("StepInput", "note"), text(5000, false)));
    out.push((Prop("StepInput", "department_code"), text(40, false)));
    out.push((
        Prop("StepInput", "finding"),
        filter_of(Finding::ALL.iter().map(|f| f.code())),
    ));
    out.push((Required("MessageInput"), json!("body")));
    out.push((Prop("MessageInput", "body"), text(5000, true)));
    out.push((Required("IdentityRevealInput"), json!("reason")));
    out.push((Prop("IdentityRevealInput", "reason"), text(500, true)));
    out.push((Required("CustodianInput"), json!("username")));
    out.push((Prop("CustodianInput", "username"), text(100, true)));
}
