//! The log of data-subject requests (KVKK, Law 6698, Art. 11 and 13).
//!
//! A person may ask a data controller what it holds about them (access), to correct it
//! (rectification), to erase it (erasure), to stop a use of it (objection) or to limit
//! it (restriction). The controller must answer within **30 days** of receiving the
//! request, in writing, and must be able to show later that it did. A
//! [`PrivacyRequest`] is one such request as the workspace logged it: who asked, through
//! which channel, on which day, what was done and what they were told, with the
//! evidence.
//!
//! The deadline is computed here, once, for the server that stores the log, the app
//! that shows it and the REST API that serves it: [`due_on`] is the received day plus
//! [`ANSWER_DAYS`], and [`PrivacyRequest::urgency`] says whether an open request is on
//! time, due within [`WARN_DAYS`], or late. [`RequestInput::check`] validates what a
//! person typed and names the first field that is wrong ([`RequestError`]).
//!
//! The log lives in the server's tables, not in a synced document: it names the person,
//! and an entry must outlive (and never be brought back by) the erasure of the records
//! it is about.

use serde::{Deserialize, Serialize};

use crate::time::civil::{Date, Zone};

/// Days the controller has to answer (KVKK Art. 13/2).
pub const ANSWER_DAYS: i64 = 30;
/// An open request due within this many days is shown as due soon.
pub const WARN_DAYS: i64 = 7;
/// Longest name, contact or evidence text.
pub const MAX_SHORT_CHARS: usize = 200;
/// Longest description or answer.
pub const MAX_LONG_CHARS: usize = 5_000;

macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in the API and in stored data.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

coded! {
    /// What the person asks for (KVKK Art. 11).
    RequestKind {
        Access => "access",
        Rectification => "rectification",
        Erasure => "erasure",
        Objection => "objection",
        Restriction => "restriction",
    }
}

coded! {
    /// How the request reached the controller (the Communiqué on the Procedures and
    /// Principles of Application to the Data Controller, Art. 5: in writing, by
    /// registered e-mail (KEP), by an e-mail address the person gave before, or through
    /// an application the controller offers; a call or a visit is logged too, and
    /// answered in writing).
    Channel {
        Letter => "letter",
        Kep => "kep",
        Email => "email",
        Web => "web",
        InPerson => "in_person",
        Phone => "phone",
    }
}

coded! {
    /// Where a request stands. `Answered` and `Refused` close it (a refusal must give
    /// its reason in the answer).
    Status {
        Received => "received",
        InProgress => "in_progress",
        Answered => "answered",
        Refused => "refused",
    }
}

impl Status {
    /// Whether the request is closed.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Answered | Status::Refused)
    }
}

/// The day in Turkey at `now_ms` (ms since the epoch): the day requests arrive, are
/// closed and are late by, on the server and on a device alike.
pub fn today(now_ms: i64) -> Date {
    Zone::istanbul().local(now_ms).date
}

/// The day a request received on `received` must be answered by.
pub fn due_on(received: Date) -> Date {
    received.add_days(ANSWER_DAYS)
}

/// Where an open request stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Answered or refused.
    Closed,
    /// Open, with this many days left (more than [`WARN_DAYS`]).
    OnTime(i64),
    /// Open, due within [`WARN_DAYS`] (0 = today).
    DueSoon(i64),
    /// Open past its deadline, by this many days.
    Overdue(i64),
}

/// One logged request, as stored and served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyRequest {
    pub id: String,
    pub kind: RequestKind,
    pub status: Status,
    /// The person's record ID, when they have one (a contact, lead or account).
    #[serde(default)]
    pub person: String,
    /// The person's name as they gave it.
    pub person_name: String,
    /// How to reach them with the answer (an address, e-mail or phone number).
    #[serde(default)]
    pub contact: String,
    pub channel: Channel,
    /// The day the request was received, `YYYY-MM-DD` (Turkey time).
    pub received_on: String,
    /// The day it must be answered by ([`due_on`]).
    pub due_on: String,
    /// The day it was answered or refused.
    #[serde(default)]
    pub closed_on: Option<String>,
    /// What the person asked, in their words.
    #[serde(default)]
    pub description: String,
    /// What they were told (required to close the request).
    #[serde(default)]
    pub answer: String,
    /// Where the proof is kept: the letter's registry number, the KEP message ID, the
    /// file with the answer.
    #[serde(default)]
    pub evidence: String,
    /// Who logged it (e-mail), and when (ms since the epoch).
    pub created_by: String,
    pub created_at: i64,
    /// Who changed it last, and when.
    pub updated_by: String,
    pub updated_at: i64,
}

