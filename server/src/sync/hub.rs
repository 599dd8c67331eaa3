//! Live documents and fan-out between connections.
//!
//! The hub holds each document a connection has touched as an [`automerge::Automerge`]
//! behind an async mutex. Applying a peer's sync message, persisting the new changes and
//! announcing the document on the change channel happen under that lock, in that order:
//! every other connection tracking the document then generates its own sync message.
//! A document that fails to apply a message is dropped from memory and reloaded from
//! storage on next use, so a bad peer can never leave half-applied state behind.
//!
//! Only active documents stay in memory: [`Hub::evict`] drops documents nobody holds,
//! whose writes are all durable, once they have been idle a while or when more than
//! [`Limits::max_live_documents`] are loaded. With several nodes on one PostgreSQL,
//! [`Hub::apply_remote`] takes in what other nodes stored: their catalog entries, and
//! their changes merged into this node's loaded copies, announced like local changes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash};
use saha_core::DocumentId;
use saha_core::access::{Access, read_scope};
use saha_core::duplicates::merge::{self, Forward};
use saha_core::kinds::Record;
use saha_core::rules;
use saha_core::workspace;
use saha_protocol::sync::Connection;
use saha_protocol::wire::{DocMessage, Message};
use tokio::sync::{OwnedMutexGuard, broadcast};

use crate::ServerError;
use crate::storage::{DocWrite, DocumentStore, Durable, RecordRow, Storage, StoredDoc};
use crate::sync::catalog::{Catalog, DocMeta};

/// Incremental chunks a document may gather before it is compacted to one snapshot.
const COMPACT_AFTER_CHUNKS: usize = 64;
/// The team a retired workspace index is put in: no member belongs to it, so only
/// owners and admins can open it.
pub const RETIRED_INDEX_TEAM: &str = "~retired-index";
/// Where storage written before workspaces existed kept its one index document.
const LEGACY_INDEX_META_KEY: &str = "workspace_index";

/// A document in memory, with what is already durable.
pub struct LiveDoc {
    pub doc: Automerge,
    saved_heads: Vec<ChangeHash>,
    chunks_since_snapshot: usize,
    /// Bytes the document takes in storage.
    stored_bytes: usize,
    /// Set when applying a message failed; the holder must fetch the document again.
    poisoned: bool,
    /// When a connection last locked it.
    last_used: Instant,
    /// The record the document held when last checked (`Some(None)`: empty or not a
    /// record); `None` until read. The "before" of the next change's check, so that a
    /// change costs one typed read, not two.
    record: Option<Option<Record>>,
}

impl LiveDoc {
    fn new(doc: Automerge, stored_bytes: usize) -> LiveDoc {
        LiveDoc {
            saved_heads: doc.get_heads(),
            doc,
            chunks_since_snapshot: 0,
            stored_bytes,
            poisoned: false,
            last_used: Instant::now(),
            record: None,
        }
    }
}

/// Limits the hub enforces on documents and connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_document_bytes: usize,
    pub max_documents_per_connection: usize,
    /// Documents kept in memory at most (idle ones beyond it are dropped first).
    pub max_live_documents: usize,
    /// How long an unused document stays in memory.
    pub idle_eviction: Duration,
}

/// Sessions or users whose sync connections must close now.
#[derive(Debug, Clone)]
pub enum Revocation {
    Session(String),
    User(String),
}

/// What one sync connection is allowed: fixed when its ticket is redeemed.
#[derive(Debug)]
pub struct Grant {
    pub user_id: String,
    pub email: String,
    pub workspace_id: String,
    pub session_hash: String,
    pub access: Access,
    /// When the session ends (ms since the epoch); the connection closes then.
    pub expires_at: i64,
    /// Whether the connection follows the whole workspace: every document the member
    /// may see is sent when it changes, tracked or not (the app, which bootstraps from
    /// the change feed and so never asks for each document).
    pub follows_workspace: bool,
    /// Documents whose changes from this connection were refused: ignored from then on.
    refused: HashSet<DocumentId>,
    /// Refusals not yet written to the audit log.
    pub denials: Vec<Denial>,
    /// Records this connection merged into another (the merged record, the survivor's
    /// ID), not yet written to the audit log.
    pub merges: Vec<(DocumentId, String)>,
}

/// A change the hub refused, for the audit log and the member's device.
#[derive(Debug, Clone)]
pub struct Denial {
    pub doc: DocumentId,
    /// Stable code ([`rules::Refusal::code`], or a hub limit's).
    pub code: &'static str,
    pub reason: String,
}

impl Grant {
    pub fn new(
        user_id: String,
        email: String,
        workspace_id: String,
        session_hash: String,
        access: Access,
        expires_at: i64,
    ) -> Grant {
        Grant {
            user_id,
            email,
            workspace_id,
            session_hash,
            access,
            expires_at,
            follows_workspace: false,
            refused: HashSet::new(),
            denials: Vec::new(),
            merges: Vec::new(),
        }
    }

    /// Whether the grant may see a document with `meta`.
    fn sees(&self, meta: &DocMeta) -> bool {
        meta.workspace == self.workspace_id && self.access.can_read(&meta.scope)
    }

    pub fn is_revoked_by(&self, revocation: &Revocation) -> bool {
        match revocation {
            Revocation::Session(hash) => *hash == self.session_hash,
            Revocation::User(id) => *id == self.user_id,
        }
    }
}

/// What a [`Hub::member_change`] came to.
#[derive(Debug)]
pub enum MemberChange<E> {
    /// No such document, or one the member may not see (the two are not told apart).
    NotFound,
    /// The change changed nothing.
    Unchanged,
    /// The change function's own error; nothing was kept.
    Invalid(E),
    /// The rules refused the change; nothing was kept.
    Refused(Denial),
    /// Stored, projected and fanned out; the record as it now reads.
    Stored(Option<Box<Record>>),
}

/// Reads the record `live` holds into its cache, if not read yet (the "before" of the
/// next change's check). An unreadable stored document counts as none: its next
/// change is judged as a creation.
fn note_record(live: &mut LiveDoc, meta: Option<&DocMeta>) {
    let is_index = meta.is_some_and(|m| m.kind == workspace::KIND);
    if live.record.is_none() && !is_index {
        live.record = Some(rules::read_record(&live.doc).ok().flatten());
    }
}

