//! Saha's shared core: the record model and the domain logic the browser client and the
//! server must agree on, written once.
//!
//! The data path of Saha is *records → local store and read model → sync → server
//! storage and fan-out*. This crate is its first step and the rules every later step
//! applies; the wire protocol and sync engine are in `saha-protocol`. The folders read
//! as the product:
//!
//! - [`record`]: the framework every record type is built on (common fields, reading and
//!   writing documents as field-level diffs, forms, validation, text folding) and the
//!   [`record::workspace`] index.
//! - [`kinds`]: the registry of record kinds, the one list a new kind is added to.
//! - [`parties`]: accounts, contacts and each account's timeline.
//! - [`sales`]: leads, opportunities, products, quotes, orders and invoices, money.
//! - [`service`]: cases with SLA clocks, calls, tasks and the service report.
//! - [`time`]: civil dates and zones, working time, meetings and calendars, recurrences,
//!   iCalendar feeds.
//! - [`engagement`]: the İYS consent log, segments, campaigns, special days, loyalty.
//! - [`access`]: roles and visibility, and [`access::rules`], the one table of who may
//!   write which field and take which workflow step.
//! - [`search`]: the incremental Turkish-aware search index.
//! - [`api`]: the JSON bodies of the HTTP API; [`error`]: the core's error type.
//!
//! Nothing here does I/O; callers own sockets, storage and clocks.

pub mod access;
pub mod api;
pub mod engagement;
pub mod error;
pub mod kinds;
pub mod parties;
pub mod record;
pub mod sales;
pub mod search;
pub mod service;
pub mod time;

pub use error::Error;
pub use saha_protocol::{AutomergeUrl, DocumentId};
