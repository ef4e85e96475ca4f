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
/// Texts that serde_json accepts but QEMU's parser may read otherwise
/// (the integer `-0`, `0e0`, Unicode noncharacters, more tokens than
/// QEMU's limits allow) go to QEMU's parser directly.
pub fn from_slice<T: Qapi>(json: &[u8]) -> Result<T> {
    let fast = if qemu_reads_differently(json) {
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

/// Whether QEMU's parser may read `b` otherwise than serde_json, where
/// serde_json accepts it (RFC 8259 JSON). The differences:
///
/// * the integer `-0`: QEMU reads the integer 0, serde_json the double
///   -0.0;
/// * an exponent right after a lone `0` (`0e0`, `-0E+1`): QEMU's lexer
///   continues a leading `0` only with `.`, so it reads `0`, the keyword
///   `e…` and more, while serde_json reads a double;
/// * Unicode noncharacters (U+FDD0..U+FDEF and U+xFFFE/U+xFFFF, raw or
///   `\u`-escaped) in strings, which QEMU rejects;
/// * more than QEMU's 2 097 152 tokens or 64 MiB of tokens in a text,
///   which QEMU refuses; a shorter text cannot hold that many.
///
/// Conservative: every `\u` escape counts (it may spell a noncharacter),
/// and matches inside strings only cost the slow path.
fn qemu_reads_differently(b: &[u8]) -> bool {
    if b.len() > json::Limits::QEMU.max_token_count {
        return true;
    }
    // Jump between the bytes that can start a difference (memchr's
    // vectorised search: this runs on every text `from_slice` reads).
    for i in memchr::memchr3_iter(b'0', b'-', b'\\', b) {
        let next = b.get(i + 1).copied();
        let differs = match b[i] {
            // A `0` that starts a number (not after a digit or `.`) and
            // is followed by an exponent.
            b'0' => {
                matches!(next, Some(b'e' | b'E'))
                    && (i == 0 || !matches!(b[i - 1], b'0'..=b'9' | b'.'))
            }
            b'-' => {
                next == Some(b'0')
                    && !matches!(b.get(i + 2), Some(b'.' | b'e' | b'E' | b'0'..=b'9'))
            }
            _ => next == Some(b'u'),
        };
        if differs {
            return true;
        }
    }
    // Lead bytes of the UTF-8 forms of U+F000..U+FFFF and of the
    // supplementary planes.
    !b.is_ascii()
        && b.iter()
            .enumerate()
            .any(|(i, &c)| (0xEF..=0xF4).contains(&c) && is_noncharacter_utf8(&b[i..]))
}

/// Whether `s` starts with the UTF-8 form of a Unicode noncharacter
/// (checked on the bytes; `s` need not be valid UTF-8).
fn is_noncharacter_utf8(s: &[u8]) -> bool {
    match *s {
        // U+FDD0..U+FDEF: EF B7 90..AF.
        [0xEF, 0xB7, 0x90..=0xAF, ..] => true,
        // U+FFFE, U+FFFF: EF BF BE/BF.
        [0xEF, 0xBF, 0xBE | 0xBF, ..] => true,
        // U+xFFFE, U+xFFFF of planes 1..16: F0..F4, then a byte with
        // the plane's low bits all set, BF, BE/BF.
        [0xF0..=0xF4, b1, 0xBF, 0xBE | 0xBF, ..] => b1 & 0x0F == 0x0F,
        _ => false,
    }
}

/// Describes `T` and everything it uses as a schema.
pub fn schema_of<T: Qapi>() -> schema::Schema {
    let mut b = SchemaBuilder::new();
    T::describe(&mut b);
    b.finish()
}
