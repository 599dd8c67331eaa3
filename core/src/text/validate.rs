//! Validation and normalisation of what users type into record forms.
//!
//! Validation never throws input away: it returns either the normalised value or a
//! [`Problem`] that the UI turns into a message in the user's language, while the form
//! keeps the text as typed.

/// Why a field's value was refused. The UI owns the wording (Turkish and English).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    InvalidEmail,
    InvalidPhone,
    /// Not a valid Turkish tax number (VKN, 10 digits with a checksum).
    InvalidVkn,
    /// Not a valid Turkish identity number (TCKN, 11 digits with two checksums).
    InvalidTckn,
    /// Not a calendar date written `YYYY-MM-DD`.
    InvalidDate,
    /// Not a non-negative number (`1.234,56` or `1234.56`).
    InvalidNumber,
    /// Not one of the offered choices.
    InvalidChoice,
    /// A percentage outside 0–100.
    PercentOutOfRange,
    /// The field can no longer change (e.g. the account of an issued invoice).
    Locked,
    /// Not a date and time written `YYYY-MM-DDTHH:MM`.
    InvalidDateTime,
    /// A time zone Saha does not know (see [`crate::time::civil::ZONES`]).
    UnknownTimeZone,
    /// An end that is not after its start.
    EndBeforeStart,
    /// A recurrence rule (RFC 5545 RRULE) that is malformed or uses a part Saha does not
    /// support.
    InvalidRecurrence,
    /// A message template with an unknown field or an unclosed `{{`.
    InvalidTemplate,
    /// A whole number outside the field's range.
    NumberOutOfRange {
        min: i64,
        max: i64,
    },
    /// Not an IBAN (country, two check digits that satisfy ISO 13616's mod 97, the
    /// account; a Turkish one has 26 characters).
    InvalidIban,
    /// Not a PNG, JPEG, WebP or SVG image within the size limit.
    InvalidImage,
}

impl Problem {
    /// Stable code, as the REST API spells it.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::InvalidEmail => "invalid_email",
            Problem::InvalidPhone => "invalid_phone",
            Problem::InvalidVkn => "invalid_vkn",
            Problem::InvalidTckn => "invalid_tckn",
            Problem::InvalidDate => "invalid_date",
            Problem::InvalidNumber => "invalid_number",
            Problem::InvalidChoice => "invalid_choice",
            Problem::PercentOutOfRange => "percent_out_of_range",
            Problem::Locked => "locked",
            Problem::InvalidDateTime => "invalid_date_time",
            Problem::UnknownTimeZone => "unknown_time_zone",
            Problem::EndBeforeStart => "end_before_start",
            Problem::InvalidRecurrence => "invalid_recurrence",
            Problem::InvalidTemplate => "invalid_template",
            Problem::NumberOutOfRange { .. } => "number_out_of_range",
            Problem::InvalidIban => "invalid_iban",
            Problem::InvalidImage => "invalid_image",
        }
    }
}

/// Longest name, city or e-mail we accept; longer input is almost always a paste error.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest free-text notes field, in bytes.
pub const MAX_NOTES: usize = 100_000;

/// A required single-line text: trimmed, not empty, not too long.
pub fn required_text(input: &str) -> Result<String, Problem> {
    let value = optional_text(input)?;
    if value.is_empty() {
        return Err(Problem::Required);
    }
    Ok(value)
}

/// An optional single-line text: trimmed, inner whitespace runs folded to one space.
pub fn optional_text(input: &str) -> Result<String, Problem> {
    let value = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() > MAX_SHORT_TEXT {
        return Err(Problem::TooLong {
            max: MAX_SHORT_TEXT,
        });
    }
    Ok(value)
}

/// Free text: kept as typed (line breaks included), within [`MAX_NOTES`] bytes.
pub fn long_text(input: &str) -> Result<String, Problem> {
    if input.len() > MAX_NOTES {
        return Err(Problem::TooLong { max: MAX_NOTES });
    }
    Ok(input.to_owned())
}

