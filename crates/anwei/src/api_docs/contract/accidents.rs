//! The limits of the accidents' bodies, beside the others in `contract.rs`.

use serde_json::{Value, json};

use super::{Target, WS, filter_of, int, text, vocabulary};

/// Accidents (`accidents::model::{AccidentInput, UpdateInput}::parse`).
pub(super) fn limits(out: &mut Vec<(Target, Value)>) {
    use crate::accidents::model::{MAX_LOSS_YUAN as LOSS, MAX_PERSONS as PERSONS};
    use Target::{Prop, Required};
    use anwei_rules::{accident::Category, hazard::AccidentType};
    let (a, u) = ("AccidentInput", "UpdateInput");
    let instant = json!({ "type": "string", "format": "date-time" });
    let types = vocabulary(AccidentType::ALL.iter().map(|t| t.code()));
    let industry = format!("^[{WS}]*([A-Ta-t]([0-9]{{2}})?)?[{WS}]*$");
    out.push((Prop(a, "occurred_at"), instant));
    out.push((Prop(a, "region_code"), text(20, true)));
    out.push((Prop(a, "enterprise_id"), int(1, i64::from(i32::MAX))));
    out.push((Prop(a, "unit_name"), text(200, false)));
    out.push((Prop(a, "type"), types));
    out.push((
        Prop(a, "category"),
        filter_of(Category::ALL.iter().map(|c| c.code())),
    ));
    out.push((
        Prop(a, "industry"),
        json!({ "type": "string", "pattern": industry }),
    ));
    out.push((Prop(a, "location"), text(500, false)));
    out.push((Prop(a, "summary"), text(4000, true)));
    out.push((Prop(u, "summary"), text(4000, false)));
    for (s, f, max) in [
        (a, "deaths", PERSONS),
        (a, "serious_injuries", PERSONS),
        (a, "missing", PERSONS),
        (a, "direct_loss_yuan", LOSS),
        (u, "deaths", PERSONS),
        (u, "serious_injuries", PERSONS),
        (u, "missing", PERSONS),
        (u, "direct_loss_yuan", LOSS),
    ] {
        out.push((Prop(s, f), int(0, max)));
        out.push((Required(s), json!(f)));
    }
    for s in [a, u] {
        out.push((Prop(s, "measures"), text(4000, false)));
        out.push((Prop(s, "other"), text(4000, false)));
    }
    for f in ["occurred_at", "region_code", "type", "summary"] {
        out.push((Required(a), json!(f)));
    }
}

/// Concealment cases (`accidents::concealment::model::{ConcealmentCaseInput,
/// ConcealmentVerifyInput}::parse`).
pub(super) fn concealment_limits(out: &mut Vec<(Target, Value)>) {
    use crate::accidents::concealment::model::{CONTENTS, SOURCES};
    use crate::accidents::model::{MAX_LOSS_YUAN as LOSS, MAX_PERSONS as PERSONS};
    use Target::{Prop, Required};
    let (c, v) = ("ConcealmentCaseInput", "ConcealmentVerifyInput");
    out.push((Prop(c, "source"), vocabulary(SOURCES)));
    out.push((Prop(c, "source_note"), text(500, false)));
    out.push((Prop(c, "region_code"), text(20, false)));
    out.push((Prop(c, "unit_name"), text(200, false)));
    out.push((Prop(c, "description"), text(4000, true)));
    out.push((Prop(c, "enterprise_id"), int(1, i64::from(i32::MAX))));
    out.push((Prop(c, "accident_id"), int(1, i64::from(i32::MAX))));
    for f in ["source", "description"] {
        out.push((Required(c), json!(f)));
    }
    for s in [c, v] {
        out.push((Prop(s, "deaths"), int(0, PERSONS)));
        out.push((Prop(s, "serious_injuries"), int(0, PERSONS)));
        out.push((Prop(s, "missing"), int(0, PERSONS)));
        out.push((Prop(s, "direct_loss_yuan"), int(0, LOSS)));
    }
    out.push((
        Prop(v, "outcome"),
        vocabulary(["concealed", "falsified", "omitted", "unfounded"]),
    ));
    out.push((
        Prop(v, "missing_contents"),
        json!({ "type": "array", "items": vocabulary(CONTENTS) }),
    ));
    out.push((Prop(v, "location"), text(500, false)));
    out.push((Prop(v, "note"), text(2000, true)));
    for f in ["outcome", "note"] {
        out.push((Required(v), json!(f)));
    }
}
