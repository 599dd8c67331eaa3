//! Calendar dates, wall-clock times and the time zones Saha schedules in.
//!
//! Meetings, calls and working hours are written in local wall-clock time
//! (`YYYY-MM-DDTHH:MM`, what `<input type=datetime-local>` sends) together with an IANA
//! time-zone name; clocks and the wire use milliseconds since the Unix epoch. This module
//! converts between the two. Turkey has kept UTC+03:00 all year since 2016, so the zones
//! supported are those without daylight-saving time ([`ZONES`]); any other name is
//! refused with [`Problem::UnknownTimeZone`] rather than guessed.

use crate::text::validate::Problem;

/// The workspace default time zone.
pub const ISTANBUL: &str = "Europe/Istanbul";

/// Supported time zones and their fixed UTC offsets in minutes (none of them observes
/// daylight-saving time today).
pub const ZONES: &[(&str, i32)] = &[
    ("Europe/Istanbul", 180),
    ("UTC", 0),
    ("Europe/Moscow", 180),
    ("Europe/Minsk", 180),
    ("Asia/Baghdad", 180),
    ("Asia/Riyadh", 180),
    ("Asia/Qatar", 180),
    ("Asia/Baku", 240),
    ("Asia/Tbilisi", 240),
    ("Asia/Yerevan", 240),
    ("Asia/Dubai", 240),
    ("Asia/Tashkent", 300),
    ("Asia/Almaty", 300),
];

