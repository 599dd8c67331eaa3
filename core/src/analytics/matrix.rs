//! The satisfaction–loyalty matrix: each customer's satisfaction and loyalty over a
//! period, and the four groups our source texts describe.
//!
//! **Satisfaction** (0–100) is the mean of the opinions the account's customers gave in
//! the period ([`super::signals::Score::points`]: survey answers 1–5 and case ratings
//! 1–5 as 0/25/50/75/100, recommendation answers 0–10 × 10). An account with no opinion
//! in the period has **no data**: it is counted apart and never placed in a group.
//!
//! **Loyalty** (0–100) blends repeat purchase, tenure and recommendation:
//! - *repeat*: the period is cut in four equal parts; 25 for each part with a sale;
//! - *tenure*: days since the first sale ever, 100 at three years or more;
//! - *recommendation*: the latest NPS answer in the period × 10.
//!
//! With an NPS answer: 60 % repeat + 20 % tenure + 20 % recommendation; without one:
//! 75 % repeat + 25 % tenure. The **groups**: 1 *dangerous* (dissatisfied and disloyal),
//! 2 *captive* (loyal but dissatisfied — a hostage of habit or of no alternative),
//! 3 *mercenary* (satisfied but not loyal), 4 *advocate* (satisfied and loyal); the
//! thresholds are the workspace's ([`super::settings::AnalyticsSettings`]).
//!
//! Which accounts: those not in the bin with a sale or an opinion in the period, and
//! every account whose customer type is *current*.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use super::settings::AnalyticsSettings;
use super::signals::{Score, Signals};
use crate::parties::account::CustomerType;
use crate::time::civil::Date;

const DAY_MS: i64 = 86_400_000;

/// A group of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// 1: dissatisfied and disloyal.
    Dangerous,
    /// 2: loyal but dissatisfied.
    Captive,
    /// 3: satisfied but not loyal.
    Mercenary,
    /// 4: satisfied and loyal.
    Advocate,
}

/// The segment filter's choices: the groups' codes in the order of [`Group`], then
/// [`NO_DATA`]. Kept with the segment, which records hold (records do not depend on the
/// reports).
pub const FILTER_CODES: &[&str] = crate::engagement::segment::LOYALTY_GROUPS;
/// The segment filter's code for accounts without satisfaction data.
pub const NO_DATA: &str = FILTER_CODES[4];

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Dangerous,
        Group::Captive,
        Group::Mercenary,
        Group::Advocate,
    ];

    pub fn of(satisfied: bool, loyal: bool) -> Group {
        match (satisfied, loyal) {
            (false, false) => Group::Dangerous,
            (false, true) => Group::Captive,
            (true, false) => Group::Mercenary,
            (true, true) => Group::Advocate,
        }
    }

    pub fn code(self) -> &'static str {
        FILTER_CODES[self as usize]
    }

    pub fn from_code(code: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// The parts of an account's loyalty score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loyalty {
    /// 0, 25, 50, 75 or 100.
    pub repeat: i64,
    pub tenure: i64,
    /// The latest NPS answer × 10.
    pub recommendation: Option<i64>,
}

impl Loyalty {
    /// The blended score, 0–100.
    pub fn score(&self) -> i64 {
        match self.recommendation {
            Some(r) => (60 * self.repeat + 20 * self.tenure + 20 * r) / 100,
            None => (75 * self.repeat + 25 * self.tenure) / 100,
        }
    }
}

/// One account's place in the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub account: String,
    /// Mean opinion 0–100, `None` without an opinion in the period.
    pub satisfaction: Option<i64>,
    /// Opinions in the period.
    pub opinions: usize,
    pub loyalty: Loyalty,
    /// `None` when there is no satisfaction data.
    pub group: Option<Group>,
}

/// The matrix over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Every account counted, by group (no data last), then by account ID.
    pub standings: Vec<Standing>,
    /// Accounts per group, in the order of [`Group::ALL`].
    pub counts: [usize; 4],
    /// Accounts without satisfaction data.
    pub no_data: usize,
    pub satisfied_from: i64,
    pub loyal_from: i64,
    /// The first day of the period, `YYYY-MM-DD`.
    pub since: String,
}

