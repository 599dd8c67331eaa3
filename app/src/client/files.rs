//! Attachments on this device, the part that runs without any screen: a file taken on
//! a record's page is kept in IndexedDB at once (shown from there, offline too) and
//! queued ([`super::local_store::LocalStore::put_file`]); [`upload_queued`] sends the
//! queue when the server is reachable — after each attachment and whenever the app is
//! back online — in chunks, resuming where a cut connection left off, also after the
//! app was closed, and takes a file off the queue once the server holds it. The record's
//! document holds only the file's description
//! ([`saha_core::record::attachment::Attachment`]), which syncs like any edit.

use std::cell::Cell;
use std::collections::BTreeMap;

use leptos::prelude::*;
use saha_core::api::ApiErrorCode;
use saha_core::record::attachment::{CHUNK_BYTES, KeepFiles};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::describe;
use super::http::{self, HttpError};
use super::repo::Repo;

thread_local! {
    static PROGRESS: ArcRwSignal<BTreeMap<String, (u64, u64)>> = ArcRwSignal::new(BTreeMap::new());
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static REFUSED: ArcRwSignal<BTreeMap<String, ApiErrorCode>> = ArcRwSignal::new(BTreeMap::new());
    static PRUNED: Cell<bool> = const { Cell::new(false) };
}

/// The `meta` key of the [`KeepFiles`] setting.
const META_KEEP_FILES: &str = "keep_files";
/// The `meta` key of the files the server refused for good (`hash:code`, comma
/// separated).
const META_REFUSED: &str = "refused_files";

/// Files on their way up: hash → (bytes sent, bytes in all). A file queued but not
/// started yet shows `(0, size)`.
pub fn progress() -> ArcRwSignal<BTreeMap<String, (u64, u64)>> {
    PROGRESS.with(Clone::clone)
}

/// Files the server refused for good (too large, a type it does not keep): hash →
/// why. They are off the upload queue, their copy stays on this device, and the record
/// page says so (kept in IndexedDB, read with [`prune_once`]).
pub fn refused_files() -> ArcRwSignal<BTreeMap<String, ApiErrorCode>> {
    REFUSED.with(Clone::clone)
}

/// Stores [`refused_files`] in IndexedDB.
async fn store_refused(repo: &Repo) -> Result<(), String> {
    let value = refused_files().with_untracked(|r| {
        r.iter()
            .map(|(hash, code)| format!("{hash}:{}", code.code()))
            .collect::<Vec<_>>()
            .join(",")
    });
    repo.local_store()
        .write(
            vec![super::local_store::Write::Meta {
                key: META_REFUSED.into(),
                value,
            }],
            true,
        )
        .await
        .map_err(|e| e.to_string())
}

#[derive(Deserialize)]
struct UploadState {
    stored: bool,
    #[serde(default)]
    received: Vec<u32>,
}

/// What became of one queued file.
enum Sent {
    /// The server holds it.
    Stored,
    /// The server will never take it (too large, a type it does not keep): off the
    /// queue, the copy here stays. (A full quota is waited out: the file stays queued.)
    Refused(ApiErrorCode),
}

