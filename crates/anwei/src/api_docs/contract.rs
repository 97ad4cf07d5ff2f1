//! What the handlers' annotations cannot say on their own, added to the OpenAPI document in one
//! place so that a client (and schemathesis, see `scripts/schemathesis.sh`) can trust it:
//!
//! - every error answer an operation can give, with the one error body (`ErrorBody`) that
//!   `error.rs` renders;
//! - the limits the validation applies to query parameters and request bodies (ranges,
//!   lengths, vocabularies, formats), taken where possible from the same types the validation
//!   parses with, so the two cannot drift apart;
//! - the multipart bodies of the upload routes.
//!
//! The document is patched as JSON: every entry names its operation or schema and property,
//! and a debug build panics (so the tests fail) when one no longer finds its target.

use serde_json::{Value, json};

use anwei_rules::deliverables::Status as DeliverableStatus;
use anwei_rules::duties::{ActivityKind, HolderSelector, PeriodKind};
use anwei_rules::org::{OrgKind, Sector};
use anwei_rules::supervision::{AssignmentRole, Light, Status};

use crate::auth::model::Role;

mod registry;
use registry::{hazards, listings, reports, risks};
mod accidents;

/// Optional free text as `web::extract::text` checks it: no control characters (tab and line
/// breaks aside) and no bidirectional controls.
pub const TEXT: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$";
/// Required free text: the same, with at least one character that is not white space.
pub const REQUIRED_TEXT: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*[^\s\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$";
/// A duty period: `2026`, `2026Q3`, `2026-09`, `2026M09-10` (`anwei_rules::duties::Period::parse`).
const PERIOD: &str = r"^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])(Q[1-4]|-(0[1-9]|1[0-2])|M(01-02|03-04|05-06|07-08|09-10|11-12))?$";
const QUARTER_BODY: &str = r"([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])Q[1-4]";
/// Contains a character `str::trim` keeps.
const NON_BLANK: &str =
    r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

/// The white space `str::trim` removes (Unicode `White_Space`), as a class body.
const WS: &str =
    r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// A filter value from a vocabulary, read as the filters read it: trimmed, blank = no filter.
fn filter_of(codes: impl IntoIterator<Item = &'static str>) -> Value {
    let codes: Vec<&str> = codes.into_iter().collect();
    json!({ "type": "string", "pattern": format!("^[{WS}]*({})?[{WS}]*$", codes.join("|")),
            "description": format!("one of {}; blank: no filter", codes.join(", ")) })
}

/// A value from a vocabulary, read trimmed.
fn vocabulary(codes: impl IntoIterator<Item = &'static str>) -> Value {
    let codes: Vec<&str> = codes.into_iter().collect();
    json!({ "type": "string", "pattern": format!("^[{WS}]*({})[{WS}]*$", codes.join("|")),
            "description": format!("one of {}", codes.join(", ")) })
}

fn int(min: i64, max: i64) -> Value {
    json!({ "type": "integer", "format": "int64", "minimum": min, "maximum": max })
}

/// An optional date `YYYY-MM-DD` in 1900–2999 (`time::parse_date`, which trims): blank
/// means "not given".
fn date_or_blank() -> Value {
    json!({ "type": "string", "pattern":
        format!("^[{WS}]*((19|2[0-9])[0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?[{WS}]*$"),
        "description": "`YYYY-MM-DD` (1900–2999), or blank" })
}

/// A date `YYYY-MM-DD` in 1900–2999 (`time::parse_date`, which trims).
fn date() -> Value {
    json!({ "type": "string", "pattern":
        format!("^[{WS}]*(19|2[0-9])[0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[{WS}]*$"),
        "description": "`YYYY-MM-DD` (1900–2999)" })
}

/// A number the server clamps into a range (never refused).
fn clamped(min: i64, max: i64, default: i64) -> Value {
    json!({ "type": "integer", "format": "int64",
            "description": format!("clamped to {min}–{max}; default {default}") })
}

/// Text checked by `web::extract::text` with this maximum; `required`: not blank.
fn text(max: usize, required: bool) -> Value {
    let mut v = json!({ "type": "string", "maxLength": max,
                        "pattern": if required { REQUIRED_TEXT } else { TEXT } });
    if required {
        v["minLength"] = json!(1);
    }
    v
}

/// Where a limit goes: a parameter of one operation (`"GET /api/v1/…"`), or a property of a
/// component schema.
pub enum Target {
    Param(&'static str, &'static str),
    Prop(&'static str, &'static str),
    /// A property the validation requires though the type has a default (the limit is its
    /// name).
    Required(&'static str),
    /// A rule between properties (`if`/`then`), merged into the component schema.
    Conditional(&'static str),
}

/// The limits, merged into the schema found at the target.
pub fn limits() -> Vec<(Target, Value)> {
    use Target::{Conditional, Param, Prop, Required};
    let codes = |all: &[&'static str]| all.to_vec();
    let light = filter_of(Light::ALL.iter().map(|l| l.code()));
    let status = filter_of(Status::ALL.iter().map(|s| s.code()));
    let role = filter_of(codes(&[
        AssignmentRole::Lead.code(),
        AssignmentRole::Support.code(),
    ]));
    let org_kind = filter_of(OrgKind::ALL.iter().map(|k| k.code()));
    let activity_kind = filter_of(ActivityKind::ALL.iter().map(|k| k.code()));
    let year = json!({ "type": "integer", "minimum": 2000, "maximum": 2100 });
    let mut out = Vec::new();
    // The ledger's filters (`AssignmentFilter::check`), on every operation that takes them.
    for op in [
        "GET /api/v1/assignments",
        "GET /api/v1/assignments/export.xlsx",
        "GET /api/v1/assignments/ranking",
        "GET /api/v1/assignments/by-measure",
    ] {
        out.push((Param(op, "measure"), int(1, 99)));
        out.push((Param(op, "task"), int(1, 9999)));
        out.push((Param(op, "light"), light.clone()));
        out.push((Param(op, "status"), status.clone()));
        out.push((Param(op, "role"), role.clone()));
    }
    // `web::page::MAX_PAGE`: a page outside 1–1,000,000 is a 422 on `page`.
    out.push((Param("GET /api/v1/assignments", "page"), int(1, 1_000_000)));
    out.push((
        Param("GET /api/v1/assignments", "per_page"),
        clamped(1, 500, 50),
    ));
    // Deliverable requirements (`deliverables::service::requirements`).
    let req = "GET /api/v1/deliverable-requirements";
    out.push((
        Param(req, "status"),
        filter_of(DeliverableStatus::ALL.iter().map(|s| s.code())),
    ));
    out.push((Param(req, "page"), int(1, 1_000_000)));
    out.push((Param(req, "per_page"), clamped(1, 500, 50)));
    // Duties (`duties::service::list_activities`, `views::parse_year`, `views::filters`,
    // `service::parse_period`, `coverage::service::parse_quarter`).
    let acts = "GET /api/v1/activities";
    out.push((Param(acts, "kind"), activity_kind));
    out.push((Param(acts, "from"), date_or_blank()));
    out.push((Param(acts, "to"), date_or_blank()));
    out.push((Param(acts, "limit"), clamped(1, 1000, 1000)));
    out.push((Param("GET /api/v1/duties/heatmap", "year"), year.clone()));
    out.push((Param("GET /api/v1/duties/scorecard/{person}", "year"), year));
    for op in ["GET /api/v1/duties/heatmap", "GET /api/v1/duties/at-risk"] {
        out.push((Param(op, "kind"), org_kind.clone()));
    }
    for op in [
        "GET /api/v1/duties/compliance",
        "GET /api/v1/duties/compliance.xlsx",
    ] {
        out.push((
            Param(op, "period"),
            json!({ "type": "string", "pattern": PERIOD }),
        ));
    }
    out.push((
        Param("GET /api/v1/duties/coverage", "quarter"),
        json!({ "type": "string", "pattern": format!("^[{WS}]*({QUARTER_BODY})?[{WS}]*$") }),
    ));
    // `web::forms::bool_from_any`: `true`, `on`, `1` … are yes, anything else no.
    for name in ["supervising", "include_retired", "include_enterprises"] {
        out.push((
            Param("GET /api/v1/orgs", name),
            json!({ "type": "string",
            "enum": ["", "true", "on", "1", "yes", "false", "off", "0", "no"] }),
        ));
    }
    out.push((Param("GET /api/v1/orgs", "page"), int(1, 1_000_000)));
    out.push((
        Param("GET /api/v1/orgs", "per_page"),
        clamped(1, 1000, 1000),
    ));
    let inspections = "GET /api/v1/inspections";
    out.push((Param(inspections, "page"), int(1, 1_000_000)));
    out.push((Param(inspections, "per_page"), clamped(1, 500, 50)));
    out.push((
        Param("GET /api/v1/enterprises/{id}/risk-points", "retired"),
        json!({ "type": "string",
        "enum": ["", "true", "on", "1", "yes", "false", "off", "0", "no"] }),
    ));
    hazards(&mut out);
    listings(&mut out);
    reports(&mut out);
    risks(&mut out);
    accidents::limits(&mut out);
    accidents::concealment_limits(&mut out);
    // Bodies.
    out.push((
        Prop("LoginRequest", "username"),
        json!({ "type": "string", "pattern": NON_BLANK }),
    ));
    out.push((
        Prop("LoginRequest", "password"),
        json!({ "type": "string", "minLength": 1 }),
    ));
    out.push((Prop("CreateTokenRequest", "name"), text(100, true)));
    out.push((Prop("CreateTokenRequest", "days"), int(1, 3650)));
    out.push((Prop("CreateTokenRequest", "role"),
              json!({ "type": "string", "enum": std::iter::once("").chain(Role::ALL.iter().map(|r| r.code())).collect::<Vec<_>>() })));
    for (schema, field, max) in [
        ("AcceptLateInput", "reason", 1000),
        ("ChangeInput", "reason", 500),
    ] {
        out.push((Prop(schema, field), text(max, true)));
        out.push((Required(schema), json!(field)));
    }
    out.push((Prop("ChangeInput", "end"), date_or_blank()));
    out.push((Prop("VacateInput", "end_date"), date_or_blank()));
    out.push((Prop("AssignInput", "start_date"), date_or_blank()));
    // Organisations and people (`orgs::model::NewOrgInput::parse`,
    // `people::service::create_person`).
    out.push((
        Prop("NewOrgInput", "code"),
        json!({ "type": "string",
        "pattern": format!("^[{WS}]*[A-Za-z0-9_-]{{1,40}}[{WS}]*$") }),
    ));
    out.push((Prop("NewOrgInput", "name"), text(100, true)));
    out.push((Prop("NewOrgInput", "short_name"), text(40, false)));
    out.push((Prop("NewOrgInput", "note"), text(500, false)));
    out.push((Prop("NewOrgInput", "region_code"), text(40, true)));
    out.push((
        Prop("NewOrgInput", "kind"),
        vocabulary(OrgKind::ALL.iter().map(|k| k.code())),
    ));
    out.push((
        Prop("NewOrgInput", "sectors"),
        json!({ "type": "array",
        "items": vocabulary(Sector::ALL.iter().map(|s| s.code())) }),
    ));
    out.push((Prop("NewPersonInput", "name"), text(50, true)));
    out.push((Prop("NewPersonInput", "note"), text(200, false)));
    // Reviews (`review::service::verdict`): `accept` or `return`; a return needs a comment.
    let schema = "DecisionInput";
    out.push((Prop(schema, "decision"), vocabulary(["accept", "return"])));
    out.push((
        Prop(schema, "comment"),
        text(crate::review::service::COMMENT_MAX, false),
    ));
    out.push((Conditional(schema), json!({
        "if": { "properties": { "decision": { "pattern": format!("^[{WS}]*return[{WS}]*$") } } },
        "then": { "required": ["comment"],
                  "properties": { "comment": text(crate::review::service::COMMENT_MAX, true) } }
    })));
    // What a report or a submission says (`review::service::draft`).
    out.push((
        Prop("ReportInput", "text"),
        text(crate::review::service::BODY_MAX, true),
    ));
    out.push((
        Prop("SubmitInput", "note"),
        text(crate::review::service::BODY_MAX, true),
    ));
    out.push((Prop("RenameInput", "name"), text(100, true)));
    // Activities, coverage and sensitive periods (`duties::service`, `coverage::service`,
    // `duties::sensitive`).
    out.push((
        Prop("NewActivityInput", "kind"),
        vocabulary(ActivityKind::ALL.iter().map(|k| k.code())),
    ));
    out.push((Prop("NewActivityInput", "title"), text(200, true)));
    for field in ["participants", "topics", "places"] {
        out.push((Prop("NewActivityInput", field), text(2000, false)));
    }
    out.push((Prop("NewActivityInput", "findings"), text(5000, false)));
    out.push((Prop("NewActivityInput", "area_code"), text(60, false)));
    out.push((Prop("NewActivityInput", "date"), date()));
    out.push((
        Prop("CoverageInput", "area_kind"),
        vocabulary(["region", "sector"]),
    ));
    out.push((Prop("CoverageInput", "area_code"), text(60, true)));
    out.push((Prop("CoverageInput", "note"), text(500, false)));
    out.push((Prop("SensitiveInput", "name"), text(100, true)));
    out.push((Prop("SensitiveInput", "start"), date()));
    out.push((Prop("SensitiveInput", "end"), date()));
    out.push((
        Prop("SensitiveInput", "rules"),
        json!({ "type": "array", "minItems": 1, "maxItems": 3 }),
    ));
    // Duty rules (`duties::rules::apply_terms`, `valid_code`): values are trimmed first.
    out.push((
        Prop("RuleInput", "code"),
        json!({ "type": "string",
        "pattern": format!("^[{WS}]*[a-z0-9_]{{3,60}}[{WS}]*$") }),
    ));
    out.push((
        Prop("RuleInput", "holder"),
        vocabulary(HolderSelector::ALL.iter().map(|h| h.code())),
    ));
    out.push((
        Prop("RuleInput", "period"),
        vocabulary(PeriodKind::ALL.iter().map(|p| p.code())),
    ));
    out.push((Prop("RuleInput", "min_count"), int(1, 100)));
    out.push((Prop("RuleInput", "article"), int(0, 50)));
    out.push((Prop("RuleInput", "title_zh"), text(200, true)));
    out.push((Prop("RuleInput", "title_en"), text(200, false)));
    out.push((
        Prop("RuleInput", "kinds"),
        json!({ "type": "array", "minItems": 1,
        "items": vocabulary(ActivityKind::ALL.iter().map(|k| k.code())) }),
    ));
    out
}

/// The error answers every operation can give, and those that depend on the method.
fn error_statuses(method: &str, path: &str, has_body: bool) -> Vec<(&'static str, &'static str)> {
    let mut s = vec![
        (
            "400",
            "the request cannot be read (e.g. a path segment that is not a number)",
        ),
        ("401", "no token, or a bad, expired or revoked one"),
        (
            "403",
            "the role lacks the permission, a read-only token, or a password change / TOTP set-up is due",
        ),
        ("404", "no such object, or outside the caller's data scope"),
        (
            "408",
            "the request took longer than `request_timeout_seconds`",
        ),
        ("422", "invalid input; `fields` names each field"),
        ("500", "unexpected; quote `request_id`"),
        ("503", "the database is unreachable (`Retry-After: 5`)"),
    ];
    if method != "get" {
        s.push(("409", "a rule refuses the change in the current state"));
    }
    if method != "get" || has_body {
        s.push(("413", "the body is larger than the route allows"));
    }
    if path == "/api/v1/auth/login" {
        s.push((
            "429",
            "account locked or too many attempts from this address (`Retry-After: 60`)",
        ));
    }
    s
}

fn error_body_schema() -> Value {
    json!({
        "type": "object",
        "description": "Every error, on every `/api/` path.",
        "required": ["error", "message", "fields", "request_id"],
        "properties": {
            "error": {"type": "string", "description": "stable code: `validation`, `not_found`, `conflict` …"},
            "message": {"type": "string", "description": "in the request's language"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "field → problem; `{}` unless the error is about fields"},
            "request_id": {"type": "string"}
        }
    })
}

/// Applies everything above to the document (as JSON).
pub fn apply(doc: &mut Value) -> Vec<String> {
    let mut missed = Vec::new();
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut);
    if let Some(schemas) = schemas {
        schemas.insert("ErrorBody".into(), error_body_schema());
    }
    let error_content =
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}});
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let Some(op) = op.as_object_mut() else {
                    continue;
                };
                let has_body = op.contains_key("requestBody");
                // An optional body (`Option<T>` in the annotation) is one that may be left
                // out, not a JSON `null`: the extractor reads an empty body as the default.
                if let Some(Value::Object(content)) =
                    op.get_mut("requestBody").and_then(|b| b.get_mut("content"))
                {
                    for media in content.values_mut() {
                        let Some(schema) = media.get_mut("schema") else {
                            continue;
                        };
                        let alternatives = schema.get("oneOf").and_then(Value::as_array).cloned();
                        if let Some(alts) = alternatives {
                            let not_null: Vec<Value> = alts
                                .into_iter()
                                .filter(|a| a.get("type") != Some(&json!("null")))
                                .collect();
                            if not_null.len() == 1 {
                                *schema = not_null[0].clone();
                            }
                        }
                    }
                }
                // Logging in is how a caller gets a token: it needs none.
                if path == "/api/v1/auth/login" {
                    op.insert("security".into(), json!([]));
                }
                let responses = op
                    .entry("responses")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .expect("responses is an object");
                for (status, description) in error_statuses(method, path, has_body) {
                    let r = responses
                        .entry(status)
                        .or_insert_with(|| json!({"description": description}));
                    if let Some(r) = r.as_object_mut() {
                        r.insert("content".into(), error_content.clone());
                    }
                }
            }
        }
    }
    for (op, body) in upload_bodies() {
        let (method, path) = op.split_once(' ').expect("METHOD /path");
        match doc
            .get_mut("paths")
            .and_then(|p| p.get_mut(path))
            .and_then(|i| i.get_mut(method.to_ascii_lowercase()))
            .and_then(Value::as_object_mut)
        {
            Some(o) => {
                o.insert("requestBody".into(), body);
            }
            None => missed.push(format!("{op} body")),
        }
    }
    // The import's 422 carries every cell it could not read, without `request_id`
    // (`policy/import/pages.rs`).
    match doc.pointer_mut(
        "/paths/~1api~1v1~1policies~1import/post/responses/422/content/application~1json",
    ) {
        Some(c) => {
            c["schema"] = json!({
                "type": "object", "required": ["error", "message", "fields"],
                "properties": {
                    "error": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "request_id": {"type": "string"},
                    "rows": {"type": "array", "description": "the rows read, when the file could be read"},
                    "errors": {"type": "array", "items": {"type": "object",
                        "description": "{row, column, letter, text, reason}: a cell the rules cannot read"}}
                }
            });
        }
        None => missed.push("POST /api/v1/policies/import 422".into()),
    }
    // The xlsx imports' 422 lists every problem by row and column (`files::xlsx::refused`).
    for (pointer, op) in [
        (
            "/paths/~1api~1v1~1enterprises~1import/post/responses/422/content/application~1json",
            "POST /api/v1/enterprises/import 422",
        ),
        (
            "/paths/~1api~1v1~1regions~1townships~1import/post/responses/422/content/application~1json",
            "POST /api/v1/regions/townships/import 422",
        ),
    ] {
        match doc.pointer_mut(pointer) {
            Some(c) => {
                c["schema"] = json!({
                    "type": "object", "required": ["error", "message", "fields"],
                    "properties": {
                        "error": {"type": "string"}, "message": {"type": "string"},
                        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                        "request_id": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object",
                            "description": "{row, column, field, message}: a problem in the sheet"}}
                    }
                });
            }
            None => missed.push(op.into()),
        }
    }
    for (op, wrap) in answers() {
        match answer_schema(doc, op) {
            Some(schema) => {
                let items = schema.take();
                let mut w = wrap;
                w["properties"]["items"] = items;
                *schema = w;
            }
            None => missed.push(format!("{op} answer")),
        }
    }
    for (target, limit) in limits() {
        if let Target::Required(schema) = &target {
            match doc.pointer_mut(&format!("/components/schemas/{schema}")) {
                Some(Value::Object(s)) => {
                    let req = s.entry("required").or_insert_with(|| json!([]));
                    if let Some(list) = req.as_array_mut() {
                        list.push(limit.clone());
                    }
                }
                _ => missed.push(format!("{schema} (required)")),
            }
            continue;
        }
        let found = match &target {
            Target::Required(_) => None,
            Target::Conditional(schema) => {
                doc.pointer_mut(&format!("/components/schemas/{schema}"))
            }
            Target::Param(op, name) => param_schema(doc, op, name),
            Target::Prop(schema, prop) => {
                doc.pointer_mut(&format!("/components/schemas/{schema}/properties/{prop}"))
            }
        };
        match found {
            Some(schema) => merge(schema, &limit),
            None => missed.push(match target {
                Target::Required(schema) | Target::Conditional(schema) => schema.to_string(),
                Target::Param(op, name) => format!("{op} parameter {name}"),
                Target::Prop(schema, prop) => format!("{schema}.{prop}"),
            }),
        }
    }
    missed
}

