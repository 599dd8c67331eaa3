//! Attachments: photos, voice notes and documents on any record.
//!
//! A record's document keeps only what describes a file ([`Attachment`]: its SHA-256,
//! name, media type, size, who attached it and when); the bytes live in the server's
//! blob store, content-addressed per workspace, so the same file attached twice is kept
//! once and documents stay small. The list only grows: removing an attachment sets its
//! [`Attachment::removed_at`], so two devices that attach offline both keep theirs.
//!
//! What kinds of file Saha keeps is decided here for both sides: [`sniff`] names a
//! file's media type from its first bytes (never from what the uploader claims), and a
//! file it cannot name is refused. Text (which includes HTML and SVG) is kept as
//! `text/plain` and always served as a download, so no upload runs script in Saha's
//! origin.

use autosurgeon::{Hydrate, Reconcile};

/// Bytes of one upload chunk; every chunk but the last has exactly this size.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// Largest file the server takes unless configured otherwise (25 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// The longer edge, in pixels, a phone draws a photo at unless the server says
/// otherwise (`--photo-max-edge`).
pub const DEFAULT_PHOTO_MAX_EDGE: u32 = 2048;

/// The longer edge, in pixels, of the thumbnail a phone makes of a photo for lists.
pub const THUMB_EDGE: u32 = 256;

/// Bytes [`sniff`] looks at.
pub const SNIFF_BYTES: usize = 1024;

/// One file attached to a record.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Attachment {
    /// SHA-256 of the bytes, 64 lower-case hex digits: the blob's address.
    #[key]
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub hash: String,
    /// The file's name as the member chose or the device named it.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub name: String,
    /// The media type [`sniff`] found (e.g. `image/jpeg`).
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub media_type: String,
    /// Size in bytes.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int_or_zero")]
    pub size: i64,
    /// Length of a voice note in milliseconds (0 for other files).
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    #[serde(default)]
    pub duration_ms: i64,
    /// User ID of the member who attached it.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub by: String,
    /// When it was attached (milliseconds since the Unix epoch).
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int_or_zero")]
    pub at: i64,
    /// When it was removed from the record (0 while it is on it).
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    #[serde(default)]
    pub removed_at: i64,
    /// SHA-256 of a small JPEG of a photo ([`THUMB_EDGE`] px on its longer edge) that
    /// lists show, uploaded beside the photo; empty for other files and for photos
    /// attached without one (through the API, or by an older app).
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    #[serde(default)]
    pub thumb: String,
}

impl Attachment {
    /// Whether the attachment is still on its record.
    pub fn is_live(&self) -> bool {
        self.removed_at == 0
    }

    /// What the file is, by its media type.
    pub fn category(&self) -> Category {
        Category::of(&self.media_type)
    }

    /// Whether `hash` names this attachment's file or its thumbnail: either may be
    /// downloaded through a record that holds the attachment.
    pub fn names(&self, hash: &str) -> bool {
        self.hash == hash || (!self.thumb.is_empty() && self.thumb == hash)
    }

    /// The blobs the attachment needs kept: the file, and its thumbnail if it has one.
    pub fn blobs(&self) -> impl Iterator<Item = &str> {
        let thumb = (!self.thumb.is_empty()).then_some(self.thumb.as_str());
        std::iter::once(self.hash.as_str()).chain(thumb)
    }
}

/// What a file is, for how the app shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Shown as a thumbnail and inline.
    Photo,
    /// Played inline.
    Voice,
    /// Opened or downloaded.
    Document,
}

impl Category {
    /// The category of `media_type`.
    pub fn of(media_type: &str) -> Category {
        if media_type.starts_with("image/") {
            Category::Photo
        } else if media_type.starts_with("audio/") {
            Category::Voice
        } else {
            Category::Document
        }
    }

    /// Whether a browser may show the file in a page of Saha (`inline`); everything else
    /// is served as a download. PDFs are downloads too: a sandboxed response cannot
    /// run the browser's PDF viewer, and a PDF may carry script.
    pub fn inline(media_type: &str) -> bool {
        matches!(
            media_type,
            "image/jpeg"
                | "image/png"
                | "image/webp"
                | "image/gif"
                | "audio/webm"
                | "audio/ogg"
                | "audio/mp4"
                | "audio/mpeg"
                | "audio/wav"
        )
    }
}

