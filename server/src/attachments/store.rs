//! The blob store: attachment bytes in an object store, one object per file and
//! workspace, with their sizes and sniffed media types in the `blobs` table.
//!
//! Uploads arrive in chunks of [`CHUNK_BYTES`] (see [`super`]): each chunk is an object
//! of its own under `uploads/<workspace>/<hash>/`, so an upload cut off mid-way resumes
//! with the chunks still missing, on any node. Completing an upload streams the chunks
//! in order through SHA-256 into the blob's object (`blobs/<workspace>/<hash>`), one
//! chunk in memory at a time, checks the hash, the media type and the quota, then
//! records the blob in the same transaction as the workspace's usage.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload, WriteMultipart};
use saha_core::record::attachment::{CHUNK_BYTES, SNIFF_BYTES, is_hash, sniff};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ServerError;
use crate::storage::{TableTx, Tables};

/// `<workspace>/<hash>` → [`BlobRow`] (JSON).
pub const BLOBS: &str = "blobs";
/// `<workspace>` → bytes of blobs the workspace keeps (decimal text).
pub const BLOB_USAGE: &str = "blob_usage";

/// A stored blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobRow {
    pub size: u64,
    /// What [`sniff`] found; downloads are served as this type, never as claimed.
    pub media_type: String,
    /// When the upload completed (ms since the Unix epoch).
    pub stored_at: i64,
    /// User ID of the member whose upload stored it first.
    pub stored_by: String,
    /// Since when no record holds the file (ms since the Unix epoch; 0 while one does):
    /// [`BlobStore::sweep`] removes it once a grace period has passed.
    #[serde(default)]
    pub orphaned_at: i64,
}

/// Why an upload or download was not done. Each maps to one HTTP status and
/// [`saha_core::api::ApiErrorCode`] (see `handlers`).
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("{0}")]
    Invalid(String),
    #[error("the file has {size} bytes; this server takes files of at most {max} bytes")]
    TooLarge { size: u64, max: u64 },
    #[error(
        "the workspace keeps {used} of {quota} bytes of files; this one ({size} bytes) does not fit"
    )]
    QuotaExceeded { used: u64, quota: u64, size: u64 },
    #[error("Saha does not keep files of this type")]
    TypeNotAllowed,
    #[error("the uploaded bytes do not have the SHA-256 named in the address")]
    HashMismatch,
    #[error("chunks still missing: {missing:?}")]
    Incomplete { missing: Vec<u32> },
    #[error("no such file")]
    NotFound,
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl From<object_store::Error> for BlobError {
    fn from(e: object_store::Error) -> BlobError {
        match e {
            object_store::Error::NotFound { .. } => BlobError::NotFound,
            other => BlobError::Server(ServerError::Storage(format!("blob store: {other}"))),
        }
    }
}

/// What an upload of `size` bytes is made of.
pub fn chunk_count(size: u64) -> u32 {
    size.div_ceil(CHUNK_BYTES as u64) as u32
}

/// The length chunk `index` of a `size`-byte upload must have.
pub fn chunk_len(size: u64, index: u32) -> Option<usize> {
    let start = u64::from(index) * CHUNK_BYTES as u64;
    (index < chunk_count(size)).then(|| (size - start).min(CHUNK_BYTES as u64) as usize)
}

/// Where an upload's chunks and the finished blobs are kept, and the limits.
#[derive(Clone)]
pub struct BlobStore {
    objects: Arc<dyn ObjectStore>,
    tables: Tables,
    /// Largest file taken, in bytes.
    pub max_bytes: u64,
    /// Bytes of files one workspace may keep.
    pub quota_bytes: u64,
}

/// The state of an upload: stored already, or the chunks received so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadState {
    pub stored: bool,
    pub received: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<BlobRow>,
}

fn key(workspace: &str, hash: &str) -> String {
    format!("{workspace}/{hash}")
}

fn blob_path(workspace: &str, hash: &str) -> Path {
    Path::from_iter(["blobs", workspace, hash])
}

fn upload_dir(workspace: &str, hash: &str) -> Path {
    Path::from_iter(["uploads", workspace, hash])
}

fn chunk_path(workspace: &str, hash: &str, index: u32) -> Path {
    Path::from_iter(["uploads", workspace, hash, &format!("{index:06}")])
}

