//! The read model: what the screens show, projected out of the documents and kept
//! beside them, so a device can list, search and report on its records without loading
//! a single Automerge document.
//!
//! Loading a document costs far more than reading what it says: at 10,000 records a
//! phone spent seconds in `Automerge::load` and in reading every record back out of its
//! document before the first list appeared. So every stored document gets an [`Entry`]:
//! the heads it was projected at and its [`Projection`] — the typed record (what lists,
//! search, the pipeline, calendars, "my day", the 360° timeline, segments and reports
//! read), the workspace's settings for the index document, or [`Projection::Other`] for a
//! document no screen shows. Entries are small JSON rows ([`Entry::encode`]); the
//! document itself is loaded only when a record is opened for editing, or a change to it
//! must be merged.
//!
//! The read model is derived state, never a second source of truth:
//!
//! - Whoever writes a document's bytes writes its entry in the same transaction, from
//!   the document as written ([`Entry::of`]); an entry is never edited by itself.
//! - [`version`] names the projection's shape (a schema number and a fingerprint of the
//!   record types). A stored read model of another version is rebuilt from the
//!   documents, as is one that fails [`check`]: an entry that does not decode, a stored
//!   document without an entry, or an entry without a document.
//! - A document arriving from the server's change feed replaces the stored one when it
//!   already contains everything the device has ([`feed_action`]); only then can the
//!   device skip loading its own copy. Otherwise the two are merged and the merged
//!   document is projected.
//!
//! The property test below runs random interleavings of local edits, remote changes
//! (merged into a loaded document, or taken from the feed), restarts and version
//! changes on two devices, and checks after each step that the stored read model equals
//! the projection recomputed from the documents.

use std::collections::{HashMap, HashSet};

use automerge::{Automerge, ChangeHash};
use serde::{Deserialize, Serialize};

use crate::DocumentId;
use crate::kinds::{KINDS, Record};
use crate::record::EditContext;
use crate::sales::opportunity::Stage;
use crate::workspace::{self, CompanyDetails, ServiceSettings};

/// The projection's schema number: raise it whenever what a [`Projection`] holds changes
/// meaning without changing its field names (the fingerprint in [`version`] catches
/// added, removed and renamed fields).
pub const SCHEMA: u32 = 1;

/// What the screens need of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Projection {
    /// A record, read as its typed value.
    Record(Record),
    /// The workspace index: the settings every screen reads (its record list is read
    /// from the document itself, when syncing).
    Workspace(WorkspaceSettings),
    /// A document no screen shows: empty, of a kind this version does not know, or a
    /// record that does not read (its bytes are kept; a later version may read them).
    Other,
}

/// The settings held by the workspace index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    pub pipeline: Vec<Stage>,
    pub service: ServiceSettings,
    pub company: CompanyDetails,
}

impl WorkspaceSettings {
    /// The settings of a workspace whose index has not arrived: the defaults.
    pub fn defaults() -> WorkspaceSettings {
        WorkspaceSettings {
            pipeline: crate::sales::opportunity::pipeline(
                crate::sales::opportunity::default_open_stages(),
            ),
            service: ServiceSettings::default(),
            company: CompanyDetails::default(),
        }
    }
}

/// One document's row of the read model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The document's heads the projection was made at (hex change hashes).
    pub heads: Vec<String>,
    pub projection: Projection,
}

/// Why a stored read model cannot be used and must be rebuilt from the documents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rebuild {
    #[error("no read model is stored")]
    Absent,
    #[error("the read model is of version {stored}, this app reads {current}")]
    VersionChanged { stored: String, current: String },
    #[error("the read model's entry of {0} does not decode")]
    Unreadable(String),
    #[error("document {0} is stored without a read-model entry")]
    Missing(DocumentId),
    #[error("the read model has an entry of {0} but no document")]
    Orphan(DocumentId),
}

/// What the record in `doc` projects to.
pub fn project(doc: &Automerge) -> Projection {
    let kind = crate::record::value::get_string(doc, &automerge::ROOT, "kind");
    if kind.as_deref() == Some(workspace::KIND) {
        return Projection::Workspace(WorkspaceSettings {
            pipeline: workspace::pipeline(doc),
            service: workspace::service(doc),
            company: workspace::company(doc),
        });
    }
    match Record::read(doc) {
        Some(Ok(record)) => Projection::Record(record),
        _ => Projection::Other,
    }
}

