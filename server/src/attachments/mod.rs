//! Attachments: the bytes of photos, voice notes and documents on records.
//!
//! A record's document holds only each file's description
//! ([`saha_core::record::attachment`]); the bytes go through here:
//!
//! - [`store`]: the blob store — an object store (a directory under `--data-dir` by
//!   default, an S3-compatible bucket with `--blob-url s3://…` so every node serves
//!   every file), content-addressed per workspace by SHA-256, with chunked resumable
//!   uploads, the size limit and the workspace's quota;
//! - [`handlers`]: the HTTP routes, where access is decided: a file is read only
//!   through a record the caller may see that holds it.

pub mod handlers;
pub mod store;

pub use store::{BlobError, BlobRow, BlobStore};

use std::time::Duration;

use crate::http::state::AppState;

/// Every `--attachment-sweep-seconds`, removes the files no record has held for
/// `--attachment-grace-hours` ([`BlobStore::sweep`]). Ends when the server closes.
pub async fn schedule_sweeps(state: AppState) {
    let period = Duration::from_secs(state.config.attachment_sweep_seconds);
    let grace_ms = i64::try_from(state.config.attachment_grace_hours)
        .unwrap_or(i64::MAX / 3_600_000)
        .saturating_mul(3_600_000);
    let hub = state.hub.clone();
    crate::start::every(&hub, period, move || {
        let state = state.clone();
        async move {
            let now = crate::directory::now_ms();
            match state.blobs.sweep(state.hub.storage(), now, grace_ms).await {
                Ok(0) => {}
                Ok(gone) => tracing::info!(gone, "attachments no record holds were removed"),
                Err(e) => tracing::error!("attachment sweep: {e}"),
            }
        }
    })
    .await;
}
