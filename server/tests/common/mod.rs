//! Test helpers: a server on port 0 and a Rust automerge-repo peer built on the same
//! sans-IO engine the browser uses (`saha_core::sync::Connection`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use automerge::Automerge;
use futures_util::{SinkExt, StreamExt};
use saha_core::DocumentId;
use saha_core::sync::Connection;
use saha_core::wire::{Message, PeerMetadata};
use saha_server::{Config, RunningServer};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

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

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub async fn raw_socket(server: &RunningServer) -> Socket {
    let (ws, _) = connect_async(format!("ws://{}/sync", server.addr))
        .await
        .expect("websocket connects");
    ws
}

/// A peer holding documents in memory.
pub struct Peer {
    pub ws: Socket,
    pub conn: Connection,
    pub docs: HashMap<DocumentId, Automerge>,
    pub unavailable: Vec<DocumentId>,
}

impl Peer {
    pub async fn connect(server: &RunningServer, name: &str) -> Peer {
        let mut ws = raw_socket(server).await;
        let (mut conn, join) = Connection::client(name, PeerMetadata::default());
        ws.send(WsMessage::Binary(join.encode().into()))
            .await
            .unwrap();
        let reply = next_frame(&mut ws).await.expect("peer reply");
        conn.handshake(&Message::decode(&reply).unwrap()).unwrap();
        assert!(conn.is_ready());
        Peer {
            ws,
            conn,
            docs: HashMap::new(),
            unavailable: Vec::new(),
        }
    }

    /// Offers a document (new or changed) to the server.
    pub async fn offer(&mut self, id: DocumentId) {
        let doc = self.docs.entry(id).or_default();
        if let Some(msg) = self.conn.generate(id, doc) {
            self.ws
                .send(WsMessage::Binary(msg.encode().into()))
                .await
                .unwrap();
        }
    }

    /// Reads and answers frames until `done` holds or the timeout passes.
    pub async fn pump_until(&mut self, mut done: impl FnMut(&Peer) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while !done(self) {
            let Ok(frame) = tokio::time::timeout_at(deadline, next_frame(&mut self.ws)).await
            else {
                return false;
            };
            let Some(bytes) = frame else { return false };
            match Message::decode(&bytes).unwrap() {
                Message::Sync(m) | Message::Request(m) => {
                    let id = m.document_id;
                    let doc = self.docs.entry(id).or_default();
                    self.conn.receive(doc, &m).unwrap();
                    if let Some(reply) = self.conn.generate(id, doc) {
                        self.ws
                            .send(WsMessage::Binary(reply.encode().into()))
                            .await
                            .unwrap();
                    }
                }
                Message::DocUnavailable { document_id, .. } => self.unavailable.push(document_id),
                other => panic!("unexpected {other:?}"),
            }
        }
        true
    }

    /// Offers `id` and waits until the server confirmed all of it.
    pub async fn push(&mut self, id: DocumentId) {
        self.offer(id).await;
        assert!(
            self.pump_until(|p| p.conn.peer_has_all(&id, &p.docs[&id]))
                .await,
            "server did not confirm {id}"
        );
    }

    /// Asks for a document and waits until it has content.
    pub async fn fetch(&mut self, id: DocumentId) -> &Automerge {
        self.offer(id).await;
        assert!(
            self.pump_until(|p| p.docs.get(&id).is_some_and(|d| !d.get_heads().is_empty()))
                .await,
            "never received {id}"
        );
        &self.docs[&id]
    }
}

/// The next binary frame's bytes; `None` when the socket closed.
pub async fn next_frame(ws: &mut Socket) -> Option<Vec<u8>> {
    loop {
        match ws.next().await? {
            Ok(WsMessage::Binary(b)) => return Some(b.to_vec()),
            Ok(WsMessage::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
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
