//! The embedded backend: one redb file holding documents, catalog, change feed and
//! tables.
//!
//! A document is stored as its chunks in order — an optional snapshot (`Automerge::save`)
//! followed by incremental saves — keyed by `document ID ‖ sequence number`; loading
//! concatenates them, which `Automerge::load` accepts. Compaction replaces a document's
//! chunks with one snapshot in the same transaction. The change feed is an index
//! `workspace ‖ 0 ‖ change number → document` kept beside each catalog entry.
//!
//! All document writes go through one writer thread that groups whatever is queued into
//! a single transaction and commits it with `Durability::Immediate` (fsync) before
//! answering any of the waiting callers: a change is on disk before the server treats
//! it as stored, and a burst of changes costs one fsync rather than one each.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;

use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use saha_core::DocumentId;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::records::{RowFilter, SortField, SortValue};
use super::{
    DocWrite, DocumentStore, Durable, Pending, RecordQuery, RecordRow, Reply, StoredDoc, Tables,
};
use crate::ServerError;
use crate::sync::catalog::DocMeta;

const CHUNKS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("chunks");
/// Catalog entries ([`Entry`]), keyed by document ID.
const DOC_META: TableDefinition<&[u8], &[u8]> = TableDefinition::new("doc_meta");
/// `workspace ‖ 0 ‖ change number (big-endian)` → document ID.
const CHANGES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("changes");
/// Workspace → the last change number handed out.
const WORKSPACE_SEQ: TableDefinition<&str, u64> = TableDefinition::new("workspace_seq");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new(super::tables::META);
/// The record projection: `workspace ‖ 0 ‖ kind ‖ 0 ‖ document ID` → [`RecordRow`] JSON.
const RECORDS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("records");
/// The projection's sort indexes, one entry per row and order:
/// `workspace ‖ 0 ‖ kind ‖ 0 ‖ order letter ‖ sort key ‖ 0 ‖ document ID` →
/// [`RowFilter`] JSON, so a page is a range read that parses whole rows only for the
/// ones it returns.
const RECORD_ORDER: TableDefinition<&[u8], &[u8]> = TableDefinition::new("record_order");

/// The name of the storage file inside the data directory.
pub const FILE_NAME: &str = "saha.redb";

/// The open storage file, which erasure replaces by a fresh copy of what is left
/// ([`SharedDb::rewrite`]): redb frees the pages of removed entries without clearing
/// them, and its `compact` moves pages without clearing them either, so only a new
/// file holds none of an erased person's bytes.
///
/// Reads take the file current when they start and read it to their end. A write
/// transaction holds [`SharedDb::writing`] until it commits, so a rewrite waits for
/// the writes under way and no write goes to a file already replaced.
#[derive(Clone)]
pub struct SharedDb {
    current: Arc<RwLock<Arc<Database>>>,
    /// Held shared by each write transaction, exclusively by a rewrite.
    writes: Arc<RwLock<()>>,
    path: Arc<PathBuf>,
    cache_bytes: usize,
}

/// The file a write transaction goes to, and the turn that keeps a rewrite waiting
/// until the transaction is over.
pub struct Writing<'a> {
    db: Arc<Database>,
    _turn: RwLockReadGuard<'a, ()>,
}

impl Writing<'_> {
    /// A write transaction that is on disk when it commits (`Durability::Immediate`).
    pub fn begin(&self) -> Result<redb::WriteTransaction, ServerError> {
        let mut tx = self.db.begin_write()?;
        tx.set_durability(Durability::Immediate)
            .map_err(|e| ServerError::Storage(e.to_string()))?;
        Ok(tx)
    }
}

impl std::ops::Deref for Writing<'_> {
    type Target = Database;

    fn deref(&self) -> &Database {
        &self.db
    }
}

impl SharedDb {
    /// Opens (or creates) the file at `path` with a small cache (for tests of the
    /// key-value tables).
    pub fn create(path: &Path) -> Result<SharedDb, ServerError> {
        SharedDb::open(path.to_path_buf(), 16 * 1024 * 1024)
    }

