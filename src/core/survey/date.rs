//! Calendar dates without a clock: parsing GOV.UK day/month/year parts and comparing.
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    /// Four-digit year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

impl Date {
    /// A date if the parts form a real one (leap years included).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Self {
            year,
            month,
            day,
        })
    }

    /// Parses `YYYY-MM-DD`, the form used in survey files and responses.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days from 1970-01-01 to this date (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days-from-civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The civil date of a Unix time in milliseconds (UTC), computed without a calendar crate.
    pub fn from_unix_ms(ms: f64) -> Self {
        // Howard Hinnant's days-from-civil inverse; exact for the whole i64 day range.
        let days = (ms / 86_400_000.0).floor() as i64;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }
}

/// An RFC 3339 UTC timestamp with milliseconds, e.g. `2026-11-26T15:04:05.123Z`.
pub fn iso_timestamp(ms: f64) -> String {
    let date = Date::from_unix_ms(ms);
    let in_day = (ms - (ms / 86_400_000.0).floor() * 86_400_000.0) as u64;
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{date}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_inverts_from_unix_ms() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 20_418, 2_932_896] {
            let date = Date::from_unix_ms(days as f64 * 86_400_000.0);
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(iso_timestamp(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_timestamp(1_795_705_445_123.0), "2026-11-26T15:04:05.123Z");
        assert_eq!(iso_timestamp(951_782_400_000.0 - 1.0), "2000-02-28T23:59:59.999Z");
    }

    #[test]
    fn real_dates_only() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2026, 4, 31).is_none());
        assert!(Date::new(2026, 13, 1).is_none());
        assert!(Date::new(2026, 1, 0).is_none());
    }

    #[test]
    fn iso_round_trip() {
        let d = Date::parse_iso("2026-11-26");
        assert_eq!(d, Date::new(2026, 11, 26));
        assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2026-11-26"));
        assert_eq!(Date::parse_iso("2026-1-26"), None);
        assert_eq!(Date::parse_iso("2026-02-30"), None);
    }

    #[test]
    fn unix_ms_to_date() {
        assert_eq!(
            Date::from_unix_ms(0.0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        // 2026-11-26T13:59:25Z
        assert_eq!(
            Date::from_unix_ms(1_795_701_565_000.0),
            Date {
                year: 2026,
                month: 11,
                day: 26
            }
        );
        // 2024-02-29T23:59:59Z
        assert_eq!(
            Date::from_unix_ms(1_709_251_199_000.0),
            Date {
                year: 2024,
                month: 2,
                day: 29
            }
        );
    }
}
