//! IndexedDB persistence of Automerge documents.
//!
//! One database per member, `saha-<user id>`, with four object stores:
//! - `chunks`: key `"<document id>/<sequence, 10 digits>"`, value the bytes of a snapshot
//!   or an incremental save. Loading a document concatenates its chunks in key order;
//!   documents are read one batch at a time, when needed ([`LocalStore::load_docs`]).
//! - `read_model`: key document ID, value the document's read-model entry
//!   ([`saha_core::read_model::Entry`], JSON), written in the same transaction as the
//!   document's bytes. Start-up reads only this ([`LocalStore::load_read_model`]).
//! - `synced`: key document ID, value the heads the server last confirmed (hex, comma
//!   separated), so the pending count survives a reload while offline.
//! - `meta`: small settings such as the workspace index ID and the read model's version.
//! - `files`: key an attachment's SHA-256, value its bytes as a `Blob`: the file taken on
//!   this device (kept until uploaded, and as the offline copy) or one opened here.
//! - `uploads`: key an attachment's SHA-256, value its name: files still to upload
//!   ([`crate::client::files`]).
//! - `file_use`: key an attachment's SHA-256, value when this device last stored or
//!   showed the file (ms since the Unix epoch): what "keep only recent files" goes by.
//!
//! Version 1 of the database had no `read_model`; opening it as version 2 adds the store
//! empty, and the app rebuilds the read model from the documents. Version 3 adds `files`
//! and `uploads`, version 4 `file_use` (a file kept before it counts as used at the
//! first listing, [`LocalStore::held_files`]).
//!
//! IndexedDB's cost is per transaction, not per byte, so every write is a batch:
//! [`LocalStore::write`] puts any number of chunks in one transaction. Batches of
//! changes that also exist on the server use relaxed durability; local edits, whose only
//! copy is here until they sync, use the browser's default.

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::{JsCast, JsValue};

use saha_core::DocumentId;

/// The IndexedDB database of a member.
pub fn db_name(user_id: &str) -> String {
    format!("saha-{user_id}")
}
const DB_VERSION: u8 = 4;
const CHUNKS: &str = "chunks";
const READ_MODEL: &str = "read_model";
const ALL_STORES: [&str; 4] = [CHUNKS, READ_MODEL, SYNCED, META];
const SYNCED: &str = "synced";
const META: &str = "meta";
const FILES: &str = "files";
const UPLOADS: &str = "uploads";
const FILE_USE: &str = "file_use";

/// One write of a batch.
pub enum Write {
    /// Adds a chunk to a document.
    Chunk {
        doc: DocumentId,
        seq: u32,
        bytes: Vec<u8>,
    },
    /// Replaces all chunks of a document by one snapshot (compaction).
    Snapshot {
        doc: DocumentId,
        bytes: Vec<u8>,
    },
    /// Records the heads the server has confirmed for a document.
    Synced {
        doc: DocumentId,
        heads: String,
    },
    Meta {
        key: String,
        value: String,
    },
    /// Replaces a document's read-model entry.
    Entry {
        doc: DocumentId,
        row: String,
    },
    /// Empties the read model (before a rebuild).
    ClearEntries,
    /// Removes everything held of a document erased on the server: its chunks, its
    /// read-model entry and its confirmed heads.
    Purge {
        doc: DocumentId,
    },
}

/// What start-up reads: the read model and the small stores, no document bytes.
#[derive(Default)]
pub struct Loaded {
    /// The read model's rows.
    pub entries: Vec<(DocumentId, String)>,
    /// Every document with bytes stored (from the chunk keys alone).
    pub stored: Vec<DocumentId>,
    pub synced: Vec<(DocumentId, String)>,
    pub meta: Vec<(String, String)>,
    /// The key of a read-model row that is not an ID with a text value.
    pub damaged: Option<String>,
}

/// A file this device keeps ([`LocalStore::held_files`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HeldFile {
    /// SHA-256, hex.
    pub hash: String,
    pub size: u64,
    /// When this device last stored or showed it (ms since the Unix epoch).
    pub used_at: f64,
    /// Still to be uploaded: its only copy may be this one, so it is never dropped.
    pub waiting: bool,
}

