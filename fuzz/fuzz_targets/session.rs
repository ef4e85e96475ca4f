//! Fuzz target `session`: see `qapi_fuzz::targets::session` and FUZZING.md.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| qapi_fuzz::targets::session(data));
