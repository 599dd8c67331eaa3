use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::analytics::ledger::Ledger;
use crate::record::EditContext;
use crate::sales::document::{INVOICE, LineItem, ORDER, QUOTE, SalesDocument};

fn ctx(day: i64) -> EditContext {
    // Day 0 is 2026-01-01.
    EditContext::new("u", 1_767_225_600_000 + day * 86_400_000)
}

fn line(quantity: &str, price: &str, discount: &str, cost: &str) -> LineItem {
    LineItem {
        quantity: quantity.into(),
        unit_price: price.into(),
        discount: discount.into(),
        vat: 20,
        unit_cost: cost.into(),
        ..LineItem::default()
    }
}

fn document(kind: &str, account: &str, status: &str, lines: &[LineItem]) -> SalesDocument {
    let mut d = SalesDocument::new(kind, &ctx(0));
    d.account = account.into();
    d.status = status.into();
    for (i, l) in lines.iter().enumerate() {
        d.lines.insert(format!("l{i}"), l.clone());
    }
    d
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn what_counts_as_a_sale() {
    let one = [line("1", "100", "", "60")];
    let o1 = document(ORDER, "a", "delivered", &one);
    let mut i1 = document(INVOICE, "a", "issued", &one);
    i1.source = "o1".into();
    i1.issue_date = "2026-03-05".into();
    let o2 = document(ORDER, "a", "cancelled", &one);
    let o3 = document(ORDER, "a", "open", &one);
    let mut draft = document(INVOICE, "a", "draft", &one);
    draft.source = "o3".into();
    let quote = document(QUOTE, "a", "accepted", &one);
    let mut binned = document(INVOICE, "a", "paid", &one);
    binned.common.deleted_at = 5;
    let cancelled = document(INVOICE, "a", "cancelled", &one);
    let documents = [
        ("o1", &o1),
        ("i1", &i1),
        ("o2", &o2),
        ("o3", &o3),
        ("draft", &draft),
        ("q", &quote),
        ("binned", &binned),
        ("cancelled", &cancelled),
    ];
    let ledger = Ledger::of(&documents);
    let counted: Vec<(&str, &str)> = ledger.sales().into_iter().map(|s| (s.id, s.date)).collect();
    // The invoice replaces its order; an order with only a draft invoice still counts.
    assert_eq!(counted, [("i1", "2026-03-05"), ("o3", "2026-01-01")]);
}

#[test]
fn margins_by_hand_with_an_uncosted_line_kept_apart() {
    // 2 × 100 less 10 % = 180 net, cost 2 × 60 = 120: margin 60 (33.3 %).
    // A second line of 50 has no cost: revenue 230, margin still over the 180.
    let sale = document(
        ORDER,
        "a",
        "open",
        &[line("2", "100", "10", "60"), line("1", "50", "", "")],
    );
    let mut euro = document(ORDER, "a", "open", &[line("1", "10", "", "4")]);
    euro.currency = "EUR".into();
    let profits = by_account(&Ledger::of(&[("s", &sale), ("e", &euro)]).sales());
    assert_eq!(profits.len(), 2, "TRY and EUR apart");
    let p = &profits[0];
    assert_eq!(p.currency, Currency::Try);
    assert_eq!(
        (p.revenue, p.costed_revenue, p.cost, p.margin()),
        (d("230"), d("180"), d("120"), d("60"))
    );
    assert_eq!(
        p.margin_percent().map(|m| m.to_string()),
        Some("33.3".into())
    );
    assert_eq!((p.uncosted_lines, p.sales), (1, 1));
    assert_eq!(p.average_sale(), d("230"));
    assert_eq!(profits[1].currency, Currency::Eur);
    assert_eq!(profits[1].margin(), d("6"));
}

fn profit(account: &str, margin: i64) -> AccountProfit {
    AccountProfit {
        account: account.into(),
        currency: Currency::Try,
        revenue: Decimal::from(margin.max(0) * 2),
        costed_revenue: Decimal::from(margin.max(0) * 2),
        cost: Decimal::from(margin.max(0) * 2 - margin),
        uncosted_lines: 0,
        sales: 1,
        first: "2026-01-01".into(),
        last: "2026-01-01".into(),
    }
}

#[test]
fn abc_cuts_exactly_at_the_boundary() {
    let list = [
        profit("a", 80),
        profit("b", 15),
        profit("c", 5),
        profit("d", 0),
        profit("e", -10),
    ];
    let refs: Vec<&AccountProfit> = list.iter().collect();
    assert_eq!(
        abc(&refs, AbcCutoffs::default()),
        [
            AbcClass::A,
            AbcClass::B,
            AbcClass::C,
            AbcClass::C,
            AbcClass::C
        ]
    );
    // Cut-offs are the workspace's: 70 / 90 puts b in B still, and 50 / 99 c in B.
    assert_eq!(
        abc(&refs, AbcCutoffs { a: 50, b: 99 })[..3],
        [AbcClass::A, AbcClass::B, AbcClass::B]
    );
    // The account that crosses the cut-off is still A: 60 + 30 of 100.
    let crossing = [profit("x", 60), profit("y", 30), profit("z", 10)];
    let refs: Vec<&AccountProfit> = crossing.iter().collect();
    assert_eq!(
        abc(&refs, AbcCutoffs::default()),
        [AbcClass::A, AbcClass::A, AbcClass::B]
    );
}

#[test]
fn the_whale_curve_rises_above_all_of_the_margin_when_some_lose_money() {
    let list = [profit("a", 120), profit("b", 0), profit("c", -20)];
    let refs: Vec<&AccountProfit> = list.iter().collect();
    let curve = whale_curve(&refs);
    assert_eq!(curve.len(), 4);
    assert_eq!(curve[1].1, 120.0);
    assert_eq!(curve[3], (100.0, 100.0));
    assert!(whale_curve(&[&profit("x", -5)]).is_empty());
}

#[test]
fn rfm_quintiles_score_ties_alike() {
    let mut list: Vec<AccountProfit> = (0..10)
        .map(|i| {
            let mut p = profit(&format!("a{i}"), 10);
            p.sales = if i < 4 { 1 } else { i };
            p.revenue = Decimal::from(100 * (i + 1));
            p.last = format!("2026-01-{:02}", i + 1);
            p
        })
        .collect();
    list[9].last = "2026-01-10".into();
    let refs: Vec<&AccountProfit> = list.iter().collect();
    let today = Date::parse("2026-01-31").unwrap();
    let scores = rfm(&refs, today);
    // Four tied at one sale: all score 1; the rest rise to 5.
    let f: Vec<u8> = scores.iter().map(|s| s.frequency).collect();
    assert_eq!(f, [1, 1, 1, 1, 3, 3, 4, 4, 5, 5]);
    // Monetary rises with revenue; recency with the latest sale.
    assert_eq!(scores[0].monetary, 1);
    assert_eq!(scores[9].monetary, 5);
    assert_eq!(scores[0].recency, 1);
    assert_eq!(scores[9].recency, 5);
    let report = ProfitReport::compute(&[], AbcCutoffs::default(), today, "");
    assert!(report.rfm_too_few && report.ranked.is_empty());
}

fn arb_line() -> impl Strategy<Value = LineItem> {
    (
        1u32..5,
        0u32..500,
        prop_oneof![Just(0u32), 1u32..50],
        prop::option::of(0u32..400),
    )
        .prop_map(|(q, price, discount, cost)| {
            line(
                &q.to_string(),
                &price.to_string(),
                &if discount == 0 {
                    String::new()
                } else {
                    discount.to_string()
                },
                &cost.map(|c| c.to_string()).unwrap_or_default(),
            )
        })
}

fn arb_document() -> impl Strategy<Value = SalesDocument> {
    (
        prop_oneof![Just(ORDER), Just(INVOICE), Just(QUOTE)],
        0usize..6,
        prop_oneof![
            Just("open"),
            Just("delivered"),
            Just("cancelled"),
            Just("issued"),
            Just("paid"),
            Just("draft")
        ],
        prop::collection::vec(arb_line(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(kind, account, status, lines, euro)| {
            let mut doc = document(kind, &format!("acc{account}"), status, &lines);
            if euro {
                doc.currency = "EUR".into();
            }
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The report equals a naive recomputation: per account and currency, the sum of
    /// every counted line's net and of each costed line's net and cost; the classes
    /// follow the ranking (A, then B, then C).
    #[test]
    fn the_report_equals_a_naive_recomputation(docs in prop::collection::vec(arb_document(), 0..30)) {
        let ids: Vec<String> = (0..docs.len()).map(|i| format!("d{i}")).collect();
        let pairs: Vec<(&str, &SalesDocument)> =
            ids.iter().map(String::as_str).zip(docs.iter()).collect();
        let ledger = Ledger::of(&pairs);
        let counted = ledger.sales();
        let profits = by_account(&counted);
        let mut naive: BTreeMap<(String, &str), (Decimal, Decimal, Decimal)> = BTreeMap::new();
        for (_, doc) in &pairs {
            let counts = match doc.common.kind.as_str() {
                INVOICE => matches!(doc.status.as_str(), "issued" | "paid"),
                ORDER => doc.status != "cancelled",
                _ => false,
            };
            if !counts {
                continue;
            }
            let entry = naive.entry((doc.account.clone(), doc.currency().code())).or_default();
            for l in doc.lines.values() {
                let net = l.money().amounts().unwrap().net;
                entry.0 += net;
                if let Ok(cost) = l.unit_cost.parse::<Decimal>() {
                    entry.1 += net;
                    entry.2 += cost * l.quantity.parse::<Decimal>().unwrap();
                }
            }
        }
        prop_assert_eq!(profits.len(), naive.len());
        for p in &profits {
            let (revenue, costed, cost) = naive[&(p.account.clone(), p.currency.code())];
            prop_assert_eq!((p.revenue, p.costed_revenue, p.cost), (revenue, costed, cost));
        }
        let report = ProfitReport::compute(&counted, AbcCutoffs::default(), Date::parse("2026-06-01").unwrap(), "");
        let classes: Vec<AbcClass> = report.ranked.iter().map(|(_, c, _)| *c).collect();
        let mut sorted = classes.clone();
        sorted.sort();
        prop_assert_eq!(classes, sorted);
    }
}
