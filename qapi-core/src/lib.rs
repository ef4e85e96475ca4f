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
pub fn from_slice<T: Qapi>(json: &[u8]) -> Result<T> {
    let v = json::parse_one(json).map_err(|e| Error::generic(e.desc()))?;
    from_value(v)
}

/// Describes `T` and everything it uses as a schema.
pub fn schema_of<T: Qapi>() -> schema::Schema {
    let mut b = SchemaBuilder::new();
    T::describe(&mut b);
    b.finish()
}
