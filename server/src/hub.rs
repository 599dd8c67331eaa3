//! Live documents and fan-out between connections.
//!
//! The hub holds each document a connection has touched as an [`automerge::Automerge`]
//! behind an async mutex. Applying a peer's sync message, persisting the new changes and
//! announcing the document on the change channel happen under that lock, in that order:
//! every other connection tracking the document then generates its own sync message.
//! A document that fails to apply a message is dropped from memory and reloaded from
//! storage on next use, so a bad peer can never leave half-applied state behind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use automerge::{Automerge, ChangeHash};
use saha_core::sync::Connection;
use saha_core::wire::{DocMessage, Message};
use saha_core::{DocumentId, workspace};
use tokio::sync::{OwnedMutexGuard, broadcast};

use crate::ServerError;
use crate::storage::{Durable, Storage};

/// Incremental chunks a document may gather before it is compacted to one snapshot.
const COMPACT_AFTER_CHUNKS: usize = 64;
const INDEX_META_KEY: &str = "workspace_index";

/// A document in memory, with what is already durable.
pub struct LiveDoc {
    pub doc: Automerge,
    saved_heads: Vec<ChangeHash>,
    chunks_since_snapshot: usize,
    /// Set when applying a message failed; the holder must fetch the document again.
    poisoned: bool,
}

pub struct Hub {
    storage: Storage,
    live: Mutex<HashMap<DocumentId, Arc<tokio::sync::Mutex<LiveDoc>>>>,
    changes: broadcast::Sender<DocumentId>,
    index_id: DocumentId,
    workspace_name: String,
    peer_id: String,
    closing: tokio::sync::watch::Sender<bool>,
}

/// What the workspace API tells a client.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceInfo {
    pub name: String,
    pub index_url: String,
}

impl Hub {
    /// Opens the storage; creates the workspace index on first start.
    pub async fn open(storage: Storage, default_name: &str) -> Result<Hub, ServerError> {
        let (changes, _) = broadcast::channel(4096);
        let peer_id = format!("saha-server-{}", uuid::Uuid::new_v4());
        let existing = storage
            .get_meta(INDEX_META_KEY)?
            .map(|bytes| DocumentId::try_from(bytes.as_slice()))
            .transpose()?;
        let index_id = match existing {
            Some(id) => id,
            None => {
                let id = DocumentId::random();
                let doc = workspace::create(default_name)?;
                storage.append(id, doc.save()).await?;
                storage
                    .put_meta(INDEX_META_KEY, id.as_bytes().to_vec())
                    .await?;
                tracing::info!(index = %id.url(), "created workspace index");
                id
            }
        };
        let stored_name = match storage.load(&index_id)? {
            Some(bytes) => workspace::name(
                &Automerge::load(&bytes)
                    .map_err(|e| ServerError::CorruptDocument(index_id, Box::new(e)))?,
            ),
            None => String::new(),
        };
        Ok(Hub {
            storage,
            live: Mutex::new(HashMap::new()),
            changes,
            index_id,
            workspace_name: if stored_name.is_empty() {
                default_name.to_owned()
            } else {
                stored_name
            },
            peer_id,
            closing: tokio::sync::watch::Sender::new(false),
        })
    }

