//! The case record — a complaint, request or wish (şikayet, istek, dilek) — and its SLA
//! clocks (schema version 1).
//!
//! A case moves through `new → open → (waiting on customer ↔ open) → resolved → closed`;
//! every status change is logged with when and who. Two clocks run in the workspace's
//! working time ([`crate::time::working_time`]): first response (from creation until the case
//! first leaves `new`) and resolution (until it is resolved). Both pause while the case
//! waits on the customer, and a reopened case's resolution clock runs on. The targets
//! come from the workspace's SLA policy for the case's priority; a clock past 80 % of
//! its target warns, past 100 % it is breached and the case counts as escalated.

use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored, Transition, reconcile_text};
use crate::text::validate::Problem;
use crate::time::working_time::WorkingCalendar;

/// Value of the `kind` field of a case document.
pub const KIND: &str = "case";
pub const SCHEMA_VERSION: i64 = 1;

code_enum! {
    /// What the customer brought.
    pub enum Category { Complaint = "complaint", Request = "request", Wish = "wish" }
}

code_enum! {
    /// How the case reached us.
    pub enum Channel {
        Phone = "phone",
        Email = "email",
        Web = "web",
        Kiosk = "kiosk",
        Social = "social",
        InPerson = "in_person",
    }
}

code_enum! {
    pub enum Priority { Normal = "normal", Urgent = "urgent", High = "high", Low = "low" }
}

code_enum! {
    pub enum Status {
        New = "new",
        Open = "open",
        Waiting = "waiting",
        Resolved = "resolved",
        Closed = "closed",
    }
}

impl Status {
    /// Whether the SLA clocks run in this status.
    pub fn clock_runs(self) -> bool {
        matches!(self, Status::New | Status::Open)
    }

    pub fn is_done(self) -> bool {
        matches!(self, Status::Resolved | Status::Closed)
    }
}

/// Satisfaction ratings a customer may give at close, 1 (very unhappy) to 5.
pub const RATINGS: &[&str] = &["1", "2", "3", "4", "5"];

/// A case as stored in its document.
pub type Case = Stored<CaseFields>;

/// The fields of a [`Case`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct CaseFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub subject: String,
    #[autosurgeon(missing = "Default::default")]
    pub category: Category,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub contact: String,
    #[autosurgeon(missing = "Default::default")]
    pub channel: Channel,
    #[autosurgeon(missing = "Default::default")]
    pub priority: Priority,
    #[autosurgeon(missing = "Default::default")]
    pub status: Status,
    /// How the case was solved; required to resolve it. Merged as text.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "hydrate_any_string",
        reconcile = "reconcile_text"
    )]
    pub resolution: String,
    /// The customer's rating at close, `1`–`5`, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub satisfaction: String,
    /// When an agent escalated the case by hand (ms since the epoch; 0: not).
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub escalated_at: i64,
    #[autosurgeon(missing = "Default::default")]
    pub history: Vec<Transition>,
}

/// The case form's fields.
pub mod field {
    use super::{Category, Channel, Priority, Status};
    use crate::record::form::{FieldSpec, Input};

    pub const SUBJECT: FieldSpec = FieldSpec::required("subject", Input::Text);
    pub const CATEGORY: FieldSpec = FieldSpec::required("category", Input::Choice(Category::CODES));
    pub const ACCOUNT: FieldSpec =
        FieldSpec::new("account", Input::Link(crate::parties::account::KIND));
    pub const CONTACT: FieldSpec =
        FieldSpec::new("contact", Input::Link(crate::parties::contact::KIND));
    pub const CHANNEL: FieldSpec = FieldSpec::required("channel", Input::Choice(Channel::CODES));
    pub const PRIORITY: FieldSpec = FieldSpec::required("priority", Input::Choice(Priority::CODES));
    pub const STATUS: FieldSpec = FieldSpec::required("status", Input::Choice(Status::CODES));
    /// Required once the case is resolved or closed.
    pub const RESOLUTION: FieldSpec = FieldSpec::new("resolution", Input::LongText);
    pub const SATISFACTION: FieldSpec =
        FieldSpec::new("satisfaction", Input::Choice(super::RATINGS));
}

