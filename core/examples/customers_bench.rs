//! Times the customer reports over a synthetic workspace: 10,000 accounts, 10,000
//! orders and invoices with 50,000 lines over 200 products, 3,000 contacts and 5,000
//! rated cases — gathering the signals, the satisfaction–loyalty matrix, retention, the
//! cross-sell co-occurrence with one account's suggestions, and one product's demand
//! forecast; then every report after one document changed, with the sales ledger kept
//! between recomputes as the app keeps it; and the memory the ledger and the
//! co-occurrence index hold (counted by the allocator).
//!
//! `cargo run --release -p saha-core --example customers_bench [accounts] [lines]`
//! prints the median and worst of 15 runs of each (native; the browser runs the same
//! code as WASM).

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use saha_core::analytics::cross_sell::CoOccurrence;
use saha_core::analytics::demand;
use saha_core::analytics::ledger::Ledger;
use saha_core::analytics::matrix::Matrix;
use saha_core::analytics::profit::{AbcCutoffs, ProfitReport};
use saha_core::analytics::retention;
use saha_core::analytics::settings::AnalyticsSettings;
use saha_core::analytics::signals::{Signals, as_sale_document};
use saha_core::kinds::Record;
use saha_core::parties::account::{Account, CustomerType};
use saha_core::parties::contact::Contact;
use saha_core::record::{EditContext, RecordType};
use saha_core::sales::document::{INVOICE, LineItem, ORDER, SalesDocument};
use saha_core::service::case::Case;
use saha_core::time::civil::Date;

/// Bytes allocated and not yet freed: what the memory figures measure.
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's layout, as given.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: allocated above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const DAY_MS: i64 = 86_400_000;
const START_MS: i64 = 1_735_689_600_000; // 2025-01-01

