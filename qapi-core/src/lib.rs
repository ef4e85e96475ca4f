//! Runtime of the `qapi` crates.
//!
//! * [`Value`]: the JSON tree QMP input is decoded from (QEMU's QObject).
//! * [`Qapi`]: the trait every QAPI type implements (usually through
//!   `#[derive(Qapi)]`): QEMU-exact decoding, schema metadata.
//! * [`schema`]: the schema model and the introspection emitter.
#![forbid(unsafe_code)]

pub mod schema;
pub mod value;

pub use value::{JsonType, Map, Value};
