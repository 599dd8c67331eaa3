//! Saha's shared core: the record model and the domain logic the browser client and the
//! server must agree on, written once.
//!
//! The data path of Saha is *records → local store and read model → sync → server
//! storage and fan-out*. This crate is its first step and the rules every later step
//! applies; the wire protocol and sync engine are in `saha-protocol`. The folders read
//! as the product:
//!
//! - [`text`]: checks of what users type (e-mail, phone, VKN/TCKN, …) with their
//!   problem codes, and Turkish-aware case folding. Depends on nothing.
//! - [`time`]: civil dates and zones, working time and holidays, recurrences.
//! - [`record`]: the framework every record type is built on (common fields, reading and
//!   writing documents as field-level diffs, forms).
//! - [`access`]: roles, teams and departments, and who may see which record.
//! - [`parties`]: accounts, contacts, the persons a message can reach, each party's İYS
//!   consent log and loyalty ledger.
//! - [`sales`]: leads, opportunities, products, quotes, orders and invoices, money.
//! - [`activities`]: calls, tasks with reminders, meetings on department calendars and
//!   their iCalendar feeds.
//! - [`service`]: cases (complaints, requests, wishes) with SLA clocks.
//! - [`engagement`]: segments, campaigns gated by consent and approval, special days.
//! - [`kinds`]: the registry of record kinds, the one list a new kind is added to.
//! - [`duplicates`]: the same company or person entered twice: candidates by exact keys,
//!   a score on folded names, and merging with a redirect from the merged record.
//! - [`import`]: spreadsheets and other CRMs' exports to records (encodings, CSV,
//!   column mapping, row checks and the dry-run report), shared by app and server.
//! - [`analytics`]: meaning from the data — profit per customer, ABC classes, RFM.
//! - [`views`]: what is computed across every kind: the 360° timeline, segment members
//!   and campaign audiences, the service report.
//! - [`rules`]: the one table of who may write which field and take which workflow step,
//!   applied by the server to every sync message and by the app before it writes.
//! - [`workspace`]: the workspace index document (record list, pipeline stages, service
//!   and loyalty settings).
//! - [`read_model`]: what the screens show of each document, projected and stored
//!   beside it, so lists and search never load a document.
//! - [`search`]: the incremental Turkish-aware search index.
//! - [`api`]: the JSON bodies of the HTTP API; [`web_form`]: the rules a web form
//!   definition meets; [`error`]: the core's error type.
//!
//! Each folder uses only the ones listed before it (`cargo xtask cycles` checks that no
//! two import each other). Nothing here does I/O; callers own sockets, storage and
//! clocks.

pub mod access;
pub mod activities;
pub mod analytics;
pub mod api;
pub mod duplicates;
pub mod engagement;
pub mod error;
pub mod export;
pub mod import;
pub mod kinds;
pub mod parties;
pub mod privacy;
pub mod read_model;
pub mod record;
pub mod rules;
pub mod sales;
pub mod search;
pub mod service;
pub mod text;
pub mod time;
pub mod views;
pub mod web_form;
pub mod workspace;

pub use error::Error;
pub use saha_protocol::{AutomergeUrl, DocumentId};