/// The multipart bodies of upload routes whose handlers read the request themselves.
fn upload_bodies() -> Vec<(&'static str, Value)> {
    let file = json!({ "type": "string", "contentMediaType": "application/octet-stream" });
    vec![
        (
            "POST /api/v1/activities/{id}/evidence",
            json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "required": ["files"],
                "properties": { "files": { "type": "array", "minItems": 1, "items": file,
                    "description": "evidence files (PDF, images, office documents; checked by content)" } } } } } }),
        ),
        (
            "POST /api/v1/listings/{id}/delist",
            json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "required": ["note", "files"],
                "properties": {
                    "note": text(crate::review::service::BODY_MAX, true),
                    "files": { "type": "array", "minItems": 1, "items": file,
                    "description": "evidence of the verification (PDF, images, office documents; checked by content)" } } } } } }),
        ),
        (
            "POST /api/v1/policies/import",
            json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object",
                "required": ["file", "code", "doc_number", "title", "issuer", "issued_on"],
                "properties": {
                    "file": { "type": "string", "contentMediaType": "application/octet-stream",
                              "description": "the task table: xlsx or csv (UTF-8), at most 5 MB and 2,000 task rows" },
                    "code": { "type": "string" }, "doc_number": { "type": "string" },
                    "title": { "type": "string" }, "issuer": { "type": "string" },
                    "issued_on": { "type": "string", "description": "`YYYY-MM-DD`" } } } } } }),
        ),
        (
            "POST /api/v1/enterprises/import",
            json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "required": ["file"],
                "properties": { "file": { "type": "string", "contentMediaType": "application/octet-stream",
                    "description": "xlsx filled in from the template: at most 40 MB and 100,000 rows" } } } } } }),
        ),
        (
            "POST /api/v1/regions/townships/import",
            json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "required": ["file"],
                "properties": { "file": { "type": "string", "contentMediaType": "application/octet-stream",
                    "description": "xlsx with the columns 统计用区划代码 and 名称: at most 2 MB" } } } } } }),
        ),
    ]
}