/// How many open requests need attention on a day: the warning shown outside the log
/// (`GET /api/privacy/deadlines`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadlines {
    /// Open past their deadline.
    pub overdue: usize,
    /// Open and due within [`WARN_DAYS`].
    pub due_soon: usize,
}

impl Deadlines {
    /// Counts `requests` on `today`.
    pub fn of<'a>(requests: impl IntoIterator<Item = &'a PrivacyRequest>, today: Date) -> Self {
        let mut deadlines = Deadlines::default();
        for request in requests {
            match request.urgency(today) {
                Urgency::Overdue(_) => deadlines.overdue += 1,
                Urgency::DueSoon(_) => deadlines.due_soon += 1,
                Urgency::OnTime(_) | Urgency::Closed => {}
            }
        }
        deadlines
    }

    /// Whether nothing needs attention.
    pub fn is_calm(&self) -> bool {
        self.overdue == 0 && self.due_soon == 0
    }
}

impl PrivacyRequest {
    /// Where the request stands on `today`.
    pub fn urgency(&self, today: Date) -> Urgency {
        if self.status.is_closed() {
            return Urgency::Closed;
        }
        let Some(due) = Date::parse(&self.due_on) else {
            return Urgency::Overdue(0);
        };
        let left = due.days_since_epoch() - today.days_since_epoch();
        if left < 0 {
            Urgency::Overdue(-left)
        } else if left <= WARN_DAYS {
            Urgency::DueSoon(left)
        } else {
            Urgency::OnTime(left)
        }
    }

    /// What the request says now, as the input that would change it to itself.
    pub fn input(&self) -> RequestInput {
        RequestInput {
            kind: self.kind,
            status: Some(self.status),
            person: self.person.clone(),
            person_name: self.person_name.clone(),
            contact: self.contact.clone(),
            channel: self.channel,
            received_on: self.received_on.clone(),
            description: self.description.clone(),
            answer: self.answer.clone(),
            evidence: self.evidence.clone(),
        }
    }

    /// A new request from `input` (already [checked](RequestInput::check)), logged by
    /// `by` at `now`.
    pub fn new(id: String, input: &RequestInput, by: &str, now: i64, today: Date) -> Self {
        let mut request = PrivacyRequest {
            id,
            kind: input.kind,
            status: Status::Received,
            person: String::new(),
            person_name: String::new(),
            contact: String::new(),
            channel: input.channel,
            received_on: String::new(),
            due_on: String::new(),
            closed_on: None,
            description: String::new(),
            answer: String::new(),
            evidence: String::new(),
            created_by: by.to_owned(),
            created_at: now,
            updated_by: by.to_owned(),
            updated_at: now,
        };
        request.apply(input, by, now, today);
        request
    }

    /// Takes what `input` says (already checked), changed by `by` at `now`. Closing
    /// the request notes `today` as its day; reopening it clears that.
    pub fn apply(&mut self, input: &RequestInput, by: &str, now: i64, today: Date) {
        self.kind = input.kind;
        self.channel = input.channel;
        self.person = input.person.trim().to_owned();
        self.person_name = input.person_name.trim().to_owned();
        self.contact = input.contact.trim().to_owned();
        self.received_on = input.received_on.trim().to_owned();
        self.due_on = Date::parse(&self.received_on)
            .map(|d| due_on(d).to_string())
            .unwrap_or_default();
        self.description = input.description.trim().to_owned();
        self.answer = input.answer.trim().to_owned();
        self.evidence = input.evidence.trim().to_owned();
        let status = input.status.unwrap_or(self.status);
        if status.is_closed() && !self.status.is_closed() {
            self.closed_on = Some(today.to_string());
        } else if !status.is_closed() {
            self.closed_on = None;
        }
        self.status = status;
        self.updated_by = by.to_owned();
        self.updated_at = now;
    }
}

