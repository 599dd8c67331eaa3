//! Recurrence rules (RFC 5545 `RRULE`) for meetings: parsing, validation and expansion
//! into occurrences within a window.
//!
//! Supported parts: `FREQ` (DAILY, WEEKLY, MONTHLY, YEARLY), `INTERVAL`, `COUNT` or
//! `UNTIL`, `BYDAY` (with ordinals such as `-1FR` in monthly rules, and in yearly rules
//! that name their months), `BYMONTHDAY` (negative counts from the month's end),
//! `BYMONTH` and `WKST=MO`. Anything else is refused with a clear problem rather than
//! half-understood. Following RFC 5545, dates that do not exist (31 April, 29 February
//! in other years) are skipped, never moved. A rule without an end is allowed — calendar
//! apps expect it — but expansion is always bounded by a window and a cap
//! ([`MAX_OCCURRENCES`]), so no rule can expand to millions of instances.

use crate::text::validate::Problem;
use crate::time::civil::{Date, LocalDateTime, Weekday, Zone, days_in_month};

/// The most occurrences one expansion returns.
pub const MAX_OCCURRENCES: usize = 1_000;
/// The most periods (days, weeks, months or years) one expansion walks.
const MAX_PERIODS: i64 = 100_000;
/// The largest `COUNT` accepted.
pub const MAX_COUNT: u32 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// When a recurrence stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Never,
    Count(u32),
    /// The last date an occurrence may fall on (`UNTIL=YYYYMMDD`).
    UntilDate(Date),
    /// The last instant, ms since the epoch (`UNTIL=…Z`) or a floating local time
    /// converted in the event's zone.
    UntilInstant(i64),
}

/// A weekday in `BYDAY`, with its ordinal in the month (`2TU`, `-1FR`) or 0 for every.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByDay {
    pub ordinal: i32,
    pub weekday: Weekday,
}

/// A parsed recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub frequency: Frequency,
    pub interval: u32,
    pub end: End,
    pub by_day: Vec<ByDay>,
    pub by_month_day: Vec<i32>,
    pub by_month: Vec<u32>,
}

fn parse_until(value: &str, zone: Zone) -> Option<End> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| -> Option<Date> {
        if s.len() != 8 || !digits(s) {
            return None;
        }
        Date::new(
            s[0..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..8].parse().ok()?,
        )
    };
    match value.split_once('T') {
        None => Some(End::UntilDate(date(value)?)),
        Some((d, t)) => {
            let (t, utc) = match t.strip_suffix('Z') {
                Some(t) => (t, true),
                None => (t, false),
            };
            if t.len() != 6 || !digits(t) {
                return None;
            }
            let (h, m, s): (u32, u32, u32) = (
                t[0..2].parse().ok()?,
                t[2..4].parse().ok()?,
                t[4..6].parse().ok()?,
            );
            if s > 59 {
                return None;
            }
            let local = LocalDateTime::new(date(d)?, h, m)?;
            let ms = if utc {
                Zone::named("UTC").ok()?.to_utc_ms(local)
            } else {
                zone.to_utc_ms(local)
            } + i64::from(s) * 1000;
            Some(End::UntilInstant(ms))
        }
    }
}

