//! `cargo xtask fuzz` target: [`saha_fuzz::calendar`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::calendar::check(data));
