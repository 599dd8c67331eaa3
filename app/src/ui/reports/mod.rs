//! Reports computed on the device from its records: the [`service`] report,
//! [`profit`]ability, [`customers`] (the satisfaction–loyalty matrix and retention) and
//! [`demand`], team [`performance`]; and an account's [`insights`] for its 360° page.

pub mod customers;
pub mod demand;
pub mod insights;
pub mod performance;
pub mod profit;
pub mod service;
