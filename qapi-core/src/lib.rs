//! Runtime of the `qapi` crates.
//!
//! * [`Value`]: the JSON tree QMP input is decoded from (QEMU's QObject).
//! * [`Qapi`]: the trait every QAPI type implements (usually through
//!   `#[derive(Qapi)]`): QEMU-exact decoding ([`decode`]) and schema
//!   metadata ([`describe`]).
//! * [`schema`]: the schema model and the introspection emitter.
#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod __private;
pub mod builtins;
#[cfg(feature = "tokio")]
pub mod client;
pub mod command;
pub mod decode;
pub mod describe;
pub mod dispatch;
pub mod error;
pub mod event;
pub mod json;
pub mod policy;
pub mod qmp;
pub mod registry;
pub mod schema;
#[cfg(feature = "tokio")]
pub mod server;
pub mod traits;
pub mod value;

pub use builtins::{Null, QType, Size};
#[cfg(feature = "tokio")]
pub use client::{ClientError, ClientOptions, QgaClient, QmpClient};
pub use command::{Command, CommandInfo, Empty, Event};
pub use decode::{Decoder, ObjectInput};
pub use describe::SchemaBuilder;
pub use dispatch::{Dispatched, Protocol, Response, Session};
pub use error::{Error, ErrorClass, Result};
pub use event::{EventMessage, Timestamp};
pub use policy::CompatPolicy;
pub use registry::{Registry, ReplyFormat};
#[cfg(feature = "tokio")]
pub use server::{EventSender, Server, ServerConfig};
pub use traits::{Kind, Qapi, QapiBranches, QapiEnum, QapiObject};
pub use value::{JsonType, Map, Value};

/// Decodes a value of type `T` from a value tree with QEMU's rules.
pub fn from_value<T: Qapi>(v: Value) -> Result<T> {
    Decoder::new().decode(v)
}

/// Decodes a value of type `T` from JSON text with QEMU's rules: QEMU's
/// JSON parser (its extensions and its error texts, e.g. `JSON parse
/// error, expecting value`), then QEMU's input rules.
pub fn from_str<T: Qapi>(json: &str) -> Result<T> {
    from_slice(json.as_bytes())
}

/// Like [`from_str`], for bytes.
///
/// Valid JSON takes a fast path (serde_json's parser builds the tree);
/// anything it refuses is parsed again by QEMU's parser, which either
/// accepts it (QEMU's extensions: single-quoted strings, nesting up to
/// 1024, numbers out of `f64` range) or reports QEMU's exact error.
pub fn from_slice<T: Qapi>(json: &[u8]) -> Result<T> {
    let fast = if has_integer_negative_zero(json) {
        None
    } else {
        serde_json::from_slice::<Value>(json).ok()
    };
    let v = match fast {
        Some(v) => v,
        None => json::parse_one(json).map_err(|e| Error::generic(e.desc()))?,
    };
    from_value(v)
}

/// Whether the text may hold the integer `-0`, which QEMU reads as the
/// integer 0 and serde_json as the double -0.0 (the only valid JSON the
/// two read differently). False positives (inside strings) only cost the
/// slow path.
fn has_integer_negative_zero(b: &[u8]) -> bool {
    b.windows(2)
        .enumerate()
        .any(|(i, w)| w == b"-0" && !matches!(b.get(i + 2), Some(b'.' | b'e' | b'E' | b'0'..=b'9')))
}

/// Describes `T` and everything it uses as a schema.
pub fn schema_of<T: Qapi>() -> schema::Schema {
    let mut b = SchemaBuilder::new();
    T::describe(&mut b);
    b.finish()
}
