#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| v2a_fuzz::wording(data));
