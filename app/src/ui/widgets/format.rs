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

/// Formats `YYYY-MM-DD` as the user reads dates (`24.11.2026` in Turkish).
pub fn format_date(lang: i18n::Lang, date: &str) -> String {
    match (lang, date.split('-').collect::<Vec<_>>().as_slice()) {
        (i18n::Lang::Tr, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => date.to_owned(),
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
    date.to_locale_string(lang.locale(), &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
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
    match lang {
        Lang::Tr => format!("{:02}.{:02}.{} {}", d.day, d.month, d.year, t.time_text()),
        Lang::En => format!("{} {}", d, t.time_text()),
    }
}

/// The workspace's zone and today's date in it.
pub(crate) fn workspace_zone() -> Zone {
    repo().service().with_untracked(|s| s.zone())
}
