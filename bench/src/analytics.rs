//! A small workspace whose reports have answers worked out by hand, for the end-to-end
//! test of the customer reports (`saha-bench seed-analytics`): one account in each cell
//! of the satisfaction–loyalty matrix, two without satisfaction data (one at risk, one
//! silent), products bought together by three customers, and three years of monthly
//! demand for one product. Dates are relative to `today`, so the answers hold on any
//! day the test runs.
//!
//! With the default thresholds (satisfied from 75, loyal from 50, 12 months):
//!
//! | account            | sales                                  | opinion        | group     |
//! |--------------------|----------------------------------------|----------------|-----------|
//! | Savunucu Gıda      | monthly for 36 months (olive oil, olives) | case rated 5 | advocate |
//! | Tutsak Market      | monthly for 11 months (olive oil, olives) | case rated 1 | captive   |
//! | Paralı Ticaret     | once, 200 days ago (olive oil)         | case rated 5   | mercenary |
//! | Tehlike Ltd.       | once, 300 days ago (olive oil)         | case rated 1   | dangerous |
//! | Riskli Otel        | every 30 days from 400 to 100 days ago | —              | no data, at risk |
//! | Sessiz A.Ş.        | 600 and 570 days ago                   | —              | no data, silent  |
//!
//! This month the member won 40,000 ₺ (after 20 days) and 10,000 ₺ (after 10), lost one
//! deal and has 8,000 ₺ open in proposal: win rate 66 %, median cycle 10 days, weighted
//! pipeline 4,000 ₺.
//!
//! Ayşe Yılmaz works at Savunucu Gıda; Mehmet Kaya buys for Tutsak Market. Opinions
//! are case ratings only: survey answers are written by the server when a form is
//! submitted (a member's device may not write them), so a seeder cannot store them; the
//! core's unit tests cover CSAT and NPS answers.
//! Cross-selling: olives were bought with olive oil in far more than three baskets, so
//! Paralı Ticaret (olive oil only) is offered olives.

use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::parties::account::{Account, CustomerType};
use saha_core::parties::contact::Contact;
use saha_core::record::{EditContext, RecordType};
use saha_core::sales::document::{LineItem, ORDER, SalesDocument};
use saha_core::sales::opportunity::Opportunity;
use saha_core::sales::product::Product;
use saha_core::service::case::Case;

const DAY_MS: i64 = 86_400_000;

/// The seeded accounts' names, in the order of the table above.
pub const ACCOUNTS: [&str; 6] = [
    "Savunucu Gıda",
    "Tutsak Market",
    "Paralı Ticaret",
    "Tehlike Ltd.",
    "Riskli Otel",
    "Sessiz A.Ş.",
];

struct Builder {
    user: String,
    today_ms: i64,
    made: Vec<(&'static str, DocumentId, Record)>,
}

impl Builder {
    fn ctx(&self, days_ago: i64) -> EditContext {
        EditContext::new(&self.user, self.today_ms - days_ago * DAY_MS)
    }

    fn add(&mut self, kind: &'static str, record: Record) -> String {
        let id = DocumentId::random();
        self.made.push((kind, id, record));
        id.to_string()
    }

    fn product(&mut self, name: &str, price: &str, cost: &str) -> (String, Product) {
        let mut p = Product::blank(&self.ctx(2000));
        p.name = name.into();
        p.unit_price = price.into();
        p.unit_cost = cost.into();
        let id = self.add("product", Record::Product(p.clone()));
        (id, p)
    }

    fn account(&mut self, name: &str) -> String {
        let mut a = Account::blank(&self.ctx(2000));
        a.name = name.into();
        a.customer_type = CustomerType::Current;
        a.annual_potential = "100000".into();
        self.add("account", Record::Account(a))
    }

    fn order(&mut self, account: &str, days_ago: i64, lines: &[(&(String, Product), u32)]) {
        let mut d = SalesDocument::new(ORDER, &self.ctx(days_ago));
        d.account = account.into();
        for (i, ((id, product), quantity)) in lines.iter().enumerate() {
            d.lines.insert(
                format!("l{i}"),
                LineItem {
                    position: i as i64 + 1,
                    product: id.clone(),
                    description: product.name.clone(),
                    quantity: quantity.to_string(),
                    unit_price: product.unit_price.clone(),
                    vat: 20,
                    unit_cost: product.unit_cost.clone(),
                    ..LineItem::default()
                },
            );
        }
        self.add("order", Record::Sales(d));
    }

