//! Durable storage: documents, the catalog, the per-workspace change feed and the
//! server's own tables, behind one trait with two backends.
//!
//! [`DocumentStore`] is what the hub needs: queue a change of a document (its new chunk,
//! its catalog entry, optionally a compacted snapshot) and learn when it is durable;
//! load a document; read the catalog and the change feed. Every stored change gives the
//! document the next number of its workspace's change sequence, so "what changed since
//! cursor N" is one indexed range read ([`DocumentStore::changes`]), and numbers are
//! handed out in commit order (a writer holds its workspace's counter until it
//! commits), so a reader that saw N never misses a change numbered below N later.
//!
//! [`embedded`] keeps all of it in one redb file (the default: zero setup, one node);
//! [`postgres`] keeps it in PostgreSQL, where several server nodes share it and learn
//! of each other's changes through `LISTEN`/`NOTIFY`. [`tables`] is the key-value
//! layer the directory, tickets, outbox and survey links use on either backend.

pub mod embedded;
pub mod postgres;
pub mod records;
pub mod tables;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use saha_core::DocumentId;
use tokio::sync::oneshot;

use crate::ServerError;
use crate::sync::catalog::DocMeta;
pub use records::{RecordQuery, RecordRow};
pub use tables::{TableTx, Tables};

/// The embedded store's default in-memory cache (`--storage-cache-mib`).
pub const DEFAULT_CACHE_BYTES: usize = 128 * 1024 * 1024;

/// One queued write of a document.
#[derive(Debug, Clone)]
pub struct DocWrite {
    pub doc: DocumentId,
    /// The document's catalog entry after this write (its workspace never changes).
    pub meta: DocMeta,
    /// Changes to append (`Automerge::save_after`), if any.
    pub chunk: Option<Vec<u8>>,
    /// A snapshot that replaces every chunk stored so far (after `chunk`, if both).
    pub snapshot: Option<Vec<u8>>,
    /// The record's new row in the projection ([`records`]), for a record document.
    pub row: Option<RecordRow>,
    /// Key-value entries written in the same transaction (the webhook events a change
    /// raises: stored if and only if the change is).
    pub entries: Vec<TableEntry>,
}

/// One key-value entry of a [`tables`] table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableEntry {
    pub table: &'static str,
    pub key: String,
    pub value: Vec<u8>,
}

/// A document's catalog entry with its place in the change feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDoc {
    pub id: DocumentId,
    pub meta: DocMeta,
    /// Its workspace's change number of the document's last change.
    pub seq: u64,
}

/// A queued write; [`Durable::wait`] returns once its transaction is committed.
pub struct Durable(oneshot::Receiver<Result<(), String>>);

impl Durable {
    pub async fn wait(self) -> Result<(), ServerError> {
        self.0
            .await
            .map_err(|_| ServerError::WriterGone)?
            .map_err(ServerError::Storage)
    }
}

type Reply = oneshot::Sender<Result<(), String>>;

/// Documents with writes queued but not yet committed: the hub never drops such a
/// document from memory, since reloading it would miss them.
#[derive(Default, Clone)]
pub(crate) struct Pending(Arc<Mutex<HashMap<DocumentId, usize>>>);

impl Pending {
    fn add(&self, doc: DocumentId) {
        if let Ok(mut map) = self.0.lock() {
            *map.entry(doc).or_default() += 1;
        }
    }

    fn done(&self, doc: &DocumentId) {
        if let Ok(mut map) = self.0.lock()
            && let Some(n) = map.get_mut(doc)
        {
            *n -= 1;
            if *n == 0 {
                map.remove(doc);
            }
        }
    }

    fn contains(&self, doc: &DocumentId) -> bool {
        self.0.lock().map(|m| m.contains_key(doc)).unwrap_or(true)
    }
}

/// What the hub needs of durable storage. Both backends pass the same test suite
/// (`storage_suite` in this module's tests and `server/tests/storage_backends.rs`).
pub trait DocumentStore {
    /// Queues a write; the returned [`Durable`] resolves once it is committed. Writes are
    /// committed in the order they were queued.
    fn enqueue(&self, write: DocWrite) -> Result<Durable, ServerError>;

