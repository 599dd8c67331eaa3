//! Saha's shared core: everything the browser client and the server must agree on.
//!
//! The data path of Saha is *record types → local store → sync → server storage and
//! fan-out*. This crate holds the parts of that path that are the same on both sides, so
//! that they are written once:
//!
//! - [`document_id`]: document IDs and `automerge:` URLs, as automerge-repo spells them.
//! - [`wire`]: the automerge-repo wire protocol (CBOR frames over a WebSocket).
//! - [`sync`]: a sans-IO sync engine for one connection, used by both the server's
//!   WebSocket handler and the browser's sync client.
//! - [`feed`]: the change feed's stream format (bootstrap and reconnect by cursor).
//! - [`record`] and the record types [`account`], [`contact`], [`lead`],
//!   [`opportunity`], [`product`], [`sales`] (quotes, orders, invoices), mapped onto
//!   Automerge documents with `autosurgeon`; [`form`] describes and checks their forms;
//!   [`workspace`] is the index of a workspace's records.
//! - Service and time: [`case`] (complaints, requests, wishes with SLA clocks), [`call`],
//!   [`task`], [`meeting`] (calendars and the contact-frequency guard), computed over
//!   [`working_time`] and [`civil`] dates and zones; [`rrule`] expands recurrences,
//!   [`ics`] writes iCalendar feeds, [`service_report`] sums up the service figures.
//! - Engagement: [`consent`] (the İYS consent log, its merge rule and export),
//!   [`segment`] (saved filters over people), [`campaign`] (templates and the send
//!   gate), [`special_days`] (birthdays and customer anniversaries) and [`loyalty`]
//!   (the points programme and each account's ledger).
//! - [`search`]: the incremental Turkish-aware search index; [`invoice_number`]:
//!   invoice numbers that stay unique across offline devices.
//! - [`access`]: roles and the visibility and change rules the server enforces and the
//!   app follows; [`rules`]: the one table of who may write which field and take which
//!   workflow step, checked by the server on every change and by the app before it
//!   writes; [`api`]: the JSON bodies of the HTTP API.
//! - [`money`]: exact decimal amounts, KDV rates and line totals for quotes, orders and
//!   invoices.
//! - [`validate`], [`fold`], [`value`]: input validation, Turkish-aware text folding,
//!   and reading strings written as scalars or text.
//!
//! Nothing here does I/O; callers own sockets, storage and clocks.

pub mod record;

pub mod access;
pub mod account;
pub mod api;
pub mod call;
pub mod campaign;
pub mod case;
pub mod civil;
pub mod consent;
pub mod contact;
pub mod document_id;
pub mod error;
pub mod feed;
pub mod fold;
pub mod form;
pub mod ics;
pub mod invoice_number;
pub mod lead;
pub mod loyalty;
pub mod meeting;
pub mod money;
pub mod opportunity;
pub mod product;
pub mod rrule;
pub mod rules;
pub mod sales;
pub mod search;
pub mod segment;
pub mod service_report;
pub mod special_days;
pub mod sync;
pub mod task;
pub mod timeline;
pub mod validate;
pub mod value;
pub mod wire;
pub mod working_time;
pub mod workspace;

pub use document_id::{AutomergeUrl, DocumentId};
pub use error::Error;
