//! The task record: something a member must do by a time, linked to any record, with an
//! optional reminder (schema version 1).

use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored, Transition};

/// Value of the `kind` field of a task document.
pub const KIND: &str = "task";
pub const SCHEMA_VERSION: i64 = 1;

code_enum! {
    pub enum Status { Open = "open", Done = "done" }
}

/// Reminder offsets a task may ask for, minutes before it is due ("" for none).
pub const REMINDERS: &[&str] = &["0", "15", "60", "1440"];

/// A task as stored in its document. `owner` is who must do it.
pub type Task = Stored<TaskFields>;

/// The fields of a [`Task`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct TaskFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` in the workspace zone, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub due: String,
    #[autosurgeon(missing = "Default::default")]
    pub status: Status,
    /// The record the task is about (any kind), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub link: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    /// Minutes before `due` to remind, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub remind: String,
    #[autosurgeon(missing = "Default::default")]
    pub history: Vec<Transition>,
}

/// The task form's fields.
pub mod field {
    use super::Status;
    use crate::record::form::{FieldSpec, Input};

    /// Stored as the document's `title`.
    pub const TITLE: FieldSpec = FieldSpec::required("subject", Input::Text);
    pub const DUE: FieldSpec = FieldSpec::new("due", Input::DateTime);
    pub const STATUS: FieldSpec = FieldSpec::required("status", Input::Choice(Status::CODES));
    pub const LINK: FieldSpec = FieldSpec::new("link", Input::AnyLink);
    pub const ACCOUNT: FieldSpec =
        FieldSpec::new("account", Input::Link(crate::parties::account::KIND));
    pub const REMIND: FieldSpec = FieldSpec::new("remind", Input::Choice(super::REMINDERS));
}

const FIELDS: &[FieldSpec] = &[
    field::TITLE,
    field::DUE,
    field::STATUS,
    field::LINK,
    field::ACCOUNT,
    field::REMIND,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Task {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Task {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("subject", &self.title)
            .with("due", &self.due)
            .with("status", self.status.code())
            .with("link", &self.link)
            .with("account", &self.account)
            .with("remind", &self.remind);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.title = check.field(&field::TITLE);
        self.due = check.field(&field::DUE);
        let status = check.field(&field::STATUS);
        self.link = check.field(&field::LINK);
        self.account = check.field(&field::ACCOUNT);
        self.remind = check.field(&field::REMIND);
        if !self.remind.is_empty() && self.due.is_empty() {
            check.problem(field::DUE.name, crate::text::validate::Problem::Required);
        }
        record::apply_common(&mut check, self);
        check.finish()?;
        self.set_status(Status::from_code(&status).unwrap_or(self.status), ctx);
        Ok(())
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn search_words(&self) -> String {
        self.title.clone()
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn status(&self) -> Option<String> {
        Some(self.status.code().to_owned())
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("status", self.status.code().to_owned()))
    }
}

impl Task {
    /// Marks the task open or done, logging the change; returns whether it changed.
    pub fn set_status(&mut self, status: Status, ctx: &EditContext) -> bool {
        if status == self.status {
            return false;
        }
        let step = Transition::new(ctx, self.status.code(), status.code());
        self.history.push(step);
        self.status = status;
        true
    }

    /// When the task is due, in `zone`.
    pub fn due_ms(&self, zone: crate::time::civil::Zone) -> Option<i64> {
        crate::time::civil::LocalDateTime::parse(&self.due).map(|t| zone.to_utc_ms(t))
    }

    /// When to remind, if the task asks for a reminder and is still open.
    pub fn remind_at(&self, zone: crate::time::civil::Zone) -> Option<i64> {
        let before: i64 = self.remind.parse().ok()?;
        (self.status == Status::Open)
            .then(|| self.due_ms(zone).map(|due| due - before * 60_000))
            .flatten()
    }

    /// When the task was last marked done, if it is done.
    pub fn done_at(&self) -> Option<i64> {
        (self.status == Status::Done)
            .then(|| {
                self.history
                    .iter()
                    .filter(|t| t.to == Status::Done.code())
                    .map(|t| t.at)
                    .max()
            })
            .flatten()
    }
}

/// Which of a member's open tasks "my day" shows for the local date `today`: overdue
/// ones and those due today, earliest first, then open tasks without a due time. Each
/// task comes with its key (its document ID, say).
pub fn my_day<'a, K>(
    tasks: impl IntoIterator<Item = (K, &'a Task)>,
    user: &str,
    today: crate::time::civil::Date,
) -> Vec<(K, &'a Task)> {
    let mut due: Vec<(K, &Task)> = Vec::new();
    let mut undated: Vec<(K, &Task)> = Vec::new();
    for (key, task) in tasks {
        if task.common.owner != user || task.status != Status::Open {
            continue;
        }
        match crate::time::civil::LocalDateTime::parse(&task.due) {
            Some(t) if t.date <= today => due.push((key, task)),
            Some(_) => {}
            None => undated.push((key, task)),
        }
    }
    due.sort_by(|a, b| a.1.due.cmp(&b.1.due));
    due.extend(undated);
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::civil::{Date, Zone};

    #[test]
    fn my_day_lists_overdue_and_today_then_undated() {
        let ctx = EditContext::new("ayse", 0);
        let task = |title: &str, due: &str, owner: &str| {
            let mut t = Task::blank(&ctx);
            t.title = title.into();
            t.due = due.into();
            t.common.owner = owner.into();
            t
        };
        let mut done = task("done", "2026-11-24T09:00", "ayse");
        done.set_status(Status::Done, &EditContext::new("ayse", 5));
        let tasks = [
            task("tomorrow", "2026-11-25T09:00", "ayse"),
            task("today late", "2026-11-24T16:00", "ayse"),
            task("overdue", "2026-11-20T10:00", "ayse"),
            task("someone else's", "2026-11-24T10:00", "mehmet"),
            task("whenever", "", "ayse"),
            done.clone(),
        ];
        let day: Vec<&str> = my_day(
            tasks.iter().enumerate(),
            "ayse",
            Date::new(2026, 11, 24).unwrap(),
        )
        .into_iter()
        .map(|(_, t)| t.title.as_str())
        .collect();
        assert_eq!(day, ["overdue", "today late", "whenever"]);
        assert_eq!(done.done_at(), Some(5));
    }

    #[test]
    fn reminders_fire_before_the_due_time() {
        let ctx = EditContext::new("ayse", 0);
        let mut t = Task::blank(&ctx);
        t.due = "2026-11-24T10:00".into();
        t.remind = "15".into();
        let zone = Zone::istanbul();
        assert_eq!(
            t.remind_at(zone),
            Some(t.due_ms(zone).unwrap() - 15 * 60_000)
        );
        t.set_status(Status::Done, &ctx);
        assert_eq!(t.remind_at(zone), None);
    }
}