/// One document's stored bytes: its chunks in order and the next free sequence number.
pub struct StoredDoc {
    pub id: DocumentId,
    pub chunks: Vec<Vec<u8>>,
    pub next_seq: u32,
}

#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Wraps any IndexedDB error.
fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

pub struct LocalStore {
    db: Database,
}

fn chunk_key(doc: &DocumentId, seq: u32) -> String {
    format!("{doc}/{seq:010}")
}

fn doc_range(doc: &DocumentId) -> KeyRange<String> {
    docs_range(doc, doc)
}

/// The chunk keys of every document from `first` to `last`, in key order.
fn docs_range(first: &DocumentId, last: &DocumentId) -> KeyRange<String> {
    KeyRange::Bound(
        format!("{first}/"),
        false,
        format!("{last}/\u{ffff}"),
        false,
    )
}

/// Reads the chunks in `range` (a fresh range per request) and groups them by document,
/// in key order.
async fn read_chunks(
    chunks: &ObjectStore<'_>,
    range: impl Fn() -> KeyRange<String>,
) -> Result<Vec<StoredDoc>, StoreError> {
    let keys: Vec<String> = collect(
        chunks
            .get_all_keys::<String>()
            .with_query::<String, _>(range())
            .await
            .map_err(err)?,
    )?;
    let values: Vec<JsValue> = collect(
        chunks
            .get_all::<JsValue>()
            .with_query::<String, _>(range())
            .await
            .map_err(err)?,
    )?;
    let mut docs: Vec<StoredDoc> = Vec::new();
    for (key, value) in keys.iter().zip(values) {
        let Some((id, seq)) = parse_chunk_key(key) else {
            leptos::logging::warn!("skipping a chunk with an unreadable key {key:?}");
            continue;
        };
        let Ok(array) = value.dyn_into::<js_sys::Uint8Array>() else {
            leptos::logging::warn!("skipping chunk {key:?}: not bytes");
            continue;
        };
        match docs.last_mut() {
            Some(doc) if doc.id == id => {
                doc.chunks.push(array.to_vec());
                doc.next_seq = seq + 1;
            }
            _ => docs.push(StoredDoc {
                id,
                chunks: vec![array.to_vec()],
                next_seq: seq + 1,
            }),
        }
    }
    Ok(docs)
}

fn parse_chunk_key(key: &str) -> Option<(DocumentId, u32)> {
    let (doc, seq) = key.split_once('/')?;
    Some((doc.parse().ok()?, seq.parse().ok()?))
}

