//! Bytes of an uploaded file to text: which encoding it is in, and decoding it.
//!
//! Turkish spreadsheets arrive in one of three encodings. Excel's "CSV UTF-8" starts
//! with a byte-order mark; its plain "CSV" is Windows-1254 (Turkish Windows' code page,
//! which the WHATWG Encoding Standard also uses for ISO-8859-9); its "Unicode text" is
//! UTF-16 with a byte-order mark. [`detect`] tells them apart: a byte-order mark
//! decides, then bytes that are valid UTF-8 are UTF-8, and anything else is
//! Windows-1254, the only single-byte code page a Turkish file comes in. The user can
//! override the guess, and [`decode`] never fails: a byte that has no character (an
//! odd UTF-16 tail, a broken UTF-8 sequence) becomes U+FFFD, and the caller counts
//! those so nothing is lost silently.

/// An encoding a file can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    /// Windows-1254, a superset of ISO-8859-9 (Latin-5, Turkish).
    Windows1254,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// Every encoding, in the order a picker lists them.
    pub const ALL: [Encoding; 4] = [
        Encoding::Utf8,
        Encoding::Windows1254,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ];

    /// Stable code (what a saved import mapping stores).
    pub fn code(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1254 => "windows-1254",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }

    /// The encoding a label names (WHATWG labels, case-insensitive): `iso-8859-9`,
    /// `latin5` and `cp1254` are Windows-1254.
    pub fn from_label(label: &str) -> Option<Encoding> {
        match label.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1254" | "cp1254" | "iso-8859-9" | "iso8859-9" | "latin5" | "l5"
            | "x-cp1254" => Some(Encoding::Windows1254),
            "utf-16le" | "utf-16" => Some(Encoding::Utf16Le),
            "utf-16be" => Some(Encoding::Utf16Be),
            _ => None,
        }
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// The encoding of `bytes` (see the module doc); looks at most at the first 1 MiB
/// beyond a byte-order mark, which is plenty to meet a Turkish letter.
pub fn detect(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(UTF8_BOM) {
        return Encoding::Utf8;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16Le;
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16Be;
    }
    let sample = &bytes[..bytes.len().min(1 << 20)];
    match std::str::from_utf8(sample) {
        Ok(_) => Encoding::Utf8,
        // A sequence cut by the sample's end is still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Windows1254,
    }
}

/// Text decoded from a file, and how many bytes had no character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Bytes (or UTF-16 units) that became U+FFFD.
    pub replaced: usize,
}

/// Decodes `bytes` as `encoding`, dropping a byte-order mark.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Decoded {
    match encoding {
        Encoding::Utf8 => {
            let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
            match std::str::from_utf8(bytes) {
                Ok(text) => Decoded {
                    text: text.to_owned(),
                    replaced: 0,
                },
                Err(_) => {
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    let replaced = text.matches('\u{FFFD}').count()
                        - bytes_count(bytes, "\u{FFFD}".as_bytes());
                    Decoded { text, replaced }
                }
            }
        }
        Encoding::Windows1254 => Decoded {
            text: bytes.iter().map(|&b| windows_1254(b)).collect(),
            replaced: 0,
        },
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let big = encoding == Encoding::Utf16Be;
            let bom: &[u8] = if big { &[0xFE, 0xFF] } else { &[0xFF, 0xFE] };
            let body = bytes.strip_prefix(bom).unwrap_or(bytes);
            let units = body.chunks(2).map(|pair| match pair {
                [a, b] if big => u16::from_be_bytes([*a, *b]),
                [a, b] => u16::from_le_bytes([*a, *b]),
                // An odd last byte has no character.
                _ => 0xFFFD,
            });
            let mut replaced = usize::from(body.len() % 2 == 1);
            let text = char::decode_utf16(units)
                .map(|c| {
                    c.unwrap_or_else(|_| {
                        replaced += 1;
                        '\u{FFFD}'
                    })
                })
                .collect();
            Decoded { text, replaced }
        }
    }
}

