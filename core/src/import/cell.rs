//! One cell as a spreadsheet wrote it to the text a record form takes.
//!
//! Forms take dates as `YYYY-MM-DD`, choices as their codes and amounts as the form's
//! decimal parser reads them; spreadsheets write `03.04.2025`, `Potansiyel`, `%20` and
//! `1.234,56 TL`. Each conversion here either gives the form's text or says why not;
//! everything else a cell can be wrong about (a phone, a VKN, an e-mail) is judged by
//! the form's own checks afterwards, so an imported record meets exactly the rules of
//! one typed in.

use super::mapping::DateOrder;
use crate::text::fold::fold;

/// Why a date cell gives no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any form Saha reads.
    Invalid,
    /// `03/04/2025`: day and month could be either; the user must say which.
    Ambiguous,
}

/// A date cell as `YYYY-MM-DD` ("" stays ""). Reads ISO dates (`2025-04-03`, with a
/// time after it ignored), the Turkish `3.4.2025` / `03.04.2025` (always day first),
/// and `03/04/2025` or `03-04-2025`, which is day first or month first as `order`
/// says, or plain when one part is above 12. Two-digit years are refused: a guessed
/// century is a guess.
pub fn date(raw: &str, order: Option<DateOrder>) -> Result<String, DateError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    // Drop a time part: `2025-04-03 00:00:00`, `03.04.2025 14:30`, `2025-04-03T10:00`.
    let day_part = text.split([' ', 'T']).next().unwrap_or(text);
    let (separator, parts) = ['-', '.', '/']
        .into_iter()
        .find_map(|s| {
            let parts: Vec<&str> = day_part.split(s).collect();
            (parts.len() == 3).then_some((s, parts))
        })
        .ok_or(DateError::Invalid)?;
    let number = |s: &str| -> Result<u32, DateError> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Invalid);
        }
        s.parse().map_err(|_| DateError::Invalid)
    };
    let [a, b, c] = [parts[0], parts[1], parts[2]];
    let (year, month, day) = if a.len() == 4 {
        // Year first: ISO (or `2025.04.03`, `2025/04/03`), always year-month-day.
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
        let (first, second) = (number(a)?, number(b)?);
        let day_first = if separator == '.' || first == second || (first > 12 && second <= 12) {
            // Dots are Turkish (day first); equal parts read the same either way; a
            // first part above 12 cannot be a month.
            true
        } else if second > 12 && first <= 12 {
            false
        } else {
            match order {
                Some(DateOrder::DayFirst) => true,
                Some(DateOrder::MonthFirst) => false,
                None => return Err(DateError::Ambiguous),
            }
        };
        let (day, month) = if day_first {
            (first, second)
        } else {
            (second, first)
        };
        (number(c)?, month, day)
    } else {
        return Err(DateError::Invalid);
    };
    let iso = format!("{year:04}-{month:02}-{day:02}");
    crate::text::validate::date(&iso).map_err(|_| DateError::Invalid)
}

/// Whether a date cell is one [`date`] cannot read without a [`DateOrder`].
pub fn needs_date_order(raw: &str) -> bool {
    date(raw, None) == Err(DateError::Ambiguous)
}

/// An amount cell for the form's decimal parser: a currency sign or code and spaces
/// dropped (`1.234,56 TL`, `₺1.234,56`, `1 234,56`).
pub fn amount(raw: &str) -> String {
    let mut text = raw.trim().to_owned();
    for mark in ["TRY", "TL", "YTL", "₺"] {
        if let Some(rest) = text.strip_suffix(mark) {
            text = rest.trim_end().to_owned();
        }
        if let Some(rest) = text.strip_prefix(mark) {
            text = rest.trim_start().to_owned();
        }
    }
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect()
}

/// Names people write for a choice's code, folded: `(code, names)`. Codes are matched
/// as they are first; these are the Turkish and English words for them.
const CHOICE_NAMES: &[(&str, &[&str])] = &[
    (
        "potential",
        &["potansiyel", "aday", "potential", "prospect"],
    ),
    ("new", &["yeni", "new"]),
    (
        "current",
        &[
            "mevcut", "aktif", "current", "active", "customer", "musteri",
        ],
    ),
    (
        "former",
        &["eski", "kayip", "pasif", "former", "inactive", "lost"],
    ),
    ("target", &["hedef", "target"]),
    (
        "company",
        &[
            "sirket",
            "kurumsal",
            "tuzel",
            "tuzel kisi",
            "firma",
            "company",
            "business",
        ],
    ),
    (
        "person",
        &[
            "sahis",
            "bireysel",
            "gercek",
            "gercek kisi",
            "kisi",
            "person",
            "individual",
        ],
    ),
    ("external", &["dis", "harici", "external"]),
    ("internal", &["ic", "dahili", "internal"]),
    ("TRY", &["tl", "try", "₺", "turk lirasi", "ytl"]),
    ("USD", &["usd", "$", "dolar", "us dollar", "abd dolari"]),
    ("EUR", &["eur", "€", "euro", "avro"]),
    (
        "20",
        &[
            "%20", "20%", "20", "0,20", "0.20", "0,2", "0.2", "20,00", "20.00",
        ],
    ),
    (
        "10",
        &[
            "%10", "10%", "10", "0,10", "0.10", "0,1", "0.1", "10,00", "10.00",
        ],
    ),
    ("1", &["%1", "1%", "1", "0,01", "0.01", "1,00", "1.00"]),
    // Order statuses, as ERP exports write them.
    (
        "open",
        &["acik", "beklemede", "bekliyor", "open", "pending"],
    ),
    (
        "delivered",
        &[
            "teslim edildi",
            "teslim",
            "sevk edildi",
            "sevkedildi",
            "delivered",
            "shipped",
        ],
    ),
    (
        "invoiced",
        &[
            "faturalandi",
            "faturali",
            "faturalasti",
            "invoiced",
            "billed",
        ],
    ),
    (
        "cancelled",
        &["iptal", "iptal edildi", "cancelled", "canceled"],
    ),
];

