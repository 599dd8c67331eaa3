//! The Saha server, as a library so that integration tests can run it on port 0.
//!
//! Data path on this side: [`sync`] takes documents in over the automerge-repo protocol,
//! authorizes every message and fans changes out; [`storage`] makes every change durable
//! before it is acknowledged, on the embedded file or PostgreSQL, numbers it in its
//! workspace's change feed, which [`http::sync_tickets`] streams to devices, and writes
//! the record's row in the record projection ([`storage::records`]), which [`rest`] —
//! the public REST API — lists from; its writes go through the hub too. A change may
//! raise [`webhooks`] events in the same transaction. Around it:
//! [`http`] (the router and the JSON API, one file per concern), [`directory`]
//! (workspaces, members, teams, invitations, sessions, audit log), [`throttle`] (login
//! limits and message rates), [`outbox`] (campaign sending), [`privacy`] (the log of
//! people's KVKK requests), [`attachments`] (the bytes of files on records: uploads,
//! the blob store, downloads), [`mod@start`] (opening and
//! shutting down a server) and [`admin`] (the operator commands).

pub mod admin;
pub mod attachments;
pub mod backup;
pub mod config;
pub mod directory;
pub mod error;
pub mod forms;
pub mod http;
pub mod outbox;
pub mod privacy;
pub mod rest;
pub mod start;
pub mod storage;
pub mod sync;
pub mod throttle;
pub mod webhooks;

pub use config::{Cli, Config};
pub use error::ServerError;
pub use start::{RunningServer, start};
