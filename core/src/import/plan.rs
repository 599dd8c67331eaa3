//! Rows to what the import will do with each: create, update, leave, or refuse and why.
//!
//! A [`Planner`] takes the file's rows one by one (memory stays bounded by the keys it
//! has seen, never the rows). For each it converts the mapped cells ([`super::cell`]),
//! resolves links (a contact's company by VKN, e-mail, name or ID) and the row's key,
//! then builds the record exactly as a form would ([`Record::apply_new`] or, for an
//! update, the existing record with the row's cells over it), so an imported record
//! meets every rule a typed one does. The same planner serves the dry run (count the
//! outcomes) and the real run (store them): [`Outcome`]s are what the caller writes.
//!
//! A row is never half taken: any problem refuses the whole row, with the line, the
//! column and a [`Reason`] whose [`code`](Reason::code) the app words; the [`Report`]
//! keeps the refused rows' cells so they can be downloaded, fixed and imported again.

use std::collections::HashMap;

use saha_protocol::DocumentId;

use super::cell::{self, DateError};
use super::mapping::{ID_FIELD, Mapping, Mode};
use super::table::{Row, RowError};
use crate::kinds::Record;
use crate::record::EditContext;
use crate::record::form::{FieldSpec, Form, Input};
use crate::text::fold::fold;
use crate::text::validate::{self, Problem};

/// Why a row was refused. Codes are stable ([`Reason::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The form refused the value (the same [`Problem`] a typed value gets).
    Field(Problem),
    /// A date with `/` whose day and month could be either, and no order was chosen.
    AmbiguousDate,
    /// A quoted cell was still open at the end of the file.
    UnclosedQuote,
    /// A cell longer than the longest text Saha keeps.
    CellTooLong,
    /// A workbook's cell shows a formula error (`#N/A`, `#DIV/0!`) instead of a value.
    CellError,
    /// The row has more cells than the file has headers, and they are not empty.
    ExtraCells,
    /// The linked record (a contact's company, …) matches nothing.
    LinkNotFound,
    /// The linked record's name matches several records.
    LinkAmbiguous,
    /// Creating only, and a record with this key exists.
    Exists(String),
    /// An earlier row of the file has the same key (its line).
    DuplicateInFile(usize),
    /// Updating only, and no record has this key.
    NotFound,
    /// Updating, and the row's key cell is empty.
    KeyEmpty,
    /// The key matches several existing records; which one to update is not clear.
    KeyAmbiguous,
    /// The rules do not let the importing member write this record (the rule's code).
    NotAllowed(String),
    /// A row of an order gives the order's own field another value than the order's
    /// first row (its line).
    DiffersInOrder(usize),
    /// Another row of the same order was refused (its line): an order is taken whole.
    OrderRefused(usize),
    /// The order exists with other lines; an import does not change an existing
    /// order's lines.
    LinesDiffer,
}

impl Reason {
    /// Stable code (what the refused-rows file and the REST API carry).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Field(problem) => problem.code(),
            Reason::AmbiguousDate => "ambiguous_date",
            Reason::UnclosedQuote => "unclosed_quote",
            Reason::CellTooLong => "cell_too_long",
            Reason::CellError => "cell_error",
            Reason::ExtraCells => "extra_cells",
            Reason::LinkNotFound => "link_not_found",
            Reason::LinkAmbiguous => "link_ambiguous",
            Reason::Exists(_) => "exists",
            Reason::DuplicateInFile(_) => "duplicate_in_file",
            Reason::NotFound => "not_found",
            Reason::KeyEmpty => "key_empty",
            Reason::KeyAmbiguous => "key_ambiguous",
            Reason::NotAllowed(_) => "not_allowed",
            Reason::DiffersInOrder(_) => "differs_in_order",
            Reason::OrderRefused(_) => "order_refused",
            Reason::LinesDiffer => "lines_differ",
        }
    }

    /// The reason in English, for the command line's report.
    pub fn english(&self) -> String {
        match self {
            Reason::Field(problem) => match problem {
                Problem::Required => "required, but empty".into(),
                Problem::TooLong { max } => format!("longer than {max} characters"),
                Problem::InvalidEmail => "not an e-mail address".into(),
                Problem::InvalidPhone => "not a valid phone number".into(),
                Problem::InvalidVkn => "not a valid VKN (tax number)".into(),
                Problem::InvalidTckn => "not a valid TCKN (identity number)".into(),
                Problem::InvalidDate => "not a date".into(),
                Problem::InvalidNumber => "not a number".into(),
                Problem::InvalidChoice => "not one of the choices".into(),
                other => format!("refused ({})", other.code()),
            },
            Reason::AmbiguousDate => "day and month could be either; choose the date order".into(),
            Reason::UnclosedQuote => "a quote opened here is never closed".into(),
            Reason::CellTooLong => "a cell is longer than Saha keeps".into(),
            Reason::CellError => {
                "the workbook shows a formula error (#N/A, #DIV/0!, …) here".into()
            }
            Reason::ExtraCells => "more cells than the file has columns".into(),
            Reason::LinkNotFound => "no such record to link to".into(),
            Reason::LinkAmbiguous => "several records have this name; use the VKN or e-mail".into(),
            Reason::Exists(id) => format!("already exists ({id})"),
            Reason::DuplicateInFile(line) => format!("same key as line {line}"),
            Reason::NotFound => "no record has this key".into(),
            Reason::KeyEmpty => "the key is empty".into(),
            Reason::KeyAmbiguous => "several records have this key".into(),
            Reason::NotAllowed(rule) => format!("the member may not write this record ({rule})"),
            Reason::DiffersInOrder(line) => {
                format!("differs from line {line}, the first row of the same order")
            }
            Reason::OrderRefused(line) => {
                format!("line {line} of the same order was refused; the order is taken whole")
            }
            Reason::LinesDiffer => {
                "the order exists with other lines; an import does not change them".into()
            }
        }
    }
}

