//! Default QAPI names for Rust identifiers.

use heck::ToKebabCase;
use syn::Ident;
use syn::ext::IdentExt;

/// A field's QAPI name: the identifier (raw prefix removed) with `_`
/// turned into `-` (`node_name` → `node-name`).
pub fn member_name(ident: &Ident) -> String {
    ident.unraw().to_string().replace('_', "-")
}

/// A variant's QAPI name: the identifier in lower case with words joined
/// by `-` (`NullCo` → `null-co`, `Qcow2` → `qcow2`).
pub fn variant_name(ident: &Ident) -> String {
    ident.unraw().to_string().to_kebab_case()
}

/// QEMU compares names after mapping every character outside
/// `[A-Za-z0-9_]` to `_` (its C name); two names that map to the same C
/// name clash.
pub fn c_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}
