//! Personal data rights (KVKK): answering a person who asks what is held about them,
//! and keeping the log of what people asked.
//!
//! - [`access`]: `/privacy/:id`, everything the device holds about one person
//!   ([`saha_core::privacy::access`]), as a JSON file and a readable report.
//! - [`erase`]: the erasure section of that page (the server erases; this device drops
//!   the erased records at once).
//! - [`requests`]: `/settings/privacy`, the log of people's requests with their 30-day
//!   deadlines ([`saha_core::privacy::request`]).
//! - [`retention`]: the retention policy on the same page, with what a run would
//!   erase, a run on demand and the log of runs.
//! - [`deadlines`]: the warning on "my day" when a request is late or due within a week.

pub mod access;
pub mod deadlines;
pub mod erase;
pub mod requests;
pub mod retention;
