//! QAPI naming rules (QEMU 10.0.2 `expr.py`): valid names, C names,
//! the case conventions of each kind of name.

use crate::diag::{QResult, sem};
use crate::source::InfoId;

/// QEMU's `c_name(name, protect=False)`: every character outside
/// `[A-Za-z0-9_]` becomes `_`.
pub(crate) fn c_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn is_stem(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Matches `(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$` (case-insensitive)
/// and returns the stem (the last group), as Python's `re.match` would.
pub(crate) fn valid_name_stem(name: &str) -> Option<&str> {
    let mut starts = Vec::new();
    if let Some(rest) = name.strip_prefix("__") {
        let run = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        if run > 0 && rest[run..].starts_with('_') {
            starts.push(2 + run + 1);
        }
    }
    starts.push(0);
    for start in starts {
        let rest = &name[start..];
        if let Some(stem) = rest.get(2..)
            && rest[..2].eq_ignore_ascii_case("x-")
            && is_stem(stem)
        {
            return Some(stem);
        }
        if is_stem(rest) {
            return Some(rest);
        }
    }
    None
}

/// `check_name_str`: a valid name whose C name does not start with `q_`.
pub(crate) fn check_name_str<'a>(name: &'a str, info: InfoId, source: &str) -> QResult<&'a str> {
    match valid_name_stem(name) {
        Some(stem) if !c_name(name).starts_with("q_") => Ok(stem),
        _ => Err(sem(info, format!("{source} has an invalid name"))),
    }
}

/// Event names: no lower case, no `-`.
pub(crate) fn check_name_upper(name: &str, info: InfoId, source: &str) -> QResult<()> {
    let stem = check_name_str(name, info, source)?;
    if stem.chars().any(|c| c.is_ascii_lowercase() || c == '-') {
        return Err(sem(
            info,
            format!("name of {source} must not use lowercase or '-'"),
        ));
    }
    Ok(())
}

/// Command and member names: no upper case, no `_` (unless permitted).
pub(crate) fn check_name_lower(
    name: &str,
    info: InfoId,
    source: &str,
    permit_upper: bool,
    permit_underscore: bool,
) -> QResult<()> {
    let stem = check_name_str(name, info, source)?;
    if (!permit_upper && stem.chars().any(|c| c.is_ascii_uppercase()))
        || (!permit_underscore && stem.contains('_'))
    {
        return Err(sem(
            info,
            format!("name of {source} must not use uppercase or '_'"),
        ));
    }
    Ok(())
}

/// Type names: CamelCase stem.
pub(crate) fn check_name_camel(name: &str, info: InfoId, source: &str) -> QResult<()> {
    let stem = check_name_str(name, info, source)?;
    let mut chars = stem.chars();
    let first_upper = matches!(chars.next(), Some(c) if c.is_ascii_uppercase());
    let rest: Vec<char> = chars.collect();
    let camel = first_upper
        && rest.iter().all(|c| c.is_ascii_alphanumeric())
        && rest.iter().any(|c| c.is_ascii_lowercase());
    if !camel {
        return Err(sem(info, format!("name of {source} must use CamelCase")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(valid_name_stem("x-foo"), Some("foo"));
        assert_eq!(valid_name_stem("__com.redhat_x-foo"), Some("foo"));
        assert_eq!(valid_name_stem("__com.redhat_Foo"), Some("Foo"));
        assert_eq!(valid_name_stem("x-"), Some("x-"));
        assert_eq!(valid_name_stem("*oops"), None);
        assert_eq!(valid_name_stem("_oops"), None);
        assert_eq!(valid_name_stem(""), None);
        assert_eq!(valid_name_stem("a_b"), Some("a_b"));
        assert_eq!(c_name("q-unix"), "q_unix");
    }
}
