//! Which workspace every document belongs to, and the fields that decide who sees it.
//!
//! The catalog is the server's authority for authorization: a document's workspace is
//! fixed by the connection that created it and never taken from the document itself;
//! its kind and scope (team, owner) are read from the document after each accepted
//! change. The whole catalog is kept in memory (a few dozen bytes per document) and
//! persisted through the storage writer, in the same transaction as the change that
//! altered it.

use std::collections::HashMap;
use std::sync::RwLock;

use saha_core::DocumentId;
use saha_core::access::Scope;
use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::storage::{Durable, Storage};

/// What the server knows about one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub workspace: String,
    pub kind: String,
    #[serde(default)]
    pub scope: Scope,
}

pub struct Catalog {
    docs: RwLock<HashMap<DocumentId, DocMeta>>,
}

impl Catalog {
    /// Loads every entry from storage.
    pub fn load(storage: &Storage) -> Result<Catalog, ServerError> {
        let mut docs = HashMap::new();
        for (id, bytes) in storage.doc_metas()? {
            match serde_json::from_slice::<DocMeta>(&bytes) {
                Ok(meta) => {
                    docs.insert(id, meta);
                }
                Err(e) => tracing::error!(doc = %id, error = %e, "unreadable catalog entry"),
            }
        }
        Ok(Catalog {
            docs: RwLock::new(docs),
        })
    }

    pub fn get(&self, id: &DocumentId) -> Option<DocMeta> {
        self.docs.read().ok()?.get(id).cloned()
    }

    /// Records `meta` for `id` in memory and queues it for storage.
    pub fn put(
        &self,
        storage: &Storage,
        id: DocumentId,
        meta: DocMeta,
    ) -> Result<Durable, ServerError> {
        let bytes = serde_json::to_vec(&meta).map_err(|e| ServerError::Storage(e.to_string()))?;
        let durable = storage.enqueue_doc_meta(id, bytes)?;
        self.docs
            .write()
            .map_err(|_| ServerError::Storage("catalog lock poisoned".into()))?
            .insert(id, meta);
        Ok(durable)
    }

    /// The documents of `kind` in `workspace`.
    pub fn of_kind(&self, workspace: &str, kind: &str) -> Vec<(DocumentId, DocMeta)> {
        self.docs
            .read()
            .map(|docs| {
                docs.iter()
                    .filter(|(_, m)| m.workspace == workspace && m.kind == kind)
                    .map(|(id, m)| (*id, m.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many documents belong to `workspace`.
    pub fn count(&self, workspace: &str) -> usize {
        self.docs
            .read()
            .map(|docs| docs.values().filter(|m| m.workspace == workspace).count())
            .unwrap_or(0)
    }
}
