//! Enterprises: what is sent, what is stored, what is shown.

use anwei_rules::campaign::PlaceType;
use anwei_rules::enterprise::{Industry, Management, Scale};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::OrgId;
use crate::web::extract::text;

/// A new enterprise, as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewEnterpriseInput {
    /// 企业名称.
    pub name: String,
    /// 统一社会信用代码 (GB 32100-2015), 18 characters; its check character is verified.
    pub credit_code: String,
    /// The county-level region (GB/T 2260), e.g. `220502`.
    pub region_code: String,
    /// GB/T 4754-2017: a division such as `C26`, or a section such as `C`.
    pub industry: String,
    #[serde(default)]
    pub address: String,
    /// `large`, `medium`, `small`, `micro`, or blank.
    #[serde(default)]
    pub scale: String,
    /// 中省属: a central or provincial enterprise.
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub central_provincial: bool,
    /// 分级属地: `city` or `county` (default).
    #[serde(default)]
    pub management: String,
    /// 重大危险源: holds a major hazard source.
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub major_hazard_source: bool,
    /// 主要负责人.
    #[serde(default)]
    pub principal_name: String,
    /// The principal's 居民身份证号码 (GB 11643-1999, check digit verified); stored sealed,
    /// shown masked, revealed only with a reason (audited).
    #[serde(default)]
    pub principal_id_number: String,
    /// Place types (人员密集场所 …): codes of `anwei_rules::campaign::PlaceType`, a JSON list or
    /// comma-separated.
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub place_types: Vec<String>,
}

/// A checked new enterprise.
#[derive(Debug, Clone)]
pub struct NewEnterprise {
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub industry: Industry,
    pub address: String,
    pub scale: Option<Scale>,
    pub central_provincial: bool,
    pub management: Management,
    pub major_hazard_source: bool,
    pub principal_name: String,
    /// Normalised and checked; empty when not given.
    pub principal_id_number: String,
    pub place_types: Vec<PlaceType>,
}

/// A code's problem as a message naming what is wrong.
pub fn code_problem(p: &anwei_rules::enterprise::CodeProblem) -> Msg {
    use anwei_rules::enterprise::CodeProblem::*;
    let m = Msg::new(p.key());
    match p {
        WrongLength { expected, found } => m.with("expected", expected).with("found", found),
        IllegalCharacter {
            position,
            character,
        } => m.with("position", position).with("character", character),
        WrongCheck { expected, found } => m.with("expected", expected).with("found", found),
        BadBirthDate { text } => m.with("text", text),
    }
}

impl NewEnterpriseInput {
    /// Checks every field; every problem is reported at once, each naming its field.
    pub fn parse(&self) -> Result<NewEnterprise, AppError> {
        let mut e = Vec::new();
        let name = text("name", &self.name, 100, true, &mut e);
        let credit_code = anwei_rules::enterprise::normalise_credit_code(&self.credit_code);
        if let Err(p) = anwei_rules::enterprise::credit_code_valid(&credit_code) {
            e.push(("credit_code".into(), code_problem(&p)));
        }
        let region_code = text("region_code", &self.region_code, 40, true, &mut e);
        let industry = Industry::parse(self.industry.trim().to_uppercase().as_str());
        if industry.is_none() {
            e.push(("industry".into(), Msg::new("enterprise.industry_unknown")));
        }
        let address = text("address", &self.address, 200, false, &mut e);
        let scale = match self.scale.trim() {
            "" => None,
            s => {
                let v = Scale::parse(s);
                if v.is_none() {
                    e.push(("scale".into(), Msg::new("enterprise.scale_unknown")));
                }
                v
            }
        };
        let management = match self.management.trim() {
            "" => Some(Management::County),
            s => Management::parse(s),
        };
        if management.is_none() {
            e.push((
                "management".into(),
                Msg::new("enterprise.management_unknown"),
            ));
        }
        let principal_name = text("principal_name", &self.principal_name, 50, false, &mut e);
        let principal_id_number = anwei_rules::enterprise::normalise(&self.principal_id_number);
        if !principal_id_number.is_empty()
            && let Err(p) = anwei_rules::enterprise::id_number_valid(&principal_id_number)
        {
            e.push(("principal_id_number".into(), code_problem(&p)));
        }
        let place_types = parse_place_types(&self.place_types, &mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewEnterprise {
            name,
            credit_code,
            region_code,
            industry: industry.expect("checked"),
            address,
            scale,
            central_provincial: self.central_provincial,
            management: management.expect("checked"),
            major_hazard_source: self.major_hazard_source,
            principal_name,
            principal_id_number,
            place_types,
        })
    }
}

