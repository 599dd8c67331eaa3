//! Personal data rights (KVKK): answering a person who asks what is held about them.
//!
//! - [`access`]: `/privacy/:id`, everything the device holds about one person
//!   ([`saha_core::privacy::access`]), as a JSON file and a readable report.

pub mod access;
