//! `cargo xtask fuzz` target: [`saha_fuzz::sync_sequence`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::sync_sequence::check(data));