/// Why a message was refused without ending the connection.
enum Refusal {
    Denied(&'static str, String),
}

impl From<rules::Refusal> for Refusal {
    fn from(r: rules::Refusal) -> Refusal {
        Refusal::Denied(r.code(), r.to_string())
    }
}

/// What an accepted change leaves to do once the document's lock is released.
#[derive(Default)]
struct Accepted {
    /// The document's new catalog entry, if it changed.
    meta: Option<DocMeta>,
    /// The record as it now reads.
    record: Option<Record>,
    /// A campaign this change approved.
    approved: bool,
}

pub struct Hub {
    storage: Storage,
    catalog: Catalog,
    limits: Limits,
    live: Mutex<HashMap<DocumentId, Arc<tokio::sync::Mutex<LiveDoc>>>>,
    changes: broadcast::Sender<DocumentId>,
    revocations: broadcast::Sender<Revocation>,
    peer_id: String,
    closing: tokio::sync::watch::Sender<bool>,
    /// Per workspace, the change number up to which this node has taken in what other
    /// nodes stored (see [`follow_other_nodes`]).
    remote_cursors: Mutex<HashMap<String, u64>>,
    /// Workspaces with webhook subscriptions: their record changes raise events.
    webhook_workspaces: std::sync::RwLock<HashSet<String>>,
    /// Woken when a change raised webhook events.
    events_raised: Arc<tokio::sync::Notify>,
    /// Documents erased for good ([`Hub::erase`]): never loaded, created or stored
    /// again, answered `doc-unavailable`.
    erased: std::sync::RwLock<HashSet<DocumentId>>,
    /// Records rebuilt without an erased person ([`Hub::note_rebuilt`]).
    rebuilt: std::sync::RwLock<HashSet<DocumentId>>,
}

impl Hub {
    /// Opens the hub over `storage`.
    pub async fn open(storage: Storage, limits: Limits) -> Result<Hub, ServerError> {
        let (changes, _) = broadcast::channel(4096);
        let (revocations, _) = broadcast::channel(256);
        let entries = storage.catalog().await?;
        let mut cursors: HashMap<String, u64> = HashMap::new();
        for entry in &entries {
            let cursor = cursors.entry(entry.meta.workspace.clone()).or_default();
            *cursor = (*cursor).max(entry.seq);
        }
        let catalog = Catalog::new(entries);
        let erased = storage
            .tables()
            .read(|tx| tx.scan(crate::storage::ERASED, "", None))?
            .into_iter()
            .filter_map(|(key, _)| key.parse::<DocumentId>().ok())
            .collect();
        let rebuilt = crate::privacy::erasure::rebuilt_documents(&storage.tables())?;
        Ok(Hub {
            storage,
            catalog,
            limits,
            live: Mutex::new(HashMap::new()),
            changes,
            revocations,
            peer_id: format!("saha-server-{}", uuid::Uuid::new_v4()),
            closing: tokio::sync::watch::Sender::new(false),
            remote_cursors: Mutex::new(cursors),
            webhook_workspaces: std::sync::RwLock::new(HashSet::new()),
            events_raised: Arc::new(tokio::sync::Notify::new()),
            erased: std::sync::RwLock::new(erased),
            rebuilt: std::sync::RwLock::new(rebuilt),
        })
    }

    /// Remembers records rebuilt without an erased person: their changes must descend
    /// from their one first change ([`rules::Refusal::ForeignHistory`]).
    pub fn note_rebuilt(&self, ids: &[DocumentId]) {
        if let Ok(mut rebuilt) = self.rebuilt.write() {
            rebuilt.extend(ids.iter().copied());
        }
    }

    /// Whether `id` was erased ([`Hub::erase`]).
    pub fn is_erased(&self, id: &DocumentId) -> bool {
        self.erased
            .read()
            .map(|erased| erased.contains(id))
            .unwrap_or(true)
    }

    /// Erases documents for good (a person's erasure, KVKK): from now on they are
    /// answered `doc-unavailable` to every connection and nothing sent for them is
    /// stored; they leave memory and the catalog, and storage forgets every byte of
    /// them, leaving a tombstone ([`DocumentStore::erase`]). A change of one being
    /// handled right now is stored first, then erased with the rest. Returns how many
    /// were stored.
    ///
    /// Other PostgreSQL nodes are told and forget them too; devices learn of them from
    /// `GET /api/sync/erased` and drop their copies
    /// ([`crate::privacy::erasure::erased_since`]).
    pub async fn erase(&self, ids: &[DocumentId], at: i64) -> Result<usize, ServerError> {
        if let Ok(mut erased) = self.erased.write() {
            erased.extend(ids.iter().copied());
        }
        for id in ids {
            if let Some(entry) = self.live_entry(id) {
                let mut live = entry.lock().await;
                self.discard(id, &mut live);
            }
            self.catalog.remove(id);
        }
        self.storage.erase(ids.to_vec(), at).await
    }

    /// Takes in erasures another node made (PostgreSQL): their documents are answered
    /// unavailable here too and leave this node's memory and catalog.
    async fn take_in_erasures(&self) -> Result<(), ServerError> {
        let stored: Vec<DocumentId> = self
            .storage
            .tables()
            .read(|tx| tx.scan(crate::storage::ERASED, "", None))?
            .into_iter()
            .filter_map(|(key, _)| key.parse::<DocumentId>().ok())
            .filter(|id| !self.is_erased(id))
            .collect();
        if let Ok(mut erased) = self.erased.write() {
            erased.extend(stored.iter().copied());
        }
        let rebuilt = crate::privacy::erasure::rebuilt_documents(&self.storage.tables())?;
        if let Ok(mut known) = self.rebuilt.write() {
            known.extend(rebuilt);
        }
        for id in &stored {
            if let Some(entry) = self.live_entry(id) {
                let mut live = entry.lock().await;
                self.discard(id, &mut live);
            }
            self.catalog.remove(id);
        }
        Ok(())
    }

    /// Creates the index document of a new workspace. If storage holds data from before
    /// workspaces existed and `adopt_legacy` is set, that data's index and every
    /// document without an owner join this workspace instead. Returns the index and
    /// whether it was adopted (an adopted index is rebuilt, see [`Hub::rebuild_index`]).
    pub async fn create_index(
        &self,
        workspace_id: &str,
        name: &str,
        adopt_legacy: bool,
    ) -> Result<(DocumentId, bool), ServerError> {
        let index_meta = DocMeta {
            workspace: workspace_id.to_owned(),
            kind: workspace::KIND.to_owned(),
            scope: Default::default(),
        };
        let legacy = if adopt_legacy {
            self.storage
                .get_meta(LEGACY_INDEX_META_KEY)?
                .and_then(|bytes| DocumentId::try_from(bytes.as_slice()).ok())
                .filter(|id| self.catalog.get(id).is_none())
        } else {
            None
        };
        if let Some(index) = legacy {
            let mut last = None;
            for id in self.storage.document_ids().await? {
                if self.catalog.get(&id).is_some() {
                    continue;
                }
                let meta = if id == index {
                    index_meta.clone()
                } else {
                    let (kind, scope) = match self.storage.load(id).await? {
                        Some(bytes) => Automerge::load(&bytes)
                            .map(|doc| read_scope(&doc))
                            .unwrap_or_default(),
                        None => Default::default(),
                    };
                    DocMeta {
                        workspace: workspace_id.to_owned(),
                        kind,
                        scope,
                    }
                };
                self.catalog.set(id, meta.clone());
                last = Some(self.storage.enqueue(DocWrite {
                    doc: id,
                    meta,
                    chunk: None,
                    snapshot: None,
                    row: None,
                    entries: Vec::new(),
                })?);
            }
            if let Some(durable) = last {
                durable.wait().await?;
            }
            tracing::info!(index = %index.url(), workspace = workspace_id, "adopted existing documents");
            return Ok((index, true));
        }
        let id = DocumentId::random();
        let doc = workspace::create(name)?;
        self.catalog.set(id, index_meta.clone());
        self.storage
            .enqueue(DocWrite {
                doc: id,
                meta: index_meta,
                chunk: Some(doc.save()),
                snapshot: None,
                row: None,
                entries: Vec::new(),
            })?
            .wait()
            .await?;
        Ok((id, false))
    }

