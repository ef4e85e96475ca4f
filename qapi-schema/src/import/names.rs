//! Rust identifiers for QAPI names.
//!
//! The mapping (documented for users in [`super`]):
//!
//! * types: the QAPI name itself when it is a Rust identifier
//!   (`BlockdevOptions`); otherwise CamelCase of its parts
//!   (`VersionInfo.qemu` → `VersionInfoQemu`). A name that would shadow
//!   something the generated code uses (`String`, `Option`, `Vec`,
//!   `Box`, …) gets a `Q` prefix (`QString`).
//! * members: lower case, every character other than a letter, digit or
//!   `_` turned into `_` (`node-name` → `node_name`); Rust keywords as
//!   raw identifiers (`r#type`), `self`/`super`/`crate` with a trailing
//!   `_`; a leading digit gets a `_` prefix.
//! * enum values, union and alternate branches: CamelCase of the parts
//!   separated by `-`, `_` or `.`, each part's first letter upper-cased
//!   and the rest kept (`io_uring` → `IoUring`, `x86_64` → `X86_64`,
//!   `DIMM` → `DIMM`); a leading digit gets a `_` prefix (`1` → `_1`).
//!
//! Clashes inside one scope are resolved by appending a number (`2`,
//! `3`, …), in definition order, so names are stable for a given schema.

use std::collections::HashSet;

use heck::ToKebabCase;

/// Rust keywords (2024 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type-namespace names the generated code refers to unqualified (the
/// prelude and what it imports), which a QAPI type must not shadow.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Qapi",
    "Copy",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Default",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Unpin",
    "PartialOrd",
    "Ord",
];

pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// `true` for `[A-Za-z_][A-Za-z0-9_]*` that is not `_`.
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// CamelCase of the parts of `name` separated by anything other than a
/// letter or digit: each part's first character upper-cased, the rest
/// kept; digits meeting digits across a separator keep a `_`
/// (`x86_64` → `X86_64`, which Rust's case lint accepts).
pub(crate) fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        let Some(first) = chars.next() else { continue };
        if first.is_ascii_digit() && out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        out.push(first.to_ascii_uppercase());
        out.extend(chars);
    }
    if out.is_empty() {
        out.push('_');
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// The Rust identifier for a type named `name` (see the module docs).
pub(crate) fn type_ident(name: &str) -> String {
    let base = if is_ident(name) && !is_keyword(name) {
        name.to_owned()
    } else {
        camel(name)
    };
    if RESERVED_TYPES.contains(&base.as_str()) {
        format!("Q{base}")
    } else {
        base
    }
}

/// The identifier for a struct member named `name`, without any `r#`.
pub(crate) fn field_base(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if out == "_" {
        out.push('_');
    }
    out
}

/// Writes `base` as an identifier token: raw when it is a keyword,
/// with a trailing `_` when it cannot be raw.
pub(crate) fn field_token(base: &str) -> String {
    if NOT_RAW.contains(&base) {
        format!("{base}_")
    } else if is_keyword(base) {
        format!("r#{base}")
    } else {
        base.to_owned()
    }
}

/// The QAPI name the derive gives a field by default.
pub(crate) fn derive_member_name(token: &str) -> String {
    token.strip_prefix("r#").unwrap_or(token).replace('_', "-")
}

/// The QAPI name the derive gives a variant by default.
pub(crate) fn derive_variant_name(ident: &str) -> String {
    ident.to_kebab_case()
}

/// Hands out unique identifiers within one scope.
#[derive(Default)]
pub(crate) struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub(crate) fn new() -> Scope {
        Scope::default()
    }

    /// Marks `name` as taken.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `want`, or `want2`, `want3`, … whichever is free first.
    pub(crate) fn claim(&mut self, want: &str) -> String {
        let mut name = want.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{want}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings() {
        assert_eq!(camel("io_uring"), "IoUring");
        assert_eq!(camel("x86_64"), "X86_64");
        assert_eq!(camel("null-co"), "NullCo");
        assert_eq!(camel("DIMM"), "DIMM");
        assert_eq!(camel("1"), "_1");
        assert_eq!(camel("__com.redhat_x"), "ComRedhatX");
        assert_eq!(type_ident("VersionInfo.qemu"), "VersionInfoQemu");
        assert_eq!(type_ident("String"), "QString");
        assert_eq!(field_base("node-name"), "node_name");
        assert_eq!(field_token("type"), "r#type");
        assert_eq!(field_token("self"), "self_");
        assert_eq!(derive_member_name("r#type"), "type");
        assert_eq!(derive_variant_name("NullCo"), "null-co");
        assert_eq!(derive_variant_name("Qcow2"), "qcow2");
    }
}
