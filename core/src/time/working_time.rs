//! Working time: a workspace's working hours, public holidays and time zone, and the
//! arithmetic SLA clocks need — how much working time lies between two instants, and
//! when a given amount of working time will have passed.
//!
//! Turkey's national holidays fall on fixed dates and are built in; the religious
//! holidays (Ramazan and Kurban Bayramı) move with the lunar calendar and are listed per
//! year in the workspace settings, where an admin adds the coming years. Half-day
//! holidays (the eves, `arife`, and 28 October) are written with the time the holiday
//! starts: `2026-10-28 13:00`.

use crate::text::validate::Problem;
use crate::time::civil::{Date, LocalDateTime, Zone};

const MINUTE_MS: i64 = 60_000;

/// Opening hours of one weekday, minutes since midnight: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// A holiday: the whole `date`, or from `from_minute` on (a half day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Holiday {
    pub date: Date,
    pub from_minute: u32,
}

/// The working week, Monday first; `None` for a day off.
pub type Week = [Option<Span>; 7];

/// Monday to Friday, 09:00–18:00.
pub const DEFAULT_WEEK: Week = {
    const DAY: Option<Span> = Some(Span {
        start: 9 * 60,
        end: 18 * 60,
    });
    [DAY, DAY, DAY, DAY, DAY, None, None]
};

/// Turkey's religious public holidays for 2025–2027 as the Presidency of Religious
/// Affairs announced them, eves from 13:00: the default for a new workspace's list.
pub const DEFAULT_RELIGIOUS_HOLIDAYS: &[&str] = &[
    "2025-03-29 13:00",
    "2025-03-30",
    "2025-03-31",
    "2025-04-01",
    "2025-06-05 13:00",
    "2025-06-06",
    "2025-06-07",
    "2025-06-08",
    "2025-06-09",
    "2026-03-19 13:00",
    "2026-03-20",
    "2026-03-21",
    "2026-03-22",
    "2026-05-26 13:00",
    "2026-05-27",
    "2026-05-28",
    "2026-05-29",
    "2026-05-30",
    "2027-03-08 13:00",
    "2027-03-09",
    "2027-03-10",
    "2027-03-11",
    "2027-05-15 13:00",
    "2027-05-16",
    "2027-05-17",
    "2027-05-18",
    "2027-05-19",
];

/// Turkey's national holidays, the same every year: (month, day, from minute).
const NATIONAL_HOLIDAYS: &[(u32, u32, u32)] = &[
    (1, 1, 0),
    (4, 23, 0),
    (5, 1, 0),
    (5, 19, 0),
    (7, 15, 0),
    (8, 30, 0),
    (10, 28, 13 * 60),
    (10, 29, 0),
];

/// Parses `HH:MM`.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let digits = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

/// Parses a day's hours, `09:00-18:00` (empty: closed).
pub fn parse_span(text: &str) -> Result<Option<Span>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (start, end) = text
        .split_once(['-', '–'])
        .ok_or(Problem::InvalidDateTime)?;
    let start = parse_clock(start).ok_or(Problem::InvalidDateTime)?;
    let end = parse_clock(end).ok_or(Problem::InvalidDateTime)?;
    if end <= start {
        return Err(Problem::EndBeforeStart);
    }
    Ok(Some(Span { start, end }))
}

/// `09:00-18:00`, or "" for a day off.
pub fn span_text(span: Option<Span>) -> String {
    let clock = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    span.map(|s| format!("{}-{}", clock(s.start), clock(s.end)))
        .unwrap_or_default()
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (a holiday from that time on).
pub fn parse_holiday(text: &str) -> Result<Holiday, Problem> {
    let text = text.trim();
    let (date, from) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, parse_clock(time).ok_or(Problem::InvalidDateTime)?),
        None => (text, 0),
    };
    let date = Date::parse(date).ok_or(Problem::InvalidDate)?;
    Ok(Holiday {
        date,
        from_minute: from,
    })
}

/// When work happens: the week, holidays and the zone they are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    pub zone: Zone,
    pub week: Week,
    /// Whether Turkey's national holidays are days off.
    pub national_holidays: bool,
    /// Sorted.
    pub holidays: Vec<Holiday>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        WorkingCalendar {
            zone: Zone::istanbul(),
            week: DEFAULT_WEEK,
            national_holidays: true,
            holidays: DEFAULT_RELIGIOUS_HOLIDAYS
                .iter()
                .filter_map(|h| parse_holiday(h).ok())
                .collect(),
        }
    }
}

/// Longest stretch the clock arithmetic walks, in days (a case open for ten years).
const MAX_DAYS: i64 = 3_660;

impl WorkingCalendar {
    /// The working minutes of `date`: its weekday's hours, cut short by a holiday.
    pub fn open(&self, date: Date) -> Option<Span> {
        let mut span = self.week[date.weekday().index()]?;
        let mut cut = |from: u32| {
            span.end = span.end.min(from);
        };
        if self.national_holidays {
            for &(month, day, from) in NATIONAL_HOLIDAYS {
                if date.month == month && date.day == day {
                    cut(from);
                }
            }
        }
        for holiday in &self.holidays {
            if holiday.date == date {
                cut(holiday.from_minute);
            }
        }
        (span.end > span.start).then_some(span)
    }

