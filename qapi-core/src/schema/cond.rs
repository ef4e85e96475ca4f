//! QAPI `if` conditions.
//!
//! In a `.json` schema a condition is a name (`'CONFIG_BLKIO'`) or a
//! combination (`{'all': [...]}`, `{'any': [...]}`, `{'not': ...}`).
//! In Rust source the same condition is a `#[cfg(...)]` predicate; the
//! derive records it here so that a schema can be exported back to
//! `.json` and so that introspection can report it.

use std::collections::BTreeSet;
use std::fmt;

/// A condition tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// A configuration name, e.g. `CONFIG_BLKIO`. From Rust, a bare cfg
    /// name (`#[cfg(CONFIG_BLKIO)]`) or a feature (`#[cfg(feature =
    /// "CONFIG_BLKIO")]`) both become `Name("CONFIG_BLKIO")`; other
    /// `key = "value"` predicates keep their Rust spelling.
    Name(String),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

impl Cond {
    pub fn name(n: impl Into<String>) -> Cond {
        Cond::Name(n.into())
    }

    /// Evaluates the condition with `is_set` deciding each name.
    pub fn eval(&self, is_set: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Cond::Name(n) => is_set(n),
            Cond::All(cs) => cs.iter().all(|c| c.eval(is_set)),
            Cond::Any(cs) => cs.iter().any(|c| c.eval(is_set)),
            Cond::Not(c) => !c.eval(is_set),
        }
    }

    /// Every name the condition mentions.
    pub fn names(&self, out: &mut BTreeSet<String>) {
        match self {
            Cond::Name(n) => {
                out.insert(n.clone());
            }
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| c.names(out)),
            Cond::Not(c) => c.names(out),
        }
    }

    /// The condition in `.json` schema syntax (with double quotes), e.g.
    /// `{"all": ["CONFIG_A", {"not": "CONFIG_B"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Cond::Name(n) => serde_json::Value::String(n.clone()),
            Cond::All(cs) => {
                serde_json::json!({ "all": cs.iter().map(Cond::to_json).collect::<Vec<_>>() })
            }
            Cond::Any(cs) => {
                serde_json::json!({ "any": cs.iter().map(Cond::to_json).collect::<Vec<_>>() })
            }
            Cond::Not(c) => serde_json::json!({ "not": c.to_json() }),
        }
    }
}

/// Renders the condition as a Rust `cfg` predicate over names
/// (`all(A, not(B))`).
impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list(f: &mut fmt::Formatter<'_>, word: &str, cs: &[Cond]) -> fmt::Result {
            write!(f, "{word}(")?;
            for (i, c) in cs.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str(")")
        }
        match self {
            Cond::Name(n) => f.write_str(n),
            Cond::All(cs) => list(f, "all", cs),
            Cond::Any(cs) => list(f, "any", cs),
            Cond::Not(c) => write!(f, "not({c})"),
        }
    }
}

/// Which condition names hold when a schema is evaluated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CondSet {
    /// Every condition is taken as true (QEMU's generator output with
    /// all `#if`s enabled).
    #[default]
    AllTrue,
    /// Exactly these names are set; everything else is false.
    Only(BTreeSet<String>),
}

impl CondSet {
    pub fn only<I, S>(names: I) -> CondSet
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CondSet::Only(names.into_iter().map(Into::into).collect())
    }

    /// Evaluates an optional condition (absent means true).
    pub fn holds(&self, cond: Option<&Cond>) -> bool {
        match (self, cond) {
            (_, None) | (CondSet::AllTrue, _) => true,
            (CondSet::Only(set), Some(c)) => c.eval(&|n| set.contains(n)),
        }
    }
}
