//! Team performance over a period: per rep (a record's owner), per team and for
//! everyone the caller may see.
//!
//! - **Won revenue**: the amounts of TRY opportunities whose last move to *won* falls
//!   in the period (other currencies are counted apart), against the **goal**: the sum
//!   of the rep's goals for the months that start in the period
//!   ([`SalesGoal`], set by admins).
//! - **Win rate**: won ÷ (won + lost), over opportunities *closed in the period*; open
//!   deals are not in it.
//! - **Median sales cycle**: days from an opportunity's creation to its win, over those
//!   won in the period.
//! - **Weighted pipeline**: today's open TRY opportunities, each amount × its stage's
//!   probability — a figure of now, not of the period.
//! - **Stage conversion**: of the opportunities that entered a stage in the period, how
//!   many later moved to a later stage (or won). Opportunities record when they entered
//!   each stage (their history), so this holds from when they were created.
//! - **Calls per working day**: calls the rep made in the period ÷ Monday–Friday days of
//!   the period up to today.
//! - **Case first response and resolution**: medians, in working time, over the rep's
//!   cases created in the period that got one.
//! - **NPS trend**: per month, % promoters (9–10) − % detractors (0–6) over the answers
//!   to NPS surveys that month (the six months up to the period's end).

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use rust_decimal::Decimal;

use crate::kinds::Record;
use crate::record::value::hydrate_any_string;
use crate::sales::money::Currency;
use crate::sales::opportunity::{LOST, Opportunity, Stage, WON};
use crate::service::case::SlaTarget;
use crate::time::civil::{Date, Zone};
use crate::time::working_time::WorkingCalendar;

/// A rep's revenue goal for a month, in TRY.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct SalesGoal {
    /// The member's user ID.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub member: String,
    /// `YYYY-MM`.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub month: String,
    /// TRY, a decimal number.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub amount: String,
}

/// The period of a report: from the first day to the last, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// This month, last month, this quarter or this year around `today` (by code:
    /// `month`, `last_month`, `quarter`, `year`); `None` for another code.
    pub fn named(code: &str, today: Date) -> Option<Period> {
        let first = |y: i32, m: u32| Date::new(y, m, 1);
        let (from, months) = match code {
            "month" => (first(today.year, today.month)?, 1),
            "last_month" => (first(today.year, today.month)?.add_months(-1)?, 1),
            "quarter" => (first(today.year, (today.month - 1) / 3 * 3 + 1)?, 3),
            "year" => (first(today.year, 1)?, 12),
            _ => return None,
        };
        let to = from.add_months(months)?.add_days(-1);
        Some(Period { from, to })
    }

    /// The days from `from` to `to` (`YYYY-MM-DD`, both included): a custom period of
    /// at most [`MAX_CUSTOM_DAYS`].
    pub fn custom(from: &str, to: &str) -> Result<Period, PeriodError> {
        let from_date = Date::parse(from.trim()).ok_or(PeriodError::NotADate)?;
        let to_date = Date::parse(to.trim()).ok_or(PeriodError::NotADate)?;
        if to_date < from_date {
            return Err(PeriodError::EndsBeforeItStarts);
        }
        if to_date.days_since_epoch() - from_date.days_since_epoch() >= MAX_CUSTOM_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period {
            from: from_date,
            to: to_date,
        })
    }
}

/// Days a custom period spans at most (five years).
pub const MAX_CUSTOM_DAYS: i64 = 5 * 366;

/// Why a custom period was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodError {
    #[error("a period's start and end are dates written YYYY-MM-DD")]
    NotADate,
    #[error("the period ends before it starts")]
    EndsBeforeItStarts,
    #[error("a period spans at most five years")]
    TooLong,
}

/// The codes [`Period::named`] knows, in the order the page offers them.
pub const PERIODS: &[&str] = &["month", "last_month", "quarter", "year"];

/// The figures of a rep, a team or everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub won_revenue: Decimal,
    pub won: usize,
    pub lost: usize,
    /// Won opportunities in another currency than TRY (not in the revenue).
    pub won_other_currencies: usize,
    /// `None` when no goal was set for the months of the period.
    pub goal: Option<Decimal>,
    pub weighted_pipeline: Decimal,
    pub median_cycle_days: Option<i64>,
    pub calls: usize,
    pub median_first_response_ms: Option<i64>,
    pub median_resolution_ms: Option<i64>,
}

impl Figures {
    /// Won ÷ closed, percent rounded down; `None` with nothing closed.
    pub fn win_rate_percent(&self) -> Option<usize> {
        let closed = self.won + self.lost;
        (closed > 0).then(|| self.won * 100 / closed)
    }

    /// Won revenue ÷ goal, percent, one decimal.
    pub fn goal_percent(&self) -> Option<Decimal> {
        self.goal.filter(|g| *g > Decimal::ZERO).map(|g| {
            let mut p = self.won_revenue * Decimal::ONE_HUNDRED / g;
            p.rescale(1);
            p
        })
    }
}