fn usage_in(tx: &mut dyn TableTx, workspace: &str) -> Result<u64, ServerError> {
    Ok(tx
        .get(BLOB_USAGE, workspace)?
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok())
        .unwrap_or(0))
}

impl BlobStore {
    /// A blob store over `objects`, recording blobs in `tables`.
    pub fn new(
        objects: Arc<dyn ObjectStore>,
        tables: Tables,
        max_bytes: u64,
        quota_bytes: u64,
    ) -> BlobStore {
        BlobStore {
            objects,
            tables,
            max_bytes,
            quota_bytes,
        }
    }

    /// The object store named by `url`: a directory (`file:///srv/saha-blobs`, or a
    /// path) or an S3 bucket (`s3://bucket`), configured by the `AWS_*` environment
    /// variables (e.g. `AWS_ENDPOINT` for an S3-compatible service) and options in the
    /// URL's query, which win (`s3://bucket?endpoint=http://minio:9000&aws_allow_http=true`;
    /// the option names are `object_store`'s, with or without `aws_`).
    pub fn objects_at(url: &str) -> Result<Arc<dyn ObjectStore>, ServerError> {
        if url.starts_with("s3://") {
            let config = |e: String| ServerError::Config(format!("--blob-url: {e}"));
            let (bucket, query) = url.split_once('?').unwrap_or((url, ""));
            let mut builder = object_store::aws::AmazonS3Builder::from_env().with_url(bucket);
            for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                .map_err(|e| config(e.to_string()))?
            {
                let key: object_store::aws::AmazonS3ConfigKey = key
                    .parse()
                    .map_err(|_| config(format!("unknown S3 option {key:?}")))?;
                builder = builder.with_config(key, value);
            }
            let s3 = builder.build().map_err(|e| config(e.to_string()))?;
            return Ok(Arc::new(s3));
        }
        let dir = url.strip_prefix("file://").unwrap_or(url);
        std::fs::create_dir_all(dir)?;
        let local = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| ServerError::Config(format!("blob directory {dir}: {e}")))?
            .with_automatic_cleanup(true);
        Ok(Arc::new(local))
    }

    /// The stored blob `hash` of `workspace`, if any.
    pub fn blob(&self, workspace: &str, hash: &str) -> Result<Option<BlobRow>, ServerError> {
        let key = key(workspace, hash);
        self.tables.read(|tx| {
            tx.get(BLOBS, &key)?
                .map(|bytes| serde_json::from_slice(&bytes))
                .transpose()
                .map_err(|e| ServerError::Storage(format!("blob row {key}: {e}")))
        })
    }

    /// Bytes of files `workspace` keeps.
    pub fn usage(&self, workspace: &str) -> Result<u64, ServerError> {
        self.tables.read(|tx| usage_in(tx, workspace))
    }

    /// Refuses an upload of `size` bytes that could never be stored: too large, or over
    /// the workspace's quota as it stands.
    pub fn admit(&self, workspace: &str, size: u64) -> Result<(), BlobError> {
        if size == 0 {
            return Err(BlobError::Invalid("an empty file is not kept".into()));
        }
        if size > self.max_bytes {
            return Err(BlobError::TooLarge {
                size,
                max: self.max_bytes,
            });
        }
        let used = self.usage(workspace)?;
        if used.saturating_add(size) > self.quota_bytes {
            return Err(BlobError::QuotaExceeded {
                used,
                quota: self.quota_bytes,
                size,
            });
        }
        Ok(())
    }

    /// Where the upload of `hash` stands.
    pub async fn upload_state(
        &self,
        workspace: &str,
        hash: &str,
    ) -> Result<UploadState, BlobError> {
        if let Some(blob) = self.blob(workspace, hash)? {
            return Ok(UploadState {
                stored: true,
                received: Vec::new(),
                blob: Some(blob),
            });
        }
        Ok(UploadState {
            stored: false,
            received: self.received(workspace, hash).await?,
            blob: None,
        })
    }

    async fn received(&self, workspace: &str, hash: &str) -> Result<Vec<u32>, BlobError> {
        let prefix = upload_dir(workspace, hash);
        let mut listing = self.objects.list(Some(&prefix));
        let mut received = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if let Some(index) = meta.location.filename().and_then(|n| n.parse().ok()) {
                received.push(index);
            }
        }
        received.sort_unstable();
        Ok(received)
    }

    /// Stores chunk `index` of the `size`-byte upload of `hash`. The chunk must have
    /// exactly the length its place asks for. A file stored already takes no chunks.
    pub async fn put_chunk(
        &self,
        workspace: &str,
        hash: &str,
        size: u64,
        index: u32,
        bytes: Bytes,
    ) -> Result<UploadState, BlobError> {
        if !is_hash(hash) {
            return Err(BlobError::Invalid("the address is not a SHA-256".into()));
        }
        if self.blob(workspace, hash)?.is_some() {
            return self.upload_state(workspace, hash).await;
        }
        self.admit(workspace, size)?;
        let expected = chunk_len(size, index).ok_or_else(|| {
            BlobError::Invalid(format!(
                "a {size}-byte file has {} chunks; there is no chunk {index}",
                chunk_count(size)
            ))
        })?;
        if bytes.len() != expected {
            return Err(BlobError::Invalid(format!(
                "chunk {index} of a {size}-byte file has {expected} bytes, not {}",
                bytes.len()
            )));
        }
        self.objects
            .put(&chunk_path(workspace, hash, index), PutPayload::from(bytes))
            .await?;
        self.upload_state(workspace, hash).await
    }

    /// Joins the chunks of `hash` into its blob and records it; `name` tells apart
    /// formats that share a container (see [`sniff`]). The chunks are removed, also
    /// when the bytes are refused (wrong hash, a type Saha does not keep); after a
    /// failure of the object store they are kept, so the upload can be completed again.
    pub async fn complete(
        &self,
        workspace: &str,
        hash: &str,
        size: u64,
        name: &str,
        by: &str,
        now: i64,
    ) -> Result<BlobRow, BlobError> {
        if !is_hash(hash) {
            return Err(BlobError::Invalid("the address is not a SHA-256".into()));
        }
        if let Some(blob) = self.blob(workspace, hash)? {
            self.remove_chunks(workspace, hash).await;
            return Ok(blob);
        }
        self.admit(workspace, size)?;
        let received = self.received(workspace, hash).await?;
        let missing: Vec<u32> = (0..chunk_count(size))
            .filter(|i| received.binary_search(i).is_err())
            .collect();
        if !missing.is_empty() {
            return Err(BlobError::Incomplete { missing });
        }
        let target = blob_path(workspace, hash);
        let joined = self.join(workspace, hash, size, name, &target).await;
        let media_type = match joined {
            Ok(media_type) => media_type,
            Err(e) => {
                if matches!(e, BlobError::HashMismatch | BlobError::TypeNotAllowed) {
                    self.remove_chunks(workspace, hash).await;
                }
                return Err(e);
            }
        };
        let row = BlobRow {
            size,
            media_type,
            stored_at: now,
            stored_by: by.to_owned(),
            orphaned_at: 0,
        };
        let key = key(workspace, hash);
        let value = serde_json::to_vec(&row)
            .map_err(|e| ServerError::Storage(format!("blob row {key}: {e}")))?;
        let quota = self.quota_bytes;
        let recorded = self.tables.write(|tx| -> Result<BlobRow, BlobError> {
            if let Some(existing) = tx.get(BLOBS, &key)? {
                // Another upload of the same file completed first.
                return serde_json::from_slice(&existing)
                    .map_err(|e| ServerError::Storage(format!("blob row {key}: {e}")).into());
            }
            let used = usage_in(tx, workspace)?;
            if used.saturating_add(size) > quota {
                return Err(BlobError::QuotaExceeded { used, quota, size });
            }
            tx.put(BLOBS, &key, &value)?;
            tx.put(BLOB_USAGE, workspace, (used + size).to_string().as_bytes())?;
            Ok(row.clone())
        });
        self.remove_chunks(workspace, hash).await;
        if let Err(BlobError::QuotaExceeded { .. }) = &recorded {
            // Filled meanwhile by other uploads: the object is not this workspace's.
            if let Err(e) = self.objects.delete(&target).await {
                tracing::warn!(error = %e, %hash, "cannot remove a blob over quota");
            }
        }
        recorded
    }

    /// Streams the chunks into `target`, hashing and sniffing; the media type.
    async fn join(
        &self,
        workspace: &str,
        hash: &str,
        size: u64,
        name: &str,
        target: &Path,
    ) -> Result<String, BlobError> {
        let mut hasher = Sha256::new();
        let mut media_type = None;
        let upload = self.objects.put_multipart(target).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, 5 * CHUNK_BYTES);
        let mut written = 0u64;
        for index in 0..chunk_count(size) {
            let bytes = match self.objects.get(&chunk_path(workspace, hash, index)).await {
                Ok(got) => got.bytes().await,
                Err(e) => Err(e),
            };
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(e.into());
                }
            };
            if index == 0 {
                media_type = sniff(&bytes[..bytes.len().min(SNIFF_BYTES)], name);
                if media_type.is_none() {
                    let _ = writer.abort().await;
                    return Err(BlobError::TypeNotAllowed);
                }
            }
            hasher.update(&bytes);
            written += bytes.len() as u64;
            if let Err(e) = writer.wait_for_capacity(1).await {
                return Err(e.into());
            }
            writer.put(bytes);
        }
        if written != size || hex::encode(hasher.finalize()) != hash {
            let _ = writer.abort().await;
            return Err(BlobError::HashMismatch);
        }
        writer.finish().await?;
        media_type
            .map(str::to_owned)
            .ok_or_else(|| BlobError::Invalid("an empty file is not kept".into()))
    }

    async fn remove_chunks(&self, workspace: &str, hash: &str) {
        let received = match self.received(workspace, hash).await {
            Ok(received) => received,
            Err(e) => {
                tracing::warn!(error = %e, %hash, "cannot list an upload's chunks");
                return;
            }
        };
        for index in received {
            if let Err(e) = self
                .objects
                .delete(&chunk_path(workspace, hash, index))
                .await
            {
                tracing::warn!(error = %e, %hash, index, "cannot remove an upload chunk");
            }
        }
    }

    /// Removes file `hash` of `workspace`: its row, its bytes, its share of the usage.
    pub async fn forget(&self, workspace: &str, hash: &str) -> Result<bool, BlobError> {
        let key = key(workspace, hash);
        let removed = self.tables.write(|tx| -> Result<bool, ServerError> {
            let Some(bytes) = tx.get(BLOBS, &key)? else {
                return Ok(false);
            };
            let size = serde_json::from_slice::<BlobRow>(&bytes)
                .map(|row| row.size)
                .unwrap_or(0);
            tx.delete(BLOBS, &key)?;
            let used = usage_in(tx, workspace)?;
            tx.put(
                BLOB_USAGE,
                workspace,
                used.saturating_sub(size).to_string().as_bytes(),
            )?;
            Ok(true)
        })?;
        match self.objects.delete(&blob_path(workspace, hash)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(removed),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes those of `candidates` that no record of `workspace` holds, not counting
    /// the records `going` (an erasure's files, at once, before its documents are
    /// destroyed); how many went.
    pub async fn drop_unreferenced(
        &self,
        storage: &crate::storage::Storage,
        workspace: &str,
        candidates: &std::collections::BTreeSet<String>,
        going: &std::collections::HashSet<String>,
    ) -> Result<usize, BlobError> {
        if candidates.is_empty() {
            return Ok(0);
        }
        let held = referenced_except(storage, workspace, going).await?;
        let mut gone = 0;
        for hash in candidates.iter().filter(|h| !held.contains(*h)) {
            if self.forget(workspace, hash).await? {
                gone += 1;
            }
        }
        Ok(gone)
    }

    /// The grace-period sweep: a file no record holds is marked at the first sweep that
    /// finds it so and removed at the first after `grace_ms` (a file uploaded before its
    /// record's change arrived is held by then); an upload's chunks untouched for
    /// `grace_ms` go too. Returns the files removed.
    pub async fn sweep(
        &self,
        storage: &crate::storage::Storage,
        now: i64,
        grace_ms: i64,
    ) -> Result<usize, BlobError> {
        let rows = self.tables.read(|tx| tx.scan(BLOBS, "", None))?;
        let mut by_workspace: std::collections::BTreeMap<String, Vec<(String, BlobRow)>> =
            std::collections::BTreeMap::new();
        for (key, bytes) in rows {
            let (Some((workspace, hash)), Ok(row)) = (
                key.split_once('/'),
                serde_json::from_slice::<BlobRow>(&bytes),
            ) else {
                continue;
            };
            by_workspace
                .entry(workspace.to_owned())
                .or_default()
                .push((hash.to_owned(), row));
        }
        let mut gone = 0;
        let none = std::collections::HashSet::new();
        for (workspace, blobs) in by_workspace {
            let held = referenced_except(storage, &workspace, &none).await?;
            for (hash, row) in blobs {
                let is_held = held.contains(&hash);
                if !is_held && row.orphaned_at != 0 && now - row.orphaned_at >= grace_ms {
                    if self.forget(&workspace, &hash).await? {
                        gone += 1;
                    }
                    continue;
                }
                let orphaned_at = match (is_held, row.orphaned_at) {
                    (true, 0) => continue,
                    (true, _) => 0,
                    (false, 0) => now,
                    (false, _) => continue,
                };
                let key = key(&workspace, &hash);
                self.tables.write(|tx| -> Result<(), ServerError> {
                    // Rewritten only if still there (not forgotten meanwhile).
                    if let Some(bytes) = tx.get(BLOBS, &key)?
                        && let Ok(mut now_row) = serde_json::from_slice::<BlobRow>(&bytes)
                    {
                        now_row.orphaned_at = orphaned_at;
                        let value = serde_json::to_vec(&now_row)
                            .map_err(|e| ServerError::Storage(e.to_string()))?;
                        tx.put(BLOBS, &key, &value)?;
                    }
                    Ok(())
                })?;
            }
        }
        // Uploads given up on: chunks nobody added to for the grace period.
        let mut stale = Vec::new();
        let mut listing = self.objects.list(Some(&Path::from("uploads")));
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if now - meta.last_modified.timestamp_millis() >= grace_ms {
                stale.push(meta.location);
            }
        }
        for location in stale {
            if let Err(e) = self.objects.delete(&location).await {
                tracing::warn!(error = %e, %location, "cannot remove a stale upload chunk");
            }
        }
        Ok(gone)
    }

    /// The bytes of blob `hash` of `workspace`, as a stream of chunks.
    pub async fn read(
        &self,
        workspace: &str,
        hash: &str,
    ) -> Result<
        futures_util::stream::BoxStream<'static, Result<Bytes, object_store::Error>>,
        BlobError,
    > {
        let got = self.objects.get(&blob_path(workspace, hash)).await?;
        Ok(got.into_stream())
    }

    /// Bytes `range` of the blob `hash` of `workspace`, streamed (an HTTP range
    /// request: a player seeking in a voice note).
    pub async fn read_range(
        &self,
        workspace: &str,
        hash: &str,
        range: std::ops::Range<u64>,
    ) -> Result<
        futures_util::stream::BoxStream<'static, Result<Bytes, object_store::Error>>,
        BlobError,
    > {
        let options = object_store::GetOptions {
            range: Some(object_store::GetRange::Bounded(range)),
            ..object_store::GetOptions::default()
        };
        let got = self
            .objects
            .get_opts(&blob_path(workspace, hash), options)
            .await?;
        Ok(got.into_stream())
    }
}

