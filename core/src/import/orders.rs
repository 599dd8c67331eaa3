//! Orders with their lines: one row per order line, the rows of one order together.
//!
//! Every accounting or ERP export of sales (Logo, Mikro, Netsis, a spreadsheet kept by
//! hand) writes an order as several rows: the order's number, day, customer and status
//! repeated on each, and one line's product, quantity and price per row. An order
//! import reads them the same way: the columns that fill the order's own fields
//! ([`importable_fields`](super::mapping::importable_fields) of `order`), the order
//! number ([`NUMBER`]) that tells which rows belong together, and the line columns
//! ([`LINE_FIELDS`]). [`Groups`] hands the planner each run of consecutive rows with
//! the same number, so an order is planned (and stored) whole: an invoiced order's
//! lines cannot change once it exists, and a half-imported order would be a wrong
//! sale in every report. A bad line refuses its whole order, every row of it listed.
//!
//! A line names its product by SKU, name or Saha ID; the product fills what the row
//! leaves empty (description, price in the same currency, VAT rate, unit cost), as
//! picking it in the app would. Without a product, the description and price are
//! required. Rows of one order must follow each other: a number met again later in
//! the file is refused as a duplicate (sort the file by order number), never merged
//! into an order already written.

use crate::import::mapping::{ID_FIELD, Mapping};
use crate::import::plan::key_value;
use crate::import::table::{Row, RowError, Rows};
use crate::record::form::{FieldSpec, Form, Input};
use crate::sales::document::{LineItem, ORDER, SalesDocument};
use crate::sales::product::Product;

/// The order's number in the system it comes from: kept as the order's number, and the
/// key its rows are grouped (and existing orders found) by.
pub const NUMBER: FieldSpec = FieldSpec::new("number", Input::Text);

/// A line's product (SKU, name or Saha ID).
pub const LINE_PRODUCT: FieldSpec =
    FieldSpec::new("line_product", Input::Link(crate::sales::product::KIND));
pub const LINE_DESCRIPTION: FieldSpec = FieldSpec::new("line_description", Input::Text);
pub const LINE_QUANTITY: FieldSpec = FieldSpec::new("line_quantity", Input::Decimal);
pub const LINE_UNIT_PRICE: FieldSpec = FieldSpec::new("line_unit_price", Input::Decimal);
pub const LINE_DISCOUNT: FieldSpec = FieldSpec::new("line_discount", Input::Decimal);
pub const LINE_VAT: FieldSpec = FieldSpec::new("line_vat", Input::Choice(&["20", "10", "1"]));
/// The unit cost, for the margin (empty: the product's, else unknown).
pub const LINE_UNIT_COST: FieldSpec = FieldSpec::new("line_unit_cost", Input::Decimal);

/// The columns a row's line is read from.
pub const LINE_FIELDS: [FieldSpec; 7] = [
    LINE_PRODUCT,
    LINE_DESCRIPTION,
    LINE_QUANTITY,
    LINE_UNIT_PRICE,
    LINE_DISCOUNT,
    LINE_VAT,
    LINE_UNIT_COST,
];

/// Whether `field` is one of a line's columns.
pub fn is_line_field(field: &str) -> bool {
    LINE_FIELDS.iter().any(|f| f.name == field)
}

/// Whether a mapping imports orders (whose rows are grouped into orders).
pub fn is_order_import(mapping: &Mapping) -> bool {
    mapping.kind == ORDER
}

