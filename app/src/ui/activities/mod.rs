//! What the team does with customers: [`calls`] (dialling, logging, follow-ups),
//! [`my_day`] (today's tasks, meetings and calls), [`reminders`] and the department
//! and personal [`calendar`].

pub mod calendar;
pub mod calls;
pub mod my_day;
pub mod reminders;