/// A refused row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The line of the file the row starts on (1 is the header).
    pub line: usize,
    /// The column at fault, when one is.
    pub column: Option<usize>,
    pub reason: Reason,
    /// The row's cells as the file has them.
    pub cells: Vec<String>,
}

impl Refusal {
    /// The header of the column at fault (`#7` for a cell beyond the headers), or ""
    /// when no one column is.
    pub fn column_name(&self, headers: &[String]) -> String {
        self.column
            .map(|c| {
                headers
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", c + 1))
            })
            .unwrap_or_default()
    }
}

/// What happens to one row (or to the rows of one order: `line` is the first, `rows`
/// how many).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new record, with the ID it gets.
    Create {
        line: usize,
        rows: usize,
        id: DocumentId,
        record: Box<Record>,
    },
    /// These fields of an existing record change (see [`apply_changes`]).
    Update {
        line: usize,
        rows: usize,
        id: DocumentId,
        changes: Vec<(String, String)>,
    },
    /// The row matches a record that already holds its values.
    Unchanged {
        line: usize,
        rows: usize,
        id: DocumentId,
    },
    Refused(Refusal),
}

/// A planned outcome with the rows it came from (line and cells), so a writer that
/// cannot store it refuses every one of them ([`Planned::refused`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub outcome: Outcome,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Planned {
    /// The outcome if storing it failed for `reason`: each of its rows refused.
    pub fn refused(self, reason: Reason) -> Vec<Outcome> {
        if let Outcome::Refused(_) = self.outcome {
            return vec![self.outcome];
        }
        self.rows
            .into_iter()
            .map(|(line, cells)| {
                Outcome::Refused(Refusal {
                    line,
                    column: None,
                    reason: reason.clone(),
                    cells,
                })
            })
            .collect()
    }

    /// The line the outcome starts on.
    pub fn line(&self) -> usize {
        self.outcome.line()
    }
}

impl Outcome {
    /// The line of the file the outcome's row (or first row) is on.
    pub fn line(&self) -> usize {
        match self {
            Outcome::Create { line, .. }
            | Outcome::Update { line, .. }
            | Outcome::Unchanged { line, .. } => *line,
            Outcome::Refused(refusal) => refusal.line,
        }
    }
}

/// The value a key field is matched by: digits of a tax number, a lower-case e-mail,
/// an E.164 phone, a folded name or SKU; `None` for an empty or unusable value.
pub fn key_value(field: &str, text: &str) -> Option<String> {
    let value = match field {
        super::mapping::ID_FIELD => text.trim().to_owned(),
        "tax_number" => text.chars().filter(char::is_ascii_digit).collect(),
        // Lower case the Turkish way for `İ` (`i`, not `i` and a combining dot, which
        // Unicode's lowercasing gives and the e-mail check refuses in a local part), and
        // the same for a domain already lowercased by the check: one address, one key.
        "email" => validate::email(text)
            .ok()?
            .replace('İ', "i")
            .to_lowercase()
            .replace("i\u{307}", "i"),
        "phone" | "mobile" => validate::phone(text).ok()?,
        _ => fold(text).split_whitespace().collect::<Vec<_>>().join(" "),
    };
    (!value.is_empty()).then_some(value)
}

/// The records an import matches rows and links against, by key: every record of the
/// kinds involved (the kind imported and the kinds its links point to), plus what the
/// import itself creates as it goes.
#[derive(Debug, Default)]
pub struct KeyIndex {
    by_key: HashMap<(String, &'static str, String), Vec<DocumentId>>,
    kinds: HashMap<DocumentId, String>,
}

/// The fields a record of `kind` is found by (for rows and for links).
fn indexed_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "account" => &["tax_number", "email", "name"],
        "contact" | "lead" => &["email", "mobile", "phone", "name"],
        "product" => &["sku", "name"],
        crate::sales::document::ORDER => &["number"],
        _ => &["name"],
    }
}

impl KeyIndex {
    pub fn new() -> KeyIndex {
        KeyIndex::default()
    }

