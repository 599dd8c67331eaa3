//! What to offer an account next: item-to-item co-occurrence across every sale the
//! caller may see. Each sale (order or invoice, [`super::ledger::Ledger::sales`]) is a basket of
//! the products on its lines. For a product X the account buys and a product Y it does
//! not, with *n(X)* baskets holding X, *n(X,Y)* holding both and *N* baskets in all:
//!
//! - **support** = n(X,Y) / N — how common the pair is;
//! - **confidence** = n(X,Y) / n(X) — how often X's buyers take Y too;
//! - **lift** = confidence / (n(Y) / N) — above 1, X's buyers take Y more than others.
//!
//! A pair counts only from [`MIN_TOGETHER`] baskets up; each Y is suggested once, for
//! the X that gives it the highest confidence (then lift); suggestions are ordered by
//! confidence, then lift, then how often the pair was bought. The index is built once
//! per change of the records; a suggestion for one account reads only its products'
//! neighbours.

use std::collections::{BTreeSet, HashMap};

use rustc_hash::FxHashMap;

use super::ledger::Sale;

/// Baskets a pair needs before it is suggested.
pub const MIN_TOGETHER: u32 = 3;

/// One suggestion for an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The product to offer.
    pub product: String,
    /// The product the account buys that it goes with.
    pub because: String,
    /// Baskets with both.
    pub together: u32,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
}

/// Products bought together, and what each account buys.
#[derive(Debug, Clone, Default)]
pub struct CoOccurrence {
    products: Vec<String>,
    index: FxHashMap<String, u32>,
    /// Baskets holding each product.
    baskets_with: Vec<u32>,
    /// Each product's neighbours: (product, baskets with both).
    neighbours: Vec<FxHashMap<u32, u32>>,
    baskets: u32,
    bought: FxHashMap<String, BTreeSet<u32>>,
}

impl CoOccurrence {
    /// The index over `sales`.
    pub fn build(sales: &[Sale<'_>]) -> CoOccurrence {
        let mut co = CoOccurrence::default();
        for sale in sales {
            let mut basket: Vec<u32> = Vec::new();
            for line in sale.lines() {
                if line.product.is_empty() {
                    continue;
                }
                let id = match co.index.get(line.product.as_str()) {
                    Some(id) => *id,
                    None => {
                        let id = co.products.len() as u32;
                        co.index.insert(line.product.clone(), id);
                        co.products.push(line.product.clone());
                        co.baskets_with.push(0);
                        co.neighbours.push(FxHashMap::default());
                        id
                    }
                };
                basket.push(id);
            }
            basket.sort_unstable();
            basket.dedup();
            if basket.is_empty() {
                continue;
            }
            co.baskets += 1;
            for &x in &basket {
                co.baskets_with[x as usize] += 1;
                for &y in &basket {
                    if x != y {
                        *co.neighbours[x as usize].entry(y).or_default() += 1;
                    }
                }
            }
            let account = sale.account();
            if let Some(set) = co.bought.get_mut(account) {
                set.extend(basket);
            } else if !account.is_empty() {
                co.bought
                    .insert(account.to_owned(), basket.into_iter().collect());
            }
        }
        co
    }

    /// Baskets (sales with at least one product line).
    pub fn baskets(&self) -> u32 {
        self.baskets
    }

    /// The products `account` has bought.
    pub fn bought(&self, account: &str) -> Vec<&str> {
        self.bought.get(account).map_or_else(Vec::new, |set| {
            set.iter()
                .map(|i| self.products[*i as usize].as_str())
                .collect()
        })
    }

    /// Whether `account` has bought `product`.
    pub fn has_bought(&self, account: &str, product: &str) -> bool {
        self.index
            .get(product)
            .is_some_and(|i| self.bought.get(account).is_some_and(|set| set.contains(i)))
    }

    /// Up to `limit` suggestions for `account` (none for an account without sales).
    pub fn suggest(&self, account: &str, limit: usize) -> Vec<Suggestion> {
        let Some(owned) = self.bought.get(account) else {
            return Vec::new();
        };
        self.suggest_from(owned, limit)
    }

    /// Up to `limit` suggestions for a quote or order being written: for the products on
    /// its lines and those its account has bought, leaving all of them out.
    pub fn suggest_for_lines<'p>(
        &self,
        account: &str,
        lines: impl IntoIterator<Item = &'p str>,
        limit: usize,
    ) -> Vec<Suggestion> {
        let mut given: BTreeSet<u32> = self.bought.get(account).cloned().unwrap_or_default();
        given.extend(lines.into_iter().filter_map(|p| self.index.get(p).copied()));
        self.suggest_from(&given, limit)
    }

