//! `cargo xtask fuzz` target: [`saha_fuzz::input_fields`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::input_fields::check(data));
