//! Excel and OpenDocument workbooks (XLSX, XLS, XLSB, ODS) to the text the CSV reader
//! takes, so a workbook is imported by exactly the steps a CSV file is.
//!
//! `calamine` reads the workbook; one worksheet becomes tab-separated text with one
//! line per sheet row, quoted the RFC 4180 way where a cell needs it. Rows keep their
//! sheet numbers: the text has a line for every row up to the last one used (empty ones
//! too), and [`super::table::Rows`] counts a quoted line break inside a cell as part of
//! its row, so "line 57" in a report is row 57 in Excel.
//!
//! A typed cell is written as the form reads it, which a workbook makes unambiguous
//! where a CSV file is not: a date cell becomes `2025-04-03` (never a day/month
//! question), a date with a time `2025-04-03T14:30`, a number `1234,5` with the decimal
//! comma (so `1,125` stays one and a eighth rather than reading as a thousands group),
//! a whole number without any mark (a phone or a VKN typed as a number keeps every
//! digit), a duration `h:mm:ss`. A cell showing a formula error (`#N/A`, `#DIV/0!`) is
//! remembered with its place, and its row is refused rather than imported with the
//! error as text.
//!
//! XLSX, the usual case, is streamed cell by cell from the sheet's XML, so a 100,000-row
//! sheet is never held as a grid of cells beside its text; the other formats are read
//! as one range first (what their readers offer).

use std::io::Cursor;

use calamine::{Data, DataRef, ExcelDateTime, Reader, SheetType, Sheets};

/// The separator of the text a worksheet becomes.
pub const SEPARATOR: char = '\t';

/// The kinds of workbook read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Xlsb,
    Ods,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Xlsb => "xlsb",
            Format::Ods => "ods",
        }
    }
}

/// Whether `bytes` are a workbook rather than text: a ZIP archive (XLSX, XLSB, ODS) or
/// an OLE compound file (XLS). Neither signature can begin a text file.
pub fn is_workbook(bytes: &[u8]) -> bool {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.starts_with(ZIP) || bytes.starts_with(OLE)
}

/// Why a workbook cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookError {
    /// Not a workbook calamine reads (another ZIP file, a damaged or password-protected
    /// workbook).
    Unreadable,
    /// The workbook has no worksheet (only charts), or not the one asked for.
    NoSheet,
}

/// One worksheet as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Worksheet {
    pub format: Format,
    /// The names of the workbook's worksheets, in order (chart sheets left out).
    pub sheets: Vec<String>,
    /// Which of [`Self::sheets`] this is.
    pub sheet: usize,
    /// The sheet's cells, [`SEPARATOR`]-separated, a line per sheet row from row 1.
    pub text: String,
    /// The cells holding a formula error, as (row, column), 1-based row and 0-based
    /// column, in order.
    pub errors: Vec<(usize, usize)>,
}

/// Reads worksheet `sheet` of the workbook in `bytes` (the first visible one that has
/// cells when `None`).
pub fn read(bytes: &[u8], sheet: Option<usize>) -> Result<Worksheet, WorkbookError> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| WorkbookError::Unreadable)?;
    let format = match &workbook {
        Sheets::Xlsx(_) => Format::Xlsx,
        Sheets::Xls(_) => Format::Xls,
        Sheets::Xlsb(_) => Format::Xlsb,
        Sheets::Ods(_) => Format::Ods,
    };
    let worksheets: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible))
        .collect();
    let sheets: Vec<String> = worksheets.iter().map(|(name, _)| name.clone()).collect();
    let chosen: Vec<usize> = match sheet {
        Some(n) if n < sheets.len() => vec![n],
        Some(_) => return Err(WorkbookError::NoSheet),
        // Visible sheets first, in order, then hidden ones.
        None => (0..sheets.len())
            .filter(|&i| worksheets[i].1)
            .chain((0..sheets.len()).filter(|&i| !worksheets[i].1))
            .collect(),
    };
    let mut first = None;
    for n in chosen {
        let text = sheet_text(&mut workbook, &sheets[n])?;
        if !text.text.trim().is_empty() || sheet.is_some() {
            return Ok(Worksheet {
                format,
                sheets,
                sheet: n,
                text: text.text,
                errors: text.errors,
            });
        }
        first.get_or_insert(n);
    }
    // Every sheet is empty: the first one, for the "empty file" answer.
    let n = first.ok_or(WorkbookError::NoSheet)?;
    Ok(Worksheet {
        format,
        sheets,
        sheet: n,
        text: String::new(),
        errors: Vec::new(),
    })
}

