//! A Rust automerge-repo peer over WebSocket, built on the same sans-IO engine as the
//! browser client (`saha_protocol::sync::Connection`). It speaks only the public protocol, so
//! it drives Saha and automerge-repo's reference server alike. Used by the load generator
//! and by the server's integration tests.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use automerge::Automerge;
use futures_util::{SinkExt, StreamExt};
use saha_core::DocumentId;
use saha_protocol::sync::Connection;
use saha_protocol::wire::{Message, PeerMetadata};
use tokio::net::TcpStream;

use crate::api_client::Endpoint;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async_with_config};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a peer waits for an answer before giving up.
pub const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct PeerError(pub String);

impl std::fmt::Display for PeerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PeerError {}

fn err(e: impl std::fmt::Display) -> PeerError {
    PeerError(e.to_string())
}

/// Opens a WebSocket with no message size limit on our side and no Nagle delay.
pub async fn open_socket(url: &str) -> Result<Socket, PeerError> {
    let mut config = WebSocketConfig::default();
    config.max_message_size = None;
    config.max_frame_size = None;
    // Small read buffer: tungstenite zero-fills it before every read (see the server).
    config.read_buffer_size = 8 * 1024;
    let (ws, _) = connect_async_with_config(url, Some(config), true)
        .await
        .map_err(|e| PeerError(format!("cannot connect to {url}: {e}")))?;
    Ok(ws)
}