impl Entry {
    /// The entry of `doc` as it is now.
    pub fn of(doc: &Automerge) -> Entry {
        Entry {
            heads: doc.get_heads().iter().map(ToString::to_string).collect(),
            projection: project(doc),
        }
    }

    /// The entry of a record document this device has just written from `record`
    /// (a new record: its document holds exactly `record`), without reading the
    /// record back, which costs more than writing it.
    pub fn of_written(doc: &Automerge, record: Record) -> Entry {
        Entry {
            heads: doc.get_heads().iter().map(ToString::to_string).collect(),
            projection: Projection::Record(record),
        }
    }

    /// The heads, parsed (a head that does not parse is left out).
    pub fn change_hashes(&self) -> Vec<ChangeHash> {
        self.heads.iter().filter_map(|h| h.parse().ok()).collect()
    }

    /// The record, if the entry is one.
    pub fn record(&self) -> Option<&Record> {
        match &self.projection {
            Projection::Record(record) => Some(record),
            _ => None,
        }
    }

    /// The row as stored.
    pub fn encode(&self) -> String {
        // A value of plain strings, numbers, lists and maps with string keys: the
        // serializer has nothing to refuse.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored row.
    pub fn decode(row: &str) -> Result<Entry, serde_json::Error> {
        serde_json::from_str(row)
    }
}

/// 64-bit FNV-1a: a stable fingerprint, not a defence against anyone.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The read model's version: [`SCHEMA`] and a fingerprint of the projection's shape
/// (the JSON of a blank record of every kind and of the default settings), so a new
/// field in any record type rebuilds the read model without anyone remembering to.
pub fn version() -> String {
    let ctx = EditContext::new("", 0);
    let mut shape = String::new();
    for kind in KINDS {
        if let Some(record) = Record::blank(kind, &ctx) {
            shape.push_str(
                &Entry {
                    heads: Vec::new(),
                    projection: Projection::Record(record),
                }
                .encode(),
            );
        }
    }
    shape.push_str(
        &Entry {
            heads: Vec::new(),
            projection: Projection::Workspace(WorkspaceSettings::defaults()),
        }
        .encode(),
    );
    format!("{SCHEMA}-{:016x}", fnv1a(shape.as_bytes()))
}

/// Reads a stored read model: its `rows` (document ID and encoded entry), written by
/// `version` (`None` if none is stored), beside the documents `stored`. The entries come
/// back only if the version is `current` ([`version`]), every row decodes and
/// [`check`] passes; otherwise the reason to rebuild.
pub fn load(
    current: &str,
    version: Option<&str>,
    rows: &[(DocumentId, String)],
    stored: &[DocumentId],
) -> Result<HashMap<DocumentId, Entry>, Rebuild> {
    match version {
        None => return Err(Rebuild::Absent),
        Some(v) if v != current => {
            return Err(Rebuild::VersionChanged {
                stored: v.to_owned(),
                current: current.to_owned(),
            });
        }
        Some(_) => {}
    }
    let mut entries = HashMap::with_capacity(rows.len());
    for (id, row) in rows {
        let entry = Entry::decode(row).map_err(|_| Rebuild::Unreadable(id.to_string()))?;
        entries.insert(*id, entry);
    }
    check(&entries, stored)?;
    Ok(entries)
}

/// Checks a stored read model against the documents stored beside it: every document
/// has an entry and every entry a document.
pub fn check<'a>(
    entries: &HashMap<DocumentId, Entry>,
    stored: impl IntoIterator<Item = &'a DocumentId>,
) -> Result<(), Rebuild> {
    let stored: HashSet<&DocumentId> = stored.into_iter().collect();
    if let Some(id) = stored.iter().find(|id| !entries.contains_key(**id)) {
        return Err(Rebuild::Missing(**id));
    }
    if let Some(id) = entries.keys().find(|id| !stored.contains(id)) {
        return Err(Rebuild::Orphan(*id));
    }
    Ok(())
}

/// What to do with a document from the server's change feed, given the heads of the
/// device's copy (from its read-model entry, without loading it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedAction {
    /// The server's document holds every change the device has: store it as it is.
    Replace,
    /// The device has changes the server lacks: load the device's copy and merge.
    Merge,
}

/// Decides [`FeedAction`] for `server`, the document from the feed.
pub fn feed_action(local_heads: &[ChangeHash], server: &Automerge) -> FeedAction {
    if local_heads
        .iter()
        .all(|h| server.get_change_meta_by_hash(h).is_some())
    {
        FeedAction::Replace
    } else {
        FeedAction::Merge
    }
}

#[cfg(test)]
mod tests;
