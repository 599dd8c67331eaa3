//! A phone's contacts export (vCard 2.1, 3.0 or 4.0) to the text the CSV reader takes:
//! one row per card under the headers [`HEADERS`], which are the contact form's field
//! codes (so the mapping guesses itself) and `org`, left for the user to map to the
//! contact's account or ignore.
//!
//! Each card's row sits on the line its `BEGIN:VCARD` has in the file, so a report's
//! line is the card's line. Folded lines are unfolded, quoted-printable values (what
//! older Android phones write, with `CHARSET=UTF-8` or a Turkish code page) decoded,
//! escapes undone. What the contact form has no field for is not dropped: a second
//! phone or e-mail, an address, a web site, a birthday without a year go into the notes
//! as `ADR: …` lines. Only pictures and the phone's own bookkeeping (`UID`, `REV`,
//! `PRODID`, `X-…`) are left out.

use super::decode;
use super::table::write_cell;

/// The separator of the text the cards become.
pub const SEPARATOR: char = '\t';

/// The columns the cards become, in order.
pub const HEADERS: [&str; 8] = [
    "name", "org", "title", "mobile", "phone", "email", "birthday", "notes",
];

/// Whether `text` is a vCard file (it starts with `BEGIN:VCARD`).
pub fn is_vcard(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// The cards of `text` as [`SEPARATOR`]-separated text: the header row on line 0 (the
/// caller numbers it so), each card's row on its `BEGIN:VCARD` line.
pub fn table(text: &str) -> String {
    let mut out = HEADERS.join(&SEPARATOR.to_string());
    let mut line_of_out = 0;
    let mut card: Option<(usize, Card)> = None;
    for (line, content) in logical_lines(text) {
        let Some(property) = Property::parse(&content) else {
            continue;
        };
        match (property.name.as_str(), &mut card) {
            ("BEGIN", _) if property.raw.eq_ignore_ascii_case("VCARD") => {
                card = Some((line, Card::default()));
            }
            ("END", Some(_)) if property.raw.eq_ignore_ascii_case("VCARD") => {
                if let Some((start, done)) = card.take() {
                    // A card starts after the previous one ended, so lines only grow.
                    while line_of_out < start {
                        out.push('\n');
                        line_of_out += 1;
                    }
                    for (i, cell) in done.cells().iter().enumerate() {
                        if i > 0 {
                            out.push(SEPARATOR);
                        }
                        write_cell(&mut out, cell, SEPARATOR);
                    }
                }
            }
            (_, Some((_, open))) => open.add(&property),
            _ => {}
        }
    }
    out.push('\n');
    out
}

/// The logical lines of `text` with the (1-based) line each starts on: folded lines
/// (a line starting with a space or tab continues the one before) joined, and a
/// quoted-printable value's soft line breaks (`=` at the end) joined too.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut soft_break = false;
    for (n, physical) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if let Some(last) = lines.last_mut() {
            if soft_break {
                last.1.pop();
                last.1.push_str(physical);
                soft_break = last.1.ends_with('=') && is_quoted_printable(&last.1);
                continue;
            }
            if let Some(rest) = physical.strip_prefix([' ', '\t']) {
                last.1.push_str(rest);
                soft_break = last.1.ends_with('=') && is_quoted_printable(&last.1);
                continue;
            }
        }
        if physical.trim().is_empty() {
            soft_break = false;
            continue;
        }
        lines.push((n + 1, physical.to_owned()));
        soft_break = physical.ends_with('=') && is_quoted_printable(physical);
    }
    lines
}

/// Whether a property line's parameters say quoted-printable.
fn is_quoted_printable(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(head, _)| head.to_ascii_uppercase().contains("QUOTED-PRINTABLE"))
}

/// One property: its name (upper case, group dropped), parameters and value.
struct Property {
    name: String,
    /// Parameter values, upper case (`TYPE=CELL,VOICE` and 2.1's bare `CELL` alike).
    types: Vec<String>,
    /// The value decoded (quoted-printable, charset) but still escaped.
    raw: String,
    /// Whether the value is binary (base64: a picture).
    binary: bool,
}

