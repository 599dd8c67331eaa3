//! The browser side of the data path: records live as Automerge documents in a
//! [`repo::Repo`], persisted by [`local_store`] in IndexedDB and exchanged with the server
//! by [`sync_client`] over the automerge-repo protocol, on a ticket bought with the
//! [`session`] of the signed-in member ([`http`] talks to the JSON API).

pub mod error;
pub mod http;
pub mod local_store;
pub mod repo;
pub mod session;
pub mod sync_client;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A JS error or value as readable text, for logs and messages.
pub fn describe(value: &wasm_bindgen::JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
