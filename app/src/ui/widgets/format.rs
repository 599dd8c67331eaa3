//! Dates, times, amounts and durations as the member's language writes them, and a
//! ticking clock signal.

use leptos::prelude::*;
use saha_core::sales::document as sales;
use saha_core::time::civil::{LocalDateTime, Zone};

use crate::client::now_ms;
use crate::i18n::{self, Lang};
use crate::ui::repo;

/// Today as `YYYY-MM-DD`.
pub fn today() -> String {
    sales::date_of(crate::client::now_ms())
}

/// English month abbreviations.
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date as `lang` writes it: `24.11.2026` in Turkish, `24 Nov 2026` in
/// English (never the ambiguous 11/24).
fn date_text(lang: Lang, year: i32, month: u32, day: u32) -> String {
    match lang {
        Lang::Tr => format!("{day:02}.{month:02}.{year}"),
        Lang::En => {
            let name = MONTHS_EN
                .get(month.wrapping_sub(1) as usize)
                .copied()
                .unwrap_or("?");
            format!("{day} {name} {year}")
        }
    }
}

/// Formats `YYYY-MM-DD` as the user reads dates (`24.11.2026`, `24 Nov 2026`); text
/// that is not such a date shows as it is.
pub fn format_date(lang: i18n::Lang, date: &str) -> String {
    match date.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => date_text(lang, y, m, d),
            _ => date.to_owned(),
        },
        _ => date.to_owned(),
    }
}

/// A percentage as `lang` writes it: `%20` in Turkish, `20%` in English.
pub fn percent(lang: Lang, value: impl std::fmt::Display) -> String {
    match lang {
        Lang::Tr => format!("%{value}"),
        Lang::En => format!("{value}%"),
    }
}

/// Formats an amount typed as decimal text in `currency`.
pub fn format_amount(amount: &str, currency: &str) -> String {
    if amount.is_empty() {
        return String::new();
    }
    let currency = saha_core::sales::money::Currency::from_code(currency)
        .unwrap_or(saha_core::sales::money::Currency::Try);
    saha_core::sales::money::format_tr(amount.parse().unwrap_or_default(), currency)
}

/// A moment (milliseconds since the Unix epoch) as date and time the way `lang` writes
/// them, in the browser's time zone.
pub(crate) fn format_time(lang: Lang, ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{} {:02}:{:02}",
        date_text(
            lang,
            date.get_full_year() as i32,
            date.get_month() + 1,
            date.get_date()
        ),
        date.get_hours(),
        date.get_minutes()
    )
}

const MINUTE_MS: i64 = 60_000;

pub(crate) const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// A signal holding the current time, refreshed every `seconds`.
pub(crate) fn clock(seconds: u32) -> RwSignal<i64> {
    let now = RwSignal::new(now_ms());
    let handle = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_secs(u64::from(seconds)),
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
    now
}

/// `1 sa 05 dk` / `1 h 05 min` for a working-time amount.
pub(crate) fn span_text(lang: Lang, ms: i64) -> String {
    let minutes = ms.max(0) / MINUTE_MS;
    let (h, m) = (minutes / 60, minutes % 60);
    match lang {
        Lang::Tr => format!("{h} sa {m:02} dk"),
        Lang::En => format!("{h} h {m:02} min"),
    }
}

/// A wall-clock time as the user reads it (`24.11.2026 10:15`).
pub fn local_text(lang: Lang, t: LocalDateTime) -> String {
    let d = t.date;
    format!(
        "{} {}",
        date_text(lang, d.year, d.month, d.day),
        t.time_text()
    )
}

/// The workspace's zone and today's date in it.
pub(crate) fn workspace_zone() -> Zone {
    repo().service().with_untracked(|s| s.zone())
}

