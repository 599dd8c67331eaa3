//! Contacts as vCard, the file a phone's address book imports.
//!
//! Version 3.0 (RFC 2426) is the default: stock Android imports 3.0 and refuses 4.0.
//! 4.0 (RFC 6350) is written on request. Every card has `N` and `FN` (phones build the
//! shown name from `N`); lines end in CRLF and are folded at 75 bytes, never inside a
//! character; text values escape `\`, `,`, `;` and line breaks.

/// A vCard version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}

impl Version {
    pub const ALL: [Version; 2] = [Version::V3, Version::V4];

    pub fn code(self) -> &'static str {
        match self {
            Version::V3 => "vcf3",
            Version::V4 => "vcf4",
        }
    }

    pub fn from_code(code: &str) -> Option<Version> {
        Version::ALL.into_iter().find(|v| v.code() == code)
    }

    /// The `VERSION` value.
    fn number(self) -> &'static str {
        match self {
            Version::V3 => "3.0",
            Version::V4 => "4.0",
        }
    }
}

/// The media type of a vCard file.
pub const MIME: &str = "text/vcard;charset=utf-8";

/// One person's card. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    /// A stable identifier (the record's ID), so a phone updates rather than adds the
    /// card when it is imported again.
    pub uid: String,
    /// The full name as the person writes it.
    pub name: String,
    pub organization: String,
    pub title: String,
    pub mobile: String,
    pub phone: String,
    pub email: String,
    /// `YYYY-MM-DD`.
    pub birthday: String,
    pub note: String,
}

/// `cards` as one vCard file.
pub fn write(cards: &[Card], version: Version) -> String {
    let mut out = String::new();
    for card in cards {
        line(&mut out, "BEGIN:VCARD");
        line(&mut out, &format!("VERSION:{}", version.number()));
        let (given, family) = split_name(&card.name);
        line(
            &mut out,
            &format!("N:{};{};;;", escape(family), escape(given)),
        );
        line(&mut out, &format!("FN:{}", escape(card.name.trim())));
        if !card.uid.is_empty() {
            line(&mut out, &format!("UID:{}", escape(&card.uid)));
        }
        if !card.organization.is_empty() {
            line(&mut out, &format!("ORG:{}", escape(&card.organization)));
        }
        if !card.title.is_empty() {
            line(&mut out, &format!("TITLE:{}", escape(&card.title)));
        }
        let (cell, work, internet) = match version {
            Version::V3 => (
                "TEL;TYPE=CELL",
                "TEL;TYPE=WORK,VOICE",
                "EMAIL;TYPE=INTERNET",
            ),
            Version::V4 => (
                "TEL;VALUE=uri;TYPE=cell",
                "TEL;VALUE=uri;TYPE=work",
                "EMAIL",
            ),
        };
        for (property, number) in [(cell, &card.mobile), (work, &card.phone)] {
            if !number.is_empty() {
                let value = match version {
                    Version::V3 => escape(number),
                    Version::V4 => format!("tel:{number}"),
                };
                line(&mut out, &format!("{property}:{value}"));
            }
        }
        if !card.email.is_empty() {
            line(&mut out, &format!("{internet}:{}", escape(&card.email)));
        }
        if !card.birthday.is_empty() {
            let value = match version {
                Version::V3 => card.birthday.clone(),
                Version::V4 => card.birthday.replace('-', ""),
            };
            line(&mut out, &format!("BDAY:{value}"));
        }
        if !card.note.is_empty() {
            line(&mut out, &format!("NOTE:{}", escape(&card.note)));
        }
        line(&mut out, "END:VCARD");
    }
    out
}

/// A full name as (given names, family name): the family name is the last word
/// ("Ayşe Nur Yılmaz" is Ayşe Nur, Yılmaz); one word is a given name.
pub fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((given, family)) => (given.trim_end(), family),
        None => (name, ""),
    }
}

/// A text value with vCard's special characters escaped.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Writes `content` as one logical line: CRLF-ended, folded so no physical line is
/// longer than 75 bytes (a continuation starts with a space), never inside a character.
fn line(out: &mut String, content: &str) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A card with every field, escapes and Turkish letters (for tests here and in
/// [`crate::import::vcard`]).
#[cfg(test)]
pub(crate) fn sample() -> Card {
    Card {
        uid: "saha:2xYz".into(),
        name: "Ayşe Nur Yılmaz".into(),
        organization: "Çağ Gıda; Ltd.".into(),
        title: "Satın alma, müdür".into(),
        mobile: "+905321234567".into(),
        phone: "+902121234567".into(),
        email: "ayse@cag.com.tr".into(),
        birthday: "1980-04-03".into(),
        note: "İki\nsatır".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        sample()
    }

    #[test]
    fn version_3_has_n_and_fn_escaped_values_and_crlf() {
        let text = write(&[card()], Version::V3);
        assert_eq!(
            text,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Yılmaz;Ayşe Nur;;;\r\nFN:Ayşe Nur Yılmaz\r\n\
             UID:saha:2xYz\r\nORG:Çağ Gıda\\; Ltd.\r\nTITLE:Satın alma\\, müdür\r\n\
             TEL;TYPE=CELL:+905321234567\r\nTEL;TYPE=WORK,VOICE:+902121234567\r\n\
             EMAIL;TYPE=INTERNET:ayse@cag.com.tr\r\nBDAY:1980-04-03\r\nNOTE:İki\\nsatır\r\n\
             END:VCARD\r\n"
        );
    }

    #[test]
    fn version_4_writes_uris_and_basic_dates() {
        let text = write(&[card()], Version::V4);
        assert!(text.contains("VERSION:4.0\r\n"));
        assert!(text.contains("TEL;VALUE=uri;TYPE=cell:tel:+905321234567\r\n"));
        assert!(text.contains("BDAY:19800403\r\n"));
        assert!(text.contains("EMAIL:ayse@cag.com.tr\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_bytes_between_characters() {
        let long = Card {
            name: "Ş".repeat(60),
            ..Card::default()
        };
        let text = write(&[long], Version::V3);
        for physical in text.split("\r\n") {
            assert!(
                physical.len() <= 75,
                "{physical:?} is {} bytes",
                physical.len()
            );
        }
        // Unfolded, the name is whole again.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("FN:{}\r\n", "Ş".repeat(60))));
    }

    #[test]
    fn one_word_is_a_given_name() {
        assert_eq!(split_name(" Ayşe "), ("Ayşe", ""));
        assert_eq!(split_name("Ali  Veli"), ("Ali", "Veli"));
    }
}
