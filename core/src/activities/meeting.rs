//! The meeting record, the calendars it belongs to, and the contact-frequency guard
//! (schema version 1).
//!
//! A meeting sits on one calendar — a department's (`dept:<code>`, see
//! [`crate::access::Department`]) or a member's own (`user:<id>`) — and has a start
//! and end in wall-clock time with its time zone, attendees (members and contacts), a
//! location, an optional recurrence rule ([`crate::time::rrule`]), an agenda and minutes
//! (both merged as text). `sequence` grows whenever the time, recurrence or status
//! changes, as RFC 5545 asks of calendar feeds.

use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored, reconcile_text};
use crate::text::validate::Problem;
use crate::time::civil::{LocalDateTime, Zone};
use crate::time::rrule::Rule;

/// Value of the `kind` field of a meeting document.
pub const KIND: &str = "meeting";
pub const SCHEMA_VERSION: i64 = 1;
/// Prefix of a department calendar's code.
pub const DEPARTMENT_PREFIX: &str = "dept:";
/// Prefix of a member's own calendar.
pub const USER_PREFIX: &str = "user:";
/// Longest meeting accepted, in minutes (two weeks).
pub const MAX_LENGTH_MINUTES: i64 = 14 * 24 * 60;

code_enum! {
    pub enum Status { Confirmed = "confirmed", Tentative = "tentative", Cancelled = "cancelled" }
}

/// The calendar code of a member's own calendar.
pub fn user_calendar(user: &str) -> String {
    format!("{USER_PREFIX}{user}")
}

/// A meeting as stored in its document. `owner` is the organiser.
pub type Meeting = Stored<MeetingFields>;

/// The fields of a [`Meeting`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct MeetingFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub title: String,
    /// `dept:<code>` or `user:<id>`.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub calendar: String,
    /// `YYYY-MM-DDTHH:MM` in `time_zone`.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub start: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub end: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub time_zone: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub location: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    /// Contact IDs.
    #[autosurgeon(missing = "Default::default")]
    pub contacts: Vec<String>,
    /// Member user IDs.
    #[autosurgeon(missing = "Default::default")]
    pub members: Vec<String>,
    /// An RRULE value, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub recurrence: String,
    #[autosurgeon(missing = "Default::default")]
    pub status: Status,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "hydrate_any_string",
        reconcile = "reconcile_text"
    )]
    pub agenda: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "hydrate_any_string",
        reconcile = "reconcile_text"
    )]
    pub minutes: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub sequence: i64,
}

/// The meeting form's fields.
pub mod field {
    use super::Status;
    use crate::record::form::{FieldSpec, Input};

    /// Stored as the document's `title`.
    pub const TITLE: FieldSpec = FieldSpec::required("subject", Input::Text);
    /// Offered from the workspace's departments and the member's own calendar.
    pub const CALENDAR: FieldSpec = FieldSpec::required("calendar", Input::Text);
    pub const START: FieldSpec = FieldSpec::required("start", Input::DateTime);
    pub const END: FieldSpec = FieldSpec::required("end", Input::DateTime);
    pub const TIME_ZONE: FieldSpec = FieldSpec::new("time_zone", Input::TimeZone);
    pub const LOCATION: FieldSpec = FieldSpec::new("location", Input::Text);
    pub const ACCOUNT: FieldSpec =
        FieldSpec::new("account", Input::Link(crate::parties::account::KIND));
    pub const CONTACTS: FieldSpec =
        FieldSpec::new("contacts", Input::LinkList(crate::parties::contact::KIND));
    pub const MEMBERS: FieldSpec = FieldSpec::new("members", Input::MemberList);
    pub const RECURRENCE: FieldSpec = FieldSpec::new("recurrence", Input::Recurrence);
    pub const STATUS: FieldSpec = FieldSpec::required("status", Input::Choice(Status::CODES));
    pub const AGENDA: FieldSpec = FieldSpec::new("agenda", Input::LongText);
    pub const MINUTES: FieldSpec = FieldSpec::new("minutes", Input::LongText);
}