/// Whether `hash` is a SHA-256 as attachments spell it (64 lower-case hex digits).
pub fn is_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The media type of a file that starts with `head` (its first [`SNIFF_BYTES`] or all of
/// it if shorter) and is called `name`, or `None` when Saha does not keep such files.
///
/// The bytes decide; the name only tells apart formats that share a container (a
/// `.docx` and an `.xlsx` are both ZIP files; `.doc` and `.xls` both OLE files).
pub fn sniff(head: &[u8], name: &str) -> Option<&'static str> {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let starts = |magic: &[u8]| head.starts_with(magic);
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Some("image/gif");
    }
    if starts(b"RIFF") && at(8, b"WEBP") {
        return Some("image/webp");
    }
    if starts(b"RIFF") && at(8, b"WAVE") {
        return Some("audio/wav");
    }
    if at(4, b"ftyp") {
        let brand = head.get(8..12).unwrap_or_default();
        return match brand {
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc" => Some("image/heic"),
            // Safari records voice notes as MP4 audio.
            b"M4A " | b"M4B " | b"isom" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"dash" => {
                Some("audio/mp4")
            }
            _ => None,
        };
    }
    // WebM (EBML): what Chromium and Firefox record voice notes as.
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Some("audio/webm");
    }
    if starts(b"OggS") {
        return Some("audio/ogg");
    }
    if starts(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        return Some("audio/mpeg");
    }
    if starts(b"%PDF-") {
        return Some("application/pdf");
    }
    if starts(b"PK\x03\x04") {
        return match extension.as_str() {
            "docx" => {
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "pptx" => {
                Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")
            }
            "odt" => Some("application/vnd.oasis.opendocument.text"),
            "ods" => Some("application/vnd.oasis.opendocument.spreadsheet"),
            "odp" => Some("application/vnd.oasis.opendocument.presentation"),
            _ => None,
        };
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return match extension.as_str() {
            "doc" => Some("application/msword"),
            "xls" => Some("application/vnd.ms-excel"),
            "ppt" => Some("application/vnd.ms-powerpoint"),
            _ => None,
        };
    }
    if is_text(head) {
        return Some(if extension == "csv" {
            "text/csv"
        } else {
            "text/plain"
        });
    }
    None
}

/// Whether `head` reads as UTF-8 text without control bytes other than whitespace (a
/// multi-byte character cut at the end of `head` still counts).
fn is_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => match std::str::from_utf8(&head[..e.valid_up_to()]) {
            Ok(text) => text,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
}

/// How long a device keeps the files it holds once the server has them: every one, the
/// ones used (stored or shown) within some days, or none beyond those still waiting to
/// be uploaded. A file no longer kept downloads again when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepFiles {
    All,
    Days(u32),
    UntilUploaded,
}

impl KeepFiles {
    /// The choices a member has, from keeping most to keeping least.
    pub const CHOICES: [KeepFiles; 5] = [
        KeepFiles::All,
        KeepFiles::Days(90),
        KeepFiles::Days(30),
        KeepFiles::Days(7),
        KeepFiles::UntilUploaded,
    ];

    /// As the setting is stored: `all`, a number of days, or `none`.
    pub fn to_setting(self) -> String {
        match self {
            KeepFiles::All => "all".into(),
            KeepFiles::Days(days) => days.to_string(),
            KeepFiles::UntilUploaded => "none".into(),
        }
    }

    /// Reads [`KeepFiles::to_setting`]'s form; `None` for anything else.
    pub fn from_setting(text: &str) -> Option<KeepFiles> {
        match text {
            "all" => Some(KeepFiles::All),
            "none" => Some(KeepFiles::UntilUploaded),
            days => days
                .parse::<u32>()
                .ok()
                .filter(|d| *d > 0)
                .map(KeepFiles::Days),
        }
    }

