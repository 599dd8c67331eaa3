//! Embedded durable storage: one redb file holding every document as a list of chunks.
//!
//! A document is stored as its chunks in order — an optional snapshot (`Automerge::save`)
//! followed by incremental saves — keyed by `document ID ‖ sequence number`; loading
//! concatenates them, which `Automerge::load` accepts. Compaction replaces a document's
//! chunks with one snapshot in the same transaction.
//!
//! All writes go through one writer thread that groups whatever is queued into a single
//! transaction and commits it with `Durability::Immediate` (fsync) before answering any
//! of the waiting callers: a change is on disk before the server treats it as stored,
//! and a burst of changes costs one fsync rather than one each.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;

use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use saha_core::DocumentId;
use tokio::sync::oneshot;

use crate::ServerError;

const CHUNKS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("chunks");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// Catalog entries (see [`crate::catalog`]), keyed by document ID.
const DOC_META: TableDefinition<&[u8], &[u8]> = TableDefinition::new("doc_meta");

/// The name of the storage file inside the data directory.
pub const FILE_NAME: &str = "saha.redb";

/// Most operations committed in one transaction.
const MAX_BATCH: usize = 1024;

type Reply = oneshot::Sender<Result<(), String>>;

enum Op {
    Append {
        doc: DocumentId,
        bytes: Vec<u8>,
        done: Reply,
    },
    /// Replace every chunk of `doc` by `snapshot`.
    Compact {
        doc: DocumentId,
        snapshot: Vec<u8>,
        done: Reply,
    },
    PutMeta {
        key: String,
        value: Vec<u8>,
        done: Reply,
    },
    PutDocMeta {
        doc: DocumentId,
        value: Vec<u8>,
        done: Reply,
    },
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

/// Handle to the storage file. Dropping it stops the writer thread after the queued
/// writes are committed.
pub struct Storage {
    db: Arc<Database>,
    writer: Option<mpsc::Sender<Op>>,
    thread: Option<JoinHandle<()>>,
}

fn chunk_key(doc: &DocumentId, seq: u64) -> [u8; 24] {
    let mut key = [0u8; 24];
    key[..16].copy_from_slice(doc.as_bytes());
    key[16..].copy_from_slice(&seq.to_be_bytes());
    key
}

impl Storage {
    /// Opens (or creates) the storage file in `dir`.
    pub fn open(dir: &Path) -> Result<Storage, ServerError> {
        std::fs::create_dir_all(dir)?;
        let db = Arc::new(Database::create(dir.join(FILE_NAME))?);
        {
            let tx = db.begin_write()?;
            tx.open_table(CHUNKS)?;
            tx.open_table(META)?;
            tx.open_table(DOC_META)?;
            tx.commit()?;
        }
        let (writer, queue) = mpsc::channel();
        let thread_db = db.clone();
        let thread = std::thread::Builder::new()
            .name("saha-storage-writer".into())
            .spawn(move || write_loop(&thread_db, &queue))?;
        Ok(Storage {
            db,
            writer: Some(writer),
            thread: Some(thread),
        })
    }

    /// Queues a write; the returned [`Durable`] resolves once it is on disk. Writes are
    /// committed in the order they were queued.
    fn enqueue(&self, make: impl FnOnce(Reply) -> Op) -> Result<Durable, ServerError> {
        let (done, wait) = oneshot::channel();
        self.writer
            .as_ref()
            .ok_or(ServerError::WriterGone)?
            .send(make(done))
            .map_err(|_| ServerError::WriterGone)?;
        Ok(Durable(wait))
    }

    async fn submit(&self, make: impl FnOnce(Reply) -> Op) -> Result<(), ServerError> {
        self.enqueue(make)?.wait().await
    }

    /// Queues a chunk for a document, in order with every other write of the document.
    pub fn enqueue_append(&self, doc: DocumentId, bytes: Vec<u8>) -> Result<Durable, ServerError> {
        self.enqueue(|done| Op::Append { doc, bytes, done })
    }

    /// Queues a compaction of a document into one snapshot.
    pub fn enqueue_compact(
        &self,
        doc: DocumentId,
        snapshot: Vec<u8>,
    ) -> Result<Durable, ServerError> {
        self.enqueue(|done| Op::Compact {
            doc,
            snapshot,
            done,
        })
    }

    /// Appends a chunk to a document; returns once it is durable.
    pub async fn append(&self, doc: DocumentId, bytes: Vec<u8>) -> Result<(), ServerError> {
        self.submit(|done| Op::Append { doc, bytes, done }).await
    }

    /// Replaces a document's chunks by one snapshot; returns once it is durable.
    pub async fn compact(&self, doc: DocumentId, snapshot: Vec<u8>) -> Result<(), ServerError> {
        self.submit(|done| Op::Compact {
            doc,
            snapshot,
            done,
        })
        .await
    }

    /// Queues a catalog entry; committed in order with the chunks queued around it.
    pub fn enqueue_doc_meta(
        &self,
        doc: DocumentId,
        value: Vec<u8>,
    ) -> Result<Durable, ServerError> {
        self.enqueue(|done| Op::PutDocMeta { doc, value, done })
    }

