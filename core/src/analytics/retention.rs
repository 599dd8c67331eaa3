//! Retention: how long a customer can be kept. For each customer (an account not marked
//! *former*, with at least one sale), the **usual interval** between sales is the median
//! gap in days between consecutive days with a sale (it needs two such days); the
//! customer is **at risk** when the days since the last sale exceed that interval × the
//! workspace's factor (2.0 by default), and **silent** after the workspace's silent days
//! (365) without a sale — then the app suggests marking the account a former customer,
//! through the lifecycle log, never by itself. The list is ordered by TRY margin,
//! highest first, so the customers most worth a call come first.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::settings::AnalyticsSettings;
use super::signals::Signals;
use crate::parties::account::CustomerType;
use crate::sales::money::Currency;
use crate::time::civil::Date;

/// One customer's retention figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    pub account: String,
    /// Days with a sale.
    pub sale_days: usize,
    /// The median gap between them, in days (`None` with a single day).
    pub usual_interval: Option<i64>,
    /// The last sale, `YYYY-MM-DD`.
    pub last: String,
    pub days_since_last: i64,
    /// Days since the last sale ÷ the usual interval, in tenths (`None` without one).
    pub overdue_x10: Option<i64>,
    pub at_risk: bool,
    pub silent: bool,
    /// TRY gross margin over all sales.
    pub margin: Decimal,
}

/// The median of `values` (sorted), the lower middle for an even count.
fn median(values: &[i64]) -> Option<i64> {
    (!values.is_empty()).then(|| values[(values.len() - 1) / 2])
}

