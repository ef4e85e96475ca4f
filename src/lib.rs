//! QEMU's QAPI schema language as Rust derive macros.
//!
//! See the README for an overview. This crate re-exports the runtime
//! ([`qapi_core`]) and the `#[derive(Qapi)]` macro.
#![forbid(unsafe_code)]

pub use qapi_core::*;
pub use qapi_derive::Qapi;
