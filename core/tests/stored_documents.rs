//! Documents saved by an earlier release still load, field for field: one document of
//! every kind, written by the code of 2026-12-03 (before the common fields became one
//! struct), is kept in `tests/stored/` with what it read as then.
//!
//! `SAHA_WRITE_STORED=1 cargo test -p saha-core --test stored_documents` writes the
//! files again; only do that for a deliberate change of the stored layout.

use std::path::PathBuf;

use automerge::Automerge;
use saha_core::kinds::{KINDS, Record};
use saha_core::record::EditContext;
use saha_core::record::form::{Form, Input};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stored")
}

/// A value of the field's type that the form accepts.
fn sample(name: &str, input: &Input) -> String {
    match (name, input) {
        ("end", _) => return "2026-11-30T11:30".to_owned(),
        ("calendar", _) => return "dept:sales".to_owned(),
        ("template", _) => {
            return "Merhaba {{first_name}}, görüşünüz: {{survey_link}}".to_owned();
        }
        _ => {}
    }
    match input {
        Input::Choice(codes) => codes.last().copied().unwrap_or("").to_owned(),
        Input::Date => "2026-11-30".to_owned(),
        Input::DateTime => "2026-11-30T10:30".to_owned(),
        Input::Decimal => "1250.50".to_owned(),
        Input::Phone => "0532 123 45 67".to_owned(),
        Input::Email => "satis@marmara.com.tr".to_owned(),
        Input::TimeZone => "Europe/Istanbul".to_owned(),
        Input::Tags => "toptan, ihracat".to_owned(),
        Input::Link(_) | Input::AnyLink => saha_core::DocumentId::random().to_string(),
        Input::Recurrence => "FREQ=WEEKLY;BYDAY=MO;COUNT=10".to_owned(),
        Input::Duration => "15".to_owned(),
        Input::Text | Input::LongText => format!("Örnek {name} — İstanbul"),
        _ => String::new(),
    }
}

/// A record of `kind` with every field it accepts filled in.
fn filled(kind: &str) -> Record {
    let ctx = EditContext::new("u-ayse", 1_764_000_000_000);
    let mut record = Record::blank(kind, &ctx).expect("every kind has a blank record");
    let mut form = Form::new();
    for field in record.fields() {
        form.set(field.name, sample(field.name, &field.input));
    }
    for _ in 0..5 {
        match record.apply_new(&form, &ctx) {
            Ok(()) => return record,
            Err(problems) => {
                for (field, _) in problems {
                    form.set(field, "");
                }
            }
        }
    }
    record
        .apply_new(&form, &ctx)
        .expect("a form with only accepted values");
    record
}

/// What a reader of the document sees: the common fields, title and every field.
fn snapshot(record: &Record) -> String {
    let common = record.common();
    let mut out = format!(
        "kind={}\nschema={}\nteam={}\nowner={}\ncreated_at={}\ncreated_by={}\nnotes={}\ntitle={}\n",
        common.kind,
        common.schema,
        common.team,
        common.owner,
        common.created_at,
        common.created_by,
        common.notes,
        record.title()
    );
    let form = record.form();
    for field in record.fields() {
        out.push_str(&format!("{}={}\n", field.name, form.get(field.name)));
    }
    out
}