/// The next binary frame; `None` when the socket closed.
pub async fn next_frame(ws: &mut Socket) -> Option<Vec<u8>> {
    loop {
        match ws.next().await? {
            Ok(WsMessage::Binary(b)) => return Some(b.to_vec()),
            Ok(WsMessage::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

/// A peer holding documents in memory.
pub struct Peer {
    pub ws: Socket,
    pub conn: Connection,
    pub docs: HashMap<DocumentId, Automerge>,
    pub unavailable: HashSet<DocumentId>,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}

impl Peer {
    /// Connects to a `ws://…/sync` URL and completes the handshake. The peer ID is `name`
    /// plus a random suffix, as automerge-repo clients pick a new one per session (a
    /// server may keep sync state per peer ID).
    pub async fn connect(endpoint: &Endpoint, name: &str) -> Result<Peer, PeerError> {
        Self::connect_url(&endpoint.url().await?, name).await
    }

    /// [`Peer::connect`] to a URL as it is (for a ticketed URL already fetched).
    pub async fn connect_url(url: &str, name: &str) -> Result<Peer, PeerError> {
        let mut ws = open_socket(url).await?;
        let peer_id = format!("{name}-{}", DocumentId::random());
        let (mut conn, join) = Connection::client(peer_id, PeerMetadata::default());
        let bytes = join.encode();
        let sent = bytes.len() as u64;
        ws.send(WsMessage::Binary(bytes.into()))
            .await
            .map_err(err)?;
        let reply = tokio::time::timeout(TIMEOUT, next_frame(&mut ws))
            .await
            .map_err(|_| err("no answer to join"))?
            .ok_or_else(|| err("closed during the handshake"))?;
        let received = reply.len() as u64;
        conn.handshake(&Message::decode(&reply).map_err(err)?)
            .map_err(err)?;
        Ok(Peer {
            ws,
            conn,
            docs: HashMap::new(),
            unavailable: HashSet::new(),
            bytes_sent: sent,
            bytes_received: received,
        })
    }

    async fn send(&mut self, msg: &Message) -> Result<(), PeerError> {
        let bytes = msg.encode();
        self.bytes_sent += bytes.len() as u64;
        self.ws
            .send(WsMessage::Binary(bytes.into()))
            .await
            .map_err(err)
    }

    /// Offers a document (new or changed) to the other side.
    pub async fn offer(&mut self, id: DocumentId) -> Result<(), PeerError> {
        let doc = self.docs.entry(id).or_default();
        if let Some(msg) = self.conn.generate(id, doc) {
            self.send(&msg).await?;
        }
        Ok(())
    }

    /// Reads one frame, applies and answers it. Returns the document it changed, if any;
    /// `Err` when the socket closed or the frame was invalid.
    pub async fn handle_next(&mut self) -> Result<Option<DocumentId>, PeerError> {
        let bytes = next_frame(&mut self.ws)
            .await
            .ok_or_else(|| err("the connection closed"))?;
        self.bytes_received += bytes.len() as u64;
        match Message::decode(&bytes).map_err(err)? {
            Message::Sync(m) | Message::Request(m) => {
                let id = m.document_id;
                let doc = self.docs.entry(id).or_default();
                let applied = self.conn.receive(doc, &m).map_err(err)?;
                if let Some(reply) = self.conn.generate(id, doc) {
                    self.send(&reply).await?;
                }
                Ok(applied.changed.then_some(id))
            }
            Message::DocUnavailable { document_id, .. } => {
                self.unavailable.insert(document_id);
                Ok(None)
            }
            Message::Error { message } => Err(PeerError(format!("the server said: {message}"))),
            _ => Ok(None),
        }
    }

    /// Handles frames until `done` holds; `false` if `timeout` passed first.
    pub async fn pump_until(
        &mut self,
        timeout: Duration,
        mut done: impl FnMut(&Peer) -> bool,
    ) -> Result<bool, PeerError> {
        let deadline = Instant::now() + timeout;
        while !done(self) {
            match tokio::time::timeout_at(deadline, self.handle_next()).await {
                Ok(result) => {
                    result?;
                }
                Err(_) => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Whether the other side confirmed every change of `id`.
    pub fn confirmed(&self, id: &DocumentId) -> bool {
        self.docs
            .get(id)
            .is_some_and(|d| self.conn.peer_has_all(id, d))
    }

    /// Whether `id` has content here.
    pub fn has(&self, id: &DocumentId) -> bool {
        self.docs.get(id).is_some_and(|d| !d.get_heads().is_empty())
    }

    /// Offers all `ids` and waits until the other side confirmed all of them.
    pub async fn push_all(&mut self, ids: &[DocumentId]) -> Result<(), PeerError> {
        for id in ids {
            self.offer(*id).await?;
        }
        if self
            .pump_until(TIMEOUT, |p| ids.iter().all(|id| p.confirmed(id)))
            .await?
        {
            Ok(())
        } else {
            Err(PeerError(format!(
                "{} documents were not confirmed",
                ids.len()
            )))
        }
    }

    pub async fn push(&mut self, id: DocumentId) -> Result<(), PeerError> {
        self.push_all(&[id]).await
    }

    /// Asks for all `ids` and waits until each arrived or was reported unavailable.
    pub async fn fetch_all(&mut self, ids: &[DocumentId]) -> Result<(), PeerError> {
        for id in ids {
            self.offer(*id).await?;
        }
        if self
            .pump_until(TIMEOUT, |p| {
                ids.iter().all(|id| p.has(id) || p.unavailable.contains(id))
            })
            .await?
        {
            Ok(())
        } else {
            Err(PeerError(format!("{} documents never arrived", ids.len())))
        }
    }

    /// Asks for a document and waits until it has content.
    pub async fn fetch(&mut self, id: DocumentId) -> Result<&Automerge, PeerError> {
        self.fetch_all(&[id]).await?;
        self.docs
            .get(&id)
            .filter(|d| !d.get_heads().is_empty())
            .ok_or_else(|| PeerError(format!("{id} is unavailable")))
    }
}

/// Records made for a workspace: (kind, ID, document).
pub type MadeRecords = Vec<(&'static str, DocumentId, Automerge)>;

/// Stores `made` as `member` over the protocol and lists each record in the member's
/// workspace index (created `now_ms`), as the app does when it creates a record.
pub async fn store_records(
    member: &crate::api_client::ApiClient,
    made: &MadeRecords,
    now_ms: i64,
) -> Result<(), PeerError> {
    let index_id = member.index_id().await?;
    let mut peer = Peer::connect(&Endpoint::from(member.clone()), "seeder").await?;
    let ids: Vec<DocumentId> = made.iter().map(|(_, id, _)| *id).collect();
    for (_, id, doc) in made {
        peer.docs.insert(*id, doc.clone());
    }
    // In batches, as the bulk seeder does: the server bounds what one connection may
    // have outstanding.
    for batch in ids.chunks(100) {
        peer.push_all(batch).await?;
    }
    peer.fetch(index_id).await?;
    let index = peer
        .docs
        .get_mut(&index_id)
        .ok_or_else(|| PeerError("the index did not arrive".into()))?;
    for (kind, id, _) in made {
        saha_core::workspace::add_record(index, *id, kind, now_ms).map_err(err)?;
    }
    peer.push(index_id).await
}
