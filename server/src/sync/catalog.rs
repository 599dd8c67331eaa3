//! Which workspace every document belongs to, and the fields that decide who sees it.
//!
//! The catalog is the server's authority for authorization: a document's workspace is
//! fixed by the connection that created it and never taken from the document itself;
//! change. The whole catalog is kept in memory (a few dozen bytes per document); every
//! stored change carries its document's entry to storage, in the same transaction
//! (see [`crate::storage::DocWrite`]). On PostgreSQL, entries written by other nodes
//! arrive through the change feed ([`crate::sync::hub::Hub::apply_remote`]).

use std::collections::HashMap;
use std::sync::RwLock;

use saha_core::DocumentId;
use saha_core::access::Scope;
use serde::{Deserialize, Serialize};

use crate::storage::StoredDoc;

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
    /// A catalog of the entries read from storage.
    pub fn new(entries: Vec<StoredDoc>) -> Catalog {
        Catalog {
            docs: RwLock::new(entries.into_iter().map(|d| (d.id, d.meta)).collect()),
        }
    }

    pub fn get(&self, id: &DocumentId) -> Option<DocMeta> {
        self.docs.read().ok()?.get(id).cloned()
    }

    /// Records `meta` for `id` (storage already has it, or has it queued).
    pub fn set(&self, id: DocumentId, meta: DocMeta) {
        if let Ok(mut docs) = self.docs.write() {
            docs.insert(id, meta);
        }
    }

    /// Forgets `id` (an erased document).
    pub fn remove(&self, id: &DocumentId) {
        if let Ok(mut docs) = self.docs.write() {
            docs.remove(id);
        }
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
