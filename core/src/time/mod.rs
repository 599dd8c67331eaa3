//! Dates and hours: [`civil`] dates and zones, [`working_time`] (workspace hours and
//! holidays, what SLA clocks count) and [`rrule`] recurrences. No records here; meetings
//! are in [`crate::activities`].

pub mod civil;
pub mod rrule;
pub mod working_time;
