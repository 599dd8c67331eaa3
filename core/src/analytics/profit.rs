//! Profit per customer: which documents are sales, each account's revenue and gross
//! margin, ABC classes by margin, the whale curve and RFM scores.
//!
//! **Sales** are the [`Ledger`](super::ledger::Ledger)'s: issued or paid invoices and
//! orders not cancelled nor invoiced, never quotes.
//!
//! **Margin** is a line's net (after discount, before KDV) less its cost, the product's
//! unit cost the line kept when it was priced (Odoo's rule: cost at the time of sale) ×
//! quantity. A line without a cost is counted apart (`uncosted_lines`) and its revenue
//! is left out of the margin and of margin % — never guessed. Each currency is its own
//! figure: TRY for the rankings, the others shown beside them.
//!
//! **ABC** ranks accounts by TRY margin; an account is A while the margin of those
//! ranked above it is under the first cut-off share of the total positive margin (80 %
//! by default), B under the second (95 %), else C; a margin of zero or less is C. The
//! **whale curve** plots the cumulative share of total margin against the share of
//! customers so ranked — it rises above 100 % when loss-makers pull the total down.
//! **RFM** scores recency (days since the last sale), frequency (sales) and monetary
//! value (TRY revenue) 1–5 by quintile of rank, equal values scoring alike; under
//! [`RFM_MIN_CUSTOMERS`] customers the scores mean little and the caller says so.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::ledger::Sale;
use crate::sales::money::Currency;
use crate::time::civil::Date;

/// Customers below which RFM quintiles mean little (they need some hundreds).
pub const RFM_MIN_CUSTOMERS: usize = 100;

/// One account's figures in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProfit {
    pub account: String,
    pub currency: Currency,
    /// Net of every line.
    pub revenue: Decimal,
    /// Net of the lines whose cost is known.
    pub costed_revenue: Decimal,
    /// Cost of those lines.
    pub cost: Decimal,
    /// Lines without a known cost (or that cannot be priced).
    pub uncosted_lines: usize,
    /// Sales (documents).
    pub sales: usize,
    /// First and last sale, `YYYY-MM-DD`.
    pub first: String,
    pub last: String,
}

impl AccountProfit {
    pub fn margin(&self) -> Decimal {
        self.costed_revenue - self.cost
    }

    /// Margin over the revenue of costed lines, percent to one decimal (always written
    /// with one: `40.0`).
    pub fn margin_percent(&self) -> Option<Decimal> {
        (!self.costed_revenue.is_zero()).then(|| {
            let mut percent = self.margin() * Decimal::ONE_HUNDRED / self.costed_revenue;
            percent.rescale(1);
            percent
        })
    }

    /// Revenue per sale, to the kuruş.
    pub fn average_sale(&self) -> Decimal {
        if self.sales == 0 {
            Decimal::ZERO
        } else {
            (self.revenue / Decimal::from(self.sales)).round_dp(2)
        }
    }
}

/// Each account's figures per currency: TRY first, then the others; within a currency
/// by margin, highest first (ties by account ID).
pub fn by_account(sales: &[Sale<'_>]) -> Vec<AccountProfit> {
    let mut totals: FxHashMap<(&str, &'static str), AccountProfit> = FxHashMap::default();
    for sale in sales {
        let figures = sale.figures;
        let entry = totals
            .entry((figures.account.as_str(), figures.currency.code()))
            .or_insert_with(|| AccountProfit {
                account: figures.account.clone(),
                currency: figures.currency,
                revenue: Decimal::ZERO,
                costed_revenue: Decimal::ZERO,
                cost: Decimal::ZERO,
                uncosted_lines: 0,
                sales: 0,
                first: sale.date.to_owned(),
                last: sale.date.to_owned(),
            });
        entry.sales += 1;
        if sale.date < entry.first.as_str() {
            sale.date.clone_into(&mut entry.first);
        }
        if sale.date > entry.last.as_str() {
            sale.date.clone_into(&mut entry.last);
        }
        for line in &figures.lines {
            let Some(net) = line.net else {
                entry.uncosted_lines += 1;
                continue;
            };
            entry.revenue += net;
            match line.cost {
                Some(cost) => {
                    entry.costed_revenue += net;
                    entry.cost += cost;
                }
                None => entry.uncosted_lines += 1,
            }
        }
    }
    let mut list: Vec<AccountProfit> = totals.into_values().collect();
    list.sort_by(|a, b| {
        (a.currency != Currency::Try)
            .cmp(&(b.currency != Currency::Try))
            .then(a.currency.code().cmp(b.currency.code()))
            .then(b.margin().cmp(&a.margin()))
            .then(a.account.cmp(&b.account))
    });
    list
}

/// An ABC class by margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AbcClass {
    A,
    B,
    C,
}

impl AbcClass {
    pub fn code(self) -> &'static str {
        match self {
            AbcClass::A => "A",
            AbcClass::B => "B",
            AbcClass::C => "C",
        }
    }

    pub fn from_code(code: &str) -> Option<AbcClass> {
        [AbcClass::A, AbcClass::B, AbcClass::C]
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }
}

/// Where the ABC classes end, in percent of the total positive margin: A up to `a`,
/// B up to `b`. The default 80 / 95 gives the usual 80 / 15 / 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbcCutoffs {
    pub a: u8,
    pub b: u8,
}

impl Default for AbcCutoffs {
    fn default() -> Self {
        AbcCutoffs { a: 80, b: 95 }
    }
}

