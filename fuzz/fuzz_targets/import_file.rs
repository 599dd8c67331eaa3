//! `cargo xtask fuzz` target: [`saha_fuzz::import_file`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::import_file::check(data));
