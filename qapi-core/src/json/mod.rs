//! QEMU-compatible JSON: the streaming reader of QMP input, the writer of
//! QMP output (for [`Value`](crate::Value) trees and, through
//! [`Serializer`], for any `serde::Serialize` type), and models of the
//! key orders QEMU's hash tables produce.
//!
//! * [`JsonStreamer`] / [`parse_one`]: QEMU 10.0's lexer → streamer →
//!   parser, with its extensions (single-quoted strings, `\'`), its error
//!   recovery, its limits ([`Limits`]) and its exact error texts
//!   ([`JsonError::desc`]).
//! * [`write_value`] / [`to_vec`]: compact (`{"a": 1, "b": [1, 2]}`) or
//!   pretty output, strings escaped to pure ASCII, doubles as `%.17g`,
//!   members in insertion or QDict order ([`WriteOptions`]).
//! * [`qdict`]: the QDict member order; [`glib_order`]: a model of
//!   GLib's `GHashTable`, which decides which unexpected member QEMU
//!   names.

mod error;
mod fast;
pub mod glib_order;
mod number;
pub mod qdict;
mod reader;
mod ser;
mod strings;
mod writer;

pub use error::{JsonError, JsonErrorKind};
pub use reader::{JsonStreamer, Limits, parse_one, parse_one_with_limits};
pub use ser::{Compound, SerError, Serializer, serialize_into, to_string, to_vec};
pub use writer::{KeyOrder, WriteOptions, value_to_string, value_to_vec, write_value};
