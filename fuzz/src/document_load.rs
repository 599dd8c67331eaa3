//! Any bytes as a stored or downloaded document, read as the server's storage, its hub
//! and a phone's read model read one: loading never panics, and a document that loads
//! projects to a read-model row that reads back as written, saves to bytes that load to
//! the same heads, and loads the same whole as incrementally (the hub appends a
//! stored chunk to a live document with `load_incremental`).
//!
//! Bytes from outside are loaded through `saha_protocol::sync::load_untrusted` and
//! `without_panic`, which turn a panic inside Automerge into an error (this target
//! found one: `crashers/document_load/`).
//!
//! The size limit before a load is the caller's (the hub refuses a document over
//! `max_document_bytes`, the feed reader one over `MAX_DOCUMENT_BYTES`); what is
//! checked here is that bytes within it cannot make a load take memory far beyond
//! them (libFuzzer's `-rss_limit_mb` and `-malloc_limit_mb` fail such an input).

use automerge::Automerge;
use saha_core::read_model::{self, Entry};
use saha_core::{access, rules};
use saha_protocol::sync;

pub fn check(data: &[u8]) {
    crate::let_caught_panics_pass();
    let whole = sync::load_untrusted(data);
    let mut incremental = Automerge::new();
    let appended = sync::load_incremental_untrusted(&mut incremental, data);
    let Ok(doc) = whole else {
        return;
    };
    if appended.is_ok() {
        assert_eq!(
            incremental.get_heads(),
            doc.get_heads(),
            "loading whole and incrementally disagree"
        );
    }
    let row = Entry::of(&doc).encode();
    match Entry::decode(&row) {
        Ok(back) => assert_eq!(back.encode(), row, "a read-model row reads back otherwise"),
        Err(e) => panic!("a read-model row does not read back ({e}): {row}"),
    }
    let _ = read_model::project(&doc);
    let _ = access::read_scope(&doc);
    let _ = rules::read_record(&doc);
    let saved = doc.save();
    match Automerge::load(&saved) {
        Ok(again) => assert_eq!(again.get_heads(), doc.get_heads(), "saved heads differ"),
        Err(e) => panic!("a loaded document's save does not load: {e}"),
    }
}
