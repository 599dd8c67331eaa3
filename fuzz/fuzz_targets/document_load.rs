//! `cargo xtask fuzz` target: [`saha_fuzz::document_load`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::document_load::check(data));