fn main() {
    let mut args = std::env::args().skip(1);
    let accounts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let lines: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let documents = accounts;
    let per_document = lines / documents.max(1);
    let mut seed: u64 = 20_261_204;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    let mut records: Vec<(String, Record)> = Vec::new();
    for i in 0..accounts {
        let mut a = Account::blank(&EditContext::new("u", START_MS));
        a.name = format!("Hesap {i}");
        a.customer_type = if i % 3 == 0 {
            CustomerType::Current
        } else {
            CustomerType::Potential
        };
        records.push((format!("account-{i}"), Record::Account(a)));
    }
    for i in 0..documents {
        let day = (next() % 700) as i64;
        let ctx = EditContext::new("u", START_MS + day * DAY_MS);
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
                    product: format!("product-{}", next() % 200),
                    quantity: (1 + next() % 20).to_string(),
                    unit_price: price.to_string(),
                    vat: 20,
                    unit_cost: (price * 7 / 10).to_string(),
                    ..LineItem::default()
                },
            );
        }
        records.push((format!("d{i}"), Record::Sales(d)));
    }
    for i in 0..3_000 {
        let mut c = Contact::blank(&EditContext::new("u", START_MS));
        c.account = format!("account-{}", next() % accounts);
        records.push((format!("contact-{i}"), Record::Contact(c)));
    }
    for i in 0..5_000 {
        let day = (next() % 700) as i64;
        let mut c = Case::blank(&EditContext::new("u", START_MS + day * DAY_MS));
        c.account = format!("account-{}", next() % accounts);
        c.satisfaction = (1 + next() % 5).to_string();
        records.push((format!("case-{i}"), Record::Case(c)));
    }
    let refs: Vec<(String, &Record)> = records.iter().map(|(id, r)| (id.clone(), r)).collect();
    let today = Date::parse("2026-12-04").expect("a date");
    let settings = AnalyticsSettings::default();
    let time = |name: &str, mut run: Box<dyn FnMut() -> usize + '_>| {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..15 {
            let start = Instant::now();
            size = run();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name}: {size} rows, median {:.1} ms, worst {:.1} ms",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    };
    // Kept between recomputes as the app keeps it: each document with a stamp that
    // changes when it does; a change re-reads one document.
    let documents: Vec<(&str, &SalesDocument)> = refs
        .iter()
        .filter_map(|(id, r)| Some((id.as_str(), as_sale_document(r)?)))
        .collect();
    time(
        "ledger: read every order and invoice (cold)",
        Box::new(|| Ledger::of_records(&refs).len()),
    );
    let before = ALLOCATED.load(Ordering::Relaxed);
    let mut ledger = Ledger::default();
    ledger.refresh(documents.iter().map(|&(id, d)| (id, 0, d)));
    let ledger_bytes = ALLOCATED.load(Ordering::Relaxed) - before;
    let mut round = 0u64;
    let mut refresh = |ledger: &mut Ledger| {
        round += 1;
        // One document changed since the last recompute.
        let changed = (round as usize * 7_919) % documents.len();
        ledger.refresh(
            documents
                .iter()
                .enumerate()
                .map(|(i, &(id, d))| (id, if i == changed { round } else { 0 }, d)),
        )
    };
    time(
        "ledger: refresh after one document changed",
        Box::new(|| refresh(&mut ledger)),
    );
    time(
        "signals (gather, the ledger kept)",
        Box::new(|| {
            Signals::gather_with(&refs, Cow::Borrowed(&ledger))
                .opinions
                .len()
        }),
    );
    let signals = Signals::gather_with(&refs, Cow::Borrowed(&ledger));
    let counted = signals.sales();
    time(
        "profitability (ranking, ABC, RFM, whale curve)",
        Box::new(|| {
            ProfitReport::compute(&counted, AbcCutoffs::default(), today, "")
                .ranked
                .len()
        }),
    );
    time(
        "satisfaction-loyalty matrix",
        Box::new(|| Matrix::compute(&signals, &settings, today).standings.len()),
    );
    time(
        "retention",
        Box::new(|| retention::compute(&signals, &settings, today).len()),
    );
    time(
        "cross-sell: co-occurrence over all baskets",
        Box::new(|| CoOccurrence::build(&counted).baskets() as usize),
    );
    let before = ALLOCATED.load(Ordering::Relaxed);
    let co = CoOccurrence::build(&counted);
    let co_bytes = ALLOCATED.load(Ordering::Relaxed) - before;
    let busiest = counted
        .iter()
        .max_by_key(|s| s.lines().len())
        .map(|s| s.account().to_owned())
        .unwrap_or_default();
    time(
        "cross-sell: one account's suggestions (index built)",
        Box::new(|| co.suggest(&busiest, 5).len() + co.suggest("account-3", 5).len()),
    );
    time(
        "demand: products sold + one product's history and forecast",
        Box::new(|| {
            demand::products_sold(&counted).len()
                + demand::demand(&counted, "product-7", today).history.len()
        }),
    );
    drop(signals);
    time(
        "every report after one change (refresh, gather, profit, matrix, retention, co-occurrence, demand)",
        Box::new(|| {
            refresh(&mut ledger);
            let s = Signals::gather_with(&refs, Cow::Borrowed(&ledger));
            let c = s.sales();
            let p = ProfitReport::compute(&c, AbcCutoffs::default(), today, "");
            let m = Matrix::compute(&s, &settings, today);
            let r = retention::compute(&s, &settings, today);
            let co = CoOccurrence::build(&c);
            let d = demand::products_sold(&c);
            let f = demand::demand(&c, "product-7", today);
            p.ranked.len()
                + m.standings.len()
                + r.len()
                + co.suggest("account-3", 5).len()
                + d.len()
                + f.history.len()
        }),
    );
    println!(
        "memory: ledger {:.1} MiB allocated ({:.1} MiB by its own estimate), co-occurrence index {:.1} MiB, {} documents, {} lines",
        ledger_bytes as f64 / 1_048_576.0,
        ledger.heap_bytes() as f64 / 1_048_576.0,
        co_bytes as f64 / 1_048_576.0,
        ledger.len(),
        documents.iter().map(|(_, d)| d.lines.len()).sum::<usize>(),
    );
    let signals = Signals::gather_with(&refs, Cow::Borrowed(&ledger));
    // A report table of every placed or counted account (the loyalty page's export),
    // written as CSV and as XLSX.
    let matrix = Matrix::compute(&signals, &settings, today);
    let mut table = saha_core::export::Table::new(
        "customers",
        ["account", "group", "satisfaction", "loyalty", "opinions"].map(String::from),
    );
    for s in &matrix.standings {
        table.push(vec![
            s.account.as_str().into(),
            s.group.map_or("no_data", |g| g.code()).into(),
            s.satisfaction.map_or(
                saha_core::export::Cell::Empty,
                saha_core::export::Cell::Integer,
            ),
            s.loyalty.score().into(),
            s.opinions.into(),
        ]);
    }
    time(
        "export: the customers table as CSV (bytes)",
        Box::new(|| saha_core::export::csv::write(&table).len()),
    );
    time(
        "export: the customers table as XLSX (bytes)",
        Box::new(|| {
            saha_core::export::xlsx::write(&table)
                .map(|b| b.len())
                .unwrap_or(0)
        }),
    );
}
