//! Tables leaving Saha as files: a report's table (or any list) as CSV or as an
//! Excel workbook (XLSX), written the same way on the device and on the server.
//!
//! A [`Table`] is typed: text stays text, amounts and counts are numbers, dates are
//! dates, so a spreadsheet can sum and sort them without guessing. [`csv`] writes
//! RFC 4180 text in UTF-8 with a byte-order mark (so Excel reads Turkish letters) and
//! defuses cells a spreadsheet would run as formulas; [`xlsx`] writes a one-sheet
//! Office Open XML workbook (a [`zip`] of a few XML files) with the header row frozen.

pub mod csv;
pub mod vcard;
pub mod xlsx;
pub mod zip;

use rust_decimal::Decimal;

use crate::time::civil::Date;

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as it is (formulas defused in CSV; XLSX stores it as a string).
    Text(String),
    /// An exact amount or ratio (money, percent), written with a `.` decimal point.
    Decimal(Decimal),
    /// A count.
    Integer(i64),
    /// A measured or estimated quantity (a forecast, a median); written as Rust prints
    /// it (shortest exact form), nothing when it is not finite.
    Float(f64),
    /// A calendar day (an Excel date in XLSX, `YYYY-MM-DD` in CSV).
    Date(Date),
    /// No value.
    Empty,
}

impl Cell {
    /// A day written `YYYY-MM-DD` as a date; other text as it is; "" as empty.
    pub fn date(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Date::parse(text).map_or_else(|| Cell::Text(text.to_owned()), Cell::Date)
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<Decimal> for Cell {
    fn from(value: Decimal) -> Self {
        Cell::Decimal(value)
    }
}

impl From<Option<Decimal>> for Cell {
    fn from(value: Option<Decimal>) -> Self {
        value.map_or(Cell::Empty, Cell::Decimal)
    }
}

impl From<usize> for Cell {
    fn from(value: usize) -> Self {
        Cell::Integer(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Self {
        Cell::Integer(value)
    }
}

impl From<u8> for Cell {
    fn from(value: u8) -> Self {
        Cell::Integer(i64::from(value))
    }
}

impl From<u32> for Cell {
    fn from(value: u32) -> Self {
        Cell::Integer(i64::from(value))
    }
}

impl From<Date> for Cell {
    fn from(value: Date) -> Self {
        Cell::Date(value)
    }
}

impl From<Option<Date>> for Cell {
    fn from(value: Option<Date>) -> Self {
        value.map_or(Cell::Empty, Cell::Date)
    }
}

/// A table to export: a name (the sheet's, at most 31 characters in XLSX), the
/// column headers, and rows of cells (a short row is padded with empty cells).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table called `name` with these column headers.
    pub fn new(name: impl Into<String>, columns: impl IntoIterator<Item = String>) -> Self {
        Table {
            name: name.into(),
            columns: columns.into_iter().collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

/// The file formats a table exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180: `,` between fields, `.` decimal point, ISO dates.
    Csv,
    /// What Excel set to Turkish opens with a double click: `;` between fields, a
    /// decimal comma and `dd.mm.yyyy` dates ([`csv::Dialect::TurkishExcel`]).
    CsvTurkish,
    Xlsx,
}

impl Format {
    /// Every format, in the order a page offers them.
    pub const ALL: [Format; 3] = [Format::CsvTurkish, Format::Csv, Format::Xlsx];

    /// The format's code (`--format` of `admin export`).
    pub fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::CsvTurkish => "csv-tr",
            Format::Xlsx => "xlsx",
        }
    }

    /// The format of a [`code`](Format::code).
    pub fn from_code(code: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvTurkish => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The media type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvTurkish => "text/csv;charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The table written in this format.
    pub fn write(self, table: &Table) -> Result<Vec<u8>, ExportError> {
        match self {
            Format::Csv => Ok(csv::write(table).into_bytes()),
            Format::CsvTurkish => {
                Ok(csv::write_with(table, csv::Dialect::TurkishExcel).into_bytes())
            }
            Format::Xlsx => xlsx::write(table),
        }
    }
}

/// Why a table could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportError {
    /// More rows or columns than an Excel sheet holds (1,048,576 × 16,384).
    #[error("the table has more rows or columns than a spreadsheet holds")]
    TooManyCells,
    /// Over the 4 GiB a ZIP archive without ZIP64 holds.
    #[error("the file would be larger than 4 GiB")]
    TooLarge,
}