    fn open(path: PathBuf, cache_bytes: usize) -> Result<SharedDb, ServerError> {
        let db = redb::Builder::new()
            .set_cache_size(cache_bytes)
            .create(&path)?;
        Ok(SharedDb {
            current: Arc::new(RwLock::new(Arc::new(db))),
            writes: Arc::new(RwLock::new(())),
            path: Arc::new(path),
            cache_bytes,
        })
    }

    /// The file to read from.
    pub fn current(&self) -> Arc<Database> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The file to write to; hold it until the write transaction commits.
    pub fn writing(&self) -> Writing<'_> {
        let turn = self.writes.read().unwrap_or_else(PoisonError::into_inner);
        Writing {
            db: self.current(),
            _turn: turn,
        }
    }

    /// Copies every table into a new file beside the current one, makes it durable,
    /// and puts it in the current one's place; the old file's bytes go with its last
    /// reader. Writes wait meanwhile; reads go on from the old file.
    pub fn rewrite(&self) -> Result<(), ServerError> {
        let _all_writes = self.writes.write().unwrap_or_else(PoisonError::into_inner);
        let old = self.current();
        let fresh_path = self.path.with_extension("redb.rewrite");
        if fresh_path.exists() {
            std::fs::remove_file(&fresh_path)?;
        }
        let fresh = redb::Builder::new()
            .set_cache_size(self.cache_bytes)
            .create(&fresh_path)?;
        if let Err(e) = copy_tables(&old, &fresh) {
            drop(fresh);
            let _ = std::fs::remove_file(&fresh_path);
            return Err(e);
        }
        std::fs::rename(&fresh_path, self.path.as_ref())?;
        if let Some(dir) = self.path.parent() {
            std::fs::File::open(dir)?.sync_all()?;
        }
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(fresh);
        Ok(())
    }

    /// The storage file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Tables keyed by bytes (the documents'); [`WORKSPACE_SEQ`] holds numbers; every other
/// table (the key-value layer's, [`META`]) maps text to bytes.
const BYTE_KEYED: [&str; 5] = ["chunks", "doc_meta", "changes", "records", "record_order"];
/// Entries copied per transaction while rewriting.
const COPY_BATCH: usize = 10_000;

/// Copies every table of `from` into the empty `to`, in transactions of
/// [`COPY_BATCH`] entries, the last one durable.
fn copy_tables(from: &Database, to: &Database) -> Result<(), ServerError> {
    use redb::TableHandle;
    let read = from.begin_read()?;
    if read.list_multimap_tables()?.next().is_some() {
        return Err(ServerError::Storage(
            "rewrite: the file holds a multimap table this version does not know".into(),
        ));
    }
    let names: Vec<String> = read.list_tables()?.map(|t| t.name().to_owned()).collect();
    let mut tx = to.begin_write()?;
    let mut in_tx = 0usize;
    for name in &names {
        // Each table is copied in key order; a full transaction is committed and the
        // copy goes on in the next.
        macro_rules! copy {
            ($k:ty, $v:ty) => {{
                let def: TableDefinition<$k, $v> = TableDefinition::new(name);
                let source = read.open_table(def)?;
                let mut entries = source.iter()?;
                loop {
                    let mut full = false;
                    {
                        // Opening it creates it, so an empty table is copied too.
                        let mut target = tx.open_table(def)?;
                        for entry in entries.by_ref() {
                            let (key, value) = entry?;
                            target.insert(key.value(), value.value())?;
                            in_tx += 1;
                            if in_tx >= COPY_BATCH {
                                full = true;
                                break;
                            }
                        }
                    }
                    if !full {
                        break;
                    }
                    tx.commit()?;
                    tx = to.begin_write()?;
                    in_tx = 0;
                }
            }};
        }
        if BYTE_KEYED.contains(&name.as_str()) {
            copy!(&[u8], &[u8]);
        } else if name == "workspace_seq" {
            copy!(&str, u64);
        } else {
            copy!(&str, &[u8]);
        }
    }
    tx.set_durability(Durability::Immediate)
        .map_err(|e| ServerError::Storage(e.to_string()))?;
    tx.commit()?;
    Ok(())
}

