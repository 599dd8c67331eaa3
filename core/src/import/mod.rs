//! Moving in: a spreadsheet or another CRM's export becomes Saha records, the same way
//! on the phone and on the server.
//!
//! An import runs in four steps, each its own module:
//!
//! 1. [`decode`]: the file's bytes to text. Turkish Excel writes Windows-1254 unless
//!    told otherwise; UTF-8 (with or without a byte-order mark) and UTF-16 are told
//!    apart by their bytes. A workbook (XLSX, XLS, XLSB, ODS) becomes text through
//!    [`workbook`] instead, one line per sheet row, and a phone's contacts (vCard)
//!    through [`vcard`], one row per card.
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
pub mod orders;
pub mod plan;
pub mod table;
pub mod vcard;
pub mod workbook;

pub use mapping::{DateOrder, Mapping, Mode};

/// The largest file an import reads (64 MiB: several hundred thousand rows of 15
/// columns). A larger one is refused before it is read, not cut.
pub const MAX_FILE_BYTES: usize = 64 << 20;
pub use plan::{KeyIndex, Outcome, Planner, Reason, Report};

/// What kind of file a [`Source`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV or other separated text.
    Text,
    Workbook(workbook::Format),
    /// A vCard file: a phone's contacts.
    VCard,
}

/// A file opened for import: its text, how it was read, and its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub format: Format,
    /// The worksheets of a workbook, and which one was read (empty and 0 for text).
    pub sheets: Vec<String>,
    pub sheet: usize,
    pub encoding: decode::Encoding,
    /// Characters that could not be decoded (shown before anything is imported: the
    /// encoding is probably wrong).
    pub replaced: usize,
    pub separator: char,
    pub headers: Vec<String>,
    text: String,
    /// Where the rows after the header start, in bytes, and on which line.
    body: (usize, usize),
    /// A workbook's cells that show a formula error, (line, column) in order.
    broken: Vec<(usize, usize)>,
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceError {
    /// The file has no header row.
    Empty,
    /// The header row is broken (a quote never closed, a cell too long).
    BadHeader,
    /// A ZIP or OLE file that is no workbook Saha reads (damaged, password-protected,
    /// or another kind of document).
    BadWorkbook,
}

impl SourceError {
    pub fn code(self) -> &'static str {
        match self {
            SourceError::Empty => "empty_file",
            SourceError::BadHeader => "bad_header",
            SourceError::BadWorkbook => "bad_workbook",
        }
    }

    /// The error in English, for the command line.
    pub fn describe(self) -> &'static str {
        match self {
            SourceError::Empty => "the file has no header row",
            SourceError::BadHeader => "the header row is broken (a quote is never closed)",
            SourceError::BadWorkbook => {
                "the file is not a workbook Saha reads (XLSX, XLS, XLSB, ODS): damaged, \
                 password-protected or another kind of document"
            }
        }
    }
}

impl Source {
    /// Reads `bytes`: a workbook's first worksheet with cells (see [`workbook`]), or
    /// text in `encoding` (detected when `None`): a vCard file (see [`vcard`]), or rows
    /// with `separator` (sniffed from the header when `None`).
    pub fn open(
        bytes: &[u8],
        encoding: Option<decode::Encoding>,
        separator: Option<char>,
    ) -> Result<Source, SourceError> {
        if workbook::is_workbook(bytes) {
            return Source::open_sheet(bytes, None);
        }
        let encoding = encoding.unwrap_or_else(|| decode::detect(bytes));
        let decoded = decode::decode(bytes, encoding);
        if vcard::is_vcard(&decoded.text) {
            return Source::with_header(Source {
                format: Format::VCard,
                sheets: Vec::new(),
                sheet: 0,
                encoding,
                replaced: decoded.replaced,
                separator: vcard::SEPARATOR,
                headers: Vec::new(),
                text: vcard::table(&decoded.text),
                // The header is line 0, so each card is on its `BEGIN:VCARD` line.
                body: (0, 0),
                broken: Vec::new(),
            });
        }
        let separator = separator.unwrap_or_else(|| table::sniff_separator(&decoded.text));
        Source::with_header(Source {
            format: Format::Text,
            sheets: Vec::new(),
            sheet: 0,
            encoding,
            replaced: decoded.replaced,
            separator,
            headers: Vec::new(),
            text: decoded.text,
            body: (0, 1),
            broken: Vec::new(),
        })
    }

    /// Reads worksheet `sheet` (an index into [`Source::sheets`]; the first with cells
    /// when `None`) of the workbook in `bytes`.
    pub fn open_sheet(bytes: &[u8], sheet: Option<usize>) -> Result<Source, SourceError> {
        let read = workbook::read(bytes, sheet).map_err(|e| match e {
            workbook::WorkbookError::Unreadable => SourceError::BadWorkbook,
            workbook::WorkbookError::NoSheet => SourceError::Empty,
        })?;
        Source::with_header(Source {
            format: Format::Workbook(read.format),
            sheets: read.sheets,
            sheet: read.sheet,
            encoding: decode::Encoding::Utf8,
            replaced: 0,
            separator: workbook::SEPARATOR,
            headers: Vec::new(),
            text: read.text,
            body: (0, 1),
            broken: read.errors,
        })
    }

    /// `source` with its header row, which starts its text on line `source.body.1`,
    /// read.
    fn with_header(mut source: Source) -> Result<Source, SourceError> {
        let mut rows = source.rows();
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
        source.headers = headers;
        source.body = body;
        Ok(source)
    }

    /// The rows after the header.
    pub fn rows(&self) -> table::Rows<'_> {
        let rows = table::Rows::starting_at(&self.text, self.separator, self.body.0, self.body.1);
        match self.format {
            Format::Text => rows,
            Format::Workbook(_) | Format::VCard => rows.as_worksheet(&self.broken),
        }
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
