//! Document numbers that stay unique across devices that work offline: invoices,
//! quotes and orders each have their own [`Series`].
//!
//! The server keeps one counter per workspace, series and year and hands out blocks of
//! consecutive numbers ([`NumberBlock`]); each device keeps the blocks it was given in a
//! [`NumberBook`] and numbers from them, online or not. Two devices never hold the same
//! block, so they never give out the same number; a block not used up leaves a gap,
//! which is allowed for e-Arşiv numbering as long as numbers never repeat. Invoice
//! numbers follow the Turkish e-invoice layout: a three-letter prefix, the year, nine
//! digits (`SAH2026000000042`); quotes and orders read as `TKL-2026-00042` and
//! `SIP-2026-00042`, short enough to say on the phone.

use serde::{Deserialize, Serialize};

/// Numbers per block handed to a device.
pub const BLOCK_SIZE: u64 = 50;
/// A device asks for a new block when fewer numbers than this are left for the year.
pub const REFILL_BELOW: u64 = 10;
/// The prefix of every invoice number.
pub const PREFIX: &str = "SAH";

/// What a run of numbers is for; each series counts on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Series {
    /// Invoices, numbered when issued.
    #[default]
    Invoice,
    /// Quotes, numbered when created; a revision keeps its quote's number.
    Quote,
    /// Orders, numbered when created.
    Order,
}

impl Series {
    pub const ALL: [Series; 3] = [Series::Invoice, Series::Quote, Series::Order];

    /// The series of a sales document kind, if it is numbered.
    pub fn of_kind(kind: &str) -> Option<Series> {
        match kind {
            crate::sales::document::INVOICE => Some(Series::Invoice),
            crate::sales::document::QUOTE => Some(Series::Quote),
            crate::sales::document::ORDER => Some(Series::Order),
            _ => None,
        }
    }

    /// Stable code (API, storage keys).
    pub fn code(self) -> &'static str {
        match self {
            Series::Invoice => "invoice",
            Series::Quote => "quote",
            Series::Order => "order",
        }
    }

    /// The number `number` of `year` in this series.
    pub fn format(self, year: i32, number: u64) -> String {
        match self {
            Series::Invoice => format(year, number),
            Series::Quote => format!("TKL-{year:04}-{number:05}"),
            Series::Order => format!("SIP-{year:04}-{number:05}"),
        }
    }
}

/// Consecutive numbers `first..=last` of one series and year, reserved for one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberBlock {
    /// Books stored before quotes and orders were numbered hold invoice blocks.
    #[serde(default)]
    pub series: Series,
    pub year: i32,
    pub first: u64,
    pub last: u64,
}

/// The blocks a device holds and the next number of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberBook {
    /// Blocks with numbers left, oldest first, with the next unused number.
    blocks: Vec<(NumberBlock, u64)>,
}

impl NumberBook {
    /// Adds a block the server reserved for this device.
    pub fn add(&mut self, block: NumberBlock) {
        if block.first <= block.last && !self.blocks.iter().any(|(b, _)| *b == block) {
            self.blocks.push((block, block.first));
        }
    }

    /// Numbers of `series` left for `year`.
    pub fn remaining(&self, series: Series, year: i32) -> u64 {
        self.blocks
            .iter()
            .filter(|(b, _)| b.series == series && b.year == year)
            .map(|(b, next)| b.last + 1 - next)
            .sum()
    }

    /// Whether the device should ask for another block of `series` for `year`.
    pub fn needs_refill(&self, series: Series, year: i32) -> bool {
        self.remaining(series, year) < REFILL_BELOW
    }

    /// Takes the next number of `series` and `year`, or `None` when the device has none
    /// left (it must reach the server first). The book must be stored before the number
    /// is used.
    pub fn take(&mut self, series: Series, year: i32) -> Option<String> {
        let (block, next) = self
            .blocks
            .iter_mut()
            .find(|(b, next)| b.series == series && b.year == year && *next <= b.last)?;
        let number = *next;
        *next += 1;
        let year = block.year;
        self.blocks.retain(|(b, next)| *next <= b.last);
        Some(series.format(year, number))
    }
}

/// An invoice number: `SAH` + year + nine digits.
pub fn format(year: i32, number: u64) -> String {
    format!("{PREFIX}{year:04}{number:09}")
}

