//! qapi's fuzz targets; the bodies live in [`targets`] so that the main
//! package's `tests/fuzz_smoke.rs` can replay the corpora through the
//! same code.
#![forbid(unsafe_code)]

pub mod targets;