    /// Whether a file last used at `used_at` stays at `now` (both ms since the Unix
    /// epoch). A file still waiting to be uploaded always stays; the caller checks that.
    pub fn keeps(self, used_at: f64, now: f64) -> bool {
        match self {
            KeepFiles::All => true,
            KeepFiles::Days(days) => now - used_at < f64::from(days) * 86_400_000.0,
            KeepFiles::UntilUploaded => false,
        }
    }

    /// Whether a file fetched to be shown is kept on the device afterwards.
    pub fn keeps_what_is_shown(self) -> bool {
        self != KeepFiles::UntilUploaded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_their_bytes_not_their_names() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "x.pdf"),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", "photo.jpg"),
            Some("image/png")
        );
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 ", "a"), Some("image/webp"));
        assert_eq!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0", "IMG_1.HEIC"),
            Some("image/heic")
        );
        assert_eq!(
            sniff(b"\0\0\0\x1cftypM4A \0\0\0\0", "note"),
            Some("audio/mp4")
        );
        assert_eq!(
            sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F], "note.webm"),
            Some("audio/webm")
        );
        assert_eq!(sniff(b"OggS\0\x02", "n.ogg"), Some("audio/ogg"));
        assert_eq!(sniff(b"%PDF-1.7\n", "quote.PDF"), Some("application/pdf"));
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0", "Teklif.DOCX"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "f.xls"),
            Some("application/vnd.ms-excel")
        );
        assert_eq!(
            sniff("Müşteri notu\nçok iyi".as_bytes(), "n.txt"),
            Some("text/plain")
        );
        assert_eq!(sniff(b"a;b\n1;2\n", "list.csv"), Some("text/csv"));
    }

    #[test]
    fn markup_is_plain_text_and_unknown_files_are_refused() {
        // HTML and SVG are text: kept, but never as a type a browser would run.
        assert_eq!(
            sniff(b"<html><script>alert(1)</script>", "x.html"),
            Some("text/plain")
        );
        assert_eq!(sniff(b"<svg onload=alert(1)>", "x.svg"), Some("text/plain"));
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0", "setup.exe"), None);
        assert_eq!(sniff(b"PK\x03\x04\x14\0", "archive.zip"), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01", "a.txt"), None);
        assert_eq!(sniff(b"", "empty.txt"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypqt  ", "movie.mov"), None);
    }

    #[test]
    fn text_cut_inside_a_character_is_still_text() {
        let text = "ğ".repeat(SNIFF_BYTES);
        assert_eq!(
            sniff(&text.as_bytes()[..SNIFF_BYTES - 1], "t.txt"),
            Some("text/plain")
        );
    }

    #[test]
    fn only_sha256_hex_is_a_hash() {
        assert!(is_hash(&"ab".repeat(32)));
        assert!(!is_hash(&"AB".repeat(32)));
        assert!(!is_hash(&"ab".repeat(31)));
        assert!(!is_hash("../../etc/passwd"));
    }

    #[test]
    fn categories_and_inline_display() {
        assert_eq!(Category::of("image/heic"), Category::Photo);
        assert_eq!(Category::of("audio/webm"), Category::Voice);
        assert_eq!(Category::of("text/plain"), Category::Document);
        assert!(Category::inline("image/jpeg"));
        assert!(!Category::inline("application/pdf"));
        assert!(!Category::inline("text/plain"));
        assert!(!Category::inline("image/heic"));
    }

    #[test]
    fn keeping_files_by_age() {
        const DAY: f64 = 86_400_000.0;
        let now = 1_800_000_000_000.0;
        assert!(KeepFiles::All.keeps(0.0, now));
        assert!(KeepFiles::Days(30).keeps(now - 29.0 * DAY, now));
        assert!(!KeepFiles::Days(30).keeps(now - 30.0 * DAY, now));
        assert!(!KeepFiles::UntilUploaded.keeps(now, now));
        assert!(!KeepFiles::UntilUploaded.keeps_what_is_shown());
        assert!(KeepFiles::Days(7).keeps_what_is_shown());
        for choice in KeepFiles::CHOICES {
            assert_eq!(KeepFiles::from_setting(&choice.to_setting()), Some(choice));
        }
        for bad in ["", "0", "-3", "hepsi", "7.5"] {
            assert_eq!(KeepFiles::from_setting(bad), None, "{bad}");
        }
    }
}