const FIELDS: &[FieldSpec] = &[
    field::SUBJECT,
    field::CATEGORY,
    field::ACCOUNT,
    field::CONTACT,
    field::CHANNEL,
    field::PRIORITY,
    field::STATUS,
    field::RESOLUTION,
    field::SATISFACTION,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Case {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Case {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("subject", &self.subject)
            .with("category", self.category.code())
            .with("account", &self.account)
            .with("contact", &self.contact)
            .with("channel", self.channel.code())
            .with("priority", self.priority.code())
            .with("status", self.status.code())
            .with("resolution", &self.resolution)
            .with("satisfaction", &self.satisfaction);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.subject = check.field(&field::SUBJECT);
        let category = check.field(&field::CATEGORY);
        self.account = check.field(&field::ACCOUNT);
        self.contact = check.field(&field::CONTACT);
        let channel = check.field(&field::CHANNEL);
        let priority = check.field(&field::PRIORITY);
        let status = check.field(&field::STATUS);
        self.resolution = check.field(&field::RESOLUTION);
        let satisfaction = check.field(&field::SATISFACTION);
        let status = Status::from_code(&status).unwrap_or(self.status);
        if status.is_done() && self.resolution.trim().is_empty() {
            check.problem(field::RESOLUTION.name, Problem::Required);
        }
        record::apply_common(&mut check, self);
        check.finish()?;
        self.category = Category::from_code(&category).unwrap_or(self.category);
        self.channel = Channel::from_code(&channel).unwrap_or(self.channel);
        self.priority = Priority::from_code(&priority).unwrap_or(self.priority);
        self.satisfaction = satisfaction;
        self.move_to(status, ctx);
        Ok(())
    }

    fn title(&self) -> String {
        self.subject.clone()
    }

    fn search_words(&self) -> String {
        format!("{} {}", self.subject, self.resolution)
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn created(&mut self, ctx: &EditContext) {
        if self.history.is_empty() {
            let step = Transition::new(ctx, "", self.status.code());
            self.history.push(step);
        }
    }

    fn status(&self) -> Option<String> {
        Some(self.status.code().to_owned())
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("status", self.status.code().to_owned()))
    }
}

/// What an SLA policy promises for one priority, in working minutes.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct SlaTarget {
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub priority: String,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub first_response_minutes: i64,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub resolution_minutes: i64,
}

/// The targets of a workspace that has not set its own: urgent 1 h / 1 day, high 4 h /
/// 2 days, normal 1 day / 5 days, low 2 days / 10 days (a working day is 9 hours).
pub fn default_sla() -> Vec<SlaTarget> {
    let target = |priority: Priority, first: i64, resolution: i64| SlaTarget {
        priority: priority.code().to_owned(),
        first_response_minutes: first,
        resolution_minutes: resolution,
    };
    vec![
        target(Priority::Urgent, 60, 9 * 60),
        target(Priority::High, 4 * 60, 18 * 60),
        target(Priority::Normal, 9 * 60, 45 * 60),
        target(Priority::Low, 18 * 60, 90 * 60),
    ]
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Counting, under 80 % of the target.
    Running,
    /// Counting, at 80 % of the target or more.
    Warning,
    /// Stopped while the case waits on the customer.
    Paused,
    /// Stopped within the target.
    Met,
    /// Past the target (stopped or still counting).
    Breached,
}

/// One SLA clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub state: ClockState,
    /// Working time used so far, ms.
    pub used_ms: i64,
    pub target_ms: i64,
    /// When the target runs out if the clock keeps running (counting clocks only).
    pub due_at: Option<i64>,
    /// When the clock stopped (met or breached after stopping).
    pub stopped_at: Option<i64>,
}

impl Clock {
    pub fn is_breached(&self) -> bool {
        self.state == ClockState::Breached
    }
}

/// Both clocks of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    pub first_response: Clock,
    pub resolution: Clock,
}

impl Sla {
    pub fn breached(&self) -> bool {
        self.first_response.is_breached() || self.resolution.is_breached()
    }

    pub fn warning(&self) -> bool {
        self.first_response.state == ClockState::Warning
            || self.resolution.state == ClockState::Warning
    }
}

const MINUTE_MS: i64 = 60_000;

impl Case {
    /// Moves the case to `status`, logging the change; returns whether it changed.
    pub fn move_to(&mut self, status: Status, ctx: &EditContext) -> bool {
        if status == self.status && !self.history.is_empty() {
            return false;
        }
        let from = if self.history.is_empty() {
            ""
        } else {
            self.status.code()
        };
        self.history.push(Transition::new(ctx, from, status.code()));
        self.status = status;
        true
    }

    /// The status log in time order (entries appended on two devices interleave by time).
    fn periods(&self) -> Vec<(i64, Status)> {
        let mut log: Vec<&Transition> = self.history.iter().collect();
        log.sort_by_key(|t| t.at);
        let mut periods = vec![(self.common.created_at, Status::New)];
        for t in log {
            if let Some(status) = Status::from_code(&t.to) {
                periods.push((t.at.max(self.common.created_at), status));
            }
        }
        periods
    }

    /// When the case first left `new` (its first response), if it has.
    pub fn first_response_at(&self) -> Option<i64> {
        self.periods()
            .into_iter()
            .find(|(_, status)| *status != Status::New)
            .map(|(at, _)| at)
    }