    /// Closes the sync connections of a session or user at once.
    pub fn revoke(&self, revocation: Revocation) {
        let _ = self.revocations.send(revocation);
    }

    pub fn revocations(&self) -> broadcast::Receiver<Revocation> {
        self.revocations.subscribe()
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

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The service settings (working hours, SLA policy, contact rules) kept in the
    /// workspace index document `index` (its ID as text); the defaults when there is
    /// none yet.
    pub async fn service_settings(
        &self,
        index: &str,
    ) -> Result<saha_core::workspace::ServiceSettings, ServerError> {
        let Ok(index) = index.parse::<DocumentId>() else {
            return Ok(Default::default());
        };
        Ok(match self.lock(index, false).await? {
            Some(live) => saha_core::workspace::service(&live.doc),
            None => Default::default(),
        })
    }

    /// The pipeline (open stages, then won and lost) kept in the workspace index
    /// document `index`; the built-in one when there is none yet.
    pub async fn pipeline(
        &self,
        index: &str,
    ) -> Result<Vec<saha_core::sales::opportunity::Stage>, ServerError> {
        let builtin = || {
            saha_core::sales::opportunity::pipeline(
                saha_core::sales::opportunity::default_open_stages(),
            )
        };
        let Ok(index) = index.parse::<DocumentId>() else {
            return Ok(builtin());
        };
        Ok(match self.lock(index, false).await? {
            Some(live) => saha_core::workspace::pipeline(&live.doc),
            None => builtin(),
        })
    }

    /// Sets the workspaces whose record changes raise webhook events.
    pub fn watch_webhooks(&self, workspaces: HashSet<String>) {
        if let Ok(mut watched) = self.webhook_workspaces.write() {
            *watched = workspaces;
        }
    }

    /// Starts (or stops) raising webhook events for `workspace`.
    pub fn watch_workspace(&self, workspace: &str, watch: bool) {
        if let Ok(mut watched) = self.webhook_workspaces.write() {
            if watch {
                watched.insert(workspace.to_owned());
            } else {
                watched.remove(workspace);
            }
        }
    }

    /// Whether `workspace` has webhook subscriptions: only then are events raised.
    pub(crate) fn raises_events(&self, workspace: &str) -> bool {
        self.webhook_workspaces
            .read()
            .is_ok_and(|w| w.contains(workspace))
    }

    /// What the webhook dispatcher waits on.
    pub fn events_raised(&self) -> Arc<tokio::sync::Notify> {
        self.events_raised.clone()
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
                    let fresh = match self.storage.load(id).await? {
                        Some(bytes) => {
                            let doc = Automerge::load(&bytes)
                                .map_err(|e| ServerError::CorruptDocument(id, Box::new(e)))?;
                            LiveDoc::new(doc, bytes.len())
                        }
                        None if create => LiveDoc::new(Automerge::new(), 0),
                        None => return Ok(None),
                    };
                    let fresh = Arc::new(tokio::sync::Mutex::new(fresh));
                    let (entry, loaded) = {
                        let mut live = self
                            .live
                            .lock()
                            .map_err(|_| ServerError::Storage("live map poisoned".into()))?;
                        (live.entry(id).or_insert(fresh).clone(), live.len())
                    };
                    // A client walking the whole workspace must not fill memory before
                    // the next sweep: past the limit by a quarter, evict at once.
                    if loaded > self.limits.max_live_documents + self.limits.max_live_documents / 4
                    {
                        self.evict();
                    }
                    entry
                }
            };
            let mut guard = entry.lock_owned().await;
            if !guard.poisoned {
                guard.last_used = Instant::now();
                return Ok(Some(guard));
            }
        }
    }

    /// Changes a stored document on the server's own behalf (the campaign outbox
    /// reporting deliveries): applies `change`, stores the result durably and fans it
    /// out to connected devices like any change. Returns whether anything changed.
    pub async fn server_change(
        &self,
        id: DocumentId,
        change: impl FnOnce(&mut Automerge) -> Result<bool, saha_core::Error>,
    ) -> Result<bool, ServerError> {
        let Some(meta) = self.meta(&id).await? else {
            return Ok(false);
        };
        let Some(mut live) = self.lock(id, false).await? else {
            return Ok(false);
        };
        // The record before the change (what its webhook events are judged against).
        note_record(&mut live, Some(&meta));
        if !change(&mut live.doc)? {
            return Ok(false);
        }
        let record = if meta.kind == workspace::KIND {
            None
        } else {
            rules::read_record(&live.doc).ok().flatten()
        };
        let persisted = self.persist(id, &mut live, meta, false, record.as_ref())?;
        live.record = Some(record);
        match persisted {
            Ok(Some(durable)) => {
                drop(live);
                durable.wait().await?;
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(Refusal::Denied(_, reason)) => Err(ServerError::Storage(reason)),
        }
    }

    /// Stores `doc` as new document `id` on the server's own behalf (a record rebuilt
    /// without an erased person), with catalog entry `meta`: durably, in the record
    /// projection, and announced like any change. Fails if `id` exists.
    pub async fn server_create(
        &self,
        id: DocumentId,
        meta: DocMeta,
        doc: Automerge,
    ) -> Result<(), ServerError> {
        let Some(mut live) = self.lock(id, true).await? else {
            return Err(ServerError::Storage(format!("{id} could not be created")));
        };
        if !live.doc.get_heads().is_empty() || self.meta(&id).await?.is_some() {
            return Err(ServerError::Storage(format!("{id} exists already")));
        }
        live.doc = doc;
        let record = if meta.kind == workspace::KIND {
            None
        } else {
            rules::read_record(&live.doc).ok().flatten()
        };
        let persisted = self.persist(id, &mut live, meta, true, record.as_ref())?;
        live.record = Some(record);
        match persisted {
            Ok(Some(durable)) => {
                drop(live);
                durable.wait().await
            }
            Ok(None) => Ok(()),
            Err(Refusal::Denied(_, reason)) => {
                self.discard(&id, &mut live);
                Err(ServerError::Storage(reason))
            }
        }
    }

    /// Changes the workspace's index for records replaced by new documents: each
    /// `(old, new, kind, created_at)` whose old ID is listed gets its new ID listed
    /// instead, and every ID of `gone` leaves it.
    pub async fn relist(
        &self,
        workspace_id: &str,
        replaced: &[(DocumentId, DocumentId, String, i64)],
        gone: &[DocumentId],
    ) -> Result<(), ServerError> {
        for index in self.indexes_of(workspace_id) {
            self.server_change(index, |doc| {
                let listed: Vec<(DocumentId, &str, i64)> = replaced
                    .iter()
                    .filter(|(old, ..)| workspace::lists(doc, *old))
                    .map(|(_, new, kind, at)| (*new, kind.as_str(), *at))
                    .collect();
                let added = workspace::add_records(doc, listed)? > 0;
                let olds: Vec<DocumentId> = replaced
                    .iter()
                    .map(|(old, ..)| *old)
                    .chain(gone.iter().copied())
                    .collect();
                let removed = workspace::remove_records(doc, &olds)?;
                Ok(added || removed)
            })
            .await?;
        }
        Ok(())
    }

    /// The catalog entry of a document: from memory, else — on PostgreSQL, where
    /// another node may have created it a moment ago — from storage (then remembered).
    /// The embedded store has one node, whose memory holds every entry: a miss there
    /// is a new document, and creating one costs no storage read.
    pub async fn meta(&self, id: &DocumentId) -> Result<Option<DocMeta>, ServerError> {
        if let Some(meta) = self.catalog.get(id) {
            return Ok(Some(meta));
        }
        if matches!(self.storage, Storage::Embedded(_)) {
            return Ok(None);
        }
        Ok(match self.storage.entry(*id).await? {
            Some(stored) => {
                self.catalog.set(*id, stored.meta.clone());
                Some(stored.meta)
            }
            None => None,
        })
    }

    /// Queues what `live` gained since its last save for storage, with the document's
    /// catalog entry `meta` (recorded in the catalog too when `meta_changed`), and
    /// announces the document to the other connections at once (they may have it before
    /// it is on disk: if the server then fails, the sender still holds the change and
    /// sends it again). The returned [`Durable`] resolves when it is on disk; only then
    /// is the sender acknowledged. A `record` document's row in the record projection
    /// is written in the same transaction.
    fn persist(
        &self,
        id: DocumentId,
        live: &mut LiveDoc,
        meta: DocMeta,
        meta_changed: bool,
        record: Option<&Record>,
    ) -> Result<Result<Option<Durable>, Refusal>, ServerError> {
        let heads = live.doc.get_heads();
        if heads == live.saved_heads {
            return Ok(Ok(None));
        }
        let bytes = live.doc.save_after(&live.saved_heads);
        if live.stored_bytes + bytes.len() > self.limits.max_document_bytes {
            return Ok(Err(Refusal::Denied(
                rules::Refusal::TooLarge.code(),
                format!(
                    "the document would grow past the limit of {} bytes",
                    self.limits.max_document_bytes
                ),
            )));
        }
        if meta_changed {
            self.catalog.set(id, meta.clone());
        }
        live.stored_bytes += bytes.len();
        live.saved_heads = heads;
        live.chunks_since_snapshot += 1;
        let snapshot = if live.chunks_since_snapshot >= COMPACT_AFTER_CHUNKS {
            // Without orphans (changes whose parents never came): they are no part of
            // the document, and must not reach storage under its ID (the sender keeps
            // them and sends them again with their parents).
            let snapshot = live.doc.save_with_options(automerge::SaveOptions {
                deflate: true,
                retain_orphans: false,
            });
            live.stored_bytes = snapshot.len();
            live.chunks_since_snapshot = 0;
            Some(snapshot)
        } else {
            None
        };
        let now = crate::directory::now_ms();
        let (row, entries) = match record {
            Some(record) => {
                // `live.record` still holds the record before this change.
                let before = live.record.as_ref().and_then(Option::as_ref);
                let entries = if self.raises_events(&meta.workspace) {
                    vec![crate::webhooks::events::raise(
                        &meta.workspace,
                        id,
                        before,
                        record,
                        now,
                    )?]
                } else {
                    Vec::new()
                };
                (
                    Some(RecordRow::of(id, &meta.workspace, record, now)?),
                    entries,
                )
            }
            None => (None, Vec::new()),
        };
        let raised = !entries.is_empty();
        let durable = self.storage.enqueue(DocWrite {
            doc: id,
            meta,
            chunk: Some(bytes),
            snapshot,
            row,
            entries,
        })?;
        // Nobody listening is fine: then no other connection needs this document.
        let _ = self.changes.send(id);
        if raised {
            self.events_raised.notify_one();
        }
        Ok(Ok(Some(durable)))
    }

    /// Drops documents from memory that nobody holds and whose writes are durable: those
    /// idle longer than [`Limits::idle_eviction`], and the least recently used beyond
    /// [`Limits::max_live_documents`]. Returns how many were dropped.
    pub fn evict(&self) -> usize {
        let Ok(mut live) = self.live.lock() else {
            return 0;
        };
        let now = Instant::now();
        // Only a document nobody else holds (the map's is the one reference) and that no
        // one has locked can go; holding the map lock, nobody can take it meanwhile.
        let mut idle: Vec<(DocumentId, Instant)> = live
            .iter()
            .filter(|(id, entry)| Arc::strong_count(entry) == 1 && !self.storage.has_pending(id))
            .filter_map(|(id, entry)| entry.try_lock().ok().map(|doc| (*id, doc.last_used)))
            .collect();
        idle.sort_by_key(|(_, used)| *used);
        let over = live.len().saturating_sub(self.limits.max_live_documents);
        let mut dropped = 0;
        for (i, (id, used)) in idle.into_iter().enumerate() {
            if i < over || now.duration_since(used) >= self.limits.idle_eviction {
                live.remove(&id);
                dropped += 1;
            }
        }
        dropped
    }

    /// How many documents are in memory.
    pub fn live_count(&self) -> usize {
        self.live.lock().map(|l| l.len()).unwrap_or(0)
    }

    /// Takes in documents another node stored: their catalog entries, and their changes
    /// merged into the copies loaded here; each is announced to this node's connections.
    pub async fn apply_remote(&self, changed: Vec<StoredDoc>) -> Result<(), ServerError> {
        for stored in &changed {
            // With a write of ours queued, our entry is the newer one.
            if !self.storage.has_pending(&stored.id) {
                self.catalog.set(stored.id, stored.meta.clone());
            }
        }
        let loaded: Vec<DocumentId> = changed
            .iter()
            .map(|d| d.id)
            .filter(|id| self.live_entry(id).is_some())
            .collect();
        // A copy here that gained the other node's changes is written to the projection
        // again: when two nodes changed a record at once, each wrote a row without the
        // other's change, and the last to take in the other's writes the merged one.
        let mut merged_rows = Vec::new();
        for (id, bytes) in self.storage.load_many(loaded).await? {
            let Some(entry) = self.live_entry(&id) else {
                continue;
            };
            let mut live = entry.lock().await;
            if live.poisoned {
                continue;
            }
            let had = live.doc.get_heads();
            match live.doc.load_incremental(&bytes) {
                Ok(_) => {
                    // Everything in storage is stored; what this node queued is too.
                    live.record = None;
                    live.saved_heads = live.doc.get_heads();
                    live.stored_bytes = live.stored_bytes.max(bytes.len());
                    if had != live.saved_heads
                        && let Some(meta) = self.catalog.get(&id)
                        && let Ok(Some(record)) = rules::read_record(&live.doc)
                    {
                        merged_rows.push(RecordRow::of(
                            id,
                            &meta.workspace,
                            &record,
                            crate::directory::now_ms(),
                        )?);
                    }
                }
                Err(e) => {
                    tracing::error!(doc = %id, error = %e, "another node's change did not load");
                    self.discard(&id, &mut live);
                }
            }
        }
        if !merged_rows.is_empty() {
            self.storage.put_records(merged_rows).await?;
        }
        for stored in changed {
            let _ = self.changes.send(stored.id);
        }
        Ok(())
    }

    fn discard(&self, id: &DocumentId, live: &mut LiveDoc) {
        live.poisoned = true;
        if let Ok(mut map) = self.live.lock() {
            map.remove(id);
        }
    }

    /// [`Hub::persist`] with the entry `authorize` returned, or the unchanged one.
    fn persist_checked(
        &self,
        id: DocumentId,
        live: &mut LiveDoc,
        new_meta: Option<DocMeta>,
        old_meta: &Option<DocMeta>,
        record: Option<&Record>,
    ) -> Result<Result<Option<Durable>, Refusal>, ServerError> {
        match (new_meta, old_meta) {
            (Some(meta), _) => self.persist(id, live, meta, true, record),
            (None, Some(meta)) => self.persist(id, live, meta.clone(), false, record),
            (None, None) => Ok(Err(Refusal::Denied(
                rules::Refusal::NotARecord.code(),
                "a document without a catalog entry cannot be stored".into(),
            ))),
        }
    }

    /// Checks a change `grant` made to a document (already applied to `doc`, not yet
    /// stored) against the scope rules and the write rules of [`rules`]; `before` is
    /// the record before the change. The workspace index has rules of its own: members
    /// only add entries, and only for records shared by the workspace (an entry names a
    /// record and its kind, which the members of other teams must not learn).
    fn authorize(
        &self,
        doc_id: DocumentId,
        grant: &Grant,
        before_meta: Option<&DocMeta>,
        before: Option<&Record>,
        doc: &Automerge,
        before_heads: &[ChangeHash],
    ) -> Result<Accepted, Refusal> {
        // A record rebuilt without an erased person has one first change: a change
        // that starts another history (the old document's, sent under the new ID)
        // would bring back what was erased.
        if !before_heads.is_empty()
            && self
                .rebuilt
                .read()
                .map(|r| r.contains(&doc_id))
                .unwrap_or(true)
            && doc
                .get_changes(before_heads)
                .iter()
                .any(|c| c.deps().is_empty())
        {
            return Err(rules::Refusal::ForeignHistory.into());
        }
        let (kind, scope) = read_scope(doc);
        let is_index = before_meta.is_some_and(|m| m.kind == workspace::KIND);
        if is_index || kind == workspace::KIND {
            if !is_index {
                return Err(rules::Refusal::IndexCreated.into());
            }
            if !grant.access.role.can_write() {
                return Err(rules::Refusal::Access(saha_core::access::Denied::ReadOnly).into());
            }
            if kind != workspace::KIND
                || (!grant.access.role.administers()
                    && !workspace::only_adds_records(doc, before_heads))
            {
                return Err(rules::Refusal::IndexChange.into());
            }
            for id in workspace::added_records(doc, before_heads) {
                match self.catalog.get(&id) {
                    // Not stored yet: its own first change is checked when it comes.
                    None => {}
                    Some(meta)
                        if meta.workspace == grant.workspace_id && meta.scope.team.is_empty() => {}
                    Some(_) => {
                        return Err(rules::Refusal::IndexListsTeamRecord.into());
                    }
                }
            }
            return Ok(Accepted::default());
        }
        let after = rules::check(
            Some(&grant.access),
            &rules::Change {
                doc,
                before_heads,
                before,
                after: None,
            },
        )?;
        let approved = match (&after, before) {
            (Some(Record::Campaign(a)), b) => {
                a.status == saha_core::engagement::campaign::Status::Approved
                    && !matches!(b, Some(Record::Campaign(b)) if b.status == a.status)
            }
            _ => false,
        };
        let meta = DocMeta {
            workspace: grant.workspace_id.clone(),
            kind,
            scope,
        };
        Ok(Accepted {
            meta: (before_meta != Some(&meta)).then_some(meta),
            record: after,
            approved,
        })
    }

    /// Handles a `request` or `sync` frame of `conn`; returns the frames to send back.
    ///
    /// A document of another workspace, or one the grant may not see, is answered with
    /// `doc-unavailable`, exactly as a document that does not exist. A change the grant
    /// may not make is dropped before it is stored, the document is ignored on this
    /// connection from then on, and the refusal is added to `grant.denials`.
    /// An error means the peer sent something invalid: nothing of it was stored, and the
    /// caller closes the connection.
    pub async fn handle_doc_message(
        &self,
        conn: &mut Connection,
        grant: &mut Grant,
        msg: Message,
    ) -> Result<Vec<Message>, ServerError> {
        let (m, is_request): (DocMessage, bool) = match msg {
            Message::Request(m) => (m, true),
            Message::Sync(m) => (m, false),
            other => {
                return Err(saha_protocol::Error::Protocol(format!(
                    "{:?} is not a document message",
                    other.kind()
                ))
                .into());
            }
        };
        conn.check_sender(&m)?;
        let id = m.document_id;
        if grant.refused.contains(&id) {
            return Ok(Vec::new());
        }
        if self.is_erased(&id) {
            return Ok(vec![conn.unavailable(id)]);
        }
        if !conn.tracks(&id) && conn.tracked_count() >= self.limits.max_documents_per_connection {
            return Err(saha_protocol::Error::Protocol(format!(
                "more than {} documents on one connection",
                self.limits.max_documents_per_connection
            ))
            .into());
        }
        let meta = self.meta(&id).await?;
        let create = match &meta {
            // Another workspace's document: indistinguishable from a missing one, and
            // not tracked, so nothing about it ever reaches this peer.
            Some(meta) if meta.workspace != grant.workspace_id => {
                return Ok(vec![conn.unavailable(id)]);
            }
            Some(meta) if !grant.access.can_read(&meta.scope) => {
                // Tracked: if it becomes visible (moved to the peer's team), it is sent.
                conn.track(id);
                return Ok(vec![conn.unavailable(id)]);
            }
            Some(_) => false,
            None => !is_request,
        };
        let Some(mut live) = self.lock(id, create).await? else {
            // Neither side has it. Keep tracking it: if it appears later, this peer gets it.
            conn.track(id);
            return Ok(vec![conn.unavailable(id)]);
        };
        // Erased while this message waited for the document.
        if self.is_erased(&id) {
            self.discard(&id, &mut live);
            return Ok(vec![conn.unavailable(id)]);
        }
        // Another connection may have created the document while this one waited.
        let meta = if meta.is_none() {
            let now = self.catalog.get(&id);
            if let Some(now) = &now
                && !grant.sees(now)
            {
                if now.workspace == grant.workspace_id {
                    conn.track(id);
                }
                return Ok(vec![conn.unavailable(id)]);
            }
            now
        } else {
            meta
        };
        let before_heads = live.doc.get_heads();
        note_record(&mut live, meta.as_ref());
        let applied = match conn.receive(&mut live.doc, &m) {
            Ok(applied) => applied,
            Err(e) => {
                self.discard(&id, &mut live);
                return Err(e.into());
            }
        };
        let mut durable = None;
        let mut follow_up = None;
        let mut forward = None;
        if applied.changed {
            match self.accept(grant, id, &mut live, meta.as_ref(), &before_heads)? {
                Ok((d, accepted)) => {
                    durable = d;
                    follow_up = Some(accepted);
                    forward = merge_forwarding(&live, &before_heads);
                    if let Some(into) = newly_merged(&live, &before_heads) {
                        grant.merges.push((id, into));
                    }
                }
                Err(_) => {
                    conn.forget(&id);
                    return Ok(Vec::new());
                }
            }
        }
        let reply = conn.generate(id, &live.doc);
        if live.doc.get_heads().is_empty() {
            // A sync message without changes for a document nobody has: keep nothing.
            self.discard(&id, &mut live);
        }
        drop(live);
        self.stored(id, durable).await?;
        if let Some(accepted) = follow_up {
            self.after_accepted(id, grant, meta.as_ref(), accepted)
                .await?;
        }
        if let Some(forward) = forward {
            self.forward_to_survivor(grant, id, forward).await;
        }
        Ok(reply.into_iter().collect())
    }

    /// Judges a change `grant` made to `live` since `before_heads` (see
    /// [`Hub::authorize`]) and, if allowed, queues it for storage and fan-out. A refused
    /// change is rolled back (storage and other peers never saw it), the document is
    /// ignored from this grant from then on and the refusal is added to
    /// `grant.denials`. An error means the document's state could not be kept; it was
    /// dropped from memory.
    fn accept(
        &self,
        grant: &mut Grant,
        id: DocumentId,
        live: &mut LiveDoc,
        meta: Option<&DocMeta>,
        before_heads: &[ChangeHash],
    ) -> Result<Result<(Option<Durable>, Accepted), Denial>, ServerError> {
        let is_index = meta.is_some_and(|m| m.kind == workspace::KIND);
        let outcome = match self.authorize(
            id,
            grant,
            meta,
            live.record.as_ref().and_then(Option::as_ref),
            &live.doc,
            before_heads,
        ) {
            Ok(mut accepted) => {
                if accepted.approved
                    && let Err(e) = self.record_approval(id, grant)
                {
                    // Not recorded: the change is not taken, so the campaign is never
                    // approved without its approver on record.
                    self.discard(&id, live);
                    return Err(e);
                }
                let new_meta = accepted.meta.clone();
                match self.persist_checked(
                    id,
                    live,
                    new_meta,
                    &meta.cloned(),
                    accepted.record.as_ref(),
                ) {
                    Ok(Ok(d)) => {
                        if !is_index {
                            live.record = Some(accepted.record.take());
                        }
                        Ok((d, accepted))
                    }
                    Ok(Err(refusal)) => Err(refusal),
                    Err(e) => {
                        self.discard(&id, live);
                        return Err(e);
                    }
                }
            }
            Err(refusal) => Err(refusal),
        };
        Ok(match outcome {
            Ok(stored) => Ok(stored),
            Err(Refusal::Denied(code, reason)) => {
                self.roll_back(id, live, before_heads);
                grant.refused.insert(id);
                let denial = Denial {
                    doc: id,
                    code,
                    reason,
                };
                grant.denials.push(denial.clone());
                Err(denial)
            }
        })
    }

    /// Rolls `live` back to `before_heads`. Reloading from storage instead could miss
    /// changes still queued for the writer; a document that was empty is dropped.
    fn roll_back(&self, id: DocumentId, live: &mut LiveDoc, before_heads: &[ChangeHash]) {
        match live.doc.fork_at(before_heads) {
            Ok(rolled_back) if !before_heads.is_empty() => live.doc = rolled_back,
            _ => self.discard(&id, live),
        }
    }

    /// Waits until a queued change is durable; if it never becomes so, the document is
    /// dropped from memory so that nothing unstored is served as stored.
    async fn stored(&self, id: DocumentId, durable: Option<Durable>) -> Result<(), ServerError> {
        if let Some(durable) = durable
            && let Err(e) = durable.wait().await
        {
            if let Some(mut live) = self.lock(id, false).await.ok().flatten() {
                self.discard(&id, &mut live);
            }
            return Err(e);
        }
        Ok(())
    }

    /// Makes `change` to document `id` on behalf of `grant` — a REST API write —
    /// through the same checks as a sync message: the member must see the document,
    /// the change must pass the hub's authorization, and it is stored, written to the record
    /// projection and fanned out to connected devices like any change. With `create`, a
    /// document that does not exist starts empty. `change` returns whether it changed
    /// anything, or its own error (nothing is kept then).
    pub async fn member_change<E>(
        &self,
        grant: &mut Grant,
        id: DocumentId,
        create: bool,
        change: impl FnOnce(&mut Automerge) -> Result<bool, E>,
    ) -> Result<MemberChange<E>, ServerError> {
        let meta = self.meta(&id).await?;
        match &meta {
            Some(meta) if !grant.sees(meta) => return Ok(MemberChange::NotFound),
            None if !create => return Ok(MemberChange::NotFound),
            _ => {}
        }
        let Some(mut live) = self.lock(id, create).await? else {
            return Ok(MemberChange::NotFound);
        };
        // Another writer may have created the document meanwhile.
        let meta = match meta {
            Some(meta) => Some(meta),
            None => match self.catalog.get(&id) {
                Some(now) if !grant.sees(&now) => return Ok(MemberChange::NotFound),
                now => now,
            },
        };
        let before_heads = live.doc.get_heads();
        note_record(&mut live, meta.as_ref());
        let changed = change(&mut live.doc);
        let changed = match changed {
            Ok(changed) => changed && live.doc.get_heads() != before_heads,
            Err(e) => {
                if live.doc.get_heads() != before_heads {
                    self.roll_back(id, &mut live, &before_heads);
                }
                return Ok(MemberChange::Invalid(e));
            }
        };
        if !changed {
            if before_heads.is_empty() {
                self.discard(&id, &mut live);
            }
            return Ok(MemberChange::Unchanged);
        }
        let (durable, accepted) =
            match self.accept(grant, id, &mut live, meta.as_ref(), &before_heads)? {
                Ok(stored) => stored,
                Err(denial) => {
                    // A refused API write does not mute the document for the grant: the
                    // next request is judged afresh.
                    grant.refused.remove(&id);
                    return Ok(MemberChange::Refused(denial));
                }
            };
        // `accept` moved the record it read into the document's cache.
        let record = live.record.clone().flatten().map(Box::new);
        let forward = merge_forwarding(&live, &before_heads);
        drop(live);
        self.stored(id, durable).await?;
        self.after_accepted(id, grant, meta.as_ref(), accepted)
            .await?;
        if let Some(forward) = forward {
            self.forward_to_survivor(grant, id, forward).await;
        }
        Ok(MemberChange::Stored(record))
    }

    /// Records who approved campaign `id`, with their access (the outbox sends only to
    /// people the approver may see). Runs before the approving change is stored and
    /// announced, so the outbox never meets an approved campaign without its approver.
    fn record_approval(&self, id: DocumentId, grant: &Grant) -> Result<(), ServerError> {
        crate::outbox::record_approval(
            &self.storage.tables(),
            &id,
            &crate::outbox::Approval {
                user_id: grant.user_id.clone(),
                email: grant.email.clone(),
                access: grant.access.clone(),
                at: crate::directory::now_ms(),
            },
        )
    }

    /// What an accepted, stored change leads to: a record that is no longer shared
    /// leaves the workspace index.
    async fn after_accepted(
        &self,
        id: DocumentId,
        grant: &Grant,
        before: Option<&DocMeta>,
        accepted: Accepted,
    ) -> Result<(), ServerError> {
        let now_in_team = accepted
            .meta
            .as_ref()
            .is_some_and(|m| !m.scope.team.is_empty());
        let was_shared = before.is_none_or(|m| m.scope.team.is_empty());
        if now_in_team && was_shared {
            self.unlist(&grant.workspace_id, &[id]).await?;
        }
        Ok(())
    }

    /// Writes an edit that reached merged record `merged` onto the record it was merged
    /// into (following a survivor that was itself merged later, up to a few steps), as
    /// the server: the member's own change was stored as they made it, and was judged
    /// then. A survivor of another workspace, or one that is gone, gets nothing; a
    /// failure is logged, never returned: the member's change is already stored.
    async fn forward_to_survivor(&self, grant: &Grant, merged: DocumentId, forward: Forward) {
        const MAX_STEPS: usize = 4;
        let mut into = forward.into.clone();
        for _ in 0..MAX_STEPS {
            let Ok(survivor) = into.parse::<DocumentId>() else {
                tracing::warn!(doc = %merged, into = %into, "a merged record names no document");
                return;
            };
            match self.meta(&survivor).await {
                Ok(Some(meta)) if meta.workspace == grant.workspace_id => {}
                Ok(_) => return,
                Err(e) => {
                    tracing::error!(doc = %merged, error = %e, "merge forwarding failed");
                    return;
                }
            }
            let ctx =
                saha_core::record::EditContext::new(&grant.user_id, crate::directory::now_ms());
            let mut next = None;
            let result = self
                .server_change(survivor, |doc| {
                    let Some(Ok(record)) = Record::read(doc) else {
                        return Ok(false);
                    };
                    if record.common().is_merged() {
                        next = Some(record.common().merged_into.clone());
                        return Ok(false);
                    }
                    match merge::forward(&forward, &record, &ctx) {
                        Ok(Some(updated)) => updated.write(doc),
                        Ok(None) => Ok(false),
                        Err(problems) => {
                            tracing::warn!(
                                doc = %merged, survivor = %survivor, ?problems,
                                "an edit to a merged record does not fit its survivor"
                            );
                            Ok(false)
                        }
                    }
                })
                .await;
            if let Err(e) = result {
                tracing::error!(doc = %merged, error = %e, "merge forwarding failed");
                return;
            }
            match next {
                Some(further) => into = further,
                None => return,
            }
        }
    }

    /// The workspace's index documents (one; more only after a rebuild race).
    fn indexes_of(&self, workspace_id: &str) -> Vec<DocumentId> {
        self.catalog
            .of_kind(workspace_id, workspace::KIND)
            .into_iter()
            .filter(|(_, m)| m.scope.team.is_empty())
            .map(|(id, _)| id)
            .collect()
    }

    /// Removes `ids` from the workspace's index (a record that moved into a team).
    pub async fn unlist(&self, workspace_id: &str, ids: &[DocumentId]) -> Result<(), ServerError> {
        for index in self.indexes_of(workspace_id) {
            self.server_change(index, |doc| workspace::remove_records(doc, ids))
                .await?;
        }
        Ok(())
    }

    /// Replaces a workspace's index with a new document holding its current content
    /// and only the entries of records shared by the workspace, without the old one's
    /// history (which names every record ever listed, team records included). The old
    /// index is retired: only owners and admins, who see every record anyway, can still
    /// open it. Returns the new index's ID.
    pub async fn rebuild_index(
        &self,
        workspace_id: &str,
        old: DocumentId,
    ) -> Result<DocumentId, ServerError> {
        let keep = |id: &DocumentId| {
            self.catalog
                .get(id)
                .is_some_and(|m| m.workspace == workspace_id && m.scope.team.is_empty())
        };
        let fresh = {
            let Some(live) = self.lock(old, false).await? else {
                return Err(ServerError::Storage(format!(
                    "the index {old} of workspace {workspace_id} is not stored"
                )));
            };
            workspace::rebuild(&live.doc, keep)?
        };
        let id = DocumentId::random();
        let meta = DocMeta {
            workspace: workspace_id.to_owned(),
            kind: workspace::KIND.to_owned(),
            scope: Default::default(),
        };
        self.catalog.set(id, meta.clone());
        self.storage
            .enqueue(DocWrite {
                doc: id,
                meta,
                chunk: Some(fresh.save()),
                snapshot: None,
                row: None,
                entries: Vec::new(),
            })?
            .wait()
            .await?;
        let retired = DocMeta {
            workspace: workspace_id.to_owned(),
            kind: workspace::KIND.to_owned(),
            scope: saha_core::access::Scope {
                team: RETIRED_INDEX_TEAM.to_owned(),
                owner: String::new(),
            },
        };
        self.catalog.set(old, retired.clone());
        self.storage
            .enqueue(DocWrite {
                doc: old,
                meta: retired,
                chunk: None,
                snapshot: None,
                row: None,
                entries: Vec::new(),
            })?
            .wait()
            .await?;
        Ok(id)
    }

    /// The frame `conn` needs after `id` changed elsewhere, if any.
    pub async fn catch_up(
        &self,
        conn: &mut Connection,
        grant: &Grant,
        id: DocumentId,
    ) -> Result<Option<Message>, ServerError> {
        if grant.refused.contains(&id) || !(conn.tracks(&id) || grant.follows_workspace) {
            return Ok(None);
        }
        match self.catalog.get(&id) {
            Some(meta) if grant.sees(&meta) => {}
            _ => return Ok(None),
        }
        if !conn.tracks(&id) {
            if conn.tracked_count() >= self.limits.max_documents_per_connection {
                return Ok(None);
            }
            conn.track(id);
        }
        Ok(match self.lock(id, false).await? {
            Some(live) => conn.generate(id, &live.doc),
            None => None,
        })
    }
}