/// The storage layout this code writes; older files are migrated on open.
const VERSION: u64 = 2;
const VERSION_KEY: &str = "storage_version";

/// Most writes committed in one transaction.
const MAX_BATCH: usize = 1024;

/// A catalog entry as stored.
#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    meta: DocMeta,
    #[serde(default)]
    seq: u64,
}

/// Handle to the storage file. Dropping it stops the writer thread after the queued
/// writes are committed.
pub struct EmbeddedStore {
    db: SharedDb,
    writer: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    pending: Pending,
}

fn chunk_key(doc: &DocumentId, seq: u64) -> [u8; 24] {
    let mut key = [0u8; 24];
    key[..16].copy_from_slice(doc.as_bytes());
    key[16..].copy_from_slice(&seq.to_be_bytes());
    key
}

/// The first and last possible keys of `doc`'s chunks.
fn chunk_range(doc: &DocumentId) -> ([u8; 24], [u8; 24]) {
    (chunk_key(doc, 0), chunk_key(doc, u64::MAX))
}

fn change_key(workspace: &str, seq: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(workspace.len() + 9);
    key.extend_from_slice(workspace.as_bytes());
    key.push(0);
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// `workspace ‖ 0 ‖ kind ‖ 0`, the prefix of a kind's rows.
fn records_prefix(workspace: &str, kind: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(workspace.len() + kind.len() + 2);
    key.extend_from_slice(workspace.as_bytes());
    key.push(0);
    key.extend_from_slice(kind.as_bytes());
    key.push(0);
    key
}

fn record_key(workspace: &str, kind: &str, id: &DocumentId) -> Vec<u8> {
    let mut key = records_prefix(workspace, kind);
    key.extend_from_slice(id.to_string().as_bytes());
    key
}

/// The letter of a sort index.
fn order_letter(sort: SortField) -> u8 {
    match sort {
        SortField::Title => b't',
        SortField::CreatedAt => b'c',
        SortField::UpdatedAt => b'u',
    }
}

/// The index key of a row at `value` with `id` in the `sort` index of its kind.
fn order_key(workspace: &str, kind: &str, sort: SortField, value: &SortValue, id: &str) -> Vec<u8> {
    let mut key = records_prefix(workspace, kind);
    key.push(order_letter(sort));
    match value {
        // A NUL would end the sort key early; titles never hold one in practice.
        SortValue::Text(text) => key.extend(text.bytes().map(|b| if b == 0 { b' ' } else { b })),
        // Zero-padded, so that bytes order as numbers do.
        SortValue::Time(ms) => key.extend_from_slice(format!("{:020}", (*ms).max(0)).as_bytes()),
    }
    key.push(0);
    key.extend_from_slice(id.as_bytes());
    key
}

/// What the writer thread does, in the order queued.
enum Job {
    Write(Box<DocWrite>, Reply),
    /// Erase these documents at this time; answer how many were stored.
    Erase(Vec<DocumentId>, i64, oneshot::Sender<Result<usize, String>>),
}

/// One entry of a sort index, as redb hands it out.
type IndexEntry<'a> = (
    redb::AccessGuard<'a, &'static [u8]>,
    redb::AccessGuard<'a, &'static [u8]>,
);

const SORTS: [SortField; 3] = [SortField::Title, SortField::CreatedAt, SortField::UpdatedAt];

fn order_keys(row: &RecordRow) -> Vec<Vec<u8>> {
    let id = row.id.to_string();
    SORTS
        .iter()
        .map(|sort| {
            order_key(
                &row.workspace,
                &row.kind,
                *sort,
                &row.sort_value(*sort),
                &id,
            )
        })
        .collect()
}

/// Writes a row and its index entries, removing the entries of the row it replaces.
fn put_row(
    table: &mut redb::Table<&'static [u8], &'static [u8]>,
    order: &mut redb::Table<&'static [u8], &'static [u8]>,
    row: &RecordRow,
) -> Result<(), ServerError> {
    let key = record_key(&row.workspace, &row.kind, &row.id);
    remove_row(table, order, &key)?;
    let value = serde_json::to_vec(row).map_err(json_error)?;
    table.insert(key.as_slice(), value.as_slice())?;
    let filter = serde_json::to_vec(&RowFilter::of(row)).map_err(json_error)?;
    for order_key in order_keys(row) {
        order.insert(order_key.as_slice(), filter.as_slice())?;
    }
    Ok(())
}

