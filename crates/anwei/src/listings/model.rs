//! Listings: what is sent, what is stored, what is shown; and the board's light.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, Day, FileId, HazardId, ListingId, OrgId, ProgressId};

/// A listing as the office sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ListingInput {
    /// The major hazard to list (its id, as `GET /api/v1/hazards` gives it).
    pub hazard_id: i64,
    /// 督办文号, unique, e.g. `通安委办督〔2026〕3号`.
    pub notice_no: String,
    /// The responsible unit's organisation code, in the office's scope; blank: the government
    /// of the enterprise's region (属地政府).
    #[serde(default)]
    pub responsible_org: String,
    /// YYYY-MM-DD, not before today (the server's date).
    pub deadline: String,
}

/// A monthly progress report (JSON `{"text"}` or multipart `text` + `files`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ProgressInput {
    /// What was done this month (整改进展).
    pub text: String,
}

/// 摘牌: the verification note; the evidence files come as multipart `files` (at least one).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DelistInput {
    /// 核查意见.
    pub note: String,
}

/// A stop-production order (停产停工).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StopOrderInput {
    /// The order's document number.
    pub document_no: String,
    /// YYYY-MM-DD, not after today.
    pub ordered_on: String,
}

/// A referral to the judicial organs (移送司法机关, 刑法第一百三十四条之一 危险作业罪).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReferralInput {
    pub note: String,
}

/// Filters of the board.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListingFilter {
    /// `active` or `delisted`; blank: both, the active first.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A checked listing.
#[derive(Debug, Clone)]
pub struct NewListing {
    pub hazard_id: HazardId,
    pub enterprise_id: OrgId,
    pub region_path: String,
    pub notice_no: String,
    pub supervising_org: OrgId,
    pub responsible_org: OrgId,
    pub deadline: NaiveDate,
    pub listed_on: NaiveDate,
}

/// A listing with the names the board shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListingRow {
    pub id: ListingId,
    pub hazard_id: HazardId,
    pub hazard_description: String,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub region_path: String,
    pub region_code: String,
    pub region_name: String,
    pub notice_no: String,
    pub supervising_org: OrgId,
    pub supervising_org_name: String,
    pub responsible_org: OrgId,
    pub responsible_org_code: String,
    pub responsible_org_name: String,
    pub deadline: Day,
    pub listed_on: Day,
    pub listed_by: AccountId,
    pub listed_by_name: String,
    pub status: String,
    pub delisted_on: Option<Day>,
    pub delisted_by_name: Option<String>,
    pub delisting_note: String,
    pub stop_order_no: String,
    pub stop_order_on: Option<Day>,
    pub referred: bool,
    pub referral_note: String,
}

impl crate::act::Scoped for ListingRow {
    fn scope_org_id(&self) -> OrgId {
        self.enterprise_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

pub const ACTIVE: &str = "active";
pub const DELISTED: &str = "delisted";

/// `YYYY-MM` of a date.
pub fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("the first of a month")
}

/// The calendar months that ended since the listing and need a progress report: from the
/// month after the listing month up to the month before `today`'s.
pub fn months_due(listed_on: NaiveDate, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = first_of_next_month(listed_on);
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a month");
    while m < this_month {
        out.push(month_of(m));
        m = first_of_next_month(m);
    }
    out
}

/// The board's light of a listing: `grey` once delisted; `red` when the deadline passed or
/// a month that ended since the listing has no progress report; otherwise `green`. Also the
/// months missing.
pub fn light(
    status: &str,
    listed_on: NaiveDate,
    deadline: NaiveDate,
    reported: &[String],
    today: NaiveDate,
) -> (&'static str, Vec<String>) {
    if status != ACTIVE {
        return ("grey", Vec::new());
    }
    let missing: Vec<String> = months_due(listed_on, today)
        .into_iter()
        .filter(|m| !reported.contains(m))
        .collect();
    if today > deadline || !missing.is_empty() {
        ("red", missing)
    } else {
        ("green", missing)
    }
}

/// A listing as the API answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingView {
    pub id: ListingId,
    pub notice_no: String,
    pub hazard_id: HazardId,
    pub hazard_description: String,
    pub enterprise_id: OrgId,
    pub enterprise_name: String,
    pub region_code: String,
    pub region_name: String,
    pub supervising_org_name: String,
    pub responsible_org: String,
    pub responsible_org_name: String,
    pub deadline: String,
    pub listed_on: String,
    pub listed_by_name: String,
    /// `active` or `delisted`.
    pub status: String,
    /// `red` (deadline passed, or a month's progress missing), `green`, `grey` (delisted).
    pub light: String,
    /// The ended months (`YYYY-MM`) without a progress report.
    pub missing_months: Vec<String>,
    pub delisted_on: Option<String>,
    pub delisted_by_name: Option<String>,
    pub delisting_note: String,
    /// 停产停工: the order's document number and date, when one was recorded.
    pub stop_order_no: String,
    pub stop_order_on: Option<String>,
    /// 移送司法机关 (刑法第一百三十四条之一).
    pub referred: bool,
    pub referral_note: String,
}