/// Uploads every queued file, one after another; stops at the first network failure
/// (the next call goes on from the chunks the server has). Only one run at a time: a
/// call during a run makes the run go round once more.
pub async fn upload_queued(repo: Repo) {
    if RUNNING.with(|r| r.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    loop {
        AGAIN.with(|a| a.set(false));
        if let Err(e) = upload_round(&repo).await {
            leptos::logging::log!("uploads wait: {e}");
        }
        if !AGAIN.with(Cell::get) {
            break;
        }
    }
    RUNNING.with(|r| r.set(false));
}

/// Marks every queued file as waiting in [`progress`] (what a record page shows),
/// without sending anything.
pub async fn note_queued(repo: Repo) {
    let store = repo.local_store();
    let Ok(queued) = store.pending_uploads().await else {
        return;
    };
    for (hash, _) in queued {
        if progress().with_untracked(|p| p.contains_key(&hash)) {
            continue;
        }
        if let Ok(Some(blob)) = store.file(&hash).await {
            let size = blob.size() as u64;
            progress().update(|p| {
                p.entry(hash).or_insert((0, size));
            });
        }
    }
}

async fn upload_round(repo: &Repo) -> Result<(), String> {
    let store = repo.local_store();
    let queued = store.pending_uploads().await.map_err(|e| e.to_string())?;
    for (hash, name) in queued {
        let Some(blob) = store.file(&hash).await.map_err(|e| e.to_string())? else {
            leptos::logging::warn!("queued file {hash} has no bytes here; dropped");
            let _ = store.uploaded(&hash).await;
            continue;
        };
        match send(&hash, &name, &blob).await {
            Ok(outcome) => {
                if let Sent::Refused(code) = outcome {
                    leptos::logging::warn!("the server refused file {hash}: {code:?}");
                    refused_files().update(|r| {
                        r.insert(hash.clone(), code);
                    });
                    store_refused(repo).await?;
                }
                store.uploaded(&hash).await.map_err(|e| e.to_string())?;
                progress().update(|p| {
                    p.remove(&hash);
                });
            }
            Err(e) => return Err(format!("{hash}: {e}")),
        }
    }
    Ok(())
}

fn refused(error: &HttpError) -> Option<ApiErrorCode> {
    match error.code() {
        code @ (ApiErrorCode::PayloadTooLarge | ApiErrorCode::UnsupportedMediaType) => Some(code),
        _ => None,
    }
}

async fn send(hash: &str, name: &str, blob: &web_sys::Blob) -> Result<Sent, HttpError> {
    let size = blob.size() as u64;
    let state: UploadState = http::get(&format!("/api/v1/blobs/{hash}")).await?;
    if !state.stored {
        let chunks = size.div_ceil(CHUNK_BYTES as u64) as u32;
        let mut sent = state.received.len() as u64 * CHUNK_BYTES as u64;
        progress().update(|p| {
            p.insert(hash.to_owned(), (sent.min(size), size));
        });
        for index in (0..chunks).filter(|i| !state.received.contains(i)) {
            let start = f64::from(index) * CHUNK_BYTES as f64;
            let end = (start + CHUNK_BYTES as f64).min(size as f64);
            let part = blob
                .slice_with_f64_and_f64(start, end)
                .map_err(|e| HttpError::Network(describe(&e)))?;
            let path = format!("/api/v1/blobs/{hash}/chunks/{index}?size={size}");
            match http::put_bytes::<serde_json::Value>(&path, &JsValue::from(part)).await {
                Ok(_) => {}
                Err(e) => match refused(&e) {
                    Some(code) => return Ok(Sent::Refused(code)),
                    None => return Err(e),
                },
            }
            sent += end as u64 - start as u64;
            progress().update(|p| {
                p.insert(hash.to_owned(), (sent.min(size), size));
            });
        }
    }
    let body = serde_json::json!({ "size": size, "name": name });
    match http::post::<_, serde_json::Value>(&format!("/api/v1/blobs/{hash}/complete"), &body).await
    {
        Ok(_) => Ok(Sent::Stored),
        Err(e) => match refused(&e) {
            Some(code) => Ok(Sent::Refused(code)),
            None => Err(e),
        },
    }
}

/// How long this device keeps files the server has (the member's setting; every file
/// until they choose otherwise).
pub async fn keep_files(repo: &Repo) -> KeepFiles {
    repo.local_store()
        .meta(META_KEEP_FILES)
        .await
        .ok()
        .flatten()
        .and_then(|text| KeepFiles::from_setting(&text))
        .unwrap_or(KeepFiles::All)
}

/// Stores the member's choice and applies it at once; returns how many files went.
pub async fn set_keep_files(repo: &Repo, keep: KeepFiles) -> Result<usize, String> {
    repo.local_store()
        .write(
            vec![super::local_store::Write::Meta {
                key: META_KEEP_FILES.into(),
                value: keep.to_setting(),
            }],
            true,
        )
        .await
        .map_err(|e| e.to_string())?;
    prune(repo).await
}

/// Removes from this device the files the [`keep_files`] setting no longer keeps
/// (never one still waiting to be uploaded); returns how many went. Runs when the
/// setting changes, when the settings page opens, and once a session when the first
/// record page with attachments opens ([`prune_once`]; not at start-up, so that its
/// code stays out of the main WASM module).
pub async fn prune(repo: &Repo) -> Result<usize, String> {
    let keep = keep_files(repo).await;
    if keep == KeepFiles::All {
        return Ok(0);
    }
    let store = repo.local_store();
    let now = super::now_ms() as f64;
    let held = store.held_files(now).await.map_err(|e| e.to_string())?;
    let old: Vec<String> = held
        .into_iter()
        .filter(|f| !f.waiting && !keep.keeps(f.used_at, now))
        .map(|f| f.hash)
        .collect();
    if old.is_empty() {
        return Ok(0);
    }
    store.drop_files(&old).await.map_err(|e| e.to_string())
}

/// What this device holds, for the settings page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceStorage {
    /// Files kept here, and their bytes.
    pub files: usize,
    pub file_bytes: u64,
    /// Of those, files still waiting to be uploaded.
    pub waiting: usize,
    /// What the browser says this site uses in all (documents, files, the app) and
    /// may use, when it says.
    pub used: Option<f64>,
    pub quota: Option<f64>,
}

/// Counts the files kept here and asks the browser for its estimate.
pub async fn device_storage(repo: &Repo) -> Result<DeviceStorage, String> {
    let held = repo
        .local_store()
        .held_files(super::now_ms() as f64)
        .await
        .map_err(|e| e.to_string())?;
    let mut storage = DeviceStorage {
        files: held.len(),
        file_bytes: held.iter().map(|f| f.size).sum(),
        waiting: held.iter().filter(|f| f.waiting).count(),
        ..DeviceStorage::default()
    };
    if let Some(estimate) = estimate().await {
        let number = |key: &str| {
            js_sys::Reflect::get(&estimate, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_f64())
        };
        storage.used = number("usage");
        storage.quota = number("quota");
    }
    Ok(storage)
}

/// `navigator.storage.estimate()`; `None` where the browser has no such thing.
async fn estimate() -> Option<JsValue> {
    let storage = web_sys::window()?.navigator().storage();
    JsFuture::from(storage.estimate().ok()?).await.ok()
}

/// [`prune`], and reading the files refused before this session, the first time it is
/// called in this session.
pub async fn prune_once(repo: &Repo) {
    if PRUNED.with(|p| p.replace(true)) {
        return;
    }
    if let Ok(Some(stored)) = repo.local_store().meta(META_REFUSED).await {
        refused_files().update(|r| {
            for (hash, code) in stored.split(',').filter_map(|item| item.split_once(':')) {
                r.entry(hash.to_owned())
                    .or_insert_with(|| ApiErrorCode::from_code(code));
            }
        });
    }
    if let Err(e) = prune(repo).await {
        leptos::logging::warn!("old files not removed from this device: {e}");
    }
}