/// How often `needle` occurs in `haystack` (U+FFFD that was in the file itself is not
/// a replacement).
fn bytes_count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// The character of one Windows-1254 byte. Bytes below 0x80 are ASCII; 0xA0–0xFF are
/// Latin-1 except six Turkish letters; 0x80–0x9F hold typographic marks, and the five
/// positions the code page leaves empty map to the C1 control of the same number, as
/// the WHATWG index does.
fn windows_1254(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', '\u{8E}',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        '\u{9E}', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        0xD0 => 'Ğ',
        0xDD => 'İ',
        0xDE => 'Ş',
        0xF0 => 'ğ',
        0xFD => 'ı',
        0xFE => 'ş',
        b => char::from(b),
    }
}

/// `text` in Windows-1254, for tests and for exports a legacy system asks for;
/// `None` if a character has no byte in the code page.
pub fn encode_windows_1254(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| {
            (0u8..=255)
                .find(|&b| windows_1254(b) == c)
                .filter(|&b| b >= 0x80 || c.is_ascii())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1254_is_told_from_utf8_and_decodes_turkish_letters() {
        let text = "Şirket;İl;Ağ;ılık;Gümüş;Çiçek;€ 1.234,56";
        let legacy = encode_windows_1254(text).expect("encodable");
        assert!(std::str::from_utf8(&legacy).is_err());
        assert_eq!(detect(&legacy), Encoding::Windows1254);
        assert_eq!(decode(&legacy, Encoding::Windows1254).text, text);
        assert_eq!(detect(text.as_bytes()), Encoding::Utf8);
        assert_eq!(decode(text.as_bytes(), Encoding::Utf8).text, text);
    }

    #[test]
    fn every_byte_of_windows_1254_decodes_and_encodes_back() {
        for b in 0u8..=255 {
            let c = windows_1254(b).to_string();
            assert_eq!(encode_windows_1254(&c), Some(vec![b]), "byte {b:#x}");
        }
    }

    #[test]
    fn a_byte_order_mark_decides_and_is_dropped() {
        let mut utf8 = UTF8_BOM.to_vec();
        utf8.extend_from_slice("Firma Adı".as_bytes());
        assert_eq!(detect(&utf8), Encoding::Utf8);
        assert_eq!(decode(&utf8, Encoding::Utf8).text, "Firma Adı");

        let mut le = vec![0xFF, 0xFE];
        le.extend("Şehir\tİl".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(detect(&le), Encoding::Utf16Le);
        assert_eq!(decode(&le, Encoding::Utf16Le).text, "Şehir\tİl");

        let mut be = vec![0xFE, 0xFF];
        be.extend("ğüşiöç".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(detect(&be), Encoding::Utf16Be);
        assert_eq!(decode(&be, Encoding::Utf16Be).text, "ğüşiöç");
    }

    #[test]
    fn undecodable_bytes_are_counted_not_hidden() {
        let broken = b"ab\xC3(cd";
        assert_eq!(detect(broken), Encoding::Windows1254);
        let forced = decode(broken, Encoding::Utf8);
        assert_eq!(forced.replaced, 1);
        assert!(forced.text.contains('\u{FFFD}'));
        // A U+FFFD the file really holds is not counted.
        let honest = "x\u{FFFD}y".as_bytes();
        assert_eq!(decode(honest, Encoding::Utf8).replaced, 0);
        let odd = [0xFF, 0xFE, b'a', 0, b'b'];
        assert_eq!(decode(&odd, Encoding::Utf16Le).replaced, 1);
    }

    #[test]
    fn a_utf8_sequence_cut_by_the_sample_is_still_utf8() {
        let mut bytes = vec![b'a'; (1 << 20) - 1];
        bytes.extend_from_slice("ş".as_bytes());
        assert_eq!(detect(&bytes), Encoding::Utf8);
    }

    #[test]
    fn labels_name_encodings() {
        assert_eq!(
            Encoding::from_label("ISO-8859-9"),
            Some(Encoding::Windows1254)
        );
        for e in Encoding::ALL {
            assert_eq!(Encoding::from_label(e.code()), Some(e));
        }
        assert_eq!(Encoding::from_label("koi8-r"), None);
    }
}