    /// The working intervals of `date` as instants.
    fn open_ms(&self, date: Date) -> Option<(i64, i64)> {
        let span = self.open(date)?;
        let day = self.zone.start_of_day_ms(date);
        Some((
            day + i64::from(span.start) * MINUTE_MS,
            day + i64::from(span.end) * MINUTE_MS,
        ))
    }

    fn date_of(&self, ms: i64) -> Date {
        self.zone.local(ms).date
    }

    /// Working time between two instants, in ms (0 if `to` is not after `from`).
    pub fn working_ms(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let mut date = self.date_of(from);
        let last = self.date_of(to);
        for _ in 0..=MAX_DAYS {
            if let Some((open, close)) = self.open_ms(date) {
                let (a, b) = (open.max(from), close.min(to));
                if b > a {
                    total += b - a;
                }
            }
            if date >= last {
                break;
            }
            date = date.add_days(1);
        }
        total
    }

    /// The instant at which `amount` ms of working time will have passed since `from`;
    /// `None` if the calendar has no working time within ten years.
    pub fn add_working_ms(&self, from: i64, amount: i64) -> Option<i64> {
        let mut left = amount.max(0);
        let mut date = self.date_of(from);
        for _ in 0..=MAX_DAYS {
            if let Some((open, close)) = self.open_ms(date) {
                let start = open.max(from);
                if close > start {
                    if close - start >= left {
                        return Some(start + left);
                    }
                    left -= close - start;
                }
            }
            date = date.add_days(1);
        }
        None
    }

    /// Whether `ms` falls in working time.
    pub fn is_working(&self, ms: i64) -> bool {
        self.open_ms(self.date_of(ms))
            .is_some_and(|(open, close)| (open..close).contains(&ms))
    }

    /// The wall-clock time of an instant in the calendar's zone.
    pub fn local(&self, ms: i64) -> LocalDateTime {
        self.zone.local(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(cal: &WorkingCalendar, text: &str) -> i64 {
        cal.zone.to_utc_ms(LocalDateTime::parse(text).unwrap())
    }

    const HOUR: i64 = 60 * MINUTE_MS;

    #[test]
    fn working_time_skips_nights_weekends_and_holidays() {
        let cal = WorkingCalendar::default();
        // Friday 2026-11-20 17:00 → Monday 2026-11-23 10:00: 1 h Friday + 1 h Monday.
        assert_eq!(
            cal.working_ms(at(&cal, "2026-11-20T17:00"), at(&cal, "2026-11-23T10:00")),
            2 * HOUR
        );
        // Republic Day: 28 October 2026 (Wednesday) closes at 13:00, 29 October is off.
        assert_eq!(
            cal.working_ms(at(&cal, "2026-10-28T09:00"), at(&cal, "2026-10-30T10:00")),
            5 * HOUR
        );
        // Kurban Bayramı 2026: eve 26 May from 13:00, 27–30 May off.
        assert_eq!(
            cal.working_ms(at(&cal, "2026-05-26T12:00"), at(&cal, "2026-06-01T09:30")),
            HOUR + HOUR / 2
        );
        assert_eq!(cal.working_ms(5, 3), 0);
    }

    #[test]
    fn adding_working_time_lands_on_the_next_open_minute() {
        let cal = WorkingCalendar::default();
        // 4 working hours from Friday 16:00 end on Monday 11:00.
        let due = cal
            .add_working_ms(at(&cal, "2026-11-20T16:00"), 4 * HOUR)
            .unwrap();
        assert_eq!(cal.local(due).to_string(), "2026-11-23T11:00");
        // From Saturday, the clock starts on Monday morning.
        let due = cal
            .add_working_ms(at(&cal, "2026-11-21T12:00"), HOUR)
            .unwrap();
        assert_eq!(cal.local(due).to_string(), "2026-11-23T10:00");
        // Over New Year 2027 (Friday): Thursday 31 December 17:00 + 2 h → Monday 10:00.
        let due = cal
            .add_working_ms(at(&cal, "2026-12-31T17:00"), 2 * HOUR)
            .unwrap();
        assert_eq!(cal.local(due).to_string(), "2027-01-04T10:00");
        let closed = WorkingCalendar {
            week: [None; 7],
            ..WorkingCalendar::default()
        };
        assert_eq!(closed.add_working_ms(0, HOUR), None);
        assert!(cal.is_working(at(&cal, "2026-11-24T09:00")));
        assert!(!cal.is_working(at(&cal, "2026-11-24T18:00")));
    }

    #[test]
    fn hours_and_holidays_parse_with_clear_problems() {
        assert_eq!(
            parse_span("08:30-17:30").unwrap(),
            Some(Span {
                start: 510,
                end: 1050
            })
        );
        assert_eq!(span_text(parse_span("8:30–17:30").unwrap()), "08:30-17:30");
        assert_eq!(parse_span(""), Ok(None));
        assert_eq!(parse_span("18:00-09:00"), Err(Problem::EndBeforeStart));
        assert_eq!(parse_span("sabah"), Err(Problem::InvalidDateTime));
        assert_eq!(
            parse_holiday("2026-10-28 13:00").unwrap().from_minute,
            13 * 60
        );
        assert_eq!(parse_holiday("2026-13-01"), Err(Problem::InvalidDate));
        assert_eq!(
            parse_holiday("2026-10-28 25:00"),
            Err(Problem::InvalidDateTime)
        );
    }
}
