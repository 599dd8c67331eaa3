//! The Saha server, as a library so that integration tests can run it on port 0.
//!
//! Data path on this side: [`sync_socket`] speaks the automerge-repo protocol on `/sync`
//! (driving [`saha_core::sync::Connection`]), [`hub`] keeps live documents and fans out
//! changes between connections, and [`storage`] makes every change durable before it is
//! acknowledged. [`web`] assembles the HTTP routes: the app shell, static assets, the
//! workspace API and the WebSocket endpoint.

pub mod config;
pub mod error;
pub mod hub;
pub mod storage;
pub mod sync_socket;
pub mod web;

pub use config::Config;
pub use error::ServerError;
pub use web::{RunningServer, start};
