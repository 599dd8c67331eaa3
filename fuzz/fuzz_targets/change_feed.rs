//! `cargo xtask fuzz` target: [`saha_fuzz::change_feed`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::change_feed::check(data));
