//! `cargo xtask fuzz` target: [`saha_fuzz::wire_message`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saha_fuzz::wire_message::check(data));
