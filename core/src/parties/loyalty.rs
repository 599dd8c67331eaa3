//! Loyalty: a workspace programme (points per 100 TRY of paid invoices, tiers by points
//! earned) and each account's append-only points ledger.
//!
//! The ledger only grows, so entries added on two offline devices are all kept.
//! Earnings name the invoice they come from and count once per invoice however many
//! devices recorded them (the earliest entry counts); redemptions carry their own IDs
//! and all count. A balance that two offline redemptions drove below zero is reported,
//! not hidden.

use autosurgeon::{Hydrate, Reconcile};
use rust_decimal::Decimal;

use crate::record::EditContext;
use crate::record::value::hydrate_any_string;
use crate::text::validate::Problem;

/// A tier of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Tier {
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub name: String,
    /// Points earned (in all) from which the tier holds.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub min_points: i64,
}

/// The default tiers: Bronz, Gümüş (1,000 points), Altın (5,000 points).
pub fn default_tiers() -> Vec<Tier> {
    [("Bronz", 0), ("Gümüş", 1_000), ("Altın", 5_000)]
        .into_iter()
        .map(|(name, min_points)| Tier {
            name: name.to_owned(),
            min_points,
        })
        .collect()
}

/// One ledger entry.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct LedgerEntry {
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub id: String,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub at: i64,
    /// Positive when earned, negative when redeemed.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub points: i64,
    /// For earnings, the invoice's document ID; empty for redemptions.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub invoice: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub note: String,
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub by: String,
}

/// The sums of a ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance {
    pub earned: i64,
    pub redeemed: i64,
}

impl Balance {
    pub fn points(&self) -> i64 {
        self.earned - self.redeemed
    }
}

/// The entries that count: one earning per invoice (the earliest), every redemption.
pub fn counted(ledger: &[LedgerEntry]) -> Vec<&LedgerEntry> {
    let mut earned: std::collections::HashMap<&str, &LedgerEntry> = Default::default();
    let mut out = Vec::new();
    for e in ledger {
        if e.invoice.is_empty() {
            out.push(e);
        } else {
            let keep = earned.entry(&e.invoice).or_insert(e);
            if (e.at, &e.id) < (keep.at, &keep.id) {
                *keep = e;
            }
        }
    }
    out.extend(earned.into_values());
    out.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out
}

pub fn balance(ledger: &[LedgerEntry]) -> Balance {
    let mut b = Balance::default();
    for e in counted(ledger) {
        if e.points >= 0 {
            b.earned += e.points;
        } else {
            b.redeemed -= e.points;
        }
    }
    b
}

/// Points for a paid invoice of `gross_try`: `per_100` points per full 100 TRY.
pub fn points_for(gross_try: Decimal, per_100: i64) -> i64 {
    let hundreds = (gross_try / Decimal::from(100)).trunc();
    i64::try_from(hundreds.mantissa() / 10i128.pow(hundreds.scale()))
        .unwrap_or(0)
        .saturating_mul(per_100.max(0))
}

/// The earning for a paid invoice, unless the ledger has it or it is worth nothing.
pub fn earn(
    ledger: &[LedgerEntry],
    invoice: &str,
    gross_try: Decimal,
    per_100: i64,
    id: String,
    ctx: &EditContext,
) -> Option<LedgerEntry> {
    let points = points_for(gross_try, per_100);
    if points <= 0 || ledger.iter().any(|e| e.invoice == invoice) {
        return None;
    }
    Some(LedgerEntry {
        id,
        at: ctx.now_ms,
        points,
        invoice: invoice.to_owned(),
        note: String::new(),
        by: ctx.user.clone(),
    })
}

/// A redemption of `points` (typed), within the balance.
pub fn redeem(
    ledger: &[LedgerEntry],
    points: &str,
    note: &str,
    id: String,
    ctx: &EditContext,
) -> Result<LedgerEntry, Problem> {
    let points: i64 = points
        .trim()
        .replace('.', "")
        .parse()
        .map_err(|_| Problem::InvalidNumber)?;
    let available = balance(ledger).points();
    if points <= 0 || points > available {
        return Err(Problem::NumberOutOfRange {
            min: 1,
            max: available.max(0),
        });
    }
    Ok(LedgerEntry {
        id,
        at: ctx.now_ms,
        points: -points,
        invoice: String::new(),
        note: crate::text::validate::optional_text(note)?,
        by: ctx.user.clone(),
    })
}

/// The tier `earned` points reach.
pub fn tier(tiers: &[Tier], earned: i64) -> Option<&Tier> {
    tiers
        .iter()
        .filter(|t| t.min_points <= earned)
        .max_by_key(|t| t.min_points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parties::account::Account;
    use crate::record::{RecordType, create, read, write};

    #[test]
    fn two_offline_devices_neither_double_count_nor_lose_points() {
        let ctx = |at| EditContext::new("u1", at);
        let mut account = Account::blank(&ctx(0));
        account.name = "Ege Tekstil".into();
        let first = earn(
            &[],
            "INV-1",
            Decimal::new(250_000, 2),
            10,
            "e1".into(),
            &ctx(1),
        )
        .unwrap();
        assert_eq!(first.points, 250, "2,500 TRY at 10 points per 100 TRY");
        account.loyalty.push(first);
        let base = create(&account).unwrap();
        let (mut shop, mut office) = (base.fork(), base.fork());

        // Both devices see invoice 2 paid and record its points; each redeems some.
        for (doc, id, at) in [(&mut shop, "a", 10), (&mut office, "b", 20)] {
            let mut a: Account = read(doc).unwrap();
            let earned = earn(
                &a.loyalty,
                "INV-2",
                Decimal::from(1000),
                10,
                format!("e2{id}"),
                &ctx(at),
            )
            .unwrap();
            a.loyalty.push(earned);
            let spent = redeem(
                &a.loyalty,
                "100",
                "Hediye çeki",
                format!("r{id}"),
                &ctx(at + 1),
            )
            .unwrap();
            a.loyalty.push(spent);
            write(doc, &a).unwrap();
        }
        shop.merge(&mut office).unwrap();
        let merged: Account = read(&shop).unwrap();
        assert_eq!(merged.loyalty.len(), 5, "nothing lost");
        let b = balance(&merged.loyalty);
        assert_eq!(b.earned, 350, "invoice 2 counted once");
        assert_eq!(b.redeemed, 200, "both redemptions count");
        assert_eq!(b.points(), 150);
        assert_eq!(tier(&default_tiers(), b.earned).unwrap().name, "Bronz");
        assert!(
            earn(
                &merged.loyalty,
                "INV-2",
                Decimal::from(1000),
                10,
                "x".into(),
                &ctx(30)
            )
            .is_none()
        );
    }

    #[test]
    fn redemptions_stay_within_the_balance() {
        let ctx = EditContext::new("u1", 1);
        let ledger = vec![earn(&[], "I", Decimal::from(5_000), 1, "e".into(), &ctx).unwrap()];
        assert_eq!(balance(&ledger).points(), 50);
        assert_eq!(
            redeem(&ledger, "60", "", "r".into(), &ctx),
            Err(Problem::NumberOutOfRange { min: 1, max: 50 })
        );
        assert_eq!(
            redeem(&ledger, "çok", "", "r".into(), &ctx),
            Err(Problem::InvalidNumber)
        );
        assert_eq!(
            redeem(&ledger, "50", "", "r".into(), &ctx).unwrap().points,
            -50
        );
        assert_eq!(points_for(Decimal::new(9_999, 2), 10), 0);
        assert_eq!(tier(&default_tiers(), 1_000).unwrap().name, "Gümüş");
    }
}