    /// Whether writes of `doc` are queued and not yet committed.
    fn has_pending(&self, doc: &DocumentId) -> bool;

    /// The concatenated chunks of a document, or `None` if it was never stored.
    fn load(
        &self,
        doc: DocumentId,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, ServerError>> + Send;

    /// The stored bytes of several documents (those that exist), in any order.
    fn load_many(
        &self,
        docs: Vec<DocumentId>,
    ) -> impl Future<Output = Result<Vec<(DocumentId, Vec<u8>)>, ServerError>> + Send;

    /// Every catalog entry.
    fn catalog(&self) -> impl Future<Output = Result<Vec<StoredDoc>, ServerError>> + Send;

    /// One catalog entry.
    fn entry(
        &self,
        doc: DocumentId,
    ) -> impl Future<Output = Result<Option<StoredDoc>, ServerError>> + Send;

    /// Documents of `workspace` changed after change number `since`, in change order, at
    /// most `limit`.
    fn changes(
        &self,
        workspace: String,
        since: u64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<StoredDoc>, ServerError>> + Send;

    /// The last change number handed out in `workspace` (0 if none).
    fn cursor(&self, workspace: String) -> impl Future<Output = Result<u64, ServerError>> + Send;

    /// The ID of every document that has chunks.
    fn document_ids(&self) -> impl Future<Output = Result<Vec<DocumentId>, ServerError>> + Send;

    /// The key-value tables of the directory, tickets, outbox and survey links.
    fn tables(&self) -> Tables;

    /// A page of the record projection (structured filters, sort and cursor; see
    /// [`records::matching`] for free text).
    fn records(
        &self,
        query: RecordQuery,
    ) -> impl Future<Output = Result<Vec<RecordRow>, ServerError>> + Send;

    /// One record's row.
    fn record(
        &self,
        workspace: String,
        kind: String,
        id: DocumentId,
    ) -> impl Future<Output = Result<Option<RecordRow>, ServerError>> + Send;

    /// Writes rows outside a document write (rebuilding the projection).
    fn put_records(
        &self,
        rows: Vec<RecordRow>,
    ) -> impl Future<Output = Result<(), ServerError>> + Send;

    /// Erases documents for good (a person's erasure, KVKK): every chunk, the catalog
    /// entry, the change-feed entry and the record row of each, in one transaction that
    /// also leaves a [`Tombstone`] in the [`ERASED`] table for each one that was stored;
    /// then makes the removed bytes unreadable from storage: the embedded file is
    /// rewritten into a fresh one ([`embedded::SharedDb::rewrite`]), PostgreSQL's tables
    /// are vacuumed. Writes of `docs` queued before it are stored first (and erased).
    /// Returns how many of `docs` were stored.
    fn erase(
        &self,
        docs: Vec<DocumentId>,
        at: i64,
    ) -> impl Future<Output = Result<usize, ServerError>> + Send;
}

/// The key-value table of erased documents' tombstones, keyed by document ID.
pub const ERASED: &str = "erased_documents";

/// What is left of an erased document: which workspace it was in, its kind and when
/// it was erased — nothing about the person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tombstone {
    pub workspace: String,
    pub kind: String,
    pub erased_at: i64,
}

/// The tombstone of `doc`, if it was erased.
pub fn tombstone(tables: &Tables, doc: &DocumentId) -> Result<Option<Tombstone>, ServerError> {
    let key = doc.to_string();
    tables.read(|tx| {
        tx.get(ERASED, &key)?
            .map(|v| {
                serde_json::from_slice(&v)
                    .map_err(|e| ServerError::Storage(format!("tombstone {key}: {e}")))
            })
            .transpose()
    })
}

/// The storage a server runs on: one of the two backends.
pub enum Storage {
    Embedded(embedded::EmbeddedStore),
    Postgres(postgres::PgStore),
}

impl Storage {
    /// Opens the embedded store in `dir` with the default cache.
    pub fn open(dir: &std::path::Path) -> Result<Storage, ServerError> {
        Self::open_with_cache(dir, DEFAULT_CACHE_BYTES)
    }

