//! A one-sheet Excel workbook (Office Open XML, ECMA-376): the table's header row in
//! bold and frozen, text as inline strings, amounts and counts as numbers, dates as
//! Excel dates shown `yyyy-mm-dd`. Five small XML parts in a [`zip`].

use super::zip;
use super::{Cell, ExportError, Table};

/// Rows and columns an Excel sheet holds at most.
pub const MAX_ROWS: usize = 1_048_576;
pub const MAX_COLUMNS: usize = 16_384;
/// Characters in a sheet name at most.
const MAX_SHEET_NAME: usize = 31;

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    r#"</Types>"#
);

const PACKAGE_RELATIONSHIPS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"</Relationships>"#
);

const WORKBOOK_RELATIONSHIPS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"</Relationships>"#
);

/// Cell formats: 0 plain, 1 a date, 2 a bold header.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"</styleSheet>"#
);

/// Days from Excel's day 0 (1899-12-30, which absorbs Lotus' 1900 leap-year bug) to
/// 1970-01-01.
const EXCEL_EPOCH_OFFSET: i64 = 25_569;

/// `text` with XML's special characters escaped and the characters XML 1.0 cannot
/// hold (control characters other than tab and line ends) dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().map(|b| char::from(*b)).collect()
}

/// A sheet name Excel accepts: without `[]:*?/\`, at most 31 characters, not empty.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(MAX_SHEET_NAME)
        .collect();
    let clean = clean.trim_matches('\'').trim();
    if clean.is_empty() {
        "Saha".to_owned()
    } else {
        clean.to_owned()
    }
}

fn text_cell(out: &mut String, reference: &str, text: &str, style: u8) {
    let space = if text.trim() != text {
        r#" xml:space="preserve""#
    } else {
        ""
    };
    out.push_str(&format!(
        r#"<c r="{reference}" t="inlineStr" s="{style}"><is><t{space}>{}</t></is></c>"#,
        escape(text)
    ));
}

fn cell(out: &mut String, reference: &str, cell: &Cell) {
    match cell {
        Cell::Text(text) => text_cell(out, reference, text, 0),
        Cell::Decimal(value) => {
            out.push_str(&format!(
                r#"<c r="{reference}"><v>{}</v></c>"#,
                value.normalize()
            ));
        }
        Cell::Integer(value) => out.push_str(&format!(r#"<c r="{reference}"><v>{value}</v></c>"#)),
        Cell::Float(value) if value.is_finite() => {
            out.push_str(&format!(r#"<c r="{reference}"><v>{value}</v></c>"#));
        }
        Cell::Float(_) => {}
        Cell::Date(date) => {
            let serial = date.days_since_epoch() + EXCEL_EPOCH_OFFSET;
            out.push_str(&format!(r#"<c r="{reference}" s="1"><v>{serial}</v></c>"#));
        }
        Cell::Empty => {}
    }
}

fn worksheet(table: &Table) -> String {
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetViews><sheetView workbookViewId="0">"#,
        r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
        r#"</sheetView></sheetViews><sheetData>"#
    ));
    let columns: Vec<String> = (0..table
        .columns
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0)))
        .map(column_name)
        .collect();
    out.push_str(r#"<row r="1">"#);
    for (name, header) in columns.iter().zip(&table.columns) {
        text_cell(&mut out, &format!("{name}1"), header, 2);
    }
    out.push_str("</row>");
    for (i, row) in table.rows.iter().enumerate() {
        let number = i + 2;
        out.push_str(&format!(r#"<row r="{number}">"#));
        for (name, value) in columns.iter().zip(row) {
            cell(&mut out, &format!("{name}{number}"), value);
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out
}

/// The table as an XLSX workbook with one sheet named after it.
pub fn write(table: &Table) -> Result<Vec<u8>, ExportError> {
    let width = table
        .columns
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    if table.rows.len() + 1 > MAX_ROWS || width > MAX_COLUMNS {
        return Err(ExportError::TooManyCells);
    }
    let workbook = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
        escape(&sheet_name(&table.name))
    );
    let sheet = worksheet(table);
    zip::store(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELATIONSHIPS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        (
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELATIONSHIPS.as_bytes(),
        ),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
    .map_err(|_| ExportError::TooLarge)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};
    use rust_decimal::Decimal;

    use super::*;
    use crate::time::civil::Date;

    #[test]
    fn columns_are_named_like_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(51), "AZ");
        assert_eq!(column_name(52), "BA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(MAX_COLUMNS - 1), "XFD");
    }

    #[test]
    fn sheet_names_are_made_acceptable() {
        assert_eq!(sheet_name("Kârlılık [2026]: A/B?"), "Kârlılık 2026 AB");
        assert_eq!(sheet_name("''"), "Saha");
        assert_eq!(sheet_name(&"ş".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn a_spreadsheet_reader_reads_back_every_value_with_its_type() {
        let mut table = Table::new(
            "Müşteriler <kâr>",
            [
                "Müşteri".to_owned(),
                "Ciro".to_owned(),
                "Satış".to_owned(),
                "Son".to_owned(),
            ],
        );
        table.push(vec![
            "Şişli & Oğulları \"A.Ş.\"".into(),
            Cell::Decimal(Decimal::new(123_456, 2)),
            Cell::Integer(7),
            Cell::Date(Date {
                year: 2026,
                month: 3,
                day: 9,
            }),
        ]);
        table.push(vec![
            " boşluklu ".into(),
            Cell::Empty,
            Cell::Integer(-1),
            Cell::Float(0.25),
        ]);
        table.push(vec!["kontrol\u{1}karakteri".into()]);
        let bytes = write(&table).expect("small table");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a valid workbook");
        assert_eq!(book.sheet_names(), vec!["Müşteriler <kâr>".to_owned()]);
        let range = book.worksheet_range("Müşteriler <kâr>").expect("the sheet");
        assert_eq!(range.get_size(), (4, 4));
        assert_eq!(range.get_value((0, 1)), Some(&Data::String("Ciro".into())));
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("Şişli & Oğulları \"A.Ş.\"".into()))
        );
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(1234.56)));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(7.0)));
        match range.get_value((1, 3)) {
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 46_090.0),
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(
            range.get_value((2, 0)),
            Some(&Data::String(" boşluklu ".into()))
        );
        assert_eq!(range.get_value((2, 1)), Some(&Data::Empty));
        assert_eq!(range.get_value((2, 3)), Some(&Data::Float(0.25)));
        assert_eq!(
            range.get_value((3, 0)),
            Some(&Data::String("kontrolkarakteri".into()))
        );
    }

    #[test]
    fn a_table_excel_cannot_hold_is_refused() {
        let table = Table::new("wide", (0..=MAX_COLUMNS).map(|i| i.to_string()));
        assert_eq!(write(&table), Err(ExportError::TooManyCells));
    }
}
