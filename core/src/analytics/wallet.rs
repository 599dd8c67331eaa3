//! Share of wallet: how much of what a customer could buy in a year it buys from us —
//! its TRY revenue over the last twelve months against the annual purchasing potential
//! recorded on the account (an estimate the account planner keeps, not guessed here).

use rust_decimal::Decimal;

use super::ledger::Sale;
use super::profit::by_account;
use crate::sales::money::Currency;
use crate::time::civil::Date;

/// An account's share of wallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    /// TRY revenue (net of discount) from sales in the last twelve months.
    pub revenue: Decimal,
    /// The account's annual potential in TRY, when recorded and positive.
    pub potential: Option<Decimal>,
}

impl Wallet {
    /// Revenue ÷ potential in percent, one decimal (above 100 when the potential was
    /// set too low); `None` without a potential.
    pub fn share_percent(&self) -> Option<Decimal> {
        self.potential.map(|p| {
            let mut share = self.revenue * Decimal::ONE_HUNDRED / p;
            share.rescale(1);
            share
        })
    }
}

/// The share of wallet of `account` on `today` from `sales`, against `potential` (the
/// account's `annual_potential` text).
pub fn share_of_wallet(sales: &[Sale<'_>], account: &str, potential: &str, today: Date) -> Wallet {
    let since = today.add_months(-12).unwrap_or(today).to_string();
    let today = today.to_string();
    let recent: Vec<Sale<'_>> = sales
        .iter()
        .filter(|s| s.account() == account && s.date > since.as_str() && s.date <= today.as_str())
        .copied()
        .collect();
    let revenue = by_account(&recent)
        .into_iter()
        .filter(|p| p.currency == Currency::Try)
        .map(|p| p.revenue)
        .sum();
    Wallet {
        revenue,
        potential: potential
            .trim()
            .parse::<Decimal>()
            .ok()
            .filter(|p| *p > Decimal::ZERO),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sales::document::SalesDocument;

    fn invoice(account: &str, date: &str, net: &str) -> SalesDocument {
        let mut d = SalesDocument::new(
            crate::sales::document::INVOICE,
            &crate::record::EditContext::new("u", 0),
        );
        d.account = account.into();
        d.issue_date = date.into();
        d.status = "issued".into();
        d.lines.insert(
            "l1".into(),
            crate::sales::document::LineItem {
                quantity: "1".into(),
                unit_price: net.into(),
                vat: 20,
                ..Default::default()
            },
        );
        d
    }

    #[test]
    fn share_is_twelve_months_of_revenue_over_the_potential() {
        let docs = [
            invoice("a", "2026-01-10", "300"),
            invoice("a", "2025-02-01", "999"),
            invoice("b", "2026-02-01", "500"),
        ];
        let pairs: Vec<(&str, &SalesDocument)> = ["x", "y", "z"].into_iter().zip(&docs).collect();
        let ledger = crate::analytics::ledger::Ledger::of(&pairs);
        let sales = ledger.sales();
        let today = Date::parse("2026-03-01").unwrap();
        let w = share_of_wallet(&sales, "a", "1200", today);
        assert_eq!(w.revenue, Decimal::from(300));
        assert_eq!(w.share_percent(), Some(Decimal::new(250, 1)));
        let none = share_of_wallet(&sales, "a", "", today);
        assert_eq!(none.share_percent(), None);
        assert_eq!(share_of_wallet(&sales, "a", "-5", today).potential, None);
    }
}