/// An optional calendar date, `YYYY-MM-DD` (what `<input type=date>` sends), between
/// the years 1900 and 2200.
pub fn date(input: &str) -> Result<String, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(Problem::InvalidDate);
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return Err(Problem::InvalidDate);
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(Problem::InvalidDate),
    };
    if !(1900..=2200).contains(&year) || day == 0 || day > days {
        return Err(Problem::InvalidDate);
    }
    Ok(value.to_owned())
}

/// An optional duration: whole minutes (`5`), `m:ss` (`4:05`) or `h:mm:ss`; returns
/// seconds, at most a day.
pub fn duration_seconds(input: &str) -> Result<Option<i64>, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = value.split(':').collect();
    let number = |s: &str| -> Result<i64, Problem> {
        if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Problem::InvalidNumber);
        }
        s.parse().map_err(|_| Problem::InvalidNumber)
    };
    let seconds = match parts.as_slice() {
        [minutes] => number(minutes)? * 60,
        [minutes, seconds] if seconds.len() == 2 => {
            let s = number(seconds)?;
            if s > 59 {
                return Err(Problem::InvalidNumber);
            }
            number(minutes)? * 60 + s
        }
        [hours, minutes, seconds] if minutes.len() == 2 && seconds.len() == 2 => {
            let (m, s) = (number(minutes)?, number(seconds)?);
            if m > 59 || s > 59 {
                return Err(Problem::InvalidNumber);
            }
            number(hours)? * 3600 + m * 60 + s
        }
        _ => return Err(Problem::InvalidNumber),
    };
    if seconds > 24 * 3600 {
        return Err(Problem::NumberOutOfRange {
            min: 0,
            max: 24 * 3600,
        });
    }
    Ok(Some(seconds))
}

/// An optional non-negative decimal, written the Turkish way (`1.234,56`) or the
/// English way (`1234.56`); at most 4 decimals and 15 integer digits. A single dot
/// followed by exactly three digits after a non-zero integer part groups thousands, as
/// in Turkish (`250.000` is two hundred and fifty thousand; `0.125` stays a fraction).
pub fn decimal(input: &str) -> Result<Option<rust_decimal::Decimal>, Problem> {
    let value: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if value.is_empty() {
        return Ok(None);
    }
    let english_grouping = match (value.rfind(','), value.rfind('.')) {
        // `1,250.00`: the decimal point comes after the comma that groups thousands.
        (Some(comma), Some(dot)) => dot > comma,
        // `1,250,000`: two commas are never one decimal separator.
        (Some(_), None) => value.matches(',').count() > 1,
        _ => false,
    };
    let canonical = if english_grouping {
        // Commas group thousands: one to three digits, then groups of exactly three.
        let int = value.split('.').next().unwrap_or("");
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return Err(Problem::InvalidNumber);
        }
        value.replace(',', "")
    } else if value.contains(',') {
        // Turkish: dots group thousands, the comma separates decimals.
        value.replace('.', "").replacen(',', ".", 1)
    } else if value.matches('.').count() > 1
        || value
            .split_once('.')
            .is_some_and(|(int, frac)| frac.len() == 3 && !int.is_empty() && !int.starts_with('0'))
    {
        value.replace('.', "")
    } else {
        value
    };
    let (int, frac) = canonical.split_once('.').unwrap_or((&canonical, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || int.len() > 15 || frac.len() > 4 {
        return Err(Problem::InvalidNumber);
    }
    canonical
        .parse::<rust_decimal::Decimal>()
        .map(|d| Some(d.normalize()))
        .map_err(|_| Problem::InvalidNumber)
}

/// A stored decimal (`1249.9`) as a form shows it for editing: the Turkish way with
/// grouped thousands (`1.249,9`) when `turkish`, else as stored, but for exactly three
/// decimals after a non-zero integer part, which get a fourth, zero (`2081.2350`):
/// [`decimal`] reads `2081.235` as two million (a Turkish thousands dot). Both read
/// back through [`decimal`] as the same number; text that is not a stored decimal stays
/// as it is.
pub fn decimal_for_editing(stored: &str, turkish: bool) -> String {
    let (int, frac) = stored.split_once('.').unwrap_or((stored, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !(frac.is_empty() || digits(frac)) {
        return stored.to_owned();
    }
    if !turkish {
        return if frac.len() == 3 && !int.starts_with('0') {
            format!("{stored}0")
        } else {
            stored.to_owned()
        };
    }
    let mut grouped = super::group_thousands(int, '.');
    if !frac.is_empty() {
        grouped.push(',');
        grouped.push_str(frac);
    }
    grouped
}

/// An optional e-mail address: empty stays empty; otherwise one `@`, a non-empty local
/// part, a domain with a dot and no empty labels; the domain is lower-cased.
pub fn email(input: &str) -> Result<String, Problem> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    if value.len() > 254 {
        return Err(Problem::TooLong { max: 254 });
    }
    let (local, domain) = value.split_once('@').ok_or(Problem::InvalidEmail)?;
    // The domain is checked as it is stored: lower case. Lowercasing can add a
    // combining mark (`İ` becomes `i` + U+0307), which a label may carry after a
    // letter, as in internationalised domain names.
    let domain = domain.to_lowercase();
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().enumerate().all(|(i, c)| {
                    c.is_alphanumeric() || c == '-' || (i > 0 && is_combining_mark(c))
                })
        });
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    if !domain_ok || !local_ok {
        return Err(Problem::InvalidEmail);
    }
    Ok(format!("{local}@{domain}"))
}