/// A recurrence rule (RRULE) in plain words: "Weekly · Monday, Wednesday · 10
/// times", "Her ay · ayın 2. Salı · 30.06.2027 tarihine kadar". A rule that does not
/// parse shows as it is stored.
pub(crate) fn recurrence_text(lang: Lang, rule: &str, zone: Zone) -> String {
    use i18n::{Fmt, Key};
    use saha_core::time::rrule::{End, Frequency, Rule};
    if rule.trim().is_empty() {
        return i18n::word(lang, Key::RepeatNone);
    }
    let Ok(parsed) = Rule::parse(rule, zone) else {
        return rule.to_owned();
    };
    let n = i64::from(parsed.interval.max(1));
    let every = match (parsed.frequency, n) {
        (Frequency::Daily, 1) => i18n::word(lang, Key::RepeatDaily),
        (Frequency::Weekly, 1) => i18n::word(lang, Key::RepeatWeekly),
        (Frequency::Monthly, 1) => i18n::word(lang, Key::RepeatMonthly),
        (Frequency::Yearly, 1) => i18n::word(lang, Key::RepeatYearly),
        (Frequency::Daily, n) => Fmt::RepeatEveryDays.format(lang, &[("n", n.into())]),
        (Frequency::Weekly, n) => Fmt::RepeatEveryWeeks.format(lang, &[("n", n.into())]),
        (Frequency::Monthly, n) => Fmt::RepeatEveryMonths.format(lang, &[("n", n.into())]),
        (Frequency::Yearly, n) => Fmt::RepeatEveryYears.format(lang, &[("n", n.into())]),
    };
    let mut parts = vec![every];
    let day_name = |weekday: saha_core::time::civil::Weekday| {
        i18n::word_for(lang, &format!("weekday.{}", weekday.index()))
    };
    let every_week: Vec<String> = parsed
        .by_day
        .iter()
        .filter(|d| d.ordinal == 0)
        .map(|d| day_name(d.weekday))
        .collect();
    if !every_week.is_empty() {
        parts.push(every_week.join(", "));
    }
    for day in parsed.by_day.iter().filter(|d| d.ordinal != 0) {
        let name = day_name(day.weekday);
        parts.push(if day.ordinal == -1 {
            Fmt::RepeatLastWeekday.format(lang, &[("day", i18n::Arg::Text(&name))])
        } else {
            Fmt::RepeatNthWeekday.format(
                lang,
                &[
                    ("n", i64::from(day.ordinal).into()),
                    ("day", i18n::Arg::Text(&name)),
                ],
            )
        });
    }
    for day in &parsed.by_month_day {
        parts.push(Fmt::RepeatOnMonthDay.format(lang, &[("day", i64::from(*day).into())]));
    }
    match parsed.end {
        End::Never => {}
        End::Count(count) => {
            parts.push(Fmt::RepeatTimes.format(lang, &[("n", i64::from(count).into())]));
        }
        End::UntilDate(date) => {
            let date = date_text(lang, date.year, date.month, date.day);
            parts.push(Fmt::RepeatUntil.format(lang, &[("date", i18n::Arg::Text(&date))]));
        }
        End::UntilInstant(ms) => {
            let date = format_time(lang, ms);
            parts.push(Fmt::RepeatUntil.format(lang, &[("date", i18n::Arg::Text(&date))]));
        }
    }
    parts.join(" · ")
}

/// A score kept × 100 (a mean rating) as `4.25`, `4,25` in Turkish.
pub(crate) fn score_x100(lang: Lang, x100: i64) -> String {
    let text = format!("{}.{:02}", x100 / 100, x100 % 100);
    if lang == Lang::Tr {
        text.replace('.', ",")
    } else {
        text
    }
}

/// A decimal number as `lang` writes it: `20.5`, `20,5` in Turkish.
pub(crate) fn decimal_text(lang: Lang, value: impl std::fmt::Display) -> String {
    let text = value.to_string();
    if lang == Lang::Tr {
        text.replace('.', ",")
    } else {
        text
    }
}

/// A size in bytes as people say it: `1 kB`, `1.5 MB`, `2.1 GB` (`1,5 MB` in Turkish).
pub(crate) fn size_text(lang: Lang, bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let bytes_f = bytes as f64;
    if bytes_f >= 1024.0 * MB {
        decimal_text(lang, format!("{:.1} GB", bytes_f / (1024.0 * MB)))
    } else if bytes_f >= MB {
        decimal_text(lang, format!("{:.1} MB", bytes_f / MB))
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(Lang::En, 0), "0 kB");
        assert_eq!(size_text(Lang::En, 1), "1 kB");
        assert_eq!(size_text(Lang::En, 1536 * 1024), "1.5 MB");
        assert_eq!(size_text(Lang::Tr, 1536 * 1024), "1,5 MB");
        assert_eq!(size_text(Lang::Tr, 3 * 1024 * 1024 * 1024 / 2), "1,5 GB");
    }

    #[test]
    fn recurrence_reads_as_words_in_both_languages() {
        let zone = Zone::named("Europe/Istanbul").expect("a known zone");
        let tr = |rule| recurrence_text(Lang::Tr, rule, zone);
        let en = |rule| recurrence_text(Lang::En, rule, zone);
        assert_eq!(
            en("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"),
            "Weekly · Monday, Wednesday · 10 times"
        );
        assert_eq!(
            tr("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"),
            "Her hafta · Pazartesi, Çarşamba · 10 kez"
        );
        assert_eq!(
            en("FREQ=MONTHLY;BYDAY=2TU"),
            "Monthly · the 2nd Tuesday of the month"
        );
        assert_eq!(tr("FREQ=MONTHLY;BYDAY=2TU"), "Her ay · ayın 2. Salı");
        assert_eq!(
            en("FREQ=MONTHLY;BYDAY=-1FR"),
            "Monthly · the last Friday of the month"
        );
        assert_eq!(
            tr("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630"),
            "2 haftada bir · 30.06.2027 tarihine kadar"
        );
        assert_eq!(en("FREQ=DAILY;COUNT=1"), "Daily · once");
        assert_eq!(
            en("FREQ=MONTHLY;BYMONTHDAY=15"),
            "Monthly · on day 15 of the month"
        );
        assert_eq!(tr(""), "Tekrar yok");
        assert_eq!(
            tr("FREQ=SOMETIMES"),
            "FREQ=SOMETIMES",
            "what does not parse shows as stored"
        );
    }
}