/// What a person types to log or change a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestInput {
    pub kind: RequestKind,
    /// Absent when logging a request (it starts as received).
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub person: String,
    pub person_name: String,
    #[serde(default)]
    pub contact: String,
    pub channel: Channel,
    pub received_on: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub evidence: String,
}

/// Why a [`RequestInput`] was refused: the first field that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// No name for the person.
    NameMissing,
    /// The received day is not a `YYYY-MM-DD` date.
    ReceivedNotADate,
    /// The received day is after today.
    ReceivedInFuture,
    /// The person's record ID is not a record ID.
    PersonNotARecord,
    /// Closing needs the answer given to the person.
    AnswerMissing,
    /// A field is longer than it may be.
    TooLong(&'static str),
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::NameMissing => f.write_str("personName: the person's name is needed"),
            RequestError::ReceivedNotADate => f.write_str("receivedOn: a date as YYYY-MM-DD"),
            RequestError::ReceivedInFuture => f.write_str("receivedOn: not after today"),
            RequestError::PersonNotARecord => f.write_str("person: a record ID"),
            RequestError::AnswerMissing => {
                f.write_str("answer: what the person was told is needed to close the request")
            }
            RequestError::TooLong(field) => write!(f, "{field}: too long"),
        }
    }
}

impl RequestInput {
    /// Checks the input against `today` (Turkey time).
    pub fn check(&self, today: Date) -> Result<(), RequestError> {
        if self.person_name.trim().is_empty() {
            return Err(RequestError::NameMissing);
        }
        let received =
            Date::parse(self.received_on.trim()).ok_or(RequestError::ReceivedNotADate)?;
        if received > today {
            return Err(RequestError::ReceivedInFuture);
        }
        let person = self.person.trim();
        if !person.is_empty() && person.parse::<crate::DocumentId>().is_err() {
            return Err(RequestError::PersonNotARecord);
        }
        if self.status.is_some_and(Status::is_closed) && self.answer.trim().is_empty() {
            return Err(RequestError::AnswerMissing);
        }
        for (field, text, max) in [
            ("personName", &self.person_name, MAX_SHORT_CHARS),
            ("contact", &self.contact, MAX_SHORT_CHARS),
            ("evidence", &self.evidence, MAX_SHORT_CHARS),
            ("description", &self.description, MAX_LONG_CHARS),
            ("answer", &self.answer, MAX_LONG_CHARS),
        ] {
            if text.chars().count() > max {
                return Err(RequestError::TooLong(field));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    fn input() -> RequestInput {
        RequestInput {
            kind: RequestKind::Erasure,
            status: None,
            person: String::new(),
            person_name: "Ayşe Yılmaz".into(),
            contact: "ayse@example.com".into(),
            channel: Channel::Kep,
            received_on: "2026-11-20".into(),
            description: "Tüm verilerimin silinmesini istiyorum.".into(),
            answer: String::new(),
            evidence: "KEP 2026/118".into(),
        }
    }

    #[test]
    fn the_answer_is_due_thirty_days_after_the_request_arrives() {
        assert_eq!(due_on(day("2026-11-20")), day("2026-12-20"));
        // Across a month's and a year's end, and a leap day.
        assert_eq!(due_on(day("2026-12-15")), day("2027-01-14"));
        assert_eq!(due_on(day("2028-02-10")), day("2028-03-11"));
    }

    #[test]
    fn an_open_request_is_on_time_then_due_soon_then_overdue_and_a_closed_one_is_neither() {
        let mut request = PrivacyRequest::new(
            "r1".into(),
            &input(),
            "admin@example.com",
            1,
            day("2026-11-20"),
        );
        assert_eq!(request.due_on, "2026-12-20");
        assert_eq!(request.urgency(day("2026-11-20")), Urgency::OnTime(30));
        assert_eq!(request.urgency(day("2026-12-12")), Urgency::OnTime(8));
        assert_eq!(request.urgency(day("2026-12-13")), Urgency::DueSoon(7));
        assert_eq!(request.urgency(day("2026-12-20")), Urgency::DueSoon(0));
        assert_eq!(request.urgency(day("2026-12-23")), Urgency::Overdue(3));
        let mut answered = input();
        answered.status = Some(Status::Answered);
        answered.answer = "Kayıtlarınız silindi.".into();
        request.apply(&answered, "privacy@example.com", 2, day("2026-12-23"));
        assert_eq!(request.urgency(day("2026-12-23")), Urgency::Closed);
        assert_eq!(request.closed_on.as_deref(), Some("2026-12-23"));
        assert_eq!(request.updated_by, "privacy@example.com");
        assert_eq!(request.created_by, "admin@example.com");
        // A request's own input changes nothing but who changed it last, and when.
        let mut same = request.clone();
        same.apply(&request.input(), "other@example.com", 9, day("2026-12-24"));
        assert_eq!(
            (same.updated_by.as_str(), same.updated_at),
            ("other@example.com", 9)
        );
        same.updated_by = request.updated_by.clone();
        same.updated_at = request.updated_at;
        assert_eq!(same, request);
        // Reopened: open again, its closing day forgotten; the deadline stays.
        let mut reopened = answered.clone();
        reopened.status = Some(Status::InProgress);
        request.apply(&reopened, "privacy@example.com", 3, day("2026-12-24"));
        assert_eq!(request.closed_on, None);
        assert_eq!(request.urgency(day("2026-12-24")), Urgency::Overdue(4));
        // Changing other fields of a closed request keeps its closing day.
        request.apply(&answered, "privacy@example.com", 4, day("2026-12-25"));
        request.apply(&answered, "privacy@example.com", 5, day("2026-12-30"));
        assert_eq!(request.closed_on.as_deref(), Some("2026-12-25"));
    }

    #[test]
    fn bad_input_names_its_field() {
        let today = day("2026-12-06");
        assert_eq!(input().check(today), Ok(()));
        let mut bad = input();
        bad.person_name = "  ".into();
        assert_eq!(bad.check(today), Err(RequestError::NameMissing));
        let mut bad = input();
        bad.received_on = "20.11.2026".into();
        assert_eq!(bad.check(today), Err(RequestError::ReceivedNotADate));
        let mut bad = input();
        bad.received_on = "2026-12-07".into();
        assert_eq!(bad.check(today), Err(RequestError::ReceivedInFuture));
        let mut bad = input();
        bad.person = "not-a-record".into();
        assert_eq!(bad.check(today), Err(RequestError::PersonNotARecord));
        let mut bad = input();
        bad.status = Some(Status::Refused);
        assert_eq!(bad.check(today), Err(RequestError::AnswerMissing));
        let mut bad = input();
        bad.evidence = "x".repeat(MAX_SHORT_CHARS + 1);
        assert_eq!(bad.check(today), Err(RequestError::TooLong("evidence")));
        assert_eq!(
            bad.check(today).unwrap_err().to_string(),
            "evidence: too long"
        );
        // Exactly at the limit is fine, counted in characters, not bytes.
        let mut fine = input();
        fine.person_name = "ş".repeat(MAX_SHORT_CHARS);
        assert_eq!(fine.check(today), Ok(()));
    }

    #[test]
    fn codes_read_back() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::from_code(kind.code()), Some(*kind));
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::from_code(channel.code()), Some(*channel));
        }
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(*status));
        }
        let json = serde_json::to_value(RequestKind::Rectification).expect("serialises");
        assert_eq!(json, "rectification");
        assert_eq!(
            serde_json::to_value(Channel::InPerson).expect("serialises"),
            Channel::InPerson.code()
        );
    }

    #[test]
    fn deadlines_count_the_open_requests_due_soon_and_late() {
        let logged = |received: &str| {
            let mut input = input();
            input.received_on = received.into();
            PrivacyRequest::new("r".into(), &input, "a@example.com", 1, day(received))
        };
        let today = day("2026-12-20");
        let mut closed = logged("2026-11-01");
        let mut answered = input();
        answered.status = Some(Status::Refused);
        answered.answer = "Kimlik doğrulanamadı.".into();
        closed.apply(&answered, "a@example.com", 2, today);
        let requests = [
            logged("2026-11-01"), // due 2026-12-01: 19 days late
            logged("2026-11-20"), // due today
            logged("2026-11-26"), // due in 6 days
            logged("2026-12-10"), // 20 days left
            closed,
        ];
        assert_eq!(
            Deadlines::of(&requests, today),
            Deadlines {
                overdue: 1,
                due_soon: 2
            }
        );
        assert!(!Deadlines::of(&requests, today).is_calm());
        assert!(Deadlines::of(&requests[3..], today).is_calm());
    }
}