/// A combining diacritical mark (U+0300–U+036F), which follows the letter it marks.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// A stored (E.164) phone number as people in Turkey write it: a Turkish number in
/// national format (`+905321234567` → `0532 123 45 67`), any other as it is stored.
pub fn phone_display(e164: &str) -> String {
    match e164.strip_prefix("+90") {
        Some(n) if n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("0{} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..])
        }
        _ => e164.to_owned(),
    }
}

/// An optional phone number, normalised to E.164 with Turkey (+90) as the default
/// country: `0532 123 45 67`, `532 123 4567` and `+90 (532) 123-45-67` all become
/// `+905321234567`. Numbers written with `+` or `00` keep their country code.
pub fn phone(input: &str) -> Result<String, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let mut digits = String::with_capacity(trimmed.len());
    let mut plus = false;
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '(' | ')' | '.' | '/' => {}
            _ => return Err(Problem::InvalidPhone),
        }
    }
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if digits.len() == 12 && digits.starts_with("90") {
        // Written with the country code but without `+`.
        digits
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("90{rest}")
    } else {
        format!("90{digits}")
    };
    let valid = if let Some(national) = international.strip_prefix("90") {
        turkish_number(national)
    } else {
        (8..=15).contains(&international.len()) && !international.starts_with('0')
    };
    if !valid {
        return Err(Problem::InvalidPhone);
    }
    Ok(format!("+{international}"))
}