    fn rated_case(&mut self, account: &str, rating: &str, days_ago: i64) {
        let mut c = Case::blank(&self.ctx(days_ago));
        c.subject = "Teslimat gecikmesi".into();
        c.account = account.into();
        c.satisfaction = rating.into();
        self.add("case", Record::Case(c));
    }
}

/// The records, each with its document; links point at records made before them.
pub fn dataset(user: &str, today_ms: i64) -> crate::peer::MadeRecords {
    // Every record is made at noon, Istanbul time, of its day: a day's UTC date (what
    // an order's date is read as) and its date in Istanbul (what the reports count
    // from) are then the same, so "100 days ago" reads 100 at any hour the test runs.
    let zone = saha_core::time::civil::Zone::istanbul();
    let noon = zone.start_of_day_ms(zone.local(today_ms).date) + 12 * 3_600_000;
    let mut b = Builder {
        user: user.to_owned(),
        today_ms: noon,
        made: Vec::new(),
    };
    let oil = b.product("Sızma Zeytinyağı 5 L", "900", "600");
    let olives = b.product("Salamura Zeytin 1 kg", "150", "90");
    let [advocate, captive, mercenary, dangerous, at_risk, silent] = ACCOUNTS.map(|n| b.account(n));
    // Advocate: monthly for three years, more olive oil in winter (demand is seasonal).
    for month in 0..36 {
        let days_ago = 5 + month * 30;
        let winter = matches!(month % 12, 0..=2);
        b.order(
            &advocate,
            days_ago,
            &[(&oil, if winter { 20 } else { 10 }), (&olives, 5)],
        );
    }
    let mut person = Contact::blank(&b.ctx(1000));
    person.name = "Ayşe Yılmaz".into();
    person.account = advocate.clone();
    b.add("contact", Record::Contact(person));
    b.rated_case(&advocate, "5", 30);
    // Captive: monthly for eleven months, and an unhappy case; its buyer is a contact,
    // so a segment of the captive group reaches someone.
    let mut buyer = Contact::blank(&b.ctx(400));
    buyer.name = "Mehmet Kaya".into();
    buyer.account = captive.clone();
    b.add("contact", Record::Contact(buyer));
    for month in 0..11 {
        b.order(&captive, 10 + month * 30, &[(&oil, 4), (&olives, 2)]);
    }
    b.rated_case(&captive, "1", 60);
    // Mercenary and dangerous: one sale each.
    b.order(&mercenary, 200, &[(&oil, 3)]);
    b.rated_case(&mercenary, "5", 150);
    b.order(&dangerous, 300, &[(&oil, 2)]);
    b.rated_case(&dangerous, "1", 250);
    // At risk: every 30 days until 100 days ago (usual interval 30).
    for days_ago in (100..=400).step_by(30) {
        b.order(&at_risk, days_ago, &[(&oil, 6), (&olives, 3)]);
    }
    // This month's deals, all the member's: 40,000 won after 20 days and 10,000 after
    // 10 (median cycle 10), one lost, 8,000 open in proposal (50 %: 4,000 weighted).
    for (name, amount, created_days_ago, end) in [
        ("Yıllık tedarik", "40000", 20, "won"),
        ("Ek sipariş", "10000", 10, "won"),
        ("Rakip kazandı", "5000", 15, "lost"),
        ("Yeni depo", "8000", 5, "proposal"),
    ] {
        let created = b.ctx(created_days_ago);
        let mut o = Opportunity::blank(&created);
        o.name = name.into();
        o.amount = amount.into();
        o.account = advocate.clone();
        o.move_to("prospecting", &created);
        if end == "lost" {
            o.lost_reason = "Fiyat".into();
        }
        o.move_to(end, &b.ctx(0));
        b.add("opportunity", Record::Opportunity(o));
    }
    // Silent: nothing for 570 days.
    b.order(&silent, 600, &[(&oil, 1)]);
    b.order(&silent, 570, &[(&oil, 1)]);
    b.made
        .into_iter()
        .filter_map(|(kind, id, record)| record.create().ok().map(|doc| (kind, id, doc)))
        .collect()
}

/// A sales history at volume for the browser benchmark of the reports
/// (`saha-bench seed-saha --sales N`): 200 products; `documents` sales — half orders,
/// half issued invoices — of `lines` lines each, to accounts drawn from `accounts`, over
/// the last 700 days; and one rated case per two sales. Seeded, so every run is alike.
pub fn sales_volume(
    user: &str,
    today_ms: i64,
    accounts: &[DocumentId],
    documents: usize,
    lines: usize,
    seed: u64,
) -> crate::peer::MadeRecords {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut b = Builder {
        user: user.to_owned(),
        today_ms,
        made: Vec::new(),
    };
    let products: Vec<(String, Product)> = (0..200)
        .map(|i| {
            let price = 10 + rng.random_range(0..5_000u32);
            b.product(
                &format!("Ürün {i:03}"),
                &price.to_string(),
                &(price * 7 / 10).to_string(),
            )
        })
        .collect();
    if accounts.is_empty() {
        return Vec::new();
    }
    for i in 0..documents {
        let account = accounts[rng.random_range(0..accounts.len())].to_string();
        let days_ago = rng.random_range(0..700i64);
        let basket: Vec<(&(String, Product), u32)> = (0..lines)
            .map(|_| {
                (
                    &products[rng.random_range(0..products.len())],
                    rng.random_range(1..20u32),
                )
            })
            .collect();
        b.order(&account, days_ago, &basket);
        if i % 2 == 1
            && let Some((kind, _, Record::Sales(d))) = b.made.last_mut()
        {
            // An issued invoice on the same day instead of the order.
            *kind = "invoice";
            d.common.kind = saha_core::sales::document::INVOICE.into();
            d.status = "issued".into();
            d.issue_date = saha_core::sales::document::date_of(d.common.created_at);
        }
        if i % 2 == 0 {
            b.rated_case(&account, &rng.random_range(1..=5u32).to_string(), days_ago);
        }
    }
    b.made
        .into_iter()
        .filter_map(|(kind, id, record)| record.create().ok().map(|doc| (kind, id, doc)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use saha_core::analytics::matrix::{Group, Matrix};
    use saha_core::analytics::retention;
    use saha_core::analytics::settings::AnalyticsSettings;
    use saha_core::analytics::signals::Signals;
    use saha_core::time::civil::Date;

    /// The hand-worked answers above are what the shared code computes.
    #[test]
    fn the_dataset_has_the_answers_its_table_gives() {
        let today_ms = 1_796_000_000_000;
        let made = dataset("u1", today_ms);
        let records: Vec<(String, Record)> = made
            .iter()
            .map(|(_, id, doc)| (id.to_string(), Record::read(doc).unwrap().unwrap()))
            .collect();
        let refs: Vec<(String, &Record)> = records.iter().map(|(id, r)| (id.clone(), r)).collect();
        let signals = Signals::gather(&refs);
        let today = Date::from_days_since_epoch(today_ms.div_euclid(DAY_MS));
        let settings = AnalyticsSettings::default();
        let matrix = Matrix::compute(&signals, &settings, today);
        let name_of = |id: &str| {
            refs.iter()
                .find_map(|(i, r)| match r {
                    Record::Account(a) if i == id => Some(a.name.clone()),
                    _ => None,
                })
                .unwrap_or_default()
        };
        let group = |name: &str| {
            matrix
                .standings
                .iter()
                .find(|s| name_of(&s.account) == name)
                .map(|s| s.group)
        };
        assert_eq!(group("Savunucu Gıda"), Some(Some(Group::Advocate)));
        assert_eq!(group("Tutsak Market"), Some(Some(Group::Captive)));
        assert_eq!(group("Paralı Ticaret"), Some(Some(Group::Mercenary)));
        assert_eq!(group("Tehlike Ltd."), Some(Some(Group::Dangerous)));
        assert_eq!(group("Riskli Otel"), Some(None));
        assert_eq!(group("Sessiz A.Ş."), Some(None));
        assert_eq!(matrix.counts, [1, 1, 1, 1]);
        assert_eq!(matrix.no_data, 2);
        let kept = retention::compute(&signals, &settings, today);
        let state = |name: &str| {
            kept.iter()
                .find(|r| name_of(&r.account) == name)
                .map(|r| (r.at_risk, r.silent))
        };
        assert_eq!(state("Riskli Otel"), Some((true, false)));
        assert_eq!(state("Sessiz A.Ş.").map(|s| s.1), Some(true));
        assert_eq!(state("Savunucu Gıda"), Some((false, false)));
        let stages = saha_core::sales::opportunity::pipeline(
            saha_core::sales::opportunity::default_open_stages(),
        );
        let calendar = saha_core::time::working_time::WorkingCalendar::default();
        let zone = saha_core::time::civil::Zone::istanbul();
        let local_today = zone.local(today_ms).date;
        let perf = saha_core::analytics::performance::compute(
            &refs,
            &saha_core::analytics::performance::Context {
                period: saha_core::analytics::performance::Period::named("month", local_today)
                    .unwrap(),
                today: local_today,
                now_ms: today_ms,
                zone,
                pipeline: &stages,
                goals: &[],
                sla: &saha_core::service::case::default_sla(),
                calendar: &calendar,
                audience: &saha_core::analytics::performance::Audience::Workspace,
            },
        );
        let me = &perf.reps["u1"];
        assert_eq!(me.won_revenue.to_string(), "50000");
        assert_eq!((me.won, me.lost, me.win_rate_percent()), (2, 1, Some(66)));
        assert_eq!(me.median_cycle_days, Some(10));
        assert_eq!(me.weighted_pipeline.to_string(), "4000");
    }

    /// The server stores every record of the dataset as the owner writes it: each is a
    /// new record that passes the write rules.
    #[test]
    fn every_record_passes_the_servers_rules() {
        let owner = saha_core::access::Access {
            role: saha_core::access::Role::Owner,
            teams: Vec::new(),
        };
        for (kind, id, doc) in dataset("u1", 1_796_000_000_000) {
            let change = saha_core::rules::Change {
                doc: &doc,
                before_heads: &[],
                before: None,
                after: None,
            };
            if let Err(refusal) = saha_core::rules::check(Some(&owner), &change) {
                panic!("{kind} {id} is refused: {refusal}");
            }
        }
    }
}
