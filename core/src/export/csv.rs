//! CSV as RFC 4180 describes it: `,` between fields, CRLF after each row, a field in
//! double quotes when it holds a separator, a quote or a line break. The text starts
//! with a UTF-8 byte-order mark so that Excel does not read "Şişli" as "ÅžiÅŸli".
//!
//! Excel set to Turkish splits a double-clicked CSV at `;` (the list separator of
//! the Turkish locale, since `,` is its decimal mark) and reads `1234,56` and
//! `09.03.2026` as a number and a date: [`Dialect::TurkishExcel`] writes that.

use super::{Cell, Table};

/// The UTF-8 byte-order mark.
pub const BOM: char = '\u{feff}';

/// The two ways of writing a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `,` between fields, `.` decimal point, `YYYY-MM-DD` dates.
    Rfc4180,
    /// `;` between fields, decimal comma, `DD.MM.YYYY` dates.
    TurkishExcel,
}

impl Dialect {
    fn separator(self) -> char {
        match self {
            Dialect::Rfc4180 => ',',
            Dialect::TurkishExcel => ';',
        }
    }
}

/// One field: quoted when it holds a separator, and defused when a spreadsheet would
/// run it as a formula (a leading `=`, `@`, tab or CR, or `+`/`-` not followed by
/// digits only, as a phone number in E.164 is) by a leading apostrophe (OWASP's advice
/// against CSV injection).
pub fn field(value: &str) -> String {
    field_with(value, Dialect::Rfc4180)
}

fn field_with(value: &str, dialect: Dialect) -> String {
    let formula = match value.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !value[1..].chars().all(|c| c.is_ascii_digit()) || value.len() == 1,
        _ => false,
    };
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([dialect.separator(), '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One line of fields, without its line end.
pub fn line<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    fields.into_iter().map(field).collect::<Vec<_>>().join(",")
}

fn cell_text(cell: &Cell, dialect: Dialect) -> String {
    let turkish = dialect == Dialect::TurkishExcel;
    match cell {
        Cell::Text(text) => field_with(text, dialect),
        Cell::Decimal(value) if turkish => value.normalize().to_string().replace('.', ","),
        Cell::Decimal(value) => value.normalize().to_string(),
        Cell::Integer(value) => value.to_string(),
        Cell::Float(value) if value.is_finite() && turkish => value.to_string().replace('.', ","),
        Cell::Float(value) if value.is_finite() => value.to_string(),
        Cell::Float(_) => String::new(),
        Cell::Date(date) if turkish => {
            format!("{:02}.{:02}.{:04}", date.day, date.month, date.year)
        }
        Cell::Date(date) => date.to_string(),
        Cell::Empty => String::new(),
    }
}

/// The table as CSV text: the byte-order mark, the header row, then every row padded
/// to the header's width.
pub fn write(table: &Table) -> String {
    write_with(table, Dialect::Rfc4180)
}

/// [`write()`] in `dialect`.
pub fn write_with(table: &Table, dialect: Dialect) -> String {
    let separator = dialect.separator().to_string();
    let mut out = String::new();
    out.push(BOM);
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| field_with(c, dialect))
        .collect();
    out.push_str(&header.join(&separator));
    out.push_str("\r\n");
    let width = table.columns.len();
    for row in &table.rows {
        let mut cells: Vec<String> = row.iter().map(|c| cell_text(c, dialect)).collect();
        if cells.len() < width {
            cells.resize(width, String::new());
        }
        out.push_str(&cells.join(&separator));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::time::civil::Date;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("+905321234567"), "+905321234567");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("-"), "'-");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("iki\nsatır"), "\"iki\nsatır\"");
        assert_eq!(field("ayse@example.com"), "ayse@example.com");
    }

    #[test]
    fn a_table_is_written_with_typed_cells_and_padded_rows() {
        let mut table = Table::new(
            "t",
            ["Müşteri".to_owned(), "Ciro".to_owned(), "Son".to_owned()],
        );
        table.push(vec![
            "Şişli, Ltd".into(),
            Cell::Decimal(Decimal::new(123_450, 2)),
            Cell::Date(Date {
                year: 2026,
                month: 3,
                day: 9,
            }),
        ]);
        table.push(vec!["=1+1".into(), Cell::Integer(-4)]);
        table.push(vec![Cell::Empty, Cell::Float(2.5), Cell::Float(f64::NAN)]);
        let text = write(&table);
        assert_eq!(
            text,
            "\u{feff}Müşteri,Ciro,Son\r\n\"Şişli, Ltd\",1234.5,2026-03-09\r\n'=1+1,-4,\r\n,2.5,\r\n"
        );
        // The same table for Excel set to Turkish: `;`, decimal comma, dd.mm.yyyy; a
        // comma in text needs no quotes, a semicolon does; +90 numbers stay numbers.
        table.push(vec!["Bakkal; Şube 2".into(), "+905321234567".into()]);
        assert_eq!(
            write_with(&table, Dialect::TurkishExcel),
            "\u{feff}Müşteri;Ciro;Son\r\nŞişli, Ltd;1234,5;09.03.2026\r\n'=1+1;-4;\r\n;2,5;\r\n\"Bakkal; Şube 2\";+905321234567;\r\n"
        );
    }
}
