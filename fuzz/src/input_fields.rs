//! The parsers of values members type into forms or that import cells carry. The first
//! byte picks the parser, the rest is the text. None panics, and each keeps the
//! promise a stored value depends on: what a parser accepts it writes in a form that
//! it accepts again unchanged (a record saved twice does not change), and a date,
//! time, amount or span written back reads as the same value.

use std::str::FromStr;

use saha_core::api::TokenScope;
use saha_core::import::{DateOrder, cell, decode, plan, vcard};
use saha_core::text::validate;
use saha_core::time::civil::{Date, LocalDateTime};
use saha_core::time::working_time;
use saha_protocol::{AutomergeUrl, DocumentId};

/// Fields import matches existing records by.
const KEY_FIELDS: [&str; 6] = ["vkn", "email", "phone", "name", "sku", "tckn"];

/// A validator that normalises: its output must validate to itself.
fn idempotent(name: &str, f: fn(&str) -> Result<String, validate::Problem>, text: &str) {
    if let Ok(out) = f(text) {
        assert_eq!(
            f(&out).as_ref(),
            Ok(&out),
            "{name}({text:?}) = {out:?} is not {name}'s own"
        );
    }
}

fn decimal(text: &str) {
    let Ok(Some(value)) = validate::decimal(text) else {
        return;
    };
    // Stored as `Decimal` writes it; read back by `Decimal`'s own parser.
    let stored = value.to_string();
    assert_eq!(stored.parse::<rust_decimal::Decimal>().ok(), Some(value));
    for turkish in [true, false] {
        let shown = validate::decimal_for_editing(&stored, turkish);
        assert_eq!(
            validate::decimal(&shown),
            Ok(Some(value)),
            "{stored:?} shown for editing ({}) as {shown:?}",
            if turkish { "Turkish" } else { "English" }
        );
    }
}

fn dates(text: &str) {
    if let Some(date) = Date::parse(text) {
        assert_eq!(Date::parse(&date.to_string()), Some(date), "{text:?}");
        assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
    }
    if let Some(time) = LocalDateTime::parse(text) {
        assert_eq!(
            LocalDateTime::parse(&time.to_string()),
            Some(time),
            "{text:?}"
        );
    }
    for order in [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)] {
        if let Ok(cell) = cell::date(text, order)
            && !cell.is_empty()
        {
            assert!(
                Date::parse(&cell).is_some(),
                "cell {text:?} read as {cell:?}"
            );
        }
    }
    idempotent("date", validate::date, text);
}

fn working_hours(text: &str) {
    if let Some(minutes) = working_time::parse_clock(text) {
        assert!(minutes <= 24 * 60);
    }
    if let Ok(span) = working_time::parse_span(text) {
        let written = working_time::span_text(span);
        assert_eq!(
            working_time::parse_span(&written),
            Ok(span),
            "{text:?} → {written:?}"
        );
    }
    let _ = working_time::parse_holiday(text);
    if let Ok(Some(seconds)) = validate::duration_seconds(text) {
        assert!((0..=86_400).contains(&seconds), "{text:?} is {seconds} s");
    }
}

fn identifiers(text: &str) {
    if let Ok(id) = DocumentId::from_str(text) {
        assert_eq!(DocumentId::from_str(&id.to_string()).ok(), Some(id));
    }
    if let Ok(url) = AutomergeUrl::from_str(text) {
        assert_eq!(AutomergeUrl::from_str(&url.to_string()).ok(), Some(url));
    }
    if let Some(scope) = TokenScope::parse(text, &["contacts", "accounts", "deals"]) {
        let _ = scope;
    }
}

fn cells(text: &str) {
    let amount = cell::amount(text);
    assert!(!amount.chars().any(char::is_whitespace), "{amount:?}");
    let _ = cell::choice(text, &["new", "won", "lost"]);
    assert!(!cell::tags(text).contains([';', '|']));
    let _ = cell::undefused(text);
    for field in KEY_FIELDS {
        if let Some(key) = plan::key_value(field, text) {
            assert_eq!(
                plan::key_value(field, &key).as_deref(),
                Some(key.as_str()),
                "the {field} key of {text:?} is not its own key"
            );
        }
    }
}

fn contacts(text: &str) {
    idempotent("email", validate::email, text);
    idempotent("phone", validate::phone, text);
    idempotent("vkn", validate::vkn, text);
    idempotent("tckn", validate::tckn, text);
    idempotent("iban", validate::iban, text);
    if let Ok(e164) = validate::phone(text) {
        let _ = validate::phone_display(&e164);
    }
    let _ = validate::image_data_url(text);
    let _ = validate::required_text(text);
    let _ = validate::long_text(text);
}

fn encodings(bytes: &[u8]) {
    let detected = decode::detect(bytes);
    let decoded = decode::decode(bytes, detected);
    assert!(decoded.replaced <= bytes.len());
    if let Some(encoded) = decode::encode_windows_1254(&decoded.text) {
        let again = decode::decode(&encoded, decode::Encoding::Windows1254);
        assert_eq!(again.text, decoded.text.trim_start_matches('\u{feff}'));
    }
    if vcard::is_vcard(&decoded.text) {
        let _ = vcard::table(&decoded.text);
    }
}

pub fn check(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match which % 7 {
        0 => decimal(&text),
        1 => dates(&text),
        2 => working_hours(&text),
        3 => identifiers(&text),
        4 => cells(&text),
        5 => contacts(&text),
        _ => encodings(rest),
    }
}
