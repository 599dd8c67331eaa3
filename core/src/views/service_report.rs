//! Service figures for reports and dashboards: first-response and resolution times in
//! working time, the SLA breach rate, open cases by age, and calls per agent per day.
//! (Satisfaction and NPS come from [`super::survey_report`].)

use std::collections::BTreeMap;

use crate::activities::call::Call;
use crate::service::case::{Case, SlaTarget};
use crate::time::civil::Date;
use crate::time::working_time::WorkingCalendar;

/// Ages open cases are grouped by, in calendar days: under 1, 1–3, 3–7, 7 and over.
pub const AGE_BUCKETS: [&str; 4] = ["lt1", "1to3", "3to7", "ge7"];

/// Figures over a set of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFigures {
    pub total: usize,
    pub open: usize,
    /// Mean working time to first response, ms, over cases that had one.
    pub mean_first_response_ms: Option<i64>,
    /// Mean working time to resolution, ms, over resolved cases.
    pub mean_resolution_ms: Option<i64>,
    /// Cases with a breached clock, of all cases.
    pub breached: usize,
    /// Open cases per [`AGE_BUCKETS`] entry.
    pub open_by_age: [usize; 4],
}

impl CaseFigures {
    /// Breached cases per hundred, rounded down.
    pub fn breach_rate_percent(&self) -> Option<usize> {
        (self.total > 0).then(|| self.breached * 100 / self.total)
    }
}

fn mean(values: &[i64]) -> Option<i64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() / values.len() as i64)
}

/// The figures of `cases` at `now`.
pub fn cases<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    targets: &[SlaTarget],
    calendar: &WorkingCalendar,
    now: i64,
) -> CaseFigures {
    let mut figures = CaseFigures::default();
    let (mut first, mut resolution) = (Vec::new(), Vec::new());
    for case in cases {
        figures.total += 1;
        let sla = case.sla(targets, calendar, now);
        if sla.breached() {
            figures.breached += 1;
        }
        if sla.first_response.stopped_at.is_some() {
            first.push(sla.first_response.used_ms);
        }
        if sla.resolution.stopped_at.is_some() {
            resolution.push(sla.resolution.used_ms);
        }
        if !case.status.is_done() {
            figures.open += 1;
            let days = (now - case.common.created_at).max(0) / 86_400_000;
            let bucket = match days {
                0 => 0,
                1..=2 => 1,
                3..=6 => 2,
                _ => 3,
            };
            figures.open_by_age[bucket] += 1;
        }
    }
    figures.mean_first_response_ms = mean(&first);
    figures.mean_resolution_ms = mean(&resolution);
    figures
}

/// One agent's calls on one day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentDay {
    pub calls: usize,
    pub reached: usize,
    pub total_seconds: i64,
}

impl AgentDay {
    pub fn mean_seconds(&self) -> i64 {
        if self.calls == 0 {
            0
        } else {
            self.total_seconds / self.calls as i64
        }
    }
}

/// Calls per (agent, local date), from `since` on.
pub fn calls_per_agent_day<'a>(
    calls: impl IntoIterator<Item = &'a Call>,
    since: Date,
) -> BTreeMap<(String, Date), AgentDay> {
    let mut days: BTreeMap<(String, Date), AgentDay> = BTreeMap::new();
    for call in calls {
        let Some(started) = crate::time::civil::LocalDateTime::parse(&call.started) else {
            continue;
        };
        if started.date < since {
            continue;
        }
        let day = days
            .entry((call.common.owner.clone(), started.date))
            .or_default();
        day.calls += 1;
        day.total_seconds += call.duration.max(0);
        if call.outcome == crate::activities::call::Outcome::Reached {
            day.reached += 1;
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EditContext, RecordType};
    use crate::service::case::{Priority, Status, default_sla};
    use crate::time::civil::LocalDateTime;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn case_figures_use_working_time() {
        let cal = WorkingCalendar::default();
        let at = |s: &str| cal.zone.to_utc_ms(LocalDateTime::parse(s).unwrap());
        let ctx = |s: &str| EditContext::new("agent", at(s));
        let mut a = Case::blank(&ctx("2026-11-23T09:00"));
        a.priority = Priority::Urgent;
        a.created(&ctx("2026-11-23T09:00"));
        a.move_to(Status::Open, &ctx("2026-11-23T09:30"));
        a.satisfaction = "5".into();
        a.move_to(Status::Resolved, &ctx("2026-11-23T12:00"));
        let mut b = Case::blank(&ctx("2026-11-20T09:00"));
        b.priority = Priority::Urgent;
        b.created(&ctx("2026-11-20T09:00"));
        b.satisfaction = "4".into();
        let figures = cases([&a, &b], &default_sla(), &cal, at("2026-11-24T10:00"));
        assert_eq!(figures.total, 2);
        assert_eq!(figures.open, 1);
        assert_eq!(figures.mean_first_response_ms, Some(HOUR / 2));
        assert_eq!(figures.mean_resolution_ms, Some(3 * HOUR));
        assert_eq!(figures.breached, 1, "b never got a response");
        assert_eq!(figures.breach_rate_percent(), Some(50));
        assert_eq!(figures.open_by_age, [0, 0, 1, 0]);
    }

    #[test]
    fn calls_are_counted_per_agent_and_day() {
        let ctx = EditContext::new("ayse", 0);
        let call = |owner: &str, started: &str, seconds: i64| {
            let mut c = Call::blank(&ctx);
            c.common.owner = owner.into();
            c.started = started.into();
            c.duration = seconds;
            c
        };
        let calls = [
            call("ayse", "2026-11-24T09:00", 60),
            call("ayse", "2026-11-24T10:00", 180),
            call("mehmet", "2026-11-24T10:00", 30),
            call("ayse", "2026-11-01T10:00", 30),
        ];
        let days = calls_per_agent_day(&calls, Date::new(2026, 11, 20).unwrap());
        let ayse = &days[&("ayse".to_owned(), Date::new(2026, 11, 24).unwrap())];
        assert_eq!(
            (ayse.calls, ayse.total_seconds, ayse.mean_seconds()),
            (2, 240, 120)
        );
        assert_eq!(days.len(), 2);
    }
}