/// The edit to forward when `live` holds a merged record that changed since
/// `before_heads` (see [`merge::forwarding`]).
fn merge_forwarding(live: &LiveDoc, before_heads: &[ChangeHash]) -> Option<Forward> {
    let merged = matches!(&live.record, Some(Some(r)) if r.common().is_merged());
    if !merged {
        return None;
    }
    merge::forwarding(&live.doc, before_heads)
}

/// The survivor's ID when the change since `before_heads` is the one that merged the
/// record in `live` away.
fn newly_merged(live: &LiveDoc, before_heads: &[ChangeHash]) -> Option<String> {
    let Some(Some(record)) = &live.record else {
        return None;
    };
    (record.common().is_merged() && !merge::was_merged_at(&live.doc, before_heads))
        .then(|| record.common().merged_into.clone())
}

/// Drops idle documents from memory until the hub closes (see [`Hub::evict`]).
pub async fn evict_idle(hub: Arc<Hub>) {
    let mut closing = hub.closing();
    let every =
        (hub.limits.idle_eviction / 4).clamp(Duration::from_millis(250), Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = closing.changed() => return,
            () = tokio::time::sleep(every) => {}
        }
        let dropped = hub.evict();
        if dropped > 0 {
            tracing::debug!(dropped, live = hub.live_count(), "documents evicted");
        }
    }
}