/// One step of the stage conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageStep {
    pub stage: String,
    /// Opportunities that entered the stage in the period.
    pub entered: usize,
    /// Of those, how many later moved to a later stage or won.
    pub moved_on: usize,
}

/// NPS of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpsMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub answers: usize,
    /// −100 to 100; `None` without answers.
    pub nps: Option<i64>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Performance {
    pub period: Period,
    /// Per rep (user ID), every rep with a figure or a goal.
    pub reps: BTreeMap<String, Figures>,
    /// Per team ID ("" for records without a team).
    pub teams: BTreeMap<String, Figures>,
    pub total: Figures,
    /// Monday–Friday days of the period up to today.
    pub working_days: i64,
    pub stages: Vec<StageStep>,
    pub nps: Vec<NpsMonth>,
}

/// What a rep, team or everyone gathers before the medians are taken.
#[derive(Default)]
struct Tally {
    figures: Figures,
    cycles: Vec<i64>,
    first: Vec<i64>,
    resolution: Vec<i64>,
}

fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    (!values.is_empty()).then(|| values[(values.len() - 1) / 2])
}

impl Tally {
    fn finish(self) -> Figures {
        Figures {
            median_cycle_days: median(self.cycles),
            median_first_response_ms: median(self.first),
            median_resolution_ms: median(self.resolution),
            ..self.figures
        }
    }
}

/// When the opportunity last moved to `stage` (ms), from its history; the stage it was
/// created in counts as entered when it was created.
fn entered_at(o: &Opportunity, stage: &str) -> Option<i64> {
    let moved = o
        .history
        .iter()
        .filter(|t| t.to == stage)
        .map(|t| t.at)
        .max();
    let created_in = match o.history.first() {
        Some(first) => first.from == stage,
        None => o.stage == stage,
    };
    moved.or((created_in && !stage.is_empty()).then_some(o.common.created_at))
}

/// Whose work a reader's report counts. Owners and admins read the workspace; a
/// manager, rep or agent reads their teams' records and their own — the records of other
/// members that the whole workspace shares (no team) are theirs to see on the lists, not
/// their team's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Workspace,
    Teams { member: String, teams: Vec<String> },
}

impl Audience {
    /// The audience of `member` with `role` in `teams`.
    pub fn of(member: &str, role: crate::access::Role, teams: &[String]) -> Audience {
        if role.administers() {
            Audience::Workspace
        } else {
            Audience::Teams {
                member: member.to_owned(),
                teams: teams.to_vec(),
            }
        }
    }

    /// Whether a record owned by `owner` in `team` counts.
    pub fn counts(&self, owner: &str, team: &str) -> bool {
        match self {
            Audience::Workspace => true,
            Audience::Teams { member, teams } => {
                owner == member || (!team.is_empty() && teams.iter().any(|t| t == team))
            }
        }
    }
}

/// Everything the report needs besides the records.
pub struct Context<'a> {
    pub period: Period,
    pub today: Date,
    /// Now, for the case clocks.
    pub now_ms: i64,
    pub zone: Zone,
    /// The workspace's pipeline (open stages, then won and lost).
    pub pipeline: &'a [Stage],
    pub goals: &'a [SalesGoal],
    pub sla: &'a [SlaTarget],
    pub calendar: &'a WorkingCalendar,
    /// Whose records count.
    pub audience: &'a Audience,
}

