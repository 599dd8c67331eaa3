//! IndexedDB persistence of Automerge documents.
//!
//! One database, `saha`, with three object stores:
//! - `chunks`: key `"<document id>/<sequence, 10 digits>"`, value the bytes of a snapshot
//!   or an incremental save. Loading a document concatenates its chunks in key order.
//! - `synced`: key document ID, value the heads the server last confirmed (hex, comma
//!   separated), so the pending count survives a reload while offline.
//! - `meta`: small settings such as the workspace index ID.
//!
//! IndexedDB's cost is per transaction, not per byte, so every write is a batch:
//! [`LocalStore::write`] puts any number of chunks in one transaction. Batches of
//! changes that also exist on the server use relaxed durability; local edits, whose only
//! copy is here until they sync, use the browser's default.

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::{JsCast, JsValue};

use saha_core::DocumentId;

/// The IndexedDB database of a member.
pub fn db_name(user_id: &str) -> String {
    format!("saha-{user_id}")
}
const DB_VERSION: u8 = 1;
const CHUNKS: &str = "chunks";
const SYNCED: &str = "synced";
const META: &str = "meta";

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
}

/// Everything stored, as read at start-up.
#[derive(Default)]
pub struct Loaded {
    /// Per document, its chunks in order, and the next free sequence number.
    pub docs: Vec<(DocumentId, Vec<Vec<u8>>, u32)>,
    pub synced: Vec<(DocumentId, String)>,
    pub meta: Vec<(String, String)>,
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
    KeyRange::Bound(format!("{doc}/"), false, format!("{doc}/\u{ffff}"), false)
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
                Ok(())
            })
            .await
            .map_err(err)?;
        Ok(LocalStore { db })
    }

    /// Reads every document, confirmation and setting in one transaction.
    pub async fn load_all(&self) -> Result<Loaded, StoreError> {
        let tx = self
            .db
            .transaction([CHUNKS, SYNCED, META])
            .with_mode(TransactionMode::Readonly)
            .build()
            .map_err(err)?;
        let chunks = tx.object_store(CHUNKS).map_err(err)?;
        let keys: Vec<String> = collect(chunks.get_all_keys::<String>().await.map_err(err)?)?;
        let values: Vec<JsValue> = collect(chunks.get_all::<JsValue>().await.map_err(err)?)?;
        let synced = tx.object_store(SYNCED).map_err(err)?;
        let synced_keys: Vec<String> =
            collect(synced.get_all_keys::<String>().await.map_err(err)?)?;
        let synced_values: Vec<String> = collect(synced.get_all::<String>().await.map_err(err)?)?;
        let meta = tx.object_store(META).map_err(err)?;
        let meta_keys: Vec<String> = collect(meta.get_all_keys::<String>().await.map_err(err)?)?;
        let meta_values: Vec<String> = collect(meta.get_all::<String>().await.map_err(err)?)?;

        let mut loaded = Loaded::default();
        for (key, value) in keys.iter().zip(values) {
            let Some((doc, seq)) = parse_chunk_key(key) else {
                leptos::logging::warn!("skipping a chunk with an unreadable key {key:?}");
                continue;
            };
            let Ok(array) = value.dyn_into::<js_sys::Uint8Array>() else {
                leptos::logging::warn!("skipping chunk {key:?}: not bytes");
                continue;
            };
            match loaded.docs.last_mut() {
                Some((last, chunks, next)) if *last == doc => {
                    chunks.push(array.to_vec());
                    *next = seq + 1;
                }
                _ => loaded.docs.push((doc, vec![array.to_vec()], seq + 1)),
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
            .transaction([CHUNKS, SYNCED, META])
            .with_mode(TransactionMode::Readwrite)
            .with_options(options)
            .build()
            .map_err(err)?;
        let chunks = tx.object_store(CHUNKS).map_err(err)?;
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
            }
        }
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
        let tx = self
            .db
            .transaction([CHUNKS, SYNCED, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        for name in [CHUNKS, SYNCED, META] {
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