/// Removes the row at `key` (if any) and its sort index entries.
fn remove_row(
    table: &mut redb::Table<&'static [u8], &'static [u8]>,
    order: &mut redb::Table<&'static [u8], &'static [u8]>,
    key: &[u8],
) -> Result<(), ServerError> {
    let old = table
        .remove(key)?
        .and_then(|v| serde_json::from_slice::<RecordRow>(v.value()).ok());
    if let Some(old) = old {
        for old_key in order_keys(&old) {
            order.remove(old_key.as_slice())?;
        }
    }
    Ok(())
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("catalog entry: {e}"))
}

impl EmbeddedStore {
    /// Opens (or creates) the storage file in `dir`, migrating an older layout; redb
    /// keeps up to `cache_bytes` of it in memory (its default, 1 GiB, would be most of
    /// a small node's RSS; the operating system's page cache holds the rest).
    pub fn open(dir: &Path, cache_bytes: usize) -> Result<EmbeddedStore, ServerError> {
        std::fs::create_dir_all(dir)?;
        let db = SharedDb::open(dir.join(FILE_NAME), cache_bytes)?;
        migrate(&db.current())?;
        let pending = Pending::default();
        let (writer, queue) = mpsc::channel();
        let thread_db = db.clone();
        let thread_pending = pending.clone();
        let thread = std::thread::Builder::new()
            .name("saha-storage-writer".into())
            .spawn(move || write_loop(&thread_db, &queue, &thread_pending))?;
        Ok(EmbeddedStore {
            db,
            writer: Some(writer),
            thread: Some(thread),
            pending,
        })
    }

    /// How many times `needle` occurs in the storage file's bytes (the erasure tests'
    /// scan).
    pub fn raw_occurrences(&self, needle: &[u8]) -> Result<usize, ServerError> {
        let bytes = std::fs::read(self.db.path())?;
        Ok(count_in(&bytes, needle))
    }

    /// How many chunks a document has.
    pub fn chunk_count(&self, doc: &DocumentId) -> Result<usize, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(CHUNKS)?;
        let (start, end) = chunk_range(doc);
        Ok(table.range(&start[..]..=&end[..])?.count())
    }

    fn load_sync(&self, doc: &DocumentId) -> Result<Option<Vec<u8>>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(CHUNKS)?;
        load_chunks(&table, doc)
    }
}

/// How many times `needle` occurs in `bytes`.
pub(crate) fn count_in(bytes: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() {
        return 0;
    }
    bytes.windows(needle.len()).filter(|w| *w == needle).count()
}

fn load_chunks(
    table: &impl ReadableTable<&'static [u8], &'static [u8]>,
    doc: &DocumentId,
) -> Result<Option<Vec<u8>>, ServerError> {
    let (start, end) = chunk_range(doc);
    let mut bytes = Vec::new();
    let mut found = false;
    for entry in table.range(&start[..]..=&end[..])? {
        let (_, value) = entry?;
        bytes.extend_from_slice(value.value());
        found = true;
    }
    Ok(found.then_some(bytes))
}

fn read_entry(id: DocumentId, bytes: &[u8]) -> Result<StoredDoc, ServerError> {
    let entry: Entry = serde_json::from_slice(bytes).map_err(json_error)?;
    Ok(StoredDoc {
        id,
        meta: entry.meta,
        seq: entry.seq,
    })
}

impl DocumentStore for EmbeddedStore {
    fn enqueue(&self, write: DocWrite) -> Result<Durable, ServerError> {
        let (done, wait) = oneshot::channel();
        let doc = write.doc;
        self.pending.add(doc);
        let sent = self
            .writer
            .as_ref()
            .ok_or(ServerError::WriterGone)
            .and_then(|w| {
                w.send(Job::Write(Box::new(write), done))
                    .map_err(|_| ServerError::WriterGone)
            });
        if let Err(e) = sent {
            self.pending.done(&doc);
            return Err(e);
        }
        Ok(Durable(wait))
    }