/// A line that cannot be made: the line column at fault and its problem.
pub type LineError = (&'static str, crate::text::validate::Problem);

/// The line a row describes: `cells` are its converted line columns (field, value; a
/// product as its ID), `product` the linked product when there is one, `currency` the
/// order's. The row's values win; the product fills the rest. Checked as the line form
/// checks a typed line.
pub fn line_of(
    cells: &[(String, String)],
    product: Option<(&str, &Product)>,
    currency: &str,
    position: i64,
) -> Result<LineItem, LineError> {
    let get = |field: &FieldSpec| {
        cells
            .iter()
            .find(|(f, _)| f == field.name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let same_currency = product.is_some_and(|(_, p)| p.currency == currency);
    let or_product = |value: String, of: &dyn Fn(&Product) -> String| {
        if value.is_empty() {
            product
                .filter(|_| same_currency)
                .map(|(_, p)| of(p))
                .unwrap_or_default()
        } else {
            value
        }
    };
    let description = match get(&LINE_DESCRIPTION) {
        d if d.is_empty() => product.map(|(_, p)| p.name.clone()).unwrap_or_default(),
        d => d,
    };
    let quantity = match get(&LINE_QUANTITY) {
        q if q.is_empty() && product.is_some() => "1".to_owned(),
        q => q,
    };
    let unit_price = or_product(get(&LINE_UNIT_PRICE), &|p| p.unit_price.clone());
    let vat = match get(&LINE_VAT) {
        v if v.is_empty() => product.map_or_else(|| "20".to_owned(), |(_, p)| p.vat.to_string()),
        v => v,
    };
    let form = Form::new()
        .with("description", description)
        .with("quantity", quantity)
        .with("unit_price", unit_price)
        .with("discount", get(&LINE_DISCOUNT))
        .with("vat", vat);
    // The line form's own checks, on a scratch order.
    let mut scratch = SalesDocument::new(ORDER, &crate::record::EditContext::new("", 0));
    let to_column = |field: &str| match field {
        "description" => LINE_DESCRIPTION.name,
        "quantity" => LINE_QUANTITY.name,
        "unit_price" => LINE_UNIT_PRICE.name,
        "discount" => LINE_DISCOUNT.name,
        _ => LINE_VAT.name,
    };
    scratch.set_line("l", &form).map_err(|e| match e {
        crate::record::EditError::Invalid(problems) => problems.first().map_or(
            (
                LINE_DESCRIPTION.name,
                crate::text::validate::Problem::Required,
            ),
            |(field, problem)| (to_column(field), *problem),
        ),
        _ => (
            LINE_DESCRIPTION.name,
            crate::text::validate::Problem::Required,
        ),
    })?;
    let mut line = scratch.lines.remove("l").unwrap_or_default();
    line.position = position;
    line.product = product.map(|(id, _)| id.to_owned()).unwrap_or_default();
    line.unit_cost = or_product(get(&LINE_UNIT_COST), &|p| p.unit_cost.clone());
    Ok(line)
}

/// Whether two orders' lines are the same, whatever their order and IDs.
pub fn same_lines<'a>(
    a: impl IntoIterator<Item = &'a LineItem>,
    b: impl IntoIterator<Item = &'a LineItem>,
) -> bool {
    let key = |l: &LineItem| {
        (
            l.product.clone(),
            l.description.clone(),
            l.quantity.clone(),
            l.unit_price.clone(),
            l.discount.clone(),
            l.vat,
        )
    };
    let mut a: Vec<_> = a.into_iter().map(key).collect();
    let mut b: Vec<_> = b.into_iter().map(key).collect();
    a.sort();
    b.sort();
    a == b
}

/// The rows of a file in the runs the planner takes whole: for an order import, the
/// consecutive rows with the same order key (number or Saha ID); otherwise one row
/// each. A row without a key, or one that could not be read, is a run of its own.
pub struct Groups<'a> {
    rows: Rows<'a>,
    key: Option<(usize, String)>,
    next: Option<Result<Row, RowError>>,
}

impl<'a> Groups<'a> {
    pub fn new(rows: Rows<'a>, mapping: &Mapping) -> Groups<'a> {
        let key = if is_order_import(mapping) {
            mapping
                .key
                .as_ref()
                .and_then(|k| mapping.column_of(k).map(|c| (c, k.clone())))
        } else {
            None
        };
        Groups {
            rows,
            key,
            next: None,
        }
    }

    /// The line the next run starts on (or the one after the last): where a stopped
    /// import goes on from.
    pub fn line(&self) -> usize {
        match &self.next {
            Some(Ok(row)) => row.line,
            Some(Err(e)) => e.line(),
            None => self.rows.line(),
        }
    }

    /// How far through the text reading is, in bytes.
    pub fn position(&self) -> usize {
        self.rows.position()
    }

    fn key_of(&self, row: &Result<Row, RowError>) -> Option<String> {
        let (column, field) = self.key.as_ref()?;
        let cell = row.as_ref().ok()?.cells.get(*column)?;
        if field == ID_FIELD {
            Some(cell.trim().to_owned()).filter(|c| !c.is_empty())
        } else {
            key_value(field, cell)
        }
    }
}

impl Iterator for Groups<'_> {
    type Item = Vec<Result<Row, RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        let first = self.next.take().or_else(|| self.rows.next())?;
        let Some(key) = self.key_of(&first) else {
            return Some(vec![first]);
        };
        let mut run = vec![first];
        while let Some(row) = self.rows.next() {
            if self.key_of(&row).as_ref() == Some(&key) {
                run.push(row);
            } else {
                self.next = Some(row);
                break;
            }
        }
        Some(run)
    }
}