    /// Opens the embedded store in `dir`, caching up to `cache_bytes` of it in memory.
    pub fn open_with_cache(
        dir: &std::path::Path,
        cache_bytes: usize,
    ) -> Result<Storage, ServerError> {
        Ok(Storage::Embedded(embedded::EmbeddedStore::open(
            dir,
            cache_bytes,
        )?))
    }

    /// Connects to PostgreSQL at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Storage, ServerError> {
        Ok(Storage::Postgres(postgres::PgStore::connect(url).await?))
    }

    /// Which backend this is, for logs and the health endpoint.
    pub fn backend(&self) -> &'static str {
        match self {
            Storage::Embedded(_) => "embedded",
            Storage::Postgres(_) => "postgres",
        }
    }

    /// How many chunks a document has (for tests and diagnostics).
    pub async fn chunk_count(&self, doc: &DocumentId) -> Result<usize, ServerError> {
        match self {
            Storage::Embedded(s) => s.chunk_count(doc),
            Storage::Postgres(s) => s.chunk_count(doc).await,
        }
    }

    /// How many times `needle` occurs anywhere in what this storage holds: the embedded
    /// file's bytes, or every PostgreSQL table of the schema as text (byte columns both
    /// as text and as hex). The erasure tests scan with it.
    pub async fn raw_occurrences(&self, needle: &str) -> Result<usize, ServerError> {
        match self {
            Storage::Embedded(s) => s.raw_occurrences(needle.as_bytes()),
            Storage::Postgres(s) => s.raw_occurrences(needle).await,
        }
    }

    /// A value of the server's own settings table.
    pub fn get_meta(&self, key: &str) -> Result<Option<Vec<u8>>, ServerError> {
        let key = key.to_owned();
        self.tables().read(|tx| tx.get(tables::META, &key))
    }
}

macro_rules! both {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Storage::Embedded($s) => $e,
            Storage::Postgres($s) => $e,
        }
    };
}

impl DocumentStore for Storage {
    fn enqueue(&self, write: DocWrite) -> Result<Durable, ServerError> {
        both!(self, s => s.enqueue(write))
    }

    fn has_pending(&self, doc: &DocumentId) -> bool {
        both!(self, s => s.has_pending(doc))
    }

    async fn load(&self, doc: DocumentId) -> Result<Option<Vec<u8>>, ServerError> {
        both!(self, s => s.load(doc).await)
    }

    async fn load_many(
        &self,
        docs: Vec<DocumentId>,
    ) -> Result<Vec<(DocumentId, Vec<u8>)>, ServerError> {
        both!(self, s => s.load_many(docs).await)
    }

    async fn catalog(&self) -> Result<Vec<StoredDoc>, ServerError> {
        both!(self, s => s.catalog().await)
    }

    async fn entry(&self, doc: DocumentId) -> Result<Option<StoredDoc>, ServerError> {
        both!(self, s => s.entry(doc).await)
    }

    async fn changes(
        &self,
        workspace: String,
        since: u64,
        limit: usize,
    ) -> Result<Vec<StoredDoc>, ServerError> {
        both!(self, s => s.changes(workspace, since, limit).await)
    }

    async fn cursor(&self, workspace: String) -> Result<u64, ServerError> {
        both!(self, s => s.cursor(workspace).await)
    }

    async fn document_ids(&self) -> Result<Vec<DocumentId>, ServerError> {
        both!(self, s => s.document_ids().await)
    }

    fn tables(&self) -> Tables {
        both!(self, s => s.tables())
    }

    async fn records(&self, query: RecordQuery) -> Result<Vec<RecordRow>, ServerError> {
        both!(self, s => s.records(query).await)
    }

    async fn record(
        &self,
        workspace: String,
        kind: String,
        id: DocumentId,
    ) -> Result<Option<RecordRow>, ServerError> {
        both!(self, s => s.record(workspace, kind, id).await)
    }

    async fn put_records(&self, rows: Vec<RecordRow>) -> Result<(), ServerError> {
        both!(self, s => s.put_records(rows).await)
    }

    async fn erase(&self, docs: Vec<DocumentId>, at: i64) -> Result<usize, ServerError> {
        both!(self, s => s.erase(docs, at).await)
    }
}

