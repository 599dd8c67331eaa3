//! One record of every kind with every field filled in and linked to each other, for
//! the end-to-end check that visits every screen (`saha-bench seed-screens`): long
//! Turkish values, a quote, an order and an invoice with lines, a case, a call, a
//! meeting, a segment and a campaign, so a screen that breaks on real data shows it.

use automerge::Automerge;
use saha_core::DocumentId;
use saha_core::kinds::{KINDS, Record};
use saha_core::record::EditContext;
use saha_core::record::form::{Form, Input};

/// The order records are made in: a record's links point at records made before it.
const ORDER: &[&str] = &[
    "account",
    "contact",
    "product",
    "lead",
    "opportunity",
    "quote",
    "order",
    "invoice",
    "case",
    "call",
    "task",
    "meeting",
    "segment",
    "campaign",
];

/// A value of the field's type that its form accepts, linked to `made` where it links.
fn sample(kind: &str, name: &str, input: &Input, made: &[(&str, DocumentId)]) -> String {
    let link = |to: &str| {
        made.iter()
            .find(|(k, _)| *k == to)
            .map(|(_, id)| id.to_string())
            .unwrap_or_default()
    };
    match (kind, name) {
        (_, "end") => return "2026-12-14T11:30".to_owned(),
        (_, "start") | (_, "started") => return "2026-12-14T10:00".to_owned(),
        (_, "calendar") => return "dept:sales".to_owned(),
        (_, "template") => {
            return "Merhaba {{first_name}}, kış kampanyamız başladı: {{survey_link}}".to_owned();
        }
        (_, "email_topic") => return String::new(),
        (_, "stage") => return "proposal".to_owned(),
        (_, "status") => return String::new(),
        (_, "party") => return "company".to_owned(),
        _ => {}
    }
    match input {
        Input::Choice(codes) => codes.first().copied().unwrap_or("").to_owned(),
        Input::Date => "2026-12-30".to_owned(),
        Input::DateTime => "2026-12-14T10:00".to_owned(),
        Input::Decimal => "1250000.50".to_owned(),
        Input::Phone => "0532 123 45 67".to_owned(),
        Input::Email => "satinalma.mudurlugu@marmara-gida.com.tr".to_owned(),
        Input::TimeZone => "Europe/Istanbul".to_owned(),
        Input::Tags => "toptan, ihracat, öncelikli".to_owned(),
        Input::Link(to) => link(to),
        Input::AnyLink => link("account"),
        Input::Recurrence => "FREQ=WEEKLY;BYDAY=MO;COUNT=10".to_owned(),
        Input::Duration => "15".to_owned(),
        Input::Text => format!("Marmara Gıda Sanayi ve Ticaret A.Ş. — {name}"),
        Input::LongText => format!(
            "Uzun bir not: müşteri Çarşamba günü İstanbul'daki deposunda görüşme istedi; {name}."
        ),
        _ => String::new(),
    }
}

/// The records, each with its document, in an order where links point backwards.
pub fn every_kind(user: &str, now_ms: i64) -> Vec<(&'static str, DocumentId, Automerge)> {
    let ctx = EditContext::new(user, now_ms);
    let mut made: Vec<(&str, DocumentId)> = Vec::new();
    let mut records: Vec<(&'static str, DocumentId, Record)> = Vec::new();
    for kind in ORDER {
        let Some(mut record) = Record::blank(kind, &ctx) else {
            continue;
        };
        let mut form = Form::new();
        for field in record.fields() {
            form.set(field.name, sample(kind, field.name, &field.input, &made));
        }
        // Drop what a form refuses (a field whose rule this sample does not meet).
        for _ in 0..5 {
            match record.apply_new(&form, &ctx) {
                Ok(()) => break,
                Err(problems) => {
                    for (field, _) in problems {
                        form.set(field, "");
                    }
                }
            }
        }
        if let Record::Sales(document) = &mut record {
            let product = records.iter().find_map(|(_, id, r)| match r {
                Record::Product(p) => Some((id.to_string(), p.clone())),
                _ => None,
            });
            if let Some((id, product)) = product {
                let _ = document.add_product_line(
                    &saha_core::sales::document::new_line_id(),
                    &id,
                    &product,
                );
            }
            let line = Form::new()
                .with(
                    "description",
                    "Kurulum ve yerinde eğitim hizmeti (2 gün, İzmir)",
                )
                .with("quantity", "2")
                .with("unit_price", "18500")
                .with("discount", "12.5")
                .with("vat", "20");
            let _ = document.set_line(&saha_core::sales::document::new_line_id(), &line);
        }
        let id = DocumentId::random();
        made.push((kind, id));
        records.push((kind, id, record));
    }
    debug_assert_eq!(records.len(), KINDS.len());
    records
        .into_iter()
        .filter_map(|(kind, id, record)| record.create().ok().map(|doc| (kind, id, doc)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_made_and_linked() {
        let made = every_kind("u1", 1_765_000_000_000);
        assert_eq!(made.len(), KINDS.len());
        let account = made
            .iter()
            .find(|(k, _, _)| *k == "account")
            .map(|(_, id, _)| id.to_string())
            .expect("an account");
        for (kind, _, doc) in &made {
            let record = Record::read(doc).expect("a record").expect("reads");
            assert_eq!(record.kind(), *kind);
            if matches!(*kind, "contact" | "opportunity" | "quote" | "case" | "call") {
                assert_eq!(record.account(), account, "{kind} links the account");
            }
            if let Record::Sales(document) = &record {
                assert_eq!(document.lines.len(), 2, "{kind} has lines");
            }
        }
    }
}