/// The year of a `YYYY-MM-DD` date.
pub fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The server's side: a counter per year, handing out blocks.
    struct Counter(u64);

    impl Counter {
        fn reserve(&mut self, year: i32) -> NumberBlock {
            let first = self.0 + 1;
            self.0 += BLOCK_SIZE;
            NumberBlock {
                series: Series::Invoice,
                year,
                first,
                last: self.0,
            }
        }
    }

    #[test]
    fn two_offline_devices_never_issue_the_same_number() {
        let mut server = Counter(0);
        let (mut phone, mut tablet) = (NumberBook::default(), NumberBook::default());
        phone.add(server.reserve(2026));
        tablet.add(server.reserve(2026));
        // Both go offline and issue until they run out, refilling whenever they are
        // back online (here: every 30 invoices, in turns).
        let mut issued = HashSet::new();
        for _round in 0..10 {
            for book in [&mut phone, &mut tablet] {
                for _ in 0..30 {
                    match book.take(Series::Invoice, 2026) {
                        Some(number) => assert!(issued.insert(number), "a number was issued twice"),
                        None => break,
                    }
                }
                if book.needs_refill(Series::Invoice, 2026) {
                    book.add(server.reserve(2026));
                }
            }
        }
        assert!(issued.len() > 300);
        assert!(issued.contains("SAH2026000000001") && issued.contains("SAH2026000000051"));
    }

    #[test]
    fn a_device_without_numbers_for_the_year_cannot_issue() {
        let mut book = NumberBook::default();
        assert_eq!(book.take(Series::Invoice, 2026), None);
        book.add(NumberBlock {
            series: Series::Invoice,
            year: 2026,
            first: 7,
            last: 8,
        });
        book.add(NumberBlock {
            series: Series::Invoice,
            year: 2026,
            first: 7,
            last: 8,
        });
        assert_eq!(book.remaining(Series::Invoice, 2026), 2);
        assert_eq!(book.take(Series::Invoice, 2027), None);
        assert_eq!(
            book.take(Series::Invoice, 2026).as_deref(),
            Some("SAH2026000000007")
        );
        assert_eq!(
            book.take(Series::Invoice, 2026).as_deref(),
            Some("SAH2026000000008")
        );
        assert_eq!(book.take(Series::Invoice, 2026), None);
        assert!(book.needs_refill(Series::Invoice, 2026));
        // The book survives storage as JSON.
        book.add(NumberBlock {
            series: Series::Invoice,
            year: 2026,
            first: 51,
            last: 100,
        });
        let stored: NumberBook =
            serde_json::from_str(&serde_json::to_string(&book).unwrap()).unwrap();
        assert_eq!(stored, book);
        assert_eq!(year_of("2026-11-24"), Some(2026));
    }

    #[test]
    fn each_series_counts_on_its_own_and_old_books_still_read() {
        let mut book = NumberBook::default();
        for series in Series::ALL {
            book.add(NumberBlock {
                series,
                year: 2026,
                first: 1,
                last: 50,
            });
        }
        assert_eq!(
            book.take(Series::Quote, 2026).as_deref(),
            Some("TKL-2026-00001")
        );
        assert_eq!(
            book.take(Series::Quote, 2026).as_deref(),
            Some("TKL-2026-00002")
        );
        assert_eq!(
            book.take(Series::Order, 2026).as_deref(),
            Some("SIP-2026-00001")
        );
        assert_eq!(
            book.take(Series::Invoice, 2026).as_deref(),
            Some("SAH2026000000001")
        );
        assert_eq!(book.remaining(Series::Quote, 2026), 48);
        // A book stored before series existed holds invoice blocks.
        let old = r#"{"blocks":[[{"year":2026,"first":101,"last":150},101]]}"#;
        let mut old: NumberBook = serde_json::from_str(old).unwrap();
        assert_eq!(old.remaining(Series::Quote, 2026), 0);
        assert_eq!(
            old.take(Series::Invoice, 2026).as_deref(),
            Some("SAH2026000000101")
        );
        assert_eq!(Series::of_kind("quote"), Some(Series::Quote));
        assert_eq!(Series::of_kind("account"), None);
    }
}