impl ListingRow {
    pub fn view(&self, reported: &[String], today: NaiveDate) -> ListingView {
        let (light, missing) = light(
            &self.status,
            self.listed_on.0,
            self.deadline.0,
            reported,
            today,
        );
        ListingView {
            id: self.id,
            notice_no: self.notice_no.clone(),
            hazard_id: self.hazard_id,
            hazard_description: self.hazard_description.clone(),
            enterprise_id: self.enterprise_id,
            enterprise_name: self.enterprise_name.clone(),
            region_code: self.region_code.clone(),
            region_name: self.region_name.clone(),
            supervising_org_name: self.supervising_org_name.clone(),
            responsible_org: self.responsible_org_code.clone(),
            responsible_org_name: self.responsible_org_name.clone(),
            deadline: self.deadline.0.to_string(),
            listed_on: self.listed_on.0.to_string(),
            listed_by_name: self.listed_by_name.clone(),
            status: self.status.clone(),
            light: light.to_string(),
            missing_months: missing,
            delisted_on: self.delisted_on.map(|d| d.0.to_string()),
            delisted_by_name: self.delisted_by_name.clone(),
            delisting_note: self.delisting_note.clone(),
            stop_order_no: self.stop_order_no.clone(),
            stop_order_on: self.stop_order_on.map(|d| d.0.to_string()),
            referred: self.referred,
            referral_note: self.referral_note.clone(),
        }
    }
}

/// A monthly progress report.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ProgressRow {
    pub id: ProgressId,
    /// `YYYY-MM`.
    pub month: String,
    pub text: String,
    pub reported_by_name: String,
    pub reported_by_org_name: String,
    pub reported_at: i64,
}

/// A file of a listing: a progress report's, or the delisting evidence.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ListingFile {
    pub id: FileId,
    pub progress_id: Option<ProgressId>,
    /// `progress` or `delisting`.
    pub purpose: String,
    pub filename: String,
    pub mime: String,
    pub size: i64,
}

/// A file's bytes: where they are stored, and which listing they belong to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredListingFile {
    pub listing_id: ListingId,
    pub sha256: String,
    pub filename: String,
    pub mime: String,
}

/// A public notice (挂牌 / 摘牌公告): no person, no internal id.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicNotice {
    pub notice_no: String,
    pub enterprise_name: String,
    pub region_name: String,
    pub listed_on: Day,
    pub delisted_on: Option<Day>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_first_month_due_is_the_one_after_the_listing_month() {
        assert!(months_due(d("2026-03-15"), d("2026-04-30")).is_empty());
        assert_eq!(months_due(d("2026-03-15"), d("2026-05-01")), ["2026-04"]);
        assert_eq!(
            months_due(d("2025-11-30"), d("2026-02-10")),
            ["2025-12", "2026-01"]
        );
    }

    #[test]
    fn the_light_is_red_on_a_missed_month_or_a_passed_deadline_and_grey_once_delisted() {
        let listed = d("2026-03-15");
        let deadline = d("2026-12-31");
        assert_eq!(
            light(ACTIVE, listed, deadline, &[], d("2026-04-20")).0,
            "green"
        );
        let (l, missing) = light(ACTIVE, listed, deadline, &[], d("2026-05-02"));
        assert_eq!((l, missing), ("red", vec!["2026-04".to_string()]));
        let done = vec!["2026-04".to_string()];
        assert_eq!(
            light(ACTIVE, listed, deadline, &done, d("2026-05-02")).0,
            "green"
        );
        assert_eq!(
            light(ACTIVE, listed, d("2026-04-01"), &[], d("2026-04-02")).0,
            "red"
        );
        assert_eq!(
            light(DELISTED, listed, deadline, &[], d("2027-05-02")).0,
            "grey"
        );
    }
}