const FIELDS: &[FieldSpec] = &[
    field::TITLE,
    field::CALENDAR,
    field::START,
    field::END,
    field::TIME_ZONE,
    field::LOCATION,
    field::ACCOUNT,
    field::CONTACTS,
    field::MEMBERS,
    field::RECURRENCE,
    field::STATUS,
    field::AGENDA,
    field::MINUTES,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Meeting {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Meeting {
        let mut meeting: Meeting = record::blank(KIND, SCHEMA_VERSION, ctx);
        meeting.calendar = user_calendar(&ctx.user);
        meeting.time_zone = crate::time::civil::ISTANBUL.to_owned();
        meeting.members = vec![ctx.user.clone()];
        meeting
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("subject", &self.title)
            .with("calendar", &self.calendar)
            .with("start", &self.start)
            .with("end", &self.end)
            .with("time_zone", &self.time_zone)
            .with("location", &self.location)
            .with("account", &self.account)
            .with("contacts", self.contacts.join(","))
            .with("members", self.members.join(","))
            .with("recurrence", &self.recurrence)
            .with("status", self.status.code())
            .with("agenda", &self.agenda)
            .with("minutes", &self.minutes);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let before = (
            self.start.clone(),
            self.end.clone(),
            self.time_zone.clone(),
            self.recurrence.clone(),
            self.status,
        );
        let mut check = Checker::new(form);
        self.title = check.field(&field::TITLE);
        self.calendar = check.field(&field::CALENDAR);
        let start = check.field(&field::START);
        let end = check.field(&field::END);
        let time_zone = check.field(&field::TIME_ZONE);
        self.location = check.field(&field::LOCATION);
        self.account = check.field(&field::ACCOUNT);
        let contacts = check.field(&field::CONTACTS);
        let members = check.field(&field::MEMBERS);
        let recurrence = check.field(&field::RECURRENCE);
        let status = check.field(&field::STATUS);
        self.agenda = check.field(&field::AGENDA);
        self.minutes = check.field(&field::MINUTES);
        let known_calendar = match self.calendar.strip_prefix(DEPARTMENT_PREFIX) {
            Some(code) => crate::access::Department::from_code(code).is_some(),
            None => self
                .calendar
                .strip_prefix(USER_PREFIX)
                .is_some_and(|user| !user.is_empty()),
        };
        if !self.calendar.is_empty() && !known_calendar {
            check.problem(field::CALENDAR.name, Problem::InvalidChoice);
        }
        if let (Some(s), Some(e)) = (LocalDateTime::parse(&start), LocalDateTime::parse(&end)) {
            let length = e.minutes_since_epoch() - s.minutes_since_epoch();
            if length <= 0 {
                check.problem(field::END.name, Problem::EndBeforeStart);
            } else if length > MAX_LENGTH_MINUTES {
                check.problem(
                    field::END.name,
                    Problem::NumberOutOfRange {
                        min: 1,
                        max: MAX_LENGTH_MINUTES,
                    },
                );
            }
        }
        if !recurrence.is_empty() && !check.has_problem(field::TIME_ZONE.name) {
            let zone = Zone::named(&time_zone).unwrap_or_else(|_| Zone::istanbul());
            if Rule::parse(&recurrence, zone).is_err() {
                check.problem(field::RECURRENCE.name, Problem::InvalidRecurrence);
            }
        }
        record::apply_common(&mut check, self);
        check.finish()?;
        self.start = start;
        self.end = end;
        self.time_zone = time_zone;
        self.recurrence = recurrence;
        self.status = Status::from_code(&status).unwrap_or(self.status);
        self.contacts = split_ids(&contacts);
        self.members = split_ids(&members);
        let after = (
            self.start.clone(),
            self.end.clone(),
            self.time_zone.clone(),
            self.recurrence.clone(),
            self.status,
        );
        // A new meeting starts at 0 again in `created`.
        if before != after {
            self.sequence += 1;
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn search_words(&self) -> String {
        format!("{} {}", self.title, self.location)
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn created(&mut self, _ctx: &EditContext) {
        self.sequence = 0;
    }

    fn status(&self) -> Option<String> {
        Some(self.status.code().to_owned())
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("status", self.status.code().to_owned()))
    }
}

fn split_ids(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One occurrence of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub start: LocalDateTime,
    pub end: LocalDateTime,
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Meeting {
    pub fn zone(&self) -> Zone {
        Zone::named(&self.time_zone).unwrap_or_else(|_| Zone::istanbul())
    }

    fn times(&self) -> Option<(LocalDateTime, i64)> {
        let start = LocalDateTime::parse(&self.start)?;
        let end = LocalDateTime::parse(&self.end)?;
        let length = end.minutes_since_epoch() - start.minutes_since_epoch();
        Some((start, length.max(0)))
    }

    /// The occurrences overlapping `from..to` (ms since the epoch), at most `cap`.
    /// A cancelled meeting has none; a recurrence that cannot be read is treated as a
    /// single meeting.
    pub fn occurrences(&self, from: i64, to: i64, cap: usize) -> Vec<Occurrence> {
        let Some((start, length)) = self.times() else {
            return Vec::new();
        };
        if self.status == Status::Cancelled {
            return Vec::new();
        }
        let zone = self.zone();
        let occurrence = |s: LocalDateTime| {
            let e = s.add_minutes(length);
            Occurrence {
                start: s,
                end: e,
                start_ms: zone.to_utc_ms(s),
                end_ms: zone.to_utc_ms(e),
            }
        };
        let starts = match Rule::parse(&self.recurrence, zone) {
            Ok(rule) if !self.recurrence.is_empty() => {
                // An occurrence overlapping the window may start up to its length earlier.
                rule.occurrences(start, zone, from - length * 60_000 + 1, to, cap)
            }
            _ => vec![start],
        };
        starts
            .into_iter()
            .map(occurrence)
            .filter(|o| o.end_ms > from && o.start_ms < to)
            .take(cap)
            .collect()
    }

    /// Whether the meeting is on `calendar`, or (for a member's calendar) the member
    /// organises or attends it.
    pub fn on_calendar(&self, calendar: &str) -> bool {
        if self.calendar == calendar {
            return true;
        }
        calendar
            .strip_prefix(USER_PREFIX)
            .is_some_and(|user| self.common.owner == user || self.members.iter().any(|m| m == user))
    }
}

/// How often a contact may be met or called: at most `count` meetings and calls within
/// `days` days (workspace setting; 0 turns the guard off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrequencyGuard {
    pub count: i64,
    pub days: i64,
}

impl Default for FrequencyGuard {
    fn default() -> Self {
        FrequencyGuard { count: 3, days: 30 }
    }
}

impl FrequencyGuard {
    /// How many meetings and calls with `contact` fall in the `days` days before
    /// `at` (and up to `at`), and whether one more would exceed the guard.
    pub fn check<'a>(
        &self,
        contact: &str,
        at: i64,
        meetings: impl IntoIterator<Item = &'a Meeting>,
        calls: impl IntoIterator<Item = &'a crate::activities::call::Call>,
        zone: Zone,
    ) -> (usize, bool) {
        if self.count <= 0 || self.days <= 0 || contact.is_empty() {
            return (0, false);
        }
        let from = at - self.days * 24 * 3_600_000;
        let mut touches = 0;
        for meeting in meetings {
            if meeting.contacts.iter().any(|c| c == contact) {
                touches += meeting.occurrences(from, at + 1, 1_000).len();
            }
        }
        for call in calls {
            if call.contact == contact
                && call
                    .started_ms(zone)
                    .is_some_and(|s| (from..=at).contains(&s))
            {
                touches += 1;
            }
        }
        (touches, touches as i64 >= self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{create, edit_fields, from_form, read};

    fn ctx() -> EditContext {
        EditContext::new("ayse", 1_000)
    }

    fn form(start: &str, end: &str) -> Form {
        Form::new()
            .with("subject", "Haftalık satış toplantısı")
            .with("calendar", "dept:sales")
            .with("start", start)
            .with("end", end)
            .with("status", "confirmed")
    }

    #[test]
    fn impossible_times_are_refused_and_nothing_is_lost() {
        let f = form("2026-11-24T10:00", "2026-11-24T09:00");
        let Err(crate::record::EditError::Invalid(problems)) = from_form::<Meeting>(&f, &ctx())
        else {
            panic!("end before start accepted");
        };
        assert_eq!(problems, vec![("end", Problem::EndBeforeStart)]);
        let f = form("2026-11-24T10:00", "2026-11-24T11:00")
            .with("time_zone", "Europe/Atlantis")
            .with("recurrence", "FREQ=SECONDLY");
        let Err(crate::record::EditError::Invalid(problems)) = from_form::<Meeting>(&f, &ctx())
        else {
            panic!("bad zone accepted");
        };
        assert_eq!(
            problems,
            vec![
                ("time_zone", Problem::UnknownTimeZone),
                ("recurrence", Problem::InvalidRecurrence)
            ]
        );
        assert_eq!(f.get("time_zone"), "Europe/Atlantis");
    }

    #[test]
    fn a_weekly_meeting_expands_within_a_window_and_edits_bump_the_sequence() {
        let f = form("2026-11-23T10:00", "2026-11-23T11:00")
            .with("recurrence", "FREQ=WEEKLY;BYDAY=MO")
            .with("contacts", "c1, c2")
            .with("members", "ayse");
        let meeting: Meeting = from_form(&f, &ctx()).unwrap();
        assert_eq!(meeting.contacts, ["c1", "c2"]);
        assert_eq!(meeting.sequence, 0);
        let zone = Zone::istanbul();
        let day = |s: &str| zone.to_utc_ms(LocalDateTime::parse(s).unwrap());
        let occurrences =
            meeting.occurrences(day("2026-12-01T00:00"), day("2027-01-01T00:00"), 100);
        assert_eq!(
            occurrences
                .iter()
                .map(|o| o.start.to_string())
                .collect::<Vec<_>>(),
            [
                "2026-12-07T10:00",
                "2026-12-14T10:00",
                "2026-12-21T10:00",
                "2026-12-28T10:00"
            ]
        );
        // An occurrence already running when the window opens is included.
        assert_eq!(
            meeting
                .occurrences(day("2026-11-30T10:30"), day("2026-11-30T12:00"), 10)
                .len(),
            1
        );
        let mut doc = create(&meeting).unwrap();
        edit_fields::<Meeting>(&mut doc, &ctx(), |f| f.set("location", "Kadıköy")).unwrap();
        assert_eq!(read::<Meeting>(&doc).unwrap().sequence, 0, "location only");
        edit_fields::<Meeting>(&mut doc, &ctx(), |f| f.set("start", "2026-11-23T10:30")).unwrap();
        assert_eq!(read::<Meeting>(&doc).unwrap().sequence, 1);
        assert!(meeting.on_calendar("dept:sales"));
        assert!(
            meeting.on_calendar("user:ayse"),
            "an attendee's own calendar"
        );
        assert!(!meeting.on_calendar("user:mehmet"));
    }

    #[test]
    fn the_frequency_guard_counts_meetings_and_calls_in_the_window() {
        let zone = Zone::istanbul();
        let at = |s: &str| zone.to_utc_ms(LocalDateTime::parse(s).unwrap());
        let meeting = |start: &str| {
            let mut m = Meeting::blank(&ctx());
            m.start = start.into();
            m.end = LocalDateTime::parse(start)
                .unwrap()
                .add_minutes(60)
                .to_string();
            m.contacts = vec!["c1".into()];
            m
        };
        let call = |started: &str, contact: &str| {
            let mut c = crate::activities::call::Call::blank(&ctx());
            c.started = started.into();
            c.contact = contact.into();
            c
        };
        let meetings = [
            meeting("2026-11-02T10:00"),
            meeting("2026-11-16T10:00"),
            meeting("2026-09-01T10:00"),
        ];
        let calls = [
            call("2026-11-20T15:00", "c1"),
            call("2026-11-21T15:00", "c2"),
        ];
        let guard = FrequencyGuard::default();
        let now = at("2026-11-24T12:00");
        assert_eq!(guard.check("c1", now, &meetings, &calls, zone), (3, true));
        assert_eq!(guard.check("c2", now, &meetings, &calls, zone), (1, false));
        let off = FrequencyGuard { count: 0, days: 30 };
        assert_eq!(off.check("c1", now, &meetings, &calls, zone), (0, false));
    }
}