/// The text of the sheet named `name`.
fn sheet_text(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
) -> Result<SheetText, WorkbookError> {
    if let Sheets::Xlsx(xlsx) = workbook {
        // Streamed; a sheet whose cells are not in row order (no writer makes one) is
        // read again as a range below.
        let mut out = SheetText::default();
        let mut in_order = true;
        let mut reader = xlsx
            .worksheet_cells_reader(name)
            .map_err(|_| WorkbookError::Unreadable)?;
        while let Some(cell) = reader.next_cell().map_err(|_| WorkbookError::Unreadable)? {
            let (row, column) = cell.get_position();
            if !out.push(row, column, Value::from(cell.get_value())) {
                in_order = false;
                break;
            }
        }
        if in_order {
            return Ok(out);
        }
    }
    let range = workbook
        .worksheet_range(name)
        .map_err(|_| WorkbookError::Unreadable)?;
    let mut out = SheetText::default();
    let (top, left) = range.start().unwrap_or((0, 0));
    for (row, column, data) in range.cells() {
        // Cells of a range come in row order.
        out.push(top + row as u32, left + column as u32, Value::from(data));
    }
    Ok(out)
}

/// A cell's value, whichever reader gave it.
enum Value<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(&'a ExcelDateTime),
    Iso(&'a str),
    Error,
}

impl<'a> From<&'a DataRef<'a>> for Value<'a> {
    fn from(data: &'a DataRef<'a>) -> Value<'a> {
        match data {
            DataRef::Empty => Value::Empty,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s)
                if s.is_empty() =>
            {
                Value::Empty
            }
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(d) => Value::DateTime(d),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Iso(s),
            DataRef::Error(_) => Value::Error,
        }
    }
}

impl<'a> From<&'a Data> for Value<'a> {
    fn from(data: &'a Data) -> Value<'a> {
        match data {
            Data::Empty => Value::Empty,
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::DateTime(d),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Iso(s),
            Data::Error(_) => Value::Error,
        }
    }
}

/// A worksheet being written as text, cell by cell in row order.
#[derive(Default)]
struct SheetText {
    text: String,
    errors: Vec<(usize, usize)>,
    /// The 0-based sheet row the text's last line is (lines are written as cells reach
    /// them).
    row: u32,
    /// The column the next cell of the current row would be.
    next_column: u32,
}

impl SheetText {
    /// Writes the cell at (`row`, `column`), 0-based; false (and nothing written) when
    /// it comes before a cell already written.
    fn push(&mut self, row: u32, column: u32, value: Value<'_>) -> bool {
        if row < self.row || (row == self.row && column < self.next_column) {
            return false;
        }
        let text = match value {
            Value::Empty => return true,
            Value::Error => {
                self.errors.push((row as usize + 1, column as usize));
                String::new()
            }
            Value::Text(s) => s.to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => number(f),
            Value::Bool(b) => (if b { "TRUE" } else { "FALSE" }).to_owned(),
            Value::DateTime(d) => date_time(d),
            Value::Iso(s) => s.to_owned(),
        };
        while self.row < row {
            self.text.push('\n');
            self.row += 1;
            self.next_column = 0;
        }
        for c in self.next_column..=column {
            if c > 0 {
                self.text.push(SEPARATOR);
            }
        }
        self.next_column = column + 1;
        super::table::write_cell(&mut self.text, &text, SEPARATOR);
        true
    }
}

/// A number as the form reads it: whole numbers with every digit and no mark, others
/// with the decimal comma and no grouping.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}").replacen('.', ",", 1)
    }
}

/// A date cell as `YYYY-MM-DD`, with `THH:MM` when it has a time; a duration as
/// `h:mm:ss`.
fn date_time(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        let seconds = (d.as_f64() * 86_400.0).round().max(0.0) as u64;
        return format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
    let (year, month, day, hour, minute, second, milli) = d.to_ymd_hms_milli();
    if (hour, minute, second, milli) == (0, 0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}")
    }
}

