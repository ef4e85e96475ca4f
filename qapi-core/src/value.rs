//! The JSON value tree QMP messages are decoded from.
//!
//! This mirrors QEMU's QObject model: a number is kept as a signed
//! 64-bit integer when it fits, else as an unsigned 64-bit integer when
//! it is non-negative and fits, else as a double. Objects keep their
//! members in insertion order (the order they were read) and never hold
//! the same key twice (the JSON reader rejects duplicates, as QEMU does).

use std::fmt;

/// A JSON value as QEMU's JSON parser represents it.
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX` that fits in `u64`.
    UInt(u64),
    /// Any other number (written with a fraction or exponent, or out of
    /// the integer ranges).
    Double(f64),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// The JSON type of a value, named as QEMU names it in
/// `Invalid parameter type for '…', expected: <type>` messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonType {
    Null,
    Boolean,
    /// A JSON number (QEMU's QNum, integer or double).
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    /// The word QEMU uses for this JSON type in error messages.
    pub const fn word(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

impl Value {
    /// The JSON type of this value.
    pub fn json_type(&self) -> JsonType {
        match self {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) | Value::UInt(_) | Value::Double(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }

    /// Builds a number from an unsigned integer, keeping QEMU's
    /// preference for the signed representation.
    pub fn from_u64(n: u64) -> Value {
        if n <= i64::MAX as u64 {
            Value::Int(n as i64)
        } else {
            Value::UInt(n)
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// Numbers compare by value within their representation; an `Int` and a
/// `UInt` never hold the same number. Doubles compare as `f64` (so `NaN`
/// is not equal to itself).
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}
impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::from_u64(n)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Double(n)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(m)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::Array(v)
    }
}

/// A JSON object: members in insertion order, keys unique.
///
/// Lookups are linear scans, which is the fastest choice for the small
/// objects QMP carries.
#[derive(Clone, Debug, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    pub fn new() -> Map {
        Map {
            entries: Vec::new(),
        }
    }

    pub fn with_capacity(n: usize) -> Map {
        Map {
            entries: Vec::with_capacity(n),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Inserts or replaces a member; a replaced member keeps its position.
    /// Returns the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let key = key.into();
        let value = value.into();
        if let Some(slot) = self.get_mut(&key) {
            return Some(std::mem::replace(slot, value));
        }
        self.entries.push((key, value));
        None
    }

    /// Appends a member without checking for an existing one with the same
    /// key. The caller guarantees uniqueness (e.g. a parser that has just
    /// checked for duplicates).
    pub fn push_unchecked(&mut self, key: String, value: Value) {
        self.entries.push((key, value));
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(i).1)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn into_entries(self) -> Vec<(String, Value)> {
        self.entries
    }

    pub fn entries(&self) -> &[(String, Value)] {
        &self.entries
    }
}

/// Objects are equal when they hold the same members, in any order.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        let mut m = Map::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Compact JSON (serde_json's formatting) for debugging and messages.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&s)
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Value::UInt(u)
                } else {
                    Value::Double(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                let mut m = Map::with_capacity(o.len());
                for (k, v) in o {
                    m.push_unchecked(k, Value::from(v));
                }
                Value::Object(m)
            }
        }
    }
}

impl From<Value> for serde_json::Value {
    /// Doubles that are not finite have no JSON form in `serde_json`
    /// and become `null`.
    ///
    /// Converts with an explicit stack rather than recursion, so that
    /// values as deep as QEMU's reader allows (1024 levels) convert on
    /// any thread's stack.
    fn from(v: Value) -> serde_json::Value {
        enum Frame {
            Array(std::vec::IntoIter<Value>, Vec<serde_json::Value>),
            Object(
                std::vec::IntoIter<(String, Value)>,
                serde_json::Map<String, serde_json::Value>,
                Option<String>,
            ),
        }
        fn leaf(v: Value) -> serde_json::Value {
            match v {
                Value::Null => serde_json::Value::Null,
                Value::Bool(b) => serde_json::Value::Bool(b),
                Value::Int(i) => serde_json::Value::from(i),
                Value::UInt(u) => serde_json::Value::from(u),
                Value::Double(d) => serde_json::Number::from_f64(d)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null),
                Value::String(s) => serde_json::Value::String(s),
                Value::Array(_) | Value::Object(_) => unreachable!("containers are framed"),
            }
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut next = Some(v);
        loop {
            let mut done = None;
            match next.take() {
                Some(Value::Array(a)) => {
                    let n = a.len();
                    stack.push(Frame::Array(a.into_iter(), Vec::with_capacity(n)));
                }
                Some(Value::Object(m)) => {
                    stack.push(Frame::Object(m.into_iter(), serde_json::Map::new(), None));
                }
                Some(other) => done = Some(leaf(other)),
                None => {}
            }
            // Hand the finished value to its parent; find the next child.
            loop {
                let Some(top) = stack.last_mut() else {
                    return done.unwrap_or(serde_json::Value::Null);
                };
                let child = match top {
                    Frame::Array(items, out) => {
                        if let Some(d) = done.take() {
                            out.push(d);
                        }
                        items.next()
                    }
                    Frame::Object(members, out, key) => {
                        if let (Some(d), Some(k)) = (done.take(), key.take()) {
                            out.insert(k, d);
                        }
                        members.next().map(|(k, child)| {
                            *key = Some(k);
                            child
                        })
                    }
                };
                if child.is_some() {
                    next = child;
                    break;
                }
                done = Some(match stack.pop() {
                    Some(Frame::Array(_, out)) => serde_json::Value::Array(out),
                    Some(Frame::Object(_, out, _)) => serde_json::Value::Object(out),
                    None => unreachable!("a frame was on the stack"),
                });
            }
        }
    }
}

mod serde_impls {
    use super::{Map, Value};
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
    use std::fmt;

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Int(i) => s.serialize_i64(*i),
                Value::UInt(u) => s.serialize_u64(*u),
                Value::Double(d) => s.serialize_f64(*d),
                Value::String(v) => s.serialize_str(v),
                Value::Array(a) => {
                    let mut seq = s.serialize_seq(Some(a.len()))?;
                    for v in a {
                        seq.serialize_element(v)?;
                    }
                    seq.end()
                }
                Value::Object(m) => m.serialize(s),
            }
        }
    }

    impl Serialize for Map {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(self.len()))?;
            for (k, v) in self.iter() {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Int(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from_u64(v))
        }
        fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
            Ok(if let Ok(i) = i64::try_from(v) {
                Value::Int(i)
            } else if let Ok(u) = u64::try_from(v) {
                Value::UInt(u)
            } else {
                Value::Double(v as f64)
            })
        }
        fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
            Ok(match u64::try_from(v) {
                Ok(u) => Value::from_u64(u),
                Err(_) => Value::Double(v as f64),
            })
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Value::Double(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            Value::deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(e) = seq.next_element()? {
                v.push(e);
            }
            Ok(Value::Array(v))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
            let mut m = Map::with_capacity(access.size_hint().unwrap_or(0).min(4096));
            while let Some(k) = access.next_key::<String>()? {
                if m.contains_key(&k) {
                    return Err(de::Error::custom("JSON parse error, duplicate key"));
                }
                let v = access.next_value()?;
                m.push_unchecked(k, v);
            }
            Ok(Value::Object(m))
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Map {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Map, D::Error> {
            match Value::deserialize(d)? {
                Value::Object(m) => Ok(m),
                other => Err(de::Error::custom(format_args!(
                    "expected a JSON object, found {}",
                    other.json_type().word()
                ))),
            }
        }
    }
}
