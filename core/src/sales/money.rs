//! Money in exact decimals: currencies, KDV (Turkish VAT) rates, and the totals of
//! priced lines (quotes, orders, invoices).
//!
//! Amounts are `rust_decimal::Decimal`, never floats. Each line is rounded to kuruş
//! (cents) once for its net amount and once for its KDV, half away from zero, as Turkish
//! invoices do; document totals are sums of rounded lines, so the printed lines always
//! add up to the printed total. Totals are computed from the lines every time they are
//! shown and never stored, so two devices that edited different lines offline cannot
//! leave a stale total behind.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

/// Currencies a price may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Try,
    Usd,
    Eur,
}

impl Currency {
    pub const ALL: [Currency; 3] = [Currency::Try, Currency::Usd, Currency::Eur];

    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Try => "TRY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
        }
    }

    pub fn from_code(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Try => "₺",
            Currency::Usd => "$",
            Currency::Eur => "€",
        }
    }
}

/// The KDV rates in force: 1 %, 10 % and 20 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VatRate {
    One,
    Ten,
    Twenty,
}

impl VatRate {
    pub const ALL: [VatRate; 3] = [VatRate::One, VatRate::Ten, VatRate::Twenty];

    pub fn percent(self) -> u32 {
        match self {
            VatRate::One => 1,
            VatRate::Ten => 10,
            VatRate::Twenty => 20,
        }
    }

    pub fn from_percent(percent: u32) -> Option<VatRate> {
        VatRate::ALL.into_iter().find(|r| r.percent() == percent)
    }
}

/// Rounds to kuruş (two decimals), half away from zero.
pub fn round_to_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// Discount in percent, 0–100.
    pub discount_percent: Decimal,
    pub vat: VatRate,
}

/// Why a line cannot be priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineProblem {
    NegativeQuantity,
    NegativePrice,
    DiscountOutOfRange,
    /// The amount does not fit the decimal type (more than ~7.9 × 10²⁸).
    Overflow,
}

/// A line's amounts, each rounded to kuruş.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// After discount, before KDV.
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
}

impl Line {
    /// The line's net, KDV and gross amounts.
    pub fn amounts(&self) -> Result<LineAmounts, LineProblem> {
        if self.quantity.is_sign_negative() {
            return Err(LineProblem::NegativeQuantity);
        }
        if self.unit_price.is_sign_negative() {
            return Err(LineProblem::NegativePrice);
        }
        let hundred = Decimal::ONE_HUNDRED;
        if self.discount_percent.is_sign_negative() || self.discount_percent > hundred {
            return Err(LineProblem::DiscountOutOfRange);
        }
        let before_discount = self
            .quantity
            .checked_mul(self.unit_price)
            .ok_or(LineProblem::Overflow)?;
        let kept = (hundred - self.discount_percent) / hundred;
        let net = round_to_cents(
            before_discount
                .checked_mul(kept)
                .ok_or(LineProblem::Overflow)?,
        );
        let vat = round_to_cents(
            net.checked_mul(Decimal::from(self.vat.percent()) / hundred)
                .ok_or(LineProblem::Overflow)?,
        );
        let gross = net.checked_add(vat).ok_or(LineProblem::Overflow)?;
        Ok(LineAmounts { net, vat, gross })
    }
}

/// The totals of a document's lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    /// Per KDV rate: the net base and the KDV on it, as an invoice lists them.
    pub by_rate: BTreeMap<VatRate, (Decimal, Decimal)>,
}

/// Sums the lines; the first line that cannot be priced is reported with its index.
pub fn totals(lines: &[Line]) -> Result<Totals, (usize, LineProblem)> {
    let mut t = Totals::default();
    for (i, line) in lines.iter().enumerate() {
        let a = line.amounts().map_err(|p| (i, p))?;
        let overflow = |_| (i, LineProblem::Overflow);
        t.net = t.net.checked_add(a.net).ok_or(()).map_err(overflow)?;
        t.vat = t.vat.checked_add(a.vat).ok_or(()).map_err(overflow)?;
        t.gross = t.gross.checked_add(a.gross).ok_or(()).map_err(overflow)?;
        let entry = t.by_rate.entry(line.vat).or_default();
        entry.0 += a.net;
        entry.1 += a.vat;
    }
    Ok(t)
}

