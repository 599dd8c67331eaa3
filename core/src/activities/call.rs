//! The call log record: one phone call with a customer (schema version 1).
//!
//! A call records its direction, the number (E.164), the account and contact, when it
//! started, how long it took and how it ended. A call that asks for a follow-up names
//! the time; the app then creates a task linked to the call ([`Call::follow_up_task`]).

use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored};

/// Value of the `kind` field of a call document.
pub const KIND: &str = "call";
pub const SCHEMA_VERSION: i64 = 1;

code_enum! {
    pub enum Direction { Outgoing = "outgoing", Incoming = "incoming" }
}

code_enum! {
    /// How the call ended.
    pub enum Outcome {
        Reached = "reached",
        NoAnswer = "no_answer",
        Busy = "busy",
        CallBack = "call_back",
    }
}

/// A call as stored in its document. `owner` is the agent who made or took it.
pub type Call = Stored<CallFields>;

/// The fields of a [`Call`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct CallFields {
    #[autosurgeon(missing = "Default::default")]
    pub direction: Direction,
    /// E.164.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub number: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub contact: String,
    /// Wall-clock start in the workspace zone, `YYYY-MM-DDTHH:MM`.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub started: String,
    /// Seconds.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub duration: i64,
    #[autosurgeon(missing = "Default::default")]
    pub outcome: Outcome,
    /// When to follow up, `YYYY-MM-DDTHH:MM`, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub follow_up: String,
}

/// The call form's fields.
pub mod field {
    use super::{Direction, Outcome};
    use crate::record::form::{FieldSpec, Input};

    pub const DIRECTION: FieldSpec =
        FieldSpec::required("direction", Input::Choice(Direction::CODES));
    pub const NUMBER: FieldSpec = FieldSpec::required("number", Input::Phone);
    pub const ACCOUNT: FieldSpec =
        FieldSpec::new("account", Input::Link(crate::parties::account::KIND));
    pub const CONTACT: FieldSpec =
        FieldSpec::new("contact", Input::Link(crate::parties::contact::KIND));
    pub const STARTED: FieldSpec = FieldSpec::required("started", Input::DateTime);
    pub const DURATION: FieldSpec = FieldSpec::new("duration", Input::Duration);
    pub const OUTCOME: FieldSpec = FieldSpec::required("outcome", Input::Choice(Outcome::CODES));
    pub const FOLLOW_UP: FieldSpec = FieldSpec::new("follow_up", Input::DateTime);
}

const FIELDS: &[FieldSpec] = &[
    field::DIRECTION,
    field::NUMBER,
    field::ACCOUNT,
    field::CONTACT,
    field::STARTED,
    field::DURATION,
    field::OUTCOME,
    field::FOLLOW_UP,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

/// `m:ss` (or `h:mm:ss`) for a duration in seconds.
pub fn duration_text(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

impl RecordType for Call {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Call {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let duration = if self.duration > 0 {
            duration_text(self.duration)
        } else {
            String::new()
        };
        let mut form = Form::new()
            .with("direction", self.direction.code())
            .with("number", &self.number)
            .with("account", &self.account)
            .with("contact", &self.contact)
            .with("started", &self.started)
            .with("duration", duration)
            .with("outcome", self.outcome.code())
            .with("follow_up", &self.follow_up);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        let direction = check.field(&field::DIRECTION);
        self.number = check.field(&field::NUMBER);
        self.account = check.field(&field::ACCOUNT);
        self.contact = check.field(&field::CONTACT);
        self.started = check.field(&field::STARTED);
        let duration = check.field(&field::DURATION);
        let outcome = check.field(&field::OUTCOME);
        self.follow_up = check.field(&field::FOLLOW_UP);
        record::apply_common(&mut check, self);
        check.finish()?;
        self.direction = Direction::from_code(&direction).unwrap_or(self.direction);
        self.outcome = Outcome::from_code(&outcome).unwrap_or(self.outcome);
        self.duration = duration.parse().unwrap_or(0);
        Ok(())
    }

    fn title(&self) -> String {
        format!("{} {}", self.started.replace('T', " "), self.number)
    }

    fn search_words(&self) -> String {
        format!("{} {}", self.number, self.common.notes)
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("outcome", self.outcome.code().to_owned()))
    }
}

impl Call {
    /// The instant the call started, in `zone` (None if the start is not set).
    pub fn started_ms(&self, zone: crate::time::civil::Zone) -> Option<i64> {
        crate::time::civil::LocalDateTime::parse(&self.started).map(|t| zone.to_utc_ms(t))
    }

    /// The task a follow-up asks for, linked to the call `call_id`, titled `title`
    /// (worded by the app in the user's language); None without a follow-up time.
    pub fn follow_up_task(
        &self,
        call_id: &str,
        title: &str,
        ctx: &EditContext,
    ) -> Option<crate::activities::task::Task> {
        if self.follow_up.is_empty() {
            return None;
        }
        let mut task = crate::activities::task::Task::blank(ctx);
        task.title = title.to_owned();
        task.due = self.follow_up.clone();
        task.link = call_id.to_owned();
        task.account = self.account.clone();
        task.common.team = self.common.team.clone();
        task.common.owner = self.common.owner.clone();
        Some(task)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::form::Form;
    use crate::record::from_form;
    use crate::text::validate::Problem;

    #[test]
    fn a_call_form_normalises_number_and_duration() {
        let ctx = EditContext::new("agent", 1);
        let form = Form::new()
            .with("direction", "outgoing")
            .with("number", "0532 123 45 67")
            .with("started", "2026-11-24T10:15")
            .with("duration", "3:20")
            .with("outcome", "reached")
            .with("follow_up", "2026-11-26T09:00");
        let call: Call = from_form(&form, &ctx).unwrap();
        assert_eq!(call.number, "+905321234567");
        assert_eq!(call.duration, 200);
        assert_eq!(call.form().get("duration"), "3:20");
        let task = call.follow_up_task("call-1", "Geri ara", &ctx).unwrap();
        assert_eq!(
            (task.due.as_str(), task.link.as_str()),
            ("2026-11-26T09:00", "call-1")
        );
    }

    #[test]
    fn a_bad_call_form_keeps_what_was_typed() {
        let ctx = EditContext::new("agent", 1);
        let form = Form::new()
            .with("direction", "outgoing")
            .with("number", "12")
            .with("started", "2026-11-24T25:15")
            .with("duration", "uzun")
            .with("outcome", "reached");
        let Err(crate::record::EditError::Invalid(problems)) = from_form::<Call>(&form, &ctx)
        else {
            panic!("accepted a bad form");
        };
        assert_eq!(
            problems,
            vec![
                ("number", Problem::InvalidPhone),
                ("started", Problem::InvalidDateTime),
                ("duration", Problem::InvalidNumber)
            ]
        );
        assert_eq!(form.get("duration"), "uzun");
    }
}
