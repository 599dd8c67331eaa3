//! The sales ledger: every order's and invoice's figures read once from its document —
//! the account, currency, the day it counts on, and each line's product, quantity, net
//! and cost as numbers — so a report recomputed after a change parses only the
//! documents that changed, not 50,000 lines of text.
//!
//! A caller that keeps the ledger between recomputes ([`Ledger::refresh`] with every
//! document, or [`Ledger::upsert`] and [`Ledger::remove`] per change) gives each
//! document a *stamp* that changes whenever the document does (the app's record
//! revision); a document with the stamp it had last time is not read again, one no
//! longer given is dropped. A caller that computes once builds it with [`Ledger::of`].
//!
//! **Which documents are sales** ([`Ledger::sales`]): issued or paid invoices (on their
//! issue date) and orders that are not cancelled (on the day they were made) — an order
//! counts until an issued or paid invoice is made from it, then only the invoice does,
//! so nothing counts twice. Quotes, draft and cancelled invoices, cancelled orders and
//! records in the bin do not count.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;

use super::signals::as_sale_document;
use crate::kinds::Record;
use crate::sales::document::{INVOICE, ORDER, SalesDocument, date_of};
use crate::sales::money::Currency;
use crate::time::civil::Date;

/// One line's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFigures {
    /// The product's ID (empty for a free-text line).
    pub product: String,
    /// The quantity, when it is a number.
    pub quantity: Option<Decimal>,
    /// After discount, before KDV; `None` when the line cannot be priced (a negative
    /// quantity or price, a discount out of range).
    pub net: Option<Decimal>,
    /// The line's cost (its unit cost at the time of sale × quantity, to the kuruş);
    /// `None` without a known cost.
    pub cost: Option<Decimal>,
}

impl LineFigures {
    /// Reads a line of `document`.
    fn of(line: &crate::sales::document::LineItem) -> LineFigures {
        let money = line.money();
        let cost = match line.unit_cost.parse::<Decimal>() {
            Ok(unit_cost) if !unit_cost.is_sign_negative() => {
                Some((unit_cost * money.quantity).round_dp(2))
            }
            _ => None,
        };
        LineFigures {
            product: line.product.clone(),
            quantity: line.quantity.parse::<Decimal>().ok(),
            net: money.amounts().ok().map(|a| a.net),
            cost,
        }
    }
}

/// One order's or invoice's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleFigures {
    pub account: String,
    pub currency: Currency,
    /// The document it was made from (an invoice's order).
    source: String,
    deleted: bool,
    /// An issued or paid invoice.
    counting_invoice: bool,
    /// An order not cancelled.
    counting_order: bool,
    /// The day it counts on, `YYYY-MM-DD`: an invoice's issue date (or the day it was
    /// made, without one), an order's day (its order date, else the day it was made).
    pub date: String,
    /// The same day, in days since 1970-01-01 (`None` for an unreadable issue date).
    pub day: Option<i64>,
    /// In display order.
    pub lines: Vec<LineFigures>,
}

impl SaleFigures {
    /// Reads `document`'s figures.
    pub fn of(document: &SalesDocument) -> SaleFigures {
        let counting_invoice = document.common.kind == INVOICE
            && matches!(document.status.as_str(), "issued" | "paid");
        let date = if counting_invoice && !document.issue_date.is_empty() {
            document.issue_date.clone()
        } else if document.common.kind == ORDER && !document.order_date.is_empty() {
            document.order_date.clone()
        } else {
            date_of(document.common.created_at)
        };
        SaleFigures {
            account: document.account.clone(),
            currency: document.currency(),
            source: document.source.clone(),
            deleted: document.common.is_deleted(),
            counting_invoice,
            counting_order: document.common.kind == ORDER && document.status != "cancelled",
            day: Date::parse(&date).map(Date::days_since_epoch),
            date,
            lines: document
                .ordered_lines()
                .into_iter()
                .map(|(_, line)| LineFigures::of(line))
                .collect(),
        }
    }

    /// Bytes this entry holds on the heap (strings and the line list), for the
    /// analytics memory figure.
    fn heap_bytes(&self) -> usize {
        self.account.capacity()
            + self.source.capacity()
            + self.date.capacity()
            + self.lines.capacity() * std::mem::size_of::<LineFigures>()
            + self
                .lines
                .iter()
                .map(|l| l.product.capacity())
                .sum::<usize>()
    }
}

/// One sale: a document that counts, with the day it counts on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sale<'a> {
    pub id: &'a str,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    pub figures: &'a SaleFigures,
}

impl<'a> Sale<'a> {
    /// The account the sale was made to (may be empty).
    pub fn account(&self) -> &'a str {
        &self.figures.account
    }

    /// Its lines.
    pub fn lines(&self) -> &'a [LineFigures] {
        &self.figures.lines
    }
}