/// The team's performance over `records` (ID, record).
pub fn compute<K>(records: &[(K, &Record)], cx: &Context<'_>) -> Performance {
    let day_of = |ms: i64| cx.zone.local(ms).date;
    let mut reps: BTreeMap<String, Tally> = BTreeMap::new();
    let mut teams: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    // Applies `f` to the rep's, the team's and everyone's tally.
    let mut each = |owner: &str, team: &str, f: &dyn Fn(&mut Tally)| {
        for (tallies, key) in [(&mut reps, owner), (&mut teams, team)] {
            match tallies.get_mut(key) {
                Some(tally) => f(tally),
                None => f(tallies.entry(key.to_owned()).or_default()),
            }
        }
        f(&mut total);
    };
    let probability = |stage: &str| {
        cx.pipeline
            .iter()
            .find(|s| s.code == stage)
            .map_or(0, |s| s.probability)
    };
    let order_of = |stage: &str| cx.pipeline.iter().position(|s| s.code == stage);
    let mut stages: Vec<StageStep> = cx
        .pipeline
        .iter()
        .filter(|s| s.code != LOST)
        .map(|s| StageStep {
            stage: s.code.clone(),
            entered: 0,
            moved_on: 0,
        })
        .collect();
    let mut nps: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    let first_month = Date::new(cx.period.to.year, cx.period.to.month, 1)
        .and_then(|d| d.add_months(-5))
        .unwrap_or(cx.period.from);
    for (_, record) in records {
        if record.common().is_deleted() {
            continue;
        }
        let owner = record.common().owner.as_str();
        let team = record.common().team.as_str();
        if !cx.audience.counts(owner, team) {
            continue;
        }
        match record {
            Record::Opportunity(o) => {
                let amount = o.amount();
                let is_try = o.currency() == Currency::Try;
                if o.is_open() && is_try {
                    let weighted = crate::sales::money::round_to_cents(
                        amount * Decimal::from(probability(&o.stage)) / Decimal::ONE_HUNDRED,
                    );
                    each(owner, team, &|t| t.figures.weighted_pipeline += weighted);
                }
                if o.stage == WON
                    && let Some(at) = entered_at(o, WON)
                    && cx.period.contains(day_of(at))
                {
                    let days = (at - o.common.created_at).max(0) / 86_400_000;
                    each(owner, team, &|t| {
                        t.figures.won += 1;
                        if is_try {
                            t.figures.won_revenue += amount;
                        } else {
                            t.figures.won_other_currencies += 1;
                        }
                        t.cycles.push(days);
                    });
                }
                if o.stage == LOST
                    && let Some(at) = entered_at(o, LOST)
                    && cx.period.contains(day_of(at))
                {
                    each(owner, team, &|t| t.figures.lost += 1);
                }
                // Stage conversion: each stage entered in the period, and whether a
                // later stage (or won) was entered after it.
                for step in &mut stages {
                    let Some(at) = entered_at(o, &step.stage) else {
                        continue;
                    };
                    if !cx.period.contains(day_of(at)) {
                        continue;
                    }
                    step.entered += 1;
                    let here = order_of(&step.stage);
                    let moved = o.history.iter().any(|t| {
                        t.at >= at
                            && t.to != LOST
                            && order_of(&t.to)
                                .zip(here)
                                .is_some_and(|(to, from)| to > from)
                    });
                    if moved {
                        step.moved_on += 1;
                    }
                }
            }
            Record::Call(c)
                if crate::time::civil::LocalDateTime::parse(&c.started)
                    .is_some_and(|s| cx.period.contains(s.date) && s.date <= cx.today) =>
            {
                each(owner, team, &|t| t.figures.calls += 1);
            }
            Record::Case(c) => {
                if !cx.period.contains(day_of(c.common.created_at)) {
                    continue;
                }
                let sla = c.sla(cx.sla, cx.calendar, cx.now_ms);
                let first = sla
                    .first_response
                    .stopped_at
                    .map(|_| sla.first_response.used_ms);
                let resolved = sla.resolution.stopped_at.map(|_| sla.resolution.used_ms);
                each(owner, team, &|t| {
                    t.first.extend(first);
                    t.resolution.extend(resolved);
                });
            }
            Record::Campaign(c) if c.survey == "nps" => {
                for response in c.responses.values() {
                    let date = day_of(response.at);
                    if date < first_month || date > cx.period.to {
                        continue;
                    }
                    let month = format!("{:04}-{:02}", date.year, date.month);
                    let e = nps.entry(month).or_default();
                    e.0 += 1;
                    e.1 += match response.score {
                        9..=10 => 1,
                        0..=6 => -1,
                        _ => 0,
                    };
                }
            }
            _ => {}
        }
    }
    // Goals: the months that start in the period.
    for goal in cx.goals {
        let Some(start) = Date::parse(&format!("{}-01", goal.month)) else {
            continue;
        };
        let Ok(amount) = goal.amount.trim().parse::<Decimal>() else {
            continue;
        };
        if !cx.period.contains(start) || amount <= Decimal::ZERO {
            continue;
        }
        // A team's reader sees the goals of the reps whose records count, and their own.
        let counted = match cx.audience {
            Audience::Workspace => true,
            Audience::Teams { member, .. } => {
                goal.member == *member || reps.contains_key(&goal.member)
            }
        };
        if !counted {
            continue;
        }
        for tally in [reps.entry(goal.member.clone()).or_default(), &mut total] {
            *tally.figures.goal.get_or_insert(Decimal::ZERO) += amount;
        }
    }
    let mut months = Vec::new();
    let mut month = first_month;
    while month <= cx.period.to && months.len() < 6 {
        let key = format!("{:04}-{:02}", month.year, month.month);
        let (answers, sum) = nps.get(&key).copied().unwrap_or((0, 0));
        months.push(NpsMonth {
            month: key,
            answers,
            nps: (answers > 0).then(|| sum * 100 / answers as i64),
        });
        match month.add_months(1) {
            Some(next) => month = next,
            None => break,
        }
    }
    let last = cx.period.to.min(cx.today);
    let mut working_days = 0;
    let mut day = cx.period.from;
    while day <= last {
        if day.weekday().index() < 5 {
            working_days += 1;
        }
        day = day.add_days(1);
    }
    Performance {
        period: cx.period,
        reps: reps.into_iter().map(|(k, t)| (k, t.finish())).collect(),
        teams: teams.into_iter().map(|(k, t)| (k, t.finish())).collect(),
        total: total.finish(),
        working_days,
        stages,
        nps: months,
    }
}

#[cfg(test)]
mod tests;
