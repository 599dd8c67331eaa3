//! Dates, hours and calendars: [`civil`] dates and zones, [`working_time`] (workspace
//! hours and holidays, what SLA clocks count), [`meeting`]s on department and personal
//! calendars, [`rrule`] recurrences and the [`ics`] calendar feeds.

pub mod civil;
pub mod ics;
pub mod meeting;
pub mod rrule;
pub mod working_time;
