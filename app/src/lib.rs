//! The Saha web app.
//!
//! With the `hydrate` feature this crate is the browser client, compiled to WebAssembly:
//! `client` keeps every record as an Automerge document in IndexedDB and syncs it with
//! the server; `ui` renders the screens from that local store, so every screen reads
//! and writes offline. With the `ssr` feature it renders the [`shell()`] page the server
//! sends for every app route. [`i18n`] is shared by both.

pub mod i18n;

#[cfg(feature = "ssr")]
mod shell;
#[cfg(feature = "ssr")]
pub use shell::{ScriptNonce, shell};

#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "hydrate")]
mod ui;

/// Entry point of the WASM bundle: mounts the app into `<body>`.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    // The benchmarks read the WASM heap size from here.
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &"__saha_wasm_memory".into(),
        &wasm_bindgen::memory(),
    );
    ui::mount();
}
