//! Demand: the quantity of a product sold each month, and a forecast of the next three
//! months with its backtest error beside it.
//!
//! The history runs from the first month with a sale of the product to the last
//! complete month (the current month is not complete, so it is forecast, not counted).
//! Two simple, explainable methods are tried; the one with the smaller mean absolute
//! error (MAE) over the last [`BACKTEST_MONTHS`] months of one-step-ahead forecasts is
//! used:
//!
//! - **seasonal naive** (needs two years): next month sells what the same month sold a
//!   year before;
//! - **exponential smoothing**: a level updated each month as
//!   `level = α × actual + (1 − α) × level`, α chosen from 0.1–0.9 by the same error;
//!   the forecast is the level, flat.
//!
//! MAPE (mean absolute percentage error) is shown beside MAE, over months that sold
//! something (a zero month has no percentage). Under [`MIN_MONTHS`] months of history
//! there is no forecast.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::ledger::Sale;
use crate::time::civil::Date;

/// Months of history a forecast needs.
pub const MIN_MONTHS: usize = 4;
/// Months the methods are tested on (fewer when the history is shorter).
pub const BACKTEST_MONTHS: usize = 12;
/// Months forecast.
pub const HORIZON: usize = 3;

/// How a forecast was made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    SeasonalNaive,
    /// With α in tenths (1–9).
    Smoothing {
        alpha_x10: u8,
    },
}

/// A forecast and its error.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub method: Method,
    /// The next [`HORIZON`] months' quantities.
    pub values: Vec<f64>,
    /// Mean absolute error of the one-step forecasts over the tested months.
    pub mae: f64,
    /// Mean absolute percentage error, over tested months that sold something.
    pub mape: Option<f64>,
    pub tested_months: usize,
}

/// A product's monthly demand and its forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub product: String,
    /// (`YYYY-MM`, quantity) for each month of the history, zero months included.
    pub history: Vec<(String, f64)>,
    /// The months forecast, `YYYY-MM`.
    pub next_months: Vec<String>,
    pub forecast: Option<Forecast>,
}

fn month_key(date: Date) -> String {
    format!("{:04}-{:02}", date.year, date.month)
}

