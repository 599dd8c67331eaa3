//! Reports computed on the device from its records: the [`service`] report.

pub mod service;