/// Whether `national` (the digits after +90) is a number Turkey's numbering plan
/// gives out: a geographic area code, a mobile operator's prefix, a nationwide
/// (`850`), free (`800`), premium (`900`) or paging (`512`) number, all ten digits, or
/// a seven-digit `444` call-centre number. The prefixes are the ones libphonenumber's
/// metadata for TR lists; `0123 456 78 90` has the right length but no such area code.
fn turkish_number(national: &str) -> bool {
    if !national.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if national.len() == 7 {
        return national.starts_with("444");
    }
    if national.len() != 10 {
        return false;
    }
    let prefix: u16 = national[..3].parse().unwrap_or(0);
    let (hundreds, tens, ones) = (prefix / 100, prefix / 10 % 10, prefix % 10);
    let even = ones % 2 == 0;
    match hundreds {
        2 => match tens {
            1 | 3 => matches!(ones, 2 | 6),
            2 | 8 => even && ones >= 2,
            4 | 5 => matches!(ones, 2 | 6 | 8),
            6 | 7 => matches!(ones, 2 | 4 | 6),
            _ => false,
        },
        3 => match tens {
            1 | 3 => matches!(ones, 2 | 8),
            2 | 4..=6 => even && ones >= 2,
            7 | 8 => even,
            9 => ones == 2,
            _ => false,
        },
        4 => match tens {
            1 | 6 => matches!(ones, 2 | 4 | 6),
            2 | 3 | 5 | 7 | 8 => even && ones >= 2,
            4 => matches!(ones, 2 | 6),
            _ => false,
        },
        5 => match tens {
            0 => matches!(ones, 1 | 5..=7),
            1 => matches!(ones, 0 | 2 | 6),
            2 => ones == 4,
            3 | 4 => true,
            5 => ones != 0 && !(6..=8).contains(&ones),
            6 => national.starts_with("56161"),
            9 => matches!(ones, 4 | 6),
            _ => false,
        },
        8 => matches!(prefix, 800 | 850 | 888),
        9 => prefix == 900,
        _ => false,
    }
}

/// An optional Turkish tax number (VKN, *vergi kimlik numarası*) of a company: ten
/// digits whose last is the checksum of the first nine. Spaces are ignored; empty stays
/// empty.
pub fn vkn(input: &str) -> Result<String, Problem> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(digits);
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 10 || digits.len() != 10 {
        return Err(Problem::InvalidVkn);
    }
    let mut sum = 0;
    for (j, digit) in d[..9].iter().enumerate() {
        let power = 9 - j as u32;
        let c1 = (digit + power) % 10;
        if c1 != 0 {
            let c2 = (c1 * 2u32.pow(power)) % 9;
            sum += if c2 == 0 { 9 } else { c2 };
        }
    }
    if (10 - sum % 10) % 10 == d[9] {
        Ok(digits)
    } else {
        Err(Problem::InvalidVkn)
    }
}

/// An optional IBAN, normalised to groups of four (`TR33 0006 1005 1978 6457 8413 26`):
/// letters and digits only, two check digits valid under ISO 13616 (mod 97 = 1); a
/// Turkish IBAN is 26 characters long. Spaces are ignored; empty stays empty.
pub fn iban(input: &str) -> Result<String, Problem> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.is_empty() {
        return Ok(compact);
    }
    let well_formed = (15..=34).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact[..2].chars().all(|c| c.is_ascii_alphabetic())
        && compact[2..4].chars().all(|c| c.is_ascii_digit())
        && (!compact.starts_with("TR") || compact.len() == 26);
    if !well_formed {
        return Err(Problem::InvalidIban);
    }
    // Move the first four characters to the end, letters become 10–35, then mod 97.
    let rearranged = compact[4..].chars().chain(compact[..4].chars());
    let mut remainder: u32 = 0;
    for c in rearranged {
        let value = c.to_digit(36).unwrap_or(0);
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    if remainder != 1 {
        return Err(Problem::InvalidIban);
    }
    let groups: Vec<String> = compact
        .as_bytes()
        .chunks(4)
        .map(|g| String::from_utf8_lossy(g).into_owned())
        .collect();
    Ok(groups.join(" "))
}

/// Largest image kept inside a document (a company logo), as a `data:` URL.
pub const MAX_IMAGE_URL: usize = 96 * 1024;

/// An optional small image as a `data:` URL of a PNG, JPEG, WebP or SVG picture, at
/// most [`MAX_IMAGE_URL`] long (it travels inside a synced document).
pub fn image_data_url(input: &str) -> Result<String, Problem> {
    let url = input.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let allowed = [
        "data:image/png;base64,",
        "data:image/jpeg;base64,",
        "data:image/webp;base64,",
        "data:image/svg+xml;base64,",
    ];
    let Some(prefix) = allowed.iter().find(|p| url.starts_with(**p)) else {
        return Err(Problem::InvalidImage);
    };
    let body = &url[prefix.len()..];
    let base64 = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if url.len() > MAX_IMAGE_URL || body.is_empty() || !base64 {
        return Err(Problem::InvalidImage);
    }
    Ok(url.to_owned())
}