impl Matrix {
    /// The matrix of `signals` on `today` with the workspace's `settings`.
    pub fn compute(signals: &Signals<'_>, settings: &AnalyticsSettings, today: Date) -> Matrix {
        let today_day = today.days_since_epoch();
        let start = today
            .add_months(-settings.matrix_months.clamp(1, 60))
            .unwrap_or(today);
        let start_day = start.days_since_epoch();
        let span = (today_day - start_day + 1).max(1);
        // Sale days per account: the first ever, and the parts of the period with one.
        let mut first_sale: FxHashMap<&str, i64> = FxHashMap::default();
        let mut parts: FxHashMap<&str, [bool; 4]> = FxHashMap::default();
        let counted = signals.sales();
        for sale in &counted {
            let Some(day) = sale.figures.day else {
                continue;
            };
            let account = sale.account();
            if account.is_empty() || day > today_day {
                continue;
            }
            let first = first_sale.entry(account).or_insert(day);
            *first = (*first).min(day);
            if day >= start_day {
                let part = ((day - start_day) * 4 / span).clamp(0, 3) as usize;
                parts.entry(account).or_default()[part] = true;
            }
        }
        // Opinions in the period, and each account's latest NPS answer.
        let since_ms = start_day * DAY_MS;
        let until_ms = (today_day + 1) * DAY_MS;
        let mut opinions: FxHashMap<&str, (i64, usize)> = FxHashMap::default();
        let mut latest_nps: FxHashMap<&str, (i64, i64)> = FxHashMap::default();
        for o in &signals.opinions {
            if o.at < since_ms || o.at >= until_ms {
                continue;
            }
            let e = opinions.entry(o.account.as_str()).or_default();
            e.0 += o.score.points();
            e.1 += 1;
            if let Score::Nps(_) = o.score {
                let n = latest_nps.entry(o.account.as_str()).or_insert((o.at, 0));
                if o.at >= n.0 {
                    *n = (o.at, o.score.points());
                }
            }
        }
        let mut standings: BTreeMap<(u8, String), Standing> = BTreeMap::new();
        for (id, account) in &signals.accounts {
            let id: &str = id;
            let in_scope = parts.contains_key(id)
                || opinions.contains_key(id)
                || account.customer_type == CustomerType::Current;
            if !in_scope {
                continue;
            }
            let repeat = parts
                .get(id)
                .map_or(0, |p| p.iter().filter(|x| **x).count() as i64 * 25);
            let tenure = first_sale.get(id).map_or(0, |first| {
                (today_day - first).clamp(0, 3 * 365) * 100 / (3 * 365)
            });
            let loyalty = Loyalty {
                repeat,
                tenure,
                recommendation: latest_nps.get(id).map(|n| n.1),
            };
            let satisfaction = opinions.get(id).map(|(sum, n)| sum / *n as i64);
            let group = satisfaction.map(|s| {
                Group::of(
                    s >= settings.satisfied_from,
                    loyalty.score() >= settings.loyal_from,
                )
            });
            let order = group.map_or(4, |g| g as u8);
            standings.insert(
                (order, id.to_owned()),
                Standing {
                    account: id.to_owned(),
                    satisfaction,
                    opinions: opinions.get(id).map_or(0, |o| o.1),
                    loyalty,
                    group,
                },
            );
        }
        let mut counts = [0; 4];
        let mut no_data = 0;
        for s in standings.values() {
            match s.group {
                Some(g) => counts[g as usize] += 1,
                None => no_data += 1,
            }
        }
        Matrix {
            standings: standings.into_values().collect(),
            counts,
            no_data,
            satisfied_from: settings.satisfied_from,
            loyal_from: settings.loyal_from,
            since: start.to_string(),
        }
    }

    /// The group code of each account counted ([`NO_DATA`] without satisfaction data).
    pub fn codes(&self) -> HashMap<String, &'static str> {
        self.standings
            .iter()
            .map(|s| (s.account.clone(), s.group.map_or(NO_DATA, Group::code)))
            .collect()
    }
}

#[cfg(test)]
mod tests;