impl Property {
    fn parse(line: &str) -> Option<Property> {
        // The value starts at the first `:` outside a quoted parameter value.
        let mut quoted = false;
        let colon = line.char_indices().find_map(|(i, c)| match c {
            '"' => {
                quoted = !quoted;
                None
            }
            ':' if !quoted => Some(i),
            _ => None,
        })?;
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts
            .next()?
            .rsplit('.')
            .next()?
            .trim()
            .to_ascii_uppercase();
        let mut types = Vec::new();
        let mut encoding = String::new();
        let mut charset = String::new();
        for part in parts {
            let (key, values) = match part.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_uppercase(), v),
                None => ("TYPE".to_owned(), part),
            };
            let values = values.trim_matches('"');
            match key.as_str() {
                "ENCODING" => encoding = values.to_ascii_uppercase(),
                "CHARSET" => charset = values.to_ascii_lowercase(),
                "TYPE" => types.extend(values.split(',').map(|v| v.trim().to_ascii_uppercase())),
                _ => {}
            }
        }
        // 2.1 writes `QUOTED-PRINTABLE` bare, which the loop took as a type.
        if types.iter().any(|t| t == "QUOTED-PRINTABLE") {
            encoding = "QUOTED-PRINTABLE".to_owned();
        }
        let binary = matches!(encoding.as_str(), "B" | "BASE64");
        let raw = if encoding == "QUOTED-PRINTABLE" {
            let bytes = quoted_printable(value);
            let chosen = match charset.as_str() {
                "windows-1254" | "iso-8859-9" | "cp1254" => Some(decode::Encoding::Windows1254),
                "" | "utf-8" | "utf8" => None,
                _ => Some(decode::detect(&bytes)),
            };
            match chosen {
                Some(e) => decode::decode(&bytes, e).text,
                None => String::from_utf8_lossy(&bytes).into_owned(),
            }
        } else {
            value.to_owned()
        };
        Some(Property {
            name,
            types,
            raw,
            binary,
        })
    }

    /// The value's components (split at unescaped `;`), unescaped.
    fn components(&self) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n' | 'N') => out.last_mut().map_or((), |s| s.push('\n')),
                    Some(other) => out.last_mut().map_or((), |s| s.push(other)),
                    None => {}
                },
                ';' => out.push(String::new()),
                c => out.last_mut().map_or((), |s| s.push(c)),
            }
        }
        out.into_iter().map(|s| s.trim().to_owned()).collect()
    }

    /// The value's non-empty components joined by `separator` (an organization and
    /// its units, an address's parts).
    fn joined(&self, separator: &str) -> String {
        self.components()
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// The whole value unescaped, `;` kept.
    fn text(&self) -> String {
        self.components().join(";")
    }
}