/// Workbooks built by hand for tests here and in [`super::plan`].
#[cfg(test)]
pub(crate) mod fixtures {
    /// An XLSX workbook of `sheets` (name, the `<sheetData>` inside), sheet 2 hidden
    /// when `hide_second`.
    pub(crate) fn xlsx(sheets: &[(&str, &str)], hide_second: bool) -> Vec<u8> {
        let mut types = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        );
        let mut listed = String::new();
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        let mut parts: Vec<(String, String)> = Vec::new();
        for (i, (name, data)) in sheets.iter().enumerate() {
            let n = i + 1;
            types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
            let state = if hide_second && n == 2 {
                r#" state="hidden""#
            } else {
                ""
            };
            listed.push_str(&format!(
                r#"<sheet name="{name}" sheetId="{n}"{state} r:id="rId{n}"/>"#
            ));
            rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
            parts.push((
                format!("xl/worksheets/sheet{n}.xml"),
                format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#),
            ));
        }
        types.push_str("</Types>");
        rels.push_str("</Relationships>");
        let workbook = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{listed}</sheets></workbook>"#
        );
        let package = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let mut files: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", types.as_bytes()),
            ("_rels/.rels", package.as_bytes()),
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ];
        for (name, data) in &parts {
            files.push((name, data.as_bytes()));
        }
        crate::export::zip::store(&files).expect("a small archive")
    }

    pub(crate) fn text_cell(r: &str, text: &str) -> String {
        format!(r#"<c r="{r}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>"#)
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{text_cell, xlsx};
    use super::*;

    #[test]
    fn numbers_are_written_as_the_form_reads_them() {
        assert_eq!(number(5321234567.0), "5321234567");
        assert_eq!(number(1234.56), "1234,56");
        assert_eq!(number(1.125), "1,125");
        assert_eq!(number(0.2), "0,2");
        assert_eq!(number(-3.0), "-3");
        for (f, decimal) in [(1.125, "1.125"), (1234.56, "1234.56"), (42.0, "42")] {
            assert_eq!(
                crate::text::validate::decimal(&number(f))
                    .ok()
                    .flatten()
                    .map(|d| d.to_string()),
                Some(decimal.to_owned())
            );
        }
    }

    #[test]
    fn cells_keep_their_sheet_rows_and_columns() {
        let mut out = SheetText::default();
        // Row 2 (index 1) starts the sheet, column B; row 4 skips row 3 entirely.
        assert!(out.push(1, 1, Value::Text("Firma")));
        assert!(out.push(1, 3, Value::Text("Not")));
        assert!(out.push(3, 0, Value::Text("a\tb \"c\"\nd")));
        assert!(out.push(3, 2, Value::Error));
        assert!(!out.push(2, 0, Value::Text("late")));
        assert_eq!(out.text, "\n\tFirma\t\tNot\n\n\"a\tb \"\"c\"\"\nd\"\t\t");
        assert_eq!(out.errors, vec![(4, 2)]);
    }

    #[test]
    fn dates_and_durations_read_as_the_form_takes_them() {
        use calamine::ExcelDateTimeType::{DateTime, TimeDelta};
        assert_eq!(
            date_time(&ExcelDateTime::new(45750.0, DateTime, false)),
            "2025-04-03"
        );
        assert_eq!(
            date_time(&ExcelDateTime::new(45750.6041666667, DateTime, false)),
            "2025-04-03T14:30"
        );
        // The 1904 system (old Mac Excel) counts from another day.
        assert_eq!(
            date_time(&ExcelDateTime::new(44288.0, DateTime, true)),
            "2025-04-03"
        );
        assert_eq!(
            date_time(&ExcelDateTime::new(
                1.0 / 24.0 + 5.0 / 1440.0,
                TimeDelta,
                false
            )),
            "1:05:00"
        );
    }

    #[test]
    fn our_own_xlsx_export_reads_back_cell_for_cell() {
        use crate::export::{Cell, Table};
        use crate::time::civil::Date;
        let mut table = Table::new(
            "Hesaplar",
            ["Firma Adı", "Not", "Tutar", "Tarih", "Telefon"].map(String::from),
        );
        table.push(vec![
            Cell::from("Çağ Şirketi A.Ş."),
            Cell::from("iki\nsatır\t\"alıntı\""),
            Cell::from(rust_decimal::Decimal::new(123_456, 2)),
            Cell::Date(Date::new(2025, 4, 3).expect("a date")),
            Cell::Integer(905_321_234_567),
        ]);
        table.push(vec![
            Cell::from("İkinci"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
        let bytes = crate::export::xlsx::write(&table).expect("written");
        assert!(is_workbook(&bytes));
        let source = super::super::Source::open(&bytes, None, None).expect("read");
        assert_eq!(source.format, super::super::Format::Workbook(Format::Xlsx));
        assert_eq!(source.sheets, vec!["Hesaplar".to_owned()]);
        assert_eq!(
            source.headers,
            ["Firma Adı", "Not", "Tutar", "Tarih", "Telefon"].map(String::from)
        );
        let rows: Vec<_> = source.rows().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            rows[0].cells,
            [
                "Çağ Şirketi A.Ş.",
                "iki\nsatır\t\"alıntı\"",
                "1234,56",
                "2025-04-03",
                "905321234567"
            ]
            .map(String::from)
        );
        // The line break inside row 2's cell does not shift row 3's number.
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].cells[0], "İkinci");
    }

    #[test]
    fn the_first_visible_sheet_with_cells_is_read_and_any_other_can_be_chosen() {
        let header = text_cell("A1", "Firma");
        let bytes = xlsx(
            &[
                ("Boş", ""),
                ("Gizli", &format!(r#"<row r="1">{header}</row>"#)),
                (
                    "Müşteriler",
                    &format!(
                        r#"<row r="3">{}</row><row r="5">{}<c r="B5" t="e"><v>#N/A</v></c>{}</row>"#,
                        text_cell("A3", "Firma"),
                        text_cell("A5", "Ağaç Ltd"),
                        text_cell("C5", "fazla")
                    ),
                ),
            ],
            true,
        );
        let source = super::super::Source::open(&bytes, None, None).expect("read");
        assert_eq!(
            source.sheets,
            ["Boş", "Gizli", "Müşteriler"].map(String::from)
        );
        assert_eq!(source.sheet, 2);
        assert_eq!(source.headers, vec!["Firma".to_owned()]);
        let rows: Vec<_> = source.rows().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 5);
        assert_eq!(rows[0].cells, ["Ağaç Ltd", "", "fazla"].map(String::from));
        assert_eq!(rows[0].broken, vec![1]);

        let hidden = super::super::Source::open_sheet(&bytes, Some(1)).expect("read");
        assert_eq!(hidden.sheet, 1);
        assert_eq!(hidden.headers, vec!["Firma".to_owned()]);
        assert_eq!(hidden.rows().count(), 0);
        assert_eq!(
            super::super::Source::open_sheet(&bytes, Some(0)),
            Err(super::super::SourceError::Empty)
        );
        assert_eq!(
            super::super::Source::open_sheet(&bytes, Some(7)),
            Err(super::super::SourceError::Empty)
        );
    }

    #[test]
    fn an_ods_workbook_reads_like_an_xlsx_one() {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Kişiler"><table:table-row><table:table-cell office:value-type="string"><text:p>Ad</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Doğum</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Puan</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Şule Işık</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="1990-04-03"><text:p>03.04.1990</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1.125"><text:p>1,125</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
        let bytes = crate::export::zip::store(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
            ),
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", content.as_bytes()),
        ])
        .expect("a small archive");
        let source = super::super::Source::open(&bytes, None, None).expect("read");
        assert_eq!(source.format, super::super::Format::Workbook(Format::Ods));
        assert_eq!(source.headers, ["Ad", "Doğum", "Puan"].map(String::from));
        let rows: Vec<_> = source.rows().map(|r| r.expect("a row")).collect();
        assert_eq!(
            rows[0].cells,
            ["Şule Işık", "1990-04-03", "1,125"].map(String::from)
        );
    }

    #[test]
    fn a_zip_that_is_no_workbook_is_refused_not_read_as_text() {
        let bytes =
            crate::export::zip::store(&[("notes.txt", b"Firma;VKN".as_slice())]).expect("zip");
        assert_eq!(
            super::super::Source::open(&bytes, None, None),
            Err(super::super::SourceError::BadWorkbook)
        );
        // A text file is never taken for a workbook.
        assert!(!is_workbook("PK;Firma\n".as_bytes()));
    }
}