    /// When the case was last resolved (or closed without a resolved step), if it is done.
    pub fn resolved_at(&self) -> Option<i64> {
        if !self.status.is_done() {
            return None;
        }
        let periods = self.periods();
        let mut at = None;
        for window in periods.windows(2) {
            if !window[0].1.is_done() && window[1].1.is_done() {
                at = Some(window[1].0);
            }
        }
        at
    }

    /// Working time the clock ran between creation and `until`, skipping waits.
    fn running_ms(&self, calendar: &WorkingCalendar, until: i64) -> i64 {
        let periods = self.periods();
        let mut total = 0;
        for (i, &(start, status)) in periods.iter().enumerate() {
            let end = periods.get(i + 1).map_or(until, |p| p.0).min(until);
            if status.clock_runs() && end > start {
                total += calendar.working_ms(start, end);
            }
        }
        total
    }

    fn clock(
        &self,
        calendar: &WorkingCalendar,
        target_minutes: i64,
        stopped_at: Option<i64>,
        now: i64,
    ) -> Clock {
        let target_ms = target_minutes.max(0) * MINUTE_MS;
        let until = stopped_at.unwrap_or(now);
        let used_ms = self.running_ms(calendar, until);
        let paused = stopped_at.is_none() && self.status == Status::Waiting;
        let state = if used_ms > target_ms {
            ClockState::Breached
        } else if stopped_at.is_some() {
            ClockState::Met
        } else if paused {
            ClockState::Paused
        } else if used_ms * 5 >= target_ms * 4 {
            ClockState::Warning
        } else {
            ClockState::Running
        };
        let due_at = (stopped_at.is_none() && !paused && state != ClockState::Breached)
            .then(|| calendar.add_working_ms(now, target_ms - used_ms))
            .flatten();
        Clock {
            state,
            used_ms,
            target_ms,
            due_at,
            stopped_at,
        }
    }

    /// The case's SLA clocks at `now`, under `targets` (the workspace's policy; the
    /// built-in default for a priority it leaves out).
    pub fn sla(&self, targets: &[SlaTarget], calendar: &WorkingCalendar, now: i64) -> Sla {
        let target = targets
            .iter()
            .find(|t| t.priority == self.priority.code())
            .cloned()
            .or_else(|| {
                default_sla()
                    .into_iter()
                    .find(|t| t.priority == self.priority.code())
            })
            .unwrap_or_else(|| default_sla().remove(2));
        Sla {
            first_response: self.clock(
                calendar,
                target.first_response_minutes,
                self.first_response_at(),
                now,
            ),
            resolution: self.clock(calendar, target.resolution_minutes, self.resolved_at(), now),
        }
    }

    /// Whether the case is escalated: by hand, or because a clock is breached.
    pub fn is_escalated(&self, sla: &Sla) -> bool {
        self.escalated_at != 0 || (sla.breached() && !self.status.is_done())
    }