/// Place-type codes as sent: every code known (else a problem naming `place_types`).
pub fn parse_place_types(codes: &[String], e: &mut Vec<(String, Msg)>) -> Vec<PlaceType> {
    match anwei_rules::campaign::parse_place_types(&codes.join(",")) {
        Ok(t) => t,
        Err(code) => {
            e.push((
                "place_types".into(),
                Msg::new("enterprise.place_type_unknown").with("code", code),
            ));
            Vec::new()
        }
    }
}

/// `PUT /api/v1/enterprises/{id}/place-types`: the enterprise's place types, replacing them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PlaceTypesInput {
    /// Codes: crowded_place, high_rise, self_built_house, group_rental, new_business, … (a
    /// JSON list or comma-separated; empty: none).
    #[serde(default, deserialize_with = "crate::web::forms::list_from_any")]
    pub place_types: Vec<String>,
}

/// An enterprise with its organisation and region.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnterpriseRow {
    pub org_id: OrgId,
    pub org_code: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub region_path: String,
    pub credit_code: String,
    pub address: String,
    pub industry: String,
    pub scale: String,
    pub central_provincial: bool,
    pub management: String,
    pub major_hazard_source: bool,
    pub principal_name: String,
    pub principal_id_masked: String,
    /// The risk grade: the highest level of its active risk points; '' when none.
    pub risk_level: String,
    pub created_at: i64,
    /// Place types, comma-separated codes.
    pub place_types: String,
}

/// An enterprise as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseView {
    /// The organisation's id: the `enterprise_id` of its hazards.
    pub id: OrgId,
    pub org_code: String,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    pub industry: String,
    pub industry_name: String,
    pub address: String,
    pub scale: String,
    pub central_provincial: bool,
    pub management: String,
    pub major_hazard_source: bool,
    pub principal_name: String,
    /// The principal's ID number, masked (`220502********1234`); empty when not recorded.
    pub principal_id_masked: String,
    /// The departments supervising it (管行业必须管安全).
    pub supervisors: Vec<SupervisorView>,
    /// The lead department the government named, when none supervises it by its industry.
    pub lead: Option<SupervisorView>,
    /// On the supervision-gap list: no supervising department and no lead named.
    pub gap: bool,
    /// 风险等级: the highest level of its active risk points (`major`, `high`, `general`,
    /// `low`), or null when it has none.
    pub risk_level: Option<String>,
    /// The grade's colour (`red`, `orange`, `yellow`, `blue`), or null.
    pub risk_colour: Option<String>,
    /// Place types (codes of `anwei_rules::campaign::PlaceType`).
    pub place_types: Vec<String>,
    /// The region's materialised path (for scope checks of callers), not shown.
    #[serde(skip)]
    pub region_path: String,
}

impl EnterpriseRow {
    pub fn view(&self) -> EnterpriseView {
        let industry_name = Industry::parse(&self.industry)
            .map(|i| i.name_zh().to_string())
            .unwrap_or_default();
        EnterpriseView {
            id: self.org_id,
            org_code: self.org_code.clone(),
            name: self.name.clone(),
            credit_code: self.credit_code.clone(),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            industry: self.industry.clone(),
            industry_name,
            address: self.address.clone(),
            scale: self.scale.clone(),
            central_provincial: self.central_provincial,
            management: self.management.clone(),
            major_hazard_source: self.major_hazard_source,
            principal_name: self.principal_name.clone(),
            principal_id_masked: self.principal_id_masked.clone(),
            supervisors: Vec::new(),
            lead: None,
            gap: false,
            risk_level: Some(self.risk_level.clone()).filter(|l| !l.is_empty()),
            risk_colour: anwei_rules::risk::RiskLevel::parse(&self.risk_level)
                .map(|l| l.colour().to_string()),
            place_types: self
                .place_types
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            region_path: self.region_path.clone(),
        }
    }
}

