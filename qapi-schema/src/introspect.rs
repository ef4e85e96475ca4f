//! `qapi introspect`: the `query-qmp-schema` answer of a `.json` schema,
//! through [`crate::load`] and the shared emitter
//! ([`qapi_core::schema::introspect`]).
//!
//! Output forms ([`Format`]):
//!
//! * [`Format::Lines`] (the default): a JSON array with one entity per
//!   line, each entity in QEMU's wire text (keys in QEMU's order, `": "`
//!   and `", "` separators), so that two dumps compare line by line
//!   with `diff`:
//!
//!   ```text
//!   [
//!   {"name": "query-status", "ret-type": "0", "meta-type": "command", "arg-type": "1"},
//!   {"name": "0", "members": [...], "meta-type": "object"}
//!   ]
//!   ```
//! * [`Format::QemuText`]: exactly the text QEMU sends as the `return`
//!   value of `query-qmp-schema` (one line).
//! * [`Format::Conditional`]: every conditional piece as `{"if": "<C>",
//!   "then": ...}`, the form of QEMU's `.introspect.conditional.json`
//!   (meaningful with every condition true).

use std::collections::BTreeSet;

use qapi_core::json::{WriteOptions, value_to_string};
use qapi_core::schema::introspect::{IntrospectError, Introspection};
use qapi_core::schema::{CondSet, Era, IntrospectOptions, Schema, introspect, profiles};

/// The condition profiles `--cfg-profile` knows, with their sets.
pub const PROFILES: &[(&str, &[&str])] = &[
    // qemu-system-x86_64 (host-wide and x86_64 target conditions).
    ("debian-10.0.2-x86_64", profiles::DEBIAN_10_0_2_X86_64),
    // Host-wide conditions only: what qemu-storage-daemon and qemu-ga
    // see (their schemas have no target conditions, so the x86_64
    // profile gives the same result for them).
    ("debian-10.0.2-host", profiles::DEBIAN_10_0_2_HOST),
];

/// Looks up a profile of [`PROFILES`].
pub fn profile(name: &str) -> Option<&'static [&'static str]> {
    PROFILES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// The condition set selected by the command-line options: every
/// condition true unless `--cfg` names or a profile are given, in which
/// case exactly those names (profile plus `--cfg`s) are set.
pub fn cond_set(cfgs: &[String], profile_names: &[&[&str]]) -> CondSet {
    if cfgs.is_empty() && profile_names.is_empty() {
        return CondSet::AllTrue;
    }
    let mut set: BTreeSet<String> = cfgs.iter().cloned().collect();
    for p in profile_names {
        set.extend(p.iter().map(|s| (*s).to_owned()));
    }
    CondSet::Only(set)
}

/// Parses an `--era` word: `current` (6.2 and later, default), `5.0`
/// (5.0 to 6.1), `2.11` (2.10 and 2.11).
pub fn parse_era(word: &str) -> Option<Era> {
    match word {
        "current" | "10.0" | "6.2" => Some(Era::Current),
        "5.0" | "5.2" | "6.1" => Some(Era::V5_0),
        "2.11" | "2.10" => Some(Era::V2_11),
        _ => None,
    }
}

/// How to print an introspection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A JSON array, one entity per line in QEMU's wire text.
    #[default]
    Lines,
    /// QEMU's one-line wire text.
    QemuText,
    /// `{"if": ..., "then": ...}` for every conditional piece, one entity
    /// per line.
    Conditional,
}

/// Introspects `schema`.
pub fn run(
    schema: &Schema,
    opts: &IntrospectOptions<'_>,
) -> Result<Introspection, IntrospectError> {
    introspect(schema, opts)
}

/// Renders an introspection in the given format; the text ends with a
/// newline.
pub fn render(intro: &Introspection, format: Format) -> String {
    match format {
        Format::QemuText => {
            let mut s = intro.to_qemu_text();
            s.push('\n');
            s
        }
        Format::Lines => lines(
            intro
                .entries
                .iter()
                .map(|e| value_to_string(&e.to_value(), &WriteOptions::COMPACT)),
        ),
        Format::Conditional => lines(intro.entries.iter().map(|e| {
            let v: qapi_core::Value = e.to_conditional_json().into();
            value_to_string(&v, &WriteOptions::COMPACT)
        })),
    }
}

fn lines(items: impl Iterator<Item = String>) -> String {
    let mut out = String::from("[\n");
    let mut first = true;
    for item in items {
        if !first {
            out.push_str(",\n");
        }
        first = false;
        out.push_str(&item);
    }
    if !first {
        out.push('\n');
    }
    out.push_str("]\n");
    out
}