    /// Asks every sync connection to close (server shutdown).
    pub fn close_connections(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when [`Hub::close_connections`] was called.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    pub fn index_id(&self) -> DocumentId {
        self.index_id
    }

    pub fn workspace(&self) -> WorkspaceInfo {
        WorkspaceInfo {
            name: self.workspace_name.clone(),
            index_url: self.index_id.url().to_string(),
        }
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// A receiver of the IDs of documents that gained changes.
    pub fn subscribe(&self) -> broadcast::Receiver<DocumentId> {
        self.changes.subscribe()
    }

    fn live_entry(&self, id: &DocumentId) -> Option<Arc<tokio::sync::Mutex<LiveDoc>>> {
        self.live.lock().ok()?.get(id).cloned()
    }

    /// Locks a document, loading it from storage if needed. With `create`, a document
    /// that does not exist yet starts empty; without, the answer is `None`.
    pub async fn lock(
        &self,
        id: DocumentId,
        create: bool,
    ) -> Result<Option<OwnedMutexGuard<LiveDoc>>, ServerError> {
        loop {
            let entry = match self.live_entry(&id) {
                Some(entry) => entry,
                None => {
                    let loaded = match self.storage.load(&id)? {
                        Some(bytes) => {
                            let doc = Automerge::load(&bytes)
                                .map_err(|e| ServerError::CorruptDocument(id, Box::new(e)))?;
                            let heads = doc.get_heads();
                            (doc, heads)
                        }
                        None if create => (Automerge::new(), Vec::new()),
                        None => return Ok(None),
                    };
                    let fresh = Arc::new(tokio::sync::Mutex::new(LiveDoc {
                        doc: loaded.0,
                        saved_heads: loaded.1,
                        chunks_since_snapshot: 0,
                        poisoned: false,
                    }));
                    let mut live = self
                        .live
                        .lock()
                        .map_err(|_| ServerError::Storage("live map poisoned".into()))?;
                    live.entry(id).or_insert(fresh).clone()
                }
            };
            let guard = entry.lock_owned().await;
            if !guard.poisoned {
                return Ok(Some(guard));
            }
        }
    }

    /// Queues what `live` gained since its last save for storage and announces the
    /// document to the other connections at once (they may have it before it is on
    /// disk: if the server then fails, the sender still holds the change and sends it
    /// again). The returned [`Durable`] resolves when it is on disk; only then is the
    /// sender acknowledged.
    fn persist(&self, id: DocumentId, live: &mut LiveDoc) -> Result<Option<Durable>, ServerError> {
        let heads = live.doc.get_heads();
        if heads == live.saved_heads {
            return Ok(None);
        }
        let bytes = live.doc.save_after(&live.saved_heads);
        let mut durable = self.storage.enqueue_append(id, bytes)?;
        live.saved_heads = heads;
        live.chunks_since_snapshot += 1;
        if live.chunks_since_snapshot >= COMPACT_AFTER_CHUNKS {
            // Queued after the append, so waiting for it covers both.
            durable = self.storage.enqueue_compact(id, live.doc.save())?;
            live.chunks_since_snapshot = 0;
        }
        // Nobody listening is fine: then no other connection needs this document.
        let _ = self.changes.send(id);
        Ok(Some(durable))
    }

    fn discard(&self, id: &DocumentId, live: &mut LiveDoc) {
        live.poisoned = true;
        if let Ok(mut map) = self.live.lock() {
            map.remove(id);
        }
    }

    /// Handles a `request` or `sync` frame of `conn`; returns the frames to send back.
    /// An error means the peer sent something invalid: nothing of it was stored, and the
    /// caller closes the connection.
    pub async fn handle_doc_message(
        &self,
        conn: &mut Connection,
        msg: Message,
    ) -> Result<Vec<Message>, ServerError> {
        let (m, is_request): (DocMessage, bool) = match msg {
            Message::Request(m) => (m, true),
            Message::Sync(m) => (m, false),
            other => {
                return Err(saha_core::Error::Protocol(format!(
                    "{:?} is not a document message",
                    other.kind()
                ))
                .into());
            }
        };
        conn.check_sender(&m)?;
        let id = m.document_id;
        let Some(mut live) = self.lock(id, !is_request).await? else {
            // Neither side has it. Keep tracking it: if it appears later, this peer gets it.
            conn.track(id);
            return Ok(vec![conn.unavailable(id)]);
        };
        let durable = match conn.receive(&mut live.doc, &m) {
            Ok(applied) if applied.changed => match self.persist(id, &mut live) {
                Ok(durable) => durable,
                Err(e) => {
                    self.discard(&id, &mut live);
                    return Err(e);
                }
            },
            Ok(_) => None,
            Err(e) => {
                self.discard(&id, &mut live);
                return Err(e.into());
            }
        };
        let reply = conn.generate(id, &live.doc);
        drop(live);
        if let Some(durable) = durable
            && let Err(e) = durable.wait().await
        {
            // Not on disk: forget the in-memory state and reload what is, so nothing
            // unstored is served as stored.
            if let Some(mut live) = self.lock(id, false).await.ok().flatten() {
                self.discard(&id, &mut live);
            }
            return Err(e);
        }
        Ok(reply.into_iter().collect())
    }

    /// The frame `conn` needs after `id` changed elsewhere, if any.
    pub async fn catch_up(
        &self,
        conn: &mut Connection,
        id: DocumentId,
    ) -> Result<Option<Message>, ServerError> {
        if !conn.tracks(&id) {
            return Ok(None);
        }
        Ok(match self.lock(id, false).await? {
            Some(live) => conn.generate(id, &live.doc),
            None => None,
        })
    }
}