impl Rule {
    /// Parses an RRULE value (with or without the `RRULE:` prefix); `zone` is the
    /// event's, for a floating `UNTIL`.
    pub fn parse(text: &str, zone: Zone) -> Result<Rule, Problem> {
        let bad = Problem::InvalidRecurrence;
        let text = text.trim();
        let text = text.strip_prefix("RRULE:").unwrap_or(text);
        if text.len() > 500 {
            return Err(bad);
        }
        let mut frequency = None;
        let mut interval = 1;
        let mut end = End::Never;
        let mut by_day = Vec::new();
        let mut by_month_day = Vec::new();
        let mut by_month = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').ok_or(bad)?;
            if seen.contains(&name) {
                return Err(bad);
            }
            seen.push(name);
            match name {
                "FREQ" => {
                    frequency = Some(match value {
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        "YEARLY" => Frequency::Yearly,
                        _ => return Err(bad),
                    })
                }
                "INTERVAL" => {
                    interval = value.parse().map_err(|_| bad)?;
                    if !(1..=1000).contains(&interval) {
                        return Err(bad);
                    }
                }
                "COUNT" | "UNTIL" if end != End::Never => return Err(bad),
                "COUNT" => {
                    let count: u32 = value.parse().map_err(|_| bad)?;
                    if !(1..=MAX_COUNT).contains(&count) {
                        return Err(bad);
                    }
                    end = End::Count(count);
                }
                "UNTIL" => end = parse_until(value, zone).ok_or(bad)?,
                "BYDAY" => {
                    for day in value.split(',') {
                        let split = day.len().checked_sub(2).ok_or(bad)?;
                        if !day.is_char_boundary(split) {
                            return Err(bad);
                        }
                        let (ordinal, code) = day.split_at(split);
                        let weekday = Weekday::from_ical(code).ok_or(bad)?;
                        let ordinal: i32 = if ordinal.is_empty() {
                            0
                        } else {
                            ordinal.parse().map_err(|_| bad)?
                        };
                        if ordinal.abs() > 5 {
                            return Err(bad);
                        }
                        by_day.push(ByDay { ordinal, weekday });
                    }
                }
                "BYMONTHDAY" => {
                    for day in value.split(',') {
                        let day: i32 = day.parse().map_err(|_| bad)?;
                        if day == 0 || day.abs() > 31 {
                            return Err(bad);
                        }
                        by_month_day.push(day);
                    }
                }
                "BYMONTH" => {
                    for month in value.split(',') {
                        let month: u32 = month.parse().map_err(|_| bad)?;
                        if !(1..=12).contains(&month) {
                            return Err(bad);
                        }
                        by_month.push(month);
                    }
                }
                "WKST" if value == "MO" => {}
                // BYSETPOS, BYHOUR, BYWEEKNO, … and other week starts: not supported.
                _ => return Err(bad),
            }
        }
        let frequency = frequency.ok_or(bad)?;
        let ordinals = by_day.iter().any(|d| d.ordinal != 0);
        let ordinals_allowed = match frequency {
            Frequency::Monthly => true,
            Frequency::Yearly => !by_month.is_empty(),
            Frequency::Daily | Frequency::Weekly => false,
        };
        if ordinals && !ordinals_allowed {
            return Err(bad);
        }
        if frequency == Frequency::Weekly && !by_month_day.is_empty() {
            return Err(bad);
        }
        Ok(Rule {
            frequency,
            interval,
            end,
            by_day,
            by_month_day,
            by_month,
        })
    }

    /// The rule as an RFC 5545 `RRULE` value for an event starting in `zone`: `UNTIL`
    /// is written in UTC (the RFC requires it when the start carries a time zone; a
    /// date-only `UNTIL` becomes the end of that day).
    pub fn to_ical(&self, zone: Zone) -> String {
        let mut parts = vec![format!(
            "FREQ={}",
            match self.frequency {
                Frequency::Daily => "DAILY",
                Frequency::Weekly => "WEEKLY",
                Frequency::Monthly => "MONTHLY",
                Frequency::Yearly => "YEARLY",
            }
        )];
        if self.interval > 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        let utc = |ms: i64| {
            let t = Zone::UTC.local(ms);
            format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                t.date.year,
                t.date.month,
                t.date.day,
                t.minute / 60,
                t.minute % 60,
                ms.rem_euclid(60_000) / 1000
            )
        };
        match self.end {
            End::Never => {}
            End::Count(n) => parts.push(format!("COUNT={n}")),
            End::UntilDate(d) => {
                let end_of_day = zone.start_of_day_ms(d.add_days(1)) - 1000;
                parts.push(format!("UNTIL={}", utc(end_of_day)));
            }
            End::UntilInstant(ms) => parts.push(format!("UNTIL={}", utc(ms))),
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|b| {
                    if b.ordinal == 0 {
                        b.weekday.ical().to_owned()
                    } else {
                        format!("{}{}", b.ordinal, b.weekday.ical())
                    }
                })
                .collect();
            parts.push(format!("BYDAY={}", days.join(",")));
        }
        let list = |values: Vec<String>| values.join(",");
        if !self.by_month_day.is_empty() {
            parts.push(format!(
                "BYMONTHDAY={}",
                list(self.by_month_day.iter().map(|d| d.to_string()).collect())
            ));
        }
        if !self.by_month.is_empty() {
            parts.push(format!(
                "BYMONTH={}",
                list(self.by_month.iter().map(|m| m.to_string()).collect())
            ));
        }
        parts.join(";")
    }

    /// The candidate dates of the `n`-th period after the one holding `start`, sorted.
    fn period_dates(&self, start: Date, n: i64) -> Vec<Date> {
        let step = n * i64::from(self.interval);
        let mut dates = match self.frequency {
            Frequency::Daily => vec![start.add_days(step)],
            Frequency::Weekly => {
                let monday = start.monday().add_days(7 * step);
                if self.by_day.is_empty() {
                    vec![monday.add_days(start.weekday().index() as i64)]
                } else {
                    (0..7)
                        .map(|i| monday.add_days(i))
                        .filter(|d| self.by_day.iter().any(|b| b.weekday == d.weekday()))
                        .collect()
                }
            }
            Frequency::Monthly => {
                let index = i64::from(start.year) * 12 + i64::from(start.month) - 1 + step;
                let (year, month) = (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1);
                self.month_dates(year, month, start.day)
            }
            Frequency::Yearly => {
                let year = start.year + step as i32;
                let months = if self.by_month.is_empty() {
                    vec![start.month]
                } else {
                    self.by_month.clone()
                };
                let mut dates: Vec<Date> = months
                    .into_iter()
                    .flat_map(|m| self.month_dates(year, m, start.day))
                    .collect();
                dates.sort();
                dates
            }
        };
        dates.retain(|d| self.by_month.is_empty() || self.by_month.contains(&d.month));
        if self.frequency == Frequency::Daily {
            dates.retain(|d| {
                (self.by_day.is_empty() || self.by_day.iter().any(|b| b.weekday == d.weekday()))
                    && (self.by_month_day.is_empty() || self.month_day_matches(*d))
            });
        }
        dates.dedup();
        dates
    }

    fn month_day_matches(&self, date: Date) -> bool {
        let len = days_in_month(date.year, date.month) as i32;
        self.by_month_day.iter().any(|&d| {
            let day = if d > 0 { d } else { len + 1 + d };
            day == date.day as i32
        })
    }

    /// The dates of one month a monthly (or yearly) rule selects.
    fn month_dates(&self, year: i32, month: u32, start_day: u32) -> Vec<Date> {
        let len = days_in_month(year, month);
        let all = (1..=len).filter_map(|d| Date::new(year, month, d));
        if self.by_day.is_empty() && self.by_month_day.is_empty() {
            return Date::new(year, month, start_day).into_iter().collect();
        }
        all.filter(|date| {
            let day_ok = self.by_day.is_empty()
                || self.by_day.iter().any(|b| {
                    if b.weekday != date.weekday() {
                        return false;
                    }
                    let nth = (date.day as i32 - 1) / 7 + 1;
                    let nth_from_end = -((len as i32 - date.day as i32) / 7 + 1);
                    b.ordinal == 0 || b.ordinal == nth || b.ordinal == nth_from_end
                });
            let month_day_ok = self.by_month_day.is_empty() || self.month_day_matches(*date);
            day_ok && month_day_ok
        })
        .collect()
    }

    /// The starts of the occurrences of an event first starting at `start` (in `zone`)
    /// that start within `from..to` (ms since the epoch), in order, at most `cap` (and
    /// never more than [`MAX_OCCURRENCES`]). The first occurrence is `start` itself
    /// even if the rule would not select it, as RFC 5545 counts it.
    pub fn occurrences(
        &self,
        start: LocalDateTime,
        zone: Zone,
        from: i64,
        to: i64,
        cap: usize,
    ) -> Vec<LocalDateTime> {
        let cap = cap.min(MAX_OCCURRENCES);
        let mut found = Vec::new();
        let mut counted = 0u32;
        let mut emit = |t: LocalDateTime, found: &mut Vec<LocalDateTime>| -> bool {
            let ms = zone.to_utc_ms(t);
            let over = match self.end {
                End::Never => false,
                End::Count(n) => counted >= n,
                End::UntilDate(d) => t.date > d,
                End::UntilInstant(u) => ms > u,
            };
            if over || ms >= to {
                return false;
            }
            counted += 1;
            if ms >= from {
                found.push(t);
            }
            found.len() < cap
        };
        if !emit(start, &mut found) {
            return found;
        }
        for n in 0..MAX_PERIODS {
            for date in self.period_dates(start.date, n) {
                let t = LocalDateTime {
                    date,
                    minute: start.minute,
                };
                if t <= start {
                    continue;
                }
                if !emit(t, &mut found) {
                    return found;
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Zone {
        Zone::istanbul()
    }

    fn t(text: &str) -> LocalDateTime {
        LocalDateTime::parse(text).unwrap()
    }

    fn expand(rule: &str, start: &str, from: &str, to: &str) -> Vec<String> {
        let rule = Rule::parse(rule, zone()).unwrap();
        rule.occurrences(
            t(start),
            zone(),
            zone().to_utc_ms(t(from)),
            zone().to_utc_ms(t(to)),
            MAX_OCCURRENCES,
        )
        .into_iter()
        .map(|o| o.to_string())
        .collect()
    }

    #[test]
    fn weekly_meetings_on_chosen_days() {
        assert_eq!(
            expand(
                "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=5",
                "2026-11-23T10:00",
                "2026-01-01T00:00",
                "2027-01-01T00:00"
            ),
            [
                "2026-11-23T10:00",
                "2026-11-26T10:00",
                "2026-11-30T10:00",
                "2026-12-03T10:00",
                "2026-12-07T10:00"
            ]
        );
        // Every other week, until a date (inclusive).
        assert_eq!(
            expand(
                "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20261221",
                "2026-11-23T10:00",
                "2026-01-01T00:00",
                "2027-01-01T00:00"
            ),
            ["2026-11-23T10:00", "2026-12-07T10:00", "2026-12-21T10:00"]
        );
    }

    #[test]
    fn month_ends_are_skipped_not_moved() {
        // The 31st exists in only seven months.
        assert_eq!(
            expand(
                "FREQ=MONTHLY;COUNT=4",
                "2026-01-31T09:00",
                "2026-01-01T00:00",
                "2027-01-01T00:00"
            ),
            [
                "2026-01-31T09:00",
                "2026-03-31T09:00",
                "2026-05-31T09:00",
                "2026-07-31T09:00"
            ]
        );
        // The last day of every month, and the last Friday.
        assert_eq!(
            expand(
                "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3",
                "2027-01-31T09:00",
                "2027-01-01T00:00",
                "2028-01-01T00:00"
            ),
            ["2027-01-31T09:00", "2027-02-28T09:00", "2027-03-31T09:00"]
        );
        assert_eq!(
            expand(
                "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
                "2026-11-27T16:00",
                "2026-01-01T00:00",
                "2028-01-01T00:00"
            ),
            ["2026-11-27T16:00", "2026-12-25T16:00", "2027-01-29T16:00"]
        );
        // 29 February recurs only in leap years.
        assert_eq!(
            expand(
                "FREQ=YEARLY;COUNT=2",
                "2024-02-29T12:00",
                "2024-01-01T00:00",
                "2040-01-01T00:00"
            ),
            ["2024-02-29T12:00", "2028-02-29T12:00"]
        );
    }

    #[test]
    fn endless_rules_expand_only_within_the_window_and_the_cap() {
        // A daily rule with no end, asked for one week: seven occurrences.
        assert_eq!(
            expand(
                "FREQ=DAILY",
                "2020-01-01T08:00",
                "2026-11-23T00:00",
                "2026-11-30T00:00"
            )
            .len(),
            7
        );
        // Asked for a century, the cap holds.
        let rule = Rule::parse("FREQ=DAILY", zone()).unwrap();
        let all = rule.occurrences(t("2020-01-01T08:00"), zone(), 0, i64::MAX, usize::MAX);
        assert_eq!(all.len(), MAX_OCCURRENCES);
        // A rule that selects nothing ever (30 February) ends after the period bound.
        let never = Rule::parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", zone()).unwrap();
        assert_eq!(
            never
                .occurrences(t("2026-01-01T08:00"), zone(), 0, i64::MAX, 10)
                .len(),
            1,
            "only the first instance"
        );
        // UNTIL as a UTC instant: 10:00 Istanbul is 07:00Z.
        assert_eq!(
            expand(
                "FREQ=DAILY;UNTIL=20261125T070000Z",
                "2026-11-23T10:00",
                "2026-11-01T00:00",
                "2026-12-01T00:00"
            )
            .len(),
            3
        );
    }

    #[test]
    fn rules_are_written_back_with_until_in_utc() {
        let rule =
            Rule::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20261221", zone()).unwrap();
        assert_eq!(
            rule.to_ical(zone()),
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=20261221T205959Z;BYDAY=MO,TH"
        );
        let rule = Rule::parse("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", zone()).unwrap();
        assert_eq!(rule.to_ical(zone()), "FREQ=MONTHLY;COUNT=3;BYDAY=-1FR");
        assert_eq!(Rule::parse(&rule.to_ical(zone()), zone()).unwrap(), rule);
    }

    #[test]
    fn unsupported_or_malformed_rules_are_refused() {
        for bad in [
            "",
            "FREQ=HOURLY",
            "FREQ=WEEKLY;BYSETPOS=1",
            "FREQ=DAILY;COUNT=3;UNTIL=20270101",
            "FREQ=DAILY;COUNT=0",
            "FREQ=DAILY;COUNT=1000000",
            "FREQ=WEEKLY;BYDAY=1MO",
            "FREQ=MONTHLY;BYDAY=XX",
            "FREQ=MONTHLY;BYMONTHDAY=32",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;FREQ=WEEKLY",
            "FREQ=DAILY;UNTIL=2026-12-01",
            "FREQ=WEEKLY;BYDAY=Mö",
            "INTERVAL=2",
        ] {
            assert_eq!(
                Rule::parse(bad, zone()),
                Err(Problem::InvalidRecurrence),
                "{bad}"
            );
        }
    }
}
