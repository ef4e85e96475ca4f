//! The JSON-like values of QAPI schema syntax: strings, booleans, arrays
//! and objects (insertion-ordered, no duplicate keys).

/// A parsed value. There are no numbers and no `null` in schema syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Str(String),
    Bool(bool),
    List(Vec<Value>),
    Object(Obj),
}

/// An object: keys in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Obj(pub(crate) Vec<(String, Value)>);

impl Obj {
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl Value {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Python truthiness (`if value:`).
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::List(l) => !l.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }

    /// `value is True`.
    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    pub(crate) fn is_false(&self) -> bool {
        matches!(self, Value::Bool(false))
    }
}