/// Answers annotated as a bare list that are an object around it: the list goes to `items`.
fn answers() -> Vec<(&'static str, Value)> {
    let wrap = |extra: Value| {
        let mut props = json!({"items": {}});
        let mut required = vec![json!("items")];
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            required.push(json!(k.clone()));
            props[k] = v;
        }
        json!({"type": "object", "required": required, "properties": props})
    };
    vec![
        (
            "GET /api/v1/assignments/ranking",
            wrap(
                json!({"policy": {"type": "string"}, "today": {"type": "string", "format": "date"}}),
            ),
        ),
        ("GET /api/v1/assignments/by-measure", wrap(json!({}))),
    ]
}

fn answer_schema<'a>(doc: &'a mut Value, op: &str) -> Option<&'a mut Value> {
    let (method, path) = op.split_once(' ')?;
    doc.get_mut("paths")?
        .get_mut(path)?
        .get_mut(method.to_ascii_lowercase())?
        .pointer_mut("/responses/200/content/application~1json/schema")
        .filter(|s| s.get("type") == Some(&json!("array")))
}

fn param_schema<'a>(doc: &'a mut Value, op: &str, name: &str) -> Option<&'a mut Value> {
    let (method, path) = op.split_once(' ')?;
    let params = doc
        .get_mut("paths")?
        .get_mut(path)?
        .get_mut(method.to_ascii_lowercase())?
        .get_mut("parameters")?
        .as_array_mut()?;
    params
        .iter_mut()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))?
        .get_mut("schema")
}

