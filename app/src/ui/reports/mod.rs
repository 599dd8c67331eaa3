//! Reports computed on the device from its records: the [`service`] report and
//! [`profit`]ability.

pub mod profit;
pub mod service;
