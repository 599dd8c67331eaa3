//! Times the profitability report over a synthetic workspace: 10,000 accounts, 10,000
//! orders and invoices with 50,000 lines (half with a cost), the size issue 20 targets.
//!
//! `cargo run --release -p saha-core --example profit_bench [accounts] [lines]` prints
//! the median and worst of 15 runs (native; the browser runs the same code as WASM).

use std::time::Instant;

use saha_core::analytics::ledger::Ledger;
use saha_core::analytics::profit::{AbcCutoffs, ProfitReport};
use saha_core::record::EditContext;
use saha_core::sales::document::{INVOICE, LineItem, ORDER, SalesDocument};
use saha_core::time::civil::Date;

fn main() {
    let mut args = std::env::args().skip(1);
    let accounts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let lines: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let documents_count = accounts;
    let per_document = lines / documents_count.max(1);
    let mut documents = Vec::with_capacity(documents_count);
    let mut seed: u64 = 20_261_203;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    for i in 0..documents_count {
        let day = (next() % 700) as i64;
        let ctx = EditContext::new("u", 1_735_689_600_000 + day * 86_400_000);
        let kind = if i % 2 == 0 { ORDER } else { INVOICE };
        let mut d = SalesDocument::new(kind, &ctx);
        d.status = if kind == ORDER { "open" } else { "paid" }.into();
        d.issue_date = saha_core::sales::document::date_of(ctx.now_ms);
        d.account = format!("account-{}", next() % accounts);
        for l in 0..per_document {
            let price = 10 + next() % 5_000;
            d.lines.insert(
                format!("l{l}"),
                LineItem {
                    position: l as i64,
                    quantity: (1 + next() % 20).to_string(),
                    unit_price: price.to_string(),
                    vat: 20,
                    unit_cost: if next() % 2 == 0 {
                        (price * 7 / 10).to_string()
                    } else {
                        String::new()
                    },
                    ..LineItem::default()
                },
            );
        }
        documents.push((format!("d{i}"), d));
    }
    let pairs: Vec<(&str, &SalesDocument)> =
        documents.iter().map(|(id, d)| (id.as_str(), d)).collect();
    let today = Date::parse("2026-12-03").expect("a date");
    let mut times = Vec::new();
    let mut ranked = 0;
    for _ in 0..15 {
        let start = Instant::now();
        // From the documents: the ledger read afresh each time.
        let ledger = Ledger::of(&pairs);
        let report = ProfitReport::compute(&ledger.sales(), AbcCutoffs::default(), today, "");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        ranked = report.ranked.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "profit report: {documents_count} documents, {} lines, {ranked} accounts ranked: median {:.1} ms, worst {:.1} ms",
        per_document * documents_count,
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
