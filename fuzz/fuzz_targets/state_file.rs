#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| offboard::fuzzing::state_file(data));
