//! Decoded text to rows of cells: CSV as spreadsheets write it (RFC 4180 and the
//! usual departures from it).
//!
//! The separator is `,`, `;` (what Turkish Excel writes, since the comma is its decimal
//! mark) or a tab; [`sniff_separator`] picks the one the header line uses most outside
//! quotes. A quoted cell may hold separators, doubled quotes and line breaks. Line
//! ends are `\n`, `\r\n` or `\r`. Rows come one at a time ([`Rows`]), each with the
//! line it starts on, so a file of any size is read with one row in memory.
//!
//! Nothing is cut silently: a quote left open at the end of the file, or a cell longer
//! than [`MAX_CELL_BYTES`], makes that row a [`RowError`] with its line, and reading
//! goes on (after an open quote there is nothing left to read). This is why the parser
//! is ours rather than `csv-core`: that one takes an open quote to the end of the file
//! as one long cell.

/// The longest cell kept, in bytes (a notes field's limit); a longer one refuses its
/// row rather than being cut.
pub const MAX_CELL_BYTES: usize = 100_000;

/// The separators a file can use.
pub const SEPARATORS: [char; 3] = [';', ',', '\t'];

/// The separator of a file whose first line is `header` (`;` when the line has none
/// of them or ties, as Turkish Excel writes).
pub fn sniff_separator(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            c if !quoted => {
                if let Some(i) = SEPARATORS.iter().position(|&s| s == c) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..SEPARATORS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    SEPARATORS[best]
}

/// Writes `cell` to `out` as a cell of a `separator`-separated row: quoted (quotes
/// doubled) when it holds the separator, a quote or a line break, as it is otherwise.
pub fn write_cell(out: &mut String, cell: &str, separator: char) {
    if cell.contains([separator, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// One row of cells and the line (1-based) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
    /// The columns whose cells a workbook shows as a formula error (`#N/A`,
    /// `#DIV/0!`): their values are unknown (empty in [`Row::cells`]).
    pub broken: Vec<usize>,
}

/// Why a row could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowError {
    /// A quoted cell was still open at the end of the file.
    UnclosedQuote { line: usize },
    /// A cell is longer than [`MAX_CELL_BYTES`].
    CellTooLong { line: usize, column: usize },
}

impl RowError {
    pub fn line(self) -> usize {
        match self {
            RowError::UnclosedQuote { line } | RowError::CellTooLong { line, .. } => line,
        }
    }
}

/// The rows of a CSV text, one at a time. Lines with no text at all are skipped (a
/// spreadsheet's trailing empty lines); a line of empty cells (`;;;`) is a row.
pub struct Rows<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    separator: char,
    /// Whether a line break inside a quoted cell starts a new line number (a text
    /// file's lines) or not (a worksheet's rows, one per line of the text).
    count_quoted_breaks: bool,
    /// Cells known to be broken, (line, column) in order: their rows are refused.
    broken: &'a [(usize, usize)],
}

impl<'a> Rows<'a> {
    pub fn new(text: &'a str, separator: char) -> Rows<'a> {
        Rows::starting_at(text, separator, 0, 1)
    }

    /// Rows from byte `pos` of `text`, which is on line `line`.
    pub fn starting_at(text: &'a str, separator: char, pos: usize, line: usize) -> Rows<'a> {
        Rows {
            text,
            pos: if text.is_char_boundary(pos) {
                pos
            } else {
                text.len()
            },
            line,
            separator,
            count_quoted_breaks: true,
            broken: &[],
        }
    }

    /// Numbers rows as a worksheet's (one per line of the text, whatever line breaks
    /// their cells hold), marking those with a cell in `broken` ((line, column), in
    /// order) as [`Row::broken`].
    pub fn as_worksheet(mut self, broken: &'a [(usize, usize)]) -> Rows<'a> {
        self.count_quoted_breaks = false;
        self.broken = broken;
        self
    }

    /// The line the next row starts on (or the one after the last).
    pub fn line(&self) -> usize {
        self.line
    }

    /// How far through the text reading is, in bytes (for a progress bar).
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        // Skip empty lines.
        loop {
            let rest = &self.text[self.pos..];
            if rest.is_empty() {
                return None;
            }
            let skip = if rest.starts_with("\r\n") {
                2
            } else if rest.starts_with(['\n', '\r']) {
                1
            } else {
                break;
            };
            self.pos += skip;
            self.line += 1;
        }
        let start_line = self.line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut too_long: Option<usize> = None;
        let mut chars = self.text[self.pos..].char_indices().peekable();
        let base = self.pos;
        let mut quoted = false;
        // Whether the cell began with a quote (only then do quotes mean anything).
        let mut at_cell_start = true;
        let mut end = self.text.len();
        let mut row_done = false;
        while let Some((i, c)) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek().is_some_and(|&(_, n)| n == '"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => quoted = false,
                    '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {
                        chars.next();
                        self.line += usize::from(self.count_quoted_breaks);
                        cell.push_str("\r\n");
                    }
                    '\n' | '\r' => {
                        self.line += usize::from(self.count_quoted_breaks);
                        cell.push(c);
                    }
                    c => cell.push(c),
                }
            } else if c == '"' && at_cell_start {
                quoted = true;
                at_cell_start = false;
                continue;
            } else if c == self.separator {
                if cell.len() > MAX_CELL_BYTES {
                    too_long.get_or_insert(cells.len());
                }
                cells.push(std::mem::take(&mut cell));
                at_cell_start = true;
                continue;
            } else if c == '\n' || c == '\r' {
                let len = if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    2
                } else {
                    1
                };
                end = base + i + len;
                self.line += 1;
                row_done = true;
                break;
            } else {
                // A quote inside an unquoted cell is kept as typed.
                cell.push(c);
            }
            at_cell_start = false;
        }
        if quoted {
            self.pos = self.text.len();
            return Some(Err(RowError::UnclosedQuote { line: start_line }));
        }
        if !row_done {
            end = self.text.len();
        }
        if cell.len() > MAX_CELL_BYTES {
            too_long.get_or_insert(cells.len());
        }
        cells.push(cell);
        self.pos = end;
        if let Some(column) = too_long {
            return Some(Err(RowError::CellTooLong {
                line: start_line,
                column,
            }));
        }
        let mut broken = Vec::new();
        while let Some(&(line, column)) = self.broken.first()
            && line <= start_line
        {
            self.broken = &self.broken[1..];
            if line == start_line {
                broken.push(column);
            }
        }
        Some(Ok(Row {
            line: start_line,
            cells,
            broken,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Result<Row, RowError>> {
        Rows::new(text, sniff_separator(text)).collect()
    }

    fn cells(text: &str) -> Vec<Vec<String>> {
        rows(text)
            .into_iter()
            .map(|r| r.expect("row").cells)
            .collect()
    }

    #[test]
    fn the_separator_is_the_one_the_header_uses() {
        assert_eq!(sniff_separator("Firma Adı;Vergi No;Tutar\n1,5;2;3"), ';');
        assert_eq!(sniff_separator("Company,Tax ID,Amount\n"), ',');
        assert_eq!(sniff_separator("Company\tTax ID\tAmount,total\n"), '\t');
        assert_eq!(sniff_separator("\"A;B\",C\n"), ',');
        assert_eq!(sniff_separator("Name\n"), ';');
    }

    #[test]
    fn semicolons_with_quoted_newlines_and_quotes() {
        let text =
            "Ad;Not;Tutar\r\n\"Öz; Ltd\";\"iki\r\nsatır \"\"alıntı\"\"\";1.234,56\r\nB;;\r\n\r\n";
        let read = rows(text);
        assert_eq!(
            read,
            vec![
                Ok(Row {
                    line: 1,
                    cells: vec!["Ad".into(), "Not".into(), "Tutar".into()],
                    broken: vec![],
                }),
                Ok(Row {
                    line: 2,
                    cells: vec![
                        "Öz; Ltd".into(),
                        "iki\r\nsatır \"alıntı\"".into(),
                        "1.234,56".into()
                    ],
                    broken: vec![],
                }),
                Ok(Row {
                    line: 4,
                    cells: vec!["B".into(), String::new(), String::new()],
                    broken: vec![],
                }),
            ]
        );
    }

    #[test]
    fn bare_cr_and_lf_line_ends_and_no_final_newline() {
        assert_eq!(
            cells("a,b\rc,d\ne,f"),
            vec![vec!["a", "b"], vec!["c", "d"], vec!["e", "f"]]
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_kept() {
        assert_eq!(cells("a;5\" pipe;b\n"), vec![vec!["a", "5\" pipe", "b"]]);
    }

    #[test]
    fn an_unclosed_quote_refuses_the_row_instead_of_eating_the_file() {
        let read = rows("a;b\nc;\"open\nd;e\n");
        assert_eq!(read.len(), 2);
        assert_eq!(read[1], Err(RowError::UnclosedQuote { line: 2 }));
    }

    #[test]
    fn a_cell_over_the_limit_refuses_its_row_and_reading_goes_on() {
        let long = "x".repeat(MAX_CELL_BYTES + 1);
        let text = format!("a;b\n1;{long}\n2;ok\n");
        let read = rows(&text);
        assert_eq!(read[1], Err(RowError::CellTooLong { line: 2, column: 1 }));
        assert_eq!(
            read[2].as_ref().map(|r| r.cells.clone()),
            Ok(vec!["2".to_owned(), "ok".to_owned()])
        );
    }

    #[test]
    fn lines_count_through_quoted_line_breaks() {
        let read = rows("h\n\"a\nb\nc\"\nnext\n");
        assert_eq!(read[2].as_ref().map(|r| r.line), Ok(5));
    }
}
