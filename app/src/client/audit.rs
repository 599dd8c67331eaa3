//! What a device tells the server's audit log about files it made or read: a list saved
//! as a file, an import. The notice goes at once when the device is online; offline,
//! or while the server cannot be reached, it waits in `localStorage` (per member, so
//! another member signing in on the device never sends it under their name) and goes
//! when the sync link next comes up ([`send_pending`]).
//!
//! The queue is kept as plain JSON (`[{"id", "path", "body"}]`): the sender runs in the
//! main module for every page, and reading typed notices there would bring their
//! serializers along; the typed notices are made by the pages that tell them.

use std::cell::Cell;

use saha_core::api::{ExportNotice, ImportNotice, PrivacyNotice};
use serde_json::{Value, json};

use crate::client::http::{self, HttpError};

/// One notice for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Export(ExportNotice),
    Import(ImportNotice),
    Privacy(PrivacyNotice),
}

/// Notices kept at most while waiting (the oldest go first past it).
const KEPT: usize = 200;

thread_local! {
    /// Whether a sender is running (the page has one; it picks up what is told
    /// meanwhile).
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

fn key(user_id: &str) -> String {
    format!("saha.audit.{user_id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load(user_id: &str) -> Vec<Value> {
    let text = storage().and_then(|s| s.get_item(&key(user_id)).ok().flatten());
    match text.and_then(|t| serde_json::from_str(&t).ok()) {
        Some(Value::Array(waiting)) => waiting,
        _ => Vec::new(),
    }
}

fn store(user_id: &str, waiting: Vec<Value>) {
    let Some(storage) = storage() else { return };
    let _ = if waiting.is_empty() {
        storage.remove_item(&key(user_id))
    } else {
        storage.set_item(&key(user_id), &Value::Array(waiting).to_string())
    };
}

/// Tells the audit log of `notice`, made by member `user_id`: queued first, so a page
/// closed before the answer loses nothing, then sent with whatever else waits.
pub fn tell(user_id: &str, notice: Notice) {
    let (path, body) = match &notice {
        Notice::Export(n) => ("/api/audit/exports", serde_json::to_value(n)),
        Notice::Import(n) => ("/api/audit/imports", serde_json::to_value(n)),
        Notice::Privacy(n) => ("/api/audit/privacy", serde_json::to_value(n)),
    };
    let Ok(body) = body else { return };
    let mut waiting = load(user_id);
    waiting.push(json!({
        "id": format!("{:x}", (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64),
        "path": path,
        "body": body,
    }));
    let from = waiting.len().saturating_sub(KEPT);
    store(user_id, waiting.split_off(from));
    send_pending(user_id.to_owned());
}

/// Sends the notices waiting for member `user_id` (the signed-in one), oldest first,
/// each removed from the queue once the server has it; when the server cannot take one
/// now (no answer, signed out, a server error) it and the rest wait for the next time;
/// one it refuses (or one damaged in storage) is dropped: it would never be taken.
pub fn send_pending(user_id: String) {
    if SENDING.with(|s| s.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        while let Some(next) = load(&user_id).into_iter().next() {
            let id = next["id"].clone();
            if let Some(path) = next["path"].as_str() {
                match http::post::<_, ()>(path, &next["body"]).await {
                    // Not now: everything waits for the next time the link comes up.
                    Err(HttpError::Network(_)) | Err(HttpError::Api { status: 401, .. }) => break,
                    Err(HttpError::Api { status, .. }) if status >= 500 => break,
                    Err(e) => leptos::logging::warn!("audit notice refused: {e:?}"),
                    Ok(()) => {}
                }
            }
            let mut waiting = load(&user_id);
            waiting.retain(|w| w["id"] != id);
            store(&user_id, waiting);
            // Storage that will not take the shorter queue would send it forever.
            if load(&user_id).first().is_some_and(|w| w["id"] == id) {
                break;
            }
        }
        SENDING.with(|s| s.set(false));
    });
}
