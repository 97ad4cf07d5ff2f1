//! The accident list's filter, as the page and `GET /api/v1/accidents` take it, parsed at the
//! boundary: every bad value is a 422 naming its field.

use anwei_rules::accident::Grade;
use serde::Deserialize;

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::OrgId;
use crate::web::extract::some_text;

/// The flags a verified concealment case sets (瞒报, 谎报, 漏报).
pub const FLAGS: [&str; 3] = ["concealed", "falsified", "omitted"];

/// The reporting states a list may ask for: `reporting` (a hop of the chain is not yet
/// acknowledged), `late` (an open hop is past its limit by the server clock), `reported`
/// (every hop acknowledged or recorded).
pub const STATUSES: [&str; 3] = ["reporting", "late", "reported"];

/// The list's query, text as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccidentFilter {
    /// A region code (GB/T 2260) in the caller's scope: accidents in it and below.
    pub region_code: Option<String>,
    /// `extremely_serious` | `very_serious` | `serious` | `ordinary`.
    pub grade: Option<String>,
    /// `reporting` | `late` | `reported`.
    pub status: Option<String>,
    /// `concealed` (瞒报) | `falsified` (谎报) | `omitted` (漏报).
    pub flag: Option<String>,
    /// The first day (UTC+8, `YYYY-MM-DD`) the accident may have happened on.
    pub from: Option<String>,
    /// The last day (UTC+8, `YYYY-MM-DD`, included).
    pub to: Option<String>,
    /// One enterprise (its organisation id).
    pub enterprise: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The filter parsed: each value known, the days as epoch-ms bounds (`to` exclusive).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub region_code: Option<String>,
    pub grade: Option<&'static str>,
    pub status: Option<&'static str>,
    pub flag: Option<&'static str>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub enterprise: Option<OrgId>,
}

fn known(v: &Option<String>, of: &[&'static str]) -> Result<Option<&'static str>, ()> {
    match some_text(v) {
        None => Ok(None),
        Some(s) => of.iter().find(|k| **k == s).copied().map(Some).ok_or(()),
    }
}

/// The first instant of `day` in UTC+8, epoch ms.
fn day_start(day: chrono::NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::time::tz()).single())
        .map(|t| t.timestamp_millis())
        .unwrap_or_default()
}

impl AccidentFilter {
    pub fn parse(&self) -> Result<Filter, AppError> {
        let mut e: Vec<(String, Msg)> = Vec::new();
        let mut bad = |field: &str, key: &'static str| e.push((field.to_string(), Msg::new(key)));
        let grades: Vec<&'static str> = Grade::ALL.iter().map(|g| g.code()).collect();
        let grade = known(&self.grade, &grades).unwrap_or_else(|()| {
            bad("grade", "accident_list.grade_unknown");
            None
        });
        let status = known(&self.status, &STATUSES).unwrap_or_else(|()| {
            bad("status", "accident_list.status_unknown");
            None
        });
        let flag = known(&self.flag, &FLAGS).unwrap_or_else(|()| {
            bad("flag", "accident_list.flag_unknown");
            None
        });
        let mut day = |field: &str, v: &Option<String>| match some_text(v) {
            None => None,
            Some(s) => {
                let d = crate::time::parse_date(&s);
                if d.is_none() {
                    bad(field, "accident_list.date_invalid");
                }
                d
            }
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.push(("to".to_string(), Msg::new("accident_list.to_before_from")));
        }
        let enterprise = match some_text(&self.enterprise) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(id) if id >= 1 => Some(OrgId(id)),
                _ => {
                    let m = Msg::new("accident_list.enterprise_unknown");
                    e.push(("enterprise".to_string(), m));
                    None
                }
            },
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(Filter {
            region_code: some_text(&self.region_code),
            grade,
            status,
            flag,
            from_ms: from.map(day_start),
            to_ms: to.and_then(|d| d.succ_opt()).map(day_start),
            enterprise,
        })
    }
}