    /// Up to `limit` products that go with the `owned` ones (by index), not among them.
    fn suggest_from(&self, owned: &BTreeSet<u32>, limit: usize) -> Vec<Suggestion> {
        let n = f64::from(self.baskets.max(1));
        let mut best: HashMap<u32, Suggestion> = HashMap::new();
        for &x in owned {
            let with_x = f64::from(self.baskets_with[x as usize].max(1));
            for (&y, &together) in &self.neighbours[x as usize] {
                if together < MIN_TOGETHER || owned.contains(&y) {
                    continue;
                }
                let confidence = f64::from(together) / with_x;
                let base = f64::from(self.baskets_with[y as usize]) / n;
                let candidate = Suggestion {
                    product: self.products[y as usize].clone(),
                    because: self.products[x as usize].clone(),
                    together,
                    support: f64::from(together) / n,
                    confidence,
                    lift: if base > 0.0 { confidence / base } else { 0.0 },
                };
                match best.get(&y) {
                    Some(kept) if !better(&candidate, kept) => {}
                    _ => {
                        best.insert(y, candidate);
                    }
                }
            }
        }
        let mut list: Vec<Suggestion> = best.into_values().collect();
        list.sort_by(|a, b| {
            if better(a, b) {
                std::cmp::Ordering::Less
            } else if better(b, a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        list.truncate(limit);
        list
    }
}

/// Whether `a` ranks before `b`: confidence, lift, together, then product IDs.
fn better(a: &Suggestion, b: &Suggestion) -> bool {
    (a.confidence, a.lift, a.together)
        .partial_cmp(&(b.confidence, b.lift, b.together))
        .is_some_and(|o| o.is_gt())
        || ((a.confidence, a.lift, a.together) == (b.confidence, b.lift, b.together)
            && (a.product.as_str(), a.because.as_str()) < (b.product.as_str(), b.because.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::ledger::Ledger;
    use crate::record::EditContext;
    use crate::sales::document::{LineItem, ORDER, SalesDocument};

    fn basket(account: &str, products: &[&str]) -> SalesDocument {
        let mut d = SalesDocument::new(ORDER, &EditContext::new("u", 0));
        d.account = account.into();
        d.status = "open".into();
        for (i, p) in products.iter().enumerate() {
            d.lines.insert(
                format!("l{i}"),
                LineItem {
                    product: (*p).into(),
                    quantity: "1".into(),
                    unit_price: "10".into(),
                    vat: 20,
                    ..LineItem::default()
                },
            );
        }
        d
    }

    #[test]
    fn suggestions_need_three_baskets_and_hide_what_the_account_buys() {
        // 10 baskets. Tea and cups together 4 times (n(tea) = 5, n(cups) = 5);
        // tea and sugar 2 times (below the minimum); tea and kettle 3 times
        // (n(kettle) = 3).
        let documents = [
            basket("x", &["tea", "cups"]),
            basket("x", &["tea", "cups", "sugar"]),
            basket("y", &["tea", "cups", "kettle"]),
            basket("y", &["tea", "cups", "kettle", "sugar"]),
            basket("me", &["tea", "kettle"]),
            basket("z", &["cups"]),
            basket("z", &["spoon"]),
            basket("z", &["spoon"]),
            basket("z", &["spoon"]),
            basket("", &["spoon"]),
        ];
        let ids: Vec<String> = (0..documents.len()).map(|i| format!("d{i}")).collect();
        let pairs: Vec<(&str, &SalesDocument)> = ids
            .iter()
            .map(String::as_str)
            .zip(documents.iter())
            .collect();
        let co = CoOccurrence::build(&Ledger::of(&pairs).sales());
        assert_eq!(co.baskets(), 10);
        assert_eq!(co.bought("me"), ["tea", "kettle"]);
        let list = co.suggest("me", 5);
        // cups: via tea 4/5 = 0.8 (lift 0.8 / 0.5 = 1.6), via kettle 2/3 (below 3 → no).
        // sugar (2 with tea) is below the minimum; tea and kettle are bought already.
        assert_eq!(list.len(), 1);
        let cups = &list[0];
        assert_eq!(
            (cups.product.as_str(), cups.because.as_str()),
            ("cups", "tea")
        );
        assert_eq!(cups.together, 4);
        assert!((cups.confidence - 0.8).abs() < 1e-9);
        assert!((cups.lift - 1.6).abs() < 1e-9);
        assert!((cups.support - 0.4).abs() < 1e-9);
        // x buys tea and cups (and sugar): kettle via tea is 3/5 = 0.6, lift 0.6 / 0.3 = 2.
        let x = co.suggest("x", 5);
        assert_eq!(x.len(), 1);
        assert_eq!(x[0].product, "kettle");
        assert!((x[0].lift - 2.0).abs() < 1e-9);
        assert!(co.suggest("nobody", 5).is_empty());
        assert!(co.has_bought("x", "sugar") && !co.has_bought("x", "kettle"));
        // A quote for a new customer with tea on it: cups (4/5) before kettle (3/5);
        // an unknown product on a line adds nothing.
        let quote = co.suggest_for_lines("new", ["tea", "not-in-any-sale"], 5);
        let offered: Vec<&str> = quote.iter().map(|s| s.product.as_str()).collect();
        assert_eq!(offered, ["cups", "kettle"]);
        // For "me" (tea, kettle bought) with cups already on the quote: nothing left.
        assert!(co.suggest_for_lines("me", ["cups"], 5).is_empty());
        assert_eq!(co.suggest_for_lines("me", [], 5), list);
    }

    /// Suggestions recomputed the slow way: for the `owned` products, every pair
    /// counted over every basket.
    fn naive(
        baskets: &[(String, BTreeSet<String>)],
        owned: &BTreeSet<String>,
        limit: usize,
    ) -> Vec<Suggestion> {
        let n = baskets.len() as f64;
        let with = |p: &String| baskets.iter().filter(|(_, b)| b.contains(p)).count() as u32;
        let all: BTreeSet<&String> = baskets.iter().flat_map(|(_, b)| b).collect();
        let mut best: Vec<Suggestion> = Vec::new();
        for y in all.iter().filter(|y| !owned.contains(**y)) {
            let mut kept: Option<Suggestion> = None;
            for x in owned {
                let together = baskets
                    .iter()
                    .filter(|(_, b)| b.contains(x) && b.contains(*y))
                    .count() as u32;
                if together < MIN_TOGETHER {
                    continue;
                }
                let confidence = f64::from(together) / f64::from(with(x));
                let candidate = Suggestion {
                    product: (*y).clone(),
                    because: x.clone(),
                    together,
                    support: f64::from(together) / n,
                    confidence,
                    lift: confidence / (f64::from(with(y)) / n),
                };
                if kept.as_ref().is_none_or(|k| better(&candidate, k)) {
                    kept = Some(candidate);
                }
            }
            best.extend(kept);
        }
        best.sort_by(|a, b| {
            if better(a, b) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            }
        });
        best.truncate(limit);
        best
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        /// For every account, and for a quote's lines, the index gives what counting
        /// every pair over every basket gives.
        #[test]
        fn suggestions_equal_a_naive_recomputation(
            raw in proptest::collection::vec(
                (0..4usize, proptest::collection::btree_set(0..7usize, 0..5)),
                0..60,
            ),
            on_quote in proptest::collection::btree_set(0..8usize, 0..3),
        ) {
            let names = ["a", "b", "c", "d"];
            // p7 is in no sale: on a quote it adds nothing.
            let products: Vec<String> = (0..8).map(|i| format!("p{i}")).collect();
            let documents: Vec<SalesDocument> = raw
                .iter()
                .map(|(a, set)| {
                    let lines: Vec<&str> = set.iter().map(|i| products[*i].as_str()).collect();
                    basket(names[*a], &lines)
                })
                .collect();
            let ids: Vec<String> = (0..documents.len()).map(|i| format!("d{i}")).collect();
            let pairs: Vec<(&str, &SalesDocument)> =
                ids.iter().map(String::as_str).zip(documents.iter()).collect();
            let co = CoOccurrence::build(&Ledger::of(&pairs).sales());
            let baskets: Vec<(String, BTreeSet<String>)> = raw
                .iter()
                .filter(|(_, set)| !set.is_empty())
                .map(|(a, set)| {
                    (names[*a].to_owned(), set.iter().map(|i| products[*i].clone()).collect())
                })
                .collect();
            proptest::prop_assert_eq!(co.baskets() as usize, baskets.len());
            let owned_by = |account: &str| -> BTreeSet<String> {
                baskets
                    .iter()
                    .filter(|(a, _)| a == account)
                    .flat_map(|(_, b)| b.iter().cloned())
                    .collect()
            };
            for account in names {
                proptest::prop_assert_eq!(
                    co.suggest(account, 4),
                    naive(&baskets, &owned_by(account), 4)
                );
            }
            let quote: Vec<&str> = on_quote.iter().map(|i| products[*i].as_str()).collect();
            let mut owned = owned_by("b");
            owned.extend(quote.iter().map(|p| (*p).to_owned()));
            proptest::prop_assert_eq!(
                co.suggest_for_lines("b", quote.iter().copied(), 4),
                naive(&baskets, &owned, 4)
            );
        }
    }
}