/// Changes read from the feed per query while catching up.
const FEED_PAGE: usize = 1000;

/// Takes in what other nodes store, as their notifications announce it, until the hub
/// closes: reads each named workspace's change feed from this node's cursor and hands
/// the documents to [`Hub::apply_remote`]. On [`crate::storage::postgres::Remote::Everything`] (first connect,
/// reconnect, oversized notification) every workspace with newer changes is read. A
/// read that fails (a lost connection, a deadlock with a local write) is tried again
/// after half a second, then after twice as long each time up to 30 s, until it
/// succeeds: otherwise this node would hold stale
/// documents until the next notification for that workspace, and after the last write
/// there is none (the crash storm of `RELIABILITY.md` found one acknowledged change
/// missing on a node that way).
pub async fn follow_other_nodes(
    hub: Arc<Hub>,
    mut notifications: tokio::sync::mpsc::UnboundedReceiver<crate::storage::postgres::Remote>,
) {
    use crate::storage::postgres::Remote;
    let mut closing = hub.closing();
    // What failed last time, to try again.
    let mut again: HashMap<String, u64> = HashMap::new();
    let mut everything_again = false;
    // Doubles after each round that still failed, up to `CATCH_UP_RETRY_MAX`.
    let mut retry_after = CATCH_UP_RETRY;
    loop {
        let first = if again.is_empty() && !everything_again {
            tokio::select! {
                _ = closing.changed() => return,
                n = notifications.recv() => match n {
                    Some(n) => Some(n),
                    None => return,
                },
            }
        } else {
            tokio::select! {
                _ = closing.changed() => return,
                n = notifications.recv() => match n {
                    Some(n) => Some(n),
                    None => return,
                },
                () = tokio::time::sleep(retry_after) => None,
            }
        };
        // Everything queued meanwhile is answered by the same reads.
        let mut everything = std::mem::take(&mut everything_again);
        let mut named: HashMap<String, u64> = std::mem::take(&mut again);
        let mut take = |n: Remote| match n {
            Remote::Everything => everything = true,
            Remote::Workspaces(list) => {
                for (w, seq) in list {
                    let e = named.entry(w).or_default();
                    *e = (*e).max(seq);
                }
            }
        };
        if let Some(first) = first {
            take(first);
        }
        while let Ok(n) = notifications.try_recv() {
            take(n);
        }
        if everything {
            let Storage::Postgres(pg) = &hub.storage else {
                continue;
            };
            if let Err(e) = hub.take_in_erasures().await {
                tracing::warn!(error = %e, "cannot read other nodes' erasures");
            }
            match pg.cursors().await {
                Ok(all) => named.extend(all),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the workspaces' cursors; trying again");
                    everything_again = true;
                    again = named;
                    retry_after = (retry_after * 2).min(CATCH_UP_RETRY_MAX);
                    continue;
                }
            }
        }
        for (workspace, upto) in named {
            if let Err(e) = hub.catch_up_with(&workspace, upto).await {
                tracing::warn!(error = %e, workspace, "cannot read other nodes' changes; trying again");
                again.insert(workspace, upto);
            }
        }
        retry_after = if again.is_empty() && !everything_again {
            CATCH_UP_RETRY
        } else {
            (retry_after * 2).min(CATCH_UP_RETRY_MAX)
        };
    }
}