    fn has_pending(&self, doc: &DocumentId) -> bool {
        self.pending.contains(doc)
    }

    async fn load(&self, doc: DocumentId) -> Result<Option<Vec<u8>>, ServerError> {
        self.load_sync(&doc)
    }

    async fn load_many(
        &self,
        docs: Vec<DocumentId>,
    ) -> Result<Vec<(DocumentId, Vec<u8>)>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(CHUNKS)?;
        let mut out = Vec::with_capacity(docs.len());
        for id in docs {
            if let Some(bytes) = load_chunks(&table, &id)? {
                out.push((id, bytes));
            }
        }
        Ok(out)
    }

    async fn catalog(&self) -> Result<Vec<StoredDoc>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(DOC_META)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (key, value) = entry?;
            let Ok(id) = DocumentId::try_from(key.value()) else {
                continue;
            };
            match read_entry(id, value.value()) {
                Ok(doc) => out.push(doc),
                Err(e) => tracing::error!(doc = %id, error = %e, "unreadable catalog entry"),
            }
        }
        Ok(out)
    }

    async fn entry(&self, doc: DocumentId) -> Result<Option<StoredDoc>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(DOC_META)?;
        match table.get(doc.as_bytes().as_slice())? {
            Some(v) => Ok(Some(read_entry(doc, v.value())?)),
            None => Ok(None),
        }
    }

    async fn changes(
        &self,
        workspace: String,
        since: u64,
        limit: usize,
    ) -> Result<Vec<StoredDoc>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let changes = tx.open_table(CHANGES)?;
        let metas = tx.open_table(DOC_META)?;
        let (start, end) = (
            change_key(&workspace, since.saturating_add(1)),
            change_key(&workspace, u64::MAX),
        );
        let mut out = Vec::new();
        for entry in changes.range(start.as_slice()..=end.as_slice())? {
            if out.len() >= limit {
                break;
            }
            let (_, doc) = entry?;
            let Ok(id) = DocumentId::try_from(doc.value()) else {
                continue;
            };
            if let Some(v) = metas.get(doc.value())? {
                out.push(read_entry(id, v.value())?);
            }
        }
        Ok(out)
    }

    async fn cursor(&self, workspace: String) -> Result<u64, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(WORKSPACE_SEQ)?;
        Ok(table
            .get(workspace.as_str())?
            .map(|v| v.value())
            .unwrap_or(0))
    }

    async fn document_ids(&self) -> Result<Vec<DocumentId>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(CHUNKS)?;
        let mut ids: Vec<DocumentId> = Vec::new();
        for entry in table.iter()? {
            let (key, _) = entry?;
            if let Some(id) = key
                .value()
                .get(..16)
                .and_then(|b| DocumentId::try_from(b).ok())
                && ids.last() != Some(&id)
            {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    fn tables(&self) -> Tables {
        Tables::Embedded(self.db.clone())
    }

    async fn records(&self, query: RecordQuery) -> Result<Vec<RecordRow>, ServerError> {
        use std::ops::Bound;
        let tx = self.db.current().begin_read()?;
        let rows = tx.open_table(RECORDS)?;
        let order = tx.open_table(RECORD_ORDER)?;
        let mut start = records_prefix(&query.workspace, &query.kind);
        start.push(order_letter(query.sort));
        let mut end = start.clone();
        if let Some(last) = end.last_mut() {
            *last += 1;
        }
        let cursor = query.after.as_ref().map(|after| {
            order_key(
                &query.workspace,
                &query.kind,
                query.sort,
                &after.value,
                &after.id,
            )
        });
        let range: (Bound<&[u8]>, Bound<&[u8]>) = match (&cursor, query.descending) {
            (None, _) => (Bound::Included(&start), Bound::Excluded(&end)),
            (Some(c), false) => (Bound::Excluded(c), Bound::Excluded(&end)),
            (Some(c), true) => (Bound::Included(&start), Bound::Excluded(c)),
        };
        let words = saha_core::text::fold::Query::new(&query.q);
        let mut ids = Vec::new();
        let mut scan =
            |entry: Result<IndexEntry<'_>, redb::StorageError>| -> Result<bool, ServerError> {
                let (key, value) = entry?;
                let filter: RowFilter =
                    serde_json::from_slice(value.value()).map_err(json_error)?;
                if query.admits_filter(&filter) && words.matches(&filter.search) {
                    let key = key.value();
                    let id = key
                        .iter()
                        .rposition(|b| *b == 0)
                        .map(|i| key[i + 1..].to_vec());
                    ids.extend(id);
                }
                Ok(ids.len() >= query.limit)
            };
        let iter = order.range::<&[u8]>(range)?;
        if query.descending {
            for entry in iter.rev() {
                if scan(entry)? {
                    break;
                }
            }
        } else {
            for entry in iter {
                if scan(entry)? {
                    break;
                }
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        let prefix = records_prefix(&query.workspace, &query.kind);
        for id in ids {
            let mut key = prefix.clone();
            key.extend_from_slice(&id);
            if let Some(value) = rows.get(key.as_slice())? {
                out.push(serde_json::from_slice(value.value()).map_err(json_error)?);
            }
        }
        Ok(out)
    }

    async fn record(
        &self,
        workspace: String,
        kind: String,
        id: DocumentId,
    ) -> Result<Option<RecordRow>, ServerError> {
        let tx = self.db.current().begin_read()?;
        let table = tx.open_table(RECORDS)?;
        match table.get(record_key(&workspace, &kind, &id).as_slice())? {
            Some(v) => Ok(Some(serde_json::from_slice(v.value()).map_err(json_error)?)),
            None => Ok(None),
        }
    }

    async fn erase(&self, docs: Vec<DocumentId>, at: i64) -> Result<usize, ServerError> {
        let (done, wait) = oneshot::channel();
        self.writer
            .as_ref()
            .ok_or(ServerError::WriterGone)?
            .send(Job::Erase(docs, at, done))
            .map_err(|_| ServerError::WriterGone)?;
        wait.await
            .map_err(|_| ServerError::WriterGone)?
            .map_err(ServerError::Storage)
    }

    async fn put_records(&self, rows: Vec<RecordRow>) -> Result<(), ServerError> {
        let db = self.db.writing();
        let tx = db.begin()?;
        {
            let mut table = tx.open_table(RECORDS)?;
            let mut order = tx.open_table(RECORD_ORDER)?;
            for row in &rows {
                put_row(&mut table, &mut order, row)?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

impl Drop for EmbeddedStore {
    fn drop(&mut self) {
        self.writer.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Brings a file written by an older version to [`VERSION`]: numbers every catalog
/// entry into its workspace's change feed, and turns the directory's typed tables into
/// the key-value layout of [`super::tables`].
fn migrate(db: &Database) -> Result<(), ServerError> {
    let tx = db.begin_write()?;
    let version = {
        let meta = tx.open_table(META)?;
        meta.get(VERSION_KEY)?
            .and_then(|v| v.value().try_into().ok().map(u64::from_be_bytes))
            .unwrap_or(1)
    };
    tx.open_table(CHUNKS)?;
    tx.open_table(DOC_META)?;
    tx.open_table(CHANGES)?;
    tx.open_table(WORKSPACE_SEQ)?;
    tx.open_table(RECORDS)?;
    tx.open_table(RECORD_ORDER)?;
    if version < 2 {
        // Version 1 had no change feed: number the documents in their stored order.
        let mut metas = tx.open_table(DOC_META)?;
        let mut changes = tx.open_table(CHANGES)?;
        let mut counters = tx.open_table(WORKSPACE_SEQ)?;
        let mut renumbered = Vec::new();
        for entry in metas.iter()? {
            let (key, value) = entry?;
            let meta: DocMeta = serde_json::from_slice(value.value()).map_err(json_error)?;
            renumbered.push((key.value().to_vec(), meta));
        }
        let mut next: HashMap<String, u64> = HashMap::new();
        for (key, meta) in renumbered {
            let seq = next.entry(meta.workspace.clone()).or_insert(0);
            *seq += 1;
            changes.insert(change_key(&meta.workspace, *seq).as_slice(), key.as_slice())?;
            let bytes = serde_json::to_vec(&Entry { meta, seq: *seq }).map_err(json_error)?;
            metas.insert(key.as_slice(), bytes.as_slice())?;
        }
        for (workspace, seq) in next {
            counters.insert(workspace.as_str(), seq)?;
        }
        // The directory's tables with other value types become byte tables.
        for name in ["user_emails", "invitation_tokens"] {
            let old: TableDefinition<&str, &str> = TableDefinition::new(name);
            let rows: Vec<(String, String)> = match tx.open_table(old) {
                Ok(t) => t
                    .iter()?
                    .map(|e| e.map(|(k, v)| (k.value().to_owned(), v.value().to_owned())))
                    .collect::<Result<_, _>>()?,
                Err(_) => continue,
            };
            tx.delete_table(old)?;
            let mut new = tx.open_table(TableDefinition::<&str, &[u8]>::new(name))?;
            for (k, v) in rows {
                new.insert(k.as_str(), v.as_bytes())?;
            }
        }
        let old: TableDefinition<&str, u64> = TableDefinition::new("invoice_counters");
        if let Ok(t) = tx.open_table(old) {
            let rows: Vec<(String, u64)> = t
                .iter()?
                .map(|e| e.map(|(k, v)| (k.value().to_owned(), v.value())))
                .collect::<Result<_, _>>()?;
            drop(t);
            tx.delete_table(old)?;
            let mut new = tx.open_table(TableDefinition::<&str, &[u8]>::new("invoice_counters"))?;
            for (k, v) in rows {
                new.insert(k.as_str(), v.to_string().as_bytes())?;
            }
        }
    }
    if version != VERSION {
        tx.open_table(META)?
            .insert(VERSION_KEY, VERSION.to_be_bytes().as_slice())?;
    }
    tx.commit()?;
    Ok(())
}

fn write_loop(db: &SharedDb, queue: &mpsc::Receiver<Job>, pending: &Pending) {
    // Next free chunk number per document, learned on first write.
    let mut next_seq: HashMap<DocumentId, u64> = HashMap::new();
    // An erasure met while gathering a batch: run after the batch, in queue order.
    let mut held: Option<Job> = None;
    loop {
        let first = match held.take() {
            Some(job) => job,
            None => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        let (first, first_done) = match first {
            Job::Erase(docs, at, done) => {
                for doc in &docs {
                    next_seq.remove(doc);
                }
                let result = erase_docs(db, &docs, at).map_err(|e| e.to_string());
                if let Err(e) = &result {
                    tracing::error!(error = %e, docs = docs.len(), "erasure failed");
                }
                let _ = done.send(result);
                continue;
            }
            Job::Write(write, done) => (*write, done),
        };
        let mut batch = vec![(first, first_done)];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(Job::Write(write, done)) => batch.push((*write, done)),
                Ok(erase) => {
                    held = Some(erase);
                    break;
                }
                Err(_) => break,
            }
        }
        let mut seq_in_tx = next_seq.clone();
        let result = write_batch(&db.writing(), &batch, &mut seq_in_tx).map_err(|e| e.to_string());
        if result.is_ok() {
            next_seq = seq_in_tx;
        } else if let Err(e) = &result {
            tracing::error!(error = %e, ops = batch.len(), "storage commit failed");
        }
        for (write, done) in batch {
            pending.done(&write.doc);
            let _ = done.send(result.clone());
        }
    }
}

/// Removes every chunk, the catalog and change-feed entries and the record row (with
/// its sort index entries) of `docs`, leaving a [`super::Tombstone`] for each one stored, in
/// one durable transaction; then rewrites the file so none of their bytes remain.
fn erase_docs(db: &SharedDb, docs: &[DocumentId], at: i64) -> Result<usize, ServerError> {
    let mut erased = 0;
    {
        let current = db.writing();
        let tx = current.begin()?;
        {
            let mut chunks = tx.open_table(CHUNKS)?;
            let mut metas = tx.open_table(DOC_META)?;
            let mut changes = tx.open_table(CHANGES)?;
            let mut records = tx.open_table(RECORDS)?;
            let mut order = tx.open_table(RECORD_ORDER)?;
            let mut tombstones =
                tx.open_table(TableDefinition::<&str, &[u8]>::new(super::ERASED))?;
            for doc in docs {
                let (start, end) = chunk_range(doc);
                chunks.retain_in(&start[..]..=&end[..], |_, _| false)?;
                let entry = metas
                    .remove(doc.as_bytes().as_slice())?
                    .and_then(|v| serde_json::from_slice::<Entry>(v.value()).ok());
                let Some(entry) = entry else {
                    continue;
                };
                erased += 1;
                let DocMeta {
                    workspace, kind, ..
                } = entry.meta;
                changes.remove(change_key(&workspace, entry.seq).as_slice())?;
                remove_row(
                    &mut records,
                    &mut order,
                    &record_key(&workspace, &kind, doc),
                )?;
                let tombstone = super::Tombstone {
                    workspace,
                    kind,
                    erased_at: at,
                };
                let value = serde_json::to_vec(&tombstone).map_err(json_error)?;
                tombstones.insert(doc.to_string().as_str(), value.as_slice())?;
            }
        }
        tx.commit()?;
    }
    db.rewrite()?;
    Ok(erased)
}

fn write_batch(
    db: &Writing<'_>,
    batch: &[(DocWrite, Reply)],
    next_chunk: &mut HashMap<DocumentId, u64>,
) -> Result<(), ServerError> {
    let tx = db.begin()?;
    {
        let mut chunks = tx.open_table(CHUNKS)?;
        let mut metas = tx.open_table(DOC_META)?;
        let mut changes = tx.open_table(CHANGES)?;
        let mut counters = tx.open_table(WORKSPACE_SEQ)?;
        let mut records = tx.open_table(RECORDS)?;
        let mut order = tx.open_table(RECORD_ORDER)?;
        for (write, _) in batch {
            let doc = &write.doc;
            if let Some(row) = &write.row {
                put_row(&mut records, &mut order, row)?;
            }
            for entry in &write.entries {
                let mut table = tx.open_table(TableDefinition::<&str, &[u8]>::new(entry.table))?;
                table.insert(entry.key.as_str(), entry.value.as_slice())?;
            }
            if let Some(bytes) = &write.chunk {
                let seq = match next_chunk.get(doc) {
                    Some(seq) => *seq,
                    None => {
                        let (start, end) = chunk_range(doc);
                        match chunks.range(&start[..]..=&end[..])?.next_back() {
                            Some(last) => {
                                let (key, _) = last?;
                                let mut seq = [0u8; 8];
                                seq.copy_from_slice(&key.value()[16..24]);
                                u64::from_be_bytes(seq) + 1
                            }
                            None => 0,
                        }
                    }
                };
                chunks.insert(&chunk_key(doc, seq)[..], bytes.as_slice())?;
                next_chunk.insert(*doc, seq + 1);
            }
            if let Some(snapshot) = &write.snapshot {
                let (start, end) = chunk_range(doc);
                chunks.retain_in(&start[..]..=&end[..], |_, _| false)?;
                chunks.insert(&chunk_key(doc, 0)[..], snapshot.as_slice())?;
                next_chunk.insert(*doc, 1);
            }
            // The next change number of the workspace; the old feed entry goes.
            let workspace = write.meta.workspace.as_str();
            let seq = counters.get(workspace)?.map(|v| v.value()).unwrap_or(0) + 1;
            counters.insert(workspace, seq)?;
            let old = metas
                .get(doc.as_bytes().as_slice())?
                .and_then(|v| serde_json::from_slice::<Entry>(v.value()).ok());
            if let Some(old) = old {
                changes.remove(change_key(&old.meta.workspace, old.seq).as_slice())?;
            }
            changes.insert(
                change_key(workspace, seq).as_slice(),
                doc.as_bytes().as_slice(),
            )?;
            let entry = serde_json::to_vec(&Entry {
                meta: write.meta.clone(),
                seq,
            })
            .map_err(json_error)?;
            metas.insert(doc.as_bytes().as_slice(), entry.as_slice())?;
        }
    }
    tx.commit()?;
    Ok(())
}
