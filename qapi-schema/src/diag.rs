//! Errors, rendered exactly as QEMU's generator prints them.

use std::fmt;

use crate::source::{InfoId, Infos};

/// An error found while reading or checking, not yet rendered.
#[derive(Clone, Debug)]
pub(crate) struct Raw {
    pub(crate) info: Option<InfoId>,
    pub(crate) col: Option<u32>,
    pub(crate) msg: String,
}

/// Shorthand for the internal result type.
pub(crate) type QResult<T> = Result<T, Raw>;

/// A semantic error at a location (QEMU's `QAPISemError`).
pub(crate) fn sem(info: InfoId, msg: impl Into<String>) -> Raw {
    Raw {
        info: Some(info),
        col: None,
        msg: msg.into(),
    }
}

/// A located error with a column (QEMU's `QAPIParseError`).
pub(crate) fn parse(info: InfoId, col: u32, msg: impl Into<String>) -> Raw {
    Raw {
        info: Some(info),
        col: Some(col),
        msg: msg.into(),
    }
}

/// An error without location (unreadable root file).
pub(crate) fn plain(msg: impl Into<String>) -> Raw {
    Raw {
        info: None,
        col: None,
        msg: msg.into(),
    }
}

/// A schema error, with QEMU's exact text.
///
/// `Display` gives the text QEMU's generator prints (without the final
/// newline), e.g.
///
/// ```text
/// redefined-type.json: In enum 'Foo':
/// redefined-type.json:3: 'Foo' is already defined
/// redefined-type.json: In struct 'Foo':
/// redefined-type.json:2: previous definition
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The file of the primary location, if any.
    pub file: Option<String>,
    /// Its line.
    pub line: Option<u32>,
    /// Its column, for lexical and doc-comment errors.
    pub col: Option<u32>,
    /// The message proper (may continue over several lines, e.g. with
    /// `Valid keys are …` or a `previous definition` block).
    pub message: String,
    rendered: String,
}

impl Error {
    pub(crate) fn render(raw: &Raw, infos: &Infos) -> Error {
        let mut rendered = String::new();
        let (file, line) = match raw.info {
            Some(id) => {
                rendered.push_str(&infos.render(id));
                if let Some(col) = raw.col {
                    rendered.push_str(&format!(":{col}"));
                }
                rendered.push_str(": ");
                (Some(infos.fname(id).to_owned()), Some(infos.line(id)))
            }
            None => (None, None),
        };
        rendered.push_str(&raw.msg);
        Error {
            file,
            line,
            col: raw.col,
            message: raw.msg.clone(),
            rendered,
        }
    }

    /// The full text as QEMU prints it, without trailing newline.
    pub fn text(&self) -> &str {
        &self.rendered
    }

    /// The text as written to stderr by `qapi check` (and by QEMU's
    /// `test-qapi.py`): [`Error::text`] plus a newline.
    pub fn report(&self) -> String {
        format!("{}\n", self.rendered)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for Error {}