    /// Adds a record (deleted records are left out: nothing matches them).
    pub fn add(&mut self, id: DocumentId, record: &Record) {
        if record.common().is_deleted() {
            return;
        }
        let kind = record.kind();
        let form = record.form();
        for field in indexed_fields(&kind) {
            // An order's number is no form field (the app numbers orders itself).
            let text = match record {
                Record::Sales(document) if *field == "number" => document.number.as_str(),
                _ => form.get(field),
            };
            if let Some(value) = key_value(field, text) {
                let ids = self.by_key.entry((kind.clone(), field, value)).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        self.kinds.insert(id, kind);
    }

    /// The records of `kind` whose `field` matches `text`.
    pub fn find(&self, kind: &str, field: &str, text: &str) -> &[DocumentId] {
        let Some(value) = key_value(field, text) else {
            return &[];
        };
        let Some(field) = indexed_fields(kind).iter().find(|f| **f == field) else {
            return &[];
        };
        self.by_key
            .get(&(kind.to_owned(), *field, value))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether `id` is a record of `kind` the index holds.
    pub fn is(&self, id: &DocumentId, kind: &str) -> bool {
        self.kinds.get(id).is_some_and(|k| k == kind)
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
}

/// The record a link cell names: a record ID, else a tax number (10 or 11 digits),
/// else an e-mail, else a name; `Err` when it names none or several.
fn resolve_link(index: &KeyIndex, kind: &str, text: &str) -> Result<DocumentId, Reason> {
    let text = text.trim();
    if let Ok(id) = text.parse::<DocumentId>()
        && index.is(&id, kind)
    {
        return Ok(id);
    }
    if kind == crate::sales::product::KIND {
        // A product by its SKU (whatever it looks like), else by its name.
        let by = match index.find(kind, "sku", text) {
            [] => index.find(kind, "name", text),
            found => found,
        };
        return match by {
            [id] => Ok(*id),
            [] => Err(Reason::LinkNotFound),
            _ => Err(Reason::LinkAmbiguous),
        };
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let field = if (digits.len() == 10 || digits.len() == 11)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        "tax_number"
    } else if text.contains('@') {
        "email"
    } else {
        "name"
    };
    match index.find(kind, field, text) {
        [id] => Ok(*id),
        [] => Err(Reason::LinkNotFound),
        _ => Err(Reason::LinkAmbiguous),
    }
}

/// Plans an import's rows one by one against the records that exist.
pub struct Planner<'a> {
    mapping: &'a Mapping,
    specs: Vec<Option<FieldSpec>>,
    index: KeyIndex,
    ctx: EditContext,
    /// Key values of this file's rows, and the line that first had each.
    seen: HashMap<String, usize>,
}

impl<'a> Planner<'a> {
    /// A planner for `mapping` (whose [`problems`](Mapping::problems) must be empty)
    /// over `index`; records are made as `ctx`'s member at its time.
    pub fn new(mapping: &'a Mapping, index: KeyIndex, ctx: EditContext) -> Planner<'a> {
        let fields = super::mapping::importable_fields(&mapping.kind);
        let specs = mapping
            .fields
            .iter()
            .map(|f| {
                f.as_ref()
                    .and_then(|name| fields.iter().find(|s| s.name == name).copied())
            })
            .collect();
        Planner {
            mapping,
            specs,
            index,
            ctx,
            seen: HashMap::new(),
        }
    }

    /// The index with what the import planned so far.
    pub fn index(&self) -> &KeyIndex {
        &self.index
    }

    /// What happens to `row`; `existing` reads the current record of an ID the key
    /// matched (for updates) or a product a line names.
    pub fn plan(
        &mut self,
        row: &Result<Row, RowError>,
        existing: &dyn Fn(&DocumentId) -> Option<Record>,
    ) -> Outcome {
        let row = match row {
            Ok(row) => row,
            Err(e) => return Outcome::Refused(row_error(*e)),
        };
        let planned = self.cells_of(row).and_then(|changes| {
            let key_text = self.key_text(row, &changes);
            self.decide(row.line, 1, changes, key_text, None, existing)
        });
        match planned {
            Ok(outcome) => outcome,
            Err((column, reason)) => Outcome::Refused(Refusal {
                line: row.line,
                column,
                reason,
                cells: row.cells.clone(),
            }),
        }
    }

    /// What happens to a run of rows from [`super::orders::Groups`]: one outcome per
    /// row, except an order's rows, which make one order with a line each, or are all
    /// refused together.
    pub fn plan_run(
        &mut self,
        run: &[Result<Row, RowError>],
        existing: &dyn Fn(&DocumentId) -> Option<Record>,
    ) -> Vec<Planned> {
        let origin = |row: &Result<Row, RowError>| match row {
            Ok(row) => (row.line, row.cells.clone()),
            Err(e) => (e.line(), Vec::new()),
        };
        if !super::orders::is_order_import(self.mapping) {
            return run
                .iter()
                .map(|row| Planned {
                    outcome: self.plan(row, existing),
                    rows: vec![origin(row)],
                })
                .collect();
        }
        let rows: Vec<(usize, Vec<String>)> = run.iter().map(origin).collect();
        match self.plan_order(run, existing) {
            Ok(outcome) => vec![Planned { outcome, rows }],
            Err((at, column, reason)) => {
                let first_refused = rows.get(at).map_or(0, |(line, _)| *line);
                rows.into_iter()
                    .enumerate()
                    .map(|(i, (line, cells))| {
                        let refusal = if i == at {
                            Refusal {
                                line,
                                column,
                                reason: reason.clone(),
                                cells,
                            }
                        } else {
                            Refusal {
                                line,
                                column: None,
                                reason: Reason::OrderRefused(first_refused),
                                cells,
                            }
                        };
                        Planned {
                            outcome: Outcome::Refused(refusal),
                            rows: Vec::new(),
                        }
                    })
                    .collect()
            }
        }
    }

    /// One order from its rows: the first row's order fields, a line per row. `Err`
    /// names the row at fault (its index in `run`), the column and the reason.
    fn plan_order(
        &mut self,
        run: &[Result<Row, RowError>],
        existing: &dyn Fn(&DocumentId) -> Option<Record>,
    ) -> Result<Outcome, (usize, Option<usize>, Reason)> {
        let mut order: Option<(&Row, Vec<(String, String)>)> = None;
        let mut lines = Vec::new();
        for (i, row) in run.iter().enumerate() {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    let refusal = row_error(*e);
                    return Err((i, refusal.column, refusal.reason));
                }
            };
            let at = |(column, reason)| (i, column, reason);
            let mut changes = self.cells_of(row).map_err(at)?;
            let line_cells: Vec<(String, String)> = changes
                .iter()
                .filter(|(f, _)| super::orders::is_line_field(f))
                .cloned()
                .collect();
            changes.retain(|(f, _)| !super::orders::is_line_field(f));
            let currency = order
                .as_ref()
                .map_or(&changes, |(_, first)| first)
                .iter()
                .find(|(f, _)| f == "currency")
                .map_or("TRY", |(_, v)| v.as_str())
                .to_owned();
            if !line_cells.is_empty() {
                let product = line_cells
                    .iter()
                    .find(|(f, _)| f == super::orders::LINE_PRODUCT.name)
                    .and_then(|(_, id)| id.parse::<DocumentId>().ok())
                    .and_then(|id| match existing(&id) {
                        Some(Record::Product(product)) => Some((id.to_string(), product)),
                        _ => None,
                    });
                let line = super::orders::line_of(
                    &line_cells,
                    product.as_ref().map(|(id, p)| (id.as_str(), p)),
                    &currency,
                    lines.len() as i64 + 1,
                )
                .map_err(|(field, problem)| {
                    (i, self.mapping.column_of(field), Reason::Field(problem))
                })?;
                lines.push(line);
            }
            match &order {
                None => order = Some((row, changes)),
                Some((first, fields)) => {
                    // A later row may repeat the order's fields or leave them empty,
                    // not change them.
                    for (field, value) in &changes {
                        let Some(column) = self.mapping.column_of(field) else {
                            continue;
                        };
                        let given = row.cells.get(column).is_some_and(|c| !c.trim().is_empty());
                        let first_value = fields.iter().find(|(f, _)| f == field);
                        if given && first_value.is_none_or(|(_, v)| v != value) {
                            return Err((i, Some(column), Reason::DiffersInOrder(first.line)));
                        }
                    }
                }
            }
        }
        let Some((first, changes)) = order else {
            return Err((0, None, Reason::KeyEmpty));
        };
        let key_text = self.key_text(first, &changes);
        self.decide(
            first.line,
            run.len(),
            changes,
            key_text,
            Some(lines),
            existing,
        )
        .map_err(|(column, reason)| (0, column, reason))
    }

    /// A row's mapped cells as the form takes them (field, value), with the import's
    /// defaults for fields the row leaves empty.
    fn cells_of(&self, row: &Row) -> Result<Vec<(String, String)>, RowRefusal> {
        let width = self.mapping.headers.len();
        if let Some(extra) = row.cells[width.min(row.cells.len())..]
            .iter()
            .position(|c| !c.trim().is_empty())
        {
            return Err((Some(width + extra), Reason::ExtraCells));
        }
        if let Some(&column) = row
            .broken
            .iter()
            .find(|&&c| self.specs.get(c).is_some_and(Option::is_some))
        {
            return Err((Some(column), Reason::CellError));
        }
        let mut changes: Vec<(String, String)> = Vec::new();
        for (column, spec) in self.specs.iter().enumerate() {
            let Some(spec) = spec else { continue };
            let raw = row.cells.get(column).map_or("", String::as_str);
            if raw.trim().is_empty() {
                continue;
            }
            let value = self
                .convert(spec, cell::undefused(raw))
                .map_err(|reason| (Some(column), reason))?;
            changes.push((spec.name.to_owned(), value));
        }
        for (field, value) in &self.mapping.defaults {
            if !changes.iter().any(|(f, _)| f == field) && !value.trim().is_empty() {
                changes.push((field.clone(), value.clone()));
            }
        }
        infer_party(&self.mapping.kind, &mut changes);
        Ok(changes)
    }

    /// The text of the row's key (the existing record it is), if any.
    fn key_text(&self, row: &Row, changes: &[(String, String)]) -> Option<String> {
        match self.mapping.key.as_deref() {
            Some(ID_FIELD) => self
                .mapping
                .column_of(ID_FIELD)
                .and_then(|c| row.cells.get(c))
                .filter(|v| !v.trim().is_empty())
                .cloned(),
            Some(k) => changes.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()),
            None => None,
        }
    }

    /// What a row (or an order's rows, with their `lines`) does, given its converted
    /// cells and key: create, update, leave, or a refusal at a column.
    fn decide(
        &mut self,
        line: usize,
        rows: usize,
        mut changes: Vec<(String, String)>,
        key_text: Option<String>,
        lines: Option<Vec<crate::sales::document::LineItem>>,
        existing: &dyn Fn(&DocumentId) -> Option<Record>,
    ) -> Result<Outcome, (Option<usize>, Reason)> {
        let column_of = |field: &str| self.mapping.column_of(field);
        // An order's number is set on the record, not through its form.
        let number = changes
            .iter()
            .position(|(f, _)| f == super::orders::NUMBER.name)
            .filter(|_| lines.is_some())
            .map(|i| changes.remove(i).1);

        // The key: which existing record (if any) the row is.
        let key_field = self.mapping.key.as_deref();
        let key_value = key_field
            .zip(key_text.as_deref())
            .and_then(|(k, v)| key_value(k, v));
        let key_column = key_field.and_then(column_of);
        if let Some(value) = &key_value
            && let Some(&first) = self.seen.get(value)
        {
            return Err((key_column, Reason::DuplicateInFile(first)));
        }
        let matched: Vec<DocumentId> = match (key_field, &key_text) {
            (Some(ID_FIELD), Some(v)) => v
                .trim()
                .parse::<DocumentId>()
                .ok()
                .filter(|id| self.index.is(id, &self.mapping.kind))
                .into_iter()
                .collect(),
            (Some(k), Some(v)) => self.index.find(&self.mapping.kind, k, v).to_vec(),
            _ => Vec::new(),
        };
        let outcome = match (self.mapping.mode, matched.as_slice()) {
            (Mode::Update, _) if key_value.is_none() => {
                return Err((key_column, Reason::KeyEmpty));
            }
            (Mode::Update, []) => return Err((key_column, Reason::NotFound)),
            (Mode::Create, [id, ..]) => return Err((key_column, Reason::Exists(id.to_string()))),
            (_, [_, _, ..]) => return Err((key_column, Reason::KeyAmbiguous)),
            (Mode::Update | Mode::CreateOrUpdate, [id]) => {
                let mut record = existing(id).ok_or((key_column, Reason::NotFound))?;
                if let (Some(lines), Record::Sales(order)) = (&lines, &record)
                    && !lines.is_empty()
                    && !super::orders::same_lines(order.lines.values(), lines)
                {
                    return Err((None, Reason::LinesDiffer));
                }
                let before = record.clone();
                let mut form = record.form();
                for (field, value) in &changes {
                    form.set(field, value.as_str());
                }
                record
                    .apply_edit(&form, &self.ctx)
                    .map_err(|problems| field_refusal(&problems, &column_of))?;
                if record == before {
                    Outcome::Unchanged {
                        line,
                        rows,
                        id: *id,
                    }
                } else {
                    self.index.add(*id, &record);
                    Outcome::Update {
                        line,
                        rows,
                        id: *id,
                        changes,
                    }
                }
            }
            (Mode::Create | Mode::CreateOrUpdate, []) => {
                let mut record = Record::blank(&self.mapping.kind, &self.ctx)
                    .ok_or((None, Reason::Field(Problem::InvalidChoice)))?;
                let mut form = record.form();
                for (field, value) in &changes {
                    form.set(field, value.as_str());
                }
                record
                    .apply_new(&form, &self.ctx)
                    .map_err(|problems| field_refusal(&problems, &column_of))?;
                if let (Some(lines), Record::Sales(order)) = (lines, &mut record) {
                    order.number = number.unwrap_or_default();
                    for line in lines {
                        order
                            .lines
                            .insert(crate::sales::document::new_line_id(), line);
                    }
                }
                let id = DocumentId::random();
                self.index.add(id, &record);
                Outcome::Create {
                    line,
                    rows,
                    id,
                    record: Box::new(record),
                }
            }
        };
        if let Some(value) = key_value {
            self.seen.insert(value, line);
        }
        Ok(outcome)
    }

    /// One cell as the form takes it.
    fn convert(&self, spec: &FieldSpec, raw: &str) -> Result<String, Reason> {
        Ok(match spec.input {
            Input::Date => cell::date(raw, self.mapping.date_order).map_err(|e| match e {
                DateError::Ambiguous => Reason::AmbiguousDate,
                DateError::Invalid => Reason::Field(Problem::InvalidDate),
            })?,
            Input::Decimal => cell::amount(raw),
            Input::Choice(codes) => cell::choice(raw, codes),
            Input::Tags => cell::tags(raw),
            Input::Link(kind) => resolve_link(&self.index, kind, raw)?.to_string(),
            _ if spec.name == "tax_number" => {
                // Excel drops a VKN's leading zero when the column is a number.
                let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
                if digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) {
                    format!("0{digits}")
                } else {
                    raw.to_owned()
                }
            }
            _ => raw.to_owned(),
        })
    }
}