/// How long a node waits before reading again what it failed to read of other nodes'
/// changes.
const CATCH_UP_RETRY: std::time::Duration = std::time::Duration::from_millis(500);
/// The longest wait between two tries of a read that keeps failing.
const CATCH_UP_RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(30);

impl Hub {
    /// Reads `workspace`'s change feed from this node's cursor up to at least `upto`.
    async fn catch_up_with(&self, workspace: &str, upto: u64) -> Result<(), ServerError> {
        loop {
            let cursor = self
                .remote_cursors
                .lock()
                .map(|c| c.get(workspace).copied().unwrap_or(0))
                .unwrap_or(0);
            if cursor >= upto {
                return Ok(());
            }
            let page = self
                .storage
                .changes(workspace.to_owned(), cursor, FEED_PAGE)
                .await?;
            let Some(last) = page.last().map(|d| d.seq) else {
                return Ok(());
            };
            let full = page.len() == FEED_PAGE;
            let mut page = page;
            if let Storage::Postgres(pg) = &self.storage {
                // This node's own writes are in memory and announced already (unless
                // another node's change came just before one: `PgStore::is_own`).
                page.retain(|d| !pg.is_own(d, cursor));
            }
            self.apply_remote(page).await?;
            if let Ok(mut cursors) = self.remote_cursors.lock() {
                let c = cursors.entry(workspace.to_owned()).or_default();
                *c = (*c).max(last);
            }
            if !full {
                return Ok(());
            }
        }
    }
}
