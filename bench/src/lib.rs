//! Saha's benchmark harness (`cargo xtask bench`).
//!
//! - [`analytics`]: a small workspace whose reports have hand-worked answers.
//! - [`api_client`]: Saha's HTTP API with a session, and ticketed sync endpoints.
//! - [`attachments`]: uploads and downloads of files, and what they cost the server.
//! - [`datagen`]: deterministic Turkish CRM data.
//! - [`peer`]: a Rust automerge-repo peer over WebSocket (also used by the server's
//!   integration tests), speaking only the public protocol.
//! - [`process`]: servers under test as child processes, measured through /proc.
//! - [`torture`]: the crash storm (writers against a server killed again and again).
//! - [`workloads`]: initial sync, reconnect, fan-out and throughput, the same for Saha and
//!   for automerge-repo's reference server.

pub mod analytics;
pub mod api_client;
pub mod attachments;
pub mod datagen;
pub mod peer;
pub mod process;
pub mod screens;
pub mod soak;
pub mod torture;
pub mod workloads;