    /// The rating given at close, 1–5.
    pub fn rating(&self) -> Option<u8> {
        self.satisfaction
            .parse()
            .ok()
            .filter(|r| (1..=5).contains(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{create, edit_fields, read};
    use crate::time::civil::LocalDateTime;

    const HOUR: i64 = 60 * MINUTE_MS;

    fn at(text: &str) -> i64 {
        WorkingCalendar::default()
            .zone
            .to_utc_ms(LocalDateTime::parse(text).unwrap())
    }

    fn ctx(text: &str) -> EditContext {
        EditContext::new("agent", at(text))
    }

    fn new_case(opened: &str, priority: Priority) -> Case {
        let mut case = Case::blank(&ctx(opened));
        case.subject = "Kargo gecikti".into();
        case.priority = priority;
        case.created(&ctx(opened));
        case
    }

    #[test]
    fn the_first_response_clock_counts_working_hours_only() {
        let cal = WorkingCalendar::default();
        // High priority: 4 working hours to respond. Opened Friday 16:00.
        let case = new_case("2026-11-20T16:00", Priority::High);
        let sla = case.sla(&default_sla(), &cal, at("2026-11-20T17:00"));
        assert_eq!(sla.first_response.state, ClockState::Running);
        assert_eq!(sla.first_response.used_ms, HOUR);
        assert_eq!(
            cal.local(sla.first_response.due_at.unwrap()).to_string(),
            "2026-11-23T11:00",
            "the weekend does not count"
        );
        // Monday 10:30: 2 h Friday + 1.5 h Monday = 3.5 h of 4 → warning.
        let sla = case.sla(&default_sla(), &cal, at("2026-11-23T10:30"));
        assert_eq!(sla.first_response.state, ClockState::Warning);
        let sla = case.sla(&default_sla(), &cal, at("2026-11-23T11:01"));
        assert_eq!(sla.first_response.state, ClockState::Breached);
        assert!(case.is_escalated(&sla));
    }

    #[test]
    fn waiting_on_the_customer_pauses_the_resolution_clock() {
        let cal = WorkingCalendar::default();
        let mut case = new_case("2026-11-23T09:00", Priority::Urgent);
        case.move_to(Status::Open, &ctx("2026-11-23T09:30"));
        case.move_to(Status::Waiting, &ctx("2026-11-23T11:00"));
        let sla = case.sla(&default_sla(), &cal, at("2026-11-25T11:00"));
        assert_eq!(sla.first_response.state, ClockState::Met);
        assert_eq!(sla.first_response.used_ms, HOUR / 2);
        assert_eq!(sla.resolution.state, ClockState::Paused);
        assert_eq!(
            sla.resolution.used_ms,
            2 * HOUR,
            "two days of waiting do not count"
        );
        assert_eq!(sla.resolution.due_at, None);
        case.move_to(Status::Open, &ctx("2026-11-25T11:00"));
        case.resolution = "Yeni ürün gönderildi".into();
        case.move_to(Status::Resolved, &ctx("2026-11-25T14:00"));
        let sla = case.sla(&default_sla(), &cal, at("2026-12-10T09:00"));
        assert_eq!(sla.resolution.state, ClockState::Met);
        assert_eq!(sla.resolution.used_ms, 5 * HOUR);
        assert_eq!(case.resolved_at(), Some(at("2026-11-25T14:00")));
        // Reopened: the resolution clock runs on from where it stopped.
        case.move_to(Status::Open, &ctx("2026-11-26T09:00"));
        let sla = case.sla(&default_sla(), &cal, at("2026-11-26T14:00"));
        assert_eq!(sla.resolution.used_ms, 10 * HOUR);
        assert_eq!(sla.resolution.state, ClockState::Breached);
    }

    #[test]
    fn holidays_do_not_count_against_the_clock() {
        let cal = WorkingCalendar::default();
        // Normal priority (9 working hours to respond), opened the day before the eve of
        // Kurban Bayramı 2026: Monday 25 May 17:00 → 1 h that day, 4 h on the eve (until
        // 13:00), then 27–30 May off (31 May is a Sunday): due Monday 1 June 13:00.
        let case = new_case("2026-05-25T17:00", Priority::Normal);
        let sla = case.sla(&default_sla(), &cal, at("2026-05-25T17:00"));
        assert_eq!(
            cal.local(sla.first_response.due_at.unwrap()).to_string(),
            "2026-06-01T13:00"
        );
        let own = [SlaTarget {
            priority: "normal".into(),
            first_response_minutes: 30,
            resolution_minutes: 60,
        }];
        let sla = case.sla(&own, &cal, at("2026-05-26T09:31"));
        assert_eq!(sla.first_response.state, ClockState::Breached);
    }

    #[test]
    fn resolving_needs_a_resolution_and_status_changes_are_logged() {
        let mut doc = create(&new_case("2026-11-23T09:00", Priority::Normal)).unwrap();
        let err = edit_fields::<Case>(&mut doc, &ctx("2026-11-23T10:00"), |f| {
            f.set("status", "resolved")
        })
        .unwrap_err();
        assert!(
            matches!(err, crate::record::EditError::Invalid(ref p) if p == &vec![("resolution", Problem::Required)])
        );
        edit_fields::<Case>(&mut doc, &ctx("2026-11-23T10:00"), |f| {
            f.set("status", "resolved");
            f.set("resolution", "İade yapıldı");
            f.set("satisfaction", "4");
        })
        .unwrap();
        let case: Case = read(&doc).unwrap();
        assert_eq!(case.status, Status::Resolved);
        assert_eq!(case.rating(), Some(4));
        assert_eq!(
            case.history
                .iter()
                .map(|t| t.to.as_str())
                .collect::<Vec<_>>(),
            ["new", "resolved"]
        );
    }

    #[test]
    fn status_changes_made_on_two_devices_both_enter_the_log() {
        let base = create(&new_case("2026-11-23T09:00", Priority::Normal)).unwrap();
        let (mut a, mut b) = (base.fork(), base.fork());
        edit_fields::<Case>(&mut a, &ctx("2026-11-23T10:00"), |f| {
            f.set("status", "open")
        })
        .unwrap();
        edit_fields::<Case>(&mut b, &ctx("2026-11-23T11:00"), |f| {
            f.set("notes", "Müşteri aradı")
        })
        .unwrap();
        a.merge(&mut b).unwrap();
        let case: Case = read(&a).unwrap();
        assert_eq!(case.status, Status::Open);
        assert_eq!(case.common.notes, "Müşteri aradı");
        assert_eq!(case.first_response_at(), Some(at("2026-11-23T10:00")));
    }
}
