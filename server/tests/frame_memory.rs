//! Finding 6 of the hostile-member test (low/medium): a `join` frame with a 16 MB
//! unknown field of nested CBOR raised server memory from 95 MB to 613 MB, three in
//! parallel to 1.18 GB. A test binary of its own, so that the process's peak memory —
//! the server runs in it — measures this and nothing else.

mod common;

use common::{connect, raw_socket, site_root, start_with};
use futures_util::SinkExt;
use saha_server::Config;
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// The server's peak resident memory (this process: the server runs in it).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Three such frames at once are refused before the handshake, and memory stays flat.
#[tokio::test]
async fn a_huge_nested_join_frame_is_refused_without_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf(), site_root());
    // The production default: the frame passes the WebSocket layer's own limit.
    config.max_message_bytes = 16 * 1024 * 1024;
    let server = start_with(config).await;
    // {"type": "join", "senderId": "evil", "x": [[[[…]]]]}: 15 MB of nesting.
    let mut frame = vec![0xa3];
    for (k, v) in [("type", "join"), ("senderId", "evil")] {
        frame.push(0x60 + k.len() as u8);
        frame.extend_from_slice(k.as_bytes());
        frame.push(0x60 + v.len() as u8);
        frame.extend_from_slice(v.as_bytes());
    }
    frame.extend_from_slice(&[0x61, b'x']);
    frame.extend(std::iter::repeat_n(0x81u8, 15 << 20));
    frame.push(0x00);
    let before = peak_rss_kib();
    let mut sockets = Vec::new();
    for _ in 0..3 {
        sockets.push(raw_socket(&server).await);
    }
    let sends = sockets.iter_mut().map(|ws| {
        let frame = frame.clone();
        async move {
            ws.send(WsMessage::Binary(frame.into())).await.unwrap();
            common::closed_by_server(ws).await
        }
    });
    let reasons = futures_util::future::join_all(sends).await;
    for reason in reasons {
        let reason = reason.expect("an error frame before closing");
        assert!(reason.contains("before the handshake"), "{reason}");
    }
    let grown_mib = (peak_rss_kib() - before) / 1024;
    // Three frames of 15 MB pass through the WebSocket layer (and this test holds
    // copies); nothing more. Before the fix: over 1 GB.
    assert!(grown_mib < 200, "peak memory grew by {grown_mib} MiB");
    // The server still serves.
    let mut peer = connect(&server, "after").await;
    assert!(
        peer.fetch(server.owner.index_id().await.unwrap())
            .await
            .is_ok()
    );
    server.shutdown().await.unwrap();
}
