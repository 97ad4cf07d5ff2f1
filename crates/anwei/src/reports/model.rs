//! Reports (举报): what the reporter or the office sends, what is stored, what each side sees.

use anwei_rules::report::{Category, Channel, Finding, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{OrgId, RegionId, ReportId};
use crate::web::extract::text;

/// Who the reporter says they are, when not anonymous. Sealed whole; never shown but to the
/// identity custodian.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReporterInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// 居民身份证号码, optional; checked (GB 11643) when given.
    #[serde(default)]
    pub id_number: String,
}

/// `POST /api/v1/public/reports` (and the `/report` form, and the office's entry of a report
/// received by phone, letter or visit).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewReportInput {
    /// `major_hazard`, `violation`, `concealment`, `illegal_operation`, `other`.
    #[serde(default)]
    pub category: String,
    /// 举报内容.
    #[serde(default)]
    pub description: String,
    /// The county-level region (GB/T 2260), e.g. `220502`.
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub address: String,
    /// The unit reported, if known.
    #[serde(default)]
    pub unit_name: String,
    /// YYYY-MM-DD, not after today; blank when unknown.
    #[serde(default)]
    pub occurred_on: String,
    /// The reporter works at the unit (吹哨人).
    #[serde(default, deserialize_with = "crate::web::forms::bool_from_any")]
    pub employee: bool,
    /// No name is given (the default): then `reporter` must be empty.
    #[serde(default = "yes", deserialize_with = "crate::web::forms::bool_from_any")]
    pub anonymous: bool,
    #[serde(default)]
    pub reporter: Option<ReporterInput>,
    /// The office only: how the report came in (`phone`, `letter`, `visit`).
    #[serde(default)]
    pub channel: String,
    /// 防刷验证 (public only): a solved challenge of `GET /api/v1/public/reports/challenge`.
    /// Without one the report still goes in, under the strict per-address limit; a wrong,
    /// expired or reused one is refused (422, `pow`).
    #[serde(default)]
    pub pow: Option<super::pow::Solution>,
}

fn yes() -> bool {
    true
}

/// A checked new report.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub category: Category,
    pub description: String,
    pub region_code: String,
    pub address: String,
    pub unit_name: String,
    pub occurred_on: Option<NaiveDate>,
    pub employee: bool,
    /// The identity to seal, as JSON text; `None` when anonymous.
    pub identity: Option<String>,
}

impl NewReportInput {
    /// Checks every field; each problem names its field, all at once. The identity fields are
    /// named `reporter.name` and so on, and their values never appear in a message.
    pub fn parse(&self, today: NaiveDate) -> Result<NewReport, AppError> {
        let mut e = Vec::new();
        let category = Category::parse(self.category.trim());
        if category.is_none() {
            e.push(("category".into(), Msg::new("reports.category_unknown")));
        }
        let description = text("description", &self.description, 5000, true, &mut e);
        let region_code = text("region_code", &self.region_code, 12, true, &mut e);
        let address = text("address", &self.address, 200, false, &mut e);
        let unit_name = text("unit_name", &self.unit_name, 100, false, &mut e);
        let occurred_on = match self.occurred_on.trim() {
            "" => None,
            s => match crate::time::parse_date(s) {
                None => {
                    e.push(("occurred_on".into(), Msg::new("error.date_format")));
                    None
                }
                Some(d) if d > today => {
                    e.push(("occurred_on".into(), Msg::new("reports.in_future")));
                    None
                }
                d => d,
            },
        };
        let identity = self.identity(&mut e);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewReport {
            category: category.expect("checked"),
            description,
            region_code,
            address,
            unit_name,
            occurred_on,
            employee: self.employee,
            identity,
        })
    }

    fn identity(&self, e: &mut Vec<(String, Msg)>) -> Option<String> {
        let r = self.reporter.clone().unwrap_or_default();
        let given = [&r.name, &r.phone, &r.id_number]
            .iter()
            .any(|v| !v.trim().is_empty());
        if self.anonymous {
            if given {
                e.push((
                    "reporter".into(),
                    Msg::new("reports.anonymous_with_identity"),
                ));
            }
            return None;
        }
        let name = text("reporter.name", &r.name, 50, true, e);
        let phone = text("reporter.phone", &r.phone, 30, true, e);
        if !phone.is_empty()
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
        {
            e.push(("reporter.phone".into(), Msg::new("reports.phone_format")));
        }
        let id_number = anwei_rules::enterprise::normalise(&r.id_number);
        if !id_number.is_empty() && anwei_rules::enterprise::id_number_valid(&id_number).is_err() {
            // Never the value, nor which character is wrong: the number is the reporter's.
            e.push((
                "reporter.id_number".into(),
                Msg::new("reports.id_number_invalid"),
            ));
        }
        Some(serde_json::json!({"name": name, "phone": phone, "id_number": id_number}).to_string())
    }
}

