//! The QAPI `.json` schema language: reader, checker, and conversion to
//! the shared schema model of [`qapi_core::schema`].
//!
//! ```no_run
//! use qapi_schema::{Dialect, LoadOptions, load};
//!
//! let loaded = load("qapi/qapi-schema.json".as_ref(), &LoadOptions::default());
//! match loaded {
//!     Ok(l) => println!("{} definitions", l.schema.len()),
//!     // QEMU's exact message, e.g. "x.json:3:10: expected ':'"
//!     Err(e) => eprint!("{}", e.report()),
//! }
//! # let _ = Dialect::Legacy;
//! ```
//!
//! [`Dialect::Qemu10`] applies QEMU 10.0.2's rules and reports the first
//! error exactly as QEMU's generator does; [`Dialect::Legacy`] reads
//! schemas of older QEMU releases (1.1 to 6.1).
#![forbid(unsafe_code)]

mod check;
mod diag;
mod doc;
mod expr;
mod legacy;
mod load;
mod names;
mod parser;
mod pathutil;
mod source;
mod value;

pub mod diff;
pub mod import;
pub mod introspect;
pub mod portgen;
pub mod ports;

pub use diag::Error;
pub use load::{Dialect, LoadOptions, Loaded, check_syntax_str, load, load_str};
pub use parser::Pragmas;

/// Checks the schema in `path` and returns what `qapi check` prints on
/// stderr: empty for a good schema, QEMU's message otherwise.
pub fn check_report(path: &std::path::Path, opts: &LoadOptions) -> Result<Loaded, String> {
    load(path, opts).map_err(|e| e.report())
}