/// Filters of the enterprise list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnterpriseFilter {
    /// A region code (GB/T 2260): the enterprises in it and below.
    pub region: Option<String>,
    /// A section (`C`) or a division (`C26`).
    pub industry: Option<String>,
    /// Part of the name or the credit code.
    pub q: Option<String>,
    /// `true`: only the supervision gaps (no department supervises it, no lead named).
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub gap: bool,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A lead-department decision (where no department's sectors cover the enterprise).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LeadRow {
    pub id: i64,
    pub enterprise_id: OrgId,
    pub department_id: OrgId,
    pub department_code: String,
    pub department_name: String,
    /// `authority` (谁主管谁牵头), `main` (谁为主谁牵头), `closest` (谁靠近谁牵头).
    pub principle: String,
    pub reason: String,
    pub decided_by_name: String,
    pub decided_at: i64,
}

/// Naming a lead department, as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LeadInput {
    /// The department's organisation code.
    pub department_code: String,
    /// `authority`, `main` or `closest`.
    pub principle: String,
    /// Why this department.
    pub reason: String,
}

/// A department as an enterprise's supervisor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SupervisorView {
    pub code: String,
    pub name: String,
}

/// Why a protected value is revealed (kept in the audit record).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RevealInput {
    pub reason: String,
}

/// A change to an enterprise (`PATCH`): a field left out stays as it is. Each given field is
/// checked as the create form checks it. The credit code is the enterprise's identity (its
/// organisation's code) and cannot change: sent different, it is a 422. The principal's ID
/// number, given, is sealed again (blank removes it).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EnterprisePatch {
    pub name: Option<String>,
    pub credit_code: Option<String>,
    /// A county's GB/T 2260 code or a township's 12-digit 统计用区划代码, in the caller's scope.
    pub region_code: Option<String>,
    pub industry: Option<String>,
    pub address: Option<String>,
    pub scale: Option<String>,
    pub central_provincial: Option<bool>,
    pub management: Option<String>,
    pub major_hazard_source: Option<bool>,
    pub principal_name: Option<String>,
    pub principal_id_number: Option<String>,
}

/// The edit form on the enterprise's page: every field sent (checkboxes unchecked are not,
/// hence plain flags); a blank ID number leaves the recorded one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EditForm {
    pub name: String,
    pub region_code: String,
    pub industry: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub scale: String,
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub central_provincial: bool,
    #[serde(default)]
    pub management: String,
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub major_hazard_source: bool,
    #[serde(default)]
    pub principal_name: String,
    #[serde(default)]
    pub principal_id_number: String,
}

impl EditForm {
    /// The form as it first shows: the enterprise's values (never its ID number).
    pub fn of(v: &EnterpriseView) -> EditForm {
        EditForm {
            name: v.name.clone(),
            region_code: v.region_code.clone(),
            industry: v.industry.clone(),
            address: v.address.clone(),
            scale: v.scale.clone(),
            central_provincial: v.central_provincial,
            management: v.management.clone(),
            major_hazard_source: v.major_hazard_source,
            principal_name: v.principal_name.clone(),
            principal_id_number: String::new(),
        }
    }

    pub fn patch(&self) -> EnterprisePatch {
        EnterprisePatch {
            name: Some(self.name.clone()),
            credit_code: None,
            region_code: Some(self.region_code.clone()),
            industry: Some(self.industry.clone()),
            address: Some(self.address.clone()),
            scale: Some(self.scale.clone()),
            central_provincial: Some(self.central_provincial),
            management: Some(self.management.clone()),
            major_hazard_source: Some(self.major_hazard_source),
            principal_name: Some(self.principal_name.clone()),
            principal_id_number: Some(self.principal_id_number.clone())
                .filter(|n| !n.trim().is_empty()),
        }
    }
}