/// Why a row is refused: the column at fault (if one is) and the reason.
type RowRefusal = (Option<usize>, Reason);

/// A row that could not be read, refused.
fn row_error(e: RowError) -> Refusal {
    let (column, reason) = match e {
        RowError::UnclosedQuote { .. } => (None, Reason::UnclosedQuote),
        RowError::CellTooLong { column, .. } => (Some(column), Reason::CellTooLong),
    };
    Refusal {
        line: e.line(),
        column,
        reason,
        cells: Vec::new(),
    }
}

/// An account whose tax number has 11 digits is a person (TCKN), unless a column
/// says otherwise.
fn infer_party(kind: &str, changes: &mut Vec<(String, String)>) {
    if kind != crate::parties::account::KIND || changes.iter().any(|(f, _)| f == "party") {
        return;
    }
    let digits = changes
        .iter()
        .find(|(f, _)| f == "tax_number")
        .map(|(_, v)| v.chars().filter(char::is_ascii_digit).count());
    if digits == Some(11) {
        changes.push(("party".into(), "person".into()));
    }
}

/// The first problem of a refused form as a row refusal, at its field's column.
fn field_refusal(
    problems: &[(&'static str, Problem)],
    column_of: &dyn Fn(&str) -> Option<usize>,
) -> (Option<usize>, Reason) {
    problems.first().map_or(
        (None, Reason::Field(Problem::Required)),
        |(field, problem)| (column_of(field), Reason::Field(*problem)),
    )
}

/// Writes an update's changes into the record stored in `doc`: the record as the
/// document holds it now, with the changed fields over it (a field the row leaves empty
/// keeps its value); returns whether the document changed.
pub fn apply_changes(
    doc: &mut automerge::Automerge,
    changes: &[(String, String)],
    ctx: &EditContext,
) -> Result<bool, crate::record::EditError> {
    let record = match Record::read(doc) {
        Some(Ok(record)) => record,
        Some(Err(e)) => return Err(crate::record::EditError::Store(e)),
        None => {
            return Err(crate::record::EditError::Refused(
                crate::record::WorkflowRefusal::NotARecord,
            ));
        }
    };
    let mut form: Form = record.form();
    for (field, value) in changes {
        form.set(field, value.as_str());
    }
    Record::edit(doc, &form, ctx)
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records created, updated and left as they were (an order and its lines count
    /// once).
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: Vec<Refusal>,
    /// The lines of the orders created.
    pub lines: usize,
    /// Rows read.
    rows: usize,
}

impl Report {
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Create { rows, record, .. } => {
                self.created += 1;
                self.rows += rows;
                if let Record::Sales(order) = &**record {
                    self.lines += order.lines.len();
                }
            }
            Outcome::Update { rows, .. } => {
                self.updated += 1;
                self.rows += rows;
            }
            Outcome::Unchanged { rows, .. } => {
                self.unchanged += 1;
                self.rows += rows;
            }
            Outcome::Refused(refusal) => {
                self.refused.push(refusal.clone());
                self.rows += 1;
            }
        }
    }

    /// Rows read in all.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The refused rows as a table: the file's columns with the rows' cells as they
    /// were, then the line, the column at fault and the reason (`reason` words a
    /// reason; the app passes its own language).
    pub fn refused_table(
        &self,
        headers: &[String],
        reason: &dyn Fn(&Reason) -> String,
    ) -> crate::export::Table {
        let mut columns: Vec<String> = headers.to_vec();
        columns.extend(["line", "column", "reason", "reason_code"].map(str::to_owned));
        let mut table = crate::export::Table::new("refused", columns);
        for refusal in &self.refused {
            let mut cells: Vec<crate::export::Cell> = (0..headers.len())
                .map(|i| {
                    refusal
                        .cells
                        .get(i)
                        .map_or(crate::export::Cell::Empty, |c| c.as_str().into())
                })
                .collect();
            cells.push(crate::export::Cell::Integer(refusal.line as i64));
            cells.push(refusal.column_name(headers).into());
            cells.push(reason(&refusal.reason).into());
            cells.push(refusal.reason.code().into());
            table.push(cells);
        }
        table
    }

    /// The report as the command line prints it.
    pub fn english(&self, headers: &[String], dry_run: bool) -> String {
        let verb = if dry_run { "would be " } else { "" };
        let lines = if self.lines > 0 {
            format!(" (with {} order lines)", self.lines)
        } else {
            String::new()
        };
        let mut out = format!(
            "{} rows: {} {verb}created{lines}, {} {verb}updated, {} unchanged, {} refused\n",
            self.rows(),
            self.created,
            self.updated,
            self.unchanged,
            self.refused.len()
        );
        for r in &self.refused {
            let column = match r.column {
                Some(_) => format!(" column {:?}", r.column_name(headers)),
                None => String::new(),
            };
            out.push_str(&format!(
                "line {}{column}: {} [{}]\n",
                r.line,
                r.reason.english(),
                r.reason.code()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_with_a_dotted_capital_i_has_one_key_however_it_is_written() {
        let key = key_value("email", "İpek.Kaya@İzmir.com.tr").expect("a key");
        assert_eq!(key, "ipek.kaya@izmir.com.tr");
        // As the form stores it (the domain lowercased by the e-mail check), as typed
        // in lower case, and the key itself: the same key.
        let stored = validate::email("İpek.Kaya@İzmir.com.tr").expect("a valid address");
        for written in [stored.as_str(), "ipek.kaya@izmir.com.tr", key.as_str()] {
            assert_eq!(
                key_value("email", written).as_deref(),
                Some(key.as_str()),
                "{written}"
            );
        }
    }
    use crate::import::decode::{Encoding, encode_windows_1254};
    use crate::import::{Mapping, Source};

    /// A valid VKN starting with `prefix` (nine digits).
    fn vkn(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|v| validate::vkn(v).is_ok())
            .expect("some check digit fits")
    }

    fn ctx() -> EditContext {
        EditContext::new("u-import", 1_750_000_000_000)
    }

    fn plan_all(
        source: &Source,
        mapping: &Mapping,
        index: KeyIndex,
        existing: &HashMap<DocumentId, Record>,
    ) -> (Vec<Outcome>, Report) {
        let mut planner = Planner::new(mapping, index, ctx());
        let mut report = Report::default();
        let outcomes: Vec<Outcome> = source
            .rows()
            .map(|row| {
                let outcome = planner.plan(&row, &|id| existing.get(id).cloned());
                report.add(&outcome);
                outcome
            })
            .collect();
        (outcomes, report)
    }

    fn account(name: &str, tax: &str) -> Record {
        let mut record = Record::blank("account", &ctx()).expect("kind");
        let mut form = record.form();
        form.set("name", name);
        form.set("tax_number", tax);
        record.apply_new(&form, &ctx()).expect("valid");
        record
    }

    #[test]
    fn a_windows_1254_account_file_gives_the_exact_report() {
        let (a, b) = (vkn("123456789"), vkn("987654321"));
        // `a` with a wrong check digit.
        let last = a.as_bytes()[9] - b'0';
        let bad = format!("{}{}", &a[..9], (last + 1) % 10);
        let text = format!(
            "Firma Adı;Vergi No;Cep Tel;E-Posta;Şehir;Doğum Tarihi;Müşteri Tipi\r\n\
             Çağrı Gıda A.Ş.;{a};0532 111 22 33;info@cagri.com.tr;İstanbul;;Potansiyel\r\n\
             Öztürk Şahıs;10000000146;;;İzmir;03.04.1980;mevcut\r\n\
             Bozuk VKN;{bad};;;;;\r\n\
             Kötü Telefon;;0123 456 78 90;;;;\r\n\
             ;{b};;;;;\r\n\
             Tarih Belirsiz;;;;;03/04/1980;\r\n\
             Tekrar;{a};;;;;\r\n\
             Fazla;;;;;;;taşan\r\n\
             Bilinmez Tip;;;;;;Acayip\r\n"
        );
        let bytes = encode_windows_1254(&text).expect("encodable");
        let source = Source::open(&bytes, None, None).expect("opens");
        assert_eq!(source.encoding, Encoding::Windows1254);
        assert_eq!(source.separator, ';');
        let mut mapping = Mapping::guess("account", &source.headers);
        assert_eq!(mapping.problems(), []);
        let (outcomes, report) = plan_all(&source, &mapping, KeyIndex::new(), &HashMap::new());
        assert_eq!(report.created, 2);
        // A device lists a record it just made from the record in hand, not read back
        // from its new document: the two must be the same.
        for outcome in &outcomes {
            if let Outcome::Create { record, .. } = outcome {
                let doc = record.create().expect("written");
                let read = Record::read(&doc).expect("a record").expect("readable");
                assert_eq!(&read, record.as_ref());
            }
        }
        let refused: Vec<(usize, Option<&str>, &str)> = report
            .refused
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.column
                        .and_then(|c| source.headers.get(c))
                        .map(String::as_str),
                    r.reason.code(),
                )
            })
            .collect();
        assert_eq!(
            refused,
            [
                (4, Some("Vergi No"), "invalid_vkn"),
                (5, Some("Cep Tel"), "invalid_phone"),
                (6, Some("Firma Adı"), "required"),
                (7, Some("Doğum Tarihi"), "ambiguous_date"),
                (8, Some("Vergi No"), "duplicate_in_file"),
                (9, None, "extra_cells"),
                (10, Some("Müşteri Tipi"), "invalid_choice"),
            ]
        );
        assert_eq!(report.refused[4].reason, Reason::DuplicateInFile(2));
        // Every character arrived; the person was told from the TCKN.
        let Outcome::Create { record, .. } = &outcomes[0] else {
            panic!("{:?}", outcomes[0])
        };
        let Record::Account(first) = record.as_ref() else {
            panic!()
        };
        assert_eq!(first.name, "Çağrı Gıda A.Ş.");
        assert_eq!(first.city, "İstanbul");
        assert_eq!(first.mobile, "+905321112233");
        assert_eq!(first.customer_type.code(), "potential");
        let Outcome::Create { record, .. } = &outcomes[1] else {
            panic!()
        };
        let Record::Account(second) = record.as_ref() else {
            panic!()
        };
        assert_eq!(second.party.code(), "person");
        assert_eq!(second.birthday, "1980-04-03");
        assert_eq!(second.customer_type.code(), "current");

        // The refused rows come back as they were, with the reason, ready to fix.
        let csv =
            crate::export::csv::write(&report.refused_table(&source.headers, &|r| r.english()));
        assert!(csv.contains("Kötü Telefon"), "{csv}");
        assert!(csv.contains("not a valid phone number"));
        assert_eq!(csv.lines().count(), 8);

        // Choosing the date order takes the ambiguous row.
        mapping.date_order = Some(crate::import::DateOrder::MonthFirst);
        let (_, report) = plan_all(&source, &mapping, KeyIndex::new(), &HashMap::new());
        assert_eq!(report.created, 3);
    }

    #[test]
    fn create_refuses_existing_keys_and_update_changes_only_given_fields() {
        let a = vkn("111111111");
        let existing_id = DocumentId::random();
        let mut stored = account("Eski Ad", &a);
        if let Record::Account(acc) = &mut stored {
            acc.city = "Bursa".into();
        }
        let mut index = KeyIndex::new();
        index.add(existing_id, &stored);
        let existing: HashMap<DocumentId, Record> = [(existing_id, stored)].into();
        let text = format!(
            "VKN;Firma;E-posta\n{a};Yeni Ad;\n{};Başka;\n",
            vkn("222222222")
        );
        let source = Source::open(text.as_bytes(), None, None).expect("opens");
        let mut mapping = Mapping::guess("account", &source.headers);
        assert_eq!(mapping.key.as_deref(), Some("tax_number"));

        let (_, report) = plan_all(&source, &mapping, index, &existing);
        assert_eq!((report.created, report.refused.len()), (1, 1));
        assert_eq!(
            report.refused[0].reason,
            Reason::Exists(existing_id.to_string())
        );

        mapping.mode = Mode::CreateOrUpdate;
        let mut index = KeyIndex::new();
        index.add(existing_id, &existing[&existing_id]);
        let (outcomes, report) = plan_all(&source, &mapping, index, &existing);
        assert_eq!((report.created, report.updated), (1, 1));
        let Outcome::Update { id, changes, .. } = &outcomes[0] else {
            panic!("{:?}", outcomes[0])
        };
        assert_eq!(*id, existing_id);
        // Written into the document: the name changes, the city the file left out stays.
        let mut doc = existing[&existing_id].create().expect("doc");
        assert!(apply_changes(&mut doc, changes, &ctx()).expect("applies"));
        let Some(Ok(Record::Account(after))) = Record::read(&doc) else {
            panic!()
        };
        assert_eq!(
            (after.name.as_str(), after.city.as_str()),
            ("Yeni Ad", "Bursa")
        );

        // The same values again: unchanged, not an update.
        let text = format!("VKN;Firma\n{a};Eski Ad\n");
        let source = Source::open(text.as_bytes(), None, None).expect("opens");
        let mut mapping = Mapping::guess("account", &source.headers);
        mapping.mode = Mode::Update;
        let mut index = KeyIndex::new();
        index.add(existing_id, &existing[&existing_id]);
        let (_, report) = plan_all(&source, &mapping, index, &existing);
        assert_eq!(report.unchanged, 1);
        // Update only: an unknown key is refused.
        let text = format!("VKN;Firma\n{};X\n", vkn("333333333"));
        let source = Source::open(text.as_bytes(), None, None).expect("opens");
        let (_, report) = plan_all(&source, &mapping, KeyIndex::new(), &existing);
        assert_eq!(report.refused[0].reason, Reason::NotFound);
    }

    #[test]
    fn contacts_link_to_accounts_by_vkn_name_or_id() {
        let a = vkn("444444444");
        let (first, second, third) = (
            DocumentId::random(),
            DocumentId::random(),
            DocumentId::random(),
        );
        let mut index = KeyIndex::new();
        index.add(first, &account("Ege Tekstil", &a));
        index.add(second, &account("Aynı Ad", ""));
        index.add(third, &account("AYNI AD", ""));
        let text = format!(
            "Ad Soyad,Firma,E-posta\n\
             Ayşe Yılmaz,{a},ayse@ege.com.tr\n\
             Mehmet Öz,ege tekstil,\n\
             Can Demir,{first},\n\
             Zeynep Kaya,Aynı Ad,\n\
             Ali Veli,Olmayan Firma,\n"
        );
        let source = Source::open(text.as_bytes(), None, None).expect("opens");
        let mapping = Mapping::guess("contact", &source.headers);
        let (outcomes, report) = plan_all(&source, &mapping, index, &HashMap::new());
        assert_eq!(report.created, 3);
        for outcome in &outcomes[..3] {
            let Outcome::Create { record, .. } = outcome else {
                panic!("{outcome:?}")
            };
            assert_eq!(record.account(), first.to_string());
        }
        let reasons: Vec<&Reason> = report.refused.iter().map(|r| &r.reason).collect();
        assert_eq!(reasons, [&Reason::LinkAmbiguous, &Reason::LinkNotFound]);
        assert_eq!(report.refused[0].column, Some(1));
    }

    #[test]
    fn a_broken_row_is_refused_with_its_line_and_the_rest_is_read() {
        let text = "Firma;Şehir\nA;Bursa\nB;\"açık\nC;Van\n";
        let source = Source::open(text.as_bytes(), None, None).expect("opens");
        let mapping = Mapping::guess("account", &source.headers);
        let (_, report) = plan_all(&source, &mapping, KeyIndex::new(), &HashMap::new());
        assert_eq!(report.created, 1);
        assert_eq!(report.refused[0].line, 3);
        assert_eq!(report.refused[0].reason, Reason::UnclosedQuote);
        let printed = report.english(&source.headers, true);
        assert!(
            printed.starts_with("2 rows: 1 would be created"),
            "{printed}"
        );
    }

    #[test]
    fn a_file_without_a_header_cannot_be_opened() {
        assert_eq!(
            Source::open(b"", None, None),
            Err(crate::import::SourceError::Empty)
        );
        assert_eq!(
            Source::open(b"\"open", None, None),
            Err(crate::import::SourceError::BadHeader)
        );
    }

    #[test]
    fn a_formula_error_refuses_its_row_only_where_the_column_is_imported() {
        use crate::import::workbook::fixtures::{text_cell, xlsx};
        let a = vkn("123456789");
        let error = |r: &str| format!(r#"<c r="{r}" t="e"><v>#N/A</v></c>"#);
        let bytes = xlsx(
            &[(
                "Sayfa1",
                &format!(
                    r#"<row r="1">{}{}{}</row><row r="2">{}{}</row><row r="3">{}{}{}</row>"#,
                    text_cell("A1", "Firma Adı"),
                    text_cell("B1", "Vergi No"),
                    text_cell("C1", "Hesaplama"),
                    text_cell("A2", "Hatalı VKN Ltd"),
                    error("B2"),
                    text_cell("A3", "Doğru Ltd"),
                    text_cell("B3", &a),
                    error("C3"),
                ),
            )],
            false,
        );
        let source = Source::open(&bytes, None, None).expect("opens");
        let mapping = Mapping::guess("account", &source.headers);
        assert_eq!(mapping.column_of("tax_number"), Some(1));
        assert_eq!(mapping.fields[2], None);
        let (outcomes, report) = plan_all(&source, &mapping, KeyIndex::new(), &HashMap::new());
        assert_eq!(report.created, 1);
        assert_eq!(report.refused.len(), 1);
        assert_eq!(report.refused[0].line, 2);
        assert_eq!(report.refused[0].column, Some(1));
        assert_eq!(report.refused[0].reason, Reason::CellError);
        // The refused row keeps its cells for the refused-rows file.
        assert_eq!(report.refused[0].cells[0], "Hatalı VKN Ltd");
        assert!(matches!(outcomes[1], Outcome::Create { .. }));
    }
}
