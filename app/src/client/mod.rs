//! The browser side of the data path: records live as Automerge documents in a
//! [`repo::Repo`], persisted by [`local_store`] in IndexedDB and exchanged with the server
//! by [`sync_client`] over the automerge-repo protocol, on a ticket bought with the
//! [`session`] of the signed-in member ([`http`] talks to the JSON API). The bytes of
//! attachments take their own way: [`files`] keeps them in IndexedDB and uploads them.

pub mod audit;
pub mod error;
pub mod files;
pub mod http;
pub mod local_store;
pub mod repo;
pub mod session;
pub mod sync_client;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Records `value` (milliseconds, or bytes) under `name` in
/// `globalThis.__saha_report_timings`, the latest of each: where report time goes, for
/// the browser benchmark and anyone with a console.
pub fn record_timing(name: &str, value: f64) {
    let global = js_sys::global();
    let key = wasm_bindgen::JsValue::from_str("__saha_report_timings");
    let timings = match js_sys::Reflect::get(&global, &key) {
        Ok(existing) if existing.is_object() => existing,
        _ => {
            let fresh: wasm_bindgen::JsValue = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&global, &key, &fresh);
            fresh
        }
    };
    let _ = js_sys::Reflect::set(&timings, &name.into(), &value.into());
}

/// Runs `f` and records how long it took, in milliseconds, under `name`
/// ([`record_timing`]).
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let clock = web_sys::window().and_then(|w| w.performance());
    let started = clock.as_ref().map(web_sys::Performance::now);
    let out = f();
    if let (Some(clock), Some(started)) = (clock, started) {
        record_timing(name, clock.now() - started);
    }
    out
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