/// The class of each TRY account in `ranked` (as [`by_account`] orders them: margin,
/// highest first), in that order.
pub fn abc(ranked: &[&AccountProfit], cutoffs: AbcCutoffs) -> Vec<AbcClass> {
    let total: Decimal = ranked
        .iter()
        .map(|p| p.margin())
        .filter(|m| m.is_sign_positive() && !m.is_zero())
        .sum();
    let mut before = Decimal::ZERO;
    ranked
        .iter()
        .map(|p| {
            let margin = p.margin();
            if margin <= Decimal::ZERO || total.is_zero() {
                return AbcClass::C;
            }
            let share = before * Decimal::ONE_HUNDRED / total;
            before += margin;
            if share < Decimal::from(cutoffs.a) {
                AbcClass::A
            } else if share < Decimal::from(cutoffs.b) {
                AbcClass::B
            } else {
                AbcClass::C
            }
        })
        .collect()
}

/// The whale curve of `ranked` (margin, highest first): (share of customers, share of
/// the total margin), both in percent, starting at (0, 0). Empty when the total margin
/// is not positive.
pub fn whale_curve(ranked: &[&AccountProfit]) -> Vec<(f64, f64)> {
    let total: Decimal = ranked.iter().map(|p| p.margin()).sum();
    if total <= Decimal::ZERO {
        return Vec::new();
    }
    let n = ranked.len() as f64;
    let mut points = vec![(0.0, 0.0)];
    let mut running = Decimal::ZERO;
    for (i, p) in ranked.iter().enumerate() {
        running += p.margin();
        let share = (running * Decimal::ONE_HUNDRED / total)
            .round_dp(2)
            .to_string()
            .parse::<f64>()
            .unwrap_or(0.0);
        points.push(((i + 1) as f64 * 100.0 / n, share));
    }
    points
}

/// Recency, frequency and monetary scores, 1 (lowest) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfm {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
}

/// Quintile scores of `values`: 1 + ⌊5 × (values below) / n⌋, so equal values score
/// alike and the highest values score 5 when there are enough of them.
fn quintiles<T: PartialOrd + Copy>(values: &[T]) -> Vec<u8> {
    let mut sorted: Vec<T> = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let n = values.len();
    values
        .iter()
        .map(|v| {
            let below = sorted.partition_point(|x| x < v);
            (1 + below * 5 / n.max(1)) as u8
        })
        .collect()
}

/// The RFM scores of TRY accounts `profits` on `today`, in their order.
pub fn rfm(profits: &[&AccountProfit], today: Date) -> Vec<Rfm> {
    let days_since = |p: &AccountProfit| {
        Date::parse(&p.last).map_or(i64::MAX, |last| {
            today.days_since_epoch() - last.days_since_epoch()
        })
    };
    // Fewer days since the last sale is better: score the negated days.
    let recency: Vec<i64> = profits.iter().map(|p| -days_since(p)).collect();
    let frequency: Vec<usize> = profits.iter().map(|p| p.sales).collect();
    let monetary: Vec<Decimal> = profits.iter().map(|p| p.revenue).collect();
    let (r, f, m) = (
        quintiles(&recency),
        quintiles(&frequency),
        quintiles(&monetary),
    );
    (0..profits.len())
        .map(|i| Rfm {
            recency: r[i],
            frequency: f[i],
            monetary: m[i],
        })
        .collect()
}

/// The whole profitability report of `documents` on `today`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfitReport {
    /// TRY accounts by margin, with their class and scores.
    pub ranked: Vec<(AccountProfit, AbcClass, Rfm)>,
    /// Accounts' figures in other currencies.
    pub other_currencies: Vec<AccountProfit>,
    pub whale_curve: Vec<(f64, f64)>,
    /// Whether there are too few customers for RFM scores to mean much.
    pub rfm_too_few: bool,
    /// Lines without a known cost, over every sale.
    pub uncosted_lines: usize,
}

impl ProfitReport {
    /// The report over the `sales` on or after `since` (`YYYY-MM-DD`; all when empty).
    pub fn compute(
        sales: &[Sale<'_>],
        cutoffs: AbcCutoffs,
        today: Date,
        since: &str,
    ) -> ProfitReport {
        let counted: Vec<Sale<'_>> = sales.iter().filter(|s| s.date >= since).copied().collect();
        let all = by_account(&counted);
        let uncosted_lines = all.iter().map(|p| p.uncosted_lines).sum();
        let (try_accounts, other_currencies): (Vec<AccountProfit>, Vec<AccountProfit>) =
            all.into_iter().partition(|p| p.currency == Currency::Try);
        let refs: Vec<&AccountProfit> = try_accounts.iter().collect();
        let classes = abc(&refs, cutoffs);
        let scores = rfm(&refs, today);
        let whale_curve = whale_curve(&refs);
        let rfm_too_few = try_accounts.len() < RFM_MIN_CUSTOMERS;
        ProfitReport {
            ranked: try_accounts
                .into_iter()
                .zip(classes)
                .zip(scores)
                .map(|((p, c), s)| (p, c, s))
                .collect(),
            other_currencies,
            whale_curve,
            rfm_too_few,
            uncosted_lines,
        }
    }

    /// The class of `account` (by its TRY margin), if it has TRY sales.
    pub fn class_of(&self, account: &str) -> Option<AbcClass> {
        self.ranked
            .iter()
            .find(|(p, ..)| p.account == account)
            .map(|(_, c, _)| *c)
    }
}

#[cfg(test)]
mod tests;