/// Merges `chunks` (in storage order) into `snapshot` and returns the compacted bytes,
/// or `snapshot` itself when it already holds everything. PostgreSQL compaction uses it:
/// another node may have appended chunks the snapshot's author has not seen yet.
pub(crate) fn merge_into_snapshot(
    snapshot: Vec<u8>,
    chunks: &[Vec<u8>],
) -> Result<Vec<u8>, automerge::AutomergeError> {
    let mut doc = automerge::Automerge::load(&snapshot)?;
    let mut added = 0;
    for chunk in chunks {
        added += doc.load_incremental(chunk)?;
    }
    Ok(if added == 0 { snapshot } else { doc.save() })
}

#[cfg(test)]
pub(crate) mod suite {
    //! The storage test suite, run against both backends (the PostgreSQL run is in
    //! `server/tests/storage_backends.rs`, which has a database).

    use super::*;
    use automerge::transaction::Transactable;
    use saha_core::access::Scope;

    fn meta(workspace: &str, kind: &str) -> DocMeta {
        DocMeta {
            workspace: workspace.into(),
            kind: kind.into(),
            scope: Scope::default(),
        }
    }

    fn edit(doc: &mut automerge::Automerge, key: &str, value: i64) {
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, key, value)?;
            Ok(())
        })
        .unwrap();
    }

    async fn write(
        store: &Storage,
        doc: DocumentId,
        meta: DocMeta,
        chunk: Vec<u8>,
        snapshot: Option<Vec<u8>>,
    ) {
        store
            .enqueue(DocWrite {
                doc,
                meta,
                chunk: Some(chunk),
                snapshot,
                row: None,
                entries: Vec::new(),
            })
            .unwrap()
            .wait()
            .await
            .unwrap();
    }

    fn row(ws: &str, id: DocumentId, name: &str, team: &str, at: i64) -> RecordRow {
        use saha_core::record::{EditContext, RecordType};
        let mut account = saha_core::parties::account::Account::blank(&EditContext::new("u1", at));
        account.fields.name = name.to_owned();
        account.common.team = team.to_owned();
        RecordRow::of(id, ws, &saha_core::kinds::Record::Account(account), at).unwrap()
    }

    async fn records_suite(store: &Storage, ws: &str) {
        use records::{After, SortField};
        let ids: Vec<DocumentId> = (0..4).map(|_| DocumentId::random()).collect();
        let mut am = automerge::Automerge::new();
        edit(&mut am, "x", 1);
        store
            .enqueue(DocWrite {
                doc: ids[0],
                meta: meta(ws, "account"),
                chunk: Some(am.save()),
                snapshot: None,
                row: Some(row(ws, ids[0], "Zeytin", "", 10)),
                entries: vec![TableEntry {
                    table: "suite_events",
                    key: format!("{ws}/1"),
                    value: b"raised".to_vec(),
                }],
            })
            .unwrap()
            .wait()
            .await
            .unwrap();
        store
            .put_records(vec![
                row(ws, ids[1], "Ahmet", "t1", 20),
                row(ws, ids[2], "Çelik", "t2", 30),
                row(ws, ids[3], "Bora", "", 40),
            ])
            .await
            .unwrap();
        // A newer row of the same record replaces the older.
        store
            .put_records(vec![row(ws, ids[3], "Bora Ltd", "", 50)])
            .await
            .unwrap();
        let query = RecordQuery {
            teams: Some(vec!["t1".into()]),
            ..RecordQuery::of(ws, "account", 10)
        };
        let key = format!("{ws}/1");
        let raised = store
            .tables()
            .read(move |tx| tx.get("suite_events", &key))
            .unwrap();
        assert_eq!(
            raised.as_deref(),
            Some(&b"raised"[..]),
            "entries commit with the write"
        );
        let titles = |rows: Vec<RecordRow>| rows.into_iter().map(|r| r.title).collect::<Vec<_>>();
        assert_eq!(
            titles(store.records(query.clone()).await.unwrap()),
            ["Ahmet", "Bora Ltd", "Zeytin"]
        );
        let everyone = RecordQuery {
            teams: None,
            ..query.clone()
        };
        assert_eq!(
            titles(store.records(everyone.clone()).await.unwrap()),
            ["Ahmet", "Bora Ltd", "Çelik", "Zeytin"]
        );
        let page = RecordQuery {
            limit: 2,
            after: Some(After {
                value: records::SortValue::Text("bora ltd".into()),
                id: ids[3].to_string(),
            }),
            ..everyone.clone()
        };
        assert_eq!(
            titles(store.records(page).await.unwrap()),
            ["Çelik", "Zeytin"]
        );
        let newest = RecordQuery {
            sort: SortField::UpdatedAt,
            descending: true,
            updated_since: Some(20),
            ..everyone.clone()
        };
        assert_eq!(
            titles(store.records(newest).await.unwrap()),
            ["Bora Ltd", "Çelik", "Ahmet"]
        );
        let other_kind = RecordQuery {
            kind: "contact".into(),
            ..everyone
        };
        assert!(store.records(other_kind).await.unwrap().is_empty());
        let one = store
            .record(ws.to_owned(), "account".into(), ids[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(one.title, "Zeytin");
        assert_eq!(one.record().unwrap().title(), "Zeytin");
        assert!(
            store
                .record(ws.to_owned(), "contact".into(), ids[0])
                .await
                .unwrap()
                .is_none()
        );
    }

    /// Erasing a document leaves none of its bytes in storage (its chunks, catalog and
    /// feed entries, record row and sort index entries), only its tombstone; the
    /// documents around it stay whole, and storage goes on working.
    async fn erase_suite(store: &Storage) {
        use automerge::transaction::Transactable;
        let ws = format!("ws-{}", uuid::Uuid::new_v4());
        let marker = format!("Zeliha-{}", uuid::Uuid::new_v4().simple());
        let (erased, kept) = (DocumentId::random(), DocumentId::random());
        let mut doc = automerge::Automerge::new();
        let mut saved = Vec::new();
        for step in 0..3 {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "name", format!("{marker} {step}"))?;
                Ok(())
            })
            .unwrap();
            let chunk = doc.save_after(&saved);
            saved = doc.get_heads();
            store
                .enqueue(DocWrite {
                    doc: erased,
                    meta: meta(&ws, "account"),
                    chunk: Some(chunk),
                    snapshot: None,
                    row: Some(row(&ws, erased, &marker, "", 10 + step)),
                    entries: Vec::new(),
                })
                .unwrap()
                .wait()
                .await
                .unwrap();
        }
        let mut other = automerge::Automerge::new();
        edit(&mut other, "x", 1);
        write(store, kept, meta(&ws, "account"), other.save(), None).await;
        store
            .put_records(vec![row(&ws, kept, "Kalan Ltd", "", 20)])
            .await
            .unwrap();
        assert!(
            store.raw_occurrences(&marker).await.unwrap() > 0,
            "the scan finds the marker before the erasure"
        );

        assert_eq!(store.erase(vec![erased], 99).await.unwrap(), 1);
        assert!(store.load(erased).await.unwrap().is_none());
        assert!(store.entry(erased).await.unwrap().is_none());
        assert_eq!(store.chunk_count(&erased).await.unwrap(), 0);
        let feed = store.changes(ws.clone(), 0, 100).await.unwrap();
        assert_eq!(feed.iter().map(|d| d.id).collect::<Vec<_>>(), vec![kept]);
        assert!(
            store
                .record(ws.clone(), "account".into(), erased)
                .await
                .unwrap()
                .is_none()
        );
        let everyone = RecordQuery {
            include_archived: true,
            include_deleted: true,
            ..RecordQuery::of(&ws, "account", 10)
        };
        let rows = store.records(everyone).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![kept]);
        assert_eq!(
            tombstone(&store.tables(), &erased).unwrap(),
            Some(Tombstone {
                workspace: ws.clone(),
                kind: "account".into(),
                erased_at: 99
            })
        );
        assert_eq!(
            store.raw_occurrences(&marker).await.unwrap(),
            0,
            "no byte of the erased document is left"
        );

        // The rest is whole and storage goes on: reads, writes, the tables.
        let loaded = automerge::Automerge::load(&store.load(kept).await.unwrap().unwrap()).unwrap();
        assert_eq!(loaded.get_heads(), other.get_heads());
        edit(&mut other, "y", 2);
        write(store, kept, meta(&ws, "account"), other.save(), None).await;
        assert_eq!(store.changes(ws.clone(), 0, 100).await.unwrap().len(), 1);
        assert!(tombstone(&store.tables(), &kept).unwrap().is_none());
        // Erasing what is not stored is nothing.
        assert_eq!(store.erase(vec![erased], 100).await.unwrap(), 0);
    }

    /// Chunks load back in order, compaction keeps the document, the catalog and the
    /// change feed follow every write, and the key-value tables work.
    pub async fn run(store: &Storage) {
        let ws = format!("ws-{}", uuid::Uuid::new_v4());
        let other_ws = format!("ws-{}", uuid::Uuid::new_v4());
        let a = DocumentId::random();
        let b = DocumentId::random();
        let c = DocumentId::random();
        assert_eq!(store.cursor(ws.clone()).await.unwrap(), 0);
        assert!(store.load(a).await.unwrap().is_none());

        let mut am = automerge::Automerge::new();
        let mut saved = Vec::new();
        for i in 0..5 {
            edit(&mut am, &format!("k{i}"), i);
            let chunk = am.save_after(&saved);
            saved = am.get_heads();
            write(store, a, meta(&ws, "account"), chunk, None).await;
        }
        assert_eq!(store.chunk_count(&a).await.unwrap(), 5);
        let loaded = automerge::Automerge::load(&store.load(a).await.unwrap().unwrap()).unwrap();
        assert_eq!(loaded.get_heads(), am.get_heads());
        assert!(!store.has_pending(&a));

        // Compaction replaces the chunks by one snapshot.
        edit(&mut am, "k5", 5);
        let chunk = am.save_after(&saved);
        write(store, a, meta(&ws, "account"), chunk, Some(am.save())).await;
        assert_eq!(store.chunk_count(&a).await.unwrap(), 1);
        let loaded = automerge::Automerge::load(&store.load(a).await.unwrap().unwrap()).unwrap();
        assert_eq!(loaded.get_heads(), am.get_heads());

        // The change feed: each document once, at its last change, in change order.
        let mut bdoc = automerge::Automerge::new();
        edit(&mut bdoc, "x", 1);
        write(store, b, meta(&ws, "contact"), bdoc.save(), None).await;
        let mut cdoc = automerge::Automerge::new();
        edit(&mut cdoc, "y", 1);
        write(store, c, meta(&other_ws, "account"), cdoc.save(), None).await;
        let all = store.changes(ws.clone(), 0, 100).await.unwrap();
        assert_eq!(
            all.iter().map(|d| d.id).collect::<Vec<_>>(),
            vec![a, b],
            "only this workspace's documents, each once"
        );
        assert_eq!(all[1].meta.kind, "contact");
        let cursor = store.cursor(ws.clone()).await.unwrap();
        assert_eq!(cursor, all[1].seq);
        assert!(
            store
                .changes(ws.clone(), cursor, 100)
                .await
                .unwrap()
                .is_empty()
        );
        let before = am.get_heads();
        edit(&mut am, "k6", 6);
        let chunk = am.save_after(&before);
        write(store, a, meta(&ws, "account"), chunk, None).await;
        let since = store.changes(ws.clone(), cursor, 100).await.unwrap();
        assert_eq!(since.iter().map(|d| d.id).collect::<Vec<_>>(), vec![a]);
        assert!(since[0].seq > cursor);
        assert_eq!(store.changes(ws.clone(), 0, 1).await.unwrap().len(), 1);

        let entry = store.entry(c).await.unwrap().unwrap();
        assert_eq!(entry.meta.workspace, other_ws);
        assert!(store.entry(DocumentId::random()).await.unwrap().is_none());
        let catalog = store.catalog().await.unwrap();
        for id in [a, b, c] {
            assert!(catalog.iter().any(|d| d.id == id));
        }
        let many = store
            .load_many(vec![a, c, DocumentId::random()])
            .await
            .unwrap();
        assert_eq!(many.len(), 2);
        let ids = store.document_ids().await.unwrap();
        assert!(ids.contains(&a) && ids.contains(&b) && ids.contains(&c));

        // The record projection: rows written with a document's change and on their
        // own, read back by kind with the caller's teams, filters, order and cursor.
        records_suite(store, &ws).await;
        erase_suite(store).await;

        // Key-value tables: put, get, ordered scan, delete, all in transactions.
        let tables = store.tables();
        let prefix = format!("{}/", uuid::Uuid::new_v4());
        let p = prefix.clone();
        tables
            .write(move |tx| {
                tx.put("audit", &format!("{p}2"), b"two")?;
                tx.put("audit", &format!("{p}1"), b"one")?;
                tx.put("audit", &format!("{p}3"), b"three")?;
                Ok::<_, ServerError>(())
            })
            .unwrap();
        let p = prefix.clone();
        let scanned = tables
            .read(move |tx| tx.scan("audit", &p, Some(&format!("{p}~"))))
            .unwrap();
        assert_eq!(
            scanned
                .iter()
                .map(|(_, v)| v.as_slice())
                .collect::<Vec<_>>(),
            vec![&b"one"[..], b"two", b"three"]
        );
        // The first two and the last two, from either end (in a write transaction too).
        let p = prefix.clone();
        let (first, last) = tables
            .write(move |tx| {
                let to = format!("{p}~");
                Ok::<_, ServerError>((
                    tx.scan_first("audit", &p, &to, 2)?,
                    tx.scan_last("audit", &p, &to, 2)?,
                ))
            })
            .unwrap();
        let values = |rows: &[(String, Vec<u8>)]| -> Vec<String> {
            rows.iter()
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                .collect()
        };
        assert_eq!(values(&first), ["one", "two"]);
        assert_eq!(values(&last), ["three", "two"]);
        let p = prefix.clone();
        let none = tables
            .read(move |tx| tx.scan_first("audit", &p, &format!("{p}1"), 5))
            .unwrap();
        assert!(none.is_empty(), "the upper bound is exclusive");
        let p = prefix.clone();
        let removed = tables
            .write(move |tx| tx.delete("audit", &format!("{p}2")))
            .unwrap();
        assert!(removed);
        let p = prefix.clone();
        let gone = tables
            .read(move |tx| tx.get("audit", &format!("{p}2")))
            .unwrap();
        assert!(gone.is_none());
        // A failed transaction leaves nothing behind.
        let p = prefix.clone();
        let failed: Result<(), ServerError> = tables.write(move |tx| {
            tx.put("audit", &format!("{p}9"), b"nine")?;
            Err(ServerError::Storage("on purpose".into()))
        });
        assert!(failed.is_err());
        let p = prefix.clone();
        let kept = tables
            .read(move |tx| tx.get("audit", &format!("{p}9")))
            .unwrap();
        assert!(kept.is_none());
    }

    #[tokio::test]
    async fn embedded_backend_passes_the_storage_suite() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        run(&store).await;
        drop(store);
        // Everything survives a reopen.
        let store = Storage::open(dir.path()).unwrap();
        assert!(!store.catalog().await.unwrap().is_empty());
    }

    /// Storage written before the projection existed (documents without rows) gets a
    /// row for every record on the next start, once; a document that is not a record
    /// gets none.
    #[tokio::test]
    async fn the_projection_is_rebuilt_for_records_stored_without_rows() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        let ctx = saha_core::record::EditContext::new("u1", 5);
        let form = saha_core::record::form::Form::new().with("name", "Eski Kayıt");
        let account =
            saha_core::record::new_document::<saha_core::parties::account::Account>(&form, &ctx)
                .unwrap();
        let (record_id, other_id) = (DocumentId::random(), DocumentId::random());
        let mut other = automerge::Automerge::new();
        edit(&mut other, "x", 1);
        for (id, doc, kind) in [
            (record_id, account, "account"),
            (other_id, other, "account"),
        ] {
            write(&store, id, meta("w1", kind), doc.save(), None).await;
        }
        assert!(
            store
                .record("w1".into(), "account".into(), record_id)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(records::rebuild_if_needed(&store).await.unwrap(), 1);
        let row = store
            .record("w1".into(), "account".into(), record_id)
            .await
            .unwrap()
            .expect("rebuilt");
        assert_eq!(row.title, "Eski Kayıt");
        assert!(
            store
                .record("w1".into(), "account".into(), other_id)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            records::rebuild_if_needed(&store).await.unwrap(),
            0,
            "once per version"
        );
    }
}
