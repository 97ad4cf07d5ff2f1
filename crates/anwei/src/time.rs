//! The committee's time zone. China has used one offset (UTC+8) without daylight saving
//! since 1991, so a fixed offset is exact for every date Anwei handles.

use chrono::{FixedOffset, NaiveDate, Utc};

pub fn tz() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A calendar date written `YYYY-MM-DD` exactly (four-digit year, two-digit month and day).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if t.len() != 10 || t.as_bytes()[4] != b'-' || t.as_bytes()[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Today's date in Asia/Shanghai by the server's clock.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&tz()).date_naive()
}