/// An optional Turkish identity number (TCKN, *T.C. kimlik numarası*) of a person:
/// eleven digits, not starting with 0, whose last two are checksums of the rest.
pub fn tckn(input: &str) -> Result<String, Problem> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(digits);
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 11 || digits.len() != 11 || d[0] == 0 {
        return Err(Problem::InvalidTckn);
    }
    let odd: u32 = d[..9].iter().step_by(2).sum();
    let even: u32 = d[1..9].iter().step_by(2).sum();
    let tenth = (7 * odd + 10 * 9 - even) % 10;
    let eleventh = (d[..9].iter().sum::<u32>() + tenth) % 10;
    if d[9] == tenth && d[10] == eleventh {
        Ok(digits)
    } else {
        Err(Problem::InvalidTckn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_the_english_way_too() {
        let d = |s: &str| decimal(s).map(|d| d.map(|d| d.to_string()));
        assert_eq!(d("1,250.00"), Ok(Some("1250".into())));
        assert_eq!(d("1,250,000.5"), Ok(Some("1250000.5".into())));
        assert_eq!(d("1,250,000"), Ok(Some("1250000".into())));
        // Turkish stays Turkish: a lone comma is the decimal separator.
        assert_eq!(d("1.250,50"), Ok(Some("1250.5".into())));
        assert_eq!(d("12,5"), Ok(Some("12.5".into())));
        assert_eq!(d("1.250.000"), Ok(Some("1250000".into())));
        // Mixed up beyond reading: refused, not guessed.
        assert_eq!(d("1,25,0.00.1"), Err(Problem::InvalidNumber));
        assert_eq!(d("1.250,00,5"), Err(Problem::InvalidNumber));
    }

    #[test]
    fn ibans_are_checked_and_grouped() {
        assert_eq!(
            iban("tr330006100519786457841326").as_deref(),
            Ok("TR33 0006 1005 1978 6457 8413 26")
        );
        assert_eq!(
            iban(" GB82 WEST 1234 5698 7654 32 ").as_deref(),
            Ok("GB82 WEST 1234 5698 7654 32")
        );
        assert_eq!(iban(""), Ok(String::new()));
        // One digit off, a Turkish IBAN a digit short, rubbish.
        assert_eq!(
            iban("TR330006100519786457841327"),
            Err(Problem::InvalidIban)
        );
        assert_eq!(iban("TR33000610051978645784132"), Err(Problem::InvalidIban));
        assert_eq!(iban("IBAN: TR33"), Err(Problem::InvalidIban));
    }

    #[test]
    fn only_small_images_are_kept() {
        assert_eq!(
            image_data_url("data:image/png;base64,iVBORw0KGgo=").as_deref(),
            Ok("data:image/png;base64,iVBORw0KGgo=")
        );
        assert_eq!(image_data_url("  "), Ok(String::new()));
        assert_eq!(
            image_data_url("data:text/html;base64,PHNjcmlwdD4="),
            Err(Problem::InvalidImage)
        );
        assert_eq!(
            image_data_url("javascript:alert(1)"),
            Err(Problem::InvalidImage)
        );
        assert_eq!(
            image_data_url("data:image/png;base64,\"><script>"),
            Err(Problem::InvalidImage)
        );
        let huge = format!("data:image/png;base64,{}", "A".repeat(MAX_IMAGE_URL));
        assert_eq!(image_data_url(&huge), Err(Problem::InvalidImage));
    }

    #[test]
    fn durations_are_minutes_or_clock_text() {
        assert_eq!(duration_seconds("5"), Ok(Some(300)));
        assert_eq!(duration_seconds("4:05"), Ok(Some(245)));
        assert_eq!(duration_seconds("1:02:03"), Ok(Some(3723)));
        assert_eq!(duration_seconds(" "), Ok(None));
        for bad in ["4:5", "4:60", "-3", "beş", "1:2:3", "4,5"] {
            assert_eq!(duration_seconds(bad), Err(Problem::InvalidNumber), "{bad}");
        }
        assert!(matches!(
            duration_seconds("25:00:00"),
            Err(Problem::NumberOutOfRange { .. })
        ));
    }

    #[test]
    fn phones_normalise_to_e164_with_turkey_as_default() {
        for input in [
            "0532 123 45 67",
            "532 123 4567",
            "+90 (532) 123-45-67",
            "0090 532 123 45 67",
            "905321234567",
        ] {
            assert_eq!(phone(input), Ok("+905321234567".into()), "{input}");
        }
        assert_eq!(phone("+49 30 1234567"), Ok("+49301234567".into()));
        assert_eq!(phone("  "), Ok(String::new()));
    }

    #[test]
    fn turkish_numbers_must_exist_in_the_numbering_plan() {
        for (input, stored) in [
            ("0212 555 12 12", "+902125551212"),
            ("(0312) 444 55 66", "+903124445566"),
            ("0850 222 33 44", "+908502223344"),
            ("0 800 211 00 11", "+908002110011"),
            ("444 1 444", "+904441444"),
            ("0505 111 22 33", "+905051112233"),
            ("0549 111 22 33", "+905491112233"),
            ("0552 111 22 33", "+905521112233"),
            ("0488 111 22 33", "+904881112233"),
        ] {
            assert_eq!(phone(input), Ok(stored.into()), "{input}");
        }
        // The right length, but no such area code or operator.
        for bad in [
            "0123 456 78 90",
            "0211 555 12 12",
            "0500 111 22 33",
            "0599 111 22 33",
            "0700 111 22 33",
            "0999 111 22 33",
            "445 1 444",
            "0532 123 45 6",
        ] {
            assert_eq!(phone(bad), Err(Problem::InvalidPhone), "{bad}");
        }
    }

    #[test]
    fn bad_phones_are_refused() {
        for input in [
            "12",
            "0532 123 45",
            "+90 0532 123 45 67",
            "abc",
            "05321234567x",
            "+",
        ] {
            assert_eq!(phone(input), Err(Problem::InvalidPhone), "{input}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(email(" Ayse@Ornek.COM.tr "), Ok("Ayse@ornek.com.tr".into()));
        assert_eq!(email(""), Ok(String::new()));
        assert_eq!(email("şule@şirket.com.tr"), Ok("şule@şirket.com.tr".into()));
        // `İ` lowercases to `i` and a combining dot; the result validates to itself.
        let dotted = email("ayse@İzmir.com.tr").expect("a dotted capital I is a letter");
        assert_eq!(dotted, "ayse@i\u{307}zmir.com.tr");
        assert_eq!(email(&dotted), Ok(dotted.clone()));
        assert_eq!(email("ayse@\u{307}izmir.com"), Err(Problem::InvalidEmail));
        for bad in [
            "ayse",
            "ayse@",
            "@ornek.com",
            "ayse@ornek",
            "a b@c.com",
            "a@b..com",
            "a..b@c.com",
        ] {
            assert_eq!(email(bad), Err(Problem::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn texts() {
        assert_eq!(
            required_text("  Anadolu   Gıda  "),
            Ok("Anadolu Gıda".into())
        );
        assert_eq!(required_text("   "), Err(Problem::Required));
        assert_eq!(
            optional_text(&"ş".repeat(201)),
            Err(Problem::TooLong { max: 200 })
        );
    }

    #[test]
    fn dates() {
        assert_eq!(date("2026-02-28"), Ok("2026-02-28".into()));
        assert_eq!(date("2024-02-29"), Ok("2024-02-29".into()));
        assert_eq!(date(""), Ok(String::new()));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "26-01-01",
            "2026-1-1",
            "1800-01-01",
            "yarın",
        ] {
            assert_eq!(date(bad), Err(Problem::InvalidDate), "{bad}");
        }
    }

    #[test]
    fn decimals_in_turkish_and_english_notation() {
        use rust_decimal::Decimal;
        assert_eq!(decimal("1.234,50"), Ok(Some(Decimal::new(12345, 1))));
        assert_eq!(decimal("1234.5"), Ok(Some(Decimal::new(12345, 1))));
        assert_eq!(decimal("1.234.567"), Ok(Some(Decimal::new(1234567, 0))));
        assert_eq!(decimal("0,25"), Ok(Some(Decimal::new(25, 2))));
        assert_eq!(decimal("250.000"), Ok(Some(Decimal::new(250000, 0))));
        assert_eq!(decimal("0.125"), Ok(Some(Decimal::new(125, 3))));
        assert_eq!(decimal(" "), Ok(None));
        for bad in ["-5", "1,2,3", "abc", "1.23456", ",5", "1e5"] {
            assert_eq!(decimal(bad), Err(Problem::InvalidNumber), "{bad}");
        }
    }

    #[test]
    fn turkish_tax_and_identity_numbers_are_checked() {
        assert_eq!(vkn("454 053 6920"), Ok("4540536920".into()));
        assert_eq!(vkn("9876543217"), Ok("9876543217".into()));
        assert_eq!(vkn(""), Ok(String::new()));
        for bad in [
            "4540536921",
            "454053692",
            "45405369200",
            "45405369a0",
            "٤٥٤٠٥٣٦٩٢٠",
        ] {
            assert_eq!(vkn(bad), Err(Problem::InvalidVkn), "{bad}");
        }
        assert_eq!(tckn("100 000 001 46"), Ok("10000000146".into()));
        assert_eq!(tckn(""), Ok(String::new()));
        for bad in [
            "10000000147",
            "10000000156",
            "00000000146",
            "1000000014",
            "1000000014x",
        ] {
            assert_eq!(tckn(bad), Err(Problem::InvalidTckn), "{bad}");
        }
    }

    #[test]
    fn turkish_numbers_show_in_national_format() {
        assert_eq!(phone_display("+905321234567"), "0532 123 45 67");
        assert_eq!(phone_display("+902125551234"), "0212 555 12 34");
        assert_eq!(phone_display("+4930123456"), "+4930123456");
        assert_eq!(phone_display("+90532"), "+90532");
        // What is shown reads back as the same number.
        assert_eq!(
            phone(&phone_display("+905321234567")),
            Ok("+905321234567".into())
        );
    }

    #[test]
    fn decimals_show_for_editing_the_way_they_are_read() {
        for (stored, shown) in [
            ("250000", "250.000"),
            ("1249.9", "1.249,9"),
            ("0.125", "0,125"),
            ("12", "12"),
            ("1234567.5", "1.234.567,5"),
        ] {
            assert_eq!(decimal_for_editing(stored, true), shown);
            assert_eq!(
                decimal(shown).unwrap().map(|d| d.to_string()),
                Some(stored.to_owned()),
                "{shown} reads back"
            );
            assert_eq!(decimal_for_editing(stored, false), stored);
        }
        // Found by the `input_fields` fuzz target: shown as stored, `2081.235` read
        // back as 2081235.
        for (stored, shown) in [("2081.235", "2081.2350"), ("1.125", "1.1250")] {
            assert_eq!(decimal_for_editing(stored, false), shown);
            assert_eq!(
                decimal(shown).unwrap().map(|d| d.to_string()),
                Some(stored.to_owned()),
                "{shown} reads back"
            );
        }
        assert_eq!(decimal_for_editing("iki", true), "iki");
        assert_eq!(decimal_for_editing("", true), "");
    }
}