/// Each key at the document's root with the type of its value.
fn root_layout(doc: &Automerge) -> Vec<(String, String)> {
    use automerge::ReadDoc;
    let mut keys: Vec<(String, String)> = doc
        .keys(automerge::ROOT)
        .map(|key| {
            let shape = match doc.get(automerge::ROOT, &key) {
                Ok(Some((automerge::Value::Object(object), _))) => format!("{object:?}"),
                Ok(Some((automerge::Value::Scalar(scalar), _))) => match scalar.as_ref() {
                    automerge::ScalarValue::Str(_) => "str".to_owned(),
                    automerge::ScalarValue::Int(_) => "int".to_owned(),
                    automerge::ScalarValue::F64(_) => "f64".to_owned(),
                    automerge::ScalarValue::Boolean(_) => "bool".to_owned(),
                    other => format!("{other:?}"),
                },
                other => format!("{other:?}"),
            };
            (key, shape)
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn documents_saved_by_an_earlier_release_load_unchanged() {
    let write = std::env::var_os("SAHA_WRITE_STORED").is_some();
    for kind in KINDS {
        let bytes_path = dir().join(format!("{kind}.automerge"));
        let text_path = dir().join(format!("{kind}.txt"));
        if write {
            let mut record = filled(kind);
            if let Record::Account(a) = &mut record {
                a.common.team = "t-ankara".into();
                a.common.owner = "u-ayse".into();
                a.common.notes = "İlk görüşme olumlu.".into();
            }
            let doc = record.create().expect("a record makes a document");
            std::fs::write(&bytes_path, doc.save()).expect("tests/stored is writable");
            std::fs::write(&text_path, snapshot(&record)).expect("tests/stored is writable");
        }
        let bytes =
            std::fs::read(&bytes_path).unwrap_or_else(|e| panic!("{}: {e}", bytes_path.display()));
        let expected = std::fs::read_to_string(&text_path)
            .unwrap_or_else(|e| panic!("{}: {e}", text_path.display()));
        let doc = Automerge::load(&bytes).expect("stored bytes load");
        assert!(
            root_layout(&doc).len() > 7,
            "{kind}: the stored document has fields"
        );
        let record = Record::read(&doc)
            .expect("the stored document is a record")
            .expect("the stored record reads");
        assert_eq!(snapshot(&record), expected, "{kind}");
        // Writing it back unchanged changes nothing.
        let mut again = doc.clone();
        assert!(!record.write(&mut again).expect("writes"), "{kind}");
        // Today's code writes every key the kept document has, at the document's
        // root, with a value of the same type: the common fields sit beside the
        // kind's own, not nested. Keys added since are the only others.
        let fresh = root_layout(&filled(kind).create().expect("a record makes a document"));
        let kept = root_layout(&doc);
        for key in &kept {
            assert!(fresh.contains(key), "{kind}: {key:?} is still written");
        }
        let added: Vec<&str> = fresh
            .iter()
            .filter(|key| !kept.contains(key))
            .map(|(key, _)| key.as_str())
            .collect();
        // Keys added since: `archived_at` and `deleted_at` (every kind, 2026-12-03), and
        // `merged_into` (every kind, 2026-12-05: duplicates merged), a quote's
        // `revision` (2026-12-03, quotes and the orders and invoices made from them),
        // and a sales document's `order_date` (2026-12-05: orders imported with their day);
        // `attachments` (every kind, 2026-12-07: photos, voice notes and documents).
        let since: &[&str] = match kind {
            "quote" | "order" | "invoice" => &[
                "archived_at",
                "attachments",
                "deleted_at",
                "merged_into",
                "order_date",
                "revision",
            ],
            // A campaign's e-mail `subject` (2026-12-03).
            "campaign" => &[
                "archived_at",
                "attachments",
                "deleted_at",
                "merged_into",
                "subject",
            ],
            // A lead's consent log, e.g. from a web form (2026-12-03), and its
            // `tax_number`, matched at conversion (2026-12-05).
            "lead" => &[
                "archived_at",
                "attachments",
                "consents",
                "deleted_at",
                "merged_into",
                "tax_number",
            ],
            // A product's `unit_cost`, kept by the lines priced from it (2026-12-03).
            "product" => &[
                "archived_at",
                "attachments",
                "deleted_at",
                "merged_into",
                "unit_cost",
            ],
            // A segment's ABC class and minimum margin filters (2026-12-03).
            // Its matrix group, retention and bought / not bought product filters
            // (2026-12-04), and its RFM filters (2026-12-04, later).
            "segment" => &[
                "abc_class",
                "archived_at",
                "attachments",
                "bought_product",
                "deleted_at",
                "loyalty_group",
                "merged_into",
                "min_margin",
                "not_bought_product",
                "retention",
                "rfm_frequency",
                "rfm_monetary",
                "rfm_recency",
            ],
            // An account's annual purchasing potential, for the share of wallet (2026-12-04).
            "account" => &[
                "annual_potential",
                "archived_at",
                "attachments",
                "deleted_at",
                "merged_into",
            ],
            _ => &["archived_at", "attachments", "deleted_at", "merged_into"],
        };
        assert_eq!(added, since, "{kind}");
    }
}