/// A stored report, without its identity (which only the custodian opens).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: ReportId,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub region_id: RegionId,
    pub region_path: String,
    pub region_code: String,
    pub region_name: String,
    pub address: String,
    pub unit_name: String,
    pub description: String,
    pub occurred_on: String,
    pub employee: bool,
    pub anonymous: bool,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub handler_org_id: Option<OrgId>,
    pub handler_name: Option<String>,
    pub verify_due: Option<String>,
    pub finding: String,
    pub answer: String,
    pub answer_due: Option<String>,
    pub received_on: String,
    pub created_at: i64,
    /// The industry the office set at triage (GB/T 4754; blank: none).
    pub industry: String,
    /// The region path of the side keeping the right to reveal the identity (blank: the
    /// report's own territory); see `transfer`.
    pub identity_path: String,
}

impl ReportRow {
    pub fn finding(&self) -> Option<Finding> {
        Finding::parse(&self.finding)
    }

    /// Overdue: past its verification deadline while verifying, or past its answer deadline
    /// once verified (the deadline day itself counts).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        let past = |d: &Option<String>| {
            d.as_deref()
                .and_then(crate::time::parse_date)
                .is_some_and(|d| today > d)
        };
        match self.status {
            Status::Verifying => past(&self.verify_due),
            Status::Verified => past(&self.answer_due),
            _ => false,
        }
    }

    pub fn view(&self, today: NaiveDate) -> ReportView {
        ReportView {
            id: self.id,
            channel: self.channel.code(),
            category: self.category.code(),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            address: self.address.clone(),
            unit_name: self.unit_name.clone(),
            description: self.description.clone(),
            occurred_on: self.occurred_on.clone(),
            employee: self.employee,
            anonymous: self.anonymous,
            status: self.status.code(),
            handler_org_id: self.handler_org_id,
            handler_name: self.handler_name.clone(),
            verify_due: self.verify_due.clone(),
            finding: self.finding.clone(),
            answer: self.answer.clone(),
            answer_due: self.answer_due.clone(),
            received_on: self.received_on.clone(),
            overdue: self.overdue(today),
            industry: self.industry.clone(),
        }
    }
}

/// A report as handlers see it: never the identity, only whether one was given.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: ReportId,
    pub channel: &'static str,
    pub category: &'static str,
    pub region_code: String,
    pub region_name: String,
    pub address: String,
    pub unit_name: String,
    pub description: String,
    pub occurred_on: String,
    pub employee: bool,
    pub anonymous: bool,
    pub status: &'static str,
    pub handler_org_id: Option<OrgId>,
    pub handler_name: Option<String>,
    pub verify_due: Option<String>,
    pub finding: String,
    pub answer: String,
    pub answer_due: Option<String>,
    pub received_on: String,
    pub overdue: bool,
    /// The industry the office set at triage (GB/T 4754 section or division; blank: none).
    pub industry: String,
}

/// A step of handling as kept.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct StepRow {
    pub step: String,
    pub note: String,
    pub org_name: Option<String>,
    pub account_name: String,
    pub at: i64,
}

/// A message as kept. `author` is the handler's display name for a handler's message, empty
/// for the reporter's.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct MessageRow {
    pub from_reporter: bool,
    #[serde(skip)]
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// What the reporter sees with the receipt code: no internal ids, no handler names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowView {
    /// How many files the reporter attached (never their names).
    pub attachments: i64,
    pub status: &'static str,
    pub category: &'static str,
    pub received_on: String,
    pub answer: String,
    pub messages: Vec<PublicMessage>,
    /// The approved reward and, until paid, the payout code to present (举报奖励).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reward: Option<super::rewards::model::PublicReward>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicMessage {
    /// `reporter` or `handler`.
    pub from: &'static str,
    pub body: String,
    pub created_at: i64,
}

/// A handling step as sent: `note` is the reason (不予受理), the finding's note (核查) or the
/// answer (答复); `department_code` names the department (转办); `finding` is `true`,
/// `partly` or `false` (核查).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StepInput {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub department_code: String,
    #[serde(default)]
    pub finding: String,
    /// 受理 or 转办 (the office): the industry (GB/T 4754 section or division) when the report
    /// names no registered enterprise; it drives the suggested departments.
    #[serde(default)]
    pub industry: String,
}

/// A message to or from the reporter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MessageInput {
    #[serde(default)]
    pub body: String,
}

/// `POST /api/v1/reports/{id}/reveal`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct IdentityRevealInput {
    #[serde(default)]
    pub reason: String,
}

/// The revealed identity.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Identity {
    pub name: String,
    pub phone: String,
    pub id_number: String,
}

/// `GET /api/v1/reports` filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ReportFilter {
    pub status: Option<String>,
    pub category: Option<String>,
    pub region: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Only the overdue (past the verification or answer deadline), by the server's date.
    pub overdue: Option<bool>,
}