/// Merges the limit into the schema; an `Option<T>` schema (`type: [T, "null"]`) keeps the
/// null.
fn merge(schema: &mut Value, limit: &Value) {
    let nullable = schema
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|t| t.iter().any(|x| x == "null"));
    let Some(target) = schema.as_object_mut() else {
        return;
    };
    let Some(limit) = limit.as_object() else {
        return;
    };
    for (k, v) in limit {
        target.insert(k.clone(), v.clone());
    }
    if nullable {
        if let Some(t) = limit.get("type").and_then(Value::as_str) {
            target.insert("type".into(), json!([t, "null"]));
        }
        if let Some(Value::Array(values)) = target.get_mut("enum") {
            values.push(Value::Null);
        }
    }
}

#[cfg(test)]
mod tests {
    use utoipa::OpenApi;

    /// Building the document applies the contract; in a debug build a limit, answer or body
    /// that finds no target (a renamed parameter, field or operation) panics there. The
    /// integration test `api::every_operation_declares_its_error_answers_with_the_error_body`
    /// checks the served document operation by operation.
    #[test]
    fn every_limit_finds_its_target() {
        let doc = serde_json::to_value(super::super::ApiDoc::openapi()).unwrap();
        assert!(doc["components"]["schemas"]["ErrorBody"]["required"].is_array());
        let mut again = doc.clone();
        // Applied a second time, only the answers already wrapped and the required names
        // already listed differ; every parameter and property is still there.
        let missed = super::apply(&mut again);
        assert!(
            missed.iter().all(|m| m.ends_with(" answer")),
            "limits that found no target: {missed:?}"
        );
    }
}