/// Every customer's figures on `today`, by margin (highest first, then account ID).
pub fn compute(signals: &Signals<'_>, settings: &AnalyticsSettings, today: Date) -> Vec<Retention> {
    let today_day = today.days_since_epoch();
    let counted = signals.sales();
    // Each account's sale days and TRY margin (the costed lines' net less their cost,
    // as the profitability report counts it).
    let mut days: FxHashMap<&str, Vec<i64>> = FxHashMap::default();
    let mut margins: FxHashMap<&str, Decimal> = FxHashMap::default();
    for sale in &counted {
        let account = sale.account();
        if account.is_empty() {
            continue;
        }
        if let Some(day) = sale.figures.day
            && day <= today_day
        {
            days.entry(account).or_default().push(day);
        }
        if sale.figures.currency == Currency::Try {
            let margin = margins.entry(account).or_default();
            for line in sale.lines() {
                if let (Some(net), Some(cost)) = (line.net, line.cost) {
                    *margin += net - cost;
                }
            }
        }
    }
    let factor = settings.at_risk_factor_x10.clamp(10, 100);
    let mut out: BTreeMap<(std::cmp::Reverse<Decimal>, String), Retention> = BTreeMap::new();
    for (id, account) in &signals.accounts {
        if account.customer_type == CustomerType::Former {
            continue;
        }
        let Some(list) = days.get_mut(*id) else {
            continue;
        };
        list.sort_unstable();
        list.dedup();
        let list = &*list;
        let mut gaps: Vec<i64> = list.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_unstable();
        let usual_interval = median(&gaps);
        let last = *list.last().unwrap_or(&today_day);
        let days_since_last = today_day - last;
        let overdue_x10 = usual_interval
            .filter(|i| *i > 0)
            .map(|i| days_since_last * 10 / i);
        let at_risk = usual_interval.is_some_and(|i| days_since_last * 10 > i * factor);
        let margin = margins.get(*id).copied().unwrap_or_default();
        out.insert(
            (std::cmp::Reverse(margin), (*id).to_owned()),
            Retention {
                account: (*id).to_owned(),
                sale_days: list.len(),
                usual_interval,
                last: Date::from_days_since_epoch(last).to_string(),
                days_since_last,
                overdue_x10,
                at_risk,
                silent: days_since_last >= settings.silent_days,
                margin,
            },
        );
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Record;
    use crate::parties::account::Account;
    use crate::record::{EditContext, RecordType};
    use crate::sales::document::{LineItem, ORDER, SalesDocument};

    fn ms(date: &str) -> i64 {
        Date::parse(date).unwrap().days_since_epoch() * 86_400_000 + 43_200_000
    }

    fn order(account: &str, date: &str, margin: &str) -> Record {
        let mut d = SalesDocument::new(ORDER, &EditContext::new("u", ms(date)));
        d.account = account.into();
        d.status = "open".into();
        d.lines.insert(
            "l".into(),
            LineItem {
                quantity: "1".into(),
                unit_price: margin.into(),
                unit_cost: "0".into(),
                vat: 20,
                ..LineItem::default()
            },
        );
        Record::Sales(d)
    }

    fn account(customer_type: CustomerType) -> Record {
        let mut a = Account::blank(&EditContext::new("u", 0));
        a.customer_type = customer_type;
        Record::Account(a)
    }

    #[test]
    fn usual_intervals_risk_and_silence_by_hand() {
        let records: Vec<(String, Record)> = [
            // steady: every 30 days, last 2026-11-20; on 2026-12-31 41 days since, 41 ≤ 60:
            // fine.
            ("steady", account(CustomerType::Current)),
            ("s1", order("steady", "2026-08-22", "100")),
            ("s2", order("steady", "2026-09-21", "100")),
            ("s3", order("steady", "2026-10-21", "100")),
            ("s4", order("steady", "2026-11-20", "100")),
            // late: gaps 10, 10, 40 → median 10; 25 days since > 20: at risk.
            ("late", account(CustomerType::Current)),
            ("l1", order("late", "2026-10-17", "50")),
            ("l2", order("late", "2026-10-27", "50")),
            ("l3", order("late", "2026-11-06", "50")),
            ("l4", order("late", "2026-12-06", "50")),
            // once: a single sale 400 days ago: no interval, silent.
            ("once", account(CustomerType::Current)),
            ("o1", order("once", "2025-11-26", "900")),
            // gone: marked former: left out.
            ("gone", account(CustomerType::Former)),
            ("g1", order("gone", "2026-01-01", "10")),
            // never: no sale: left out.
            ("never", account(CustomerType::Current)),
        ]
        .into_iter()
        .map(|(id, r)| (id.to_owned(), r))
        .collect();
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let signals = Signals::gather(&refs);
        let today = Date::parse("2026-12-31").unwrap();
        let list = compute(&signals, &AnalyticsSettings::default(), today);
        // (account, usual interval, days since last, at risk, silent, overdue × 10)
        type Seen<'a> = (&'a str, Option<i64>, i64, bool, bool, Option<i64>);
        let seen: Vec<Seen<'_>> = list
            .iter()
            .map(|r| {
                (
                    r.account.as_str(),
                    r.usual_interval,
                    r.days_since_last,
                    r.at_risk,
                    r.silent,
                    r.overdue_x10,
                )
            })
            .collect();
        // By margin: once 900, steady 400, late 200.
        assert_eq!(
            seen,
            [
                ("once", None, 400, false, true, None),
                ("steady", Some(30), 41, false, false, Some(13)),
                ("late", Some(10), 25, true, false, Some(25)),
            ]
        );
        assert_eq!(list[1].margin, Decimal::from(400));
        assert_eq!(list[2].last, "2026-12-06");
        // A stricter factor (1.2 ×) puts steady at risk too.
        let strict = AnalyticsSettings {
            at_risk_factor_x10: 12,
            ..AnalyticsSettings::default()
        };
        let list = compute(&signals, &strict, today);
        assert!(list.iter().find(|r| r.account == "steady").unwrap().at_risk);
    }

    /// (margin, account, sale days, usual interval, days since last, at risk, silent)
    type Figures = (Decimal, String, usize, Option<i64>, i64, bool, bool);

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
        /// Over random customers and sales, the figures equal a recomputation by hand:
        /// distinct sale days up to today, the lower median of their gaps, risk and
        /// silence by the settings, former customers and customers without a sale left
        /// out, the list by margin (highest first), then account ID.
        #[test]
        fn the_list_equals_a_naive_recomputation(
            former in proptest::collection::vec(proptest::bool::weighted(0.2), 5),
            sold in proptest::collection::vec((0..5usize, 0..900i64, 1..100u32), 0..40),
            factor in 10..40i64,
            silent_days in 30..400i64,
        ) {
            let start = Date::parse("2024-06-01").unwrap().days_since_epoch();
            let today = Date::from_days_since_epoch(start + 800);
            let mut records: Vec<(String, Record)> = (0..5)
                .map(|i| {
                    let kind = if former[i] { CustomerType::Former } else { CustomerType::Current };
                    (format!("a{i}"), account(kind))
                })
                .collect();
            for (n, (who, day, price)) in sold.iter().enumerate() {
                let date = Date::from_days_since_epoch(start + day).to_string();
                records.push((format!("o{n}"), order(&format!("a{who}"), &date, &price.to_string())));
            }
            let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
            let settings = AnalyticsSettings {
                at_risk_factor_x10: factor,
                silent_days,
                ..AnalyticsSettings::default()
            };
            let got = compute(&Signals::gather(&refs), &settings, today);

            let mut expected: Vec<Figures> = Vec::new();
            for (i, is_former) in former.iter().enumerate() {
                if *is_former {
                    continue;
                }
                let mut days: Vec<i64> = sold
                    .iter()
                    .filter(|(who, day, _)| *who == i && *day <= 800)
                    .map(|(_, day, _)| start + day)
                    .collect();
                days.sort_unstable();
                days.dedup();
                let Some(last) = days.last().copied() else { continue };
                let mut gaps: Vec<i64> = days.windows(2).map(|w| w[1] - w[0]).collect();
                gaps.sort_unstable();
                let interval = (!gaps.is_empty()).then(|| gaps[(gaps.len() - 1) / 2]);
                let since = start + 800 - last;
                let margin: Decimal = sold
                    .iter()
                    .filter(|(who, _, _)| *who == i)
                    .map(|(_, _, price)| Decimal::from(*price))
                    .sum();
                expected.push((
                    margin,
                    format!("a{i}"),
                    days.len(),
                    interval,
                    since,
                    interval.is_some_and(|d| since * 10 > d * factor),
                    since >= silent_days,
                ));
            }
            expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let seen: Vec<Figures> = got
                .iter()
                .map(|r| {
                    (
                        r.margin,
                        r.account.clone(),
                        r.sale_days,
                        r.usual_interval,
                        r.days_since_last,
                        r.at_risk,
                        r.silent,
                    )
                })
                .collect();
            proptest::prop_assert_eq!(seen, expected);
        }
    }
}