/// `=C3=87a=C4=9F` to its bytes.
fn quoted_printable(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = value.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// What one card has gathered.
#[derive(Default)]
struct Card {
    full_name: String,
    /// `N`: family, given, additional, prefixes, suffixes.
    structured: Vec<String>,
    org: String,
    title: String,
    mobile: String,
    phone: String,
    email: String,
    birthday: String,
    note: String,
    /// Values the form has no field for, as `NAME: value`.
    extra: Vec<String>,
}

impl Card {
    fn add(&mut self, p: &Property) {
        if p.binary {
            return;
        }
        let keep = |slot: &mut String, extra: &mut Vec<String>, label: &str, value: String| {
            if value.is_empty() {
            } else if slot.is_empty() {
                *slot = value;
            } else if *slot != value {
                extra.push(format!("{label}: {value}"));
            }
        };
        match p.name.as_str() {
            "FN" => self.full_name = p.text(),
            "N" => self.structured = p.components(),
            "ORG" => keep(&mut self.org, &mut self.extra, "ORG", p.joined(" / ")),
            "TITLE" | "ROLE" => keep(&mut self.title, &mut self.extra, &p.name, p.text()),
            "TEL" => {
                let number = p.text();
                let number = number.strip_prefix("tel:").unwrap_or(&number).to_owned();
                let cell = p.types.iter().any(|t| t == "CELL" || t == "MOBILE");
                if cell && self.mobile.is_empty() {
                    self.mobile = number;
                } else {
                    keep(&mut self.phone, &mut self.extra, "TEL", number);
                }
            }
            "EMAIL" => keep(&mut self.email, &mut self.extra, "EMAIL", p.text()),
            "BDAY" => match birthday(&p.text()) {
                Some(date) => self.birthday = date,
                None => self.extra.push(format!("BDAY: {}", p.text())),
            },
            "NOTE" => keep(&mut self.note, &mut self.extra, "NOTE", p.text()),
            "ADR" => {
                let address = p.joined(", ");
                if !address.is_empty() {
                    self.extra.push(format!("ADR: {address}"));
                }
            }
            "VERSION" | "PRODID" | "UID" | "REV" | "PHOTO" | "LOGO" | "SOUND" | "KEY"
            | "SOURCE" | "KIND" | "CLIENTPIDMAP" | "LABEL" => {}
            name if name.starts_with("X-") => {}
            name => {
                let value = p.text();
                if !value.is_empty() {
                    self.extra.push(format!("{name}: {value}"));
                }
            }
        }
    }

    /// The row: [`HEADERS`] in order.
    fn cells(&self) -> [String; 8] {
        let name = if self.full_name.is_empty() {
            // N's parts in speaking order: prefixes, given, additional, family, suffixes.
            let part = |i: usize| self.structured.get(i).map_or("", String::as_str);
            [part(3), part(1), part(2), part(0), part(4)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            self.full_name.clone()
        };
        let mut notes = self.note.clone();
        for extra in &self.extra {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(extra);
        }
        [
            name,
            self.org.clone(),
            self.title.clone(),
            self.mobile.clone(),
            self.phone.clone(),
            self.email.clone(),
            self.birthday.clone(),
            notes,
        ]
    }
}

/// A `BDAY` with a year as `YYYY-MM-DD` (`1980-04-03`, `19800403`, either with a time
/// after it); `None` for one without a year (`--0403`) or not a date.
fn birthday(value: &str) -> Option<String> {
    let day = value.split('T').next()?.replace('-', "");
    if day.len() != 8 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..]);
    crate::text::validate::date(&iso).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::vcard::{Version, write};

    fn rows(text: &str) -> Vec<(usize, Vec<String>)> {
        let table = table(text);
        crate::import::table::Rows::starting_at(&table, SEPARATOR, 0, 0)
            .as_worksheet(&[])
            .skip(1)
            .map(|r| r.expect("a row"))
            .map(|r| (r.line, r.cells))
            .collect()
    }

    #[test]
    fn our_own_cards_read_back_field_for_field_in_both_versions() {
        let card = crate::export::vcard::sample();
        for version in Version::ALL {
            let read = rows(&write(&[card.clone(), card.clone()], version));
            assert_eq!(read.len(), 2);
            assert_eq!(read[0].0, 1);
            assert_eq!(
                read[0].1,
                [
                    "Ayşe Nur Yılmaz",
                    "Çağ Gıda; Ltd.",
                    "Satın alma, müdür",
                    "+905321234567",
                    "+902121234567",
                    "ayse@cag.com.tr",
                    "1980-04-03",
                    "İki\nsatır"
                ]
                .map(String::from),
                "{version:?}"
            );
        }
    }

    #[test]
    fn an_old_android_export_with_quoted_printable_and_extras() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\n\
             N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96zt=C3=BCrk;=C5=9Eule;;;\r\n\
             TEL;CELL:0532 111 22 33\r\nTEL;CELL:0533 444 55 66\r\nTEL;HOME:0212 555 66 77\r\n\
             EMAIL;HOME:sule@example.com\r\nEMAIL;WORK:sule@is.com.tr\r\n\
             ADR;HOME:;;Bağdat Cad. 5;İstanbul;;34000;Türkiye\r\n\
             BDAY:--0403\r\n\
             NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=87ok uzun bir not, iki sat=\r\n\
             =C4=B1ra b=C3=B6l=C3=BCnm=C3=BC=C5=9F\r\n\
             PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\n \r\n\
             X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Şu;1\r\n\
             END:VCARD\r\n\
             \r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ali\r\n  Veli\r\nitem1.TEL;type=WORK:+90 212 000 00 00\r\n\
             END:VCARD\r\n";
        let read = rows(text);
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].0, 1);
        assert_eq!(
            read[0].1,
            [
                "Şule Öztürk",
                "",
                "",
                "0532 111 22 33",
                "0533 444 55 66",
                "sule@example.com",
                "",
                "Çok uzun bir not, iki satıra bölünmüş\nTEL: 0212 555 66 77\n\
                 EMAIL: sule@is.com.tr\nADR: Bağdat Cad. 5, İstanbul, 34000, Türkiye\nBDAY: --0403"
            ]
            .map(String::from)
        );
        // The second card's row is on its BEGIN line; a folded FN is whole again.
        assert_eq!(read[1].0, 18);
        assert_eq!(read[1].1[0], "Ali Veli");
        assert_eq!(read[1].1[4], "+90 212 000 00 00");
    }

    #[test]
    fn only_a_file_starting_with_begin_vcard_is_one() {
        assert!(is_vcard("\u{feff}begin:vcard\r\n"));
        assert!(!is_vcard("Ad;Soyad\r\nBEGIN:VCARD"));
        assert_eq!(birthday("19800403"), Some("1980-04-03".into()));
        assert_eq!(birthday("1980-04-03T00:00:00Z"), Some("1980-04-03".into()));
        assert_eq!(birthday("1980-02-30"), None);
    }
}
