//! What the reports read from the records, gathered in one pass: the orders' and
//! invoices' [`Ledger`] (given by a caller that keeps one, else read here), the live
//! accounts, and every opinion a customer gave — satisfaction-survey
//! answers (CSAT 1–5), recommendation answers (NPS 0–10) and the rating given when a
//! case closed (1–5) — each tied to its account (a contact's answer counts for the
//! contact's account).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::ledger::{Ledger, Sale};

use crate::kinds::Record;
use crate::parties::account::Account;
use crate::sales::document::{INVOICE, ORDER, SalesDocument};

/// One opinion's score, on its own scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Score {
    /// A satisfaction-survey answer, 1–5.
    Csat(u8),
    /// A recommendation answer, 0–10.
    Nps(u8),
    /// The rating given when a case closed, 1–5.
    CaseRating(u8),
}

impl Score {
    /// The score on one 0–100 scale: 1–5 → 0, 25, 50, 75, 100; 0–10 → 0–100.
    pub fn points(self) -> i64 {
        match self {
            Score::Csat(s) | Score::CaseRating(s) => (i64::from(s.clamp(1, 5)) - 1) * 25,
            Score::Nps(s) => i64::from(s.min(10)) * 10,
        }
    }
}

/// An opinion an account's customer gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    pub account: String,
    /// When, ms since the epoch.
    pub at: i64,
    pub score: Score,
}

/// The records the reports read, by ID.
#[derive(Debug, Clone, Default)]
pub struct Signals<'a> {
    /// Orders' and invoices' figures (in the bin too: [`Ledger::sales`] leaves them out).
    pub ledger: Cow<'a, Ledger>,
    /// Accounts not in the bin.
    pub accounts: Vec<(&'a str, &'a Account)>,
    pub opinions: Vec<Opinion>,
}

/// The record as a sale document, when it is an order or an invoice: what every sales
/// report starts from (whether it counts is [`Ledger::sales`]' rule).
pub fn as_sale_document(record: &Record) -> Option<&SalesDocument> {
    match record {
        Record::Sales(d) if d.common.kind == ORDER || d.common.kind == INVOICE => Some(d),
        _ => None,
    }
}

impl<'a> Signals<'a> {
    /// Gathers the signals of `records` (ID, record), reading their orders and invoices.
    pub fn gather<K: AsRef<str>>(records: &'a [(K, &'a Record)]) -> Signals<'a> {
        Signals::gather_with(records, Cow::Owned(Ledger::of_records(records)))
    }

    /// Gathers the signals of `records` with `ledger`, their orders' and invoices'
    /// figures kept by the caller.
    pub fn gather_with<K: AsRef<str>>(
        records: &'a [(K, &'a Record)],
        ledger: Cow<'a, Ledger>,
    ) -> Signals<'a> {
        let mut signals = Signals {
            ledger,
            accounts: Vec::new(),
            opinions: Vec::new(),
        };
        let account_of: FxHashMap<&str, &str> = records
            .iter()
            .filter_map(|(id, r)| match r {
                Record::Contact(c) if !c.account.is_empty() => {
                    Some((id.as_ref(), c.account.as_str()))
                }
                _ => None,
            })
            .collect();
        for (id, record) in records {
            if as_sale_document(record).is_some() {
                continue;
            }
            match record {
                Record::Account(a) if !a.common.is_deleted() => {
                    signals.accounts.push((id.as_ref(), a));
                }
                Record::Campaign(c) if !c.common.is_deleted() => {
                    let score: fn(i64) -> Option<Score> = match c.survey.as_str() {
                        "csat" => |s| {
                            u8::try_from(s)
                                .ok()
                                .filter(|s| (1..=5).contains(s))
                                .map(Score::Csat)
                        },
                        "nps" => |s| u8::try_from(s).ok().filter(|s| *s <= 10).map(Score::Nps),
                        _ => continue,
                    };
                    for (person, response) in &c.responses {
                        let account = account_of.get(person.as_str()).copied().unwrap_or(person);
                        if let Some(score) = score(response.score) {
                            signals.opinions.push(Opinion {
                                account: account.to_owned(),
                                at: response.at,
                                score,
                            });
                        }
                    }
                }
                Record::Case(c) if !c.common.is_deleted() && !c.account.is_empty() => {
                    if let Some(rating) = c.rating() {
                        signals.opinions.push(Opinion {
                            account: c.account.clone(),
                            at: c.resolved_at().unwrap_or(c.common.created_at),
                            score: Score::CaseRating(rating),
                        });
                    }
                }
                _ => {}
            }
        }
        signals
    }
}

impl Signals<'_> {
    /// The sales, by the ledger's rule.
    pub fn sales(&self) -> Vec<Sale<'_>> {
        self.ledger.sales()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_share_one_scale() {
        assert_eq!(Score::Csat(1).points(), 0);
        assert_eq!(Score::Csat(4).points(), 75);
        assert_eq!(Score::CaseRating(5).points(), 100);
        assert_eq!(Score::Nps(7).points(), 70);
        assert_eq!(Score::Nps(10).points(), 100);
    }
}
