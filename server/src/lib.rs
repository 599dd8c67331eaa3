//! The Saha server, as a library so that integration tests can run it on port 0.
//!
//! Data path on this side: [`sync_socket`] speaks the automerge-repo protocol on `/sync`
//! (driving [`saha_protocol::sync::Connection`]) under the [`hub::Grant`] of a sync ticket;
//! [`hub`] authorizes every document message against the [`catalog`], keeps live
//! documents and fans out changes between connections (and, on PostgreSQL, takes in
//! other nodes' changes); [`storage`] makes every change durable before it is
//! acknowledged, on the embedded file or PostgreSQL, and numbers it in its workspace's
//! change feed, which [`api`] streams to devices (`/api/sync/changes`). Around it: [`directory`] (workspaces, members,
//! teams, invitations, sessions, audit log), [`tickets`], [`throttle`] (login limits
//! and message rates), [`security`] (headers, CSP, Origin, cookies), [`api`] (the JSON
//! API), [`calendar_feed`] (iCalendar subscriptions), [`outbox`] (campaign sending),
//! [`survey`] (customers' survey answers) and [`web`] (the router). [`admin`] holds the operator commands.

pub mod admin;
pub mod api;
pub mod calendar_feed;
pub mod catalog;
pub mod config;
pub mod directory;
pub mod error;
pub mod hub;
pub mod outbox;
pub mod security;
pub mod storage;
pub mod survey;
pub mod sync_socket;
pub mod throttle;
pub mod tickets;
pub mod web;

pub use config::{Cli, Config};
pub use error::ServerError;
pub use web::{RunningServer, start};
