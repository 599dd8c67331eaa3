//! The change-feed part of the crash storm: a reader downloads the change feed
//! (`GET /api/sync/changes?since=cursor`) over and over while nodes die, as a phone
//! catching up does. A download cut by a kill must fail as a whole (the feed's end mark
//! is missing), never pass for a shorter one; the reader keeps its cursor until a
//! download completes. After the storm one last download must leave the reader with
//! every change any writer had acknowledged: nothing may fall between two cursors.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use automerge::Automerge;
use saha_core::DocumentId;

use super::{Acked, Current};
use crate::api_client::ApiClient;

/// What the feed reader saw.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedReport {
    /// Downloads that arrived whole, end mark included.
    pub downloads: usize,
    /// Downloads that failed: a kill cut them off, or the node was down (each was
    /// tried again from the same cursor).
    pub failed: usize,
    /// Documents received over all downloads.
    pub documents: usize,
    /// Document bytes from the feed that did not load (the target is 0).
    pub unreadable: usize,
    /// Acknowledged pushes missing from what the reader holds after its last download
    /// (the target is 0).
    pub lost: usize,
}

/// The reader's documents and counts.
pub(super) struct FeedReader {
    docs: HashMap<DocumentId, Automerge>,
    cursor: u64,
    report: FeedReport,
}

impl FeedReader {
    fn new() -> FeedReader {
        FeedReader {
            docs: HashMap::new(),
            cursor: 0,
            report: FeedReport::default(),
        }
    }

    /// One download from `owner`'s node: merges what came, moves the cursor on.
    async fn download(&mut self, owner: &ApiClient) -> bool {
        let Ok(changes) = owner.changes(self.cursor).await else {
            self.report.failed += 1;
            return false;
        };
        self.report.downloads += 1;
        self.report.documents += changes.documents.len();
        for (id, bytes) in changes.documents {
            match Automerge::load(&bytes) {
                Ok(mut loaded) => match self.docs.get_mut(&id) {
                    Some(doc) => {
                        if doc.merge(&mut loaded).is_err() {
                            self.report.unreadable += 1;
                        }
                    }
                    None => {
                        self.docs.insert(id, loaded);
                    }
                },
                Err(_) => self.report.unreadable += 1,
            }
        }
        self.cursor = changes.cursor;
        true
    }

    /// The last download (from `owner`, tried until it completes, up to 20 times), and
    /// the check against every acknowledged push.
    pub(super) async fn finish(
        mut self,
        owner: &ApiClient,
        acked: &[Acked],
    ) -> Result<FeedReport, String> {
        let mut attempt = 0;
        while !self.download(owner).await {
            attempt += 1;
            if attempt == 20 {
                return Err("the change feed's last download never completed".into());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        self.report.lost = super::missing(&self.docs, acked.iter());
        Ok(self.report)
    }
}

/// Downloads the feed from node `node` until the storm stops (a short pause between
/// downloads, a longer one while the node is down).
pub(super) async fn read_through_storm(current: Arc<Current>, node: usize) -> FeedReader {
    let mut reader = FeedReader::new();
    while !current.stop.load(Ordering::Relaxed) {
        let owner = current.owner(node);
        let Some(owner) = owner else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        reader.download(&owner).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    reader
}