const MINUTE_MS: i64 = 60_000;
const DAY_MINUTES: i64 = 24 * 60;
const DAY_MS: i64 = DAY_MINUTES * MINUTE_MS;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The two-letter code RFC 5545 uses (`MO` … `SU`).
    pub fn ical(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self.index()]
    }

    pub fn from_ical(code: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.ical() == code)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |s: &str| -> Option<u32> {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = number(&text[0..4])? as i32;
        Date::new(year, number(&text[5..7])?, number(&text[8..10])?)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (`civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.days_since_epoch() + 3).rem_euclid(7) as usize]
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// The same day `months` months later, if that day exists.
    pub fn add_months(self, months: i64) -> Option<Date> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        Date::new(
            index.div_euclid(12) as i32,
            index.rem_euclid(12) as u32 + 1,
            self.day,
        )
    }

    /// The Monday of the date's ISO week.
    pub fn monday(self) -> Date {
        self.add_days(-(self.weekday().index() as i64))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A wall-clock date and time to the minute, in no particular zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    pub date: Date,
    /// Minutes since midnight, 0‥1439.
    pub minute: u32,
}

impl LocalDateTime {
    pub fn new(date: Date, hour: u32, minute: u32) -> Option<LocalDateTime> {
        (hour < 24 && minute < 60).then_some(LocalDateTime {
            date,
            minute: hour * 60 + minute,
        })
    }

    /// Parses `YYYY-MM-DDTHH:MM` (seconds, if given as `:SS`, must be zero or are
    /// dropped); a space may stand for the `T`.
    pub fn parse(text: &str) -> Option<LocalDateTime> {
        let text = text.trim();
        if text.len() < 16 || !text.is_char_boundary(10) || !text.is_char_boundary(16) {
            return None;
        }
        let (date, rest) = text.split_at(10);
        let date = Date::parse(date)?;
        let rest = rest.strip_prefix(['T', ' '])?;
        let (hh, mm) = rest.get(0..5)?.split_once(':')?;
        let seconds = &rest[5..];
        if !(seconds.is_empty()
            || (seconds.len() == 3
                && seconds.starts_with(':')
                && seconds[1..].bytes().all(|b| b.is_ascii_digit())))
        {
            return None;
        }
        let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(hh) || !digits(mm) {
            return None;
        }
        LocalDateTime::new(date, hh.parse().ok()?, mm.parse().ok()?)
    }

    pub fn hour(self) -> u32 {
        self.minute / 60
    }

    /// Minutes since 1970-01-01T00:00 on this wall clock.
    pub fn minutes_since_epoch(self) -> i64 {
        self.date.days_since_epoch() * DAY_MINUTES + i64::from(self.minute)
    }

    pub fn from_minutes_since_epoch(minutes: i64) -> LocalDateTime {
        LocalDateTime {
            date: Date::from_days_since_epoch(minutes.div_euclid(DAY_MINUTES)),
            minute: minutes.rem_euclid(DAY_MINUTES) as u32,
        }
    }

    pub fn add_minutes(self, minutes: i64) -> LocalDateTime {
        LocalDateTime::from_minutes_since_epoch(self.minutes_since_epoch() + minutes)
    }

    /// `HH:MM`.
    pub fn time_text(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }
}

impl std::fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}T{}", self.date, self.time_text())
    }
}

/// A supported time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub name: &'static str,
    /// Offset from UTC in minutes.
    pub offset_minutes: i32,
}

impl Zone {
    pub const UTC: Zone = Zone {
        name: "UTC",
        offset_minutes: 0,
    };

    /// The zone called `name` (IANA), if supported; an empty name is Istanbul.
    pub fn named(name: &str) -> Result<Zone, Problem> {
        let name = name.trim();
        let name = if name.is_empty() { ISTANBUL } else { name };
        ZONES
            .iter()
            .find(|(zone, _)| *zone == name)
            .map(|&(name, offset_minutes)| Zone {
                name,
                offset_minutes,
            })
            .ok_or(Problem::UnknownTimeZone)
    }

    pub fn istanbul() -> Zone {
        Zone {
            name: ISTANBUL,
            offset_minutes: 180,
        }
    }

    /// The instant (ms since the epoch) of a wall-clock time in this zone.
    pub fn to_utc_ms(self, local: LocalDateTime) -> i64 {
        (local.minutes_since_epoch() - i64::from(self.offset_minutes)) * MINUTE_MS
    }

    /// The wall-clock time of an instant in this zone, to the minute (rounded down).
    pub fn local(self, utc_ms: i64) -> LocalDateTime {
        LocalDateTime::from_minutes_since_epoch(
            utc_ms.div_euclid(MINUTE_MS) + i64::from(self.offset_minutes),
        )
    }

    /// The instant local midnight starts `date`.
    pub fn start_of_day_ms(self, date: Date) -> i64 {
        date.days_since_epoch() * DAY_MS - i64::from(self.offset_minutes) * MINUTE_MS
    }

    /// `+0300` as RFC 5545 writes offsets.
    pub fn ical_offset(self) -> String {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let m = self.offset_minutes.unsigned_abs();
        format!("{sign}{:02}{:02}", m / 60, m % 60)
    }
}

/// A validated `YYYY-MM-DDTHH:MM` form value ("" stays "").
pub fn date_time(input: &str) -> Result<String, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    match LocalDateTime::parse(value) {
        Some(t) if (1900..=2200).contains(&t.date.year) => Ok(t.to_string()),
        _ => Err(Problem::InvalidDateTime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_numbers() {
        let epoch = Date::new(1970, 1, 1).unwrap();
        assert_eq!(epoch.days_since_epoch(), 0);
        assert_eq!(epoch.weekday(), Weekday::Thursday);
        let d = Date::new(2024, 2, 29).unwrap();
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(d.add_days(1), Date::new(2024, 3, 1).unwrap());
        assert_eq!(Date::new(2026, 11, 24).unwrap().weekday(), Weekday::Tuesday);
        for days in -800_000..800_000i64 {
            if days % 997 == 0 {
                assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
            }
        }
        assert_eq!(Date::new(2025, 2, 29), None);
        assert_eq!(
            Date::new(2026, 1, 31).unwrap().add_months(1),
            None,
            "no 31 February"
        );
        assert_eq!(
            Date::new(2026, 12, 15).unwrap().add_months(2),
            Date::new(2027, 2, 15)
        );
    }

    #[test]
    fn local_times_parse_strictly() {
        let t = LocalDateTime::parse("2026-11-24T09:05").unwrap();
        assert_eq!((t.hour(), t.minute % 60), (9, 5));
        assert_eq!(t.to_string(), "2026-11-24T09:05");
        assert_eq!(
            LocalDateTime::parse("2026-11-24 09:05:00"),
            Some(t),
            "seconds and a space are accepted"
        );
        for bad in [
            "2026-11-24",
            "2026-11-24T24:00",
            "2026-11-24T9:05",
            "2026-02-30T10:00",
            "2026-11-24T10:00:5",
            "yarın",
            "2026-11-24Tş0:00",
        ] {
            assert_eq!(LocalDateTime::parse(bad), None, "{bad}");
        }
        assert_eq!(date_time("1800-01-01T10:00"), Err(Problem::InvalidDateTime));
    }

    #[test]
    fn istanbul_is_three_hours_ahead_all_year() {
        let zone = Zone::named("Europe/Istanbul").unwrap();
        for text in ["2026-01-15T12:00", "2026-07-15T12:00"] {
            let local = LocalDateTime::parse(text).unwrap();
            let utc = zone.to_utc_ms(local);
            assert_eq!(Zone::named("UTC").unwrap().local(utc).hour(), 9);
            assert_eq!(zone.local(utc), local);
        }
        assert_eq!(zone.ical_offset(), "+0300");
        assert_eq!(Zone::named("").unwrap().name, ISTANBUL);
        assert_eq!(
            Zone::named("Europe/Berlin"),
            Err(Problem::UnknownTimeZone),
            "zones with daylight saving are refused, not guessed"
        );
        assert_eq!(Zone::named("Mars/Olympus"), Err(Problem::UnknownTimeZone));
    }
}