/// The files the records of `workspace` hold, except the records `except` (removed
/// files not counted).
pub async fn referenced_except(
    storage: &crate::storage::Storage,
    workspace: &str,
    except: &std::collections::HashSet<String>,
) -> Result<std::collections::HashSet<String>, ServerError> {
    let records =
        crate::storage::records::of_workspace(storage, workspace, &saha_core::kinds::KINDS).await?;
    Ok(records
        .iter()
        .filter(|(id, _, _)| !except.contains(id))
        .flat_map(|(_, record, _)| record.common().attachments.iter())
        .filter(|a| a.is_live())
        .flat_map(|a| a.blobs().map(str::to_owned))
        .collect())
}

/// The hashes of every file `records` hold, removed ones too.
pub fn files_of<'a>(
    records: impl IntoIterator<Item = &'a saha_core::kinds::Record>,
) -> std::collections::BTreeSet<String> {
    records
        .into_iter()
        .flat_map(|r| r.common().attachments.iter())
        .flat_map(|a| a.blobs().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_file_exactly() {
        let chunk = CHUNK_BYTES as u64;
        assert_eq!(chunk_count(1), 1);
        assert_eq!(chunk_count(chunk), 1);
        assert_eq!(chunk_count(chunk + 1), 2);
        assert_eq!(chunk_len(chunk + 1, 0), Some(CHUNK_BYTES));
        assert_eq!(chunk_len(chunk + 1, 1), Some(1));
        assert_eq!(chunk_len(chunk + 1, 2), None);
        assert_eq!(chunk_len(3 * chunk, 2), Some(CHUNK_BYTES));
    }
}
