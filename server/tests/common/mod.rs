//! Test helpers: a server on port 0, raw sockets, and the Rust automerge-repo peer of
//! `saha-bench` (built on the same sans-IO engine the browser uses).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use saha_bench::peer::{Socket, next_frame, open_socket};
use saha_core::wire::Message;
use saha_server::{Config, RunningServer};

pub use saha_bench::peer::Peer;

pub const TIMEOUT: Duration = Duration::from_secs(15);

pub fn site_root() -> PathBuf {
    std::env::var_os("SAHA_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site"))
}

pub async fn start(data_dir: &Path) -> RunningServer {
    saha_server::start(Config::for_tests(data_dir.to_path_buf(), site_root()))
        .await
        .expect("server starts")
}

pub fn sync_url(server: &RunningServer) -> String {
    format!("ws://{}/sync", server.addr)
}

pub async fn raw_socket(server: &RunningServer) -> Socket {
    open_socket(&sync_url(server))
        .await
        .expect("websocket connects")
}

pub async fn connect(server: &RunningServer, name: &str) -> Peer {
    Peer::connect(&sync_url(server), name)
        .await
        .expect("peer joins")
}

/// Handles frames until `done` holds (or the timeout passes).
pub async fn pump_until(peer: &mut Peer, done: impl FnMut(&Peer) -> bool) -> bool {
    peer.pump_until(TIMEOUT, done)
        .await
        .expect("connection stays open")
}

/// Waits until the server closes `ws`; returns the error frame it sent before, if any.
pub async fn closed_by_server(ws: &mut Socket) -> Option<String> {
    let mut reason = None;
    let result = tokio::time::timeout(TIMEOUT, async {
        while let Some(bytes) = next_frame(ws).await {
            if let Ok(Message::Error { message }) = Message::decode(&bytes) {
                reason = Some(message);
            }
        }
    })
    .await;
    assert!(result.is_ok(), "the server did not close the connection");
    reason
}
