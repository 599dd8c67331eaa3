//! Serving customers: [`case`]s (complaints, requests and wishes with SLA clocks),
//! [`call`] logs, [`task`]s with reminders, and the [`service_report`] that sums them up.

pub mod call;
pub mod case;
pub mod service_report;
pub mod task;
