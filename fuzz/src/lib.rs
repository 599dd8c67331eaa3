//! What the fuzz targets check, one module per target. A target feeds libFuzzer's bytes
//! to one decoder of what arrives from the network or one parser of what users type or
//! upload, and fails (panics) if it panics, breaks a limit or breaks a property that
//! must hold for any input: a frame that decodes encodes back to itself, a stream read
//! in pieces reads as read whole, a change the write rules refuse leaves the document
//! as it was, an exported calendar line cannot start a property of its own.
//!
//! The targets are in `fuzz_targets/` (the layout `cargo fuzz` expects), each a line
//! that calls `check` here; `cargo xtask fuzz` builds them with libFuzzer's coverage
//! instrumentation and runs them. Inputs worth keeping sit in `seeds/<target>/` (where
//! a run starts) and `crashers/<target>/` (every input that ever failed, fixed since);
//! `tests/kept_inputs.rs` replays both on every `cargo test`, without libFuzzer.
//!
//! Targets and what they reach:
//! - [`wire_message`]: the automerge-repo frame decoder (`saha_protocol::wire`).
//! - [`change_feed`]: the change feed's incremental reader (`saha_protocol::feed`).
//! - [`sync_sequence`]: a sequence of sync frames from a peer, through the sync engine
//!   and the write rules the server's hub applies before it stores a change.
//! - [`document_load`]: a stored or downloaded document's bytes, loaded and projected
//!   the way the read model and the hub read them.
//! - [`import_file`]: an uploaded import file (CSV/TSV in any encoding, XLSX/ODS,
//!   vCard) read into rows.
//! - [`calendar`]: recurrence rules (RRULE) and the iCalendar export of meetings whose
//!   fields a member typed.
//! - [`input_fields`]: the small parsers of typed values: dates, times, amounts,
//!   choices, tags, working hours, holidays, token scopes, document IDs and URLs.

pub mod calendar;
pub mod change_feed;
pub mod document_load;
pub mod import_file;
pub mod input_fields;
pub mod sync_sequence;
pub mod wire_message;

/// libFuzzer's Rust glue makes every panic abort, even one the code under test catches
/// on purpose (`saha_protocol::sync::without_panic`); the default hook instead prints
/// it, and a panic that is not caught still fails the run (the glue aborts when one
/// reaches it).
pub fn let_caught_panics_pass() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| drop(std::panic::take_hook()));
}

/// A target's check: panics when the input breaks something.
pub type Check = fn(&[u8]);

/// The targets, by name, for the replay test.
pub const TARGETS: [(&str, Check); 7] = [
    ("wire_message", wire_message::check),
    ("change_feed", change_feed::check),
    ("sync_sequence", sync_sequence::check),
    ("document_load", document_load::check),
    ("import_file", import_file::check),
    ("calendar", calendar::check),
    ("input_fields", input_fields::check),
];