impl LocalStore {
    /// Opens the database of one member (`saha-<user id>`): two people sharing a device
    /// never see each other's local data, and logging out can delete exactly one.
    pub async fn open(user_id: &str) -> Result<LocalStore, StoreError> {
        let db = Database::open(&db_name(user_id))
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(CHUNKS).build()?;
                    db.create_object_store(SYNCED).build()?;
                    db.create_object_store(META).build()?;
                }
                if event.old_version() < 2.0 {
                    db.create_object_store(READ_MODEL).build()?;
                }
                if event.old_version() < 3.0 {
                    db.create_object_store(FILES).build()?;
                    db.create_object_store(UPLOADS).build()?;
                }
                if event.old_version() < 4.0 {
                    db.create_object_store(FILE_USE).build()?;
                }
                Ok(())
            })
            .await
            .map_err(err)?;
        Ok(LocalStore { db })
    }

    /// Reads the read model, the IDs of the stored documents, confirmations and settings
    /// in one transaction; no document's bytes.
    pub async fn load_read_model(&self) -> Result<Loaded, StoreError> {
        let tx = self
            .db
            .transaction(ALL_STORES)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let chunks = tx.object_store(CHUNKS).map_err(err)?;
        let chunk_keys: Vec<String> = collect(chunks.get_all_keys::<String>().await.map_err(err)?)?;
        let read_model = tx.object_store(READ_MODEL).map_err(err)?;
        let entry_keys: Vec<String> =
            collect(read_model.get_all_keys::<String>().await.map_err(err)?)?;
        let entry_values: Vec<JsValue> =
            collect(read_model.get_all::<JsValue>().await.map_err(err)?)?;
        let synced = tx.object_store(SYNCED).map_err(err)?;
        let synced_keys: Vec<String> =
            collect(synced.get_all_keys::<String>().await.map_err(err)?)?;
        let synced_values: Vec<String> = collect(synced.get_all::<String>().await.map_err(err)?)?;
        let meta = tx.object_store(META).map_err(err)?;
        let meta_keys: Vec<String> = collect(meta.get_all_keys::<String>().await.map_err(err)?)?;
        let meta_values: Vec<String> = collect(meta.get_all::<String>().await.map_err(err)?)?;

        let mut loaded = Loaded::default();
        for key in &chunk_keys {
            match parse_chunk_key(key) {
                // Keys are sorted: a document's chunks are adjacent.
                Some((doc, _)) if loaded.stored.last() != Some(&doc) => loaded.stored.push(doc),
                Some(_) => {}
                None => leptos::logging::warn!("skipping a chunk with an unreadable key {key:?}"),
            }
        }
        for (key, value) in entry_keys.into_iter().zip(entry_values) {
            match (key.parse(), value.as_string()) {
                (Ok(id), Some(row)) => loaded.entries.push((id, row)),
                // A row the app did not write: the read model is rebuilt.
                _ => loaded.damaged = Some(key),
            }
        }
        loaded.synced = synced_keys
            .into_iter()
            .zip(synced_values)
            .filter_map(|(k, v)| Some((k.parse().ok()?, v)))
            .collect();
        loaded.meta = meta_keys.into_iter().zip(meta_values).collect();
        Ok(loaded)
    }

    /// Reads the bytes of every document from `first` to `last` (in key order) with two
    /// requests: how a rebuild reads the store, a batch of adjacent documents at a time.
    pub async fn load_range(
        &self,
        first: &DocumentId,
        last: &DocumentId,
    ) -> Result<Vec<StoredDoc>, StoreError> {
        let tx = self
            .db
            .transaction(CHUNKS)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let chunks = tx.object_store(CHUNKS).map_err(err)?;
        read_chunks(&chunks, || docs_range(first, last)).await
    }

    /// Reads the bytes of `ids` in one transaction; a document with nothing stored comes
    /// back with no chunks.
    pub async fn load_docs(&self, ids: &[DocumentId]) -> Result<Vec<StoredDoc>, StoreError> {
        let tx = self
            .db
            .transaction(CHUNKS)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let chunks = tx.object_store(CHUNKS).map_err(err)?;
        let mut docs = Vec::with_capacity(ids.len());
        for id in ids {
            let doc = read_chunks(&chunks, || doc_range(id)).await?.pop();
            docs.push(doc.unwrap_or(StoredDoc {
                id: *id,
                chunks: Vec::new(),
                next_seq: 0,
            }));
        }
        Ok(docs)
    }

    /// Applies a batch of writes in one transaction. `durable` keeps the browser's default
    /// durability (flushed before the commit completes); otherwise it is relaxed.
    pub async fn write(&self, batch: Vec<Write>, durable: bool) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut options = TransactionOptions::new();
        options.set_durability(if durable {
            TransactionDurability::Default
        } else {
            TransactionDurability::Relaxed
        });
        let tx = self
            .db
            .transaction(ALL_STORES)
            .with_mode(TransactionMode::Readwrite)
            .with_options(options)
            .build()
            .map_err(err)?;
        let chunks = tx.object_store(CHUNKS).map_err(err)?;
        let read_model = tx.object_store(READ_MODEL).map_err(err)?;
        let synced = tx.object_store(SYNCED).map_err(err)?;
        let meta = tx.object_store(META).map_err(err)?;
        for write in batch {
            match write {
                Write::Chunk { doc, seq, bytes } => {
                    let value: JsValue = js_sys::Uint8Array::from(bytes.as_slice()).into();
                    chunks
                        .put(value)
                        .with_key(chunk_key(&doc, seq))
                        .build()
                        .map_err(err)?;
                }
                Write::Snapshot { doc, bytes } => {
                    chunks
                        .delete::<String, KeyRange<String>>(doc_range(&doc))
                        .build()
                        .map_err(err)?;
                    let value: JsValue = js_sys::Uint8Array::from(bytes.as_slice()).into();
                    chunks
                        .put(value)
                        .with_key(chunk_key(&doc, 0))
                        .build()
                        .map_err(err)?;
                }
                Write::Synced { doc, heads } => {
                    synced
                        .put(heads)
                        .with_key(doc.to_string())
                        .build()
                        .map_err(err)?;
                }
                Write::Meta { key, value } => {
                    meta.put(value).with_key(key).build().map_err(err)?;
                }
                Write::Entry { doc, row } => {
                    read_model
                        .put(row)
                        .with_key(doc.to_string())
                        .build()
                        .map_err(err)?;
                }
                Write::ClearEntries => {
                    read_model.clear().map_err(err)?;
                }
                Write::Purge { doc } => {
                    chunks
                        .delete::<String, KeyRange<String>>(doc_range(&doc))
                        .build()
                        .map_err(err)?;
                    read_model
                        .delete::<String, String>(doc.to_string())
                        .build()
                        .map_err(err)?;
                    synced
                        .delete::<String, String>(doc.to_string())
                        .build()
                        .map_err(err)?;
                }
            }
        }
        tx.commit().await.map_err(err)?;
        Ok(())
    }

    /// Keeps `blob` as the bytes of file `hash`, used at `now`; with `upload`, also
    /// queues it for uploading under that name. One transaction, with the browser's
    /// default durability: until it is uploaded this is the file's only copy.
    pub async fn put_file(
        &self,
        hash: &str,
        blob: &web_sys::Blob,
        upload: Option<&str>,
        now: f64,
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction([FILES, UPLOADS, FILE_USE])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let files = tx.object_store(FILES).map_err(err)?;
        let value: JsValue = blob.clone().into();
        files
            .put(value)
            .with_key(hash.to_owned())
            .build()
            .map_err(err)?;
        tx.object_store(FILE_USE)
            .map_err(err)?
            .put(JsValue::from_f64(now))
            .with_key(hash.to_owned())
            .build()
            .map_err(err)?;
        if let Some(name) = upload {
            tx.object_store(UPLOADS)
                .map_err(err)?
                .put(name.to_owned())
                .with_key(hash.to_owned())
                .build()
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        Ok(())
    }

    /// The bytes of file `hash` if this device has them.
    pub async fn file(&self, hash: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        let tx = self
            .db
            .transaction(FILES)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let files = tx.object_store(FILES).map_err(err)?;
        let value: Option<JsValue> = files
            .get::<JsValue, String, String>(hash.to_owned())
            .await
            .map_err(err)?;
        Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
    }

    /// Notes that file `hash` was shown at `now` (if this device keeps it).
    pub async fn touch_file(&self, hash: &str, now: f64) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction([FILES, FILE_USE])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let kept = tx
            .object_store(FILES)
            .map_err(err)?
            .get_key::<String, String>(hash.to_owned())
            .await
            .map_err(err)?;
        if kept.is_some() {
            tx.object_store(FILE_USE)
                .map_err(err)?
                .put(JsValue::from_f64(now))
                .with_key(hash.to_owned())
                .build()
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        Ok(())
    }

    /// Every file this device keeps: its size, when it was last used, and whether it
    /// still waits to be uploaded. A file with no use noted (kept before version 4)
    /// gets `now`. Reads no file's bytes (the `Blob`s are handles).
    pub async fn held_files(&self, now: f64) -> Result<Vec<HeldFile>, StoreError> {
        let tx = self
            .db
            .transaction([FILES, UPLOADS, FILE_USE])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let files = tx.object_store(FILES).map_err(err)?;
        let hashes: Vec<String> = collect(files.get_all_keys::<String>().await.map_err(err)?)?;
        let blobs: Vec<JsValue> = collect(files.get_all::<JsValue>().await.map_err(err)?)?;
        // IndexedDB lists keys in order: looked up by binary search.
        let uploads = tx.object_store(UPLOADS).map_err(err)?;
        let waiting: Vec<String> = collect(uploads.get_all_keys::<String>().await.map_err(err)?)?;
        let uses = tx.object_store(FILE_USE).map_err(err)?;
        let used_keys: Vec<String> = collect(uses.get_all_keys::<String>().await.map_err(err)?)?;
        let used_at: Vec<JsValue> = collect(uses.get_all::<JsValue>().await.map_err(err)?)?;
        let mut held = Vec::with_capacity(hashes.len());
        for (hash, blob) in hashes.into_iter().zip(blobs) {
            let size = blob
                .dyn_ref::<web_sys::Blob>()
                .map_or(0, |b| b.size() as u64);
            let noted = used_keys
                .binary_search(&hash)
                .ok()
                .and_then(|i| used_at.get(i)?.as_f64());
            let used_at = match noted {
                Some(at) => at,
                None => {
                    uses.put(JsValue::from_f64(now))
                        .with_key(hash.clone())
                        .build()
                        .map_err(err)?;
                    now
                }
            };
            held.push(HeldFile {
                waiting: waiting.binary_search(&hash).is_ok(),
                hash,
                size,
                used_at,
            });
        }
        tx.commit().await.map_err(err)?;
        Ok(held)
    }

    /// Removes the bytes of `hashes` from this device, except those still waiting to
    /// be uploaded (checked in the same transaction). Returns how many went.
    pub async fn drop_files(&self, hashes: &[String]) -> Result<usize, StoreError> {
        let tx = self
            .db
            .transaction([FILES, UPLOADS, FILE_USE])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let files = tx.object_store(FILES).map_err(err)?;
        let uploads = tx.object_store(UPLOADS).map_err(err)?;
        let uses = tx.object_store(FILE_USE).map_err(err)?;
        let mut dropped = 0;
        for hash in hashes {
            let waiting = uploads
                .get_key::<String, String>(hash.clone())
                .await
                .map_err(err)?;
            if waiting.is_some() {
                continue;
            }
            files
                .delete::<String, String>(hash.clone())
                .build()
                .map_err(err)?;
            uses.delete::<String, String>(hash.clone())
                .build()
                .map_err(err)?;
            dropped += 1;
        }
        tx.commit().await.map_err(err)?;
        Ok(dropped)
    }

    /// The value of setting `key` in the `meta` store.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        tx.object_store(META)
            .map_err(err)?
            .get::<String, String, String>(key.to_owned())
            .await
            .map_err(err)
    }

    /// Files waiting to be uploaded: (hash, name).
    pub async fn pending_uploads(&self) -> Result<Vec<(String, String)>, StoreError> {
        let tx = self
            .db
            .transaction(UPLOADS)
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let uploads = tx.object_store(UPLOADS).map_err(err)?;
        let keys: Vec<String> = collect(uploads.get_all_keys::<String>().await.map_err(err)?)?;
        let names: Vec<String> = collect(uploads.get_all::<String>().await.map_err(err)?)?;
        Ok(keys.into_iter().zip(names).collect())
    }

    /// Takes file `hash` off the upload queue (its bytes stay as the offline copy).
    pub async fn uploaded(&self, hash: &str) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(UPLOADS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        tx.object_store(UPLOADS)
            .map_err(err)?
            .delete::<String, String>(hash.to_owned())
            .build()
            .map_err(err)?;
        tx.commit().await.map_err(err)?;
        Ok(())
    }

    /// Closes this connection to the database (before deleting it: an open connection
    /// blocks the deletion).
    pub fn close(&self) {
        use indexed_db_futures::internals::SystemRepr;
        self.db.as_sys().close();
    }

    /// Deletes the whole database of a member (logout with "remove data from this
    /// device"). Resolves once the browser reports it deleted.
    pub async fn delete(user_id: &str) -> Result<(), StoreError> {
        Database::delete_by_name(&db_name(user_id))
            .map_err(err)?
            .await
            .map_err(err)?;
        Ok(())
    }

    /// Deletes everything stored on this device (used when a test or a user wipes data).
    pub async fn clear(&self) -> Result<(), StoreError> {
        let every = [CHUNKS, READ_MODEL, SYNCED, META, FILES, UPLOADS, FILE_USE];
        let tx = self
            .db
            .transaction(every)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        for name in every {
            tx.object_store(name).map_err(err)?.clear().map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        Ok(())
    }
}

fn collect<T, E: std::fmt::Display>(
    items: impl Iterator<Item = Result<T, E>>,
) -> Result<Vec<T>, StoreError> {
    items.map(|item| item.map_err(err)).collect()
}