    /// Every catalog entry.
    pub fn doc_metas(&self) -> Result<Vec<(DocumentId, Vec<u8>)>, ServerError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DOC_META)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (key, value) = entry?;
            if let Ok(id) = DocumentId::try_from(key.value()) {
                out.push((id, value.value().to_vec()));
            }
        }
        Ok(out)
    }

    /// The ID of every stored document.
    pub fn document_ids(&self) -> Result<Vec<DocumentId>, ServerError> {
        let tx = self.db.begin_read()?;
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

    /// The database, for the tables other modules own (accounts, sessions, audit).
    pub fn database(&self) -> Arc<Database> {
        self.db.clone()
    }

    pub async fn put_meta(&self, key: &str, value: Vec<u8>) -> Result<(), ServerError> {
        let key = key.to_owned();
        self.submit(|done| Op::PutMeta { key, value, done }).await
    }

    pub fn get_meta(&self, key: &str) -> Result<Option<Vec<u8>>, ServerError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(META)?;
        Ok(table.get(key)?.map(|v| v.value().to_vec()))
    }

    /// The concatenated chunks of a document, or `None` if it was never stored.
    pub fn load(&self, doc: &DocumentId) -> Result<Option<Vec<u8>>, ServerError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(CHUNKS)?;
        let (start, end) = (chunk_key(doc, 0), chunk_key(doc, u64::MAX));
        let mut bytes = Vec::new();
        let mut found = false;
        for entry in table.range(&start[..]..=&end[..])? {
            let (_, value) = entry?;
            bytes.extend_from_slice(value.value());
            found = true;
        }
        Ok(found.then_some(bytes))
    }

    /// How many chunks a document has (for tests and diagnostics).
    pub fn chunk_count(&self, doc: &DocumentId) -> Result<usize, ServerError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(CHUNKS)?;
        let (start, end) = (chunk_key(doc, 0), chunk_key(doc, u64::MAX));
        Ok(table.range(&start[..]..=&end[..])?.count())
    }
}

impl Drop for Storage {
    fn drop(&mut self) {
        self.writer.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn write_loop(db: &Database, queue: &mpsc::Receiver<Op>) {
    // Next free sequence number per document, learned on first write.
    let mut next_seq: HashMap<DocumentId, u64> = HashMap::new();
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        let mut seq_in_tx = next_seq.clone();
        let result = write_batch(db, &batch, &mut seq_in_tx).map_err(|e| e.to_string());
        if result.is_ok() {
            next_seq = seq_in_tx;
        } else if let Err(e) = &result {
            tracing::error!(error = %e, ops = batch.len(), "storage commit failed");
        }
        for op in batch {
            let done = match op {
                Op::Append { done, .. }
                | Op::Compact { done, .. }
                | Op::PutMeta { done, .. }
                | Op::PutDocMeta { done, .. } => done,
            };
            let _ = done.send(result.clone());
        }
    }
}

fn write_batch(
    db: &Database,
    batch: &[Op],
    next_seq: &mut HashMap<DocumentId, u64>,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write()?;
    tx.set_durability(Durability::Immediate)
        .map_err(|e| ServerError::Storage(e.to_string()))?;
    {
        let mut chunks = tx.open_table(CHUNKS)?;
        let mut meta = tx.open_table(META)?;
        let mut doc_meta = tx.open_table(DOC_META)?;
        for op in batch {
            match op {
                Op::Append { doc, bytes, .. } => {
                    let seq = match next_seq.get(doc) {
                        Some(seq) => *seq,
                        None => {
                            let (start, end) = (chunk_key(doc, 0), chunk_key(doc, u64::MAX));
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
                    next_seq.insert(*doc, seq + 1);
                }
                Op::Compact { doc, snapshot, .. } => {
                    let (start, end) = (chunk_key(doc, 0), chunk_key(doc, u64::MAX));
                    chunks.retain_in(&start[..]..=&end[..], |_, _| false)?;
                    chunks.insert(&chunk_key(doc, 0)[..], snapshot.as_slice())?;
                    next_seq.insert(*doc, 1);
                }
                Op::PutMeta { key, value, .. } => {
                    meta.insert(key.as_str(), value.as_slice())?;
                }
                Op::PutDocMeta { doc, value, .. } => {
                    doc_meta.insert(doc.as_bytes().as_slice(), value.as_slice())?;
                }
            }
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_survive_reopen_and_compaction_keeps_the_document() {
        let dir = tempfile::tempdir().unwrap();
        let doc = DocumentId::random();
        let mut am = automerge::Automerge::new();
        let mut saved = Vec::new();
        {
            let storage = Storage::open(dir.path()).unwrap();
            for i in 0..5i64 {
                am.transact::<_, _, automerge::AutomergeError>(|tx| {
                    use automerge::transaction::Transactable;
                    tx.put(automerge::ROOT, format!("k{i}"), i)?;
                    Ok(())
                })
                .unwrap();
                storage.append(doc, am.save_after(&saved)).await.unwrap();
                saved = am.get_heads();
            }
            assert_eq!(storage.chunk_count(&doc).unwrap(), 5);
            storage.put_meta("x", b"y".to_vec()).await.unwrap();
        }
        let storage = Storage::open(dir.path()).unwrap();
        let loaded = automerge::Automerge::load(&storage.load(&doc).unwrap().unwrap()).unwrap();
        assert_eq!(loaded.get_heads(), am.get_heads());
        assert_eq!(storage.get_meta("x").unwrap(), Some(b"y".to_vec()));

        storage.compact(doc, am.save()).await.unwrap();
        assert_eq!(storage.chunk_count(&doc).unwrap(), 1);
        storage.append(doc, vec![]).await.unwrap();
        assert_eq!(storage.chunk_count(&doc).unwrap(), 2);
        let loaded = automerge::Automerge::load(&storage.load(&doc).unwrap().unwrap()).unwrap();
        assert_eq!(loaded.get_heads(), am.get_heads());
        assert!(storage.load(&DocumentId::random()).unwrap().is_none());
    }
}
