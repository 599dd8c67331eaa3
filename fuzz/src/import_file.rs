//! Any bytes as an uploaded import file (the browser reads it and plans the import;
//! the server's import endpoint reads it the same way): CSV or TSV in UTF-8, UTF-16 or
//! Windows-1254, an XLSX or ODS workbook, or a vCard file. Reading never panics; a file
//! that opens yields rows whose line numbers never go back (a refused row's report
//! names the line to fix); and planning its rows as contacts and as accounts, with
//! columns guessed from its header, refuses bad rows one by one instead of failing.

use saha_core::import::{KeyIndex, Mapping, Outcome, Planner, Source};
use saha_core::record::EditContext;

/// More rows than a fuzz input makes; a bound on the work per input all the same.
const MAX_ROWS: usize = 10_000;

pub fn check(data: &[u8]) {
    let Ok(source) = Source::open(data, None, None) else {
        return;
    };
    let mut last = 0;
    let rows: Vec<_> = source.rows().take(MAX_ROWS).collect();
    for row in &rows {
        let line = match row {
            Ok(row) => row.line,
            Err(e) => e.line(),
        };
        assert!(line >= last, "line {line} after line {last}");
        last = line;
    }
    for kind in ["contact", "account"] {
        let mapping = Mapping::guess(kind, &source.headers);
        if !mapping.problems().is_empty() {
            continue;
        }
        let ctx = EditContext::new("importer", 1_700_000_000_000);
        let mut planner = Planner::new(&mapping, KeyIndex::new(), ctx);
        for row in &rows {
            if let Outcome::Refused(refusal) = planner.plan(row, &|_| None) {
                let _ = refusal.reason.code();
            }
        }
    }
}
