//! What the team does with customers: [`call`] logs, [`task`]s with reminders and
//! [`meeting`]s on department and personal calendars, published as [`ics`] calendar
//! feeds.

pub mod call;
pub mod ics;
pub mod meeting;
pub mod task;