/// What a planned record shows in an import preview's column for `field`: the form's
/// value, an order's number, and for a line column the order's lines' values one after
/// another (`2 · 5 · 1`).
pub fn shown_value(record: &crate::kinds::Record, field: &str) -> String {
    let crate::kinds::Record::Sales(order) = record else {
        return record.form().get(field).to_owned();
    };
    let line_value = |line: &LineItem| -> String {
        match field {
            "line_product" => line.product.clone(),
            "line_description" => line.description.clone(),
            "line_quantity" => line.quantity.clone(),
            "line_unit_price" => line.unit_price.clone(),
            "line_discount" => line.discount.clone(),
            "line_vat" => line.vat.to_string(),
            _ => line.unit_cost.clone(),
        }
    };
    match field {
        "number" => order.number.clone(),
        f if is_line_field(f) => order
            .ordered_lines()
            .into_iter()
            .map(|(_, line)| line_value(line))
            .collect::<Vec<_>>()
            .join(" · "),
        _ => record.form().get(field).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use saha_protocol::DocumentId;

    use super::*;
    use crate::import::plan::{KeyIndex, Outcome, Planner, Reason, Report};
    use crate::import::{Mode, Source};
    use crate::kinds::Record;
    use crate::record::EditContext;

    fn ctx() -> EditContext {
        EditContext::new("u-import", 1_750_000_000_000)
    }

    fn record(kind: &str, fields: &[(&str, &str)]) -> Record {
        let mut record = Record::blank(kind, &ctx()).expect("kind");
        let mut form = record.form();
        for (field, value) in fields {
            form.set(field, *value);
        }
        record.apply_new(&form, &ctx()).expect("valid");
        record
    }

    /// A workspace with one account and two products (one priced in euros).
    fn workspace() -> (KeyIndex, HashMap<DocumentId, Record>, DocumentId) {
        let mut index = KeyIndex::new();
        let mut existing = HashMap::new();
        let account = DocumentId::random();
        let records = [
            (account, record("account", &[("name", "Çağ Gıda A.Ş.")])),
            (
                DocumentId::random(),
                record(
                    "product",
                    &[
                        ("sku", "UR-1"),
                        ("name", "Zeytinyağı 5 L"),
                        ("unit_price", "450"),
                        ("unit_cost", "300"),
                        ("currency", "TRY"),
                        ("vat", "10"),
                    ],
                ),
            ),
            (
                DocumentId::random(),
                record(
                    "product",
                    &[
                        ("sku", "UR-2"),
                        ("name", "Kuru incir"),
                        ("unit_price", "12"),
                        ("currency", "EUR"),
                        ("vat", "1"),
                    ],
                ),
            ),
        ];
        for (id, record) in records {
            index.add(id, &record);
            existing.insert(id, record);
        }
        (index, existing, account)
    }

    fn plan(
        text: &str,
        mode: Mode,
        index: KeyIndex,
        existing: &HashMap<DocumentId, Record>,
    ) -> (Vec<Outcome>, Report) {
        let source = Source::open(text.as_bytes(), None, None).expect("opens");
        let mut mapping = crate::import::Mapping::guess(ORDER, &source.headers);
        mapping.mode = mode;
        assert_eq!(mapping.problems(), [], "{mapping:?}");
        let mut planner = Planner::new(&mapping, index, ctx());
        let mut report = Report::default();
        let mut outcomes = Vec::new();
        for run in Groups::new(source.rows(), &mapping) {
            for planned in planner.plan_run(&run, &|id| existing.get(id).cloned()) {
                report.add(&planned.outcome);
                outcomes.push(planned.outcome);
            }
        }
        (outcomes, report)
    }

    const FILE: &str = "\
Sipariş No;Sipariş Tarihi;Cari;Stok Kodu;Açıklama;Miktar;Birim Fiyat;KDV;Durum
S-1;03.04.2025;Çağ Gıda A.Ş.;UR-1;;2;440,50;%10;Faturalandı
S-1;03.04.2025;Çağ Gıda A.Ş.;;Nakliye;1;150;%20;
S-2;04.04.2025;Çağ Gıda A.Ş.;UR-1;;;;;
S-3;05.04.2025;Çağ Gıda A.Ş.;UR-1;;iki;;;
S-3;05.04.2025;Çağ Gıda A.Ş.;UR-2;;1;;;
S-4;06.04.2025;Çağ Gıda A.Ş.;UR-1;;1;;;
S-4;07.04.2025;Çağ Gıda A.Ş.;UR-1;;1;;;
S-5;08.04.2025;Çağ Gıda A.Ş.;UR-9;;1;;;
S-1;03.04.2025;Çağ Gıda A.Ş.;UR-1;;5;;;
";

    #[test]
    fn the_rows_of_an_order_make_one_order_with_a_line_each() {
        let (index, existing, account) = workspace();
        let (outcomes, report) = plan(FILE, Mode::Create, index, &existing);
        assert_eq!(report.rows(), 9, "{}", report.english(&[], true));
        assert_eq!((report.created, report.lines), (2, 3));
        let Outcome::Create {
            line: 2,
            rows: 2,
            record,
            ..
        } = &outcomes[0]
        else {
            panic!("{:?}", outcomes[0]);
        };
        let Record::Sales(order) = &**record else {
            panic!("not an order");
        };
        assert_eq!(order.number, "S-1");
        assert_eq!(order.order_date, "2025-04-03");
        assert_eq!(order.status, "invoiced");
        assert_eq!(order.account, account.to_string());
        let lines = order.ordered_lines();
        assert_eq!(lines.len(), 2);
        // The row's price wins; the product gives the description and the cost.
        assert_eq!(lines[0].1.description, "Zeytinyağı 5 L");
        assert_eq!(
            (lines[0].1.quantity.as_str(), lines[0].1.unit_price.as_str()),
            ("2", "440.5")
        );
        assert_eq!((lines[0].1.vat, lines[0].1.unit_cost.as_str()), (10, "300"));
        assert!(!lines[0].1.product.is_empty());
        // A line without a product: what the row says, cost unknown.
        assert_eq!(lines[1].1.description, "Nakliye");
        assert_eq!((lines[1].1.vat, lines[1].1.unit_cost.as_str()), (20, ""));
        assert!(lines[1].1.product.is_empty());
        // Totals work from the lines: 2 × 440.50 × 1.10 + 150 × 1.20.
        let totals = order.totals().expect("priced");
        assert_eq!(totals.gross.to_string(), "1149.10");

        // S-2: the product fills quantity 1, its price and VAT.
        let Outcome::Create { record, .. } = &outcomes[1] else {
            panic!("{:?}", outcomes[1]);
        };
        let Record::Sales(order) = &**record else {
            panic!("not an order");
        };
        let (_, line) = order.ordered_lines()[0];
        assert_eq!(
            (line.quantity.as_str(), line.unit_price.as_str(), line.vat),
            ("1", "450", 10)
        );
    }

    #[test]
    fn a_bad_row_refuses_its_whole_order_and_a_split_order_is_refused() {
        let (index, existing, _) = workspace();
        let (_, report) = plan(FILE, Mode::Create, index, &existing);
        let refused: Vec<(usize, &str, Option<usize>)> = report
            .refused
            .iter()
            .map(|r| (r.line, r.reason.code(), r.column))
            .collect();
        assert_eq!(
            refused,
            [
                // S-3: "iki" is no quantity; its other row goes with it.
                (5, "invalid_number", Some(5)),
                (6, "order_refused", None),
                // S-4: the second row gives another date.
                (7, "order_refused", None),
                (8, "differs_in_order", Some(1)),
                // S-5: no product UR-9.
                (9, "link_not_found", Some(3)),
                // S-1 again, after other orders.
                (10, "duplicate_in_file", Some(0)),
            ]
        );
        assert_eq!(report.refused[1].reason, Reason::OrderRefused(5));
        assert_eq!(report.refused[5].reason, Reason::DuplicateInFile(2));
        // Every refused row keeps its cells for the refused-rows file.
        assert!(report.refused.iter().all(|r| r.cells.len() == 9));
    }

    #[test]
    fn a_foreign_currency_product_gives_no_lira_price() {
        let (index, existing, _) = workspace();
        let text = "Sipariş No;Cari;Stok Kodu;Miktar\nS-9;Çağ Gıda A.Ş.;UR-2;3\n";
        let (_, report) = plan(text, Mode::Create, index, &existing);
        // The order is in lira; the euro price is not copied, so the line lacks a price.
        assert_eq!(report.refused.len(), 1);
        assert_eq!(report.refused[0].reason.code(), "required");
        let text = "Sipariş No;Cari;Para Birimi;Stok Kodu;Miktar\nS-9;Çağ Gıda A.Ş.;EUR;UR-2;3\n";
        let (index, existing, _) = workspace();
        let (outcomes, _) = plan(text, Mode::Create, index, &existing);
        let Outcome::Create { record, .. } = &outcomes[0] else {
            panic!("{:?}", outcomes[0]);
        };
        let Record::Sales(order) = &**record else {
            panic!("not an order");
        };
        assert_eq!(order.ordered_lines()[0].1.unit_price, "12");
    }

    #[test]
    fn importing_the_same_orders_again_changes_nothing() {
        let (index, mut existing, _) = workspace();
        let text = "Sipariş No;Cari;Stok Kodu;Miktar\nS-1;Çağ Gıda A.Ş.;UR-1;2\nS-1;Çağ Gıda A.Ş.;UR-1;1\n";
        let (first, report) = plan(text, Mode::Create, index, &existing);
        assert_eq!((report.created, report.lines), (1, 2));
        let Outcome::Create { id, record, .. } = &first[0] else {
            panic!("{:?}", first[0]);
        };
        existing.insert(*id, (**record).clone());
        let index_of = |existing: &HashMap<DocumentId, Record>| {
            let mut index = KeyIndex::new();
            for (id, record) in existing {
                index.add(*id, record);
            }
            index
        };
        let (again, report) = plan(text, Mode::CreateOrUpdate, index_of(&existing), &existing);
        assert!(
            matches!(again[..], [Outcome::Unchanged { rows: 2, .. }]),
            "{again:?}"
        );
        assert_eq!(report.rows(), 2);
        // Other lines for the same order are refused, not added.
        let changed = text.replace(";1\n", ";4\n");
        let (_, report) = plan(
            &changed,
            Mode::CreateOrUpdate,
            index_of(&existing),
            &existing,
        );
        let codes: Vec<&str> = report.refused.iter().map(|r| r.reason.code()).collect();
        assert_eq!(codes, ["lines_differ", "order_refused"]);
    }
}