/// A choice cell as one of `codes` when it names one (the code itself in any case, or
/// a usual Turkish or English word for it); otherwise the cell as it is, for the form
/// to refuse as an unknown choice.
pub fn choice(raw: &str, codes: &[&str]) -> String {
    let text = raw.trim();
    if text.is_empty() {
        return String::new();
    }
    let folded = fold(text);
    if let Some(code) = codes.iter().find(|c| fold(c) == folded) {
        return (*code).to_owned();
    }
    CHOICE_NAMES
        .iter()
        .filter(|(code, _)| codes.contains(code))
        .find(|(_, names)| names.iter().any(|n| *n == folded))
        .map_or_else(|| text.to_owned(), |(code, _)| (*code).to_owned())
}

/// A cell our own exports defused against spreadsheet formulas (`'=SUM(…)`, `'+ 1`)
/// as it was before: the leading apostrophe goes. Other apostrophes stay.
pub fn undefused(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => raw,
    }
}

/// A tag cell for the form's comma-separated tags: `;` and `|` separate too.
pub fn tags(raw: &str) -> String {
    raw.replace([';', '|'], ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_our_exports_defuse_reads_back_as_it_was() {
        let exported = crate::export::csv::field("=1+2");
        assert_eq!(undefused(&exported), "=1+2");
        assert_eq!(undefused("'Tis"), "'Tis");
        assert_eq!(undefused("+905321112233"), "+905321112233");
    }

    #[test]
    fn turkish_dotted_dates_are_day_first() {
        assert_eq!(date("03.04.2025", None), Ok("2025-04-03".into()));
        assert_eq!(date("3.4.2025", None), Ok("2025-04-03".into()));
        assert_eq!(date("31.12.2024 23:59", None), Ok("2024-12-31".into()));
        assert_eq!(date("2025-04-03", None), Ok("2025-04-03".into()));
        assert_eq!(date("2025-04-03T10:00:00Z", None), Ok("2025-04-03".into()));
        assert_eq!(date("", None), Ok(String::new()));
    }

    #[test]
    fn an_ambiguous_slash_date_asks_and_never_guesses() {
        assert_eq!(date("03/04/2025", None), Err(DateError::Ambiguous));
        assert!(needs_date_order("03/04/2025"));
        assert_eq!(
            date("03/04/2025", Some(DateOrder::DayFirst)),
            Ok("2025-04-03".into())
        );
        assert_eq!(
            date("03/04/2025", Some(DateOrder::MonthFirst)),
            Ok("2025-03-04".into())
        );
        // One part above 12 decides; equal parts read the same either way.
        assert_eq!(date("25/04/2025", None), Ok("2025-04-25".into()));
        assert_eq!(date("04/25/2025", None), Ok("2025-04-25".into()));
        assert_eq!(date("05/05/2025", None), Ok("2025-05-05".into()));
        assert!(!needs_date_order("25/04/2025"));
    }

    #[test]
    fn impossible_dates_and_two_digit_years_are_refused() {
        for bad in [
            "31.02.2025",
            "03.04.25",
            "2025-13-01",
            "yarın",
            "03.04",
            "1.2.3.2025",
            "13/13/2025",
        ] {
            assert_eq!(date(bad, None), Err(DateError::Invalid), "{bad}");
        }
    }

    #[test]
    fn amounts_lose_currency_marks_and_keep_their_digits() {
        assert_eq!(amount("1.234,56 TL"), "1.234,56");
        assert_eq!(amount("₺1.234,56"), "1.234,56");
        assert_eq!(amount("1 234,56"), "1234,56");
        assert_eq!(amount("12\u{a0}500"), "12500");
        assert_eq!(
            crate::text::validate::decimal(&amount("1.234,56 TL")),
            Ok(Some(rust_decimal::Decimal::new(123456, 2)))
        );
    }

    #[test]
    fn choices_are_read_from_codes_and_usual_words() {
        let types = crate::parties::account::CustomerType::CODES;
        assert_eq!(choice("Potansiyel", types), "potential");
        assert_eq!(choice("MEVCUT", types), "current");
        assert_eq!(choice("former", types), "former");
        assert_eq!(choice("Bilinmez", types), "Bilinmez");
        assert_eq!(choice("%20", &["20", "10", "1"]), "20");
        assert_eq!(
            choice("Şahıs", crate::parties::account::Party::CODES),
            "person"
        );
        assert_eq!(choice("TL", &["TRY", "USD", "EUR"]), "TRY");
    }
}
