#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| offboard::fuzzing::manifest_verify(data));