/// Formats an amount the Turkish way: `1.234.567,89 ₺` (dot thousands, comma decimals).
pub fn format_tr(amount: Decimal, currency: Currency) -> String {
    let rounded = round_to_cents(amount);
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let grouped = crate::text::group_thousands(int, '.');
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped},{frac} {}", currency.symbol())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(q: &str, p: &str, disc: &str, vat: VatRate) -> Line {
        Line {
            quantity: d(q),
            unit_price: d(p),
            discount_percent: d(disc),
            vat,
        }
    }

    #[test]
    fn a_line_rounds_net_and_vat_to_kurus_half_away_from_zero() {
        // 3 × 33,335 = 100,005 → 100,01; KDV 20 % = 20,002 → 20,00.
        let a = line("3", "33.335", "0", VatRate::Twenty).amounts().unwrap();
        assert_eq!(
            (a.net, a.vat, a.gross),
            (d("100.01"), d("20.00"), d("120.01"))
        );
        // 10 % off 0,25 → 0,225 → 0,23 (half away from zero, not banker's 0,22).
        let a = line("1", "0.25", "10", VatRate::One).amounts().unwrap();
        assert_eq!(a.net, d("0.23"));
        assert_eq!(a.vat, d("0.00"));
    }

    #[test]
    fn floats_would_get_this_wrong_decimals_do_not() {
        // 0.1 + 0.2 style: ten lines of 0,10 are exactly 1,00.
        let lines: Vec<Line> = (0..10)
            .map(|_| line("1", "0.10", "0", VatRate::Ten))
            .collect();
        let t = totals(&lines).unwrap();
        assert_eq!(t.net, d("1.00"));
        assert_eq!(t.vat, d("0.10"));
        assert_eq!(t.gross, d("1.10"));
    }

    #[test]
    fn totals_add_up_the_printed_lines_and_group_by_rate() {
        let lines = [
            line("2", "149.90", "0", VatRate::Twenty),
            line("1.5", "80", "12.5", VatRate::Ten),
            line("10", "4.99", "0", VatRate::One),
        ];
        let t = totals(&lines).unwrap();
        let sum: Decimal = lines.iter().map(|l| l.amounts().unwrap().gross).sum();
        assert_eq!(t.gross, sum);
        assert_eq!(t.net + t.vat, t.gross);
        assert_eq!(t.by_rate[&VatRate::Twenty], (d("299.80"), d("59.96")));
        assert_eq!(t.by_rate[&VatRate::Ten], (d("105.00"), d("10.50")));
        assert_eq!(t.by_rate[&VatRate::One], (d("49.90"), d("0.50")));
    }

    #[test]
    fn bad_lines_are_named_not_priced() {
        let lines = [
            line("1", "10", "0", VatRate::Ten),
            line("1", "10", "120", VatRate::Ten),
        ];
        assert_eq!(totals(&lines), Err((1, LineProblem::DiscountOutOfRange)));
        assert_eq!(
            line("-1", "10", "0", VatRate::Ten).amounts(),
            Err(LineProblem::NegativeQuantity)
        );
        assert_eq!(
            line("1", "-10", "0", VatRate::Ten).amounts(),
            Err(LineProblem::NegativePrice)
        );
        let huge = line("79228162514264337593543950335", "2", "0", VatRate::Ten);
        assert_eq!(huge.amounts(), Err(LineProblem::Overflow));
    }

    #[test]
    fn amounts_print_the_turkish_way() {
        assert_eq!(format_tr(d("1234567.891"), Currency::Try), "1.234.567,89 ₺");
        assert_eq!(format_tr(d("0.5"), Currency::Eur), "0,50 €");
        assert_eq!(format_tr(d("-999.995"), Currency::Usd), "-1.000,00 $");
        assert_eq!(format_tr(d("-0.001"), Currency::Try), "0,00 ₺");
        assert_eq!(Currency::from_code("try"), Some(Currency::Try));
        assert_eq!(
            VatRate::from_percent(18),
            None,
            "18 % is no longer a KDV rate"
        );
    }
}
