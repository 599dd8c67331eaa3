//! Moving in: a spreadsheet or another CRM's export becomes Saha records, the same way
//! on the phone and on the server.
//!
//! An import runs in four steps, each its own module:
//!
//! 1. [`decode`]: the file's bytes to text. Turkish Excel writes Windows-1254 unless
//!    told otherwise; UTF-8 (with or without a byte-order mark) and UTF-16 are told
//!    apart by their bytes.
//! 2. [`table`]: text to rows of cells, `;`, `,` or tab separated, quoted cells with
//!    line breaks; a broken row is refused with its line, never cut.
//! 3. [`mapping`]: which column fills which form field, guessed from Turkish and
//!    English headers and corrected by the user; whether rows create records, update
//!    them by a key (VKN, e-mail, SKU, …) or both.
//! 4. [`plan`]: each row to an [`Outcome`]: the record to create, the
//!    fields to change, or the reason it is refused. [`cell`] turns spreadsheet values
//!    (`03.04.2025`, `1.234,56 TL`, `Potansiyel`) into form text first, and the record's
//!    own form checks judge the rest, so an imported record is held to the rules of a
//!    typed one.
//!
//! A dry run stops after step 4 and shows the [`Report`]; a real run
//! stores the outcomes, on the device in IndexedDB (then synced like any edit) or on
//! the server through the same path as a member's change. Nothing here does I/O.

pub mod cell;
pub mod decode;
pub mod mapping;
pub mod plan;
pub mod table;

pub use mapping::{DateOrder, Mapping, Mode};

/// The largest file an import reads (64 MiB: several hundred thousand rows of 15
/// columns). A larger one is refused before it is read, not cut.
pub const MAX_FILE_BYTES: usize = 64 << 20;
pub use plan::{KeyIndex, Outcome, Planner, Reason, Report};

/// A file opened for import: its text, how it was read, and its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub encoding: decode::Encoding,
    /// Characters that could not be decoded (shown before anything is imported: the
    /// encoding is probably wrong).
    pub replaced: usize,
    pub separator: char,
    pub headers: Vec<String>,
    text: String,
    /// Where the rows after the header start, in bytes, and on which line.
    body: (usize, usize),
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceError {
    /// The file has no header row.
    Empty,
    /// The header row is broken (a quote never closed, a cell too long).
    BadHeader,
}

impl SourceError {
    pub fn code(self) -> &'static str {
        match self {
            SourceError::Empty => "empty_file",
            SourceError::BadHeader => "bad_header",
        }
    }
}

impl Source {
    /// Reads `bytes` in `encoding` (detected when `None`) with `separator` (sniffed
    /// from the header when `None`).
    pub fn open(
        bytes: &[u8],
        encoding: Option<decode::Encoding>,
        separator: Option<char>,
    ) -> Result<Source, SourceError> {
        let encoding = encoding.unwrap_or_else(|| decode::detect(bytes));
        let decoded = decode::decode(bytes, encoding);
        let separator = separator.unwrap_or_else(|| table::sniff_separator(&decoded.text));
        let mut rows = table::Rows::new(&decoded.text, separator);
        let headers = match rows.next() {
            None => return Err(SourceError::Empty),
            Some(Err(_)) => return Err(SourceError::BadHeader),
            Some(Ok(row)) => row
                .cells
                .into_iter()
                .map(|h| h.trim().to_owned())
                .collect::<Vec<_>>(),
        };
        let body = (rows.position(), rows.line());
        Ok(Source {
            encoding,
            replaced: decoded.replaced,
            separator,
            headers,
            text: decoded.text,
            body,
        })
    }

    /// The rows after the header.
    pub fn rows(&self) -> table::Rows<'_> {
        table::Rows::starting_at(&self.text, self.separator, self.body.0, self.body.1)
    }

    /// The file's text in bytes (the denominator of a progress bar over
    /// [`table::Rows::position`]).
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}
