//! Errors of the JSON reader.

use std::borrow::Cow;
use std::fmt;

/// What kind of problem a [`JsonError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonErrorKind {
    /// A byte sequence no token starts or continues with
    /// (`JSON parse error, stray '…'`).
    Lexical,
    /// The tokens do not form a value (`JSON parse error, …`).
    Syntax,
    /// `JSON nesting depth limit exceeded`.
    NestingLimit,
    /// `JSON token count limit exceeded`.
    TokenCountLimit,
    /// `JSON token size limit exceeded`.
    TokenSizeLimit,
    /// [`parse_one`](super::parse_one) got no value, or more than one.
    NotOneValue,
}

/// A JSON input error, with QEMU's exact error description.
///
/// The description is text; a lexical error quotes the offending input,
/// where control characters appear as such and invalid UTF-8 as U+FFFD
/// (QEMU's JSON writer then escapes them when sending the error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    kind: JsonErrorKind,
    desc: Cow<'static, str>,
}

impl JsonError {
    pub(crate) fn new(kind: JsonErrorKind, desc: impl Into<Cow<'static, str>>) -> JsonError {
        JsonError {
            kind,
            desc: desc.into(),
        }
    }

    pub(crate) fn syntax(msg: &str) -> JsonError {
        // QEMU formats the message into a 1024-byte buffer first.
        let mut end = msg.len().min(1023);
        while !msg.is_char_boundary(end) {
            end -= 1;
        }
        JsonError::new(
            JsonErrorKind::Syntax,
            format!("JSON parse error, {}", &msg[..end]),
        )
    }

    /// The kind of error.
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// QEMU's error description, e.g. `JSON parse error, expecting value`.
    pub fn desc(&self) -> &str {
        &self.desc
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.desc)
    }
}

impl std::error::Error for JsonError {}
