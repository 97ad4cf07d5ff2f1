//! The committee's time zone. China has used one offset (UTC+8) without daylight saving
//! since 1991, so a fixed offset is exact for every date Anwei handles.

use chrono::{FixedOffset, NaiveDate, Utc};

pub fn tz() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A calendar date written `YYYY-MM-DD` exactly (four-digit year, two-digit month and day)
/// in the years 1900–2999: `2026-2-3` and `0000-01-01` are not dates anyone means.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    let t = text.trim();
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2999).contains(&d.year()))
}

/// The day (Asia/Shanghai) of an instant in epoch milliseconds.
pub fn shanghai_date(ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz())
        .date_naive()
}

/// Today's date in Asia/Shanghai by the server's clock.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&tz()).date_naive()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_read_strictly() {
        assert!(super::parse_date("2026-02-03").is_some());
        for bad in [
            "2026-2-3",
            "0000-01-01",
            "2026/02/03",
            "2026-02-30",
            "+026-02-03",
            "",
            "3000-01-01",
        ] {
            assert!(super::parse_date(bad).is_none(), "{bad}");
        }
    }
}