#[derive(Debug, Clone)]
struct Entry {
    stamp: u64,
    /// The [`Ledger::refresh`] round that last saw it.
    seen: u64,
    figures: SaleFigures,
}

/// Every order's and invoice's figures, by document ID.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: BTreeMap<String, Entry>,
    round: u64,
}

impl Ledger {
    /// The ledger of `documents` (ID, document).
    pub fn of(documents: &[(&str, &SalesDocument)]) -> Ledger {
        let mut ledger = Ledger::default();
        ledger.refresh(documents.iter().map(|&(id, d)| (id, 0, d)));
        ledger
    }

    /// The ledger of the orders and invoices among `records` (ID, record).
    pub fn of_records<K: AsRef<str>>(records: &[(K, &Record)]) -> Ledger {
        let mut ledger = Ledger::default();
        ledger.refresh(
            records
                .iter()
                .filter_map(|(id, r)| Some((id.as_ref(), 0, as_sale_document(r)?))),
        );
        ledger
    }

    /// Brings the ledger to `documents` (ID, stamp, document): those whose stamp
    /// changed (or that are new) are read again, those not given are dropped. Returns
    /// how many were read.
    pub fn refresh<'d>(
        &mut self,
        documents: impl IntoIterator<Item = (&'d str, u64, &'d SalesDocument)>,
    ) -> usize {
        self.round += 1;
        let round = self.round;
        let read = documents
            .into_iter()
            .filter(|&(id, stamp, document)| self.upsert(id, stamp, document))
            .count();
        self.entries.retain(|_, e| e.seen == round);
        read
    }

    /// Brings one document in: read again when its `stamp` differs from the one held
    /// (or it is new). Returns whether it was read.
    pub fn upsert(&mut self, id: &str, stamp: u64, document: &SalesDocument) -> bool {
        let round = self.round;
        match self.entries.get_mut(id) {
            Some(entry) if entry.stamp == stamp => {
                entry.seen = round;
                false
            }
            Some(entry) => {
                *entry = Entry {
                    stamp,
                    seen: round,
                    figures: SaleFigures::of(document),
                };
                true
            }
            None => {
                self.entries.insert(
                    id.to_owned(),
                    Entry {
                        stamp,
                        seen: round,
                        figures: SaleFigures::of(document),
                    },
                );
                true
            }
        }
    }

    /// Drops one document (deleted, or no longer visible).
    pub fn remove(&mut self, id: &str) {
        self.entries.remove(id);
    }

    /// Orders and invoices held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sales, by document ID, by the rule in the module docs.
    pub fn sales(&self) -> Vec<Sale<'_>> {
        let invoiced: HashSet<&str> = self
            .entries
            .values()
            .map(|e| &e.figures)
            .filter(|f| !f.deleted && f.counting_invoice && !f.source.is_empty())
            .map(|f| f.source.as_str())
            .collect();
        self.entries
            .iter()
            .filter(|(id, e)| {
                let f = &e.figures;
                !f.deleted
                    && (f.counting_invoice || (f.counting_order && !invoiced.contains(id.as_str())))
            })
            .map(|(id, e)| Sale {
                id,
                date: &e.figures.date,
                figures: &e.figures,
            })
            .collect()
    }

    /// Bytes the ledger holds on the heap, estimated from its strings, line lists and
    /// map nodes (what the memory figure in BENCHMARKS.md reports).
    pub fn heap_bytes(&self) -> usize {
        self.entries
            .iter()
            .map(|(id, e)| {
                id.capacity() + std::mem::size_of::<(String, Entry)>() + e.figures.heap_bytes()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::record::EditContext;
    use crate::sales::document::{LineItem, QUOTE};

    fn document(kind: &str, status: &str, account: &str) -> SalesDocument {
        let mut d = SalesDocument::new(kind, &EditContext::new("u", 86_400_000 * 20_000));
        d.status = status.into();
        d.account = account.into();
        d.lines.insert(
            "l1".into(),
            LineItem {
                product: "p".into(),
                quantity: "2".into(),
                unit_price: "10".into(),
                unit_cost: "3.333".into(),
                vat: 20,
                ..LineItem::default()
            },
        );
        d
    }

    #[test]
    fn lines_are_read_as_numbers_once() {
        let mut d = document(ORDER, "open", "a");
        d.lines.insert(
            "l2".into(),
            LineItem {
                position: 1,
                quantity: "-1".into(),
                unit_price: "5".into(),
                unit_cost: "x".into(),
                ..LineItem::default()
            },
        );
        let f = SaleFigures::of(&d);
        assert_eq!(f.date, "2024-10-04");
        assert_eq!(f.day, Some(20_000));
        assert_eq!(
            f.lines,
            [
                LineFigures {
                    product: "p".into(),
                    quantity: Some(Decimal::from(2)),
                    net: Some(Decimal::from(20)),
                    // 3.333 × 2 = 6.666 → 6.67
                    cost: Some(Decimal::new(667, 2)),
                },
                LineFigures {
                    product: String::new(),
                    quantity: Some(Decimal::from(-1)),
                    net: None,
                    cost: None,
                },
            ]
        );
    }

    #[test]
    fn an_invoiced_order_counts_once_and_quotes_never() {
        let order = document(ORDER, "open", "a");
        let mut invoice = document(INVOICE, "issued", "a");
        invoice.source = "o".into();
        invoice.issue_date = "2026-01-02".into();
        let draft = document(INVOICE, "draft", "a");
        let quote = document(QUOTE, "sent", "a");
        let cancelled = document(ORDER, "cancelled", "a");
        let ledger = Ledger::of(&[
            ("o", &order),
            ("i", &invoice),
            ("d", &draft),
            ("q", &quote),
            ("c", &cancelled),
        ]);
        let sales: Vec<(&str, &str)> = ledger.sales().iter().map(|s| (s.id, s.date)).collect();
        assert_eq!(sales, [("i", "2026-01-02")]);
        // Without the invoice the order counts on its own day.
        let ledger = Ledger::of(&[("o", &order), ("d", &draft)]);
        let sales: Vec<(&str, &str)> = ledger.sales().iter().map(|s| (s.id, s.date)).collect();
        assert_eq!(sales, [("o", "2024-10-04")]);
    }

    #[test]
    fn refresh_reads_only_what_changed_and_drops_what_went() {
        let a = document(ORDER, "open", "a");
        let mut b = document(ORDER, "open", "b");
        let mut ledger = Ledger::default();
        assert_eq!(ledger.refresh([("a", 1, &a), ("b", 1, &b)]), 2);
        assert_eq!(ledger.refresh([("a", 1, &a), ("b", 1, &b)]), 0);
        b.account = "c".into();
        assert_eq!(ledger.refresh([("a", 1, &a), ("b", 2, &b)]), 1);
        assert_eq!(ledger.sales()[1].account(), "c");
        assert_eq!(ledger.refresh([("b", 2, &b)]), 0);
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger.sales()[0].id, "b");
        assert!(ledger.heap_bytes() > 0);
    }

    proptest::proptest! {
        /// A ledger kept through any run of edits, new documents and removals, each
        /// edit bumping its document's stamp and told by a refresh with every document
        /// or by one upsert or removal, holds what a ledger read afresh from the
        /// documents holds, and counts the same sales.
        #[test]
        fn a_kept_ledger_equals_one_read_afresh(
            steps in proptest::collection::vec((0usize..6, 0u8..6, 0u32..4), 1..40)
        ) {
            let statuses = ["open", "cancelled", "issued", "paid", "draft", "sent"];
            let kinds = [ORDER, INVOICE, QUOTE];
            let mut docs: BTreeMap<String, (u64, SalesDocument)> = BTreeMap::new();
            let mut kept = Ledger::default();
            for (i, (slot, change, amount)) in steps.into_iter().enumerate() {
                let id = format!("d{slot}");
                let by_refresh = i % 2 == 0;
                if change == 5 {
                    docs.remove(&id);
                    if !by_refresh {
                        kept.remove(&id);
                    }
                } else {
                    let mut d = document(
                        kinds[usize::from(change) % 3],
                        statuses[(slot + usize::from(change)) % 6],
                        ["a", "b"][slot % 2],
                    );
                    d.source = format!("d{}", (slot + 1) % 6);
                    d.issue_date = format!("2026-0{}-01", 1 + amount);
                    d.lines.insert(
                        "l9".into(),
                        LineItem {
                            position: 9,
                            product: format!("p{amount}"),
                            quantity: amount.to_string(),
                            unit_price: "7.5".into(),
                            unit_cost: if amount == 0 { String::new() } else { "2".into() },
                            ..LineItem::default()
                        },
                    );
                    if !by_refresh {
                        kept.upsert(&id, i as u64 + 1, &d);
                    }
                    docs.insert(id, (i as u64 + 1, d));
                }
                if by_refresh {
                    kept.refresh(docs.iter().map(|(id, (stamp, d))| (id.as_str(), *stamp, d)));
                }
                let pairs: Vec<(&str, &SalesDocument)> =
                    docs.iter().map(|(id, (_, d))| (id.as_str(), d)).collect();
                let fresh = Ledger::of(&pairs);
                proptest::prop_assert_eq!(kept.sales(), fresh.sales());
                proptest::prop_assert_eq!(kept.len(), docs.len());
            }
        }
    }
}