/// Quantity sold of each product over `sales`, most first (then by product ID).
pub fn products_sold(sales: &[Sale<'_>]) -> Vec<(String, Decimal)> {
    let mut totals: BTreeMap<&str, Decimal> = BTreeMap::new();
    for sale in sales {
        for line in sale.lines() {
            if !line.product.is_empty()
                && let Some(q) = line.quantity
            {
                *totals.entry(line.product.as_str()).or_default() += q;
            }
        }
    }
    let mut list: Vec<(String, Decimal)> =
        totals.into_iter().map(|(p, q)| (p.to_owned(), q)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list
}

/// The demand for `product` over `sales`, on `today`.
pub fn demand(sales: &[Sale<'_>], product: &str, today: Date) -> Demand {
    let this_month = Date::new(today.year, today.month, 1).unwrap_or(today);
    let mut by_month: BTreeMap<String, Decimal> = BTreeMap::new();
    for sale in sales {
        let Some(date) = sale.figures.day.map(Date::from_days_since_epoch) else {
            continue;
        };
        if date >= this_month {
            continue;
        }
        for line in sale.lines() {
            if line.product == product
                && let Some(q) = line.quantity
            {
                *by_month.entry(month_key(date)).or_default() += q;
            }
        }
    }
    let mut history = Vec::new();
    if let Some(first) = by_month.keys().next().cloned() {
        let mut month = Date::parse(&format!("{first}-01")).unwrap_or(this_month);
        while month < this_month {
            let key = month_key(month);
            let q = by_month.get(&key).and_then(|q| q.to_f64()).unwrap_or(0.0);
            history.push((key, q));
            match month.add_months(1) {
                Some(next) => month = next,
                None => break,
            }
        }
    }
    let next_months = (0..HORIZON as i64)
        .filter_map(|i| this_month.add_months(i).map(month_key))
        .collect();
    let values: Vec<f64> = history.iter().map(|(_, q)| *q).collect();
    Demand {
        product: product.to_owned(),
        forecast: forecast(&values),
        history,
        next_months,
    }
}

/// One-step forecasts of `series` by seasonal naive: `y[t - 12]`.
fn seasonal_step(series: &[f64], t: usize) -> Option<f64> {
    t.checked_sub(12).map(|i| series[i])
}

/// The smoothed level after each month: `levels[t]` forecasts month `t + 1`.
fn smoothing_levels(series: &[f64], alpha: f64) -> Vec<f64> {
    let mut level = series.first().copied().unwrap_or(0.0);
    series
        .iter()
        .map(|y| {
            level = alpha * y + (1.0 - alpha) * level;
            level
        })
        .collect()
}

/// Errors of `predict` over the last tested months of `series`: (MAE, MAPE, months).
fn backtest(
    series: &[f64],
    first: usize,
    predict: impl Fn(usize) -> Option<f64>,
) -> (f64, Option<f64>, usize) {
    let start = series.len().saturating_sub(BACKTEST_MONTHS).max(first);
    let mut abs = 0.0;
    let mut pct = 0.0;
    let (mut n, mut n_pct) = (0usize, 0usize);
    for (t, actual) in series.iter().enumerate().skip(start) {
        let Some(p) = predict(t) else { continue };
        abs += (actual - p).abs();
        n += 1;
        if *actual != 0.0 {
            pct += ((actual - p) / actual).abs() * 100.0;
            n_pct += 1;
        }
    }
    (
        if n > 0 { abs / n as f64 } else { f64::INFINITY },
        (n_pct > 0).then(|| pct / n_pct as f64),
        n,
    )
}

/// The forecast of the next [`HORIZON`] months of `series` (monthly, oldest first), by
/// the method with the smaller backtest error (module docs).
pub fn forecast(series: &[f64]) -> Option<Forecast> {
    if series.len() < MIN_MONTHS {
        return None;
    }
    let mut best: Option<Forecast> = None;
    for alpha_x10 in 1..=9u8 {
        let alpha = f64::from(alpha_x10) / 10.0;
        let levels = smoothing_levels(series, alpha);
        let (mae, mape, tested) = backtest(series, 1, |t| Some(levels[t - 1]));
        let level = *levels.last().unwrap_or(&0.0);
        let candidate = Forecast {
            method: Method::Smoothing { alpha_x10 },
            values: vec![level; HORIZON],
            mae,
            mape,
            tested_months: tested,
        };
        if best.as_ref().is_none_or(|b| candidate.mae < b.mae) {
            best = Some(candidate);
        }
    }
    if series.len() >= 24 {
        let (mae, mape, tested) = backtest(series, 12, |t| seasonal_step(series, t));
        let n = series.len();
        let candidate = Forecast {
            method: Method::SeasonalNaive,
            values: (0..HORIZON).map(|h| series[n + h - 12]).collect(),
            mae,
            mape,
            tested_months: tested,
        };
        if best.as_ref().is_none_or(|b| candidate.mae <= b.mae) {
            best = Some(candidate);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seasonal_series_is_forecast_by_last_years_months() {
        // Two and a half years of a clean yearly pattern: seasonal naive is exact.
        let pattern = [
            10.0, 12.0, 30.0, 50.0, 80.0, 120.0, 130.0, 90.0, 60.0, 30.0, 15.0, 10.0,
        ];
        let series: Vec<f64> = (0..30).map(|i| pattern[i % 12]).collect();
        let f = forecast(&series).unwrap();
        assert_eq!(f.method, Method::SeasonalNaive);
        // Month 30 is the seventh of the pattern.
        assert_eq!(f.values, [130.0, 90.0, 60.0]);
        assert_eq!(f.mae, 0.0);
        assert_eq!(f.mape, Some(0.0));
        assert_eq!(f.tested_months, 12);
    }

    #[test]
    fn a_level_series_is_smoothed_and_its_error_shown() {
        // 10, 20, 10, 20, …: smoothing with α = 0.1 from 10 stays near 10–11;
        // the one-step error is about 5 every month.
        let series: Vec<f64> = (0..8)
            .map(|i| if i % 2 == 0 { 10.0 } else { 20.0 })
            .collect();
        let f = forecast(&series).unwrap();
        assert!(matches!(f.method, Method::Smoothing { .. }));
        assert_eq!(f.values.len(), HORIZON);
        assert!(f.values.iter().all(|v| (10.0..20.0).contains(v)));
        assert_eq!(f.tested_months, 7);
        // Every method here errs by at least 5 a month on average.
        assert!(f.mae >= 5.0 - 1e-9 && f.mae < 10.0, "{}", f.mae);
        assert!(forecast(&series[..3]).is_none());
    }

    #[test]
    fn months_run_from_the_first_sale_to_last_month_with_zero_months_kept() {
        use crate::analytics::ledger::Ledger;
        use crate::record::EditContext;
        use crate::sales::document::{LineItem, ORDER, SalesDocument};
        let on = |date: &str, product: &str, quantity: &str| {
            let day = Date::parse(date).unwrap().days_since_epoch();
            let mut d = SalesDocument::new(ORDER, &EditContext::new("u", day * 86_400_000));
            d.status = "open".into();
            d.lines.insert(
                "l".into(),
                LineItem {
                    product: product.into(),
                    quantity: quantity.into(),
                    unit_price: "1".into(),
                    ..LineItem::default()
                },
            );
            d
        };
        let documents = [
            on("2026-08-03", "tea", "5"),
            on("2026-08-20", "tea", "2.5"),
            on("2026-10-01", "tea", "4"),
            on("2026-10-02", "cups", "9"),
            on("2026-12-01", "tea", "100"),
        ];
        let ids = ["a", "b", "c", "d", "e"];
        let pairs: Vec<(&str, &SalesDocument)> = ids.into_iter().zip(documents.iter()).collect();
        let ledger = Ledger::of(&pairs);
        let counted = ledger.sales();
        let today = Date::parse("2026-12-15").unwrap();
        let d = demand(&counted, "tea", today);
        assert_eq!(
            d.history,
            [
                ("2026-08".to_owned(), 7.5),
                ("2026-09".to_owned(), 0.0),
                ("2026-10".to_owned(), 4.0),
                ("2026-11".to_owned(), 0.0),
            ]
        );
        assert_eq!(d.next_months, ["2026-12", "2027-01", "2027-02"]);
        assert!(d.forecast.is_some());
        let sold = products_sold(&counted);
        assert_eq!(sold[0], ("tea".to_owned(), Decimal::new(1115, 1)));
        assert_eq!(sold[1].0, "cups");
    }
}
